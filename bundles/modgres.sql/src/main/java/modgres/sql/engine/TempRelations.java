package modgres.sql.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

import modgres.api.access.BTree;
import modgres.api.access.Heap;
import modgres.api.access.HeapScan;
import modgres.api.access.HeapTuple;
import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.access.RelationRef;
import modgres.api.access.RowLockMode;
import modgres.api.access.TmResult;
import modgres.api.access.TupleData;
import modgres.api.access.TupleState;
import modgres.api.access.UniqueChecker;
import modgres.api.access.VacuumStats;
import modgres.api.access.WaitPolicy;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.temp.LocalRelations;
import modgres.api.temp.TempRelationStorage;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.Snapshot;
import modgres.sql.ast.IntoClause;

/*
 * Design notes: a session's temporary relations (the SQL side of
 * PostgreSQL's local buffers and ON COMMIT actions).
 *
 * Where a relation's pages live is decided by its persistence, which the
 * catalog view puts into its RelFileNode: a relation with
 * pg_class.relpersistence = 't' has the owning backend (the N of its
 * pg_temp_N schema) as RelFileNode.backend. The executor gets one Heap and
 * one BTree (the routers below); each call goes
 *
 *   node without backend ──▶ the shared heap / B-tree (shared buffers, WAL)
 *   node of this backend ──▶ this session's LocalRelations, with the backend
 *                            stripped (local buffers, no WAL, t<N>_ files)
 *   node of another one  ──▶ 0A000 "cannot access temporary tables of other
 *                            sessions" (PostgreSQL's ReadBufferExtended);
 *                            only dropping its storage is allowed (DROP
 *                            TABLE pg_temp_N.t, orphan clean-up)
 *
 * The LocalRelations are opened at the first temporary relation the session
 * touches (cheap: no memory until a page is used); temp_buffers is read
 * when the first page is used, and from then on a SET to another value fails
 * (see tempBuffersFixed). close() at session end, after the session dropped
 * its tables, forgets the buffers and removes any file left.
 *
 * ON COMMIT: PostgreSQL keeps the actions in backend memory, not in the
 * catalog, and so do we: relation OID -> DELETE ROWS or DROP, registered by
 * CREATE TABLE. At each commit, before the commit record, DataPath runs them
 * (truncate in place, or drop in the committing transaction); entries whose
 * relation is gone (dropped, or created by a transaction that aborted) are
 * forgotten then.
 */
/** A session's temporary relations: routing by persistence, local storage, ON COMMIT actions. */
final class TempRelations {
    private final int backend;
    private final Supplier<TempRelationStorage> storage;
    private final IntSupplier tempBuffers;
    private LocalRelations local;
    private final Heap sharedHeap;
    private final BTree sharedBtree;
    final Heap heap;
    final BTree btree;
    /** ON COMMIT actions by relation OID, in creation order. */
    private final Map<Integer, IntoClause.OnCommit> onCommit = new LinkedHashMap<>();

    TempRelations(int backend, Supplier<TempRelationStorage> storage, IntSupplier tempBuffers, Heap sharedHeap,
            BTree sharedBtree) {
        this.backend = backend;
        this.storage = storage;
        this.tempBuffers = tempBuffers;
        this.sharedHeap = sharedHeap;
        this.sharedBtree = sharedBtree;
        this.heap = new RoutingHeap();
        this.btree = new RoutingBTree();
    }

    /** The backend number of this session: its pg_temp_N schema and t<N>_ files. */
    int backend() {
        return backend;
    }

    private LocalRelations local() {
        if (local == null) {
            TempRelationStorage s = storage.get();
            if (s == null) {
                throw new PgException("0A000", "temporary tables are not available: no temporary relation storage"
                        + " is active");
            }
            local = s.open(backend, tempBuffers);
        }
        return local;
    }

    /**
     * The local pool's size once a temporary page has been used (PostgreSQL's
     * NLocBuffer), else 0: temp_buffers may change only while this is 0.
     */
    int tempBuffersFixed() {
        return local == null ? 0 : local.buffers();
    }

    /** Local buffers holding a page now. */
    int buffersInUse() {
        return local == null ? 0 : local.buffersInUse();
    }

    static PgException otherSession() {
        return new PgException("0A000", "cannot access temporary tables of other sessions");
    }

    private boolean isLocal(RelFileNode n) {
        if (!n.isTemp()) {
            return false;
        }
        if (n.backend() != backend) {
            throw otherSession();
        }
        return true;
    }

    private static RelationRef stripped(RelationRef r) {
        return new RelationRef(r.oid(), r.node().withoutBackend(), r.name());
    }

    // ---------------------------------------------------------------- ON COMMIT

    void registerOnCommit(int relOid, IntoClause.OnCommit action) {
        if (action == IntoClause.OnCommit.DELETE_ROWS || action == IntoClause.OnCommit.DROP) {
            onCommit.put(relOid, action);
        }
    }

    /** The registered actions, in creation order (a copy). */
    List<Map.Entry<Integer, IntoClause.OnCommit>> onCommitActions() {
        return new ArrayList<>(onCommit.entrySet());
    }

    void forgetOnCommit(int relOid) {
        onCommit.remove(relOid);
    }

    boolean hasOnCommitActions() {
        return !onCommit.isEmpty();
    }

    /**
     * ON COMMIT DELETE ROWS: empties a temporary table and its indexes in place
     * (PostgreSQL's heap_truncate: not transactional, at pre-commit, when no
     * one else can see the table). Skipped when nothing was ever written.
     */
    void truncateInPlace(RelFileNode table, List<RelFileNode> indexes) {
        if (!isLocal(table)) {
            throw new IllegalArgumentException("not a temporary relation of this session: " + table);
        }
        LocalRelations l = local();
        RelFileNode t = table.withoutBackend();
        if (l.heap().nblocks(t) == 0) {
            return;
        }
        l.heap().dropStorage(t);
        l.heap().create(t);
        for (RelFileNode i : indexes) {
            RelFileNode x = i.withoutBackend();
            l.btree().dropStorage(x);
            l.btree().create(x);
        }
    }

    /** Session end: local buffers forgotten, this backend's remaining files removed. */
    void close() {
        onCommit.clear();
        if (local != null) {
            local.close();
            local = null;
        }
    }

    // ---------------------------------------------------------------- routers

    /** The executor's heap: by persistence, see the design notes. */
    private final class RoutingHeap implements Heap {
        @Override
        public void create(RelFileNode rel) {
            if (isLocal(rel)) {
                local().heap().create(rel.withoutBackend());
            } else {
                sharedHeap.create(rel);
            }
        }

        @Override
        public void dropStorage(RelFileNode rel) {
            if (rel.isTemp() && rel.backend() != backend) {
                TempRelationStorage s = storage.get();
                if (s != null) {
                    s.unlinkOther(rel);
                }
            } else if (rel.isTemp()) {
                local().heap().dropStorage(rel.withoutBackend());
            } else {
                sharedHeap.dropStorage(rel);
            }
        }

        @Override
        public int nblocks(RelFileNode rel) {
            return isLocal(rel) ? local().heap().nblocks(rel.withoutBackend()) : sharedHeap.nblocks(rel);
        }

        @Override
        public long insert(RelationRef rel, TupleData tuple, int xid, int cid, int options, int fillfactor) {
            return isLocal(rel.node()) ? local().heap().insert(stripped(rel), tuple, xid, cid, options, fillfactor)
                    : sharedHeap.insert(rel, tuple, xid, cid, options, fillfactor);
        }

        @Override
        public long[] multiInsert(RelationRef rel, TupleData[] tuples, int xid, int cid, int options,
                int fillfactor) {
            return isLocal(rel.node())
                    ? local().heap().multiInsert(stripped(rel), tuples, xid, cid, options, fillfactor)
                    : sharedHeap.multiInsert(rel, tuples, xid, cid, options, fillfactor);
        }

        @Override
        public TmResult delete(RelationRef rel, long tid, int xid, int cid, Snapshot snapshot, WaitPolicy wait,
                long lockTimeoutMillis) throws InterruptedException {
            return isLocal(rel.node())
                    ? local().heap().delete(stripped(rel), tid, xid, cid, snapshot, wait, lockTimeoutMillis)
                    : sharedHeap.delete(rel, tid, xid, cid, snapshot, wait, lockTimeoutMillis);
        }

        @Override
        public TmResult update(RelationRef rel, long tid, TupleData newTuple, int xid, int cid, Snapshot snapshot,
                WaitPolicy wait, long lockTimeoutMillis, int fillfactor) throws InterruptedException {
            return isLocal(rel.node())
                    ? local().heap().update(stripped(rel), tid, newTuple, xid, cid, snapshot, wait,
                            lockTimeoutMillis, fillfactor)
                    : sharedHeap.update(rel, tid, newTuple, xid, cid, snapshot, wait, lockTimeoutMillis,
                            fillfactor);
        }

        @Override
        public TmResult update(RelationRef rel, long tid, TupleData newTuple, int xid, int cid, Snapshot snapshot,
                WaitPolicy wait, long lockTimeoutMillis, int fillfactor, boolean keyUpdate)
                throws InterruptedException {
            return isLocal(rel.node())
                    ? local().heap().update(stripped(rel), tid, newTuple, xid, cid, snapshot, wait,
                            lockTimeoutMillis, fillfactor, keyUpdate)
                    : sharedHeap.update(rel, tid, newTuple, xid, cid, snapshot, wait, lockTimeoutMillis,
                            fillfactor, keyUpdate);
        }

        @Override
        public TmResult lockTuple(RelationRef rel, long tid, int xid, int cid, RowLockMode mode, Snapshot snapshot,
                WaitPolicy wait, long lockTimeoutMillis) throws InterruptedException {
            return isLocal(rel.node())
                    ? local().heap().lockTuple(stripped(rel), tid, xid, cid, mode, snapshot, wait,
                            lockTimeoutMillis)
                    : sharedHeap.lockTuple(rel, tid, xid, cid, mode, snapshot, wait, lockTimeoutMillis);
        }

        @Override
        public HeapTuple fetch(RelationRef rel, long tid, Snapshot snapshot) {
            return isLocal(rel.node()) ? local().heap().fetch(stripped(rel), tid, snapshot)
                    : sharedHeap.fetch(rel, tid, snapshot);
        }

        @Override
        public HeapTuple fetchAny(RelationRef rel, long tid) {
            return isLocal(rel.node()) ? local().heap().fetchAny(stripped(rel), tid) : sharedHeap.fetchAny(rel, tid);
        }

        @Override
        public HeapScan scan(RelationRef rel, Snapshot snapshot, boolean bulk) {
            return isLocal(rel.node()) ? local().heap().scan(stripped(rel), snapshot, bulk)
                    : sharedHeap.scan(rel, snapshot, bulk);
        }

        /** Visibility rules are the same for both; a copied tuple does not say where it came from. */
        @Override
        public boolean isVisible(HeapTuple tuple, Snapshot snapshot) {
            return sharedHeap.isVisible(tuple, snapshot);
        }

        @Override
        public TupleState tupleState(RelationRef rel, long tid, CurrentTransaction current) {
            return isLocal(rel.node()) ? local().heap().tupleState(stripped(rel), tid, current)
                    : sharedHeap.tupleState(rel, tid, current);
        }

        @Override
        public VacuumStats vacuum(RelationRef rel, int oldestXmin, int freezeLimit, Consumer<long[]> indexCleanup) {
            return isLocal(rel.node()) ? local().heap().vacuum(stripped(rel), oldestXmin, freezeLimit, indexCleanup)
                    : sharedHeap.vacuum(rel, oldestXmin, freezeLimit, indexCleanup);
        }

        @Override
        public VacuumStats vacuum(RelationRef rel, int oldestXmin, int freezeLimit, Consumer<long[]> indexCleanup,
                java.util.function.IntConsumer pageDone, long memoryBytes) {
            return isLocal(rel.node())
                    ? local().heap().vacuum(stripped(rel), oldestXmin, freezeLimit, indexCleanup, pageDone,
                            memoryBytes)
                    : sharedHeap.vacuum(rel, oldestXmin, freezeLimit, indexCleanup, pageDone, memoryBytes);
        }

        @Override
        public void inplaceUpdate(RelationRef rel, long tid, TupleData tuple) {
            if (isLocal(rel.node())) {
                local().heap().inplaceUpdate(stripped(rel), tid, tuple);
            } else {
                sharedHeap.inplaceUpdate(rel, tid, tuple);
            }
        }
    }

    /** The executor's B-tree: by persistence, see the design notes. */
    private final class RoutingBTree implements BTree {
        @Override
        public void create(RelFileNode index) {
            if (isLocal(index)) {
                local().btree().create(index.withoutBackend());
            } else {
                sharedBtree.create(index);
            }
        }

        @Override
        public void dropStorage(RelFileNode index) {
            if (index.isTemp() && index.backend() != backend) {
                TempRelationStorage s = storage.get();
                if (s != null) {
                    s.unlinkOther(index);
                }
            } else if (index.isTemp()) {
                local().btree().dropStorage(index.withoutBackend());
            } else {
                sharedBtree.dropStorage(index);
            }
        }

        @Override
        public void insert(RelationRef index, KeyComparator cmp, byte[] key, long heapTid, UniqueChecker unique)
                throws InterruptedException {
            if (isLocal(index.node())) {
                local().btree().insert(stripped(index), cmp, key, heapTid, unique);
            } else {
                sharedBtree.insert(index, cmp, key, heapTid, unique);
            }
        }

        @Override
        public long build(RelationRef index, KeyComparator cmp, IndexScan sorted, int fillfactor)
                throws InterruptedException {
            return isLocal(index.node()) ? local().btree().build(stripped(index), cmp, sorted, fillfactor)
                    : sharedBtree.build(index, cmp, sorted, fillfactor);
        }

        @Override
        public IndexScan scan(RelationRef index, KeyComparator cmp, byte[] lower, boolean lowerInclusive,
                byte[] upper, boolean upperInclusive, boolean backward) {
            return isLocal(index.node())
                    ? local().btree().scan(stripped(index), cmp, lower, lowerInclusive, upper, upperInclusive,
                            backward)
                    : sharedBtree.scan(index, cmp, lower, lowerInclusive, upper, upperInclusive, backward);
        }

        @Override
        public long bulkDelete(RelationRef index, LongPredicate dead) {
            return isLocal(index.node()) ? local().btree().bulkDelete(stripped(index), dead)
                    : sharedBtree.bulkDelete(index, dead);
        }

        @Override
        public int nblocks(RelFileNode index) {
            return isLocal(index) ? local().btree().nblocks(index.withoutBackend()) : sharedBtree.nblocks(index);
        }
    }
}
