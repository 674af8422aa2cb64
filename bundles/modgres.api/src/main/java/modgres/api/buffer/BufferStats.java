package modgres.api.buffer;

/**
 * Cumulative counters of the buffer pool since it started, the raw material of
 * {@code pg_stat_bgwriter} and of the block counters of {@code pg_statio_*} and
 * {@code pg_stat_database}.
 *
 * @param hits             pins that found the block valid in the pool ({@code blks_hit})
 * @param reads            blocks read through the {@link PageStore} ({@code blks_read})
 * @param zeroFills        misses served with a zeroed page instead of a read
 *                         ({@link ReadMode#ZERO_ON_MISS} and {@link BufferPool#extend})
 * @param extensions       blocks added by {@link BufferPool#extend}
 * @param allocations      buffers taken for a new block from the free list or the
 *                         clock sweep ({@code buffers_alloc}; ring reuse is not counted)
 * @param writesBackend    dirty pages written by ordinary callers, mostly to evict them ({@code buffers_backend})
 * @param writesBgwriter   pages written by {@link BufferPool#writeAheadOfClock} ({@code buffers_clean})
 * @param writesCheckpoint pages written by {@link BufferPool#flushAll} ({@code buffers_checkpoint})
 * @param maxWrittenClean  bgwriter rounds that stopped because they wrote their maximum ({@code maxwritten_clean})
 * @param fsyncs           relation forks made durable by {@link BufferPool#syncWrittenFiles()}
 */
public record BufferStats(long hits, long reads, long zeroFills, long extensions, long allocations,
        long writesBackend, long writesBgwriter, long writesCheckpoint, long maxWrittenClean, long fsyncs) {
}
