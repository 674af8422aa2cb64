package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * CREATE / ALTER / DROP DOMAIN and domain semantics: casts, assignments, function arguments and results,
 * PL/pgSQL variables and defaults check the domain's constraints. Expected rows and errors are PostgreSQL 15's
 * for the same statements (psql -A output of a PostgreSQL 15 server).
 */
class DomainsTest extends DataEngineTestBase {

    @Test
    void castsCheckTheConstraints() {
        exec("create domain posint as int check (value > 0)");
        exec("create domain nn as text not null default 'dflt'");
        exec("create domain vc as varchar(3)");
        assertEquals(List.of("posint|pg_typeof", "5|posint"), table("select 5::posint, pg_typeof(5::posint)"));
        error("select (-1)::posint", "23514", "value for domain posint violates check constraint \"posint_check\"");
        error("select null::nn", "23502", "domain nn does not allow null values");
        assertEquals(List.of("vc", "abc"), table("select 'abcd'::vc"));
        assertEquals(List.of("?column?", "abx"), table("select 'ab'::vc || 'x'"));
        // arrays of a domain: each element is checked
        assertEquals(List.of("array|pg_typeof", "{1,2}|posint[]"),
                table("select array[1,2]::posint[], pg_typeof(array[1]::posint[])"));
        error("select array[1,-1]::posint[]", "23514",
                "value for domain posint violates check constraint \"posint_check\"");
        assertEquals(List.of("posint", "{3,NULL}"), table("select '{3,null}'::posint[]"));
        // a domain behaves as its base type for operators and functions
        assertEquals(List.of("?column?|abs", "8|3"), table("select 5::posint + 3, abs(3::posint)"));
        // the row description names the base type, as PostgreSQL's
        assertTrue(run("select 5::posint").contains("T posint:23"), run("select 5::posint").toString());
        // temp.sql: function-call syntax is a cast when no function has the name (unqualified: not pg_temp's)
        exec("create domain pg_temp.nonempty as text check (value <> '')");
        exec("set search_path = pg_temp, public");
        error("select nonempty('')", "42883", "function nonempty(unknown) does not exist");
        error("select pg_temp.nonempty('')", "23514",
                "value for domain nonempty violates check constraint \"nonempty_check\"");
        error("select ''::nonempty", "23514", "value for domain nonempty violates check constraint \"nonempty_check\"");
        assertEquals(List.of("nonempty", "x"), table("select pg_temp.nonempty('x')"));
        exec("reset search_path");
        exec("create domain dt as text");
        assertEquals(List.of("dt|pg_typeof", "x|dt"), table("select dt('x'), pg_typeof(dt('x'))"));
    }

    @Test
    void columnsAndDefaults() {
        exec("create domain posint as int check (value > 0)");
        exec("create domain nn as text not null default 'dflt'");
        exec("create table t (a posint, b nn, c int)");
        exec("insert into t(c) values (1)");
        error("insert into t values (-5, 'x', 1)", "23514",
                "value for domain posint violates check constraint \"posint_check\"");
        error("insert into t values (3, null, 1)", "23502", "domain nn does not allow null values");
        error("update t set a = 0", "23514", "value for domain posint violates check constraint \"posint_check\"");
        exec("update t set a = 7");
        assertEquals(List.of("a|b|c", "7|dflt|1"), table("select * from t"));
        assertEquals(List.of("format_type|format_type", "posint|posint[]"),
                table("select format_type('posint'::regtype, -1), format_type('_posint'::regtype, -1)"));
        // insert.sql: a domain over an array
        exec("create domain insert_pos_ints as int[] check (value[1] > 0)");
        exec("create table ta (f1 int, f2 insert_pos_ints)");
        exec("insert into ta values (1, '{1,2}')");
        error("insert into ta values (1, '{0,2}')", "23514",
                "value for domain insert_pos_ints violates check constraint \"insert_pos_ints_check\"");
        error("insert into ta values (1, array[0,2])", "23514",
                "value for domain insert_pos_ints violates check constraint \"insert_pos_ints_check\"");
        assertEquals(List.of("f2|f2", "{1,2}|1"), table("select f2, f2[1] from ta"));
    }

    @Test
    void catalogRowsAndConstraintNames() {
        exec("create domain posint as int check (value > 0)");
        exec("create domain nn as text not null default 'dflt'");
        assertEquals(List.of("regtype|regtype|regtype", "posint|posint[]|nn"),
                table("select 'posint'::regtype, '_posint'::regtype, 'public.nn'::regtype"));
        // psql's \\dD prints it pretty
        assertEquals(List.of("conname|contype|pg_get_constraintdef", "posint_check|c|CHECK (VALUE > 0)"),
                table("select conname, contype, pg_get_constraintdef(oid, true) from pg_constraint"
                        + " where contypid = 'posint'::regtype"));
        exec("create domain posint2 as int constraint c1 check (value > 0) check (value < 100) check (value <> 50)");
        assertEquals(List.of("conname", "c1", "posint2_check", "posint2_check1"),
                table("select conname from pg_constraint where contypid = 'posint2'::regtype order by 1"));
        error("select 50::posint2", "23514", "value for domain posint2 violates check constraint \"posint2_check1\"");
        error("create domain nn as int", "42710", "type \"nn\" already exists");
        error("create domain dd as int unique", "42601", "unique constraints not possible for domains");
        error("create domain dd as int null not null", "42601", "conflicting NULL/NOT NULL constraints");
        error("create domain dd as int default 1 default 2", "42601", "multiple default expressions");
        error("create domain dd as anyelement", "42804", "\"anyelement\" is not a valid base type for a domain");
        error("create domain dd as int check (value + 1)", "42804",
                "argument of CHECK must be type boolean, not type integer");
        error("create domain dd as int check (x > 0)", "42703", "column \"x\" does not exist");
    }

    @Test
    void alterAndDrop() {
        exec("create domain posint2 as int constraint c1 check (value > 0) check (value < 100)");
        exec("alter domain posint2 drop constraint c1");
        assertEquals(List.of("posint2", "-1"), table("select (-1)::posint2"));
        error("alter domain posint2 drop constraint c1", "42704",
                "constraint \"c1\" of domain \"posint2\" does not exist");
        assertTrue(run("alter domain posint2 drop constraint if exists c1")
                .contains("N NOTICE 00000 constraint \"c1\" of domain \"posint2\" does not exist, skipping"));
        exec("alter domain posint2 add constraint big check (value > 2)");
        error("select 1::posint2", "23514", "value for domain posint2 violates check constraint \"big\"");
        exec("create table t (a posint2)");
        exec("insert into t values (5)");
        error("alter domain posint2 add constraint c6 check (value > 6)", "23514",
                "column \"a\" of table \"t\" contains values that violate the new constraint");
        exec("insert into t values (null)");
        error("alter domain posint2 set not null", "23502", "column \"a\" of table \"t\" contains null values");
        exec("create domain nn as text not null");
        exec("alter domain nn drop not null");
        assertEquals(List.of("nn", ""), table("select null::nn"));
        exec("alter domain nn set default 'd'");
        exec("create table u (x int, y nn)");
        exec("insert into u(x) values (1)");
        assertEquals(List.of("y", "d"), table("select y from u"));
        exec("alter domain nn rename to nn2");
        assertEquals(List.of("typname|typtype|typnotnull|typdefault", "_nn2|b|f|", "nn2|d|f|'d'::text"),
                table("select typname, typtype, typnotnull, typdefault from pg_type where typname like '%nn2'"
                        + " order by 1"));
        error("select null::nn", "42704", "type \"nn\" does not exist");
        error("alter domain nn2 rename to u", "42710", "type \"u\" already exists");
        PgException e = error("drop domain posint2", "2BP01",
                "cannot drop type posint2 because other objects depend on it");
        assertEquals("column a of table t depends on type posint2", e.detail());
        assertEquals("Use DROP ... CASCADE to drop the dependent objects too.", e.hint());
        assertTrue(run("drop domain if exists nosuch")
                .contains("N NOTICE 00000 type \"nosuch\" does not exist, skipping"));
        error("drop domain nosuch", "42704", "type \"nosuch\" does not exist");
        exec("drop table t");
        exec("drop domain posint2");
        error("select 1::posint2", "42704", "type \"posint2\" does not exist");
    }

    @Test
    void copyChecksTheConstraints() {
        exec("create domain posint2 as int check (value > 0) check (value < 100) check (value <> 50)");
        exec("create table ct (a posint2, b text)");
        RecordingSink sink = new RecordingSink() {
            @Override
            public InputStream copyIn(boolean binary, short[] columnFormats) {
                return new ByteArrayInputStream("5\tx\n50\ty\n".getBytes(StandardCharsets.UTF_8));
            }
        };
        PgException e = assertThrows(PgException.class, () -> session.simpleQuery("copy ct from stdin", sink));
        assertEquals("23514 value for domain posint2 violates check constraint \"posint2_check2\"",
                e.sqlState() + " " + e.getMessage());
        assertEquals("COPY ct, line 2, column a: \"50\"", e.context());
        assertEquals(List.of("count", "0"), table("select count(*) from ct"));
    }

    @Test
    void functionsAndPlpgsql() {
        exec("create domain posint2 as int check (value > 0) check (value < 100) check (value <> 50)");
        exec("create function f(posint2) returns int as 'select $1 + 1' language sql");
        assertEquals(List.of("f", "6"), table("select f(5)"));
        error("select f(50)", "23514", "value for domain posint2 violates check constraint \"posint2_check2\"");
        // case.sql: a plpgsql function returning and declaring a domain
        exec("create domain arrdomain as int[]");
        exec("create function make_ad(int,int) returns arrdomain as 'declare x arrdomain; begin x := array[$1,$2];"
                + " return x; end' language plpgsql volatile");
        assertEquals(List.of("make_ad", "{1,2}"), table("select make_ad(1,2)"));
        exec("create domain small as int check (value < 10)");
        exec("create function mk(int) returns small as 'begin return $1; end' language plpgsql");
        assertEquals(List.of("mk", "3"), table("select mk(3)"));
        error("select mk(30)", "23514", "value for domain small violates check constraint \"small_check\"");
        exec("create function mk2(int) returns int as 'declare v small; begin v := $1; return v; end'"
                + " language plpgsql");
        error("select mk2(30)", "23514", "value for domain small violates check constraint \"small_check\"");
    }
}
