package modgres.sql.toast;

import java.lang.ref.WeakReference;

/*
 * Design notes
 * ------------
 * pg_column_size reports a value's stored size, but values reach the
 * executor detoasted (a String or byte[]), so the stored size of a value read
 * compressed or out of line is remembered here when it is read: a small ring
 * per thread (the backend's thread runs the whole statement) of (weak
 * reference to the value object, stored size). pg_column_size looks the very
 * object up by identity; a value computed afresh, or read long before (the
 * ring is 256 entries: a row is normally evaluated right after it is read),
 * is not found and the caller reports its inline size. Weak references keep
 * a large value from being held by the ring.
 */
/** The stored size of recently detoasted values, by identity (see the design notes). */
public final class StoredSizes {
    private static final int SIZE = 256;

    private static final class Ring {
        final Object[] refs = new Object[SIZE];
        final int[] sizes = new int[SIZE];
        int next;
    }

    private static final ThreadLocal<Ring> RING = ThreadLocal.withInitial(Ring::new);

    private StoredSizes() {
    }

    /** Notes that {@code value} was read from a stored form of {@code size} bytes. */
    public static void note(Object value, int size) {
        Ring r = RING.get();
        r.refs[r.next] = new WeakReference<>(value);
        r.sizes[r.next] = size;
        r.next = (r.next + 1) % SIZE;
    }

    /** The stored size noted for this very object, or -1. */
    public static int of(Object value) {
        Ring r = RING.get();
        for (int k = 1; k <= SIZE; k++) {
            int i = Math.floorMod(r.next - k, SIZE);
            if (r.refs[i] instanceof WeakReference<?> w && w.get() == value) {
                return r.sizes[i];
            }
        }
        return -1;
    }
}
