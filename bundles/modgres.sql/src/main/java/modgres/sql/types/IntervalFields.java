package modgres.sql.types;

import java.util.Locale;

import modgres.api.error.PgException;

/**
 * The field restriction of an interval typmod ({@code interval day to second}),
 * as PostgreSQL's INTERVAL_MASK bits: MONTH 1, YEAR 2, DAY 3, HOUR 10,
 * MINUTE 11, SECOND 12.
 */
public final class IntervalFields {
    public static final int MONTH = 1 << 1;
    public static final int YEAR = 1 << 2;
    public static final int DAY = 1 << 3;
    public static final int HOUR = 1 << 10;
    public static final int MINUTE = 1 << 11;
    public static final int SECOND = 1 << 12;

    private static final String[] NAMES = {"year", "month", "day", "hour", "minute", "second", "year to month",
        "day to hour", "day to minute", "day to second", "hour to minute", "hour to second", "minute to second"};
    private static final int[] MASKS = {YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, YEAR | MONTH, DAY | HOUR,
        DAY | HOUR | MINUTE, DAY | HOUR | MINUTE | SECOND, HOUR | MINUTE, HOUR | MINUTE | SECOND, MINUTE | SECOND};

    private IntervalFields() {
    }

    /** The SQL spelling of a range mask ({@code day to second}), null for an unknown mask. */
    public static String name(int range) {
        for (int i = 0; i < MASKS.length; i++) {
            if (MASKS[i] == range) {
                return NAMES[i];
            }
        }
        return null;
    }

    /** The range mask for {@code "day to second"} etc. (case-insensitive, single spaces). */
    public static int parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(s)) {
                return MASKS[i];
            }
        }
        throw new PgException("42601", "invalid interval type modifier");
    }

    /** The interval typmod for a range mask and precision (-1 = no precision given). */
    public static int typmod(int range, int precision) {
        if (precision > 6) {
            precision = 6;
        }
        if (precision < -1) {
            throw new PgException("22023", "INTERVAL(" + precision + ") precision must not be negative");
        }
        return (range << 16) | (precision < 0 ? Type.INTERVAL_FULL_PRECISION : precision);
    }
}
