package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Data-modifying statements in WITH: RETURNING rows read by the main query, each statement run exactly once
 * (also when not read, or read by a LIMIT 0), all with the statement's snapshot (the main query does not see
 * their changes; two of them changing one row: only the first does), the command tag the main query's, the
 * privileges on their targets, and PostgreSQL's errors. Expected rows and errors are PostgreSQL 15's for the same statements.
 */
class WritableCteTest extends DataEngineTestBase {

    @Test
    void modifyingQueries() {
        exec("create table src (a int, b text)", "create table dst (a int, b text)",
                "insert into src values (1, 'a'), (2, 'b'), (3, 'c')");
        assertEquals(List.of("x|b", "40|d", "50|e"), table("with t as (insert into src values (4, 'd'), (5, 'e')"
                + " returning a * 10 as x, b) select * from t order by x"));
        List<String> moved = run("with d as (delete from src where a <= 2 returning *) insert into dst select * from d");
        assertEquals("C INSERT 0 2", moved.get(moved.size() - 1));
        assertEquals(List.of("a|b", "1|a", "2|b"), table("select * from dst order by a"));
        assertEquals(List.of("one", "1"), table("with u as (update src set b = upper(b) where a = 3 returning a)"
                + " select 1 as one"));
        assertEquals(List.of("a|b", "3|C", "4|d", "5|e"), table("select * from src order by a"));
        assertEquals(List.of("count", "3"), table("with i as (insert into src values (9, 'z') returning *)"
                + " select count(*) from src"));
        assertEquals(List.of("count", "4"), table("select count(*) from src"));
        assertEquals(List.of("?column?", "1"), table("with x as (delete from src where a = 9) select 1"));
        error("with x as (delete from src where a = 9) select * from x", "0A000",
                "WITH query \"x\" does not have a RETURNING clause");
        assertEquals(List.of("c1|c2", "1|0"), table("with u1 as (update src set b = 'first' where a = 4 returning a),"
                + " u2 as (update src set b = 'second' where a = 4 returning a)"
                + " select (select count(*) from u1) c1, (select count(*) from u2) c2"));
        assertEquals(List.of("a|b", "4|first"), table("select * from src where a = 4"));
        assertEquals(List.of("a"), table("with m as (update src set a = a + 100 where a = 5 returning a)"
                + " select * from m limit 0"));
        assertEquals(List.of("a|b", "3|C", "4|first", "105|e"), table("select * from src order by a"));
        assertEquals(List.of("sum", "3"), table("with m(n) as (delete from dst returning a) select sum(n) from m"));
        assertEquals(List.of("count", "0"), table("select count(*) from dst"));
    }

    @Test
    void privilegesOfTheWithStatementsTargets() {
        exec("create role alice", "create table secret (a int)", "insert into secret values (1)",
                "create table pub (a int)", "grant all on pub to alice", "set role alice");
        error("with x as (delete from secret returning a) select 1", "42501", "permission denied for table secret");
        assertEquals(List.of("a", "5"), table("with x as (insert into pub values (5) returning a) select * from x"));
        exec("reset role");
        assertEquals(List.of("count", "1"), table("select count(*) from secret"));
    }

    @Test
    void triggersFireOnceForAWithStatement() {
        exec("create table t (a int)", "create table log (what text)",
                "create function t_log() returns trigger language plpgsql as"
                        + " $$ begin insert into log values (tg_op || ' ' || tg_level); return null; end $$",
                "create trigger t_row after insert on t for each row execute function t_log()",
                "create trigger t_st after insert on t for each statement execute function t_log()");
        assertEquals(List.of("a", "1", "2"), table("with i as (insert into t values (1), (2) returning a)"
                + " select a from i order by a"));
        assertEquals(List.of("what|count", "INSERT ROW|2", "INSERT STATEMENT|1"),
                table("select what, count(*) from log group by what order by what"));
    }
}
