package modgres.storage.heap;

import static modgres.api.page.HeapTupleHeader.HEAP_COMBOCID;
import static modgres.api.page.HeapTupleHeader.HEAP_KEYS_UPDATED;
import static modgres.api.page.HeapTupleHeader.HEAP_LOCK_MASK;
import static modgres.api.page.HeapTupleHeader.HEAP_UPDATED;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_EXCL_LOCK;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_KEYSHR_LOCK;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_SHR_LOCK;
import static modgres.api.page.HeapTupleHeader.HEAP_XMIN_COMMITTED;
import static modgres.api.page.HeapTupleHeader.HEAP_XMIN_FROZEN;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import modgres.api.access.Heap;
import modgres.api.access.HeapScan;
import modgres.api.access.HeapTuple;
import modgres.api.access.RelationRef;
import modgres.api.access.RowLockMode;
import modgres.api.access.Tid;
import modgres.api.access.TmResult;
import modgres.api.access.TupleData;
import modgres.api.access.TupleState;
import modgres.api.access.VacuumStats;
import modgres.api.access.WaitPolicy;
import modgres.api.buffer.AccessStrategy;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.buffer.StrategyType;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.page.FreeSpaceMap;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.ItemId;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.MultiXactMember;
import modgres.api.txn.MultiXactStatus;
import modgres.api.txn.Snapshot;
import modgres.api.txn.TransactionManager;
import modgres.api.txn.Xid;
import modgres.api.txn.XidStatus;
import modgres.api.wal.BlockReference;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.Wal;
import modgres.api.wal.WalRecord;

/*
 * Design notes: the heap access method (PostgreSQL's heapam.c, hio.c,
 * pruneheap.c; vacuum is in LazyVacuum, visibility in Visibility, the page
 * changes shared with redo in HeapPage, the records in HeapWal).
 *
 * Every change follows the BufferPool protocol: pin, exclusive content lock,
 * change the page, markDirty (before the record, PostgreSQL's order), insert
 * the WAL record naming the page (the WAL takes a full-page image when the
 * page's first change after the REDO pointer needs one), set pd_lsn, unlock,
 * unpin. No content lock is held while
 * waiting for a transaction; at most two page locks are held at once (the old
 * and new page of an update), taken in block-number order.
 *
 * Life of a row version (t_xmax as the state):
 *
 *   insert ──▶ [xmax invalid] ──lock──▶ [xmax = locker, LOCK_ONLY] ──lock ends──┐
 *                  │   ▲                        │ update/delete                 │
 *                  │   └────────────────────────┼───────────────────────────────┘
 *                  ▼ delete/update              ▼
 *              [xmax = deleter] ── deleter aborts ──▶ (xmax invalid again: may be changed)
 *                  │ deleter commits
 *                  ▼
 *              dead once xmax precedes oldestXmin ──prune──▶ LP_DEAD ──index cleanup──▶ LP_UNUSED
 *
 * Row-level conflicts (delete, update, lock): HeapTupleSatisfiesUpdate under
 * the exclusive lock; a running other transaction in xmax is waited for with
 * TransactionManager.waitFor (content lock released, pin kept), then the
 * tuple is examined again from scratch. Compatible holders coexist through
 * MultiXacts (RowHolders): a request waits only for running holders whose
 * mode conflicts with it (all of them, one after the other), and the new
 * xmax is the request plus the holders still running (a MultiXact when that
 * is more than one). An update is a key update (HEAP_KEYS_UPDATED, UPDATE
 * strength) unless the caller says no key column changed (NO_KEY_UPDATE,
 * compatible with FOR KEY SHARE); a delete always is.
 *
 * Space: inserts take a page from the free space map (with the fillfactor's
 * reserve), else try the last page, else extend under the relation's
 * extension lock. An update stays on its page when the new version fits
 * (fillfactor ignored, as PostgreSQL), otherwise it goes to another page
 * found the same way; the old page is unlocked during the search and the old
 * tuple re-examined once both pages are locked. There is no HOT: the heap is
 * not told whether indexed columns changed, so every new version is indexed
 * by its caller and gets its own tid.
 *
 * Truncation guard: vacuum may cut empty pages off the end. Inserters (and
 * updates moving to another page) hold the relation's tail lock shared while
 * they choose and fill a page; vacuum truncates only if it gets the lock
 * exclusively at once (PostgreSQL's conditional AccessExclusiveLock). Readers
 * take no lock: a block that vanished is read as "past the end".
 *
 * Scans and fetches copy tuples out under a shared content lock; nothing
 * reads a heap page without a content lock. Pruning therefore needs only the
 * exclusive lock, not PostgreSQL's cleanup lock (no other pins).
 */
@Component(name = "modgres.storage.heap", service = Heap.class)
public final class HeapComponent implements Heap {

    static final int INVALID_BLOCK = FreeSpaceMap.INVALID_BLOCK;
    static final ForkNumber MAIN = ForkNumber.MAIN;
    /** Free space below which a scan prunes a prunable page opportunistically (BLCKSZ / 10). */
    static final int PRUNE_FREE_SPACE = BufferPool.BLOCK_SIZE / 10;
    /** hio.c's nearlyEmptyFreeSpace: never ask the free space map for more than this plus the tuple. */
    private static final int NEARLY_EMPTY = HeapTupleHeader.MAX_TUPLE_SIZE
            - HeapTupleHeader.MAX_TUPLES_PER_PAGE / 8 * ItemId.SIZE;

    private static final TmResult INVISIBLE = new TmResult(TmResult.Status.INVISIBLE, Tid.INVALID, 0, 0);

    final BufferPool pool;
    final Wal wal;
    final StorageManager smgr;
    final FreeSpaceMap fsm;
    final TransactionManager tm;
    final Visibility vis;
    final RowHolders rows;
    private final ConcurrentHashMap<RelFileNode, RelLocks> rels = new ConcurrentHashMap<>();

    /** Per-relation locks of this component (not heavyweight locks). */
    static final class RelLocks {
        /** The relation extension lock. */
        final ReentrantLock extension = new ReentrantLock();
        /** Shared by whoever fills pages, exclusive for truncation (see the notes). */
        final ReentrantReadWriteLock tail = new ReentrantReadWriteLock();
    }

    @Activate
    public HeapComponent(@Reference(name = "BufferPool") BufferPool pool, @Reference(name = "Wal") Wal wal,
            @Reference(name = "StorageManager") StorageManager smgr,
            @Reference(name = "FreeSpaceMap") FreeSpaceMap fsm,
            @Reference(name = "TransactionManager") TransactionManager tm) {
        this.pool = pool;
        this.wal = wal;
        this.smgr = smgr;
        this.fsm = fsm;
        this.tm = tm;
        this.vis = new Visibility(tm, wal);
        this.rows = new RowHolders(tm, vis);
    }

    RelLocks locks(RelFileNode node) {
        return rels.computeIfAbsent(node, k -> new RelLocks());
    }

    // ================================================================== storage

    @Override
    public void create(RelFileNode rel) {
        smgr.create(rel, MAIN, false);
        wal.insert(WalRecord.of(ResourceManager.SMGR, HeapWal.XLOG_SMGR_CREATE, 0, HeapWal.smgrCreate(rel, MAIN)));
    }

    @Override
    public void dropStorage(RelFileNode rel) {
        pool.dropRelation(rel);
        smgr.unlinkRelation(rel);
        rels.remove(rel);
    }

    @Override
    public int nblocks(RelFileNode rel) {
        return smgr.nblocks(rel, MAIN);
    }

    /** Pins {@code block}, or returns -1 when it lies past the end of the relation (perhaps truncated just now). */
    int pinExisting(RelFileNode node, int block, AccessStrategy strategy) {
        // Pin first and ask the storage manager for the length only when that fails: almost every block asked
        // for is in the pool, and the length lives behind the fork's shared lock, which every backend fetching
        // from the same table contended on (half the CPU of 8 pgbench clients went to it).
        try {
            return pool.pin(node.tablespace(), node.database(), node.relfilenode(), MAIN, block, ReadMode.NORMAL,
                    strategy);
        } catch (PgException e) {
            if (Integer.compareUnsigned(block, smgr.nblocks(node, MAIN)) >= 0) {
                return -1;
            }
            throw e;
        }
    }

    // ================================================================== insert

    @Override
    public long insert(RelationRef rel, TupleData tuple, int xid, int cid, int options, int fillfactor) {
        byte[] w = HeapPage.walTuple(tuple, (options & INSERT_FROZEN) != 0 ? HEAP_XMIN_FROZEN : 0);
        int len = HeapPage.tupleLength(w.length);
        checkSize(len);
        RelFileNode node = rel.node();
        RelLocks rl = locks(node);
        rl.tail.readLock().lock();
        try {
            int buf = bufferForTuple(node, rl, Page.maxAlign(len), fillfactor, INVALID_BLOCK, 0);
            try {
                ByteBuffer p = pool.page(buf);
                int blk = pool.blockNumber(buf);
                boolean init = HeapPage.isEmpty(p);
                if (init) {
                    Page.init(p, 0);
                }
                int off = HeapPage.placeTuple(p, w, 0, w.length, Page.INVALID_OFFSET, blk, xid, 0, cid);
                if (off == Page.INVALID_OFFSET) {
                    throw new PgException(SqlState.INTERNAL_ERROR, "failed to add tuple to page");
                }
                byte info = (byte) (HeapWal.XLOG_HEAP_INSERT | (init ? HeapWal.XLOG_HEAP_INIT_PAGE : 0));
                pool.markDirty(buf); // before the record, as PostgreSQL: see the README
                long lsn = wal.insert(WalRecord.builder(ResourceManager.HEAP, info).xid(xid)
                        .block(node, MAIN, blk, p, init ? BlockReference.WILL_INIT : BlockReference.STANDARD, w)
                        .mainData(HeapWal.insert(off, 0)).build());
                Page.setLsn(p, lsn);
                return Tid.of(blk, off);
            } finally {
                pool.unlockAndUnpin(buf);
            }
        } finally {
            rl.tail.readLock().unlock();
        }
    }

    /**
     * PostgreSQL's heap_multi_insert: per page, as many of the tuples as fit
     * (keeping the fillfactor's reserve) under one exclusive content lock,
     * logged as one HEAP2 MULTI_INSERT record naming the page (+INIT when the
     * page starts out empty, so redo rebuilds it from the record alone).
     * Every tuple's size is checked before anything is written.
     */
    @Override
    public long[] multiInsert(RelationRef rel, TupleData[] tuples, int xid, int cid, int options, int fillfactor) {
        int n = tuples.length;
        long[] tids = new long[n];
        if (n == 0) {
            return tids;
        }
        int infomask = (options & INSERT_FROZEN) != 0 ? HEAP_XMIN_FROZEN : 0;
        byte[][] w = new byte[n][];
        for (int i = 0; i < n; i++) {
            w[i] = HeapPage.walTuple(tuples[i], infomask);
            checkSize(HeapPage.tupleLength(w[i].length));
        }
        int reserve = BufferPool.BLOCK_SIZE * (100 - Math.max(10, Math.min(100, fillfactor))) / 100;
        RelFileNode node = rel.node();
        RelLocks rl = locks(node);
        int[] offsets = new int[Math.min(n, HeapTupleHeader.MAX_TUPLES_PER_PAGE)];
        rl.tail.readLock().lock();
        try {
            int done = 0;
            while (done < n) {
                int buf = bufferForTuple(node, rl, Page.maxAlign(HeapPage.tupleLength(w[done].length)), fillfactor,
                        INVALID_BLOCK, 0);
                try {
                    ByteBuffer p = pool.page(buf);
                    int blk = pool.blockNumber(buf);
                    boolean init = HeapPage.isEmpty(p);
                    if (init) {
                        Page.init(p, 0);
                    }
                    int first = done;
                    int dataLen = 0;
                    while (done < n && done - first < offsets.length) {
                        int len = HeapPage.tupleLength(w[done].length);
                        if (done > first && Page.heapFreeSpace(p) < Page.maxAlign(len) + reserve) {
                            break;
                        }
                        int off = HeapPage.placeTuple(p, w[done], 0, w[done].length, Page.INVALID_OFFSET, blk, xid, 0,
                                cid);
                        if (off == Page.INVALID_OFFSET) {
                            if (done == first) {
                                throw new PgException(SqlState.INTERNAL_ERROR, "failed to add tuple to page");
                            }
                            break;
                        }
                        offsets[done - first] = off;
                        tids[done] = Tid.of(blk, off);
                        dataLen += 2 + w[done].length;
                        done++;
                    }
                    int count = done - first;
                    byte[] data = new byte[dataLen];
                    for (int i = first, at = 0; i < done; i++) {
                        data[at] = (byte) w[i].length;
                        data[at + 1] = (byte) (w[i].length >>> 8);
                        System.arraycopy(w[i], 0, data, at + 2, w[i].length);
                        at += 2 + w[i].length;
                    }
                    int flags = done == n ? HeapWal.XLH_INSERT_LAST_IN_MULTI : 0;
                    byte info = (byte) (HeapWal.XLOG_HEAP2_MULTI_INSERT | (init ? HeapWal.XLOG_HEAP_INIT_PAGE : 0));
                    pool.markDirty(buf); // before the record, as PostgreSQL: see the README
                    long lsn = wal.insert(WalRecord.builder(ResourceManager.HEAP2, info).xid(xid)
                            .block(node, MAIN, blk, p, init ? BlockReference.WILL_INIT : BlockReference.STANDARD, data)
                            .mainData(HeapWal.multiInsert(flags, count, offsets, init)).build());
                    Page.setLsn(p, lsn);
                } finally {
                    pool.unlockAndUnpin(buf);
                }
            }
        } finally {
            rl.tail.readLock().unlock();
        }
        return tids;
    }

    private static void checkSize(int len) {
        int aligned = Page.maxAlign(len);
        if (aligned > HeapTupleHeader.MAX_TUPLE_SIZE) {
            throw new PgException("54000",
                    "row is too big: size " + aligned + ", maximum size " + HeapTupleHeader.MAX_TUPLE_SIZE);
        }
    }

    /** hio.c's targetFreeSpace: the tuple plus the fillfactor's reserve, capped for huge tuples. */
    static int targetFree(int need, int fillfactor) {
        int ff = Math.max(10, Math.min(100, fillfactor));
        int save = BufferPool.BLOCK_SIZE * (100 - ff) / 100;
        return need + save > NEARLY_EMPTY ? Math.max(need, NEARLY_EMPTY) : need + save;
    }

    /** Room on a page for a new tuple: a page without items counts as empty (it is re-initialised). */
    static int roomOn(ByteBuffer p) {
        return HeapPage.isEmpty(p) ? HeapTupleHeader.MAX_TUPLE_SIZE : Page.heapFreeSpace(p);
    }

    /**
     * hio.c's RelationGetBufferForTuple for an insert: a page with at least the
     * target free space, pinned and locked exclusively. The caller holds the
     * tail lock shared. {@code avoid} (with its known free space) is a block not
     * to return (the old page of an update).
     */
    private int bufferForTuple(RelFileNode node, RelLocks rl, int need, int fillfactor, int avoid, int avoidFree) {
        int target = targetFree(need, fillfactor);
        int block = fsm.findPage(node, target);
        boolean triedLast = false;
        for (;;) {
            if (block != INVALID_BLOCK && block == avoid) {
                block = fsm.recordAndFindPage(node, avoid, avoidFree, target);
                continue;
            }
            int buf;
            if (block == INVALID_BLOCK) {
                int nb = smgr.nblocks(node, MAIN);
                if (!triedLast && nb > 0 && nb - 1 != avoid) {
                    triedLast = true;
                    block = nb - 1;
                    continue;
                }
                triedLast = true;
                buf = extendOrReuse(node, rl, nb);
            } else {
                buf = pinExisting(node, block, null);
                if (buf < 0) {
                    // a stale map entry past the end (the map is not WAL-logged): forget it
                    fsm.recordFreeSpace(node, block, 0);
                    block = fsm.findPage(node, target);
                    continue;
                }
            }
            pool.lockContent(buf, true);
            int room = roomOn(pool.page(buf));
            if (room >= target) {
                return buf;
            }
            int blk = pool.blockNumber(buf);
            pool.unlockAndUnpin(buf);
            block = fsm.recordAndFindPage(node, blk, room, target);
        }
    }

    /**
     * A page at the end, pinned (not locked): a new block, or the last block when
     * another thread extended the relation while this one waited for the
     * extension lock ({@code seenNblocks} is what the caller saw before).
     */
    private int extendOrReuse(RelFileNode node, RelLocks rl, int seenNblocks) {
        rl.extension.lock();
        try {
            int nb = smgr.nblocks(node, MAIN);
            if (nb > seenNblocks) {
                int b = pinExisting(node, nb - 1, null);
                if (b >= 0) {
                    return b;
                }
            }
            return pool.extend(node, MAIN, null);
        } finally {
            rl.extension.unlock();
        }
    }

    // ================================================================== delete, update, lock

    /** The transaction doing a change: its own id, and what its snapshot counts as current. */
    private CurrentTransaction currentOf(int xid, Snapshot snapshot) {
        CurrentTransaction base = snapshot == null ? null : snapshot.current();
        return x -> x == xid || (base != null ? base.isCurrent(x) : sameTransaction(x, xid));
    }

    private boolean sameTransaction(int x, int xid) {
        return Xid.isNormal(x) && tm.isRunning(x) && tm.topLevelXid(x) == tm.topLevelXid(xid);
    }

    /** What {@link #examine} decided. */
    private static final class Verdict {
        static final int GO = 0;
        static final int FAIL = 1;
        static final int WAIT = 2;
        int kind;
        TmResult result;
        /** WAIT: the running holders whose modes conflict with the request, each to be waited for. */
        int[] waitXids;
        /** GO on a tuple whose xmax is the own transaction's lock. */
        boolean ownLock;
    }

    /**
     * heap_delete/heap_update/heap_lock_tuple's common part, under the
     * exclusive lock: may the change proceed, must it wait, or what is the
     * outcome?
     */
    private Verdict examine(RelationRef rel, int buf, ByteBuffer p, int t, long tid, int cid, Snapshot snapshot,
            CurrentTransaction cur, WaitPolicy wait, boolean isLock, MultiXactStatus want) {
        Verdict v = new Verdict();
        int r = vis.satisfiesUpdate(pool, buf, p, t, cid, cur, tid);
        if (r == Visibility.TM_BEING_MODIFIED) {
            MultiXactMember[] holders = rows.of(HeapTupleHeader.xmax(p, t), HeapTupleHeader.infomask(p, t),
                    HeapTupleHeader.infomask2(p, t));
            int[] conflicts = rows.conflicts(holders, want, cur);
            int xw = conflicts.length > 0 ? conflicts[0] : 0;
            if (conflicts.length == 0) {
                v.ownLock = true; // only compatible holders (or our own): join them
                r = Visibility.TM_OK;
            } else if (wait == WaitPolicy.BLOCK) {
                v.kind = Verdict.WAIT;
                v.waitXids = conflicts;
                return v;
            } else if (wait == WaitPolicy.ERROR) {
                throw new PgException("55P03", "could not obtain lock on row in relation \"" + rel.name() + "\"");
            } else {
                v.kind = Verdict.FAIL;
                v.result = new TmResult(isLock ? TmResult.Status.WOULD_BLOCK : TmResult.Status.BEING_MODIFIED,
                        ctid(p, t), xw, 0);
                return v;
            }
        }
        if (r == Visibility.TM_OK && snapshot != null && !vis.mvcc(pool, buf, p, t, snapshot)) {
            r = Visibility.TM_UPDATED; // transaction-snapshot crosscheck: changed after the snapshot
        }
        if (r == Visibility.TM_OK) {
            v.kind = Verdict.GO;
            return v;
        }
        v.kind = Verdict.FAIL;
        int xmax = vis.updateXidOf(HeapTupleHeader.xmax(p, t), HeapTupleHeader.infomask(p, t));
        switch (r) {
            case Visibility.TM_SELF_MODIFIED:
                v.result = new TmResult(TmResult.Status.SELF_MODIFIED, ctid(p, t), xmax,
                        vis.cmax(HeapTupleHeader.xmin(p, t), HeapTupleHeader.cid(p, t), HeapTupleHeader.infomask(p, t)));
                break;
            case Visibility.TM_UPDATED:
                v.result = new TmResult(TmResult.Status.UPDATED, ctid(p, t), xmax, 0);
                break;
            case Visibility.TM_DELETED:
                v.result = new TmResult(TmResult.Status.DELETED, Tid.INVALID, xmax, 0);
                break;
            default:
                v.result = INVISIBLE;
        }
        return v;
    }

    private static long ctid(ByteBuffer p, int t) {
        return Tid.of(HeapTupleHeader.ctidBlock(p, t), HeapTupleHeader.ctidOffset(p, t));
    }

    /** t_cid for a delete/update by {@code cid}: a combo id when the own transaction inserted the tuple. */
    private void setCmax(ByteBuffer p, int t, int cid, CurrentTransaction cur) {
        int xmin = HeapTupleHeader.xmin(p, t);
        int infomask = HeapTupleHeader.infomask(p, t);
        if ((infomask & HEAP_XMIN_COMMITTED) == 0 && cur.isCurrent(xmin)) {
            int cmin = vis.cmin(xmin, HeapTupleHeader.cid(p, t), infomask);
            HeapTupleHeader.setCid(p, t, vis.combos.combo(xmin, cmin, cid));
            HeapTupleHeader.setInfomaskBits(p, t, HEAP_COMBOCID);
        } else {
            HeapTupleHeader.setCid(p, t, cid);
            HeapTupleHeader.clearInfomaskBits(p, t, HEAP_COMBOCID);
        }
    }

    /**
     * PostgreSQL's heap_acquire_tuplock: before the first wait for a row's
     * locker, take the row's heavyweight tuple lock, so that waiters queue in
     * order behind the first (who alone waits for the transaction) instead of
     * all waking at its commit and racing; held until the operation ends.
     */
    private boolean acquireTupleLock(boolean held, RelationRef rel, int blk, int off, long timeoutMillis)
            throws InterruptedException {
        if (!held) {
            tm.lockTuple(rel.node().database(), rel.oid(), blk, off, timeoutMillis);
        }
        return true;
    }

    /**
     * Waits for every conflicting holder in turn ({@code MultiXactIdWait} for the
     * conflicting members); a failed wait (lock timeout, deadlock) says what was
     * waited for, as PostgreSQL's XactLockTableWait context ({@code what}:
     * "locking", "updating", "deleting").
     */
    private void waitForAll(int[] xids, long timeoutMillis, String what, RelationRef rel, int blk, int off)
            throws InterruptedException {
        for (int x : xids) {
            try {
                tm.waitFor(x, timeoutMillis);
            } catch (PgException e) {
                throw e.addContext("while " + what + " tuple (" + Integer.toUnsignedString(blk) + "," + off
                        + ") in relation \"" + rel.name() + "\"");
            }
        }
    }

    /** The holders of the tuple at {@code t} now. */
    private MultiXactMember[] holdersAt(ByteBuffer p, int t) {
        return rows.of(HeapTupleHeader.xmax(p, t), HeapTupleHeader.infomask(p, t), HeapTupleHeader.infomask2(p, t));
    }

    @Override
    public TmResult delete(RelationRef rel, long tid, int xid, int cid, Snapshot snapshot, WaitPolicy wait,
            long lockTimeoutMillis) throws InterruptedException {
        RelFileNode node = rel.node();
        int blk = Tid.block(tid);
        int off = Tid.offset(tid);
        CurrentTransaction cur = currentOf(xid, snapshot);
        int buf = pinExisting(node, blk, null);
        if (buf < 0) {
            return INVISIBLE;
        }
        boolean tupleLock = false;
        try {
            for (;;) {
                pool.lockContent(buf, true);
                boolean locked = true;
                try {
                    ByteBuffer p = pool.page(buf);
                    int t = HeapPage.tupleAt(p, off);
                    if (t < 0) {
                        return INVISIBLE;
                    }
                    Verdict v = examine(rel, buf, p, t, tid, cid, snapshot, cur, wait, false, MultiXactStatus.UPDATE);
                    if (v.kind == Verdict.WAIT) {
                        pool.unlockContent(buf);
                        locked = false;
                        tupleLock = acquireTupleLock(tupleLock, rel, blk, off, lockTimeoutMillis);
                        waitForAll(v.waitXids, lockTimeoutMillis, "deleting", rel, blk, off);
                        continue;
                    }
                    if (v.kind == Verdict.FAIL) {
                        return v.result;
                    }
                    RowHolders.NewXmax nx = rows.add(holdersAt(p, t), xid, MultiXactStatus.UPDATE);
                    int infobits = nx.infobits();
                    setCmax(p, t, cid, cur);
                    HeapPage.delete(p, t, blk, off, nx.xmax(), infobits);
                    Page.setPrunable(p, xid);
                    pool.markDirty(buf); // before the record, as PostgreSQL: see the README
                    long lsn = wal.insert(WalRecord.builder(ResourceManager.HEAP, HeapWal.XLOG_HEAP_DELETE).xid(xid)
                            .block(node, MAIN, blk, p, BlockReference.STANDARD)
                            .mainData(HeapWal.delete(nx.xmax(), off, infobits, 0)).build());
                    Page.setLsn(p, lsn);
                    return TmResult.OK;
                } finally {
                    if (locked) {
                        pool.unlockContent(buf);
                    }
                }
            }
        } finally {
            if (tupleLock) {
                tm.unlockTuple(rel.node().database(), rel.oid(), blk, off);
            }
            pool.unpin(buf);
        }
    }

    @Override
    public TmResult update(RelationRef rel, long tid, TupleData newTuple, int xid, int cid, Snapshot snapshot,
            WaitPolicy wait, long lockTimeoutMillis, int fillfactor) throws InterruptedException {
        return update(rel, tid, newTuple, xid, cid, snapshot, wait, lockTimeoutMillis, fillfactor, true);
    }

    @Override
    public TmResult update(RelationRef rel, long tid, TupleData newTuple, int xid, int cid, Snapshot snapshot,
            WaitPolicy wait, long lockTimeoutMillis, int fillfactor, boolean keyUpdate) throws InterruptedException {
        MultiXactStatus want = keyUpdate ? MultiXactStatus.UPDATE : MultiXactStatus.NO_KEY_UPDATE;
        byte[] w = HeapPage.walTuple(newTuple, HEAP_UPDATED);
        int len = HeapPage.tupleLength(w.length);
        checkSize(len);
        int need = Page.maxAlign(len);
        RelFileNode node = rel.node();
        int oldBlk = Tid.block(tid);
        int oldOff = Tid.offset(tid);
        CurrentTransaction cur = currentOf(xid, snapshot);
        int oldBuf = pinExisting(node, oldBlk, null);
        if (oldBuf < 0) {
            return INVISIBLE;
        }
        boolean tupleLock = false;
        try {
            for (;;) {
                pool.lockContent(oldBuf, true);
                boolean oldLocked = true;
                try {
                    ByteBuffer op = pool.page(oldBuf);
                    int t = HeapPage.tupleAt(op, oldOff);
                    if (t < 0) {
                        return INVISIBLE;
                    }
                    Verdict v = examine(rel, oldBuf, op, t, tid, cid, snapshot, cur, wait, false, want);
                    if (v.kind == Verdict.WAIT) {
                        pool.unlockContent(oldBuf);
                        oldLocked = false;
                        tupleLock = acquireTupleLock(tupleLock, rel, oldBlk, oldOff, lockTimeoutMillis);
                        waitForAll(v.waitXids, lockTimeoutMillis, "updating", rel, oldBlk, oldOff);
                        continue;
                    }
                    if (v.kind == Verdict.FAIL) {
                        return v.result;
                    }
                    int oldFree = Page.heapFreeSpace(op);
                    if (oldFree >= need) {
                        return TmResult.ok(updateOnPages(node, xid, cid, cur, oldBuf, oldOff, oldBuf, false, w, want));
                    }
                    // Another page: unlock the old one while searching, lock both in block order, look again.
                    pool.unlockContent(oldBuf);
                    oldLocked = false;
                    RelLocks rl = locks(node);
                    rl.tail.readLock().lock();
                    try {
                        int newBuf = bufferForTupleUnlocked(node, rl, need, fillfactor, oldBlk, oldFree);
                        try {
                            int newBlk = pool.blockNumber(newBuf);
                            if (Integer.compareUnsigned(newBlk, oldBlk) < 0) {
                                pool.lockContent(newBuf, true);
                                pool.lockContent(oldBuf, true);
                            } else {
                                pool.lockContent(oldBuf, true);
                                pool.lockContent(newBuf, true);
                            }
                            oldLocked = true;
                            try {
                                t = HeapPage.tupleAt(op, oldOff);
                                if (t < 0) {
                                    return INVISIBLE;
                                }
                                Verdict again = examine(rel, oldBuf, op, t, tid, cid, snapshot, cur, WaitPolicy.SKIP,
                                        false, want);
                                if (again.kind != Verdict.GO) {
                                    continue; // changed while unlocked: start over (and wait if need be)
                                }
                                if (Page.heapFreeSpace(op) >= need) {
                                    return TmResult.ok(updateOnPages(node, xid, cid, cur, oldBuf, oldOff, oldBuf,
                                            false, w, want));
                                }
                                ByteBuffer np = pool.page(newBuf);
                                int room = roomOn(np);
                                if (room < targetFree(need, fillfactor)) {
                                    fsm.recordFreeSpace(node, newBlk, room);
                                    continue; // someone filled it meanwhile
                                }
                                boolean init = HeapPage.isEmpty(np);
                                if (init) {
                                    Page.init(np, 0);
                                }
                                return TmResult.ok(updateOnPages(node, xid, cid, cur, oldBuf, oldOff, newBuf, init, w, want));
                            } finally {
                                pool.unlockContent(newBuf);
                            }
                        } finally {
                            pool.unpin(newBuf);
                        }
                    } finally {
                        rl.tail.readLock().unlock();
                    }
                } finally {
                    if (oldLocked) {
                        pool.unlockContent(oldBuf);
                    }
                }
            }
        } finally {
            if (tupleLock) {
                tm.unlockTuple(rel.node().database(), rel.oid(), oldBlk, oldOff);
            }
            pool.unpin(oldBuf);
        }
    }

    /** {@link #bufferForTuple} without keeping the lock: the caller locks old and new page in block order. */
    private int bufferForTupleUnlocked(RelFileNode node, RelLocks rl, int need, int fillfactor, int avoid,
            int avoidFree) {
        int buf = bufferForTuple(node, rl, need, fillfactor, avoid, avoidFree);
        pool.unlockContent(buf);
        return buf;
    }

    /**
     * The update proper, both pages locked exclusively (one page when
     * {@code newBuf == oldBuf}): new version placed, old one pointed at it, one
     * WAL record (block 0 the new page, block 1 the old page if different).
     * The old version's xmax becomes the update plus its compatible holders;
     * the new version starts locked by the lockers of other transactions that
     * remain (RowHolders). Returns the new tid.
     */
    private long updateOnPages(RelFileNode node, int xid, int cid, CurrentTransaction cur, int oldBuf, int oldOff,
            int newBuf, boolean init, byte[] w, MultiXactStatus want) {
        ByteBuffer op = pool.page(oldBuf);
        ByteBuffer np = pool.page(newBuf);
        int oldBlk = pool.blockNumber(oldBuf);
        int newBlk = pool.blockNumber(newBuf);
        MultiXactMember[] holders = holdersAt(op, Page.itemOffset(op, oldOff));
        RowHolders.NewXmax nx = rows.add(holders, xid, want);
        RowHolders.NewXmax inherited = rows.inheritedLockers(holders, cur);
        int newXmax = 0;
        if (inherited != null) {
            w = w.clone();
            ByteBuffer wb = HeapWal.le(w);
            int m = wb.getShort(2) & ~HeapPage.HEAP_XMAX_BITS;
            wb.putShort(2, (short) HeapPage.infomaskOf(m, inherited.infobits()));
            newXmax = inherited.xmax();
        }
        int newOff = HeapPage.placeTuple(np, w, 0, w.length, Page.INVALID_OFFSET, newBlk, xid, newXmax, cid);
        if (newOff == Page.INVALID_OFFSET) {
            throw new PgException(SqlState.INTERNAL_ERROR, "failed to add tuple to page");
        }
        long newTid = Tid.of(newBlk, newOff);
        int t = Page.itemOffset(op, oldOff);
        int infobits = nx.infobits();
        setCmax(op, t, cid, cur);
        HeapPage.updateOld(op, t, nx.xmax(), infobits, false, newTid);
        Page.setPrunable(op, xid);
        byte info = (byte) (HeapWal.XLOG_HEAP_UPDATE | (init ? HeapWal.XLOG_HEAP_INIT_PAGE : 0));
        WalRecord.Builder b = WalRecord.builder(ResourceManager.HEAP, info).xid(xid)
                .block(node, MAIN, newBlk, np, init ? BlockReference.WILL_INIT : BlockReference.STANDARD, w);
        if (newBuf != oldBuf) {
            b.block(node, MAIN, oldBlk, op, BlockReference.STANDARD);
        }
        pool.markDirty(newBuf); // before the record, as PostgreSQL: see the README
        if (newBuf != oldBuf) {
            pool.markDirty(oldBuf);
        }
        long lsn = wal.insert(b.mainData(HeapWal.update(nx.xmax(), oldOff, infobits, 0, newXmax, newOff)).build());
        Page.setLsn(np, lsn);
        if (newBuf != oldBuf) {
            Page.setLsn(op, lsn);
        }
        return newTid;
    }

    /** The row lock mode an xmax holding only a lock stands for. */
    static RowLockMode lockModeOf(int infomask, int infomask2) {
        if ((infomask & HEAP_LOCK_MASK) == HEAP_XMAX_SHR_LOCK) {
            return RowLockMode.SHARE;
        }
        if ((infomask & HEAP_XMAX_EXCL_LOCK) != 0) {
            return (infomask2 & HEAP_KEYS_UPDATED) != 0 ? RowLockMode.EXCLUSIVE : RowLockMode.NO_KEY_EXCLUSIVE;
        }
        return (infomask & HEAP_XMAX_KEYSHR_LOCK) != 0 ? RowLockMode.KEY_SHARE : null;
    }

    /** The WAL infobits (and so the infomask bits) of a lock in {@code mode}. */
    static int lockInfobits(RowLockMode mode) {
        switch (mode) {
            case KEY_SHARE:
                return HeapWal.XLHL_XMAX_LOCK_ONLY | HeapWal.XLHL_XMAX_KEYSHR_LOCK;
            case SHARE:
                return HeapWal.XLHL_XMAX_LOCK_ONLY | HeapWal.XLHL_XMAX_EXCL_LOCK | HeapWal.XLHL_XMAX_KEYSHR_LOCK;
            case NO_KEY_EXCLUSIVE:
                return HeapWal.XLHL_XMAX_LOCK_ONLY | HeapWal.XLHL_XMAX_EXCL_LOCK;
            default:
                return HeapWal.XLHL_XMAX_LOCK_ONLY | HeapWal.XLHL_XMAX_EXCL_LOCK | HeapWal.XLHL_KEYS_UPDATED;
        }
    }

    @Override
    public TmResult lockTuple(RelationRef rel, long tid, int xid, int cid, RowLockMode mode, Snapshot snapshot,
            WaitPolicy wait, long lockTimeoutMillis) throws InterruptedException {
        RelFileNode node = rel.node();
        int blk = Tid.block(tid);
        int off = Tid.offset(tid);
        CurrentTransaction cur = currentOf(xid, snapshot);
        int buf = pinExisting(node, blk, null);
        if (buf < 0) {
            return INVISIBLE;
        }
        boolean tupleLock = false;
        MultiXactStatus want = RowHolders.lockStatus(mode);
        long chainNext = Tid.INVALID;
        int chainUpdater = Xid.INVALID;
        try {
            for (;;) {
                pool.lockContent(buf, true);
                boolean locked = true;
                try {
                    ByteBuffer p = pool.page(buf);
                    int t = HeapPage.tupleAt(p, off);
                    if (t < 0) {
                        return INVISIBLE;
                    }
                    Verdict v = examine(rel, buf, p, t, tid, cid, snapshot, cur, wait, true, want);
                    if (v.kind == Verdict.WAIT) {
                        pool.unlockContent(buf);
                        locked = false;
                        tupleLock = acquireTupleLock(tupleLock, rel, blk, off, lockTimeoutMillis);
                        waitForAll(v.waitXids, lockTimeoutMillis, "locking", rel, blk, off);
                        continue;
                    }
                    if (v.kind == Verdict.FAIL) {
                        return v.result;
                    }
                    MultiXactMember[] holders = holdersAt(p, t);
                    if (rows.alreadyHeld(holders, want, cur)) {
                        return TmResult.OK; // we hold as much already
                    }
                    RowHolders.NewXmax nx = rows.add(holders, xid, want);
                    int infobits = nx.infobits();
                    HeapPage.lock(p, t, blk, off, nx.xmax(), infobits);
                    pool.markDirty(buf); // before the record, as PostgreSQL: see the README
                    long lsn = wal.insert(WalRecord.builder(ResourceManager.HEAP, HeapWal.XLOG_HEAP_LOCK).xid(xid)
                            .block(node, MAIN, blk, p, BlockReference.STANDARD)
                            .mainData(HeapWal.delete(nx.xmax(), off, infobits, 0)).build());
                    Page.setLsn(p, lsn);
                    // locked beside a running updater (a no-key update): its new version must carry the lock too
                    int upd = vis.updateXidOf(nx.xmax(), HeapTupleHeader.infomask(p, t));
                    long next = ctid(p, t);
                    if (Xid.isNormal(upd) && !cur.isCurrent(upd) && next != tid) {
                        chainNext = next;
                        chainUpdater = upd;
                    }
                    break;
                } finally {
                    if (locked) {
                        pool.unlockContent(buf);
                    }
                }
            }
        } finally {
            if (tupleLock) {
                tm.unlockTuple(rel.node().database(), rel.oid(), blk, off);
            }
            pool.unpin(buf);
        }
        if (chainNext != Tid.INVALID) {
            lockUpdatedVersions(rel, chainNext, chainUpdater, xid, want, cur, wait, lockTimeoutMillis);
        }
        return TmResult.OK;
    }

    /**
     * PostgreSQL's heap_lock_updated_tuple: a lock taken on a version that a
     * running transaction is updating (without key change, so the lock did not
     * conflict) is also put on the newer versions, so that whoever changes the
     * row after that update commits still meets the lock (a foreign key's KEY
     * SHARE keeps protecting the key). Follows ctid while the link is an
     * update by another transaction: a version whose inserter is not the
     * updater of the previous one ends the chain (pruned, slot reused), as
     * does an aborted updater; a version updated by a committed transaction is
     * passed over (it is dead to future changers); conflicting holders of a
     * version are waited for under {@link WaitPolicy#BLOCK}, and end the walk
     * otherwise.
     */
    private void lockUpdatedVersions(RelationRef rel, long tid, int priorXmax, int xid, MultiXactStatus want,
            CurrentTransaction cur, WaitPolicy wait, long lockTimeoutMillis) throws InterruptedException {
        RelFileNode node = rel.node();
        for (int hops = 0; hops < 10_000 && tid != Tid.INVALID; hops++) {
            int blk = Tid.block(tid);
            int off = Tid.offset(tid);
            int buf = pinExisting(node, blk, null);
            if (buf < 0) {
                return;
            }
            long next = Tid.INVALID;
            try {
                for (;;) {
                    pool.lockContent(buf, true);
                    boolean locked = true;
                    try {
                        ByteBuffer p = pool.page(buf);
                        int t = HeapPage.tupleAt(p, off);
                        if (t < 0 || HeapTupleHeader.xmin(p, t) != priorXmax
                                || tm.status(priorXmax) == XidStatus.ABORTED) {
                            return;
                        }
                        int mask = HeapTupleHeader.infomask(p, t);
                        long link = ctid(p, t);
                        int upd = (mask & HeapTupleHeader.HEAP_XMAX_INVALID) != 0 || Visibility.xmaxLockedOnly(mask)
                                ? Xid.INVALID : vis.updateXidOf(HeapTupleHeader.xmax(p, t), mask);
                        if (Xid.isNormal(upd) && tm.status(upd) == XidStatus.COMMITTED) {
                            next = link != tid ? link : Tid.INVALID; // dead to future changers: go on
                            priorXmax = upd;
                            break;
                        }
                        MultiXactMember[] holders = holdersAt(p, t);
                        int[] conflicts = rows.conflicts(holders, want, cur);
                        if (conflicts.length > 0) {
                            if (wait != WaitPolicy.BLOCK) {
                                return;
                            }
                            pool.unlockContent(buf);
                            locked = false;
                            waitForAll(conflicts, lockTimeoutMillis, "locking", rel, blk, off);
                            continue;
                        }
                        if (!rows.alreadyHeld(holders, want, cur)) {
                            RowHolders.NewXmax nx = rows.add(holders, xid, want);
                            HeapPage.lock(p, t, blk, off, nx.xmax(), nx.infobits());
                            pool.markDirty(buf); // before the record, as PostgreSQL: see the README
                            long lsn = wal.insert(WalRecord.builder(ResourceManager.HEAP, HeapWal.XLOG_HEAP_LOCK)
                                    .xid(xid).block(node, MAIN, blk, p, BlockReference.STANDARD)
                                    .mainData(HeapWal.delete(nx.xmax(), off, nx.infobits(), 0)).build());
                            Page.setLsn(p, lsn);
                        }
                        if (Xid.isNormal(upd) && !cur.isCurrent(upd) && link != tid) {
                            next = link; // being updated again by a running transaction: that version too
                            priorXmax = upd;
                        }
                        break;
                    } finally {
                        if (locked) {
                            pool.unlockContent(buf);
                        }
                    }
                }
            } finally {
                pool.unpin(buf);
            }
            tid = next;
        }
    }

    // ================================================================== reading

    @Override
    public HeapTuple fetch(RelationRef rel, long tid, Snapshot snapshot) {
        return read(rel.node(), tid, snapshot);
    }

    @Override
    public HeapTuple fetchAny(RelationRef rel, long tid) {
        return read(rel.node(), tid, null);
    }

    private HeapTuple read(RelFileNode node, long tid, Snapshot snapshot) {
        int blk = Tid.block(tid);
        int off = Tid.offset(tid);
        int buf = pinExisting(node, blk, null);
        if (buf < 0) {
            return null;
        }
        try {
            pool.lockContent(buf, false);
            try {
                ByteBuffer p = pool.page(buf);
                int t = HeapPage.tupleAt(p, off);
                if (t < 0 || snapshot != null && !vis.mvcc(pool, buf, p, t, snapshot)) {
                    return null;
                }
                return HeapPage.copy(p, blk, off, t);
            } finally {
                pool.unlockContent(buf);
            }
        } finally {
            pool.unpin(buf);
        }
    }

    @Override
    public HeapScan scan(RelationRef rel, Snapshot snapshot, boolean bulk) {
        return new HeapScanImpl(this, rel.node(), snapshot, bulk ? pool.strategy(StrategyType.BULKREAD) : null);
    }

    /**
     * Copies the tuples of the pinned page that {@code snapshot} sees into
     * {@code out}, under a shared lock. Returns true when the page looks worth
     * pruning (prunable and nearly full).
     */
    boolean readPage(int buf, Snapshot snapshot, ArrayList<HeapTuple> out) {
        pool.lockContent(buf, false);
        try {
            ByteBuffer p = pool.page(buf);
            if (Page.isNew(p)) {
                return false;
            }
            int blk = pool.blockNumber(buf);
            int n = Page.maxOffset(p);
            for (int off = Page.FIRST_OFFSET; off <= n; off++) {
                int t = HeapPage.tupleAt(p, off);
                if (t >= 0 && vis.mvcc(pool, buf, p, t, snapshot)) {
                    out.add(HeapPage.copy(p, blk, off, t));
                }
            }
            return Page.pruneXid(p) != 0 && Page.heapFreeSpace(p) < PRUNE_FREE_SPACE;
        } finally {
            pool.unlockContent(buf);
        }
    }

    /** heap_page_prune_opt: prunes the pinned page if it is prunable now and its lock is free at once. */
    void pruneOpportunistically(RelFileNode node, int buf) {
        int oldestXmin = tm.oldestXmin();
        if (!pool.tryLockContent(buf, true)) {
            return;
        }
        try {
            ByteBuffer p = pool.page(buf);
            int px = Page.pruneXid(p);
            if (px != 0 && Xid.precedes(px, oldestXmin) && Page.heapFreeSpace(p) < PRUNE_FREE_SPACE) {
                prunePage(node, buf, p, oldestXmin, null);
            }
        } finally {
            pool.unlockContent(buf);
        }
    }

    @Override
    public boolean isVisible(HeapTuple tuple, Snapshot snapshot) {
        return Visibility.answerOf(vis.mvcc(tuple.xmin(), tuple.xmax(), tuple.cid(), tuple.infomask(), snapshot,
                false)) != 0;
    }

    @Override
    public TupleState tupleState(RelationRef rel, long tid, CurrentTransaction current) {
        int blk = Tid.block(tid);
        int off = Tid.offset(tid);
        int buf = pinExisting(rel.node(), blk, null);
        if (buf < 0) {
            return TupleState.DEAD;
        }
        try {
            pool.lockContent(buf, false);
            try {
                ByteBuffer p = pool.page(buf);
                int t = HeapPage.tupleAt(p, off);
                if (t < 0) {
                    return TupleState.DEAD;
                }
                long r = vis.satisfiesDirty(pool, buf, p, t, current);
                switch (Visibility.answerOf(r)) {
                    case Visibility.DIRTY_LIVE:
                        return TupleState.LIVE;
                    case Visibility.DIRTY_INSERT_IN_PROGRESS:
                        return new TupleState(TupleState.Kind.INSERT_IN_PROGRESS, Visibility.hintsOf(r));
                    case Visibility.DIRTY_DELETE_IN_PROGRESS:
                        return new TupleState(TupleState.Kind.DELETE_IN_PROGRESS, Visibility.hintsOf(r));
                    default:
                        return TupleState.DEAD;
                }
            } finally {
                pool.unlockContent(buf);
            }
        } finally {
            pool.unpin(buf);
        }
    }

    // ================================================================== pruning and vacuum

    /** What pruning one page found (for vacuum's figures). */
    static final class PruneCounts {
        int pruned;
        int live;
        int recentlyDead;
        /** HT_* per offset, -1 where there is no normal tuple; filled when not null. */
        int[] states;
    }

    /**
     * heap_page_prune, without HOT chains: tuples dead to everyone (before
     * {@code oldestXmin}) lose their storage and become LP_DEAD (their index
     * entries still point at them). Exclusive lock held. WAL: HEAP2 PRUNE.
     */
    void prunePage(RelFileNode node, int buf, ByteBuffer p, int oldestXmin, PruneCounts counts) {
        if (Page.isNew(p)) {
            return;
        }
        int n = Page.maxOffset(p);
        int[] dead = new int[n];
        int ndead = 0;
        int latestRemoved = Xid.INVALID;
        int newPruneXid = Xid.INVALID;
        if (counts != null) {
            counts.states = new int[n + 1];
            Arrays.fill(counts.states, -1);
        }
        for (int off = Page.FIRST_OFFSET; off <= n; off++) {
            int t = HeapPage.tupleAt(p, off);
            if (t < 0) {
                continue;
            }
            int st = vis.satisfiesVacuum(pool, buf, p, t, oldestXmin);
            if (counts != null) {
                counts.states[off] = st;
            }
            int xmax = vis.updateXidOf(HeapTupleHeader.xmax(p, t), HeapTupleHeader.infomask(p, t));
            switch (st) {
                case Visibility.HT_DEAD:
                    dead[ndead++] = off;
                    if (!HeapTupleHeader.xminInvalid(p, t) && Xid.isNormal(xmax)
                            && (latestRemoved == Xid.INVALID || Xid.follows(xmax, latestRemoved))) {
                        latestRemoved = xmax;
                    }
                    break;
                case Visibility.HT_RECENTLY_DEAD:
                    if (counts != null) {
                        counts.recentlyDead++;
                    }
                    newPruneXid = olderXid(newPruneXid, xmax);
                    break;
                case Visibility.HT_DELETE_IN_PROGRESS:
                    if (counts != null) {
                        counts.live++;
                    }
                    newPruneXid = olderXid(newPruneXid, xmax);
                    break;
                case Visibility.HT_LIVE:
                    if (counts != null) {
                        counts.live++;
                    }
                    break;
                default:
                    break; // insert in progress: neither live nor dead yet
            }
        }
        if (ndead > 0) {
            byte[] offs = HeapWal.offsets(dead, ndead);
            HeapPage.pruneExecute(p, offs, 0, 0, ndead, 0);
            Page.setPruneXid(p, newPruneXid);
            int blk = pool.blockNumber(buf);
            pool.markDirty(buf); // before the record, as PostgreSQL: see the README
            long lsn = wal.insert(WalRecord.builder(ResourceManager.HEAP2, HeapWal.XLOG_HEAP2_PRUNE)
                    .block(node, MAIN, blk, p, BlockReference.STANDARD, offs)
                    .mainData(HeapWal.prune(latestRemoved, 0, ndead, 0)).build());
            Page.setLsn(p, lsn);
            if (counts != null) {
                counts.pruned = ndead;
            }
        } else if (Page.pruneXid(p) != newPruneXid && !wal.needsFullPageImage(Page.lsn(p))) {
            Page.setPruneXid(p, newPruneXid); // a hint, like PostgreSQL's
            pool.markDirty(buf);
        }
    }

    private static int olderXid(int a, int b) {
        if (!Xid.isNormal(b)) {
            return a;
        }
        return a == Xid.INVALID || Xid.precedes(b, a) ? b : a;
    }

    /**
     * heap_inplace_update: the new data is copied over the old under the
     * exclusive content lock (readers holding a share lock never see half of
     * it); the tuple's header, and so its visibility, stays as it is.
     */
    @Override
    public void inplaceUpdate(RelationRef rel, long tid, TupleData tuple) {
        RelFileNode node = rel.node();
        int blk = Tid.block(tid);
        int off = Tid.offset(tid);
        byte[] w = HeapPage.walTuple(tuple, 0);
        int buf = pinExisting(node, blk, null);
        if (buf < 0) {
            throw new PgException(SqlState.INTERNAL_ERROR, "invalid tid for in-place update: block " + blk
                    + " of relation " + rel.name());
        }
        try {
            pool.lockContent(buf, true);
            try {
                ByteBuffer p = pool.page(buf);
                int t = HeapPage.tupleAt(p, off);
                if (t < 0 || ItemId.length(Page.itemId(p, off)) != HeapPage.tupleLength(w.length)
                        || HeapTupleHeader.hoff(p, t) != (w[4] & 0xFF)) {
                    throw new PgException(SqlState.INTERNAL_ERROR, "wrong tuple length");
                }
                byte[] image = java.util.Arrays.copyOfRange(w, HeapWal.TUPLE_HEADER, w.length);
                p.put(t + HeapTupleHeader.SIZE, image, 0, image.length);
                pool.markDirty(buf);
                long lsn = wal.insert(WalRecord.builder(ResourceManager.HEAP, HeapWal.XLOG_HEAP_INPLACE)
                        .block(node, MAIN, blk, p, BlockReference.STANDARD, image)
                        .mainData(HeapWal.inplace(off)).build());
                Page.setLsn(p, lsn);
            } finally {
                pool.unlockContent(buf);
            }
        } finally {
            pool.unpin(buf);
        }
    }

    @Override
    public VacuumStats vacuum(RelationRef rel, int oldestXmin, int freezeLimit, Consumer<long[]> indexCleanup) {
        return vacuum(rel, oldestXmin, freezeLimit, indexCleanup, dirtied -> { }, 0);
    }

    @Override
    public VacuumStats vacuum(RelationRef rel, int oldestXmin, int freezeLimit, Consumer<long[]> indexCleanup,
            java.util.function.IntConsumer pageDone, long memoryBytes) {
        return new LazyVacuum(this, rel.node(), oldestXmin, freezeLimit, indexCleanup, pageDone, memoryBytes).run();
    }

    /** Makes {@code node}'s main fork {@code nblocks} long: WAL first (flushed), then buffers, file and map. */
    void truncate(RelFileNode node, int nblocks) {
        long lsn = wal.insert(WalRecord.of(ResourceManager.SMGR, HeapWal.XLOG_SMGR_TRUNCATE, 0,
                HeapWal.smgrTruncate(nblocks, node, HeapWal.SMGR_TRUNCATE_HEAP | HeapWal.SMGR_TRUNCATE_FSM)));
        wal.flush(lsn);
        truncateStorage(pool, smgr, fsm, node, nblocks);
    }

    /** The file side of a truncation, also for redo. */
    static void truncateStorage(BufferPool pool, StorageManager smgr, FreeSpaceMap fsm, RelFileNode node,
            int nblocks) {
        pool.dropRelationFork(node, MAIN, nblocks);
        smgr.truncate(node, MAIN, nblocks);
        if (fsm != null) {
            fsm.truncate(node, nblocks);
        }
        // a reader may have read a doomed block back in between: forget it again
        pool.dropRelationFork(node, MAIN, nblocks);
    }
}
