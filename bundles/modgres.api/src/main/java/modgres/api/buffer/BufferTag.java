package modgres.api.buffer;

import java.util.Objects;

/**
 * Names one block of one fork of one relation: what a shared buffer holds.
 * The block number is an unsigned 32-bit number held in an {@code int}
 * ({@link #INVALID_BLOCK}, {@code 0xFFFFFFFF}, is never a real block).
 *
 * @param tablespace  tablespace OID
 * @param database    database OID, 0 for shared catalogs
 * @param relfilenode the relation's file node
 * @param fork        which fork
 * @param block       block number within the fork, unsigned
 */
public record BufferTag(int tablespace, int database, int relfilenode, ForkNumber fork, int block) {

    /** PostgreSQL's {@code InvalidBlockNumber}. */
    public static final int INVALID_BLOCK = 0xFFFFFFFF;

    public BufferTag {
        Objects.requireNonNull(fork, "fork");
    }

    public static BufferTag of(RelFileNode rel, ForkNumber fork, int block) {
        return new BufferTag(rel.tablespace(), rel.database(), rel.relfilenode(), fork, block);
    }

    /** The relation this block belongs to. */
    public RelFileNode rel() {
        return new RelFileNode(tablespace, database, relfilenode);
    }

    /** The block number as a non-negative {@code long}. */
    public long blockUnsigned() {
        return Integer.toUnsignedLong(block);
    }

    /** {@code spc/db/rel fork block}, e.g. {@code 1663/5/16384 main 7}. */
    @Override
    public String toString() {
        return Integer.toUnsignedString(tablespace) + "/" + Integer.toUnsignedString(database) + "/"
                + Integer.toUnsignedString(relfilenode) + " " + fork.forkName() + " "
                + Integer.toUnsignedString(block);
    }
}
