package modgres.api.page;

import java.nio.ByteBuffer;
import java.util.Arrays;

import modgres.api.buffer.BufferPool;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;

/**
 * A slotted page in PostgreSQL 15's layout ({@code bufpage.h}), read and
 * written in place in a {@link ByteBuffer} of {@value #SIZE} bytes.
 *
 * <pre>
 * +----------------+------------------------------------------+
 * | header (24 B)  | line pointers 1..n (4 B each) ->          |
 * +----------------+---------------+--------------------------+
 * |         free space            pd_lower ... pd_upper       |
 * +-----------------------------------------+-----------------+
 * |          <- items (MAXALIGNed)          | special space   |
 * +-----------------------------------------+-----------------+
 *                                   pd_upper  pd_special   8192
 *
 * header: pd_lsn (8: xlogid, xrecoff)  pd_checksum (2)  pd_flags (2)
 *         pd_lower (2)  pd_upper (2)  pd_special (2)
 *         pd_pagesize_version (2: 8192 | 4)  pd_prune_xid (4)
 * </pre>
 *
 * Line pointers are numbered from {@value #FIRST_OFFSET} (an "offset number");
 * {@value #INVALID_OFFSET} means none. Items are added from the end of the
 * page towards the front, each at a multiple of {@value #MAXALIGN} bytes.
 *
 * <p>Every method uses absolute little-endian access, leaves the buffer's
 * position, limit and order alone and allocates nothing. None takes a lock:
 * the caller holds the buffer's content lock (exclusive to change the page).
 * A page whose header pointers are inconsistent makes the changing methods
 * throw {@link PgException} {@code XX001} with PostgreSQL's message.
 */
public final class Page {

    /** The page size, PostgreSQL's {@code BLCKSZ}. */
    public static final int SIZE = BufferPool.BLOCK_SIZE;
    /** {@code SizeOfPageHeaderData}: where the line pointer array starts. */
    public static final int HEADER_SIZE = 24;
    /** {@code PG_PAGE_LAYOUT_VERSION}. */
    public static final int LAYOUT_VERSION = 4;
    /** {@code MAXIMUM_ALIGNOF} on 64-bit platforms. */
    public static final int MAXALIGN = 8;

    /** Byte offsets of the header fields. */
    public static final int PD_LSN = 0;
    public static final int PD_CHECKSUM = 8;
    public static final int PD_FLAGS = 10;
    public static final int PD_LOWER = 12;
    public static final int PD_UPPER = 14;
    public static final int PD_SPECIAL = 16;
    public static final int PD_PAGESIZE_VERSION = 18;
    public static final int PD_PRUNE_XID = 20;

    /** pd_flags: there are unused line pointers before pd_lower (a hint). */
    public static final int PD_HAS_FREE_LINES = 0x0001;
    /** pd_flags: not enough free space for a new tuple (a hint). */
    public static final int PD_PAGE_FULL = 0x0002;
    /** pd_flags: every tuple on the page is visible to everyone. */
    public static final int PD_ALL_VISIBLE = 0x0004;
    /** pd_flags: every flag bit that may be set. */
    public static final int PD_VALID_FLAG_BITS = 0x0007;

    /** {@code InvalidOffsetNumber}. */
    public static final int INVALID_OFFSET = 0;
    /** {@code FirstOffsetNumber}. */
    public static final int FIRST_OFFSET = 1;
    /** {@code MaxOffsetNumber}: more line pointers than this cannot fit. */
    public static final int MAX_OFFSET = SIZE / ItemId.SIZE;

    /** {@link #addItem} flag ({@code PAI_OVERWRITE}): reuse the given unused line pointer instead of inserting one. */
    public static final int OVERWRITE = 1;
    /** {@link #addItem} flag ({@code PAI_IS_HEAP}): a heap page, at most {@link HeapTupleHeader#MAX_TUPLES_PER_PAGE} items. */
    public static final int IS_HEAP = 2;

    /** Per thread: which line pointer's item starts at each MAXALIGN slot (compaction scratch). */
    private static final ThreadLocal<short[]> SLOTS = ThreadLocal.withInitial(() -> new short[SIZE / MAXALIGN]);

    private Page() {
    }

    /** {@code MAXALIGN(len)}: rounds up to a multiple of {@value #MAXALIGN}. */
    public static int maxAlign(int len) {
        return len + (MAXALIGN - 1) & ~(MAXALIGN - 1);
    }

    // ---------------------------------------------------------------- header

    /**
     * {@code PageInit}: zeroes the page and sets an empty header with
     * {@code specialSize} bytes (rounded up to {@value #MAXALIGN}) of special
     * space at the end.
     */
    public static void init(ByteBuffer page, int specialSize) {
        int special = maxAlign(specialSize);
        if (special < 0 || special > SIZE - HEADER_SIZE) {
            throw new IllegalArgumentException("special size " + specialSize);
        }
        zero(page, 0, SIZE);
        Le.u16(page, PD_LOWER, HEADER_SIZE);
        Le.u16(page, PD_UPPER, SIZE - special);
        Le.u16(page, PD_SPECIAL, SIZE - special);
        Le.u16(page, PD_PAGESIZE_VERSION, SIZE | LAYOUT_VERSION);
    }

    /** {@code PageIsNew}: never initialised ({@code pd_upper == 0}); such a page must be all zeros. */
    public static boolean isNew(ByteBuffer page) {
        return Le.u16(page, PD_UPPER) == 0;
    }

    /** True when every byte of the page is zero. */
    public static boolean isAllZero(ByteBuffer page) {
        for (int i = 0; i < SIZE; i += 4) {
            if (Le.i32(page, i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code PageIsEmpty}: no line pointers. */
    public static boolean isEmpty(ByteBuffer page) {
        return Le.u16(page, PD_LOWER) <= HEADER_SIZE;
    }

    /**
     * The header checks of PostgreSQL's {@code PageIsVerified}: only valid flag
     * bits, {@code pd_lower <= pd_upper <= pd_special <= 8192} and
     * {@code pd_special} MAXALIGNed.
     */
    public static boolean isHeaderSane(ByteBuffer page) {
        int lower = lower(page);
        int upper = upper(page);
        int special = special(page);
        return (flags(page) & ~PD_VALID_FLAG_BITS) == 0 && lower <= upper && upper <= special && special <= SIZE
                && special == maxAlign(special);
    }

    /** {@code pd_lsn}: the end of the WAL record of the page's last change. */
    public static long lsn(ByteBuffer page) {
        return BufferPool.getPageLsn(page);
    }

    public static void setLsn(ByteBuffer page, long lsn) {
        BufferPool.setPageLsn(page, lsn);
    }

    /** {@code pd_checksum}, unsigned 16 bits (0 when checksums were never set). */
    public static int checksum(ByteBuffer page) {
        return Le.u16(page, PD_CHECKSUM);
    }

    public static void setChecksum(ByteBuffer page, int checksum) {
        Le.u16(page, PD_CHECKSUM, checksum);
    }

    /** {@code pd_flags}. */
    public static int flags(ByteBuffer page) {
        return Le.u16(page, PD_FLAGS);
    }

    public static void setFlags(ByteBuffer page, int flags) {
        Le.u16(page, PD_FLAGS, flags);
    }

    public static boolean hasFreeLinePointers(ByteBuffer page) {
        return (flags(page) & PD_HAS_FREE_LINES) != 0;
    }

    public static boolean isFull(ByteBuffer page) {
        return (flags(page) & PD_PAGE_FULL) != 0;
    }

    public static boolean isAllVisible(ByteBuffer page) {
        return (flags(page) & PD_ALL_VISIBLE) != 0;
    }

    /** Sets ({@code on}) or clears flag bits in {@code pd_flags}. */
    public static void setFlag(ByteBuffer page, int flag, boolean on) {
        int f = flags(page);
        setFlags(page, on ? f | flag : f & ~flag);
    }

    /** {@code pd_lower}: the end of the line pointer array. */
    public static int lower(ByteBuffer page) {
        return Le.u16(page, PD_LOWER);
    }

    public static void setLower(ByteBuffer page, int lower) {
        Le.u16(page, PD_LOWER, lower);
    }

    /** {@code pd_upper}: the start of the items. */
    public static int upper(ByteBuffer page) {
        return Le.u16(page, PD_UPPER);
    }

    public static void setUpper(ByteBuffer page, int upper) {
        Le.u16(page, PD_UPPER, upper);
    }

    /** {@code pd_special}: the start of the special space. */
    public static int special(ByteBuffer page) {
        return Le.u16(page, PD_SPECIAL);
    }

    /** {@code PageGetSpecialSize}. */
    public static int specialSize(ByteBuffer page) {
        return SIZE - special(page);
    }

    /** The page size from {@code pd_pagesize_version} (8192 on a valid page). */
    public static int pageSize(ByteBuffer page) {
        return Le.u16(page, PD_PAGESIZE_VERSION) & 0xFF00;
    }

    /** The layout version from {@code pd_pagesize_version} ({@value #LAYOUT_VERSION} on a valid page). */
    public static int layoutVersion(ByteBuffer page) {
        return Le.u16(page, PD_PAGESIZE_VERSION) & 0x00FF;
    }

    /** {@code pd_prune_xid}: the oldest xid that may have left prunable tuples, or 0. */
    public static int pruneXid(ByteBuffer page) {
        return Le.i32(page, PD_PRUNE_XID);
    }

    public static void setPruneXid(ByteBuffer page, int xid) {
        Le.i32(page, PD_PRUNE_XID, xid);
    }

    /**
     * {@code PageSetPrunable}: remembers {@code xid} (a normal xid) as a reason
     * to prune the page, keeping the older of it and the one already there
     * (modulo-2^32 comparison).
     */
    public static void setPrunable(ByteBuffer page, int xid) {
        int old = pruneXid(page);
        if (old == 0 || xid - old < 0) {
            setPruneXid(page, xid);
        }
    }

    // --------------------------------------------------------- line pointers

    /** {@code PageGetMaxOffsetNumber}: the number of line pointers. */
    public static int maxOffset(ByteBuffer page) {
        int lower = lower(page);
        return lower <= HEADER_SIZE ? 0 : (lower - HEADER_SIZE) / ItemId.SIZE;
    }

    /** The byte position of line pointer {@code offnum} (1-based). */
    public static int itemIdPosition(int offnum) {
        return HEADER_SIZE + (offnum - 1) * ItemId.SIZE;
    }

    /** The raw line pointer word {@code offnum} (see {@link ItemId}). Not range-checked. */
    public static int itemId(ByteBuffer page, int offnum) {
        return Le.i32(page, itemIdPosition(offnum));
    }

    public static void setItemId(ByteBuffer page, int offnum, int itemId) {
        Le.i32(page, itemIdPosition(offnum), itemId);
    }

    /** {@code lp_off} of line pointer {@code offnum}: where its item starts. */
    public static int itemOffset(ByteBuffer page, int offnum) {
        return ItemId.offset(itemId(page, offnum));
    }

    /** {@code lp_len} of line pointer {@code offnum}. */
    public static int itemLength(ByteBuffer page, int offnum) {
        return ItemId.length(itemId(page, offnum));
    }

    /** {@code lp_flags} of line pointer {@code offnum}. */
    public static int itemFlags(ByteBuffer page, int offnum) {
        return ItemId.flags(itemId(page, offnum));
    }

    /** {@code ItemIdSetUnused}: forgets the item (its bytes stay until {@link #repairFragmentation}). */
    public static void setUnused(ByteBuffer page, int offnum) {
        setItemId(page, offnum, 0);
    }

    /** {@code ItemIdSetDead}: dead, without storage. */
    public static void setDead(ByteBuffer page, int offnum) {
        setItemId(page, offnum, ItemId.pack(0, ItemId.DEAD, 0));
    }

    /** {@code ItemIdMarkDead}: dead, keeping its storage (an index item killed by a scan). */
    public static void markDead(ByteBuffer page, int offnum) {
        int id = itemId(page, offnum);
        setItemId(page, offnum, ItemId.pack(ItemId.offset(id), ItemId.DEAD, ItemId.length(id)));
    }

    /** {@code ItemIdSetRedirect}: a HOT chain's root now redirects to {@code target}. */
    public static void setRedirect(ByteBuffer page, int offnum, int target) {
        setItemId(page, offnum, ItemId.pack(target, ItemId.REDIRECT, 0));
    }

    /** {@code ItemIdSetNormal}. */
    public static void setNormal(ByteBuffer page, int offnum, int offset, int length) {
        setItemId(page, offnum, ItemId.pack(offset, ItemId.NORMAL, length));
    }

    // ------------------------------------------------------------ free space

    /**
     * {@code PageGetFreeSpace}: the room for one more item, after the line
     * pointer it would need; 0 if not even that fits.
     */
    public static int freeSpace(ByteBuffer page) {
        int space = upper(page) - lower(page);
        return space < ItemId.SIZE ? 0 : space - ItemId.SIZE;
    }

    /** {@code PageGetExactFreeSpace}: the bytes between {@code pd_lower} and {@code pd_upper}. */
    public static int exactFreeSpace(ByteBuffer page) {
        int space = upper(page) - lower(page);
        return Math.max(space, 0);
    }

    /**
     * {@code PageGetHeapFreeSpace}: {@link #freeSpace}, but 0 when the page
     * already has {@link HeapTupleHeader#MAX_TUPLES_PER_PAGE} line pointers
     * and none of them is unused. This is what the free space map records for
     * a heap page.
     */
    public static int heapFreeSpace(ByteBuffer page) {
        int space = freeSpace(page);
        if (space > 0) {
            int nline = maxOffset(page);
            if (nline >= HeapTupleHeader.MAX_TUPLES_PER_PAGE) {
                if (!hasFreeLinePointers(page)) {
                    return 0;
                }
                for (int off = FIRST_OFFSET; off <= nline; off++) {
                    if (!ItemId.isUsed(itemId(page, off))) {
                        return space;
                    }
                }
                return 0;
            }
        }
        return space;
    }

    // ----------------------------------------------------------------- items

    /**
     * {@code PageAddItemExtended}: copies {@code length} bytes of {@code item}
     * from index {@code from} onto the page and returns the offset number of its
     * line pointer, or {@value #INVALID_OFFSET} when it does not fit or the
     * requested offset number cannot be used.
     *
     * <p>{@code offnum} {@value #INVALID_OFFSET} picks the first unused line
     * pointer (if the page says it has one) or appends one. A given
     * {@code offnum} either shifts the line pointers from there up by one
     * (index pages), or with {@link #OVERWRITE} reuses that unused pointer.
     * With {@link #IS_HEAP} no more than
     * {@link HeapTupleHeader#MAX_TUPLES_PER_PAGE} pointers are allowed.
     */
    public static int addItem(ByteBuffer page, ByteBuffer item, int from, int length, int offnum, int flags) {
        int off = reserveItem(page, length, offnum, flags);
        if (off != INVALID_OFFSET) {
            page.put(itemOffset(page, off), item, from, length);
        }
        return off;
    }

    /** {@link #addItem(ByteBuffer, ByteBuffer, int, int, int, int)} from an array. */
    public static int addItem(ByteBuffer page, byte[] item, int from, int length, int offnum, int flags) {
        int off = reserveItem(page, length, offnum, flags);
        if (off != INVALID_OFFSET) {
            page.put(itemOffset(page, off), item, from, length);
        }
        return off;
    }

    /**
     * Like {@link #addItem} but copies nothing: reserves {@code length} bytes
     * (zeroed, up to the next multiple of {@value #MAXALIGN}) and a NORMAL line
     * pointer, so that the caller builds the item in place at
     * {@link #itemOffset}. Returns the offset number, or
     * {@value #INVALID_OFFSET} when it does not fit.
     */
    public static int reserveItem(ByteBuffer page, int length, int offnum, int flags) {
        if (length < 0 || length > SIZE - HEADER_SIZE - ItemId.SIZE) {
            throw new IllegalArgumentException("item length " + length);
        }
        int lowerNow = lower(page);
        int upperNow = upper(page);
        int special = special(page);
        if (lowerNow < HEADER_SIZE || lowerNow > upperNow || upperNow > special || special > SIZE) {
            throw corruptedPointers(lowerNow, upperNow, special);
        }
        int limit = maxOffset(page) + 1;
        boolean shuffle = false;
        if (offnum != INVALID_OFFSET) {
            if (offnum < FIRST_OFFSET) {
                return INVALID_OFFSET;
            }
            if ((flags & OVERWRITE) != 0) {
                if (offnum < limit) {
                    int id = itemId(page, offnum);
                    if (ItemId.isUsed(id) || ItemId.hasStorage(id)) {
                        return INVALID_OFFSET; // will not overwrite a used line pointer
                    }
                }
            } else if (offnum < limit) {
                shuffle = true;
            }
        } else if (hasFreeLinePointers(page)) {
            offnum = limit;
            for (int o = FIRST_OFFSET; o < limit; o++) {
                int id = itemId(page, o);
                if (!ItemId.isUsed(id) && !ItemId.hasStorage(id)) {
                    offnum = o;
                    break;
                }
            }
            if (offnum == limit) {
                setFlag(page, PD_HAS_FREE_LINES, false); // the hint was wrong
            }
        } else {
            offnum = limit;
        }
        if (offnum > limit) {
            return INVALID_OFFSET; // beyond the first free line pointer
        }
        if ((flags & IS_HEAP) != 0 && offnum > HeapTupleHeader.MAX_TUPLES_PER_PAGE) {
            return INVALID_OFFSET;
        }
        int newLower = offnum == limit || shuffle ? lowerNow + ItemId.SIZE : lowerNow;
        int aligned = maxAlign(length);
        int newUpper = upperNow - aligned;
        if (newLower > newUpper) {
            return INVALID_OFFSET;
        }
        if (shuffle) {
            int pos = itemIdPosition(offnum);
            move(page, pos, pos + ItemId.SIZE, (limit - offnum) * ItemId.SIZE);
        }
        setNormal(page, offnum, newUpper, length);
        zero(page, newUpper, aligned);
        setLower(page, newLower);
        setUpper(page, newUpper);
        return offnum;
    }

    /**
     * {@code PageIndexTupleDelete}: removes item {@code offnum} and its line
     * pointer, moving the later line pointers down by one and closing the gap
     * in the item space. For index pages, where offset numbers need not stay
     * stable; heap pages use {@link #setUnused}/{@link #setDead} and
     * {@link #repairFragmentation} instead.
     */
    public static void deleteItem(ByteBuffer page, int offnum) {
        int lowerNow = lower(page);
        int upperNow = upper(page);
        int special = special(page);
        if (lowerNow < HEADER_SIZE || lowerNow > upperNow || upperNow > special || special > SIZE
                || special != maxAlign(special)) {
            throw corruptedPointers(lowerNow, upperNow, special);
        }
        int nline = maxOffset(page);
        if (offnum < FIRST_OFFSET || offnum > nline) {
            throw new PgException(SqlState.INTERNAL_ERROR, "invalid index offnum: " + offnum);
        }
        int id = itemId(page, offnum);
        int offset = ItemId.offset(id);
        int size = maxAlign(ItemId.length(id));
        if (size > 0 && (offset < upperNow || offset + size > special || offset != maxAlign(offset))) {
            throw new PgException(SqlState.DATA_CORRUPTED,
                    "corrupted line pointer: offset = " + offset + ", size = " + size);
        }
        int pos = itemIdPosition(offnum);
        move(page, pos + ItemId.SIZE, pos, lowerNow - pos - ItemId.SIZE);
        if (size > 0) {
            if (offset > upperNow) {
                move(page, upperNow, upperNow + size, offset - upperNow);
            }
            zero(page, upperNow, size);
            for (int o = FIRST_OFFSET; o < nline; o++) {
                int other = itemId(page, o);
                if (ItemId.hasStorage(other) && ItemId.offset(other) <= offset) {
                    setItemId(page, o, ItemId.pack(ItemId.offset(other) + size, ItemId.flags(other),
                            ItemId.length(other)));
                }
            }
        }
        setUpper(page, upperNow + size);
        setLower(page, lowerNow - ItemId.SIZE);
    }

    /**
     * {@code PageRepairFragmentation}: packs the items that have storage
     * against the special space, in their physical order, so that all free
     * space lies between {@code pd_lower} and {@code pd_upper}. Line pointers
     * keep their numbers; unused ones are cleared and make
     * {@link #PD_HAS_FREE_LINES} set (else it is cleared). Throws
     * {@code XX001} on a corrupted line pointer, without having changed the
     * page.
     */
    public static void repairFragmentation(ByteBuffer page) {
        int lowerNow = lower(page);
        int upperNow = upper(page);
        int special = special(page);
        if (lowerNow < HEADER_SIZE || lowerNow > upperNow || upperNow > special || special > SIZE
                || special != maxAlign(special)) {
            throw corruptedPointers(lowerNow, upperNow, special);
        }
        int nline = maxOffset(page);
        short[] slots = SLOTS.get();
        Arrays.fill(slots, upperNow / MAXALIGN, special / MAXALIGN, (short) 0);
        int unused = 0;
        int total = 0;
        for (int o = FIRST_OFFSET; o <= nline; o++) {
            int id = itemId(page, o);
            if (!ItemId.isUsed(id)) {
                unused++;
            } else if (ItemId.hasStorage(id)) {
                int offset = ItemId.offset(id);
                if (offset < upperNow || offset + ItemId.length(id) > special || offset != maxAlign(offset)
                        || slots[offset / MAXALIGN] != 0) {
                    throw new PgException(SqlState.DATA_CORRUPTED, "corrupted line pointer: " + offset);
                }
                slots[offset / MAXALIGN] = (short) o;
                total += maxAlign(ItemId.length(id));
            }
        }
        if (total > special - lowerNow) {
            throw new PgException(SqlState.DATA_CORRUPTED,
                    "corrupted item lengths: total " + total + ", available space " + (special - lowerNow));
        }
        // Highest item first: each moves up (or stays), never over an item not yet moved.
        int newUpper = special;
        for (int slot = special / MAXALIGN - 1; slot >= upperNow / MAXALIGN; slot--) {
            int o = slots[slot];
            if (o == 0) {
                continue;
            }
            int id = itemId(page, o);
            int length = ItemId.length(id);
            newUpper -= maxAlign(length);
            int offset = slot * MAXALIGN;
            if (newUpper != offset) {
                move(page, offset, newUpper, length);
                setItemId(page, o, ItemId.pack(newUpper, ItemId.flags(id), length));
            }
        }
        for (int o = FIRST_OFFSET; o <= nline; o++) {
            if (!ItemId.isUsed(itemId(page, o))) {
                setItemId(page, o, 0);
            }
        }
        zero(page, upperNow, newUpper - upperNow);
        setUpper(page, newUpper);
        setFlag(page, PD_HAS_FREE_LINES, unused > 0);
    }

    /**
     * {@code PageTruncateLinePointerArray}: drops the unused line pointers at
     * the end of the array (keeping at least one pointer on a page that had
     * any), and sets or clears {@link #PD_HAS_FREE_LINES} for the rest.
     */
    public static void truncateLinePointerArray(ByteBuffer page) {
        int nline = maxOffset(page);
        int last = 0;
        int unusedBelow = 0;
        for (int o = FIRST_OFFSET; o <= nline; o++) {
            if (ItemId.isUsed(itemId(page, o))) {
                last = o;
            }
        }
        for (int o = FIRST_OFFSET; o < last; o++) {
            if (!ItemId.isUsed(itemId(page, o))) {
                unusedBelow++;
            }
        }
        int keep = last == 0 && nline > 0 ? 1 : last;
        if (keep < nline) {
            zero(page, itemIdPosition(keep + 1), (nline - keep) * ItemId.SIZE);
            setLower(page, HEADER_SIZE + keep * ItemId.SIZE);
        }
        setFlag(page, PD_HAS_FREE_LINES, unusedBelow > 0 || last == 0 && keep == 1);
    }

    // --------------------------------------------------------------- helpers

    /** Moves {@code length} bytes within the page from {@code src} to {@code dst}; the ranges may overlap. */
    public static void move(ByteBuffer page, int src, int dst, int length) {
        if (length <= 0 || src == dst) {
            return;
        }
        if (dst < src) {
            int i = 0;
            for (; i + 4 <= length; i += 4) {
                Le.i32(page, dst + i, Le.i32(page, src + i));
            }
            for (; i < length; i++) {
                page.put(dst + i, page.get(src + i));
            }
        } else {
            int i = length;
            for (; i >= 4; i -= 4) {
                Le.i32(page, dst + i - 4, Le.i32(page, src + i - 4));
            }
            for (; i > 0; i--) {
                page.put(dst + i - 1, page.get(src + i - 1));
            }
        }
    }

    /** Zeroes {@code length} bytes of the page from {@code from}. */
    public static void zero(ByteBuffer page, int from, int length) {
        int i = from;
        int end = from + length;
        for (; i < end && (i & 3) != 0; i++) {
            page.put(i, (byte) 0);
        }
        for (; i + 4 <= end; i += 4) {
            Le.i32(page, i, 0);
        }
        for (; i < end; i++) {
            page.put(i, (byte) 0);
        }
    }

    private static PgException corruptedPointers(int lower, int upper, int special) {
        return new PgException(SqlState.DATA_CORRUPTED,
                "corrupted page pointers: lower = " + lower + ", upper = " + upper + ", special = " + special);
    }
}
