package modgres.storage.nbtree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.access.RelationRef;
import modgres.api.access.Tid;
import modgres.api.access.UniqueChecker;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;
import modgres.api.wal.BlockReference;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.Wal;
import modgres.api.wal.WalRecord;

/*
 * Design notes: the B-tree access method (PostgreSQL's nbtinsert.c,
 * nbtsearch.c, nbtpage.c in one class), over the shared buffer pool. A plain
 * class; BTreeComponent publishes it. README.md beside this file has the
 * whole design; the rules the code keeps:
 *
 * Locks (buffer content locks, never held while waiting for a transaction):
 *   - descent: one page at a time, shared; parent released before the child
 *     is locked (Lehman & Yao); a page whose high key is below the scan key
 *     is left for its right sibling ("move right");
 *   - an inserter locks the leaf exclusive; moving right it locks the right
 *     sibling before it releases the left one (left to right only);
 *   - a split holds the page, the new right page, the old right sibling, and
 *     then (child before parent, bottom up) the parent; the metapage is
 *     always locked last;
 *   - nobody locks a left sibling while holding a page (backward scans
 *     release first, then walk right from the remembered left link).
 *   These orders (left to right within a level, bottom up across levels,
 *   metapage last) leave no cycle, hence no deadlock.
 *
 * Split (the page was full):
 *
 *     before:  [ L: items, hikey H ] -> [ S ]
 *     split:   [ L: left items, hikey H' ] -> [ R: right items, hikey H ] -> [ S ]
 *              L gets BTP_INCOMPLETE_SPLIT; one SPLIT_L/_R record covers L, R, S
 *     parent:  downlink (H' -> R) inserted right after L's downlink; that
 *              record (INSERT_UPPER, a parent SPLIT, or NEWROOT) clears L's flag
 *
 *   Between the two records the tree is a valid L&Y tree (R is reached
 *   through L's right link). If the second never happens (an error, a crash
 *   between the records in the WAL), the next inserter that meets the flag
 *   finishes the split (finishSplit).
 *
 * Roots: the metapage's root is cached per relation; a stale cache entry is
 * harmless because pages are never deleted: the old root is the leftmost page
 * of its level and moving right reaches everything, and the missing upper
 * stack entries are found from the metapage (getEndpoint) when needed.
 */
final class NbTree {
    static final int LEAF_FILLFACTOR = 90;
    static final int NONLEAF_FILLFACTOR = 70;

    private static final ThreadLocal<ByteBuffer> SCRATCH = ThreadLocal
            .withInitial(() -> ByteBuffer.allocate(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN));

    final BufferPool pool;
    final Wal wal;
    final StorageManager smgr;
    /** Per index: root block << 32 | root level, once the index has a root. */
    private final ConcurrentHashMap<RelFileNode, Long> roots = new ConcurrentHashMap<>();
    /** The relation extension lock, per index. */
    private final ConcurrentHashMap<RelFileNode, Object> extensionLocks = new ConcurrentHashMap<>();

    NbTree(BufferPool pool, Wal wal, StorageManager smgr) {
        this.pool = pool;
        this.wal = wal;
        this.smgr = smgr;
    }

    // ================================================================ DDL

    void create(RelFileNode index) {
        roots.remove(index);
        smgr.create(index, ForkNumber.MAIN, false);
        int buf = pool.extend(index, ForkNumber.MAIN, null);
        try {
            if (pool.blockNumber(buf) != BtPage.META_BLOCK) {
                throw new PgException(SqlState.INTERNAL_ERROR, "index relation " + index + " is not empty");
            }
            pool.lockContent(buf, true);
            try {
                ByteBuffer page = pool.page(buf);
                BtPage.initMeta(page, BtPage.P_NONE, 0, BtPage.P_NONE, 0);
                pool.markDirty(buf); // before the record, as PostgreSQL: see the README
                long lsn = wal.insert(WalRecord.builder(ResourceManager.BTREE, BtXlog.META_CLEANUP)
                        .block(index, ForkNumber.MAIN, BtPage.META_BLOCK, page,
                                BlockReference.WILL_INIT | BlockReference.STANDARD, BtPage.metadata(page))
                        .build());
                BufferPool.setPageLsn(page, lsn);
            } finally {
                pool.unlockContent(buf);
            }
        } finally {
            pool.unpin(buf);
        }
    }

    void dropStorage(RelFileNode index) {
        roots.remove(index);
        extensionLocks.remove(index);
        pool.dropRelation(index);
        smgr.unlinkRelation(index);
    }

    int nblocks(RelFileNode index) {
        return smgr.nblocks(index, ForkNumber.MAIN);
    }

    // ================================================================ operation state

    /** The parent entries of a descent ({@code BTStack}): the page and the offset of the downlink followed. */
    static final class Stack {
        int blk;
        int off;
        final Stack parent;

        Stack(int blk, int off, Stack parent) {
            this.blk = blk;
            this.off = off;
            this.parent = parent;
        }
    }

    /** One operation on one index: which buffers it has pinned and locked, released on any failure. */
    final class Op {
        final RelationRef index;
        final RelFileNode rel;
        final KeyComparator cmp;
        private int[] held = new int[8];
        private int nheld;
        Stack stack;

        Op(RelationRef index, KeyComparator cmp) {
            this.index = index;
            this.rel = index.node();
            this.cmp = cmp;
        }

        int lock(int blk, boolean exclusive) {
            int b = pin(rel, blk);
            try {
                pool.lockContent(b, exclusive);
            } catch (RuntimeException | Error e) {
                pool.unpin(b);
                throw e;
            }
            hold(b);
            return b;
        }

        void hold(int b) {
            if (nheld == held.length) {
                held = Arrays.copyOf(held, nheld * 2);
            }
            held[nheld++] = b;
        }

        void release(int b) {
            for (int i = nheld - 1; i >= 0; i--) {
                if (held[i] == b) {
                    held[i] = held[--nheld];
                    break;
                }
            }
            pool.unlockAndUnpin(b);
        }

        /** Trades the lock on {@code b} for one of the other mode, keeping the pin. */
        void relock(int b, boolean exclusive) {
            pool.unlockContent(b);
            pool.lockContent(b, exclusive);
        }

        void releaseAll() {
            while (nheld > 0) {
                int b = held[--nheld];
                try {
                    pool.unlockAndUnpin(b);
                } catch (RuntimeException ignored) {
                    // keep releasing the others; the first failure is already on its way up
                }
            }
        }

        String name() {
            return index.name();
        }
    }

    int pin(RelFileNode rel, int blk) {
        return pool.pin(rel.tablespace(), rel.database(), rel.relfilenode(), ForkNumber.MAIN, blk, ReadMode.NORMAL,
                null);
    }

    int extend(Op op) {
        Object lock = extensionLocks.computeIfAbsent(op.rel, k -> new Object());
        int b;
        synchronized (lock) {
            b = pool.extend(op.rel, ForkNumber.MAIN, null);
        }
        try {
            pool.lockContent(b, true);
        } catch (RuntimeException | Error e) {
            pool.unpin(b);
            throw e;
        }
        op.hold(b);
        return b;
    }

    private void logAndDirty(WalRecord rec, int... bufs) {
        // dirty before the record, as PostgreSQL: a REDO pointer fixed in between must find the pages dirty
        for (int b : bufs) {
            if (b >= 0) {
                pool.markDirty(b);
            }
        }
        long lsn = wal.insert(rec);
        for (int b : bufs) {
            if (b >= 0) {
                BufferPool.setPageLsn(pool.page(b), lsn);
            }
        }
    }

    // ================================================================ metapage and root

    /** The (possibly stale) root as block << 32 | level, or -1 when the index has no root yet. */
    long root(RelationRef index) {
        Long cached = roots.get(index.node());
        if (cached != null) {
            return cached;
        }
        int buf = pin(index.node(), BtPage.META_BLOCK);
        int root;
        int level;
        try {
            pool.lockContent(buf, false);
            try {
                ByteBuffer meta = pool.page(buf);
                checkMeta(meta, index.name());
                root = BtPage.metaFastRoot(meta);
                level = BtPage.metaFastLevel(meta);
            } finally {
                pool.unlockContent(buf);
            }
        } finally {
            pool.unpin(buf);
        }
        if (root == BtPage.P_NONE) {
            return -1;
        }
        long packed = (long) root << 32 | Integer.toUnsignedLong(level);
        roots.put(index.node(), packed);
        return packed;
    }

    static void checkMeta(ByteBuffer meta, String name) {
        if (!BtPage.isMeta(meta)) {
            throw new PgException("XX002", "index \"" + name + "\" is not a btree");
        }
        int v = BtPage.metaVersion(meta);
        if (v < 2 || v > BtPage.BTREE_VERSION) {
            throw new PgException("XX002", "version mismatch in index \"" + name + "\": file version " + v
                    + ", current version " + BtPage.BTREE_VERSION + ", minimal supported version 2");
        }
    }

    /** {@code _bt_getroot} with create access, for an index without a root: makes block 1.. a leaf root. */
    private void createRoot(Op op) {
        int mbuf = op.lock(BtPage.META_BLOCK, true);
        ByteBuffer meta = pool.page(mbuf);
        checkMeta(meta, op.name());
        if (BtPage.metaRoot(meta) != BtPage.P_NONE) {
            op.release(mbuf);
            return;
        }
        int rbuf = extend(op);
        int rootBlk = pool.blockNumber(rbuf);
        ByteBuffer root = pool.page(rbuf);
        BtPage.init(root, BtPage.BTP_LEAF | BtPage.BTP_ROOT, 0, BtPage.P_NONE, BtPage.P_NONE);
        BtPage.setMetaRoot(meta, rootBlk, 0, rootBlk, 0);
        logAndDirty(WalRecord.builder(ResourceManager.BTREE, BtXlog.NEWROOT)
                .block(op.rel, ForkNumber.MAIN, rootBlk, root, BlockReference.WILL_INIT)
                .block(op.rel, ForkNumber.MAIN, BtPage.META_BLOCK, meta,
                        BlockReference.WILL_INIT | BlockReference.STANDARD, BtPage.metadata(meta))
                .mainData(BtXlog.newRootMain(rootBlk, 0)).build(), rbuf, mbuf);
        roots.put(op.rel, (long) rootBlk << 32);
        op.release(rbuf);
        op.release(mbuf);
    }

    /** Remembers the root a bottom-up build made (the metapage says the same). */
    void cacheRoot(RelFileNode rel, int blk, int level) {
        roots.put(rel, (long) blk << 32 | Integer.toUnsignedLong(level));
    }

    /** {@code _bt_get_endpoint}: the leftmost page at {@code level}, from the metapage's true root. */
    private int getEndpoint(Op op, int level) {
        int mbuf = op.lock(BtPage.META_BLOCK, false);
        ByteBuffer meta = pool.page(mbuf);
        int blk = BtPage.metaRoot(meta);
        int rootLevel = BtPage.metaLevel(meta);
        op.release(mbuf);
        if (blk == BtPage.P_NONE || Integer.compareUnsigned(rootLevel, level) < 0) {
            throw new PgException(SqlState.INTERNAL_ERROR,
                    "no page at level " + level + " in index \"" + op.name() + "\" (root level " + rootLevel + ")");
        }
        for (;;) {
            int buf = op.lock(blk, false);
            ByteBuffer page = pool.page(buf);
            int pageLevel = BtPage.level(page);
            int child = pageLevel == level ? -1
                    : BtPage.downlink(page, Page.itemOffset(page, BtPage.firstData(page)));
            op.release(buf);
            if (pageLevel == level) {
                return blk;
            }
            blk = child;
        }
    }

    // ================================================================ descent

    /**
     * {@code _bt_search} for an update: descends to the leaf for the scan key,
     * which it returns locked ({@code exclusiveLeaf}: exclusive), leaving the
     * parent stack in {@code op.stack}; -1 when the index has no root.
     * Finishes incomplete splits it meets.
     */
    private int descend(Op op, byte[] key, long tid, boolean exclusiveLeaf) {
        long r = root(op.index);
        if (r < 0) {
            return -1;
        }
        int blk = (int) (r >>> 32);
        int level = (int) r;
        Stack stack = null;
        boolean top = true;
        boolean refreshed = false;
        for (;;) {
            boolean excl = exclusiveLeaf && level == 0;
            int buf = op.lock(blk, excl);
            if (top && !BtPage.isRoot(pool.page(buf)) && !refreshed) { // the cached root was split: refresh once
                refreshed = true;
                roots.remove(op.rel, r);
                op.release(buf);
                r = root(op.index);
                if (r < 0) {
                    return -1;
                }
                blk = (int) (r >>> 32);
                level = (int) r;
                continue;
            }
            top = false;
            buf = moveRight(op, buf, key, tid, stack, excl);
            ByteBuffer page = pool.page(buf);
            if (BtPage.isLeaf(page)) {
                if (exclusiveLeaf && !excl) { // the cached level was wrong; cannot happen without page reuse
                    op.relock(buf, true);
                    buf = moveRight(op, buf, key, tid, stack, true);
                }
                op.stack = stack;
                return buf;
            }
            int off = BtPage.binsearchInternal(op.cmp, key, tid, page);
            int child = BtPage.downlink(page, Page.itemOffset(page, off));
            stack = new Stack(pool.blockNumber(buf), off, stack);
            level = BtPage.level(page) - 1;
            op.release(buf);
            blk = child;
        }
    }

    /** {@code _bt_moveright} for an update: right while the key is above the high key; finishes incomplete splits. */
    private int moveRight(Op op, int buf, byte[] key, long tid, Stack parent, boolean excl) {
        for (;;) {
            ByteBuffer page = pool.page(buf);
            if (BtPage.incompleteSplit(page)) {
                int blk = pool.blockNumber(buf);
                if (!excl) {
                    op.relock(buf, true);
                    if (!BtPage.incompleteSplit(page)) {
                        op.relock(buf, false);
                        continue;
                    }
                }
                finishSplit(op, buf, parent);
                buf = op.lock(blk, excl);
                continue;
            }
            if (BtPage.isRightmost(page)
                    || BtPage.compare(op.cmp, key, tid, page, Page.itemOffset(page, BtPage.P_HIKEY)) <= 0) {
                return buf;
            }
            int next = BtPage.next(page);
            op.release(buf);
            buf = op.lock(next, excl);
        }
    }

    /** Read-only descent for scans: the leaf for the scan key, share-locked and pinned; -1 for an empty index. */
    int descendRead(RelationRef index, KeyComparator cmp, byte[] key, long tid) {
        long r = root(index);
        if (r < 0) {
            return -1;
        }
        RelFileNode rel = index.node();
        int blk = (int) (r >>> 32);
        boolean top = true;
        boolean refreshed = false;
        for (;;) {
            int buf = lockShared(rel, blk);
            int child;
            try {
                ByteBuffer page = pool.page(buf);
                if (top && !BtPage.isRoot(page) && !refreshed) { // the cached root was split: refresh once
                    refreshed = true;
                    roots.remove(rel, r);
                    pool.unlockAndUnpin(buf);
                    buf = -1;
                    r = root(index);
                    if (r < 0) {
                        return -1;
                    }
                    blk = (int) (r >>> 32);
                    continue;
                }
                top = false;
                while (!BtPage.isRightmost(page)
                        && BtPage.compare(cmp, key, tid, page, Page.itemOffset(page, BtPage.P_HIKEY)) > 0) {
                    int next = BtPage.next(page);
                    pool.unlockAndUnpin(buf);
                    buf = -1;
                    buf = lockShared(rel, next);
                    page = pool.page(buf);
                }
                if (BtPage.isLeaf(page)) {
                    int leaf = buf;
                    buf = -1; // handed to the caller
                    return leaf;
                }
                child = BtPage.downlink(page, Page.itemOffset(page, BtPage.binsearchInternal(cmp, key, tid, page)));
            } finally {
                if (buf >= 0) {
                    pool.unlockAndUnpin(buf);
                }
            }
            blk = child;
        }
    }

    /** Pins and share-locks a block; nothing is held if it fails. */
    int lockShared(RelFileNode rel, int blk) {
        int b = pin(rel, blk);
        try {
            pool.lockContent(b, false);
        } catch (RuntimeException | Error e) {
            pool.unpin(b);
            throw e;
        }
        return b;
    }

    // ================================================================ insert

    /** PostgreSQL's INDEX_SIZE_MASK: the largest index tuple index_form_tuple can make. */
    static final int MAX_INDEX_TUPLE_SIZE = 8191;

    /** The checks of an entry before it goes into a leaf: the key size limit (54000) and a valid heap tid. */
    static void checkEntry(RelationRef index, byte[] key, long heapTid) {
        if (BtPage.TUPLE_HEADER + key.length > MAX_INDEX_TUPLE_SIZE) {
            // index_form_tuple's limit (INDEX_SIZE_MASK), checked before the B-tree's own
            throw new PgException("54000", "index row requires " + (BtPage.TUPLE_HEADER + key.length)
                    + " bytes, maximum size is " + MAX_INDEX_TUPLE_SIZE);
        }
        if (key.length > BtPage.MAX_ITEM_SIZE) {
            int itemSize = Page.maxAlign(BtPage.TUPLE_HEADER + key.length);
            throw new PgException("54000", "index row size " + itemSize + " exceeds btree version "
                    + BtPage.BTREE_VERSION + " maximum " + BtPage.MAX_ITEM_SIZE + " for index \"" + index.name()
                    + "\"", null, "Values larger than 1/3 of a buffer page cannot be indexed.\n"
                            + "Consider a function index of an MD5 hash of the value, or use full text indexing.");
        }
        if (!Tid.isValid(heapTid) || (heapTid & 0xFFFF0000L) != 0) {
            throw new IllegalArgumentException("invalid heap tid " + Long.toHexString(heapTid));
        }
    }

    void insert(RelationRef index, KeyComparator cmp, byte[] key, long heapTid, UniqueChecker unique)
            throws InterruptedException {
        checkEntry(index, key, heapTid);
        byte[] tuple = BtPage.leafTuple(key, heapTid);
        Op op = new Op(index, cmp);
        try {
            for (;;) {
                int buf = descend(op, key, unique != null ? BtPage.MINUS_INF : heapTid, true);
                if (buf < 0) {
                    createRoot(op);
                    continue;
                }
                if (unique != null) {
                    int xid = checkUnique(op, buf, key, unique);
                    if (xid != UniqueChecker.NO_CONFLICT) {
                        op.release(buf);
                        unique.await(xid);
                        continue;
                    }
                }
                buf = findInsertLocation(op, buf, key, heapTid);
                int off = BtPage.binsearchLeaf(cmp, key, heapTid, pool.page(buf));
                insertOnPage(op, buf, op.stack, tuple, off, -1);
                return;
            }
        } finally {
            op.releaseAll();
        }
    }

    /**
     * {@code _bt_check_unique}: asks the checker about every entry with an
     * equal key, from the leaf {@code buf} (kept locked) through right
     * siblings (share-locked one at a time). Returns a transaction to wait
     * for, or {@link UniqueChecker#NO_CONFLICT}.
     */
    private int checkUnique(Op op, int buf, byte[] key, UniqueChecker unique) {
        int cur = buf;
        try {
            ByteBuffer page = pool.page(buf);
            int off = BtPage.binsearchLeaf(op.cmp, key, BtPage.MINUS_INF, page);
            for (;;) {
                if (off <= Page.maxOffset(page)) {
                    int pos = Page.itemOffset(page, off);
                    if (BtPage.compareKey(op.cmp, key, page, pos) != 0) {
                        return UniqueChecker.NO_CONFLICT;
                    }
                    int xid = unique.check(BtPage.heapTid(page, pos));
                    if (xid != UniqueChecker.NO_CONFLICT) {
                        return xid;
                    }
                    off++;
                    continue;
                }
                if (BtPage.isRightmost(page)
                        || BtPage.compareKey(op.cmp, key, page, Page.itemOffset(page, BtPage.P_HIKEY)) < 0) {
                    return UniqueChecker.NO_CONFLICT;
                }
                int next = op.lock(BtPage.next(page), false);
                if (cur != buf) {
                    op.release(cur);
                }
                cur = next;
                page = pool.page(cur);
                off = BtPage.firstData(page);
            }
        } finally {
            if (cur != buf) {
                op.release(cur);
            }
        }
    }

    /** {@code _bt_findinsertloc}'s stepping right: to the page where (key, tid) belongs, coupling locks. */
    private int findInsertLocation(Op op, int buf, byte[] key, long tid) {
        for (;;) {
            ByteBuffer page = pool.page(buf);
            if (BtPage.isRightmost(page)
                    || BtPage.compare(op.cmp, key, tid, page, Page.itemOffset(page, BtPage.P_HIKEY)) <= 0) {
                return buf;
            }
            int rblk = BtPage.next(page);
            for (;;) {
                int rbuf = op.lock(rblk, true);
                if (BtPage.incompleteSplit(pool.page(rbuf))) {
                    finishSplit(op, rbuf, op.stack);
                    continue;
                }
                op.release(buf);
                buf = rbuf;
                break;
            }
        }
    }

    /**
     * {@code _bt_insertonpg}: puts {@code tuple} at {@code off} of the
     * exclusively locked {@code buf}, splitting when it does not fit. With a
     * {@code childBuf} (a parent insert) that child's incomplete-split flag
     * is cleared in the same record. Releases {@code buf} and {@code childBuf}.
     */
    private void insertOnPage(Op op, int buf, Stack stack, byte[] tuple, int off, int childBuf) {
        ByteBuffer page = pool.page(buf);
        if (Page.freeSpace(page) >= Page.maxAlign(tuple.length)) {
            int blk = pool.blockNumber(buf);
            if (Page.addItem(page, tuple, 0, tuple.length, off, 0) != off) {
                throw new PgException(SqlState.INTERNAL_ERROR, "failed to add new item to block "
                        + Integer.toUnsignedString(blk) + " in index \"" + op.name() + "\"");
            }
            boolean leaf = BtPage.isLeaf(page);
            WalRecord.Builder b = WalRecord.builder(ResourceManager.BTREE,
                    leaf ? BtXlog.INSERT_LEAF : BtXlog.INSERT_UPPER)
                    .block(op.rel, ForkNumber.MAIN, blk, page, BlockReference.STANDARD, tuple);
            if (childBuf >= 0) {
                ByteBuffer child = pool.page(childBuf);
                BtPage.clearIncompleteSplit(child);
                b.block(op.rel, ForkNumber.MAIN, pool.blockNumber(childBuf), child, BlockReference.STANDARD);
            }
            logAndDirty(b.mainData(BtXlog.insertMain(off)).build(), buf, childBuf);
            if (childBuf >= 0) {
                op.release(childBuf);
            }
            op.release(buf);
            return;
        }
        boolean isRoot = BtPage.isRoot(page);
        int rbuf = split(op, buf, off, tuple, childBuf);
        insertParent(op, buf, rbuf, stack, isRoot);
    }

    // ================================================================ split

    /**
     * {@code _bt_split}: splits the full page {@code buf} with the new tuple
     * going to {@code newOff}; returns the new right page, exclusively locked.
     * {@code buf} stays locked (now the left half, flagged incomplete);
     * {@code childBuf}, if any, is released.
     */
    private int split(Op op, int buf, int newOff, byte[] newItem, int childBuf) {
        ByteBuffer orig = pool.page(buf);
        int origBlk = pool.blockNumber(buf);
        boolean leaf = BtPage.isLeaf(orig);
        int level = BtPage.level(orig);
        boolean rightmost = BtPage.isRightmost(orig);
        int first = BtPage.firstData(orig);
        int max = Page.maxOffset(orig);
        int total = max - first + 2; // existing data items plus the new one
        int newIdx = newOff - first;
        ByteBuffer newBuf = ByteBuffer.wrap(newItem).order(ByteOrder.LITTLE_ENDIAN);

        // sizes of the virtual item sequence (existing items with the new one at newIdx)
        int[] size = new int[total];
        int[] prefix = new int[total + 1];
        for (int j = 0; j < total; j++) {
            int len = j == newIdx ? newItem.length : Page.itemLength(orig, first + (j < newIdx ? j : j - 1));
            size[j] = len;
            prefix[j + 1] = prefix[j] + Page.maxAlign(len) + 4;
        }
        int rightHikey = rightmost ? 0 : Page.maxAlign(Page.itemLength(orig, BtPage.P_HIKEY)) + 4;
        boolean fill = rightmost && newIdx == total - 1;
        int target = fill ? BtPage.PAGE_CAPACITY * (leaf ? LEAF_FILLFACTOR : NONLEAF_FILLFACTOR) / 100 : 0;
        int best = -1;
        long bestScore = Long.MAX_VALUE;
        for (int s = 1; s < total; s++) {
            int leftHikey = leaf ? Page.maxAlign(size[s - 1] + BtPage.TID_SIZE) + 4 : Page.maxAlign(size[s]) + 4;
            int left = prefix[s] + leftHikey;
            int right = prefix[total] - prefix[s] + rightHikey;
            if (!leaf) {
                right -= Page.maxAlign(size[s]) + 4 - (BtPage.TUPLE_HEADER + 4);
            }
            if (left > BtPage.PAGE_CAPACITY || right > BtPage.PAGE_CAPACITY) {
                continue;
            }
            long score = fill ? Math.abs(left - target) : Math.abs(left - right);
            if (score < bestScore) {
                bestScore = score;
                best = s;
            }
        }
        if (best < 0) {
            throw new PgException(SqlState.INTERNAL_ERROR,
                    "could not find a feasible split point for index \"" + op.name() + "\"");
        }
        int s = best;
        boolean newOnLeft = newIdx < s;
        int firstRightOff = first + s - (newOnLeft ? 1 : 0);

        // the new high key of the left half and the right half's tuples
        byte[] leftHikey;
        if (leaf) {
            leftHikey = s - 1 == newIdx ? BtPage.pivotFromLeaf(newBuf, 0)
                    : BtPage.pivotFromLeaf(orig, Page.itemOffset(orig, first + (s - 1 < newIdx ? s - 1 : s - 2)));
        } else {
            leftHikey = s == newIdx ? newItem.clone()
                    : BtPage.copyTuple(orig, Page.itemOffset(orig, first + (s < newIdx ? s : s - 1)));
            BtPage.setDownlink(leftHikey, BtPage.INVALID_BLOCK);
        }
        int rightLen = rightmost ? 0 : Page.itemLength(orig, BtPage.P_HIKEY);
        for (int j = s; j < total; j++) {
            rightLen += !leaf && j == s ? BtPage.TUPLE_HEADER : size[j];
        }
        byte[] rightData = new byte[rightLen];
        int at = 0;
        if (!rightmost) {
            int len = Page.itemLength(orig, BtPage.P_HIKEY);
            orig.get(Page.itemOffset(orig, BtPage.P_HIKEY), rightData, 0, len);
            at = len;
        }
        for (int j = s; j < total; j++) {
            ByteBuffer src = j == newIdx ? newBuf : orig;
            int pos = j == newIdx ? 0 : Page.itemOffset(orig, first + (j < newIdx ? j : j - 1));
            if (!leaf && j == s) {
                byte[] minf = BtPage.minusInfinity(BtPage.downlink(src, pos));
                System.arraycopy(minf, 0, rightData, at, minf.length);
                at += minf.length;
            } else {
                src.get(pos, rightData, at, size[j]);
                at += size[j];
            }
        }

        // everything that can fail before the pages change
        int rbuf = extend(op);
        int rightBlk = pool.blockNumber(rbuf);
        ByteBuffer temp = SCRATCH.get();
        if (!BtPage.buildLeft(orig, temp, leftHikey, newOnLeft ? newItem : null, newOff, firstRightOff, rightBlk)) {
            throw new PgException(SqlState.INTERNAL_ERROR, "failed to add item to the left sibling while splitting"
                    + " block " + Integer.toUnsignedString(origBlk) + " of index \"" + op.name() + "\"");
        }
        ByteBuffer right = pool.page(rbuf);
        BtPage.init(right, leaf ? BtPage.BTP_LEAF : 0, level, origBlk, BtPage.next(orig));
        if (!BtPage.restoreItems(right, rightData)) {
            throw new PgException(SqlState.INTERNAL_ERROR, "failed to add item to the right sibling while"
                    + " splitting block " + Integer.toUnsignedString(origBlk) + " of index \"" + op.name() + "\"");
        }
        int sbuf = -1;
        if (!rightmost) {
            sbuf = op.lock(BtPage.next(orig), true);
            int back = BtPage.prev(pool.page(sbuf));
            if (back != origBlk) {
                throw new PgException("XX002", "right sibling's left-link doesn't match: block "
                        + Integer.toUnsignedString(BtPage.next(orig)) + " links to " + Integer.toUnsignedString(back)
                        + " instead of expected " + Integer.toUnsignedString(origBlk) + " in index \"" + op.name()
                        + "\"");
            }
        }

        // the change: left over the original, sibling's back link, child's flag; one record
        orig.put(0, temp, 0, Page.SIZE);
        byte[] leftData;
        if (newOnLeft) {
            leftData = new byte[newItem.length + leftHikey.length];
            System.arraycopy(newItem, 0, leftData, 0, newItem.length);
            System.arraycopy(leftHikey, 0, leftData, newItem.length, leftHikey.length);
        } else {
            leftData = leftHikey;
        }
        WalRecord.Builder b = WalRecord.builder(ResourceManager.BTREE, newOnLeft ? BtXlog.SPLIT_L : BtXlog.SPLIT_R)
                .block(op.rel, ForkNumber.MAIN, origBlk, orig, BlockReference.STANDARD, leftData)
                .block(op.rel, ForkNumber.MAIN, rightBlk, right, BlockReference.WILL_INIT, rightData);
        if (sbuf >= 0) {
            ByteBuffer sib = pool.page(sbuf);
            BtPage.setPrev(sib, rightBlk);
            b.block(op.rel, ForkNumber.MAIN, pool.blockNumber(sbuf), sib, BlockReference.STANDARD);
        }
        if (childBuf >= 0) {
            ByteBuffer child = pool.page(childBuf);
            BtPage.clearIncompleteSplit(child);
            b.block(op.rel, ForkNumber.MAIN, pool.blockNumber(childBuf), child, BlockReference.STANDARD);
        }
        logAndDirty(b.mainData(BtXlog.splitMain(level, firstRightOff, newOff)).build(), buf, rbuf, sbuf,
                childBuf);
        if (sbuf >= 0) {
            op.release(sbuf);
        }
        if (childBuf >= 0) {
            op.release(childBuf);
        }
        return rbuf;
    }

    /**
     * {@code _bt_insert_parent}: inserts the downlink to the new right page
     * {@code rbuf} next to the one to {@code lbuf} (or makes a new root).
     * Releases both.
     */
    private void insertParent(Op op, int lbuf, int rbuf, Stack stack, boolean wasRoot) {
        if (wasRoot) {
            newRoot(op, lbuf, rbuf);
            return;
        }
        ByteBuffer left = pool.page(lbuf);
        int lblk = pool.blockNumber(lbuf);
        int rblk = pool.blockNumber(rbuf);
        if (stack == null) { // descended from a root that has been split since: find the parent level
            stack = new Stack(getEndpoint(op, BtPage.level(left) + 1), Page.INVALID_OFFSET, null);
        }
        byte[] downlink = BtPage.copyTuple(left, Page.itemOffset(left, BtPage.P_HIKEY));
        BtPage.setDownlink(downlink, rblk);
        int pbuf = getStackBuf(op, stack, lblk);
        op.release(rbuf);
        insertOnPage(op, pbuf, stack.parent, downlink, stack.off + 1, lbuf);
    }

    /**
     * {@code _bt_getstackbuf}: the parent page holding the downlink to
     * {@code child}, exclusively locked, starting where the descent saw it and
     * moving right past concurrent splits; updates {@code stack}.
     */
    private int getStackBuf(Op op, Stack stack, int child) {
        int blk = stack.blk;
        int start = stack.off;
        for (;;) {
            int buf = op.lock(blk, true);
            ByteBuffer page = pool.page(buf);
            if (BtPage.incompleteSplit(page)) {
                finishSplit(op, buf, stack.parent);
                continue;
            }
            int first = BtPage.firstData(page);
            int max = Page.maxOffset(page);
            int from = Math.min(Math.max(start, first), max + 1);
            for (int off = from; off <= max; off++) {
                if (BtPage.downlink(page, Page.itemOffset(page, off)) == child) {
                    stack.blk = blk;
                    stack.off = off;
                    return buf;
                }
            }
            for (int off = from - 1; off >= first; off--) {
                if (BtPage.downlink(page, Page.itemOffset(page, off)) == child) {
                    stack.blk = blk;
                    stack.off = off;
                    return buf;
                }
            }
            if (BtPage.isRightmost(page)) {
                op.release(buf);
                throw new PgException("XX002", "failed to re-find parent key in index \"" + op.name()
                        + "\" for split pages " + Integer.toUnsignedString(child));
            }
            int next = BtPage.next(page);
            op.release(buf);
            blk = next;
            start = Page.INVALID_OFFSET;
        }
    }

    /**
     * {@code _bt_newroot}: a new root above the split pages, with a downlink
     * to each; metapage updated in the same record. Releases both.
     */
    private void newRoot(Op op, int lbuf, int rbuf) {
        ByteBuffer left = pool.page(lbuf);
        int lblk = pool.blockNumber(lbuf);
        int rblk = pool.blockNumber(rbuf);
        int level = BtPage.level(left) + 1;
        int mbuf = op.lock(BtPage.META_BLOCK, true);
        int rootBuf = extend(op);
        int rootBlk = pool.blockNumber(rootBuf);
        ByteBuffer root = pool.page(rootBuf);
        ByteBuffer meta = pool.page(mbuf);
        byte[] first = BtPage.minusInfinity(lblk);
        byte[] second = BtPage.copyTuple(left, Page.itemOffset(left, BtPage.P_HIKEY));
        BtPage.setDownlink(second, rblk);
        byte[] rootData = new byte[first.length + second.length];
        System.arraycopy(first, 0, rootData, 0, first.length);
        System.arraycopy(second, 0, rootData, first.length, second.length);

        BtPage.init(root, BtPage.BTP_ROOT, level, BtPage.P_NONE, BtPage.P_NONE);
        if (!BtPage.restoreItems(root, rootData)) {
            throw new PgException(SqlState.INTERNAL_ERROR, "failed to add items to new root page of index \""
                    + op.name() + "\"");
        }
        BtPage.clearIncompleteSplit(left);
        BtPage.setMetaRoot(meta, rootBlk, level, rootBlk, level);
        logAndDirty(WalRecord.builder(ResourceManager.BTREE, BtXlog.NEWROOT)
                .block(op.rel, ForkNumber.MAIN, rootBlk, root, BlockReference.WILL_INIT, rootData)
                .block(op.rel, ForkNumber.MAIN, BtPage.META_BLOCK, meta,
                        BlockReference.WILL_INIT | BlockReference.STANDARD, BtPage.metadata(meta))
                .block(op.rel, ForkNumber.MAIN, lblk, left, BlockReference.STANDARD)
                .mainData(BtXlog.newRootMain(rootBlk, level)).build(), rootBuf, mbuf, lbuf);
        roots.put(op.rel, (long) rootBlk << 32 | level);
        op.release(rootBuf);
        op.release(mbuf);
        op.release(rbuf);
        op.release(lbuf);
    }

    /**
     * {@code _bt_finish_split}: the left half {@code lbuf} (exclusively
     * locked) still lacks the downlink to its right sibling; insert it.
     * Releases {@code lbuf}.
     */
    private void finishSplit(Op op, int lbuf, Stack stack) {
        ByteBuffer left = pool.page(lbuf);
        int lblk = pool.blockNumber(lbuf);
        int rbuf = op.lock(BtPage.next(left), true);
        int mbuf = op.lock(BtPage.META_BLOCK, false);
        boolean wasRoot = BtPage.metaRoot(pool.page(mbuf)) == lblk;
        op.release(mbuf);
        insertParent(op, lbuf, rbuf, stack, wasRoot);
    }

    // ================================================================ bottom-up build

    /** {@link modgres.api.access.BTree#build}: see {@link BtSort}. */
    long build(RelationRef index, KeyComparator cmp, IndexScan sorted, int fillfactor) {
        return new BtSort(this, new Op(index, cmp), fillfactor).run(sorted);
    }

    // ================================================================ vacuum

    long bulkDelete(RelationRef index, LongPredicate dead) {
        Op op = new Op(index, KeyComparator.BYTEWISE);
        try {
            int buf = descend(op, null, BtPage.MINUS_INF, true);
            if (buf < 0) {
                return 0;
            }
            long count = 0;
            int[] offsets = new int[Page.MAX_OFFSET];
            for (;;) {
                ByteBuffer page = pool.page(buf);
                int n = 0;
                int max = Page.maxOffset(page);
                for (int off = BtPage.firstData(page); off <= max; off++) {
                    if (dead.test(BtPage.heapTid(page, Page.itemOffset(page, off)))) {
                        offsets[n++] = off;
                    }
                }
                if (n > 0) {
                    BtPage.multiDelete(page, offsets, n);
                    byte[] data = new byte[2 * n];
                    for (int i = 0; i < n; i++) {
                        BtPage.u16(data, 2 * i, offsets[i]);
                    }
                    logAndDirty(WalRecord.builder(ResourceManager.BTREE, BtXlog.VACUUM)
                            .block(op.rel, ForkNumber.MAIN, pool.blockNumber(buf), page, BlockReference.STANDARD,
                                    data)
                            .mainData(BtXlog.vacuumMain(n)).build(), buf);
                    count += n;
                }
                int next = BtPage.next(page);
                op.release(buf);
                if (next == BtPage.P_NONE) {
                    return count;
                }
                buf = op.lock(next, true);
            }
        } finally {
            op.releaseAll();
        }
    }
}
