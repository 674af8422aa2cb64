package modgres.api.buffer;

/**
 * The physical identity of a relation: the tablespace, the database (0 for a
 * shared relation) and the relfilenode, which names its files; for a
 * temporary relation also the backend that owns it (PostgreSQL's
 * {@code RelFileNodeBackend} folded into one value). The first three are
 * OIDs, unsigned 32-bit numbers held in an {@code int}.
 *
 * <p>A temporary relation ({@code pg_class.relpersistence = 't'}) lives in
 * its owner's local buffers, never in the shared pool, is never WAL-logged,
 * and its files are named {@code t<backend>_<relfilenode>}. Every other
 * relation has {@link #INVALID_BACKEND}. The shared buffer pool, the WAL and
 * redo only ever see relations without a backend.
 *
 * @param tablespace  tablespace OID (1663 {@code pg_default}, 1664 {@code pg_global})
 * @param database    database OID, 0 for shared catalogs
 * @param relfilenode the file node of the relation
 * @param backend     the owning backend of a temporary relation (the number in its
 *                    {@code pg_temp_N} schema), {@link #INVALID_BACKEND} otherwise
 */
public record RelFileNode(int tablespace, int database, int relfilenode, int backend) {

    /** PostgreSQL's {@code InvalidBackendId}: the relation is not temporary. */
    public static final int INVALID_BACKEND = -1;

    /** A relation that is not temporary. */
    public RelFileNode(int tablespace, int database, int relfilenode) {
        this(tablespace, database, relfilenode, INVALID_BACKEND);
    }

    /** True for a temporary relation (PostgreSQL's {@code RelFileNodeBackendIsTemp}). */
    public boolean isTemp() {
        return backend != INVALID_BACKEND;
    }

    /** The same relation without its owner: how the owner's own storage names it. */
    public RelFileNode withoutBackend() {
        return backend == INVALID_BACKEND ? this : new RelFileNode(tablespace, database, relfilenode);
    }

    /**
     * {@code spc/db/rel} with unsigned numbers, as PostgreSQL's debug messages
     * print it; a temporary relation as {@code spc/db/t<backend>_rel}.
     */
    // Written out rather than left to the record's generated methods, which showed in profiles: relation
    // files, forks and buffer tags are looked up by this key on every storage call.
    @Override
    public int hashCode() {
        int h = relfilenode * 0x9E3779B9 + database;
        h = h * 31 + tablespace;
        h = h * 31 + backend;
        return h ^ (h >>> 16);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelFileNode r && relfilenode == r.relfilenode && database == r.database
                && tablespace == r.tablespace && backend == r.backend;
    }

    @Override
    public String toString() {
        return Integer.toUnsignedString(tablespace) + "/" + Integer.toUnsignedString(database) + "/"
                + (backend == INVALID_BACKEND ? "" : "t" + backend + "_") + Integer.toUnsignedString(relfilenode);
    }
}
