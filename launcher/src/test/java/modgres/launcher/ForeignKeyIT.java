package modgres.launcher;

import static modgres.launcher.ServerRunner.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Foreign keys and INSERT ... ON CONFLICT between real connections (pgjdbc):
 * a referenced row deleted while a referencing row is inserted (never an
 * orphan, the loser gets 23503), cascades, and four clients upserting the
 * same keys (exact counts, never 23505).
 */
class ForeignKeyIT {
    private static ServerRunner server;

    @BeforeAll
    static void start() throws Exception {
        server = ServerRunner.startInTempDir("modgres-fk", "-c", "deadlock_timeout=200ms");
    }

    private static Connection connect() throws SQLException {
        return ServerRunner.connect(server.port);
    }

    @AfterAll
    static void stop() throws Exception {
        ServerRunner.closeAndDelete(server);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static Thread async(AtomicReference<Throwable> failure, ThrowingRunnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        t.start();
        return t;
    }

    /** Runs {@code sql}; "ok" or the SQLSTATE and message of its error. */
    private static String outcome(Statement st, String sql) {
        try {
            st.execute(sql);
            return "ok";
        } catch (SQLException e) {
            return e.getSQLState() + " " + e.getMessage();
        }
    }

    @Test
    void aWaitingDeleteOfTheParentLoses() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            sa.execute("CREATE TABLE p1 (id int PRIMARY KEY)");
            sa.execute("CREATE TABLE c1 (id int, pid int REFERENCES p1)");
            sa.execute("INSERT INTO p1 VALUES (1), (2)");
            // the child's transaction locked the parent row: the delete waits, then sees the child
            a.setAutoCommit(false);
            sa.execute("INSERT INTO c1 VALUES (1, 1)");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<String> out = new AtomicReference<>();
            Thread t = async(failure, () -> out.set(outcome(sb, "DELETE FROM p1 WHERE id = 1")));
            Thread.sleep(400);
            assertTrue(t.isAlive(), "the delete waits for the inserter of the referencing row");
            a.commit();
            t.join(10_000);
            assertTrue(out.get().startsWith("23503 ERROR: update or delete on table \"p1\" violates foreign key "
                    + "constraint \"c1_pid_fkey\" on table \"c1\""), out.get());
            assertTrue(out.get().contains("Key (id)=(1) is still referenced from table \"c1\"."), out.get());
            // the parent's delete runs first: the child's check waits, then finds no parent
            sb.execute("BEGIN");
            sb.execute("DELETE FROM p1 WHERE id = 2");
            t = async(failure, () -> out.set(outcome(sa, "INSERT INTO c1 VALUES (2, 2)")));
            Thread.sleep(400);
            assertTrue(t.isAlive(), "the child's check waits for the deleter");
            sb.execute("COMMIT");
            t.join(10_000);
            assertTrue(out.get().startsWith("23503 ERROR: insert or update on table \"c1\" violates foreign key "
                    + "constraint \"c1_pid_fkey\""), out.get());
            assertTrue(out.get().contains("Key (pid)=(2) is not present in table \"p1\"."), out.get());
            a.rollback();
            // ... and when the deleter rolls back, the child goes in
            sa.execute("INSERT INTO p1 VALUES (3)");
            a.commit();
            sb.execute("BEGIN");
            sb.execute("DELETE FROM p1 WHERE id = 3");
            t = async(failure, () -> out.set(outcome(sa, "INSERT INTO c1 VALUES (3, 3)")));
            Thread.sleep(400);
            assertTrue(t.isAlive());
            sb.execute("ROLLBACK");
            t.join(10_000);
            assertEquals("ok", out.get());
            a.commit();
            a.setAutoCommit(true);
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertEquals(0, scalar(sa, "SELECT count(*) FROM c1 WHERE pid NOT IN (SELECT id FROM p1)"));
            assertEquals(2, scalar(sa, "SELECT count(*) FROM c1"));
        }
    }

    @Test
    void racingParentDeletesAndChildInsertsNeverLeaveAnOrphan() throws Exception {
        int rounds = 60;
        try (Connection a = connect(); Connection b = connect(); Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            sa.execute("CREATE TABLE p2 (id int PRIMARY KEY)");
            sa.execute("CREATE TABLE c2 (id int, pid int REFERENCES p2)");
            sa.execute("INSERT INTO p2 SELECT g FROM generate_series(1, " + rounds + ") g");
            AtomicInteger deletesWon = new AtomicInteger();
            AtomicInteger insertsWon = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int k = 1; k <= rounds; k++) {
                int key = k;
                CountDownLatch go = new CountDownLatch(1);
                AtomicReference<String> del = new AtomicReference<>();
                AtomicReference<String> ins = new AtomicReference<>();
                // each side holds its transaction open a random moment so that both orders occur
                Thread td = async(failure, () -> {
                    go.await();
                    sa.execute("BEGIN");
                    del.set(outcome(sa, "DELETE FROM p2 WHERE id = " + key));
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5));
                    sa.execute(del.get().equals("ok") ? "COMMIT" : "ROLLBACK");
                });
                Thread ti = async(failure, () -> {
                    go.await();
                    Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                    sb.execute("BEGIN");
                    ins.set(outcome(sb, "INSERT INTO c2 VALUES (" + key + ", " + key + ")"));
                    Thread.sleep(ThreadLocalRandom.current().nextInt(5));
                    sb.execute(ins.get().equals("ok") ? "COMMIT" : "ROLLBACK");
                });
                go.countDown();
                td.join(20_000);
                ti.join(20_000);
                if (failure.get() != null) {
                    throw new AssertionError(failure.get());
                }
                boolean d = del.get().equals("ok");
                boolean i = ins.get().equals("ok");
                assertTrue(d ^ i, "exactly one wins: delete " + del.get() + ", insert " + ins.get());
                assertTrue((d ? ins.get() : del.get()).startsWith("23503"), del.get() + " / " + ins.get());
                (d ? deletesWon : insertsWon).incrementAndGet();
            }
            assertEquals(0, scalar(sa, "SELECT count(*) FROM c2 WHERE pid NOT IN (SELECT id FROM p2)"));
            assertEquals(insertsWon.get(), scalar(sa, "SELECT count(*) FROM c2"));
            assertEquals(insertsWon.get(), scalar(sa, "SELECT count(*) FROM p2"));
        }
    }

    @Test
    void cascadeDeleteAcrossConnections() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            sa.execute("CREATE TABLE orders (id int PRIMARY KEY)");
            sa.execute("CREATE TABLE lines (id int PRIMARY KEY, order_id int NOT NULL REFERENCES orders "
                    + "ON DELETE CASCADE, qty int)");
            sa.execute("CREATE INDEX ON lines (order_id)");
            sa.execute("CREATE TABLE notes (line_id int REFERENCES lines ON DELETE CASCADE, txt text)");
            sa.execute("INSERT INTO orders SELECT g FROM generate_series(1, 10) g");
            sa.execute("INSERT INTO lines SELECT g, g % 10 + 1, g FROM generate_series(1, 100) g");
            sa.execute("INSERT INTO notes SELECT id, 'n' FROM lines");
            assertEquals(5, sa.executeUpdate("DELETE FROM orders WHERE id <= 5"));
            assertEquals(50, scalar(sb, "SELECT count(*) FROM lines"));
            assertEquals(50, scalar(sb, "SELECT count(*) FROM notes"));
            assertEquals(0, scalar(sb, "SELECT count(*) FROM lines WHERE order_id <= 5"));
            // a cascade waits for a concurrent insert of a line of the order, then deletes it too
            b.setAutoCommit(false);
            sb.execute("INSERT INTO lines VALUES (1000, 6, 1)");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<String> out = new AtomicReference<>();
            Thread t = async(failure, () -> out.set(outcome(sa, "DELETE FROM orders WHERE id = 6")));
            Thread.sleep(400);
            assertTrue(t.isAlive(), "the cascade waits for the inserter's lock on the order");
            b.commit();
            b.setAutoCommit(true);
            t.join(10_000);
            assertEquals("ok", out.get());
            assertEquals(0, scalar(sb, "SELECT count(*) FROM lines WHERE order_id = 6"));
            assertEquals(0, scalar(sb, "SELECT count(*) FROM lines WHERE order_id NOT IN (SELECT id FROM orders)"));
            assertEquals(0, scalar(sb, "SELECT count(*) FROM notes WHERE line_id NOT IN (SELECT id FROM lines)"));
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
        }
    }

    @Test
    void fourClientsUpsertTheSameKeys() throws Exception {
        int clients = 4;
        int perClient = 300;
        int keys = 25;
        try (Connection setup = connect(); Statement st = setup.createStatement()) {
            st.execute("CREATE TABLE counters (k int PRIMARY KEY, n int NOT NULL, last int)");
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger nothing = new AtomicInteger();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(async(failure, () -> {
                try (Connection conn = connect(); Statement s = conn.createStatement()) {
                    go.await();
                    for (int i = 0; i < perClient; i++) {
                        int k = ThreadLocalRandom.current().nextInt(keys);
                        if (i % 10 == 9) {
                            // DO NOTHING never fails either: it inserts or skips
                            s.executeUpdate("INSERT INTO counters VALUES (" + (1000 + k) + ", 1, " + client
                                    + ") ON CONFLICT DO NOTHING");
                            nothing.incrementAndGet();
                        } else {
                            try (ResultSet rs = s.executeQuery("INSERT INTO counters VALUES (" + k + ", 1, "
                                    + client + ") ON CONFLICT (k) DO UPDATE SET n = counters.n + excluded.n, "
                                    + "last = excluded.last RETURNING n")) {
                                assertTrue(rs.next());
                                assertTrue(rs.getInt(1) >= 1);
                            }
                        }
                    }
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(120_000);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        try (Connection conn = connect(); Statement s = conn.createStatement()) {
            long updates = (long) clients * perClient - nothing.get();
            assertEquals(updates, scalar(s, "SELECT sum(n) FROM counters WHERE k < 1000"));
            assertTrue(scalar(s, "SELECT count(*) FROM counters WHERE k < 1000") <= keys);
            assertEquals(scalar(s, "SELECT count(DISTINCT k) FROM counters"), scalar(s, "SELECT count(*) FROM counters"));
            assertEquals(scalar(s, "SELECT count(*) FROM counters WHERE k >= 1000"),
                    scalar(s, "SELECT sum(n) FROM counters WHERE k >= 1000"));
        }
    }
}
