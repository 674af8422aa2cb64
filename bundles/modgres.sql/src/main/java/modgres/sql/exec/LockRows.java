package modgres.sql.exec;

import java.util.List;

import modgres.api.access.HeapTuple;
import modgres.api.access.RowLockMode;
import modgres.api.access.TmResult;
import modgres.api.access.WaitPolicy;
import modgres.api.error.PgException;
import modgres.sql.catalog.Relation;

/**
 * LockRows ({@code SELECT ... FOR UPDATE / NO KEY UPDATE / SHARE / KEY
 * SHARE [NOWAIT | SKIP LOCKED]}), above the projected and usually sorted
 * input as PostgreSQL plans it (Limit -> LockRows -> Sort -> Scan): each row
 * is locked in the tuple as PostgreSQL does when it passes, so only the rows
 * the query returns are locked and {@code ORDER BY ... LIMIT n FOR UPDATE
 * SKIP LOCKED} takes the first n free rows. The projection carries a hidden
 * column with each row's tid. A row changed by a transaction that commits
 * while we wait is followed to its newest version, re-checked against the
 * WHERE clause and re-projected (READ COMMITTED; it may then come out of
 * order, as in PostgreSQL) or is a serialization failure (REPEATABLE READ).
 */
final class LockRows extends Plan {

    /** What to lock: the table, the lock strength, what to do when a row is locked, the WHERE to re-check. */
    record Spec(Relation rel, RowLockMode mode, WaitPolicy waitPolicy, Ev recheck) {
    }

    final Plan child;
    final Relation rel;
    final RowLockMode mode;
    final WaitPolicy wait;
    final Ev recheck;
    private final int natts;
    /** The hidden column holding each row's tid. */
    private final int tidColumn;
    /** The projection's expressions over a scan row, redone for a newer version. */
    private final Ev[] projection;

    LockRows(Plan child, Spec spec, int tidColumn, Ev[] projection) {
        super(child.columns);
        this.child = child;
        this.rel = spec.rel();
        this.mode = spec.mode();
        this.wait = spec.waitPolicy();
        this.recheck = spec.recheck();
        this.natts = rel.natts();
        this.tidColumn = tidColumn;
        this.projection = projection;
        estimate(child.startupCost, child.totalCost + child.rows * 0.01, child.rows);
    }

    @Override
    protected void doOpen(ExecState ex) {
        child.open(ex);
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        for (Object[] row = child.next(ex); row != null; row = child.next(ex)) {
            Object[] locked = lockProjected(ex, row);
            if (locked != null) {
                return locked;
            }
        }
        return null;
    }

    private Object[] lockProjected(ExecState ex, Object[] row) {
        Object[] scanRow = new Object[natts + Scans.SYSTEM_COLUMNS.length];
        long tid = (Long) row[tidColumn];
        scanRow[natts] = tid;
        Object[] locked = lock(ex, scanRow);
        if (locked == null) {
            return null;
        }
        if ((Long) locked[natts] == tid) {
            return row; // the version the query read: its values stand
        }
        Object[] out = row.clone();
        for (int i = 0; i < projection.length; i++) {
            out[i] = projection[i].eval(locked, ex);
        }
        return out;
    }

    private Object[] lock(ExecState ex, Object[] row) {
        int[] types = Scans.types(rel);
        while (true) {
            long tid = (Long) row[natts];
            TmResult r;
            try {
                r = ex.heap.lockTuple(rel.ref(), tid, ex.txn.xid(), ex.txn.commandId(), mode,
                        ex.txn.usesTransactionSnapshot() ? ex.txn.snapshot() : null, wait, ex.txn.lockTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("57014", "canceling statement due to user request");
            }
            switch (r.status()) {
                case OK:
                case SELF_MODIFIED:
                    return row;
                case WOULD_BLOCK:
                case INVISIBLE:
                    return null;
                case BEING_MODIFIED:
                    if (wait == WaitPolicy.ERROR) {
                        throw new PgException("55P03", "could not obtain lock on row in relation \"" + rel.name()
                                + "\"");
                    }
                    return null;
                case DELETED:
                    if (ex.txn.usesTransactionSnapshot()) {
                        throw new PgException("40001", "could not serialize access due to concurrent delete");
                    }
                    return null;
                case UPDATED: {
                    if (ex.txn.usesTransactionSnapshot()) {
                        throw new PgException("40001", "could not serialize access due to concurrent update");
                    }
                    HeapTuple t = ex.heap.fetchAny(rel.ref(), r.newTid());
                    if (t == null) {
                        return null;
                    }
                    Object[] newer = Scans.toRow(ex, rel, types, t);
                    if (recheck != null && !Boolean.TRUE.equals(recheck.eval(newer, ex))) {
                        return null;
                    }
                    row = newer;
                    break;
                }
                default:
                    throw new PgException("XX000", "unexpected result of row lock: " + r.status());
            }
        }
    }

    @Override
    public String label() {
        return "LockRows";
    }

    @Override
    public List<Plan> children() {
        return List.of(child);
    }
}
