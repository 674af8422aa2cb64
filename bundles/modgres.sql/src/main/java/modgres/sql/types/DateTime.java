package modgres.sql.types;

/*
 * Design notes
 * ------------
 * Date/time text input and output following PostgreSQL's datetime.c:
 *
 *   input string --tokenize()--> fields (NUMBER, STRING, DATE, TIME, TZ, SPECIAL)
 *        fields --decodeDateTime() / decodeTimeOnly() / decodeInterval()--> Tm
 *        Tm     --toDate() / toTimestamp() / ...--> internal value
 *
 * Each decoded piece sets bits in a field mask (fmask); a bit set twice is a
 * syntax error, and the mask decides how an ambiguous number is read
 * (DateOrder MDY/DMY/YMD, "have a text month", concatenated YYYYMMDD/hhmmss).
 * Errors are PostgreSQL's: 22007 bad format, 22008 field value out of range
 * (with the datestyle hint for a month/day swap), 22009 time zone
 * displacement, 22015 interval field overflow.
 *
 * Internal values: date = days since 2000-01-01 (Integer.MIN/MAX_VALUE =
 * -infinity/infinity); timestamp(tz) = microseconds since 2000-01-01 00:00
 * (UTC for timestamptz; Long.MIN/MAX_VALUE = -infinity/infinity);
 * time = microseconds since midnight. Years are astronomical internally
 * (0 = 1 BC), as PostgreSQL's struct pg_tm.
 *
 * Time zones: offsets here are seconds EAST of UTC (java.time's sign),
 * the opposite of PostgreSQL's internal tz. A local time falling in a DST
 * gap takes the offset before the transition, one in an overlap the offset
 * after it (DetermineTimeZoneOffset).
 */

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import modgres.api.error.PgException;

/** Date/time parsing and formatting as PostgreSQL's datetime.c, and the calendar arithmetic helpers. */
public final class DateTime {
    public static final int POSTGRES_EPOCH_JDATE = 2451545;
    public static final int UNIX_EPOCH_JDATE = 2440588;
    public static final long USECS_PER_SEC = 1_000_000L;
    public static final long USECS_PER_MINUTE = 60_000_000L;
    public static final long USECS_PER_HOUR = 3_600_000_000L;
    public static final long USECS_PER_DAY = 86_400_000_000L;
    public static final int DATE_NOBEGIN = Integer.MIN_VALUE;
    public static final int DATE_NOEND = Integer.MAX_VALUE;
    public static final long DT_NOBEGIN = Long.MIN_VALUE;
    public static final long DT_NOEND = Long.MAX_VALUE;
    /** First valid timestamp (4714-11-24 BC 00:00) and first invalid one (294277-01-01). */
    public static final long MIN_TIMESTAMP = -211813488000000000L;
    public static final long END_TIMESTAMP = 9223371331200000000L;
    static final int DATETIME_MIN_JULIAN = 0;
    static final int DATE_END_JULIAN = 2147483494;
    static final long SECS_UNIX_TO_PG = 946_684_800L;

    static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static final String[] MONTH_NAMES = {"January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December"};
    static final String[] DAYS = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static final String[] DAY_NAMES = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    static final int[][] DAY_TAB = {{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
        {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}};

    // field types from the tokenizer
    static final int F_NUMBER = 0;
    static final int F_STRING = 1;
    static final int F_DATE = 2;
    static final int F_TIME = 3;
    static final int F_TZ = 4;
    static final int F_SPECIAL = 6;

    // token kinds (PostgreSQL's field type numbers; DTK_M(x) = 1 << x)
    static final int RESERV = 0;
    static final int MONTH = 1;
    static final int YEAR = 2;
    static final int DAY = 3;
    static final int TZ = 5;
    static final int DTZ = 6;
    static final int IGNORE = 8;
    static final int AMPM = 9;
    static final int HOUR = 10;
    static final int MINUTE = 11;
    static final int SECOND = 12;
    static final int MILLISECOND = 13;
    static final int MICROSECOND = 14;
    static final int DOY = 15;
    static final int DOW = 16;
    static final int UNITS = 17;
    static final int ADBC = 18;
    static final int AGO = 19;
    static final int ISOTIME = 23;
    static final int DTZMOD = 28;
    static final int DATE_M = (1 << YEAR) | (1 << MONTH) | (1 << DAY);
    static final int TIME_M = (1 << HOUR) | (1 << MINUTE) | (1 << SECOND) | (1 << MILLISECOND) | (1 << MICROSECOND);
    static final int ALL_SECS_M = (1 << SECOND) | (1 << MILLISECOND) | (1 << MICROSECOND);

    // RESERV values
    static final int DTK_NOW = 1;
    static final int DTK_TODAY = 2;
    static final int DTK_TOMORROW = 3;
    static final int DTK_YESTERDAY = 4;
    static final int DTK_ZULU = 5;
    static final int DTK_EPOCH = 6;
    static final int DTK_LATE = 7;
    static final int DTK_EARLY = 8;
    static final int DTK_DATE = 9;
    static final int DTK_INVALID = 10;

    // unit codes (interval units and ISO labels)
    static final int U_MICROSEC = 1;
    static final int U_MILLISEC = 2;
    static final int U_SECOND = 3;
    static final int U_MINUTE = 4;
    static final int U_HOUR = 5;
    static final int U_DAY = 6;
    static final int U_WEEK = 7;
    static final int U_MONTH = 8;
    static final int U_YEAR = 9;
    static final int U_DECADE = 10;
    static final int U_CENTURY = 11;
    static final int U_MILLENNIUM = 12;
    static final int U_TIME = 13; // "t" marker
    static final int U_JULIAN = 14;
    static final int AM = 0;
    static final int PM = 1;
    static final int HR24 = 2;

    private record Tok(int type, int value) {
    }

    private static final Map<String, Tok> DATE_TOKENS = new HashMap<>();
    private static final Map<String, Tok> UNIT_TOKENS = new HashMap<>();
    private static final Map<String, int[]> ABBREVS = new HashMap<>();
    private static final Map<String, ZoneId> ZONES = new HashMap<>();

    static {
        String[][] months = {{"jan", "january"}, {"feb", "february"}, {"mar", "march"}, {"apr", "april"}, {"may"},
            {"jun", "june"}, {"jul", "july"}, {"aug", "august"}, {"sep", "sept", "september"}, {"oct", "october"},
            {"nov", "november"}, {"dec", "december"}};
        for (int i = 0; i < months.length; i++) {
            for (String m : months[i]) {
                DATE_TOKENS.put(m, new Tok(MONTH, i + 1));
            }
        }
        String[][] days = {{"sun", "sunday"}, {"mon", "monday"}, {"tue", "tues", "tuesday"},
            {"wed", "wednes", "wednesday"}, {"thu", "thur", "thurs", "thursday"}, {"fri", "friday"},
            {"sat", "saturday"}};
        for (int i = 0; i < days.length; i++) {
            for (String d : days[i]) {
                DATE_TOKENS.put(d, new Tok(DOW, i));
            }
        }
        DATE_TOKENS.put("am", new Tok(AMPM, AM));
        DATE_TOKENS.put("pm", new Tok(AMPM, PM));
        DATE_TOKENS.put("ad", new Tok(ADBC, 0));
        DATE_TOKENS.put("bc", new Tok(ADBC, 1));
        DATE_TOKENS.put("allballs", new Tok(RESERV, DTK_ZULU));
        DATE_TOKENS.put("epoch", new Tok(RESERV, DTK_EPOCH));
        DATE_TOKENS.put("infinity", new Tok(RESERV, DTK_LATE));
        DATE_TOKENS.put("+infinity", new Tok(RESERV, DTK_LATE));
        DATE_TOKENS.put("-infinity", new Tok(RESERV, DTK_EARLY));
        DATE_TOKENS.put("now", new Tok(RESERV, DTK_NOW));
        DATE_TOKENS.put("today", new Tok(RESERV, DTK_TODAY));
        DATE_TOKENS.put("tomorrow", new Tok(RESERV, DTK_TOMORROW));
        DATE_TOKENS.put("yesterday", new Tok(RESERV, DTK_YESTERDAY));
        DATE_TOKENS.put("t", new Tok(ISOTIME, U_TIME));
        DATE_TOKENS.put("j", new Tok(UNITS, U_JULIAN));
        DATE_TOKENS.put("jd", new Tok(UNITS, U_JULIAN));
        DATE_TOKENS.put("julian", new Tok(UNITS, U_JULIAN));
        DATE_TOKENS.put("on", new Tok(IGNORE, 0));
        DATE_TOKENS.put("at", new Tok(IGNORE, 0));
        DATE_TOKENS.put("dst", new Tok(DTZMOD, 3600));
        DATE_TOKENS.put("z", new Tok(TZ, 0));
        DATE_TOKENS.put("zulu", new Tok(TZ, 0));

        Object[][] units = {{U_CENTURY, "c", "cent", "centuries", "century"}, {U_DAY, "d", "day", "days"},
            {U_DECADE, "dec", "decade", "decades", "decs"}, {U_HOUR, "h", "hour", "hours", "hr", "hrs"},
            {U_MILLENNIUM, "mil", "millennia", "millennium", "mils"},
            {U_MILLISEC, "millisecon", "millisecond", "milliseconds", "ms", "msec", "msecond", "mseconds", "msecs"},
            {U_MINUTE, "m", "min", "mins", "minute", "minutes"}, {U_MONTH, "mon", "mons", "month", "months"},
            {U_SECOND, "s", "sec", "second", "seconds", "secs"},
            {U_MICROSEC, "microsecon", "microsecond", "microseconds", "us", "usec", "usecond", "useconds", "usecs"},
            {U_WEEK, "w", "week", "weeks"}, {U_YEAR, "y", "year", "years", "yr", "yrs"}};
        for (Object[] u : units) {
            for (int i = 1; i < u.length; i++) {
                UNIT_TOKENS.put((String) u[i], new Tok(UNITS, (Integer) u[0]));
            }
        }
        UNIT_TOKENS.put("@", new Tok(IGNORE, 0));
        UNIT_TOKENS.put("ago", new Tok(AGO, 0));
        UNIT_TOKENS.put("invalid", new Tok(RESERV, DTK_INVALID));

        // PostgreSQL's "Default" abbreviation set (the common part): offset east in seconds, isDst
        Object[][] abbrevs = {{"utc", 0, 0}, {"ut", 0, 0}, {"gmt", 0, 0}, {"z", 0, 0}, {"zulu", 0, 0},
            {"est", -5 * 3600, 0}, {"edt", -4 * 3600, 1}, {"cst", -6 * 3600, 0}, {"cdt", -5 * 3600, 1},
            {"mst", -7 * 3600, 0}, {"mdt", -6 * 3600, 1}, {"pst", -8 * 3600, 0}, {"pdt", -7 * 3600, 1},
            {"akst", -9 * 3600, 0}, {"akdt", -8 * 3600, 1}, {"hst", -10 * 3600, 0}, {"ast", -4 * 3600, 0},
            {"adt", -3 * 3600, 1}, {"nst", -12600, 0}, {"ndt", -9000, 1}, {"wet", 0, 0}, {"west", 3600, 1},
            {"bst", 3600, 1}, {"cet", 3600, 0}, {"cest", 7200, 1}, {"met", 3600, 0}, {"mest", 7200, 1},
            {"eet", 7200, 0}, {"eest", 10800, 1}, {"msk", 10800, 0}, {"ist", 7200, 0}, {"sast", 7200, 0},
            {"jst", 9 * 3600, 0}, {"kst", 9 * 3600, 0}, {"hkt", 8 * 3600, 0}, {"awst", 8 * 3600, 0},
            {"acst", 34200, 0}, {"acdt", 37800, 1}, {"aest", 10 * 3600, 0}, {"aedt", 11 * 3600, 1},
            {"nzst", 12 * 3600, 0}, {"nzdt", 13 * 3600, 1}};
        for (Object[] a : abbrevs) {
            ABBREVS.put((String) a[0], new int[] {(Integer) a[1], (Integer) a[2]});
        }
        for (String id : ZoneId.getAvailableZoneIds()) {
            ZONES.put(id.toLowerCase(Locale.ROOT), ZoneId.of(id));
        }
        ZONES.put("utc", ZoneOffset.UTC);
        ZONES.put("gmt", ZoneOffset.UTC);
    }

    private DateTime() {
    }

    // ================================================================ calendar

    /** Julian day number of a proleptic Gregorian date (astronomical year), as date2j. */
    public static int date2j(int y, int m, int d) {
        int julian;
        int century;
        if (m > 2) {
            m += 1;
            y += 4800;
        } else {
            m += 13;
            y += 4799;
        }
        century = y / 100;
        julian = y * 365 - 32167;
        julian += y / 4 - century + century / 4;
        julian += 7834 * m / 256 + d;
        return julian;
    }

    /** [year, month, day] of a Julian day number, as j2date. */
    public static int[] j2date(int jd) {
        long julian = (jd & 0xFFFFFFFFL) + 32044;
        long quad = julian / 146097;
        long extra = (julian - quad * 146097) * 4 + 3;
        julian += 60 + quad * 3 + extra / 146097;
        quad = julian / 1461;
        julian -= quad * 1461;
        long y = julian * 4 / 1461;
        julian = ((y != 0) ? ((julian + 305) % 365) : ((julian + 306) % 366)) + 123;
        y += quad * 4;
        int year = (int) (y - 4800);
        quad = julian * 2141 / 65536;
        int day = (int) (julian - 7834 * quad / 256);
        int month = (int) ((quad + 10) % 12 + 1);
        return new int[] {year, month, day};
    }

    /** Day of week of a Julian day, 0 = Sunday. */
    public static int j2day(int jd) {
        int d = (jd + 1) % 7;
        return d < 0 ? d + 7 : d;
    }

    static boolean isLeap(int y) {
        return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    }

    static int daysInMonth(int y, int m) {
        return DAY_TAB[isLeap(y) ? 1 : 0][m - 1];
    }

    static boolean isValidJulian(int y, int m, int d) {
        return (y > -4713 || (y == -4713 && m >= 11)) && y < 5874898 || (y == 5874898 && m < 6);
    }

    static boolean isValidDate(long d) {
        return d >= DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE && d < DATE_END_JULIAN - POSTGRES_EPOCH_JDATE;
    }

    static boolean isValidTimestamp(long t) {
        return t >= MIN_TIMESTAMP && t < END_TIMESTAMP;
    }

    // ================================================================ broken-down time

    /** PostgreSQL's struct pg_tm plus fractional seconds and zone (seconds east). */
    static final class Tm {
        int year;
        int mon;
        int mday;
        int hour;
        int min;
        int sec;
        long fsec;
        int yday;
        int tzEast;
        boolean tzSet;
        ZoneId namedZone;

        Tm() {
        }

        Tm(int y, int m, int d) {
            year = y;
            mon = m;
            mday = d;
        }
    }

    static PgException badFormat(String type, String str) {
        return new PgException("22007", "invalid input syntax for type " + type + ": \"" + str + "\"");
    }

    static PgException fieldOverflow(String str) {
        return new PgException("22008", "date/time field value out of range: \"" + str + "\"");
    }

    static PgException mdFieldOverflow(String str) {
        return new PgException("22008", "date/time field value out of range: \"" + str + "\"", null,
                "Perhaps you need a different \"datestyle\" setting.");
    }

    static PgException tzOverflow(String str) {
        return new PgException("22009", "time zone displacement out of range: \"" + str + "\"");
    }

    static PgException intervalOverflow(String str) {
        return new PgException("22015", "interval field value out of range: \"" + str + "\"");
    }

    /** Internal decode failure codes, turned into messages with the original string. */
    private static final class DtErr extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        DtErr(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private static final int ERR_BAD_FORMAT = 1;
    private static final int ERR_FIELD_OVERFLOW = 2;
    private static final int ERR_MD_FIELD_OVERFLOW = 3;
    private static final int ERR_INTERVAL_OVERFLOW = 4;
    private static final int ERR_TZDISP_OVERFLOW = 5;

    private static DtErr err(int code) {
        return new DtErr(code);
    }

    private static PgException translate(DtErr e, String str, String type) {
        return switch (e.code) {
            case ERR_FIELD_OVERFLOW -> fieldOverflow(str);
            case ERR_MD_FIELD_OVERFLOW -> mdFieldOverflow(str);
            case ERR_INTERVAL_OVERFLOW -> intervalOverflow(str);
            case ERR_TZDISP_OVERFLOW -> tzOverflow(str);
            default -> badFormat(type, str);
        };
    }

    // ================================================================ tokenizer (ParseDateTime)

    private record Field(int type, String text) {
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 128 && Character.isLetter(c);
    }

    private static boolean isAlnum(char c) {
        return isDigit(c) || isAlpha(c);
    }

    private static boolean isPunct(char c) {
        return c > 32 && c < 127 && !isAlnum(c);
    }

    private static List<Field> tokenize(String str) {
        List<Field> out = new ArrayList<>();
        int n = str.length();
        int i = 0;
        while (i < n) {
            char c = str.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            StringBuilder b = new StringBuilder();
            int type;
            if (isDigit(c)) {
                while (i < n && isDigit(str.charAt(i))) {
                    b.append(str.charAt(i++));
                }
                if (i < n && str.charAt(i) == ':') {
                    type = F_TIME;
                    b.append(str.charAt(i++));
                    while (i < n && (isDigit(str.charAt(i)) || str.charAt(i) == ':' || str.charAt(i) == '.')) {
                        b.append(str.charAt(i++));
                    }
                } else if (i < n && (str.charAt(i) == '-' || str.charAt(i) == '/' || str.charAt(i) == '.')) {
                    char delim = str.charAt(i);
                    b.append(str.charAt(i++));
                    if (i < n && isDigit(str.charAt(i))) {
                        type = delim == '.' ? F_NUMBER : F_DATE;
                        while (i < n && isDigit(str.charAt(i))) {
                            b.append(str.charAt(i++));
                        }
                        if (i < n && str.charAt(i) == delim) {
                            type = F_DATE;
                            b.append(str.charAt(i++));
                            while (i < n && (isDigit(str.charAt(i)) || str.charAt(i) == delim)) {
                                b.append(str.charAt(i++));
                            }
                        }
                    } else {
                        type = F_DATE;
                        while (i < n && (isAlnum(str.charAt(i)) || str.charAt(i) == delim)) {
                            b.append(Character.toLowerCase(str.charAt(i++)));
                        }
                    }
                } else {
                    type = F_NUMBER;
                }
            } else if (c == '.') {
                b.append(str.charAt(i++));
                while (i < n && isDigit(str.charAt(i))) {
                    b.append(str.charAt(i++));
                }
                type = F_NUMBER;
            } else if (isAlpha(c)) {
                type = F_STRING;
                while (i < n && isAlpha(str.charAt(i))) {
                    b.append(Character.toLowerCase(str.charAt(i++)));
                }
                boolean isDate = false;
                if (i < n && (str.charAt(i) == '-' || str.charAt(i) == '/' || str.charAt(i) == '.')) {
                    isDate = true;
                } else if (i < n && (str.charAt(i) == '+' || isDigit(str.charAt(i)))) {
                    if (!DATE_TOKENS.containsKey(b.toString())) {
                        isDate = true;
                    }
                }
                if (isDate) {
                    type = F_DATE;
                    do {
                        b.append(Character.toLowerCase(str.charAt(i++)));
                    } while (i < n && (str.charAt(i) == '+' || str.charAt(i) == '-' || str.charAt(i) == '/'
                            || str.charAt(i) == '_' || str.charAt(i) == '.' || str.charAt(i) == ':'
                            || isAlnum(str.charAt(i))));
                }
            } else if (c == '+' || c == '-') {
                b.append(c);
                i++;
                while (i < n && Character.isWhitespace(str.charAt(i))) {
                    i++;
                }
                if (i < n && isDigit(str.charAt(i))) {
                    type = F_TZ;
                    b.append(str.charAt(i++));
                    while (i < n && (isDigit(str.charAt(i)) || str.charAt(i) == ':' || str.charAt(i) == '.'
                            || str.charAt(i) == '-')) {
                        b.append(str.charAt(i++));
                    }
                } else if (i < n && isAlpha(str.charAt(i))) {
                    type = F_SPECIAL;
                    while (i < n && isAlpha(str.charAt(i))) {
                        b.append(Character.toLowerCase(str.charAt(i++)));
                    }
                } else {
                    throw err(ERR_BAD_FORMAT);
                }
            } else if (isPunct(c)) {
                i++;
                continue;
            } else {
                throw err(ERR_BAD_FORMAT);
            }
            out.add(new Field(type, b.toString()));
        }
        return out;
    }

    // ================================================================ number helpers

    /** strtoint: parses leading digits (optional sign); returns [value, endIndex]; overflow → field overflow. */
    private static long[] strtol(String s, int from, boolean allowSign, long limit) {
        int i = from;
        boolean neg = false;
        if (allowSign && i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long v = 0;
        while (i < s.length() && isDigit(s.charAt(i))) {
            v = v * 10 + (s.charAt(i) - '0');
            if (v > limit) {
                throw err(ERR_FIELD_OVERFLOW);
            }
            i++;
        }
        if (i == start) {
            return new long[] {0, from};
        }
        return new long[] {neg ? -v : v, i};
    }

    /** ParseFractionalSecond: "." followed by digits, rounded to microseconds. */
    private static long parseFraction(String s, int from) {
        String f = s.substring(from);
        if (!f.matches("\\.[0-9]*")) {
            throw err(ERR_BAD_FORMAT);
        }
        if (f.length() == 1) {
            return 0;
        }
        double d = Double.parseDouble("0" + f);
        return (long) Math.rint(d * 1_000_000);
    }

    // ================================================================ DecodeDateTime

    private static final class State {
        final Tm tm = new Tm();
        int fmask;
        int dtype = DTK_DATE;
        boolean haveTextMonth;
        boolean is2digits;
        boolean bc;
        boolean isJulian;
        int mer = HR24;
        int ptype;
    }

    /** DecodeNumberField: concatenated YYYYMMDD / hhmmss / hhmm, with optional fraction. */
    private static int decodeNumberField(String str, int fmask, State st) {
        Tm tm = st.tm;
        int dot = str.indexOf('.');
        if (dot >= 0) {
            String frac = str.substring(dot);
            if (!frac.matches("\\.[0-9]*")) {
                throw err(ERR_BAD_FORMAT);
            }
            tm.fsec = frac.length() == 1 ? 0 : (long) Math.rint(Double.parseDouble("0" + frac) * 1_000_000);
            str = str.substring(0, dot);
        } else if ((fmask & DATE_M) != DATE_M) {
            int len = str.length();
            if (len >= 6) {
                tm.mday = Integer.parseInt(str.substring(len - 2));
                tm.mon = Integer.parseInt(str.substring(len - 4, len - 2));
                tm.year = parseIntField(str.substring(0, len - 4));
                if (len - 4 == 2) {
                    st.is2digits = true;
                }
                return DATE_M;
            }
        }
        int len = str.length();
        if ((fmask & TIME_M) != TIME_M) {
            if (len == 6) {
                tm.sec = Integer.parseInt(str.substring(4));
                tm.min = Integer.parseInt(str.substring(2, 4));
                tm.hour = Integer.parseInt(str.substring(0, 2));
                return TIME_M;
            } else if (len == 4) {
                tm.sec = 0;
                tm.min = Integer.parseInt(str.substring(2, 4));
                tm.hour = Integer.parseInt(str.substring(0, 2));
                return TIME_M;
            }
        }
        throw err(ERR_BAD_FORMAT);
    }

    private static int parseIntField(String s) {
        if (s.length() > 10) {
            throw err(ERR_FIELD_OVERFLOW);
        }
        long v = Long.parseLong(s);
        if (v > Integer.MAX_VALUE) {
            throw err(ERR_FIELD_OVERFLOW);
        }
        return (int) v;
    }

    /** DecodeNumber: a lone number, interpreted by what is already known and DateOrder. */
    private static int decodeNumber(String str, int fmask, State st, SessionContext.DateOrder order) {
        Tm tm = st.tm;
        int flen = str.length();
        long[] r = strtol(str, 0, false, Integer.MAX_VALUE);
        if (r[1] == 0) {
            throw err(ERR_BAD_FORMAT);
        }
        int val = (int) r[0];
        int cp = (int) r[1];
        if (cp < str.length() && str.charAt(cp) == '.') {
            if (cp > 2) {
                return decodeNumberField(str, fmask | DATE_M, st);
            }
            tm.fsec = parseFraction(str, cp);
        } else if (cp != str.length()) {
            throw err(ERR_BAD_FORMAT);
        }
        if (flen == 3 && (fmask & DATE_M) == (1 << YEAR) && val >= 1 && val <= 366) {
            tm.yday = val;
            return (1 << DOY) | (1 << MONTH) | (1 << DAY);
        }
        int tmask;
        switch (fmask & DATE_M) {
            case 0:
                if (flen >= 3 || order == SessionContext.DateOrder.YMD) {
                    tmask = 1 << YEAR;
                    tm.year = val;
                } else if (order == SessionContext.DateOrder.DMY) {
                    tmask = 1 << DAY;
                    tm.mday = val;
                } else {
                    tmask = 1 << MONTH;
                    tm.mon = val;
                }
                break;
            case 1 << YEAR:
                tmask = 1 << MONTH;
                tm.mon = val;
                break;
            case 1 << MONTH:
                if (st.haveTextMonth) {
                    if (flen >= 3 || order == SessionContext.DateOrder.YMD) {
                        tmask = 1 << YEAR;
                        tm.year = val;
                    } else {
                        tmask = 1 << DAY;
                        tm.mday = val;
                    }
                } else {
                    tmask = 1 << DAY;
                    tm.mday = val;
                }
                break;
            case (1 << YEAR) | (1 << MONTH):
                if (st.haveTextMonth) {
                    if (flen >= 3 && st.is2digits) {
                        tmask = 1 << DAY;
                        tm.mday = tm.year;
                        tm.year = val;
                        st.is2digits = false;
                    } else {
                        tmask = 1 << DAY;
                        tm.mday = val;
                    }
                } else {
                    tmask = 1 << DAY;
                    tm.mday = val;
                }
                break;
            case 1 << DAY:
                tmask = 1 << MONTH;
                tm.mon = val;
                break;
            case (1 << MONTH) | (1 << DAY):
                tmask = 1 << YEAR;
                tm.year = val;
                break;
            case DATE_M:
                return decodeNumberField(str, fmask, st);
            default:
                throw err(ERR_BAD_FORMAT);
        }
        if (tmask == 1 << YEAR) {
            st.is2digits = flen <= 2;
        }
        return tmask;
    }

    /** DecodeDate: a date field with separators, possibly with a text month. */
    private static int decodeDate(String str, int fmask, State st, SessionContext.DateOrder order) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        int n = str.length();
        while (i < n) {
            while (i < n && !isAlnum(str.charAt(i))) {
                i++;
            }
            if (i >= n) {
                throw err(ERR_BAD_FORMAT);
            }
            int s = i;
            if (isDigit(str.charAt(i))) {
                while (i < n && isDigit(str.charAt(i))) {
                    i++;
                }
            } else {
                while (i < n && isAlpha(str.charAt(i))) {
                    i++;
                }
            }
            parts.add(str.substring(s, i));
            if (i < n) {
                i++;
            }
        }
        int tmask = 0;
        boolean[] done = new boolean[parts.size()];
        for (int k = 0; k < parts.size(); k++) {
            String p = parts.get(k);
            if (isAlpha(p.charAt(0))) {
                Tok t = DATE_TOKENS.get(p.toLowerCase(Locale.ROOT));
                if (t == null) {
                    throw err(ERR_BAD_FORMAT);
                }
                if (t.type == IGNORE) {
                    done[k] = true;
                    continue;
                }
                if (t.type != MONTH) {
                    throw err(ERR_BAD_FORMAT);
                }
                st.tm.mon = t.value;
                st.haveTextMonth = true;
                int dmask = 1 << MONTH;
                if ((fmask & dmask) != 0) {
                    throw err(ERR_BAD_FORMAT);
                }
                fmask |= dmask;
                tmask |= dmask;
                done[k] = true;
            }
        }
        for (int k = 0; k < parts.size(); k++) {
            if (done[k]) {
                continue;
            }
            int dmask = decodeNumber(parts.get(k), fmask, st, order);
            if ((fmask & dmask) != 0) {
                throw err(ERR_BAD_FORMAT);
            }
            fmask |= dmask;
            tmask |= dmask;
        }
        if ((fmask & ~((1 << DOY) | (1 << TZ))) != DATE_M) {
            throw err(ERR_BAD_FORMAT);
        }
        return tmask;
    }

    /** DecodeTime: hh:mm[:ss[.frac]] or mm:ss.frac. */
    private static int decodeTime(String str, Tm tm) {
        long[] r = strtol(str, 0, false, Integer.MAX_VALUE);
        int cp = (int) r[1];
        if (cp >= str.length() || str.charAt(cp) != ':') {
            throw err(ERR_BAD_FORMAT);
        }
        tm.hour = (int) r[0];
        r = strtol(str, cp + 1, false, Integer.MAX_VALUE);
        if (r[1] == cp + 1) {
            throw err(ERR_BAD_FORMAT);
        }
        tm.min = (int) r[0];
        cp = (int) r[1];
        tm.fsec = 0;
        if (cp == str.length()) {
            tm.sec = 0;
        } else if (str.charAt(cp) == '.') {
            tm.fsec = parseFraction(str, cp);
            tm.sec = tm.min;
            tm.min = tm.hour;
            tm.hour = 0;
        } else if (str.charAt(cp) == ':') {
            r = strtol(str, cp + 1, false, Integer.MAX_VALUE);
            if (r[1] == cp + 1) {
                throw err(ERR_BAD_FORMAT);
            }
            tm.sec = (int) r[0];
            cp = (int) r[1];
            if (cp < str.length()) {
                if (str.charAt(cp) == '.') {
                    tm.fsec = parseFraction(str, cp);
                } else {
                    throw err(ERR_BAD_FORMAT);
                }
            }
        } else {
            throw err(ERR_BAD_FORMAT);
        }
        if (tm.hour < 0 || tm.min < 0 || tm.min > 59 || tm.sec < 0 || tm.sec > 60 || tm.fsec < 0
                || tm.fsec > USECS_PER_SEC) {
            throw err(ERR_FIELD_OVERFLOW);
        }
        return TIME_M;
    }

    /** DecodeTimezone: +hh, +hh:mm, +hhmm, +hh:mm:ss → seconds east. */
    private static int decodeTimezone(String str) {
        if (str.isEmpty() || (str.charAt(0) != '+' && str.charAt(0) != '-')) {
            throw err(ERR_BAD_FORMAT);
        }
        long[] r = strtol(str, 1, false, Integer.MAX_VALUE);
        if (r[1] == 1) {
            throw err(ERR_BAD_FORMAT);
        }
        long hr = r[0];
        int cp = (int) r[1];
        long min = 0;
        long sec = 0;
        if (cp < str.length() && str.charAt(cp) == ':') {
            r = strtol(str, cp + 1, false, Integer.MAX_VALUE);
            min = r[0];
            cp = (int) r[1];
            if (cp < str.length() && str.charAt(cp) == ':') {
                r = strtol(str, cp + 1, false, Integer.MAX_VALUE);
                sec = r[0];
                cp = (int) r[1];
            }
        } else if (cp == str.length() && str.length() > 3) {
            min = hr % 100;
            hr = hr / 100;
        }
        if (hr < 0 || hr > 15 || min < 0 || min >= 60 || sec < 0 || sec >= 60) {
            throw err(ERR_TZDISP_OVERFLOW);
        }
        int tz = (int) ((hr * 60 + min) * 60 + sec);
        if (str.charAt(0) == '-') {
            tz = -tz;
        }
        if (cp != str.length()) {
            throw err(ERR_BAD_FORMAT);
        }
        return tz;
    }

    /** A time zone name (IANA, case-insensitive), or null. */
    public static ZoneId zoneByName(String name) {
        return ZONES.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The zone a TimeZone setting or AT TIME ZONE argument names: an IANA name, an
     * abbreviation (fixed offset), or a POSIX-style offset ("UTC+3" means 3 hours WEST,
     * as PostgreSQL/POSIX), or null when unknown.
     */
    public static ZoneId resolveZone(String name) {
        String s = name.trim();
        ZoneId z = zoneByName(s);
        if (z != null) {
            return z;
        }
        int[] ab = ABBREVS.get(s.toLowerCase(Locale.ROOT));
        if (ab != null) {
            return ZoneOffset.ofTotalSeconds(ab[0]);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?i)([a-z]{3,})?([+-]?)(\\d{1,2})(?::(\\d{2})(?::(\\d{2}))?)?").matcher(s);
        if (m.matches()) {
            int secs = Integer.parseInt(m.group(3)) * 3600 + (m.group(4) == null ? 0 : Integer.parseInt(m.group(4)) * 60)
                    + (m.group(5) == null ? 0 : Integer.parseInt(m.group(5)));
            // POSIX: positive means west of Greenwich
            int east = "-".equals(m.group(2)) ? secs : -secs;
            if (Math.abs(east) <= 15 * 3600 + 59 * 60 + 59) {
                return ZoneOffset.ofTotalSeconds(east);
            }
        }
        return null;
    }

    /** The offset (seconds east) a local time in {@code zone} has (gap: before; overlap: after). */
    static int localOffset(Tm tm, ZoneId zone) {
        if (zone instanceof ZoneOffset zo) {
            return zo.getTotalSeconds();
        }
        int y = Math.max(-999_999_999, Math.min(tm.year, 999_999_999));
        LocalDateTime ldt;
        try {
            ldt = LocalDateTime.of(y, tm.mon, tm.mday, Math.min(tm.hour, 23), tm.min, Math.min(tm.sec, 59));
        } catch (java.time.DateTimeException e) {
            ldt = LocalDateTime.of(y, tm.mon, 1, 0, 0);
        }
        var rules = zone.getRules();
        var trans = rules.getTransition(ldt);
        if (trans == null) {
            return rules.getOffset(ldt).getTotalSeconds();
        }
        // gap: the offset before; overlap: the offset after
        return trans.isGap() ? trans.getOffsetBefore().getTotalSeconds() : trans.getOffsetAfter().getTotalSeconds();
    }

    private static Tok lookupDateToken(String s) {
        return DATE_TOKENS.get(s);
    }

    /**
     * DecodeDateTime. {@code wantTz}: whether a zone is part of the type (it is
     * accepted, and ignored, for date and timestamp as PostgreSQL does).
     */
    private static State decodeDateTime(List<Field> fields, SessionContext ctx) {
        State st = new State();
        Tm tm = st.tm;
        SessionContext.DateOrder order = ctx.dateOrder();
        int nf = fields.size();
        for (int i = 0; i < nf; i++) {
            Field f = fields.get(i);
            String field = f.text;
            int tmask = 0;
            switch (f.type) {
                case F_DATE:
                    if (st.ptype != 0 || (st.fmask & ((1 << MONTH) | (1 << DAY))) == ((1 << MONTH) | (1 << DAY))) {
                        if (isDigit(field.charAt(0)) || st.ptype != 0) {
                            if (st.ptype != 0) {
                                if (st.ptype != U_TIME) {
                                    throw err(ERR_BAD_FORMAT);
                                }
                                st.ptype = 0;
                            }
                            if ((st.fmask & TIME_M) == TIME_M) {
                                throw err(ERR_BAD_FORMAT);
                            }
                            int cp = field.indexOf('-');
                            if (cp < 0) {
                                throw err(ERR_BAD_FORMAT);
                            }
                            tm.tzEast = decodeTimezone(field.substring(cp));
                            tm.tzSet = true;
                            tmask = decodeNumberField(field.substring(0, cp), st.fmask, st) | (1 << TZ);
                        } else {
                            ZoneId z = resolveZone(field);
                            if (z == null) {
                                throw new PgException("22023", "time zone \"" + field + "\" not recognized");
                            }
                            tm.namedZone = z;
                            tmask = 1 << TZ;
                        }
                    } else {
                        tmask = decodeDate(field, st.fmask, st, order);
                    }
                    break;
                case F_TIME:
                    if (st.ptype != 0) {
                        if (st.ptype != U_TIME) {
                            throw err(ERR_BAD_FORMAT);
                        }
                        st.ptype = 0;
                    }
                    tmask = decodeTime(field, tm);
                    if (timeOverflows(tm.hour, tm.min, tm.sec, tm.fsec)) {
                        throw err(ERR_FIELD_OVERFLOW);
                    }
                    break;
                case F_TZ:
                    tm.tzEast = decodeTimezone(field);
                    tm.tzSet = true;
                    tmask = 1 << TZ;
                    break;
                case F_NUMBER:
                    if (st.ptype == U_JULIAN) {
                        long[] r = strtol(field, 0, false, Integer.MAX_VALUE);
                        int cp = (int) r[1];
                        if (cp == 0 || (cp < field.length() && field.charAt(cp) != '.')) {
                            throw err(ERR_BAD_FORMAT);
                        }
                        int[] ymd = j2date((int) r[0]);
                        tm.year = ymd[0];
                        tm.mon = ymd[1];
                        tm.mday = ymd[2];
                        st.isJulian = true;
                        tmask = DATE_M;
                        if (cp < field.length()) {
                            double frac = Double.parseDouble("0" + field.substring(cp));
                            long t = (long) Math.rint(frac * USECS_PER_DAY);
                            tm.hour = (int) (t / USECS_PER_HOUR);
                            t -= tm.hour * USECS_PER_HOUR;
                            tm.min = (int) (t / USECS_PER_MINUTE);
                            t -= tm.min * USECS_PER_MINUTE;
                            tm.sec = (int) (t / USECS_PER_SEC);
                            tm.fsec = t - tm.sec * USECS_PER_SEC;
                            tmask |= TIME_M;
                        }
                        st.ptype = 0;
                    } else if (st.ptype != 0) {
                        if (st.ptype != U_TIME) {
                            throw err(ERR_BAD_FORMAT);
                        }
                        tmask = decodeNumberField(field, st.fmask | DATE_M, st);
                        if (tmask != TIME_M) {
                            throw err(ERR_BAD_FORMAT);
                        }
                        st.ptype = 0;
                    } else {
                        int flen = field.length();
                        int dot = field.indexOf('.');
                        if (dot >= 0 && (st.fmask & DATE_M) == 0) {
                            tmask = decodeDate(field, st.fmask, st, order);
                        } else if (dot >= 0 && dot > 2) {
                            tmask = decodeNumberField(field, st.fmask, st);
                        } else if (flen >= 6 && ((st.fmask & DATE_M) == 0 || (st.fmask & TIME_M) == 0)) {
                            tmask = decodeNumberField(field, st.fmask, st);
                        } else {
                            tmask = decodeNumber(field, st.fmask, st, order);
                        }
                    }
                    break;
                case F_STRING:
                case F_SPECIAL: {
                    int[] ab = ABBREVS.get(field);
                    Tok t = lookupDateToken(field);
                    if (ab != null && (t == null || t.type == TZ)) {
                        tmask = 1 << TZ;
                        tm.tzEast = ab[0];
                        tm.tzSet = true;
                        break;
                    }
                    if (t == null) {
                        ZoneId z = resolveZone(field);
                        if (z == null) {
                            throw err(ERR_BAD_FORMAT);
                        }
                        tm.namedZone = z;
                        tmask = 1 << TZ;
                        break;
                    }
                    if (t.type == IGNORE) {
                        continue;
                    }
                    tmask = 1 << t.type;
                    switch (t.type) {
                        case RESERV:
                            switch (t.value) {
                                case DTK_NOW: {
                                    tmask = DATE_M | TIME_M | (1 << TZ);
                                    st.dtype = DTK_DATE;
                                    long now = fromInstant(ctx.transactionStart());
                                    ZoneId zone = ctx.timeZone();
                                    Tm cur = timestamp2tm(now, zone);
                                    copyDateTime(cur, tm);
                                    tm.tzEast = cur.tzEast;
                                    tm.tzSet = true;
                                    break;
                                }
                                case DTK_YESTERDAY, DTK_TODAY, DTK_TOMORROW: {
                                    tmask = DATE_M;
                                    st.dtype = DTK_DATE;
                                    Tm cur = timestamp2tm(fromInstant(ctx.transactionStart()), ctx.timeZone());
                                    int delta = t.value == DTK_YESTERDAY ? -1 : t.value == DTK_TOMORROW ? 1 : 0;
                                    int[] ymd = j2date(date2j(cur.year, cur.mon, cur.mday) + delta);
                                    tm.year = ymd[0];
                                    tm.mon = ymd[1];
                                    tm.mday = ymd[2];
                                    break;
                                }
                                case DTK_ZULU:
                                    tmask = TIME_M | (1 << TZ);
                                    st.dtype = DTK_DATE;
                                    tm.hour = 0;
                                    tm.min = 0;
                                    tm.sec = 0;
                                    tm.tzEast = 0;
                                    tm.tzSet = true;
                                    break;
                                case DTK_EPOCH, DTK_LATE, DTK_EARLY:
                                    tmask = DATE_M | TIME_M | (1 << TZ);
                                    st.dtype = t.value;
                                    break;
                                default:
                                    throw err(ERR_BAD_FORMAT);
                            }
                            break;
                        case MONTH:
                            if ((st.fmask & (1 << MONTH)) != 0 && !st.haveTextMonth && (st.fmask & (1 << DAY)) == 0
                                    && tm.mon >= 1 && tm.mon <= 31) {
                                tm.mday = tm.mon;
                                tmask = 1 << DAY;
                            }
                            st.haveTextMonth = true;
                            tm.mon = t.value;
                            break;
                        case DTZMOD:
                            tmask |= 1 << DTZ;
                            tm.tzEast += t.value;
                            break;
                        case TZ:
                            tm.tzEast = t.value;
                            tm.tzSet = true;
                            break;
                        case AMPM:
                            st.mer = t.value;
                            break;
                        case ADBC:
                            st.bc = t.value == 1;
                            break;
                        case DOW:
                            break;
                        case UNITS:
                            tmask = 0;
                            if (st.ptype != 0 || t.value != U_JULIAN) {
                                throw err(ERR_BAD_FORMAT);
                            }
                            st.ptype = U_JULIAN;
                            break;
                        case ISOTIME:
                            tmask = 0;
                            if ((st.fmask & DATE_M) != DATE_M) {
                                throw err(ERR_BAD_FORMAT);
                            }
                            if (i >= nf - 1 || (fields.get(i + 1).type != F_NUMBER && fields.get(i + 1).type != F_TIME
                                    && fields.get(i + 1).type != F_DATE)) {
                                throw err(ERR_BAD_FORMAT);
                            }
                            st.ptype = U_TIME;
                            break;
                        default:
                            throw err(ERR_BAD_FORMAT);
                    }
                    break;
                }
                default:
                    throw err(ERR_BAD_FORMAT);
            }
            if ((tmask & st.fmask) != 0) {
                throw err(ERR_BAD_FORMAT);
            }
            st.fmask |= tmask;
        }
        if (st.dtype != DTK_DATE) {
            return st; // epoch, infinity: the caller ignores tm
        }
        validateDate(st);
        if (st.mer != HR24 && tm.hour > 12) {
            throw err(ERR_FIELD_OVERFLOW);
        }
        if (st.mer == AM && tm.hour == 12) {
            tm.hour = 0;
        } else if (st.mer == PM && tm.hour != 12) {
            tm.hour += 12;
        }
        if (st.dtype == DTK_DATE) {
            if ((st.fmask & DATE_M) != DATE_M) {
                throw err(ERR_BAD_FORMAT);
            }
            if (tm.namedZone != null) {
                tm.tzEast = localOffset(tm, tm.namedZone);
                tm.tzSet = true;
            }
            if (!tm.tzSet) {
                if ((st.fmask & (1 << DTZMOD)) != 0) {
                    throw err(ERR_BAD_FORMAT);
                }
                tm.tzEast = localOffset(tm, ctx.timeZone());
            }
        }
        return st;
    }

    private static void copyDateTime(Tm from, Tm to) {
        to.year = from.year;
        to.mon = from.mon;
        to.mday = from.mday;
        to.hour = from.hour;
        to.min = from.min;
        to.sec = from.sec;
        to.fsec = from.fsec;
    }

    private static void validateDate(State st) {
        Tm tm = st.tm;
        int fmask = st.fmask;
        if ((fmask & DATE_M) != 0) {
            if (st.isJulian) {
                // no year adjustment
            } else if (st.bc) {
                if (tm.year <= 0) {
                    throw err(ERR_FIELD_OVERFLOW);
                }
                tm.year = -(tm.year - 1);
            } else if (st.is2digits) {
                if (tm.year < 0) {
                    throw err(ERR_FIELD_OVERFLOW);
                }
                if (tm.year < 70) {
                    tm.year += 2000;
                } else if (tm.year < 100) {
                    tm.year += 1900;
                }
            } else if (tm.year <= 0) {
                throw err(ERR_FIELD_OVERFLOW);
            }
        }
        if ((fmask & (1 << DOY)) != 0) {
            int[] ymd = j2date(date2j(tm.year, 1, 1) + tm.yday - 1);
            tm.year = ymd[0];
            tm.mon = ymd[1];
            tm.mday = ymd[2];
        }
        if ((fmask & (1 << MONTH)) != 0 && (tm.mon < 1 || tm.mon > 12)) {
            throw err(ERR_MD_FIELD_OVERFLOW);
        }
        if ((fmask & (1 << DAY)) != 0 && (tm.mday < 1 || tm.mday > 31)) {
            throw err(ERR_MD_FIELD_OVERFLOW);
        }
        if ((fmask & DATE_M) == DATE_M && tm.mday > daysInMonth(tm.year, tm.mon)) {
            throw err(ERR_FIELD_OVERFLOW);
        }
    }

    static boolean timeOverflows(int hour, int min, int sec, long fsec) {
        if (hour < 0 || min < 0 || min > 59 || sec < 0 || sec > 60 || hour > 24) {
            return true;
        }
        return (((long) hour * 60 + min) * 60 + sec) * USECS_PER_SEC + fsec > USECS_PER_DAY;
    }

    /** DecodeTimeOnly (for time input). */
    private static State decodeTimeOnly(List<Field> fields, SessionContext ctx) {
        State st = new State();
        Tm tm = st.tm;
        int nf = fields.size();
        for (int i = 0; i < nf; i++) {
            Field f = fields.get(i);
            String field = f.text;
            int tmask;
            switch (f.type) {
                case F_DATE:
                    if (i == 0 && nf >= 2 && (fields.get(nf - 1).type == F_DATE || fields.get(1).type == F_TIME)) {
                        tmask = decodeDate(field, st.fmask, st, ctx.dateOrder());
                    } else if (isDigit(field.charAt(0))) {
                        if ((st.fmask & TIME_M) == TIME_M) {
                            throw err(ERR_BAD_FORMAT);
                        }
                        int cp = field.indexOf('-');
                        if (cp < 0) {
                            throw err(ERR_BAD_FORMAT);
                        }
                        tm.tzEast = decodeTimezone(field.substring(cp));
                        tm.tzSet = true;
                        tmask = decodeNumberField(field.substring(0, cp), st.fmask | DATE_M, st) | (1 << TZ);
                    } else {
                        ZoneId z = resolveZone(field);
                        if (z == null) {
                            throw new PgException("22023", "time zone \"" + field + "\" not recognized");
                        }
                        tm.namedZone = z;
                        tmask = 1 << TZ;
                    }
                    break;
                case F_TIME:
                    if (st.ptype != 0) {
                        st.ptype = 0;
                    }
                    tmask = decodeTime(field, tm);
                    break;
                case F_TZ:
                    tm.tzEast = decodeTimezone(field);
                    tm.tzSet = true;
                    tmask = 1 << TZ;
                    break;
                case F_NUMBER: {
                    if (st.ptype != 0) {
                        tmask = decodeNumberField(field, st.fmask | DATE_M, st);
                        if (tmask != TIME_M) {
                            throw err(ERR_BAD_FORMAT);
                        }
                        st.ptype = 0;
                        break;
                    }
                    int flen = field.length();
                    int dot = field.indexOf('.');
                    if (dot >= 0) {
                        if (i == 0 && nf >= 2 && fields.get(nf - 1).type == F_DATE) {
                            tmask = decodeDate(field, st.fmask, st, ctx.dateOrder());
                        } else if (flen - (flen - dot) > 2) {
                            tmask = decodeNumberField(field, st.fmask | DATE_M, st);
                        } else {
                            throw err(ERR_BAD_FORMAT);
                        }
                    } else if (flen > 4) {
                        tmask = decodeNumberField(field, st.fmask | DATE_M, st);
                    } else {
                        tmask = decodeNumber(field, st.fmask | DATE_M, st, ctx.dateOrder());
                    }
                    break;
                }
                case F_STRING:
                case F_SPECIAL: {
                    int[] ab = ABBREVS.get(field);
                    Tok t = lookupDateToken(field);
                    if (ab != null && (t == null || t.type == TZ)) {
                        tmask = 1 << TZ;
                        tm.tzEast = ab[0];
                        tm.tzSet = true;
                        break;
                    }
                    if (t == null) {
                        ZoneId z = resolveZone(field);
                        if (z == null) {
                            throw err(ERR_BAD_FORMAT);
                        }
                        tm.namedZone = z;
                        tmask = 1 << TZ;
                        break;
                    }
                    if (t.type == IGNORE) {
                        continue;
                    }
                    tmask = 1 << t.type;
                    switch (t.type) {
                        case RESERV:
                            switch (t.value) {
                                case DTK_NOW: {
                                    tmask = TIME_M;
                                    Tm cur = timestamp2tm(fromInstant(ctx.transactionStart()), ctx.timeZone());
                                    tm.hour = cur.hour;
                                    tm.min = cur.min;
                                    tm.sec = cur.sec;
                                    tm.fsec = cur.fsec;
                                    tm.tzEast = cur.tzEast;
                                    tm.tzSet = true;
                                    break;
                                }
                                case DTK_ZULU:
                                    tmask = TIME_M | (1 << TZ);
                                    tm.hour = 0;
                                    tm.min = 0;
                                    tm.sec = 0;
                                    tm.fsec = 0;
                                    tm.tzEast = 0;
                                    tm.tzSet = true;
                                    break;
                                default:
                                    throw err(ERR_BAD_FORMAT);
                            }
                            break;
                        case TZ:
                            tm.tzEast = t.value;
                            tm.tzSet = true;
                            break;
                        case DTZMOD:
                            tmask |= 1 << DTZ;
                            break;
                        case AMPM:
                            st.mer = t.value;
                            break;
                        case ADBC:
                            st.bc = t.value == 1;
                            break;
                        case MONTH:
                            st.haveTextMonth = true;
                            tm.mon = t.value;
                            break;
                        case DOW:
                            break;
                        case ISOTIME:
                            tmask = 0;
                            if (i >= nf - 1 || (fields.get(i + 1).type != F_NUMBER
                                    && fields.get(i + 1).type != F_TIME && fields.get(i + 1).type != F_DATE)) {
                                throw err(ERR_BAD_FORMAT);
                            }
                            st.ptype = U_TIME;
                            break;
                        default:
                            throw err(ERR_BAD_FORMAT);
                    }
                    break;
                }
                default:
                    throw err(ERR_BAD_FORMAT);
            }
            if ((tmask & st.fmask) != 0) {
                throw err(ERR_BAD_FORMAT);
            }
            st.fmask |= tmask;
        }
        validateDate(st);
        if (st.mer != HR24 && tm.hour > 12) {
            throw err(ERR_FIELD_OVERFLOW);
        }
        if (st.mer == AM && tm.hour == 12) {
            tm.hour = 0;
        } else if (st.mer == PM && tm.hour != 12) {
            tm.hour += 12;
        }
        if (timeOverflows(tm.hour, tm.min, tm.sec, tm.fsec)) {
            throw err(ERR_FIELD_OVERFLOW);
        }
        if ((st.fmask & TIME_M) != TIME_M) {
            throw err(ERR_BAD_FORMAT);
        }
        return st;
    }

    // ================================================================ conversions tm <-> internal

    /** days since 2000-01-01 → Tm (date part). */
    static Tm dateToTm(int date) {
        int[] ymd = j2date(date + POSTGRES_EPOCH_JDATE);
        return new Tm(ymd[0], ymd[1], ymd[2]);
    }

    /** Breaks a timestamp into fields; with a zone, the local time there (tzEast set). */
    static Tm timestamp2tm(long ts, ZoneId zone) {
        int offset = 0;
        if (zone != null) {
            offset = offsetAt(ts, zone);
            ts += offset * USECS_PER_SEC;
        }
        long date = Math.floorDiv(ts, USECS_PER_DAY);
        long time = ts - date * USECS_PER_DAY;
        int[] ymd = j2date((int) (date + POSTGRES_EPOCH_JDATE));
        Tm tm = new Tm(ymd[0], ymd[1], ymd[2]);
        tm.hour = (int) (time / USECS_PER_HOUR);
        time -= tm.hour * USECS_PER_HOUR;
        tm.min = (int) (time / USECS_PER_MINUTE);
        time -= tm.min * USECS_PER_MINUTE;
        tm.sec = (int) (time / USECS_PER_SEC);
        tm.fsec = time - tm.sec * USECS_PER_SEC;
        tm.tzEast = offset;
        tm.tzSet = zone != null;
        return tm;
    }

    /** The UTC offset (seconds east) of {@code zone} at timestamp {@code ts} (UTC micros since 2000). */
    public static int offsetAt(long ts, ZoneId zone) {
        if (zone instanceof ZoneOffset zo) {
            return zo.getTotalSeconds();
        }
        long secs = Math.floorDiv(ts, USECS_PER_SEC) + SECS_UNIX_TO_PG;
        secs = Math.max(Instant.MIN.getEpochSecond(), Math.min(secs, Instant.MAX.getEpochSecond()));
        return zone.getRules().getOffset(Instant.ofEpochSecond(secs)).getTotalSeconds();
    }

    /** tm2timestamp: null when out of range. tzEast applied when {@code withTz}. */
    static Long tm2timestamp(Tm tm, boolean withTz) {
        if (!isValidJulian(tm.year, tm.mon, tm.mday)) {
            return null;
        }
        long date = (long) date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE;
        long time = (((long) tm.hour * 60 + tm.min) * 60 + tm.sec) * USECS_PER_SEC + tm.fsec;
        long result;
        try {
            result = Math.addExact(Math.multiplyExact(date, USECS_PER_DAY), time);
            if (withTz) {
                result = Math.subtractExact(result, tm.tzEast * USECS_PER_SEC);
            }
        } catch (ArithmeticException e) {
            return null;
        }
        if (!isValidTimestamp(result)) {
            return null;
        }
        return result;
    }

    /** A local timestamp (no zone) interpreted in {@code zone}: the timestamptz (timestamp2timestamptz). */
    public static long localToUtc(long local, ZoneId zone) {
        if (local == DT_NOBEGIN || local == DT_NOEND) {
            return local;
        }
        Tm tm = timestamp2tm(local, null);
        int off = localOffset(tm, zone);
        long r = local - off * USECS_PER_SEC;
        if (!isValidTimestamp(r)) {
            throw Errors.datetimeOutOfRange("timestamp");
        }
        return r;
    }

    /** A timestamptz seen in {@code zone}: its local timestamp. */
    public static long utcToLocal(long utc, ZoneId zone) {
        if (utc == DT_NOBEGIN || utc == DT_NOEND) {
            return utc;
        }
        long r = utc + offsetAt(utc, zone) * USECS_PER_SEC;
        if (!isValidTimestamp(r)) {
            throw Errors.datetimeOutOfRange("timestamp");
        }
        return r;
    }

    public static long fromInstant(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond() - SECS_UNIX_TO_PG, USECS_PER_SEC), i.getNano() / 1000);
    }

    public static Instant toInstant(long ts) {
        return Instant.ofEpochSecond(Math.floorDiv(ts, USECS_PER_SEC) + SECS_UNIX_TO_PG,
                Math.floorMod(ts, USECS_PER_SEC) * 1000);
    }

    // ================================================================ type input

    private interface Decoder<T> {
        T run();
    }

    private static <T> T guard(String str, String type, Decoder<T> d) {
        try {
            return d.run();
        } catch (DtErr e) {
            throw translate(e, str, type);
        }
    }

    /** date_in. */
    public static int parseDate(String str, SessionContext ctx) {
        return guard(str, "date", () -> {
            State st = decodeDateTime(tokenize(str), ctx);
            Tm tm = st.tm;
            switch (st.dtype) {
                case DTK_DATE:
                    break;
                case DTK_EPOCH:
                    return 0 - (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE);
                case DTK_LATE:
                    return DATE_NOEND;
                case DTK_EARLY:
                    return DATE_NOBEGIN;
                default:
                    throw err(ERR_BAD_FORMAT);
            }
            if (!isValidJulian(tm.year, tm.mon, tm.mday)) {
                throw new PgException("22008", "date out of range: \"" + str + "\"");
            }
            long date = (long) date2j(tm.year, tm.mon, tm.mday) - POSTGRES_EPOCH_JDATE;
            if (!isValidDate(date)) {
                throw new PgException("22008", "date out of range: \"" + str + "\"");
            }
            return (int) date;
        });
    }

    /** timestamp_in / timestamptz_in (typmod -1 = full precision). */
    public static long parseTimestamp(String str, boolean withTz, int typmod, SessionContext ctx) {
        String type = withTz ? "timestamp with time zone" : "timestamp";
        long v = guard(str, type, () -> {
            State st = decodeDateTime(tokenize(str), ctx);
            switch (st.dtype) {
                case DTK_DATE: {
                    Long r = tm2timestamp(st.tm, withTz);
                    if (r == null) {
                        throw new PgException("22008", "timestamp out of range: \"" + str + "\"");
                    }
                    return r;
                }
                case DTK_EPOCH:
                    return -SECS_UNIX_TO_PG * USECS_PER_SEC;
                case DTK_LATE:
                    return DT_NOEND;
                case DTK_EARLY:
                    return DT_NOBEGIN;
                default:
                    throw err(ERR_BAD_FORMAT);
            }
        });
        return adjustTimestamp(v, typmod);
    }

    /** time_in. */
    public static long parseTime(String str, int typmod, SessionContext ctx) {
        long v = guard(str, "time", () -> {
            State st = decodeTimeOnly(tokenize(str), ctx);
            Tm tm = st.tm;
            return (((long) tm.hour * 60 + tm.min) * 60 + tm.sec) * USECS_PER_SEC + tm.fsec;
        });
        return adjustTime(v, typmod);
    }

    static final long[] SCALES = {1_000_000L, 100_000L, 10_000L, 1_000L, 100L, 10L, 1L};
    static final long[] OFFSETS = {500_000L, 50_000L, 5_000L, 500L, 50L, 5L, 0L};

    /** AdjustTimestampForTypmod: round to the precision (half away from zero). */
    public static long adjustTimestamp(long v, int typmod) {
        if (v == DT_NOBEGIN || v == DT_NOEND || typmod < 0 || typmod >= 6) {
            return v;
        }
        long r = v >= 0 ? (v + OFFSETS[typmod]) / SCALES[typmod] * SCALES[typmod]
                : -(((-v) + OFFSETS[typmod]) / SCALES[typmod] * SCALES[typmod]);
        if (!isValidTimestamp(r)) {
            throw Errors.datetimeOutOfRange("timestamp");
        }
        return r;
    }

    public static long adjustTime(long v, int typmod) {
        if (typmod < 0 || typmod >= 6) {
            return v;
        }
        return (v + OFFSETS[typmod]) / SCALES[typmod] * SCALES[typmod];
    }

    // ================================================================ interval input

    /** interval_in (typmod: range and precision; -1 = full). */
    public static Interval parseInterval(String str, int typmod, SessionContext ctx) {
        int range = typmod >= 0 ? (typmod >> 16) & 0x7FFF : Type.INTERVAL_FULL_RANGE;
        Interval iv = guard(str, "interval", () -> {
            try {
                return decodeInterval(tokenize(str), range, ctx);
            } catch (DtErr e) {
                if (e.code == ERR_BAD_FORMAT) {
                    Interval iso = decodeIso8601Interval(str.trim());
                    if (iso != null) {
                        return iso;
                    }
                }
                throw e.code == ERR_FIELD_OVERFLOW ? err(ERR_INTERVAL_OVERFLOW) : e;
            }
        });
        return adjustInterval(iv, typmod);
    }

    private static final class Itm {
        long months;
        long days;
        long usec;
    }

    private static Interval decodeInterval(List<Field> fields, int range, SessionContext ctx) {
        Itm itm = new Itm();
        int fmask = 0;
        int type = -1; // IGNORE_DTF
        boolean parsingUnitVal = false;
        boolean isBefore = false;
        int nf = fields.size();
        boolean forceNegative = false;
        if (ctx.intervalStyle() == SessionContext.IntervalStyle.SQL_STANDARD && nf > 0
                && fields.get(0).text.startsWith("-")) {
            forceNegative = true;
            for (int i = 1; i < nf; i++) {
                String t = fields.get(i).text;
                if (t.startsWith("-") || t.startsWith("+")) {
                    forceNegative = false;
                    break;
                }
            }
        }
        for (int i = nf - 1; i >= 0; i--) {
            Field f = fields.get(i);
            String field = f.text;
            int tmask = 0;
            int ftype = f.type;
            if (ftype == F_TIME) {
                itm.usec = timeForInterval(field);
                if (forceNegative && itm.usec > 0) {
                    itm.usec = -itm.usec;
                }
                tmask = TIME_M;
                type = U_DAY;
                parsingUnitVal = false;
            } else if (ftype == F_TZ && field.indexOf(':', 1) >= 0 && tryTimeForInterval(field.substring(1)) != null) {
                long u = tryTimeForInterval(field.substring(1));
                if (field.charAt(0) == '-') {
                    u = -u;
                }
                if (forceNegative && u > 0) {
                    u = -u;
                }
                itm.usec = u;
                tmask = TIME_M;
                type = U_DAY;
                parsingUnitVal = false;
            } else if (ftype == F_TZ || ftype == F_DATE || ftype == F_NUMBER) {
                if (type == -1) {
                    type = rightmostUnit(range);
                }
                long[] r = strtol(field, 0, true, Long.MAX_VALUE / 10);
                int cp = (int) r[1];
                long val = r[0];
                double fval;
                if (cp == 0 && !(field.startsWith(".") || field.startsWith("-.") || field.startsWith("+."))) {
                    throw err(ERR_BAD_FORMAT);
                }
                if (cp == 0) {
                    cp = field.indexOf('.');
                }
                if (cp < field.length() && field.charAt(cp) == '-') {
                    long[] r2 = strtol(field, cp + 1, false, Integer.MAX_VALUE);
                    if (r2[1] == cp + 1) {
                        throw err(ERR_BAD_FORMAT);
                    }
                    long val2 = r2[0];
                    if (val2 < 0 || val2 >= 12) {
                        throw err(ERR_FIELD_OVERFLOW);
                    }
                    if (r2[1] != field.length()) {
                        throw err(ERR_BAD_FORMAT);
                    }
                    type = U_MONTH;
                    if (field.charAt(0) == '-') {
                        val2 = -val2;
                    }
                    try {
                        val = Math.addExact(Math.multiplyExact(val, 12), val2);
                    } catch (ArithmeticException e) {
                        throw err(ERR_FIELD_OVERFLOW);
                    }
                    fval = 0;
                } else if (cp < field.length() && field.charAt(cp) == '.') {
                    String frac = field.substring(cp);
                    if (!frac.matches("\\.[0-9]*")) {
                        throw err(ERR_BAD_FORMAT);
                    }
                    fval = frac.length() == 1 ? 0 : Double.parseDouble("0" + frac);
                    if (field.charAt(0) == '-') {
                        fval = -fval;
                    }
                } else if (cp == field.length()) {
                    fval = 0;
                } else {
                    throw err(ERR_BAD_FORMAT);
                }
                if (forceNegative) {
                    if (val > 0) {
                        val = -val;
                    }
                    if (fval > 0) {
                        fval = -fval;
                    }
                }
                try {
                    switch (type) {
                        case U_MICROSEC:
                            adjustMicros(itm, val, fval, 1);
                            tmask = 1 << MICROSECOND;
                            break;
                        case U_MILLISEC:
                            adjustMicros(itm, val, fval, 1000);
                            tmask = 1 << MILLISECOND;
                            break;
                        case U_SECOND:
                            adjustMicros(itm, val, fval, USECS_PER_SEC);
                            tmask = fval == 0 ? 1 << SECOND : ALL_SECS_M;
                            break;
                        case U_MINUTE:
                            adjustMicros(itm, val, fval, USECS_PER_MINUTE);
                            tmask = 1 << MINUTE;
                            break;
                        case U_HOUR:
                            adjustMicros(itm, val, fval, USECS_PER_HOUR);
                            tmask = 1 << HOUR;
                            type = U_DAY;
                            break;
                        case U_DAY:
                            itm.days = Math.addExact(itm.days, val);
                            adjustFractMicros(itm, fval, USECS_PER_DAY);
                            tmask = 1 << DAY;
                            break;
                        case U_WEEK:
                            itm.days = Math.addExact(itm.days, Math.multiplyExact(val, 7));
                            adjustFractDays(itm, fval, 7);
                            tmask = 1 << 24;
                            break;
                        case U_MONTH:
                            itm.months = Math.addExact(itm.months, val);
                            adjustFractDays(itm, fval, 30);
                            tmask = 1 << MONTH;
                            break;
                        case U_YEAR:
                            adjustYears(itm, val, fval, 1);
                            tmask = 1 << YEAR;
                            break;
                        case U_DECADE:
                            adjustYears(itm, val, fval, 10);
                            tmask = 1 << 25;
                            break;
                        case U_CENTURY:
                            adjustYears(itm, val, fval, 100);
                            tmask = 1 << 26;
                            break;
                        case U_MILLENNIUM:
                            adjustYears(itm, val, fval, 1000);
                            tmask = 1 << 27;
                            break;
                        default:
                            throw err(ERR_BAD_FORMAT);
                    }
                } catch (ArithmeticException e) {
                    throw err(ERR_FIELD_OVERFLOW);
                }
                parsingUnitVal = false;
            } else if (ftype == F_STRING || ftype == F_SPECIAL) {
                if (parsingUnitVal) {
                    throw err(ERR_BAD_FORMAT);
                }
                Tok t = UNIT_TOKENS.get(field);
                if (t == null) {
                    throw err(ERR_BAD_FORMAT);
                }
                if (t.type == IGNORE) {
                    continue;
                }
                switch (t.type) {
                    case UNITS:
                        type = t.value;
                        parsingUnitVal = true;
                        break;
                    case AGO:
                        isBefore = true;
                        break;
                    default:
                        throw err(ERR_BAD_FORMAT);
                }
            } else {
                throw err(ERR_BAD_FORMAT);
            }
            if ((tmask & fmask) != 0) {
                throw err(ERR_BAD_FORMAT);
            }
            fmask |= tmask;
        }
        if (fmask == 0 || parsingUnitVal) {
            throw err(ERR_BAD_FORMAT);
        }
        if (isBefore) {
            itm.months = -itm.months;
            itm.days = -itm.days;
            itm.usec = -itm.usec;
        }
        return toInterval(itm);
    }

    private static int rightmostUnit(int range) {
        if (range == IntervalFields.YEAR) {
            return U_YEAR;
        }
        if (range == IntervalFields.MONTH || range == (IntervalFields.YEAR | IntervalFields.MONTH)) {
            return U_MONTH;
        }
        if (range == IntervalFields.DAY) {
            return U_DAY;
        }
        if (range == IntervalFields.HOUR || range == (IntervalFields.DAY | IntervalFields.HOUR)) {
            return U_HOUR;
        }
        if (range == IntervalFields.MINUTE || range == (IntervalFields.HOUR | IntervalFields.MINUTE)
                || range == (IntervalFields.DAY | IntervalFields.HOUR | IntervalFields.MINUTE)) {
            return U_MINUTE;
        }
        return U_SECOND;
    }

    private static Interval toInterval(Itm itm) {
        if (itm.months > Integer.MAX_VALUE || itm.months < Integer.MIN_VALUE || itm.days > Integer.MAX_VALUE
                || itm.days < Integer.MIN_VALUE) {
            throw err(ERR_FIELD_OVERFLOW);
        }
        return new Interval((int) itm.months, (int) itm.days, itm.usec);
    }

    private static void adjustFractMicros(Itm itm, double frac, long scale) {
        if (frac == 0) {
            return;
        }
        double f = Math.rint(frac * scale);
        if (Double.isNaN(f) || Math.abs(f) > 9.2e18) {
            throw new ArithmeticException();
        }
        itm.usec = Math.addExact(itm.usec, (long) f);
    }

    private static void adjustMicros(Itm itm, long val, double fval, long scale) {
        itm.usec = Math.addExact(itm.usec, Math.multiplyExact(val, scale));
        adjustFractMicros(itm, fval, scale);
    }

    private static void adjustFractDays(Itm itm, double frac, int scale) {
        if (frac == 0) {
            return;
        }
        double extra = frac * scale;
        int whole = (int) extra;
        itm.days = Math.addExact(itm.days, whole);
        adjustFractMicros(itm, extra - whole, USECS_PER_DAY);
    }

    private static void adjustYears(Itm itm, long val, double fval, int scale) {
        itm.months = Math.addExact(itm.months, Math.multiplyExact(val, (long) scale * 12));
        if (fval != 0) {
            itm.months = Math.addExact(itm.months, (long) Math.rint(fval * scale * 12));
        }
    }

    private static Long tryTimeForInterval(String s) {
        try {
            return timeForInterval(s);
        } catch (DtErr e) {
            return null;
        }
    }

    /** DecodeTimeForInterval: h:m[:s[.f]] with unbounded hours → microseconds. */
    private static long timeForInterval(String str) {
        long[] r = strtol(str, 0, false, Long.MAX_VALUE / 10);
        int cp = (int) r[1];
        if (cp >= str.length() || str.charAt(cp) != ':') {
            throw err(ERR_BAD_FORMAT);
        }
        long hour = r[0];
        r = strtol(str, cp + 1, false, Integer.MAX_VALUE);
        long min = r[0];
        cp = (int) r[1];
        long sec = 0;
        long fsec = 0;
        if (cp == str.length()) {
            sec = 0;
        } else if (str.charAt(cp) == '.') {
            fsec = parseFraction(str, cp);
            sec = min;
            min = hour;
            hour = 0;
        } else if (str.charAt(cp) == ':') {
            r = strtol(str, cp + 1, false, Integer.MAX_VALUE);
            sec = r[0];
            cp = (int) r[1];
            if (cp < str.length()) {
                if (str.charAt(cp) == '.') {
                    fsec = parseFraction(str, cp);
                } else {
                    throw err(ERR_BAD_FORMAT);
                }
            }
        } else {
            throw err(ERR_BAD_FORMAT);
        }
        if (hour < 0 || min < 0 || min > 59 || sec < 0 || sec > 60 || fsec < 0 || fsec > USECS_PER_SEC) {
            throw err(ERR_FIELD_OVERFLOW);
        }
        try {
            return Math.addExact(Math.addExact(Math.multiplyExact(hour, USECS_PER_HOUR), min * USECS_PER_MINUTE),
                    sec * USECS_PER_SEC + fsec);
        } catch (ArithmeticException e) {
            throw err(ERR_FIELD_OVERFLOW);
        }
    }

    /** ISO 8601 "format with designators" (P1Y2M3DT4H5M6S) and the alternative P0001-02-03T04:05:06. */
    private static Interval decodeIso8601Interval(String str) {
        if (str.length() < 2 || Character.toUpperCase(str.charAt(0)) != 'P') {
            return null;
        }
        String s = str.substring(1);
        Itm itm = new Itm();
        java.util.regex.Matcher alt = java.util.regex.Pattern
                .compile("(-?\\d+)-(\\d+)-(\\d+)(?:T(\\d+):(\\d+):(\\d+(?:\\.\\d+)?))?").matcher(s);
        if (alt.matches()) {
            itm.months = Long.parseLong(alt.group(1)) * 12 + Long.parseLong(alt.group(2));
            itm.days = Long.parseLong(alt.group(3));
            if (alt.group(4) != null) {
                itm.usec = Long.parseLong(alt.group(4)) * USECS_PER_HOUR + Long.parseLong(alt.group(5)) * USECS_PER_MINUTE
                        + (long) Math.rint(Double.parseDouble(alt.group(6)) * USECS_PER_SEC);
            }
            return toInterval(itm);
        }
        boolean timePart = false;
        int i = 0;
        boolean any = false;
        try {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == 'T' || c == 't') {
                    if (timePart) {
                        throw err(ERR_BAD_FORMAT);
                    }
                    timePart = true;
                    i++;
                    continue;
                }
                int st = i;
                if (c == '-' || c == '+') {
                    i++;
                }
                while (i < s.length() && (isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                if (i == st || i >= s.length()) {
                    throw err(ERR_BAD_FORMAT);
                }
                double v = Double.parseDouble(s.substring(st, i));
                long whole = (long) v;
                double frac = v - whole;
                char unit = Character.toUpperCase(s.charAt(i++));
                any = true;
                if (!timePart) {
                    switch (unit) {
                        case 'Y' -> adjustYears(itm, whole, frac, 1);
                        case 'M' -> {
                            itm.months = Math.addExact(itm.months, whole);
                            adjustFractDays(itm, frac, 30);
                        }
                        case 'W' -> {
                            itm.days = Math.addExact(itm.days, whole * 7);
                            adjustFractDays(itm, frac, 7);
                        }
                        case 'D' -> {
                            itm.days = Math.addExact(itm.days, whole);
                            adjustFractMicros(itm, frac, USECS_PER_DAY);
                        }
                        default -> throw err(ERR_BAD_FORMAT);
                    }
                } else {
                    switch (unit) {
                        case 'H' -> adjustMicros(itm, whole, frac, USECS_PER_HOUR);
                        case 'M' -> adjustMicros(itm, whole, frac, USECS_PER_MINUTE);
                        case 'S' -> adjustMicros(itm, whole, frac, USECS_PER_SEC);
                        default -> throw err(ERR_BAD_FORMAT);
                    }
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw err(ERR_BAD_FORMAT);
        }
        if (!any) {
            throw err(ERR_BAD_FORMAT);
        }
        return toInterval(itm);
    }

    /** AdjustIntervalForTypmod: drop fields outside the range, round to the precision. */
    public static Interval adjustInterval(Interval iv, int typmod) {
        if (typmod < 0) {
            return iv;
        }
        int range = (typmod >> 16) & 0x7FFF;
        int precision = typmod & 0xFFFF;
        int months = iv.months();
        int days = iv.days();
        long time = iv.micros();
        if (range != Type.INTERVAL_FULL_RANGE) {
            if (range == IntervalFields.YEAR) {
                months = months / 12 * 12;
                days = 0;
                time = 0;
            } else if (range == IntervalFields.MONTH || range == (IntervalFields.YEAR | IntervalFields.MONTH)) {
                days = 0;
                time = 0;
            } else if (range == IntervalFields.DAY) {
                time = 0;
            } else if (range == IntervalFields.HOUR || range == (IntervalFields.DAY | IntervalFields.HOUR)) {
                time = time / USECS_PER_HOUR * USECS_PER_HOUR;
            } else if (range == IntervalFields.MINUTE || range == (IntervalFields.HOUR | IntervalFields.MINUTE)
                    || range == (IntervalFields.DAY | IntervalFields.HOUR | IntervalFields.MINUTE)) {
                time = time / USECS_PER_MINUTE * USECS_PER_MINUTE;
            }
        }
        if (precision != Type.INTERVAL_FULL_PRECISION && precision < 6) {
            long sc = SCALES[precision];
            long of = OFFSETS[precision];
            time = time >= 0 ? (time + of) / sc * sc : -(((-time) + of) / sc * sc);
        }
        return new Interval(months, days, time);
    }

    // ================================================================ output

    static void appendSeconds(StringBuilder sb, int sec, long fsec, boolean fillzeros) {
        int s = Math.abs(sec);
        if (fillzeros && s < 10) {
            sb.append('0');
        }
        sb.append(s);
        if (fsec != 0) {
            String f = String.format("%06d", Math.abs(fsec));
            int end = f.length();
            while (end > 0 && f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(f, 0, end);
        }
    }

    static void pad2(StringBuilder sb, long v) {
        if (v < 10) {
            sb.append('0');
        }
        sb.append(v);
    }

    static void pad4(StringBuilder sb, int v) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < 4; i++) {
            sb.append('0');
        }
        sb.append(s);
    }

    private static int displayYear(int y) {
        return y > 0 ? y : -(y - 1);
    }

    /** date_out. */
    public static String formatDate(int date, SessionContext ctx) {
        if (date == DATE_NOBEGIN) {
            return "-infinity";
        }
        if (date == DATE_NOEND) {
            return "infinity";
        }
        Tm tm = dateToTm(date);
        StringBuilder sb = new StringBuilder();
        encodeDateOnly(sb, tm, ctx);
        return sb.toString();
    }

    private static void encodeDateOnly(StringBuilder sb, Tm tm, SessionContext ctx) {
        boolean dmy = ctx.dateOrder() == SessionContext.DateOrder.DMY;
        switch (ctx.dateStyle()) {
            case ISO -> {
                pad4(sb, displayYear(tm.year));
                sb.append('-');
                pad2(sb, tm.mon);
                sb.append('-');
                pad2(sb, tm.mday);
            }
            case SQL -> {
                pad2(sb, dmy ? tm.mday : tm.mon);
                sb.append('/');
                pad2(sb, dmy ? tm.mon : tm.mday);
                sb.append('/');
                pad4(sb, displayYear(tm.year));
            }
            case GERMAN -> {
                pad2(sb, tm.mday);
                sb.append('.');
                pad2(sb, tm.mon);
                sb.append('.');
                pad4(sb, displayYear(tm.year));
            }
            case POSTGRES -> {
                pad2(sb, dmy ? tm.mday : tm.mon);
                sb.append('-');
                pad2(sb, dmy ? tm.mon : tm.mday);
                sb.append('-');
                pad4(sb, displayYear(tm.year));
            }
        }
        if (tm.year <= 0) {
            sb.append(" BC");
        }
    }

    /** time_out. */
    public static String formatTime(long time) {
        StringBuilder sb = new StringBuilder();
        long h = time / USECS_PER_HOUR;
        time -= h * USECS_PER_HOUR;
        long m = time / USECS_PER_MINUTE;
        time -= m * USECS_PER_MINUTE;
        int s = (int) (time / USECS_PER_SEC);
        pad2(sb, h);
        sb.append(':');
        pad2(sb, m);
        sb.append(':');
        appendSeconds(sb, s, time - s * USECS_PER_SEC, true);
        return sb.toString();
    }

    /** timestamp_out. */
    public static String formatTimestamp(long ts, SessionContext ctx) {
        if (ts == DT_NOBEGIN) {
            return "-infinity";
        }
        if (ts == DT_NOEND) {
            return "infinity";
        }
        return encodeDateTime(timestamp2tm(ts, null), false, null, ctx);
    }

    /** timestamptz_out in the session TimeZone. */
    public static String formatTimestamptz(long ts, SessionContext ctx) {
        return formatTimestamptz(ts, ctx.timeZone(), ctx);
    }

    public static String formatTimestamptz(long ts, ZoneId zone, SessionContext ctx) {
        if (ts == DT_NOBEGIN) {
            return "-infinity";
        }
        if (ts == DT_NOEND) {
            return "infinity";
        }
        Tm tm = timestamp2tm(ts, zone);
        String abbrev = null;
        if (ctx.dateStyle() != SessionContext.DateStyle.ISO) {
            abbrev = zoneAbbrev(ts, zone);
        }
        return encodeDateTime(tm, true, abbrev, ctx);
    }

    static String zoneAbbrev(long ts, ZoneId zone) {
        if (zone instanceof ZoneOffset zo) {
            if (zo.getTotalSeconds() == 0) {
                return "UTC";
            }
            return null;
        }
        if (zone.getId().equals("UTC") || zone.getId().equals("Etc/UTC")) {
            return "UTC";
        }
        var transitions = zone.getRules().getTransitions();
        if (!transitions.isEmpty() && toInstant(ts).isBefore(transitions.get(0).getInstant())) {
            return "LMT"; // local mean time, before the zone's first transition
        }
        try {
            ZonedDateTime z = toInstant(ts).atZone(zone);
            String n = java.time.format.DateTimeFormatter.ofPattern("zzz", Locale.ROOT).format(z);
            if (n.startsWith("GMT") && n.length() > 3) {
                return null;
            }
            return n;
        } catch (java.time.DateTimeException e) {
            return zone.getDisplayName(TextStyle.SHORT, Locale.ROOT);
        }
    }

    static void encodeTimezone(StringBuilder sb, int tzEast) {
        int sec = Math.abs(tzEast);
        int min = sec / 60;
        sec -= min * 60;
        int hour = min / 60;
        min -= hour * 60;
        sb.append(tzEast >= 0 ? '+' : '-');
        pad2(sb, hour);
        if (sec != 0) {
            sb.append(':');
            pad2(sb, min);
            sb.append(':');
            pad2(sb, sec);
        } else if (min != 0) {
            sb.append(':');
            pad2(sb, min);
        }
    }

    private static String encodeDateTime(Tm tm, boolean printTz, String tzn, SessionContext ctx) {
        StringBuilder sb = new StringBuilder();
        boolean dmy = ctx.dateOrder() == SessionContext.DateOrder.DMY;
        switch (ctx.dateStyle()) {
            case ISO -> {
                pad4(sb, displayYear(tm.year));
                sb.append('-');
                pad2(sb, tm.mon);
                sb.append('-');
                pad2(sb, tm.mday);
                sb.append(' ');
                appendHms(sb, tm);
                if (printTz) {
                    encodeTimezone(sb, tm.tzEast);
                }
            }
            case SQL -> {
                pad2(sb, dmy ? tm.mday : tm.mon);
                sb.append('/');
                pad2(sb, dmy ? tm.mon : tm.mday);
                sb.append('/');
                pad4(sb, displayYear(tm.year));
                sb.append(' ');
                appendHms(sb, tm);
                if (printTz) {
                    appendTzName(sb, tzn, tm.tzEast);
                }
            }
            case GERMAN -> {
                pad2(sb, tm.mday);
                sb.append('.');
                pad2(sb, tm.mon);
                sb.append('.');
                pad4(sb, displayYear(tm.year));
                sb.append(' ');
                appendHms(sb, tm);
                if (printTz) {
                    appendTzName(sb, tzn, tm.tzEast);
                }
            }
            case POSTGRES -> {
                int wday = j2day(date2j(tm.year, tm.mon, tm.mday));
                sb.append(DAYS[wday]).append(' ');
                if (dmy) {
                    pad2(sb, tm.mday);
                    sb.append(' ').append(MONTHS[tm.mon - 1]);
                } else {
                    sb.append(MONTHS[tm.mon - 1]).append(' ');
                    pad2(sb, tm.mday);
                }
                sb.append(' ');
                appendHms(sb, tm);
                sb.append(' ');
                pad4(sb, displayYear(tm.year));
                if (printTz) {
                    appendTzName(sb, tzn, tm.tzEast);
                }
            }
        }
        if (tm.year <= 0) {
            sb.append(" BC");
        }
        return sb.toString();
    }

    private static void appendTzName(StringBuilder sb, String tzn, int tzEast) {
        sb.append(' ');
        if (tzn != null) {
            sb.append(tzn);
        } else {
            encodeTimezone(sb, tzEast);
        }
    }

    private static void appendHms(StringBuilder sb, Tm tm) {
        pad2(sb, tm.hour);
        sb.append(':');
        pad2(sb, tm.min);
        sb.append(':');
        appendSeconds(sb, tm.sec, tm.fsec, true);
    }

    /** interval_out under IntervalStyle. */
    public static String formatInterval(Interval iv, SessionContext ctx) {
        long year = iv.months() / 12;
        long mon = iv.months() % 12;
        long mday = iv.days();
        long time = iv.micros();
        long hour = time / USECS_PER_HOUR;
        time -= hour * USECS_PER_HOUR;
        long min = time / USECS_PER_MINUTE;
        time -= min * USECS_PER_MINUTE;
        int sec = (int) (time / USECS_PER_SEC);
        long fsec = time - sec * USECS_PER_SEC;
        StringBuilder sb = new StringBuilder();
        switch (ctx.intervalStyle()) {
            case POSTGRES -> {
                boolean[] isZero = {true};
                boolean[] isBefore = {false};
                addPostgresPart(sb, year, "year", isZero, isBefore);
                addPostgresPart(sb, mon, "mon", isZero, isBefore);
                addPostgresPart(sb, mday, "day", isZero, isBefore);
                if (isZero[0] || hour != 0 || min != 0 || sec != 0 || fsec != 0) {
                    boolean minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
                    if (!isZero[0]) {
                        sb.append(' ');
                    }
                    sb.append(minus ? "-" : isBefore[0] ? "+" : "");
                    pad2(sb, Math.abs(hour));
                    sb.append(':');
                    pad2(sb, Math.abs(min));
                    sb.append(':');
                    appendSeconds(sb, sec, fsec, true);
                }
            }
            case POSTGRES_VERBOSE -> {
                sb.append('@');
                boolean[] isZero = {true};
                boolean[] isBefore = {false};
                addVerbosePart(sb, year, "year", isZero, isBefore);
                addVerbosePart(sb, mon, "mon", isZero, isBefore);
                addVerbosePart(sb, mday, "day", isZero, isBefore);
                addVerbosePart(sb, hour, "hour", isZero, isBefore);
                addVerbosePart(sb, min, "min", isZero, isBefore);
                if (sec != 0 || fsec != 0) {
                    sb.append(' ');
                    if (sec < 0 || (sec == 0 && fsec < 0)) {
                        if (isZero[0]) {
                            isBefore[0] = true;
                        } else if (!isBefore[0]) {
                            sb.append('-');
                        }
                    } else if (isBefore[0]) {
                        sb.append('-');
                    }
                    appendSeconds(sb, sec, fsec, false);
                    sb.append(" sec").append(Math.abs(sec) != 1 || fsec != 0 ? "s" : "");
                    isZero[0] = false;
                }
                if (isZero[0]) {
                    sb.append(" 0");
                }
                if (isBefore[0]) {
                    sb.append(" ago");
                }
            }
            case ISO_8601 -> {
                if (year == 0 && mon == 0 && mday == 0 && hour == 0 && min == 0 && sec == 0 && fsec == 0) {
                    return "PT0S";
                }
                sb.append('P');
                addIsoPart(sb, year, 'Y');
                addIsoPart(sb, mon, 'M');
                addIsoPart(sb, mday, 'D');
                if (hour != 0 || min != 0 || sec != 0 || fsec != 0) {
                    sb.append('T');
                }
                addIsoPart(sb, hour, 'H');
                addIsoPart(sb, min, 'M');
                if (sec != 0 || fsec != 0) {
                    if (sec < 0 || fsec < 0) {
                        sb.append('-');
                    }
                    appendSeconds(sb, sec, fsec, false);
                    sb.append('S');
                }
            }
            case SQL_STANDARD -> {
                boolean hasNeg = year < 0 || mon < 0 || mday < 0 || hour < 0 || min < 0 || sec < 0 || fsec < 0;
                boolean hasPos = year > 0 || mon > 0 || mday > 0 || hour > 0 || min > 0 || sec > 0 || fsec > 0;
                boolean hasYm = year != 0 || mon != 0;
                boolean hasDt = mday != 0 || hour != 0 || min != 0 || sec != 0 || fsec != 0;
                boolean std = !(hasNeg && hasPos) && !(hasYm && hasDt);
                if (hasNeg && std) {
                    sb.append('-');
                    year = -year;
                    mon = -mon;
                    mday = -mday;
                    hour = -hour;
                    min = -min;
                    sec = -sec;
                    fsec = -fsec;
                }
                if (!hasNeg && !hasPos) {
                    sb.append('0');
                } else if (!std) {
                    char ys = (year < 0 || mon < 0) ? '-' : '+';
                    char ds = mday < 0 ? '-' : '+';
                    char ss = (hour < 0 || min < 0 || sec < 0 || fsec < 0) ? '-' : '+';
                    sb.append(ys).append(Math.abs(year)).append('-').append(Math.abs(mon)).append(' ').append(ds)
                            .append(Math.abs(mday)).append(' ').append(ss).append(Math.abs(hour)).append(':');
                    pad2(sb, Math.abs(min));
                    sb.append(':');
                    appendSeconds(sb, sec, fsec, true);
                } else if (hasYm) {
                    sb.append(year).append('-').append(mon);
                } else if (mday != 0) {
                    sb.append(mday).append(' ').append(hour).append(':');
                    pad2(sb, min);
                    sb.append(':');
                    appendSeconds(sb, sec, fsec, true);
                } else {
                    sb.append(hour).append(':');
                    pad2(sb, min);
                    sb.append(':');
                    appendSeconds(sb, sec, fsec, true);
                }
            }
        }
        return sb.toString();
    }

    private static void addPostgresPart(StringBuilder sb, long value, String units, boolean[] isZero,
            boolean[] isBefore) {
        if (value == 0) {
            return;
        }
        if (!isZero[0]) {
            sb.append(' ');
        }
        if (isBefore[0] && value > 0) {
            sb.append('+');
        }
        sb.append(value).append(' ').append(units);
        if (value != 1) {
            sb.append('s');
        }
        isBefore[0] = value < 0;
        isZero[0] = false;
    }

    private static void addVerbosePart(StringBuilder sb, long value, String units, boolean[] isZero,
            boolean[] isBefore) {
        if (value == 0) {
            return;
        }
        if (isZero[0]) {
            isBefore[0] = value < 0;
            value = Math.abs(value);
        } else if (isBefore[0]) {
            value = -value;
        }
        sb.append(' ').append(value).append(' ').append(units).append(value == 1 ? "" : "s");
        isZero[0] = false;
    }

    private static void addIsoPart(StringBuilder sb, long value, char units) {
        if (value == 0) {
            return;
        }
        sb.append(value).append(units);
    }
}
