package modgres.storage.heap;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import modgres.api.access.Tid;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.page.FreeSpaceMap;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.ItemId;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;
import modgres.api.wal.BlockReference;
import modgres.api.wal.RedoContext;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;

/*
 * Design notes: redo of the HEAP, HEAP2 and SMGR records (PostgreSQL's
 * heap_redo, heap2_redo, smgr_redo), called by the startup process one record
 * at a time, in one thread.
 *
 * Per block the context says what to do:
 *   NEEDS_REDO  apply the change with the same HeapPage function the original
 *               change used (so the bytes come out the same), then finish
 *               (page LSN := record end, dirty, release)
 *   RESTORED    the full-page image already holds the change: finish
 *   DONE        the page is newer than the record: release
 *   NOT_FOUND   the relation or block is gone later in the log: skip
 * Every record is therefore idempotent per block. Tuples replayed get
 * xmin = the record's xid and t_cid = FirstCommandId (0), as in PostgreSQL;
 * hints are not replayed (they are recomputed by readers).
 *
 * Like PostgreSQL, redo of inserts and updates records a page's free space
 * in the free space map when it falls below a fifth of a page, and pruning
 * and vacuum records always do: the map is not WAL-logged, so this keeps it
 * roughly right after recovery.
 */
@Component(name = "modgres.storage.heap.redo", service = RedoHandler.class)
public final class HeapRedoComponent implements RedoHandler {
    private static final byte[] RMGRS = {ResourceManager.SMGR, ResourceManager.HEAP2, ResourceManager.HEAP};
    private static final int LOW_FREE_SPACE = BufferPool.BLOCK_SIZE / 5;

    private final BufferPool pool;
    private final StorageManager smgr;
    private final FreeSpaceMap fsm;

    @Activate
    public HeapRedoComponent(@Reference(name = "BufferPool") BufferPool pool,
            @Reference(name = "StorageManager") StorageManager smgr,
            @Reference(name = "FreeSpaceMap") FreeSpaceMap fsm) {
        this.pool = pool;
        this.smgr = smgr;
        this.fsm = fsm;
    }

    @Override
    public byte[] resourceManagers() {
        return RMGRS.clone();
    }

    @Override
    public String describe(WalRecord record) {
        return HeapWal.describe(record);
    }

    @Override
    public void redo(WalRecord record, RedoContext ctx) {
        int info = record.info() & 0xFF;
        switch (record.rmgr()) {
            case ResourceManager.HEAP:
                switch (info & HeapWal.XLOG_HEAP_OPMASK) {
                    case HeapWal.XLOG_HEAP_INSERT:
                        redoInsert(record, ctx, info);
                        return;
                    case HeapWal.XLOG_HEAP_DELETE:
                        redoDelete(record, ctx);
                        return;
                    case HeapWal.XLOG_HEAP_UPDATE:
                    case HeapWal.XLOG_HEAP_HOT_UPDATE:
                        redoUpdate(record, ctx, info);
                        return;
                    case HeapWal.XLOG_HEAP_LOCK:
                        redoLock(record, ctx);
                        return;
                    case HeapWal.XLOG_HEAP_INPLACE:
                        redoInplace(record, ctx);
                        return;
                    default:
                        throw unknown(record);
                }
            case ResourceManager.HEAP2:
                switch (info & HeapWal.XLOG_HEAP_OPMASK) {
                    case HeapWal.XLOG_HEAP2_PRUNE:
                        redoPrune(record, ctx);
                        return;
                    case HeapWal.XLOG_HEAP2_VACUUM:
                        redoVacuum(record, ctx);
                        return;
                    case HeapWal.XLOG_HEAP2_FREEZE_PAGE:
                        redoFreeze(record, ctx);
                        return;
                    case HeapWal.XLOG_HEAP2_MULTI_INSERT:
                        redoMultiInsert(record, ctx, info);
                        return;
                    default:
                        throw unknown(record);
                }
            case ResourceManager.SMGR:
                redoSmgr(record, info);
                return;
            default:
                throw unknown(record);
        }
    }

    private static PgException unknown(WalRecord r) {
        return new PgException(SqlState.INTERNAL_ERROR, ResourceManager.name(r.rmgr()) + "_redo: unknown op code "
                + Integer.toHexString(r.info() & 0xFF));
    }

    private static PgException corrupt(WalRecord r, String what) {
        return new PgException(SqlState.DATA_CORRUPTED, ResourceManager.name(r.rmgr()) + "_redo: " + what
                + " (" + HeapWal.describe(r) + ")");
    }

    /** Finishes or releases a block that needed no change; false when the change must be applied. */
    private static boolean settled(RedoContext ctx, RedoContext.Block b) {
        switch (b.action()) {
            case NEEDS_REDO:
                return false;
            case RESTORED:
                ctx.finish(b);
                return true;
            case DONE:
                ctx.release(b);
                return true;
            default:
                return true; // NOT_FOUND
        }
    }

    private static int tuple(WalRecord r, ByteBuffer p, int off) {
        int t = HeapPage.tupleAt(p, off);
        if (t < 0) {
            throw corrupt(r, "invalid lp " + off);
        }
        return t;
    }

    private static byte[] data(WalRecord r, BlockReference ref) {
        if (ref.data() == null) {
            throw corrupt(r, "block " + ref + " has neither image nor data");
        }
        return ref.data();
    }

    // ------------------------------------------------------------------ HEAP

    private void placeNew(WalRecord r, ByteBuffer p, BlockReference ref, boolean init, int off, int xmax) {
        if (init) {
            Page.init(p, 0);
        }
        if (Page.maxOffset(p) + 1 < off) {
            throw corrupt(r, "invalid max offset number");
        }
        byte[] d = data(r, ref);
        if (HeapPage.placeTuple(p, d, 0, d.length, off, ref.block(), r.xid(), xmax, 0) != off) {
            throw corrupt(r, "failed to add tuple");
        }
    }

    private void redoInsert(WalRecord r, RedoContext ctx, int info) {
        ByteBuffer m = r.mainDataBuffer();
        int off = m.getShort(0) & 0xFFFF;
        BlockReference ref = r.block(0);
        RedoContext.Block b = ctx.readBlock(0);
        if (settled(ctx, b)) {
            return;
        }
        placeNew(r, b.page(), ref, (info & (HeapWal.XLOG_HEAP_INIT_PAGE & 0xFF)) != 0, off, 0);
        int free = Page.heapFreeSpace(b.page());
        ctx.finish(b);
        if (free < LOW_FREE_SPACE) {
            fsm.recordFreeSpace(ref.rel(), ref.block(), free);
        }
    }

    /** HEAP2 MULTI_INSERT: the tuples placed at their offsets (1..n on a page the record initialises). */
    private void redoMultiInsert(WalRecord r, RedoContext ctx, int info) {
        ByteBuffer m = r.mainDataBuffer();
        int ntuples = m.getShort(1) & 0xFFFF;
        boolean init = (info & (HeapWal.XLOG_HEAP_INIT_PAGE & 0xFF)) != 0;
        BlockReference ref = r.block(0);
        RedoContext.Block b = ctx.readBlock(0);
        if (settled(ctx, b)) {
            return;
        }
        ByteBuffer p = b.page();
        if (init) {
            Page.init(p, 0);
        }
        byte[] d = data(r, ref);
        int at = 0;
        for (int i = 0; i < ntuples; i++) {
            int off = init ? Page.FIRST_OFFSET + i : m.getShort(3 + i * 2) & 0xFFFF;
            if (at + 2 > d.length) {
                throw corrupt(r, "block data ends before tuple " + (i + 1));
            }
            int wlen = (d[at] & 0xFF) | (d[at + 1] & 0xFF) << 8;
            if (at + 2 + wlen > d.length || wlen < HeapWal.TUPLE_HEADER) {
                throw corrupt(r, "invalid tuple length " + wlen);
            }
            if (Page.maxOffset(p) + 1 < off) {
                throw corrupt(r, "invalid max offset number");
            }
            if (HeapPage.placeTuple(p, d, at + 2, wlen, off, ref.block(), r.xid(), 0, 0) != off) {
                throw corrupt(r, "failed to add tuple");
            }
            at += 2 + wlen;
        }
        if (at != d.length) {
            throw corrupt(r, "total tuple length mismatch");
        }
        int free = Page.heapFreeSpace(p);
        ctx.finish(b);
        if (free < LOW_FREE_SPACE) {
            fsm.recordFreeSpace(ref.rel(), ref.block(), free);
        }
    }

    private void redoDelete(WalRecord r, RedoContext ctx) {
        ByteBuffer m = r.mainDataBuffer();
        int xmax = m.getInt(0);
        int off = m.getShort(4) & 0xFFFF;
        int infobits = m.get(6) & 0xFF;
        RedoContext.Block b = ctx.readBlock(0);
        if (settled(ctx, b)) {
            return;
        }
        ByteBuffer p = b.page();
        int t = tuple(r, p, off);
        HeapPage.delete(p, t, r.block(0).block(), off, xmax, infobits);
        HeapPage.resetCid(p, t);
        ctx.finish(b);
    }

    private void redoUpdate(WalRecord r, RedoContext ctx, int info) {
        ByteBuffer m = r.mainDataBuffer();
        int oldXmax = m.getInt(0);
        int oldOff = m.getShort(4) & 0xFFFF;
        int infobits = m.get(6) & 0xFF;
        int newXmax = m.getInt(8);
        int newOff = m.getShort(12) & 0xFFFF;
        boolean hot = (info & HeapWal.XLOG_HEAP_OPMASK) == HeapWal.XLOG_HEAP_HOT_UPDATE;
        boolean init = (info & (HeapWal.XLOG_HEAP_INIT_PAGE & 0xFF)) != 0;
        BlockReference newRef = r.block(0);
        long newTid = Tid.of(newRef.block(), newOff);
        boolean samePage = r.blockCount() == 1;
        if (!samePage) {
            RedoContext.Block ob = ctx.readBlock(1);
            if (!settled(ctx, ob)) {
                int t = tuple(r, ob.page(), oldOff);
                HeapPage.updateOld(ob.page(), t, oldXmax, infobits, hot, newTid);
                HeapPage.resetCid(ob.page(), t);
                ctx.finish(ob);
            }
        }
        RedoContext.Block nb = ctx.readBlock(0);
        if (settled(ctx, nb)) {
            return;
        }
        ByteBuffer p = nb.page();
        if (samePage) {
            int t = tuple(r, p, oldOff);
            HeapPage.updateOld(p, t, oldXmax, infobits, hot, newTid);
            HeapPage.resetCid(p, t);
        }
        placeNew(r, p, newRef, init && !samePage, newOff, newXmax);
        int free = Page.heapFreeSpace(p);
        ctx.finish(nb);
        if (free < LOW_FREE_SPACE) {
            fsm.recordFreeSpace(newRef.rel(), newRef.block(), free);
        }
    }

    private void redoLock(WalRecord r, RedoContext ctx) {
        ByteBuffer m = r.mainDataBuffer();
        int locker = m.getInt(0);
        int off = m.getShort(4) & 0xFFFF;
        int infobits = m.get(6) & 0xFF;
        RedoContext.Block b = ctx.readBlock(0);
        if (settled(ctx, b)) {
            return;
        }
        ByteBuffer p = b.page();
        int t = tuple(r, p, off);
        HeapPage.lock(p, t, r.block(0).block(), off, locker, infobits);
        HeapPage.resetCid(p, t);
        ctx.finish(b);
    }

    private void redoInplace(WalRecord r, RedoContext ctx) {
        int off = r.mainDataBuffer().getShort(0) & 0xFFFF;
        RedoContext.Block b = ctx.readBlock(0);
        if (settled(ctx, b)) {
            return;
        }
        ByteBuffer p = b.page();
        int t = tuple(r, p, off);
        byte[] image = data(r, r.block(0));
        if (ItemId.length(Page.itemId(p, off)) != HeapTupleHeader.SIZE + image.length) {
            throw corrupt(r, "wrong tuple length");
        }
        p.put(t + HeapTupleHeader.SIZE, image, 0, image.length);
        ctx.finish(b);
    }

    // ------------------------------------------------------------------ HEAP2

    /** Releases a block of a prune/vacuum record, recording its free space (as PostgreSQL does). */
    private void finishRecording(RedoContext ctx, RedoContext.Block b, BlockReference ref, boolean changed) {
        if (b.action() == RedoContext.Action.NOT_FOUND) {
            return;
        }
        int free = Page.heapFreeSpace(b.page());
        if (changed || b.action() == RedoContext.Action.RESTORED) {
            ctx.finish(b);
        } else {
            ctx.release(b);
        }
        fsm.recordFreeSpace(ref.rel(), ref.block(), free);
    }

    private void redoPrune(WalRecord r, RedoContext ctx) {
        ByteBuffer m = r.mainDataBuffer();
        int nredirected = m.getShort(4) & 0xFFFF;
        int ndead = m.getShort(6) & 0xFFFF;
        int nunused = m.getShort(8) & 0xFFFF;
        BlockReference ref = r.block(0);
        RedoContext.Block b = ctx.readBlock(0);
        boolean apply = b.action() == RedoContext.Action.NEEDS_REDO;
        if (apply) {
            HeapPage.pruneExecute(b.page(), data(r, ref), 0, nredirected, ndead, nunused);
        }
        finishRecording(ctx, b, ref, apply);
    }

    private void redoVacuum(WalRecord r, RedoContext ctx) {
        int nunused = r.mainDataBuffer().getShort(0) & 0xFFFF;
        BlockReference ref = r.block(0);
        RedoContext.Block b = ctx.readBlock(0);
        boolean apply = b.action() == RedoContext.Action.NEEDS_REDO;
        if (apply) {
            HeapPage.vacuumExecute(b.page(), data(r, ref), 0, nunused);
        }
        finishRecording(ctx, b, ref, apply);
    }

    private void redoFreeze(WalRecord r, RedoContext ctx) {
        int ntuples = r.mainDataBuffer().getShort(4) & 0xFFFF;
        RedoContext.Block b = ctx.readBlock(0);
        if (settled(ctx, b)) {
            return;
        }
        HeapPage.freezeExecute(b.page(), data(r, r.block(0)), 0, ntuples);
        ctx.finish(b);
    }

    // ------------------------------------------------------------------ SMGR

    private void redoSmgr(WalRecord r, int info) {
        ByteBuffer m = r.mainDataBuffer();
        if (info == HeapWal.XLOG_SMGR_CREATE) {
            smgr.create(HeapWal.rel(m, 0), ForkNumber.of(m.getInt(12)), true);
        } else if (info == HeapWal.XLOG_SMGR_TRUNCATE) {
            int nblocks = m.getInt(0);
            RelFileNode rel = HeapWal.rel(m, 4);
            int flags = m.getInt(16);
            if (!smgr.exists(rel, ForkNumber.MAIN)) {
                smgr.create(rel, ForkNumber.MAIN, true); // as PostgreSQL: the file may be gone, the record not
            }
            if ((flags & HeapWal.SMGR_TRUNCATE_HEAP) != 0) {
                HeapComponent.truncateStorage(pool, smgr, (flags & HeapWal.SMGR_TRUNCATE_FSM) != 0 ? fsm : null,
                        rel, nblocks);
            }
        } else {
            throw unknown(r);
        }
    }
}
