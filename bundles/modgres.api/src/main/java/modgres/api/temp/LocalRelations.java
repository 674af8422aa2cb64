package modgres.api.temp;

import modgres.api.access.BTree;
import modgres.api.access.Heap;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One backend's temporary relations: a {@link Heap} and a {@link BTree} that
 * keep their pages in the backend's own local buffer pool and log nothing.
 * Relations are named without their backend
 * ({@link modgres.api.buffer.RelFileNode#withoutBackend()}): this object
 * knows whose they are.
 *
 * <p>Not thread-safe: used by its backend's thread only (as PostgreSQL's
 * local buffers need no locks). {@link #close} may come from another thread
 * once that thread no longer uses it.
 */
@ProviderType
public interface LocalRelations extends AutoCloseable {

    /** The heap of the backend's temporary tables. */
    Heap heap();

    /** The B-tree of the backend's temporary indexes. */
    BTree btree();

    /**
     * The number of local buffers: 0 until the first temporary page is used,
     * then {@code temp_buffers} as it was then (PostgreSQL's {@code NLocBuffer}).
     */
    int buffers();

    /** Local buffers holding a page now (for tests and monitoring). */
    int buffersInUse();

    /**
     * Backend end: forgets every local buffer without writing it and removes
     * the files of every relation still open here. Idempotent.
     */
    @Override
    void close();
}
