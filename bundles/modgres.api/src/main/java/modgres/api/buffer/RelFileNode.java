package modgres.api.buffer;

/**
 * The physical identity of a relation: the tablespace, the database (0 for a
 * shared relation) and the relfilenode, which names its files. All three are
 * OIDs, unsigned 32-bit numbers held in an {@code int}.
 *
 * @param tablespace  tablespace OID (1663 {@code pg_default}, 1664 {@code pg_global})
 * @param database    database OID, 0 for shared catalogs
 * @param relfilenode the file node of the relation
 */
public record RelFileNode(int tablespace, int database, int relfilenode) {

    /** {@code spc/db/rel} with unsigned numbers, as PostgreSQL's debug messages print it. */
    @Override
    public String toString() {
        return Integer.toUnsignedString(tablespace) + "/" + Integer.toUnsignedString(database) + "/"
                + Integer.toUnsignedString(relfilenode);
    }
}
