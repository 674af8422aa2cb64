package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * INSERT ... ON CONFLICT on partitioned tables: arbiters resolved per leaf through the partitioned index, DO
 * UPDATE's SET/WHERE/RETURNING over the partitioned table's layout for a leaf with another column order and a
 * dropped column, DO NOTHING with and without a target, the row-movement refusal. PostgreSQL 15's results.
 */
class PartitionedOnConflictTest extends DataEngineTestBase {

    private void upsertTable() {
        exec("create table up (a int, b text, c int) partition by list (a)",
                "create table up1 partition of up for values in (1, 2)",
                "create table up2 (c int, b text, a int)", "alter table up2 drop column c",
                "alter table up2 add column c int", "alter table up attach partition up2 for values in (3, 4)",
                "create unique index on up (a)", "insert into up values (1, 'one', 10), (3, 'three', 30)");
    }

    @Test
    void doUpdateAcrossLeavesWithOtherLayouts() {
        upsertTable();
        assertEquals(List.of("tableoid|a|b|c", "up1|1|one/uno|11", "up2|3|three/tres|31", "up2|4|four|40"),
                table("insert into up values (1, 'uno', 11), (3, 'tres', 31), (4, 'four', 40) on conflict (a)"
                        + " do update set b = up.b || '/' || excluded.b, c = excluded.c"
                        + " returning tableoid::regclass, *"));
        assertEquals(List.of("a|b|c"), table("insert into up values (3, 'x', 0) on conflict (a)"
                + " do update set c = up.c + 1 where up.c > 100 returning *"));
        assertEquals(List.of("tableoid|a|b|c", "up1|1|one/uno|11", "up2|3|three/tres|31", "up2|4|four|40"),
                table("select tableoid::regclass, * from up order by a"));
    }

    @Test
    void doNothingWithAndWithoutTarget() {
        upsertTable();
        assertEquals(List.of("a|b|c", "2|two|20"),
                table("insert into up values (1, 'x', 0), (2, 'two', 20) on conflict do nothing returning *"));
        assertEquals(List.of("C INSERT 0 0"), run("insert into up values (3, 'y', 0) on conflict (a) do nothing"));
        PgException e = error("insert into up values (9, 'x', 0) on conflict (a) do nothing", "23514",
                "no partition of relation \"up\" found for row");
        assertEquals("Partition key of the failing row contains (a) = (9).", e.detail());
        exec("create table nk (a int, b int) partition by range (a)",
                "create table nk1 partition of nk for values from (0) to (10)");
        error("insert into nk values (1, 1) on conflict (b) do nothing", "42P10",
                "there is no unique or exclusion constraint matching the ON CONFLICT specification");
        assertEquals(List.of("C INSERT 0 1"), run("insert into nk values (1, 1) on conflict do nothing"));
    }

    @Test
    void updateThatWouldMoveTheRowIsRefused() {
        upsertTable();
        PgException e = error("insert into up values (3, 'x', 0) on conflict (a) do update set a = 1", "0A000",
                "invalid ON UPDATE specification");
        assertEquals("The result tuple would appear in a different partition than the original tuple.", e.detail());
        exec("insert into up values (4, 'four', 40)");
        error("insert into up values (3, 'x', 0) on conflict (a) do update set a = 4", "23505",
                "duplicate key value violates unique constraint \"up2_a_idx\"");
        error("insert into up values (3, 'x', 0), (3, 'y', 0) on conflict (a) do update set b = excluded.b",
                "21000", "ON CONFLICT DO UPDATE command cannot affect row a second time");
    }
}
