package modgres.api.page;

/**
 * A line pointer, PostgreSQL's {@code ItemIdData}: one 32-bit little-endian
 * word per item in the array that follows the page header.
 *
 * <pre>
 *  31                 17 16  15 14                  0
 * +---------------------+------+---------------------+
 * |   lp_len (15 bits)  |flags |   lp_off (15 bits)  |
 * +---------------------+------+---------------------+
 * </pre>
 *
 * For {@link #NORMAL} the offset and length locate the item's bytes in the
 * page; for {@link #REDIRECT} the offset field holds the offset number the
 * pointer redirects to and the length is 0; {@link #DEAD} may or may not have
 * storage; {@link #UNUSED} has none (offset and length 0).
 *
 * <p>These helpers work on the word; {@link Page} reads and writes the words
 * of a page.
 */
public final class ItemId {

    /** Unused: free to be reused for a new item ({@code LP_UNUSED}). */
    public static final int UNUSED = 0;
    /** In use, with storage ({@code LP_NORMAL}). */
    public static final int NORMAL = 1;
    /** HOT redirect to another line pointer, no storage ({@code LP_REDIRECT}). */
    public static final int REDIRECT = 2;
    /** Dead, may or may not have storage ({@code LP_DEAD}). */
    public static final int DEAD = 3;

    /** The size of a line pointer in bytes ({@code sizeof(ItemIdData)}). */
    public static final int SIZE = 4;

    /** The largest offset or length a line pointer can hold (15 bits). */
    public static final int MAX_FIELD = 0x7FFF;

    private ItemId() {
    }

    /** Packs a line pointer. Offset and length must fit in 15 bits, flags in 2. */
    public static int pack(int offset, int flags, int length) {
        return (offset & MAX_FIELD) | (flags & 3) << 15 | (length & MAX_FIELD) << 17;
    }

    /** {@code lp_off}: the byte offset of the item in the page (or the redirect target). */
    public static int offset(int itemId) {
        return itemId & MAX_FIELD;
    }

    /** {@code lp_flags}: {@link #UNUSED}, {@link #NORMAL}, {@link #REDIRECT} or {@link #DEAD}. */
    public static int flags(int itemId) {
        return itemId >>> 15 & 3;
    }

    /** {@code lp_len}: the length of the item in bytes. */
    public static int length(int itemId) {
        return itemId >>> 17;
    }

    /** True unless {@link #UNUSED} ({@code ItemIdIsUsed}). */
    public static boolean isUsed(int itemId) {
        return flags(itemId) != UNUSED;
    }

    /** True when the pointer has bytes on the page ({@code ItemIdHasStorage}: a non-zero length). */
    public static boolean hasStorage(int itemId) {
        return length(itemId) != 0;
    }
}
