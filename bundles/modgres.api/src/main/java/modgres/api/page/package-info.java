/**
 * The on-disk layout of relation pages, byte for byte PostgreSQL 15's, and
 * the storage services built on it.
 *
 * <p>Static helpers that read and write a page held in a {@link java.nio.ByteBuffer}
 * (a shared buffer's page, or any 8 KiB buffer): {@link modgres.api.page.Page}
 * (the page header, line pointers, adding, removing and compacting items, free
 * space), {@link modgres.api.page.ItemId} (one line pointer),
 * {@link modgres.api.page.HeapTupleHeader} (the MVCC header of a heap tuple and its
 * null bitmap) and {@link modgres.api.page.PageChecksum} (the data checksum of a
 * page). They use absolute, little-endian access whatever the buffer's own byte
 * order, never change its position or limit, and allocate nothing; they do no
 * locking: the caller holds the buffer's content lock as
 * {@link modgres.api.buffer.BufferPool} prescribes.
 *
 * <p>Services: {@link modgres.api.page.StorageManager} (relation files: the
 * {@link modgres.api.buffer.PageStore} the buffer pool uses, plus create,
 * unlink and truncate) and {@link modgres.api.page.FreeSpaceMap} (where a
 * relation has room for a tuple), both provided by the storage bundle.
 */
@Export
@Version("1.0.0")
package modgres.api.page;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
