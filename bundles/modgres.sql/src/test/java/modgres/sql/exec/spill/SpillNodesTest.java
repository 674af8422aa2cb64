package modgres.sql.exec.spill;

import static modgres.sql.exec.spill.SpillFixtures.INT8;
import static modgres.sql.exec.spill.SpillFixtures.TEXT;
import static modgres.sql.exec.spill.SpillFixtures.cols;
import static modgres.sql.exec.spill.SpillFixtures.drain;
import static modgres.sql.exec.spill.SpillFixtures.exec;
import static modgres.sql.exec.spill.SpillFixtures.tempFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import modgres.api.error.PgException;
import modgres.sql.exec.Aggregate;
import modgres.sql.exec.Ev;
import modgres.sql.exec.ExecState;
import modgres.sql.exec.Nodes;
import modgres.sql.exec.OutCol;
import modgres.sql.exec.Plan;

/**
 * Sort, hash aggregation, hashed DISTINCT and hash join over inputs many times work_mem: the same rows as with a
 * work_mem that holds everything, EXPLAIN ANALYZE's lines, and no temporary file left, also after errors.
 */
class SpillNodesTest {
    static final long SMALL = 64 * 1024;
    static final long BIG = 512L << 20;

    @TempDir
    Path dataDir;

    static final List<OutCol> COLS = cols("k", INT8, "t", TEXT, "n", INT8);

    /** Rows (k, t, n): k in [0, keys) with some NULLs, t a text, n the row number. */
    static List<Object[]> rows(int count, int keys, long seed) {
        Random r = new Random(seed);
        List<Object[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Long k = r.nextInt(50) == 0 ? null : (long) r.nextInt(keys);
            out.add(new Object[] {k, "text " + r.nextInt(1000) + " of row", (long) i});
        }
        return out;
    }

    static final Ev K = (row, ex) -> row[0];
    static final Ev T = (row, ex) -> row[1];
    static final Ev N = (row, ex) -> row[2];

    static List<String> lines(Plan p) {
        return p.explain(false, true);
    }

    static String line(Plan p, String regex) {
        Pattern pat = Pattern.compile(regex);
        for (String l : lines(p)) {
            if (pat.matcher(l.trim()).matches()) {
                return l.trim();
            }
        }
        throw new AssertionError("no line matching " + regex + " in\n" + String.join("\n", lines(p)));
    }

    static int group(String line, String regex) {
        Matcher m = Pattern.compile(regex).matcher(line);
        assertTrue(m.find(), line);
        return Integer.parseInt(m.group(1));
    }

    static List<String> canonical(List<Object[]> rows) {
        List<String> s = new ArrayList<>();
        for (Object[] r : rows) {
            s.add(Arrays.toString(r));
        }
        s.sort(null);
        return s;
    }

    // ------------------------------------------------------------------ sort

    static Plan sortPlan(List<Object[]> data) {
        return new Nodes.Sort(new SpillFixtures.Source(COLS, data), new Nodes.SortKey[] {
            new Nodes.SortKey(K, INT8, false, false, "k"), new Nodes.SortKey(T, TEXT, true, true, "t")});
    }

    @Test
    void sortSpillsAndReturnsExactlyTheInMemoryResult() {
        List<Object[]> data = rows(100_000, 5_000, 1);
        Plan big = sortPlan(data);
        big.setAnalyze();
        List<Object[]> expected = drain(big, exec(BIG, dataDir));
        Plan small = sortPlan(data);
        small.setAnalyze();
        ExecState ex = exec(SMALL, dataDir);
        List<String> log = new ArrayList<>();
        ex.logTempFiles = 0;
        ex.tempFileLog = log::add;
        List<Object[]> got = drain(small, ex);
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
            assertArrayEquals(expected.get(i), got.get(i), "row " + i); // stable: ties keep the input order
        }
        assertEquals("Sort Key: k, t DESC", line(small, "Sort Key: .*"));
        String m = line(small, "Sort Method: external merge  Disk: \\d+kB");
        assertTrue(group(m, "Disk: (\\d+)kB") > 1000, m);
        line(big, "Sort Method: quicksort  Memory: \\d+kB");
        assertEquals(List.of(), tempFiles(dataDir));
        assertFalse(log.isEmpty());
        assertTrue(log.get(0).matches("temporary file: path \"base/pgsql_tmp/pgsql_tmp4242\\.\\d+\", size \\d+"),
                log.get(0));
    }

    @Test
    void sortFailingInTheMiddleLeavesNoFile() {
        SpillFixtures.Source src = new SpillFixtures.Source(COLS, rows(60_000, 100, 2));
        src.failAt = 50_000;
        Plan p = new Nodes.Sort(src, new Nodes.SortKey[] {new Nodes.SortKey(K, INT8, false, false, "k")});
        ExecState ex = exec(SMALL, dataDir);
        assertThrows(IllegalStateException.class, () -> drain(p, ex));
        assertTrue(ex.tempFilesIfAny().liveFiles() == 0);
        assertEquals(List.of(), tempFiles(dataDir));
    }

    @Test
    void tempFileLimit() {
        Plan p = sortPlan(rows(60_000, 100, 3));
        ExecState ex = exec(SMALL, dataDir);
        ex.tempFileLimit = 100 * 1024;
        PgException e = assertThrows(PgException.class, () -> drain(p, ex));
        assertEquals("53400", e.sqlState());
        assertEquals("temporary file size exceeds temp_file_limit (100kB)", e.getMessage());
        assertEquals(List.of(), tempFiles(dataDir));
    }

    @Test
    void filesOfAnUnclosedPlanGoAtTransactionEnd() {
        Plan p = sortPlan(rows(60_000, 100, 4));
        ExecState ex = exec(SMALL, dataDir);
        p.open(ex);
        p.next(ex); // e.g. an EXISTS subplan: opened, one row read, never closed
        assertFalse(tempFiles(dataDir).isEmpty());
        SpillFixtures.Txn txn = (SpillFixtures.Txn) ex.txn;
        assertEquals(1, txn.onAbort.size());
        txn.onAbort.forEach(Runnable::run);
        assertEquals(List.of(), tempFiles(dataDir));
        p.close();
    }

    @Test
    void sortRescanReleasesThePreviousRuns() {
        Plan p = sortPlan(rows(40_000, 100, 5));
        ExecState ex = exec(SMALL, dataDir);
        p.open(ex);
        p.next(ex);
        int first = tempFiles(dataDir).size();
        p.open(ex);
        assertEquals(first, tempFiles(dataDir).size(), "the first execution's runs are gone");
        p.close();
        assertEquals(List.of(), tempFiles(dataDir));
    }

    @Test
    void noDataDirectoryMeansInMemory() {
        List<Object[]> data = rows(30_000, 100, 6);
        Plan p = sortPlan(data);
        p.setAnalyze();
        assertEquals(30_000, drain(p, exec(SMALL, null)).size());
        line(p, "Sort Method: quicksort  Memory: \\d+kB");
    }

    // ------------------------------------------------------------------ hash aggregation

    /** count(*), sum(n), count(DISTINCT t) FILTER (WHERE n % 2 = 0), max(t). */
    static Aggregate.Spec[] aggs() {
        Supplier<Aggregate.State> count = () -> new Aggregate.State() {
            long c;

            @Override
            public void add(Object v) {
                if (v != null) {
                    c++;
                }
            }

            @Override
            public Object result() {
                return c;
            }
        };
        Supplier<Aggregate.State> sum = () -> new Aggregate.State() {
            Long s;

            @Override
            public void add(Object v) {
                if (v != null) {
                    s = s == null ? (Long) v : s + (Long) v;
                }
            }

            @Override
            public Object result() {
                return s;
            }
        };
        Supplier<Aggregate.State> max = () -> new Aggregate.State() {
            String m;

            @Override
            public void add(Object v) {
                if (v != null && (m == null || ((String) v).compareTo(m) > 0)) {
                    m = (String) v;
                }
            }

            @Override
            public Object result() {
                return m;
            }
        };
        return new Aggregate.Spec[] {new Aggregate.Spec(count, null, false, 0, null),
            new Aggregate.Spec(sum, N, false, INT8, null),
            new Aggregate.Spec(count, T, true, TEXT, (row, ex) -> (Long) row[2] % 2 == 0),
            new Aggregate.Spec(max, T, false, TEXT, null)};
    }

    static Aggregate aggPlan(List<Object[]> data, Ev key) {
        Aggregate a = new Aggregate(new SpillFixtures.Source(COLS, data),
                cols("g", INT8, "count", INT8, "sum", INT8, "dcount", INT8, "max", TEXT), new Ev[] {key},
                new int[] {INT8}, aggs(), 100);
        a.groupText = "g";
        return a;
    }

    @Test
    void hashAggregateSpillsAndReturnsTheSameGroups() {
        List<Object[]> data = rows(100_000, 20_000, 7);
        Aggregate big = aggPlan(data, K);
        big.setAnalyze();
        List<String> expected = canonical(drain(big, exec(BIG, dataDir)));
        Aggregate small = aggPlan(data, K);
        small.setAnalyze();
        List<String> got = canonical(drain(small, exec(SMALL, dataDir)));
        assertEquals(expected, got);
        // an independent check of the figures
        Map<Long, long[]> byKey = new HashMap<>();
        for (Object[] r : data) {
            long[] c = byKey.computeIfAbsent((Long) r[0], k -> new long[2]);
            c[0]++;
            c[1] += (Long) r[2];
        }
        assertEquals(byKey.size(), got.size());
        String m = line(small, "Batches: \\d+  Memory Usage: \\d+kB  Disk Usage: \\d+kB");
        assertTrue(group(m, "Batches: (\\d+)") > 1, m);
        // groups in the table keep growing after the spill (their DISTINCT values), as in PostgreSQL
        assertTrue(group(m, "Memory Usage: (\\d+)kB") <= 4 * 2 * SMALL / 1024, m);
        line(big, "Batches: 1  Memory Usage: \\d+kB");
        assertEquals(List.of(), tempFiles(dataDir));
    }

    @Test
    void hashAggregateRecursesWhenAPartitionIsStillTooLarge() {
        // many groups, tiny memory: partitions of partitions
        List<Object[]> data = rows(150_000, 100_000, 8);
        List<String> expected = canonical(drain(aggPlan(data, K), exec(BIG, dataDir)));
        Aggregate small = aggPlan(data, K);
        small.setAnalyze();
        assertEquals(expected, canonical(drain(small, exec(SMALL, dataDir))));
        String m = line(small, "Batches: \\d+  Memory Usage: \\d+kB  Disk Usage: \\d+kB");
        assertTrue(group(m, "Batches: (\\d+)") > 4, m);
        assertEquals(List.of(), tempFiles(dataDir));
    }

    @Test
    void hashAggregateWithHavingAndAFailure() {
        List<Object[]> data = rows(80_000, 20_000, 9);
        Aggregate big = aggPlan(data, K);
        big.having = (row, ex) -> (Long) row[1] > 4;
        Aggregate small = aggPlan(data, K);
        small.having = big.having;
        assertEquals(canonical(drain(big, exec(BIG, dataDir))), canonical(drain(small, exec(SMALL, dataDir))));

        SpillFixtures.Source src = new SpillFixtures.Source(COLS, data);
        src.failAt = 70_000;
        Aggregate failing = new Aggregate(src, cols("g", INT8, "count", INT8, "sum", INT8, "dcount", INT8, "max",
                TEXT), new Ev[] {K}, new int[] {INT8}, aggs(), 100);
        assertThrows(IllegalStateException.class, () -> drain(failing, exec(SMALL, dataDir)));
        assertEquals(List.of(), tempFiles(dataDir));
    }

    @Test
    void plainAggregateNeverSpills() {
        Aggregate a = new Aggregate(new SpillFixtures.Source(COLS, rows(50_000, 10, 10)),
                cols("count", INT8, "sum", INT8, "dcount", INT8, "max", TEXT), new Ev[0], new int[0], aggs(), 1);
        a.setAnalyze();
        List<Object[]> r = drain(a, exec(SMALL, dataDir));
        assertEquals(1, r.size());
        assertEquals(50_000L, r.get(0)[0]);
        assertFalse(String.join("\n", lines(a)).contains("Batches"));
    }

    // ------------------------------------------------------------------ hashed DISTINCT

    @Test
    void uniqueSpillsAndReturnsEachKeysFirstRow() {
        List<Object[]> data = rows(100_000, 30_000, 11);
        Plan big = new Nodes.Unique(new SpillFixtures.Source(COLS, data), 1);
        List<Object[]> expected = drain(big, exec(BIG, dataDir));
        Nodes.Unique small = new Nodes.Unique(new SpillFixtures.Source(COLS, data), 1);
        small.setAnalyze();
        List<Object[]> got = drain(small, exec(SMALL, dataDir));
        assertEquals(canonical(expected), canonical(got));
        Set<Object> keys = new HashSet<>();
        for (Object[] r : got) {
            assertTrue(keys.add(Arrays.asList(r[0])), "once: " + r[0]);
        }
        String m = line(small, "Batches: \\d+  Memory Usage: \\d+kB  Disk Usage: \\d+kB");
        assertTrue(group(m, "Batches: (\\d+)") > 1, m);
        assertEquals(List.of(), tempFiles(dataDir));
    }

    // ------------------------------------------------------------------ hash join

    /** outer (k, t, n) joined with inner (k, t, n) on k, extra condition (on + in.n) % 7 != 0. */
    static Nodes.HashJoin joinPlan(List<Object[]> outer, List<Object[]> inner, Nodes.JoinKind kind, boolean extra) {
        Ev cond = extra ? (row, ex) -> ((Long) row[2] + (Long) row[5]) % 7 != 0 : null;
        return new Nodes.HashJoin(new SpillFixtures.Source(COLS, outer), new SpillFixtures.Source(COLS, inner), kind,
                new Ev[] {K}, new Ev[] {K}, new int[] {INT8}, cond, "(o.k = i.k)", extra ? "x" : null, 0.0001);
    }

    @ParameterizedTest
    @EnumSource(Nodes.JoinKind.class)
    void hashJoinInBatchesReturnsTheSameRows(Nodes.JoinKind kind) {
        List<Object[]> outer = rows(40_000, 30_000, 12);
        List<Object[]> inner = rows(30_000, 40_000, 13);
        for (boolean extra : new boolean[] {false, true}) {
            Nodes.HashJoin big = joinPlan(outer, inner, kind, extra);
            big.setAnalyze();
            List<String> expected = canonical(drain(big, exec(BIG, dataDir)));
            Nodes.HashJoin small = joinPlan(outer, inner, kind, extra);
            small.setAnalyze();
            List<String> got = canonical(drain(small, exec(SMALL, dataDir)));
            assertEquals(expected.size(), got.size(), kind + " extra=" + extra);
            assertEquals(expected, got, kind + " extra=" + extra);
            String h = line(small, "Buckets: \\d+( \\(originally \\d+\\))?  Batches: \\d+( \\(originally \\d+\\))?"
                    + "  Memory Usage: \\d+kB");
            assertTrue(group(h, "Batches: (\\d+)") > 1, h);
            String hb = line(big, "Buckets: \\d+  Batches: 1  Memory Usage: \\d+kB");
            assertTrue(group(hb, "Buckets: (\\d+)") >= 16384, hb);
            assertEquals(List.of(), tempFiles(dataDir), kind + " extra=" + extra);
        }
    }

    /** The same joins against a nested loop (independent of hashing), on data that still needs several batches. */
    @ParameterizedTest
    @EnumSource(Nodes.JoinKind.class)
    void hashJoinInBatchesAgreesWithNestedLoop(Nodes.JoinKind kind) {
        List<Object[]> outer = rows(3_000, 1_500, 14);
        List<Object[]> inner = rows(2_500, 2_000, 15);
        Ev cond = (row, ex) -> row[0] != null && row[0].equals(row[3]) && ((Long) row[2] + (Long) row[5]) % 5 != 0;
        Plan nl = new Nodes.NestLoop(new SpillFixtures.Source(COLS, outer), new SpillFixtures.Source(COLS, inner),
                kind, cond, "c", 0.001);
        List<String> expected = canonical(drain(nl, exec(BIG, dataDir)));
        Nodes.HashJoin hj = new Nodes.HashJoin(new SpillFixtures.Source(COLS, outer),
                new SpillFixtures.Source(COLS, inner), kind, new Ev[] {K}, new Ev[] {K}, new int[] {INT8},
                (row, ex) -> ((Long) row[2] + (Long) row[5]) % 5 != 0, "(o.k = i.k)", "x", 0.001);
        hj.setAnalyze();
        ExecState ex = exec(SMALL / 4, dataDir);
        assertEquals(expected, canonical(drain(hj, ex)), kind.toString());
        assertTrue(group(line(hj, "Buckets: .*"), "Batches: (\\d+)") > 1);
        assertEquals(List.of(), tempFiles(dataDir));
    }

    @Test
    void skewedInnerSideStillJoins() {
        List<Object[]> inner = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            inner.add(new Object[] {1L, "same key " + i, (long) i});
        }
        inner.add(new Object[] {2L, "other", -1L});
        List<Object[]> outer = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            outer.add(new Object[] {(long) (i % 4), "o", (long) i});
        }
        for (Nodes.JoinKind kind : Nodes.JoinKind.values()) {
            List<String> expected = canonical(drain(joinPlan(outer, inner, kind, false), exec(BIG, dataDir)));
            List<String> got = canonical(drain(joinPlan(outer, inner, kind, false), exec(SMALL, dataDir)));
            assertEquals(expected, got, kind.toString());
        }
        assertEquals(List.of(), tempFiles(dataDir));
    }

    @Test
    void batchedHashJoinRescans() {
        List<Object[]> outer = rows(20_000, 10_000, 16);
        List<Object[]> inner = rows(20_000, 10_000, 17);
        Nodes.HashJoin hj = joinPlan(outer, inner, Nodes.JoinKind.FULL, true);
        ExecState ex = exec(SMALL, dataDir);
        List<String> runs = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            List<Object[]> rows = new ArrayList<>();
            hj.open(ex);
            assertTrue(hj.batches() > 1);
            for (Object[] r = hj.next(ex); r != null; r = hj.next(ex)) {
                rows.add(r.clone());
            }
            runs.add(String.join("\n", canonical(rows)));
        }
        hj.close();
        assertEquals(runs.get(0), runs.get(1));
        assertEquals(List.of(), tempFiles(dataDir));
    }

    @Test
    void hashJoinFailingWhileProbingLeavesNoFile() {
        SpillFixtures.Source out = new SpillFixtures.Source(COLS, rows(30_000, 10_000, 18));
        out.failAt = 20_000;
        Nodes.HashJoin hj = new Nodes.HashJoin(out, new SpillFixtures.Source(COLS, rows(20_000, 10_000, 19)),
                Nodes.JoinKind.LEFT, new Ev[] {K}, new Ev[] {K}, new int[] {INT8}, null, "c", null, 0.001);
        assertThrows(IllegalStateException.class, () -> drain(hj, exec(SMALL, dataDir)));
        assertEquals(List.of(), tempFiles(dataDir));
    }

    @Test
    void hashMemMultiplierWidensTheHashTable() {
        List<Object[]> outer = rows(5_000, 3_000, 20);
        List<Object[]> inner = rows(3_000, 3_000, 21);
        Nodes.HashJoin hj = joinPlan(outer, inner, Nodes.JoinKind.INNER, false);
        hj.setAnalyze();
        ExecState ex = exec(SMALL, dataDir);
        ex.hashMemMultiplier = 100;
        drain(hj, ex);
        line(hj, "Buckets: \\d+  Batches: 1  Memory Usage: \\d+kB");
        assertEquals(List.of(), tempFiles(dataDir));
    }
}
