package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;
import modgres.api.sql.SqlSession.ExecuteResult;

/**
 * WITH and WITH RECURSIVE end to end. The expected rows and errors are PostgreSQL 15's for the same statements
 * (psql -A output of a PostgreSQL 15.18 server).
 */
class RecursiveQueriesTest extends DataEngineTestBase {

    @BeforeEach
    void data() {
        exec("create table t(a int, b int, c text)");
        exec("insert into t values (1,1,'x'),(2,1,'y'),(3,2,'z'),(3,2,'w'),(null,3,null)");
        exec("create table tree(id int, parent int, name text)");
        exec("insert into tree values (1, null, 'root'), (2, 1, 'a'), (3, 1, 'b'), (4, 2, 'a1'), (5, 4, 'a1x'), (6, 3, 'b1')");
    }

    @Test
    void resultsAsPostgres() {
        // the working-table algorithm, UNION ALL and UNION
        assertEquals(List.of("n", "1", "2", "3", "4", "5"),
                table("with recursive r(n) as (select 1 union all select n+1 from r where n < 5) select * from r"));
        assertEquals(List.of("a", "0", "1", "1", "2", "3", "5", "8", "13", "21", "34", "55", "89", "144", "233", "377", "610", "987", "1597"),
                table("with recursive fib(a, b) as (select 0::numeric, 1::numeric union all select b, a + b from fib where a < 1000) select a from fib"));
        assertEquals(List.of("n", "1", "2", "3"),
                table("with recursive x(n) as (select 1 union select n % 3 + 1 from x) select * from x order by n"));
        assertEquals(List.of("n", "1"),
                table("with recursive r(n) as (select 1 union select 1 from r) select * from r"));
        assertEquals(List.of("n", "1", "2", "3"),
                table("with recursive r(n) as (values (1) union select n+1 from r where n < 3) select * from r"));
        assertEquals(List.of("n", "1", "2", "3", "4", "5"),
                table("with recursive t2(n) as (select 1 union all select n + 1 from t2) select * from t2 limit 5"));
        assertEquals(List.of("id|path|depth", "1|root|0", "2|root/a|1", "4|root/a/a1|2", "5|root/a/a1/a1x|3", "3|root/b|1", "6|root/b/b1|2"),
                table("with recursive p(id, path, depth) as (select id, name, 0 from tree where parent is null union all select t.id, p.path || '/' || t.name, p.depth + 1 from tree t join p on t.parent = p.id) select * from p order by path"));
        assertEquals(List.of("id|path", "1|root", "2|root/a", "4|root/a/a1", "5|root/a/a1/a1x", "3|root/b", "6|root/b/b1"),
                table("with recursive p(id, path) as (select id, name from tree where parent is null union all select t.id, p.path || '/' || t.name from p join tree t on t.parent = p.id) select * from p order by path"));
        assertEquals(List.of("id", "5", "4", "2", "1"),
                table("with recursive up(id, parent) as (select id, parent from tree where id = 5 union all select t.id, t.parent from tree t, up where t.id = up.parent) select id from up"));
        assertEquals(List.of("n|p", "1|x", "2|xy", "3|xyy"),
                table("with recursive r(n, p) as (select 1, 'x' union all select n+1, p || 'y' from r where n < 3) select * from r"));
        assertEquals(List.of("n", "1", "2", "3"),
                table("with recursive r as (select 1 as n union all select n+1 from r where n < 3) select * from r"));
        assertEquals(List.of("n|n", "1|1", "2|2", "3|3"),
                table("with recursive r(n) as (select 1 union all select n+1 from r where n < 3) select * from r r1 join r r2 on r1.n = r2.n"));
        assertEquals(List.of("n|count", "1|3", "2|3", "3|3"),
                table("with recursive r(n) as (select 1 union all select n+1 from r where n < 3) select *, (select count(*) from r) from r"));
        assertEquals(List.of("n", "1", "2", "3"),
                table("with recursive r(n) as (select 1 union all select n + 1 from (select * from r) s where n < 3) select * from r"));
        assertEquals(List.of("n", "1", "2"),
                table("with recursive r(n) as (select 1 union all select n + 1 from r where n < 3 intersect select 2) select * from r"));
        assertEquals(List.of("n", "1", "2", "3", "4"),
                table("with recursive r(n) as (select 1 union all (select n + 1 from r except select 5)) select * from r"));
        assertEquals(List.of("n", "1", "2", "3"),
                table("with recursive r(n) as (select 1 union all select n+1 from r where n < 3 group by n) select * from r"));
        assertEquals(List.of("count", "3"),
                table("with recursive r(n) as (select 1 union all select n+1 from r left join t on t.a = r.n where n < 3) select count(*) from r"));
        // WITH RECURSIVE orders the queries by their references; plain WITH queries are computed once
        assertEquals(List.of("m", "10", "20", "30"),
                table("with recursive b(m) as (select n * 10 from a), a(n) as (select 1 union all select n + 1 from a where n < 3) select * from b"));
        assertEquals(List.of("s", "1", "4", "9"),
                table("with recursive cnt(n) as (values (1) union all select n + 1 from cnt where n < 3), sq as (select n * n as s from cnt) select * from sq"));
        assertEquals(List.of("x|x", "1|1"),
                table("with a as (select 1 as x) select * from a a1, a a2"));
    }

    @Test
    void errorsAsPostgres() {
        error("with recursive r(n) as (select n from r) select * from r",
                "42P19", "recursive query \"r\" does not have the form non-recursive-term UNION [ALL] recursive-term");
        error("with recursive r(n) as (select 1 intersect select n+1 from r) select * from r",
                "42P19", "recursive query \"r\" does not have the form non-recursive-term UNION [ALL] recursive-term");
        error("with recursive r(n) as (select 1 union all select n+1 from r, r r2) select * from r",
                "42P19", "recursive reference to query \"r\" must not appear more than once");
        error("with recursive r(n) as (select n from r union all select 1) select * from r",
                "42P19", "recursive reference to query \"r\" must not appear within its non-recursive term");
        error("with recursive r(n) as (select 1 union all select (select n from r)) select * from r",
                "42P19", "recursive reference to query \"r\" must not appear within a subquery");
        error("with recursive r(n) as (select 1 union all select n + 1 from r where n < (select 3 from r limit 1)) select * from r",
                "42P19", "recursive reference to query \"r\" must not appear within a subquery");
        error("with recursive r(n) as (select 1 union all select a from t left join r on true) select * from r",
                "42P19", "recursive reference to query \"r\" must not appear within an outer join");
        error("with recursive r(n) as (select 1 union all select n + 1 from t full join r on true) select * from r",
                "42P19", "recursive reference to query \"r\" must not appear within an outer join");
        error("with recursive r(n) as (select 1 union all select n + 1 from r right join t on true) select * from r",
                "42P19", "recursive reference to query \"r\" must not appear within an outer join");
        error("with recursive r(n) as (select 1 union all (select 2 except select n from r)) select * from r",
                "42P19", "recursive reference to query \"r\" must not appear within EXCEPT");
        error("with recursive r(n) as (select 1 union all (select n from r intersect all select 2)) select * from r",
                "42P19", "recursive reference to query \"r\" must not appear within INTERSECT");
        error("with recursive r(n) as (select 1 union all select n+1 from r order by 1) select * from r",
                "0A000", "ORDER BY in a recursive query is not implemented");
        error("with recursive r(n) as (select 1 union all select n+1 from r where n < 3 limit 1) select * from r",
                "0A000", "LIMIT in a recursive query is not implemented");
        error("with recursive r(n) as (select 1 union all select n+1 from r offset 1) select * from r",
                "0A000", "OFFSET in a recursive query is not implemented");
        error("with recursive r(n) as (select 1 union all select count(*) from r) select * from r",
                "42P19", "aggregate functions are not allowed in a recursive query's recursive term");
        error("with recursive r(n) as (select 1 union all select n+1::bigint from r where n < 3) select * from r",
                "42804", "recursive query \"r\" column 1 has type integer in non-recursive term but type bigint overall");  // HINT:  Cast the output of the non-recursive term to the correct type.
        error("with recursive r(n) as (select 1 union all select 'x' from r) select * from r",
                "22P02", "invalid input syntax for type integer: \"x\"");
        error("with recursive r(a,b) as (select 1 union all select 1 from r) select * from r",
                "42P10", "WITH query \"r\" has 1 columns available but 2 columns specified");
        error("with r as (select 1), r as (select 2) select * from r",
                "42712", "WITH query name \"r\" specified more than once");
        error("with recursive a as (select * from b), b as (select * from a) select * from a",
                "0A000", "mutual recursion between WITH items is not implemented");
        error("with recursive a as (select 1 union all select 1 from b), b as (select 1 union all select 1 from a) select * from a",
                "0A000", "mutual recursion between WITH items is not implemented");
        error("with recursive r(n) as (select 1 union all select n + 1, 2 from r) select * from r",
                "42601", "each UNION query must have the same number of columns");
    }

    @Test
    void plan() {
        // PostgreSQL 15 prints the WITH query as a subplan ("CTE r" above the Recursive Union, the reference as
        // "WorkTable Scan on r r_1"); here the Recursive Union is the CTE Scan's child
        assertEquals(List.of("CTE Scan on r", "  ->  Recursive Union", "        ->  Result",
                "        ->  WorkTable Scan on r", "              Filter: (n < 5)"),
                plan("with recursive r(n) as (select 1 union all select n+1 from r where n < 5) select * from r"));
    }

    @Test
    void errorPositionsAndHints() {
        String q = "with recursive r(n) as (select 1 union all select n+1::bigint from r where n < 3) select * from r";
        PgException e = error(q);
        assertEquals("Cast the output of the non-recursive term to the correct type.", e.hint());
        assertEquals(q.indexOf("1 union") + 1, e.position());
        q = "with recursive r(n) as (select 1 union all select n+1 from r, r r2) select * from r";
        assertEquals(q.indexOf("r r2") + 1, error(q).position());
        q = "with recursive r(n) as (select n from r) select * from r";
        assertEquals(q.indexOf("r(n)") + 1, error(q).position());
        q = "with recursive r(n) as (select 1 union all select 'x' from r) select * from r";
        assertEquals(q.indexOf("'x'") + 1, error(q).position());
    }

    @Test
    void preparedQueriesReadTheirRowsAgain() {
        // a cached plan runs its WITH queries, subqueries and joins afresh at each execution
        session.parse("s", "with recursive p(id, depth) as (select id, 0 from tree where parent is null union all "
                + "select t.id, p.depth + 1 from tree t join p on t.parent = p.id) select count(*), max(depth) from p",
                new int[0]);
        for (String expected : List.of("D 6|3", "D 7|4")) {
            RecordingSink sink = new RecordingSink();
            session.bind("", "s", new byte[0][], new short[0], new short[0]);
            assertEquals(ExecuteResult.COMPLETED, session.execute("", 0, sink));
            session.sync();
            assertEquals(List.of(expected, "C SELECT 1"), sink.events);
            exec("insert into tree values (7, 5, 'a1xy')");
        }
    }
}
