package modgres.api.stats;

/**
 * The counters kept per table, in the order and with the names of
 * {@code pg_stat_all_tables} and {@code pg_statio_all_tables}. In a
 * {@link PendingStats} every counter is a delta; {@code n_live_tup} and
 * {@code n_dead_tup} deltas can be negative (a committed delete turns a live
 * tuple into a dead one). Vacuum and analyze set some of them absolutely
 * (see {@link StatsEvent.Vacuumed}).
 */
public enum TableCounter {
    SEQ_SCAN, SEQ_TUP_READ, IDX_SCAN, IDX_TUP_FETCH,
    N_TUP_INS, N_TUP_UPD, N_TUP_DEL, N_TUP_HOT_UPD,
    N_LIVE_TUP, N_DEAD_TUP, N_MOD_SINCE_ANALYZE, N_INS_SINCE_VACUUM,
    VACUUM_COUNT, AUTOVACUUM_COUNT, ANALYZE_COUNT, AUTOANALYZE_COUNT,
    HEAP_BLKS_READ, HEAP_BLKS_HIT, IDX_BLKS_READ, IDX_BLKS_HIT;

    /** How many there are: the length of a counter array. */
    public static final int COUNT = values().length;

    /** The column name in PostgreSQL's views. */
    public String column() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
