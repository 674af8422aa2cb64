/**
 * The write-ahead log itself: {@link modgres.wal.internal.WriteAheadLog} (a
 * plain class, usable without OSGi: WAL buffers, insertion, writing, group
 * commit, start-up), its helpers ({@link modgres.wal.internal.InsertionSlots},
 * {@link modgres.wal.internal.SegmentFiles},
 * {@link modgres.wal.internal.SegmentReader}, the file operations behind
 * {@link modgres.wal.internal.WalIo}) and
 * {@link modgres.wal.internal.WalComponent}, the Declarative Services
 * component that publishes it as {@link modgres.api.wal.Wal} and
 * {@link modgres.api.buffer.WalFlusher}. The design is described in the
 * bundle's README.md. Nothing here is exported.
 */
package modgres.wal.internal;
