package modgres.launcher;

import static modgres.launcher.ServerRunner.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Row locks that coexist through MultiXacts, between real connections
 * (pgjdbc), as PostgreSQL 15 behaves: two FOR SHARE lockers at once; a
 * foreign key's KEY SHARE lock on the parent next to a non-key UPDATE of it
 * (no wait) but not next to a key UPDATE (waits); FOR UPDATE waiting for
 * every sharer; REPEATABLE READ's 40001; and a kill -9 with MultiXacts on
 * rows, after which the rows read and update normally. "Does not wait" is
 * shown with lock_timeout: a statement that waited would fail with 55P03.
 */
class MultiXactIT {
    private static Path dir;
    private static int port;
    private static ServerRunner server;
    private static final ExecutorService THREADS = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        server = ServerRunner.startInTempDir("modgres-multixact", "-c", "deadlock_timeout=200ms");
        port = server.port;
        dir = server.dataDir.getParent(); // the crash test's own server goes beside it
    }

    @AfterAll
    static void stop() throws Exception {
        THREADS.shutdownNow();
        ServerRunner.closeAndDelete(server);
    }

    private static Connection connect() throws SQLException {
        return ServerRunner.connect(port);
    }

    /** Runs {@code sql}; "ok" or the SQLSTATE of its error. */
    private static String outcome(Statement st, String sql) {
        try {
            st.execute(sql);
            return "ok";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private static void begin(Statement st) throws SQLException {
        st.execute("BEGIN");
    }

    @Test
    void sharersCoexistAndForUpdateWaitsForAllOfThem() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Connection c = connect(); Connection d = connect();
                Statement sa = a.createStatement(); Statement sb = b.createStatement();
                Statement sc = c.createStatement(); Statement sd = d.createStatement()) {
            sa.execute("CREATE TABLE shared_rows (id int PRIMARY KEY, v int)");
            sa.execute("INSERT INTO shared_rows VALUES (1, 0), (2, 0)");
            begin(sa);
            sa.execute("SELECT * FROM shared_rows WHERE id = 1 FOR SHARE");
            sb.execute("SET lock_timeout = '2s'");
            begin(sb);
            long t0 = System.nanoTime();
            assertEquals("ok", outcome(sb, "SELECT * FROM shared_rows WHERE id = 1 FOR SHARE"));
            assertEquals("ok", outcome(sb, "SELECT * FROM shared_rows WHERE id = 1 FOR KEY SHARE"));
            assertTrue(System.nanoTime() - t0 < 1_500_000_000L, "the second sharer did not wait");
            // FOR UPDATE conflicts with both
            begin(sc);
            assertEquals("55P03", outcome(sc, "SELECT * FROM shared_rows WHERE id = 1 FOR UPDATE NOWAIT"));
            sc.execute("ROLLBACK");
            begin(sc);
            try (java.sql.ResultSet rs = sc.executeQuery("SELECT id FROM shared_rows FOR UPDATE SKIP LOCKED")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1), "row 1 is skipped, row 2 locked");
                assertTrue(!rs.next());
            }
            sc.execute("ROLLBACK");
            begin(sc);
            Future<String> upd = THREADS.submit(() -> outcome(sc, "SELECT * FROM shared_rows WHERE id = 1 FOR UPDATE"));
            Thread.sleep(500);
            assertTrue(!upd.isDone(), "FOR UPDATE waits");
            // the wait shows in pg_locks (an ungranted lock of c's backend)
            long waiting = scalar(sd, "SELECT count(*) FROM pg_locks WHERE NOT granted");
            assertTrue(waiting >= 1, "a waiting lock in pg_locks");
            sa.execute("COMMIT");
            Thread.sleep(500);
            assertTrue(!upd.isDone(), "b still holds its share lock after a commits");
            sb.execute("ROLLBACK");
            assertEquals("ok", upd.get(10, TimeUnit.SECONDS));
            // c now holds FOR UPDATE: a new sharer waits (lock_timeout proves it)
            sd.execute("SET lock_timeout = '300ms'");
            assertEquals("55P03", outcome(sd, "SELECT * FROM shared_rows WHERE id = 1 FOR KEY SHARE"));
            sc.execute("COMMIT");
            assertEquals("ok", outcome(sd, "SELECT * FROM shared_rows WHERE id = 1 FOR KEY SHARE"));
        }
    }

    @Test
    void foreignKeyLockAllowsNonKeyUpdatesButNotKeyUpdates() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Connection c = connect();
                Statement sa = a.createStatement(); Statement sb = b.createStatement();
                Statement sc = c.createStatement()) {
            sa.execute("CREATE TABLE parent (id int PRIMARY KEY, note text)");
            sa.execute("CREATE TABLE child (id int, parent_id int REFERENCES parent)");
            sa.execute("INSERT INTO parent VALUES (1, 'one'), (2, 'two')");
            // a inserts a child: FOR KEY SHARE on parent 1
            begin(sa);
            sa.execute("INSERT INTO child VALUES (1, 1)");
            sb.execute("SET lock_timeout = '1s'");
            assertEquals("ok", outcome(sb, "UPDATE parent SET note = 'changed' WHERE id = 1"),
                    "a non-key update does not wait for the key-share lock");
            // the key is still protected: a key update or a delete of the (new) parent row waits for a
            assertEquals("55P03", outcome(sb, "UPDATE parent SET id = 10 WHERE id = 1"));
            assertEquals("55P03", outcome(sb, "DELETE FROM parent WHERE id = 1"));
            sc.execute("SET lock_timeout = '1s'");
            assertEquals("ok", outcome(sc, "SELECT * FROM parent WHERE id = 1 FOR NO KEY UPDATE"));
            sa.execute("COMMIT");
            assertEquals(1, scalar(sb, "SELECT count(*) FROM child WHERE parent_id = 1"));
            assertEquals(1, scalar(sb, "SELECT count(*) FROM parent WHERE id = 1 AND note = 'changed'"));
            assertEquals("23503", outcome(sb, "DELETE FROM parent WHERE id = 1"));
            // a key update waits until the child's transaction ends, then sees the reference
            begin(sa);
            sa.execute("INSERT INTO child VALUES (2, 2)");
            sb.execute("SET lock_timeout = 0");
            Future<String> keyUpdate = THREADS.submit(() -> outcome(sb, "UPDATE parent SET id = 20 WHERE id = 2"));
            Thread.sleep(500);
            assertTrue(!keyUpdate.isDone(), "a key update waits for the key-share lock");
            sa.execute("COMMIT");
            assertEquals("23503", keyUpdate.get(10, TimeUnit.SECONDS));
            // the non-key update first, the child insert beside it: the key-share lock reaches the new version
            sa.execute("INSERT INTO parent VALUES (3, 'three')");
            begin(sb);
            sb.execute("UPDATE parent SET note = 'x' WHERE id = 3");
            sa.execute("SET lock_timeout = '1s'");
            begin(sa);
            assertEquals("ok", outcome(sa, "INSERT INTO child VALUES (4, 3)"), "no wait for the no-key updater");
            sb.execute("COMMIT");
            assertEquals("55P03", outcome(sc, "DELETE FROM parent WHERE id = 3"), "the new version is locked too");
            sa.execute("COMMIT");
            assertEquals("23503", outcome(sc, "DELETE FROM parent WHERE id = 3"));
        }
    }

    @Test
    void repeatableReadFailsOnAnUpdateCommittedBesideAKeyShareLock() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Connection r = connect();
                Statement sa = a.createStatement(); Statement sb = b.createStatement();
                Statement sr = r.createStatement()) {
            sa.execute("CREATE TABLE rr (id int PRIMARY KEY, v int)");
            sa.execute("INSERT INTO rr VALUES (1, 0)");
            sr.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            assertEquals(0, scalar(sr, "SELECT v FROM rr WHERE id = 1"));
            begin(sa);
            sa.execute("SELECT * FROM rr WHERE id = 1 FOR KEY SHARE");
            sb.execute("SET lock_timeout = '1s'");
            assertEquals("ok", outcome(sb, "UPDATE rr SET v = 1 WHERE id = 1"));
            sa.execute("COMMIT");
            assertEquals(0, scalar(sr, "SELECT v FROM rr WHERE id = 1"), "the snapshot still sees 0");
            assertEquals("40001", outcome(sr, "UPDATE rr SET v = 2 WHERE id = 1"));
            sr.execute("ROLLBACK");
            // a committed sharer leaves nothing a repeatable-read locker must fail on
            sr.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            assertEquals(1, scalar(sr, "SELECT v FROM rr WHERE id = 1"));
            begin(sa);
            sa.execute("SELECT * FROM rr WHERE id = 1 FOR SHARE");
            begin(sb);
            sb.execute("SELECT * FROM rr WHERE id = 1 FOR SHARE");
            sa.execute("COMMIT");
            sb.execute("COMMIT");
            assertEquals("ok", outcome(sr, "SELECT * FROM rr WHERE id = 1 FOR UPDATE"));
            sr.execute("COMMIT");
        }
    }

    @Test
    void multiXactsSurviveKillNine() throws Exception {
        Path data = dir.resolve("crash");
        int p = ServerRunner.freePort();
        ServerRunner s = ServerRunner.start(data, p, false, true);
        try {
            s.awaitReady();
            try (Connection a = ServerRunner.connect(p); Connection b = ServerRunner.connect(p);
                    Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
                sa.execute("CREATE TABLE mp (id int PRIMARY KEY, note text)");
                sa.execute("CREATE TABLE mc (id int, mp_id int REFERENCES mp)");
                sa.execute("INSERT INTO mp SELECT g, 'n' || g FROM generate_series(1, 50) g");
                sa.execute("CHECKPOINT");
                // committed MultiXacts: a child insert (KEY SHARE) beside non-key updates of its parent
                for (int i = 1; i <= 20; i++) {
                    begin(sa);
                    sa.execute("INSERT INTO mc VALUES (" + i + ", " + i + ")");
                    sb.execute("UPDATE mp SET note = 'u" + i + "' WHERE id = " + i);
                    sa.execute("COMMIT");
                }
                // MultiXacts of transactions still open at the crash: two sharers on rows 21..30
                begin(sa);
                begin(sb);
                sa.execute("SELECT * FROM mp WHERE id BETWEEN 21 AND 30 FOR SHARE");
                sb.execute("SELECT * FROM mp WHERE id BETWEEN 21 AND 30 FOR SHARE");
                ServerRunner.run("kill", "-9", Long.toString(s.postmasterPid()));
                s.awaitExit(Duration.ofSeconds(30));
            } catch (SQLException ignored) {
                // the connections die with the server
            }
        } finally {
            s.close();
        }
        try (ServerRunner r = ServerRunner.start(data, p, false, true)) {
            r.awaitReady();
            assertTrue(r.output().contains("automatic recovery in progress"), r.output());
            try (Connection c = ServerRunner.connect(p); Statement st = c.createStatement()) {
                assertEquals(50, scalar(st, "SELECT count(*) FROM mp"));
                assertEquals(20, scalar(st, "SELECT count(*) FROM mp WHERE note LIKE 'u%'"));
                assertEquals(20, scalar(st, "SELECT count(*) FROM mc JOIN mp ON mp.id = mc.mp_id"));
                st.execute("SET lock_timeout = '1s'");
                // the crashed sharers hold nothing any more
                assertEquals("ok", outcome(st, "UPDATE mp SET note = 'after' WHERE id BETWEEN 21 AND 30"));
                assertEquals("ok", outcome(st, "UPDATE mp SET id = id + 100 WHERE id > 30"));
                assertEquals("ok", outcome(st, "UPDATE mp SET note = note || '!' WHERE id <= 20"));
                assertEquals("23503", outcome(st, "DELETE FROM mp WHERE id = 5"));
                assertEquals(10, scalar(st, "SELECT count(*) FROM mp WHERE note = 'after'"));
                st.execute("VACUUM mp");
                assertEquals(50, scalar(st, "SELECT count(*) FROM mp"));
            }
            assertTrue(java.nio.file.Files.isDirectory(data.resolve("pg_multixact/offsets")));
        }
    }
}
