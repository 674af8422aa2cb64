package modgres.api.stats;

/**
 * A table's cumulative counters (indexed by {@link TableCounter#ordinal()})
 * and the times of its last vacuums and analyzes (microseconds since the Unix
 * epoch, 0 when never), as {@code pg_stat_all_tables} shows them.
 */
public record TableStats(int db, int rel, long[] counters, long lastVacuum, long lastAutovacuum,
        long lastAnalyze, long lastAutoanalyze) {

    public long get(TableCounter c) {
        return counters[c.ordinal()];
    }
}
