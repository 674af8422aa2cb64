package modgres.api.page;

import java.nio.ByteBuffer;

/**
 * The header of a heap tuple in PostgreSQL 15's layout
 * ({@code HeapTupleHeaderData}, {@code htup_details.h}), read and written in
 * place: {@code t} is the byte position of the tuple in the buffer (for a
 * tuple on a page, {@link Page#itemOffset}).
 *
 * <pre>
 *  0        4        8            12           18            20           22      23
 * +--------+--------+------------+------------+-------------+------------+-------+-----------+-----+------+
 * | t_xmin | t_xmax | t_cid or   | t_ctid     | t_infomask2 | t_infomask | t_hoff| null      | pad | data |
 * |        |        | t_xvac     | blk hi,lo, | natts+flags |            |       | bitmap    |     |      |
 * |        |        |            | offset     |             |            |       | (if any)  |     |      |
 * +--------+--------+------------+------------+-------------+------------+-------+-----------+-----+------+
 *                                                                                 t + t_hoff ^
 * </pre>
 *
 * All fields are little-endian; the ctid's block number is stored as two
 * 16-bit halves, high half first. {@code t_hoff} (a multiple of
 * {@value Page#MAXALIGN}) is where the attribute data starts. In the null
 * bitmap a <em>set</em> bit means the attribute is not null; it is present
 * only when {@link #HEAP_HASNULL} is set.
 *
 * <p>Who sets what: the inserting transaction writes the header with
 * {@link #init}; MVCC code (the transaction bundle's visibility rules) reads
 * xmin/xmax and sets the hint bits ({@link #HEAP_XMIN_COMMITTED} etc.) with
 * {@link #setInfomaskBits}, which is a hint change (shared content lock, then
 * {@code markDirty}). These helpers only encode; they decide nothing about
 * visibility.
 */
public final class HeapTupleHeader {

    /** {@code SizeofHeapTupleHeader}: the fixed part, before the null bitmap. */
    public static final int SIZE = 23;

    /** Byte offsets of the fields within the tuple. */
    public static final int T_XMIN = 0;
    public static final int T_XMAX = 4;
    public static final int T_FIELD3 = 8;
    public static final int T_CTID = 12;
    public static final int T_INFOMASK2 = 18;
    public static final int T_INFOMASK = 20;
    public static final int T_HOFF = 22;
    public static final int T_BITS = 23;

    // t_infomask
    /** Has null attribute(s): the null bitmap is present. */
    public static final int HEAP_HASNULL = 0x0001;
    /** Has variable-width attribute(s). */
    public static final int HEAP_HASVARWIDTH = 0x0002;
    /** Has external stored attribute(s). */
    public static final int HEAP_HASEXTERNAL = 0x0004;
    /** Has an object id field (before PostgreSQL 12; never set now). */
    public static final int HEAP_HASOID_OLD = 0x0008;
    /** xmax is a key-share locker. */
    public static final int HEAP_XMAX_KEYSHR_LOCK = 0x0010;
    /** t_cid is a combo cid. */
    public static final int HEAP_COMBOCID = 0x0020;
    /** xmax is an exclusive locker. */
    public static final int HEAP_XMAX_EXCL_LOCK = 0x0040;
    /** xmax, if valid, is only a locker. */
    public static final int HEAP_XMAX_LOCK_ONLY = 0x0080;
    /** xmax is a shared locker. */
    public static final int HEAP_XMAX_SHR_LOCK = HEAP_XMAX_EXCL_LOCK | HEAP_XMAX_KEYSHR_LOCK;
    public static final int HEAP_LOCK_MASK = HEAP_XMAX_SHR_LOCK | HEAP_XMAX_EXCL_LOCK | HEAP_XMAX_KEYSHR_LOCK;
    /** Hint: t_xmin committed. */
    public static final int HEAP_XMIN_COMMITTED = 0x0100;
    /** Hint: t_xmin invalid/aborted. */
    public static final int HEAP_XMIN_INVALID = 0x0200;
    /** Both xmin hints: the tuple is frozen. */
    public static final int HEAP_XMIN_FROZEN = HEAP_XMIN_COMMITTED | HEAP_XMIN_INVALID;
    /** Hint: t_xmax committed. */
    public static final int HEAP_XMAX_COMMITTED = 0x0400;
    /** Hint: t_xmax invalid/aborted (also set on insert: no xmax). */
    public static final int HEAP_XMAX_INVALID = 0x0800;
    /** t_xmax is a MultiXactId. */
    public static final int HEAP_XMAX_IS_MULTI = 0x1000;
    /** This is an updated version of a row. */
    public static final int HEAP_UPDATED = 0x2000;
    /** Moved to another place by pre-9.0 VACUUM FULL. */
    public static final int HEAP_MOVED_OFF = 0x4000;
    /** Moved from another place by pre-9.0 VACUUM FULL. */
    public static final int HEAP_MOVED_IN = 0x8000;
    public static final int HEAP_MOVED = HEAP_MOVED_OFF | HEAP_MOVED_IN;
    /** The visibility-related bits of t_infomask. */
    public static final int HEAP_XACT_MASK = 0xFFF0;

    // t_infomask2
    /** The number of attributes, in the low 11 bits of t_infomask2. */
    public static final int HEAP_NATTS_MASK = 0x07FF;
    /** The tuple was updated and key columns changed, or it was deleted. */
    public static final int HEAP_KEYS_UPDATED = 0x2000;
    /** The tuple was HOT-updated. */
    public static final int HEAP_HOT_UPDATED = 0x4000;
    /** A heap-only tuple (the new version of a HOT update). */
    public static final int HEAP_ONLY_TUPLE = 0x8000;
    /** The visibility-related bits of t_infomask2. */
    public static final int HEAP2_XACT_MASK = 0xE000;

    /** {@code MaxHeapTupleSize}: the largest tuple that fits on an empty heap page. */
    public static final int MAX_TUPLE_SIZE = Page.SIZE - Page.maxAlign(Page.HEADER_SIZE + ItemId.SIZE);
    /** {@code MaxHeapTuplesPerPage}: the most line pointers a heap page may have. */
    public static final int MAX_TUPLES_PER_PAGE = (Page.SIZE - Page.HEADER_SIZE)
            / (Page.maxAlign(SIZE) + ItemId.SIZE);
    /** {@code MaxHeapAttributeNumber}. */
    public static final int MAX_ATTRIBUTES = 1600;

    private HeapTupleHeader() {
    }

    /**
     * {@code t_hoff} for a tuple of {@code natts} attributes: the header plus the
     * null bitmap if there is one, rounded up to {@value Page#MAXALIGN}.
     */
    public static int headerSize(int natts, boolean hasNulls) {
        return Page.maxAlign(SIZE + (hasNulls ? bitmapLength(natts) : 0));
    }

    /** {@code BITMAPLEN}: bytes of null bitmap for {@code natts} attributes. */
    public static int bitmapLength(int natts) {
        return (natts + 7) / 8;
    }

    /**
     * Writes the header of a freshly inserted tuple, as PostgreSQL's insert
     * does: xmin and cmin set, no xmax ({@link #HEAP_XMAX_INVALID}), ctid
     * pointing to itself ({@code block}, {@code offnum}), natts, and a null
     * bitmap saying "not null" for every attribute when {@code hasNulls} (clear
     * bits with {@link #setNull}). {@code extraInfomask} adds the data bits
     * ({@link #HEAP_HASVARWIDTH}, {@link #HEAP_HASEXTERNAL}). Zeroes the
     * padding up to {@code t_hoff} and returns {@code t_hoff}.
     */
    public static int init(ByteBuffer b, int t, int natts, boolean hasNulls, int xmin, int cid, int block,
            int offnum, int extraInfomask) {
        if (natts < 0 || natts > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("natts " + natts);
        }
        int hoff = headerSize(natts, hasNulls);
        Page.zero(b, t, hoff);
        Le.i32(b, t + T_XMIN, xmin);
        Le.i32(b, t + T_XMAX, 0);
        Le.i32(b, t + T_FIELD3, cid);
        setCtid(b, t, block, offnum);
        Le.u16(b, t + T_INFOMASK2, natts);
        Le.u16(b, t + T_INFOMASK, (extraInfomask & ~(HEAP_XACT_MASK | HEAP_HASNULL)) | HEAP_XMAX_INVALID
                | (hasNulls ? HEAP_HASNULL : 0));
        Le.u8(b, t + T_HOFF, hoff);
        if (hasNulls) {
            int full = natts / 8;
            for (int i = 0; i < full; i++) {
                Le.u8(b, t + T_BITS + i, 0xFF);
            }
            if ((natts & 7) != 0) {
                Le.u8(b, t + T_BITS + full, (1 << (natts & 7)) - 1);
            }
        }
        return hoff;
    }

    /** {@code t_xmin}: the inserting transaction. */
    public static int xmin(ByteBuffer b, int t) {
        return Le.i32(b, t + T_XMIN);
    }

    public static void setXmin(ByteBuffer b, int t, int xid) {
        Le.i32(b, t + T_XMIN, xid);
    }

    /** {@code t_xmax}: the deleting or locking transaction (or MultiXactId), 0 if none. */
    public static int xmax(ByteBuffer b, int t) {
        return Le.i32(b, t + T_XMAX);
    }

    public static void setXmax(ByteBuffer b, int t, int xid) {
        Le.i32(b, t + T_XMAX, xid);
    }

    /** {@code t_cid}: the command id (or combo cid); shares its field with {@link #xvac}. */
    public static int cid(ByteBuffer b, int t) {
        return Le.i32(b, t + T_FIELD3);
    }

    public static void setCid(ByteBuffer b, int t, int cid) {
        Le.i32(b, t + T_FIELD3, cid);
    }

    /** {@code t_xvac}: the old VACUUM FULL's xid, meaningful only with {@link #HEAP_MOVED}. */
    public static int xvac(ByteBuffer b, int t) {
        return Le.i32(b, t + T_FIELD3);
    }

    public static void setXvac(ByteBuffer b, int t, int xid) {
        Le.i32(b, t + T_FIELD3, xid);
    }

    /** The block number of {@code t_ctid} (unsigned, in an int). */
    public static int ctidBlock(ByteBuffer b, int t) {
        return Le.u16(b, t + T_CTID) << 16 | Le.u16(b, t + T_CTID + 2);
    }

    /** The offset number of {@code t_ctid}. */
    public static int ctidOffset(ByteBuffer b, int t) {
        return Le.u16(b, t + T_CTID + 4);
    }

    /** Sets {@code t_ctid}: this tuple itself, or its newer version after an update. */
    public static void setCtid(ByteBuffer b, int t, int block, int offnum) {
        Le.u16(b, t + T_CTID, block >>> 16);
        Le.u16(b, t + T_CTID + 2, block & 0xFFFF);
        Le.u16(b, t + T_CTID + 4, offnum);
    }

    /** {@code t_infomask2}: the number of attributes and the HOT/key flags. */
    public static int infomask2(ByteBuffer b, int t) {
        return Le.u16(b, t + T_INFOMASK2);
    }

    public static void setInfomask2(ByteBuffer b, int t, int infomask2) {
        Le.u16(b, t + T_INFOMASK2, infomask2);
    }

    /** {@code HeapTupleHeaderGetNatts}. */
    public static int natts(ByteBuffer b, int t) {
        return infomask2(b, t) & HEAP_NATTS_MASK;
    }

    public static void setNatts(ByteBuffer b, int t, int natts) {
        setInfomask2(b, t, infomask2(b, t) & ~HEAP_NATTS_MASK | natts & HEAP_NATTS_MASK);
    }

    /** {@code t_infomask}. */
    public static int infomask(ByteBuffer b, int t) {
        return Le.u16(b, t + T_INFOMASK);
    }

    public static void setInfomask(ByteBuffer b, int t, int infomask) {
        Le.u16(b, t + T_INFOMASK, infomask);
    }

    /** Sets bits in {@code t_infomask} (e.g. a hint such as {@link #HEAP_XMIN_COMMITTED}). */
    public static void setInfomaskBits(ByteBuffer b, int t, int bits) {
        setInfomask(b, t, infomask(b, t) | bits);
    }

    /** Clears bits in {@code t_infomask}. */
    public static void clearInfomaskBits(ByteBuffer b, int t, int bits) {
        setInfomask(b, t, infomask(b, t) & ~bits);
    }

    /** Sets bits in {@code t_infomask2} (e.g. {@link #HEAP_HOT_UPDATED}). */
    public static void setInfomask2Bits(ByteBuffer b, int t, int bits) {
        setInfomask2(b, t, infomask2(b, t) | bits);
    }

    /** Clears bits in {@code t_infomask2}. */
    public static void clearInfomask2Bits(ByteBuffer b, int t, int bits) {
        setInfomask2(b, t, infomask2(b, t) & ~bits);
    }

    /** {@code t_hoff}: where the data starts, relative to {@code t}. */
    public static int hoff(ByteBuffer b, int t) {
        return Le.u8(b, t + T_HOFF);
    }

    public static void setHoff(ByteBuffer b, int t, int hoff) {
        Le.u8(b, t + T_HOFF, hoff);
    }

    public static boolean hasNulls(ByteBuffer b, int t) {
        return (infomask(b, t) & HEAP_HASNULL) != 0;
    }

    /** True when attribute {@code attnum} (0-based) is null: the tuple has a bitmap and its bit is clear. */
    public static boolean isNull(ByteBuffer b, int t, int attnum) {
        return hasNulls(b, t) && (Le.u8(b, t + T_BITS + (attnum >> 3)) & 1 << (attnum & 7)) == 0;
    }

    /** Marks attribute {@code attnum} (0-based) null or not in the bitmap; the tuple must have one. */
    public static void setNull(ByteBuffer b, int t, int attnum, boolean isNull) {
        if (!hasNulls(b, t)) {
            throw new IllegalStateException("tuple has no null bitmap");
        }
        int i = t + T_BITS + (attnum >> 3);
        int bit = 1 << (attnum & 7);
        int v = Le.u8(b, i);
        Le.u8(b, i, isNull ? v & ~bit : v | bit);
    }

    /** {@code HeapTupleHeaderXminFrozen}. */
    public static boolean xminFrozen(ByteBuffer b, int t) {
        return (infomask(b, t) & HEAP_XMIN_FROZEN) == HEAP_XMIN_FROZEN;
    }

    /** {@code HeapTupleHeaderXminCommitted}. */
    public static boolean xminCommitted(ByteBuffer b, int t) {
        return (infomask(b, t) & HEAP_XMIN_COMMITTED) != 0;
    }

    /** {@code HeapTupleHeaderXminInvalid}: aborted, and not frozen. */
    public static boolean xminInvalid(ByteBuffer b, int t) {
        return (infomask(b, t) & HEAP_XMIN_FROZEN) == HEAP_XMIN_INVALID;
    }

    /** {@code HEAP_XMAX_IS_LOCKED_ONLY}: xmax, if any, only locks the tuple. */
    public static boolean xmaxIsLockedOnly(ByteBuffer b, int t) {
        int m = infomask(b, t);
        return (m & HEAP_XMAX_LOCK_ONLY) != 0 || (m & (HEAP_XMAX_IS_MULTI | HEAP_LOCK_MASK)) == HEAP_XMAX_EXCL_LOCK;
    }

    public static boolean isHotUpdated(ByteBuffer b, int t) {
        return (infomask2(b, t) & HEAP_HOT_UPDATED) != 0;
    }

    public static boolean isHeapOnly(ByteBuffer b, int t) {
        return (infomask2(b, t) & HEAP_ONLY_TUPLE) != 0;
    }
}
