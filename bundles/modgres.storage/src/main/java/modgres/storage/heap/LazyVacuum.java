package modgres.storage.heap;

import static modgres.api.page.HeapTupleHeader.HEAP_HOT_UPDATED;
import static modgres.api.page.HeapTupleHeader.HEAP_KEYS_UPDATED;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_INVALID;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_IS_MULTI;
import static modgres.api.page.HeapTupleHeader.HEAP_XMIN_FROZEN;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;

import modgres.api.access.Tid;
import modgres.api.access.VacuumStats;
import modgres.api.buffer.AccessStrategy;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.RelFileNode;
import modgres.api.buffer.StrategyType;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.ItemId;
import modgres.api.page.Page;
import modgres.api.txn.Xid;
import modgres.api.txn.XidStatus;
import modgres.api.wal.BlockReference;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;

/*
 * Design notes: one VACUUM of one heap (PostgreSQL's vacuumlazy.c), in the
 * classic two heap passes:
 *
 *   pass 1, every page (exclusive lock, VACUUM ring):
 *       prune     dead-to-everyone tuples -> LP_DEAD (storage freed)    HEAP2 PRUNE
 *       freeze    xmin before freezeLimit -> XMIN_FROZEN; a multi xmax whose members all
 *                 finished -> its committed updater's xid, or cleared; an old xmax
 *                 that no longer means anything -> cleared              HEAP2 FREEZE_PAGE
 *       collect   the tids of all LP_DEAD line pointers
 *       record    free space of pages without dead items in the FSM
 *   index pass: indexCleanup(dead tids): the indexes drop their entries
 *   pass 2, the pages with dead items: LP_DEAD -> LP_UNUSED,
 *       line pointer array truncated                                    HEAP2 VACUUM
 *       record free space in the FSM
 *   truncate empty pages at the end, if the tail lock is free           SMGR TRUNCATE
 *
 * Line pointers become unused only after the index entries pointing at them
 * are gone, so an index scan never lands on a slot reused by another row.
 * When more dead tids pile up than the caller's memory allows (PostgreSQL's
 * maintenance_work_mem / autovacuum_work_mem, 6 bytes per tid as there),
 * the index pass and pass 2 run early and pass 1 continues: more index
 * passes, bounded memory.
 * New (all-zero) pages, left by an extension that did not finish, are
 * recorded as free, not initialised.
 */
final class LazyVacuum {
    /** Dead tids kept before an index pass when the caller sets no memory bound. */
    static final int MAX_DEAD = 1 << 20;
    /** PostgreSQL's own floor for the dead-tid array (vacuumlazy.c keeps at least this many). */
    static final int MIN_DEAD = 1 << 8;
    /** Tries to get the tail lock for truncation, {@value #TRUNCATE_WAIT_MILLIS} ms apart. */
    private static final int TRUNCATE_TRIES = 20;
    private static final long TRUNCATE_WAIT_MILLIS = 50;

    private final HeapComponent heap;
    private final BufferPool pool;
    private final RelFileNode node;
    private final int oldestXmin;
    private final int freezeLimit;
    private final Consumer<long[]> indexCleanup;
    private final AccessStrategy ring;
    private final java.util.function.IntConsumer pageDone;
    private final int maxDead;
    private boolean pageDirtied;

    private long[] deadTids = new long[256];
    private int ndeadTids;
    /** Blocks with dead items, with their dead offsets, in block order. */
    private final List<int[]> deadPages = new ArrayList<>();
    private final List<Integer> deadPageBlocks = new ArrayList<>();

    private long pagesScanned;
    private long tuplesRemoved;
    private long liveTuples;
    private long deadTuplesLeft;
    private long tuplesFrozen;
    private long pagesTruncated;

    LazyVacuum(HeapComponent heap, RelFileNode node, int oldestXmin, int freezeLimit,
            Consumer<long[]> indexCleanup, java.util.function.IntConsumer pageDone, long memoryBytes) {
        this.heap = heap;
        this.pageDone = pageDone;
        this.maxDead = memoryBytes <= 0 ? MAX_DEAD : (int) Math.max(MIN_DEAD, Math.min(Integer.MAX_VALUE / 2,
                memoryBytes / 6));
        this.pool = heap.pool;
        this.node = node;
        this.oldestXmin = oldestXmin;
        this.freezeLimit = freezeLimit;
        this.indexCleanup = indexCleanup;
        this.ring = pool.strategy(StrategyType.VACUUM);
    }

    VacuumStats run() {
        int nblocks = heap.nblocks(node);
        for (int blk = 0; Integer.compareUnsigned(blk, nblocks) < 0; blk++) {
            pageDirtied = false;
            if (!scanPage(blk)) {
                break;
            }
            // vacuum_delay_point(): may sleep, or throw to stop here; what is done so far is
            // consistent (dead items stay LP_DEAD until a later vacuum removes their index entries)
            pageDone.accept(pageDirtied ? 1 : 0);
            if (ndeadTids >= maxDead) {
                vacuumDead();
            }
        }
        vacuumDead();
        truncateTail();
        return new VacuumStats(pagesScanned, tuplesRemoved, liveTuples, deadTuplesLeft, tuplesFrozen,
                pagesTruncated);
    }

    /** Pass 1 on one page; false when the block no longer exists. */
    private boolean scanPage(int blk) {
        int buf = heap.pinExisting(node, blk, ring);
        if (buf < 0) {
            return false;
        }
        int free = -1;
        try {
            pool.lockContent(buf, true);
            try {
                pagesScanned++;
                ByteBuffer p = pool.page(buf);
                if (Page.isNew(p)) {
                    free = HeapTupleHeader.MAX_TUPLE_SIZE;
                } else {
                    HeapComponent.PruneCounts counts = new HeapComponent.PruneCounts();
                    heap.prunePage(node, buf, p, oldestXmin, counts);
                    liveTuples += counts.live;
                    long frozenBefore = tuplesFrozen;
                    deadTuplesLeft += counts.recentlyDead;
                    freeze(buf, p, blk, counts.states);
                    int n = Page.maxOffset(p);
                    int[] dead = new int[n];
                    int nd = 0;
                    for (int off = Page.FIRST_OFFSET; off <= n; off++) {
                        if (Page.itemFlags(p, off) == ItemId.DEAD) {
                            dead[nd++] = off;
                        }
                    }
                    pageDirtied = nd > 0 || tuplesFrozen != frozenBefore;
                    if (nd > 0) {
                        deadPageBlocks.add(blk);
                        deadPages.add(Arrays.copyOf(dead, nd));
                        for (int i = 0; i < nd; i++) {
                            addDeadTid(Tid.of(blk, dead[i]));
                        }
                    } else {
                        free = Page.heapFreeSpace(p);
                    }
                }
            } finally {
                pool.unlockContent(buf);
            }
        } finally {
            pool.unpin(buf);
        }
        if (free >= 0) {
            heap.fsm.recordFreeSpace(node, blk, free);
        }
        return true;
    }

    private void addDeadTid(long tid) {
        if (ndeadTids == deadTids.length) {
            deadTids = Arrays.copyOf(deadTids, deadTids.length * 2);
        }
        deadTids[ndeadTids++] = tid;
    }

    /**
     * heap_prepare_freeze_tuple for every tuple left on the page: an old
     * committed xmin becomes frozen; an old xmax that is a finished lock or an
     * aborted change is cleared. One FREEZE_PAGE record for the page.
     */
    private void freeze(int buf, ByteBuffer p, int blk, int[] states) {
        int n = Page.maxOffset(p);
        byte[] plan = null;
        int nplan = 0;
        for (int off = Page.FIRST_OFFSET; off <= n; off++) {
            int st = states == null || off >= states.length ? -1 : states[off];
            if (st != Visibility.HT_LIVE && st != Visibility.HT_RECENTLY_DEAD
                    && st != Visibility.HT_DELETE_IN_PROGRESS) {
                continue;
            }
            int t = HeapPage.tupleAt(p, off);
            if (t < 0) {
                continue;
            }
            int xmin = HeapTupleHeader.xmin(p, t);
            int xmax = HeapTupleHeader.xmax(p, t);
            int mask = HeapTupleHeader.infomask(p, t);
            int mask2 = HeapTupleHeader.infomask2(p, t);
            int newMask = mask;
            int newMask2 = mask2;
            int newXmax = xmax;
            boolean frozeXmin = false;
            if (!Visibility.xminFrozen(mask) && Xid.isNormal(xmin) && Xid.precedes(xmin, freezeLimit)) {
                newMask |= HEAP_XMIN_FROZEN;
                frozeXmin = true;
            }
            if ((mask & HEAP_XMAX_IS_MULTI) != 0) {
                // A multi whose members all finished: replaced by its committed updater, else removed
                // (PostgreSQL's FreezeMultiXactId; done for any such multi, not only those before a cutoff).
                if ((mask & HEAP_XMAX_INVALID) != 0 || !heap.vis.multiRunning(xmax)) {
                    int upd = (mask & HEAP_XMAX_INVALID) != 0 ? Xid.INVALID : heap.vis.updateXidOf(xmax, mask);
                    newMask = newMask & ~HeapPage.HEAP_XMAX_BITS;
                    if (Xid.isNormal(upd) && heap.tm.status(upd) == XidStatus.COMMITTED) {
                        newXmax = upd;
                        boolean keys = false;
                        for (modgres.api.txn.MultiXactMember m : heap.vis.members(xmax)) {
                            keys |= m.xid() == upd && m.status() == modgres.api.txn.MultiXactStatus.UPDATE;
                        }
                        newMask2 = keys ? newMask2 | HEAP_KEYS_UPDATED : newMask2 & ~HEAP_KEYS_UPDATED;
                    } else {
                        newXmax = 0;
                        newMask |= HEAP_XMAX_INVALID;
                        newMask2 &= ~(HEAP_KEYS_UPDATED | HEAP_HOT_UPDATED);
                    }
                }
            } else if (Xid.isNormal(xmax) && Xid.precedes(xmax, freezeLimit)) {
                boolean clear;
                if ((mask & HEAP_XMAX_INVALID) != 0) {
                    clear = true;
                } else if (Visibility.xmaxLockedOnly(mask)) {
                    clear = !heap.tm.isRunning(xmax);
                } else {
                    clear = !heap.tm.isRunning(xmax) && heap.tm.status(xmax) != XidStatus.COMMITTED;
                }
                if (clear) {
                    newXmax = 0;
                    newMask = newMask & ~HeapPage.HEAP_XMAX_BITS | HEAP_XMAX_INVALID;
                    newMask2 &= ~(HEAP_KEYS_UPDATED | HEAP_HOT_UPDATED);
                }
            }
            if (newMask == mask && newMask2 == mask2 && newXmax == xmax) {
                continue;
            }
            if (plan == null) {
                plan = new byte[n * HeapWal.FREEZE_ENTRY];
            }
            HeapWal.le(plan).putShort(nplan * HeapWal.FREEZE_ENTRY, (short) off)
                    .putShort(nplan * HeapWal.FREEZE_ENTRY + 2, (short) newMask)
                    .putShort(nplan * HeapWal.FREEZE_ENTRY + 4, (short) newMask2)
                    .putInt(nplan * HeapWal.FREEZE_ENTRY + 6, newXmax);
            nplan++;
            if (frozeXmin) {
                tuplesFrozen++;
            }
        }
        if (nplan == 0) {
            return;
        }
        byte[] data = Arrays.copyOf(plan, nplan * HeapWal.FREEZE_ENTRY);
        HeapPage.freezeExecute(p, data, 0, nplan);
        pool.markDirty(buf); // before the record, as PostgreSQL: see the README
        long lsn = heap.wal.insert(WalRecord.builder(ResourceManager.HEAP2, HeapWal.XLOG_HEAP2_FREEZE_PAGE)
                .block(node, HeapComponent.MAIN, blk, p, BlockReference.STANDARD, data)
                .mainData(HeapWal.freeze(freezeLimit, nplan)).build());
        Page.setLsn(p, lsn);
    }

    /** The index pass and pass 2 over what pass 1 collected so far. */
    private void vacuumDead() {
        if (ndeadTids == 0) {
            return;
        }
        if (indexCleanup != null) {
            indexCleanup.accept(Arrays.copyOf(deadTids, ndeadTids));
        }
        for (int i = 0; i < deadPages.size(); i++) {
            int blk = deadPageBlocks.get(i);
            int[] offs = deadPages.get(i);
            int buf = heap.pinExisting(node, blk, ring);
            if (buf < 0) {
                continue;
            }
            int free;
            try {
                pool.lockContent(buf, true);
                try {
                    ByteBuffer p = pool.page(buf);
                    byte[] data = HeapWal.offsets(offs, offs.length);
                    HeapPage.vacuumExecute(p, data, 0, offs.length);
                    pool.markDirty(buf); // before the record, as PostgreSQL: see the README
                    long lsn = heap.wal.insert(WalRecord.builder(ResourceManager.HEAP2, HeapWal.XLOG_HEAP2_VACUUM)
                            .block(node, HeapComponent.MAIN, blk, p, BlockReference.STANDARD, data)
                            .mainData(HeapWal.vacuum(offs.length)).build());
                    Page.setLsn(p, lsn);
                    free = Page.heapFreeSpace(p);
                    tuplesRemoved += offs.length;
                } finally {
                    pool.unlockContent(buf);
                }
            } finally {
                pool.unpin(buf);
            }
            heap.fsm.recordFreeSpace(node, blk, free);
        }
        deadPages.clear();
        deadPageBlocks.clear();
        ndeadTids = 0;
    }

    /** lazy_truncate_heap: cuts empty pages off the end when no one is filling pages. */
    private void truncateTail() {
        int nb = heap.nblocks(node);
        if (nb == 0 || !isEmpty(nb - 1)) {
            return;
        }
        Lock tail = heap.locks(node).tail.writeLock();
        boolean got = false;
        for (int i = 0; i < TRUNCATE_TRIES && !(got = tail.tryLock()); i++) {
            try {
                Thread.sleep(TRUNCATE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!got) {
            return; // busy: leave it for the next vacuum
        }
        try {
            nb = heap.nblocks(node);
            int keep = nb;
            while (keep > 0 && isEmpty(keep - 1)) {
                keep--;
            }
            if (keep < nb) {
                heap.truncate(node, keep);
                pagesTruncated = nb - keep;
            }
        } finally {
            tail.unlock();
        }
    }

    private boolean isEmpty(int blk) {
        int buf = heap.pinExisting(node, blk, ring);
        if (buf < 0) {
            return true;
        }
        try {
            pool.lockContent(buf, false);
            try {
                return HeapPage.isEmpty(pool.page(buf));
            } finally {
                pool.unlockContent(buf);
            }
        } finally {
            pool.unpin(buf);
        }
    }
}
