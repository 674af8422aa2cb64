package modgres.sql.exec;

/*
 * Design notes: the hash of a hash partition key column.
 *
 * For smallint, integer, bigint (and oid, date) the 64-bit extended hash
 * PostgreSQL's hash partitioning uses (hashint4extended with the seed
 * HASH_PARTITION_SEED: Bob Jenkins' lookup3 mix/final over one 32-bit word;
 * int8 folds its high half into the low one first), so that a row lands in
 * the same partition as in PostgreSQL. Other types use the type's equality
 * key's hashCode spread over 64 bits: the assignment is stable and
 * respects equality, but differs from PostgreSQL's.
 */
/** Hash values of partition key columns; see the design notes. */
final class PartitionHash {
    private PartitionHash() {
    }

    /** PostgreSQL's HASH_PARTITION_SEED. */
    static final long SEED = 0x7A5B22367996DCFDL;

    static long hash(int type, Object v, TypeSupport ts) {
        switch (type) {
            case 21, 23, 1082:
                return uint32Extended(((Number) v).intValue(), SEED);
            case 26:
                return uint32Extended((int) ((Number) v).longValue(), SEED);
            case 20: {
                long val = ((Number) v).longValue();
                int lo = (int) val;
                int hi = (int) (val >>> 32);
                lo ^= val >= 0 ? hi : ~hi;
                return uint32Extended(lo, SEED);
            }
            default: {
                long h = ts.hashKey(type, v).hashCode();
                return uint32Extended((int) h, SEED);
            }
        }
    }

    /** hash_uint32_extended(k, seed) of PostgreSQL's hashfn.c. */
    static long uint32Extended(int k, long seed) {
        int a = 0x9e3779b9 + 4 + 3923095;
        int b = a;
        int c = a;
        if (seed != 0) {
            a += (int) (seed >>> 32);
            b += (int) seed;
            // mix(a, b, c)
            a -= c;
            a ^= Integer.rotateLeft(c, 4);
            c += b;
            b -= a;
            b ^= Integer.rotateLeft(a, 6);
            a += c;
            c -= b;
            c ^= Integer.rotateLeft(b, 8);
            b += a;
            a -= c;
            a ^= Integer.rotateLeft(c, 16);
            c += b;
            b -= a;
            b ^= Integer.rotateLeft(a, 19);
            a += c;
            c -= b;
            c ^= Integer.rotateLeft(b, 4);
            b += a;
        }
        a += k;
        // final(a, b, c)
        c ^= b;
        c -= Integer.rotateLeft(b, 14);
        a ^= c;
        a -= Integer.rotateLeft(c, 11);
        b ^= a;
        b -= Integer.rotateLeft(a, 25);
        c ^= b;
        c -= Integer.rotateLeft(b, 16);
        a ^= c;
        a -= Integer.rotateLeft(c, 4);
        b ^= a;
        b -= Integer.rotateLeft(a, 14);
        c ^= b;
        c -= Integer.rotateLeft(b, 24);
        return ((long) b << 32) | (c & 0xFFFFFFFFL);
    }
}
