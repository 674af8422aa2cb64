package modgres.api.control;

/**
 * The checkpointer's counters since it started, for {@code pg_stat_bgwriter}.
 *
 * @param checkpointsTimed    checkpoints started by {@code checkpoint_timeout} ({@code checkpoints_timed})
 * @param checkpointsRequested checkpoints started by a request, WAL volume or shutdown ({@code checkpoints_req})
 * @param writeTimeMillis     time spent writing buffers, in milliseconds ({@code checkpoint_write_time};
 *                            includes the sleeps that spread a timed checkpoint, as PostgreSQL's does)
 * @param syncTimeMillis      time spent making the written files durable ({@code checkpoint_sync_time})
 * @param buffersCheckpoint   buffers written by checkpoints ({@code buffers_checkpoint})
 */
public record CheckpointStats(long checkpointsTimed, long checkpointsRequested, double writeTimeMillis,
        double syncTimeMillis, long buffersCheckpoint) {
}
