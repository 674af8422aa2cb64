package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * Declarative partitioning end to end: PARTITION BY / PARTITION OF, tuple routing (INSERT, INSERT ... SELECT,
 * COPY), partition constraints, overlap checks, row movement, ATTACH / DETACH, pruning in EXPLAIN, the catalog
 * rows. Expected rows, plans and errors are PostgreSQL 15's for the same statements (psql -A of a 15.18 server).
 */
class PartitioningTest extends DataEngineTestBase {

    private void rangeTable() {
        exec("create table p (a int, b text) partition by range (a)",
                "create table p1 partition of p for values from (1) to (10)",
                "create table p2 partition of p for values from (10) to (20)",
                "create table pd partition of p default");
    }

    @Test
    void rangeRoutingAndCatalog() {
        rangeTable();
        error("create table p3 partition of p for values from (5) to (15)", "42P17",
                "partition \"p3\" would overlap partition \"p1\"");
        assertEquals(List.of("C INSERT 0 3"), run("insert into p values (1,'x'),(15,'y'),(100,'z')"));
        assertEquals(List.of("tableoid|a|b", "p1|1|x", "p2|15|y", "pd|100|z"),
                table("select tableoid::regclass, * from p order by a"));
        assertEquals(List.of("a|b", "15|y"), table("select * from p2"));
        assertEquals(List.of("a|b"), table("select * from only p"));
        error("select * from p for update", "0A000",
                "FOR UPDATE/SHARE of partitioned or inherited tables is not supported yet");
        assertEquals(List.of("relname|relkind|relispartition|pg_get_expr", "p|p|f|", "p1|r|t|FOR VALUES FROM (1) TO (10)",
                "pd|r|t|DEFAULT"), table("select relname, relkind, relispartition, pg_get_expr(relpartbound, oid)"
                        + " from pg_class where relname in ('p', 'p1', 'pd') order by 1"));
        assertEquals(List.of("partstrat|partnatts|partattrs|defname", "r|1|1|pd"),
                table("select partstrat, partnatts, partattrs, partdefid::regclass as defname"
                        + " from pg_partitioned_table where partrelid = 'p'::regclass"));
        assertEquals(List.of("inhrelid|inhparent|inhseqno", "p1|p|1", "p2|p|1", "pd|p|1"),
                table("select inhrelid::regclass, inhparent::regclass, inhseqno from pg_inherits order by 1"));
        PgException e = error("insert into p1 values (20, 'a')", "23514",
                "new row for relation \"p1\" violates partition constraint");
        assertEquals("Failing row contains (20, a).", e.detail());
    }

    @Test
    void noPartitionFound() {
        exec("create table l (a int, b text) partition by list (b)",
                "create table l1 partition of l for values in ('a', 'b')");
        PgException e = error("insert into l values (1, 'c')", "23514",
                "no partition of relation \"l\" found for row");
        assertEquals("Partition key of the failing row contains (b) = (c).", e.detail());
        error("create table l2 partition of l for values in ('b')", "42P17",
                "partition \"l2\" would overlap partition \"l1\"");
        error("create table l3 partition of l for values from (1) to (2)", "42P16",
                "invalid bound specification for a list partition");
        exec("create table t4 (a int) partition by range (a)");
        PgException empty = error("create table t4a partition of t4 for values from (10) to (1)", "42P17",
                "empty range bound specified for partition \"t4a\"");
        assertEquals("Specified lower bound (10) is greater than or equal to upper bound (1).", empty.detail());
    }

    @Test
    void pruningInExplain() {
        rangeTable();
        assertEquals(List.of("Append", "  ->  Seq Scan on p1 p_1", "  ->  Seq Scan on p2 p_2",
                "  ->  Seq Scan on pd p_3"), plan("select * from p"));
        assertEquals(List.of("Seq Scan on p1 p", "  Filter: (a = 3)"), plan("select * from p where a = 3"));
        assertEquals(List.of("Append", "  ->  Seq Scan on p1 p_1", "        Filter: (a < 12)",
                "  ->  Seq Scan on p2 p_2", "        Filter: (a < 12)", "  ->  Seq Scan on pd p_3",
                "        Filter: (a < 12)"), plan("select * from p where a < 12"));
        assertEquals(List.of("Seq Scan on p2 p", "  Filter: ((a >= 10) AND (a < 20))"),
                plan("select * from p where a >= 10 and a < 20"));
        exec("create table t2 (x int, y text) partition by list (y)",
                "create table t2a partition of t2 for values in ('a', 'b')",
                "create table t2n partition of t2 for values in (null, 'c')",
                "create table t2d partition of t2 default");
        assertEquals("Seq Scan on t2a t2", plan("select * from t2 where y = 'a'").get(0));
        assertEquals("Seq Scan on t2n t2", plan("select * from t2 where y is null").get(0));
        assertEquals("Seq Scan on t2d t2", plan("select * from t2 where y = 'q'").get(0));
        List<String> in = plan("select * from t2 where y in ('a', 'c')");
        assertEquals(List.of("Append", "  ->  Seq Scan on t2a t2_1", "  ->  Seq Scan on t2n t2_2"),
                in.stream().filter(l -> !l.contains("Filter")).toList());
        // pruning never changes results
        exec("insert into t2 values (1, 'a'), (2, null), (3, 'z'), (4, 'c')");
        assertEquals(List.of("tableoid|x|y", "t2a|1|a", "t2n|2|", "t2d|3|z", "t2n|4|c"),
                table("select tableoid::regclass, * from t2 order by x"));
        assertEquals(List.of("x", "1", "4"), table("select x from t2 where y in ('a', 'c') order by x"));
        assertEquals(List.of("x", "2"), table("select x from t2 where y is null"));
    }

    @Test
    void updateMovesRowsAndDeleteCoversPartitions() {
        rangeTable();
        exec("insert into p values (1,'x'),(15,'y'),(100,'z')");
        assertEquals(List.of("C UPDATE 1"), run("update p set a = 12 where a = 1"));
        assertEquals(List.of("tableoid|a|b", "p2|12|x", "p2|15|y", "pd|100|z"),
                table("select tableoid::regclass, * from p order by a"));
        assertEquals(List.of("Update on p", "  Update on p1 p_1", "  ->  Seq Scan on p1 p_1",
                "        Filter: (a = 3)"), plan("update p set b = 'q' where a = 3"));
        assertEquals(List.of("Delete on p", "  Delete on p1 p_1", "  Delete on p2 p_2", "  Delete on pd p_3",
                "  ->  Append", "        ->  Seq Scan on p1 p_1", "        ->  Seq Scan on p2 p_2",
                "        ->  Seq Scan on pd p_3"), plan("delete from p"));
        error("update p2 set a = 1 where a = 12", "23514", "new row for relation \"p2\" violates partition constraint");
        assertEquals(List.of("D 100|z", "C DELETE 1"), run("delete from p where a > 50 returning *").subList(1, 3));
        assertEquals(List.of("C DELETE 2"), run("delete from p"));
        assertEquals(List.of("count", "0"), table("select count(*) from p"));
    }

    @Test
    void insertSelectAndCopyRoute() {
        rangeTable();
        assertEquals(List.of("C INSERT 0 25"), run("insert into p select g, 'v' || g from generate_series(1, 25) g"));
        assertEquals(List.of("tableoid|count", "p1|9", "p2|10", "pd|6"),
                table("select tableoid::regclass, count(*) from p group by 1 order by 1"));
        RecordingSink sink = new RecordingSink() {
            @Override
            public InputStream copyIn(boolean binary, short[] columnFormats) {
                return new ByteArrayInputStream("3\tc\n13\tm\n".getBytes(StandardCharsets.UTF_8));
            }
        };
        session.simpleQuery("copy p from stdin", sink);
        assertTrue(sink.events.contains("C COPY 2"), sink.events.toString());
        assertEquals(List.of("tableoid|a|b", "p1|3|c", "p2|13|m"),
                table("select tableoid::regclass, * from p where b in ('c', 'm') order by a"));
    }

    @Test
    void hashPartitionsAsPostgres() {
        exec("create table hb (a bigint) partition by hash (a)",
                "create table hb0 partition of hb for values with (modulus 4, remainder 0)",
                "create table hb1 partition of hb for values with (modulus 4, remainder 1)",
                "create table hb2 partition of hb for values with (modulus 4, remainder 2)",
                "create table hb3 partition of hb for values with (modulus 4, remainder 3)",
                "insert into hb select g from generate_series(1, 10) g");
        assertEquals(List.of("a|tableoid", "1|hb0", "2|hb2", "3|hb1", "4|hb3", "5|hb1", "6|hb3", "7|hb3", "8|hb1",
                "9|hb1", "10|hb3"), table("select a, tableoid::regclass from hb order by a"));
        exec("create table h (a int) partition by hash (a)",
                "create table h0 partition of h for values with (modulus 2, remainder 0)",
                "create table h1 partition of h for values with (modulus 2, remainder 1)",
                "insert into h select g from generate_series(1, 4) g");
        assertEquals(List.of("tableoid|a", "h0|1", "h0|2", "h1|3", "h1|4"),
                table("select tableoid::regclass, a from h order by a"));
        error("create table h2 partition of h for values with (modulus 2, remainder 1)", "42P17",
                "partition \"h2\" would overlap partition \"h1\"");
        error("create table h3 partition of h default", "42P16",
                "a hash-partitioned table may not have a default partition");
    }

    @Test
    void multiColumnRangeAndSubpartitions() {
        exec("create table t3 (a int, b int) partition by range (a, b)",
                "create table t3a partition of t3 for values from (minvalue, minvalue) to (10, 5)",
                "create table t3b partition of t3 for values from (10, 5) to (maxvalue, maxvalue)",
                "insert into t3 values (10, 4), (10, 5), (1, 100)");
        assertEquals(List.of("tableoid|a|b", "t3a|1|100", "t3a|10|4", "t3b|10|5"),
                table("select tableoid::regclass, * from t3 order by a, b"));
        assertEquals(List.of("pg_get_expr", "FOR VALUES FROM (MINVALUE, MINVALUE) TO (10, 5)"),
                table("select pg_get_expr(relpartbound, oid) from pg_class where relname = 't3a'"));
        exec("create table s (a int, b int) partition by range (a)",
                "create table s1 partition of s for values from (0) to (10) partition by list (b)",
                "create table s11 partition of s1 for values in (1)",
                "create table s12 partition of s1 for values in (2)",
                "insert into s values (5, 1), (5, 2)");
        PgException e = error("insert into s values (5, 3)", "23514", "no partition of relation \"s1\" found for row");
        assertEquals("Partition key of the failing row contains (b) = (3).", e.detail());
        assertEquals(List.of("tableoid|a|b", "s11|5|1", "s12|5|2"), table("select tableoid::regclass, * from s order by b"));
        assertEquals(List.of("Append", "  ->  Seq Scan on s11 s_1", "  ->  Seq Scan on s12 s_2"), plan("select * from s"));
        assertEquals(List.of("Seq Scan on s12 s", "  Filter: (b = 2)"), plan("select * from s where b = 2"));
        exec("drop table s");
        assertEquals(List.of("count", "0"), table("select count(*) from pg_class where relname like 's1%'"));
    }

    @Test
    void attachAndDetach() {
        exec("create table t4 (a int) partition by range (a)",
                "create table t4b partition of t4 for values from (0) to (10)",
                "create table t5 (a int, b text)",
                "create table t6 (a int)",
                "insert into t6 values (100)");
        PgException e = error("alter table t4 attach partition t5 for values from (10) to (20)", "42804",
                "table \"t5\" contains column \"b\" not found in parent \"t4\"");
        assertEquals("The new partition may contain only the columns present in parent.", e.detail());
        error("alter table t4 attach partition t6 for values from (20) to (30)", "23514",
                "partition constraint of relation \"t6\" is violated by some row");
        exec("alter table t4 attach partition t6 for values from (100) to (200)");
        assertEquals(List.of("tableoid|a", "t6|100"), table("select tableoid::regclass, a from t4"));
        assertEquals(List.of("C ALTER TABLE"), run("alter table t4 detach partition t4b"));
        assertEquals(List.of("relname|relispartition", "t4b|f"),
                table("select relname, relispartition from pg_class where relname = 't4b'"));
        PgException np = error("insert into t4 values (1)", "23514", "no partition of relation \"t4\" found for row");
        assertEquals("Partition key of the failing row contains (a) = (1).", np.detail());
        exec("insert into t4b values (1000)"); // no longer constrained
        assertEquals(List.of("a", "1000"), table("select a from t4b"));
    }

    @Test
    void truncateAndDropOfPartitionedTable() {
        rangeTable();
        exec("insert into p values (1,'x'),(15,'y')");
        error("truncate only p", "42809", "cannot truncate only a partitioned table");
        assertEquals(List.of("C TRUNCATE TABLE"), run("truncate p"));
        assertEquals(List.of("count", "0"), table("select count(*) from p"));
        assertEquals(List.of("C DROP TABLE"), run("drop table p"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_class where relname in ('p1', 'p2', 'pd')"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_inherits"));
    }

    @Test
    void temporaryPartitionsGoWithTheirParentOnCommitDrop() {
        exec("begin", "create temp table tp (a int) partition by list (a) on commit drop",
                "create temp table tp1 partition of tp for values in (1) on commit delete rows",
                "create temp table tp2 partition of tp for values in (2) on commit drop",
                "insert into tp values (1), (2)");
        assertEquals(List.of("C COMMIT"), run("commit"));
        assertEquals(List.of("relname"), table("select relname from pg_class where relname like 'tp%'"));
    }

    @Test
    void partitionsWithOtherColumnLayouts() {
        exec("create table ml (a int, x int, b int) partition by range (a)", "alter table ml drop column x",
                "create table ml1 partition of ml for values from (0) to (10)", "create table ml2 (b int, a int)",
                "alter table ml attach partition ml2 for values from (10) to (20)");
        assertEquals(List.of("C INSERT 0 2"), run("insert into ml values (1, 100), (15, 150)"));
        assertEquals(List.of("tableoid|a|b", "ml1|1|100", "ml2|15|150"),
                table("select tableoid::regclass, * from ml order by a"));
        assertEquals(List.of("b|a", "150|15"), table("select * from ml2"));
        assertEquals(List.of("a|b", "12|100"), table("update ml set a = 12 where a = 1 returning *"));
        assertEquals(List.of("tableoid|a|b", "ml2|12|100", "ml2|15|150"),
                table("select tableoid::regclass, * from ml order by a"));
        assertEquals(List.of("a|b", "15|150"), table("select * from ml where b = 150"));
    }

    @Test
    void subPartitionConstraintsAndInheritedChecks() {
        exec("create table cp (a int, b int) partition by range (a)",
                "create table cp1 partition of cp for values from (0) to (10) partition by list (b)",
                "create table cp11 partition of cp1 for values in (1)",
                "alter table cp add constraint cp_b check (b < 5)");
        PgException e = error("insert into cp values (1, 7)", "23514", "no partition of relation \"cp1\" found for row");
        assertEquals("Partition key of the failing row contains (b) = (7).", e.detail());
        PgException c = error("insert into cp1 values (20, 1)", "23514",
                "new row for relation \"cp1\" violates partition constraint");
        assertEquals("Failing row contains (20, 1).", c.detail());
        assertEquals(List.of("conname|conislocal|coninhcount", "cp_b|f|1"),
                table("select conname, conislocal, coninhcount from pg_constraint where conrelid = 'cp11'::regclass"));
        exec("alter table cp add constraint cp_b0 check (b < 1)");
        error("insert into cp values (1, 1)", "23514", "new row for relation \"cp11\" violates check constraint \"cp_b0\"");
    }
}
