package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * Indexes on partitioned tables: the partitioned index (relkind 'I') with one index per partition (created,
 * or an equivalent one attached, by CREATE INDEX, CREATE TABLE ... PARTITION OF and ATTACH PARTITION), the
 * pg_inherits links between them, primary keys cloned as constraints with conparentid, the partition key rule,
 * DROP INDEX, DETACH. Expected rows and errors are PostgreSQL 15's for the same statements.
 */
class PartitionedIndexesTest extends DataEngineTestBase {

    private void tables() {
        exec("create table pt (a int primary key, b text) partition by range (a)",
                "create table pt1 partition of pt for values from (0) to (10)",
                "create index on pt (b)",
                "create table pt2 (b text, a int not null)",
                "create index pt2_own on pt2 (b)",
                "alter table pt attach partition pt2 for values from (10) to (20)");
    }

    @Test
    void indexesAndConstraintsPerPartition() {
        tables();
        assertEquals(List.of("relname|relkind|inhparent", "pt|p|", "pt1|r|pt", "pt1_b_idx|i|pt_b_idx",
                "pt1_pkey|i|pt_pkey", "pt2|r|pt", "pt2_own|i|pt_b_idx", "pt2_pkey|i|pt_pkey", "pt_b_idx|I|",
                "pt_pkey|I|"), table("select c.relname, c.relkind, i.inhparent::regclass from pg_class c left join"
                        + " pg_inherits i on i.inhrelid = c.oid where relname like 'pt%' order by 1"));
        assertEquals(List.of("conname|conrelid|contype|child|conislocal|coninhcount", "pt1_pkey|pt1|p|t|f|1",
                "pt2_pkey|pt2|p|t|f|1", "pt_pkey|pt|p|f|t|0"),
                table("select conname, conrelid::regclass, contype, conparentid <> 0 as child, conislocal,"
                        + " coninhcount from pg_constraint where conrelid::regclass::text like 'pt%' order by 1, 2"));
        exec("insert into pt values (1, 'x'), (11, 'y')");
        PgException dup = error("insert into pt values (11, 'z')", "23505",
                "duplicate key value violates unique constraint \"pt2_pkey\"");
        assertEquals("Key (a)=(11) already exists.", dup.detail());
    }

    @Test
    void partitionKeyMustBeInUniqueKeys() {
        PgException e = error("create table uq (a int, b int, unique (b)) partition by list (a)", "0A000",
                "unique constraint on partitioned table must include all partitioning columns");
        assertEquals("UNIQUE constraint on table \"uq\" lacks column \"a\" which is part of the partition key.",
                e.detail());
        exec("create table uq (a int, b int) partition by list (a)");
        error("create unique index on uq (b)", "0A000",
                "unique constraint on partitioned table must include all partitioning columns");
        PgException x = error("create table ue (a int, b int, primary key (b)) partition by list ((a + 1))",
                "0A000", "unsupported PRIMARY KEY constraint with partition key definition");
        assertEquals("PRIMARY KEY constraints cannot be used when partition keys include expressions.", x.detail());
        exec("create unique index uq_ab on uq (b, a)", "create table uq1 partition of uq for values in (1)",
                "insert into uq values (1, 5)");
        error("insert into uq values (1, 5)", "23505", "duplicate key value violates unique constraint \"uq1_b_a_idx\"");
    }

    @Test
    void dropIndexAndDetach() {
        tables();
        error("drop index pt2_own", "2BP01", "cannot drop index pt2_own because index pt_b_idx requires it");
        assertEquals("You can drop index pt_b_idx instead.", error("drop index pt1_b_idx").hint());
        exec("drop index pt_b_idx");
        assertEquals(List.of("relname"), table("select relname from pg_class where relname like 'pt%b%'"));
        exec("alter table pt detach partition pt2");
        assertEquals(List.of("relname|inhparent", "pt|", "pt1|pt", "pt1_pkey|pt_pkey", "pt2|", "pt2_pkey|",
                "pt_pkey|"), table("select c.relname, i.inhparent::regclass from pg_class c left join pg_inherits i"
                        + " on i.inhrelid = c.oid where relname like 'pt%' order by 1"));
        assertEquals(List.of("conname|conrelid|child|conislocal|coninhcount", "pt1_pkey|pt1|t|f|1",
                "pt2_pkey|pt2|f|t|0", "pt_pkey|pt|f|t|0"), table("select conname, conrelid::regclass,"
                        + " conparentid <> 0 as child, conislocal, coninhcount from pg_constraint"
                        + " where conrelid::regclass::text like 'pt%' order by 1, 2"));
        exec("alter table pt drop constraint pt_pkey");
        assertEquals(List.of("relname", "pt", "pt1", "pt2", "pt2_pkey"),
                table("select relname from pg_class where relname like 'pt%' order by 1"));
    }

    @Test
    void subPartitionsGetPartitionedIndexes() {
        exec("create table m (a int, b int) partition by range (a)",
                "create table m1 partition of m for values from (0) to (10) partition by list (b)",
                "create table m11 partition of m1 for values in (1)",
                "create index m_b on m (b)",
                "create table m12 partition of m1 for values in (2)");
        assertEquals(List.of("relname|relkind|inhparent", "m11_b_idx|i|m1_b_idx", "m12_b_idx|i|m1_b_idx",
                "m1_b_idx|I|m_b", "m_b|I|"), table("select c.relname, c.relkind, i.inhparent::regclass"
                        + " from pg_class c left join pg_inherits i on i.inhrelid = c.oid"
                        + " where c.relkind in ('i', 'I') and relname like 'm%' order by 1"));
    }
}
