package modgres.api.stats;

/**
 * {@code pg_stat_archiver}'s columns; times in epoch microseconds, 0 and null
 * when there is none.
 */
public record ArchiverStats(long archivedCount, String lastArchivedWal, long lastArchivedTime, long failedCount,
        String lastFailedWal, long lastFailedTime, long statsReset) {
}
