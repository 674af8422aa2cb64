package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * TOAST end to end: 1 MB values (text that compresses, bytea that does not)
 * committed through pgjdbc survive {@code kill -9}: after crash recovery they
 * read back byte for byte, an uncommitted one is gone, and the chunks of a
 * committed delete are gone too.
 */
class ToastIT {

    private static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String text(int n) {
        StringBuilder s = new StringBuilder(n);
        Random r = new Random(42);
        while (s.length() < n) {
            s.append("row ").append(r.nextInt(1000)).append(' ');
        }
        s.setLength(n);
        return s.toString();
    }

    @Test
    void committedToastedValuesSurviveKillNine() throws Exception {
        Path dir = ServerRunner.tempDir("modgres-toast", false);
        Path data = dir.resolve("data");
        int port = ServerRunner.freePort();
        String big = text(1 << 20);
        try {
            ServerRunner s = ServerRunner.start(data, port, false, true);
            try {
                s.awaitReady();
                try (Connection c = ServerRunner.connect(port); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE docs (id int PRIMARY KEY, body text, blob bytea)");
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO docs VALUES (?, ?, ?)")) {
                        for (int id = 1; id <= 3; id++) {
                            ps.setInt(1, id);
                            ps.setString(2, big + id);
                            ps.setBytes(3, randomBytes(id, 1 << 20));
                            ps.executeUpdate();
                        }
                    }
                    st.execute("DELETE FROM docs WHERE id = 3");
                    c.setAutoCommit(false);
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO docs VALUES (?, ?, ?)")) {
                        ps.setInt(1, 4);
                        ps.setString(2, big);
                        ps.setBytes(3, randomBytes(4, 1 << 20));
                        ps.executeUpdate(); // never committed
                    }
                    ServerRunner.run("kill", "-9", Long.toString(s.postmasterPid()));
                }
            } catch (java.sql.SQLException expected) {
                // the connection dies with the server
            } finally {
                s.awaitExit(Duration.ofSeconds(30));
                s.close();
            }
            try (ServerRunner r = ServerRunner.start(data, port, false, true)) {
                r.awaitReady();
                assertTrue(r.output().contains("automatic recovery in progress"), r.output());
                try (Connection c = ServerRunner.connect(port); Statement st = c.createStatement()) {
                    try (ResultSet rs = st.executeQuery("SELECT id, body, blob FROM docs ORDER BY id")) {
                        for (int id = 1; id <= 2; id++) {
                            assertTrue(rs.next());
                            assertEquals(id, rs.getInt(1));
                            assertEquals(big + id, rs.getString(2));
                            assertArrayEquals(randomBytes(id, 1 << 20), rs.getBytes(3));
                        }
                        assertTrue(!rs.next(), "the deleted and the uncommitted rows are not there");
                    }
                    String toast = "pg_toast.pg_toast_" + ServerRunner.scalar(st, "SELECT 'docs'::regclass::oid");
                    // two rows: the random 1 MB bytea and the compressed text out of line, nothing of rows 3 and 4
                    long live = ServerRunner.scalar(st, "SELECT count(*) FROM " + toast);
                    long perBlob = (1048576 + 1995) / 1996;
                    assertTrue(live >= 2 * perBlob && live < 4 * perBlob, "live chunks: " + live);
                    st.execute("VACUUM docs");
                    assertEquals(live, ServerRunner.scalar(st, "SELECT count(*) FROM " + toast));
                }
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }
}
