package modgres.sql.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import modgres.api.access.HeapScan;
import modgres.api.access.HeapTuple;
import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.access.RowLockMode;
import modgres.api.access.TmResult;
import modgres.api.access.WaitPolicy;
import modgres.api.error.PgException;
import modgres.api.txn.LockMode;
import modgres.api.txn.Snapshot;
import modgres.sql.catalog.Relation;

/*
 * Design notes: FOREIGN KEY enforcement (PostgreSQL's ri_triggers.c, without
 * triggers or SPI).
 *
 * What is planned: a DML statement's plan carries a ForeignKeys built by the
 * planner for its target table: every table an RI action may reach from it
 * (the target, and transitively the referencing tables of CASCADE / SET NULL
 * / SET DEFAULT actions), each with its outgoing constraints (it references
 * another table: child side) and incoming ones (it is referenced: parent
 * side), its NOT NULL/CHECK constraints and column defaults compiled. The
 * plan is recompiled when the catalog changes, as every plan is.
 *
 * Events: while the statement runs, ModifyTable queues one event per row
 * and constraint (PostgreSQL's after-trigger queue):
 *   CHECK   a referencing row was inserted, or updated with a changed key;
 *   PARENT  a referenced row was deleted, or updated with a changed key.
 * When the statement's own rows are all written (immediate constraints fire
 * at the end of the statement) the command counter is incremented, so the
 * checks see the statement's changes, and the events are handled in order.
 * An action that changes rows (cascade) queues the events of those rows in
 * front of the rest (depth first, as PostgreSQL fires the triggers of an RI
 * query at that query's end), after another command counter increment.
 *
 *   CHECK: MATCH SIMPLE passes a key with any NULL; MATCH FULL one of all
 *     NULLs and rejects a mix. Otherwise the referenced row is looked up
 *     through the referenced table's unique index and locked FOR KEY SHARE
 *     (heap.lockTuple): a concurrent delete or key update of it waits for
 *     this transaction, and the lock waits for one in progress; the outcome:
 *       locked                      -> present
 *       updated (committed)         -> the newest version, if it still has the
 *                                      key, is locked instead; else absent
 *                                      (REPEATABLE READ: 40001)
 *       deleted (committed)         -> absent (REPEATABLE READ: 40001)
 *     The row is read with a new snapshot under READ COMMITTED, with the
 *     transaction's under REPEATABLE READ (a parent row inserted after it is
 *     not seen: 23503, as in PostgreSQL).
 *   PARENT: a NULL old key or an unchanged key does nothing. NO ACTION first
 *     looks for another row that now has the old key (then nothing is
 *     referenced any more); RESTRICT does not. Both then look for
 *     referencing rows with a new snapshot (whatever the isolation: rows
 *     committed after the transaction snapshot count, as PostgreSQL's
 *     detectNewRows), lock each FOR KEY SHARE (waiting for a concurrent
 *     delete of it) and fail with 23503 on the first still there. CASCADE
 *     deletes them (or sets their key to the new one), SET NULL / SET
 *     DEFAULT update them; under REPEATABLE READ those writes crosscheck the
 *     transaction snapshot, so a referencing row it cannot see is 40001.
 *
 * Why no orphan can appear: the child side locks the referenced row before
 * its transaction commits; the parent side's delete/update of that row
 * waits for the lock (or the child's lock waits for the delete and then
 * finds the row gone); whichever commits second saw the first: the deleter's
 * end-of-statement check uses a snapshot taken after its delete waited.
 *
 * Row locks here have no MultiXacts (heap README): FOR KEY SHARE conflicts
 * with every other locker and every update counts as a key update, so two
 * transactions inserting rows that reference the same parent row, or a
 * child insert and a non-key update of the parent, wait for each other
 * where PostgreSQL lets them run side by side. Results stay the same; only
 * the waiting (and possible deadlocks, 40P01) differ.
 */
/** Foreign keys of the tables a DML statement may touch, and their enforcement; see the design notes. */
public final class ForeignKeys {

    /** One foreign key resolved for execution. */
    public static final class Fk {
        final Relation.Constraint con;
        final Relation child;
        final Relation parent;
        /** Attribute numbers in constraint order. */
        final int[] childCols;
        final int[] parentCols;
        /** The referenced table's unique index on {@link #parentCols}; {@link #parentOrder}[i] = constraint position of its key i. */
        final Relation.Index parentIndex;
        final int[] parentOrder;
        /** An index of the referencing table led by {@link #childCols} (any order), or null. */
        final Relation.Index childIndex;
        final int[] childOrder;
        /** Conversions of a key between the two tables' column types (null entries: same type). */
        final TypeSystem.Cast[] toParent;
        final TypeSystem.Cast[] toChild;
        final int[] childTypes;
        final int[] parentTypes;
        /**
         * When {@link #parent} is a partitioned table: the same key against each of its leaves, where the rows
         * are (a referenced key is present when one leaf has it); null otherwise. See PartitionedForeignKeys.
         */
        List<Fk> leaves;
        /** The referencing table errors name (a partitioned table rather than its leaf), or null for the child. */
        String referencingName;

        String referencingName() {
            return referencingName != null ? referencingName : child.name();
        }

        Fk(Relation.Constraint con, Relation child, Relation parent, TypeSystem ts) {
            this.con = con;
            this.child = child;
            this.parent = parent;
            this.childCols = con.keys();
            this.parentCols = con.refKeys();
            int n = childCols.length;
            childTypes = new int[n];
            parentTypes = new int[n];
            toParent = new TypeSystem.Cast[n];
            toChild = new TypeSystem.Cast[n];
            for (int i = 0; i < n; i++) {
                childTypes[i] = child.columns().get(childCols[i] - 1).type();
                parentTypes[i] = parent.columns().get(parentCols[i] - 1).type();
                if (childTypes[i] != parentTypes[i]) {
                    toParent[i] = ts.cast(childTypes[i], parentTypes[i], -1, TypeSystem.CastContext.ASSIGNMENT);
                    toChild[i] = ts.cast(parentTypes[i], childTypes[i], -1, TypeSystem.CastContext.ASSIGNMENT);
                }
            }
            Relation.Index pi = null;
            for (Relation.Index idx : parent.indexes()) {
                if (idx.oid() == con.index()) {
                    pi = idx;
                }
            }
            if (pi == null) {
                pi = uniqueIndexOn(parent, parentCols);
            }
            if (pi == null) {
                throw new PgException("XX000", "could not find the unique index of foreign key constraint \""
                        + con.name() + "\"");
            }
            parentIndex = pi;
            parentOrder = order(pi.keys(), parentCols);
            Relation.Index ci = null;
            int[] co = null;
            for (Relation.Index idx : child.indexes()) {
                if (idx.keys().length >= n && idx.plain()) {
                    int[] o = order(java.util.Arrays.copyOf(idx.keys(), n), childCols);
                    if (o != null && (ci == null || idx.keys().length < ci.keys().length)) {
                        ci = idx;
                        co = o;
                    }
                }
            }
            childIndex = ci;
            childOrder = co;
        }

        public String name() {
            return con.name();
        }
    }

    /** For each of {@code indexKeys}: its position in {@code cols}; null when the two are not the same set. */
    static int[] order(int[] indexKeys, int[] cols) {
        if (indexKeys.length != cols.length) {
            return null;
        }
        int[] o = new int[indexKeys.length];
        boolean[] used = new boolean[cols.length];
        for (int i = 0; i < indexKeys.length; i++) {
            int at = -1;
            for (int j = 0; j < cols.length; j++) {
                if (!used[j] && cols[j] == indexKeys[i]) {
                    at = j;
                    break;
                }
            }
            if (at < 0) {
                return null;
            }
            used[at] = true;
            o[i] = at;
        }
        return o;
    }

    /** A unique index of {@code rel} whose key columns are exactly {@code cols} (any order), or null. */
    public static Relation.Index uniqueIndexOn(Relation rel, int[] cols) {
        Relation.Index best = null;
        for (Relation.Index idx : rel.indexes()) {
            if (idx.unique() && idx.plain() && order(idx.keys(), cols) != null && (best == null || idx.primary())) {
                best = idx;
            }
        }
        return best;
    }

    /** A table an RI action may write or check, with what writing it needs. */
    public static final class Table {
        final Relation rel;
        /** Its writer: NOT NULL / CHECK constraints and index maintenance (a ModifyTable without input). */
        final ModifyTable writer;
        final List<Fk> outgoing = new ArrayList<>();
        final List<Fk> incoming = new ArrayList<>();
        /** Per attribute: the column default (SET DEFAULT), null when none. */
        final Ev[] defaults;

        public Table(Relation rel, ModifyTable writer, Ev[] defaults) {
            this.rel = rel;
            this.writer = writer;
            this.defaults = defaults;
        }

        public List<Fk> outgoing() {
            return outgoing;
        }

        public List<Fk> incoming() {
            return incoming;
        }

        boolean isEmpty() {
            return outgoing.isEmpty() && incoming.isEmpty();
        }
    }

    final Map<Integer, Table> tables = new LinkedHashMap<>();

    public Map<Integer, Table> tables() {
        return tables;
    }

    Table table(int oid) {
        return tables.get(oid);
    }

    /** True when the statement's target has no foreign key on either side (nothing to queue). */
    public boolean none(int targetOid) {
        Table t = tables.get(targetOid);
        return t == null || t.isEmpty();
    }

    // ------------------------------------------------------------------ events

    /** A queued check: {@code oldRow} null = CHECK of {@code newRow}; else PARENT change (newRow null = delete). */
    record Event(Fk fk, Object[] oldRow, Object[] newRow, long newTid) {
    }

    /** The events of one statement run. */
    public static final class Queue {
        final Deque<Event> events = new ArrayDeque<>();

        public boolean isEmpty() {
            return events.isEmpty();
        }
    }

    /** Queues what a new row of {@code rel} (inserted at {@code tid}) needs checked. */
    void rowInserted(Queue q, Relation rel, Object[] row, long tid) {
        Table t = tables.get(rel.oid());
        if (t == null) {
            return;
        }
        for (Fk fk : t.outgoing) {
            q.events.add(new Event(fk, null, row, tid));
        }
    }

    /** Queues the events of an updated row of {@code rel}. */
    void rowUpdated(ExecState ex, Queue q, Relation rel, Object[] oldRow, Object[] newRow, long newTid) {
        rowUpdated(ex, q.events, rel, oldRow, newRow, newTid, false);
    }

    private void rowUpdated(ExecState ex, Deque<Event> into, Relation rel, Object[] oldRow, Object[] newRow,
            long newTid, boolean front) {
        Table t = tables.get(rel.oid());
        if (t == null) {
            return;
        }
        List<Event> add = new ArrayList<>();
        for (Fk fk : t.outgoing) {
            if (!sameKey(ex, fk.childCols, fk.childTypes, oldRow, newRow)) {
                add.add(new Event(fk, null, newRow, newTid));
            }
        }
        for (Fk fk : t.incoming) {
            if (!sameKey(ex, fk.parentCols, fk.parentTypes, oldRow, newRow)) {
                add.add(new Event(fk, oldRow, newRow, 0));
            }
        }
        push(into, add, front);
    }

    /** Queues the events of a deleted row of {@code rel}. */
    void rowDeleted(Queue q, Relation rel, Object[] oldRow) {
        Table t = tables.get(rel.oid());
        if (t == null) {
            return;
        }
        for (Fk fk : t.incoming) {
            q.events.add(new Event(fk, oldRow, null, 0));
        }
    }

    private static void push(Deque<Event> into, List<Event> add, boolean front) {
        if (front) {
            for (int i = add.size() - 1; i >= 0; i--) {
                into.addFirst(add.get(i));
            }
        } else {
            into.addAll(add);
        }
    }

    private static boolean sameKey(ExecState ex, int[] cols, int[] types, Object[] a, Object[] b) {
        for (int i = 0; i < cols.length; i++) {
            Object x = a[cols[i] - 1];
            Object y = b[cols[i] - 1];
            if (x == null || y == null) {
                if (x != y) {
                    return false;
                }
            } else if (!ex.types.hashKey(types[i], x).equals(ex.types.hashKey(types[i], y))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fires the queued events at the end of the statement: the statement's
     * changes become visible (command counter), then each event in order,
     * the events of rows an action changed before the rest.
     */
    public void fire(ExecState ex, Queue q) {
        if (q.events.isEmpty()) {
            return;
        }
        ex.txn.commandCounterIncrement();
        Snapshot latest = ex.txn.latestSnapshot();
        while (!q.events.isEmpty()) {
            Event e = q.events.pollFirst();
            ex.tick();
            latest.setCommandId(ex.txn.commandId());
            if (e.oldRow() == null) {
                checkChild(ex, e.fk(), e.newRow(), e.newTid(), latest);
            } else {
                List<Event> caused = new ArrayList<>();
                if (parentChanged(ex, e.fk(), e.oldRow(), e.newRow(), latest, caused)) {
                    ex.txn.commandCounterIncrement();
                }
                push(q.events, caused, true);
            }
        }
    }

    // ------------------------------------------------------------------ child side

    private void checkChild(ExecState ex, Fk fk, Object[] row, long tid, Snapshot latest) {
        if (!nullsPass(fk, row)) {
            return;
        }
        // the row was changed again later in the statement (or by a cascade): its newer version is checked
        if (tid != 0 && ex.heap.fetch(fk.child.ref(), tid, ex.txn.snapshot()) == null) {
            return;
        }
        Object[] key = parentKey(ex, fk, row);
        Snapshot snap = ex.txn.usesTransactionSnapshot() ? ex.txn.snapshot() : latest;
        boolean present = false;
        if (key != null && fk.leaves != null) {
            ex.txn.lockRelation(fk.parent.oid(), LockMode.ROW_SHARE);
            for (Fk leaf : fk.leaves) {
                if (lockReferenced(ex, leaf, key, snap)) {
                    present = true;
                    break;
                }
            }
        } else if (key != null) {
            present = lockReferenced(ex, fk, key, snap);
        }
        if (!present) {
            throw notPresent(ex, fk, row);
        }
    }

    /**
     * MATCH SIMPLE: false (no check) when a key column is NULL. MATCH FULL:
     * false when all are, 23503 when some are.
     */
    private static boolean nullsPass(Fk fk, Object[] row) {
        int nulls = 0;
        for (int c : fk.childCols) {
            if (row[c - 1] == null) {
                nulls++;
            }
        }
        if (nulls == 0) {
            return true;
        }
        if (fk.con.matchType() == 'f' && nulls < fk.childCols.length) {
            throw new PgException("23503", "insert or update on table \"" + fk.child.name()
                    + "\" violates foreign key constraint \"" + fk.name() + "\"",
                    "MATCH FULL does not allow mixing of null and nonnull key values.", null);
        }
        return false;
    }

    /** The referencing row's key converted to the referenced columns' types; null when a value cannot be one of theirs. */
    private static Object[] parentKey(ExecState ex, Fk fk, Object[] row) {
        Object[] k = new Object[fk.childCols.length];
        for (int i = 0; i < k.length; i++) {
            Object v = row[fk.childCols[i] - 1];
            if (fk.toParent[i] != null) {
                try {
                    v = fk.toParent[i].apply(v, ex);
                } catch (PgException e) {
                    return null; // e.g. a bigint beyond integer's range: no such key
                }
            }
            k[i] = v;
        }
        return k;
    }

    private static byte[] probe(ExecState ex, int[] order, int[] types, Object[] key) {
        int[] kt = new int[order.length];
        Object[] kv = new Object[order.length];
        for (int i = 0; i < order.length; i++) {
            kt[i] = types[order[i]];
            kv[i] = key[order[i]];
        }
        return ex.types.indexKey(kt, kv);
    }

    private static boolean rowHasKey(ExecState ex, int[] cols, int[] types, Object[] row, Object[] key) {
        for (int i = 0; i < cols.length; i++) {
            Object v = row[cols[i] - 1];
            if (v == null || !ex.types.hashKey(types[i], v).equals(ex.types.hashKey(types[i], key[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Looks the key up in the referenced table and locks the row FOR KEY SHARE; false when there is none. */
    private static boolean lockReferenced(ExecState ex, Fk fk, Object[] key, Snapshot snap) {
        ex.txn.lockRelation(fk.parent.oid(), LockMode.ROW_SHARE);
        boolean rr = ex.txn.usesTransactionSnapshot();
        byte[] k = probe(ex, fk.parentOrder, fk.parentTypes, key);
        int[] types = Scans.types(fk.parent);
        List<Long> candidates = new ArrayList<>();
        try (IndexScan s = ex.btree.scan(fk.parentIndex.ref(), KeyComparator.BYTEWISE, k, true, k, true, false)) {
            while (s.next()) {
                candidates.add(s.heapTid());
            }
        }
        for (long tid : candidates) {
            if (ex.heap.fetch(fk.parent.ref(), tid, snap) == null) {
                continue;
            }
            Snapshot cross = rr ? snap : null;
            for (;;) {
                TmResult r;
                try {
                    r = ex.heap.lockTuple(fk.parent.ref(), tid, ex.txn.xid(), ex.txn.commandId(),
                            RowLockMode.KEY_SHARE, cross, WaitPolicy.BLOCK, ex.txn.lockTimeout());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PgException("57014", "canceling statement due to user request");
                }
                if (r.status() == TmResult.Status.OK) {
                    return true;
                }
                if (r.status() == TmResult.Status.UPDATED && r.newTid() != 0 && r.newTid() != tid) {
                    HeapTuple t = ex.heap.fetchAny(fk.parent.ref(), r.newTid());
                    if (t != null && rowHasKey(ex, fk.parentCols, fk.parentTypes,
                            Scans.toRow(ex, fk.parent, types, t), key)) {
                        // a committed update kept the key (every update counts as a key update here;
                        // PostgreSQL would have locked the old version): lock the newest one
                        tid = r.newTid();
                        cross = null;
                        continue;
                    }
                }
                if (rr && (r.status() == TmResult.Status.UPDATED || r.status() == TmResult.Status.DELETED)) {
                    // a row lock reports both as an update (ExecLockRows)
                    throw new PgException("40001", "could not serialize access due to concurrent update");
                }
                break; // deleted, or its key changed: not this row
            }
        }
        return false;
    }

    private static PgException notPresent(ExecState ex, Fk fk, Object[] row) {
        return new PgException("23503", "insert or update on table \"" + fk.child.name()
                + "\" violates foreign key constraint \"" + fk.name() + "\"", "Key "
                + describe(ex, fk.child, fk.childCols, row) + " is not present in table \"" + fk.parent.name()
                + "\".", null);
    }

    /** {@code (a, b)=(1, 2)}: the key columns of {@code rel} and their values in {@code row}. */
    static String describe(ExecState ex, Relation rel, int[] cols, Object[] row) {
        StringBuilder names = new StringBuilder();
        StringBuilder vals = new StringBuilder();
        for (int i = 0; i < cols.length; i++) {
            Relation.Column c = rel.columns().get(cols[i] - 1);
            Object v = row[cols[i] - 1];
            names.append(i == 0 ? "" : ", ").append(c.name());
            vals.append(i == 0 ? "" : ", ").append(v == null ? "null" : ex.types.output(c.type(), v));
        }
        return "(" + names + ")=(" + vals + ")";
    }

    /**
     * ALTER TABLE ... ADD FOREIGN KEY / VALIDATE CONSTRAINT: every row of the
     * referencing table must have its key in the referenced one (both tables
     * locked against writers by the caller). 23503 as an insert would.
     */
    public static void validate(ExecState ex, TypeSystem ts, Relation.Constraint con, Relation child,
            Relation parent) {
        validate(ex, new Fk(con, child, parent, ts));
    }

    /** As above for a resolved key (its {@link Fk#leaves} when the referenced table is partitioned). */
    static void validate(ExecState ex, Fk top) {
        Relation child = top.child;
        int[] types = Scans.types(child);
        Snapshot snap = ex.txn.snapshot();
        try (HeapScan s = ex.heap.scan(child.ref(), snap, true)) {
            for (HeapTuple t = s.next(); t != null; t = s.next()) {
                ex.tick();
                Object[] row = Scans.toRow(ex, child, types, t);
                if (!nullsPass(top, row)) {
                    continue;
                }
                Object[] key = parentKey(ex, top, row);
                boolean found = false;
                for (Fk fk : top.leaves == null ? List.of(top) : top.leaves) {
                    if (key == null || found) {
                        break;
                    }
                    Relation parent = fk.parent;
                    int[] ptypes = Scans.types(parent);
                    byte[] k = probe(ex, fk.parentOrder, fk.parentTypes, key);
                    try (IndexScan is = ex.btree.scan(fk.parentIndex.ref(), KeyComparator.BYTEWISE, k, true, k, true,
                            false)) {
                        while (!found && is.next()) {
                            HeapTuple pt = ex.heap.fetch(parent.ref(), is.heapTid(), snap);
                            found = pt != null && rowHasKey(ex, fk.parentCols, fk.parentTypes,
                                    Scans.toRow(ex, parent, ptypes, pt), key);
                        }
                    }
                }
                if (!found) {
                    throw notPresent(ex, top, row);
                }
            }
        }
    }

    // ------------------------------------------------------------------ parent side

    /** Handles a referenced row's delete or key update; true when it changed rows (events added to {@code caused}). */
    private boolean parentChanged(ExecState ex, Fk fk, Object[] oldRow, Object[] newRow, Snapshot latest,
            List<Event> caused) {
        for (int c : fk.parentCols) {
            if (oldRow[c - 1] == null) {
                return false; // nothing can reference a key with a NULL
            }
        }
        if (newRow != null && sameKey(ex, fk.parentCols, fk.parentTypes, oldRow, newRow)) {
            return false;
        }
        char action = newRow == null ? fk.con.onDelete() : fk.con.onUpdate();
        Object[] pkey = new Object[fk.parentCols.length];
        for (int i = 0; i < pkey.length; i++) {
            pkey[i] = oldRow[fk.parentCols[i] - 1];
        }
        if (action == 'a' && keyExists(ex, fk, pkey, latest)) {
            return false; // another row provides the old key now (NO ACTION only)
        }
        Object[] ckey = new Object[pkey.length];
        for (int i = 0; i < ckey.length; i++) {
            Object v = pkey[i];
            if (fk.toChild[i] != null) {
                try {
                    v = fk.toChild[i].apply(v, ex);
                } catch (PgException e) {
                    return false; // no referencing column can hold it
                }
            }
            ckey[i] = v;
        }
        boolean write = action == 'c' || action == 'n' || action == 'd';
        ex.txn.lockRelation(fk.child.oid(), write ? LockMode.ROW_EXCLUSIVE : LockMode.ROW_SHARE);
        Table childTable = tables.get(fk.child.oid());
        boolean changed = false;
        for (long tid : referencing(ex, fk, ckey, latest)) {
            if (!write) {
                if (stillReferencing(ex, fk, tid, ckey)) {
                    throw new PgException("23503", "update or delete on table \"" + fk.parent.name()
                            + "\" violates foreign key constraint \"" + fk.name() + "\" on table \""
                            + fk.referencingName() + "\"", "Key " + describe(ex, fk.parent, fk.parentCols, oldRow)
                            + " is still referenced from table \"" + fk.referencingName() + "\".", null);
                }
                continue;
            }
            if (childTable == null) {
                throw new PgException("XX000", "foreign key action on table \"" + fk.child.name()
                        + "\" was not planned");
            }
            changed |= act(ex, fk, childTable, action, tid, ckey, newRow, caused);
        }
        return changed;
    }

    /** NO ACTION's ri_Check_Pk_Match: is there (now) a live row with the key in the referenced table? */
    private static boolean keyExists(ExecState ex, Fk fk, Object[] pkey, Snapshot latest) {
        byte[] k = probe(ex, fk.parentOrder, fk.parentTypes, pkey);
        try (IndexScan s = ex.btree.scan(fk.parentIndex.ref(), KeyComparator.BYTEWISE, k, true, k, true, false)) {
            while (s.next()) {
                if (ex.heap.fetch(fk.parent.ref(), s.heapTid(), latest) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The tids of the referencing rows with {@code ckey} that {@code snap} sees. */
    private static List<Long> referencing(ExecState ex, Fk fk, Object[] ckey, Snapshot snap) {
        List<Long> out = new ArrayList<>();
        int[] types = Scans.types(fk.child);
        if (fk.childIndex != null) {
            byte[] k = probe(ex, fk.childOrder, fk.childTypes, ckey);
            List<Long> tids = new ArrayList<>();
            try (IndexScan s = ex.btree.scan(fk.childIndex.ref(), KeyComparator.BYTEWISE, k, true, k, true, false)) {
                while (s.next()) {
                    tids.add(s.heapTid());
                }
            }
            for (long tid : tids) {
                HeapTuple t = ex.heap.fetch(fk.child.ref(), tid, snap);
                if (t != null && rowHasKey(ex, fk.childCols, fk.childTypes, Scans.toRow(ex, fk.child, types, t),
                        ckey)) {
                    out.add(tid);
                }
            }
            return out;
        }
        try (HeapScan s = ex.heap.scan(fk.child.ref(), snap, false)) {
            for (HeapTuple t = s.next(); t != null; t = s.next()) {
                ex.tick();
                if (rowHasKey(ex, fk.childCols, fk.childTypes, Scans.toRow(ex, fk.child, types, t), ckey)) {
                    out.add(t.tid());
                }
            }
        }
        return out;
    }

    /** Locks a referencing row FOR KEY SHARE (waiting out a concurrent change); true when it still has the key. */
    private static boolean stillReferencing(ExecState ex, Fk fk, long tid, Object[] ckey) {
        int[] types = Scans.types(fk.child);
        for (;;) {
            TmResult r;
            try {
                r = ex.heap.lockTuple(fk.child.ref(), tid, ex.txn.xid(), ex.txn.commandId(), RowLockMode.KEY_SHARE,
                        null, WaitPolicy.BLOCK, ex.txn.lockTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("57014", "canceling statement due to user request");
            }
            if (r.status() == TmResult.Status.OK) {
                return true;
            }
            if (r.status() == TmResult.Status.UPDATED && r.newTid() != 0 && r.newTid() != tid) {
                HeapTuple t = ex.heap.fetchAny(fk.child.ref(), r.newTid());
                if (t != null && rowHasKey(ex, fk.childCols, fk.childTypes, Scans.toRow(ex, fk.child, types, t),
                        ckey)) {
                    tid = r.newTid();
                    continue;
                }
            }
            return false;
        }
    }

    /**
     * CASCADE / SET NULL / SET DEFAULT on one referencing row: deletes it or
     * writes its new key, following a concurrent update under READ COMMITTED
     * (EvalPlanQual: the newest version, if it still has the key).
     */
    private boolean act(ExecState ex, Fk fk, Table t, char action, long tid, Object[] ckey, Object[] newParent,
            List<Event> caused) {
        Relation rel = t.rel;
        int[] types = Scans.types(rel);
        boolean delete = action == 'c' && newParent == null;
        modgres.api.txn.Snapshot cross = ex.txn.usesTransactionSnapshot() ? ex.txn.snapshot() : null;
        for (;;) {
            HeapTuple cur = ex.heap.fetchAny(rel.ref(), tid);
            if (cur == null) {
                return false;
            }
            Object[] old = Scans.toRow(ex, rel, types, cur);
            Object[] oldAttrs = java.util.Arrays.copyOf(old, types.length);
            TmResult r;
            Object[] nv = null;
            try {
                if (delete) {
                    r = ex.heap.delete(rel.ref(), tid, ex.txn.xid(), ex.txn.commandId(), cross, WaitPolicy.BLOCK,
                            ex.txn.lockTimeout());
                } else {
                    nv = oldAttrs.clone();
                    for (int i = 0; i < fk.childCols.length; i++) {
                        int a = fk.childCols[i] - 1;
                        if (action == 'n') {
                            nv[a] = null;
                        } else if (action == 'd') {
                            nv[a] = t.defaults[a] == null ? null : t.defaults[a].eval(old, ex);
                        } else {
                            Object v = newParent[fk.parentCols[i] - 1];
                            nv[a] = v == null || fk.toChild[i] == null ? v : fk.toChild[i].apply(v, ex);
                        }
                    }
                    t.writer.checkRow(ex, nv);
                    Toasting.Update toasted = Toasting.update(ex, rel, types, oldAttrs, tid, nv);
                    r = ex.heap.update(rel.ref(), tid, toasted.tuple, ex.txn.xid(), ex.txn.commandId(),
                            cross, WaitPolicy.BLOCK, ex.txn.lockTimeout(), rel.fillfactor(),
                            t.writer.keyChanged(ex, oldAttrs, nv));
                    toasted.finish(r);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("57014", "canceling statement due to user request");
            }
            switch (r.status()) {
                case OK:
                    if (delete) {
                        Toasting.deleted(ex, rel, types, oldAttrs, tid);
                    }
                    if (ex.ssi != null) {
                        t.writer.writeKeys(ex, oldAttrs); // SERIALIZABLE: the action writes the child row
                    }
                    if (delete) {
                        if (ex.stats != null) {
                            ex.stats.deleted(rel.oid());
                        }
                        for (Fk in : t.incoming) {
                            caused.add(new Event(in, oldAttrs, null, 0));
                        }
                    } else {
                        if (ex.stats != null) {
                            ex.stats.updated(rel.oid(), false);
                        }
                        t.writer.insertIndexes(ex, nv, r.newTid(), oldAttrs);
                        Deque<Event> d = new ArrayDeque<>();
                        rowUpdated(ex, d, rel, oldAttrs, nv, r.newTid(), false);
                        caused.addAll(d);
                    }
                    return true;
                case UPDATED:
                case DELETED:
                    if (ex.txn.usesTransactionSnapshot()) {
                        throw ModifyTable.serializationFailure(r.status());
                    }
                    if (r.status() == TmResult.Status.DELETED || r.newTid() == 0 || r.newTid() == tid) {
                        return false;
                    }
                    HeapTuple newer = ex.heap.fetchAny(rel.ref(), r.newTid());
                    if (newer == null || !rowHasKey(ex, fk.childCols, fk.childTypes,
                            Scans.toRow(ex, rel, types, newer), ckey)) {
                        return false;
                    }
                    tid = r.newTid();
                    break;
                default:
                    return false; // changed by this statement already
            }
        }
    }
}
