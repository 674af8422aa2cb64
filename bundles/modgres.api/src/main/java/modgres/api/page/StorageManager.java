package modgres.api.page;

import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.PageStore;
import modgres.api.buffer.RelFileNode;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The storage manager: the relation files of the data directory (PostgreSQL's
 * {@code smgr}/{@code md.c}). As a {@link PageStore} it reads, writes, extends
 * and fsyncs blocks for the buffer pool; the methods here add what DDL, WAL
 * redo and the free space map need besides: create, unlink and truncate a
 * fork, and the file names used in messages.
 *
 * <p>Files: a fork of relation {@code spc/db/rel} is {@code base/db/rel}
 * (tablespace 1663), {@code global/rel} (tablespace {@value #GLOBAL_TABLESPACE},
 * shared catalogs) or {@code pg_tblspc/spc/PG_15_202209061/db/rel}, plus the
 * fork's suffix ({@code _fsm}, {@code _vm}, {@code _init}); it is cut into
 * segments of {@value #SEGMENT_BLOCKS} blocks (1 GiB), the second and later
 * named {@code .1}, {@code .2}, ...
 *
 * <p>Pages are checksummed when written (unless new, i.e. all zeros) and
 * verified when read; a page that fails is {@code XX001 invalid page in
 * block N of relation base/db/rel}. Failures are {@link modgres.api.error.PgException}s
 * with PostgreSQL's SQLSTATEs and messages.
 *
 * <p>Callers own the order of things, as in PostgreSQL: forget a fork's
 * buffers ({@code BufferPool.dropRelation}/{@code dropRelationFork}) before
 * {@link #unlink}ing or {@link #truncate}ing it, and WAL-log creation and
 * truncation (the store logs nothing).
 */
@ProviderType
public interface StorageManager extends PageStore {

    /** {@code DEFAULTTABLESPACE_OID}: {@code pg_default}, files under {@code base/}. */
    int DEFAULT_TABLESPACE = 1663;
    /** {@code GLOBALTABLESPACE_OID}: {@code pg_global}, the shared catalogs' files under {@code global/}. */
    int GLOBAL_TABLESPACE = 1664;
    /** {@code RELSEG_SIZE}: blocks per segment file (1 GiB of 8 KiB blocks). */
    int SEGMENT_BLOCKS = 131072;

    /** True when the fork's first segment file exists. */
    boolean exists(RelFileNode rel, ForkNumber fork);

    /**
     * Creates the fork's first segment, empty (and the database's directory if
     * needed). An existing file is an error ({@code 58P02 could not create file
     * "...": File exists}) unless {@code isRedo} (WAL replay, or "create if
     * missing").
     */
    void create(RelFileNode rel, ForkNumber fork, boolean isRedo);

    /**
     * Removes every segment file of the fork and forgets pending fsyncs of it.
     * A missing file is not an error; a file that cannot be removed is logged
     * as a WARNING, as PostgreSQL does.
     */
    void unlink(RelFileNode rel, ForkNumber fork);

    /** {@link #unlink} of every fork. */
    default void unlinkRelation(RelFileNode rel) {
        for (ForkNumber f : ForkNumber.values()) {
            unlink(rel, f);
        }
    }

    /**
     * Cuts the fork to {@code nblocks} blocks (unsigned); segments past the end
     * are emptied. Longer than the fork is an error except in recovery.
     */
    void truncate(RelFileNode rel, ForkNumber fork, int nblocks);

    /**
     * The fork's path relative to the data directory, as messages show it:
     * {@code base/5/16384}, {@code base/5/16384_fsm}, {@code global/1262}
     * (PostgreSQL's {@code relpath}).
     */
    String relpath(RelFileNode rel, ForkNumber fork);

    /**
     * WAL replay on or off (PostgreSQL's {@code InRecovery}): while on, reading a
     * block past the end returns zeros and truncating to more blocks than exist
     * does nothing, instead of failing. Called by the WAL's redo.
     */
    void setInRecovery(boolean inRecovery);

    /**
     * Pages of the database that failed checksum verification since start
     * ({@code pg_stat_database.checksum_failures}); database 0 counts shared
     * relations.
     */
    long checksumFailures(int database);
}
