package modgres.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

import modgres.api.backend.BackendHandle;
import modgres.backend.RawClient.Msg;

/**
 * Session timeouts through the protocol: idle_in_transaction_session_timeout
 * and idle_session_timeout (the backend's), statement_timeout (the engine's,
 * here the fake's), and a client that vanishes while its query runs.
 * Timeouts are 200 ms and waits 1.5 s; nothing asserts a duration.
 */
class SessionTimeoutTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir, "host all all 127.0.0.1/32 trust\n");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.url(), TestServer.props("postgres", null));
    }

    private static long pid(List<Msg> login) {
        for (Msg m : login) {
            if (m.type() == 'K') {
                return Integer.toUnsignedLong(m.int32(0));
            }
        }
        throw new AssertionError("no BackendKeyData");
    }

    /** Waits for the backend to end and checks it closed its session and left the registry. */
    private static void assertEnded(BackendHandle h) throws InterruptedException {
        h.thread().join(10_000);
        assertFalse(h.thread().isAlive(), "backend thread still running");
        assertNull(server.registry.backends.get(h.pid()), "registry did not see exited()");
        FakeEngine.FakeSession s = server.engine.sessions.stream().filter(x -> x.info.pid() == h.pid())
                .findFirst().orElseThrow();
        assertTrue(s.closed, "session not closed");
    }

    private static Msg readFatal(RawClient c) throws Exception {
        List<Msg> m = c.readUntil('E');
        Msg e = m.get(m.size() - 1);
        assertEquals("FATAL", e.fields().get('S'));
        return e;
    }

    @Test
    void idleInTransactionTimeoutTerminatesWithFatal25P03() throws Exception {
        try (RawClient c = new RawClient(server.port)) {
            BackendHandle h = server.registry.handle(pid(c.login("postgres")));
            c.message('Q', "SET idle_in_transaction_session_timeout = 200");
            c.readUntil('Z');
            c.message('Q', "BEGIN");
            List<Msg> r = c.readUntil('Z');
            assertEquals('T', (char) r.get(r.size() - 1).body()[0]);
            Msg e = readFatal(c); // sent unasked after the timeout
            assertEquals("25P03", e.fields().get('C'));
            assertEquals("terminating connection due to idle-in-transaction timeout", e.fields().get('M'));
            assertTrue(c.closedByServer());
            assertEnded(h);
        }
        server.logs.await("terminating connection due to idle-in-transaction timeout");
    }

    @Test
    void idleSessionTimeoutTerminatesWithFatal57P05() throws Exception {
        try (RawClient c = new RawClient(server.port)) {
            BackendHandle h = server.registry.handle(pid(c.login("postgres", "idle_session_timeout", "200")));
            Msg e = readFatal(c);
            assertEquals("57P05", e.fields().get('C'));
            assertEquals("terminating connection due to idle-session timeout", e.fields().get('M'));
            assertTrue(c.closedByServer());
            assertEnded(h);
        }
    }

    @Test
    void idleSessionTimeoutDoesNotApplyInsideATransactionNorWhileAStatementRuns() throws Exception {
        try (RawClient c = new RawClient(server.port)) {
            c.login("postgres");
            c.message('Q', "SET idle_session_timeout = 200");
            c.readUntil('Z');
            c.message('Q', "BEGIN");
            c.readUntil('Z');
            Thread.sleep(1000); // in a transaction: only idle_in_transaction_session_timeout (0) applies
            c.message('Q', "SELECT pg_sleep(1)"); // active, not idle
            assertEquals("T D C Z", RawClient.types(c.readUntil('Z')));
            c.message('Q', "COMMIT");
            assertEquals("C Z", RawClient.types(c.readUntil('Z')));
            c.message('Q', "SET idle_session_timeout = 0");
            c.readUntil('Z');
            c.message('X');
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void jdbcSeesTheIdleInTransactionFatalOnItsNextUse() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SET idle_in_transaction_session_timeout = 200");
            c.setAutoCommit(false);
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
            Thread.sleep(1500);
            PSQLException e = assertThrows(PSQLException.class, () -> s.executeQuery("SELECT 1"));
            // pgjdbc reads the waiting FATAL (25P03); should the reset reach it first, it reports 08006
            assertEquals("25P03", e.getSQLState(), e.toString());
            assertTrue(c.isClosed() || !c.isValid(1));
        }
        server.logs.await("terminating connection due to idle-in-transaction timeout");
    }

    @Test
    void jdbcSeesTheIdleSessionFatalOnItsNextUse() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SET idle_session_timeout = 200");
            Thread.sleep(1500);
            PSQLException e = assertThrows(PSQLException.class, () -> s.executeQuery("SELECT 1"));
            assertEquals("57P05", e.getSQLState(), e.toString());
        }
        server.logs.await("terminating connection due to idle-session timeout");
    }

    @Test
    void statementTimeoutThroughTheProtocol() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = 200");
            PSQLException e = assertThrows(PSQLException.class, () -> s.executeQuery("SELECT pg_sleep(5)"));
            assertEquals("57014", e.getSQLState());
            assertEquals("canceling statement due to statement timeout", e.getServerErrorMessage().getMessage());
            s.execute("SET statement_timeout = 0");
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    @Test
    void aClientThatVanishesMidQueryEndsItsBackend() throws Exception {
        BackendHandle h;
        try (RawClient c = new RawClient(server.port)) {
            h = server.registry.handle(pid(c.login("postgres")));
            c.message('Q', "SELECT pg_sleep(2)");
            long until = System.nanoTime() + 5_000_000_000L;
            while (!h.activity().endsWith(" active") && System.nanoTime() < until) {
                Thread.sleep(5); // until the statement runs
            }
            assertTrue(h.activity().endsWith(" active"), h.activity());
        } // closes the socket while pg_sleep runs
        assertEnded(h);
    }
}
