package modgres.sql.types;

import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What type input/output and functions need from the session: the settings
 * DateStyle, TimeZone, IntervalStyle and extra_float_digits, and the clock
 * and random source. All methods have PostgreSQL's defaults, so
 * {@link #DEFAULT} (or a lambda-free anonymous class overriding a few) is
 * enough for tests.
 */
public interface SessionContext {

    /** Output format of DateStyle's first part. */
    enum DateStyle { ISO, POSTGRES, SQL, GERMAN }

    /** Field order of DateStyle's second part, for ambiguous input. */
    enum DateOrder { MDY, DMY, YMD }

    enum IntervalStyle { POSTGRES, POSTGRES_VERBOSE, SQL_STANDARD, ISO_8601 }

    /** The default context: DateStyle ISO, MDY; TimeZone UTC; IntervalStyle postgres; extra_float_digits 1. */
    SessionContext DEFAULT = new SessionContext() {
    };

    default DateStyle dateStyle() {
        return DateStyle.ISO;
    }

    default DateOrder dateOrder() {
        return DateOrder.MDY;
    }

    default ZoneId timeZone() {
        return ZoneId.of("UTC");
    }

    default IntervalStyle intervalStyle() {
        return IntervalStyle.POSTGRES;
    }

    default int extraFloatDigits() {
        return 1;
    }

    /** The transaction's start: now(), current_timestamp, 'now', 'today'. */
    default Instant transactionStart() {
        return Instant.now();
    }

    /** statement_timestamp(). */
    default Instant statementStart() {
        return transactionStart();
    }

    /** random(): a uniformly distributed value in [0, 1). */
    default double random() {
        return ThreadLocalRandom.current().nextDouble();
    }

    /** setseed(x), x in [-1, 1]. */
    default void setSeed(double seed) {
    }

    /** regclass input of a relation name: its OID as search_path finds it, or -1 when there is none (42P01). */
    default long relationOid(String name) {
        return -1;
    }

    /** regnamespace output: the schema's name, or null for the number. */
    default String namespaceName(long oid) {
        return null;
    }

    /** regclass output: the relation's name (qualified when search_path does not find it), or null for the number. */
    default String relationName(long oid) {
        return null;
    }

    /** regtype input of a user-defined type's name (a domain): its OID as search_path finds it, or -1. */
    default long userTypeOid(String name) {
        return -1;
    }

    /** regtype output of a user-defined type (a domain): its name, or null when it is none. */
    default String userTypeName(long oid) {
        return null;
    }

    /**
     * Parses a DateStyle setting value such as {@code "ISO, MDY"}, {@code "SQL, DMY"},
     * {@code "German"} into [style, order] (unspecified parts keep the given defaults).
     */
    static Object[] parseDateStyle(String value, DateStyle style, DateOrder order) {
        for (String part : value.split(",")) {
            switch (part.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "iso" -> style = DateStyle.ISO;
                case "postgres" -> style = DateStyle.POSTGRES;
                case "sql" -> style = DateStyle.SQL;
                case "german" -> {
                    style = DateStyle.GERMAN;
                    order = DateOrder.DMY;
                }
                case "mdy", "us", "noneuropean", "non-european" -> order = DateOrder.MDY;
                case "dmy", "euro", "european" -> order = DateOrder.DMY;
                case "ymd" -> order = DateOrder.YMD;
                case "default" -> {
                }
                default -> throw new modgres.api.error.PgException("22023",
                        "invalid value for parameter \"DateStyle\": \"" + value + "\"", "Unrecognized key word: \""
                                + part.trim() + "\".", null);
            }
        }
        return new Object[] {style, order};
    }
}
