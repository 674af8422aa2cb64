package modgres.sql.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/** Date/time and string details checked against PostgreSQL 15 outputs. */
class DateTimeTest {
    static final SessionContext UTC = TestContexts.UTC;

    static String interval(String text, String fields, int precision) {
        int typmod = IntervalFields.typmod(fields == null ? Type.INTERVAL_FULL_RANGE : IntervalFields.parse(fields),
                precision);
        return TextIO.output(Types.INTERVAL, TextIO.input(Types.INTERVAL, typmod, text, UTC), UTC);
    }

    @Test
    void intervalFieldsRestrictInputAsTypmod() {
        assertEquals("1 year", interval("1", "year", -1));
        assertEquals("1 year 2 mons", interval("1-2", "year to month", -1));
        assertEquals("1 day 02:03:00", interval("1 2:03", "day to minute", -1));
        assertEquals("02:03:04.6", interval("2:03:04.567", "hour to second", 1));
        assertEquals("00:10:00", interval("10", "minute", -1));
        assertEquals("1 day", interval("1 day 2 hours", "day", -1));
        assertEquals("00:00:02", interval("1.5 seconds", null, 0));
    }

    @Test
    void sqlStandardIntervalStyleAppliesTheLeadingSign() {
        SessionContext std = TestContexts.named("SQLSTD");
        assertEquals("-1 2:03:04", TextIO.output(Types.INTERVAL, TextIO.input(Types.INTERVAL, -1, "-1 2:03:04", std), std));
        assertEquals("-1 2:03:04", TextIO.output(Types.INTERVAL, TextIO.input(Types.INTERVAL, -1, "-1 -2:03:04", std), std));
    }

    @Test
    void namedAndPosixZonesInTimestampInput() {
        assertEquals("2024-01-05 09:00:00+00", TextIO.output(Types.TIMESTAMPTZ,
                TextIO.input(Types.TIMESTAMPTZ, -1, "2024-01-05 10:00 Europe/Paris", UTC), UTC));
        assertEquals("2024-07-05 17:00:00+00", TextIO.output(Types.TIMESTAMPTZ,
                TextIO.input(Types.TIMESTAMPTZ, -1, "2024-07-05 10:00 PST8PDT", UTC), UTC));
        assertEquals("2024-01-05 13:00:00+00", TextIO.output(Types.TIMESTAMPTZ,
                TextIO.input(Types.TIMESTAMPTZ, -1, "2024-01-05 10:00 UTC+3", UTC), UTC));
        PgException e = assertThrows(PgException.class,
                () -> TextIO.input(Types.TIMESTAMPTZ, -1, "2024-01-05 10:00 Mars/Olympus", UTC));
        assertEquals("time zone \"mars/olympus\" not recognized", e.getMessage());
    }

    @Test
    void dstGapAndOverlapResolveAsPostgres() {
        SessionContext ny = TestContexts.named("NY");
        // gap: the offset before the transition; overlap: the one after it
        assertEquals("2024-03-10 03:30:00-04", TextIO.output(Types.TIMESTAMPTZ,
                TextIO.input(Types.TIMESTAMPTZ, -1, "2024-03-10 02:30", ny), ny));
        assertEquals("2024-11-03 01:30:00-05", TextIO.output(Types.TIMESTAMPTZ,
                TextIO.input(Types.TIMESTAMPTZ, -1, "2024-11-03 01:30", ny), ny));
    }

    @Test
    void likeAndEscapes() {
        assertTrue(StringFuncs.like("a_c", "a\\_c", null, false));
        assertFalse(StringFuncs.like("abc", "a\\_c", null, false));
        assertTrue(StringFuncs.like("a%c", "a#%c", "#", false));
        assertFalse(StringFuncs.like("abc", "a#%c", "#", false));
        assertTrue(StringFuncs.like("ABC", "%b%", null, true));
        assertFalse(StringFuncs.like("abc", "", null, false));
        assertTrue(StringFuncs.like("", "%", null, false));
        assertTrue(StringFuncs.like("abc", "abc%%", null, false));
        assertFalse(StringFuncs.like("ab", "a_%_", null, false));
        assertTrue(StringFuncs.like("aXbXc", "a%b%c", "", false));
        assertEquals("LIKE pattern must not end with escape character",
                assertThrows(PgException.class, () -> StringFuncs.like("abc", "ab\\", null, false)).getMessage());
        PgException e = assertThrows(PgException.class, () -> StringFuncs.like("abc", "abc", "xy", false));
        assertEquals("22025", e.sqlState());
        assertEquals("Escape string must be empty or one character.", e.hint());
    }

    @Test
    void dateStyleSettingParsesAsPostgres() {
        Object[] r = SessionContext.parseDateStyle("SQL, DMY", SessionContext.DateStyle.ISO, SessionContext.DateOrder.MDY);
        assertEquals(SessionContext.DateStyle.SQL, r[0]);
        assertEquals(SessionContext.DateOrder.DMY, r[1]);
        r = SessionContext.parseDateStyle("German", SessionContext.DateStyle.ISO, SessionContext.DateOrder.MDY);
        assertEquals(SessionContext.DateOrder.DMY, r[1]);
        assertEquals("22023", assertThrows(PgException.class, () -> SessionContext.parseDateStyle("foo",
                SessionContext.DateStyle.ISO, SessionContext.DateOrder.MDY)).sqlState());
    }
}
