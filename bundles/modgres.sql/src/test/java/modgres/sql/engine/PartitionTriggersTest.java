package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * Triggers on partitioned tables: ROW triggers cloned to every partition (also one created later), statement
 * triggers only on the table a statement names, BEFORE ROW triggers of a partition during tuple routing (a
 * changed row re-checked against the partition, NULL skipping it, COPY too), DROP TRIGGER on the parent,
 * and the UPDATE triggers of INSERT ... ON CONFLICT DO UPDATE. Expected notices, rows and errors are
 * PostgreSQL 15's for the same statements.
 */
class PartitionTriggersTest extends DataEngineTestBase {

    private List<String> notices(String sql) {
        return run(sql).stream().filter(e -> e.startsWith("N ") || e.startsWith("C ")).toList();
    }

    private static String n(String text) {
        return "N NOTICE 00000 " + text;
    }

    private void logTable() {
        exec("create table p (a int, b text) partition by list (a)",
                "create table p1 partition of p for values in (1)",
                "create table p2 partition of p for values in (2)",
                "create function log_trig() returns trigger language plpgsql as $$\n"
                        + "begin\n"
                        + "  raise notice '% % % % on %: old % new %', tg_name, tg_when, tg_level, tg_op, tg_table_name,\n"
                        + "    case when tg_level = 'ROW' and tg_op <> 'INSERT' then old.b end,\n"
                        + "    case when tg_level = 'ROW' and tg_op <> 'DELETE' then new.b end;\n"
                        + "  if tg_level = 'ROW' and tg_when = 'BEFORE' then\n"
                        + "    if tg_op = 'DELETE' then return old; end if;\n"
                        + "    new.b = new.b || '+' || tg_table_name;\n"
                        + "    return new;\n"
                        + "  end if;\n"
                        + "  return null;\n"
                        + "end $$");
    }

    @Test
    void rowTriggersOfTheParentFireOnEveryPartition() {
        logTable();
        exec("create trigger br before insert or update on p for each row execute function log_trig()",
                "create trigger ar after insert or update or delete on p for each row execute function log_trig()",
                "create trigger bs before insert or update or delete on p for each statement"
                        + " execute function log_trig()",
                "create trigger as_p1 after insert on p1 for each statement execute function log_trig()",
                "create table p3 partition of p for values in (3)");
        assertEquals(List.of(n("bs BEFORE STATEMENT INSERT on p: old <NULL> new <NULL>"),
                n("br BEFORE ROW INSERT on p1: old <NULL> new x"), n("br BEFORE ROW INSERT on p3: old <NULL> new y"),
                n("ar AFTER ROW INSERT on p1: old <NULL> new x+p1"), n("ar AFTER ROW INSERT on p3: old <NULL> new y+p3"),
                "C INSERT 0 2"), notices("insert into p values (1, 'x'), (3, 'y')"));
        assertEquals(List.of("tableoid|a|b", "p1|1|x+p1", "p3|3|y+p3"),
                table("select tableoid::regclass, * from p order by a"));
        assertEquals(List.of(n("bs BEFORE STATEMENT UPDATE on p: old <NULL> new <NULL>"),
                n("br BEFORE ROW UPDATE on p3: old y+p3 new z"), n("ar AFTER ROW UPDATE on p3: old y+p3 new z+p3"),
                "C UPDATE 1"), notices("update p set b = 'z' where a = 3"));
        assertEquals(List.of(n("bs BEFORE STATEMENT DELETE on p: old <NULL> new <NULL>"),
                n("ar AFTER ROW DELETE on p1: old x+p1 new <NULL>"), "C DELETE 1"),
                notices("delete from p where a = 1"));
        // straight into the partition: the clones fire, and the partition's own statement trigger
        assertEquals(List.of(n("br BEFORE ROW INSERT on p1: old <NULL> new direct"),
                n("ar AFTER ROW INSERT on p1: old <NULL> new direct+p1"),
                n("as_p1 AFTER STATEMENT INSERT on p1: old <NULL> new <NULL>"), "C INSERT 0 1"),
                notices("insert into p1 values (1, 'direct')"));
        exec("drop trigger br on p");
        assertEquals(List.of(n("bs BEFORE STATEMENT INSERT on p: old <NULL> new <NULL>"),
                n("ar AFTER ROW INSERT on p2: old <NULL> new w"), "C INSERT 0 1"),
                notices("insert into p values (2, 'w')"));
        assertEquals(List.of("tableoid|a|b", "p1|1|direct+p1", "p2|2|w", "p3|3|z+p3"),
                table("select tableoid::regclass, * from p order by a"));
    }

    @Test
    void beforeTriggerOfAPartitionSkipsOrChangesRoutedRows() {
        logTable();
        exec("create function skip_trig() returns trigger language plpgsql as"
                + " $$ begin raise notice 'skip %', new.b; return null; end $$",
                "create trigger sk before insert on p2 for each row execute function skip_trig()");
        assertEquals(List.of(n("skip gone"), "C INSERT 0 1"), notices("insert into p values (2, 'gone'), (1, 'kept')"));
        RecordingSink sink = new RecordingSink() {
            @Override
            public InputStream copyIn(boolean binary, short[] columnFormats) {
                return new ByteArrayInputStream("2\tgone2\n1\tkept2\n".getBytes(StandardCharsets.UTF_8));
            }
        };
        session.simpleQuery("copy p from stdin", sink);
        assertEquals(List.of(n("skip gone2"), "C COPY 1"),
                sink.events.stream().filter(e -> e.startsWith("N ") || e.startsWith("C ")).toList());
        assertEquals(List.of("tableoid|a|b", "p1|1|kept", "p1|1|kept2"),
                table("select tableoid::regclass, * from p order by a, b"));
        exec("create table p3 partition of p for values in (3)",
                "create function moveit() returns trigger language plpgsql as $$ begin new.a = 2; return new; end $$",
                "create trigger mv before insert on p3 for each row execute function moveit()");
        PgException e = error("insert into p values (3, 'moved')", "23514",
                "new row for relation \"p3\" violates partition constraint");
        assertEquals("Failing row contains (2, moved).", e.detail());
    }

    @Test
    void inheritedTriggerMustNotMoveTheRowAndClonesOwnTheirName() {
        exec("create table q (a int, b text) partition by list (a)",
                "create table q1 partition of q for values in (1)",
                "create table q2 partition of q for values in (2)",
                "create function chg() returns trigger language plpgsql as $$ begin new.a = 2; return new; end $$",
                "create trigger chg before insert or update on q for each row execute function chg()");
        for (String sql : List.of("insert into q values (1, 'x')", "insert into q1 values (1, 'x')")) {
            PgException e = error(sql, "0A000",
                    "moving row to another partition during a BEFORE FOR EACH ROW trigger is not supported");
            assertEquals("Before executing trigger \"chg\", the row was to be in partition \"public.q1\".",
                    e.detail());
        }
        PgException e = error("drop trigger chg on q1", "2BP01",
                "cannot drop trigger chg on table q1 because trigger chg on table q requires it");
        assertEquals("You can drop trigger chg on table q instead.", e.hint());
        error("create trigger chg before insert on q2 for each row execute function chg()", "42710",
                "trigger \"chg\" for relation \"q2\" already exists");
        exec("drop trigger chg on q", "insert into q values (1, 'x')",
                "create trigger own before update on q1 for each row execute function chg()");
        // the partition's own trigger: straight into it a violation, through the parent a row movement
        error("update q1 set b = 'y'", "23514", "new row for relation \"q1\" violates partition constraint");
        error("create trigger own before insert on q for each row execute function chg()", "42710",
                "trigger \"own\" for relation \"q1\" already exists");
        assertEquals(List.of("C UPDATE 1"), run("update q set b = 'y'"));
        assertEquals(List.of("tableoid|a|b", "q2|2|y"), table("select tableoid::regclass, * from q"));
    }

    @Test
    void checkConstraintSeesTheRowTheTriggerReturned() {
        exec("create table ml (a int, b int) partition by list (a)",
                "create table ml1 partition of ml for values in (1)",
                "alter table ml1 add constraint check_b check (b = 3)",
                "create function ml_trig() returns trigger language plpgsql as"
                        + " $$ begin new.b := new.b + 2; return new; end $$",
                "create trigger ml1_trig before insert on ml1 for each row execute function ml_trig()");
        PgException e = error("insert into ml values (1, 2)", "23514",
                "new row for relation \"ml1\" violates check constraint \"check_b\"");
        assertEquals("Failing row contains (1, 4).", e.detail());
        assertEquals(List.of("C INSERT 0 1"), run("insert into ml values (1, 1)"));
    }

    @Test
    void onConflictDoUpdateFiresUpdateTriggers() {
        exec("create table u (k int primary key, v text)", "insert into u values (1, 'old')",
                "create function u_log() returns trigger language plpgsql as $$\n"
                        + "begin\n"
                        + "  raise notice '% % % %', tg_name, tg_when, tg_level, tg_op;\n"
                        + "  if tg_level = 'ROW' then return new; end if;\n"
                        + "  return null;\n"
                        + "end $$",
                "create trigger u_bi before insert on u for each row execute function u_log()",
                "create trigger u_ai after insert on u for each row execute function u_log()",
                "create trigger u_bu before update on u for each row execute function u_log()",
                "create trigger u_au after update on u for each row execute function u_log()",
                "create trigger u_bis before insert on u for each statement execute function u_log()",
                "create trigger u_bus before update on u for each statement execute function u_log()",
                "create trigger u_ais after insert on u for each statement execute function u_log()",
                "create trigger u_aus after update on u for each statement execute function u_log()");
        assertEquals(List.of(n("u_bis BEFORE STATEMENT INSERT"), n("u_bus BEFORE STATEMENT UPDATE"),
                n("u_bi BEFORE ROW INSERT"), n("u_bu BEFORE ROW UPDATE"), n("u_bi BEFORE ROW INSERT"),
                n("u_au AFTER ROW UPDATE"), n("u_ai AFTER ROW INSERT"), n("u_aus AFTER STATEMENT UPDATE"),
                n("u_ais AFTER STATEMENT INSERT"), "C INSERT 0 2"),
                notices("insert into u values (1, 'new'), (2, 'two') on conflict (k) do update set v = excluded.v"));
        assertEquals(List.of("k|v", "1|new", "2|two"), table("select * from u order by k"));
    }
}
