package modgres.api.wal;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads records forward from the segment files of {@code pg_wal/}, across
 * pages and segments, checking each page header (magic, address, timeline)
 * and each record (length, resource manager, prev-link, CRC-32C). It stops
 * cleanly at the first thing that is not a valid continuation of the log: a
 * zeroed or torn tail, an old page of a recycled segment, a missing segment.
 * That is the end of valid WAL; {@link #end()} says where and why.
 *
 * <p>Not thread-safe; one reader per scan. Close it to release its files.
 */
@ProviderType
public interface WalReader extends AutoCloseable {

    /** The next valid record, or null at the end of valid WAL (and on every later call). */
    WalRecord next();

    /**
     * Where reading stands: after the last record returned (and, once
     * {@link #next()} returned null, the end of valid WAL with the reason).
     */
    WalEnd end();

    @Override
    void close();
}
