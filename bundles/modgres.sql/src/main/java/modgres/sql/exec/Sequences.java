package modgres.sql.exec;

import java.util.HashMap;
import java.util.Map;

import modgres.api.access.Heap;
import modgres.api.access.HeapScan;
import modgres.api.access.HeapTuple;
import modgres.api.access.RelationRef;
import modgres.api.access.TmResult;
import modgres.api.access.WaitPolicy;
import modgres.api.error.PgException;
import modgres.api.server.ProcessIds;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.TransactionManager;
import modgres.sql.catalog.RowCodec;
import modgres.sql.catalog.SysTable;

/*
 * Design notes: sequences (PostgreSQL's sequence.c).
 *
 * A sequence is a relation (relkind 'S') holding one row (last_value int8,
 * log_cnt int8, is_called bool) plus its pg_sequence row (start, increment,
 * bounds, cache, cycle). nextval is not transactional: a value handed out is
 * never handed out again, even if the caller's transaction rolls back. So
 * the row is written by a transaction of its own (an autonomous commit under
 * a process id of the engine's), and, as PostgreSQL pre-logs 32 values, the
 * row records the end of a batch of 32 values: the values of the batch are
 * then handed out from memory without any write. After a crash the sequence
 * continues after the batch, so up to 32 values are skipped, as in
 * PostgreSQL. The row is WAL-logged like every heap change, so it is
 * recovered like one.
 *
 *   memory: next value to hand out, last value of the logged batch
 *   disk:   last_value = last value of the logged batch, is_called = true
 */
/** The server's sequences: see the design notes. Shared by every session of the engine. */
public final class Sequences {
    static final int BATCH = 32;
    static final int[] ROW_TYPES = {SysTable.INT8, SysTable.INT8, SysTable.BOOL};

    /** A sequence's definition (pg_sequence). */
    public record Def(long start, long increment, long min, long max, long cache, boolean cycle) {
    }

    private static final class State {
        long next;        // the next value to hand out
        long loggedUpTo;  // the last value the row on disk covers
        boolean called;   // is_called: a value was handed out since the last setval/restart
        boolean loaded;
    }

    private final Map<RelationRef, State> states = new HashMap<>();
    private final Heap heap;
    private final TransactionManager tm;
    private final int pid = (int) ProcessIds.next();

    public Sequences(Heap heap, TransactionManager tm) {
        this.heap = heap;
        this.tm = tm;
    }

    /** Writes the initial row of a new sequence (in the creating transaction). */
    public static modgres.api.access.TupleData initialRow(Def d) {
        return RowCodec.form(ROW_TYPES, new Object[] {d.start(), 0L, false});
    }

    /** nextval: the next value, with PostgreSQL's limits ({@code 2200H} when a bound is reached without CYCLE). */
    public synchronized long nextval(RelationRef seq, Def d) {
        State s = state(seq, d);
        long v = s.next;
        if (d.increment() > 0 ? v > d.max() : v < d.min()) {
            if (!d.cycle()) {
                throw new PgException("2200H", "nextval: reached " + (d.increment() > 0 ? "maximum" : "minimum")
                        + " value of sequence \"" + seq.name() + "\" (" + (d.increment() > 0 ? d.max() : d.min())
                        + ")");
            }
            v = d.increment() > 0 ? d.min() : d.max();
        }
        boolean needLog = d.increment() > 0 ? v > s.loggedUpTo : v < s.loggedUpTo;
        if (needLog) {
            long end = clamp(v, d.increment() * (BATCH - 1), d);
            write(seq, end, true);
            s.loggedUpTo = end;
        }
        s.next = v + d.increment();
        s.called = true;
        return v;
    }

    private static long clamp(long v, long add, Def d) {
        try {
            long r = Math.addExact(v, add);
            return Math.max(d.min(), Math.min(d.max(), r));
        } catch (ArithmeticException e) {
            return add > 0 ? d.max() : d.min();
        }
    }

    /** setval: the next nextval returns value (+ increment when isCalled). */
    public synchronized long setval(RelationRef seq, Def d, long value, boolean isCalled) {
        if (value < d.min() || value > d.max()) {
            throw new PgException("22003", "setval: value " + value + " is out of bounds for sequence \""
                    + seq.name() + "\" (" + d.min() + ".." + d.max() + ")");
        }
        State s = state(seq, d);
        write(seq, value, isCalled);
        s.next = isCalled ? value + d.increment() : value;
        s.loggedUpTo = isCalled ? value : value - d.increment();
        s.called = isCalled;
        return value;
    }

    /**
     * The sequence's state as PostgreSQL's tuple shows it: {last_value, is_called}, from memory (the row on
     * disk is ahead by the logged batch). ALTER SEQUENCE carries it into the sequence's new file.
     */
    public synchronized Object[] current(RelationRef seq, Def d) {
        State s = state(seq, d);
        return new Object[] {s.called ? s.next - d.increment() : s.next, s.called};
    }

    /**
     * Writes the row of a sequence's new file (ALTER SEQUENCE, TRUNCATE ... RESTART IDENTITY: PostgreSQL's
     * new relfilenode, so that a rollback keeps the old file and its state), frozen: visible at once.
     */
    public static void writeNewFileRow(Heap heap, RelationRef seq, long last, boolean called) {
        heap.insert(seq, RowCodec.form(ROW_TYPES, new Object[] {last, 0L, called}), modgres.api.txn.Xid.BOOTSTRAP, 0,
                Heap.INSERT_FROZEN, 100);
    }

    /** Forgets a sequence's cached state (dropped, or restarted). */
    public synchronized void forget(RelationRef seq) {
        states.remove(seq);
    }

    private State state(RelationRef seq, Def d) {
        State s = states.computeIfAbsent(seq, k -> new State());
        if (!s.loaded) {
            Object[] row = read(seq);
            long last = (Long) row[0];
            boolean called = (Boolean) row[2];
            s.next = called ? last + d.increment() : last;
            s.loggedUpTo = called ? last : last - d.increment();
            s.called = called;
            s.loaded = true;
        }
        return s;
    }

    private HeapTuple current(RelationRef seq) {
        try (HeapScan sc = heap.scan(seq, tm.snapshot(CurrentTransaction.NONE, 0), false)) {
            HeapTuple t = sc.next();
            if (t == null) {
                throw new PgException("XX000", "sequence \"" + seq.name() + "\" has no row");
            }
            return t;
        }
    }

    private Object[] read(RelationRef seq) {
        return RowCodec.deform(ROW_TYPES, current(seq).data());
    }

    /** Replaces the row in a transaction of its own, committed at once. */
    private void write(RelationRef seq, long last, boolean called) {
        int xid = tm.assignXid(pid);
        boolean done = false;
        try {
            HeapTuple t = current(seq);
            TmResult r = heap.update(seq, t.tid(), RowCodec.form(ROW_TYPES, new Object[] {last, 0L, called}), xid, 0,
                    null, WaitPolicy.BLOCK, 0, 100);
            if (r.status() != TmResult.Status.OK) {
                throw new PgException("XX000", "could not update sequence \"" + seq.name() + "\": " + r.status());
            }
            tm.commit(pid, xid, new int[0], true);
            done = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException("57014", "canceling statement due to user request");
        } finally {
            if (!done) {
                tm.abort(pid, xid, new int[0]);
            }
        }
    }
}
