package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Transition tables (REFERENCING OLD TABLE / NEW TABLE): read by the trigger function as relations, filled
 * by INSERT, UPDATE, DELETE and COPY, on a partitioned table in the partitioned table's layout (a partition
 * with its columns in another order, a moved row in both tables), a ROW trigger seeing the whole statement's
 * rows, and PostgreSQL's restrictions. Expected notices and errors are PostgreSQL 15's.
 */
class TransitionTablesTest extends DataEngineTestBase {

    private List<String> notices(String sql) {
        return run(sql).stream().filter(e -> e.startsWith("N ") || e.startsWith("C ")).toList();
    }

    private static String n(String text) {
        return "N NOTICE 00000 " + text;
    }

    private void showFunction() {
        exec("create function show_tt() returns trigger language plpgsql as $$\n"
                + "declare o text; n text;\n"
                + "begin\n"
                + "  if tg_op in ('UPDATE', 'DELETE') then\n"
                + "    select string_agg(a || ':' || b, ',' order by a) into o from old_t;\n"
                + "  end if;\n"
                + "  if tg_op in ('UPDATE', 'INSERT') then\n"
                + "    select string_agg(a || ':' || b, ',' order by a) into n from new_t;\n"
                + "  end if;\n"
                + "  raise notice '% %: old [%] new [%]', tg_name, tg_op, o, n;\n"
                + "  return null;\n"
                + "end $$");
    }

    @Test
    void plainTable() {
        showFunction();
        exec("create table tt (a int, b text)",
                "create trigger tt_ins after insert on tt referencing new table as new_t for each statement"
                        + " execute function show_tt()",
                "create trigger tt_upd after update on tt referencing old table as old_t new table as new_t"
                        + " for each statement execute function show_tt()",
                "create trigger tt_del after delete on tt referencing old table as old_t for each statement"
                        + " execute function show_tt()");
        assertEquals(List.of(n("tt_ins INSERT: old [<NULL>] new [1:a,2:b,3:c]"), "C INSERT 0 3"),
                notices("insert into tt values (1, 'a'), (2, 'b'), (3, 'c')"));
        assertEquals(List.of(n("tt_upd UPDATE: old [2:b,3:c] new [2:bb,3:cc]"), "C UPDATE 2"),
                notices("update tt set b = b || b where a >= 2"));
        assertEquals(List.of(n("tt_del DELETE: old [1:a] new [<NULL>]"), "C DELETE 1"),
                notices("delete from tt where a = 1"));
        assertEquals(List.of(n("tt_upd UPDATE: old [<NULL>] new [<NULL>]"), "C UPDATE 0"),
                notices("update tt set b = 'none' where a = 99"));
        RecordingSink sink = new RecordingSink() {
            @Override
            public InputStream copyIn(boolean binary, short[] columnFormats) {
                return new ByteArrayInputStream("7\tg\n8\th\n".getBytes(StandardCharsets.UTF_8));
            }
        };
        session.simpleQuery("copy tt from stdin", sink);
        assertEquals(List.of(n("tt_ins INSERT: old [<NULL>] new [7:g,8:h]"), "C COPY 2"),
                sink.events.stream().filter(e -> e.startsWith("N ") || e.startsWith("C ")).toList());
        // a ROW trigger with a transition table sees the statement's rows, once per row
        exec("create trigger rowtt after insert on tt referencing new table as new_t for each row"
                + " execute function show_tt()");
        assertEquals(List.of(n("rowtt INSERT: old [<NULL>] new [20:r1,21:r2]"),
                n("rowtt INSERT: old [<NULL>] new [20:r1,21:r2]"), n("tt_ins INSERT: old [<NULL>] new [20:r1,21:r2]"),
                "C INSERT 0 2"), notices("insert into tt values (20, 'r1'), (21, 'r2')"));
        // the names are the trigger's only: outside it they are unknown
        error("select * from new_t", "42P01", "relation \"new_t\" does not exist");
    }

    @Test
    void partitionedTable() {
        showFunction();
        exec("create table tp (a int, b text) partition by range (a)",
                "create table tp1 partition of tp for values from (0) to (10)",
                "create table tp2 (b text, a int)",
                "alter table tp attach partition tp2 for values from (10) to (20)",
                "create trigger tp_upd after update on tp referencing old table as old_t new table as new_t"
                        + " for each statement execute function show_tt()",
                "create trigger tp_ins after insert on tp referencing new table as new_t for each statement"
                        + " execute function show_tt()");
        assertEquals(List.of(n("tp_ins INSERT: old [<NULL>] new [1:x,15:y]"), "C INSERT 0 2"),
                notices("insert into tp values (1, 'x'), (15, 'y')"));
        assertEquals(List.of(n("tp_upd UPDATE: old [1:x] new [11:x]"), "C UPDATE 1"),
                notices("update tp set a = a + 10 where a = 1"));
        assertEquals(List.of(n("tp_upd UPDATE: old [11:x,15:y] new [11:xx,15:yy]"), "C UPDATE 2"),
                notices("update tp set b = b || b"));
    }

    @Test
    void restrictions() {
        exec("create function f() returns trigger language plpgsql as 'begin return null; end'",
                "create table p (a int) partition by list (a)", "create table p1 partition of p for values in (1)",
                "create table c (a int)", "create table ch () inherits (c)");
        error("create trigger t after insert on p1 referencing new table as nt for each row execute function f()",
                "0A000", "ROW triggers with transition tables are not supported on partitions");
        error("create trigger t after insert on ch referencing new table as nt for each row execute function f()",
                "0A000", "ROW triggers with transition tables are not supported on inheritance children");
        error("create trigger t before insert on c referencing new table as nt for each statement"
                + " execute function f()", "42P17", "transition table name can only be specified for an AFTER trigger");
        error("create trigger t after insert or update on c referencing new table as nt for each statement"
                + " execute function f()", "0A000",
                "transition tables cannot be specified for triggers with more than one event");
        error("create trigger t after update of a on c referencing new table as nt for each statement"
                + " execute function f()", "0A000",
                "transition tables cannot be specified for triggers with column lists");
        error("create trigger t after truncate on c referencing new table as nt for each statement"
                + " execute function f()", "0A000", "TRUNCATE triggers with transition tables are not supported");
        error("create trigger t after insert on c referencing old table as nt for each statement"
                + " execute function f()", "42P17", "OLD TABLE can only be specified for a DELETE or UPDATE trigger");
        error("create trigger t after delete on c referencing new table as nt for each statement"
                + " execute function f()", "42P17", "NEW TABLE can only be specified for an INSERT or UPDATE trigger");
        error("create trigger t after update on c referencing old table as nt new table as nt for each statement"
                + " execute function f()", "42P17", "OLD TABLE name and NEW TABLE name cannot be the same");
        error("create trigger t after update on c referencing old table as nt old table as nx for each statement"
                + " execute function f()", "42P17", "OLD TABLE cannot be specified multiple times");
        assertEquals(List.of("C CREATE TRIGGER"), run("create trigger t after update on c referencing old table as"
                + " o new table as n for each statement execute function f()"));
        assertEquals(List.of("tgname|tgoldtable|tgnewtable", "t|o|n"),
                table("select tgname, tgoldtable, tgnewtable from pg_trigger"));
    }
}
