package modgres.api.stats;

/**
 * The counters kept per database, with the names of {@code pg_stat_database}
 * (numbackends is not one: the view reads it from the running backends).
 * Times are in microseconds here; the view shows milliseconds as PostgreSQL does.
 */
public enum DatabaseCounter {
    XACT_COMMIT, XACT_ROLLBACK, BLKS_READ, BLKS_HIT,
    TUP_RETURNED, TUP_FETCHED, TUP_INSERTED, TUP_UPDATED, TUP_DELETED,
    CONFLICTS, TEMP_FILES, TEMP_BYTES, DEADLOCKS, CHECKSUM_FAILURES,
    BLK_READ_TIME_US, BLK_WRITE_TIME_US, SESSION_TIME_US, ACTIVE_TIME_US, IDLE_IN_TRANSACTION_TIME_US,
    SESSIONS, SESSIONS_ABANDONED, SESSIONS_FATAL, SESSIONS_KILLED;

    /** How many there are: the length of a counter array. */
    public static final int COUNT = values().length;
}
