package modgres.launcher;

import static modgres.launcher.ServerRunner.scalar;
import static modgres.launcher.ServerRunner.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Freezing and the wraparound horizon end to end: relfrozenxid of a new
 * table, VACUUM FREEZE moving it (and datfrozenxid) forward, and
 * autovacuum's anti-wraparound vacuums, which run even with autovacuum = off
 * once a table's relfrozenxid is older than autovacuum_freeze_max_age (here
 * its minimum, 100 000 transactions, used up by the test), in every database
 * including template0, until every datfrozenxid is young again.
 */
class WraparoundIT {

    private static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1) + "=" + rs.getString(2));
            }
        }
        return out;
    }

    @Test
    void vacuumFreezeAndAntiWraparoundAutovacuumKeepTheHorizonYoung() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-wraparound", false);
        Path data = dir.resolve("data");
        int port = ServerRunner.freePort();
        try (ServerRunner s = ServerRunner.start(data, port, false, true, "-c", "autovacuum=off", "-c",
                "autovacuum_freeze_max_age=100000", "-c", "autovacuum_naptime=1", "-c",
                "log_autovacuum_min_duration=0", "-c", "synchronous_commit=off")) {
            s.awaitReady();
            try (Connection c = connect(port, "postgres"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (id integer PRIMARY KEY, v text)");
                st.execute("INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 1000) g");
                long created = scalar(st, "SELECT age(relfrozenxid) FROM pg_class WHERE relname = 't'");
                assertTrue(created >= 1 && created < 10, "a new table's relfrozenxid is its creator's xmin: age "
                        + created);

                st.execute("VACUUM (FREEZE) t");
                assertTrue(scalar(st, "SELECT age(relfrozenxid) FROM pg_class WHERE relname = 't'") <= 2,
                        "VACUUM FREEZE moves relfrozenxid to its oldest xmin");
                for (int i = 0; i < 20; i++) {
                    st.execute("SELECT txid_current()");
                }
                // a database-wide VACUUM FREEZE covers the catalogs too, so datfrozenxid moves
                long before = scalar(st, "SELECT age(datfrozenxid) FROM pg_database WHERE datname = 'postgres'");
                st.execute("VACUUM FREEZE");
                long after = scalar(st, "SELECT age(datfrozenxid) FROM pg_database WHERE datname = 'postgres'");
                assertTrue(after < before && after <= 3, "datfrozenxid age " + before + " -> " + after);
                assertEquals(0, scalar(st, "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND "
                        + "age(relfrozenxid) > 5"), "every table frozen");

                // use up more than autovacuum_freeze_max_age transaction ids (BEGIN/COMMIT make each
                // statement its own transaction inside one simple query)
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 1000; i++) {
                    batch.append("BEGIN; SELECT txid_current(); COMMIT;");
                }
                long start = scalar(st, "SELECT txid_current()");
                for (int i = 0; i < 101; i++) {
                    st.execute(batch.toString());
                }
                assertTrue(scalar(st, "SELECT txid_current()") - start > 100_000);
                // (autovacuum may already be at work here: the ages passed the limit during the loop)
            }
            // autovacuum is off, but wraparound is not optional: every old table of every database
            // (template0 too, which allows no connections) is vacuumed, and datfrozenxid follows
            s.awaitOutput("automatic aggressive vacuum to prevent wraparound of table \"postgres.public.t\"",
                    Duration.ofSeconds(120));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            List<String> old;
            try (Connection c = connect(port, "postgres"); Statement st = c.createStatement()) {
                do {
                    old = rows(st, "SELECT datname, age(datfrozenxid) FROM pg_database "
                            + "WHERE age(datfrozenxid) > 100000 ORDER BY 1");
                    if (!old.isEmpty()) {
                        Thread.sleep(500);
                    }
                } while (!old.isEmpty() && System.nanoTime() < deadline);
                assertEquals(List.of(), old, "databases still older than autovacuum_freeze_max_age\n" + s.output());
                assertEquals(List.of(), rows(st, "SELECT relname, age(relfrozenxid) FROM pg_class "
                        + "WHERE relkind = 'r' AND age(relfrozenxid) > 100000"));
                assertEquals(1000, scalar(st, "SELECT count(*) FROM t WHERE v = 'row ' || id"), "data intact");
            }
            assertTrue(s.output().contains("automatic aggressive vacuum to prevent wraparound of table "
                    + "\"template0.pg_catalog."), s.output());
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }
}
