package modgres.sql.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import modgres.api.error.PgException;
import modgres.api.sql.ColumnDescriptor;
import modgres.api.txn.LockMode;
import modgres.api.txn.Snapshot;
import modgres.sql.ast.Utility;
import modgres.sql.catalog.TxnContext;
import modgres.sql.exec.ExecState;
import modgres.sql.exec.Plan;

/*
 * Design notes: SQL cursors (DECLARE, FETCH, MOVE, CLOSE; PostgreSQL's
 * portalcmds.c and the FETCH part of pquery.c).
 *
 * A cursor is a query planned at DECLARE with the statement's snapshot
 * frozen: its executor state sees the database through a TxnContext whose
 * snapshot never advances, so a FETCH in a later READ COMMITTED statement
 * still reads what the DECLARE saw, and the session's backend xmin is held
 * back to that snapshot's xmin while the cursor is open. The plan is opened
 * at the first FETCH (an error of the query, 1/0, is a FETCH's error) and
 * pulled one row at a time: FETCH 10 of a big ORDER BY reads what the plan
 * needs for 10 rows (a Sort sorts its input, an index scan reads 10 entries).
 *
 * Position: PostgreSQL's portal model, kept exactly so that MOVE counts and
 * edge cases agree: atStart / atEnd / pos (rows from the start, pos = n on
 * row n). Below it the "executor" position cur (0 before the first row, k on
 * row k, produced+1 past the last) steps forward or backward one row:
 *
 *   forward:  cur < produced  ? row cur+1 from the kept rows
 *             not exhausted   ? next row of the plan (kept when scrollable)
 *             else            : cur = produced + 1, no row
 *   backward: cur > 1 ? row cur-1 from the kept rows : cur = 0, no row
 *
 * Only scrollable cursors keep rows (and may go backward or rewind; others
 * fail with 55000 "cursor can only scan forward"). Neither SCROLL nor NO
 * SCROLL: scrollable when every node of the plan could run backward in
 * PostgreSQL (scans, sorts, limits, projections; not joins or aggregates).
 *
 * Life cycle:
 *
 *   DECLARE ──▶ open (level = savepoint depth) ──FETCH error──▶ failed (55000 "portal ... cannot be run")
 *     │ ROLLBACK TO a savepoint at or below its level, ROLLBACK, COMMIT without HOLD: closed
 *     │ RELEASE: level moves to the released savepoint's parent
 *     └ COMMIT WITH HOLD: every remaining row pulled into memory, plan closed ──▶ held (level HELD):
 *       survives later commits and rollbacks until CLOSE or the session's end
 *
 * FETCHes done in a subtransaction that is rolled back stay done (the
 * position is not part of the rollback), as in PostgreSQL.
 */
/** The session's SQL cursors; see the design notes. */
final class SqlCursors {
    /** {@link Cursor#level} of a cursor held past the commit that materialized it. */
    static final int HELD = -1;

    private final Map<String, Cursor> cursors = new LinkedHashMap<>();

    /** One cursor. */
    static final class Cursor {
        final String name;
        final String statement;
        final boolean holdable;
        final boolean binary;
        final boolean scrollable;
        /** Microseconds since 2000-01-01 (timestamptz). */
        final long creationTime;
        final List<ColumnDescriptor> columns;
        final int xmin;
        int level;

        private final ExecState ex;
        private Plan plan;
        private boolean opened;
        private boolean exhausted;
        private boolean failed;
        /** Rows kept (scrollable: all read; held forward-only: those after {@link #base}). */
        private final List<Object[]> kept = new ArrayList<>();
        private long base;
        private long produced;
        private long cur;

        private long pos;
        private boolean atStart = true;
        private boolean atEnd;

        /** What the plan asked to run at its transaction's end (its temporary files): run when the plan closes. */
        private final List<Runnable> cleanup;

        Cursor(String name, String statement, boolean holdable, boolean binary, boolean scrollable,
                List<ColumnDescriptor> columns, ExecState ex, Plan plan, int level, int xmin, List<Runnable> cleanup) {
            this.cleanup = cleanup;
            this.name = name;
            this.statement = statement;
            this.holdable = holdable;
            this.binary = binary;
            this.scrollable = scrollable;
            Instant now = Instant.now();
            this.creationTime = (now.getEpochSecond() - 946_684_800L) * 1_000_000L + now.getNano() / 1000;
            List<ColumnDescriptor> cols = new ArrayList<>();
            for (ColumnDescriptor c : columns) {
                cols.add(new ColumnDescriptor(c.name(), c.tableOid(), c.columnNumber(), c.typeOid(), c.typeSize(),
                        c.typeModifier(), (short) (binary ? 1 : 0)));
            }
            this.columns = List.copyOf(cols);
            this.ex = ex;
            this.plan = plan;
            this.level = level;
            this.xmin = xmin;
        }

        /** The result formats of the cursor's rows: binary for a BINARY cursor. */
        short[] formats() {
            return new short[] {(short) (binary ? 1 : 0)};
        }

        ExecState execState() {
            return ex;
        }

        private Object[] rowAt(long k) {
            return kept.get((int) (k - 1 - base));
        }

        /** One step of the executor position; null when it ran off an end. */
        private Object[] step(boolean forward) {
            if (forward) {
                if (cur < produced) {
                    cur++;
                    return rowAt(cur);
                }
                if (!exhausted) {
                    if (!opened) {
                        opened = true;
                        plan.open(ex);
                    }
                    Object[] r = plan.next(ex);
                    if (r != null) {
                        produced++;
                        cur = produced;
                        if (scrollable) {
                            kept.add(r);
                        }
                        return r;
                    }
                    exhausted = true;
                    closePlan();
                }
                cur = produced + 1;
                return null;
            }
            if (cur > 1) {
                cur--;
                return rowAt(cur);
            }
            cur = 0;
            return null;
        }

        private void closePlan() {
            if (plan != null) {
                Plan p = plan;
                plan = null;
                try {
                    if (opened) {
                        p.close();
                    }
                } finally {
                    for (Runnable r : cleanup) {
                        try {
                            r.run();
                        } catch (RuntimeException e) {
                            // freeing temporary files only
                        }
                    }
                    cleanup.clear();
                }
            }
        }

        /** PortalRunSelect's movement: up to count rows (Long.MAX_VALUE: all) one way; returns how many. */
        private long run(boolean forward, long count, Consumer<Object[]> out) {
            if (!forward && !scrollable) {
                throw scanForwardOnly();
            }
            if (count <= 0 || (forward ? atEnd : atStart)) {
                return 0;
            }
            long n = 0;
            while (n < count) {
                ex.tick();
                Object[] r = step(forward);
                if (r == null) {
                    break;
                }
                if (out != null) {
                    out.accept(r);
                }
                n++;
            }
            if (forward) {
                if (n > 0) {
                    atStart = false;
                }
                if (n < count) {
                    atEnd = true;
                }
                pos += n;
            } else {
                if (n > 0 && atEnd) {
                    atEnd = false;
                    pos++;
                }
                if (n < count) {
                    atStart = true;
                    pos = 0;
                } else {
                    pos -= n;
                }
            }
            return n;
        }

        private void rewind() {
            if (atStart && !atEnd) {
                return; // nothing read yet: no scrolling needed
            }
            if (!scrollable) {
                throw scanForwardOnly();
            }
            cur = 0;
            pos = 0;
            atStart = true;
            atEnd = false;
        }

        /** FETCH / MOVE (out null): the rows go to {@code out}; returns the count of the command tag. */
        long fetch(Utility.FetchDirection direction, long count, Consumer<Object[]> out) {
            boolean forward;
            switch (direction) {
                case FORWARD, BACKWARD -> {
                    forward = direction == Utility.FetchDirection.FORWARD;
                    if (count < 0) {
                        forward = !forward;
                        count = -count;
                    }
                }
                case ABSOLUTE -> {
                    if (count > 0) {
                        // from the start when the target is nearer to it than to here, else from here
                        if (count - 1 <= pos / 2) {
                            rewind();
                            run(true, count - 1, null);
                        } else {
                            long here = atEnd ? pos + 1 : pos;
                            if (count <= here) {
                                run(false, here - count + 1, null);
                            } else {
                                run(true, count - here - 1, null);
                            }
                        }
                        return run(true, 1, out);
                    }
                    if (count < 0) {
                        run(true, Long.MAX_VALUE, null);
                        run(false, -count - 1, null);
                        return run(false, 1, out);
                    }
                    rewind();
                    return 0;
                }
                default -> { // RELATIVE
                    if (count > 0) {
                        run(true, count - 1, null);
                        return run(true, 1, out);
                    }
                    if (count < 0) {
                        run(false, -count - 1, null);
                        return run(false, 1, out);
                    }
                    forward = true;
                }
            }
            if (count == 0) {
                boolean onRow = !atStart && !atEnd;
                if (out == null) {
                    return onRow ? 1 : 0; // MOVE 0: whether FETCH 0 would give a row
                }
                if (onRow) {
                    run(false, 1, null); // back one, to read the current row again
                    count = 1;
                    forward = true;
                }
            }
            if (!forward && count == Long.MAX_VALUE && out == null) {
                long moved = pos > 0 && !atEnd ? pos - 1 : pos; // MOVE BACKWARD ALL: a rewind
                rewind();
                return moved;
            }
            return run(forward, count, out);
        }

        /** At the commit of its transaction (WITH HOLD): the rows not read yet are kept, the plan closed. */
        void materialize() {
            if (!scrollable) {
                kept.clear();
                base = produced;
            }
            while (!exhausted) {
                if (!opened) {
                    opened = true;
                    plan.open(ex);
                }
                Object[] r = plan.next(ex);
                if (r == null) {
                    exhausted = true;
                } else {
                    kept.add(r);
                    produced++;
                }
            }
            closePlan();
        }

        void close() {
            try {
                closePlan();
            } catch (RuntimeException e) {
                // closing frees resources only
            }
            kept.clear();
        }
    }

    static PgException scanForwardOnly() {
        return new PgException("55000", "cursor can only scan forward", null,
                "Declare it with SCROLL option to enable backward scan.");
    }

    static PgException missing(String name) {
        return new PgException("34000", "cursor \"" + name + "\" does not exist");
    }

    boolean exists(String name) {
        return cursors.containsKey(name);
    }

    boolean isEmpty() {
        return cursors.isEmpty();
    }

    Cursor get(String name) {
        Cursor c = cursors.get(name);
        if (c == null) {
            throw missing(name);
        }
        return c;
    }

    void add(Cursor c) {
        if (cursors.containsKey(c.name)) {
            c.close();
            throw new PgException("42P03", "cursor \"" + c.name + "\" already exists");
        }
        cursors.put(c.name, c);
    }

    /** FETCH / MOVE on a named cursor; a cursor whose FETCH failed cannot run again. */
    long fetch(String name, Utility.FetchDirection direction, long count, Consumer<Object[]> out) {
        Cursor c = get(name);
        if (c.failed) {
            throw new PgException("55000", "portal \"" + name + "\" cannot be run");
        }
        try {
            return c.fetch(direction, count, out);
        } catch (RuntimeException e) { // as PostgreSQL's: any error while the cursor runs leaves it failed
            markFailed(c);
            throw e;
        }
    }

    private static void markFailed(Cursor c) {
        c.failed = true;
        c.close();
    }

    /** CLOSE name, or every cursor (name null: CLOSE ALL). */
    void close(String name) {
        if (name == null) {
            closeAll();
            return;
        }
        Cursor c = cursors.remove(name);
        if (c == null) {
            throw missing(name);
        }
        c.close();
    }

    void closeAll() {
        for (Cursor c : cursors.values()) {
            c.close();
        }
        cursors.clear();
    }

    /** Before the commit: WITH HOLD cursors of this transaction keep their remaining rows. */
    void preCommit() {
        for (Cursor c : cursors.values()) {
            if (c.level != HELD && c.holdable && !c.failed) {
                c.materialize();
            }
        }
    }

    /** The transaction ended: its cursors close; those it materialized (committed, WITH HOLD) stay as held. */
    void transactionEnded(boolean committed) {
        cursors.values().removeIf(c -> {
            if (c.level == HELD) {
                return false;
            }
            if (committed && c.holdable && !c.failed) {
                c.level = HELD;
                return false;
            }
            c.close();
            return true;
        });
    }

    /** ROLLBACK TO the savepoint that opened level {@code level}: cursors declared at or below it close. */
    void rolledBackTo(int level) {
        cursors.values().removeIf(c -> {
            if (c.level != HELD && c.level >= level) {
                c.close();
                return true;
            }
            return false;
        });
    }

    /** RELEASE the savepoint that opened level {@code level}: its cursors belong to the level above. */
    void released(int level) {
        for (Cursor c : cursors.values()) {
            if (c.level != HELD && c.level >= level) {
                c.level = level - 1;
            }
        }
    }

    /** The oldest xmin of the open (not held) cursors' snapshots, 0 when none. */
    int oldestXmin() {
        int oldest = 0;
        for (Cursor c : cursors.values()) {
            if (c.level != HELD && c.plan != null && (oldest == 0 || modgres.api.txn.Xid.precedes(c.xmin, oldest))) {
                oldest = c.xmin;
            }
        }
        return oldest;
    }

    /** pg_cursors' rows: name, statement, is_holdable, is_binary, is_scrollable, creation_time. */
    List<Object[]> viewRows() {
        List<Object[]> out = new ArrayList<>();
        for (Cursor c : cursors.values()) {
            out.add(new Object[] {c.name, c.statement, c.holdable, c.binary, c.scrollable, c.creationTime});
        }
        return out;
    }

    /** True when PostgreSQL could run every node of the plan backward (the default scrollability). */
    static boolean supportsBackward(Plan p) {
        String n = p.getClass().getSimpleName();
        boolean ok = switch (n) {
            case "SeqScan", "IndexScanNode", "ValuesNode", "Project", "Filter", "Sort", "Limit", "Append",
                    "Materialize", "CteScan", "WorkTableScan", "GenerateSeries", "ScalarFunctionScan" -> true;
            default -> false;
        };
        if (!ok) {
            return false;
        }
        for (Plan c : p.children()) {
            if (!supportsBackward(c)) {
                return false;
            }
        }
        return true;
    }

    /** The executor's view of the transaction for a cursor: the session's, with the DECLARE's snapshot frozen. */
    static TxnContext frozen(SessionTxn txn, Snapshot snapshot, List<Runnable> cleanup) {
        return new TxnContext() {
            @Override
            public int pid() {
                return txn.pid();
            }

            @Override
            public int database() {
                return txn.database();
            }

            @Override
            public int xid() {
                return txn.xid();
            }

            @Override
            public long topFullXid() {
                return txn.topFullXid();
            }

            @Override
            public int commandId() {
                return snapshot.commandId();
            }

            @Override
            public Snapshot snapshot() {
                return snapshot;
            }

            @Override
            public Snapshot latestSnapshot() {
                return txn.latestSnapshot();
            }

            @Override
            public void commandCounterIncrement() {
                // a cursor's query does not advance the transaction's command counter
            }

            @Override
            public void lockRelation(int relationOid, LockMode mode) {
                txn.lockRelation(relationOid, mode);
            }

            @Override
            public String databaseName() {
                return txn.databaseName();
            }

            @Override
            public int nextXid() {
                return txn.nextXid();
            }

            @Override
            public boolean tryLockRelation(int relationOid, LockMode mode) {
                return txn.tryLockRelation(relationOid, mode);
            }

            @Override
            public void onCommit(Runnable r) {
                cleanup.add(r); // the query's temporary files live as long as the cursor's plan
            }

            @Override
            public void onAbort(Runnable r) {
                cleanup.add(r);
            }

            @Override
            public boolean storageCreatedAtCurrentLevel(modgres.api.buffer.RelFileNode node) {
                return txn.storageCreatedAtCurrentLevel(node);
            }

            @Override
            public void catalogChanged() {
                txn.catalogChanged();
            }

            @Override
            public int newOid() {
                return txn.newOid();
            }

            @Override
            public long lockTimeout() {
                return txn.lockTimeout();
            }

            @Override
            public boolean usesTransactionSnapshot() {
                return txn.usesTransactionSnapshot();
            }

            @Override
            public modgres.api.txn.CurrentTransaction current() {
                return txn.current();
            }

            @Override
            public void waitFor(int xid) {
                txn.waitFor(xid);
            }

            @Override
            public void lock(modgres.api.txn.LockTag tag, LockMode mode) {
                txn.lock(tag, mode);
            }

            @Override
            public void unlock(modgres.api.txn.LockTag tag, LockMode mode) {
                txn.unlock(tag, mode);
            }
        };
    }
}
