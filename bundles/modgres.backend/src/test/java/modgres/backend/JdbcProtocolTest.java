package modgres.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import org.postgresql.util.PSQLException;

/** The protocol as pgjdbc speaks it: simple and extended queries, binary, errors, COPY, cancel. */
class JdbcProtocolTest {
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
        return connect(new Properties());
    }

    static Connection connect(Properties extra) throws SQLException {
        Properties p = TestServer.props("postgres", null);
        p.putAll(extra);
        return DriverManager.getConnection(server.url(), p);
    }

    @Test
    void extendedQueriesReturnRows() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
                assertEquals("?column?", rs.getMetaData().getColumnLabel(1));
                assertFalse(rs.next());
            }
            try (ResultSet rs = s.executeQuery("SELECT 'x'")) {
                assertTrue(rs.next());
                assertEquals("x", rs.getString(1));
            }
            try (ResultSet rs = s.executeQuery("SHOW application_name")) {
                assertTrue(rs.next());
                assertEquals("PostgreSQL JDBC Driver", rs.getString(1));
            }
        }
    }

    @Test
    void simpleQueryModeRunsSeveralStatements() throws SQLException {
        Properties p = new Properties();
        p.setProperty("preferQueryMode", "simple");
        try (Connection c = connect(p); Statement s = c.createStatement()) {
            assertTrue(s.execute("SELECT 1; SELECT 'x'"));
            try (ResultSet rs = s.getResultSet()) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
            assertTrue(s.getMoreResults());
            try (ResultSet rs = s.getResultSet()) {
                assertTrue(rs.next());
                assertEquals("x", rs.getString(1));
            }
            PSQLException e = assertThrows(PSQLException.class, () -> s.executeQuery("SELECT 1; SELEC 2"));
            assertEquals("42601", e.getSQLState());
            assertEquals(11, e.getServerErrorMessage().getPosition());
        }
    }

    @Test
    void preparedStatementsTurnNamedAndBinary() throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT ?")) {
            for (int i = 0; i < 8; i++) {
                ps.setInt(1, 40 + i);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(40 + i, rs.getInt(1));
                }
            }
            FakeEngine.FakeSession session = sessionOf(c);
            assertTrue(session.statements.keySet().stream().anyMatch(n -> n.startsWith("S_")),
                    "named statement after prepareThreshold: " + session.statements.keySet());
            assertTrue(session.sawBinaryParameter, "int4 parameter sent in binary");
            assertTrue(session.sawBinaryResult, "int4 result asked for in binary");
        }
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT ?")) {
            ps.setString(1, "hello");
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("hello", rs.getString(1));
            }
        }
    }

    /** The fake session of a connection: the one whose application name we set. */
    static FakeEngine.FakeSession sessionOf(Connection c) throws SQLException {
        String marker = "t" + System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = '" + marker + "'");
        }
        for (FakeEngine.FakeSession f : server.engine.sessions) {
            if (marker.equals(f.settings.get("application_name"))) {
                return f;
            }
        }
        throw new AssertionError("no session");
    }

    @Test
    void errorsCarrySqlStateAndPositionAndTheConnectionGoesOn() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            PSQLException e = assertThrows(PSQLException.class, () -> s.executeQuery("SELEC 1"));
            assertEquals("42601", e.getSQLState());
            assertEquals("syntax error at or near \"SELEC\"", e.getServerErrorMessage().getMessage());
            assertEquals(1, e.getServerErrorMessage().getPosition());
            assertEquals("ERROR", e.getServerErrorMessage().getSeverity());
            PSQLException d = assertThrows(PSQLException.class, () -> s.executeQuery("SELECT 1/0"));
            assertEquals("22012", d.getSQLState());
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
        }
    }

    @Test
    void errorInAPipelineSkipsToSync() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.addBatch("INSERT INTO t VALUES (101)");
            s.addBatch("BOGUS 102");
            s.addBatch("INSERT INTO t VALUES (103)");
            BatchUpdateException e = assertThrows(BatchUpdateException.class, s::executeBatch);
            assertEquals("42601", e.getSQLState());
            assertTrue(server.engine.executed.contains("INSERT INTO t VALUES (101)"));
            assertFalse(server.engine.executed.contains("INSERT INTO t VALUES (103)"),
                    "messages after the error are skipped until Sync");
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
        }
    }

    @Test
    void fetchSizeInATransactionSuspendsThePortal() throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            FakeEngine.FakeSession session = sessionOf(c);
            int before = session.executes;
            try (Statement s = c.createStatement()) {
                s.setFetchSize(100);
                long sum = 0;
                int n = 0;
                try (ResultSet rs = s.executeQuery("SELECT generate_series(1, 1000)")) {
                    while (rs.next()) {
                        sum += rs.getInt(1);
                        n++;
                    }
                }
                assertEquals(1000, n);
                assertEquals(500500, sum);
            }
            assertTrue(session.executes - before >= 10, "fetched in chunks: " + (session.executes - before));
            assertEquals('T', session.status);
            c.commit();
            assertEquals('I', session.status);
        }
    }

    @Test
    void abortedTransactionUntilRollback() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            assertThrows(PSQLException.class, () -> s.executeQuery("BOGUS"));
            PSQLException e = assertThrows(PSQLException.class, () -> s.executeQuery("SELECT 1"));
            assertEquals("25P02", e.getSQLState());
            c.rollback();
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
            c.commit();
        }
    }

    @Test
    void copyInAndOut() throws Exception {
        try (Connection c = connect()) {
            CopyManager copy = new CopyManager((BaseConnection) c);
            long in = copy.copyIn("COPY t FROM STDIN", new StringReader("a\t1\nb\t2\nc\t3\n"));
            assertEquals(3, in);
            assertTrue(server.engine.copiedIn.contains("a\t1\nb\t2\nc\t3\n"));
            StringWriter w = new StringWriter();
            long out = copy.copyOut("COPY t TO STDOUT", w);
            assertEquals(3, out);
            assertEquals("1\tone\n2\ttwo\n3\tthree\n", w.toString());
        }
    }

    @Test
    void copyFailEndsTheCopyWithAnError() throws Exception {
        try (Connection c = connect()) {
            CopyManager copy = new CopyManager((BaseConnection) c);
            CopyIn ci = copy.copyIn("COPY t FROM STDIN");
            byte[] row = "x\n".getBytes(StandardCharsets.UTF_8);
            ci.writeToCopy(row, 0, row.length);
            try {
                ci.cancelCopy();
            } catch (SQLException expected) {
                // pgjdbc may or may not surface the expected error
            }
            assertFalse(server.engine.copyErrors.isEmpty());
            assertEquals("57014", server.engine.copyErrors.get(0).sqlState());
            assertTrue(server.engine.copyErrors.get(0).getMessage().startsWith("COPY from stdin failed: "));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
        }
    }

    @Test
    void cancelStopsASlowStatement() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread canceller = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    s.cancel();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            long t0 = System.nanoTime();
            canceller.start();
            PSQLException e = assertThrows(PSQLException.class, () -> s.executeQuery("SELECT pg_sleep(20)"));
            canceller.join();
            assertNull(failure.get());
            assertEquals("57014", e.getSQLState());
            assertEquals("canceling statement due to user request", e.getServerErrorMessage().getMessage());
            assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
        }
    }

    @Test
    void noticesBecomeWarnings() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DO notice");
            SQLWarning w = s.getWarnings();
            assertNotNull(w);
            assertEquals("hello from the engine", w.getMessage().lines().findFirst().orElse(""));
            assertEquals("00000", w.getSQLState());
        }
    }

    @Test
    void changedParametersAreReported() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("SET application_name = 'reporter'");
            assertEquals("reporter", c.getClientInfo("ApplicationName"));
        }
    }

    @Test
    void sslPreferFallsBackToPlain() throws SQLException {
        Properties p = new Properties();
        p.setProperty("sslmode", "prefer");
        try (Connection c = connect(p); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
    }
}
