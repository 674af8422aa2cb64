package modgres.launcher;

import static modgres.launcher.ServerRunner.rows;
import static modgres.launcher.ServerRunner.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Executor memory end to end: the real server in a JVM of 64 MB heap (the launcher passes its -Xmx on to the
 * server's JVM) sorts, hash-joins and hash-aggregates a table whose rows take several times that heap as Java
 * objects, with the results a computation in this test expects; the temporary files are logged as PostgreSQL
 * logs them (log_temp_files: LOG line, then the STATEMENT) and base/pgsql_tmp is empty afterwards.
 */
class LocalMemoryIT {
    /** Rows of the table: ~200 bytes each as Java objects (an Object[] with an Integer, an Integer and a String). */
    private static final int ROWS = 1_200_000;
    /** Distinct values of k: the join matches each id below it once, the aggregate has this many groups. */
    private static final int KEYS = 400_000;

    private static List<String> tempDirEntries(Path data) throws IOException {
        Path dir = data.resolve("base/pgsql_tmp");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** k of row g: a permutation of 0 .. KEYS-1 in each stretch of KEYS rows (7919 is prime to KEYS). */
    private static long k(long g) {
        return g * 7919 % KEYS;
    }

    @Test
    void sortHashJoinAndHashAggregateBeyondTheHeap() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-memory", false);
        Path data = dir.resolve("data");
        int port = ServerRunner.freePort();
        try (ServerRunner s = ServerRunner.startWithHeap(data, port, false, true, "64m", "-c", "shared_buffers=16MB")) {
            s.awaitReady();
            try (Connection c = connect(port); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE big (id int, k int, pad text)");
                st.execute("INSERT INTO big SELECT g, g::int8 * 7919 % " + KEYS + ", repeat('p', 80) || g "
                        + "FROM generate_series(1, " + ROWS + ") g");
                st.execute("SET log_temp_files = 0");

                // sort: every row through one Sort (work_mem 4MB), the last three in (k, id DESC) order
                String sort = "SELECT id, k FROM big ORDER BY k, id DESC OFFSET " + (ROWS - 3);
                List<String> expected = new ArrayList<>();
                // the largest k is KEYS-1, held by the rows g with g*7919 = KEYS-1 (mod KEYS): three of them
                List<Long> top = new ArrayList<>();
                for (long g = 1; g <= ROWS; g++) {
                    if (k(g) == KEYS - 1) {
                        top.add(g);
                    }
                }
                top.sort((a, b) -> Long.compare(b, a));
                for (long g : top) {
                    expected.add(g + "|" + (KEYS - 1));
                }
                assertEquals(expected, rows(st, sort));

                // hash join: the inner side (all rows) is hashed in batches
                String join = "SELECT count(*), sum(a.id::int8), sum(b.id::int8) FROM big a JOIN big b ON a.id = b.k";
                long count = 0;
                long sumA = 0;
                long sumB = 0;
                for (long g = 1; g <= ROWS; g++) {
                    long kk = k(g);
                    if (kk >= 1) { // ids start at 1, k at 0
                        count++;
                        sumA += kk;
                        sumB += g;
                    }
                }
                List<String> plan = rows(st, "EXPLAIN " + join);
                assertTrue(plan.stream().anyMatch(l -> l.contains("Hash Join")), plan.toString());
                assertEquals(List.of(count + "|" + sumA + "|" + sumB), rows(st, join));

                // hash aggregate: KEYS groups of three rows, spilled to partitions
                String agg = "SELECT count(*), sum(n), sum(s) FROM (SELECT k, count(*) AS n, sum(id::int8) AS s "
                        + "FROM big GROUP BY k) g";
                plan = rows(st, "EXPLAIN " + agg);
                assertTrue(plan.stream().anyMatch(l -> l.contains("HashAggregate")), plan.toString());
                assertEquals(List.of(KEYS + "|" + ROWS + "|" + (long) ROWS * (ROWS + 1) / 2), rows(st, agg));

                assertEquals(List.of(), tempDirEntries(data));
            }
            // each statement's temporary files were logged with the statement (default log_line_prefix '%m [%p] ')
            String log = s.output();
            Pattern line = Pattern.compile("\\[(\\d+)\\] LOG:  temporary file: path \"base/pgsql_tmp/pgsql_tmp(\\d+)"
                    + "\\.\\d+\", size \\d+\\n[^\\n]*\\[(\\d+)\\] STATEMENT:  (.*)\\n");
            Matcher m = line.matcher(log);
            List<String> statements = new ArrayList<>();
            while (m.find()) {
                assertEquals(m.group(1), m.group(2), "the file's name carries the backend's pid");
                assertEquals(m.group(1), m.group(3));
                statements.add(m.group(4));
            }
            assertTrue(statements.contains("SELECT id, k FROM big ORDER BY k, id DESC OFFSET " + (ROWS - 3)),
                    statements.toString());
            assertTrue(statements.stream().anyMatch(q -> q.contains("JOIN big b ON a.id = b.k")),
                    statements.toString());
            assertTrue(statements.stream().anyMatch(q -> q.contains("GROUP BY k")), statements.toString());
            assertTrue(!log.contains("OutOfMemoryError"), log);
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }

    /**
     * The structures that used to keep every row in memory, on a table several times the 64 MB heap: a nested
     * loop's inner side, a WITH query read by two references, and a result of every row sent to a client that
     * fetches it in portions (the result is kept in a temporary file between Executes); the console's
     * modgres:memory then shows the session's peaks within work_mem per structure.
     */
    @Test
    void nestedLoopCteAndLargeResultBeyondTheHeap() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-memory2", false);
        Path data = dir.resolve("data");
        int port = ServerRunner.freePort();
        int rows = 600_000;
        try (ServerRunner s = ServerRunner.startWithHeap(data, port, false, true, "64m", "-c", "shared_buffers=16MB")) {
            s.awaitReady();
            try (Connection c = connect(port); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE big (id int, pad text)");
                st.execute("INSERT INTO big SELECT g, repeat('p', 120) || g FROM generate_series(1, " + rows + ") g");
                st.execute("SET enable_hashjoin = off");
                st.execute("SET enable_mergejoin = off");
                // nested loop: 3 outer rows against the whole table as its inner side
                String nl = "SELECT count(*), sum(b.id::int8) FROM (SELECT id FROM big WHERE id <= 3) a"
                        + " JOIN big b ON b.id > a.id + " + (rows - 10);
                List<String> plan = rows(st, "EXPLAIN " + nl);
                assertTrue(plan.stream().anyMatch(l -> l.contains("Nested Loop")), plan.toString());
                long n = 0;
                long sum = 0;
                for (long a = 1; a <= 3; a++) {
                    for (long b = a + rows - 9; b <= rows; b++) {
                        n++;
                        sum += b;
                    }
                }
                assertEquals(List.of(n + "|" + sum), rows(st, nl));
                st.execute("RESET enable_hashjoin");
                st.execute("RESET enable_mergejoin");
                // a WITH query read by two references
                long padLength = 0;
                for (long g = 1; g <= rows; g++) {
                    padLength += 120 + Long.toString(g).length();
                }
                assertEquals(List.of(rows + "|" + padLength), rows(st, "WITH c AS MATERIALIZED (SELECT id, pad FROM big)"
                        + " SELECT (SELECT count(*) FROM c), (SELECT sum(length(pad)) FROM c)"));
            }
            // every row to the client, fetched 1000 at a time in a transaction (a portal with maxRows)
            try (Connection c = connect(port)) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.setFetchSize(1000);
                    long n = 0;
                    long sum = 0;
                    try (ResultSet rs = st.executeQuery("SELECT id, pad FROM big")) {
                        while (rs.next()) {
                            n++;
                            sum += rs.getLong(1);
                            assertTrue(rs.getString(2).endsWith(rs.getString(1)));
                        }
                    }
                    assertEquals(rows, n);
                    assertEquals((long) rows * (rows + 1) / 2, sum);
                }
                // the session is idle in its transaction: the console shows its account
                ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-jar", ServerRunner.jar().toString(), "--console", "-D", data.toString())
                        .redirectErrorStream(true);
                Process client = pb.start();
                client.getOutputStream().write("modgres:memory\nexit\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                client.getOutputStream().flush();
                String out = new String(client.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertEquals(0, client.waitFor(), out);
                Matcher m = Pattern.compile("(\\d+)\\s+postgres\\s+postgres\\s+idle in transaction\\s+(\\d+)\\s+(\\d+)"
                        + "\\s+(\\d+)\\s+(\\d+)/(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(out);
                assertTrue(m.find(), out);
                assertEquals("0", m.group(2), "nothing held between statements: " + out);
                long sessionPeakKb = Long.parseLong(m.group(4));
                // work_mem 4MB: at most a few structures at once (CTE store, a sort/aggregate, the result)
                assertTrue(sessionPeakKb > 1024 && sessionPeakKb <= 4 * 4096 + 64, out);
                c.commit();
            }
            assertEquals(List.of(), tempDirEntries(data));
            assertTrue(!s.output().contains("OutOfMemoryError"), s.output());
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }
}
