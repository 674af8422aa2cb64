package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * The cumulative statistics and autovacuum, end to end through pgjdbc:
 * PostgreSQL 15's counting rules for pg_stat_user_tables (committed and
 * aborted inserts, updates, deletes, vacuum, analyze, truncate),
 * pg_stat_database, the shared views, the reset functions, the statistics
 * surviving a clean restart and reset by a crash, and autovacuum cleaning a
 * hot table on its own while honouring autovacuum_enabled = false.
 */
class StatsIT {

    private static Connection connect(int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    /** The row of pg_stat_user_tables for a table, as column → value, after flushing this session's counts. */
    private static Map<String, Object> tableStats(Statement st, String table) throws SQLException {
        st.execute("SELECT pg_stat_force_next_flush()");
        Map<String, Object> m = new HashMap<>();
        try (ResultSet rs = st.executeQuery("SELECT * FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
            assertTrue(rs.next(), "no pg_stat_user_tables row for " + table);
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                m.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
            }
        }
        return m;
    }

    private static long num(Map<String, Object> row, String column) {
        Object v = row.get(column);
        assertNotNull(v, column + " is null in " + row);
        return ((Number) v).longValue();
    }

    private static long scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    @Test
    void tableAndDatabaseCountersFollowPostgresRules() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-stats", false);
        Path data = dir.resolve("data");
        int port = ServerRunner.freePort();
        try {
            try (ServerRunner s = ServerRunner.start(data, port, false, true, "-c", "autovacuum=off")) {
                s.awaitReady();
                try (Connection c = connect(port); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE t (id integer PRIMARY KEY, v integer)");
                    st.execute("INSERT INTO t SELECT g, 0 FROM generate_series(1, 100) g");
                    st.execute("UPDATE t SET v = 1 WHERE id <= 10");
                    st.execute("DELETE FROM t WHERE id > 90");
                    c.setAutoCommit(false);
                    st.execute("INSERT INTO t VALUES (1000, 0)");
                    c.rollback();
                    st.execute("INSERT INTO t VALUES (1001, 0)");
                    st.execute("SAVEPOINT a");
                    st.execute("UPDATE t SET v = 2 WHERE id = 1001");
                    st.execute("ROLLBACK TO SAVEPOINT a");
                    c.commit();
                    c.setAutoCommit(true);
                    st.execute("SELECT count(*) FROM t");
                    st.execute("SELECT v FROM t WHERE id = 5");

                    Map<String, Object> r = tableStats(st, "t");
                    // 100 + the rolled-back one + 1001: every attempted insert counts
                    assertEquals(102, num(r, "n_tup_ins"), r.toString());
                    assertEquals(11, num(r, "n_tup_upd"), r.toString());
                    assertEquals(10, num(r, "n_tup_del"), r.toString());
                    // live: 100 - 10 deleted + 1001; dead: 10 old versions + 10 deleted + the aborted insert
                    // + the version the rolled-back savepoint wrote
                    assertEquals(91, num(r, "n_live_tup"), r.toString());
                    assertEquals(22, num(r, "n_dead_tup"), r.toString());
                    assertEquals(121, num(r, "n_mod_since_analyze"), r.toString());
                    assertEquals(102, num(r, "n_ins_since_vacuum"), r.toString());
                    assertTrue(num(r, "seq_scan") >= 1, r.toString());
                    assertTrue(num(r, "idx_scan") >= 1, r.toString());
                    assertTrue(num(r, "idx_tup_fetch") >= 1, r.toString());
                    assertNull(r.get("last_vacuum"));
                    // block accesses through the buffer pool, per table and index, and per database
                    assertTrue(scalar(st, "SELECT heap_blks_hit + heap_blks_read FROM pg_statio_user_tables"
                            + " WHERE relname = 't'") >= 2);
                    assertTrue(scalar(st, "SELECT idx_blks_hit + idx_blks_read FROM pg_statio_user_tables"
                            + " WHERE relname = 't'") >= 2);
                    assertTrue(scalar(st, "SELECT blks_hit + blks_read FROM pg_stat_database"
                            + " WHERE datname = 'postgres'") >= 4);
                    assertEquals(0, num(r, "vacuum_count"));

                    st.execute("VACUUM t");
                    r = tableStats(st, "t");
                    assertEquals(0, num(r, "n_dead_tup"), r.toString());
                    assertEquals(91, num(r, "n_live_tup"), r.toString());
                    assertEquals(0, num(r, "n_ins_since_vacuum"), r.toString());
                    assertEquals(1, num(r, "vacuum_count"), r.toString());
                    assertNotNull(r.get("last_vacuum"), r.toString());
                    assertEquals(0, num(r, "autovacuum_count"), r.toString());
                    assertEquals(91, scalar(st, "SELECT reltuples::bigint FROM pg_class WHERE relname = 't'"));

                    st.execute("ANALYZE t");
                    r = tableStats(st, "t");
                    assertEquals(0, num(r, "n_mod_since_analyze"), r.toString());
                    assertEquals(1, num(r, "analyze_count"), r.toString());
                    assertNotNull(r.get("last_analyze"), r.toString());

                    st.execute("TRUNCATE t");
                    r = tableStats(st, "t");
                    assertEquals(0, num(r, "n_live_tup"), r.toString());
                    assertEquals(0, num(r, "n_dead_tup"), r.toString());

                    // the database's row and the shared views
                    assertTrue(scalar(st, "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'") > 5);
                    assertTrue(scalar(st, "SELECT xact_rollback FROM pg_stat_database WHERE datname = 'postgres'")
                            >= 1);
                    assertTrue(scalar(st, "SELECT tup_inserted FROM pg_stat_database WHERE datname = 'postgres'")
                            >= 102);
                    assertEquals(1, scalar(st, "SELECT numbackends FROM pg_stat_database WHERE datname = 'postgres'"));
                    assertTrue(scalar(st, "SELECT buffers_alloc FROM pg_stat_bgwriter") > 0);
                    long wal = scalar(st, "SELECT wal_records FROM pg_stat_wal");
                    assertTrue(wal > 0);
                    st.execute("INSERT INTO t VALUES (1, 1)");
                    assertTrue(scalar(st, "SELECT wal_records FROM pg_stat_wal") > wal);
                    assertEquals(0, scalar(st, "SELECT archived_count FROM pg_stat_archiver"));

                    SQLException e = assertThrows(SQLException.class,
                            () -> st.execute("SELECT pg_stat_reset_shared('bogus')"));
                    assertEquals("22023", e.getSQLState());
                    assertTrue(e.getMessage().contains("unrecognized reset target: \"bogus\""), e.getMessage());
                }
            }
            // a clean restart keeps the statistics
            try (ServerRunner s = ServerRunner.start(data, port, false, true, "-c", "autovacuum=off")) {
                s.awaitReady();
                try (Connection c = connect(port); Statement st = c.createStatement()) {
                    Map<String, Object> r = tableStats(st, "t");
                    assertEquals(103, num(r, "n_tup_ins"), r.toString());
                    assertEquals(1, num(r, "vacuum_count"), r.toString());
                    st.execute("SELECT pg_stat_reset()");
                    r = tableStats(st, "t");
                    assertEquals(0, num(r, "n_tup_ins"), r.toString());
                    st.execute("INSERT INTO t VALUES (2, 2)");
                    assertEquals(1, num(tableStats(st, "t"), "n_tup_ins"));
                }
                // a crash resets them, as PostgreSQL's crash recovery does
                ServerRunner.run("kill", "-9", Long.toString(s.postmasterPid()));
                s.awaitExit(Duration.ofSeconds(30));
            }
            try (ServerRunner s = ServerRunner.start(data, port, false, true, "-c", "autovacuum=off")) {
                s.awaitReady();
                try (Connection c = connect(port); Statement st = c.createStatement()) {
                    Map<String, Object> r = tableStats(st, "t");
                    assertEquals(0, num(r, "n_tup_ins"), r.toString());
                    assertEquals(2, scalar(st, "SELECT count(*) FROM t"), "the data itself survived");
                }
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }

    @Test
    void autovacuumCleansAHotTableAndSkipsADisabledOne() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-autovacuum", false);
        Path data = dir.resolve("data");
        int port = ServerRunner.freePort();
        try (ServerRunner s = ServerRunner.start(data, port, false, true, "-c", "autovacuum_naptime=1",
                "-c", "log_autovacuum_min_duration=0")) {
            s.awaitReady();
            try (Connection c = connect(port); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE hot (id integer PRIMARY KEY, n integer)"
                        + " WITH (autovacuum_vacuum_threshold = 20, autovacuum_vacuum_scale_factor = 0)");
                st.execute("CREATE TABLE cold (id integer PRIMARY KEY, n integer)"
                        + " WITH (autovacuum_enabled = false, autovacuum_vacuum_threshold = 20,"
                        + " autovacuum_vacuum_scale_factor = 0)");
                st.execute("INSERT INTO hot SELECT g, 0 FROM generate_series(1, 10) g");
                st.execute("INSERT INTO cold SELECT g, 0 FROM generate_series(1, 10) g");
                for (int i = 0; i < 30; i++) {
                    st.execute("UPDATE hot SET n = n + 1");
                    st.execute("UPDATE cold SET n = n + 1");
                }
                long deadline = System.nanoTime() + 60_000_000_000L;
                Map<String, Object> r = tableStats(st, "hot");
                while (num(r, "autovacuum_count") == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    r = tableStats(st, "hot");
                }
                assertTrue(num(r, "autovacuum_count") >= 1, "hot was never autovacuumed: " + r);
                assertNotNull(r.get("last_autovacuum"));
                assertTrue(num(r, "n_dead_tup") < 300, r.toString());
                s.awaitOutput("automatic vacuum of table \"postgres.public.hot\"", Duration.ofSeconds(10));
                Map<String, Object> cold = tableStats(st, "cold");
                assertEquals(0, num(cold, "autovacuum_count"), cold.toString());
                assertEquals(300, num(cold, "n_dead_tup"), cold.toString());
                assertEquals(300, scalar(st, "SELECT sum(n) FROM hot"), "the data is intact");
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }
}
