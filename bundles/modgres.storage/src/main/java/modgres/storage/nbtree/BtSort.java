package modgres.storage.nbtree;

import java.nio.ByteBuffer;

import modgres.api.access.IndexScan;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.ForkNumber;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.page.ItemId;
import modgres.api.page.Page;
import modgres.api.wal.BlockReference;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;

/*
 * Design notes: building a new index bottom up from sorted entries
 * (PostgreSQL's nbtsort.c, its "load" half; the caller sorts). One object per
 * build; NbTree.build makes it.
 *
 * One page per level is open (pinned, exclusively locked: nobody else can
 * see the index yet, but the locks keep the usual rules). Entries go into
 * the open leaf left to right; when the next one does not fit, or the page
 * is filled to the fillfactor (90% for leaves unless told, 70% for internal
 * pages, as BTREE_DEFAULT_FILLFACTOR / BTREE_NONLEAF_FILLFACTOR), a new page
 * is started to its right and the full one is finished:
 *
 *   leaf:      high key = pivot of its last item (key + heap tid, no suffix
 *              truncation: what a split writes), put at offset 1
 *   internal:  its last item moves to the new page, where it becomes the
 *              "minus infinity" first item (its downlink only); its key with
 *              an invalid downlink becomes the old page's high key (what a
 *              split writes: the left high key is the first right item's key)
 *
 *   level 1:    [ -inf->A, H_A->B ]  ->  [ -inf->C, ... ]     H_B = first key of C's parent entry
 *   level 0:    [ A | H_A ] -> [ B | H_B ] -> [ C | H_C ] -> ... -> [ Z ]  (rightmost: no high key)
 *
 * and the finished page is WAL-logged and released; then its downlink goes
 * to the level above: (its low key, its block), the low key being its left
 * sibling's high key (none for the first page of a level: the parent's first
 * item is minus infinity anyway). The level above is opened when the first
 * page of a level is finished. At the end the open pages are finished bottom
 * up (no high key: they are the rightmost), the topmost one with BTP_ROOT,
 * and the metapage gets root = fast root = it.
 *
 * Space: a leaf takes an entry while it leaves room for the entry and, if it
 * ends the page, its pivot as high key (6 bytes more); an internal page's
 * high key reuses its last item's room. The fillfactor test is PostgreSQL's
 * (free space below BLCKSZ * (100 - fillfactor) / 100 with two items or more).
 *
 * WAL: each finished page is one XLOG FPI record (PostgreSQL's log_newpage:
 * a forced full-page image, the hole between pd_lower and pd_upper left out),
 * restored by the startup process's XLOG redo; the metapage is a
 * META_CLEANUP record (its redo rewrites the whole metapage), written after
 * every page. The pages go through the shared buffers (dirtied before their
 * record, as everywhere else), so a checkpoint in between needs no
 * smgrimmedsync as PostgreSQL's buffer-bypassing build does; and wal_level
 * minimal's skipping of the log is not done: always logged. A crash before
 * the metapage record leaves an index whose metapage says "empty": the
 * transaction that built it did not commit, so it is never used.
 *
 * Memory: the build holds one open page per level and none of the entries:
 * it streams. Sorting the entries within maintenance_work_mem (spilling
 * sorted runs to base/pgsql_tmp beyond) is the caller's: the SQL engine's
 * CREATE INDEX sorts with its executor's external sort and feeds the result
 * here, so this bundle needs no temporary files and no dependency on
 * modgres.sql (see DdlExecutor.build).
 *
 * Input checks: the index must be empty (metapage without root, one block);
 * each entry passes insert's key size check and must be above the previous
 * one in (key, tid) order, else XX000.
 */
final class BtSort {
    private final NbTree tree;
    private final BufferPool pool;
    private final NbTree.Op op;
    /** Bytes to leave free ({@code btps_full}): leaves, internal pages. */
    private final int leafLeave;
    private final int upperLeave;
    private Level leaf;

    /** The open page of one level, and what its parent's downlink to it carries. */
    private final class Level {
        final int level;
        Level parent;
        int buf;
        ByteBuffer page;
        int blk;
        /** The left sibling's high key (a pivot tuple), null for the first page of the level. */
        byte[] lowKey;

        Level(int level) {
            this.level = level;
            open(BtPage.P_NONE);
        }

        /** Starts a new page to the right of {@code prev}. */
        void open(int prev) {
            buf = tree.extend(op);
            blk = pool.blockNumber(buf);
            page = pool.page(buf);
            BtPage.init(page, level == 0 ? BtPage.BTP_LEAF : 0, level, prev, BtPage.P_NONE);
        }
    }

    BtSort(NbTree tree, NbTree.Op op, int fillfactor) {
        int ff = fillfactor == 0 ? NbTree.LEAF_FILLFACTOR : fillfactor;
        if (ff < 10 || ff > 100) {
            throw new IllegalArgumentException("fillfactor " + fillfactor + " is not within 10..100");
        }
        this.tree = tree;
        this.pool = tree.pool;
        this.op = op;
        this.leafLeave = Page.SIZE * (100 - ff) / 100;
        this.upperLeave = Page.SIZE * (100 - NbTree.NONLEAF_FILLFACTOR) / 100;
    }

    /** Builds the index from {@code sorted}; returns the number of entries. */
    long run(IndexScan sorted) {
        try {
            checkEmpty();
            long n = 0;
            while (sorted.next()) {
                addLeaf(sorted.key(), sorted.heapTid());
                n++;
            }
            if (leaf != null) {
                finish();
            }
            return n;
        } finally {
            op.releaseAll();
        }
    }

    private void checkEmpty() {
        int mbuf = op.lock(BtPage.META_BLOCK, false);
        ByteBuffer meta = pool.page(mbuf);
        NbTree.checkMeta(meta, op.name());
        boolean noRoot = BtPage.metaRoot(meta) == BtPage.P_NONE;
        op.release(mbuf);
        if (!noRoot || tree.nblocks(op.rel) != 1) {
            throw new PgException(SqlState.INTERNAL_ERROR, "index \"" + op.name() + "\" already contains data");
        }
    }

    private void addLeaf(byte[] key, long tid) {
        NbTree.checkEntry(op.index, key, tid);
        int len = BtPage.TUPLE_HEADER + key.length;
        if (leaf == null) {
            leaf = new Level(0);
        } else {
            ByteBuffer p = leaf.page;
            int last = Page.maxOffset(p);
            if (BtPage.compare(op.cmp, key, tid, p, Page.itemOffset(p, last)) <= 0) {
                throw new PgException(SqlState.INTERNAL_ERROR, "entries to build index \"" + op.name()
                        + "\" are not in (key, heap tid) order");
            }
            int free = Page.exactFreeSpace(p);
            int need = Page.maxAlign(len) + ItemId.SIZE + Page.maxAlign(len + BtPage.TID_SIZE) + ItemId.SIZE;
            if (free < need || last >= 2 && free - ItemId.SIZE < leafLeave) {
                nextPage(leaf);
            }
        }
        ByteBuffer p = leaf.page;
        int off = Page.reserveItem(p, len, Page.maxOffset(p) + 1, 0);
        if (off == Page.INVALID_OFFSET) {
            throw addFailed(leaf);
        }
        BtPage.writeLeafTuple(p, Page.itemOffset(p, off), key, tid);
    }

    /** Adds the downlink to {@code child}, whose left sibling's high key is {@code lowKey}, to level {@code l}. */
    private void addDownlink(Level l, byte[] lowKey, int child) {
        ByteBuffer p = l.page;
        int n = Page.maxOffset(p);
        byte[] t;
        if (n == 0) { // the first page of the level: its first item is minus infinity anyway
            t = BtPage.minusInfinity(child);
        } else {
            if (lowKey == null) {
                throw new PgException(SqlState.INTERNAL_ERROR, "no separator for block "
                        + Integer.toUnsignedString(child) + " while building index \"" + op.name() + "\"");
            }
            t = lowKey.clone();
            BtPage.setDownlink(t, child);
            int free = Page.exactFreeSpace(p);
            if (free < Page.maxAlign(t.length) + ItemId.SIZE || n >= 2 && free - ItemId.SIZE < upperLeave) {
                if (n < 2) {
                    throw addFailed(l);
                }
                nextPage(l);
                p = l.page;
            }
        }
        if (Page.addItem(p, t, 0, t.length, Page.maxOffset(p) + 1, 0) == Page.INVALID_OFFSET) {
            throw addFailed(l);
        }
    }

    /**
     * Finishes the open page of {@code l} with its high key and logs it,
     * opens the next page to its right, and adds the finished page's
     * downlink to the level above.
     */
    private void nextPage(Level l) {
        ByteBuffer old = l.page;
        int oldBuf = l.buf;
        int oldBlk = l.blk;
        byte[] oldLow = l.lowKey;
        int last = Page.maxOffset(old);
        byte[] hikey;
        byte[] first = null;
        if (l.level == 0) {
            hikey = BtPage.pivotFromLeaf(old, Page.itemOffset(old, last));
        } else {
            int pos = Page.itemOffset(old, last);
            hikey = BtPage.copyTuple(old, pos);
            first = BtPage.minusInfinity(BtPage.downlink(old, pos));
            Page.deleteItem(old, last);
            BtPage.setDownlink(hikey, BtPage.INVALID_BLOCK);
        }
        l.open(oldBlk);
        BtPage.setNext(old, l.blk);
        if (Page.addItem(old, hikey, 0, hikey.length, BtPage.P_HIKEY, 0) != BtPage.P_HIKEY) {
            throw new PgException(SqlState.INTERNAL_ERROR, "failed to add high key to block "
                    + Integer.toUnsignedString(oldBlk) + " while building index \"" + op.name() + "\"");
        }
        write(oldBuf, oldBlk, old);
        l.lowKey = hikey;
        if (first != null && Page.addItem(l.page, first, 0, first.length, BtPage.P_HIKEY, 0) == Page.INVALID_OFFSET) {
            throw addFailed(l);
        }
        if (l.parent == null) {
            l.parent = new Level(l.level + 1);
        }
        addDownlink(l.parent, oldLow, oldBlk);
    }

    /** Finishes the rightmost pages bottom up, the top one as the root, then the metapage. */
    private void finish() {
        for (Level l = leaf;; l = l.parent) {
            if (l.parent == null) {
                BtPage.setFlags(l.page, BtPage.flags(l.page) | BtPage.BTP_ROOT);
                write(l.buf, l.blk, l.page);
                writeMeta(l.blk, l.level);
                return;
            }
            write(l.buf, l.blk, l.page);
            addDownlink(l.parent, l.lowKey, l.blk);
        }
    }

    /** {@code log_newpage}: dirty, one XLOG FPI record with the whole page, then release it. */
    private void write(int buf, int blk, ByteBuffer page) {
        pool.markDirty(buf);
        long lsn = tree.wal.insert(WalRecord.builder(ResourceManager.XLOG, ResourceManager.XLOG_FPI)
                .block(op.rel, ForkNumber.MAIN, blk, page, BlockReference.FORCE_IMAGE | BlockReference.STANDARD)
                .build());
        BufferPool.setPageLsn(page, lsn);
        op.release(buf);
    }

    private void writeMeta(int root, int level) {
        int mbuf = op.lock(BtPage.META_BLOCK, true);
        ByteBuffer meta = pool.page(mbuf);
        if (BtPage.metaRoot(meta) != BtPage.P_NONE) {
            throw new PgException(SqlState.INTERNAL_ERROR, "index \"" + op.name() + "\" already contains data");
        }
        BtPage.setMetaRoot(meta, root, level, root, level);
        pool.markDirty(mbuf);
        long lsn = tree.wal.insert(WalRecord.builder(ResourceManager.BTREE, BtXlog.META_CLEANUP)
                .block(op.rel, ForkNumber.MAIN, BtPage.META_BLOCK, meta,
                        BlockReference.WILL_INIT | BlockReference.STANDARD, BtPage.metadata(meta))
                .build());
        BufferPool.setPageLsn(meta, lsn);
        tree.cacheRoot(op.rel, root, level);
        op.release(mbuf);
    }

    private PgException addFailed(Level l) {
        return new PgException(SqlState.INTERNAL_ERROR, "failed to add item to block "
                + Integer.toUnsignedString(l.blk) + " while building index \"" + op.name() + "\"");
    }
}
