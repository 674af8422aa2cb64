package modgres.launcher;

import static modgres.launcher.ServerRunner.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SQL cursors and SQL-level prepared statements end to end against the
 * launched server: DECLARE / FETCH / MOVE / CLOSE through psql (simple
 * protocol) and pgjdbc (extended protocol), a WITH HOLD cursor across its
 * commit, PREPARE / EXECUTE sharing pg_prepared_statements with pgjdbc's
 * own server-side statements. Expected outputs are PostgreSQL 15's.
 */
class CursorsIT {
    private static Path dir;
    private static ServerRunner server;

    @BeforeAll
    static void start() throws Exception {
        dir = ServerRunner.tempDir("modgres-cursors", false);
        server = ServerRunner.start(dir.resolve("data"), false);
        server.awaitReady();
        try (Connection c = connect(new Properties()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE big (id int PRIMARY KEY, v text)");
            st.execute("INSERT INTO big SELECT g, 'v' || g FROM generate_series(1, 5000) g");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        ServerRunner.deleteTree(dir);
    }

    private static Connection connect(Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.putAll(extra);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port + "/postgres", p);
    }

    private static String psql(String script) throws Exception {
        ServerRunner.Result r = ServerRunner.run("bash", "-c", "psql -X -A -t -v VERBOSITY=terse -h 127.0.0.1 -p "
                + server.port + " -U postgres -d postgres 2>&1 <<'EOF'\n" + script + "\nEOF");
        return r.output();
    }

    @Test
    void declareFetchMoveCloseThroughPsql() throws Exception {
        String out = psql("""
                BEGIN;
                DECLARE c SCROLL CURSOR FOR SELECT id FROM big ORDER BY id DESC;
                FETCH 3 FROM c;
                FETCH PRIOR FROM c;
                MOVE FORWARD 10 IN c;
                FETCH RELATIVE 0 FROM c;
                FETCH ABSOLUTE -1 FROM c;
                SELECT name, is_scrollable FROM pg_cursors;
                CLOSE c;
                FETCH c;
                ROLLBACK;
                DECLARE d CURSOR FOR SELECT 1;
                """);
        assertEquals("""
                BEGIN
                DECLARE CURSOR
                5000
                4999
                4998
                4999
                MOVE 10
                4989
                1
                c|t
                CLOSE CURSOR
                ERROR:  cursor "c" does not exist
                ROLLBACK
                ERROR:  DECLARE CURSOR can only be used in transaction blocks
                """, out);
    }

    @Test
    void fetchThroughTheExtendedProtocolAndHoldAcrossCommit() throws Exception {
        try (Connection c = connect(new Properties()); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("DECLARE k NO SCROLL CURSOR FOR SELECT id, v FROM big WHERE id > 4990 ORDER BY id");
            assertEquals(List.of("4991|v4991", "4992|v4992"), rows(st, "FETCH 2 FROM k"));
            assertEquals(List.of("4993|v4993"), rows(st, "FETCH NEXT FROM k"));
            SQLException back = assertThrows(SQLException.class, () -> rows(st, "FETCH PRIOR FROM k"));
            assertEquals("55000", back.getSQLState());
            assertTrue(back.getMessage().contains("cursor can only scan forward"), back.getMessage());
            c.rollback();
        }
        // server-prepared FETCHes (pgjdbc then asks for binary results of int4 and int8: Bind's formats win)
        Properties prepared = new Properties();
        prepared.setProperty("prepareThreshold", "1");
        try (Connection c = connect(prepared)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("DECLARE b BINARY CURSOR FOR SELECT id, id::int8 * 2, v FROM big WHERE id > 4995 ORDER BY id");
            }
            List<String> got = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("FETCH NEXT FROM b")) {
                for (int i = 0; i < 5; i++) {
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            got.add(rs.getInt(1) + "|" + rs.getLong(2) + "|" + rs.getString(3));
                        }
                    }
                }
            }
            assertEquals(List.of("4996|9992|v4996", "4997|9994|v4997", "4998|9996|v4998", "4999|9998|v4999",
                    "5000|10000|v5000"), got);
            c.rollback();
        }
        try (Connection c = connect(new Properties()); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("CREATE TABLE held AS SELECT g AS id FROM generate_series(1, 4) g");
            st.execute("DECLARE h CURSOR WITH HOLD FOR SELECT id FROM held ORDER BY id");
            assertEquals(List.of("1"), rows(st, "FETCH h"));
            c.commit();
            st.execute("DELETE FROM held"); // the held cursor's rows were kept at the commit
            c.commit();
            assertEquals(List.of("2", "3", "4"), rows(st, "FETCH ALL FROM h"));
            assertEquals(List.of("h|t"), rows(st, "SELECT name, is_holdable FROM pg_cursors"));
            c.rollback(); // the held cursor outlives a rollback
            assertEquals(List.of(), rows(st, "FETCH NEXT FROM h"));
            st.execute("CLOSE h");
            st.execute("DROP TABLE held");
            c.commit();
        }
    }

    @Test
    void preparedStatementsShareOneNamespaceWithPgjdbc() throws Exception {
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "1");
        try (Connection c = connect(p); Statement st = c.createStatement()) {
            st.execute("PREPARE byid(int) AS SELECT v FROM big WHERE id = $1");
            assertEquals(List.of("v42"), rows(st, "EXECUTE byid(42)"));
            SQLException wrong = assertThrows(SQLException.class, () -> rows(st, "EXECUTE byid(1, 2)"));
            assertEquals("42601", wrong.getSQLState());
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM big WHERE id < ?")) {
                ps.setInt(1, 11);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(10, rs.getInt(1));
                }
                List<String> prepared = rows(st, "SELECT name, from_sql FROM pg_prepared_statements ORDER BY from_sql,"
                        + " name");
                assertTrue(prepared.contains("byid|t"), prepared.toString());
                assertTrue(prepared.stream().anyMatch(r -> r.endsWith("|f")), prepared.toString());
            }
            st.execute("DEALLOCATE byid");
            SQLException gone = assertThrows(SQLException.class, () -> rows(st, "EXECUTE byid(42)"));
            assertEquals("26000", gone.getSQLState());
        }
    }
}
