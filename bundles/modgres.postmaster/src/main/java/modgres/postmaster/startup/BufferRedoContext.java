package modgres.postmaster.startup;

/*
 * Design notes
 * ------------
 * PostgreSQL's XLogReadBufferForRedoExtended over the shared buffer pool.
 * For block reference i of the record being replayed:
 *
 *   fork file missing ──── image or will-init? ──no──▶ NOT_FOUND (dropped later in the log)
 *        │ yes: create it (isRedo)
 *   block >= nblocks ───── image or will-init? ──no──▶ NOT_FOUND (truncated later in the log)
 *        │ yes: extend the fork block by block up to it
 *   pin (ZERO_ON_MISS for image / will-init: the old contents do not matter), lock exclusively
 *        │
 *        ├─ image      copy it over the page ──────────────▶ RESTORED
 *        ├─ will-init  zero the page ──────────────────────▶ NEEDS_REDO
 *        └─ otherwise  page LSN >= record end ? ──yes──────▶ DONE (already has the change)
 *                                               ──no───────▶ NEEDS_REDO
 *
 * finish(): page LSN := record end (unless the page is still new, all
 * zeros: a new page keeps LSN 0, as PostgreSQL's restore does), dirty,
 * unlock, unpin. release(): unlock, unpin. Blocks a redo routine forgot to
 * finish or release are released after the routine returns, so a faulty
 * routine cannot leak pins.
 *
 * A NOT_FOUND is logged at DEBUG1 as PostgreSQL does during crash recovery
 * ("page N of relation base/5/16384 does not exist"). PostgreSQL also remembers such
 * pages and PANICs at the end of recovery unless a later record dropped or
 * truncated the relation; that needs hooks into the storage redo routines and
 * is not done here.
 *
 * Single-threaded: the startup thread is the only user.
 */

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.ServerLog;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;
import modgres.api.wal.BlockReference;
import modgres.api.wal.RedoContext;
import modgres.api.wal.WalRecord;

/** The {@link RedoContext} of the startup process, over the buffer pool and the storage manager. */
final class BufferRedoContext implements RedoContext {

    private static final byte[] ZEROS = new byte[BufferPool.BLOCK_SIZE];

    private final BufferPool pool;
    private final StorageManager storage;
    private final ServerLog log;
    private final List<BlockImpl> held = new ArrayList<>();
    private WalRecord record;

    /**
     * @param pool    the shared buffers; may be null when no record to replay references a block
     * @param storage the relation files; may be null (then every fork is taken to exist, and blocks are
     *                never extended)
     * @param log     for the DEBUG1 notes about missing pages
     */
    BufferRedoContext(BufferPool pool, StorageManager storage, ServerLog log) {
        this.pool = pool;
        this.storage = storage;
        this.log = log;
    }

    /** The record the next {@link #readBlock} calls are for. */
    void begin(WalRecord rec) {
        this.record = rec;
    }

    /** After the redo routine: releases whatever it did not finish or release. */
    void end() {
        for (int i = held.size() - 1; i >= 0; i--) {
            BlockImpl b = held.get(i);
            if (!b.released) {
                b.released = true;
                pool.unlockAndUnpin(b.buffer);
            }
        }
        held.clear();
        record = null;
    }

    @Override
    public WalRecord record() {
        return record;
    }

    @Override
    public boolean crashRecovery() {
        return true;
    }

    @Override
    public Block readBlock(int blockIndex) {
        BlockReference ref = record.block(blockIndex);
        if (pool == null) {
            throw new PgException(SqlState.INTERNAL_ERROR, "cannot replay WAL record at "
                    + modgres.api.wal.Lsn.format(record.lsn()) + ": no buffer pool is active");
        }
        RelFileNode rel = ref.rel();
        ForkNumber fork = ref.fork();
        int blk = ref.block();
        boolean image = ref.hasImage();
        boolean init = ref.willInit();
        boolean overwrite = image || init;
        int buffer = -1;
        if (storage != null) {
            if (!storage.exists(rel, fork)) {
                if (!overwrite) {
                    return notFound(rel, fork, blk);
                }
                storage.create(rel, fork, true);
            }
            if (Integer.compareUnsigned(blk, storage.nblocks(rel, fork)) >= 0) {
                if (!overwrite) {
                    return notFound(rel, fork, blk);
                }
                buffer = extendTo(rel, fork, blk);
            }
        }
        if (buffer < 0) {
            buffer = pool.pin(BufferTag.of(rel, fork, blk), overwrite ? ReadMode.ZERO_ON_MISS : ReadMode.NORMAL,
                    null);
        }
        try {
            pool.lockContent(buffer, true);
        } catch (RuntimeException e) {
            pool.unpin(buffer);
            throw e;
        }
        ByteBuffer page = pool.page(buffer);
        Action action;
        if (image) {
            page.put(0, ref.image(), 0, BufferPool.BLOCK_SIZE);
            action = Action.RESTORED;
        } else if (init) {
            page.put(0, ZEROS, 0, BufferPool.BLOCK_SIZE);
            action = Action.NEEDS_REDO;
        } else if (Long.compareUnsigned(BufferPool.getPageLsn(page), record.endLsn()) >= 0) {
            action = Action.DONE;
        } else {
            action = Action.NEEDS_REDO;
        }
        BlockImpl b = new BlockImpl(action, buffer, page);
        held.add(b);
        return b;
    }

    /** Adds blocks to the fork until {@code blk} exists; returns it pinned (the others are unpinned). */
    private int extendTo(RelFileNode rel, ForkNumber fork, int blk) {
        while (true) {
            int b = pool.extend(rel, fork, null);
            int got = pool.blockNumber(b);
            if (got == blk) {
                return b;
            }
            pool.unpin(b);
            if (Integer.compareUnsigned(got, blk) > 0) {
                throw new PgException(SqlState.INTERNAL_ERROR, "could not extend relation " + rel + " to block "
                        + Integer.toUnsignedString(blk) + ": it already has block " + Integer.toUnsignedString(got));
            }
        }
    }

    private Block notFound(RelFileNode rel, ForkNumber fork, int blk) {
        if (log != null) {
            String path = storage != null ? storage.relpath(rel, fork) : rel + " " + fork.forkName();
            log.debug(1, "page " + Integer.toUnsignedString(blk) + " of relation " + path + " does not exist");
        }
        return new BlockImpl(Action.NOT_FOUND, -1, null);
    }

    @Override
    public void finish(Block block) {
        BlockImpl b = own(block);
        if (b == null) {
            return;
        }
        b.released = true;
        ByteBuffer page = pool.page(b.buffer);
        if (!Page.isNew(page)) {
            BufferPool.setPageLsn(page, record.endLsn());
        }
        pool.markDirty(b.buffer);
        pool.unlockAndUnpin(b.buffer);
    }

    @Override
    public void release(Block block) {
        BlockImpl b = own(block);
        if (b == null) {
            return;
        }
        b.released = true;
        pool.unlockAndUnpin(b.buffer);
    }

    /** The context's own block, or null when there is nothing to release (NOT_FOUND). */
    private BlockImpl own(Block block) {
        if (!(block instanceof BlockImpl b) || b.action == Action.NOT_FOUND) {
            return null;
        }
        if (b.released) {
            throw new IllegalStateException("block of buffer " + b.buffer + " released twice");
        }
        return b;
    }

    private static final class BlockImpl implements Block {
        final Action action;
        final int buffer;
        final ByteBuffer page;
        boolean released;

        BlockImpl(Action action, int buffer, ByteBuffer page) {
            this.action = action;
            this.buffer = buffer;
            this.page = page;
        }

        @Override
        public Action action() {
            return action;
        }

        @Override
        public int buffer() {
            return buffer;
        }

        @Override
        public ByteBuffer page() {
            return page;
        }
    }
}
