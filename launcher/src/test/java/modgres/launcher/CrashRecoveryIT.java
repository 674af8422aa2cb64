package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * Durability under {@code kill -9}: clients commit rows while the server is
 * killed at random moments (also right after CHECKPOINT and segment
 * switches), many times in a row; after each restart every acknowledged
 * commit is there, nothing that was never attempted is there, and a counter
 * row updated in the same transactions agrees with the rows.
 */
class CrashRecoveryIT {
    private static final int ROUNDS = 6;
    private static final int WRITERS = 3;

    private static Connection connect(int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    @Test
    void everyAcknowledgedCommitSurvivesKillNine() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-crash", false);
        Path data = dir.resolve("data");
        int port = ServerRunner.freePort();
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        Set<Integer> attempted = ConcurrentHashMap.newKeySet();
        AtomicInteger nextId = new AtomicInteger(1);
        try {
            try (ServerRunner s = ServerRunner.start(data, port, false, true)) {
                s.awaitReady();
                try (Connection c = connect(port); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE t (id integer PRIMARY KEY, payload text NOT NULL)");
                    st.execute("CREATE TABLE counter (n integer)");
                    st.execute("INSERT INTO counter VALUES (0)");
                }
            }
            for (int round = 0; round < ROUNDS; round++) {
                ServerRunner s = ServerRunner.start(data, port, false, true);
                int mode = round % 3;
                try {
                    s.awaitReady();
                    AtomicBoolean stop = new AtomicBoolean();
                    List<Thread> threads = new ArrayList<>();
                    for (int w = 0; w < WRITERS; w++) {
                        Thread t = new Thread(() -> write(port, nextId, attempted, acknowledged, stop));
                        t.start();
                        threads.add(t);
                    }
                    // let the writers commit something in every round (a loaded machine is slow to start them)
                    int before = acknowledged.size();
                    long until = System.nanoTime() + 20_000_000_000L;
                    while (acknowledged.size() < before + 5 && System.nanoTime() < until) {
                        Thread.sleep(20);
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextInt(500));
                    if (mode > 0) {
                        try (Connection c = connect(port); Statement st = c.createStatement()) {
                            st.execute(mode == 1 ? "CHECKPOINT" : "SELECT pg_switch_wal()");
                        } catch (SQLException ignored) {
                            // the server may be busy; the kill below is the point
                        }
                        Thread.sleep(ThreadLocalRandom.current().nextInt(100));
                    }
                    ServerRunner.run("kill", "-9", Long.toString(s.postmasterPid()));
                    stop.set(true);
                    for (Thread t : threads) {
                        t.join(30_000);
                    }
                    s.awaitExit(Duration.ofSeconds(30));
                } finally {
                    s.close();
                }
                try (ServerRunner r = ServerRunner.start(data, port, false, true)) {
                    r.awaitReady();
                    assertTrue(r.output().contains("automatic recovery in progress"), r.output());
                    try {
                        verify(port, acknowledged, attempted);
                    } catch (AssertionError e) {
                        throw new AssertionError("round " + round + " (mode " + mode + "): " + e.getMessage()
                                + "\n--- crashed server:\n" + s.output() + "\n--- recovering server:\n" + r.output(),
                                e);
                    }
                }
            }
            assertTrue(acknowledged.size() > ROUNDS * 5, "the writers committed a fair amount: " + acknowledged.size());
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }

    private static void write(int port, AtomicInteger nextId, Set<Integer> attempted, Set<Integer> acknowledged,
            AtomicBoolean stop) {
        try (Connection c = connect(port)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                while (!stop.get()) {
                    int id = nextId.getAndIncrement();
                    attempted.add(id);
                    st.execute("INSERT INTO t VALUES (" + id + ", 'row " + id + "')");
                    st.execute("UPDATE counter SET n = n + 1");
                    c.commit();
                    acknowledged.add(id);
                }
            }
        } catch (SQLException e) {
            // the server went away: an unacknowledged commit may or may not have happened
        }
    }

    private static void verify(int port, Set<Integer> acknowledged, Set<Integer> attempted) throws SQLException {
        Set<Integer> present = new HashSet<>();
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT id, payload FROM t")) {
                while (rs.next()) {
                    int id = rs.getInt(1);
                    assertEquals("row " + id, rs.getString(2));
                    assertTrue(present.add(id), "id " + id + " appears once");
                }
            }
            for (int id : acknowledged) {
                assertTrue(present.contains(id), "acknowledged commit of id " + id + " survived");
            }
            for (int id : present) {
                assertTrue(attempted.contains(id), "id " + id + " was written by a client");
            }
            try (ResultSet rs = st.executeQuery("SELECT n FROM counter")) {
                assertTrue(rs.next());
                assertEquals(present.size(), rs.getInt(1), "the counter agrees with the rows");
            }
            // point lookups go through the primary key index: it must agree with the heap
            int checked = 0;
            for (int id : present) {
                if (checked++ == 60) {
                    break;
                }
                try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT payload FROM t WHERE id = ?")) {
                    ps.setInt(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next(), "index finds id " + id);
                        assertEquals("row " + id, rs.getString(1));
                    }
                }
            }
        }
    }
}
