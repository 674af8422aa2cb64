package modgres.api.access;

/**
 * A tuple identifier ({@code ItemPointerData}, what {@code ctid} shows): block
 * number and line pointer offset, packed in a {@code long} so that scans and
 * indexes pass it without allocating: block in the high 32 bits (unsigned),
 * offset (1-based) in the low 16.
 */
public final class Tid {
    /** No tuple. */
    public static final long INVALID = 0;

    private Tid() {
    }

    public static long of(int block, int offset) {
        return (Integer.toUnsignedLong(block) << 32) | (offset & 0xFFFF);
    }

    public static int block(long tid) {
        return (int) (tid >>> 32);
    }

    public static int offset(long tid) {
        return (int) (tid & 0xFFFF);
    }

    public static boolean isValid(long tid) {
        return offset(tid) != 0;
    }

    /** The text form {@code (block,offset)}, as {@code SELECT ctid} prints it. */
    public static String toString(long tid) {
        return "(" + Integer.toUnsignedString(block(tid)) + "," + offset(tid) + ")";
    }
}
