package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * kill -9 while the background processes are in the middle of their work:
 * WAL-volume checkpoints (max_wal_size at its minimum), a slow
 * archive_command copying a segment, manual VACUUMs and autovacuum (naptime
 * 1 s, low thresholds) on a table being updated, all under write load. After
 * each restart: every acknowledged commit is there and nothing never
 * attempted, the counters agree with the rows, index lookups agree with the
 * heap, VACUUM still works; at the end every completed segment is archived
 * and each archived copy equals the segment.
 */
class MaintenanceCrashIT {
    private static final int ROUNDS = 3;
    private static final int CHURN_ROWS = 200;

    private static Connection connect(int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    private static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    @Test
    void killNineDuringCheckpointArchiveCopyAndVacuumLosesNothing() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-maintcrash", false);
        Path data = dir.resolve("data");
        Path archive = Files.createDirectory(dir.resolve("archive"));
        int port = ServerRunner.freePort();
        String[] settings = {"-c", "archive_mode=on", "-c",
            "archive_command=sleep 0.2 && cp %p " + archive + "/%f", "-c", "max_wal_size=32MB",
            "-c", "autovacuum_naptime=1", "-c", "autovacuum_vacuum_threshold=50",
            "-c", "autovacuum_vacuum_scale_factor=0", "-c", "checkpoint_completion_target=0.9"};
        Set<Integer> attempted = ConcurrentHashMap.newKeySet();
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger nextId = new AtomicInteger(1);
        AtomicLong churnAcked = new AtomicLong();
        AtomicLong churnAttempted = new AtomicLong();
        try {
            try (ServerRunner s = ServerRunner.start(data, port, false, true, settings)) {
                s.awaitReady();
                try (Connection c = connect(port); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE t (id integer PRIMARY KEY, payload text NOT NULL)");
                    st.execute("CREATE TABLE counter (n integer)");
                    st.execute("INSERT INTO counter VALUES (0)");
                    st.execute("CREATE TABLE churn (id integer PRIMARY KEY, v integer NOT NULL)");
                    st.execute("INSERT INTO churn SELECT g, 0 FROM generate_series(1, " + CHURN_ROWS + ") g");
                }
            }
            for (int round = 0; round < ROUNDS; round++) {
                ServerRunner s = ServerRunner.start(data, port, false, true, settings);
                try {
                    s.awaitReady();
                    AtomicBoolean stop = new AtomicBoolean();
                    List<Thread> threads = new ArrayList<>();
                    threads.add(new Thread(() -> insert(port, nextId, attempted, acknowledged, stop)));
                    threads.add(new Thread(() -> churn(port, churnAttempted, churnAcked, stop)));
                    threads.add(new Thread(() -> churn(port, churnAttempted, churnAcked, stop)));
                    threads.add(new Thread(() -> vacuum(port, stop)));
                    threads.forEach(Thread::start);
                    int before = acknowledged.size();
                    long until = System.nanoTime() + 20_000_000_000L;
                    while (acknowledged.size() < before + 20 && System.nanoTime() < until) {
                        Thread.sleep(20);
                    }
                    try (Connection c = connect(port); Statement st = c.createStatement()) {
                        st.execute("SELECT pg_switch_wal()"); // a segment for the slow archive_command
                    } catch (SQLException e) {
                        // a busy server: the kill below is the point
                    }
                    Thread.sleep(500 + ThreadLocalRandom.current().nextInt(1500));
                    ServerRunner.run("kill", "-9", Long.toString(s.postmasterPid()));
                    s.awaitExit(Duration.ofSeconds(30));
                    stop.set(true);
                    for (Thread t : threads) {
                        t.join(30_000);
                    }
                } finally {
                    s.close();
                }
                try (ServerRunner r = ServerRunner.start(data, port, false, true, settings)) {
                    r.awaitReady();
                    check(port, attempted, acknowledged, churnAttempted.get(), churnAcked.get(), r);
                }
            }
            // the archive: every segment marked done is archived, and equal to the segment where it remains
            try (ServerRunner s = ServerRunner.start(data, port, false, true, settings)) {
                s.awaitReady();
                try (Connection c = connect(port); Statement st = c.createStatement()) {
                    st.execute("INSERT INTO counter VALUES (0)");
                    st.execute("SELECT pg_switch_wal()");
                }
                Path status = data.resolve("pg_wal").resolve("archive_status");
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (count(status, ".ready") > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertEquals(0, count(status, ".ready"), "segments left unarchived");
                try (Stream<Path> files = Files.list(status)) {
                    for (Path p : files.filter(f -> f.toString().endsWith(".done")).toList()) {
                        String seg = p.getFileName().toString().replace(".done", "");
                        assertTrue(Files.exists(archive.resolve(seg)), seg + " was not archived");
                        Path src = data.resolve("pg_wal").resolve(seg);
                        if (Files.exists(src)) {
                            assertEquals(-1L, Files.mismatch(src, archive.resolve(seg)), seg + " differs");
                        }
                    }
                }
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }

    private static long count(Path dir, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).count();
        }
    }

    private static void check(int port, Set<Integer> attempted, Set<Integer> acknowledged, long churnAttempted,
            long churnAcked, ServerRunner r) throws Exception {
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            Set<Integer> present = new java.util.HashSet<>();
            try (ResultSet rs = st.executeQuery("SELECT id FROM t")) {
                while (rs.next()) {
                    present.add(rs.getInt(1));
                }
            }
            for (int id : acknowledged) {
                assertTrue(present.contains(id), "acknowledged row " + id + " lost; log:\n" + r.output());
            }
            for (int id : present) {
                assertTrue(attempted.contains(id), "row " + id + " was never attempted");
            }
            assertEquals(present.size(), scalar(st, "SELECT n FROM counter"), "counter and rows disagree");
            long churn = scalar(st, "SELECT sum(v) FROM churn");
            assertTrue(churn >= churnAcked && churn <= churnAttempted,
                    "churn sum " + churn + " outside [" + churnAcked + ", " + churnAttempted + "]");
            assertEquals(CHURN_ROWS, scalar(st, "SELECT count(*) FROM churn"));
            int probes = 0;
            for (int id : acknowledged) {
                if (probes++ == 50) {
                    break;
                }
                assertEquals(1, scalar(st, "SELECT count(*) FROM t WHERE id = " + id), "index lookup of " + id);
            }
            for (int id = 1; id <= CHURN_ROWS; id += 37) {
                assertEquals(1, scalar(st, "SELECT count(*) FROM churn WHERE id = " + id), "churn lookup " + id);
            }
            st.execute("VACUUM churn");
            st.execute("VACUUM t");
            assertEquals(churn, scalar(st, "SELECT sum(v) FROM churn"));
        }
    }

    private static void insert(int port, AtomicInteger nextId, Set<Integer> attempted, Set<Integer> acknowledged,
            AtomicBoolean stop) {
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            while (!stop.get()) {
                int id = nextId.getAndIncrement();
                attempted.add(id);
                st.execute("INSERT INTO t VALUES (" + id + ", repeat('x', 200))");
                st.execute("UPDATE counter SET n = n + 1");
                c.commit();
                acknowledged.add(id);
            }
        } catch (SQLException e) {
            // the server was killed
        }
    }

    private static void churn(int port, AtomicLong attempted, AtomicLong acked, AtomicBoolean stop) {
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            while (!stop.get()) {
                int id = ThreadLocalRandom.current().nextInt(1, CHURN_ROWS + 1);
                attempted.incrementAndGet();
                st.execute("UPDATE churn SET v = v + 1 WHERE id = " + id);
                acked.incrementAndGet();
            }
        } catch (SQLException e) {
            // the server was killed
        }
    }

    private static void vacuum(int port, AtomicBoolean stop) {
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            while (!stop.get()) {
                st.execute("VACUUM churn");
                st.execute("VACUUM t");
            }
        } catch (SQLException e) {
            // the server was killed
        }
    }
}
