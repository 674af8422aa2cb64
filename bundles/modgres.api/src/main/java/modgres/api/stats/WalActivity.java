package modgres.api.stats;

/** {@code pg_stat_wal}'s columns (times in milliseconds, statsReset in epoch microseconds). */
public record WalActivity(long walRecords, long walFpi, long walBytes, long walBuffersFull, long walWrite,
        long walSync, double walWriteTime, double walSyncTime, long statsReset) {
}
