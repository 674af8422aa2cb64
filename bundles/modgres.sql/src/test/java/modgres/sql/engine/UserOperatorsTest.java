package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * CREATE OPERATOR / DROP OPERATOR and the resolution of user-defined operators (a domain's own "=" before its
 * base type's). Expected rows and errors are PostgreSQL 15's for the same statements.
 */
class UserOperatorsTest extends DataEngineTestBase {

    @Test
    void createUseAndDrop() {
        exec("create operator @@ (leftarg = int4, rightarg = int4, procedure = int4mi)");
        assertEquals(List.of("?column?", "2"), table("select 5 @@ 3"));
        assertEquals(List.of("?column?", "2"), table("select 5 operator(public.@@) 3"));
        error("create operator @@ (leftarg = int4, rightarg = int4, procedure = int4mi)", "42723",
                "operator @@ already exists");
        exec("drop operator @@ (int4, int4)");
        error("select 5 @@ 3", "42883", "operator does not exist: integer @@ integer");
        error("drop operator @@ (int4, int4)", "42883", "operator does not exist: integer @@ integer");
        assertTrue(run("drop operator if exists @@ (int4, int4)")
                .contains("N NOTICE 00000 operator @@ does not exist, skipping"));
        // a user "+" on integers: the built-in one comes first unless qualified (pg_catalog is searched first)
        exec("create function myplus(int,int) returns int as 'select 42' language sql");
        exec("create operator + (leftarg = int4, rightarg = int4, procedure = myplus)");
        assertEquals(List.of("?column?|?column?", "3|42"), table("select 1 + 2, 1 operator(public.+) 2"));
        // temp.sql: an operator in pg_temp (searched first for operators, unlike functions)
        exec("create operator pg_temp.@@ (leftarg = int4, rightarg = int4, procedure = int4mi)");
        assertEquals(List.of("?column?", "4"), table("select 7 operator(pg_temp.@@) 3"));
        assertEquals(List.of("?column?", "4"), table("select 7 @@ 3"));
    }

    @Test
    void definitionErrors() {
        PgException e = error("create operator @@ (leftarg = int4, procedure = int4mi)", "42P13",
                "operator right argument type must be specified");
        assertEquals("Postfix operators are not supported.", e.detail());
        error("create operator @@ (rightarg = int4, procedure = int4mi)", "42883",
                "function int4mi(integer) does not exist");
        error("create operator @@ (leftarg = int4, rightarg = int4)", "42P13", "operator function must be specified");
        error("create operator @@ (leftarg = int4, rightarg = int4, procedure = nosuch)", "42883",
                "function nosuch(integer, integer) does not exist");
        List<String> warned = run("create operator @@ (leftarg = int4, rightarg = int4, procedure = int4mi, foo = bar)");
        assertTrue(warned.contains("N WARNING 42601 operator attribute \"foo\" not recognized"), warned.toString());
        assertTrue(warned.contains("C CREATE OPERATOR"), warned.toString());
    }

    @Test
    void domainEqualityComesFirst() {
        // case.sql: CASE over a domain with its own "=" calls it (the base type's would say "is foo")
        exec("create domain foodomain as text");
        exec("create function volfoo(text) returns foodomain as 'begin return $1::foodomain; end' language plpgsql"
                + " volatile");
        exec("create function inline_eq(foodomain, foodomain) returns boolean as"
                + " 'SELECT CASE $2::text WHEN $1::text THEN true ELSE false END' language sql");
        exec("create operator = (procedure = inline_eq, leftarg = foodomain, rightarg = foodomain)");
        assertEquals(List.of("case", "is not foo"),
                table("SELECT CASE volfoo('bar') WHEN 'foo'::foodomain THEN 'is foo' ELSE 'is not foo' END"));
        // an operator that always answers false tells whose "=" ran
        exec("create function never(foodomain, foodomain) returns boolean as 'select false' language sql");
        exec("create operator === (procedure = never, leftarg = foodomain, rightarg = foodomain)");
        assertEquals(List.of("?column?|?column?", "f|t"), table("select 'a'::foodomain === 'a', 'a'::text = 'a'"));
        // a domain over an array with its own "=" (case.sql's arrdomain), CASE and NULLIF
        exec("create domain arrdomain as int[]");
        exec("create function make_ad(int,int) returns arrdomain as 'declare x arrdomain; begin x := array[$1,$2];"
                + " return x; end' language plpgsql volatile");
        exec("create function ad_eq(arrdomain, arrdomain) returns boolean as 'begin return array_eq($1, $2); end'"
                + " language plpgsql");
        exec("create operator = (procedure = ad_eq, leftarg = arrdomain, rightarg = arrdomain)");
        assertEquals(List.of("case", "right"), table("SELECT CASE make_ad(1,2) WHEN array[2,4]::arrdomain THEN 'wrong'"
                + " WHEN array[2,5]::arrdomain THEN 'still wrong' WHEN array[1,2]::arrdomain THEN 'right' END"));
        assertEquals(List.of("nullif", "{1,2}"), table("SELECT NULLIF(make_ad(1,2), array[2,3]::arrdomain)"));
        exec("create domain posint as int check (value > 0)");
        error("select 'x'::foodomain + 1", "42883", "operator does not exist: foodomain + integer");
        // an operator on a domain keeps the domain from being dropped
        PgException e = error("drop domain foodomain", "2BP01",
                "cannot drop type foodomain because other objects depend on it");
        assertTrue(e.detail().contains("function volfoo(text) depends on type foodomain"), e.detail());
    }
}
