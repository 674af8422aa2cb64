package modgres.api.stats;

/** {@code pg_stat_bgwriter}'s columns (times in milliseconds, statsReset in epoch microseconds). */
public record BgWriterStats(long checkpointsTimed, long checkpointsReq, double checkpointWriteTime,
        double checkpointSyncTime, long buffersCheckpoint, long buffersClean, long maxwrittenClean,
        long buffersBackend, long buffersBackendFsync, long buffersAlloc, long statsReset) {
}
