package modgres.storage.nbtree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import modgres.api.access.KeyComparator;
import modgres.api.page.Page;

/*
 * Design notes: the on-page layout of nbtree pages (PostgreSQL's nbtree.h),
 * as static helpers over a ByteBuffer with absolute little-endian access.
 *
 * Page (every page but the metapage):
 *
 *   +-------------+---------------------------+-------------------+----------------+
 *   | header 24 B | line pointers 1..n  ->    |     <- tuples      | BTPageOpaque   |
 *   +-------------+---------------------------+-------------------+----------------+
 *                                                                  8176       8192
 *   BTPageOpaqueData (16 B): btpo_prev u32, btpo_next u32, btpo_level u32,
 *                            btpo_flags u16, btpo_cycleid u16
 *
 *   Offset 1 of a page that is not the rightmost of its level is its high
 *   key (P_HIKEY); the data items start at firstData() = 1 or 2.
 *
 * Index tuple (IndexTupleData + key):
 *
 *   0       2       4        6         8
 *   +-------+-------+--------+---------+------------- key bytes --------+-- heap tid (pivots) --+
 *   | bi_hi | bi_lo | posid  | t_info  |                                 | bi_hi bi_lo posid      |
 *   +-------+-------+--------+---------+---------------------------------+------------------------+
 *   t_info: size (13 bits, the exact tuple length, not MAXALIGNed: keys are
 *           opaque, so the length is the only way to know where a key ends),
 *           0x2000 INDEX_ALT_TID_MASK = pivot tuple.
 *   leaf tuple:  t_tid = heap tid, size = 8 + key length.
 *   pivot tuple: t_tid = (downlink block, posid = nattrs | 0x1000 when the heap
 *                tid follows the key); size = 8 + key length + 6. The "minus
 *                infinity" first item of an internal page has nattrs 0, no key
 *                and size 8.
 *
 * Ordering: (key by the caller's comparator, then heap tid unsigned). A scan
 * key is (probe, tid) where tid MINUS_INF (0) or PLUS_INF (-1L) sorts before
 * or after every real tid; a null probe is -infinity or +infinity as a whole
 * (by its tid sentinel). Invariants: items on a page <= its high key < items
 * of its right sibling; downlink i of a parent covers (key_i, key_i+1].
 *
 * Metapage (block 0): BTMetaPageData at offset 24: magic u32 0x053162,
 * version u32 4, root u32, level u32, fastroot u32, fastlevel u32,
 * last_cleanup_num_delpages u32, (pad), last_cleanup_num_heap_tuples f64 @32,
 * allequalimage bool @40; pd_lower = 72; special flags BTP_META.
 */
final class BtPage {
    static final int SPECIAL_SIZE = 16;
    static final int OPAQUE = Page.SIZE - SPECIAL_SIZE;
    static final int BTPO_PREV = OPAQUE;
    static final int BTPO_NEXT = OPAQUE + 4;
    static final int BTPO_LEVEL = OPAQUE + 8;
    static final int BTPO_FLAGS = OPAQUE + 12;
    static final int BTPO_CYCLEID = OPAQUE + 14;

    static final int BTP_LEAF = 1;
    static final int BTP_ROOT = 1 << 1;
    static final int BTP_DELETED = 1 << 2;
    static final int BTP_META = 1 << 3;
    static final int BTP_HALF_DEAD = 1 << 4;
    static final int BTP_SPLIT_END = 1 << 5;
    static final int BTP_HAS_GARBAGE = 1 << 6;
    static final int BTP_INCOMPLETE_SPLIT = 1 << 7;

    /** No page ({@code P_NONE}): block 0 is the metapage, so never a tree page. */
    static final int P_NONE = 0;
    static final int P_HIKEY = 1;
    static final int META_BLOCK = 0;
    static final int INVALID_BLOCK = -1;

    static final int TUPLE_HEADER = 8;
    static final int TID_SIZE = 6;
    static final int INDEX_SIZE_MASK = 0x1FFF;
    static final int INDEX_ALT_TID_MASK = 0x2000;
    static final int BT_OFFSET_MASK = 0x0FFF;
    static final int BT_PIVOT_HEAP_TID_ATTR = 0x1000;

    /** Scan-key tid sentinels: below and above every real tid (compared unsigned). */
    static final long MINUS_INF = 0L;
    static final long PLUS_INF = -1L;

    static final int BTREE_MAGIC = 0x053162;
    static final int BTREE_VERSION = 4;
    static final int META_DATA = 24;
    static final int META_SIZE = 48;
    /** {@code BTMaxItemSize}: the largest index tuple PostgreSQL accepts. */
    static final int MAX_ITEM_SIZE = 2704;
    /** Room on a page for line pointers and tuples. */
    static final int PAGE_CAPACITY = Page.SIZE - Page.HEADER_SIZE - SPECIAL_SIZE;

    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private BtPage() {
    }

    // ------------------------------------------------------------ raw access

    static int u16(ByteBuffer b, int i) {
        return (short) SHORT.get(b, i) & 0xFFFF;
    }

    static void u16(ByteBuffer b, int i, int v) {
        SHORT.set(b, i, (short) v);
    }

    static int u32(ByteBuffer b, int i) {
        return (int) INT.get(b, i);
    }

    static void u32(ByteBuffer b, int i, int v) {
        INT.set(b, i, v);
    }

    static void u64(ByteBuffer b, int i, long v) {
        LONG.set(b, i, v);
    }

    static void u16(byte[] b, int i, int v) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
    }

    static void u32(byte[] b, int i, int v) {
        u16(b, i, v);
        u16(b, i + 2, v >>> 16);
    }

    static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    static int u32(byte[] b, int i) {
        return u16(b, i) | u16(b, i + 2) << 16;
    }

    // ------------------------------------------------------------ opaque

    static int prev(ByteBuffer p) {
        return u32(p, BTPO_PREV);
    }

    static int next(ByteBuffer p) {
        return u32(p, BTPO_NEXT);
    }

    static int level(ByteBuffer p) {
        return u32(p, BTPO_LEVEL);
    }

    static int flags(ByteBuffer p) {
        return u16(p, BTPO_FLAGS);
    }

    static void setPrev(ByteBuffer p, int blk) {
        u32(p, BTPO_PREV, blk);
    }

    static void setNext(ByteBuffer p, int blk) {
        u32(p, BTPO_NEXT, blk);
    }

    static void setFlags(ByteBuffer p, int flags) {
        u16(p, BTPO_FLAGS, flags);
    }

    static boolean isLeaf(ByteBuffer p) {
        return (flags(p) & BTP_LEAF) != 0;
    }

    static boolean isRoot(ByteBuffer p) {
        return (flags(p) & BTP_ROOT) != 0;
    }

    static boolean isRightmost(ByteBuffer p) {
        return next(p) == P_NONE;
    }

    static boolean isLeftmost(ByteBuffer p) {
        return prev(p) == P_NONE;
    }

    static boolean incompleteSplit(ByteBuffer p) {
        return (flags(p) & BTP_INCOMPLETE_SPLIT) != 0;
    }

    static void clearIncompleteSplit(ByteBuffer p) {
        setFlags(p, flags(p) & ~BTP_INCOMPLETE_SPLIT);
    }

    /** {@code P_FIRSTDATAKEY}: offset of the first data item. */
    static int firstData(ByteBuffer p) {
        return isRightmost(p) ? P_HIKEY : P_HIKEY + 1;
    }

    /** {@code _bt_pageinit} plus the opaque fields. */
    static void init(ByteBuffer p, int flags, int level, int prev, int next) {
        Page.init(p, SPECIAL_SIZE);
        setPrev(p, prev);
        setNext(p, next);
        u32(p, BTPO_LEVEL, level);
        setFlags(p, flags);
        u16(p, BTPO_CYCLEID, 0);
    }

    // ------------------------------------------------------------ tuples

    static int tupleSize(ByteBuffer p, int pos) {
        return u16(p, pos + 6) & INDEX_SIZE_MASK;
    }

    static int tupleSize(byte[] t, int pos) {
        return u16(t, pos + 6) & INDEX_SIZE_MASK;
    }

    private static boolean pivotHasTid(ByteBuffer p, int pos) {
        return (u16(p, pos + 6) & INDEX_ALT_TID_MASK) != 0 && (u16(p, pos + 4) & BT_PIVOT_HEAP_TID_ATTR) != 0;
    }

    static int keyLength(ByteBuffer p, int pos) {
        int info = u16(p, pos + 6);
        int size = info & INDEX_SIZE_MASK;
        if ((info & INDEX_ALT_TID_MASK) != 0 && (u16(p, pos + 4) & BT_PIVOT_HEAP_TID_ATTR) != 0) {
            return size - TUPLE_HEADER - TID_SIZE;
        }
        return size - TUPLE_HEADER;
    }

    static long readTid(ByteBuffer p, int pos) {
        int block = u16(p, pos) << 16 | u16(p, pos + 2);
        return Integer.toUnsignedLong(block) << 32 | u16(p, pos + 4);
    }

    /** The heap tid of a leaf tuple or a pivot that keeps one; {@link #MINUS_INF} for a pivot without. */
    static long heapTid(ByteBuffer p, int pos) {
        int info = u16(p, pos + 6);
        if ((info & INDEX_ALT_TID_MASK) == 0) {
            return readTid(p, pos);
        }
        return pivotHasTid(p, pos) ? readTid(p, pos + (info & INDEX_SIZE_MASK) - TID_SIZE) : MINUS_INF;
    }

    static int downlink(ByteBuffer p, int pos) {
        return u16(p, pos) << 16 | u16(p, pos + 2);
    }

    static void setDownlink(byte[] t, int blk) {
        u16(t, 0, blk >>> 16);
        u16(t, 2, blk);
    }

    private static void putTid(byte[] t, int pos, long tid) {
        int block = (int) (tid >>> 32);
        u16(t, pos, block >>> 16);
        u16(t, pos + 2, block);
        u16(t, pos + 4, (int) tid);
    }

    /** A leaf tuple: heap tid, size, key. */
    static byte[] leafTuple(byte[] key, long tid) {
        byte[] t = new byte[TUPLE_HEADER + key.length];
        putTid(t, 0, tid);
        u16(t, 6, t.length);
        System.arraycopy(key, 0, t, TUPLE_HEADER, key.length);
        return t;
    }

    /** Writes a leaf tuple (heap tid, size, key) at {@code pos}, where {@link Page#reserveItem} made room for it. */
    static void writeLeafTuple(ByteBuffer p, int pos, byte[] key, long tid) {
        int block = (int) (tid >>> 32);
        u16(p, pos, block >>> 16);
        u16(p, pos + 2, block);
        u16(p, pos + 4, (int) tid);
        u16(p, pos + 6, TUPLE_HEADER + key.length);
        p.put(pos + TUPLE_HEADER, key);
    }

    /** The pivot that separates at a leaf tuple: its key and heap tid (a high key; no downlink yet). */
    static byte[] pivotFromLeaf(ByteBuffer p, int pos) {
        int klen = tupleSize(p, pos) - TUPLE_HEADER;
        byte[] t = new byte[TUPLE_HEADER + klen + TID_SIZE];
        setDownlink(t, INVALID_BLOCK);
        u16(t, 4, 1 | BT_PIVOT_HEAP_TID_ATTR);
        u16(t, 6, t.length | INDEX_ALT_TID_MASK);
        p.get(pos + TUPLE_HEADER, t, TUPLE_HEADER, klen);
        p.get(pos, t, TUPLE_HEADER + klen, TID_SIZE);
        return t;
    }

    /** The "minus infinity" first item of an internal page, pointing at {@code child}. */
    static byte[] minusInfinity(int child) {
        byte[] t = new byte[TUPLE_HEADER];
        setDownlink(t, child);
        u16(t, 4, 0);
        u16(t, 6, TUPLE_HEADER | INDEX_ALT_TID_MASK);
        return t;
    }

    static byte[] copyTuple(ByteBuffer p, int pos) {
        byte[] t = new byte[tupleSize(p, pos)];
        p.get(pos, t, 0, t.length);
        return t;
    }

    static byte[] copyKey(ByteBuffer p, int pos) {
        byte[] k = new byte[keyLength(p, pos)];
        p.get(pos + TUPLE_HEADER, k, 0, k.length);
        return k;
    }

    // ------------------------------------------------------------ ordering

    /**
     * Sign of scan key ({@code key}, {@code tid}) minus the tuple at
     * {@code pos}. A null key is -infinity with {@link #MINUS_INF}, +infinity
     * otherwise. The minus-infinity pivot is below everything.
     */
    static int compare(KeyComparator cmp, byte[] key, long tid, ByteBuffer p, int pos) {
        int info = u16(p, pos + 6);
        int size = info & INDEX_SIZE_MASK;
        int keyLen;
        long itemTid;
        if ((info & INDEX_ALT_TID_MASK) != 0) {
            int posid = u16(p, pos + 4);
            if ((posid & BT_OFFSET_MASK) == 0) {
                return 1;
            }
            if ((posid & BT_PIVOT_HEAP_TID_ATTR) != 0) {
                keyLen = size - TUPLE_HEADER - TID_SIZE;
                itemTid = readTid(p, pos + size - TID_SIZE);
            } else {
                keyLen = size - TUPLE_HEADER;
                itemTid = MINUS_INF;
            }
        } else {
            keyLen = size - TUPLE_HEADER;
            itemTid = readTid(p, pos);
        }
        if (key == null) {
            return tid == MINUS_INF ? -1 : 1;
        }
        int c = cmp.compare(key, p, pos + TUPLE_HEADER, keyLen);
        if (c != 0) {
            return c;
        }
        return Long.compareUnsigned(tid, itemTid);
    }

    /** The comparator over the key alone (probe minus the tuple's key). */
    static int compareKey(KeyComparator cmp, byte[] key, ByteBuffer p, int pos) {
        return cmp.compare(key, p, pos + TUPLE_HEADER, keyLength(p, pos));
    }

    /** Leaf: the first data offset whose tuple is >= the scan key; maxOffset + 1 when none is. */
    static int binsearchLeaf(KeyComparator cmp, byte[] key, long tid, ByteBuffer p) {
        int lo = firstData(p);
        int hi = Page.maxOffset(p) + 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(cmp, key, tid, p, Page.itemOffset(p, mid)) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Internal: the offset of the downlink to follow, the last item below the scan key. */
    static int binsearchInternal(KeyComparator cmp, byte[] key, long tid, ByteBuffer p) {
        int first = firstData(p);
        int lo = first + 1;
        int hi = Page.maxOffset(p) + 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(cmp, key, tid, p, Page.itemOffset(p, mid)) > 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }

    // ------------------------------------------------------------ building pages

    /** Adds the tuples of {@code data} (each sized by its t_info) in order from offset 1; false if one does not fit. */
    static boolean restoreItems(ByteBuffer page, byte[] data) {
        int off = Page.maxOffset(page) + 1;
        for (int pos = 0; pos < data.length;) {
            int size = tupleSize(data, pos);
            if (size < TUPLE_HEADER || pos + size > data.length
                    || Page.addItem(page, data, pos, size, off, 0) != off) {
                return false;
            }
            pos += size;
            off++;
        }
        return true;
    }

    /**
     * Builds the left half of a split of {@code orig} into {@code out}
     * ({@code _bt_split}'s left page, and its redo): the new high key, the
     * original data items before {@code firstRightOff}, and the new item at
     * {@code newItemOff} when it stays left. Keeps the original LSN. False
     * when something does not fit.
     */
    static boolean buildLeft(ByteBuffer orig, ByteBuffer out, byte[] hikey, byte[] newItem, int newItemOff,
            int firstRightOff, int rightBlk) {
        long lsn = Page.lsn(orig);
        int flags = (flags(orig) & ~(BTP_ROOT | BTP_SPLIT_END | BTP_HAS_GARBAGE)) | BTP_INCOMPLETE_SPLIT;
        init(out, flags, level(orig), prev(orig), rightBlk);
        Page.setLsn(out, lsn);
        int off = P_HIKEY;
        if (Page.addItem(out, hikey, 0, hikey.length, off++, 0) == Page.INVALID_OFFSET) {
            return false;
        }
        int max = Page.maxOffset(orig);
        for (int o = firstData(orig); o <= max; o++) {
            if (newItem != null && o == newItemOff) {
                if (Page.addItem(out, newItem, 0, newItem.length, off++, 0) == Page.INVALID_OFFSET) {
                    return false;
                }
            }
            if (o >= firstRightOff) {
                break;
            }
            int pos = Page.itemOffset(orig, o);
            if (Page.addItem(out, orig, pos, Page.itemLength(orig, o), off++, 0) == Page.INVALID_OFFSET) {
                return false;
            }
        }
        if (newItem != null && newItemOff > max) {
            return Page.addItem(out, newItem, 0, newItem.length, off, 0) != Page.INVALID_OFFSET;
        }
        return true;
    }

    /**
     * {@code PageIndexMultiDelete}: removes the items at the given ascending
     * offsets, renumbering the rest, and compacts the tuple space.
     */
    static void multiDelete(ByteBuffer p, int[] offsets, int n) {
        int nline = Page.maxOffset(p);
        int k = 0;
        int to = Page.FIRST_OFFSET;
        for (int o = Page.FIRST_OFFSET; o <= nline; o++) {
            if (k < n && offsets[k] == o) {
                k++;
                continue;
            }
            if (to != o) {
                Page.setItemId(p, to, Page.itemId(p, o));
            }
            to++;
        }
        int remaining = to - 1;
        Page.zero(p, Page.itemIdPosition(to), (nline - remaining) * 4);
        Page.setLower(p, Page.HEADER_SIZE + remaining * 4);
        Page.repairFragmentation(p);
    }

    // ------------------------------------------------------------ metapage

    static void initMeta(ByteBuffer p, int root, int level, int fastroot, int fastlevel) {
        init(p, BTP_META, 0, P_NONE, P_NONE);
        u32(p, META_DATA, BTREE_MAGIC);
        u32(p, META_DATA + 4, BTREE_VERSION);
        setMetaRoot(p, root, level, fastroot, fastlevel);
        u32(p, META_DATA + 24, 0);
        u64(p, META_DATA + 32, Double.doubleToRawLongBits(-1.0));
        p.put(META_DATA + 40, (byte) 0);
        Page.setLower(p, META_DATA + META_SIZE);
    }

    static void setMetaRoot(ByteBuffer p, int root, int level, int fastroot, int fastlevel) {
        u32(p, META_DATA + 8, root);
        u32(p, META_DATA + 12, level);
        u32(p, META_DATA + 16, fastroot);
        u32(p, META_DATA + 20, fastlevel);
    }

    static boolean isMeta(ByteBuffer p) {
        return u32(p, META_DATA) == BTREE_MAGIC && (flags(p) & BTP_META) != 0;
    }

    static int metaVersion(ByteBuffer p) {
        return u32(p, META_DATA + 4);
    }

    static int metaRoot(ByteBuffer p) {
        return u32(p, META_DATA + 8);
    }

    static int metaLevel(ByteBuffer p) {
        return u32(p, META_DATA + 12);
    }

    static int metaFastRoot(ByteBuffer p) {
        return u32(p, META_DATA + 16);
    }

    static int metaFastLevel(ByteBuffer p) {
        return u32(p, META_DATA + 20);
    }

    /** {@code xl_btree_metadata} of the metapage (28 bytes with padding, as PostgreSQL registers it). */
    static byte[] metadata(ByteBuffer p) {
        byte[] m = new byte[28];
        u32(m, 0, metaVersion(p));
        u32(m, 4, metaRoot(p));
        u32(m, 8, metaLevel(p));
        u32(m, 12, metaFastRoot(p));
        u32(m, 16, metaFastLevel(p));
        u32(m, 20, u32(p, META_DATA + 24));
        m[24] = p.get(META_DATA + 40);
        return m;
    }

    /** {@code _bt_restore_meta}: rebuilds the metapage from {@code xl_btree_metadata}. */
    static void restoreMeta(ByteBuffer p, byte[] m) {
        initMeta(p, u32(m, 4), u32(m, 8), u32(m, 12), u32(m, 16));
        u32(p, META_DATA + 4, u32(m, 0));
        u32(p, META_DATA + 24, u32(m, 20));
        p.put(META_DATA + 40, m[24]);
    }
}
