/**
 * The on-disk format of the write-ahead log: page headers
 * ({@link modgres.wal.format.WalFormat}), the mapping between LSNs and the
 * "usable byte positions" that leave page headers out
 * ({@link modgres.wal.format.Positions}), turning a
 * {@link modgres.api.wal.WalRecord} into bytes for insertion
 * ({@link modgres.wal.format.RecordAssembly}) and bytes back into a record
 * ({@link modgres.wal.format.RecordDecoder}). The bundle's README.md draws the
 * layout. Nothing here is exported.
 */
package modgres.wal.format;
