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
 *
 * Foreign keys (ForeignKeys): each written row queues its RI events; they
 * fire when the input is exhausted, before next() reports the end, so an
 * error aborts the statement as in PostgreSQL (immediate constraints).
 *
 * INSERT ... ON CONFLICT (PostgreSQL's speculative insertion, done without
 * speculative tuples): per proposed row
 *
 *     ┌─> take the arbiter keys' insertion locks (heavyweight, "spectoken")
 *     │   look each arbiter index up for the key (dirty: any live version)
 *     │     in progress by another transaction ─> release, wait for it ─┐
 *     │     live row ─> release ─> DO NOTHING: skip the row             │
 *     │                            DO UPDATE: lock it FOR UPDATE:       │
 *     │                              concurrently updated/deleted ──────┤
 *     │                              (REPEATABLE READ: 40001)           │
 *     │                              WHERE false: skip (row stays locked)
 *     │                              else update it                     │
 *     │     none ─> insert heap tuple and index entries, release        │
 *     └─────────────────────────────────────────────────────────────────┘
 *
 * The insertion lock closes the window between the look-up and the index
 * insert for every other upsert of the key (a second upserter waits for the
 * lock, then finds the first one's row in progress and waits for its
 * transaction, then updates it): two sessions upserting one new key both
 * succeed. A plain INSERT takes no such lock; racing one, the upsert's
 * index insert can still end in 23505 (PostgreSQL would retry instead,
 * killing its speculative tuple: our heap has no way to do that).
 * A row this command inserted or updated already is 21000 for DO UPDATE
 * (the lock reports it invisible to the command) and skipped by DO NOTHING.
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
    /** What an UPDATE's SET compiles to besides the new values: texts, and the once-per-row sub-SELECTs. */
    record SetParts(String[] texts, List<Ev> prepare, List<String> prepareTexts) {
    }

    /** RETURNING reads xmin or xmax (see PartitionRouting.lastUnconverted). */
    boolean returningReadsTupleHeader;
    /** The name the statement gives the table (EXPLAIN shows it after the table's when they differ). */
    String alias;
    /** UPDATE: per attribute, the new value's text (EXPLAIN), null when kept. */
    List<String> setTexts;
    /**
     * UPDATE: evaluated on the input row before the new values, each a multiple-column SET's sub-SELECT
     * that runs once per row and leaves its values for the SET's columns (PostgreSQL's MULTIEXPR SubPlan).
     */
    Ev[] prepare = new Ev[0];
    List<String> prepareTexts = List.of();
    /** UPDATE/DELETE: the WHERE clause over the child row, re-checked on a newer version. */
    public Ev epqQual;
    final List<Check> checks;
    /** WITH CHECK OPTION of the views the statement was written against (UpdatableViews): name = the view. */
    public List<Check> viewChecks = List.of();
    /** RETURNING expressions over a row of the table's attributes (new values; old for DELETE). */
    final Ev[] returning;
    /** RETURNING reads the FROM / USING items too: it is evaluated on the scan's row (see Planner.returning). */
    boolean returningReadsSource;
    final int[] types;
    private final int natts;
    /** The foreign keys the statement may have to enforce (null: none); see ForeignKeys. */
    public ForeignKeys ri;
    /** The table's triggers for this statement's event (null: none), set by the engine before it runs. */
    public RowTriggers triggers;
    private boolean triggersEnded;
    /** INSERT ... ON CONFLICT, or null. */
    public OnConflictClause onConflict;
    /**
     * Partitioning (PartitionRouting): INSERT into a partitioned table routes each row through {@code router};
     * a write straight into a partition checks {@code partitionConstraint}; an UPDATE of a partition reached
     * through its partitioned table has both and moves a row that leaves the partition.
     */
    PartitionRouting router;
    PartitionRouting.Constraint partitionConstraint;
    /**
     * A leaf's writer doing a routed INSERT ... ON CONFLICT DO UPDATE: SET and WHERE are compiled over the
     * partitioned table's rows, so the existing row goes up ({@code upsertToRoot}) and the new one comes down
     * ({@code upsertFromRoot}); the leaf's constraint refuses an update that would move the row.
     */
    PartitionBounds.Layout upsertToRoot;
    PartitionBounds.Layout upsertFromRoot;
    PartitionRouting.Constraint upsertPartition;
    /** UPDATE/DELETE of an inheritance parent: one ModifyTable per member table, run in turn; labels for EXPLAIN. */
    List<ModifyTable> members;
    List<String> memberLabels;
    private int member;
    /**
     * UPDATE/DELETE: what the statement reads of the target's scan (column pruning, ColumnUsage), null when
     * the scan fills every column. When it leaves attributes out, each old row is re-fetched by its ctid
     * before anything uses it (PostgreSQL re-fetches the old tuple in ExecUpdate too): the kept columns of an
     * UPDATE, OLD of triggers, foreign keys, row movement and RETURNING need the whole old row.
     */
    ColumnUsage.ScanColumns oldRowColumns;
    private boolean refetchOld;
    /** This run's foreign-key events (a routing root lends it to the leaves' writers: PartitionRouting). */
    ForeignKeys.Queue riQueue;
    private boolean riFired;

    /**
     * INSERT ... ON CONFLICT: the arbiter indexes; DO NOTHING, or DO UPDATE's
     * new value per attribute (null keeps it) and WHERE, both over the
     * existing row (attributes and system columns) followed by the proposed
     * row, EXCLUDED (the same layout).
     */
    public record OnConflictClause(List<Relation.Index> arbiters, boolean inferred, boolean doUpdate, Ev[] set,
            Ev where, String whereText) {
    }

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
        if (child != null) {
            estimate(child.startupCost, child.totalCost + child.rows * 0.01, returning == null ? 0 : child.rows);
        }
    }

    /** A writer of {@code rel} without input: the checks and index maintenance an RI action's changes need. */
    static ModifyTable writer(Relation rel, List<Check> checks) {
        return new ModifyTable(Op.UPDATE, rel, null, null, checks, null, null);
    }

    /** The statement's data-modifying WITH queries, run (once) when its own rows are done; null: none. */
    List<ModifyingCte> finishCtes;

    /** A member of an UPDATE/DELETE through a parent: its triggers come from the statement's (see doOpen). */
    private boolean isMember;
    /** INSERT ... ON CONFLICT DO UPDATE: the UPDATE triggers of the table (statement and row), or null. */
    private RowTriggers conflictTriggers;
    /**
     * What the last row's write was beside a plain one: the row moved to another partition, or an upsert
     * updated it; either way its AFTER ROW events were queued already.
     */
    private boolean rowEventsQueued;

    @Override
    protected void doOpen(ExecState ex) {
        if (!isMember && ex.triggerSource != null) {
            triggers = ex.triggerSource.apply(rel, op.name());
            if (triggers != null && partitionConstraint != null && members == null) {
                triggers.partitionCheck(partitionConstraint::test);
            }
        }
        if (members != null) {
            triggersEnded = false;
            if (triggers != null) {
                if (op == Op.UPDATE && setExprs != null) {
                    boolean[] assigned = new boolean[setExprs.length];
                    for (int i = 0; i < assigned.length; i++) {
                        assigned[i] = setExprs[i] != null;
                    }
                    triggers.updateTargets(assigned);
                }
                triggers.beforeStatement(ex);
            }
            for (ModifyTable m : members) {
                m.isMember = true;
                m.triggers = triggers == null ? null : triggers.forMember(m.rel, op.name());
                if (m.triggers != null && m.partitionConstraint != null) {
                    m.triggers.partitionCheck(m.partitionConstraint::test);
                }
            }
            member = 0;
            if (!members.isEmpty()) {
                members.get(0).open(ex);
            }
            return;
        }
        refetchOld = op != Op.INSERT && oldRowColumns != null && oldRowColumns.prunesAttributes();
        riQueue = (ri == null || ri.none(rel.oid())) && (router == null || router.foreignKeys() == null) ? null
                : new ForeignKeys.Queue();
        if (router != null) {
            router.queue = riQueue; // the rows routed to leaves queue their checks here
        }
        riFired = false;
        triggersEnded = false;
        conflictTriggers = null;
        if (triggers != null && onConflict != null && onConflict.doUpdate() && !isMember
                && ex.triggerSource != null) {
            // ON CONFLICT DO UPDATE fires the table's UPDATE statement triggers too (after the INSERT ones)
            conflictTriggers = ex.triggerSource.apply(rel, "UPDATE");
        }
        if (triggers != null) {
            if (op == Op.UPDATE && setExprs != null) {
                boolean[] assigned = new boolean[setExprs.length];
                for (int i = 0; i < assigned.length; i++) {
                    assigned[i] = setExprs[i] != null;
                }
                triggers.updateTargets(assigned);
            }
            triggers.beforeStatement(ex);
            if (conflictTriggers != null) {
                conflictTriggers.beforeStatement(ex);
            }
        }
        if (ex.ssi != null) {
            ex.ssi.writeRelation(rel.oid()); // keyed: each row version's index keys follow (writeKeys)
        }
        child.open(ex);
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        if (members != null) {
            while (member < members.size()) {
                Object[] r = members.get(member).next(ex);
                if (r != null) {
                    return r;
                }
                member++;
                if (member < members.size()) {
                    members.get(member).open(ex);
                }
            }
            if (finishCtes != null) {
                for (ModifyingCte c : finishCtes) {
                    c.run(ex);
                }
            }
            if (triggers != null && !triggersEnded) {
                triggersEnded = true;
                triggers.afterStatement(ex);
            }
            return null;
        }
        for (Object[] in = child.next(ex); in != null; in = child.next(ex)) {
            ex.tick();
            if (refetchOld) {
                refetchOldRow(ex, in);
            }
            Object[] newRow = op == Op.INSERT && triggers != null ? triggers.beforeInsert(ex, in.clone()) : in;
            if (newRow == null) {
                continue; // a BEFORE ROW trigger skipped the row
            }
            rowEventsQueued = false;
            if (router != null) {
                router.lastUnconverted = false;
            }
            Object[] result = switch (op) {
                case INSERT -> onConflict != null ? upsert(ex, newRow.clone()) : insert(ex, newRow.clone());
                case UPDATE -> update(ex, in.clone());
                case DELETE -> delete(ex, in.clone());
            };
            if (result == null) {
                continue;
            }
            if (op != Op.DELETE) {
                for (Check k : viewChecks) {
                    if (!Boolean.TRUE.equals(k.expr().eval(result, ex))) {
                        throw new PgException("44000", "new row violates check option for view \"" + k.name()
                                + "\"", failingRow(ex, result), null);
                    }
                }
            }
            if (triggers != null && !rowEventsQueued) {
                triggers.afterRow(ex, op == Op.INSERT ? null : in, op == Op.DELETE ? null : result);
            }
            ex.processed++;
            if (returning != null) {
                if (returningReadsTupleHeader && router != null && router.lastUnconverted) {
                    throw new PgException("0A000", "cannot retrieve a system column in this context");
                }
                Object[] row = result;
                if (returningReadsSource && in.length > result.length) {
                    row = in.clone(); // the FROM / USING items' columns follow the target's in the scan's row
                    System.arraycopy(result, 0, row, 0, result.length);
                }
                Object[] out = new Object[returning.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = returning[i].eval(row, ex);
                }
                return out;
            }
        }
        if (finishCtes != null) {
            for (ModifyingCte c : finishCtes) {
                c.run(ex);
            }
        }
        if (riQueue != null && !riFired) {
            riFired = true;
            (ri != null ? ri : router.foreignKeys()).fire(ex, riQueue);
        }
        if (triggers != null && !triggersEnded) {
            triggersEnded = true;
            if (conflictTriggers != null) {
                // PostgreSQL's order: every AFTER ROW event, then the UPDATE statement triggers, then INSERT's
                triggers.fireQueuedRows(ex);
                conflictTriggers.afterStatement(ex);
            }
            triggers.afterStatement(ex);
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
        if (ex.columnVisible != null && !ex.columnVisible.test(rel.oid(), 0)) {
            return visibleFailingRow(ex, row);
        }
        StringBuilder b = new StringBuilder("Failing row contains (");
        boolean first = true;
        // a routed row is shown as the table the statement named has it (PostgreSQL's ExecConstraints)
        Relation shown = reportRel != null ? reportRel : rel;
        Object[] shownRow = reportRel != null ? reportLayout.apply(row) : row;
        for (Relation.Column c : shown.columns()) {
            if (c.dropped()) {
                continue;
            }
            Object v = shownRow[c.attnum() - 1];
            b.append(first ? "" : ", ").append(v == null ? "null" : ex.types.output(c.type(), v));
            first = false;
        }
        return b.append(").").toString();
    }

    /**
     * The failing row for a role without SELECT on the table: only the columns it may read or that the
     * statement sets, named, "(a, b) = (1, x)"; null (no DETAIL) when there are none or row security applies.
     */
    /** INSERT's column list (null: every column), by name so partition leaves with their own layout share it. */
    private java.util.Set<String> insertedNames;

    /** Notes an INSERT's column list on this writer and the writers below it (error details). */
    public void insertedColumns(java.util.Set<String> names) {
        insertedNames = names;
        if (members != null) {
            for (ModifyTable m : members) {
                m.insertedColumns(names);
            }
        }
        if (router != null) {
            for (ModifyTable w : router.writers()) {
                w.insertedColumns(names);
            }
        }
    }

    private String visibleFailingRow(ExecState ex, Object[] row) {
        if (ex.columnVisible.test(rel.oid(), -1)) {
            return null;
        }
        StringBuilder names = new StringBuilder();
        StringBuilder values = new StringBuilder();
        for (Relation.Column c : rel.columns()) {
            if (c.dropped()) {
                continue;
            }
            boolean modified = setExprs != null ? setExprs[c.attnum() - 1] != null
                    : insertedNames == null || insertedNames.contains(c.name());
            if (!modified && !ex.columnVisible.test(rel.oid(), c.attnum())) {
                continue;
            }
            Object v = row[c.attnum() - 1];
            names.append(names.isEmpty() ? "" : ", ").append(c.name());
            values.append(values.isEmpty() ? "" : ", ").append(v == null ? "null" : ex.types.output(c.type(), v));
        }
        return names.isEmpty() ? null : "Failing row contains (" + names + ") = (" + values + ").";
    }

    /** A leaf's writer under tuple routing: the routing root and the leaf-to-root layout, for failing rows. */
    Relation reportRel;
    PartitionBounds.Layout reportLayout;

    /** Row movement: the partition's rows in the layout of the partitioned table the UPDATE names. */
    PartitionBounds.Layout rootLayout;
    PartitionBounds.Layout fromRootLayout;

    PgException partitionViolation(ExecState ex, Object[] row) {
        return new PgException("23514", "new row for relation \"" + rel.name() + "\" violates partition constraint",
                failingRow(ex, row), null);
    }

    /** Row-level security's WITH CHECKs on the rows this writer writes (RowSecurity); empty when none apply. */
    List<Check> policyChecks = List.of();
    /** INSERT ... ON CONFLICT DO UPDATE: the UPDATE policies' WITH CHECKs on the updated row. */
    List<Check> policyUpdateChecks = List.of();
    /** The table the policies belong to, as their errors name it. */
    String policyTable;

    void checkRow(ExecState ex, Object[] row) {
        if (!policyChecks.isEmpty()) {
            RowSecurity.check(policyChecks, policyTable, row, ex);
        }
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
    void insertIndexes(ExecState ex, Object[] row, long tid, Object[] oldRow) {
        for (Relation.Index idx : rel.indexes()) {
            if (!covers(ex, idx, row)) {
                continue; // a partial index without this row
            }
            int[] kt = keyTypes(ex, idx);
            Object[] kv = keyValues(ex, idx, row);
            boolean hasNull = false;
            for (Object v : kv) {
                hasNull |= v == null;
            }
            byte[] key = ex.types.indexKey(kt, kv);
            boolean oldCovered = oldRow != null && covers(ex, idx, oldRow);
            if (ex.ssi != null) {
                ex.ssi.writeKey(rel.oid(), idx.oid(), key);
                if (oldCovered) {
                    ex.ssi.writeKey(rel.oid(), idx.oid(), indexKey(ex, idx, oldRow));
                }
            }
            boolean unchanged = oldCovered;
            Object[] ov = oldCovered ? keyValues(ex, idx, oldRow) : null;
            for (int i = 0; i < kt.length && unchanged; i++) {
                Object o = ov[i];
                unchanged = o != null && kv[i] != null && ex.types.hashKey(kt[i], o).equals(ex.types.hashKey(kt[i], kv[i]));
            }
            UniqueChecker checker = idx.unique() && !unchanged && (!hasNull || idx.nullsNotDistinct())
                    ? new Checker(ex, idx, kt, kv) : null;
            try {
                ex.btree.insert(idx.ref(), KeyComparator.BYTEWISE, key, tid, checker);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("57014", "canceling statement due to user request");
            } catch (PgException e) {
                throw withTupleReference(e, tid);
            }
        }
    }

    /** A too-long index key (54000) names the heap tuple, as PostgreSQL's _bt_check_third_page. */
    PgException withTupleReference(PgException e, long tid) {
        if (!"54000".equals(e.sqlState()) || e.detail() != null || !e.getMessage().startsWith("index row size")) {
            return e;
        }
        return new PgException(e.sqlState(), e.getMessage(), "Index row references tuple ("
                + modgres.api.access.Tid.block(tid) + "," + modgres.api.access.Tid.offset(tid) + ") in relation \""
                + rel.name() + "\".", e.hint(), e);
    }

    /** SERIALIZABLE: a removed row version's keys in every index of the table (also for foreign-key actions). */
    void writeKeys(ExecState ex, Object[] row) {
        ex.ssi.writeRelation(rel.oid());
        for (Relation.Index idx : rel.indexes()) {
            ex.ssi.writeKey(rel.oid(), idx.oid(), indexKey(ex, idx, row));
        }
    }

    /**
     * PostgreSQL's key-column test of heap_update (INDEX_ATTR_BITMAP_KEY): did a
     * column of a unique index change (null and non-null differ, two nulls do
     * not)? An update that changes none takes the row FOR NO KEY UPDATE, so it
     * neither waits for nor blocks a foreign key's FOR KEY SHARE lock.
     */
    boolean keyChanged(ExecState ex, Object[] oldRow, Object[] newRow) {
        for (Relation.Index idx : rel.indexes()) {
            if (!idx.unique()) {
                continue;
            }
            for (int att : idx.keys()) {
                if (att <= 0) {
                    return true; // an expression: cannot tell, so count it as changed
                }
                Object o = oldRow[att - 1];
                Object n = newRow[att - 1];
                if (o == null || n == null) {
                    if (o != n) {
                        return true;
                    }
                } else if (!ex.types.hashKey(types[att - 1], o).equals(ex.types.hashKey(types[att - 1], n))) {
                    return true;
                }
            }
        }
        return false;
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
        return ex.types.indexKey(keyTypes(ex, idx), keyValues(ex, idx, row));
    }

    /** Expression and partial indexes compiled for this writer (IndexExpressions), by index OID. */
    private final java.util.Map<Integer, IndexExpressions.Compiled> compiledIndexes = new java.util.HashMap<>();

    private IndexExpressions.Compiled compiled(ExecState ex, Relation.Index idx) {
        if (idx.plain()) {
            return null;
        }
        IndexExpressions.Compiled c = compiledIndexes.get(idx.oid());
        if (c == null) {
            if (ex.indexExpressions == null) {
                throw new PgException("XX000", "cannot maintain expression index \"" + idx.name() + "\" here");
            }
            c = ex.indexExpressions.apply(rel, idx);
            compiledIndexes.put(idx.oid(), c);
        }
        return c;
    }

    /** Whether {@code row} has an entry in {@code idx}: always, but for a partial index whose WHERE is not true. */
    boolean covers(ExecState ex, Relation.Index idx, Object[] row) {
        IndexExpressions.Compiled c = compiled(ex, idx);
        return c == null || c.predicate() == null || Boolean.TRUE.equals(c.predicate().eval(row, ex));
    }

    /** {@code (a, b)=(1, null)}: {@code row}'s key for {@code idx} as a 23505 DETAIL shows it. */
    String keyDetail(ExecState ex, Relation.Index idx, Object[] row) {
        return describeKey(ex, idx, keyTypes(ex, idx), keyValues(ex, idx, row));
    }

    private int[] keyTypes(ExecState ex, Relation.Index idx) {
        IndexExpressions.Compiled c = compiled(ex, idx);
        if (c != null) {
            return c.keyTypes();
        }
        int[] kt = new int[idx.keys().length];
        for (int i = 0; i < kt.length; i++) {
            kt[i] = types[idx.keys()[i] - 1];
        }
        return kt;
    }

    Object[] keyValues(ExecState ex, Relation.Index idx, Object[] row) {
        IndexExpressions.Compiled c = compiled(ex, idx);
        Object[] kv = new Object[idx.keys().length];
        for (int i = 0; i < kv.length; i++) {
            kv[i] = idx.keys()[i] > 0 ? row[idx.keys()[i] - 1] : c.keyEvs()[i].eval(row, ex);
        }
        return kv;
    }

    /** {@code (a, b)=(1, null)}: an index's key columns and values, for a 23505 DETAIL. */
    private String describeKey(ExecState ex, Relation.Index idx, int[] kt, Object[] kv) {
        StringBuilder cols = new StringBuilder();
        StringBuilder vals = new StringBuilder();
        int expr = 0;
        for (int i = 0; i < kt.length; i++) {
            String name = idx.keys()[i] > 0 ? rel.columns().get(idx.keys()[i] - 1).name()
                    : expr < idx.exprs().size() ? idx.exprs().get(expr++) : "?";
            cols.append(i == 0 ? "" : ", ").append(name);
            vals.append(i == 0 ? "" : ", ").append(kv[i] == null ? "null" : ex.types.output(kt[i], kv[i]));
        }
        return "(" + cols + ")=(" + vals + ")";
    }

    /** A routed row's INSERT ... ON CONFLICT into this (leaf) writer; {@code rootRow}: the row as proposed. */
    Object[] upsertRouted(ExecState ex, Object[] row, Object[] rootRow) {
        return upsert(ex, row, rootRow);
    }

    /** A routed row's insert into this (leaf) writer: checks, heap, indexes. */
    Object[] insertRouted(ExecState ex, Object[] row) {
        checkRow(ex, row);
        return insertChecked(ex, row);
    }

    private Object[] insert(ExecState ex, Object[] row) {
        // a partition's own constraint first (also when it is partitioned itself), then the routing below it
        if (partitionConstraint != null && !partitionConstraint.test(row)) {
            throw partitionViolation(ex, row);
        }
        if (router != null) {
            Object[] stored = router.insert(ex, row, triggers);
            rowEventsQueued = true; // the partition's firing queued them
            return stored;
        }
        checkRow(ex, row);
        return insertChecked(ex, row);
    }

    private Object[] insertChecked(ExecState ex, Object[] row) {
        long hit = ex.io[0];
        long read = ex.io[1];
        long tid = ex.heap.insert(rel.ref(), Toasting.insert(ex, rel, types, row), ex.txn.xid(), ex.txn.commandId(),
                0, rel.fillfactor());
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
        if (riQueue != null) {
            ri.rowInserted(riQueue, rel, row, tid);
        }
        return withSystemColumns(ex, row, tid);
    }

    /** A written row with the system columns RETURNING may read (ctid, xmin, xmax, tableoid) after it. */
    private Object[] withSystemColumns(ExecState ex, Object[] row, long tid) {
        Object[] out = java.util.Arrays.copyOf(row, natts + Scans.SYSTEM_COLUMNS.length);
        out[natts] = tid;
        out[natts + 1] = Integer.toUnsignedLong(ex.txn.xid());
        out[natts + 2] = 0L;
        out[natts + 3] = Integer.toUnsignedLong(rel.oid());
        return out;
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
        for (Ev p : prepare) {
            p.eval(scanRow, ex);
        }
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
            if (triggers != null && (nv = triggers.beforeUpdate(ex, scanRow, nv)) == null) {
                return null; // a BEFORE ROW trigger skipped the update
            }
            if (partitionConstraint != null && !partitionConstraint.test(nv)) {
                if (router == null) {
                    throw partitionViolation(ex, nv);
                }
                // the row leaves this partition: deleted here (BEFORE/AFTER DELETE triggers of this partition),
                // inserted through the partitioned table (BEFORE/AFTER INSERT triggers of the destination);
                // no AFTER UPDATE row triggers, the UPDATE's transition tables get both versions
                Object[] rootRow = rootLayout.apply(nv);
                router.checkInsideRoot(ex, rootRow);
                RowTriggers deleting = triggers == null ? null : triggers.forMember(rel, "DELETE");
                if (deleting != null && !deleting.beforeDelete(ex, scanRow)) {
                    return null;
                }
                if (deleteRow(ex, scanRow) == null) {
                    return null;
                }
                if (deleting != null) {
                    deleting.afterRow(ex, scanRow, null);
                }
                rowEventsQueued = true;
                Object[] stored = router.insert(ex, rootRow, triggers);
                if (stored == null) {
                    return null; // a BEFORE INSERT trigger of the destination skipped it: the row is gone
                }
                if (triggers != null) {
                    triggers.movedRow(rootLayout.apply(java.util.Arrays.copyOf(scanRow, natts)), stored);
                }
                // RETURNING reads this partition's layout
                return fromRootLayout.apply(stored);
            }
            checkRow(ex, nv);
            TmResult r;
            long hit = ex.io[0];
            long read = ex.io[1];
            Toasting.Update toasted = Toasting.update(ex, rel, types, scanRow, tid, nv);
            try {
                r = ex.heap.update(rel.ref(), tid, toasted.tuple, ex.txn.xid(), ex.txn.commandId(),
                        crosscheck(ex), WaitPolicy.BLOCK, ex.txn.lockTimeout(), rel.fillfactor(),
                        keyChanged(ex, scanRow, nv));
                toasted.finish(r);
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
                    return updated(ex, scanRow, nv, r.newTid());
                case SELF_MODIFIED:
                case INVISIBLE:
                    return null;
                case UPDATED:
                case DELETED:
                    if (ex.txn.usesTransactionSnapshot()) {
                        throw serializationFailure(r.status());
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

    /**
     * Fills the attributes of a pruned scan row from the tuple version at its ctid: the one the scan
     * returned (under the statement's snapshot, so still there: nothing removes a version a snapshot sees).
     */
    private void refetchOldRow(ExecState ex, Object[] scanRow) {
        long tid = (Long) scanRow[natts];
        HeapTuple t = ex.heap.fetchAny(rel.ref(), tid);
        if (t == null) {
            throw new PgException("XX000", "failed to fetch tuple being " + (op == Op.UPDATE ? "updated"
                    : "deleted") + " in relation \"" + rel.name() + "\"");
        }
        Object[] full = Scans.toRow(ex, rel, types, t);
        System.arraycopy(full, 0, scanRow, 0, natts);
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
        if (triggers != null && !triggers.beforeDelete(ex, scanRow)) {
            return null; // a BEFORE ROW trigger skipped the delete
        }
        return deleteRow(ex, scanRow);
    }

    /** The heap delete of a scan row (no triggers), following a concurrent update under READ COMMITTED. */
    private Object[] deleteRow(ExecState ex, Object[] scanRow) {
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
                    Toasting.deleted(ex, rel, types, scanRow, tid);
                    if (ex.stats != null) {
                        ex.stats.deleted(rel.oid());
                    }
                    if (ex.ssi != null) {
                        writeKeys(ex, scanRow);
                    }
                    if (riQueue != null) {
                        ri.rowDeleted(riQueue, rel, java.util.Arrays.copyOf(scanRow, natts));
                    }
                    if (scanRow.length > natts + 2) {
                        scanRow[natts + 2] = Integer.toUnsignedLong(ex.txn.xid()); // RETURNING xmax: the deleter
                    }
                    return scanRow;
                case SELF_MODIFIED:
                case INVISIBLE:
                    return null;
                case UPDATED:
                case DELETED:
                    if (ex.txn.usesTransactionSnapshot()) {
                        throw serializationFailure(r.status());
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

    // ------------------------------------------------------------------ INSERT ... ON CONFLICT

    /** What a look-up of the arbiter indexes found: a live row, a transaction to wait for, or nothing. */
    private record Conflict(long tid, int waitXid) {
    }

    private static final Conflict NO_CONFLICT = new Conflict(0, 0);

    /** Sentinel of upsertUpdate: start over with a new look-up. */
    private static final Object[] RETRY = new Object[0];

    /** The arbiter indexes' keys of {@code row} (null where the key cannot conflict: a NULL in it). */
    private byte[][] arbiterKeys(ExecState ex, Object[] row) {
        List<Relation.Index> arbiters = onConflict.arbiters();
        byte[][] keys = new byte[arbiters.size()][];
        for (int i = 0; i < keys.length; i++) {
            Relation.Index idx = arbiters.get(i);
            Object[] kv = keyValues(ex, idx, row);
            boolean hasNull = false;
            for (Object v : kv) {
                hasNull |= v == null;
            }
            keys[i] = hasNull && !idx.nullsNotDistinct() ? null : ex.types.indexKey(keyTypes(ex, idx), kv);
        }
        return keys;
    }

    private List<modgres.api.txn.LockTag> insertionLocks(ExecState ex, byte[][] keys) {
        List<modgres.api.txn.LockTag> tags = new java.util.ArrayList<>();
        List<Relation.Index> arbiters = onConflict.arbiters();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                tags.add(new modgres.api.txn.LockTag("spectoken", ex.txn.database(), arbiters.get(i).oid(),
                        java.util.Arrays.hashCode(keys[i]), 0));
            }
        }
        tags.sort(java.util.Comparator.comparingInt(modgres.api.txn.LockTag::id1)
                .thenComparingInt(modgres.api.txn.LockTag::id2));
        return tags;
    }

    /** Looks the arbiter indexes up for {@code keys} ({@code SnapshotDirty}). */
    private Conflict findConflict(ExecState ex, byte[][] keys) {
        List<Relation.Index> arbiters = onConflict.arbiters();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                continue;
            }
            List<Long> tids = new java.util.ArrayList<>();
            try (modgres.api.access.IndexScan s = ex.btree.scan(arbiters.get(i).ref(), KeyComparator.BYTEWISE,
                    keys[i], true, keys[i], true, false)) {
                while (s.next()) {
                    tids.add(s.heapTid());
                }
            }
            for (long found : tids) {
                long tid = found;
                // a version updated (and committed) since the index was read: its newer version, when it still
                // has the key, is the conflict -- the newer one's index entry may have come after the scan
                for (int hops = 0; tid != 0 && hops < 1000; hops++) {
                    TupleState st = ex.heap.tupleState(rel.ref(), tid, ex.txn.current());
                    if (st.kind() == TupleState.Kind.LIVE) {
                        return new Conflict(tid, 0);
                    }
                    if (st.kind() == TupleState.Kind.INSERT_IN_PROGRESS
                            || st.kind() == TupleState.Kind.DELETE_IN_PROGRESS) {
                        if (st.xid() != 0 && !ex.txn.current().isCurrent(st.xid())) {
                            return new Conflict(0, st.xid());
                        }
                        break;
                    }
                    tid = newerVersionWithKey(ex, tid, arbiters.get(i), keys[i]);
                }
            }
        }
        return NO_CONFLICT;
    }

    /** INSERT ... ON CONFLICT of one proposed row: the row inserted or updated, or null when none was. */
    /** The version {@code tid}'s update made, if it still has {@code key} in {@code idx}; else 0. */
    private long newerVersionWithKey(ExecState ex, long tid, Relation.Index idx, byte[] key) {
        HeapTuple t = ex.heap.fetchAny(rel.ref(), tid);
        if (t == null || t.ctid() == 0 || t.ctid() == tid) {
            return 0; // gone, or deleted rather than updated
        }
        HeapTuple newer = ex.heap.fetchAny(rel.ref(), t.ctid());
        if (newer == null || !java.util.Arrays.equals(key, indexKey(ex, idx, Scans.toRow(ex, rel, types, newer)))) {
            return 0;
        }
        return t.ctid();
    }

    private Object[] upsert(ExecState ex, Object[] row) {
        if (partitionConstraint != null && !partitionConstraint.test(row)) {
            throw partitionViolation(ex, row);
        }
        if (router != null) {
            return router.upsert(ex, row, onConflict);
        }
        return upsert(ex, row, row);
    }

    /** {@code proposed}: the row EXCLUDED stands for (the partitioned table's layout when routed). */
    private Object[] upsert(ExecState ex, Object[] row, Object[] proposed) {
        checkRow(ex, row);
        byte[][] keys = arbiterKeys(ex, row);
        if (ex.ssi != null) {
            // SERIALIZABLE: whether the key exists decides what happens, so the look-up is a read of it
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != null) {
                    ex.ssi.readKey(rel.oid(), onConflict.arbiters().get(i).oid(), keys[i]);
                }
            }
        }
        while (true) {
            ex.tick();
            List<modgres.api.txn.LockTag> locks = insertionLocks(ex, keys);
            Conflict c;
            int locked = 0;
            try {
                for (modgres.api.txn.LockTag t : locks) {
                    ex.txn.lock(t, modgres.api.txn.LockMode.EXCLUSIVE);
                    locked++;
                }
                c = findConflict(ex, keys);
                if (c.tid() == 0 && c.waitXid() == 0) {
                    return insertChecked(ex, row);
                }
            } finally {
                for (int i = 0; i < locked; i++) {
                    ex.txn.unlock(locks.get(i), modgres.api.txn.LockMode.EXCLUSIVE);
                }
            }
            if (c.waitXid() != 0) {
                ex.txn.waitFor(c.waitXid());
                continue;
            }
            if (!onConflict.doUpdate()) {
                if (ex.txn.usesTransactionSnapshot() && !visibleToTransaction(ex, c.tid())) {
                    throw new PgException("40001", "could not serialize access due to concurrent update");
                }
                return null;
            }
            Object[] r = upsertUpdate(ex, proposed, c.tid());
            if (r != RETRY) {
                return r;
            }
        }
    }

    /** ExecCheckTupleVisible: the transaction snapshot sees the row, or this transaction inserted it. */
    private boolean visibleToTransaction(ExecState ex, long tid) {
        if (ex.heap.fetch(rel.ref(), tid, ex.txn.snapshot()) != null) {
            return true;
        }
        HeapTuple t = ex.heap.fetchAny(rel.ref(), tid);
        return t != null && ex.txn.current().isCurrent(t.xmin());
    }

    /** DO UPDATE of the conflicting row at {@code tid}: locked, re-read, WHERE, updated; RETRY when it moved. */
    private Object[] upsertUpdate(ExecState ex, Object[] proposed, long tid) {
        TmResult r;
        try {
            r = ex.heap.lockTuple(rel.ref(), tid, ex.txn.xid(), ex.txn.commandId(),
                    modgres.api.access.RowLockMode.EXCLUSIVE, null, WaitPolicy.BLOCK, ex.txn.lockTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException("57014", "canceling statement due to user request");
        }
        switch (r.status()) {
            case OK:
                break;
            case INVISIBLE:
            case SELF_MODIFIED: {
                HeapTuple t = ex.heap.fetchAny(rel.ref(), tid);
                if (t != null && ex.txn.current().isCurrent(t.xmin())) {
                    throw new PgException("21000", "ON CONFLICT DO UPDATE command cannot affect row a second time",
                            null, "Ensure that no rows proposed for insertion within the same command have "
                                    + "duplicate constrained values.");
                }
                return RETRY;
            }
            case UPDATED:
            case DELETED:
                if (ex.txn.usesTransactionSnapshot()) {
                    throw serializationFailure(r.status());
                }
                return RETRY;
            default:
                throw new PgException("XX000", "unexpected result of row lock: " + r.status());
        }
        if (ex.txn.usesTransactionSnapshot() && !visibleToTransaction(ex, tid)) {
            throw new PgException("40001", "could not serialize access due to concurrent update");
        }
        HeapTuple t = ex.heap.fetchAny(rel.ref(), tid);
        if (t == null) {
            return RETRY;
        }
        Object[] existing = Scans.toRow(ex, rel, types, t);
        // SET and WHERE read the partitioned table's layout when the row was routed here
        Object[] seen = upsertToRoot == null ? existing : upsertToRoot.apply(existing);
        int seenNatts = upsertFromRoot == null ? natts : upsertFromRoot.fromNatts;
        int width = seen.length;
        Object[] both = new Object[2 * width];
        System.arraycopy(seen, 0, both, 0, width);
        System.arraycopy(proposed, 0, both, width, seenNatts);
        if (onConflict.where() != null && !Boolean.TRUE.equals(onConflict.where().eval(both, ex))) {
            return null; // the row stays locked, as in PostgreSQL
        }
        Object[] nv = new Object[seenNatts];
        System.arraycopy(seen, 0, nv, 0, seenNatts);
        for (int i = 0; i < seenNatts; i++) {
            if (onConflict.set()[i] != null) {
                nv[i] = onConflict.set()[i].eval(both, ex);
            }
        }
        if (upsertFromRoot != null) {
            nv = upsertFromRoot.apply(nv);
        }
        if (upsertPartition != null && !upsertPartition.test(nv)) {
            throw new PgException("0A000", "invalid ON UPDATE specification",
                    "The result tuple would appear in a different partition than the original tuple.", null);
        }
        // BEFORE/AFTER UPDATE row triggers (queued with the INSERT's events); UPDATE's transition tables
        RowTriggers updating = conflictTriggers == null ? null : triggers.forMember(rel, "UPDATE");
        if (updating != null) {
            if (onConflict.set() != null) {
                boolean[] assigned = new boolean[natts];
                for (int i = 0; i < natts; i++) {
                    assigned[i] = onConflict.set()[i] != null;
                }
                updating.updateTargets(assigned);
            }
            nv = updating.beforeUpdate(ex, java.util.Arrays.copyOf(existing, natts), nv);
            if (nv == null) {
                return null; // a BEFORE UPDATE trigger skipped the update
            }
        }
        List<Check> insertPolicies = policyChecks;
        policyChecks = policyUpdateChecks; // row-level security: ON CONFLICT DO UPDATE checks the UPDATE policies
        try {
            checkRow(ex, nv);
        } finally {
            policyChecks = insertPolicies;
        }
        TmResult u;
        long hit = ex.io[0];
        long read = ex.io[1];
        Toasting.Update toasted = Toasting.update(ex, rel, types, existing, tid, nv);
        try {
            u = ex.heap.update(rel.ref(), tid, toasted.tuple, ex.txn.xid(), ex.txn.commandId(), null,
                    WaitPolicy.BLOCK, ex.txn.lockTimeout(), rel.fillfactor());
            toasted.finish(u);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PgException("57014", "canceling statement due to user request");
        } finally {
            if (ex.stats != null) {
                heapBlocks(ex, hit, read);
            }
        }
        if (u.status() != TmResult.Status.OK) {
            return RETRY; // cannot happen while we hold the row lock; start over if it does
        }
        Object[] result = updated(ex, existing, nv, u.newTid());
        result[natts + 2] = Integer.toUnsignedLong(ex.txn.xid()); // the row lock carried to the new version
        if (updating != null) {
            updating.afterRow(ex, existing, nv);
            conflictTriggers.movedRow(java.util.Arrays.copyOf(existing, natts), nv);
            rowEventsQueued = true; // an AFTER UPDATE event, not an AFTER INSERT one
        }
        return result;
    }

    /** REPEATABLE READ and SERIALIZABLE meeting a row changed since their snapshot (also the foreign keys'). */
    static PgException serializationFailure(TmResult.Status status) {
        return new PgException("40001", "could not serialize access due to concurrent "
                + (status == TmResult.Status.UPDATED ? "update" : "delete"));
    }

    /** After the heap update of {@code oldRow} to {@code nv} at {@code newTid}: statistics, index entries, RI events. */
    private Object[] updated(ExecState ex, Object[] oldRow, Object[] nv, long newTid) {
        if (ex.stats != null) {
            ex.stats.updated(rel.oid(), false);
        }
        long hit = ex.io[0];
        long read = ex.io[1];
        try {
            insertIndexes(ex, nv, newTid, oldRow);
        } finally {
            if (ex.stats != null) {
                indexBlocks(ex, hit, read);
            }
        }
        if (riQueue != null) {
            ri.rowUpdated(ex, riQueue, rel, java.util.Arrays.copyOf(oldRow, natts), nv, newTid);
        }
        return withSystemColumns(ex, nv, newTid);
    }

    @Override
    public List<String> details(boolean analyze) {
        if (memberLabels != null) {
            List<String> d = new java.util.ArrayList<>();
            for (String l : memberLabels) {
                d.add(op.label + " on " + l);
            }
            return d;
        }
        if (onConflict == null) {
            return List.of();
        }
        List<String> d = new java.util.ArrayList<>();
        d.add("Conflict Resolution: " + (onConflict.doUpdate() ? "UPDATE" : "NOTHING"));
        if (onConflict.inferred()) {
            d.add("Conflict Arbiter Indexes: " + String.join(", ",
                    onConflict.arbiters().stream().map(Relation.Index::name).toList()));
        }
        if (onConflict.whereText() != null) {
            d.add("Conflict Filter: " + onConflict.whereText());
        }
        return d;
    }

    @Override
    public String label() {
        return op.label + " on " + rel.name() + (alias != null && !alias.equals(rel.name()) ? " " + alias : "");
    }

    @Override
    modgres.sql.catalog.Relation explainRelation() {
        return rel;
    }

    @Override
    protected List<String> output(ExplainContext x) {
        List<String> texts = new java.util.ArrayList<>();
        for (OutCol c : columns) {
            texts.add(x.qualify && c.qualifier() != null ? c.qualifier() + "." + c.name() : c.name());
        }
        return texts;
    }

    /**
     * An UPDATE's input shows the new values (PostgreSQL computes them in the input's projection; here this
     * node computes them from the input's row, the same expressions), then the multiple-column SETs'
     * sub-plans, then the row's ctid.
     */
    @Override
    List<String> childOutput(ExplainContext x) {
        if (op != Op.UPDATE || members != null || setTexts == null) {
            return null;
        }
        List<String> texts = new java.util.ArrayList<>();
        for (String t : setTexts) {
            if (t != null) {
                texts.add(t);
            }
        }
        texts.addAll(prepareTexts);
        texts.add(x.qualify && alias != null ? alias + ".ctid" : "ctid");
        return texts;
    }

    @Override
    public List<Plan> children() {
        if (members != null) {
            if (members.size() == 1) {
                return List.of(members.get(0).child);
            }
            List<Plan> scans = new java.util.ArrayList<>();
            for (ModifyTable m : members) {
                scans.add(m.child);
            }
            return List.of(new Nodes.Append(scans.isEmpty() ? List.of() : scans.get(0).columns, scans));
        }
        return List.of(child);
    }
}
