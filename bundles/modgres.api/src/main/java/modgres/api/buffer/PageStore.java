package modgres.api.buffer;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The storage manager as the buffer pool sees it: reads and writes 8 KiB
 * blocks of relation forks. The storage bundle implements it over the
 * relation files of the data directory; the buffer pool needs exactly one
 * and is not available until one is registered.
 *
 * <p>Every {@code page} argument is a buffer positioned at 0 with a limit and
 * remaining of {@link BufferPool#BLOCK_SIZE} bytes, in little-endian order;
 * the store may move its position, and must not keep it after returning.
 * The pool calls these methods concurrently for different blocks, never for
 * the same block at the same time.
 *
 * <p>Failures are {@link modgres.api.error.PgException}s with PostgreSQL's
 * SQLSTATE and message (e.g. {@code 58030 could not read block 7 in file
 * "base/5/16384": ...}); the pool puts the buffer back in order and passes
 * the exception to its caller.
 */
@ConsumerType
public interface PageStore {

    /** The number of blocks in the fork; 0 when it does not exist. */
    int nblocks(RelFileNode rel, ForkNumber fork);

    /** Reads the block into {@code page}; a block beyond the end of the fork is an error. */
    void read(BufferTag tag, ByteBuffer page);

    /**
     * Writes the block. The block may lie beyond the current end of the fork
     * (a page that was zero-filled in the pool, see {@link ReadMode#ZERO_ON_MISS});
     * the store then fills any gap with zeros. The write need not be durable
     * until {@link #fsync}.
     */
    void write(BufferTag tag, ByteBuffer page);

    /**
     * Adds the block at the end of the fork ({@code tag.block()} is the
     * current {@link #nblocks}) with the given contents, so that the next
     * {@code nblocks} counts it. Callers serialise extension of one fork (the
     * relation extension lock).
     */
    void extend(BufferTag tag, ByteBuffer page);

    /**
     * Makes every completed write of the fork durable. A fork that no longer
     * exists (dropped after its last write) is not an error.
     */
    void fsync(RelFileNode rel, ForkNumber fork);
}
