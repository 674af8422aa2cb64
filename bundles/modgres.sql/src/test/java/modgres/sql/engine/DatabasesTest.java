package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import modgres.api.backend.Peer;
import modgres.api.buffer.FlushFilter;
import modgres.api.control.CheckpointStats;
import modgres.api.control.Checkpointer;
import modgres.api.error.PgException;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlSession;

/**
 * CREATE / ALTER / DROP DATABASE on the real storage: the template's files
 * are copied (after the checkpointer wrote its dirty pages: the test's
 * checkpointer flushes the buffer pool as a checkpoint does), the new
 * database opens with the template's tables, dropped databases lose their
 * row and directory, and PostgreSQL 15's errors.
 */
class DatabasesTest extends DataEngineTestBase {
    private final List<SqlSession> sessions = new ArrayList<>();
    private int checkpoints;

    @Override
    void moreServices() throws Exception {
        // a checkpoint's part that CREATE DATABASE relies on: every dirty page written and synced
        inject("checkpointer", new Checkpointer() {
            @Override
            public void requestCheckpoint(boolean wait, boolean force) {
                checkpoints++;
                pool.flushAll(FlushFilter.ALL);
                pool.syncWrittenFiles();
            }

            @Override
            public CheckpointStats stats() {
                throw new UnsupportedOperationException();
            }
        });
    }

    @AfterEach
    void closeSessions() {
        sessions.forEach(SqlSession::close);
    }

    private int pids = 5000;

    private SqlSession open(String db) {
        SqlSession s = engine.open(new SessionInfo(pids++, "postgres", db, new Peer(true, null, 0), Map.of()));
        sessions.add(s);
        return s;
    }

    private static List<String> run(SqlSession s, String sql) {
        RecordingSink sink = new RecordingSink();
        s.simpleQuery(sql, sink);
        return sink.events;
    }

    private static void error(SqlSession s, String sql, String state, String message) {
        PgException e = assertThrows(PgException.class, () -> run(s, sql), sql);
        assertEquals(state + " " + message, e.sqlState() + " " + e.getMessage());
    }

    private static String one(SqlSession s, String sql) {
        for (String e : run(s, sql)) {
            if (e.startsWith("D ")) {
                return e.substring(2);
            }
        }
        throw new AssertionError("no row: " + sql);
    }

    @Test
    void createCopiesTheTemplateAndDropRemovesTheFiles() throws Exception {
        SqlSession t1 = open("template1");
        run(t1, "CREATE TABLE seed (id int PRIMARY KEY, v text)");
        run(t1, "INSERT INTO seed SELECT g, 'v' || g FROM generate_series(1, 300) g");
        SqlSession pg = open("postgres");
        int before = checkpoints;
        assertEquals(List.of("C CREATE DATABASE"), run(pg, "CREATE DATABASE shop"));
        assertEquals(2, checkpoints - before, "one checkpoint before the copy, one after it");
        String oid = one(pg, "SELECT oid FROM pg_database WHERE datname = 'shop'");
        assertTrue(Files.isRegularFile(dataDir.resolve("base").resolve(oid).resolve("pg_filenode.map")));

        SqlSession shop = open("shop");
        assertEquals("v300", one(shop, "SELECT v FROM seed WHERE id = 300"));
        assertEquals("300", one(shop, "SELECT count(*) FROM seed"));
        run(shop, "INSERT INTO seed VALUES (301, 'only in shop')");
        assertEquals("300", one(t1, "SELECT count(*) FROM seed"), "the template is not changed by the copy's use");
        assertEquals("shop", one(shop, "SELECT current_database()"));
        shop.close();
        sessions.remove(shop);

        assertEquals(List.of("C DROP DATABASE"), run(pg, "DROP DATABASE shop"));
        assertEquals("0", one(pg, "SELECT count(*) FROM pg_database WHERE datname = 'shop'"));
        assertFalse(Files.exists(dataDir.resolve("base").resolve(oid)), "directory removed");
        PgException gone = assertThrows(PgException.class, () -> open("shop"));
        assertEquals("3D000 database \"shop\" does not exist", gone.sqlState() + " " + gone.getMessage());

        // template0 has never been opened: it is bootstrapped, then copied
        run(pg, "CREATE DATABASE clean TEMPLATE template0");
        assertEquals("0", one(open("clean"), "SELECT count(*) FROM pg_class WHERE relname = 'seed'"));
    }

    @Test
    void errorsAsPostgres() {
        SqlSession pg = open("postgres");
        run(pg, "CREATE DATABASE a");
        error(pg, "CREATE DATABASE a", "42P04", "database \"a\" already exists");
        error(pg, "CREATE DATABASE b TEMPLATE nosuch", "3D000", "template database \"nosuch\" does not exist");
        error(pg, "CREATE DATABASE b STRATEGY = fast", "22023", "invalid create database strategy \"fast\"");
        error(pg, "CREATE DATABASE b FOO = 1", "42601", "option \"foo\" not recognized");
        error(pg, "CREATE DATABASE b OWNER nobody", "42704", "role \"nobody\" does not exist");
        error(pg, "CREATE DATABASE b CONNECTION LIMIT = -2", "22023", "invalid connection limit: -2");
        error(pg, "CREATE DATABASE b ENCODING 'nonsense'", "42704", "nonsense is not a valid encoding name");
        error(pg, "CREATE DATABASE b LC_COLLATE 'xx_YY'", "42809", "invalid locale name: \"xx_YY\"");
        error(pg, "CREATE DATABASE b TEMPLATE template0 OWNER postgres OWNER postgres", "42601",
                "conflicting or redundant options");
        error(pg, "BEGIN; CREATE DATABASE b", "25001", "CREATE DATABASE cannot run inside a transaction block");
        run(pg, "ROLLBACK");
        error(pg, "DROP DATABASE a; SELECT 1", "25001", "DROP DATABASE cannot run inside a transaction block");
        error(pg, "DROP DATABASE postgres", "55006", "cannot drop the currently open database");
        error(pg, "DROP DATABASE template1", "42809", "cannot drop a template database");
        error(pg, "DROP DATABASE nosuch", "3D000", "database \"nosuch\" does not exist");
        assertEquals(List.of("N NOTICE 00000 database \"nosuch\" does not exist, skipping", "C DROP DATABASE"),
                run(pg, "DROP DATABASE IF EXISTS nosuch"));
        assertEquals("1", one(pg, "SELECT count(*) FROM pg_database WHERE datname = 'a'"), "nothing half done");
    }

    @Test
    void alterDatabase() {
        SqlSession pg = open("postgres");
        run(pg, "CREATE DATABASE a");
        run(pg, "ALTER DATABASE a CONNECTION LIMIT 3 IS_TEMPLATE true");
        assertEquals("3|t", one(pg, "SELECT datconnlimit, datistemplate FROM pg_database WHERE datname = 'a'"));
        run(pg, "ALTER DATABASE a IS_TEMPLATE false");
        run(pg, "ALTER DATABASE a RENAME TO b");
        assertEquals("b", one(pg, "SELECT datname FROM pg_database WHERE datname IN ('a', 'b')"));
        error(pg, "ALTER DATABASE postgres RENAME TO p2", "0A000", "current database cannot be renamed");
        error(pg, "ALTER DATABASE b RENAME TO template1", "42P04", "database \"template1\" already exists");
        error(pg, "ALTER DATABASE nosuch RENAME TO x", "3D000", "database \"nosuch\" does not exist");
        run(pg, "CREATE ROLE alice");
        run(pg, "ALTER DATABASE b OWNER TO alice");
        assertEquals("alice", one(pg, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'b'"));
        assertEquals("x", one(open("b"), "SELECT 'x'"));
    }
}
