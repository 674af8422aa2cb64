package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** TOAST over real storage: compression, out-of-line chunks, their life with updates, deletes and vacuum. */
class ToastTest extends DataEngineTestBase {

    private long scalar(String sql) {
        return Long.parseLong(table(sql).get(1));
    }

    private String value(String sql) {
        return table(sql).get(1);
    }

    private long chunks(String table) {
        String toast = value("select reltoastrelid::regclass from pg_class where relname = '" + table + "'");
        return scalar("select count(*) from " + toast);
    }

    @Test
    void toastTableIsCreatedWithTheTableOnlyWhenNeeded() {
        exec("create table tt (a int, b text)", "create table tn (a int, b varchar(10))", "create table tp (a int)");
        assertEquals("pg_toast.pg_toast_" + value("select 'tt'::regclass::oid"),
                value("select reltoastrelid::regclass from pg_class where relname = 'tt'"));
        assertEquals("0", value("select reltoastrelid from pg_class where relname = 'tn'"));
        assertEquals("0", value("select reltoastrelid from pg_class where relname = 'tp'"));
        exec("create table tnum (a numeric, b numeric(10,2))");
        assertEquals("m",
                value("select attstorage from pg_attribute where attrelid = 'tnum'::regclass and attnum = 1"));
        assertTrue(scalar("select reltoastrelid from pg_class where relname = 'tnum'") != 0,
                "numeric without typmod: maximum size unknown, a TOAST table");
        assertEquals(List.of("relkind", "t"), table("select c.relkind from pg_class c join pg_class t "
                + "on t.reltoastrelid = c.oid where t.relname = 'tt'"));
        assertEquals("x", value("select attstorage from pg_attribute where attrelid = 'tt'::regclass and attnum = 2"));
        exec("alter table tp add column c text");
        assertTrue(scalar("select reltoastrelid from pg_class where relname = 'tp'") != 0);
        exec("drop table tt");
        assertEquals("0", value("select count(*) from pg_class where relname like 'pg_toast_%' and relname not in "
                + "(select 'pg_toast_' || reltoastrelid from pg_class) and relname not like '%_index' "
                + "and relname not in (select 'pg_toast_' || oid from pg_class)"));
    }

    @Test
    void compressibleValueStaysInlineCompressed() {
        exec("create table c (id int, b text)");
        exec("insert into c values (1, repeat('x', 10000))");
        assertEquals(List.of("id|char_length", "1|10000"), table("select id, char_length(b) from c"));
        assertEquals(0, chunks("c"));
        long size = scalar("select pg_column_size(b) from c");
        assertTrue(size < 400, "compressed inline: " + size);
        assertEquals(10000, scalar("select octet_length(b) from c"));
        assertEquals("t", value("select b = repeat('x', 10000) from c"));
    }

    @Test
    void incompressibleValuesGoOutOfLineAndComeBack() {
        exec("create table o (id int primary key, t text, b bytea)");
        // 10 kB of text that does not compress: md5 chains
        exec("insert into o select 1, string_agg(md5(g::text), ''), null::bytea from generate_series(1, 320) g");
        assertEquals(10240, scalar("select octet_length(t) from o"));
        assertEquals((10240 + 1995) / 1996, chunks("o"));
        assertEquals(10240, scalar("select pg_column_size(t) from o"));
        assertEquals("t", value("select t = (select string_agg(md5(g::text), '') from generate_series(1, 320) g) "
                + "from o"));
        // bytea, 1 MB
        exec("insert into o select 2, null, decode(string_agg(md5(g::text), ''), 'hex') "
                + "from generate_series(1, 65536) g");
        assertEquals(1048576, scalar("select octet_length(b) from o where id = 2"));
        assertEquals("t", value("select b = (select decode(string_agg(md5(g::text), ''), 'hex') "
                + "from generate_series(1, 65536) g) from o where id = 2"));
    }

    @Test
    void updateKeepsOrReplacesChunksAndDeleteVacuumFreesThem() {
        exec("create table u (id int primary key, n int, t text)");
        exec("insert into u select 1, 0, string_agg(md5(g::text), '') from generate_series(1, 320) g");
        long before = chunks("u");
        String oldId = value("select min(chunk_id) from " + value(
                "select reltoastrelid::regclass from pg_class where relname = 'u'"));
        exec("update u set n = n + 1");
        // the untouched toasted column keeps pointing at the same chunks: no new chunk_id, no deletions
        assertEquals(before, chunks("u"));
        String toast = value("select reltoastrelid::regclass from pg_class where relname = 'u'");
        assertEquals(oldId, value("select min(chunk_id) from " + toast));
        assertEquals("t", value("select t = (select string_agg(md5(g::text), '') from generate_series(1, 320) g) "
                + "from u"));
        exec("update u set t = t || 'y'");
        // the old value's chunks were deleted, the new value's written
        assertEquals(before, chunks("u"));
        assertTrue(!oldId.equals(value("select min(chunk_id) from " + toast)));
        assertEquals(10241, scalar("select octet_length(t) from u"));
        exec("begin", "delete from u", "rollback");
        assertEquals(10241, scalar("select octet_length(t) from u"));
        assertEquals(before, chunks("u"));
        exec("delete from u");
        assertEquals(0, chunks("u"));
        exec("vacuum u");
        assertEquals(0, scalar("select pg_relation_size('" + toast + "')"), "vacuum truncated the emptied TOAST table");
    }

    @Test
    void rollbackOfInsertLeavesNoVisibleChunks() {
        exec("create table r (t text)");
        exec("begin", "insert into r select string_agg(md5(g::text), '') from generate_series(1, 320) g", "rollback");
        assertEquals(0, chunks("r"));
        assertEquals(0, scalar("select count(*) from r"));
        exec("insert into r select string_agg(md5(g::text), '') from generate_series(1, 320) g");
        exec("truncate r");
        assertEquals(0, chunks("r"));
    }

    @Test
    void storageModes() {
        exec("create table s (a int, b text)");
        exec("alter table s alter column b set storage plain");
        assertEquals("p", value("select attstorage from pg_attribute where attrelid = 's'::regclass and attnum = 2"));
        error("insert into s select 1, string_agg(md5(g::text), '') from generate_series(1, 320) g", "54000",
                "row is too big: size 10272, maximum size 8160");
        exec("alter table s alter column b set storage external");
        exec("insert into s values (1, repeat('x', 10000))");
        // EXTERNAL: out of line without compression
        assertEquals(10000, scalar("select pg_column_size(b) from s"));
        exec("alter table s alter column b set storage main");
        exec("insert into s values (2, repeat('x', 10000))");
        assertTrue(scalar("select pg_column_size(b) from s where a = 2") < 400);
        error("alter table s alter column a set storage external", "42804",
                "column data type integer can only have storage PLAIN");
        assertEquals("m", value("select attstorage from pg_attribute where attrelid = 's'::regclass and attnum = 2"));
    }

    @Test
    void temporaryTablesGetATemporaryToastTable() {
        exec("create temp table tmp (id int, t text) on commit delete rows");
        assertEquals("t", value("select relpersistence from pg_class where oid = "
                + "(select reltoastrelid from pg_class where relname = 'tmp')"));
        exec("begin", "insert into tmp select 1, string_agg(md5(g::text), '') from generate_series(1, 320) g");
        assertEquals(10240, scalar("select octet_length(t) from tmp"));
        assertEquals(6, chunks("tmp"));
        exec("commit");
        assertEquals(0, scalar("select count(*) from tmp"));
        assertEquals(0, chunks("tmp"), "ON COMMIT DELETE ROWS empties the TOAST table too");
        exec("drop table tmp");
        assertEquals("0", value("select count(*) from pg_class where relname like 'pg_toast_%' "
                + "and relpersistence = 't'"));
    }

    @Test
    void tooLongIndexKeysFailAsPostgres() {
        exec("create table ix (id int, t text)", "create index ix_t on ix (t)");
        modgres.api.error.PgException e = error("insert into ix select 1, string_agg(md5(g::text), '') "
                + "from generate_series(1, 100) g", "54000",
                "index row size 3216 exceeds btree version 4 maximum 2704 for index \"ix_t\"");
        assertEquals("Index row references tuple (0,1) in relation \"ix\".", e.detail());
        assertTrue(e.hint().startsWith("Values larger than 1/3 of a buffer page cannot be indexed."));
        error("insert into ix select 1, string_agg(md5(g::text), '') from generate_series(1, 320) g", "54000",
                "index row requires 10251 bytes, maximum size is 8191"); // PostgreSQL: 10252 (its key form differs)
    }

    @Test
    void changesWithinOneTransactionAndSavepoints() {
        exec("create table w (id int, n int, t text)");
        String v = "(select string_agg(md5(g::text), '') from generate_series(1, 320) g)";
        exec("begin", "insert into w select 1, 0, " + v, "update w set n = n + 1", "update w set t = t || 'x'",
                "savepoint s", "update w set t = t || 'y'", "rollback to savepoint s", "commit");
        assertEquals(List.of("n|octet_length|ok", "1|10241|t"),
                table("select n, octet_length(t), t = " + v + " || 'x' as ok from w"));
        assertEquals(6, chunks("w"));
        exec("begin", "insert into w select 2, 0, " + v, "delete from w where id = 2", "commit");
        assertEquals(6, chunks("w"));
        exec("begin", "delete from w", "rollback");
        assertEquals(10241, scalar("select octet_length(t) from w"));
        exec("vacuum w");
        assertEquals(6, chunks("w"));
        assertEquals(10241, scalar("select octet_length(t) from w"));
    }

    @Test
    void lz4Compression() {
        exec("create table l (b text)");
        exec("set default_toast_compression = lz4");
        exec("insert into l values (repeat('abc', 5000))");
        exec("reset default_toast_compression");
        assertEquals("t", value("select b = repeat('abc', 5000) from l"));
        assertTrue(scalar("select pg_column_size(b) from l") < 500);
    }

    @Test
    void largeValues() {
        exec("create table big (id int, t text, b bytea)");
        exec("insert into big values (1, repeat('0123456789abcdef', 6553600), null)"); // 100 MB text
        assertEquals(104857600L, scalar("select octet_length(t) from big"));
        assertEquals("t", value("select t = repeat('0123456789abcdef', 6553600) from big"));
        exec("insert into big select 2, null, decode(string_agg(md5(g::text), ''), 'hex') "
                + "from generate_series(1, 6553600) g"); // 100 MB of bytea that does not compress
        assertEquals(104857600L, scalar("select octet_length(b) from big where id = 2"));
        assertEquals(
                value("select md5(decode(string_agg(md5(g::text), ''), 'hex')) from generate_series(1, 6553600) g"),
                value("select md5(b) from big where id = 2"));
        exec("delete from big");
        exec("vacuum big");
        assertEquals(0, chunks("big"));
    }
}
