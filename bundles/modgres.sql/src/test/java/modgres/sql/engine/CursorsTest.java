package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * SQL cursors on the real storage: DECLARE / FETCH / MOVE in every direction,
 * CLOSE, WITH HOLD, subtransactions, failed cursors, pg_cursors. Expected
 * rows, tags and errors are PostgreSQL 15's (taken from a real server).
 */
class CursorsTest extends DataEngineTestBase {

    /** The data rows ("D ...") and the command tag ("C ...") of a statement. */
    private List<String> rows(String sql) {
        List<String> out = new ArrayList<>();
        for (String e : run(sql)) {
            if (e.startsWith("D ") || e.startsWith("C ")) {
                out.add(e);
            }
        }
        return out;
    }

    private void fiveRows() {
        exec("create table t5 (a int)", "insert into t5 select g from generate_series(1, 5) g");
    }

    @Test
    void everyDirectionOfAScrollCursor() {
        fiveRows();
        exec("begin", "declare c scroll cursor for select a from t5 order by a");
        assertEquals(List.of("D 1", "D 2", "C FETCH 2"), rows("fetch 2 from c"));
        assertEquals(List.of("D 1", "C FETCH 1"), rows("fetch prior from c"));
        assertEquals(List.of("D 4", "C FETCH 1"), rows("fetch absolute 4 from c"));
        assertEquals(List.of("D 2", "C FETCH 1"), rows("fetch relative -2 from c"));
        assertEquals(List.of("D 5", "C FETCH 1"), rows("fetch last from c"));
        assertEquals(List.of("C FETCH 0"), rows("fetch next from c"));
        assertEquals(List.of("D 5", "D 4", "C FETCH 2"), rows("fetch backward 2 from c"));
        assertEquals(List.of("D 1", "C FETCH 1"), rows("fetch first from c"));
        assertEquals(List.of("D 1", "C FETCH 1"), rows("fetch relative 0 from c"));
        assertEquals(List.of("D 2", "D 3", "D 4", "D 5", "C FETCH 4"), rows("fetch forward all from c"));
        assertEquals(List.of("C MOVE 5"), rows("move backward all in c"));
        assertEquals(List.of("D 4", "C FETCH 1"), rows("fetch absolute -2 from c"));
        assertEquals(List.of("C MOVE 0"), rows("move absolute 0 in c"));
        assertEquals(List.of("C FETCH 0"), rows("fetch forward 0 from c"));
        assertEquals(List.of("C MOVE 3"), rows("move forward 3 in c"));
        assertEquals(List.of("D 2", "D 1", "C FETCH 2"), rows("fetch backward all from c"));
        assertEquals(List.of("C MOVE 5"), rows("move 10 in c"));
        assertEquals(List.of("C MOVE 0"), rows("move relative 0 in c"));
        assertEquals(List.of("D 5", "C FETCH 1"), rows("fetch -1 from c"));
        assertEquals(List.of("C MOVE 1"), rows("move last in c"));
        assertEquals(List.of("C FETCH 0"), rows("fetch absolute 9 from c"));
        assertEquals(List.of("D 5", "C FETCH 1"), rows("fetch backward 1 from c"));
        exec("commit");
    }

    @Test
    void noScrollCursorOnlyGoesForward() {
        fiveRows();
        exec("begin", "declare n no scroll cursor for select a from t5 order by a");
        assertEquals(List.of("D 1", "D 2", "C FETCH 2"), rows("fetch 2 from n"));
        PgException e = error("fetch absolute 1 from n", "55000", "cursor can only scan forward");
        assertEquals("Declare it with SCROLL option to enable backward scan.", e.hint());
        exec("rollback", "begin", "declare n no scroll cursor for select a from t5 order by a");
        assertEquals(List.of("C MOVE 0"), rows("move absolute 0 in n"));
        assertEquals(List.of("C FETCH 0"), rows("fetch relative 0 in n"));
        assertEquals(List.of("D 1", "C FETCH 1"), rows("fetch n"));
        assertEquals(List.of("D 3", "C FETCH 1"), rows("fetch absolute 3 from n"));
        error("fetch prior from n", "55000", "cursor can only scan forward");
        exec("rollback");
    }

    @Test
    void pgCursorsAndDefaultScrollability() {
        fiveRows();
        exec("begin", "declare a1 cursor for select a from t5", "declare a2 cursor for select count(*) from t5",
                "declare a3 binary cursor with hold for select a from t5 where a > 2");
        assertEquals(List.of("name|is_holdable|is_binary|is_scrollable", "a1|f|f|t", "a2|f|f|f", "a3|t|t|t"),
                table("select name, is_holdable, is_binary, is_scrollable from pg_cursors order by name"));
        assertEquals(List.of("statement", "declare a2 cursor for select count(*) from t5"),
                table("select statement from pg_cursors where name = 'a2'"));
        error("declare a1 cursor for select 1", "42P03", "cursor \"a1\" already exists");
        exec("rollback");
        assertEquals(List.of("count", "0"), table("select count(*) from pg_cursors"));
        assertEquals(List.of("Function Scan on pg_cursor c"), plan("select * from pg_cursors"));
    }

    @Test
    void cursorReadsWithTheSnapshotOfItsDeclare() {
        fiveRows();
        exec("begin", "declare a1 cursor for select a from t5", "insert into t5 values (6)");
        assertEquals(List.of("D 1", "D 2", "D 3", "D 4", "D 5", "C FETCH 5"), rows("fetch all from a1"));
        assertEquals(List.of("C CLOSE CURSOR"), rows("close a1"));
        error("close a1", "34000", "cursor \"a1\" does not exist");
        exec("rollback");
    }

    @Test
    void declareNeedsATransactionBlockUnlessHeld() {
        fiveRows();
        error("declare x cursor for select 1", "25P01", "DECLARE CURSOR can only be used in transaction blocks");
        error("fetch x", "34000", "cursor \"x\" does not exist");
        // several statements in one Query are an implicit block
        assertEquals(List.of("C DECLARE CURSOR", "D 1", "C FETCH 1"),
                rows("declare y cursor for select 1; fetch y"));
    }

    @Test
    void withHoldCursorSurvivesCommitAndLaterRollbacks() {
        fiveRows();
        exec("begin", "declare h scroll cursor with hold for select a from t5 order by a");
        assertEquals(List.of("D 1", "C FETCH 1"), rows("fetch h"));
        exec("commit");
        // the rest was kept at the commit: later changes are not seen
        exec("delete from t5");
        assertEquals(List.of("D 2", "D 3", "C FETCH 2"), rows("fetch 2 from h"));
        exec("begin");
        assertEquals(List.of("D 4", "C FETCH 1"), rows("fetch h"));
        exec("rollback");
        assertEquals(List.of("D 3", "C FETCH 1"), rows("fetch prior from h"));
        assertEquals(List.of("D 5", "C FETCH 1"), rows("fetch last from h"));
        assertEquals(List.of("name|is_holdable", "h|t"), table("select name, is_holdable from pg_cursors"));
        assertEquals(List.of("C CLOSE CURSOR ALL"), rows("close all"));
        error("fetch h", "34000", "cursor \"h\" does not exist");
        // a forward-only held cursor declared outside a block
        exec("insert into t5 select g from generate_series(1, 3) g",
                "declare f no scroll cursor with hold for select a from t5 order by a");
        assertEquals(List.of("D 1", "D 2", "D 3", "C FETCH 3"), rows("fetch all from f"));
        error("fetch prior from f", "55000", "cursor can only scan forward");
    }

    @Test
    void subtransactionRollbackClosesItsCursorsButKeepsFetches() {
        fiveRows();
        exec("begin", "savepoint x", "declare foo cursor for select a from t5 order by a");
        assertEquals(List.of("D 1", "C FETCH 1"), rows("fetch from foo"));
        exec("rollback to x");
        error("fetch from foo", "34000", "cursor \"foo\" does not exist");
        exec("commit");

        exec("begin", "declare foo cursor for select a from t5 order by a");
        assertEquals(List.of("D 1", "C FETCH 1"), rows("fetch from foo"));
        exec("savepoint x");
        assertEquals(List.of("D 2", "C FETCH 1"), rows("fetch from foo"));
        exec("rollback to x");
        assertEquals(List.of("D 3", "C FETCH 1"), rows("fetch from foo"));
        // declared in a released savepoint: belongs to the transaction, survives a later rollback to
        exec("savepoint y", "declare bar cursor for select 7", "release y", "savepoint z", "rollback to z");
        assertEquals(List.of("D 7", "C FETCH 1"), rows("fetch bar"));
        exec("abort");
    }

    @Test
    void cursorWhoseFetchFailedCannotRunAgain() {
        fiveRows();
        exec("begin", "declare c cursor for select a from t5 order by a", "savepoint one");
        assertEquals(List.of("D 1", "D 2", "C FETCH 2"), rows("fetch 2 from c"));
        exec("rollback to savepoint one");
        assertEquals(List.of("D 3", "C FETCH 1"), rows("fetch 1 from c"));
        exec("close c", "declare c cursor for select 10 / (a - 3) from t5 order by a", "savepoint two");
        error("fetch 10 from c", "22012", "division by zero");
        exec("rollback to savepoint two");
        error("fetch 10 from c", "55000", "portal \"c\" cannot be run");
        exec("commit");
    }

    @Test
    void theExecutorRunsOnlyAsFarAsTheFetchesNeed() {
        exec("begin", "declare z cursor for select 1 / (g - 4) from generate_series(1, 10) g");
        // rows 1..3 are computed; row 4 (the division by zero) only when fetched
        assertEquals(List.of("D 0", "D 0", "D -1", "C FETCH 3"), rows("fetch 3 from z"));
        error("fetch z", "22012", "division by zero");
        exec("rollback");
    }

    @Test
    void cursorStartedInARolledBackSubtransactionKeepsRunning() {
        exec("create table big (a int)", "insert into big select (g * 7919) % 30000 from generate_series(1, 30000) g",
                "set work_mem = 64", "begin", "declare s cursor for select a from big order by a", "savepoint p");
        // the first FETCH runs the sort (beyond work_mem: temporary files) inside the savepoint
        assertEquals(List.of("D 0", "D 1", "C FETCH 2"), rows("fetch 2 from s"));
        exec("rollback to savepoint p");
        assertEquals(List.of("D 2", "D 3", "C FETCH 2"), rows("fetch 2 from s"));
        assertEquals(List.of("C MOVE 29996"), rows("move all in s"));
        exec("commit");
    }

    @Test
    void abortClosesTheCursorsOfTablesItCreated() {
        exec("begin", "create table t3 (a int)", "insert into t3 values (5)",
                "declare foo cursor for select * from t3");
        assertEquals(List.of("D 5", "C FETCH 1"), rows("fetch from foo"));
        exec("abort");
        assertEquals(List.of("D 1", "C SELECT 1"), rows("select 1"));
        error("fetch foo", "34000", "cursor \"foo\" does not exist");
    }
}
