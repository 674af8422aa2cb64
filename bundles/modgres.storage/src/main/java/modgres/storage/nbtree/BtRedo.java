package modgres.storage.nbtree;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import modgres.api.buffer.ForkNumber;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;
import modgres.api.wal.BlockReference;
import modgres.api.wal.RedoContext;
import modgres.api.wal.WalRecord;

/*
 * Design notes: replay of BTREE records (PostgreSQL's nbtxlog.c). Each block
 * of a record is read through the RedoContext, which restores full-page
 * images, zero-fills WILL_INIT blocks and says DONE for a page whose LSN is
 * already at or past the record's end; only NEEDS_REDO blocks get the change
 * applied here. Every block is handled on its own, so replay is idempotent
 * and a record whose blocks are in different states (one written before the
 * crash, another not) comes out right. The record layouts are in BtXlog.
 *
 * A split is replayed from the left page as it was before the split (it is,
 * when the left block needs redo) plus the record: the same buildLeft the
 * inserting backend used, so both produce the same page.
 */
final class BtRedo {
    private final StorageManager smgr;

    BtRedo(StorageManager smgr) {
        this.smgr = smgr;
    }

    /** What to do with one block that needs redo. */
    @FunctionalInterface
    private interface Change {
        void apply(ByteBuffer page, byte[] data);
    }

    void redo(WalRecord rec, RedoContext ctx) {
        byte info = (byte) (rec.info() & 0xF0);
        switch (info) {
            case BtXlog.INSERT_LEAF, BtXlog.INSERT_UPPER, BtXlog.INSERT_META -> redoInsert(rec, ctx, info);
            case BtXlog.SPLIT_L, BtXlog.SPLIT_R -> redoSplit(rec, ctx, info == BtXlog.SPLIT_L);
            case BtXlog.NEWROOT -> redoNewRoot(rec, ctx);
            case BtXlog.VACUUM -> redoDelete(rec, ctx, 0);
            case BtXlog.DELETE -> redoDelete(rec, ctx, 4);
            case BtXlog.META_CLEANUP -> redoMetaCleanup(rec, ctx);
            default -> throw new PgException(SqlState.INTERNAL_ERROR,
                    "btree_redo: unknown op code " + (info & 0xFF));
        }
    }

    private static void apply(RedoContext ctx, int blockIndex, Change change) {
        RedoContext.Block b = ctx.readBlock(blockIndex);
        switch (b.action()) {
            case NEEDS_REDO -> {
                change.apply(b.page(), ctx.record().block(blockIndex).data());
                ctx.finish(b);
            }
            case RESTORED -> ctx.finish(b);
            case DONE -> ctx.release(b);
            case NOT_FOUND -> {
                // the relation was dropped or truncated later in the log
            }
        }
    }

    private static void clearIncompleteSplit(ByteBuffer page, byte[] data) {
        BtPage.clearIncompleteSplit(page);
    }

    private static PgException failed(String what, WalRecord rec) {
        return new PgException(SqlState.INTERNAL_ERROR,
                what + " during btree redo of " + BtXlog.identify(rec.info()) + " at " + rec);
    }

    private void redoInsert(WalRecord rec, RedoContext ctx, byte info) {
        int off = BtPage.u16(rec.mainData(), 0);
        apply(ctx, 0, (page, tuple) -> {
            if (tuple == null || Page.addItem(page, tuple, 0, tuple.length, off, 0) != off) {
                throw failed("failed to add new item", rec);
            }
        });
        if (info != BtXlog.INSERT_LEAF && rec.blockCount() > 1) {
            apply(ctx, 1, BtRedo::clearIncompleteSplit);
        }
        if (info == BtXlog.INSERT_META && rec.blockCount() > 2) {
            apply(ctx, 2, BtPage::restoreMeta);
        }
    }

    private void redoSplit(WalRecord rec, RedoContext ctx, boolean newOnLeft) {
        byte[] m = rec.mainData();
        int level = BtPage.u32(m, 0);
        int firstRightOff = BtPage.u16(m, 4);
        int newItemOff = BtPage.u16(m, 6);
        int nblocks = rec.blockCount();
        boolean hasChild = level != 0;
        boolean hasSibling = nblocks - 2 - (hasChild ? 1 : 0) == 1;
        int leftBlk = rec.block(0).block();
        int rightBlk = rec.block(1).block();
        int siblingBlk = hasSibling ? rec.block(2).block() : BtPage.P_NONE;

        apply(ctx, 0, (page, data) -> {
            byte[] newItem = null;
            byte[] hikey = data;
            if (newOnLeft) {
                int n = BtPage.tupleSize(data, 0);
                newItem = Arrays.copyOfRange(data, 0, n);
                hikey = Arrays.copyOfRange(data, n, data.length);
            }
            ByteBuffer temp = ByteBuffer.allocate(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN);
            if (!BtPage.buildLeft(page, temp, hikey, newItem, newItemOff, firstRightOff, rightBlk)) {
                throw failed("failed to add item to the left sibling", rec);
            }
            page.put(0, temp, 0, Page.SIZE);
        });
        apply(ctx, 1, (page, data) -> {
            BtPage.init(page, level == 0 ? BtPage.BTP_LEAF : 0, level, leftBlk, siblingBlk);
            if (!BtPage.restoreItems(page, data)) {
                throw failed("failed to add item to the right sibling", rec);
            }
        });
        if (hasSibling) {
            apply(ctx, 2, (page, data) -> BtPage.setPrev(page, rightBlk));
        }
        if (hasChild) {
            apply(ctx, nblocks - 1, BtRedo::clearIncompleteSplit);
        }
    }

    private void redoNewRoot(WalRecord rec, RedoContext ctx) {
        int level = BtPage.u32(rec.mainData(), 4);
        apply(ctx, 0, (page, data) -> {
            BtPage.init(page, level == 0 ? BtPage.BTP_LEAF | BtPage.BTP_ROOT : BtPage.BTP_ROOT, level,
                    BtPage.P_NONE, BtPage.P_NONE);
            if (data != null && !BtPage.restoreItems(page, data)) {
                throw failed("failed to add item to the new root", rec);
            }
        });
        apply(ctx, 1, BtPage::restoreMeta);
        if (rec.blockCount() > 2) {
            apply(ctx, 2, BtRedo::clearIncompleteSplit);
        }
    }

    /** VACUUM (no header before the counts) and DELETE (latestRemovedXid first): offsets in block 0's data. */
    private void redoDelete(WalRecord rec, RedoContext ctx, int countsAt) {
        int ndeleted = BtPage.u16(rec.mainData(), countsAt);
        apply(ctx, 0, (page, data) -> {
            int[] offsets = new int[ndeleted];
            for (int i = 0; i < ndeleted; i++) {
                offsets[i] = BtPage.u16(data, 2 * i);
            }
            BtPage.multiDelete(page, offsets, ndeleted);
        });
    }

    private void redoMetaCleanup(WalRecord rec, RedoContext ctx) {
        BlockReference ref = rec.block(0);
        smgr.create(ref.rel(), ForkNumber.MAIN, true); // written by create(): the file may not exist yet
        apply(ctx, 0, BtPage::restoreMeta);
    }
}
