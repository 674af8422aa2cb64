package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** UPDATE ... SET (a, b) = (...) | ROW(...) | (SELECT ...), with PostgreSQL 15's results and errors. */
class MultiColumnUpdateTest extends DataEngineTestBase {

    @Test
    void rowAndSubSelectSources() {
        exec("create table g (a int, c int default 42, t text)", "insert into g values (1, 10, 'x'), (2, 20, 'y')");
        assertEquals(List.of("C UPDATE 1"), run("update g set (a, c) = (c, a) where a = 1"));
        exec("update g set (c, a) = (select 7, 8) where a = 2");
        exec("update g set (t, c) = row('z', default) where a = 10");
        assertEquals(List.of("a|c|t", "8|7|y", "10|42|z"), table("select * from g order by a"));
        // no row from the sub-SELECT: NULLs
        exec("update g set (c, t) = (select 1, 'n' where false) where a = 8");
        assertEquals(List.of("a|c|t", "8||"), table("select * from g where a = 8"));
    }

    @Test
    void errorsAsPostgres() {
        exec("create table g (a int, c int)", "insert into g values (1, 2), (3, 4)");
        error("update g set (a, c) = (1, 2, 3)", "42601", "number of columns does not match number of values");
        error("update g set (a, c) = 5", "42601",
                "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() expression");
        error("update g set (a, c) = (select 1)", "42601", "number of columns does not match number of values");
        error("update g set (a, a) = (1, 2)", "42601", "multiple assignments to same column \"a\"");
        error("update g set (a, c) = (select a, c from g)", "21000",
                "more than one row returned by a subquery used as an expression");
    }
}
