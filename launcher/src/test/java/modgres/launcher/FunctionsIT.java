package modgres.launcher;

import static modgres.launcher.ServerRunner.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * User-defined functions end to end through pgjdbc against the launched server: a PL/pgSQL function with an
 * exception block, a trigger, RAISE NOTICE arriving as a warning on the statement, DO, and the functions and
 * triggers still there (and working) after a restart of the server.
 */
class FunctionsIT {

    @Test
    void functionsAndTriggersSurviveARestart() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-functions", false);
        try {
            int port = ServerRunner.freePort();
            try (ServerRunner s = ServerRunner.start(dir.resolve("data"), port, false, true)) {
                s.awaitReady();
                try (Connection c = ServerRunner.connect(port); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance numeric NOT NULL)");
                    st.execute("CREATE TABLE audit (id int, old numeric, new numeric)");
                    st.execute("CREATE FUNCTION safe_div(a numeric, b numeric) RETURNS numeric LANGUAGE plpgsql AS $$\n"
                            + "BEGIN\n"
                            + "  RETURN a / b;\n"
                            + "EXCEPTION WHEN division_by_zero THEN\n"
                            + "  RAISE NOTICE 'divided % by zero', a;\n"
                            + "  RETURN NULL;\n"
                            + "END $$");
                    st.execute("CREATE FUNCTION audit_balance() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                            + "BEGIN\n"
                            + "  INSERT INTO audit VALUES (NEW.id, OLD.balance, NEW.balance);\n"
                            + "  RETURN NEW;\n"
                            + "END $$");
                    st.execute("CREATE TRIGGER accounts_audit AFTER UPDATE ON accounts FOR EACH ROW"
                            + " EXECUTE FUNCTION audit_balance()");
                    st.execute("CREATE FUNCTION total() RETURNS numeric LANGUAGE sql STABLE AS"
                            + " 'SELECT sum(balance) FROM accounts'");
                    st.execute("INSERT INTO accounts VALUES (1, 100), (2, 50)");
                    assertEquals(List.of("50.0000000000000000"), rows(st, "SELECT safe_div(100, 2)"));
                    try (ResultSet rs = st.executeQuery("SELECT safe_div(7, 0)")) {
                        rs.next();
                        assertEquals(null, rs.getString(1));
                        SQLWarning w = st.getWarnings();
                        assertTrue(w != null && w.getMessage().contains("divided 7 by zero"), String.valueOf(w));
                    }
                    st.execute("DO $$ BEGIN UPDATE accounts SET balance = balance - 10 WHERE id = 1; END $$");
                    SQLException e = assertThrows(SQLException.class, () -> st.execute("SELECT nosuch_fn(1)"));
                    assertEquals("42883", e.getSQLState());
                }
            }
            try (ServerRunner s = ServerRunner.start(dir.resolve("data"), port, false, true)) {
                s.awaitReady();
                try (Connection c = ServerRunner.connect(port); Statement st = c.createStatement()) {
                    assertEquals(List.of("140"), rows(st, "SELECT total()"));
                    assertEquals(List.of("1|100|90"), rows(st, "SELECT * FROM audit"));
                    st.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 2");
                    assertEquals(List.of("1|100|90", "2|50|51"), rows(st, "SELECT * FROM audit ORDER BY id"));
                    assertEquals(List.of("3.0000000000000000"), rows(st, "SELECT safe_div(6, 2)"));
                    // psql's \df lists the user-defined functions (pg_proc, pg_get_function_arguments)
                    ServerRunner.Result df = ServerRunner.run("psql", "-X", "-At", "-h", "127.0.0.1", "-p",
                            Integer.toString(port), "-U", "postgres", "-c", "\\df", "postgres");
                    assertEquals(0, df.status(), df.output());
                    assertEquals("public|audit_balance|trigger||func\n"
                            + "public|safe_div|numeric|a numeric, b numeric|func\n"
                            + "public|total|numeric||func\n", df.output());
                    st.execute("DROP TRIGGER accounts_audit ON accounts");
                    st.execute("DROP FUNCTION audit_balance()");
                    st.execute("UPDATE accounts SET balance = 0");
                    assertEquals(List.of("2"), rows(st, "SELECT count(*) FROM audit"));
                }
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }
}
