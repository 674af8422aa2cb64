package modgres.storage.heap;

import static modgres.api.page.HeapTupleHeader.HEAP_COMBOCID;
import static modgres.api.page.HeapTupleHeader.HEAP_HOT_UPDATED;
import static modgres.api.page.HeapTupleHeader.HEAP_KEYS_UPDATED;
import static modgres.api.page.HeapTupleHeader.HEAP_LOCK_MASK;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_COMMITTED;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_EXCL_LOCK;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_INVALID;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_IS_MULTI;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_KEYSHR_LOCK;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_LOCK_ONLY;

import java.nio.ByteBuffer;

import modgres.api.access.HeapTuple;
import modgres.api.access.Tid;
import modgres.api.access.TupleData;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.ItemId;
import modgres.api.page.Page;

/*
 * Design notes: every change the heap makes to a page, as static functions
 * that both the change path (HeapComponent, under the exclusive content lock)
 * and redo (HeapRedoComponent) call. Using the same code on both sides is what
 * makes replay produce the same bytes as the original change, apart from the
 * fields PostgreSQL does not log either: t_cid (redo writes FirstCommandId 0
 * and clears HEAP_COMBOCID), hint bits, pd_prune_xid and the pd_flags hints.
 *
 * No function here takes a lock, logs or decides visibility; the caller holds
 * the content lock the BufferPool protocol requires.
 */
final class HeapPage {

    /** The t_infomask bits that describe xmax (cleared before a new xmax is set). */
    static final int HEAP_XMAX_BITS = HEAP_XMAX_COMMITTED | HEAP_XMAX_INVALID | HEAP_XMAX_IS_MULTI | HEAP_LOCK_MASK
            | HEAP_XMAX_LOCK_ONLY;

    private HeapPage() {
    }

    // ------------------------------------------------------------------ tuples

    /**
     * The tuple's WAL form ({@code xl_heap_header} + the bytes from offset 23):
     * t_infomask2 (2), t_infomask (2), t_hoff (1), null bitmap, padding to
     * t_hoff, data. The same array is what the change path copies onto the page.
     */
    static byte[] walTuple(TupleData d, int infomask) {
        if (d.natts() < 0 || d.natts() > HeapTupleHeader.MAX_ATTRIBUTES) {
            throw new PgException("54011", "tables can have at most " + HeapTupleHeader.MAX_ATTRIBUTES + " columns");
        }
        boolean nulls = d.nullBitmap() != null;
        int hoff = HeapTupleHeader.headerSize(d.natts(), nulls);
        byte[] data = d.data() == null ? new byte[0] : d.data();
        byte[] w = new byte[HeapWal.TUPLE_HEADER + hoff - HeapTupleHeader.SIZE + data.length];
        int mask = infomask | HEAP_XMAX_INVALID | (nulls ? HeapTupleHeader.HEAP_HASNULL : 0)
                | (d.hasVarWidth() ? HeapTupleHeader.HEAP_HASVARWIDTH : 0);
        ByteBuffer b = HeapWal.le(w);
        b.putShort(0, (short) (d.natts() & HeapTupleHeader.HEAP_NATTS_MASK));
        b.putShort(2, (short) mask);
        b.put(4, (byte) hoff);
        if (nulls) {
            int n = HeapTupleHeader.bitmapLength(d.natts());
            System.arraycopy(d.nullBitmap(), 0, w, HeapWal.TUPLE_HEADER, Math.min(n, d.nullBitmap().length));
        }
        System.arraycopy(data, 0, w, HeapWal.TUPLE_HEADER + hoff - HeapTupleHeader.SIZE, data.length);
        return w;
    }

    /** The length of the tuple ({@code t_len}) whose WAL form is {@code w} ({@code wlen} bytes of it). */
    static int tupleLength(int wlen) {
        return wlen - HeapWal.TUPLE_HEADER + HeapTupleHeader.SIZE;
    }

    /**
     * Places a tuple in its WAL form on the page at line pointer {@code offnum}
     * (0: the first free one) and fills in the header; returns the offset number
     * or {@link Page#INVALID_OFFSET} when it does not fit.
     */
    static int placeTuple(ByteBuffer page, byte[] w, int from, int wlen, int offnum, int block, int xmin, int xmax,
            int cid) {
        int len = tupleLength(wlen);
        int flags = Page.IS_HEAP;
        if (offnum != Page.INVALID_OFFSET && offnum <= Page.maxOffset(page)) {
            flags |= Page.OVERWRITE;
        }
        int off = Page.reserveItem(page, len, offnum, flags);
        if (off == Page.INVALID_OFFSET) {
            return off;
        }
        int t = Page.itemOffset(page, off);
        ByteBuffer src = HeapWal.le(w);
        HeapTupleHeader.setXmin(page, t, xmin);
        HeapTupleHeader.setXmax(page, t, xmax);
        HeapTupleHeader.setCid(page, t, cid);
        HeapTupleHeader.setCtid(page, t, block, off);
        HeapTupleHeader.setInfomask2(page, t, src.getShort(from) & 0xFFFF);
        HeapTupleHeader.setInfomask(page, t, src.getShort(from + 2) & 0xFFFF);
        HeapTupleHeader.setHoff(page, t, w[from + 4] & 0xFF);
        page.put(t + HeapTupleHeader.SIZE, w, from + HeapWal.TUPLE_HEADER, wlen - HeapWal.TUPLE_HEADER);
        return off;
    }

    /** The byte position of the tuple at {@code offnum}, or -1 when that slot holds no normal tuple. */
    static int tupleAt(ByteBuffer page, int offnum) {
        if (Page.isNew(page) || offnum < Page.FIRST_OFFSET || offnum > Page.maxOffset(page)) {
            return -1;
        }
        int id = Page.itemId(page, offnum);
        if (ItemId.flags(id) != ItemId.NORMAL || ItemId.length(id) < HeapTupleHeader.SIZE) {
            return -1;
        }
        return ItemId.offset(id);
    }

    /** True when the page has no line pointer in use (never initialised, or everything removed). */
    static boolean isEmpty(ByteBuffer page) {
        if (Page.isNew(page)) {
            return true;
        }
        int n = Page.maxOffset(page);
        for (int o = Page.FIRST_OFFSET; o <= n; o++) {
            if (ItemId.isUsed(Page.itemId(page, o))) {
                return false;
            }
        }
        return true;
    }

    /** A copy of the tuple at {@code offnum} (which must hold one, see {@link #tupleAt}). */
    static HeapTuple copy(ByteBuffer page, int block, int offnum, int t) {
        int len = Page.itemLength(page, offnum);
        int infomask = HeapTupleHeader.infomask(page, t);
        int infomask2 = HeapTupleHeader.infomask2(page, t);
        int natts = infomask2 & HeapTupleHeader.HEAP_NATTS_MASK;
        int hoff = HeapTupleHeader.hoff(page, t);
        byte[] bitmap = null;
        if ((infomask & HeapTupleHeader.HEAP_HASNULL) != 0) {
            bitmap = new byte[HeapTupleHeader.bitmapLength(natts)];
            page.get(t + HeapTupleHeader.T_BITS, bitmap, 0, bitmap.length);
        }
        byte[] data = new byte[Math.max(0, len - hoff)];
        page.get(t + hoff, data, 0, data.length);
        long ctid = Tid.of(HeapTupleHeader.ctidBlock(page, t), HeapTupleHeader.ctidOffset(page, t));
        return new HeapTuple(Tid.of(block, offnum), HeapTupleHeader.xmin(page, t), HeapTupleHeader.xmax(page, t),
                HeapTupleHeader.cid(page, t), ctid, infomask, infomask2,
                new TupleData(natts, bitmap, data, (infomask & HeapTupleHeader.HEAP_HASVARWIDTH) != 0));
    }

    // ------------------------------------------------------------------ xmax changes

    /** PostgreSQL's {@code compute_infobits}: how xmax is set, in WAL form. */
    static int infobits(int infomask, int infomask2) {
        return ((infomask & HEAP_XMAX_IS_MULTI) != 0 ? HeapWal.XLHL_XMAX_IS_MULTI : 0)
                | ((infomask & HEAP_XMAX_LOCK_ONLY) != 0 ? HeapWal.XLHL_XMAX_LOCK_ONLY : 0)
                | ((infomask & HEAP_XMAX_EXCL_LOCK) != 0 ? HeapWal.XLHL_XMAX_EXCL_LOCK : 0)
                // SHR_LOCK is EXCL_LOCK | KEYSHR_LOCK, so it needs no bit of its own
                | ((infomask & HEAP_XMAX_KEYSHR_LOCK) != 0 ? HeapWal.XLHL_XMAX_KEYSHR_LOCK : 0)
                | ((infomask2 & HEAP_KEYS_UPDATED) != 0 ? HeapWal.XLHL_KEYS_UPDATED : 0);
    }

    /**
     * Sets xmax with the bits {@code infobits} describes (PostgreSQL's
     * {@code fix_infomask_from_infobits} after clearing the old xmax bits).
     */
    static void setXmax(ByteBuffer page, int t, int xmax, int infobits) {
        int m = infomaskOf(HeapTupleHeader.infomask(page, t) & ~HEAP_XMAX_BITS, infobits);
        int m2 = HeapTupleHeader.infomask2(page, t) & ~HEAP_KEYS_UPDATED;
        if ((infobits & HeapWal.XLHL_KEYS_UPDATED) != 0) {
            m2 |= HEAP_KEYS_UPDATED;
        }
        HeapTupleHeader.setInfomask(page, t, m);
        HeapTupleHeader.setInfomask2(page, t, m2);
        HeapTupleHeader.setXmax(page, t, xmax);
    }

    /** {@code m} (xmax bits cleared) with the t_infomask bits {@code infobits} stands for. */
    static int infomaskOf(int m, int infobits) {
        if ((infobits & HeapWal.XLHL_XMAX_IS_MULTI) != 0) {
            m |= HEAP_XMAX_IS_MULTI;
        }
        if ((infobits & HeapWal.XLHL_XMAX_LOCK_ONLY) != 0) {
            m |= HEAP_XMAX_LOCK_ONLY;
        }
        if ((infobits & HeapWal.XLHL_XMAX_EXCL_LOCK) != 0) {
            m |= HEAP_XMAX_EXCL_LOCK;
        }
        if ((infobits & HeapWal.XLHL_XMAX_KEYSHR_LOCK) != 0) {
            m |= HEAP_XMAX_KEYSHR_LOCK;
        }
        return m;
    }

    /**
     * A delete: xmax set, no HOT chain, ctid back to itself, and the page becomes
     * prunable (by xmax; for a multi xmax the caller names the deleting xid, as
     * redo has none to give: pd_prune_xid is a hint).
     */
    static void delete(ByteBuffer page, int t, int block, int offnum, int xmax, int infobits) {
        setXmax(page, t, xmax, infobits);
        HeapTupleHeader.clearInfomask2Bits(page, t, HEAP_HOT_UPDATED);
        HeapTupleHeader.setCtid(page, t, block, offnum);
        if ((infobits & HeapWal.XLHL_XMAX_IS_MULTI) == 0) {
            Page.setPrunable(page, xmax);
        }
    }

    /** The old version of an update: xmax set, ctid to the new version, HOT flag as said; the page becomes prunable. */
    static void updateOld(ByteBuffer page, int t, int xmax, int infobits, boolean hot, long newTid) {
        setXmax(page, t, xmax, infobits);
        if (hot) {
            HeapTupleHeader.setInfomask2Bits(page, t, HEAP_HOT_UPDATED);
        } else {
            HeapTupleHeader.clearInfomask2Bits(page, t, HEAP_HOT_UPDATED);
        }
        HeapTupleHeader.setCtid(page, t, Tid.block(newTid), Tid.offset(newTid));
        if ((infobits & HeapWal.XLHL_XMAX_IS_MULTI) == 0) {
            Page.setPrunable(page, xmax); // a multi: the caller names the updating xid (see delete)
        }
    }

    /** A row lock: xmax is the locker; a lock-only xmax leaves no forward link in ctid. */
    static void lock(ByteBuffer page, int t, int block, int offnum, int locker, int infobits) {
        setXmax(page, t, locker, infobits);
        if ((infobits & HeapWal.XLHL_XMAX_LOCK_ONLY) != 0) {
            HeapTupleHeader.setCtid(page, t, block, offnum);
        }
    }

    /** What redo writes for the command id ({@code HeapTupleHeaderSetCmax(htup, FirstCommandId, false)}). */
    static void resetCid(ByteBuffer page, int t) {
        HeapTupleHeader.setCid(page, t, 0);
        HeapTupleHeader.clearInfomaskBits(page, t, HEAP_COMBOCID);
    }

    // ------------------------------------------------------------------ pruning, vacuum, freezing

    /**
     * {@code heap_page_prune_execute}: redirects ({@code redirected} holds
     * pairs from, to), dead and unused line pointers, then compaction.
     */
    static void pruneExecute(ByteBuffer page, byte[] offsets, int from, int nredirected, int ndead, int nunused) {
        int i = 0;
        for (int k = 0; k < nredirected; k++, i += 2) {
            Page.setRedirect(page, HeapWal.offsetAt(offsets, from, i), HeapWal.offsetAt(offsets, from, i + 1));
        }
        for (int k = 0; k < ndead; k++, i++) {
            Page.setDead(page, HeapWal.offsetAt(offsets, from, i));
        }
        for (int k = 0; k < nunused; k++, i++) {
            Page.setUnused(page, HeapWal.offsetAt(offsets, from, i));
        }
        Page.repairFragmentation(page);
    }

    /** The second heap pass of vacuum: dead line pointers (without storage) become unused. */
    static void vacuumExecute(ByteBuffer page, byte[] offsets, int from, int nunused) {
        for (int k = 0; k < nunused; k++) {
            int off = HeapWal.offsetAt(offsets, from, k);
            if (Page.itemFlags(page, off) != ItemId.DEAD || ItemId.hasStorage(Page.itemId(page, off))) {
                throw new PgException(SqlState.DATA_CORRUPTED,
                        "line pointer " + off + " to be marked unused is not dead without storage");
            }
            Page.setUnused(page, off);
        }
        Page.truncateLinePointerArray(page);
    }

    /** Applies a freeze plan ({@value HeapWal#FREEZE_ENTRY}-byte entries: offset, infomask, infomask2, xmax). */
    static void freezeExecute(ByteBuffer page, byte[] plan, int from, int ntuples) {
        ByteBuffer b = HeapWal.le(plan);
        for (int k = 0; k < ntuples; k++) {
            int at = from + k * HeapWal.FREEZE_ENTRY;
            int off = b.getShort(at) & 0xFFFF;
            int t = tupleAt(page, off);
            if (t < 0) {
                throw new PgException(SqlState.DATA_CORRUPTED, "tuple to freeze at offset " + off + " is missing");
            }
            HeapTupleHeader.setInfomask(page, t, b.getShort(at + 2) & 0xFFFF);
            HeapTupleHeader.setInfomask2(page, t, b.getShort(at + 4) & 0xFFFF);
            HeapTupleHeader.setXmax(page, t, b.getInt(at + 6));
        }
    }
}
