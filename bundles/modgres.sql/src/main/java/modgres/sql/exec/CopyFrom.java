package modgres.sql.exec;

import modgres.api.access.Heap;
import modgres.api.access.TupleData;
import modgres.api.error.PgException;
import modgres.sql.catalog.Relation;

/*
 * Design notes: the insertion loop of COPY FROM (PostgreSQL's CopyFrom with
 * its multi-insert buffer, copyfrom.c's CIM_MULTI).
 *
 * Per row read:  convert (Copy.Reader) ─▶ NOT NULL / CHECK (ModifyTable.checkRow)
 *                ─▶ form the tuple ─▶ buffer it with its line number
 * Buffer full (MAX_ROWS rows or MAX_BYTES of tuple data) or input ended:
 *                Heap.multiInsert (pages filled under one lock, one WAL record a page)
 *                ─▶ per row, in order: its index entries (unique checks here), its RI events
 * Input ended:   the foreign-key checks (ForeignKeys.fire), outside any line's context.
 *
 * Triggers (as an INSERT's): BEFORE/AFTER STATEMENT INSERT around the whole
 * COPY; BEFORE ROW triggers on each row as it is read (NULL skips the row;
 * into a partitioned table, the chosen partition's); AFTER ROW events queued
 * as rows are written, fired at the end with the transition tables.
 *
 * Invariants:
 *  - every row gets its checks before it is buffered, its index entries after
 *    its heap tuple exists; a unique violation between two rows of one batch
 *    is found when the second one's entry goes in (the first one's is there);
 *  - an error is reported with PostgreSQL's CONTEXT: while a row is read,
 *    converted or checked "COPY t, line N, column c: "v"" or "COPY t, line N:
 *    "text"", from the buffer "COPY t, line N" with the buffered row's own line
 *    number (PostgreSQL also forgets the line's text once rows are buffered);
 *  - nothing is visible before the statement ends: an error aborts the
 *    statement (and so the transaction or the savepoint), and the rows
 *    inserted so far die with it, as a single INSERT's would.
 * Rows are inserted with the statement's command id, so the COPY does not see
 * them; defaults are evaluated per row as it is read (volatile ones included).
 *
 * FREEZE writes the rows with xmin frozen (visible to every snapshot, no
 * commit-log look-ups for later readers and vacuum), as PostgreSQL does, and
 * only when the table's file was created by the current subtransaction
 * (CREATE TABLE or TRUNCATE in it): an abort then removes the file and the
 * rows with it. Otherwise 55000, PostgreSQL's error.
 */
/** COPY FROM's batched insertion; see the design notes. */
public final class CopyFrom {
    /** PostgreSQL's MAX_BUFFERED_TUPLES. */
    static final int MAX_ROWS = 1000;
    /** PostgreSQL's MAX_BUFFERED_BYTES. */
    static final int MAX_BYTES = 65535;

    private final Relation rel;
    private final ModifyTable writer;
    private final int fillfactor;
    private final int heapOptions;

    private final Object[][] rows = new Object[MAX_ROWS][];
    private final TupleData[] tuples = new TupleData[MAX_ROWS];
    private final long[] lines = new long[MAX_ROWS];
    private int buffered;
    private int bufferedBytes;
    /** The table's INSERT triggers for this COPY (null: none). */
    private RowTriggers triggers;

    /**
     * @param writer the table's INSERT writer (its checks, indexes and foreign keys; no input)
     * @param freeze COPY FREEZE: the rows are written frozen (the table's file must be new in the
     *               current subtransaction)
     */
    public CopyFrom(Relation rel, ModifyTable writer, boolean freeze) {
        this.rel = rel;
        this.writer = writer;
        this.fillfactor = rel.fillfactor();
        this.heapOptions = freeze ? Heap.INSERT_FROZEN : 0;
    }

    /** Reads and inserts every row; returns the number inserted (also added to {@code ex.processed}). */
    public long run(ExecState ex, Copy.Reader in) {
        if (heapOptions != 0 && !ex.txn.storageCreatedAtCurrentLevel(rel.node())) {
            // frozen rows are visible to every snapshot at once: only safe when an abort removes the file
            throw new PgException("55000", "cannot perform COPY FREEZE because the table was not created or "
                    + "truncated in the current subtransaction");
        }
        ForeignKeys ri = writer.ri;
        ForeignKeys.Queue riQueue = ri == null || ri.none(rel.oid()) ? null : new ForeignKeys.Queue();
        long count = 0;
        triggers = ex.triggerSource == null ? null : ex.triggerSource.apply(rel, "INSERT");
        if (triggers != null) {
            triggers.beforeStatement(ex);
        }
        while (true) {
            ex.tick();
            Object[] row;
            try {
                row = in.next(ex);
                if (row == null) {
                    break;
                }
                if (writer.router != null) { // a partitioned table: each row goes to its partition
                    if (writer.router.insert(ex, row, triggers) != null) {
                        ex.processed++;
                        count++;
                    }
                    in.lineDone();
                    continue;
                }
                if (triggers != null && (row = triggers.beforeInsert(ex, row)) == null) {
                    in.lineDone();
                    continue; // a BEFORE ROW trigger skipped the row
                }
                writer.checkRow(ex, row);
                TupleData t = Toasting.insert(ex, rel, writer.types, row);
                rows[buffered] = row;
                tuples[buffered] = t;
                lines[buffered] = in.line();
                buffered++;
                bufferedBytes += t.data().length;
            } catch (PgException e) {
                throw e.addContext(in.context());
            }
            in.lineDone();
            if (buffered == MAX_ROWS || bufferedBytes >= MAX_BYTES) {
                count += flush(ex, in, riQueue);
            }
        }
        count += flush(ex, in, riQueue);
        if (riQueue != null) {
            ri.fire(ex, riQueue);
        }
        if (triggers != null) {
            triggers.afterStatement(ex);
        }
        return count;
    }

    /** Inserts the buffered rows: the heap tuples in one go, then each row's index entries and RI events. */
    private int flush(ExecState ex, Copy.Reader in, ForeignKeys.Queue riQueue) {
        int n = buffered;
        if (n == 0) {
            return 0;
        }
        long hit = ex.io[0];
        long read = ex.io[1];
        long[] tids;
        TupleData[] batch = n == MAX_ROWS ? tuples : java.util.Arrays.copyOf(tuples, n);
        try {
            tids = ex.heap.multiInsert(rel.ref(), batch, ex.txn.xid(), ex.txn.commandId(), heapOptions, fillfactor);
        } catch (PgException e) {
            throw e.addContext(in.lineContext(in.line()));
        }
        if (ex.stats != null) {
            ex.stats.inserted(rel.oid(), n);
            count(ex, hit, read, false);
            hit = ex.io[0];
            read = ex.io[1];
        }
        boolean indexed = !rel.indexes().isEmpty();
        try {
            for (int i = 0; i < n; i++) {
                if (indexed) {
                    try {
                        writer.insertIndexes(ex, rows[i], tids[i], null);
                    } catch (PgException e) {
                        throw e.addContext(in.lineContext(lines[i]));
                    }
                }
                if (riQueue != null) {
                    writer.ri.rowInserted(riQueue, rel, rows[i], tids[i]);
                }
                if (triggers != null) {
                    triggers.afterRow(ex, null, rows[i]);
                }
            }
        } finally {
            if (ex.stats != null) {
                count(ex, hit, read, true);
            }
        }
        ex.processed += n;
        java.util.Arrays.fill(rows, 0, n, null);
        java.util.Arrays.fill(tuples, 0, n, null);
        buffered = 0;
        bufferedBytes = 0;
        return n;
    }

    /** Adds the buffer hits and reads since {@code hit}/{@code read} to the table's heap or index counters. */
    private void count(ExecState ex, long hit, long read, boolean index) {
        long[] c = ex.stats.table(rel.oid());
        c[(index ? modgres.api.stats.TableCounter.IDX_BLKS_HIT : modgres.api.stats.TableCounter.HEAP_BLKS_HIT)
                .ordinal()] += ex.io[0] - hit;
        c[(index ? modgres.api.stats.TableCounter.IDX_BLKS_READ : modgres.api.stats.TableCounter.HEAP_BLKS_READ)
                .ordinal()] += ex.io[1] - read;
    }
}
