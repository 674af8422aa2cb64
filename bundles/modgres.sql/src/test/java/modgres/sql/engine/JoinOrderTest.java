package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The planner's join order and row estimates, against PostgreSQL 15's plans for the same tables. */
class JoinOrderTest extends DataEngineTestBase {

    @Test
    void aNeverAnalyzedSmallTableIsEstimatedAsPostgresDoes() {
        exec("create table case_tbl (i integer, f double precision)",
                "create table case2_tbl (i integer, j integer)",
                "insert into case_tbl values (1, 10.1), (2, 20.2), (3, -30.3), (4, null)",
                "insert into case2_tbl values (1, -1), (2, -2), (3, -3), (2, -4), (1, null), (null, -6)");
        // PostgreSQL: 10 pages at the density of the columns' width before any ANALYZE
        String scan = run("explain select * from case_tbl").get(1);
        assertEquals(true, scan.contains("(cost=0.00..30.40 rows=2040 "), scan);
        assertEquals(List.of("Nested Loop", "  ->  Seq Scan on case2_tbl b", "  ->  Seq Scan on case_tbl a"),
                plan("select coalesce(a.f, b.i, b.j) from case_tbl a, case2_tbl b"));
        // the rows come out as PostgreSQL's: case2_tbl's rows outside, case_tbl's inside, columns as written
        List<String> rows = table("select a.i, b.j from case_tbl a, case2_tbl b");
        assertEquals(List.of("i|j", "1|-1", "2|-1", "3|-1", "4|-1", "1|-2"), rows.subList(0, 6));
    }

    @Test
    void theSmallerSidesAreHashedWhicheverOrderTheQueryWrote() {
        exec("create table big (id int primary key, v int)", "create table small (id int primary key, w int)",
                "create table mid (id int, s int)",
                "insert into big select g, g % 100 from generate_series(1, 20000) g",
                "insert into small select g, g from generate_series(1, 10) g",
                "insert into mid select g, g % 10 + 1 from generate_series(1, 2000) g",
                "analyze big", "analyze small", "analyze mid");
        // with the columns' distinct values (ANALYZE) both joins keep 2000 rows; big joins mid first, then the
        // small table is hashed: PostgreSQL 15's order too (it merge-joins big's primary key index with mid)
        List<String> expected = List.of("Aggregate", "  ->  Hash Join", "        Hash Cond: (m.s = s.id)",
                "        ->  Hash Join", "              Hash Cond: (b.id = m.id)", "              ->  Seq Scan on big b",
                "              ->  Hash", "                    ->  Seq Scan on mid m", "        ->  Hash",
                "              ->  Seq Scan on small s");
        assertEquals(expected, plan("select count(*) from small s, mid m, big b where m.s = s.id and b.id = m.id"));
        assertEquals(expected, plan("select count(*) from big b join mid m on b.id = m.id join small s on m.s = s.id"));
        assertEquals(List.of("count|sum", "2000|99000"),
                table("select count(*), sum(b.v) from small s, mid m, big b where m.s = s.id and b.id = m.id"));
        assertEquals(List.of("id|id|id", "2|1|1", "3|2|2", "4|3|3"), table("select s.id, m.id, b.id from small s,"
                + " mid m, big b where m.s = s.id and b.id = m.id and b.id < 4 order by 1, 2, 3"));
        // join_collapse_limit = 1 keeps the written order
        exec("set join_collapse_limit = 1");
        String firstScan = plan("select count(*) from small s, mid m, big b where m.s = s.id and b.id = m.id")
                .stream().filter(l -> l.contains("Seq Scan")).findFirst().orElseThrow();
        assertEquals(true, firstScan.endsWith("Seq Scan on small s"), firstScan);
    }
}
