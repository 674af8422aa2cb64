package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * SQL-level PREPARE / EXECUTE / DEALLOCATE on the real storage, the
 * pg_prepared_statements view and its sharing with the protocol's named
 * statements, EXPLAIN EXECUTE and CREATE TABLE AS EXECUTE. Expected texts
 * are PostgreSQL 15's.
 */
class PreparedStatementsTest extends DataEngineTestBase {

    private void fiveRows() {
        exec("create table t5 (a int)", "insert into t5 select g from generate_series(1, 5) g");
    }

    @Test
    void prepareAndExecuteWithParameters() {
        fiveRows();
        assertEquals(List.of("C PREPARE"),
                run("prepare q1(int, text) as select a, $2 as b from t5 where a > $1 order by a"));
        assertEquals(List.of("a|b", "4|x", "5|x"), table("execute q1(3, 'x')"));
        // arguments are converted to the parameters' types
        assertEquals(List.of("a|b", "5|42"), table("execute q1('4', 42)"));
        assertTrue(run("execute q1(3, 'x')").contains("C SELECT 2"));
        PgException e = error("execute q1(1)", "42601", "wrong number of parameters for prepared statement \"q1\"");
        assertEquals("Expected 2 parameters but got 1.", e.detail());
        error("prepare q1 as select 1", "42P05", "prepared statement \"q1\" already exists");
        error("execute nope", "26000", "prepared statement \"nope\" does not exist");
        error("deallocate nope", "26000", "prepared statement \"nope\" does not exist");
    }

    @Test
    void dataChangingStatementsKeepTheirTags() {
        fiveRows();
        exec("prepare u as update t5 set a = a where a = $1",
                "prepare ins(int) as insert into t5 values ($1) returning a");
        assertEquals(List.of("C UPDATE 1"), run("execute u(1)"));
        assertEquals(List.of("a", "100"), table("execute ins(100)"));
        assertTrue(run("execute ins(101)").contains("C INSERT 0 1"));
        exec("begin read only");
        error("execute u(1)", "25006", "cannot execute UPDATE in a read-only transaction");
        exec("rollback");
        assertEquals(List.of("count", "7"), table("select count(*) from t5"));
    }

    @Test
    void pgPreparedStatementsAndDeallocate() {
        exec("prepare q2 as select 1 as one", "prepare q1(int, text) as select $1, $2");
        assertEquals(List.of("name|statement|parameter_types|from_sql|generic_plans|custom_plans",
                "q1|prepare q1(int, text) as select $1, $2|{integer,text}|t|0|0",
                "q2|prepare q2 as select 1 as one|{}|t|0|0"),
                table("select name, statement, parameter_types, from_sql, generic_plans, custom_plans"
                        + " from pg_prepared_statements order by name"));
        // a protocol-level statement is in the same namespace
        session.parse("S_1", "select $1::int + 1", new int[0]);
        assertEquals(List.of("name|from_sql", "S_1|f", "q1|t", "q2|t"),
                table("select name, from_sql from pg_prepared_statements order by name"));
        assertEquals(List.of("?column?", "3"), table("execute \"S_1\"(2)"));
        assertEquals(List.of("C DEALLOCATE"), run("deallocate q2"));
        assertEquals(List.of("C DEALLOCATE"), run("deallocate prepare q1"));
        assertEquals(List.of("C DEALLOCATE ALL"), run("deallocate all"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_prepared_statements"));
    }

    @Test
    void explainExecuteAndCreateTableAsExecute() {
        fiveRows();
        exec("prepare q1(int, text) as select a, $2 as b from t5 where a > $1 order by a");
        List<String> events = run("explain (costs off) execute q1(3, 'x')");
        assertEquals("T QUERY PLAN:25", events.get(0));
        assertEquals("D Sort", events.get(1));
        assertEquals("D   Sort Key: a", events.get(2));
        assertEquals("C EXPLAIN", events.get(events.size() - 1));
        assertEquals(List.of("C SELECT 3"), run("create table ct as execute q1(2, 'y')"));
        assertEquals(List.of("a|b", "3|y", "4|y", "5|y"), table("select * from ct order by a"));
        exec("prepare u as update t5 set a = a");
        error("create table ct2 as execute u", "42809", "prepared statement is not a SELECT");
    }

    @Test
    void executeReplansAfterTheCatalogChanged() {
        fiveRows();
        exec("prepare c as select count(*) from t5");
        assertEquals(List.of("count", "5"), table("execute c"));
        exec("create index t5_a on t5 (a)", "insert into t5 values (6)");
        assertEquals(List.of("count", "6"), table("execute c"));
    }
}
