package modgres.logger.internal.format;

import static modgres.logger.internal.format.Fixtures.BACKEND;
import static modgres.logger.internal.format.Fixtures.POSTMASTER;
import static modgres.logger.internal.format.Fixtures.T;
import static modgres.logger.internal.format.Fixtures.UTC;
import static modgres.logger.internal.format.Fixtures.message;
import static modgres.logger.internal.format.Fixtures.process;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import modgres.api.log.LogRecord;
import modgres.api.log.Severity;

class StderrFormatTest {
    private static final String P = "%m [%p] ";

    @Test
    void severityThenTwoSpaces() {
        assertEquals("2026-11-24 02:54:35.660 UTC [5647] LOG:  database system is ready to accept connections\n",
                StderrFormat.format(message(POSTMASTER, Severity.LOG, "database system is ready to accept connections"),
                        process(POSTMASTER), P, UTC, Verbosity.DEFAULT));
    }

    @Test
    void everyDebugLevelPrintsDebug() {
        for (Severity s : new Severity[] { Severity.DEBUG1, Severity.DEBUG2, Severity.DEBUG3, Severity.DEBUG4,
                Severity.DEBUG5 }) {
            assertEquals("DEBUG:  x\n", StderrFormat.format(message(POSTMASTER, s, "x"), process(POSTMASTER), "", UTC,
                    Verbosity.DEFAULT));
        }
        assertEquals("NOTICE:  x\n", StderrFormat.format(message(POSTMASTER, Severity.NOTICE, "x"),
                process(POSTMASTER), "", UTC, Verbosity.DEFAULT));
    }

    /** As PostgreSQL printed "could not bind ..." with its HINT: same prefix, the next %l. */
    @Test
    void detailAndHintLinesRepeatThePrefix() {
        Message m = message(POSTMASTER, Severity.LOG, "XX000", "could not bind IPv4 address \"127.0.0.1\"",
                "Address already in use.", "Is another postmaster already running on port 5432?");
        ProcessState p = process(POSTMASTER);
        assertEquals("""
                1 [5647] LOG:  could not bind IPv4 address "127.0.0.1"
                2 [5647] DETAIL:  Address already in use.
                3 [5647] HINT:  Is another postmaster already running on port 5432?
                """, StderrFormat.format(m, p, "%l [%p] ", UTC, Verbosity.DEFAULT));
        assertEquals("4 [5647] LOG:  next\n",
                StderrFormat.format(message(POSTMASTER, Severity.LOG, "next"), p, "%l [%p] ", UTC, Verbosity.DEFAULT));
    }

    @Test
    void hintWithoutDetail() {
        Message m = message(BACKEND, Severity.ERROR, "42P01", "relation \"x\" does not exist", null, "Create it.");
        assertEquals("ERROR:  relation \"x\" does not exist\nHINT:  Create it.\n",
                StderrFormat.format(m, process(BACKEND), "", UTC, Verbosity.DEFAULT));
    }

    @Test
    void newlinesAreFollowedByATab() {
        Message m = message(BACKEND, Severity.ERROR, "22P02", "invalid input syntax for type integer: \"a\nb\"",
                "line one\nline two", null);
        assertEquals("ERROR:  invalid input syntax for type integer: \"a\n\tb\"\nDETAIL:  line one\n\tline two\n",
                StderrFormat.format(m, process(BACKEND), "", UTC, Verbosity.DEFAULT));
    }

    @Test
    void stackTraceFollowsTheDetail() {
        Message m = new Message(new LogRecord(Severity.ERROR, "XX000", POSTMASTER, "boom", "Some detail.", "A hint."),
                T, "java.lang.IllegalStateException: x\n\tat a.b.C.d(C.java:1)");
        assertEquals("""
                ERROR:  boom
                DETAIL:  Some detail.
                \tjava.lang.IllegalStateException: x
                \t\tat a.b.C.d(C.java:1)
                HINT:  A hint.
                """, StderrFormat.format(m, process(POSTMASTER), "", UTC, Verbosity.DEFAULT));
        Message only = new Message(new LogRecord(Severity.ERROR, "XX000", POSTMASTER, "boom", null, null), T,
                "java.lang.RuntimeException");
        assertEquals("ERROR:  boom\nDETAIL:  java.lang.RuntimeException\n",
                StderrFormat.format(only, process(POSTMASTER), "", UTC, Verbosity.DEFAULT));
    }

    @Test
    void verbosity() {
        Message m = message(BACKEND, Severity.ERROR, "22012", "division by zero", "d", "h");
        assertEquals("ERROR:  division by zero\n",
                StderrFormat.format(m, process(BACKEND), "", UTC, Verbosity.TERSE));
        assertEquals("ERROR:  22012: division by zero\nDETAIL:  d\nHINT:  h\n",
                StderrFormat.format(m, process(BACKEND), "", UTC, Verbosity.VERBOSE));
    }

    @Test
    void missingText() {
        assertEquals("LOG:  missing error text\n", StderrFormat.format(message(POSTMASTER, Severity.LOG, null),
                process(POSTMASTER), "", UTC, Verbosity.DEFAULT));
    }

    /** log_temp_files as PostgreSQL 15 writes it: the LOG line, then STATEMENT with the same prefix. */
    @Test
    void statementLineFollows() {
        Message m = new Message(new LogRecord(Severity.LOG, "00000", BACKEND,
                "temporary file: path \"base/pgsql_tmp/pgsql_tmp5660.0\", size 925696", null, null,
                "select * from t order by 1"), 0, null);
        ProcessState p = process(BACKEND);
        String expected = """
                1 [5660] LOG:  temporary file: path "base/pgsql_tmp/pgsql_tmp5660.0", size 925696
                2 [5660] STATEMENT:  select * from t order by 1
                """;
        assertEquals(expected, StderrFormat.format(m, p, "%l [%p] ", UTC, Verbosity.DEFAULT));
        // whatever the verbosity (PostgreSQL's check_log_of_query)
        assertEquals("LOG:  x\nSTATEMENT:  s\n", StderrFormat.format(new Message(new LogRecord(Severity.LOG, "00000",
                BACKEND, "x", null, null, "s"), 0, null), p, "", UTC, Verbosity.TERSE));
    }
}
