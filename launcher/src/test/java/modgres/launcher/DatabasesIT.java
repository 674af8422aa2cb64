package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CREATE / DROP / ALTER DATABASE end to end (pgjdbc): a database made from
 * template1 carries template1's tables, is connectable, can be dropped only
 * when nobody else is connected (55006 with PostgreSQL's detail, or WITH
 * (FORCE)), connecting to a dropped one is FATAL 3D000, and a kill -9 right
 * after CREATE DATABASE returns leaves a usable database.
 */
class DatabasesIT {
    private Path dir;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        dir = ServerRunner.tempDir("modgres-databases", false);
        port = ServerRunner.freePort();
    }

    @AfterEach
    void tearDown() {
        ServerRunner.deleteTree(dir);
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static SQLException fails(Statement st, String sql) {
        return assertThrows(SQLException.class, () -> st.execute(sql), sql);
    }

    private static String detail(SQLException e) {
        return e instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null
                ? p.getServerErrorMessage().getDetail() : null;
    }

    @Test
    void createConnectDropAndErrors() throws Exception {
        Path data = dir.resolve("data");
        try (ServerRunner s = ServerRunner.start(data, port, false, true)) {
            s.awaitReady();
            try (Connection c = ServerRunner.connect(port, "template1"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE from_template (id int PRIMARY KEY, v text)");
                st.execute("INSERT INTO from_template VALUES (1, 'copied')");
            }
            try (Connection c = ServerRunner.connect(port); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE shop");
                SQLException dup = fails(st, "CREATE DATABASE shop");
                assertEquals("42P04", dup.getSQLState());
                assertTrue(dup.getMessage().contains("database \"shop\" already exists"), dup.getMessage());
                SQLException noTemplate = fails(st, "CREATE DATABASE x TEMPLATE nosuch");
                assertEquals("3D000", noTemplate.getSQLState());
                assertTrue(noTemplate.getMessage().contains("template database \"nosuch\" does not exist"));
                SQLException badOption = fails(st, "CREATE DATABASE x STRATEGY = fast");
                assertEquals("22023", badOption.getSQLState());
                st.execute("CREATE DATABASE fresh WITH OWNER = postgres TEMPLATE = template0 ENCODING = 'UTF8'"
                        + " LC_COLLATE = 'C' LC_CTYPE = 'C' CONNECTION LIMIT = 5 IS_TEMPLATE = false"
                        + " ALLOW_CONNECTIONS = true");
                assertEquals("5|f|t|UTF8", one(st, "SELECT datconnlimit || '|' || datistemplate || '|' ||"
                        + " datallowconn || '|' || pg_encoding_to_char(encoding) FROM pg_database"
                        + " WHERE datname = 'fresh'"));
                // not inside a transaction block
                c.setAutoCommit(false);
                SQLException inBlock = fails(st, "CREATE DATABASE nope");
                assertEquals("25001", inBlock.getSQLState());
                assertTrue(inBlock.getMessage().contains("CREATE DATABASE cannot run inside a transaction block"));
                c.rollback();
                SQLException dropInBlock = fails(st, "DROP DATABASE fresh");
                assertEquals("25001", dropInBlock.getSQLState());
                c.rollback();
                c.setAutoCommit(true);
            }
            // the copy of template1 has its table; the one of template0 has not
            try (Connection c = ServerRunner.connect(port, "shop"); Statement st = c.createStatement()) {
                assertEquals("shop", one(st, "SELECT current_database()"));
                assertEquals("copied", one(st, "SELECT v FROM from_template WHERE id = 1"));
                st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
                st.execute("INSERT INTO orders VALUES (1, 'apple')");
            }
            try (Connection c = ServerRunner.connect(port, "fresh"); Statement st = c.createStatement()) {
                assertEquals("0", one(st, "SELECT count(*) FROM pg_class WHERE relname = 'from_template'"));
            }
            // template1 cannot be copied while someone else is connected to it
            try (Connection other = ServerRunner.connect(port, "template1");
                    Connection c = ServerRunner.connect(port); Statement st = c.createStatement()) {
                other.createStatement().execute("SELECT 1");
                SQLException busy = fails(st, "CREATE DATABASE busy");
                assertEquals("55006", busy.getSQLState());
                assertTrue(busy.getMessage().contains(
                        "source database \"template1\" is being accessed by other users"), busy.getMessage());
                assertEquals("There is 1 other session using the database.", detail(busy));
            }
            try (Connection c = ServerRunner.connect(port); Statement st = c.createStatement()) {
                SQLException current = fails(st, "DROP DATABASE postgres");
                assertEquals("55006", current.getSQLState());
                assertTrue(current.getMessage().contains("cannot drop the currently open database"));
                SQLException template = fails(st, "DROP DATABASE template1");
                assertEquals("42809", template.getSQLState());
                st.execute("DROP DATABASE IF EXISTS nosuch");
                assertTrue(st.getWarnings().getMessage().contains("database \"nosuch\" does not exist, skipping"));
                SQLException missing = fails(st, "DROP DATABASE nosuch");
                assertEquals("3D000", missing.getSQLState());
                // a session of shop keeps it from being dropped (after PostgreSQL's 5 s of waiting)
                try (Connection inShop = ServerRunner.connect(port, "shop")) {
                    inShop.createStatement().execute("SELECT 1");
                    SQLException busy = fails(st, "DROP DATABASE shop");
                    assertEquals("55006", busy.getSQLState());
                    assertTrue(busy.getMessage().contains("database \"shop\" is being accessed by other users"));
                    assertEquals("There is 1 other session using the database.", detail(busy));
                    assertEquals("1", one(st, "SELECT count(*) FROM pg_database WHERE datname = 'shop'"));
                    // WITH (FORCE) ends that session
                    st.execute("DROP DATABASE shop WITH (FORCE)");
                    SQLException gone = assertThrows(SQLException.class,
                            () -> inShop.createStatement().execute("SELECT 1"));
                    assertFalse(gone.getSQLState() == null, gone.toString());
                }
                assertEquals("0", one(st, "SELECT count(*) FROM pg_database WHERE datname = 'shop'"));
                st.execute("DROP DATABASE fresh");
                st.execute("CREATE DATABASE renamed_from");
                st.execute("ALTER DATABASE renamed_from RENAME TO renamed_to");
                assertEquals("renamed_to", one(st, "SELECT datname FROM pg_database WHERE datname LIKE 'renamed%'"));
            }
            SQLException dropped = assertThrows(SQLException.class, () -> ServerRunner.connect(port, "shop"));
            assertEquals("3D000", dropped.getSQLState());
            assertTrue(dropped.getMessage().contains("database \"shop\" does not exist"), dropped.getMessage());
            try (Connection c = ServerRunner.connect(port); Statement st = c.createStatement()) {
                String oids = one(st, "SELECT string_agg(oid::text, ',') FROM pg_database");
                // the dropped databases' directories are gone, the others' are there
                try (var files = Files.list(data.resolve("base"))) {
                    for (Path p : files.toList()) {
                        String name = p.getFileName().toString();
                        if (name.matches("[0-9]+")) {
                            assertTrue((',' + oids + ',').contains(',' + name + ','), "left over: " + name);
                        }
                    }
                }
            }
        }
    }

    @Test
    void killNineRightAfterCreateDatabase() throws Exception {
        Path data = dir.resolve("data");
        try (ServerRunner s = ServerRunner.start(data, port, false, true)) {
            s.awaitReady();
            try (Connection c = ServerRunner.connect(port, "template1"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE seed (id int PRIMARY KEY)");
                st.execute("INSERT INTO seed SELECT g FROM generate_series(1, 500) g");
            }
            Connection c = ServerRunner.connect(port);
            c.createStatement().execute("CREATE DATABASE survivor");
            ServerRunner.run("kill", "-9", Long.toString(s.postmasterPid()));
            s.awaitExit(Duration.ofSeconds(30));
            try {
                c.close();
            } catch (SQLException ignored) {
                // the server is gone
            }
        }
        try (ServerRunner s = ServerRunner.start(data, port, false, true)) {
            s.awaitReady();
            try (Connection c = ServerRunner.connect(port, "survivor"); Statement st = c.createStatement()) {
                assertEquals("500", one(st, "SELECT count(*) FROM seed"));
                st.execute("INSERT INTO seed VALUES (501)");
                st.execute("CREATE TABLE after_crash (v text)");
                st.execute("INSERT INTO after_crash VALUES ('ok')");
                assertEquals("ok", one(st, "SELECT v FROM after_crash"));
            }
            try (Connection c = ServerRunner.connect(port); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE survivor");
            }
        }
    }
}
