package modgres.api.backend;

/**
 * A backend's memory as its session accounts it (the console's
 * {@code modgres:memory}): the executor's structures (sort buffers, hash
 * tables, kept rows, the result being built), the local buffers of temporary
 * tables, and the temporary files. Executor figures are the estimates the
 * structures are bounded by (work_mem, hash_mem); they may be slightly stale
 * when read from another thread.
 *
 * @param workMemBytes        bytes held by executor structures now
 * @param queryPeakBytes      the most held at once during the current (or last) query
 * @param sessionPeakBytes    the most held at once since the session started
 * @param tempBuffersUsed     local buffers holding a page (8 kB each)
 * @param tempBuffers         the local buffer pool's size in buffers: temp_buffers
 * @param tempFiles           temporary files not yet deleted
 * @param tempFileBytes       bytes written to those files
 * @since 1.2
 */
public record BackendMemory(long workMemBytes, long queryPeakBytes, long sessionPeakBytes, int tempBuffersUsed,
        int tempBuffers, int tempFiles, long tempFileBytes) {

    /** The size of a local buffer, PostgreSQL's BLCKSZ. */
    public static final int BUFFER_BYTES = 8192;
}
