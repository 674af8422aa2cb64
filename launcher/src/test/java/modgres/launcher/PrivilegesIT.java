package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * GRANT and REVOKE on tables and the checks they drive, with pgjdbc sessions
 * of three roles against the real server. Every expected text and ACL is
 * what PostgreSQL 15 gives for the same statements.
 */
class PrivilegesIT {

    private static Connection as(int port, String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    private static void denied(Statement st, String sql, String what) {
        SQLException e = assertThrows(SQLException.class, () -> st.execute(sql), sql);
        assertEquals("42501", e.getSQLState(), sql);
        assertEquals("ERROR: permission denied for " + what, e.getMessage().lines().findFirst().orElse(""));
    }

    private static String string(Statement st, String sql) throws SQLException {
        try (var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void tablePrivilegesAsPostgres() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-privileges", false);
        int port = ServerRunner.freePort();
        try (ServerRunner s = ServerRunner.start(dir.resolve("data"), port, false, true)) {
            s.awaitReady();
            try (Connection pg = as(port, "postgres"); Statement su = pg.createStatement()) {
                for (String sql : List.of("CREATE ROLE alice LOGIN", "CREATE ROLE bob LOGIN",
                        "CREATE TABLE t (a int PRIMARY KEY, b text)", "INSERT INTO t VALUES (1, 'x')",
                        "CREATE TABLE u (a int)", "GRANT SELECT, INSERT ON t TO alice",
                        "GRANT UPDATE ON TABLE t TO PUBLIC")) {
                    su.execute(sql);
                }
                assertEquals("{postgres=arwdDxt/postgres,alice=ar/postgres,=w/postgres}",
                        string(su, "SELECT relacl FROM pg_class WHERE relname = 't'"));
                try (Connection a = as(port, "alice"); Statement sa = a.createStatement();
                        Connection b = as(port, "bob"); Statement sb = b.createStatement()) {
                    assertEquals("x", string(sa, "SELECT b FROM t"));
                    sa.execute("INSERT INTO t VALUES (2, 'y')");
                    denied(sa, "DELETE FROM t", "table t");
                    assertEquals(2, sa.executeUpdate("UPDATE t SET b = 'z'"), "UPDATE through PUBLIC, no WHERE");
                    denied(sa, "TRUNCATE t", "table t");
                    denied(sa, "SELECT * FROM u", "table u");
                    // alice holds SELECT without grant option: a warning, and nothing granted
                    sa.execute("GRANT SELECT ON t TO bob");
                    SQLWarning w = sa.getWarnings();
                    assertEquals("no privileges were granted for \"t\"", w.getMessage());
                    assertEquals("01007", w.getSQLState());
                    denied(sb, "SELECT * FROM t", "table t");
                    denied(sb, "UPDATE t SET b = 'q' WHERE a = 1", "table t"); // WHERE reads: SELECT needed
                    denied(sb, "GRANT SELECT ON u TO bob", "table u"); // no privilege at all on u
                    assertEquals(2, sb.executeUpdate("UPDATE t SET b = 'q'"));

                    // with grant option alice can pass SELECT on; REVOKE takes it back
                    su.execute("GRANT SELECT ON t TO alice WITH GRANT OPTION");
                    sa.execute("GRANT SELECT ON t TO bob");
                    assertEquals("{postgres=arwdDxt/postgres,alice=ar*/postgres,=w/postgres,bob=r/alice}",
                            string(su, "SELECT relacl FROM pg_class WHERE relname = 't'"));
                    assertEquals("q", string(sb, "SELECT b FROM t WHERE a = 1"));
                    sa.execute("REVOKE SELECT ON t FROM bob");
                    denied(sb, "SELECT * FROM t", "table t");
                    su.execute("REVOKE ALL ON t FROM PUBLIC");
                    su.execute("REVOKE INSERT ON t FROM alice");
                    denied(sa, "INSERT INTO t VALUES (3, 'w')", "table t");
                    denied(sb, "UPDATE t SET b = 'r'", "table t");
                    assertEquals("{postgres=arwdDxt/postgres,alice=r*/postgres}",
                            string(su, "SELECT relacl FROM pg_class WHERE relname = 't'"));
                    // ALL TABLES IN SCHEMA, and a rolled-back GRANT leaves nothing behind
                    su.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO bob");
                    sb.execute("DELETE FROM u");
                    sb.execute("TRUNCATE t");
                    su.execute("BEGIN");
                    su.execute("GRANT SELECT ON u TO alice");
                    su.execute("ROLLBACK");
                    denied(sa, "SELECT * FROM u", "table u");
                    SQLException e = assertThrows(SQLException.class, () -> su.execute("GRANT SELECT ON t TO nobody"));
                    assertEquals("42704", e.getSQLState());
                }
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }
    @Test
    void schemaPrivilegesAsPostgres() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-schema-privileges", false);
        int port = ServerRunner.freePort();
        try (ServerRunner s = ServerRunner.start(dir.resolve("data"), port, false, true)) {
            s.awaitReady();
            try (Connection pg = as(port, "postgres"); Statement su = pg.createStatement()) {
                for (String sql : List.of("CREATE ROLE alice LOGIN", "CREATE SCHEMA s", "CREATE TABLE s.t (a int)",
                        "GRANT SELECT ON s.t TO alice")) {
                    su.execute(sql);
                }
                try (Connection a = as(port, "alice"); Statement sa = a.createStatement()) {
                    denied(sa, "SELECT * FROM s.t", "schema s");
                    // PostgreSQL 15: PUBLIC may use the public schema but not create in it
                    denied(sa, "CREATE TABLE public.x (a int)", "schema public");
                    denied(sa, "CREATE TABLE x (a int)", "schema public");
                    su.execute("GRANT USAGE ON SCHEMA s TO alice");
                    su.execute("GRANT CREATE ON SCHEMA public TO alice");
                    SQLException e = assertThrows(SQLException.class,
                            () -> su.execute("GRANT SELECT ON SCHEMA s TO alice"));
                    assertEquals("0LP01", e.getSQLState());
                    assertEquals("ERROR: invalid privilege type SELECT for schema", e.getMessage());
                    e = assertThrows(SQLException.class, () -> su.execute("GRANT USAGE ON SCHEMA nosuch TO alice"));
                    assertEquals("3F000", e.getSQLState());
                    assertEquals("{pg_database_owner=UC/pg_database_owner,=U/pg_database_owner,"
                            + "alice=C/pg_database_owner}",
                            string(su, "SELECT nspacl FROM pg_namespace WHERE nspname = 'public'"));
                    assertEquals("{postgres=UC/postgres,alice=U/postgres}",
                            string(su, "SELECT nspacl FROM pg_namespace WHERE nspname = 's'"));
                    sa.execute("SELECT * FROM s.t");
                    sa.execute("CREATE TABLE x (a int)");
                    denied(sa, "CREATE TABLE s.y (a int)", "schema s");
                    su.execute("REVOKE ALL ON SCHEMA public FROM alice");
                    su.execute("REVOKE USAGE ON SCHEMA s FROM alice");
                    assertEquals("{pg_database_owner=UC/pg_database_owner,=U/pg_database_owner}",
                            string(su, "SELECT nspacl FROM pg_namespace WHERE nspname = 'public'"));
                    denied(sa, "SELECT * FROM s.t", "schema s");
                    denied(sa, "CREATE TABLE x2 (a int)", "schema public");
                    sa.execute("SELECT * FROM x"); // her own table: usable through PUBLIC's USAGE
                }
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }

    @Test
    void setRoleAndRowLevelSecurityAsPostgres() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-rls", false);
        int port = ServerRunner.freePort();
        try (ServerRunner s = ServerRunner.start(dir.resolve("data"), port, false, true)) {
            s.awaitReady();
            try (Connection pg = as(port, "postgres"); Statement su = pg.createStatement()) {
                for (String sql : List.of("CREATE ROLE alice LOGIN", "CREATE ROLE bob",
                        "CREATE TABLE docs (id int, owner name, secret text)",
                        "INSERT INTO docs VALUES (1, 'alice', 'a'), (2, 'bob', 'b')",
                        "GRANT SELECT (id, owner), INSERT ON docs TO alice",
                        "ALTER TABLE docs ENABLE ROW LEVEL SECURITY",
                        "CREATE POLICY own ON docs USING (owner = current_user) WITH CHECK (owner = current_user)")) {
                    su.execute(sql);
                }
                su.execute("SET ROLE alice");
                assertEquals("alice postgres", string(su, "SELECT current_user || ' ' || session_user"));
                assertEquals("1", string(su, "SELECT string_agg(id::text, ',') FROM docs"));
                denied(su, "SELECT secret FROM docs", "table docs");
                su.execute("RESET ROLE");
                assertEquals("2", string(su, "SELECT count(*) FROM docs")); // a superuser bypasses the policy
                try (Connection a = as(port, "alice"); Statement sa = a.createStatement()) {
                    SQLException e = assertThrows(SQLException.class, () -> sa.execute("SET ROLE bob"));
                    assertEquals("42501", e.getSQLState());
                    assertEquals("ERROR: permission denied to set role \"bob\"", e.getMessage());
                    e = assertThrows(SQLException.class, () -> sa.execute("INSERT INTO docs VALUES (3, 'bob', 'x')"));
                    assertEquals("42501", e.getSQLState());
                    assertEquals("ERROR: new row violates row-level security policy for table \"docs\"",
                            e.getMessage());
                    sa.execute("INSERT INTO docs VALUES (3, 'alice', 'x')");
                    assertEquals("1,3", string(sa, "SELECT string_agg(id::text, ',' ORDER BY id) FROM docs"));
                }
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }
}
