package modgres.api.txn;

/**
 * What a lock is on ({@code LOCKTAG}); {@link #type()} names it as
 * {@code pg_locks.locktype} does.
 *
 * @param type     "relation", "transactionid", "tuple", "object", "advisory", "virtualxid"
 * @param database database OID (0 for shared objects and transaction ids)
 * @param id1      relation OID, transaction id, class OID, advisory key high …
 * @param id2      tuple block, object OID, advisory key low … (0 when unused)
 * @param id3      tuple offset, object sub id (0 when unused)
 */
public record LockTag(String type, int database, int id1, int id2, int id3) {

    public static LockTag relation(int database, int relationOid) {
        return new LockTag("relation", database, relationOid, 0, 0);
    }

    public static LockTag transaction(int xid) {
        return new LockTag("transactionid", 0, xid, 0, 0);
    }

    public static LockTag tuple(int database, int relationOid, int block, int offset) {
        return new LockTag("tuple", database, relationOid, block, offset);
    }

    public static LockTag object(int database, int classOid, int objectOid) {
        return new LockTag("object", database, classOid, objectOid, 0);
    }

    public static LockTag advisory(int database, long key) {
        return new LockTag("advisory", database, (int) (key >>> 32), (int) key, 1);
    }

    // Written out rather than left to the record's generated methods: every lock and unlock hashes its tag (the
    // lock table's partition and map), and the generated ones showed in profiles of short transactions.
    @Override
    public int hashCode() {
        int h = type.hashCode();
        h = h * 31 + database;
        h = h * 31 + id1;
        h = h * 31 + id2;
        h = h * 31 + id3;
        return h ^ (h >>> 16);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LockTag t && id1 == t.id1 && id2 == t.id2 && database == t.database && id3 == t.id3
                && (type == t.type || type.equals(t.type));
    }
}
