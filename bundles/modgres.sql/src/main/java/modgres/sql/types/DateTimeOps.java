package modgres.sql.types;

/*
 * Design notes
 * ------------
 * Date/time arithmetic and functions as PostgreSQL's date.c/timestamp.c:
 * adding months clamps the day to the month's end, then days are added on
 * the calendar, then the microseconds; for timestamptz the calendar steps
 * happen in the session TimeZone (so '1 day' across a DST change keeps the
 * wall-clock time). Infinite timestamps/dates stay infinite where PostgreSQL
 * keeps them and raise its errors where it does. extract() returns numeric
 * with PostgreSQL's scales; date_part() float8.
 */

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Locale;

import modgres.api.error.PgException;

/** Date/time arithmetic, extract/date_part, date_trunc, age, make_*, justify_*. */
public final class DateTimeOps {
    static final long USECS_PER_DAY = DateTime.USECS_PER_DAY;

    private DateTimeOps() {
    }

    static PgException intervalOutOfRange() {
        return new PgException("22008", "interval out of range");
    }

    static PgException timestampOutOfRange() {
        return new PgException("22008", "timestamp out of range");
    }

    static boolean infinite(long ts) {
        return ts == DateTime.DT_NOBEGIN || ts == DateTime.DT_NOEND;
    }

    // ---------------------------------------------------------------- timestamp ± interval

    /** timestamp_pl_interval (zone null) / timestamptz_pl_interval (zone = session TimeZone). */
    public static long plusInterval(long ts, Interval span, ZoneId zone) {
        if (infinite(ts)) {
            return ts;
        }
        if (span.months() != 0) {
            DateTime.Tm tm = DateTime.timestamp2tm(ts, zone);
            long mon = (long) tm.mon + span.months();
            if (mon > 12) {
                tm.year += (int) ((mon - 1) / 12);
                tm.mon = (int) ((mon - 1) % 12) + 1;
            } else if (mon < 1) {
                tm.year += (int) (mon / 12 - 1);
                tm.mon = (int) (mon % 12 + 12);
            } else {
                tm.mon = (int) mon;
            }
            int dim = DateTime.daysInMonth(tm.year, tm.mon);
            if (tm.mday > dim) {
                tm.mday = dim;
            }
            ts = fromTm(tm, zone);
        }
        if (span.days() != 0) {
            DateTime.Tm tm = DateTime.timestamp2tm(ts, zone);
            int[] ymd = DateTime.j2date(DateTime.date2j(tm.year, tm.mon, tm.mday) + span.days());
            tm.year = ymd[0];
            tm.mon = ymd[1];
            tm.mday = ymd[2];
            ts = fromTm(tm, zone);
        }
        try {
            ts = Math.addExact(ts, span.micros());
        } catch (ArithmeticException e) {
            throw timestampOutOfRange();
        }
        if (!DateTime.isValidTimestamp(ts)) {
            throw timestampOutOfRange();
        }
        return ts;
    }

    private static long fromTm(DateTime.Tm tm, ZoneId zone) {
        if (zone != null) {
            tm.tzEast = DateTime.localOffset(tm, zone);
        }
        Long r = DateTime.tm2timestamp(tm, zone != null);
        if (r == null) {
            throw timestampOutOfRange();
        }
        return r;
    }

    public static long minusInterval(long ts, Interval span, ZoneId zone) {
        return plusInterval(ts, negate(span), zone);
    }

    /** timestamp - timestamp: the microseconds, justified into days. */
    public static Interval minus(long a, long b) {
        if (infinite(a) || infinite(b)) {
            throw new PgException("22008", "cannot subtract infinite timestamps");
        }
        long diff;
        try {
            diff = Math.subtractExact(a, b);
        } catch (ArithmeticException e) {
            throw intervalOutOfRange();
        }
        return justifyHours(new Interval(0, 0, diff));
    }

    // ---------------------------------------------------------------- date arithmetic

    public static int datePlusDays(int date, long days) {
        if (date == DateTime.DATE_NOBEGIN || date == DateTime.DATE_NOEND) {
            return date;
        }
        long r = date + days;
        if (!DateTime.isValidDate(r)) {
            throw new PgException("22008", "date out of range");
        }
        return (int) r;
    }

    public static int dateMinusDate(int a, int b) {
        if (a == DateTime.DATE_NOBEGIN || a == DateTime.DATE_NOEND || b == DateTime.DATE_NOBEGIN
                || b == DateTime.DATE_NOEND) {
            throw new PgException("22008", "cannot subtract infinite dates");
        }
        return a - b;
    }

    /** time + interval wraps around midnight. */
    public static long timePlusInterval(long time, Interval span) {
        long r = time + span.micros() % USECS_PER_DAY;
        r -= r / USECS_PER_DAY * USECS_PER_DAY;
        if (r < 0) {
            r += USECS_PER_DAY;
        }
        return r;
    }

    // ---------------------------------------------------------------- interval arithmetic

    public static Interval add(Interval a, Interval b) {
        try {
            return new Interval(Math.addExact(a.months(), b.months()), Math.addExact(a.days(), b.days()),
                    Math.addExact(a.micros(), b.micros()));
        } catch (ArithmeticException e) {
            throw intervalOutOfRange();
        }
    }

    public static Interval sub(Interval a, Interval b) {
        try {
            return new Interval(Math.subtractExact(a.months(), b.months()), Math.subtractExact(a.days(), b.days()),
                    Math.subtractExact(a.micros(), b.micros()));
        } catch (ArithmeticException e) {
            throw intervalOutOfRange();
        }
    }

    public static Interval negate(Interval a) {
        try {
            return a.negate();
        } catch (ArithmeticException e) {
            throw intervalOutOfRange();
        }
    }

    private static double tsround(double j) {
        return Math.rint(j * 1_000_000.0) / 1_000_000.0;
    }

    private static boolean fitsInt(double d) {
        return !Double.isNaN(d) && d >= -2147483648.0 && d < 2147483648.0;
    }

    /** interval_mul. */
    public static Interval mul(Interval span, double factor) {
        double rm = span.months() * factor;
        if (!fitsInt(rm)) {
            throw intervalOutOfRange();
        }
        int month = (int) rm;
        double rd = span.days() * factor;
        if (!fitsInt(rd)) {
            throw intervalOutOfRange();
        }
        int day = (int) rd;
        double monthRemainderDays = tsround((span.months() * factor - month) * 30);
        double secRemainder = tsround((span.days() * factor - day + monthRemainderDays - (int) monthRemainderDays)
                * 86400);
        if (Math.abs(secRemainder) >= 86400) {
            day = addInt(day, (int) (secRemainder / 86400));
            secRemainder -= (int) (secRemainder / 86400) * 86400;
        }
        day = addInt(day, (int) monthRemainderDays);
        double t = Math.rint(span.micros() * factor + secRemainder * 1_000_000);
        if (Double.isNaN(t) || t < -9.223372036854775808E18 || t >= 9.223372036854775808E18) {
            throw intervalOutOfRange();
        }
        return new Interval(month, day, (long) t);
    }

    private static int addInt(int a, int b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw intervalOutOfRange();
        }
    }

    /** interval_div. */
    public static Interval div(Interval span, double factor) {
        if (factor == 0.0) {
            throw Errors.divisionByZero();
        }
        double rm = span.months() / factor;
        double rd = span.days() / factor;
        if (!fitsInt(rm) || !fitsInt(rd)) {
            throw intervalOutOfRange();
        }
        int month = (int) rm;
        int day = (int) rd;
        double monthRemainderDays = tsround((span.months() / factor - month) * 30);
        double secRemainder = tsround((span.days() / factor - day + monthRemainderDays - (int) monthRemainderDays)
                * 86400);
        if (Math.abs(secRemainder) >= 86400) {
            day += (int) (secRemainder / 86400);
            secRemainder -= (int) (secRemainder / 86400) * 86400;
        }
        day += (int) monthRemainderDays;
        double t = Math.rint(span.micros() / factor + secRemainder * 1_000_000);
        if (Double.isNaN(t) || Double.isInfinite(t)) {
            throw intervalOutOfRange();
        }
        return new Interval(month, day, (long) t);
    }

    public static Interval justifyHours(Interval s) {
        long time = s.micros();
        long wholeday = time / USECS_PER_DAY;
        time -= wholeday * USECS_PER_DAY;
        long day = s.days() + wholeday;
        if (day > 0 && time < 0) {
            time += USECS_PER_DAY;
            day--;
        } else if (day < 0 && time > 0) {
            time -= USECS_PER_DAY;
            day++;
        }
        if (day > Integer.MAX_VALUE || day < Integer.MIN_VALUE) {
            throw intervalOutOfRange();
        }
        return new Interval(s.months(), (int) day, time);
    }

    public static Interval justifyDays(Interval s) {
        int day = s.days();
        int wholemonth = day / 30;
        day -= wholemonth * 30;
        long month = (long) s.months() + wholemonth;
        if (month > 0 && day < 0) {
            day += 30;
            month--;
        } else if (month < 0 && day > 0) {
            day -= 30;
            month++;
        }
        if (month > Integer.MAX_VALUE || month < Integer.MIN_VALUE) {
            throw intervalOutOfRange();
        }
        return new Interval((int) month, day, s.micros());
    }

    public static Interval justifyInterval(Interval s) {
        long time = s.micros();
        long wholeday = time / USECS_PER_DAY;
        time -= wholeday * USECS_PER_DAY;
        long day = s.days() + wholeday;
        long wholemonth = day / 30;
        day -= wholemonth * 30;
        long month = s.months() + wholemonth;
        if (month > 0 && (day < 0 || (day == 0 && time < 0))) {
            day += 30;
            month--;
        } else if (month < 0 && (day > 0 || (day == 0 && time > 0))) {
            day -= 30;
            month++;
        }
        if (day > 0 && time < 0) {
            time += USECS_PER_DAY;
            day--;
        } else if (day < 0 && time > 0) {
            time -= USECS_PER_DAY;
            day++;
        }
        if (month > Integer.MAX_VALUE || month < Integer.MIN_VALUE || day > Integer.MAX_VALUE
                || day < Integer.MIN_VALUE) {
            throw intervalOutOfRange();
        }
        return new Interval((int) month, (int) day, time);
    }

    // ---------------------------------------------------------------- age

    /** age(a, b): the symbolic difference in years, months, days (zone: session TZ for timestamptz). */
    public static Interval age(long dt1, long dt2, ZoneId zone) {
        if (infinite(dt1) || infinite(dt2)) {
            throw new PgException("22008", "cannot subtract infinite timestamps");
        }
        DateTime.Tm t1 = DateTime.timestamp2tm(dt1, zone);
        DateTime.Tm t2 = DateTime.timestamp2tm(dt2, zone);
        long fsec = t1.fsec - t2.fsec;
        long sec = t1.sec - t2.sec;
        long min = t1.min - t2.min;
        long hour = t1.hour - t2.hour;
        long mday = t1.mday - t2.mday;
        long mon = t1.mon - t2.mon;
        long year = t1.year - t2.year;
        boolean flip = dt1 < dt2;
        if (flip) {
            fsec = -fsec;
            sec = -sec;
            min = -min;
            hour = -hour;
            mday = -mday;
            mon = -mon;
            year = -year;
        }
        while (fsec < 0) {
            fsec += 1_000_000;
            sec--;
        }
        while (sec < 0) {
            sec += 60;
            min--;
        }
        while (min < 0) {
            min += 60;
            hour--;
        }
        while (hour < 0) {
            hour += 24;
            mday--;
        }
        while (mday < 0) {
            if (flip) {
                mday += DateTime.daysInMonth(t1.year, t1.mon);
            } else {
                mday += DateTime.daysInMonth(t2.year, t2.mon);
            }
            mon--;
        }
        while (mon < 0) {
            mon += 12;
            year--;
        }
        if (flip) {
            fsec = -fsec;
            sec = -sec;
            min = -min;
            hour = -hour;
            mday = -mday;
            mon = -mon;
            year = -year;
        }
        long months = year * 12 + mon;
        long time = ((hour * 60 + min) * 60 + sec) * 1_000_000 + fsec;
        if (months > Integer.MAX_VALUE || months < Integer.MIN_VALUE) {
            throw intervalOutOfRange();
        }
        return new Interval((int) months, (int) mday, time);
    }

    // ---------------------------------------------------------------- extract / date_part

    private static final java.util.Map<String, String> UNITS = new java.util.HashMap<>();

    static {
        String[][] u = {{"microseconds", "microsecond", "microsecon", "us", "usec", "usecs", "useconds", "usecond"},
            {"milliseconds", "millisecond", "millisecon", "ms", "msec", "msecs", "mseconds", "msecond"},
            {"second", "s", "sec", "secs", "seconds"}, {"minute", "m", "min", "mins", "minutes"},
            {"hour", "h", "hr", "hrs", "hours"}, {"day", "d", "days"}, {"week", "w", "weeks"},
            {"month", "mon", "mons", "months"}, {"quarter", "qtr"}, {"year", "y", "yr", "yrs", "years"},
            {"decade", "dec", "decs", "decades"}, {"century", "c", "cent", "centuries"},
            {"millennium", "mil", "mils", "millennia"}, {"epoch"}, {"dow"}, {"isodow"}, {"doy"}, {"isoyear"},
            {"julian", "j"}, {"timezone"}, {"timezone_hour"}, {"timezone_minute"}};
        for (String[] names : u) {
            for (String n : names) {
                UNITS.put(n, names[0]);
            }
        }
    }

    static String unit(String field) {
        String f = field.toLowerCase(Locale.ROOT).trim();
        return UNITS.get(f);
    }

    private static PgException notSupported(String field, String type) {
        return new PgException("0A000", "unit \"" + field + "\" not supported for type " + type);
    }

    private static PgException notRecognized(String field, String type) {
        return new PgException("22023", "unit \"" + field + "\" not recognized for type " + type);
    }

    private static BigDecimal scaled(long v, int scale) {
        return BigDecimal.valueOf(v, scale);
    }

    static int isoWeek(int year, int mon, int mday) {
        int dayn = DateTime.date2j(year, mon, mday);
        int day4 = DateTime.date2j(year, 1, 4);
        int day0 = DateTime.j2day(day4 - 1);
        if (dayn < day4 - day0) {
            day4 = DateTime.date2j(year - 1, 1, 4);
            day0 = DateTime.j2day(day4 - 1);
        }
        int result = (dayn - (day4 - day0)) / 7 + 1;
        if (result >= 52) {
            day4 = DateTime.date2j(year + 1, 1, 4);
            day0 = DateTime.j2day(day4 - 1);
            if (dayn >= day4 - day0) {
                result = (dayn - (day4 - day0)) / 7 + 1;
            }
        }
        return result;
    }

    static int isoYear(int year, int mon, int mday) {
        int dayn = DateTime.date2j(year, mon, mday);
        int day4 = DateTime.date2j(year, 1, 4);
        int day0 = DateTime.j2day(day4 - 1);
        if (dayn < day4 - day0) {
            day4 = DateTime.date2j(year - 1, 1, 4);
            day0 = DateTime.j2day(day4 - 1);
            year--;
        }
        int result = (dayn - (day4 - day0)) / 7 + 1;
        if (result >= 52) {
            day4 = DateTime.date2j(year + 1, 1, 4);
            day0 = DateTime.j2day(day4 - 1);
            if (dayn >= day4 - day0) {
                year++;
            }
        }
        return year;
    }

    static int isoWeek2j(int year, int week) {
        int day4 = DateTime.date2j(year, 1, 4);
        int day0 = DateTime.j2day(day4 - 1);
        return ((week - 1) * 7) + (day4 - day0);
    }

    private static Object infiniteResult(String u, boolean positive) {
        switch (u) {
            case "year", "decade", "century", "millennium", "julian", "isoyear", "epoch":
                return positive ? NumericSpecial.INFINITY : NumericSpecial.NEGATIVE_INFINITY;
            default:
                return null;
        }
    }

    /**
     * extract(field from timestamp[tz]) → numeric (or null for non-monotonic fields of
     * infinite timestamps); zone = session TZ for timestamptz, null for timestamp.
     */
    public static Object extractTimestamp(String field, long ts, ZoneId zone) {
        String type = zone == null ? "timestamp without time zone" : "timestamp with time zone";
        String u = unit(field);
        if (u == null) {
            throw notRecognized(field, type);
        }
        if (infinite(ts)) {
            if ((u.startsWith("timezone") && zone == null)) {
                throw notSupported(field, type);
            }
            return infiniteResult(u, ts == DateTime.DT_NOEND);
        }
        if (u.equals("epoch")) {
            return new BigDecimal(java.math.BigInteger.valueOf(ts).add(
                    java.math.BigInteger.valueOf(DateTime.SECS_UNIX_TO_PG * 1_000_000)), 6);
        }
        DateTime.Tm tm = DateTime.timestamp2tm(ts, zone);
        return tmPart(u, field, tm, type, zone != null);
    }

    private static Object tmPart(String u, String field, DateTime.Tm tm, String type, boolean hasTz) {
        int y = tm.year;
        switch (u) {
            case "microseconds":
                return BigDecimal.valueOf(tm.sec * 1_000_000L + tm.fsec);
            case "milliseconds":
                return scaled(tm.sec * 1_000_000L + tm.fsec, 3);
            case "second":
                return scaled(tm.sec * 1_000_000L + tm.fsec, 6);
            case "minute":
                return BigDecimal.valueOf(tm.min);
            case "hour":
                return BigDecimal.valueOf(tm.hour);
            case "day":
                return BigDecimal.valueOf(tm.mday);
            case "month":
                return BigDecimal.valueOf(tm.mon);
            case "quarter":
                return BigDecimal.valueOf((tm.mon - 1) / 3 + 1);
            case "week":
                return BigDecimal.valueOf(isoWeek(y, tm.mon, tm.mday));
            case "year":
                return BigDecimal.valueOf(y > 0 ? y : -(1 - y));
            case "decade":
                return BigDecimal.valueOf(y >= 0 ? y / 10 : -((8 - (y - 1)) / 10));
            case "century":
                return BigDecimal.valueOf(y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100));
            case "millennium":
                return BigDecimal.valueOf(y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000));
            case "julian":
                return NumericOps.add(BigDecimal.valueOf(DateTime.date2j(y, tm.mon, tm.mday)),
                        NumericOps.div(BigDecimal.valueOf(
                                ((tm.hour * 60L + tm.min) * 60 + tm.sec) * 1_000_000L + tm.fsec),
                                BigDecimal.valueOf(USECS_PER_DAY)));
            case "isoyear": {
                int iy = isoYear(y, tm.mon, tm.mday);
                return BigDecimal.valueOf(iy > 0 ? iy : iy - 1);
            }
            case "dow":
                return BigDecimal.valueOf(DateTime.j2day(DateTime.date2j(y, tm.mon, tm.mday)));
            case "isodow": {
                int d = DateTime.j2day(DateTime.date2j(y, tm.mon, tm.mday));
                return BigDecimal.valueOf(d == 0 ? 7 : d);
            }
            case "doy":
                return BigDecimal.valueOf(DateTime.date2j(y, tm.mon, tm.mday) - DateTime.date2j(y, 1, 1) + 1);
            case "timezone":
                if (!hasTz) {
                    throw notSupported(field, type);
                }
                return BigDecimal.valueOf(tm.tzEast);
            case "timezone_hour":
                if (!hasTz) {
                    throw notSupported(field, type);
                }
                return BigDecimal.valueOf(tm.tzEast / 3600);
            case "timezone_minute":
                if (!hasTz) {
                    throw notSupported(field, type);
                }
                return BigDecimal.valueOf((tm.tzEast / 60) % 60);
            default:
                throw notSupported(field, type);
        }
    }

    /** extract(field from date). */
    public static Object extractDate(String field, int date) {
        String u = unit(field);
        if (u == null) {
            throw notRecognized(field, "date");
        }
        switch (u) {
            case "microseconds", "milliseconds", "second", "minute", "hour", "timezone", "timezone_hour",
                    "timezone_minute":
                throw notSupported(field, "date");
            default:
        }
        if (date == DateTime.DATE_NOBEGIN || date == DateTime.DATE_NOEND) {
            return infiniteResult(u, date == DateTime.DATE_NOEND);
        }
        if (u.equals("epoch")) {
            return BigDecimal.valueOf(((long) date + DateTime.POSTGRES_EPOCH_JDATE - DateTime.UNIX_EPOCH_JDATE) * 86400);
        }
        DateTime.Tm tm = DateTime.dateToTm(date);
        if (u.equals("julian")) {
            return BigDecimal.valueOf(DateTime.date2j(tm.year, tm.mon, tm.mday));
        }
        return tmPart(u, field, tm, "date", false);
    }

    /** extract(field from time). */
    public static Object extractTime(String field, long time) {
        String u = unit(field);
        if (u == null) {
            throw notRecognized(field, "time without time zone");
        }
        long h = time / DateTime.USECS_PER_HOUR;
        long rest = time - h * DateTime.USECS_PER_HOUR;
        long m = rest / DateTime.USECS_PER_MINUTE;
        long us = rest - m * DateTime.USECS_PER_MINUTE;
        return switch (u) {
            case "microseconds" -> BigDecimal.valueOf(us);
            case "milliseconds" -> scaled(us, 3);
            case "second" -> scaled(us, 6);
            case "minute" -> BigDecimal.valueOf(m);
            case "hour" -> BigDecimal.valueOf(h);
            case "epoch" -> scaled(time, 6);
            default -> throw notSupported(field, "time without time zone");
        };
    }

    /** extract(field from interval). */
    public static Object extractInterval(String field, Interval iv) {
        String u = unit(field);
        if (u == null) {
            throw notRecognized(field, "interval");
        }
        long year = iv.months() / 12;
        long mon = iv.months() % 12;
        long time = iv.micros();
        long hour = time / DateTime.USECS_PER_HOUR;
        time -= hour * DateTime.USECS_PER_HOUR;
        long min = time / DateTime.USECS_PER_MINUTE;
        long us = time - min * DateTime.USECS_PER_MINUTE;
        return switch (u) {
            case "microseconds" -> BigDecimal.valueOf(us);
            case "milliseconds" -> scaled(us, 3);
            case "second" -> scaled(us, 6);
            case "minute" -> BigDecimal.valueOf(min);
            case "hour" -> BigDecimal.valueOf(hour);
            case "day" -> BigDecimal.valueOf(iv.days());
            case "month" -> BigDecimal.valueOf(mon);
            case "quarter" -> BigDecimal.valueOf(mon / 3 + 1);
            case "year" -> BigDecimal.valueOf(year);
            case "decade" -> BigDecimal.valueOf(year / 10);
            case "century" -> BigDecimal.valueOf(year / 100);
            case "millennium" -> BigDecimal.valueOf(year / 1000);
            case "epoch" -> {
                long secsFromDayMonth = (1461L * (iv.months() / 12) + 120L * (iv.months() % 12) + 4L * iv.days())
                        * (86400 / 4);
                yield new BigDecimal(java.math.BigInteger.valueOf(iv.micros())
                        .add(java.math.BigInteger.valueOf(secsFromDayMonth).multiply(java.math.BigInteger.valueOf(1_000_000))), 6);
            }
            default -> throw notSupported(field, "interval");
        };
    }

    /** date_part(): extract as float8 (NULL stays NULL). */
    public static Double toFloat(Object numeric) {
        return numeric == null ? null : NumericOps.toDouble(numeric);
    }

    // ---------------------------------------------------------------- date_trunc

    /** date_trunc(field, timestamp) (zone null) or (field, timestamptz) in {@code zone}. */
    public static long truncTimestamp(String field, long ts, ZoneId zone) {
        String type = zone == null ? "timestamp without time zone" : "timestamp with time zone";
        String u = unit(field);
        if (u == null) {
            throw notRecognized(field, type);
        }
        if (infinite(ts)) {
            return ts;
        }
        DateTime.Tm tm = DateTime.timestamp2tm(ts, zone);
        int origTz = tm.tzEast;
        boolean redotz = true;
        switch (u) {
            case "week": {
                int woy = isoWeek(tm.year, tm.mon, tm.mday);
                if (woy >= 52 && tm.mon == 1) {
                    tm.year--;
                }
                if (woy <= 1 && tm.mon == 12) {
                    tm.year++;
                }
                int[] ymd = DateTime.j2date(isoWeek2j(tm.year, woy));
                tm.year = ymd[0];
                tm.mon = ymd[1];
                tm.mday = ymd[2];
                tm.hour = 0;
                tm.min = 0;
                tm.sec = 0;
                tm.fsec = 0;
                break;
            }
            case "millennium", "century", "decade", "year", "quarter", "month", "day", "hour", "minute", "second",
                    "milliseconds", "microseconds": {
                int level = switch (u) {
                    case "millennium" -> 12;
                    case "century" -> 11;
                    case "decade" -> 10;
                    case "year" -> 9;
                    case "quarter" -> 8;
                    case "month" -> 7;
                    case "day" -> 6;
                    case "hour" -> 5;
                    case "minute" -> 4;
                    case "second" -> 3;
                    case "milliseconds" -> 2;
                    default -> 1;
                };
                if (level == 12) {
                    tm.year = tm.year > 0 ? ((tm.year + 999) / 1000) * 1000 - 999 : -((999 - (tm.year - 1)) / 1000) * 1000 + 1;
                }
                if (level == 11 || level == 12) {
                    tm.year = tm.year > 0 ? ((tm.year + 99) / 100) * 100 - 99 : -((99 - (tm.year - 1)) / 100) * 100 + 1;
                }
                if (level == 10) {
                    tm.year = tm.year > 0 ? (tm.year / 10) * 10 : -((8 - (tm.year - 1)) / 10) * 10;
                }
                if (level >= 9) {
                    tm.mon = 1;
                }
                if (level >= 8) {
                    tm.mon = 3 * ((tm.mon - 1) / 3) + 1;
                }
                if (level >= 7) {
                    tm.mday = 1;
                }
                if (level >= 6) {
                    tm.hour = 0;
                }
                if (level >= 5) {
                    tm.min = 0;
                    redotz = level >= 6;
                }
                if (level >= 4) {
                    tm.sec = 0;
                }
                if (level >= 3) {
                    tm.fsec = 0;
                }
                if (level == 2) {
                    tm.fsec = tm.fsec / 1000 * 1000;
                }
                break;
            }
            default:
                throw notSupported(field, type);
        }
        if (zone != null) {
            if (redotz) {
                tm.tzEast = DateTime.localOffset(tm, zone);
            } else {
                tm.tzEast = origTz;
            }
        }
        Long r = DateTime.tm2timestamp(tm, zone != null);
        if (r == null) {
            throw timestampOutOfRange();
        }
        return r;
    }

    /** date_trunc(field, interval). */
    public static Interval truncInterval(String field, Interval iv) {
        String u = unit(field);
        if (u == null) {
            throw notRecognized(field, "interval");
        }
        long year = iv.months() / 12;
        long mon = iv.months() % 12;
        long day = iv.days();
        long time = iv.micros();
        long hour = time / DateTime.USECS_PER_HOUR;
        time -= hour * DateTime.USECS_PER_HOUR;
        long min = time / DateTime.USECS_PER_MINUTE;
        long us = time - min * DateTime.USECS_PER_MINUTE;
        long sec = us / 1_000_000;
        long fsec = us - sec * 1_000_000;
        switch (u) {
            case "millennium" -> {
                year = year / 1000 * 1000;
                mon = day = hour = min = sec = fsec = 0;
            }
            case "century" -> {
                year = year / 100 * 100;
                mon = day = hour = min = sec = fsec = 0;
            }
            case "decade" -> {
                year = year / 10 * 10;
                mon = day = hour = min = sec = fsec = 0;
            }
            case "year" -> mon = day = hour = min = sec = fsec = 0;
            case "quarter" -> {
                mon = 3 * (mon / 3);
                day = hour = min = sec = fsec = 0;
            }
            case "month" -> day = hour = min = sec = fsec = 0;
            case "day" -> hour = min = sec = fsec = 0;
            case "hour" -> min = sec = fsec = 0;
            case "minute" -> sec = fsec = 0;
            case "second" -> fsec = 0;
            case "milliseconds" -> fsec = fsec / 1000 * 1000;
            case "microseconds" -> {
            }
            case "week" -> throw new PgException("0A000", "unit \"" + field + "\" not supported for type interval",
                    "Months usually have fractional weeks.", null);
            default -> throw notSupported(field, "interval");
        }
        return new Interval((int) (year * 12 + mon), (int) day,
                ((hour * 60 + min) * 60 + sec) * 1_000_000 + fsec);
    }

    // ---------------------------------------------------------------- constructors

    public static int makeDate(int year, int month, int day) {
        boolean bc = false;
        if (year < 0) {
            bc = true;
            year = -year;
        }
        if (year == 0) {
            throw new PgException("22008", "date field value out of range: " + year + "-" + pad(month) + "-"
                    + pad(day));
        }
        int y = bc ? -(year - 1) : year;
        if (month < 1 || month > 12 || day < 1 || day > DateTime.daysInMonth(y, month)
                || !DateTime.isValidJulian(y, month, day)) {
            throw new PgException("22008", "date field value out of range: " + (bc ? -year : year) + "-" + pad(month)
                    + "-" + pad(day));
        }
        long d = (long) DateTime.date2j(y, month, day) - DateTime.POSTGRES_EPOCH_JDATE;
        if (!DateTime.isValidDate(d)) {
            throw new PgException("22008", "date out of range: " + (bc ? -year : year) + "-" + pad(month) + "-"
                    + pad(day));
        }
        return (int) d;
    }

    private static String pad(int v) {
        return v < 10 && v >= 0 ? "0" + v : Integer.toString(v);
    }

    public static long makeTime(int hour, int min, double sec) {
        long us = (long) Math.rint(sec * 1_000_000);
        if (hour < 0 || min < 0 || min > 59 || sec < 0 || sec > 60 || hour > 24
                || ((hour * 60L + min) * 60) * 1_000_000 + us > USECS_PER_DAY) {
            throw new PgException("22008", "time field value out of range: " + hour + ":" + pad(min) + ":"
                    + FloatOps.format(sec, 1));
        }
        return ((hour * 60L + min) * 60) * 1_000_000 + us;
    }

    public static long makeTimestamp(int year, int month, int day, int hour, int min, double sec) {
        int date = makeDate(year, month, day);
        if (Double.isNaN(sec) || sec < 0 || sec > 60 || hour < 0 || hour > 24 || min < 0 || min > 59) {
            throw new PgException("22008", "time field value out of range: " + hour + ":" + pad(min) + ":"
                    + FloatOps.format(sec, 1));
        }
        long us = (long) Math.rint(sec * 1_000_000);
        long time = ((hour * 60L + min) * 60) * 1_000_000 + us;
        if (time > USECS_PER_DAY) {
            throw new PgException("22008", "time field value out of range: " + hour + ":" + pad(min) + ":"
                    + FloatOps.format(sec, 1));
        }
        long r = (long) date * USECS_PER_DAY + time;
        if (!DateTime.isValidTimestamp(r)) {
            throw new PgException("22008", "timestamp out of range: " + year + "-" + pad(month) + "-" + pad(day) + " "
                    + hour + ":" + pad(min) + ":" + FloatOps.format(sec, 1));
        }
        return r;
    }

    public static Interval makeInterval(int years, int months, int weeks, int days, int hours, int mins, double secs) {
        if (Double.isInfinite(secs) || Double.isNaN(secs)) {
            throw intervalOutOfRange();
        }
        try {
            int m = Math.addExact(Math.multiplyExact(years, 12), months);
            int d = Math.addExact(Math.multiplyExact(weeks, 7), days);
            double t = Math.rint(secs * 1_000_000);
            long time = Math.addExact(Math.addExact(Math.multiplyExact((long) hours, DateTime.USECS_PER_HOUR),
                    Math.multiplyExact((long) mins, DateTime.USECS_PER_MINUTE)), (long) t);
            return new Interval(m, d, time);
        } catch (ArithmeticException e) {
            throw intervalOutOfRange();
        }
    }

    /** to_timestamp(double precision): Unix epoch seconds → timestamptz. */
    public static long fromEpochSeconds(double secs) {
        if (Double.isNaN(secs)) {
            throw new PgException("22008", "timestamp cannot be NaN");
        }
        if (Double.isInfinite(secs)) {
            return secs > 0 ? DateTime.DT_NOEND : DateTime.DT_NOBEGIN;
        }
        double v = Math.rint((secs - DateTime.SECS_UNIX_TO_PG) * 1_000_000);
        if (v < DateTime.MIN_TIMESTAMP || v >= DateTime.END_TIMESTAMP) {
            throw new PgException("22008", "timestamp out of range: \"" + FloatOps.format(secs, 1) + "\"");
        }
        return (long) v;
    }

    /** AT TIME ZONE for a timestamptz: the local timestamp in zone {@code tz}. */
    public static long atZone(long ts, String tz) {
        if (infinite(ts)) {
            return ts;
        }
        return DateTime.utcToLocal(ts, zone(tz));
    }

    /** AT TIME ZONE for a timestamp: the timestamptz of that local time in zone {@code tz}. */
    public static long fromZone(long local, String tz) {
        if (infinite(local)) {
            return local;
        }
        return DateTime.localToUtc(local, zone(tz));
    }

    /** AT TIME ZONE with an interval (fixed offset east = interval). */
    public static ZoneId intervalZone(Interval iv) {
        if (iv.months() != 0 || iv.days() != 0) {
            throw new PgException("22023", "interval time zone \"" + DateTime.formatInterval(iv, SessionContext.DEFAULT)
                    + "\" must not include months or days");
        }
        return java.time.ZoneOffset.ofTotalSeconds((int) (iv.micros() / 1_000_000));
    }

    static ZoneId zone(String tz) {
        ZoneId z = DateTime.resolveZone(tz);
        if (z == null) {
            throw new PgException("22023", "time zone \"" + tz + "\" not recognized");
        }
        return z;
    }

    /** date_bin(stride, source, origin). */
    public static long dateBin(Interval stride, long source, long origin) {
        if (infinite(source) || infinite(origin)) {
            throw new PgException("0A000", "timestamps cannot be binned into infinite intervals");
        }
        if (stride.months() != 0) {
            throw new PgException("0A000", "timestamps cannot be binned into intervals containing months or years");
        }
        long strideUsecs = stride.days() * USECS_PER_DAY + stride.micros();
        if (strideUsecs <= 0) {
            throw new PgException("22008", "stride must be greater than zero");
        }
        long tmDiff = source - origin;
        long tmDelta = tmDiff - tmDiff % strideUsecs;
        if (origin > source && tmDiff % strideUsecs != 0) {
            tmDelta -= strideUsecs;
        }
        return origin + tmDelta;
    }

    public static boolean isFinite(long ts) {
        return !infinite(ts);
    }
}
