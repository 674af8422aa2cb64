package modgres.sql.types;

import java.time.Instant;
import java.time.ZoneId;

import modgres.api.error.PgException;

/** Session contexts matching the settings the PostgreSQL expectations were produced with. */
final class TestContexts {
    /** The fixed transaction start used by 'now', 'today', now(). */
    static final Instant NOW = Instant.parse("2024-03-15T12:34:56.789Z");

    private TestContexts() {
    }

    static SessionContext of(String tz, String dateStyle, String intervalStyle, int efd) {
        Object[] ds = SessionContext.parseDateStyle(dateStyle, SessionContext.DateStyle.ISO,
                SessionContext.DateOrder.MDY);
        return new SessionContext() {
            @Override
            public ZoneId timeZone() {
                return ZoneId.of(tz);
            }

            @Override
            public DateStyle dateStyle() {
                return (DateStyle) ds[0];
            }

            @Override
            public DateOrder dateOrder() {
                return (DateOrder) ds[1];
            }

            @Override
            public IntervalStyle intervalStyle() {
                return IntervalStyle.valueOf(intervalStyle.toUpperCase(java.util.Locale.ROOT));
            }

            @Override
            public int extraFloatDigits() {
                return efd;
            }

            @Override
            public Instant transactionStart() {
                return NOW;
            }
        };
    }

    static SessionContext named(String name) {
        return switch (name) {
            case "UTC" -> of("UTC", "ISO, MDY", "postgres", 1);
            case "NY" -> of("America/New_York", "ISO, MDY", "postgres", 1);
            case "PG_DMY" -> of("Europe/Paris", "Postgres, DMY", "postgres", 1);
            case "SQL_MDY" -> of("Europe/Paris", "SQL, MDY", "postgres", 1);
            case "GERMAN" -> of("Europe/Paris", "German", "postgres", 1);
            case "YMD" -> of("UTC", "ISO, YMD", "postgres", 1);
            case "VERBOSE" -> of("UTC", "ISO, MDY", "postgres_verbose", 1);
            case "SQLSTD" -> of("UTC", "ISO, MDY", "sql_standard", 1);
            case "ISO8601" -> of("UTC", "ISO, MDY", "iso_8601", 1);
            case "EFD0" -> of("UTC", "ISO, MDY", "postgres", 0);
            case "EFDM3" -> of("UTC", "ISO, MDY", "postgres", -3);
            case "EFD3" -> of("UTC", "ISO, MDY", "postgres", 3);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static final SessionContext UTC = named("UTC");

    /** "ERROR sqlstate: message" as the expectation tables write errors. */
    static String error(PgException e) {
        return "ERROR " + e.sqlState() + ": " + e.getMessage();
    }

    /** Parses "varchar(3)", "numeric(5,2)", "int4[]" into [type, typmod]. */
    static Object[] typeWithMod(String spec) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*)\\((-?\\d+)(?:,(-?\\d+))?\\)(.*)").matcher(spec);
        if (m.matches()) {
            Type t = Types.byName(m.group(1) + m.group(4));
            int mod = m.group(3) != null
                    ? Types.typmod(t, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)))
                    : Types.typmod(t, Integer.parseInt(m.group(2)));
            return new Object[] {t, mod};
        }
        Type t = Types.byName(spec);
        if (t == null) {
            throw new IllegalArgumentException(spec);
        }
        return new Object[] {t, -1};
    }
}
