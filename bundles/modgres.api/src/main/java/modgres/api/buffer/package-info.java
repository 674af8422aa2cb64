/**
 * The shared buffer pool (PostgreSQL's {@code shared_buffers}) and the two
 * services it calls: {@link modgres.api.buffer.BufferPool} caches 8 KiB pages
 * of relation files in off-heap memory shared by every component;
 * {@link modgres.api.buffer.PageStore} is how it reads and writes those pages
 * (the storage manager implements it); {@link modgres.api.buffer.WalFlusher}
 * is how it keeps the rule "WAL before data" (the WAL implements it).
 *
 * <p>Buffers are named by {@code int} ids so that the hot path (pin, lock,
 * read the page, unlock, unpin) allocates nothing.
 */
@Export
@Version("1.2.0")
package modgres.api.buffer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
