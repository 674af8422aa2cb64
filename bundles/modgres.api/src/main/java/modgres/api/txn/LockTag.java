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
}
