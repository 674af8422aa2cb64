package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * CREATE [OR REPLACE] RULE / DROP RULE on tables: pg_rewrite rows, pg_rules and pg_get_ruledef, and the rules
 * applied to INSERT (NEW), UPDATE (OLD, NEW) and DELETE (OLD), ALSO and INSTEAD, with and without WHERE. The
 * expected rows, tags and errors are PostgreSQL 15's for the same statements.
 */
class RulesTest extends DataEngineTestBase {

    @Test
    void rulesAppliedAsPostgres() {
        exec("create table rt (a int, b text default 'dflt')");
        exec("create table rlog (x int, y text, op text)");
        assertEquals(List.of("C CREATE RULE"),
                run("create rule r1 as on insert to rt do also insert into rlog values (new.a, new.b, 'ins')"));
        exec("create rule r2 as on insert to rt where new.a > 100 do instead nothing");
        exec("create rule r3 as on update to rt do also insert into rlog values (old.a, new.b, 'upd')");
        exec("create rule r4 as on delete to rt where old.a = 2 do instead delete from rlog where x = old.a");
        assertEquals(List.of("C INSERT 0 1"), run("insert into rt values (1, 'x'), (200, 'big')"));
        assertEquals(List.of("C INSERT 0 1"), run("insert into rt (a) values (2)"));
        assertEquals(List.of("C INSERT 0 1"), run("insert into rt default values"));
        assertEquals(List.of("C UPDATE 1"), run("update rt set b = 'z' where a = 1"));
        assertEquals(List.of("C DELETE 0"), run("delete from rt where a = 2"));
        assertEquals(List.of("C DELETE 1"), run("delete from rt where a is null"));
        assertEquals(List.of("a|b", "1|z", "2|dflt"), table("select * from rt order by a"));
        assertEquals(List.of("x|y|op", "1|x|ins", "1|z|upd", "200|big|ins", "|dflt|ins"),
                table("select * from rlog order by x, op"));
        error("create rule r1 as on insert to rt do also nothing", "42710",
                "rule \"r1\" for relation \"rt\" already exists");
        assertEquals(List.of("C CREATE RULE"), run("create or replace rule r1 as on insert to rt do instead nothing"));
        assertEquals(List.of("C INSERT 0 0"), run("insert into rt values (5, 'five')"));
        assertEquals(List.of("count", "2"), table("select count(*) from rt"));
    }

    @Test
    void catalogAndDrop() {
        exec("create table rt (a int)");
        exec("create rule r2 as on insert to rt where new.a > 100 do instead nothing");
        assertEquals(List.of("rulename|definition", "r2|CREATE RULE r2 AS\n    ON INSERT TO public.rt\n"
                + "   WHERE (new.a > 100) DO INSTEAD NOTHING;"),
                table("select rulename, definition from pg_rules where tablename = 'rt'"));
        assertEquals(List.of("relhasrules|ev_type|is_instead", "t|3|t"),
                table("select c.relhasrules, r.ev_type, r.is_instead from pg_rewrite r join pg_class c"
                        + " on c.oid = r.ev_class where r.rulename = 'r2'"));
        assertEquals(List.of("C DROP RULE"), run("drop rule r2 on rt"));
        List<String> events = run("drop rule if exists r2 on rt");
        assertEquals(List.of("N NOTICE 00000 rule \"r2\" for relation \"rt\" does not exist, skipping", "C DROP RULE"),
                events);
        error("drop rule r2 on rt", "42704", "rule \"r2\" for relation \"rt\" does not exist");
        assertEquals(List.of("C INSERT 0 1"), run("insert into rt values (500)"));
    }
}
