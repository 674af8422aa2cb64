package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concurrency between real connections (pgjdbc): uniqueness races, deadlock
 * detection, and the bank-transfer invariant under many concurrent
 * transfers with random aborts.
 */
class ConcurrencyIT {
    private static Path dir;
    private static ServerRunner server;

    @BeforeAll
    static void start() throws Exception {
        dir = ServerRunner.tempDir("modgres-conc", false);
        server = ServerRunner.start(dir.resolve("data"), false, "-c", "deadlock_timeout=200ms");
        server.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        ServerRunner.deleteTree(dir);
    }

    static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port + "/postgres", p);
    }

    private static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs {@code body} in a thread and returns it started. */
    private static Thread async(AtomicReference<Throwable> failure, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        return t;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aDuplicateKeyWaitsForTheOtherInserter() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            sa.execute("CREATE TABLE uq (id int PRIMARY KEY)");
            for (boolean commitFirst : new boolean[] {true, false}) {
                sa.execute("DELETE FROM uq");
                a.setAutoCommit(false);
                sa.execute("INSERT INTO uq VALUES (1)");
                AtomicReference<Throwable> failure = new AtomicReference<>();
                AtomicReference<String> outcome = new AtomicReference<>();
                Thread t = async(failure, () -> {
                    try {
                        sb.execute("INSERT INTO uq VALUES (1)");
                        outcome.set("inserted");
                    } catch (SQLException e) {
                        outcome.set(e.getSQLState() + " " + e.getMessage());
                    }
                });
                Thread.sleep(300);
                assertTrue(t.isAlive(), "the second insert waits for the first transaction");
                try (Connection c = connect(); Statement sc = c.createStatement();
                        ResultSet rs = sc.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = "
                                + "'transactionid' AND mode = 'ShareLock' AND NOT granted")) {
                    rs.next();
                    assertEquals(1, rs.getInt(1), "pg_locks shows the waiter");
                }
                if (commitFirst) {
                    a.commit();
                } else {
                    a.rollback();
                }
                a.setAutoCommit(true);
                t.join(10_000);
                if (failure.get() != null) {
                    throw new AssertionError(failure.get());
                }
                if (commitFirst) {
                    assertTrue(outcome.get().startsWith("23505"), outcome.get());
                    assertTrue(outcome.get().contains("Key (id)=(1) already exists."), outcome.get());
                } else {
                    assertEquals("inserted", outcome.get());
                }
                assertEquals(1, scalar(sa, "SELECT count(*) FROM uq"));
            }
            sa.execute("DROP TABLE uq");
        }
    }

    @Test
    void aDeadlockIsDetectedAndOneTransactionSurvives() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            sa.execute("CREATE TABLE dl (id int PRIMARY KEY, v int)");
            sa.execute("INSERT INTO dl VALUES (1, 0), (2, 0)");
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            sa.execute("UPDATE dl SET v = 1 WHERE id = 1");
            sb.execute("UPDATE dl SET v = 2 WHERE id = 2");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<SQLException> errA = new AtomicReference<>();
            AtomicReference<SQLException> errB = new AtomicReference<>();
            Thread ta = async(failure, () -> {
                try {
                    sa.execute("UPDATE dl SET v = 1 WHERE id = 2");
                } catch (SQLException e) {
                    errA.set(e);
                }
            });
            Thread.sleep(100);
            Thread tb = async(failure, () -> {
                try {
                    sb.execute("UPDATE dl SET v = 2 WHERE id = 1");
                } catch (SQLException e) {
                    errB.set(e);
                }
            });
            ta.join(15_000);
            tb.join(15_000);
            SQLException e = errA.get() != null ? errA.get() : errB.get();
            assertTrue(e != null && (errA.get() == null || errB.get() == null), "exactly one side fails: " + errA.get()
                    + " / " + errB.get());
            assertEquals("40P01", e.getSQLState());
            assertTrue(e.getMessage().contains("deadlock detected"), e.getMessage());
            String detail = ((org.postgresql.util.PSQLException) e).getServerErrorMessage().getDetail();
            assertTrue(detail.matches("(?s)Process \\d+ waits for ShareLock on "
                    + "transaction \\d+; blocked by process \\d+\\.\nProcess \\d+ waits for ShareLock on transaction "
                    + "\\d+; blocked by process \\d+\\."), detail);
            a.rollback();
            b.rollback();
            a.setAutoCommit(true);
            sa.execute("DROP TABLE dl");
        }
    }

    @Test
    void concurrentTransfersKeepTheTotal() throws Exception {
        int accounts = 20;
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE bank (id int PRIMARY KEY, balance int NOT NULL)");
            st.execute("INSERT INTO bank SELECT g, 1000 FROM generate_series(1, " + accounts + ") g");
        }
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger aborted = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            threads.add(async(failure, () -> {
                try (Connection c = connect(); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < 60; i++) {
                        int from = 1 + r.nextInt(accounts);
                        int to = 1 + r.nextInt(accounts);
                        int amount = 1 + r.nextInt(50);
                        try {
                            st.execute("UPDATE bank SET balance = balance - " + amount + " WHERE id = " + from);
                            st.execute("UPDATE bank SET balance = balance + " + amount + " WHERE id = " + to);
                            if (r.nextInt(5) == 0) {
                                c.rollback();
                                aborted.incrementAndGet();
                            } else {
                                c.commit();
                                committed.incrementAndGet();
                            }
                        } catch (SQLException e) {
                            // deadlocks (transfers in opposite directions) are expected; anything else is not
                            if (!"40P01".equals(e.getSQLState())) {
                                throw e;
                            }
                            c.rollback();
                            aborted.incrementAndGet();
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join(120_000);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertEquals(accounts * 1000L, scalar(st, "SELECT sum(balance) FROM bank"), "money is neither made nor lost");
            assertEquals(accounts, scalar(st, "SELECT count(*) FROM bank"));
            st.execute("DROP TABLE bank");
        }
        assertTrue(committed.get() > 100, "most transfers committed: " + committed.get() + ", aborted " + aborted);
    }
}
