package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** RETURNING of UPDATE ... FROM and DELETE ... USING sees the other FROM items, as in PostgreSQL 15. */
class ReturningFromItemsTest extends DataEngineTestBase {

    @Test
    void returningStarListsTheFromItemsToo() {
        exec("create table rf (a int, b text)", "insert into rf values (1, 'p'), (2, 'q')");
        assertEquals(List.of("a|b|x|y|y|t", "1|pz|1|z|z|2"),
                table("update rf set b = b || s.y from (values (1, 'z')) s(x, y) where a = s.x"
                        + " returning *, s.y, rf.a + s.x as t"));
        assertEquals(List.of("a|b|k", "2|q|2"), table("delete from rf using (values (2)) d(k) where a = d.k returning *"));
        assertEquals(List.of("a|b", "1|pz"), table("select * from rf"));
    }

    @Test
    void partitionedTargets() {
        exec("create table utr (a int, b text) partition by list (a)",
                "create table utr1 partition of utr for values in (1)",
                "create table utr2 partition of utr for values in (2)",
                "insert into utr values (1, 'foo'), (2, 'bar')");
        assertEquals(List.of("a|b|x|tableoid", "1|foofoo|1|utr1", "2|barbar|2|utr2"),
                table("update utr set b = b || b from (values (1), (2)) s(x) where a = s.x"
                        + " returning *, tableoid::regclass"));
    }
}
