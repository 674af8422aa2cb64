package modgres.api.buffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The WAL as the buffer pool sees it. Before the pool writes a dirty page it
 * calls {@link #flush(long)} with the page's LSN, so that the WAL describing
 * the page's last change is on disk before the page is (WAL before data).
 *
 * <p>The pool binds one such service optionally and dynamically. While none is
 * bound the pool writes pages whose LSN is 0 (nothing was logged for them) and
 * refuses to write a page with a non-zero LSN.
 */
@ConsumerType
public interface WalFlusher {

    /**
     * Returns once the WAL is durably flushed at least up to {@code lsn}.
     * Called from any thread, possibly while the caller holds a pin and a
     * shared content lock on the page; it must not use the buffer pool.
     * Failure is a {@link modgres.api.error.PgException}.
     */
    void flush(long lsn);

    /**
     * True when {@code lsn} is beyond what is already flushed, i.e. writing a
     * page with this LSN would first have to flush WAL. A
     * {@link StrategyType#BULKREAD} ring asks this to avoid flushing WAL for a
     * read-only scan. The default answers true, which is always safe.
     */
    default boolean needsFlush(long lsn) {
        return true;
    }
}
