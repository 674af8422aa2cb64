package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.api.access.HeapTuple;
import modgres.api.access.KeyComparator;
import modgres.api.access.TmResult;
import modgres.api.access.TupleState;
import modgres.api.access.UniqueChecker;
import modgres.api.access.WaitPolicy;
import modgres.api.error.PgException;
import modgres.sql.catalog.Relation;

/*
 * Design notes: INSERT, UPDATE and DELETE (PostgreSQL's nodeModifyTable.c).
 *
 * The child produces, per row:
 *   INSERT  the new row's attribute values (natts of them, dropped = null);
 *   UPDATE  a scan row of the target (attributes, ctid, xmin, xmax, then any
 *           joined columns); the new values are computed here from setExprs,
 *           so that they can be recomputed on a newer version (below);
 *   DELETE  a scan row of the target.
 *
 * Checks before a write: NOT NULL (23502), CHECK constraints (23514), and
 * unique indexes while inserting the index entries (23505, the B-tree asks
 * the heap whether a conflicting entry's tuple is alive and waits for its
 * inserter/deleter if that is still running).
 *
 * Concurrent updates (READ COMMITTED): when the heap reports the row UPDATED
 * by a transaction that committed meanwhile, the newest version is fetched
 * by following ctid, the WHERE clause (epqQual) is re-checked on it and the
 * change applied to it if it still qualifies; a DELETED row is skipped. Under
 * REPEATABLE READ either is 40001 "could not serialize access due to
 * concurrent update" / "... concurrent delete".
 *
 * Indexes: every index gets an entry for every new tuple version (no HOT).
 */
/** INSERT / UPDATE / DELETE on one table, with RETURNING; see the design notes. */
public final class ModifyTable extends Plan {
    public enum Op {
        INSERT("Insert"), UPDATE("Update"), DELETE("Delete");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    /** A CHECK constraint compiled over a row of the table's attributes. */
    public record Check(String name, Ev expr) {
    }

    final Op op;
    final Relation rel;
    final Plan child;
    /** UPDATE: per attribute, the new value's expression over the child row, or null to keep it. */
    final Ev[] setExprs;
    /** UPDATE/DELETE: the WHERE clause over the child row, re-checked on a newer version. */
    public Ev epqQual;
    final List<Check> checks;
    /** RETURNING expressions over a row of the table's attributes (new values; old for DELETE). */
    final Ev[] returning;
    final int[] types;
    private final int natts;

    public ModifyTable(Op op, Relation rel, Plan child, Ev[] setExprs, List<Check> checks, List<OutCol> retCols,
            Ev[] returning) {
        super(retCols == null ? List.of() : retCols);
        this.op = op;
        this.rel = rel;
        this.child = child;
        this.setExprs = setExprs;
        this.checks = checks;
        this.returning = returning;
        this.types = Scans.types(rel);
        this.natts = types.length;
        estimate(child.startupCost, child.totalCost + child.rows * 0.01, returning == null ? 0 : child.rows);
    }

    @Override
    protected void doOpen(ExecState ex) {
        child.open(ex);
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        for (Object[] in = child.next(ex); in != null; in = child.next(ex)) {
            ex.tick();
            Object[] result = switch (op) {
                case INSERT -> insert(ex, in.clone());
                case UPDATE -> update(ex, in.clone());
                case DELETE -> delete(ex, in.clone());
            };
            if (result == null) {
                continue;
            }
            ex.processed++;
            if (returning != null) {
                Object[] out = new Object[returning.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = returning[i].eval(result, ex);
                }
                return out;
            }
        }
        return null;
    }

    /** Runs the whole statement when there is no RETURNING (the caller only wants the count). */
    public void runToEnd(ExecState ex) {
        open(ex);
        while (next(ex) != null) {
            // RETURNING rows are consumed by the caller through next(); here there are none
        }
    }

    private String failingRow(ExecState ex, Object[] row) {
        StringBuilder b = new StringBuilder("Failing row contains (");
        boolean first = true;
        for (Relation.Column c : rel.columns()) {
            if (c.dropped()) {
                continue;
            }
            Object v = row[c.attnum() - 1];
            b.append(first ? "" : ", ").append(v == null ? "null" : ex.types.output(c.type(), v));
            first = false;
        }
        return b.append(").").toString();
    }

    private void checkRow(ExecState ex, Object[] row) {
        for (Relation.Column c : rel.columns()) {
            if (c.notNull() && !c.dropped() && row[c.attnum() - 1] == null) {
                throw new PgException("23502", "null value in column \"" + c.name() + "\" of relation \""
                        + rel.name() + "\" violates not-null constraint", failingRow(ex, row), null);
            }
        }
        for (Check k : checks) {
            Object v = k.expr().eval(row, ex);
            if (Boolean.FALSE.equals(v)) {
                throw new PgException("23514", "new row for relation \"" + rel.name()
                        + "\" violates check constraint \"" + k.name() + "\"", failingRow(ex, row), null);
            }
        }
    }

    private void insertIndexes(ExecState ex, Object[] row, long tid) {
        insertIndexes(ex, row, tid, null);
    }

    /**
     * Adds the new version's entries. With {@code oldRow} (an UPDATE), a
     * unique index whose key columns kept their values skips the uniqueness
     * check: the row held that key alone before and still does (a concurrent
     * inserter of the key waits on this transaction through the old version).
     */
    private void insertIndexes(ExecState ex, Object[] row, long tid, Object[] oldRow) {
        for (Relation.Index idx : rel.indexes()) {
            int[] kt = new int[idx.keys().length];
            Object[] kv = new Object[kt.length];
            boolean hasNull = false;
            for (int i = 0; i < kt.length; i++) {
                int att = idx.keys()[i];
                kt[i] = types[att - 1];
                kv[i] = row[att - 1];
                hasNull |= kv[i] == null;
            }
            byte[] key = ex.types.indexKey(kt, kv);
            boolean unchanged = oldRow != null;
            for (int i = 0; i < kt.length && unchanged; i++) {
                Object o = oldRow[idx.keys()[i] - 1];
                unchanged = o != null && kv[i] != null && ex.types.hashKey(kt[i], o).equals(ex.types.hashKey(kt[i], kv[i]));
            }
            UniqueChecker checker = idx.unique() && !unchanged && (!hasNull || idx.nullsNotDistinct())
                    ? new Checker(ex, idx, kt, kv) : null;
            try {
                ex.btree.insert(idx.ref(), KeyComparator.BYTEWISE, key, tid, checker);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("57014", "canceling statement due to user request");
            }
        }
    }

    /** The heap side of a unique check: is the tuple an equal entry points to alive? */
    private final class Checker implements UniqueChecker {
        final ExecState ex;
        final Relation.Index idx;
        final int[] kt;
        final Object[] kv;

        Checker(ExecState ex, Relation.Index idx, int[] kt, Object[] kv) {
            this.ex = ex;
            this.idx = idx;
            this.kt = kt;
            this.kv = kv;
        }

        @Override
        public int check(long heapTid) {
            TupleState s = ex.heap.tupleState(rel.ref(), heapTid, ex.txn.current());
            switch (s.kind()) {
                case DEAD:
                    return NO_CONFLICT;
                case LIVE:
                    throw new PgException("23505", "duplicate key value violates unique constraint \"" + idx.name()
                            + "\"", "Key " + describeKey(ex, idx, kt, kv) + " already exists.", null);
                default:
                    return s.xid();
            }
        }

        @Override
        public void await(int xid) {
            ex.txn.waitFor(xid);
        }
    }

    /**
     * The key {@code idx} gets for {@code row} (the encoding insertIndexes
     * inserts), without inserting it: CREATE INDEX's bottom-up build sorts
     * these.
     */
    byte[] indexKey(ExecState ex, Relation.Index idx, Object[] row) {
        return ex.types.indexKey(keyTypes(idx), keyValues(idx, row));
    }

    /** {@code (a, b)=(1, null)}: {@code row}'s key for {@code idx} as a 23505 DETAIL shows it. */
    String keyDetail(ExecState ex, Relation.Index idx, Object[] row) {
        return describeKey(ex, idx, keyTypes(idx), keyValues(idx, row));
    }

    private int[] keyTypes(Relation.Index idx) {
        int[] kt = new int[idx.keys().length];
        for (int i = 0; i < kt.length; i++) {
            kt[i] = types[idx.keys()[i] - 1];
        }
        return kt;
    }

    private static Object[] keyValues(Relation.Index idx, Object[] row) {
        Object[] kv = new Object[idx.keys().length];
        for (int i = 0; i < kv.length; i++) {
            kv[i] = row[idx.keys()[i] - 1];
        }
        return kv;
    }

    /** {@code (a, b)=(1, null)}: an index's key columns and values, for a 23505 DETAIL. */
    private String describeKey(ExecState ex, Relation.Index idx, int[] kt, Object[] kv) {
        StringBuilder cols = new StringBuilder();
        StringBuilder vals = new StringBuilder();
        for (int i = 0; i < kt.length; i++) {
            Relation.Column c = rel.columns().get(idx.keys()[i] - 1);
            cols.append(i == 0 ? "" : ", ").append(c.name());
            vals.append(i == 0 ? "" : ", ").append(kv[i] == null ? "null" : ex.types.output(kt[i], kv[i]));
        }
        return "(" + cols + ")=(" + vals + ")";
    }

    private Object[] insert(ExecState ex, Object[] row) {
        checkRow(ex, row);
        long hit = ex.io[0];
        long read = ex.io[1];
        long tid = ex.heap.insert(rel.ref(), ex.types.form(types, row), ex.txn.xid(), ex.txn.commandId(), 0,
                rel.fillfactor());
        if (ex.stats != null) {
            ex.stats.inserted(rel.oid(), 1);
            heapBlocks(ex, hit, read);
            hit = ex.io[0];
            read = ex.io[1];
        }
        try {
            insertIndexes(ex, row, tid);
        } finally {
            if (ex.stats != null) {
                indexBlocks(ex, hit, read);
            }
        }
        return row;
    }

    private void heapBlocks(ExecState ex, long hit, long read) {
        long[] c = ex.stats.table(rel.oid());
        c[modgres.api.stats.TableCounter.HEAP_BLKS_HIT.ordinal()] += ex.io[0] - hit;
        c[modgres.api.stats.TableCounter.HEAP_BLKS_READ.ordinal()] += ex.io[1] - read;
    }

    private void indexBlocks(ExecState ex, long hit, long read) {
        long[] c = ex.stats.table(rel.oid());
        c[modgres.api.stats.TableCounter.IDX_BLKS_HIT.ordinal()] += ex.io[0] - hit;
        c[modgres.api.stats.TableCounter.IDX_BLKS_READ.ordinal()] += ex.io[1] - read;
    }

    /**
     * The snapshot a write checks the row against: the transaction's under
     * REPEATABLE READ (a change committed after it is a conflict), none under
     * READ COMMITTED (the newest committed version is the one to change).
     */
    private static modgres.api.txn.Snapshot crosscheck(ExecState ex) {
        return ex.txn.usesTransactionSnapshot() ? ex.txn.snapshot() : null;
    }

    private Object[] newValues(ExecState ex, Object[] scanRow) {
        Object[] nv = new Object[natts];
        System.arraycopy(scanRow, 0, nv, 0, natts);
        for (int i = 0; i < natts; i++) {
            if (setExprs[i] != null) {
                nv[i] = setExprs[i].eval(scanRow, ex);
            }
        }
        return nv;
    }

    private Object[] update(ExecState ex, Object[] scanRow) {
        while (true) {
            long tid = (Long) scanRow[natts];
            Object[] nv = newValues(ex, scanRow);
            checkRow(ex, nv);
            TmResult r;
            long hit = ex.io[0];
            long read = ex.io[1];
            try {
                r = ex.heap.update(rel.ref(), tid, ex.types.form(types, nv), ex.txn.xid(), ex.txn.commandId(),
                        crosscheck(ex), WaitPolicy.BLOCK, ex.txn.lockTimeout(), rel.fillfactor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("57014", "canceling statement due to user request");
            } finally {
                if (ex.stats != null) {
                    heapBlocks(ex, hit, read);
                }
            }
            switch (r.status()) {
                case OK:
                    if (ex.stats != null) {
                        ex.stats.updated(rel.oid(), false);
                    }
                    hit = ex.io[0];
                    read = ex.io[1];
                    try {
                        insertIndexes(ex, nv, r.newTid(), scanRow);
                    } finally {
                        if (ex.stats != null) {
                            indexBlocks(ex, hit, read);
                        }
                    }
                    return nv;
                case SELF_MODIFIED:
                case INVISIBLE:
                    return null;
                case UPDATED:
                case DELETED:
                    if (ex.txn.usesTransactionSnapshot()) {
                        throw new PgException("40001", "could not serialize access due to concurrent "
                                + (r.status() == TmResult.Status.UPDATED ? "update" : "delete"));
                    }
                    scanRow = newerVersion(ex, r, scanRow);
                    if (scanRow == null) {
                        return null;
                    }
                    break;
                default:
                    throw new PgException("XX000", "unexpected result of update: " + r.status());
            }
        }
    }

    /** EvalPlanQual: the newest version of a concurrently updated row if it still qualifies, else null. */
    private Object[] newerVersion(ExecState ex, TmResult r, Object[] oldRow) {
        if (r.status() == TmResult.Status.DELETED || r.newTid() == 0) {
            return null;
        }
        HeapTuple t = ex.heap.fetchAny(rel.ref(), r.newTid());
        if (t == null) {
            return null;
        }
        Object[] row = Scans.toRow(ex, rel, types, t);
        Object[] full = oldRow.clone();
        System.arraycopy(row, 0, full, 0, row.length);
        if (epqQual != null && !Boolean.TRUE.equals(epqQual.eval(full, ex))) {
            return null;
        }
        return full;
    }

    private Object[] delete(ExecState ex, Object[] scanRow) {
        while (true) {
            long tid = (Long) scanRow[natts];
            TmResult r;
            long hit = ex.io[0];
            long read = ex.io[1];
            try {
                r = ex.heap.delete(rel.ref(), tid, ex.txn.xid(), ex.txn.commandId(), crosscheck(ex),
                        WaitPolicy.BLOCK, ex.txn.lockTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("57014", "canceling statement due to user request");
            } finally {
                if (ex.stats != null) {
                    heapBlocks(ex, hit, read);
                }
            }
            switch (r.status()) {
                case OK:
                    if (ex.stats != null) {
                        ex.stats.deleted(rel.oid());
                    }
                    return scanRow;
                case SELF_MODIFIED:
                case INVISIBLE:
                    return null;
                case UPDATED:
                case DELETED:
                    if (ex.txn.usesTransactionSnapshot()) {
                        throw new PgException("40001", "could not serialize access due to concurrent "
                                + (r.status() == TmResult.Status.UPDATED ? "update" : "delete"));
                    }
                    scanRow = newerVersion(ex, r, scanRow);
                    if (scanRow == null) {
                        return null;
                    }
                    break;
                default:
                    throw new PgException("XX000", "unexpected result of delete: " + r.status());
            }
        }
    }

    @Override
    public String label() {
        return op.label + " on " + rel.name();
    }

    @Override
    public List<Plan> children() {
        return List.of(child);
    }
}
