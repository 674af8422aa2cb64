package modgres.logger.internal.format;

import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.Locale;

/*
 * log_filename is a strftime() pattern, expanded by PostgreSQL's own
 * pg_strftime() in the C locale and in log_timezone. This is the same set of
 * conversions: %a %A %b %B %c %C %d %D %e %F %G %g %h %H %I %j %k %l %m %M %n
 * %p %r %R %s %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %+ %%, the C99 E and O
 * modifiers accepted and ignored. As in pg_strftime, an unknown conversion
 * prints the character itself (without the '%'), and a '%' at the end of the
 * pattern prints '%'.
 */

/** PostgreSQL's {@code pg_strftime()} in the C locale. */
public final class Strftime {
    private static final String[] DAYS = { "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday" };
    private static final String[] MONTHS = { "January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December" };

    private Strftime() {
    }

    public static String format(String pattern, ZonedDateTime t) {
        StringBuilder sb = new StringBuilder(pattern.length() + 16);
        append(sb, pattern, t);
        return sb.toString();
    }

    private static void append(StringBuilder sb, String pattern, ZonedDateTime t) {
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c != '%') {
                sb.append(c);
                continue;
            }
            i++;
            while (i < n && (pattern.charAt(i) == 'E' || pattern.charAt(i) == 'O')) {
                i++; // C99 locale modifiers: ignored, as in the C locale
            }
            if (i >= n) {
                sb.append('%');
                break;
            }
            char conv = pattern.charAt(i);
            if (!conversion(sb, conv, t)) {
                sb.append(conv);
            }
        }
    }

    private static boolean conversion(StringBuilder sb, char conv, ZonedDateTime t) {
        int wday = t.getDayOfWeek().getValue() % 7; // Sunday = 0
        int yday = t.getDayOfYear() - 1;
        switch (conv) {
            case 'A' -> sb.append(DAYS[wday]);
            case 'a' -> sb.append(DAYS[wday], 0, 3);
            case 'B' -> sb.append(MONTHS[t.getMonthValue() - 1]);
            case 'b', 'h' -> sb.append(MONTHS[t.getMonthValue() - 1], 0, 3);
            case 'C' -> sb.append(two(Math.floorDiv(t.getYear(), 100)));
            case 'c' -> append(sb, "%a %b %e %T %Y", t);
            case 'D', 'x' -> append(sb, "%m/%d/%y", t);
            case 'd' -> sb.append(two(t.getDayOfMonth()));
            case 'e' -> sb.append(String.format(Locale.ROOT, "%2d", t.getDayOfMonth()));
            case 'F' -> append(sb, "%Y-%m-%d", t);
            case 'H' -> sb.append(two(t.getHour()));
            case 'I' -> sb.append(two(hour12(t)));
            case 'j' -> sb.append(String.format(Locale.ROOT, "%03d", yday + 1));
            case 'k' -> sb.append(String.format(Locale.ROOT, "%2d", t.getHour()));
            case 'l' -> sb.append(String.format(Locale.ROOT, "%2d", hour12(t)));
            case 'M' -> sb.append(two(t.getMinute()));
            case 'm' -> sb.append(two(t.getMonthValue()));
            case 'n' -> sb.append('\n');
            case 'p' -> sb.append(t.getHour() >= 12 ? "PM" : "AM");
            case 'R' -> append(sb, "%H:%M", t);
            case 'r' -> append(sb, "%I:%M:%S %p", t);
            case 'S' -> sb.append(two(t.getSecond()));
            case 's' -> sb.append(t.toEpochSecond());
            case 'T', 'X' -> append(sb, "%H:%M:%S", t);
            case 't' -> sb.append('\t');
            case 'U' -> sb.append(two((yday + 7 - wday) / 7));
            case 'u' -> sb.append(wday == 0 ? 7 : wday);
            case 'V' -> sb.append(two(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
            case 'G' -> sb.append(String.format(Locale.ROOT, "%04d", t.get(IsoFields.WEEK_BASED_YEAR)));
            case 'g' -> sb.append(two(Math.floorMod(t.get(IsoFields.WEEK_BASED_YEAR), 100)));
            case 'W' -> sb.append(two((yday + 7 - (wday != 0 ? wday - 1 : 6)) / 7));
            case 'w' -> sb.append(wday);
            case 'Y' -> sb.append(String.format(Locale.ROOT, "%04d", t.getYear()));
            case 'y' -> sb.append(two(Math.floorMod(t.getYear(), 100)));
            case 'Z' -> sb.append(ZoneAbbreviations.system().abbreviation(t.getZone(), t.toInstant()));
            case 'z' -> {
                int off = t.getOffset().getTotalSeconds();
                sb.append(off < 0 ? '-' : '+');
                int m = Math.abs(off) / 60;
                sb.append(String.format(Locale.ROOT, "%04d", (m / 60) * 100 + m % 60));
            }
            case '+' -> append(sb, "%a %b %e %H:%M:%S %Z %Y", t);
            default -> {
                return false; // '%%' and unknown conversions: the character itself
            }
        }
        return true;
    }

    private static int hour12(ZonedDateTime t) {
        int h = t.getHour() % 12;
        return h == 0 ? 12 : h;
    }

    private static String two(int v) {
        return v >= 0 && v < 10 ? "0" + v : Integer.toString(v);
    }
}
