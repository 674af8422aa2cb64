package modgres.sql.types;

/*
 * Design notes
 * ------------
 * to_char / to_timestamp / to_date templates as PostgreSQL's formatting.c,
 * for the common patterns: a template is split into keyword nodes (longest
 * match, case-sensitive where the case of names matters: Month/MONTH/month),
 * with FM prefix (no padding) and TH/th suffix (ordinal), "quoted text",
 * backslash escapes, and literal characters. Numeric templates (9 0 . , D G
 * S MI PL SG PR FM EEEE) are handled by a separate small processor.
 */

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import modgres.api.error.PgException;

/** to_char, to_timestamp, to_date and to_number templates. */
public final class Formatting {
    private Formatting() {
    }

    private static final String[] KEYWORDS = {"A.D.", "A.M.", "AD", "AM", "B.C.", "BC", "CC", "DAY", "DDD", "DD", "DY",
        "Day", "Dy", "D", "FF1", "FF2", "FF3", "FF4", "FF5", "FF6", "FX", "HH24", "HH12", "HH", "IDDD", "ID", "IW", "IYYY",
        "IYY", "IY", "I", "J", "MI", "MM", "MONTH", "MON", "MS", "Month", "Mon", "OF", "P.M.", "PM", "Q", "RM", "SSSSS",
        "SSSS", "SS", "TZH", "TZM", "TZ", "US", "WW", "W", "Y,YYY", "YYYY", "YYY", "YY", "Y", "a.d.", "a.m.", "ad", "am",
        "b.c.", "bc", "cc", "day", "ddd", "dd", "dy", "d", "ff1", "ff2", "ff3", "ff4", "ff5", "ff6", "fx", "hh24", "hh12",
        "hh", "iddd", "id", "iw", "iyyy", "iyy", "iy", "i", "j", "mi", "mm", "month", "mon", "ms", "of", "p.m.", "pm",
        "q", "rm", "sssss", "ssss", "ss", "tzh", "tzm", "tz", "us", "ww", "w", "y,yyy", "yyyy", "yyy", "yy", "y"};

    private record Node(String key, boolean fm, boolean th, boolean upperTh, String literal) {
    }

    private static List<Node> parse(String fmt) {
        List<Node> out = new ArrayList<>();
        int i = 0;
        int n = fmt.length();
        while (i < n) {
            boolean fm = false;
            if (fmt.startsWith("FM", i) || fmt.startsWith("fm", i)) {
                fm = true;
                i += 2;
                if (i >= n) {
                    break;
                }
            }
            String kw = null;
            for (String k : KEYWORDS) {
                if (fmt.startsWith(k, i)) {
                    kw = k;
                    break;
                }
            }
            if (kw != null) {
                i += kw.length();
                boolean th = false;
                boolean upper = false;
                if (fmt.startsWith("TH", i)) {
                    th = true;
                    upper = true;
                    i += 2;
                } else if (fmt.startsWith("th", i)) {
                    th = true;
                    i += 2;
                }
                out.add(new Node(kw, fm, th, upper, null));
                continue;
            }
            char c = fmt.charAt(i);
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && fmt.charAt(i) != '"') {
                    if (fmt.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    sb.append(fmt.charAt(i++));
                }
                i++;
                out.add(new Node(null, false, false, false, sb.toString()));
                continue;
            }
            if (c == '\\' && i + 1 < n && fmt.charAt(i + 1) == '"') {
                out.add(new Node(null, false, false, false, "\""));
                i += 2;
                continue;
            }
            out.add(new Node(null, false, false, false, String.valueOf(c)));
            i++;
        }
        return out;
    }

    static String ordinal(long v, boolean upper) {
        long a = Math.abs(v) % 100;
        String s;
        if (a >= 11 && a <= 13) {
            s = "th";
        } else {
            s = switch ((int) (a % 10)) {
                case 1 -> "st";
                case 2 -> "nd";
                case 3 -> "rd";
                default -> "th";
            };
        }
        return upper ? s.toUpperCase(Locale.ROOT) : s;
    }

    private static String num(long v, int width, boolean fm) {
        if (fm || width <= 0) {
            return Long.toString(v);
        }
        String s = Long.toString(Math.abs(v));
        StringBuilder sb = new StringBuilder(v < 0 ? "-" : "");
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s).toString();
    }

    private static String padName(String name, boolean fm, int width) {
        if (fm || name.length() >= width) {
            return name;
        }
        return name + " ".repeat(width - name.length());
    }

    private static String caseAs(String key, String name) {
        if (Character.isLowerCase(key.charAt(0))) {
            return name.toLowerCase(Locale.ROOT);
        }
        if (key.length() > 1 && Character.isUpperCase(key.charAt(1))) {
            return name.toUpperCase(Locale.ROOT);
        }
        return name;
    }

    private static final String[] ROMAN = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"};

    /** to_char(timestamp[tz]|interval, template). {@code zone}: for timestamptz, the session zone. */
    static String formatTm(DateTime.Tm tm, boolean isInterval, String tzAbbrev, String fmt) {
        StringBuilder sb = new StringBuilder();
        int year = tm.year;
        int adjYear = isInterval ? year : (year <= 0 ? -(year - 1) : year);
        for (Node nd : parse(fmt)) {
            if (nd.literal != null) {
                sb.append(nd.literal);
                continue;
            }
            String k = nd.key;
            String up = k.toUpperCase(Locale.ROOT);
            long numeric = Long.MIN_VALUE;
            String text = null;
            switch (up) {
                case "A.D.", "B.C.":
                    text = caseAs(k, year <= 0 && !isInterval ? "B.C." : "A.D.");
                    break;
                case "AD", "BC":
                    text = caseAs(k, year <= 0 && !isInterval ? "BC" : "AD");
                    break;
                case "A.M.", "P.M.":
                    text = caseAs(k, tm.hour % 24 >= 12 ? "P.M." : "A.M.");
                    break;
                case "AM", "PM":
                    text = caseAs(k, tm.hour % 24 >= 12 ? "PM" : "AM");
                    break;
                case "HH", "HH12": {
                    int h = tm.hour % 12;
                    numeric = h == 0 ? 12 : h;
                    text = num(numeric, 2, nd.fm);
                    break;
                }
                case "HH24":
                    numeric = tm.hour;
                    text = num(numeric, 2, nd.fm);
                    break;
                case "MI":
                    numeric = tm.min;
                    text = num(numeric, 2, nd.fm);
                    break;
                case "SS":
                    numeric = tm.sec;
                    text = num(numeric, 2, nd.fm);
                    break;
                case "MS":
                    numeric = tm.fsec / 1000;
                    text = num(numeric, 3, nd.fm);
                    break;
                case "US":
                    numeric = tm.fsec;
                    text = num(numeric, 6, nd.fm);
                    break;
                case "FF1", "FF2", "FF3", "FF4", "FF5", "FF6": {
                    int d = up.charAt(2) - '0';
                    numeric = tm.fsec / (long) Math.pow(10, 6 - d);
                    text = num(numeric, d, nd.fm);
                    break;
                }
                case "SSSS", "SSSSS":
                    numeric = (tm.hour * 60L + tm.min) * 60 + tm.sec;
                    text = Long.toString(numeric);
                    break;
                case "Y,YYY":
                    text = (adjYear / 1000) + "," + num(adjYear % 1000, 3, false);
                    break;
                case "YYYY":
                    numeric = adjYear;
                    text = num(numeric, 4, nd.fm);
                    break;
                case "YYY":
                    numeric = adjYear % 1000;
                    text = num(numeric, 3, nd.fm);
                    break;
                case "YY":
                    numeric = adjYear % 100;
                    text = num(numeric, 2, nd.fm);
                    break;
                case "Y":
                    numeric = adjYear % 10;
                    text = Long.toString(numeric);
                    break;
                case "IYYY", "IYY", "IY", "I": {
                    int iy = isInterval ? year : DateTimeOps.isoYear(tm.year, tm.mon, tm.mday);
                    iy = iy <= 0 ? -(iy - 1) : iy;
                    int w = up.length();
                    numeric = w == 4 ? iy : iy % (int) Math.pow(10, w);
                    text = num(numeric, w, nd.fm);
                    break;
                }
                case "MM":
                    numeric = tm.mon;
                    text = num(numeric, 2, nd.fm);
                    break;
                case "MONTH":
                    text = tm.mon == 0 ? "" : padName(caseAs(k, DateTime.MONTH_NAMES[tm.mon - 1]), nd.fm, 9);
                    break;
                case "MON":
                    text = tm.mon == 0 ? "" : caseAs(k, DateTime.MONTHS[tm.mon - 1]);
                    break;
                case "DAY", "DY", "D", "ID": {
                    int dow = DateTime.j2day(DateTime.date2j(tm.year, tm.mon, tm.mday));
                    if (up.equals("DAY")) {
                        text = padName(caseAs(k, DateTime.DAY_NAMES[dow]), nd.fm, 9);
                    } else if (up.equals("DY")) {
                        text = caseAs(k, DateTime.DAYS[dow]);
                    } else if (up.equals("D")) {
                        numeric = dow + 1;
                        text = Long.toString(numeric);
                    } else {
                        numeric = dow == 0 ? 7 : dow;
                        text = Long.toString(numeric);
                    }
                    break;
                }
                case "DDD":
                    numeric = isInterval ? tm.mday
                            : DateTime.date2j(tm.year, tm.mon, tm.mday) - DateTime.date2j(tm.year, 1, 1) + 1;
                    text = num(numeric, 3, nd.fm);
                    break;
                case "IDDD": {
                    int iy = DateTimeOps.isoYear(tm.year, tm.mon, tm.mday);
                    numeric = DateTime.date2j(tm.year, tm.mon, tm.mday) - DateTimeOps.isoWeek2j(iy, 1) + 1;
                    text = num(numeric, 3, nd.fm);
                    break;
                }
                case "DD":
                    numeric = tm.mday;
                    text = num(numeric, 2, nd.fm);
                    break;
                case "W":
                    numeric = (tm.mday - 1) / 7 + 1;
                    text = Long.toString(numeric);
                    break;
                case "WW":
                    numeric = (DateTime.date2j(tm.year, tm.mon, tm.mday) - DateTime.date2j(tm.year, 1, 1)) / 7 + 1;
                    text = num(numeric, 2, nd.fm);
                    break;
                case "IW":
                    numeric = DateTimeOps.isoWeek(tm.year, tm.mon, tm.mday);
                    text = num(numeric, 2, nd.fm);
                    break;
                case "CC": {
                    int c = isInterval ? year / 100 : year > 0 ? ((year - 1) / 100) + 1 : year / 100 - 1;
                    numeric = c;
                    text = (c <= 99 && c >= -99) ? num(c, nd.fm ? 0 : (c >= 0 ? 2 : 3), nd.fm) : Integer.toString(c);
                    break;
                }
                case "Q":
                    numeric = (tm.mon - 1) / 3 + 1;
                    text = Long.toString(numeric);
                    break;
                case "J":
                    numeric = DateTime.date2j(tm.year, tm.mon, tm.mday);
                    text = Long.toString(numeric);
                    break;
                case "RM":
                    text = tm.mon == 0 ? "" : caseAs(k.equals("rm") ? "rm" : "RM", ROMAN[tm.mon - 1]);
                    if (!nd.fm) {
                        text = padName(text, false, 4);
                    }
                    break;
                case "TZ":
                    text = tzAbbrev == null ? "" : caseAs(k.equals("tz") ? "tz" : "TZ", tzAbbrev);
                    break;
                case "OF": {
                    if (tzAbbrev != null) {
                        StringBuilder o = new StringBuilder();
                        DateTime.encodeTimezone(o, tm.tzEast);
                        text = o.toString();
                        if (text.length() == 3 && false) {
                            text = text + ":00";
                        }
                    } else {
                        text = "";
                    }
                    break;
                }
                case "TZH": {
                    int h = Math.abs(tm.tzEast) / 3600;
                    text = (tm.tzEast >= 0 ? "+" : "-") + num(h, 2, nd.fm);
                    break;
                }
                case "TZM":
                    text = num((Math.abs(tm.tzEast) / 60) % 60, 2, nd.fm);
                    break;
                case "FX":
                    text = "";
                    break;
                default:
                    text = "";
            }
            sb.append(text);
            if (nd.th && numeric != Long.MIN_VALUE) {
                sb.append(ordinal(numeric, nd.upperTh));
            }
        }
        return sb.toString();
    }

    /** to_char(timestamp, fmt). */
    public static String toChar(long ts, String fmt) {
        if (DateTimeOps.infinite(ts)) {
            return null;
        }
        return formatTm(DateTime.timestamp2tm(ts, null), false, null, fmt);
    }

    /** to_char(timestamptz, fmt) in {@code zone}. */
    public static String toChar(long ts, ZoneId zone, String fmt) {
        if (DateTimeOps.infinite(ts)) {
            return null;
        }
        DateTime.Tm tm = DateTime.timestamp2tm(ts, zone);
        String abbrev = DateTime.zoneAbbrev(ts, zone);
        if (abbrev == null) {
            StringBuilder o = new StringBuilder();
            DateTime.encodeTimezone(o, tm.tzEast);
            abbrev = o.toString();
        }
        return formatTm(tm, false, abbrev, fmt);
    }

    /** to_char(interval, fmt). */
    public static String toChar(Interval iv, String fmt) {
        DateTime.Tm tm = new DateTime.Tm();
        tm.year = iv.months() / 12;
        tm.mon = iv.months() % 12;
        tm.mday = iv.days();
        long t = iv.micros();
        tm.hour = (int) (t / DateTime.USECS_PER_HOUR);
        t -= tm.hour * DateTime.USECS_PER_HOUR;
        tm.min = (int) (t / DateTime.USECS_PER_MINUTE);
        t -= tm.min * DateTime.USECS_PER_MINUTE;
        tm.sec = (int) (t / 1_000_000);
        tm.fsec = t - tm.sec * 1_000_000L;
        return formatTm(tm, true, null, fmt);
    }

    // ---------------------------------------------------------------- to_timestamp / to_date

    private static PgException invalidValue(String value, String key) {
        return new PgException("22007", "invalid value \"" + value + "\" for \"" + key + "\"");
    }

    /** Parses {@code input} by the template into a Tm (local fields; tzSet when TZH/TZM given). */
    static DateTime.Tm parseByTemplate(String input, String fmt) {
        DateTime.Tm tm = new DateTime.Tm(1, 1, 1);
        boolean yearSet = false;
        boolean bc = false;
        int pm = -1;
        boolean hh12 = false;
        int tzh = 0;
        int tzm = 0;
        boolean tzSet = false;
        int doy = -1;
        List<Node> nodes = parse(fmt);
        int pos = 0;
        int n = input.length();
        for (int ni = 0; ni < nodes.size(); ni++) {
            Node nd = nodes.get(ni);
            if (nd.literal != null) {
                String lit = nd.literal;
                if (lit.isBlank()) {
                    while (pos < n && Character.isWhitespace(input.charAt(pos))) {
                        pos++;
                    }
                } else if (lit.length() == 1 && !Character.isLetterOrDigit(lit.charAt(0))) {
                    while (pos < n && Character.isWhitespace(input.charAt(pos))) {
                        pos++;
                    }
                    if (pos < n && !Character.isLetterOrDigit(input.charAt(pos))) {
                        pos++;
                    }
                } else {
                    pos = Math.min(n, pos + lit.length());
                }
                continue;
            }
            String up = nd.key.toUpperCase(Locale.ROOT);
            while (pos < n && Character.isWhitespace(input.charAt(pos)) && !up.equals("FX")) {
                pos++;
            }
            boolean nextIsDigitField = ni + 1 < nodes.size() && nodes.get(ni + 1).key != null
                    && !nodes.get(ni + 1).key.matches("(?i)month|mon|day|dy|am|pm|a\\.m\\.|p\\.m\\.|ad|bc|tz|rm");
            switch (up) {
                case "MONTH", "MON": {
                    int found = -1;
                    for (int m = 0; m < 12 && found < 0; m++) {
                        String name = up.equals("MONTH") ? DateTime.MONTH_NAMES[m] : DateTime.MONTHS[m];
                        if (input.regionMatches(true, pos, name, 0, name.length())) {
                            found = m;
                            pos += name.length();
                        }
                    }
                    if (found < 0) {
                        throw invalidValue(rest(input, pos), nd.key);
                    }
                    tm.mon = found + 1;
                    continue;
                }
                case "DAY", "DY": {
                    boolean ok = false;
                    for (int d = 0; d < 7 && !ok; d++) {
                        String name = up.equals("DAY") ? DateTime.DAY_NAMES[d] : DateTime.DAYS[d];
                        if (input.regionMatches(true, pos, name, 0, name.length())) {
                            ok = true;
                            pos += name.length();
                        }
                    }
                    if (!ok) {
                        throw invalidValue(rest(input, pos), nd.key);
                    }
                    continue;
                }
                case "AM", "PM", "A.M.", "P.M.": {
                    String[] opts = up.length() == 2 ? new String[] {"AM", "PM"} : new String[] {"A.M.", "P.M."};
                    if (input.regionMatches(true, pos, opts[0], 0, opts[0].length())) {
                        pm = 0;
                    } else if (input.regionMatches(true, pos, opts[1], 0, opts[1].length())) {
                        pm = 1;
                    } else {
                        throw invalidValue(rest(input, pos), nd.key);
                    }
                    pos += opts[0].length();
                    continue;
                }
                case "AD", "BC", "A.D.", "B.C.": {
                    String[] opts = up.length() == 2 ? new String[] {"AD", "BC"} : new String[] {"A.D.", "B.C."};
                    if (input.regionMatches(true, pos, opts[1], 0, opts[1].length())) {
                        bc = true;
                    } else if (!input.regionMatches(true, pos, opts[0], 0, opts[0].length())) {
                        throw invalidValue(rest(input, pos), nd.key);
                    }
                    pos += opts[0].length();
                    continue;
                }
                case "FX", "TZ", "OF":
                    continue;
                default:
            }
            int width = switch (up) {
                case "YYYY", "IYYY" -> 4;
                case "YYY", "IYY", "DDD", "MS", "IDDD" -> 3;
                case "US" -> 6;
                case "Y", "I", "D", "ID", "Q", "W" -> 1;
                case "J", "SSSS", "SSSSS", "Y,YYY" -> 10;
                default -> up.startsWith("FF") ? up.charAt(2) - '0' : 2;
            };
            int start = pos;
            boolean neg = false;
            if (up.equals("TZH") && pos < n && (input.charAt(pos) == '+' || input.charAt(pos) == '-')) {
                neg = input.charAt(pos) == '-';
                pos++;
                start = pos;
            }
            int limit = nextIsDigitField || nd.fm ? width : Integer.MAX_VALUE;
            if (up.equals("Y,YYY")) {
                while (pos < n && (Character.isDigit(input.charAt(pos)) || input.charAt(pos) == ',')) {
                    pos++;
                }
            } else {
                while (pos < n && Character.isDigit(input.charAt(pos)) && pos - start < limit) {
                    pos++;
                }
            }
            String digits = input.substring(start, pos).replace(",", "");
            if (digits.isEmpty()) {
                throw new PgException("22007", "invalid value \"" + rest(input, start) + "\" for \"" + nd.key + "\"",
                        "Value must be an integer.", null);
            }
            long v;
            try {
                v = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new PgException("22008", "value for \"" + nd.key + "\" in source string is out of range");
            }
            switch (up) {
                case "YYYY", "Y,YYY", "IYYY" -> {
                    tm.year = (int) v;
                    yearSet = true;
                }
                case "YYY", "IYY" -> {
                    tm.year = (int) (v < 100 ? v + 2000 : v + 1000);
                    yearSet = true;
                }
                case "YY", "IY" -> {
                    tm.year = (int) (v < 70 ? v + 2000 : v + 1900);
                    yearSet = true;
                }
                case "Y", "I" -> {
                    tm.year = (int) v + 2000;
                    yearSet = true;
                }
                case "MM" -> tm.mon = (int) v;
                case "DD" -> tm.mday = (int) v;
                case "DDD" -> doy = (int) v;
                case "HH", "HH12" -> {
                    tm.hour = (int) v;
                    hh12 = true;
                }
                case "HH24" -> tm.hour = (int) v;
                case "MI" -> tm.min = (int) v;
                case "SS" -> tm.sec = (int) v;
                case "MS" -> tm.fsec = v * (long) Math.pow(10, 3 - digits.length()) * 1000;
                case "US" -> tm.fsec = v * (long) Math.pow(10, 6 - digits.length());
                case "FF1", "FF2", "FF3", "FF4", "FF5", "FF6" -> tm.fsec = v * (long) Math.pow(10, 6 - digits.length());
                case "SSSS", "SSSSS" -> {
                    tm.hour = (int) (v / 3600);
                    tm.min = (int) (v / 60 % 60);
                    tm.sec = (int) (v % 60);
                }
                case "J" -> {
                    int[] ymd = DateTime.j2date((int) v);
                    tm.year = ymd[0];
                    tm.mon = ymd[1];
                    tm.mday = ymd[2];
                    yearSet = true;
                }
                case "TZH" -> {
                    tzh = (int) (neg ? -v : v);
                    tzSet = true;
                }
                case "TZM" -> {
                    tzm = (int) v;
                    tzSet = true;
                }
                case "CC", "D", "ID", "W", "WW", "IW", "Q" -> {
                }
                default -> {
                }
            }
        }
        if (hh12 || pm >= 0) {
            if (tm.hour < 1 || tm.hour > 12) {
                throw new PgException("22008", "hour \"" + tm.hour + "\" is invalid for the 12-hour clock", null,
                        "Use the 24-hour clock, or give an hour between 1 and 12.");
            }
            if (pm == 1 && tm.hour < 12) {
                tm.hour += 12;
            } else if (pm != 1 && tm.hour == 12) {
                tm.hour = 0;
            }
        }
        if (bc && yearSet) {
            tm.year = -(tm.year - 1);
        }
        if (doy > 0) {
            int[] ymd = DateTime.j2date(DateTime.date2j(tm.year, 1, 1) + doy - 1);
            tm.mon = ymd[1];
            tm.mday = ymd[2];
        }
        if (tm.mon < 1 || tm.mon > 12 || tm.mday < 1 || tm.mday > DateTime.daysInMonth(tm.year, tm.mon)) {
            throw new PgException("22008", "date/time field value out of range: \"" + input + "\"");
        }
        if (tm.hour > 24 || tm.min > 59 || tm.sec > 60) {
            throw new PgException("22008", "date/time field value out of range: \"" + input + "\"");
        }
        if (tzSet) {
            tm.tzSet = true;
            tm.tzEast = tzh * 3600 + (tzh < 0 ? -tzm : tzm) * 60;
        }
        return tm;
    }

    private static String rest(String s, int pos) {
        int e = pos;
        while (e < s.length() && !Character.isWhitespace(s.charAt(e))) {
            e++;
        }
        return s.substring(pos, e);
    }

    /** to_timestamp(text, fmt) → timestamptz (local time in {@code zone} unless TZH/TZM given). */
    public static long toTimestamp(String input, String fmt, ZoneId zone) {
        DateTime.Tm tm = parseByTemplate(input, fmt);
        if (!tm.tzSet) {
            tm.tzEast = DateTime.localOffset(tm, zone);
        }
        Long r = DateTime.tm2timestamp(tm, true);
        if (r == null) {
            throw new PgException("22008", "timestamp out of range");
        }
        return r;
    }

    /** to_date(text, fmt). */
    public static int toDate(String input, String fmt) {
        DateTime.Tm tm = parseByTemplate(input, fmt);
        if (!DateTime.isValidJulian(tm.year, tm.mon, tm.mday)) {
            throw new PgException("22008", "date out of range: \"" + input + "\"");
        }
        return DateTime.date2j(tm.year, tm.mon, tm.mday) - DateTime.POSTGRES_EPOCH_JDATE;
    }

    // ---------------------------------------------------------------- numbers

    /** to_char(number, fmt) for numeric (BigDecimal/specials), integers and floats. */
    public static String toChar(Object value, String fmt) {
        BigDecimal v;
        if (value instanceof NumericSpecial || (value instanceof Double d && (d.isNaN() || d.isInfinite()))
                || (value instanceof Float f && (f.isNaN() || f.isInfinite()))) {
            v = null;
        } else if (value instanceof BigDecimal b) {
            v = b;
        } else if (value instanceof Double d) {
            v = new BigDecimal(Double.toString(d));
        } else if (value instanceof Float f) {
            v = new BigDecimal(Float.toString(f));
        } else {
            v = BigDecimal.valueOf(((Number) value).longValue());
        }
        boolean fm = false;
        int intDigits = 0;
        int fracDigits = 0;
        boolean seenPoint = false;
        boolean signAnywhere = false;
        boolean pr = false;
        boolean eeee = fmt.toUpperCase(Locale.ROOT).contains("EEEE");
        int vshift = 0;
        // quoted literals (with \" inside) become private-use placeholders while counting and formatting
        List<String> literals = new ArrayList<>();
        StringBuilder masked = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c == '"') {
                StringBuilder lit = new StringBuilder();
                i++;
                while (i < fmt.length() && fmt.charAt(i) != '"') {
                    if (fmt.charAt(i) == '\\' && i + 1 < fmt.length()) {
                        i++;
                    }
                    lit.append(fmt.charAt(i++));
                }
                masked.append((char) (0xE000 + literals.size()));
                literals.add(lit.toString());
            } else {
                masked.append(c);
            }
        }
        fmt = masked.toString();
        String up = fmt.toUpperCase(Locale.ROOT);
        int zeroStart = -1;
        for (int i = 0, digitIdx = 0; i < up.length(); i++) {
            char c = up.charAt(i);
            if (c == '.' || c == 'D') {
                break;
            }
            if (c == '9' || c == '0') {
                if (c == '0' && zeroStart < 0) {
                    zeroStart = digitIdx;
                }
                digitIdx++;
            }
        }
        for (int i = 0; i < fmt.length(); i++) {
            char c = up.charAt(i);
            if (up.startsWith("FM", i)) {
                fm = true;
                i++;
            } else if (c == '9' || c == '0') {
                if (seenPoint) {
                    fracDigits++;
                } else {
                    intDigits++;
                }
            } else if (c == '.' || c == 'D') {
                seenPoint = true;
            } else if (c == 'S' || up.startsWith("MI", i) || up.startsWith("PL", i) || up.startsWith("SG", i)) {
                signAnywhere = true;
            } else if (up.startsWith("PR", i)) {
                pr = true;
            } else if (c == 'V') {
                int k = i + 1;
                while (k < up.length() && (up.charAt(k) == '9' || up.charAt(k) == '0')) {
                    vshift++;
                    k++;
                }
            }
        }
        if (eeee && v != null) {
            BigDecimal a = v.abs();
            int exp = a.signum() == 0 ? 0 : a.precision() - a.scale() - 1;
            BigDecimal mant = a.movePointLeft(exp).setScale(fracDigits, RoundingMode.HALF_UP);
            if (mant.compareTo(BigDecimal.TEN) >= 0) {
                exp++;
                mant = a.movePointLeft(exp).setScale(fracDigits, RoundingMode.HALF_UP);
            }
            String e = String.format("%se%s%02d", mant.toPlainString(), exp < 0 ? "-" : "+", Math.abs(exp));
            return (v.signum() < 0 ? "-" : fm ? "" : " ") + e;
        }
        boolean overflow = v == null;
        String intPart = "";
        String fracPart = "";
        boolean negative = false;
        if (v != null) {
            BigDecimal r = v.movePointRight(vshift).setScale(fracDigits, RoundingMode.HALF_UP);
            negative = r.signum() < 0;
            String plain = r.abs().toPlainString();
            int dot = plain.indexOf('.');
            intPart = dot < 0 ? plain : plain.substring(0, dot);
            fracPart = dot < 0 ? "" : plain.substring(dot + 1);
            if (intPart.equals("0") && (seenPoint || intDigits == 0)) {
                intPart = seenPoint && fracDigits > 0 ? "" : intPart;
            }
            if (intPart.length() > intDigits) {
                overflow = true;
            }
        }
        // the sign slot sits just before the first printed digit (or point)
        boolean leadingS = false;
        for (int i = 0; i < up.length(); i++) {
            char c = up.charAt(i);
            if (c == '9' || c == '0' || c == '.' || c == 'D') {
                break;
            }
            if (c == 'S') {
                leadingS = true;
                break;
            }
        }
        boolean otherSign = false;
        for (int i = 0; i < up.length(); i++) {
            if (up.startsWith("MI", i) || up.startsWith("SG", i)
                    || (up.charAt(i) == 'S' && !leadingS && !up.startsWith("SG", i))) {
                otherSign = true;
            }
        }
        String slot;
        if (otherSign) {
            slot = "";
        } else if (leadingS) {
            slot = negative ? "-" : "+";
        } else if (pr) {
            slot = negative ? "<" : (fm ? "" : " ");
        } else {
            slot = negative ? "-" : (fm ? "" : " ");
        }
        StringBuilder out = new StringBuilder();
        List<Integer> nineFrac = new ArrayList<>();
        int intPos = 0;
        int fracPos = 0;
        boolean started = false;
        boolean pointDone = false;
        int leadPad = intDigits - intPart.length();
        boolean signPrinted = false;
        // find where the implicit sign goes: before the first printed digit
        for (int i = 0; i < fmt.length(); i++) {
            char c = up.charAt(i);
            if (up.startsWith("FM", i)) {
                i++;
                continue;
            }
            if (up.startsWith("EEEE", i)) {
                i += 3;
                continue;
            }
            if (c == '9' || c == '0') {
                if (!pointDone) {
                    int idx = intPos++;
                    if (overflow) {
                        if (!signPrinted) {
                            out.append(fm ? "" : " ");
                            signPrinted = true;
                        }
                        out.append('#');
                        continue;
                    }
                    if (idx < leadPad) {
                        if (c == '0' || (zeroStart >= 0 && idx >= zeroStart)) {
                            if (!signPrinted) {
                                out.append(slot);
                                signPrinted = true;
                            }
                            out.append('0');
                            started = true;
                        } else if (!fm) {
                            out.append(' ');
                        }
                    } else {
                        if (!signPrinted) {
                            out.append(slot);
                            signPrinted = true;
                        }
                        out.append(intPart.charAt(idx - leadPad));
                        started = true;
                    }
                } else {
                    int idx = fracPos++;
                    if (overflow) {
                        out.append('#');
                        continue;
                    }
                    char d = idx < fracPart.length() ? fracPart.charAt(idx) : '0';
                    if (c == '9') {
                        nineFrac.add(out.length());
                    } else {
                        nineFrac.clear();
                    }
                    out.append(d);
                }
            } else if (c == '.' || c == 'D') {
                if (!signPrinted) {
                    out.append(overflow ? (fm ? "" : " ") : slot);
                    signPrinted = true;
                }
                pointDone = true;
                out.append(overflow ? '#' : '.');
                if (c == '.' || c == 'D') {
                    started = true;
                }
            } else if (c == ',' || c == 'G') {
                if (started) {
                    out.append(',');
                } else if (!fm) {
                    out.append(' ');
                }
            } else if (up.startsWith("SG", i)) {
                out.append(negative ? '-' : '+');
                i++;
            } else if (c == 'S') {
                if (!leadingS) {
                    out.append(negative ? '-' : '+');
                }
            } else if (up.startsWith("MI", i)) {
                out.append(negative ? '-' : (fm ? "" : " "));
                i++;
            } else if (up.startsWith("PL", i)) {
                out.append(negative ? (fm ? "" : " ") : "+");
                i++;
            } else if (up.startsWith("SG", i)) {
                out.append(negative ? '-' : '+');
                i++;
            } else if (up.startsWith("PR", i)) {
                out.append(negative ? ">" : (fm ? "" : " "));
                i++;
            } else if (up.startsWith("TH", i)) {
                if (!negative && !intPart.isEmpty()) {
                    out.append(ordinal(Long.parseLong(intPart.isEmpty() ? "0" : intPart), fmt.charAt(i) == 'T'));
                }
                i++;
            } else if (c == 'V') {
                // digits after V already shifted
            } else if (c >= 0xE000 && c < 0xE000 + literals.size()) {
                out.append(literals.get(c - 0xE000));
            } else if (c == 'L') {
                out.append(' '); // the C locale's currency symbol
            } else {
                out.append(fmt.charAt(i));
            }
        }
        if (fm && !overflow) {
            // FM drops the trailing zeros printed for '9' fraction positions
            for (int k = nineFrac.size() - 1; k >= 0; k--) {
                int at = nineFrac.get(k);
                if (at != out.length() - 1 - trailingAfter(out, nineFrac) || out.charAt(at) != '0') {
                    break;
                }
                out.deleteCharAt(at);
                nineFrac.remove(k);
            }
        }
        if (fm && !overflow && out.indexOf(".") >= 0 && !out.chars().anyMatch(Character::isDigit)) {
            out.insert(out.indexOf("."), '0'); // FM never leaves a bare point
        }
        String s = out.toString();
        return s;
    }

    /** Characters after the last fraction digit (suffixes such as '>' or MI). */
    private static int trailingAfter(StringBuilder out, List<Integer> nineFrac) {
        int last = nineFrac.get(nineFrac.size() - 1);
        return out.length() - 1 - last;
    }

    /** to_number(text, fmt): digits, sign and decimal point of the input under the template. */
    public static Object toNumber(String input, String fmt) {
        StringBuilder digits = new StringBuilder();
        boolean neg = false;
        boolean point = false;
        int fracDigitsFmt = 0;
        boolean seen = false;
        for (char c : fmt.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '.' || c == 'D') {
                seen = true;
            } else if ((c == '9' || c == '0') && seen) {
                fracDigitsFmt++;
            }
        }
        for (char c : input.toCharArray()) {
            if (Character.isDigit(c)) {
                digits.append(c);
            } else if ((c == '.') && !point) {
                point = true;
                digits.append('.');
            } else if (c == '-' || c == '<') {
                neg = true;
            }
        }
        if (digits.length() == 0 || digits.toString().equals(".")) {
            throw new PgException("22P02", "invalid input syntax for type numeric: \" \"");
        }
        BigDecimal r = new BigDecimal(digits.toString());
        if (seen) {
            r = r.setScale(fracDigitsFmt, RoundingMode.HALF_UP);
        }
        return neg ? r.negate() : r;
    }
}
