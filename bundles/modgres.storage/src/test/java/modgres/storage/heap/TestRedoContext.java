package modgres.storage.heap;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.ReadMode;
import modgres.api.page.Page;
import modgres.api.wal.BlockReference;
import modgres.api.wal.RedoContext;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;

/**
 * A minimal startup process for the tests: a {@link RedoContext} over the real
 * buffer pool that restores full-page images, zero-fills WILL_INIT blocks and
 * skips blocks whose LSN is at or past the record's end, and reports blocks
 * that are not there (a zero page read past the end) as NOT_FOUND; and {@link #replay},
 * which feeds a reader's records to a handler.
 */
final class TestRedoContext implements RedoContext {
    private final BufferPool pool;
    private WalRecord record;

    TestRedoContext(BufferPool pool) {
        this.pool = pool;
    }

    private record B(Action action, int buffer, ByteBuffer page) implements Block {
    }

    /** What a replay did: each record's description, and the blocks found missing ("rel blk"). */
    record Result(List<String> described, List<String> notFound) {
    }

    private final List<String> notFound = new ArrayList<>();

    /** Replays every record of the handler's resource managers. */
    static Result replay(WalReader reader, BufferPool pool, RedoHandler handler) {
        TestRedoContext ctx = new TestRedoContext(pool);
        byte[] mine = handler.resourceManagers();
        List<String> out = new ArrayList<>();
        handler.startup();
        WalRecord r;
        while ((r = reader.next()) != null) {
            boolean claimed = false;
            for (byte m : mine) {
                claimed |= m == r.rmgr();
            }
            if (!claimed) {
                continue;
            }
            ctx.record = r;
            out.add(HeapWal.identify(r) + " " + handler.describe(r));
            handler.redo(r, ctx);
        }
        handler.cleanup();
        return new Result(out, ctx.notFound);
    }

    @Override
    public WalRecord record() {
        return record;
    }

    @Override
    public Block readBlock(int blockIndex) {
        BlockReference ref = record.block(blockIndex);
        boolean overwrite = ref.hasImage() || ref.willInit();
        int b = pool.pin(ref.rel().tablespace(), ref.rel().database(), ref.rel().relfilenode(), ref.fork(),
                ref.block(), overwrite ? ReadMode.ZERO_ON_MISS : ReadMode.NORMAL, null);
        pool.lockContent(b, true);
        ByteBuffer page = pool.page(b);
        if (ref.hasImage()) {
            page.put(0, ref.image(), 0, BufferPool.BLOCK_SIZE);
            return new B(Action.RESTORED, b, page);
        }
        if (ref.willInit()) {
            page.put(0, new byte[BufferPool.BLOCK_SIZE], 0, BufferPool.BLOCK_SIZE);
            return new B(Action.NEEDS_REDO, b, page);
        }
        if (Page.isNew(page)) {
            // not in the file (past its end, read as zeros in recovery): truncated or dropped later in the log
            pool.unlockAndUnpin(b);
            notFound.add(ref.rel() + " " + Integer.toUnsignedString(ref.block()));
            return new B(Action.NOT_FOUND, -1, null);
        }
        if (Long.compareUnsigned(BufferPool.getPageLsn(page), record.endLsn()) >= 0) {
            return new B(Action.DONE, b, page);
        }
        return new B(Action.NEEDS_REDO, b, page);
    }

    @Override
    public void finish(Block block) {
        ByteBuffer page = block.page();
        BufferPool.setPageLsn(page, record.endLsn());
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
