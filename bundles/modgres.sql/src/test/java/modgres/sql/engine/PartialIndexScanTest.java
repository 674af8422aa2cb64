package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A partial index serves a scan whose conditions imply its predicate, and only then (PostgreSQL's plans). */
class PartialIndexScanTest extends DataEngineTestBase {

    private void setUp() {
        exec("create table pk (u1 int, u2 int, s text)",
                "insert into pk select g, 1000 - g, 'x' || g from generate_series(0, 999) g",
                "create index pk_u1_prtl on pk (u1) where u1 < 20 or u1 > 980",
                "create index pk_u2_prtl on pk (u2) where u2 is not null and u1 > 500", "analyze pk",
                "set enable_seqscan = off");
    }

    @Test
    void impliedPredicateLetsTheIndexServe() {
        setUp();
        assertTrue(plan("select u1 from pk where u1 > 990").stream().anyMatch(l -> l.contains("pk_u1_prtl")));
        assertTrue(plan("select u1 from pk where u1 < 10").stream().anyMatch(l -> l.contains("pk_u1_prtl")));
        assertEquals(List.of("Index Scan using pk_u2_prtl on pk", "  Index Cond: (u2 = 100)",
                "  Filter: (u1 > 600)"), plan("select u2 from pk where u2 = 100 and u1 > 600"));
        assertEquals(List.of("u1", "991", "992", "993", "994", "995", "996", "997", "998", "999"),
                table("select u1 from pk where u1 > 990 order by u1"));
        assertEquals(List.of("u2", "100"), table("select u2 from pk where u2 = 100 and u1 > 600"));
    }

    @Test
    void predicateNotImpliedKeepsTheIndexOut() {
        setUp();
        // rows 971..980 are not in the index: using it would lose them
        assertEquals(List.of("Seq Scan on pk", "  Filter: (u1 > 970)"), plan("select u1 from pk where u1 > 970"));
        assertEquals(List.of("count", "29"), table("select count(*) from pk where u1 > 970"));
        assertEquals(List.of("Seq Scan on pk", "  Filter: (u2 = 100)"), plan("select u2 from pk where u2 = 100"));
        assertEquals(List.of("count", "1"), table("select count(*) from pk where u2 = 100"));
        // the same column compared to an equal bound but not strictly: x >= 980 does not imply x > 980
        assertTrue(plan("select u1 from pk where u1 >= 980").get(0).startsWith("Seq Scan"));
    }

    @Test
    void stringPredicatesOnStringColumnsOnly() {
        exec("create table ps (n int, s text)", "insert into ps select g, chr(65 + g % 26) || g from generate_series(1, 500) g",
                "create index ps_n_prtl on ps (n) where s < 'B'", "create index ps_s_prtl on ps (s) where n > '300'",
                "analyze ps", "set enable_seqscan = off");
        assertTrue(plan("select n from ps where n = 26 and s = 'A26'").stream().anyMatch(l -> l.contains("ps_n_prtl")));
        assertEquals(List.of("n", "26"), table("select n from ps where n = 26 and s = 'A26'"));
        // '99' > '300' as strings, not as integers: the index on n > '300' must not serve n > '99'
        assertTrue(plan("select s from ps where s = 'B105' and n > '99'").stream().noneMatch(l -> l.contains("ps_s_prtl")));
        assertEquals(List.of("s", "B105"), table("select s from ps where s = 'B105' and n > '99'"));
    }
}
