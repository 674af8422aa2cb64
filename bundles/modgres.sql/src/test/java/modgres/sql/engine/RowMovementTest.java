package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * UPDATE moving rows between partitions: BEFORE UPDATE and BEFORE DELETE of the source partition, BEFORE
 * INSERT of the destination (which may change the row), AFTER DELETE and AFTER INSERT queued (no AFTER
 * UPDATE), statement triggers of the named table only; a BEFORE DELETE returning NULL keeps the row where
 * it is. Expected notices and rows are PostgreSQL 15's for the same statements.
 */
class RowMovementTest extends DataEngineTestBase {

    private List<String> notices(String sql) {
        return run(sql).stream().filter(e -> e.startsWith("N ") || e.startsWith("C ") || e.startsWith("D ")).toList();
    }

    private static String n(String text) {
        return "N NOTICE 00000 " + text;
    }

    @Test
    void triggersOfSourceAndDestination() {
        exec("create table r (a int, b text) partition by range (a)",
                "create table r1 partition of r for values from (0) to (10)",
                "create table r2 partition of r for values from (10) to (20)",
                "create function t_log() returns trigger language plpgsql as $$\n"
                        + "begin\n"
                        + "  raise notice '% % % on %: old % new %', tg_name, tg_when, tg_op, tg_table_name,\n"
                        + "    case when tg_level = 'ROW' and tg_op <> 'INSERT' then old.a end,\n"
                        + "    case when tg_level = 'ROW' and tg_op <> 'DELETE' then new.a end;\n"
                        + "  if tg_level = 'ROW' and tg_when = 'BEFORE' then\n"
                        + "    if tg_op = 'DELETE' then return old; end if;\n"
                        + "    return new;\n"
                        + "  end if;\n"
                        + "  return null;\n"
                        + "end $$",
                "create trigger r1_bu before update on r1 for each row execute function t_log()",
                "create trigger r1_bd before delete on r1 for each row execute function t_log()",
                "create trigger r1_ad after delete on r1 for each row execute function t_log()",
                "create trigger r1_au after update on r1 for each row execute function t_log()",
                "create trigger r2_bi before insert on r2 for each row execute function t_log()",
                "create trigger r2_ai after insert on r2 for each row execute function t_log()",
                "create trigger r2_us after update on r2 for each statement execute function t_log()",
                "create trigger r_us after update on r for each statement execute function t_log()",
                "create trigger r_is after insert on r for each statement execute function t_log()");
        assertEquals(List.of(n("r_is AFTER INSERT on r: old <NULL> new <NULL>"), "C INSERT 0 2"),
                notices("insert into r values (1, 'one'), (2, 'two')"));
        assertEquals(List.of(n("r1_bu BEFORE UPDATE on r1: old 1 new 11"),
                n("r1_bd BEFORE DELETE on r1: old 1 new <NULL>"), n("r2_bi BEFORE INSERT on r2: old <NULL> new 11"),
                n("r1_ad AFTER DELETE on r1: old 1 new <NULL>"), n("r2_ai AFTER INSERT on r2: old <NULL> new 11"),
                n("r_us AFTER UPDATE on r: old <NULL> new <NULL>"), "C UPDATE 1"),
                notices("update r set a = a + 10 where a = 1"));
        assertEquals(List.of("tableoid|a|b", "r1|2|two", "r2|11|one"),
                table("select tableoid::regclass, * from r order by a"));
        // the destination's BEFORE INSERT trigger changes the moved row; RETURNING shows what was stored
        exec("create function bump() returns trigger language plpgsql as"
                + " $$ begin new.b = new.b || '!'; new.a = new.a + 1; return new; end $$",
                "create trigger r2_bump before insert on r2 for each row execute function bump()");
        assertEquals(List.of(n("r1_bu BEFORE UPDATE on r1: old 2 new 12"),
                n("r1_bd BEFORE DELETE on r1: old 2 new <NULL>"), n("r2_bi BEFORE INSERT on r2: old <NULL> new 12"),
                n("r1_ad AFTER DELETE on r1: old 2 new <NULL>"), n("r2_ai AFTER INSERT on r2: old <NULL> new 13"),
                n("r_us AFTER UPDATE on r: old <NULL> new <NULL>"), "D 13|two!", "C UPDATE 1"),
                notices("update r set a = 12 where a = 2 returning *"));
        assertEquals(List.of("tableoid|a|b", "r2|11|one", "r2|13|two!"),
                table("select tableoid::regclass, * from r order by a"));
        // a BEFORE DELETE trigger of the source returning NULL: the row does not move
        exec("create function nomove() returns trigger language plpgsql as"
                + " $$ begin raise notice 'no delete of %', old.a; return null; end $$",
                "create trigger r2_zz before delete on r2 for each row execute function nomove()");
        assertEquals(List.of(n("no delete of 13"), n("r_us AFTER UPDATE on r: old <NULL> new <NULL>"), "C UPDATE 0"),
                notices("update r set a = 5 where a = 13"));
        assertEquals(List.of("tableoid|a|b", "r2|11|one", "r2|13|two!"),
                table("select tableoid::regclass, * from r order by a"));
    }

    @Test
    void beforeUpdateTriggerOfTheSourceDecidesWhereTheRowGoes() {
        // update.sql's func_parted_mod_b: BEFORE UPDATE/INSERT triggers on partitions changing the key
        exec("create table lp (a int, b int, c int) partition by list (a)",
                "create table lp1 partition of lp for values in (1)",
                "create table lp2 partition of lp for values in (2)",
                "insert into lp values (1, 5, 10), (2, 6, 20)",
                "create function mod_a() returns trigger language plpgsql as"
                        + " $$ begin new.a = 2; new.b = new.b + 100; return new; end $$",
                "create trigger lp1_bu before update on lp1 for each row execute function mod_a()");
        assertEquals(List.of("C UPDATE 1"), run("update lp set c = c + 1 where a = 1"));
        assertEquals(List.of("tableoid|a|b|c", "lp2|2|105|11", "lp2|2|6|20"),
                table("select tableoid::regclass, * from lp order by c"));
    }
}
