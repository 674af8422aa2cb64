package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import modgres.api.backend.Peer;
import modgres.api.error.PgException;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlSession;

/**
 * Temporary tables on the real storage: local buffers, t<backend>_ files, no
 * WAL, invisibility to other sessions, ON COMMIT, temp_buffers, CREATE TABLE
 * AS. Expected texts are PostgreSQL 15's.
 */
class TempTablesTest extends DataEngineTestBase {
    /** The test session's pid (DataEngineTestBase opens it as 4242): its pg_temp_4242 and t4242_ files. */
    private static final int BACKEND = 4242;

    private List<String> tempFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dataDir.resolve("base"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("t[0-9]+_[0-9]+.*")).sorted()
                    .toList();
        }
    }

    private String relfilenode(String table) {
        return table("select relfilenode from pg_class where relname = '" + table + "'").get(1);
    }

    @Test
    void temporaryTableLivesInLocalBuffersAndItsOwnFiles() throws IOException {
        exec("create temp table t (id int primary key, v text)",
                "insert into t select g, 'row ' || g from generate_series(1, 500) g");
        assertEquals(List.of("relpersistence|relname", "t|t", "t|t_pkey"),
                table("select relpersistence, relname from pg_class where relname like 't%' order by relname"));
        assertEquals(List.of("nspname", "pg_temp_" + BACKEND),
                table("select nspname from pg_namespace n join pg_class c on c.relnamespace = n.oid"
                        + " where relname = 't'"));
        assertEquals(List.of("count|sum", "500|125250"), table("select count(*), sum(id) from t"));
        assertEquals(List.of("v", "row 77"), table("select v from t where id = 77"));
        // the pages are in the local pool, not yet in any file of a permanent relation
        assertTrue(((EngineSession) session).tempBuffersInUseForTests() > 0);
        String heapNode = relfilenode("t");
        assertFalse(Files.exists(dataDir.resolve("base").resolve(databaseDir()).resolve(heapNode)));
        assertTrue(Files.exists(dataDir.resolve("base").resolve(databaseDir()).resolve("t" + BACKEND + "_"
                + heapNode)));
        exec("create table p (id int)");
        assertEquals(List.of("relpersistence", "p"), table("select relpersistence from pg_class where relname = 'p'"));
    }

    private String databaseDir() {
        return table("select oid from pg_database where datname = 'postgres'").get(1);
    }

    @Test
    void tableBiggerThanTempBuffersSpillsToItsFile() throws IOException {
        exec("set temp_buffers = 100", // the minimum: 800kB
                "create temp table big (id int, pad text)",
                "insert into big select g, repeat('x', 200) from generate_series(1, 20000) g");
        assertEquals(List.of("count|sum", "20000|200010000"), table("select count(*), sum(id) from big"));
        exec("update big set id = id + 1 where id % 2 = 0", "delete from big where id % 10 = 1");
        assertEquals(List.of("count|sum", "16000|160016000"), table("select count(*), sum(id) from big"));
        // the file holds the pages the pool could not: far more than 100 pages
        String node = relfilenode("big");
        long bytes = Files.size(dataDir.resolve("base").resolve(databaseDir()).resolve("t" + BACKEND + "_" + node));
        assertTrue(bytes > 100L * 8192, "file size " + bytes);
        exec("create index big_id on big (id)", "vacuum big", "analyze big");
        assertEquals(List.of("id", "1003", "1003"), table("select id from big where id = 1003"));
        assertEquals(List.of("count", "16000"), table("select count(*) from big"));
        exec("truncate big");
        assertEquals(List.of("count", "0"), table("select count(*) from big"));
        exec("insert into big values (7, 'seven')");
        assertEquals(List.of("id|pad", "7|seven"), table("select * from big where id = 7"));
        exec("drop table big");
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void writesToTemporaryTablesAreNotWalLogged() {
        exec("create temp table w (id int, pad text)", "insert into w values (0, '')");
        long before = lsn();
        exec("insert into w select g, repeat('y', 100) from generate_series(1, 5000) g");
        long after = lsn();
        // a commit record, nothing for the ~70 pages of rows (each would log ~8 MB of inserts)
        assertTrue(after - before < 4096, "WAL grew by " + (after - before));
        exec("create table p (id int, pad text)");
        long beforePermanent = lsn();
        exec("insert into p select g, repeat('y', 100) from generate_series(1, 5000) g");
        assertTrue(lsn() - beforePermanent > 500_000, "permanent table writes are logged");
    }

    private long lsn() {
        String[] p = table("select pg_current_wal_insert_lsn()").get(1).split("/");
        return Long.parseLong(p[0], 16) << 32 | Long.parseLong(p[1], 16);
    }

    @Test
    void otherSessionsCannotSeeOrReadIt() throws Exception {
        exec("create temp table mine (a int)", "insert into mine values (1)");
        SqlSession other = engine.open(new SessionInfo(4343, "postgres", "postgres", new Peer(true, null, 0),
                Map.of()));
        try {
            RecordingSink sink = new RecordingSink();
            PgException e = assertThrows(PgException.class, () -> other.simpleQuery("select * from mine", sink));
            assertEquals("42P01 relation \"mine\" does not exist", e.sqlState() + " " + e.getMessage());
            e = assertThrows(PgException.class, () -> other.simpleQuery("select * from pg_temp_" + BACKEND
                    + ".mine", new RecordingSink()));
            assertEquals("0A000 cannot access temporary tables of other sessions", e.sqlState() + " "
                    + e.getMessage());
            e = assertThrows(PgException.class, () -> other.simpleQuery("insert into pg_temp_" + BACKEND
                    + ".mine values (2)", new RecordingSink()));
            assertEquals("0A000 cannot access temporary tables of other sessions", e.sqlState() + " "
                    + e.getMessage());
            // its own temporary table of the same name is another table
            other.simpleQuery("create temp table mine (b text)", new RecordingSink());
            other.simpleQuery("insert into mine values ('other')", new RecordingSink());
        } finally {
            other.close();
        }
        assertEquals(List.of("a", "1"), table("select * from mine"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_namespace where nspname = 'pg_temp_4343'"));
        assertEquals(List.of(), tempFiles().stream().filter(n -> n.startsWith("t4343_")).toList());
        // a superuser may drop another session's temporary table, as in PostgreSQL: its files go
        exec("create temp table victim (a int)", "insert into victim values (1)");
        assertTrue(tempFiles().stream().anyMatch(n -> n.equals("t" + BACKEND + "_" + relfilenode("victim"))));
        String victimFile = "t" + BACKEND + "_" + relfilenode("victim");
        SqlSession third = engine.open(new SessionInfo(4444, "postgres", "postgres", new Peer(true, null, 0),
                Map.of()));
        try {
            third.simpleQuery("drop table pg_temp_" + BACKEND + ".victim", new RecordingSink());
        } finally {
            third.close();
        }
        assertFalse(tempFiles().contains(victimFile));
        error("select * from victim", "42P01", "relation \"victim\" does not exist");
    }

    @Test
    void onCommitDeleteRowsAndDrop() throws IOException {
        exec("create temp table keep (a int)", // ON COMMIT PRESERVE ROWS is the default
                "create temp table del (a int primary key) on commit delete rows",
                "create temp table gone (a int) on commit drop");
        assertEquals(List.of("relname", "del", "del_pkey", "keep"),
                table("select relname from pg_class where relpersistence = 't' order by 1"));
        exec("begin", "insert into keep values (1)", "insert into del values (1), (2)");
        assertEquals(List.of("count", "2"), table("select count(*) from del"));
        exec("commit");
        assertEquals(List.of("count", "1"), table("select count(*) from keep"));
        assertEquals(List.of("count", "0"), table("select count(*) from del"));
        exec("insert into del values (1)"); // the index was emptied too: no duplicate
        assertEquals(List.of("count", "0"), table("select count(*) from del"));
        // DROP inside a block: visible until the commit
        exec("begin", "create temp table blk (a int) on commit drop", "insert into blk values (5)");
        assertEquals(List.of("a", "5"), table("select * from blk"));
        exec("commit");
        error("select * from blk", "42P01", "relation \"blk\" does not exist");
        // a rolled-back creation leaves no action behind
        exec("begin", "create temp table rb (a int) on commit drop", "rollback", "select 1");
        error("create table perm (a int) on commit delete rows", "42P16",
                "ON COMMIT can only be used on temporary tables");
        // CREATE TEMP TABLE ... AS with each action
        assertEquals(List.of("C SELECT 3"),
                run("create temp table ctas_keep as select g as n, 'x' as s from generate_series(1, 3) g"));
        assertEquals(List.of("n|s", "1|x", "2|x", "3|x"), table("select * from ctas_keep order by n"));
        assertEquals(List.of("attname|atttypid", "n|23", "s|25"),
                table("select attname, atttypid from pg_attribute where attrelid ="
                        + " (select oid from pg_class where relname = 'ctas_keep') and attnum > 0 order by attnum"));
        assertEquals(List.of("C SELECT 2"), run("create temp table ctas_del on commit delete rows as select 1 a"
                + " union all select 2"));
        assertEquals(List.of("count", "0"), table("select count(*) from ctas_del"));
        exec("create temp table ctas_drop on commit drop as select 1 a");
        error("select * from ctas_drop", "42P01", "relation \"ctas_drop\" does not exist");
        exec("begin", "create temp table ctas_blk (x, y) on commit drop as select 1, 2.5::numeric(4,1)");
        assertEquals(List.of("x|y", "1|2.5"), table("select * from ctas_blk"));
        exec("commit");
        error("select * from ctas_blk", "42P01", "relation \"ctas_blk\" does not exist");
        assertEquals(List.of("C CREATE TABLE AS"), run("create table plain_ctas as select 1 a with no data"));
        assertEquals(List.of("count", "0"), table("select count(*) from plain_ctas"));
        assertEquals(List.of("relpersistence", "p"),
                table("select relpersistence from pg_class where relname = 'plain_ctas'"));
    }

    @Test
    void tempBuffersIsFixedOnceTemporaryTablesAreUsed() {
        exec("set temp_buffers = 200", "create temp table x (a int)");
        // creating a table uses no buffer yet: still changeable, as in PostgreSQL
        exec("set temp_buffers = 300", "set temp_buffers = 200", "insert into x values (1)");
        exec("set temp_buffers = 200"); // the same value is fine
        error("set temp_buffers = 300", "22023", "invalid value for parameter \"temp_buffers\": 300");
        PgException e = error("set local temp_buffers = 100");
        assertEquals("\"temp_buffers\" cannot be changed after any temporary tables have been accessed in the"
                + " session.", e.detail());
        exec("reset temp_buffers"); // not checked, as in PostgreSQL
        assertEquals(List.of("a", "1"), table("select * from x"));
    }

    @Test
    void sessionEndDropsTablesAndFiles() throws IOException {
        exec("create temp table s1 (a int primary key)", "insert into s1 select g from generate_series(1, 1000) g",
                "create temp table s2 (b text)", "insert into s2 values ('x')");
        assertFalse(tempFiles().isEmpty());
        session.close();
        assertEquals(List.of(), tempFiles());
        session = engine.open(new SessionInfo(4242, "postgres", "postgres", new Peer(true, null, 0), Map.of()));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_class where relpersistence = 't'"));
        assertEquals(List.of("count", "0"),
                table("select count(*) from pg_namespace where nspname like 'pg_temp%'"));
    }

    @Test
    void autovacuumSkipsTemporaryTables() {
        exec("create temp table tv (a int)", "insert into tv values (1)", "create table pv (a int)");
        EngineSession s = (EngineSession) session;
        List<String> names = s.maintenanceTables().stream().map(t -> t.name()).toList();
        assertTrue(names.contains("pv"), names.toString());
        assertFalse(names.contains("tv"), names.toString());
    }
}
