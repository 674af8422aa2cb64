package modgres.launcher;

import static modgres.launcher.ServerRunner.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Partitioned and inherited tables through pgjdbc on the real server: rows inserted (prepared statements, batches)
 * into a range-partitioned table land in their partitions, a row violating every bound fails with PostgreSQL's
 * 23514, and after a restart the catalog (pg_inherits, pg_partitioned_table, relpartbound) and every row are
 * back, routing and pruning as before. INSERT ... ON CONFLICT on a partitioned table with a primary key
 * (one index per partition) upserts prepared-statement batches from two connections, leaf by leaf.
 */
class PartitioningIT {

    @Test
    void partitionedRowsSurviveARestart() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-partitioning", false);
        Path data = dir.resolve("data");
        int port = ServerRunner.freePort();
        try {
            try (ServerRunner s = ServerRunner.start(data, port, false, true)) {
                s.awaitReady();
                try (Connection c = ServerRunner.connect(port); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE m (id int, k text, v int) PARTITION BY RANGE (id)");
                    st.execute("CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (100)");
                    st.execute("CREATE TABLE m2 PARTITION OF m FOR VALUES FROM (100) TO (200)"
                            + " PARTITION BY LIST (k)");
                    st.execute("CREATE TABLE m2a PARTITION OF m2 FOR VALUES IN ('a')");
                    st.execute("CREATE TABLE m2o PARTITION OF m2 DEFAULT");
                    st.execute("CREATE TABLE base (x int)");
                    st.execute("CREATE TABLE kid (y int) INHERITS (base)");
                    c.setAutoCommit(false);
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO m VALUES (?, ?, ?)")) {
                        for (int i = 0; i < 200; i++) {
                            ps.setInt(1, i);
                            ps.setString(2, i % 2 == 0 ? "a" : "b");
                            ps.setInt(3, i * 10);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    st.execute("INSERT INTO base VALUES (1)");
                    st.execute("INSERT INTO kid VALUES (2, 20)");
                    c.commit();
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO m VALUES (?, 'z', 0)")) {
                        ps.setInt(1, 500);
                        ps.executeUpdate();
                        throw new AssertionError("a row outside every bound went in");
                    } catch (SQLException e) {
                        assertEquals("23514", e.getSQLState());
                        assertTrue(e.getMessage().contains("no partition of relation \"m\" found for row"),
                                e.getMessage());
                        c.rollback();
                    }
                    c.setAutoCommit(true);
                    assertEquals(List.of("m1|100", "m2a|50", "m2o|50"),
                            rows(st, "SELECT tableoid::regclass, count(*) FROM m GROUP BY 1 ORDER BY 1"));
                }
            }
            try (ServerRunner r = ServerRunner.start(data, port, false, true)) {
                r.awaitReady();
                try (Connection c = ServerRunner.connect(port); Statement st = c.createStatement()) {
                    assertEquals(List.of("m1|100", "m2a|50", "m2o|50"),
                            rows(st, "SELECT tableoid::regclass, count(*) FROM m GROUP BY 1 ORDER BY 1"));
                    assertEquals(List.of("149500"), rows(st, "SELECT sum(v) FROM m WHERE id >= 100"));
                    assertEquals(List.of("m2|FOR VALUES FROM (100) TO (200)", "m2a|FOR VALUES IN ('a')",
                            "m2o|DEFAULT"), rows(st, "SELECT relname, pg_get_expr(relpartbound, oid) FROM pg_class"
                                    + " WHERE relname LIKE 'm2%' ORDER BY 1"));
                    assertEquals(List.of("m|r|1", "m2|l|2"), rows(st, "SELECT partrelid::regclass, partstrat,"
                            + " partattrs FROM pg_partitioned_table ORDER BY 1"));
                    assertEquals(List.of("Seq Scan on m2a m", "  Filter: ((id = 150) AND (k = 'a'::text))"),
                            rows(st, "EXPLAIN (COSTS OFF) SELECT * FROM m WHERE id = 150 AND k = 'a'"));
                    assertEquals(List.of("150|a|1500"), rows(st, "SELECT * FROM m WHERE id = 150 AND k = 'a'"));
                    // routing still works after the restart, and so does inheritance
                    st.execute("INSERT INTO m VALUES (199, 'a', 7)");
                    assertEquals(List.of("m2a"), rows(st, "SELECT tableoid::regclass FROM m WHERE v = 7"));
                    assertEquals(List.of("base|1", "kid|2"),
                            rows(st, "SELECT tableoid::regclass, x FROM base ORDER BY x"));
                }
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }
    @Test
    void upsertIntoAPartitionedTable() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-partition-upsert", false);
        int port = ServerRunner.freePort();
        try (ServerRunner s = ServerRunner.start(dir.resolve("data"), port, false, true)) {
            s.awaitReady();
            try (Connection c = ServerRunner.connect(port); Connection d = ServerRunner.connect(port);
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE counters (id int PRIMARY KEY, hits int, who text) PARTITION BY HASH (id)");
                for (int r = 0; r < 3; r++) {
                    st.execute("CREATE TABLE counters_" + r + " PARTITION OF counters"
                            + " FOR VALUES WITH (modulus 3, remainder " + r + ")");
                }
                String upsert = "INSERT INTO counters VALUES (?, 1, ?) ON CONFLICT (id)"
                        + " DO UPDATE SET hits = counters.hits + 1, who = excluded.who";
                for (Connection conn : List.of(c, d)) {
                    conn.setAutoCommit(false);
                    try (PreparedStatement ps = conn.prepareStatement(upsert)) {
                        for (int i = 0; i < 30; i++) {
                            ps.setInt(1, i % 20);
                            ps.setString(2, conn == c ? "c" : "d");
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    conn.commit();
                    conn.setAutoCommit(true);
                }
                // ids 0..9 were proposed twice per connection, 10..19 once: 4 and 2 hits, the last writer d
                assertEquals(List.of("20|60|d"), rows(st, "SELECT count(*), sum(hits), min(who) FROM counters"));
                assertEquals(List.of("4", "2"), rows(st, "SELECT hits FROM counters WHERE id IN (3, 13) ORDER BY id"));
                assertEquals(List.of("3"), rows(st, "SELECT count(DISTINCT tableoid) FROM counters"));
                assertEquals(List.of("counters_0_pkey", "counters_1_pkey", "counters_2_pkey", "counters_pkey"),
                        rows(st, "SELECT relname FROM pg_class WHERE relname LIKE 'counters%pkey' ORDER BY 1"));
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO counters VALUES (?, 0, 'x') ON CONFLICT (id) DO UPDATE SET id = excluded.id + 1")) {
                    ps.setInt(1, 3);
                    ps.executeUpdate();
                    throw new AssertionError("an upsert moved a row to another partition");
                } catch (SQLException e) {
                    assertEquals("0A000", e.getSQLState());
                    assertTrue(e.getMessage().contains("invalid ON UPDATE specification"), e.getMessage());
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO counters VALUES (?, 0, 'x') ON CONFLICT DO NOTHING RETURNING tableoid::regclass")) {
                    ps.setInt(1, 3);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(!rs.next(), "DO NOTHING returned a row");
                    }
                    ps.setInt(1, 50);
                    List<String> got = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            got.add(rs.getString(1));
                        }
                    }
                    assertEquals(rows(st, "SELECT tableoid::regclass FROM counters WHERE id = 50"), got);
                }
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }
}
