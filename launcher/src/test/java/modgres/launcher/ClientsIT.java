package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Real clients against the launched server: Debian's psql (TCP and Unix socket) and pgjdbc. */
class ClientsIT {
    static final Path PSQL = Path.of("/usr/bin/psql");
    private static Path tmp;
    private static ServerRunner server;

    @BeforeAll
    static void start() throws Exception {
        tmp = ServerRunner.tempDir("modgres-clients-", false);
        server = ServerRunner.start(tmp.resolve("data"), false);
        server.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        ServerRunner.deleteTree(tmp);
    }

    private ServerRunner.Result psql(String host, String... sql) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PSQL), "psql is not installed");
        String[] cmd = new String[8 + 2 * sql.length];
        int i = 0;
        cmd[i++] = PSQL.toString();
        cmd[i++] = "-X";
        cmd[i++] = "-At";
        cmd[i++] = "-h";
        cmd[i++] = host;
        cmd[i++] = "-p";
        cmd[i++] = Integer.toString(server.port);
        cmd[i++] = "-Upostgres";
        for (String s : sql) {
            cmd[i++] = "-c";
            cmd[i++] = s;
        }
        return ServerRunner.run(cmd);
    }

    @Test
    void psqlRunsExpressionsOverTcpAndTheUnixSocket() throws Exception {
        ServerRunner.Result r = psql("127.0.0.1", "SELECT 1 + 1 AS two, 'x' || 'y', 2 > 1");
        assertEquals(0, r.status(), r.output());
        assertEquals("2|xy|t", r.output().trim());
        r = psql("/tmp", "SELECT current_user, current_database()");
        assertEquals(0, r.status(), r.output());
        assertEquals("postgres|postgres", r.output().trim());
    }

    @Test
    void psqlSeesPostgresErrorsAndSettings() throws Exception {
        ServerRunner.Result r = psql("127.0.0.1", "SELECT 1/0");
        assertEquals(1, r.status(), r.output());
        assertTrue(r.output().contains("ERROR:  division by zero"), r.output());
        r = psql("127.0.0.1", "SELECT 1 +");
        assertTrue(r.output().contains("ERROR:  syntax error at end of input"), r.output());
        r = psql("127.0.0.1", "SHOW shared_buffers", "SET work_mem = '8MB'", "SHOW work_mem");
        assertEquals(0, r.status(), r.output());
        assertEquals("128MB\nSET\n8MB", r.output().trim());
    }

    @Test
    void pgReloadConfReloadsTheServer() throws Exception {
        ServerRunner.Result r = psql("127.0.0.1", "SELECT pg_reload_conf()");
        assertEquals(0, r.status(), r.output());
        assertEquals("t", r.output().trim());
        server.awaitOutput("LOG:  received SIGHUP, reloading configuration files", java.time.Duration.ofSeconds(30));
    }

    @Test
    void psqlRunsAScriptFile() throws Exception {
        Path script = tmp.resolve("script.sql");
        Files.writeString(script, """
                \\set n 20
                SELECT :n + 1 AS answer;
                BEGIN;
                SET LOCAL work_mem = '16MB';
                SHOW work_mem;
                COMMIT;
                SHOW work_mem;
                SELECT 'done' AS status, 1 = 1 AS ok;
                """);
        Assumptions.assumeTrue(Files.isExecutable(PSQL), "psql is not installed");
        ServerRunner.Result r = ServerRunner.run(PSQL.toString(), "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h",
                "127.0.0.1", "-p", Integer.toString(server.port), "-U", "postgres", "-f", script.toString());
        assertEquals(0, r.status(), r.output());
        assertEquals("21\nBEGIN\nSET\n16MB\nCOMMIT\n4MB\ndone|t", r.output().trim());
    }

    @Test
    void pgjdbcRunsSimpleAndPreparedStatements() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        String url = "jdbc:postgresql://127.0.0.1:" + server.port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, p)) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
                rs.next();
                assertEquals(42, rs.getInt(1));
            }
            for (int n = 0; n < 7; n++) { // past pgjdbc's prepareThreshold: named statements, binary transfer
                try (PreparedStatement ps = c.prepareStatement("SELECT ?::int * 2")) {
                    ps.setInt(1, n);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertEquals(2 * n, rs.getInt(1));
                    }
                }
            }
            SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                    (Executable) () -> c.createStatement().executeQuery("SELECT 'abc'::int"));
            assertEquals("22P02", e.getSQLState());
        }
    }
}
