package modgres.api.buffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Chooses the relation forks whose dirty buffers {@link BufferPool#flushAll}
 * writes. Called once per dirty buffer without any pool lock held; it must be
 * cheap and must not call the pool.
 */
@ConsumerType
@FunctionalInterface
public interface FlushFilter {

    /** Every buffer: what a checkpoint writes. */
    FlushFilter ALL = (tablespace, database, relfilenode, fork) -> true;

    boolean test(int tablespace, int database, int relfilenode, ForkNumber fork);

    /** Every fork of one relation. */
    static FlushFilter relation(RelFileNode rel) {
        int spc = rel.tablespace();
        int db = rel.database();
        int node = rel.relfilenode();
        return (tablespace, database, relfilenode, fork) -> tablespace == spc && database == db
                && relfilenode == node;
    }

    /** Every relation of one database. */
    static FlushFilter database(int databaseOid) {
        return (tablespace, database, relfilenode, fork) -> database == databaseOid;
    }
}
