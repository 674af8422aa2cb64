package modgres.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.util.PSQLException;

import modgres.api.log.LogRecord;
import modgres.api.log.Severity;
import modgres.api.sql.SqlEngine.Role;

/** pg_hba.conf and the password methods, with pgjdbc as the client. */
class AuthenticationTest {
    static final String HBA = """
            # TYPE  DATABASE  USER                ADDRESS         METHOD
            host    all       trustme             127.0.0.1/32    trust
            host    all       rejectme            127.0.0.1/32    reject
            host    all       pwuser,ghostpw      127.0.0.1/32    password
            host    all       md5user,md5scram    127.0.0.1/32    md5
            host    sameuser  all                 127.0.0.1/32    trust
            host    all       all                 127.0.0.1/32    scram-sha-256
            """;

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir, HBA);
        Map<String, Role> r = server.engine.roles;
        r.put("trustme", new Role("trustme", false, true, null));
        r.put("pwuser", new Role("pwuser", false, true, Verifiers.scram("pw secret")));
        r.put("md5user", new Role("md5user", false, true, Verifiers.md5("md5 secret", "md5user")));
        r.put("md5scram", new Role("md5scram", false, true, Verifiers.scram("scram secret")));
        r.put("scramuser", new Role("scramuser", false, true, Verifiers.scram("s3cr3t")));
        r.put("oldmd5", new Role("oldmd5", false, true, Verifiers.md5("old", "oldmd5")));
        r.put("nopass", new Role("nopass", false, true, null));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection(server.url(), TestServer.props(user, password));
    }

    static void assertWorks(String user, String password) throws SQLException {
        try (Connection c = connect(user, password); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
    }

    static PSQLException refused(String user, String password, String state) {
        PSQLException e = assertThrows(PSQLException.class, () -> connect(user, password).close());
        assertEquals(state, e.getSQLState(), e.getMessage());
        return e;
    }

    /** The FATAL the server logged for a user (waits briefly: logging follows the reply). */
    static LogRecord fatalLogged(String user) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            List<LogRecord> l = server.logs.matching(r -> r.severity() == Severity.FATAL
                    && user.equals(r.context().user()));
            if (!l.isEmpty()) {
                return l.get(l.size() - 1);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no FATAL logged for " + user);
    }

    @Test
    void trust() throws SQLException {
        assertWorks("trustme", null);
    }

    @Test
    void reject() {
        PSQLException e = refused("rejectme", null, "28000");
        assertEquals("pg_hba.conf rejects connection for host \"127.0.0.1\", user \"rejectme\", database"
                + " \"postgres\", no encryption", e.getServerErrorMessage().getMessage());
    }

    @Test
    void cleartextPassword() throws Exception {
        assertWorks("pwuser", "pw secret");
        PSQLException e = refused("pwuser", "wrong", "28P01");
        assertEquals("password authentication failed for user \"pwuser\"", e.getServerErrorMessage().getMessage());
        assertNull(e.getServerErrorMessage().getDetail(), "the reason is for the server log only");
        LogRecord r = fatalLogged("pwuser");
        assertEquals("Password does not match for user \"pwuser\".\nConnection matched pg_hba.conf line 4: \"host"
                + "    all       pwuser,ghostpw      127.0.0.1/32    password\"", r.detail());
        refused("ghostpw", "whatever", "28P01");
        assertTrue(fatalLogged("ghostpw").detail().startsWith("Role \"ghostpw\" does not exist."));
    }

    @Test
    void md5() throws SQLException {
        assertWorks("md5user", "md5 secret");
        refused("md5user", "nope", "28P01");
    }

    @Test
    void md5FallsBackToScramForAScramSecret() throws SQLException {
        assertWorks("md5scram", "scram secret");
        refused("md5scram", "nope", "28P01");
    }

    @Test
    void scram() throws Exception {
        assertWorks("scramuser", "s3cr3t");
        PSQLException e = refused("scramuser", "s3cr3t!", "28P01");
        assertEquals("password authentication failed for user \"scramuser\"",
                e.getServerErrorMessage().getMessage());
        refused("ghost", "x", "28P01");
        assertTrue(fatalLogged("ghost").detail().startsWith("Role \"ghost\" does not exist."));
        refused("oldmd5", "old", "28P01");
        assertTrue(fatalLogged("oldmd5").detail().startsWith("User \"oldmd5\" does not have a valid SCRAM secret."));
        refused("nopass", "x", "28P01");
        assertTrue(fatalLogged("nopass").detail().startsWith("User \"nopass\" has no password assigned."));
    }

    @Test
    void sameuserMatchesTheUsersOwnDatabase() throws Exception {
        server.engine.roles.put("alice", new Role("alice", false, true, null));
        try (Connection c = DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + server.port + "/alice", TestServer.props("alice", null))) {
            assertTrue(c.isValid(5));
        }
        refused("alice", null, "08004"); // database postgres: scram asks for a password pgjdbc does not have
    }

    @Test
    void scramExchangeRawChecksChannelBindingFlag() throws Exception {
        try (RawClient c = new RawClient(server.port)) {
            c.send(RawClient.startup(3 << 16, "user", "scramuser", "database", "postgres"));
            RawClient.Msg sasl = c.read();
            assertEquals('R', sasl.type());
            assertEquals(10, sasl.int32(0));
            assertEquals("SCRAM-SHA-256", sasl.strings(4).get(0));
            byte[] first = "p=tls-server-end-point,,n=*,r=abc".getBytes(StandardCharsets.UTF_8);
            c.message('p', "SCRAM-SHA-256", first.length, first);
            Map<Character, String> f = c.read().fields();
            assertEquals("08P01", f.get('C'));
            assertEquals("malformed SCRAM message", f.get('M'));
        }
        try (RawClient c = new RawClient(server.port)) {
            c.send(RawClient.startup(3 << 16, "user", "scramuser", "database", "postgres"));
            c.read();
            c.message('p', "PLAIN", -1);
            assertEquals("client selected an invalid SASL authentication mechanism", c.read().fields().get('M'));
        }
    }

    @Test
    void clientHangingUpAtThePasswordPromptIsSilent() throws Exception {
        int before = server.logs.records.size();
        try (RawClient c = new RawClient(server.port)) {
            c.send(RawClient.startup(3 << 16, "user", "pwuser", "database", "postgres"));
            RawClient.Msg r = c.read();
            assertEquals(3, r.int32(0)); // AuthenticationCleartextPassword
        }
        Thread.sleep(200);
        assertTrue(server.logs.records.subList(before, server.logs.records.size()).stream()
                .noneMatch(l -> l.severity() == Severity.FATAL && "pwuser".equals(l.context().user())));
    }

    @Test
    void noMatchingLine() throws Exception {
        try (TestServer other = new TestServer(dir.resolve("nomatch"), "host postgres postgres 127.0.0.1/32 trust\n")) {
            PSQLException e = assertThrows(PSQLException.class, () -> DriverManager.getConnection(other.url(),
                    TestServer.props("trustme", null)).close());
            assertEquals("28000", e.getSQLState());
            assertEquals("no pg_hba.conf entry for host \"127.0.0.1\", user \"trustme\", database \"postgres\", no"
                    + " encryption", e.getServerErrorMessage().getMessage());
        }
    }

    @Test
    void reloadRereadsTheFileAndKeepsTheOldOneOnErrors() throws Exception {
        Path d = dir.resolve("reload");
        try (TestServer other = new TestServer(d, "host all all 127.0.0.1/32 trust\n")) {
            DriverManager.getConnection(other.url(), TestServer.props("postgres", null)).close();
            Files.writeString(d.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 reject\n");
            other.component.settingsChanged(Set.of());
            PSQLException e = assertThrows(PSQLException.class, () -> DriverManager.getConnection(other.url(),
                    TestServer.props("postgres", null)).close());
            assertEquals("28000", e.getSQLState());
            Files.writeString(d.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 trust\nhots all all\n");
            other.component.settingsChanged(Set.of("work_mem"));
            other.logs.await("pg_hba.conf was not reloaded");
            LogRecord bad = other.logs.await("invalid connection type \"hots\"");
            assertEquals("line 2 of configuration file \"" + d.resolve("pg_hba.conf") + "\"", bad.detail());
            assertThrows(PSQLException.class, () -> DriverManager.getConnection(other.url(),
                    TestServer.props("postgres", null)).close());
        }
    }

    @Test
    void bootstrapRolesAuthenticateUntilTheEngineComes() throws Exception {
        Path d = dir.resolve("bootstrap");
        try (TestServer other = new TestServer(d, "host all all 127.0.0.1/32 scram-sha-256\n")) {
            other.component.unbindSqlEngine(other.engine);
            Files.writeString(d.resolve("global/pg_authid.bootstrap"), """
                    # Bootstrap superuser made by the first start (what initdb -U puts in pg_authid).
                    # rolname<TAB>rolsuper<TAB>rolpassword
                    boss\ttrue\t%s
                    """.formatted(Verifiers.scram("boss pw")));
            PSQLException e = assertThrows(PSQLException.class, () -> DriverManager.getConnection(other.url(),
                    TestServer.props("boss", "boss pw")).close());
            assertEquals("57P03", e.getSQLState(), "authenticated, then no engine");
            assertEquals("the database system is not accepting connections", e.getServerErrorMessage().getMessage());
            e = assertThrows(PSQLException.class, () -> DriverManager.getConnection(other.url(),
                    TestServer.props("boss", "wrong")).close());
            assertEquals("28P01", e.getSQLState());
            other.component.bindSqlEngine(other.engine);
            other.engine.roles.put("boss", new Role("boss", true, true, Verifiers.scram("engine pw")));
            try (Connection c = DriverManager.getConnection(other.url(), TestServer.props("boss", "engine pw"))) {
                assertTrue(c.isValid(5));
            }
        }
    }

    @Test
    void authenticationTimeout() throws Exception {
        Path d = dir.resolve("timeout");
        try (TestServer other = new TestServer(d, "host all all 127.0.0.1/32 password\n",
                Map.of("authentication_timeout", "1"), false)) {
            try (RawClient c = new RawClient(other.port)) {
                long t0 = System.nanoTime();
                assertTrue(c.closedByServer()); // no startup packet: closed silently
                assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
            }
            try (RawClient c = new RawClient(other.port)) {
                c.send(RawClient.startup(3 << 16, "user", "postgres"));
                assertEquals('R', c.read().type());
                assertTrue(c.closedByServer()); // asked for a password, none came
            }
            LogRecord r = other.logs.await("canceling authentication due to timeout");
            assertEquals(Severity.FATAL, r.severity());
            assertEquals("57014", r.sqlState());
        }
    }
}
