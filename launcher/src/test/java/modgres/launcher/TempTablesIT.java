package modgres.launcher;

import static modgres.launcher.ServerRunner.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * Temporary tables end to end, with pgjdbc against the real server:
 * invisibility to other sessions, ON COMMIT variants, the temp_buffers rule,
 * a table far bigger than temp_buffers, no WAL for temporary writes, files
 * removed when the client disconnects, and the clean-up after kill -9.
 * Expected messages are PostgreSQL 15's.
 */
class TempTablesIT {

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static long lsn(Statement st) throws SQLException {
        String[] p = one(st, "SELECT pg_current_wal_lsn()").split("/");
        return Long.parseLong(p[0], 16) << 32 | Long.parseLong(p[1], 16);
    }

    /** The temporary relation files (t<backend>_<relfilenode>...) of backend {@code backend} under base/. */
    private static List<String> tempFiles(Path data, String backend) throws IOException {
        for (;;) {
            try (Stream<Path> s = Files.walk(data.resolve("base"))) {
                return s.map(p -> p.getFileName().toString())
                        .filter(n -> backend == null ? n.matches("t[0-9]+_[0-9]+.*")
                                : n.startsWith("t" + backend + "_"))
                        .sorted().toList();
            } catch (java.io.UncheckedIOException e) {
                if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                    throw e;
                }
                // the server removed a file while the walk looked at it (what the caller waits for): again
            }
        }
    }

    private static void awaitNoTempFiles(Path data, String backend) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!tempFiles(data, backend).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), tempFiles(data, backend), "files of backend " + backend);
    }

    private static String tempSchemaOf(Statement st, String table) throws SQLException {
        return one(st, "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relname = '" + table + "' AND c.relpersistence = 't'");
    }

    @Test
    void temporaryTablesAsPostgres() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-temp", false);
        Path data = dir.resolve("data");
        int port = ServerRunner.freePort();
        try {
            try (ServerRunner s = ServerRunner.start(data, port, false, true)) {
                s.awaitReady();
                try (Connection a = connect(port); Statement sa = a.createStatement();
                        Connection b = connect(port); Statement sb = b.createStatement()) {
                    // 1. visible to its session only
                    sa.execute("CREATE TEMP TABLE t (id int PRIMARY KEY, v text)");
                    sa.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
                    String schema = tempSchemaOf(sa, "t");
                    assertTrue(schema.matches("pg_temp_[0-9]+"), schema);
                    assertEquals("t", one(sa, "SELECT relpersistence FROM pg_class WHERE relname = 't_pkey'"));
                    SQLException e = assertThrows(SQLException.class, () -> sb.executeQuery("SELECT * FROM t"));
                    assertEquals("42P01", e.getSQLState());
                    assertEquals("relation \"t\" does not exist",
                            ((PSQLException) e).getServerErrorMessage().getMessage());
                    e = assertThrows(SQLException.class, () -> sb.executeQuery("SELECT * FROM " + schema + ".t"));
                    assertEquals("0A000", e.getSQLState());
                    assertEquals("cannot access temporary tables of other sessions",
                            ((PSQLException) e).getServerErrorMessage().getMessage());
                    sb.execute("CREATE TEMP TABLE t (other text)"); // its own t, another table
                    sb.execute("INSERT INTO t VALUES ('b''s')");
                    assertEquals("2", one(sa, "SELECT count(*) FROM t"));
                    assertEquals("b's", one(sb, "SELECT other FROM t"));

                    // 2. ON COMMIT
                    sa.execute("CREATE TEMP TABLE keep (x int) ON COMMIT PRESERVE ROWS");
                    sa.execute("CREATE TEMP TABLE del (x int) ON COMMIT DELETE ROWS");
                    a.setAutoCommit(false);
                    sa.execute("INSERT INTO keep VALUES (1)");
                    sa.execute("INSERT INTO del VALUES (1), (2)");
                    sa.execute("CREATE TEMP TABLE dropme (x int) ON COMMIT DROP");
                    sa.execute("INSERT INTO dropme VALUES (3)");
                    assertEquals("2", one(sa, "SELECT count(*) FROM del"));
                    assertEquals("3", one(sa, "SELECT x FROM dropme"));
                    a.commit();
                    a.setAutoCommit(true);
                    assertEquals("1", one(sa, "SELECT count(*) FROM keep"));
                    assertEquals("0", one(sa, "SELECT count(*) FROM del"));
                    e = assertThrows(SQLException.class, () -> sa.executeQuery("SELECT * FROM dropme"));
                    assertEquals("42P01", e.getSQLState());
                    sa.execute("CREATE TEMP TABLE ctas ON COMMIT DELETE ROWS AS SELECT 1 AS x");
                    assertEquals("0", one(sa, "SELECT count(*) FROM ctas"));
                    assertEquals(3, sa.executeUpdate(
                            "CREATE TEMP TABLE ctas2 AS SELECT g FROM generate_series(1, 3) g"));
                    assertEquals("6", one(sa, "SELECT sum(g) FROM ctas2"));

                    // 3. temp_buffers is fixed once temporary tables were used
                    assertEquals("8MB", one(sa, "SHOW temp_buffers"));
                    sa.execute("SET temp_buffers = '8MB'"); // the same value: fine
                    PSQLException pe = assertThrows(PSQLException.class, () -> sa.execute("SET temp_buffers = 100"));
                    assertEquals("22023", pe.getSQLState());
                    assertEquals("invalid value for parameter \"temp_buffers\": 100",
                            pe.getServerErrorMessage().getMessage());
                    assertEquals("\"temp_buffers\" cannot be changed after any temporary tables have been accessed"
                            + " in the session.", pe.getServerErrorMessage().getDetail());
                }

                // 4. a table bigger than temp_buffers, without WAL; its files go when the client disconnects
                String backend;
                try (Connection c = connect(port); Statement st = c.createStatement()) {
                    st.execute("SET temp_buffers = '800kB'"); // 100 pages, before any temporary table is used
                    assertEquals("800kB", one(st, "SHOW temp_buffers"));
                    st.execute("CREATE TEMP TABLE big (id int, pad text)");
                    backend = tempSchemaOf(st, "big").substring("pg_temp_".length());
                    st.execute("INSERT INTO big VALUES (0, '')");
                    long before = lsn(st);
                    st.execute("INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
                    long after = lsn(st);
                    assertTrue(after - before < 8192, "temporary writes logged " + (after - before) + " bytes of WAL");
                    assertEquals("20001|200010000", one(st, "SELECT count(*) || '|' || sum(id) FROM big"));
                    st.execute("CREATE INDEX big_id ON big (id)");
                    assertEquals("12345", one(st, "SELECT id FROM big WHERE id = 12345"));
                    st.execute("VACUUM ANALYZE big");
                    st.execute("DELETE FROM big WHERE id > 10000");
                    assertEquals("10001|50005000", one(st, "SELECT count(*) || '|' || sum(id) FROM big"));
                    String node = one(st, "SELECT relfilenode FROM pg_class WHERE relname = 'big'");
                    String db = one(st, "SELECT oid FROM pg_database WHERE datname = 'postgres'");
                    Path file = data.resolve("base").resolve(db).resolve("t" + backend + "_" + node);
                    assertTrue(Files.size(file) > 100L * 8192, "spilled past temp_buffers: " + Files.size(file));
                    assertFalse(Files.exists(data.resolve("base").resolve(db).resolve(node)));
                    // the same insert into a permanent table is logged
                    st.execute("CREATE TABLE perm (id int, pad text)");
                    long p0 = lsn(st);
                    st.execute("INSERT INTO perm SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g");
                    assertTrue(lsn(st) - p0 > 4_000_000, "permanent writes are logged");
                }
                awaitNoTempFiles(data, backend);
                try (Connection c = connect(port); Statement st = c.createStatement()) {
                    assertEquals("0", one(st, "SELECT count(*) FROM pg_namespace WHERE nspname = 'pg_temp_" + backend
                            + "'"));
                    assertEquals("0", one(st, "SELECT count(*) FROM pg_class WHERE relname = 'big'"));
                }
            }

            // 5. after kill -9: files and catalog rows of temporary tables are gone at the next start
            String crashed;
            try (ServerRunner s = ServerRunner.start(data, port, false, true)) {
                s.awaitReady();
                Connection c = connect(port);
                Statement st = c.createStatement();
                st.execute("SET temp_buffers = '800kB'");
                st.execute("CREATE TEMP TABLE doomed (id int PRIMARY KEY, pad text)");
                st.execute("INSERT INTO doomed SELECT g, repeat('z', 300) FROM generate_series(1, 5000) g");
                crashed = tempSchemaOf(st, "doomed").substring("pg_temp_".length());
                assertFalse(tempFiles(data, crashed).isEmpty());
                ServerRunner.run("kill", "-9", Long.toString(s.postmasterPid()));
                s.awaitExit(Duration.ofSeconds(30));
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the server is gone
                }
            }
            assertFalse(tempFiles(data, crashed).isEmpty(), "the crash left the files");
            try (ServerRunner s = ServerRunner.start(data, port, false, true)) {
                s.awaitReady();
                assertEquals(List.of(), tempFiles(data, null));
                try (Connection c = connect(port); Statement st = c.createStatement()) {
                    assertEquals("0", one(st, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'pg_temp%'"));
                    assertEquals("0", one(st, "SELECT count(*) FROM pg_class WHERE relpersistence = 't'"));
                }
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }
}
