package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * Foreign keys referencing partitioned tables and on partitioned tables: the pg_constraint rows cloned for
 * partitions (conparentid, PostgreSQL's names), checks looked up in the referenced leaves, ON DELETE CASCADE
 * from a leaf, NO ACTION naming the clone, ALTER TABLE validation, partitions added later, DROP ... CASCADE.
 * Expected rows and errors are PostgreSQL 15's.
 */
class PartitionedForeignKeysTest extends DataEngineTestBase {

    private void referenced() {
        exec("create table pk (a int primary key, t text) partition by range (a)",
                "create table pk1 partition of pk for values from (0) to (10)",
                "create table pk2 partition of pk for values from (10) to (20) partition by range (a)",
                "create table pk21 partition of pk2 for values from (10) to (15)",
                "create table pk22 partition of pk2 for values from (15) to (20)",
                "insert into pk values (1, 'a'), (12, 'b'), (17, 'c')");
    }

    @Test
    void referencingAPartitionedTable() {
        referenced();
        exec("create table ref (id int primary key, a int references pk on delete cascade)",
                "insert into ref values (1, 1), (2, 12), (3, 17), (4, null)");
        PgException e = error("insert into ref values (5, 5)", "23503",
                "insert or update on table \"ref\" violates foreign key constraint \"ref_a_fkey\"");
        assertEquals("Key (a)=(5) is not present in table \"pk\".", e.detail());
        assertEquals(List.of("conname|conrelid|confrelid|child", "ref_a_fkey|ref|pk|f", "ref_a_fkey1|ref|pk1|t",
                "ref_a_fkey2|ref|pk2|t", "ref_a_fkey3|ref|pk21|t", "ref_a_fkey4|ref|pk22|t"),
                table("select conname, conrelid::regclass, confrelid::regclass, conparentid <> 0 as child"
                        + " from pg_constraint where contype = 'f' order by 1, 2, 3"));
        exec("delete from pk where a = 12");
        assertEquals(List.of("id|a", "1|1", "3|17", "4|"), table("select * from ref order by id"));
        exec("create table pk3 partition of pk for values from (20) to (30)");
        assertEquals(List.of("conname|conrelid|confrelid", "ref_a_fkey5|ref|pk3"),
                table("select conname, conrelid::regclass, confrelid::regclass from pg_constraint"
                        + " where contype = 'f' and confrelid = 'pk3'::regclass"));
        exec("insert into pk values (25, 'd')", "insert into ref values (6, 25)");
        exec("create table r2 (a int)", "insert into r2 values (7)");
        error("alter table r2 add foreign key (a) references pk", "23503",
                "insert or update on table \"r2\" violates foreign key constraint \"r2_a_fkey\"");
    }

    @Test
    void partitionedOnBothSides() {
        referenced();
        exec("create table fkp (a int references pk, b int) partition by list (b)",
                "create table fkp1 partition of fkp for values in (1)", "create table fkp2 (a int, b int)",
                "alter table fkp attach partition fkp2 for values in (2)");
        assertEquals(List.of("conname|conrelid|confrelid|child", "fkp_a_fkey|fkp|pk|f", "fkp_a_fkey|fkp1|pk|t",
                "fkp_a_fkey|fkp2|pk|t", "fkp_a_fkey1|fkp|pk1|t", "fkp_a_fkey2|fkp|pk2|t", "fkp_a_fkey3|fkp|pk21|t",
                "fkp_a_fkey4|fkp|pk22|t"), table("select conname, conrelid::regclass, confrelid::regclass,"
                        + " conparentid <> 0 as child from pg_constraint where contype = 'f'"
                        + " and conrelid::regclass::text like 'fkp%' order by 1, 2"));
        exec("insert into fkp values (1, 1), (17, 2)");
        PgException e = error("insert into fkp values (3, 2)", "23503",
                "insert or update on table \"fkp2\" violates foreign key constraint \"fkp_a_fkey\"");
        assertEquals("Key (a)=(3) is not present in table \"pk\".", e.detail());
        error("update fkp set a = 4 where a = 1", "23503",
                "insert or update on table \"fkp1\" violates foreign key constraint \"fkp_a_fkey\"");
        PgException d = error("delete from pk where a = 1", "23503", "update or delete on table \"pk1\" violates"
                + " foreign key constraint \"fkp_a_fkey1\" on table \"fkp\"");
        assertEquals("Key (a)=(1) is still referenced from table \"fkp\".", d.detail());
        exec("drop table pk cascade");
        assertEquals(List.of("conname|conrelid"),
                table("select conname, conrelid::regclass from pg_constraint where contype = 'f'"));
        exec("insert into fkp values (99, 1)");
    }
}
