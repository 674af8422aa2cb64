package modgres.storage.nbtree;

import java.nio.ByteBuffer;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;
import modgres.api.wal.BlockReference;
import modgres.api.wal.RedoContext;
import modgres.api.wal.WalRecord;

/**
 * The least a startup process does for a redo routine
 * ({@code XLogReadBufferForRedoExtended}): restore full-page images (without
 * reading the possibly torn page), zero WILL_INIT blocks, extend forks up to
 * the block, and skip blocks whose LSN is at or past the record's end.
 */
final class TestRedoContext implements RedoContext {
    private final BufferPool pool;
    private final StorageManager smgr;
    WalRecord record;

    TestRedoContext(BufferPool pool, StorageManager smgr) {
        this.pool = pool;
        this.smgr = smgr;
    }

    private record B(Action action, int buffer, ByteBuffer page) implements Block {
    }

    @Override
    public WalRecord record() {
        return record;
    }

    @Override
    public Block readBlock(int blockIndex) {
        BlockReference ref = record.block(blockIndex);
        RelFileNode rel = ref.rel();
        ForkNumber fork = ref.fork();
        if (!smgr.exists(rel, fork)) {
            return new B(Action.NOT_FOUND, -1, null);
        }
        int blk = ref.block();
        int buf = -1;
        while (Integer.compareUnsigned(smgr.nblocks(rel, fork), blk) <= 0) {
            int b = pool.extend(rel, fork, null);
            if (pool.blockNumber(b) == blk) {
                buf = b;
            } else {
                pool.unpin(b);
            }
        }
        boolean noRead = ref.hasImage() || ref.willInit();
        if (buf < 0) {
            buf = pool.pin(rel.tablespace(), rel.database(), rel.relfilenode(), fork, blk,
                    noRead ? ReadMode.ZERO_ON_MISS : ReadMode.NORMAL, null);
        }
        pool.lockContent(buf, true);
        ByteBuffer page = pool.page(buf);
        if (ref.hasImage()) {
            page.put(0, ref.image(), 0, Page.SIZE);
            return new B(Action.RESTORED, buf, page);
        }
        if (ref.willInit()) {
            Page.zero(page, 0, Page.SIZE);
            return new B(Action.NEEDS_REDO, buf, page);
        }
        if (Long.compareUnsigned(BufferPool.getPageLsn(page), record.endLsn()) >= 0) {
            return new B(Action.DONE, buf, page);
        }
        return new B(Action.NEEDS_REDO, buf, page);
    }

    @Override
    public void finish(Block block) {
        BufferPool.setPageLsn(block.page(), record.endLsn());
        pool.markDirty(block.buffer());
        pool.unlockAndUnpin(block.buffer());
    }

    @Override
    public void release(Block block) {
        pool.unlockAndUnpin(block.buffer());
    }

    @Override
    public boolean crashRecovery() {
        return true;
    }
}
