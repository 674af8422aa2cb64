package modgres.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

import modgres.api.backend.BackendHandle;
import modgres.api.error.PgException;
import modgres.api.log.LogRecord;
import modgres.api.sql.SqlEngine.Role;
import modgres.backend.RawClient.Msg;

/** What happens between authentication and the first ReadyForQuery: admission, the session, the log. */
class SessionStartTest {
    @TempDir
    Path dir;

    @Test
    void tooManyClientsIsRefusedBeforeAuthentication() throws Exception {
        try (TestServer server = new TestServer(dir, "host all all 127.0.0.1/32 trust\n")) {
            server.registry.refusal = new PgException("53300", "sorry, too many clients already");
            PSQLException e = assertThrows(PSQLException.class, () -> DriverManager.getConnection(server.url(),
                    TestServer.props("postgres", null)).close());
            assertEquals("53300", e.getSQLState());
            assertEquals("sorry, too many clients already", e.getServerErrorMessage().getMessage());
            try (RawClient c = new RawClient(server.port)) {
                c.send(RawClient.startup(3 << 16, "user", "postgres"));
                Msg m = c.read();
                assertEquals('E', m.type(), "no authentication request first");
                assertEquals("FATAL", m.fields().get('S'));
            }
            server.registry.refusal = null;
            DriverManager.getConnection(server.url(), TestServer.props("postgres", null)).close();
        }
    }

    @Test
    void reservedSlotsAreCheckedAfterAuthentication() throws Exception {
        try (TestServer server = new TestServer(dir, "host all all 127.0.0.1/32 trust\n")) {
            server.engine.roles.put("plain", new Role("plain", false, true, null));
            server.registry.refusalForNonSuperusers = new PgException("53300",
                    "remaining connection slots are reserved for non-replication superuser connections");
            try (RawClient c = new RawClient(server.port)) {
                c.send(RawClient.startup(3 << 16, "user", "plain", "database", "postgres"));
                List<Msg> m = c.readUntil('E');
                assertEquals("R E", RawClient.types(m));
                assertEquals("53300", m.get(1).fields().get('C'));
            }
            DriverManager.getConnection(server.url(), TestServer.props("postgres", null)).close();
        }
    }

    @Test
    void sessionOpenFailuresAreFatal() throws Exception {
        try (TestServer server = new TestServer(dir, "host all all 127.0.0.1/32 trust\n")) {
            PSQLException e = assertThrows(PSQLException.class, () -> DriverManager.getConnection(server.url(),
                    TestServer.props("nobody", null)).close());
            assertEquals("28000", e.getSQLState());
            assertEquals("role \"nobody\" does not exist", e.getServerErrorMessage().getMessage());
            server.engine.openFailure = new PgException("3D000", "database \"postgres\" does not exist");
            e = assertThrows(PSQLException.class, () -> DriverManager.getConnection(server.url(),
                    TestServer.props("postgres", null)).close());
            assertEquals("3D000", e.getSQLState());
            assertEquals("FATAL", e.getServerErrorMessage().getSeverity());
        }
    }

    @Test
    void withoutAnEngineNoSessionIsAccepted() throws Exception {
        try (TestServer server = new TestServer(dir, "host all all 127.0.0.1/32 trust\n")) {
            server.component.unbindSqlEngine(new FakeEngine()); // not the bound one: stays
            DriverManager.getConnection(server.url(), TestServer.props("postgres", null)).close();
            server.component.unbindSqlEngine(server.engine);
            PSQLException e = assertThrows(PSQLException.class, () -> DriverManager.getConnection(server.url(),
                    TestServer.props("postgres", null)).close());
            assertEquals("57P03", e.getSQLState());
            assertEquals("the database system is not accepting connections", e.getServerErrorMessage().getMessage());
        }
    }

    @Test
    void unixSocketSessionsAreLocalAndCanBeTerminated() throws Exception {
        try (TestServer server = new TestServer(dir, "local all all trust\n",
                Map.of("log_connections", "on"), true)) {
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(
                    server.socketDir().resolve(".s.PGSQL." + server.port)))) {
                ch.write(ByteBuffer.wrap(RawClient.startup(3 << 16, "user", "postgres")));
                ByteBuffer in = ByteBuffer.allocate(4096);
                long until = System.nanoTime() + 5_000_000_000L;
                while (!(in.position() >= 6 && in.get(in.position() - 6) == 'Z') && System.nanoTime() < until) {
                    ch.read(in);
                }
                long until2 = System.nanoTime() + 5_000_000_000L;
                while (server.registry.backends.isEmpty() && System.nanoTime() < until2) {
                    Thread.sleep(1);
                }
                BackendHandle h = server.registry.backends.values().iterator().next();
                assertTrue(h.activity().matches("postgres postgres \\[local\\] idle"), h.activity());
                server.logs.await("connection received: host=[local]");
                h.terminate();
                in.clear();
                int n;
                while ((n = ch.read(in)) > 0) {
                    // the FATAL, then end of stream
                }
                assertEquals(-1, n);
                assertEquals('E', in.get(0));
                String text = new String(in.array(), 0, in.position(), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(text.contains("57P01"), text);
            }
        }
    }

    @Test
    void connectionsAndDisconnectionsAreLogged() throws Exception {
        try (TestServer server = new TestServer(dir, "host all all 127.0.0.1/32 trust\n",
                Map.of("log_connections", "on", "log_disconnections", "on"), false)) {
            Properties p = TestServer.props("postgres", null);
            p.setProperty("ApplicationName", "logtest");
            p.setProperty("assumeMinServerVersion", "9.0"); // application_name in the startup packet
            int port;
            try (Connection c = DriverManager.getConnection(server.url(), p)) {
                assertTrue(c.isValid(5));
                LogRecord received = server.logs.await("connection received: host=127.0.0.1 port=");
                port = Integer.parseInt(received.message().substring(received.message().lastIndexOf('=') + 1));
                assertEquals("connection authorized: user=postgres database=postgres application_name=logtest",
                        server.logs.await("connection authorized").message());
            }
            LogRecord bye = server.logs.await("disconnection: session time: ");
            assertTrue(Pattern.matches("disconnection: session time: 0:00:\\d\\d\\.\\d{3} user=postgres"
                    + " database=postgres host=127.0.0.1 port=" + port, bye.message()), bye.message());
            assertEquals("client backend", bye.context().processName());
            assertEquals("logtest", bye.context().application());
            assertTrue(Pattern.matches("[0-9a-f]+\\.[0-9a-f]+", bye.context().sessionId()));
            assertEquals(Long.toHexString(bye.context().pid()),
                    bye.context().sessionId().substring(bye.context().sessionId().indexOf('.') + 1));
            assertFalse(server.logs.matching(r -> r.message().contains("unexpected EOF")).stream()
                    .anyMatch(r -> r.severity().atLeast(modgres.api.log.Severity.LOG)));
        }
    }
}
