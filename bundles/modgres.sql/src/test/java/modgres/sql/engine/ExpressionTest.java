package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;
import modgres.api.server.ServerVersion;

/** Expected strings are what PostgreSQL 15's psql printed for the same queries. */
class ExpressionTest extends EngineTestBase {

    @Test
    void literalTyping() {
        assertEquals(List.of("T ?column?:23 ?column?:20 ?column?:1700 ?column?:1700 ?column?:25 ?column?:16 ?column?:25",
                "D 1|2147483648|99999999999999999999|1.50|a|t|NULL", "C SELECT 1"),
                run("SELECT 1, 2147483648, 99999999999999999999, 1.50, 'a', true, NULL"));
        assertEquals("-2147483648|-2147483648|2147483648",
                value("select -2147483648, - 2147483648, 2147483648"));
        assertEquals("1000", value("SELECT 1e3"));
    }

    @Test
    void arithmetic() {
        assertEquals("3|-3|-1|3.5000000000000000|0.33333333333333333333|7.0|1000|0.30000000000000004|0.3333333333333333",
                value("select 7/2, -7/2, -7%3, 7.0/2, 1/3.0, 2*3.5, 1e3, 0.1::float8+0.2, 1::float8/3"));
        assertEquals("-0.21428571428571428571|0.33333333333333333333|2.5000000000000000",
                value("select -1.5::numeric/7, 1::numeric/3, 10.0/4"));
        assertEquals("6000000000", value("select 3000000000 * 2"));
        assertEquals("8", value("select 2^3"));
    }

    @Test
    void arithmeticErrors() {
        PgException e = error("select 2147483647+1");
        assertEquals("22003", e.sqlState());
        assertEquals("integer out of range", e.getMessage());
        e = error("select 9223372036854775807+1");
        assertEquals("bigint out of range", e.getMessage());
        e = error("select 1/0");
        assertEquals("22012", e.sqlState());
        assertEquals("division by zero", e.getMessage());
        assertEquals("division by zero", error("select 1.0/0").getMessage());
        assertEquals("division by zero", error("select 5 % 0").getMessage());
        e = error("select 1e308::float8 * 10");
        assertEquals("value out of range: overflow", e.getMessage());
        assertEquals("integer out of range", error("select (-2147483648) / -1").getMessage());
    }

    @Test
    void logicAndComparison() {
        assertEquals("t|f|t|NULL", value("select null::int is null, null and false, null or true, not null::bool"));
        assertEquals("abcd|a1|1a|t|t|t", value("select 'ab'||'cd', 'a'||1, 1||'a', 1 < 2, 'a' < 'b', 1.5 = 1.50"));
        assertEquals("t|f|NULL|t", value("select 1 <> 2, 2 <= 1, 1 = null, 1::int8 = 1.0"));
        assertEquals("t|f", value("select null is distinct from 1, 1 is distinct from 1"));
    }

    @Test
    void casts() {
        assertEquals(List.of("T bool:16 bool:16 float8:701 int4:23 numeric:1700 int4:23 int4:23 bool:16 bool:16 int4:23",
                "D t|f|1000|12|1.50|4|-3|t|t|1", "C SELECT 1"),
                run("select 'yes'::bool, 'of'::bool, '1e3'::float8, ' 12 '::int, '1.50'::numeric, 3.7::int,"
                        + " (-2.5)::int, 1::bool, 10::bool, true::int"));
        assertEquals(List.of("T int4:23 text:25 int8:20 float8:701", "D 1|1|5|2", "C SELECT 1"),
                run("select '1'::int, 1::text, 5::bigint, 2.5::float8::int::double precision"));
        assertEquals("2", value("select 2.5::float8::int"));
    }

    @Test
    void castErrors() {
        PgException e = error("select 'abc'::int");
        assertEquals("22P02", e.sqlState());
        assertEquals("invalid input syntax for type integer: \"abc\"", e.getMessage());
        assertEquals(8, e.position());
        assertEquals("invalid input syntax for type boolean: \"x\"", error("select 'x'::bool").getMessage());
        assertEquals("invalid input syntax for type integer: \"1.5\"", error("select '1.5'::int").getMessage());
        assertEquals("invalid input syntax for type double precision: \"abc\"",
                error("select 'abc'::float8").getMessage());
        assertEquals("invalid input syntax for type numeric: \"abc\"", error("select 'abc'::numeric").getMessage());
        e = error("select '99999999999'::int");
        assertEquals("22003", e.sqlState());
        assertEquals("value \"99999999999\" is out of range for type integer", e.getMessage());
        assertEquals("integer out of range", error("select 99999999999::int").getMessage());
    }

    @Test
    void typeErrors() {
        PgException e = error("select 'a' + 'b'");
        assertEquals("42725", e.sqlState());
        assertEquals("operator is not unique: unknown + unknown", e.getMessage());
        e = error("select 1 + 'x'::text");
        assertEquals("42883", e.sqlState());
        assertEquals("operator does not exist: integer + text", e.getMessage());
        e = error("select coalesce(1,'x'::text)");
        assertEquals("42804", e.sqlState());
        assertEquals("COALESCE types integer and text cannot be matched", e.getMessage());
        assertEquals(19, e.position());
        e = error("select case when 1 then 1 end");
        assertEquals("argument of CASE/WHEN must be type boolean, not type integer", e.getMessage());
        assertEquals(18, e.position());
        e = error("select 1 and true");
        assertEquals("argument of AND must be type boolean, not type integer", e.getMessage());
        e = error("select foo(1)");
        assertEquals("42883", e.sqlState());
        assertEquals("function foo(integer) does not exist", e.getMessage());
        assertEquals(8, e.position());
        e = error("select x");
        assertEquals("42703", e.sqlState());
        assertEquals("column \"x\" does not exist", e.getMessage());
    }

    @Test
    void conditionals() {
        assertEquals(List.of("T case:25 coalesce:25 coalesce:1700 nullif:23 greatest:23 least:1700",
                "D one|x|2|NULL|5|1", "C SELECT 1"),
                run("select case 1 when 1 then 'one' else 'other' end, coalesce(null, 'x'), coalesce(null, 2, 3.5),"
                        + " nullif(1,1), greatest(1,5,3), least(2.5, 1)"));
        assertEquals("b|NULL", value("select case when false then 'a' when true then 'b' end, case when false then 1 end"));
    }

    @Test
    void labelsAndFunctions() {
        assertEquals(List.of("T a:23 b:23 Q:25", "D 1|2|x", "C SELECT 1"), run("select 1 as a, 2 b, 'x'::text as \"Q\""));
        assertEquals(List.of("T current_user:19 session_user:19 user:19 current_schema:19 current_catalog:19"
                + " current_database:19 pg_backend_pid:23", "D postgres|postgres|postgres|public|postgres|postgres|4242",
                "C SELECT 1"),
                run("select current_user, session_user, user, current_schema, current_catalog, current_database(),"
                        + " pg_backend_pid()"));
        assertEquals(List.of("T version:25", "D " + ServerVersion.versionString(), "C SELECT 1"),
                run("select version()"));
        assertEquals("T int4:23", run("select case when true then 1 end::int").get(0));
        assertEquals("T coalesce:23", run("select coalesce(1, 2)::int").get(0));
    }

    @Test
    void timestamps() {
        List<String> ev = run("select now(), current_timestamp");
        assertEquals("T now:1184 current_timestamp:1184", ev.get(0));
        assertTrue(ev.get(1).matches("D \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?\\+00\\|.*"), ev.get(1));
        assertEquals("2026-11-24 04:13:37.017531+00",
                PgType.timestamptzOut(java.time.Instant.parse("2026-11-24T04:13:37.017531Z"), java.time.ZoneOffset.UTC));
        assertEquals("2026-11-24 09:43:37.5+05:30", PgType.timestamptzOut(
                java.time.Instant.parse("2026-11-24T04:13:37.500Z"), java.time.ZoneId.of("Asia/Kolkata")));
        assertEquals("2026-11-24 01:13:37-03", PgType.timestamptzOut(
                java.time.Instant.parse("2026-11-24T04:13:37Z"), java.time.ZoneOffset.ofHours(-3)));
        run("SET TIME ZONE 'Asia/Kolkata'");
        assertTrue(value("select now()").endsWith("+05:30"));
    }

    @Test
    void float8Output() {
        assertEquals("1e+15|1e-05|123456789012345|1e+100|0.1|-0|NaN|Infinity|-Infinity",
                value("select 1e15::float8, 1e-5::float8, 123456789012345.0::float8, 1e100::float8, 0.1::float8,"
                        + " '-0'::float8, 'nan'::float8, 'inf'::float8, '-Infinity'::float8"));
        assertEquals("1.5e-05", PgType.float8Out(1.5e-5));
        assertEquals("1.2345678901234567e+19", PgType.float8Out(12345678901234567890.0));
    }
}
