package modgres.storage.fsm;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.page.FreeSpaceMap;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;

/**
 * The free space map over the {@code _fsm} forks, their pages held in the
 * shared buffer pool (a plain class; {@link FreeSpaceMapComponent} publishes
 * it). The tree's shape is {@link FsmAddress}'s, each page's is
 * {@link FsmPage}'s: the same bytes PostgreSQL 15 writes.
 *
 * <p>Unlike PostgreSQL, which updates only the leaf page when free space is
 * recorded and leaves the upper levels to VACUUM, a recording that changes a
 * page's largest value carries it up to the root at once, so a search sees
 * every recorded block straight away. A search that finds an upper node
 * promising more than the page below holds (a stale value after a crash: the
 * map is not WAL-logged) corrects that node and starts again from the root.
 *
 * <p>Locks: one content lock at a time, except when carrying a value up:
 * the parent exclusive, then the child shared (always in that order). The map
 * pages are hints: they are marked dirty, have LSN 0 and are written without
 * WAL. A map page that fails verification on read is zeroed with a WARNING
 * (PostgreSQL's {@code RBM_ZERO_ON_ERROR}) rather than failing the insert.
 */
public final class FreeSpaceTree implements FreeSpaceMap {
    private static final ForkNumber FSM = ForkNumber.FSM;
    /** Searches that kept finding stale upper nodes give up after this many restarts. */
    private static final int MAX_RESTARTS = 1000;

    private final BufferPool pool;
    private final StorageManager smgr;
    private final ServerLog log;
    /** Serialise extension of the map fork, striped by relation. */
    private final ReentrantLock[] extensionLocks = new ReentrantLock[64];

    public FreeSpaceTree(BufferPool pool, StorageManager smgr, ServerLog log) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.smgr = Objects.requireNonNull(smgr, "smgr");
        this.log = log;
        for (int i = 0; i < extensionLocks.length; i++) {
            extensionLocks[i] = new ReentrantLock();
        }
    }

    @Override
    public void recordFreeSpace(RelFileNode rel, int block, int freeBytes) {
        long blk = Integer.toUnsignedLong(block);
        setAndSearch(rel, FsmAddress.leafPage(blk), FsmAddress.leafSlot(blk),
                FsmAddress.availToCategory(freeBytes), 0);
    }

    @Override
    public int findPage(RelFileNode rel, int neededBytes) {
        return search(rel, FsmAddress.neededToCategory(neededBytes));
    }

    @Override
    public int recordAndFindPage(RelFileNode rel, int oldBlock, int oldFreeBytes, int neededBytes) {
        int min = FsmAddress.neededToCategory(neededBytes);
        long blk = Integer.toUnsignedLong(oldBlock);
        long leaf = FsmAddress.leafPage(blk);
        int slot = setAndSearch(rel, leaf, FsmAddress.leafSlot(blk), FsmAddress.availToCategory(oldFreeBytes), min);
        if (slot >= 0) {
            return (int) (leaf * FsmAddress.SLOTS + slot);
        }
        return search(rel, min);
    }

    @Override
    public int recordedFreeSpace(RelFileNode rel, int block) {
        long blk = Integer.toUnsignedLong(block);
        int buf = readPage(rel, FsmAddress.physical(FsmAddress.BOTTOM_LEVEL, FsmAddress.leafPage(blk)), false);
        if (buf < 0) {
            return 0;
        }
        try {
            pool.lockContent(buf, false);
            int cat;
            try {
                cat = FsmPage.getAvail(pool.page(buf), FsmAddress.leafSlot(blk));
            } finally {
                pool.unlockContent(buf);
            }
            return FsmAddress.categoryToAvail(cat);
        } finally {
            pool.unpin(buf);
        }
    }

    @Override
    public void truncate(RelFileNode rel, int nblocks) {
        if (!smgr.exists(rel, FSM)) {
            return;
        }
        long first = Integer.toUnsignedLong(nblocks);
        long page = FsmAddress.leafPage(first);
        int slot = FsmAddress.leafSlot(first);
        long keep;
        int childMax = 0;
        if (slot > 0) {
            int buf = readPage(rel, FsmAddress.physical(FsmAddress.BOTTOM_LEVEL, page), false);
            if (buf < 0) {
                return; // the map does not reach that far
            }
            try {
                pool.lockContent(buf, true);
                try {
                    ByteBuffer p = pool.page(buf);
                    if (FsmPage.truncateAvail(p, slot)) {
                        pool.markDirty(buf);
                    }
                    childMax = FsmPage.maxAvail(p);
                } finally {
                    pool.unlockContent(buf);
                }
            } finally {
                pool.unpin(buf);
            }
            keep = FsmAddress.physical(FsmAddress.BOTTOM_LEVEL, page) + 1;
        } else {
            keep = FsmAddress.physical(FsmAddress.BOTTOM_LEVEL, page);
        }
        // The upper pages on the path: forget the children after it, update the one on it.
        for (int level = 1; level <= FsmAddress.ROOT_LEVEL; level++) {
            long parent = page / FsmAddress.SLOTS;
            int pslot = (int) (page % FsmAddress.SLOTS);
            int buf = readPage(rel, FsmAddress.physical(level, parent), false);
            if (buf < 0) {
                break;
            }
            try {
                pool.lockContent(buf, true);
                try {
                    ByteBuffer p = pool.page(buf);
                    boolean changed = FsmPage.truncateAvail(p, pslot + 1);
                    changed |= FsmPage.setAvail(p, pslot, childMax);
                    if (changed) {
                        pool.markDirty(buf);
                    }
                    childMax = FsmPage.maxAvail(p);
                } finally {
                    pool.unlockContent(buf);
                }
            } finally {
                pool.unpin(buf);
            }
            page = parent;
        }
        if (keep < Integer.toUnsignedLong(smgr.nblocks(rel, FSM))) {
            pool.dropRelationFork(rel, FSM, (int) keep);
            smgr.truncate(rel, FSM, (int) keep);
        }
    }

    @Override
    public void vacuum(RelFileNode rel) {
        long nfsm = Integer.toUnsignedLong(smgr.nblocks(rel, FSM));
        if (nfsm > 0) {
            vacuumPage(rel, FsmAddress.ROOT_LEVEL, 0, nfsm);
        }
    }

    // ------------------------------------------------------------------ internals

    /**
     * Sets {@code slot} of leaf page {@code leaf} to {@code category}, extending
     * the map if needed; when {@code min > 0}, also searches that page for a
     * slot with at least {@code min} and returns it (-1 if none). Carries a
     * changed page maximum up the tree.
     */
    private int setAndSearch(RelFileNode rel, long leaf, int slot, int category, int min) {
        int buf = readPage(rel, FsmAddress.physical(FsmAddress.BOTTOM_LEVEL, leaf), true);
        int found = -1;
        int before;
        int after;
        try {
            pool.lockContent(buf, true);
            try {
                ByteBuffer p = pool.page(buf);
                before = FsmPage.maxAvail(p);
                if (FsmPage.setAvail(p, slot, category)) {
                    pool.markDirty(buf);
                }
                if (min > 0) {
                    found = FsmPage.search(p, min, true);
                    if (found == FsmPage.INCONSISTENT) {
                        FsmPage.rebuild(p);
                        pool.markDirty(buf);
                        found = FsmPage.search(p, min, true);
                    }
                }
                after = FsmPage.maxAvail(p);
            } finally {
                pool.unlockContent(buf);
            }
        } finally {
            pool.unpin(buf);
        }
        if (after != before) {
            propagate(rel, FsmAddress.BOTTOM_LEVEL, leaf);
        }
        return found;
    }

    /**
     * The largest value of page {@code logpage} of {@code level} changed: set it
     * in the parent's slot, and so on up while a page's largest value changes.
     * The child's value is read under the parent's exclusive lock, so that of
     * two threads carrying values up, the later one writes the later value.
     */
    private void propagate(RelFileNode rel, int level, long logpage) {
        while (level < FsmAddress.ROOT_LEVEL) {
            long parent = logpage / FsmAddress.SLOTS;
            int pslot = (int) (logpage % FsmAddress.SLOTS);
            int pbuf = readPage(rel, FsmAddress.physical(level + 1, parent), true);
            int cbuf = -1;
            boolean rootChanged;
            try {
                cbuf = readPage(rel, FsmAddress.physical(level, logpage), false);
                pool.lockContent(pbuf, true);
                try {
                    int value = 0;
                    if (cbuf >= 0) {
                        pool.lockContent(cbuf, false);
                        try {
                            value = FsmPage.maxAvail(pool.page(cbuf));
                        } finally {
                            pool.unlockContent(cbuf);
                        }
                    }
                    ByteBuffer p = pool.page(pbuf);
                    int before = FsmPage.maxAvail(p);
                    if (FsmPage.setAvail(p, pslot, value)) {
                        pool.markDirty(pbuf);
                    }
                    rootChanged = FsmPage.maxAvail(p) != before;
                } finally {
                    pool.unlockContent(pbuf);
                }
            } finally {
                if (cbuf >= 0) {
                    pool.unpin(cbuf);
                }
                pool.unpin(pbuf);
            }
            if (!rootChanged) {
                return;
            }
            level++;
            logpage = parent;
        }
    }

    /** {@code fsm_search}: descends from the root along slots with at least {@code min}. */
    private int search(RelFileNode rel, int min) {
        int level = FsmAddress.ROOT_LEVEL;
        long logpage = 0;
        int restarts = 0;
        for (;;) {
            int buf = readPage(rel, FsmAddress.physical(level, logpage), false);
            int slot = -1;
            if (buf >= 0) {
                try {
                    slot = searchPage(buf, min, level == FsmAddress.BOTTOM_LEVEL);
                } finally {
                    pool.unpin(buf);
                }
            }
            if (slot >= 0) {
                if (level == FsmAddress.BOTTOM_LEVEL) {
                    return (int) (logpage * FsmAddress.SLOTS + slot);
                }
                level--;
                logpage = logpage * FsmAddress.SLOTS + slot;
            } else if (level == FsmAddress.ROOT_LEVEL) {
                return INVALID_BLOCK;
            } else {
                // The parent promised more than this page has: correct it and start over.
                propagate(rel, level, logpage);
                if (++restarts > MAX_RESTARTS) {
                    return INVALID_BLOCK;
                }
                level = FsmAddress.ROOT_LEVEL;
                logpage = 0;
            }
        }
    }

    private int searchPage(int buf, int min, boolean advance) {
        ByteBuffer p = pool.page(buf);
        int slot;
        pool.lockContent(buf, false);
        try {
            slot = FsmPage.search(p, min, advance);
        } finally {
            pool.unlockContent(buf);
        }
        if (slot == FsmPage.INCONSISTENT) {
            pool.lockContent(buf, true);
            try {
                if (FsmPage.rebuild(p)) {
                    pool.markDirty(buf);
                }
                slot = FsmPage.search(p, min, advance);
            } finally {
                pool.unlockContent(buf);
            }
        }
        return slot;
    }

    /** Recomputes the slots of a page from its children, bottom up; returns the page's largest value. */
    private int vacuumPage(RelFileNode rel, int level, long logpage, long nfsm) {
        int buf = readPage(rel, FsmAddress.physical(level, logpage), false);
        if (buf < 0) {
            return 0;
        }
        try {
            if (level > FsmAddress.BOTTOM_LEVEL) {
                for (int slot = 0; slot < FsmAddress.SLOTS; slot++) {
                    long child = logpage * FsmAddress.SLOTS + slot;
                    if (FsmAddress.physical(level - 1, child) >= nfsm) {
                        // This child and the ones after it do not exist: nothing is free there.
                        pool.lockContent(buf, true);
                        try {
                            if (FsmPage.truncateAvail(pool.page(buf), slot)) {
                                pool.markDirty(buf);
                            }
                        } finally {
                            pool.unlockContent(buf);
                        }
                        break;
                    }
                    int value = vacuumPage(rel, level - 1, child, nfsm);
                    pool.lockContent(buf, true);
                    try {
                        if (FsmPage.setAvail(pool.page(buf), slot, value)) {
                            pool.markDirty(buf);
                        }
                    } finally {
                        pool.unlockContent(buf);
                    }
                }
            }
            pool.lockContent(buf, true);
            try {
                ByteBuffer p = pool.page(buf);
                if (FsmPage.rebuild(p)) {
                    pool.markDirty(buf);
                }
                return FsmPage.maxAvail(p);
            } finally {
                pool.unlockContent(buf);
            }
        } finally {
            pool.unpin(buf);
        }
    }

    /**
     * Pins block {@code blkno} of the map fork: -1 if the fork is shorter and
     * {@code extend} is false; else extends it first (creating the fork if
     * needed). A new (all-zero) page is initialised; a page that fails
     * verification is zeroed and initialised.
     */
    private int readPage(RelFileNode rel, long blkno, boolean extend) {
        if (blkno >= Integer.toUnsignedLong(smgr.nblocks(rel, FSM))) {
            if (!extend) {
                return -1;
            }
            extendMap(rel, blkno + 1);
        }
        BufferTag tag = BufferTag.of(rel, FSM, (int) blkno);
        int buf;
        try {
            buf = pool.pin(tag, ReadMode.NORMAL, null);
        } catch (PgException e) {
            if (!SqlState.DATA_CORRUPTED.equals(e.sqlState())) {
                throw e;
            }
            if (log != null) {
                log.report(Severity.WARNING, SqlState.DATA_CORRUPTED, "invalid page in block " + blkno
                        + " of relation " + smgr.relpath(rel, FSM) + "; zeroing out page", null, null);
            }
            buf = pool.pin(tag, ReadMode.ZERO_ON_MISS, null);
            pool.lockContent(buf, true);
            try {
                Page.zero(pool.page(buf), 0, Page.SIZE);
            } finally {
                pool.unlockContent(buf);
            }
        }
        ByteBuffer p = pool.page(buf);
        if (Page.isNew(p)) {
            pool.lockContent(buf, true);
            try {
                if (Page.isNew(p)) {
                    Page.init(p, 0);
                    pool.markDirty(buf);
                }
            } finally {
                pool.unlockContent(buf);
            }
        }
        return buf;
    }

    /** Extends the map fork to {@code nblocks} zero pages, creating it if needed. */
    private void extendMap(RelFileNode rel, long nblocks) {
        ReentrantLock lock = extensionLocks[Math.floorMod(rel.hashCode(), extensionLocks.length)];
        lock.lock();
        try {
            if (!smgr.exists(rel, FSM)) {
                smgr.create(rel, FSM, true);
            }
            long n = Integer.toUnsignedLong(smgr.nblocks(rel, FSM));
            while (n < nblocks) {
                pool.unpin(pool.extend(rel, FSM, null));
                n++;
            }
        } finally {
            lock.unlock();
        }
    }
}
