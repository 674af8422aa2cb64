package modgres.api.txn;

/**
 * Transaction id arithmetic: 32-bit ids compared modulo 2^32 as PostgreSQL's
 * {@code transam.h} does. Ids below {@link #FIRST_NORMAL} are special and
 * compare as older than every normal id.
 */
public final class Xid {
    public static final int INVALID = 0;
    /** The id that created the initial catalog: always committed. */
    public static final int BOOTSTRAP = 1;
    /** The id of frozen tuples: always committed, older than everything. */
    public static final int FROZEN = 2;
    public static final int FIRST_NORMAL = 3;

    private Xid() {
    }

    public static boolean isNormal(int xid) {
        return Integer.compareUnsigned(xid, FIRST_NORMAL) >= 0;
    }

    public static boolean isValid(int xid) {
        return xid != INVALID;
    }

    /** {@code TransactionIdPrecedes}: a &lt; b in the circular order (special ids by value). */
    public static boolean precedes(int a, int b) {
        if (!isNormal(a) || !isNormal(b)) {
            return Integer.compareUnsigned(a, b) < 0;
        }
        return a - b < 0;
    }

    public static boolean precedesOrEquals(int a, int b) {
        return a == b || precedes(a, b);
    }

    public static boolean follows(int a, int b) {
        return precedes(b, a);
    }

    /** The next normal id after {@code xid} (skipping the special ones on wraparound). */
    public static int advance(int xid) {
        int n = xid + 1;
        return isNormal(n) ? n : FIRST_NORMAL;
    }

    /** The 32-bit id of a 64-bit full transaction id (epoch in the high half). */
    public static int of(long fullXid) {
        return (int) fullXid;
    }

    public static String toString(int xid) {
        return Integer.toUnsignedString(xid);
    }
}
