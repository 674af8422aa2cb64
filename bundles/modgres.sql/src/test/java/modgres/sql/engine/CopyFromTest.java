package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * COPY FROM STDIN through the batched insert: rows across several batches
 * with their index entries, and errors in the middle of a batch reported as
 * PostgreSQL 15 reports them (message, DETAIL, CONTEXT: "COPY t, line N...",
 * outputs taken from PostgreSQL 15) with nothing of the COPY left visible.
 */
class CopyFromTest extends DataEngineTestBase {

    @BeforeEach
    void tables() {
        exec("CREATE TABLE t (a int PRIMARY KEY, b text NOT NULL, c int DEFAULT 7 CHECK (c > 0))",
                "CREATE TABLE r (x int REFERENCES t (a))");
    }

    List<String> copy(String sql, String data) {
        RecordingSink sink = new RecordingSink() {
            @Override
            public InputStream copyIn(boolean binary, short[] columnFormats) {
                return new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8));
            }
        };
        session.simpleQuery(sql, sink);
        return sink.events;
    }

    /** COPY with the data handed over {@code chunk} bytes per read (the reader's buffer edges). */
    List<String> copyInChunks(String sql, String data, int chunk) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        RecordingSink sink = new RecordingSink() {
            @Override
            public InputStream copyIn(boolean binary, short[] columnFormats) {
                return new ByteArrayInputStream(bytes) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(b, off, Math.min(len, chunk));
                    }
                };
            }
        };
        session.simpleQuery(sql, sink);
        return sink.events;
    }

    PgException copyError(String sql, String data, String state, String message, String context) {
        PgException e = assertThrows(PgException.class, () -> copy(sql, data));
        assertEquals(state + " " + message, e.sqlState() + " " + e.getMessage());
        assertEquals(context, e.context());
        return e;
    }

    static String rows(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i <= to; i++) {
            b.append(i).append('\t').append("row ").append(i).append('\n');
        }
        return b.toString();
    }

    List<String> count() {
        return table("SELECT count(*) FROM t");
    }

    @Test
    void rowsOfSeveralBatchesGetTheirDefaultsAndIndexEntries() {
        assertEquals(List.of("C COPY 2500"), copy("COPY t (a, b) FROM STDIN", rows(1, 2500)));
        assertEquals(List.of("count|sum|min|max", "2500|3126250|7|7"),
                table("SELECT count(*), sum(a), min(c), max(c) FROM t"));
        exec("SET enable_seqscan = off");
        assertEquals(List.of("b", "row 1999"), table("SELECT b FROM t WHERE a = 1999"));
        assertEquals(List.of("count", "2500"), table("SELECT count(*) FROM t WHERE a > 0"));
        // the table goes on normally: an update of a copied row, a duplicate insert
        exec("UPDATE t SET b = 'changed' WHERE a = 1000");
        assertEquals(List.of("b", "changed"), table("SELECT b FROM t WHERE a = 1000"));
        error("INSERT INTO t VALUES (2500, 'again')", "23505",
                "duplicate key value violates unique constraint \"t_pkey\"");
    }

    @Test
    void wideRowsFlushByBytes() {
        StringBuilder b = new StringBuilder();
        String wide = "w".repeat(3000);
        for (int i = 1; i <= 120; i++) {
            b.append(i).append('\t').append(wide).append(i).append('\n');
        }
        assertEquals(List.of("C COPY 120"), copy("COPY t (a, b) FROM STDIN", b.toString()));
        assertEquals(List.of("count|sum", "120|360000"), table("SELECT count(*), sum(length(b) - length(a::text)) FROM t"));
    }

    @Test
    void aBadValueInLineNOfABatchNamesLineAndColumnAndLeavesNothing() {
        copyError("COPY t (a, b) FROM STDIN", rows(1, 1202) + "abc\tbad\n" + rows(1204, 1300), "22P02",
                "invalid input syntax for type integer: \"abc\"", "COPY t, line 1203, column a: \"abc\"");
        assertEquals(List.of("count", "0"), count());
    }

    @Test
    void aDuplicateKeyFoundWhileTheBufferIsFlushedNamesItsOwnLine() {
        // line 700 repeats line 5: both are in the first batch, found when line 700's entry goes in
        copyError("COPY t (a, b) FROM STDIN", rows(1, 699) + "5\tdup\n" + rows(800, 899), "23505",
                "duplicate key value violates unique constraint \"t_pkey\"", "COPY t, line 700");
        assertEquals(List.of("count", "0"), count());
        // in a later batch, against a row of an earlier one
        copyError("COPY t (a, b) FROM STDIN", rows(1, 2100) + "17\tdup\n", "23505",
                "duplicate key value violates unique constraint \"t_pkey\"", "COPY t, line 2101");
        assertEquals(List.of("count", "0"), count());
    }

    @Test
    void inATransactionTheFailedCopyLeavesEarlierWorkToTheSavepoint() {
        exec("BEGIN", "INSERT INTO t VALUES (0, 'before')", "SAVEPOINT s");
        copyError("COPY t (a, b) FROM STDIN", rows(1, 1500) + "1501\t\\N\n", "23502",
                "null value in column \"b\" of relation \"t\" violates not-null constraint",
                "COPY t, line 1501: \"1501\t\\N\"");
        exec("ROLLBACK TO SAVEPOINT s");
        assertEquals(List.of("count", "1"), count());
        assertEquals(List.of("C COPY 3"), copy("COPY t (a, b) FROM STDIN", rows(1, 3)));
        exec("COMMIT");
        assertEquals(List.of("count", "4"), count());
    }

    @Test
    void lineErrorsShowTheLineText() {
        copyError("COPY t (a, b) FROM STDIN", "1\tx\n2\n", "22P04", "missing data for column \"b\"",
                "COPY t, line 2: \"2\"");
        PgException e = copyError("COPY t FROM STDIN", "1\tx\t5\n3\tz\t-1\n", "23514",
                "new row for relation \"t\" violates check constraint \"t_c_check\"", "COPY t, line 2: \"3\tz\t-1\"");
        assertEquals("Failing row contains (3, z, -1).", e.detail());
        copyError("COPY t FROM STDIN", "1\tx\t5\textra\n", "22P04", "extra data after last expected column",
                "COPY t, line 1: \"1\tx\t5\textra\"");
        // a long line is cut at 100 bytes, on a character boundary
        String e120 = "\u00e9".repeat(120);
        copyError("COPY t FROM STDIN", "1\t" + e120 + "\t-5\n", "23514",
                "new row for relation \"t\" violates check constraint \"t_c_check\"",
                "COPY t, line 1: \"1\t" + "\u00e9".repeat(49) + "...\"");
        String x120 = "x".repeat(120);
        copyError("COPY t (a, b) FROM STDIN", x120 + "\tb\n", "22P02",
                "invalid input syntax for type integer: \"" + x120 + "\"",
                "COPY t, line 1, column a: \"" + "x".repeat(100) + "...\"");
        assertEquals(List.of("count", "0"), count());
    }

    @Test
    void csvLineNumbersCountQuotedNewlinesAfterTheFirstRecord() {
        copyError("COPY t (a, c) FROM STDIN (FORMAT csv, DELIMITER E'\\t')", "1\t\"a\nb\"\n", "22P02",
                "invalid input syntax for type integer: \"a\nb\"", "COPY t, line 1, column c: \"a\nb\"");
        copyError("COPY t (a, b) FROM STDIN (FORMAT csv, DELIMITER E'\\t')", "1\t\"a\nb\"\n2\t\"c\n", "22P04",
                "unterminated CSV quoted field", "COPY t, line 3: \"2\t\"c\n\"");
        copyError("COPY t (a, b) FROM STDIN (FORMAT csv, HEADER, DELIMITER E'\\t')", "a\tb\n1\tx\n1\ty\n", "23505",
                "duplicate key value violates unique constraint \"t_pkey\"", "COPY t, line 3");
    }

    @Test
    void foreignKeysAreCheckedAtTheEndWithoutALine() {
        copy("COPY t (a, b) FROM STDIN", rows(1, 10));
        assertEquals(List.of("C COPY 2"), copy("COPY r FROM STDIN", "1\n10\n"));
        copyError("COPY r FROM STDIN", "2\n11\n", "23503",
                "insert or update on table \"r\" violates foreign key constraint \"r_x_fkey\"", null);
        assertEquals(List.of("count", "2"), table("SELECT count(*) FROM r"));
    }

    @Test
    void tempTablesToo() {
        exec("CREATE TEMP TABLE tt (a int PRIMARY KEY, b text)");
        assertEquals(List.of("C COPY 1500"), copy("COPY tt FROM STDIN", rows(1, 1500)));
        assertEquals(List.of("count|sum", "1500|1125750"), table("SELECT count(*), sum(a) FROM tt"));
        copyError("COPY tt FROM STDIN", rows(2000, 2010) + "2003\tagain\n", "23505",
                "duplicate key value violates unique constraint \"tt_pkey\"", "COPY tt, line 12");
    }

    static final String NOT_NEW = "cannot perform COPY FREEZE because the table was not created or truncated in "
            + "the current subtransaction";

    @Test
    void freezeNeedsATableFileNewInTheCurrentSubtransaction() {
        copyError("COPY t (a, b) FROM STDIN (FREEZE)", rows(1, 3), "55000", NOT_NEW, null);
        exec("BEGIN", "TRUNCATE t CASCADE", "SAVEPOINT s");
        copyError("COPY t (a, b) FROM STDIN (FREEZE)", rows(1, 3), "55000", NOT_NEW, null);
        exec("ROLLBACK");
        // truncated in a released savepoint: the file now belongs to the level above
        exec("BEGIN", "TRUNCATE t CASCADE", "SAVEPOINT s", "TRUNCATE t CASCADE", "RELEASE s");
        assertEquals(List.of("C COPY 1500"), copy("COPY t (a, b) FROM STDIN (FREEZE on)", rows(1, 1500)));
        exec("COMMIT");
        // frozen: xmin reads as FrozenTransactionId's committed status, so the rows are there for all
        assertEquals(List.of("count|sum", "1500|1125750"), table("SELECT count(*), sum(a) FROM t"));
        // FREEZE false is a plain COPY
        assertEquals(List.of("C COPY 1"), copy("COPY t (a, b) FROM STDIN (FREEZE false)", "5000\tx\n"));
    }

    @Test
    void aFrozenCopyRolledBackLeavesNothing() {
        exec("BEGIN", "CREATE TABLE f (a int PRIMARY KEY, b text)");
        assertEquals(List.of("C COPY 1200"), copy("COPY f FROM STDIN (FREEZE)", rows(1, 1200)));
        assertEquals(List.of("count", "1200"), table("SELECT count(*) FROM f"));
        exec("COMMIT", "BEGIN", "TRUNCATE f");
        assertEquals(List.of("C COPY 10"), copy("COPY f FROM STDIN (FREEZE)", rows(1, 10)));
        exec("ROLLBACK");
        assertEquals(List.of("count", "1200"), table("SELECT count(*) FROM f"));
        exec("BEGIN", "TRUNCATE f", "SAVEPOINT s");
        exec("TRUNCATE f");
        copy("COPY f FROM STDIN (FREEZE)", rows(1, 10));
        exec("ROLLBACK TO SAVEPOINT s");
        assertEquals(List.of("count", "0"), table("SELECT count(*) FROM f"));
        exec("COMMIT");
        assertEquals(List.of("count", "0"), table("SELECT count(*) FROM f"));
    }

    @Test
    void lineEndsAndCharactersSplitAcrossReads() {
        String data = "1\tcr lf\r\n2\tcr only\r3\t" + "\u00e9\u20ac".repeat(1000) + "\n4\t\u00fcber\r\n5\tlast without end";
        for (int chunk : new int[] {1, 3, 65536}) {
            exec("TRUNCATE t CASCADE");
            assertEquals(List.of("C COPY 5"), copyInChunks("COPY t (a, b) FROM STDIN", data, chunk));
            assertEquals(List.of("a|length", "1|5", "2|7", "3|2000", "4|4", "5|16"),
                    table("SELECT a, length(b) FROM t ORDER BY a"));
            assertEquals(List.of("b", "\u00fcber"), table("SELECT b FROM t WHERE a = 4"));
        }
        // a line longer than the read buffer (200000 bytes), cut at 100 bytes on a character boundary
        String longLine = "2\tx\t5\t" + "\u00e9\u20ac".repeat(40000);
        PgException e = assertThrows(PgException.class,
                () -> copyInChunks("COPY t FROM STDIN", "1\tx\t5\n" + longLine + "\n3\ty\t5\n", 4096));
        assertEquals("22P04 extra data after last expected column", e.sqlState() + " " + e.getMessage());
        assertEquals("COPY t, line 2: \"2\tx\t5\t" + "\u00e9\u20ac".repeat(18) + "\u00e9...\"", e.context());
    }
}
