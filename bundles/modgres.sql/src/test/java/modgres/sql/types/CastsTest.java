package modgres.sql.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import modgres.api.error.PgException;

class CastsTest {

    // context, source type, target type, literal, expected result of (literal::source)::target in PostgreSQL 15
    static final String[][] CASES = {
        {"UTC", "int8", "int4", "2147483648", "ERROR 22003: integer out of range"},
        {"UTC", "int8", "int4", "-5", "-5"},
        {"UTC", "int4", "int2", "40000", "ERROR 22003: smallint out of range"},
        {"UTC", "int8", "int2", "-32768", "-32768"},
        {"UTC", "numeric", "int4", "2.5", "3"},
        {"UTC", "numeric", "int4", "-2.5", "-3"},
        {"UTC", "numeric", "int4", "2147483647.5", "ERROR 22003: integer out of range"},
        {"UTC", "numeric", "int2", "32767.4", "32767"},
        {"UTC", "numeric", "int8", "9223372036854775807.5", "ERROR 22003: bigint out of range"},
        {"UTC", "float8", "int4", "2.5", "2"},
        {"UTC", "float8", "int4", "3.5", "4"},
        {"UTC", "float8", "int4", "-2.5", "-2"},
        {"UTC", "float8", "int4", "2147483647.4", "2147483647"},
        {"UTC", "float8", "int4", "2147483647.5", "ERROR 22003: integer out of range"},
        {"UTC", "float8", "int8", "NaN", "ERROR 22003: bigint out of range"},
        {"UTC", "float4", "int2", "32767.6", "ERROR 22003: smallint out of range"},
        {"UTC", "float8", "float4", "1e300", "ERROR 22003: value out of range: overflow"},
        {"UTC", "float8", "float4", "1e-300", "ERROR 22003: value out of range: underflow"},
        {"UTC", "float8", "numeric", "0.1", "0.1"},
        {"UTC", "float8", "numeric", "1e20", "100000000000000000000"},
        {"UTC", "float8", "numeric", "123456789.123456789", "123456789.123457"},
        {"UTC", "float8", "numeric", "-Infinity", "-Infinity"},
        {"UTC", "float4", "numeric", "0.1", "0.1"},
        {"UTC", "float4", "float8", "0.1", "0.10000000149011612"},
        {"UTC", "numeric", "float8", "0.1", "0.1"},
        {"UTC", "numeric", "float4", "3.4e39", "ERROR 22003: \"3400000000000000000000000000000000000000\" is out of range for type real"},
        {"UTC", "numeric", "int4", "NaN", "ERROR 0A000: cannot convert NaN to integer"},
        {"UTC", "int4", "bool", "5", "t"},
        {"UTC", "int4", "bool", "0", "f"},
        {"UTC", "bool", "int4", "t", "1"},
        {"UTC", "int4", "\"char\"", "65", "A"},
        {"UTC", "int4", "\"char\"", "300", "ERROR 22003: \"char\" out of range"},
        {"UTC", "\"char\"", "int4", "A", "65"},
        {"UTC", "int4", "numeric", "42", "42"},
        {"UTC", "int4", "text", "42", "42"},
        {"UTC", "numeric", "varchar(3)", "12345", "123"},
        {"UTC", "text", "varchar(3)", "abcd", "abc"},
        {"UTC", "text", "char(3)", "ab", "ab "},
        {"UTC", "text", "char(3)", "abcd", "abc"},
        {"UTC", "char(5)", "text", "ab", "ab"},
        {"UTC", "char(5)", "varchar", "ab", "ab"},
        {"UTC", "text", "name", "abc", "abc"},
        {"UTC", "text", "int4", " 12 ", "12"},
        {"UTC", "text", "int4", "abc", "ERROR 22P02: invalid input syntax for type integer: \"abc\""},
        {"UTC", "text", "bool", "yes", "t"},
        {"UTC", "bool", "text", "t", "true"},
        {"UTC", "date", "timestamp", "2024-01-05", "2024-01-05 00:00:00"},
        {"UTC", "date", "timestamptz", "2024-01-05", "2024-01-05 00:00:00+00"},
        {"UTC", "timestamp", "date", "2024-01-05 23:59:59", "2024-01-05"},
        {"UTC", "timestamptz", "date", "2024-01-05 23:59:59+00", "2024-01-05"},
        {"UTC", "timestamp", "timestamptz", "2024-07-01 12:00", "2024-07-01 12:00:00+00"},
        {"UTC", "timestamptz", "timestamp", "2024-07-01 12:00+00", "2024-07-01 12:00:00"},
        {"UTC", "timestamp", "time", "2024-07-01 12:34:56.5", "12:34:56.5"},
        {"UTC", "timestamptz", "time", "2024-07-01 12:34:56.5+00", "12:34:56.5"},
        {"UTC", "interval", "time", "27:00:00", "03:00:00"},
        {"UTC", "interval", "time", "-1 hour", "23:00:00"},
        {"UTC", "time", "interval", "10:00", "10:00:00"},
        {"UTC", "timestamp", "timestamp(0)", "2024-07-01 12:34:56.5", "2024-07-01 12:34:57"},
        {"UTC", "timestamptz", "timestamptz(1)", "2024-07-01 12:34:56.55+00", "2024-07-01 12:34:56.6+00"},
        {"UTC", "interval", "interval(0)", "1.5 seconds", "00:00:02"},
        {"UTC", "time", "time(0)", "10:00:00.5", "10:00:01"},
        {"UTC", "numeric", "numeric(5,2)", "123.456", "123.46"},
        {"UTC", "numeric", "numeric(5,2)", "1234.5", "ERROR 22003: numeric field overflow"},
        {"UTC", "int4", "numeric(3,1)", "100", "ERROR 22003: numeric field overflow"},
        {"UTC", "int8", "oid", "-1", "ERROR 22003: OID out of range"},
        {"UTC", "int8", "oid", "4294967295", "4294967295"},
        {"UTC", "oid", "int4", "4294967295", "-1"},
        {"UTC", "int4", "oid", "-1", "4294967295"},
        {"UTC", "date", "timestamp", "infinity", "infinity"},
        {"UTC", "timestamp", "date", "-infinity", "-infinity"},
        {"UTC", "int4[]", "int8[]", "{1,2}", "{1,2}"},
        {"UTC", "int4[]", "text[]", "{1,2}", "{1,2}"},
        {"UTC", "text[]", "int4[]", "{1,x}", "ERROR 22P02: invalid input syntax for type integer: \"x\""},
        {"UTC", "text", "int4[]", "{1,2}", "{1,2}"},
        {"UTC", "int4[]", "text", "{1,NULL}", "{1,NULL}"},
        {"UTC", "uuid", "text", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
        {"UTC", "text", "uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
        {"UTC", "interval", "text", "1 day", "1 day"},
        {"UTC", "float8", "text", "0.1", "0.1"},
        {"UTC", "date", "int4", "2024-01-01", "ERROR 42846: cannot cast type date to integer"},
        {"UTC", "bool", "numeric", "t", "ERROR 42846: cannot cast type boolean to numeric"},
        {"NY", "int8", "int4", "2147483648", "ERROR 22003: integer out of range"},
        {"NY", "int8", "int4", "-5", "-5"},
        {"NY", "int4", "int2", "40000", "ERROR 22003: smallint out of range"},
        {"NY", "int8", "int2", "-32768", "-32768"},
        {"NY", "numeric", "int4", "2.5", "3"},
        {"NY", "numeric", "int4", "-2.5", "-3"},
        {"NY", "numeric", "int4", "2147483647.5", "ERROR 22003: integer out of range"},
        {"NY", "numeric", "int2", "32767.4", "32767"},
        {"NY", "numeric", "int8", "9223372036854775807.5", "ERROR 22003: bigint out of range"},
        {"NY", "float8", "int4", "2.5", "2"},
        {"NY", "float8", "int4", "3.5", "4"},
        {"NY", "float8", "int4", "-2.5", "-2"},
        {"NY", "float8", "int4", "2147483647.4", "2147483647"},
        {"NY", "float8", "int4", "2147483647.5", "ERROR 22003: integer out of range"},
        {"NY", "float8", "int8", "NaN", "ERROR 22003: bigint out of range"},
        {"NY", "float4", "int2", "32767.6", "ERROR 22003: smallint out of range"},
        {"NY", "float8", "float4", "1e300", "ERROR 22003: value out of range: overflow"},
        {"NY", "float8", "float4", "1e-300", "ERROR 22003: value out of range: underflow"},
        {"NY", "float8", "numeric", "0.1", "0.1"},
        {"NY", "float8", "numeric", "1e20", "100000000000000000000"},
        {"NY", "float8", "numeric", "123456789.123456789", "123456789.123457"},
        {"NY", "float8", "numeric", "-Infinity", "-Infinity"},
        {"NY", "float4", "numeric", "0.1", "0.1"},
        {"NY", "float4", "float8", "0.1", "0.10000000149011612"},
        {"NY", "numeric", "float8", "0.1", "0.1"},
        {"NY", "numeric", "float4", "3.4e39", "ERROR 22003: \"3400000000000000000000000000000000000000\" is out of range for type real"},
        {"NY", "numeric", "int4", "NaN", "ERROR 0A000: cannot convert NaN to integer"},
        {"NY", "int4", "bool", "5", "t"},
        {"NY", "int4", "bool", "0", "f"},
        {"NY", "bool", "int4", "t", "1"},
        {"NY", "int4", "\"char\"", "65", "A"},
        {"NY", "int4", "\"char\"", "300", "ERROR 22003: \"char\" out of range"},
        {"NY", "\"char\"", "int4", "A", "65"},
        {"NY", "int4", "numeric", "42", "42"},
        {"NY", "int4", "text", "42", "42"},
        {"NY", "numeric", "varchar(3)", "12345", "123"},
        {"NY", "text", "varchar(3)", "abcd", "abc"},
        {"NY", "text", "char(3)", "ab", "ab "},
        {"NY", "text", "char(3)", "abcd", "abc"},
        {"NY", "char(5)", "text", "ab", "ab"},
        {"NY", "char(5)", "varchar", "ab", "ab"},
        {"NY", "text", "name", "abc", "abc"},
        {"NY", "text", "int4", " 12 ", "12"},
        {"NY", "text", "int4", "abc", "ERROR 22P02: invalid input syntax for type integer: \"abc\""},
        {"NY", "text", "bool", "yes", "t"},
        {"NY", "bool", "text", "t", "true"},
        {"NY", "date", "timestamp", "2024-01-05", "2024-01-05 00:00:00"},
        {"NY", "date", "timestamptz", "2024-01-05", "2024-01-05 00:00:00-05"},
        {"NY", "timestamp", "date", "2024-01-05 23:59:59", "2024-01-05"},
        {"NY", "timestamptz", "date", "2024-01-05 23:59:59+00", "2024-01-05"},
        {"NY", "timestamp", "timestamptz", "2024-07-01 12:00", "2024-07-01 12:00:00-04"},
        {"NY", "timestamptz", "timestamp", "2024-07-01 12:00+00", "2024-07-01 08:00:00"},
        {"NY", "timestamp", "time", "2024-07-01 12:34:56.5", "12:34:56.5"},
        {"NY", "timestamptz", "time", "2024-07-01 12:34:56.5+00", "08:34:56.5"},
        {"NY", "interval", "time", "27:00:00", "03:00:00"},
        {"NY", "interval", "time", "-1 hour", "23:00:00"},
        {"NY", "time", "interval", "10:00", "10:00:00"},
        {"NY", "timestamp", "timestamp(0)", "2024-07-01 12:34:56.5", "2024-07-01 12:34:57"},
        {"NY", "timestamptz", "timestamptz(1)", "2024-07-01 12:34:56.55+00", "2024-07-01 08:34:56.6-04"},
        {"NY", "interval", "interval(0)", "1.5 seconds", "00:00:02"},
        {"NY", "time", "time(0)", "10:00:00.5", "10:00:01"},
        {"NY", "numeric", "numeric(5,2)", "123.456", "123.46"},
        {"NY", "numeric", "numeric(5,2)", "1234.5", "ERROR 22003: numeric field overflow"},
        {"NY", "int4", "numeric(3,1)", "100", "ERROR 22003: numeric field overflow"},
        {"NY", "int8", "oid", "-1", "ERROR 22003: OID out of range"},
        {"NY", "int8", "oid", "4294967295", "4294967295"},
        {"NY", "oid", "int4", "4294967295", "-1"},
        {"NY", "int4", "oid", "-1", "4294967295"},
        {"NY", "date", "timestamp", "infinity", "infinity"},
        {"NY", "timestamp", "date", "-infinity", "-infinity"},
        {"NY", "int4[]", "int8[]", "{1,2}", "{1,2}"},
        {"NY", "int4[]", "text[]", "{1,2}", "{1,2}"},
        {"NY", "text[]", "int4[]", "{1,x}", "ERROR 22P02: invalid input syntax for type integer: \"x\""},
        {"NY", "text", "int4[]", "{1,2}", "{1,2}"},
        {"NY", "int4[]", "text", "{1,NULL}", "{1,NULL}"},
        {"NY", "uuid", "text", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
        {"NY", "text", "uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
        {"NY", "interval", "text", "1 day", "1 day"},
        {"NY", "float8", "text", "0.1", "0.1"},
        {"NY", "date", "int4", "2024-01-01", "ERROR 42846: cannot cast type date to integer"},
        {"NY", "bool", "numeric", "t", "ERROR 42846: cannot cast type boolean to numeric"},
    };

    static Stream<Arguments> cases() {
        return Stream.of(CASES).map(c -> Arguments.of(c[0], c[1], c[2], c[3], c[4]));
    }

    @ParameterizedTest(name = "[{0}] ''{3}''::{1}::{2}")
    @MethodSource("cases")
    void explicitCastMatchesPostgres(String ctxName, String from, String to, String literal, String expected) {
        SessionContext ctx = TestContexts.named(ctxName);
        String actual;
        try {
            Object[] f = TestContexts.typeWithMod(from.equals("\"char\"") ? from : from);
            Object[] t = TestContexts.typeWithMod(to);
            Type ft = (Type) f[0];
            Type tt = (Type) t[0];
            Object v = Casts.coerce(Types.UNKNOWN, ft, (Integer) f[1], literal, Casts.Context.EXPLICIT, ctx);
            Object r = Casts.coerce(ft, tt, (Integer) t[1], v, Casts.Context.EXPLICIT, ctx);
            actual = TextIO.output(tt, r, ctx);
        } catch (PgException e) {
            actual = TestContexts.error(e);
        }
        assertEquals(expected, actual);
    }

    @Test
    void contextsFollowPgCast() {
        assertTrue(Casts.canCoerce(Types.INT4, Types.INT8, Casts.Context.IMPLICIT));
        assertFalse(Casts.canCoerce(Types.INT8, Types.INT4, Casts.Context.IMPLICIT));
        assertTrue(Casts.canCoerce(Types.INT8, Types.INT4, Casts.Context.ASSIGNMENT));
        assertFalse(Casts.canCoerce(Types.INT4, Types.BOOL, Casts.Context.ASSIGNMENT));
        assertTrue(Casts.canCoerce(Types.INT4, Types.BOOL, Casts.Context.EXPLICIT));
        assertTrue(Casts.canCoerce(Types.INT4, Types.TEXT, Casts.Context.ASSIGNMENT)); // I/O cast to string
        assertFalse(Casts.canCoerce(Types.INT4, Types.TEXT, Casts.Context.IMPLICIT));
        assertFalse(Casts.canCoerce(Types.TEXT, Types.INT4, Casts.Context.ASSIGNMENT)); // I/O cast from string
        assertTrue(Casts.canCoerce(Types.TEXT, Types.INT4, Casts.Context.EXPLICIT));
        assertTrue(Casts.canCoerce(Types.UNKNOWN, Types.DATE, Casts.Context.IMPLICIT));
        assertTrue(Casts.canCoerce(Types.DATE, Types.TIMESTAMPTZ, Casts.Context.IMPLICIT));
        assertFalse(Casts.canCoerce(Types.TIMESTAMPTZ, Types.DATE, Casts.Context.IMPLICIT));
        assertTrue(Casts.canCoerce(Types.NUMERIC, Types.FLOAT8, Casts.Context.IMPLICIT));
        assertFalse(Casts.canCoerce(Types.FLOAT8, Types.NUMERIC, Casts.Context.IMPLICIT));
        assertFalse(Casts.canCoerce(Types.BOOL, Types.DATE, Casts.Context.EXPLICIT));
        assertEquals('b', Casts.find(Types.VARCHAR, Types.TEXT).method());
    }

    @Test
    void assignmentLengthCoercionErrorsWhereExplicitTruncates() {
        int mod = Types.typmod(Types.VARCHAR, 3);
        PgException e = assertThrows(PgException.class,
                () -> Casts.coerce(Types.TEXT, Types.VARCHAR, mod, "abcd", Casts.Context.ASSIGNMENT, TestContexts.UTC));
        assertEquals("22001", e.sqlState());
        assertEquals("value too long for type character varying(3)", e.getMessage());
        assertEquals("abc", Casts.coerce(Types.TEXT, Types.VARCHAR, mod, "abcd", Casts.Context.EXPLICIT, TestContexts.UTC));
        assertEquals("abc", Casts.coerce(Types.TEXT, Types.VARCHAR, mod, "abc   ", Casts.Context.ASSIGNMENT,
                TestContexts.UTC));
        int cmod = Types.typmod(Types.BPCHAR, 4);
        assertEquals("ab  ", Casts.coerce(Types.TEXT, Types.BPCHAR, cmod, "ab", Casts.Context.ASSIGNMENT,
                TestContexts.UTC));
        assertEquals("value too long for type character(4)", assertThrows(PgException.class,
                () -> Casts.coerce(Types.TEXT, Types.BPCHAR, cmod, "abcde", Casts.Context.ASSIGNMENT, TestContexts.UTC))
                .getMessage());
        assertNull(Casts.coerce(Types.INT4, Types.INT8, -1, null, Casts.Context.IMPLICIT, TestContexts.UTC));
        assertEquals("42846", assertThrows(PgException.class,
                () -> Casts.coerce(Types.BOOL, Types.DATE, -1, true, Casts.Context.EXPLICIT, TestContexts.UTC)).sqlState());
        PgException overflow = assertThrows(PgException.class, () -> Casts.coerce(Types.NUMERIC, Types.NUMERIC,
                Types.typmod(Types.NUMERIC, 5, 2), new java.math.BigDecimal("999.995"), Casts.Context.ASSIGNMENT,
                TestContexts.UTC));
        assertEquals("numeric field overflow", overflow.getMessage());
        assertEquals("A field with precision 5, scale 2 must round to an absolute value less than 10^3.",
                overflow.detail());
    }
}
