package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * CREATE TYPE ... AS (...), composite columns and values: text input and output with PostgreSQL's quoting,
 * ROW(...), field selection, whole-row references, subfield targets of INSERT / UPDATE, comparisons, casts,
 * the catalog rows and DROP TYPE. Expected rows and errors are PostgreSQL 15's for the same statements (psql -A).
 */
class CompositeTypesTest extends DataEngineTestBase {

    @BeforeEach
    void data() {
        exec("create type comp as (i int, t text[])",
                "create table tab (id int, c comp, ca comp[])",
                "insert into tab (id, c.i, c.t) values (1, 1, '{a,b}')",
                "insert into tab (id, c) values (2, row(2, '{\"x y\",\"\"}'))",
                "insert into tab (id, c) values (3, '(3,\"{q}\")')",
                "insert into tab (id, ca[1].i, ca[1].t[2]) values (4, 7, 'z')",
                "insert into tab (id, c.t[1], c.t[2]) select 5, 'p', 'q'");
    }

    @Test
    void valuesPrintAsPostgres() {
        assertEquals(List.of("id|c|ca", "1|(1,\"{a,b}\")|", "2|(2,\"{\"\"x y\"\",\"\"\"\"}\")|", "3|(3,{q})|",
                "4||{\"(7,[2:2]={z})\"}", "5|(,\"{p,q}\")|"), table("select id, c, ca from tab order by id"));
        assertEquals(List.of("id|i|t|t", "1|1|a|{a,b}", "2|2|x y|{\"x y\",\"\"}", "3|3|q|{q}", "4|||",
                "5||p|{p,q}"), table("select id, (c).i, (c).t[1], (tab.c).t from tab order by id"));
        assertEquals(List.of("tab", "(2,\"(2,\"\"{\"\"\"\"x y\"\"\"\",\"\"\"\"\"\"\"\"}\"\")\",)"),
                table("select tab from tab where id = 2"));
        assertEquals(List.of("row", "(1,\"a b\",,\"\")"), table("select row(1, 'a b', null, '')::text"));
        assertEquals(List.of("t", "{z}"), table("select (row(1, '{z}')::comp).t"));
        assertEquals(List.of("i|t|i|t", "1|{a,b}|2|{c}"),
                table("select (row(1,'{a,b}')::comp).*, (x.c).* from (select row(2,'{c}')::comp as c) x"));
    }

    @Test
    void updateOfSubfields() {
        exec("update tab set c.i = 10, c.t[3] = 'w' where id = 1");
        assertEquals(List.of("c", "(10,\"{a,b,w}\")"), table("select c from tab where id = 1"));
        error("update tab set c.i = default", "0A000", "cannot set a subfield to DEFAULT");
    }

    @Test
    void comparisons() {
        assertEquals(List.of("?column?|?column?|?column?", "t|t|"),
                table("select '(1,\"{a,b}\")'::comp = row(1, '{a,b}')::comp, row(1,2) < row(1,3),"
                        + " row(1,null) = row(1,null)"));
        assertEquals(List.of("id", "3"), table("select id from tab where c = '(3,{q})'::comp"));
    }

    @Test
    void inputAndCastErrors() {
        PgException e = error("select '(1'::comp", "22P02", "malformed record literal: \"(1\"");
        assertEquals("Unexpected end of input.", e.detail());
        e = error("select '(1,\"{a}\",3)'::comp", "22P02", "malformed record literal: \"(1,\"{a}\",3)\"");
        assertEquals("Too many columns.", e.detail());
        e = error("select row(1,2)::comp", "42846", "cannot cast type record to comp");
        assertEquals("Cannot cast type integer to text[] in column 2.", e.detail());
        assertEquals(16, e.position());
        e = error("select row(1,'{a}',3)::comp", "42846", "cannot cast type record to comp");
        assertEquals("Input has too many columns.", e.detail());
        error("insert into tab (c.zz) values (1)", "42703",
                "cannot assign to field \"zz\" of column \"c\" because there is no such column in data type comp");
        error("insert into tab (c.i.x) values (1)", "42804",
                "cannot assign to field \"x\" of column \"i\" because its type integer is not a composite type");
        error("insert into tab (c.i, c.t) values (1, default)", "0A000", "cannot set a subfield to DEFAULT");
        error("select (c).nope from tab", "42703", "column \"nope\" not found in data type comp");
        error("create type comp as (x int)", "42710", "type \"comp\" already exists");
    }

    @Test
    void catalogRows() {
        assertEquals(List.of("typname|typtype|typcategory|typlen|typrelid_set", "_comp|b|A|-1|f",
                "comp|c|C|-1|t"), table("select typname, typtype, typcategory, typlen, typrelid <> 0 as typrelid_set"
                        + " from pg_type where typname in ('comp', '_comp') order by 1"));
        assertEquals(List.of("relkind|relnatts", "c|2"), table("select relkind, relnatts from pg_class"
                + " where relname = 'comp'"));
        assertEquals(List.of("attname|format_type", "i|integer", "t|text[]"),
                table("select attname, format_type(atttypid, atttypmod) from pg_attribute where attrelid ="
                        + " (select oid from pg_class where relname = 'comp') order by attnum"));
    }

    @Test
    void dropType() {
        PgException e = error("drop type comp", "2BP01", "cannot drop type comp because other objects depend on it");
        assertEquals("column ca of table tab depends on type comp[]\ncolumn c of table tab depends on type comp",
                e.detail());
        exec("create type outer_t as (q comp)");
        exec("drop type comp cascade");
        assertEquals(List.of("id", "1", "2"), table("select * from tab where id < 3 order by id"));
        error("select null::comp", "42704", "type \"comp\" does not exist");
        assertEquals(List.of("count", "0"), table("select count(*) from pg_class where relname = 'comp'"));
    }

    @Test
    void tableRowTypes() {
        exec("create table rt (a text, b int)", "insert into rt values ('x', 1)");
        assertEquals(List.of("eq|r|b", "t|(y,2)|1"),
                table("select rt = row('x', 1)::rt as eq, row('y','2')::rt as r, (rt).b from rt"));
        assertEquals(List.of("r", "(x,1)"), table("select r from rt r"));
        error("select * from comp", "42809", "\"comp\" is a composite type");
    }

    @Test
    void temporaryTypeAndRowExpansion() {
        exec("create type pg_temp.tt as (a int)");
        assertEquals(List.of("row", "(1)"), table("select row(1)::pg_temp.tt"));
        exec("create table upd (a int, b int)", "insert into upd values (1, 2)");
        exec("update upd set (a, b) = row(v.*) from (values (21, 100)) as v(i, j) where upd.a = 1");
        assertEquals(List.of("a|b", "21|100"), table("select * from upd"));
        PgException e = error("update upd set a = v.* from (values (1, 2)) as v(i, j)", "42804",
                "column \"a\" is of type integer but expression is of type record");
        assertEquals("You will need to rewrite or cast the expression.", e.hint());
        assertEquals(List.of("upd|a", "(3,4)|3"), table("insert into upd values (3, 4) returning (upd), a"));
    }
}
