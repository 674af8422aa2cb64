package modgres.postmaster.guc;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validation and canonical spelling of {@code TimeZone}/{@code log_timezone}
 * values as PostgreSQL's check_timezone does: a time zone database name
 * (case-insensitive, shown in its canonical case), a POSIX-style zone
 * specification (shown upper-cased), or a number of hours east of UTC
 * (shown as {@code <+05>-05}). The JVM's time zone database stands in for
 * PostgreSQL's.
 */
final class TimeZones {

    private static final int TZ_STRLEN_MAX = 255;
    private static final int MAX_OFFSET_HOURS = 24 * 7 - 1;
    private static final Map<String, String> BY_UPPER = new HashMap<>();
    private static final Pattern RULE_DATE = Pattern
            .compile("(J\\d{1,3}|\\d{1,3}|M\\d{1,2}\\.\\d\\.\\d)(/[+-]?\\d{1,3}(:\\d{1,2}(:\\d{1,2})?)?)?");

    static {
        for (String id : ZoneId.getAvailableZoneIds()) {
            BY_UPPER.put(id.toUpperCase(Locale.ROOT), id);
        }
    }

    private TimeZones() {
    }

    /** Thrown when a value is a valid number of hours but too far from UTC. */
    static final class OffsetOutOfRange extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** The canonical spelling of a zone, or null when PostgreSQL would reject it. */
    static String canonical(String value) throws OffsetOutOfRange {
        CNumbers.Scan hours = CNumbers.strtod(value, 0);
        if (hours.end() != 0 && hours.end() == value.length()) {
            if (hours.range() || Double.isNaN(hours.value()) || Math.abs(hours.value()) > 1e12) {
                throw new OffsetOutOfRange();
            }
            // SQL sign convention (east positive) to the Unix one
            long gmtOffset = (long) (-hours.value() * 3600);
            String name = offsetName(gmtOffset);
            if (Math.abs(gmtOffset) > MAX_OFFSET_HOURS * 3600L + 59 * 60 + 59) {
                throw new OffsetOutOfRange();
            }
            return name;
        }
        if (value.isEmpty() || value.length() > TZ_STRLEN_MAX) {
            return null;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        String known = BY_UPPER.get(upper);
        if (known != null) {
            return known;
        }
        return upper.charAt(0) != ':' && isPosixSpec(upper) ? upper : null;
    }

    /** PostgreSQL's name for a fixed offset ({@code gmtOffset} seconds west of Greenwich). */
    static String offsetName(long gmtOffset) {
        long abs = Math.abs(gmtOffset);
        StringBuilder s = new StringBuilder(String.format("%02d", abs / 3600));
        abs %= 3600;
        if (abs != 0) {
            s.append(String.format(":%02d", abs / 60));
            abs %= 60;
            if (abs != 0) {
                s.append(String.format(":%02d", abs));
            }
        }
        return gmtOffset > 0 ? "<-" + s + ">+" + s : "<+" + s + ">-" + s;
    }

    /** The JVM's zone in PostgreSQL's spelling, which is what initdb writes for the OS zone. */
    static String jvmZone() {
        ZoneId zone = ZoneId.systemDefault();
        try {
            if (zone instanceof ZoneOffset offset) {
                return offsetName(-offset.getTotalSeconds());
            }
            String c = canonical(zone.getId());
            return c != null ? c : "GMT";
        } catch (OffsetOutOfRange e) {
            return "GMT";
        }
    }

    /** A POSIX TZ string: std offset [dst [offset] [,rule]]. */
    private static boolean isPosixSpec(String s) {
        int[] pos = {0};
        if (!zoneName(s, pos) || !offset(s, pos)) {
            return false;
        }
        if (pos[0] == s.length()) {
            return true;
        }
        if (!zoneName(s, pos)) {
            return false;
        }
        if (pos[0] < s.length() && s.charAt(pos[0]) != ',') {
            if (!offset(s, pos)) {
                return false;
            }
        }
        if (pos[0] == s.length()) {
            return true;
        }
        if (s.charAt(pos[0]) != ',') {
            return false;
        }
        String[] rules = s.substring(pos[0] + 1).split(",", -1);
        return rules.length == 2 && RULE_DATE.matcher(rules[0]).matches() && RULE_DATE.matcher(rules[1]).matches();
    }

    private static boolean zoneName(String s, int[] pos) {
        int i = pos[0];
        if (i < s.length() && s.charAt(i) == '<') {
            int j = i + 1;
            while (j < s.length() && s.charAt(j) != '>') {
                char c = s.charAt(j);
                if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-') || c > 0x7F) {
                    return false;
                }
                j++;
            }
            if (j >= s.length() || j == i + 1) {
                return false;
            }
            pos[0] = j + 1;
            return true;
        }
        int j = i;
        while (j < s.length() && !CNumbers.isDigit(s.charAt(j)) && ",-+".indexOf(s.charAt(j)) < 0) {
            j++;
        }
        if (j == i) {
            return false;
        }
        pos[0] = j;
        return true;
    }

    private static boolean offset(String s, int[] pos) {
        int i = pos[0];
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int[] limits = {MAX_OFFSET_HOURS, 59, 60};
        for (int part = 0; part < 3; part++) {
            if (part > 0) {
                if (i >= s.length() || s.charAt(i) != ':') {
                    break;
                }
                i++;
            }
            int start = i;
            long v = 0;
            while (i < s.length() && CNumbers.isDigit(s.charAt(i)) && i - start < 10) {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start || v > limits[part]) {
                return false;
            }
        }
        pos[0] = i;
        return true;
    }
}
