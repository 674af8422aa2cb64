/**
 * The write-ahead log (PostgreSQL's {@code xlog}): {@link modgres.api.wal.Wal}
 * inserts records, flushes them with group commit, manages the 16 MiB segment
 * files of {@code pg_wal/} and reads them back for recovery
 * ({@link modgres.api.wal.WalReader}); {@link modgres.api.wal.WalRecord} and
 * {@link modgres.api.wal.BlockReference} are the record shape,
 * {@link modgres.api.wal.Lsn} the log sequence number helpers and
 * {@link modgres.api.wal.ResourceManager} the resource manager ids (numbered
 * as PostgreSQL 15's {@code rmgrlist.h}). {@link modgres.api.wal.WalListener}
 * services (whiteboard) are told when a segment is complete.
 *
 * <p>The rule the WAL exists for: the record describing a change of a page
 * is durable before the page is written. The buffer pool enforces it through
 * {@link modgres.api.buffer.WalFlusher}, which the WAL implementation also
 * publishes.
 */
@Export
@Version("1.1.0")
package modgres.api.wal;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
