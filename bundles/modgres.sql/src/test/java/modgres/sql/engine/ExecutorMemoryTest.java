package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.error.PgException;
import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;

/**
 * Merge joins, bitmap scans and CREATE INDEX on data many times larger than work_mem / maintenance_work_mem,
 * end to end through a session: results against a computation of the expected values in Java, EXPLAIN (ANALYZE,
 * COSTS OFF, TIMING OFF) against what PostgreSQL 15.18 prints for the same tables and statements (the sizes of
 * the sorts' temporary files, which depend on the row format, masked), log_temp_files lines, and
 * base/pgsql_tmp left empty.
 */
class ExecutorMemoryTest extends DataEngineTestBase {

    // ---------------------------------------------------------------- helpers

    /** The text rows of a statement whose one column may have any name (EXPLAIN's "QUERY PLAN"). */
    private List<String> lines(String sql) {
        List<String> out = new ArrayList<>();
        for (String e : run(sql)) {
            if (e.startsWith("D ")) {
                out.add(e.substring(2));
            }
        }
        return out;
    }

    /** EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) without the summary lines, the temporary file sizes masked. */
    private List<String> analyzed(String query) {
        List<String> out = new ArrayList<>();
        for (String l : lines("explain (analyze, costs off, timing off) " + query)) {
            if (!l.startsWith("Planning Time") && !l.startsWith("Execution Time")) {
                out.add(l.replaceAll("Disk: \\d+kB", "Disk: NkB"));
            }
        }
        return out;
    }

    private String one(String sql) {
        List<String> t = table(sql);
        assertEquals(2, t.size(), t.toString());
        return t.get(1);
    }

    private void assertNoTempFiles() throws IOException {
        Path dir = dataDir.resolve("base/pgsql_tmp");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(List.of(), s.toList());
            }
        }
    }

    /** The PostgreSQL 15 regression-style tables a (20000 rows) and b (10000 rows) of the plans below. */
    private void joinTables() {
        exec("create table a (id int, x int, pad text)", "create table b (id int, x int, pad text)",
                "insert into a select g, g % 1000, repeat('a', 20) from generate_series(1,20000) g",
                "insert into b select g, g % 500, repeat('b', 20) from generate_series(1,10000) g");
    }

    /** count(*), count(a.id), count(b.id), sum(a.id), sum(b.id), sum(a.id * b.id) of a join of the generated rows. */
    private static String expectedJoin(int[] aid, Integer[] ax, int[] bid, Integer[] bx, boolean keepA, boolean keepB,
            java.util.function.BiPredicate<Integer, Integer> extra) {
        long count = 0;
        long countA = 0;
        long countB = 0;
        long sumA = 0;
        long sumB = 0;
        long sumAB = 0;
        boolean[] bMatched = new boolean[bid.length];
        for (int i = 0; i < aid.length; i++) {
            boolean matched = false;
            for (int j = 0; j < bid.length; j++) {
                if (ax[i] != null && ax[i].equals(bx[j]) && extra.test(aid[i], bid[j])) {
                    matched = true;
                    bMatched[j] = true;
                    count++;
                    countA++;
                    countB++;
                    sumA += aid[i];
                    sumB += bid[j];
                    sumAB += (long) aid[i] * bid[j];
                }
            }
            if (!matched && keepA) {
                count++;
                countA++;
                sumA += aid[i];
            }
        }
        if (keepB) {
            for (int j = 0; j < bid.length; j++) {
                if (!bMatched[j]) {
                    count++;
                    countB++;
                    sumB += bid[j];
                }
            }
        }
        return count + "|" + countA + "|" + countB + "|" + (countA == 0 ? "" : sumA) + "|"
                + (countB == 0 ? "" : sumB) + "|" + sumAB;
    }

    // ---------------------------------------------------------------- merge join

    @Test
    void mergeJoinPlansAsPostgres() throws IOException {
        joinTables();
        exec("set work_mem = '64kB'");
        // PostgreSQL 15 takes a hash join here while it may
        assertEquals("Hash Join", plan("select * from a join b on a.x = b.x").get(0));
        exec("set enable_hashjoin = off");
        // PostgreSQL 15.18, same tables, SET work_mem = '64kB', enable_hashjoin = off
        assertEquals(List.of(
                "Merge Join (actual rows=200000 loops=1)",
                "  Merge Cond: (b.x = a.x)",
                "  ->  Sort (actual rows=10000 loops=1)",
                "        Sort Key: b.x",
                "        Sort Method: external merge  Disk: NkB",
                "        ->  Seq Scan on b (actual rows=10000 loops=1)",
                "  ->  Materialize (actual rows=200001 loops=1)",
                "        ->  Sort (actual rows=10001 loops=1)",
                "              Sort Key: a.x",
                "              Sort Method: external merge  Disk: NkB",
                "              ->  Seq Scan on a (actual rows=20000 loops=1)"),
                analyzed("select * from a join b on a.x = b.x"));
        assertEquals(List.of(
                "Merge Right Join (actual rows=210000 loops=1)",
                "  Merge Cond: (b.x = a.x)",
                "  ->  Sort (actual rows=10000 loops=1)",
                "        Sort Key: b.x",
                "        Sort Method: external merge  Disk: NkB",
                "        ->  Seq Scan on b (actual rows=10000 loops=1)",
                "  ->  Materialize (actual rows=210000 loops=1)",
                "        ->  Sort (actual rows=20000 loops=1)",
                "              Sort Key: a.x",
                "              Sort Method: external merge  Disk: NkB",
                "              ->  Seq Scan on a (actual rows=20000 loops=1)"),
                analyzed("select * from a left join b on a.x = b.x"));
        assertEquals(List.of(
                "Merge Full Join (actual rows=210000 loops=1)",
                "  Merge Cond: (b.x = a.x)",
                "  ->  Sort (actual rows=10000 loops=1)",
                "        Sort Key: b.x",
                "        Sort Method: external merge  Disk: NkB",
                "        ->  Seq Scan on b (actual rows=10000 loops=1)",
                "  ->  Materialize (actual rows=210000 loops=1)",
                "        ->  Sort (actual rows=20000 loops=1)",
                "              Sort Key: a.x",
                "              Sort Method: external merge  Disk: NkB",
                "              ->  Seq Scan on a (actual rows=20000 loops=1)"),
                analyzed("select * from a full join b on a.x = b.x"));
        assertEquals(List.of(
                "Merge Left Join (actual rows=200000 loops=1)",
                "  Merge Cond: (b.x = a.x)",
                "  ->  Sort (actual rows=10000 loops=1)",
                "        Sort Key: b.x",
                "        Sort Method: external merge  Disk: NkB",
                "        ->  Seq Scan on b (actual rows=10000 loops=1)",
                "  ->  Materialize (actual rows=200001 loops=1)",
                "        ->  Sort (actual rows=10001 loops=1)",
                "              Sort Key: a.x",
                "              Sort Method: external merge  Disk: NkB",
                "              ->  Seq Scan on a (actual rows=20000 loops=1)"),
                analyzed("select * from a right join b on a.x = b.x"));
        // a FULL join with a condition that is no merge key cannot be a merge join (PostgreSQL: Hash Full Join)
        assertEquals("Hash Full Join", plan("select * from a full join b on a.x = b.x and a.id < b.id").get(0));
        // both inputs in key order (index scans; sorts disabled): PostgreSQL 15 merges them the same way, with a
        // Materialize over the inner index scan as its statistics expect many re-reads (here the join keeps the
        // re-read group itself)
        exec("create index a_x on a (x)", "create index b_x on b (x)", "set enable_sort = off");
        assertEquals(List.of("Merge Full Join", "  Merge Cond: (b.x = a.x)", "  ->  Index Scan using b_x on b",
                "  ->  Index Scan using a_x on a"), plan("select * from a full join b on a.x = b.x"));
        assertEquals("210000|210000|200000|2052795000|1000100000", // PostgreSQL 15: the same
                one("select count(*), count(a.id), count(b.id), sum(a.id), sum(b.id) from a full join b on a.x = b.x"));
        exec("reset enable_sort", "reset enable_hashjoin", "set enable_mergejoin = off");
        assertEquals("Hash Join", plan("select * from a join b on a.x = b.x").get(0));
        assertNoTempFiles();
    }

    @Test
    void mergeJoinResultsMatchANaiveJoin() throws IOException {
        int na = 6000;
        int nb = 3000;
        exec("create table a (id int, x int, pad text)", "create table b (id int, x int, pad text)",
                "insert into a select g, case when g % 97 = 0 then null else g % 400 end, repeat('a', 30)"
                        + " from generate_series(1," + na + ") g",
                "insert into b select g, case when g % 89 = 0 then null else (g * 7) % 600 end, repeat('b', 30)"
                        + " from generate_series(1," + nb + ") g",
                "set work_mem = '64kB'", "set enable_hashjoin = off");
        int[] aid = new int[na];
        Integer[] ax = new Integer[na];
        for (int g = 1; g <= na; g++) {
            aid[g - 1] = g;
            ax[g - 1] = g % 97 == 0 ? null : g % 400;
        }
        int[] bid = new int[nb];
        Integer[] bx = new Integer[nb];
        for (int g = 1; g <= nb; g++) {
            bid[g - 1] = g;
            bx[g - 1] = g % 89 == 0 ? null : (g * 7) % 600;
        }
        String cols = "select count(*), count(a.id), count(b.id), sum(a.id), sum(b.id), sum(a.id::int8 * b.id) ";
        String[][] cases = {
            {"join", "true", "false", "false"}, {"left join", "true", "true", "false"},
            {"right join", "true", "false", "true"}, {"full join", "true", "true", "true"}};
        for (String[] c : cases) {
            String q = cols + "from a " + c[0] + " b on a.x = b.x";
            assertTrue(plan(q).stream().anyMatch(l -> l.contains("Merge")), q + ": " + plan(q));
            assertEquals(expectedJoin(aid, ax, bid, bx, c[2].equals("true"), c[3].equals("true"), (i, j) -> true),
                    one(q), q);
        }
        // a join filter besides the merge key (INNER and LEFT)
        String q = cols + "from a left join b on a.x = b.x and a.id < b.id";
        assertTrue(plan(q).stream().anyMatch(l -> l.contains("Merge Left Join")), plan(q).toString());
        assertTrue(plan(q).contains("        Join Filter: (a.id < b.id)") || plan(q).contains("  Join Filter: (a.id < b.id)"),
                plan(q).toString());
        assertEquals(expectedJoin(aid, ax, bid, bx, true, false, (i, j) -> i < j), one(q));
        q = cols + "from a join b on a.x = b.x and a.id < b.id";
        assertEquals(expectedJoin(aid, ax, bid, bx, false, false, (i, j) -> i < j), one(q));
        assertNoTempFiles();
    }

    @Test
    void mergeJoinKeepsAGroupOfEqualKeysLargerThanWorkMemOnDisk() throws IOException {
        // 6000 inner rows with one key: the group the join re-reads for each outer row is far beyond 64kB
        exec("create table one_key (id int, k int, pad text)", "create table few (id int, k int)",
                "insert into one_key select g, 1, repeat('x', 40) from generate_series(1, 6000) g",
                "insert into few values (1, 1), (2, 1), (3, 2), (4, 1), (5, null)",
                "set work_mem = '64kB'", "set enable_hashjoin = off", "set log_temp_files = 0");
        List<String> p = plan("select * from few join one_key on few.k = one_key.k");
        assertTrue(p.get(0).startsWith("Merge Join"), p.toString());
        assertEquals("18000|54009000|42018000", one("select count(*), sum(one_key.id), sum(few.id * 1000 + one_key.k) "
                + "from few join one_key on few.k = one_key.k"));
        assertEquals("18002|54009000", one("select count(*), sum(one_key.id) "
                + "from few left join one_key on few.k = one_key.k"));
        assertNoTempFiles();
    }

    // ---------------------------------------------------------------- bitmap scans

    /** PostgreSQL's table c: 100000 rows, x scattered (g * 7919 % 10000), an index on x. */
    private void bitmapTable() {
        exec("create table c (id int, x int, pad text)",
                "insert into c select g, (g * 7919) % 10000, repeat('c', 50) from generate_series(1,100000) g",
                "create index c_x on c (x)");
    }

    @Test
    void bitmapScansAsPostgres() throws IOException {
        bitmapTable();
        // PostgreSQL 15.18 on the same table (Heap Blocks too: the heap pages hold the same rows)
        assertEquals(List.of(
                "Aggregate (actual rows=1 loops=1)",
                "  ->  Bitmap Heap Scan on c (actual rows=10 loops=1)",
                "        Recheck Cond: (x = 5)",
                "        Heap Blocks: exact=10",
                "        ->  Bitmap Index Scan on c_x (actual rows=10 loops=1)",
                "              Index Cond: (x = 5)"),
                analyzed("select count(*) from c where x = 5"));
        assertEquals(List.of(
                "Bitmap Heap Scan on c (actual rows=1500 loops=1)",
                "  Recheck Cond: ((x >= 100) AND (x <= 399))",
                "  Filter: (id > 50000)",
                "  Rows Removed by Filter: 1500",
                "  Heap Blocks: exact=1137",
                "  ->  Bitmap Index Scan on c_x (actual rows=3000 loops=1)",
                "        Index Cond: ((x >= 100) AND (x <= 399))"),
                analyzed("select * from c where x >= 100 and x <= 399 and id > 50000"));
        long sum = 0;
        long count = 0;
        for (int g = 1; g <= 100000; g++) {
            int x = (int) ((long) g * 7919 % 10000);
            if (x >= 100 && x <= 399 && g > 50000) {
                sum += g;
                count++;
            }
        }
        assertEquals(count + "|" + sum, one("select count(*), sum(id) from c where x >= 100 and x <= 399 and id > 50000"));
        // a unique key stays an Index Scan; enable_bitmapscan = off gives the Index Scan (PostgreSQL: the same)
        exec("create unique index c_id on c (id)");
        assertEquals("Index Scan using c_id on c", plan("select * from c where id = 77").get(0));
        exec("set enable_bitmapscan = off");
        assertEquals("Index Scan using c_x on c", plan("select * from c where x = 5").get(0));
        assertNoTempFiles();
    }

    @Test
    void bitmapBeyondWorkMemGoesLossyAndRechecks() {
        bitmapTable();
        // PostgreSQL 15.18 with work_mem = 64kB, enable_seqscan = off prints:
        //   Bitmap Heap Scan on c (actual rows=15000 loops=1)
        //     Recheck Cond: (x < 3000)
        //     Rows Removed by Index Recheck: 31909
        //     Filter: ((id % 2) = 0)
        //     Rows Removed by Filter: 15000
        //     Heap Blocks: exact=618 lossy=519
        // the pages that turn lossy depend on the order the bitmap is lossified in (hash order there, block
        // order here): the shape, the rows and the total of pages are the same
        exec("set work_mem = '64kB'", "set enable_seqscan = off");
        List<String> p = analyzed("select count(*) from c where x < 3000 and id % 2 = 0");
        assertEquals(9, p.size(), p.toString());
        assertEquals("  ->  Bitmap Heap Scan on c (actual rows=15000 loops=1)", p.get(1));
        assertEquals("        Recheck Cond: (x < 3000)", p.get(2));
        Matcher recheck = Pattern.compile(" +Rows Removed by Index Recheck: (\\d+)").matcher(p.get(3));
        assertTrue(recheck.matches(), p.get(3));
        assertTrue(Integer.parseInt(recheck.group(1)) > 0);
        assertEquals("        Filter: ((id % 2) = 0)", p.get(4));
        assertEquals("        Rows Removed by Filter: 15000", p.get(5));
        Matcher blocks = Pattern.compile(" +Heap Blocks: exact=(\\d+) lossy=(\\d+)").matcher(p.get(6));
        assertTrue(blocks.matches(), p.get(6));
        assertEquals(1137, Integer.parseInt(blocks.group(1)) + Integer.parseInt(blocks.group(2)));
        assertTrue(Integer.parseInt(blocks.group(2)) > 0);
        assertEquals("        ->  Bitmap Index Scan on c_x (actual rows=30000 loops=1)", p.get(7));
        long sum = 0;
        for (int g = 2; g <= 100000; g += 2) {
            if ((long) g * 7919 % 10000 < 3000) {
                sum += g;
            }
        }
        assertEquals("15000|" + sum, one("select count(*), sum(id) from c where x < 3000 and id % 2 = 0"));
        exec("reset enable_seqscan", "reset work_mem");
        assertEquals("15000|" + sum, one("select count(*), sum(id) from c where x < 3000 and id % 2 = 0"));
    }

    // ---------------------------------------------------------------- CREATE INDEX and log_temp_files

    /** The server log lines the engine writes, decoded. */
    private List<LogRecord> recordLog() throws ReflectiveOperationException {
        List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String s) {
                        LogRecord r = ServerLog.decode(s);
                        if (r != null) {
                            records.add(r);
                        }
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
        LoggerFactory factory = (LoggerFactory) Proxy.newProxyInstance(LoggerFactory.class.getClassLoader(),
                new Class<?>[] {LoggerFactory.class}, (proxy, method, args) -> method.getName().equals("getLogger")
                        ? logger : null);
        Field f = SqlEngineComponent.class.getDeclaredField("loggerFactory");
        f.setAccessible(true);
        f.set(engine, factory);
        return records;
    }

    @Test
    void createIndexSortsWithinMaintenanceWorkMemAndLogsItsTempFiles() throws Exception {
        List<LogRecord> log = recordLog();
        exec("create table big (id int, k int, v text)",
                "insert into big select g, (g * 7919) % 50000, 'v' || g from generate_series(1, 150000) g",
                "set maintenance_work_mem = '1MB'", "set log_temp_files = 0");
        String create = "create index big_k on big (k)";
        exec(create);
        Pattern line = Pattern.compile("temporary file: path \"base/pgsql_tmp/pgsql_tmp4242\\.\\d+\", size \\d+");
        List<LogRecord> temp = log.stream().filter(r -> r.message().startsWith("temporary file")).toList();
        assertTrue(temp.size() >= 1, "the sort of 150000 entries in 1MB spilled: " + log);
        for (LogRecord r : temp) {
            assertTrue(line.matcher(r.message()).matches(), r.message());
            assertEquals(create, r.statement());
            assertEquals("LOG", r.severity().name());
        }
        assertNoTempFiles();
        // the index answers as the table does (each k three times, every row once)
        exec("set enable_seqscan = off", "set enable_bitmapscan = off");
        assertEquals("Index Scan using big_k on big", plan("select * from big where k = 4242").get(0));
        long sum = 0;
        int n = 0;
        for (int g = 1; g <= 150000; g++) {
            if ((long) g * 7919 % 50000 == 4242) {
                sum += g;
                n++;
            }
        }
        assertEquals(n + "|" + sum, one("select count(*), sum(id) from big where k = 4242"));
        exec("reset enable_seqscan", "reset enable_bitmapscan");
        // a unique index over the same entries finds the duplicate after the external sort
        PgException dup = error("create unique index big_k_unique on big (k)", "23505",
                "could not create unique index \"big_k_unique\"");
        assertEquals("Key (k)=(0) is duplicated.", dup.detail());
        exec("create unique index big_id on big (id)");
        assertEquals("Index Scan using big_id on big", plan("select * from big where id = 99999").get(0));
        assertEquals("99999|42081|v99999", table("select * from big where id = 99999").get(1));
        assertNoTempFiles();
        // below the threshold nothing is logged
        log.clear();
        exec("set log_temp_files = '100MB'", "drop index big_id", "create unique index big_id on big (id)");
        assertEquals(List.of(), log.stream().filter(r -> r.message().startsWith("temporary file")).toList());
    }

    @Test
    void logTempFilesNamesTheStatementOfASpillingSort() throws Exception {
        List<LogRecord> log = recordLog();
        exec("create table s (id int, t text)",
                "insert into s select g, repeat('t', 10) || ((g * 7919) % 20000) from generate_series(1, 20000) g",
                "set work_mem = '64kB'", "set log_temp_files = 0");
        String q = "select t from s order by t desc limit 1";
        table(q);
        List<LogRecord> temp = log.stream().filter(r -> r.message().startsWith("temporary file")).toList();
        assertTrue(!temp.isEmpty(), log.toString());
        assertEquals(q, temp.get(0).statement());
        assertNoTempFiles();
    }

    @Test
    void aSubqueryResultLargerThanWorkMemIsKeptInATempFile() throws Exception {
        List<LogRecord> log = recordLog();
        exec("create table s (id int, t text)",
                "insert into s select g, repeat('t', 50) || g from generate_series(1, 30000) g",
                "set work_mem = '64kB'", "set log_temp_files = 0");
        // the FROM subquery (a Limit: no single scan) is kept for re-reading; 30000 rows are far beyond 64kB
        String q = "select count(*), sum(x.id), max(x.t) from (select id, t from s limit 25000) x";
        assertEquals("25000|312512500|" + "t".repeat(50) + "9999", one(q));
        assertTrue(log.stream().anyMatch(r -> r.message().startsWith("temporary file") && q.equals(r.statement())),
                log.toString());
        assertNoTempFiles();
    }
}
