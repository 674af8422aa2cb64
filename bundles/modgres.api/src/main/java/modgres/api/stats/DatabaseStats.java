package modgres.api.stats;

/**
 * A database's cumulative counters (indexed by {@link DatabaseCounter#ordinal()})
 * and when they were last reset (microseconds since the Unix epoch, 0 = never).
 */
public record DatabaseStats(int db, long[] counters, long statsReset) {

    public long get(DatabaseCounter c) {
        return counters[c.ordinal()];
    }
}
