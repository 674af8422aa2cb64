package modgres.api.stats;

/**
 * What is reported as a fact rather than a count. Times are microseconds since
 * the Unix epoch.
 */
public sealed interface StatsEvent {

    /**
     * A vacuum of a table finished: n_live_tup and n_dead_tup become these
     * figures, n_ins_since_vacuum restarts, last_(auto)vacuum and
     * (auto)vacuum_count advance.
     */
    record Vacuumed(int db, int rel, boolean auto, long liveTuples, long deadTuples, long atMicros)
            implements StatsEvent {
    }

    /**
     * An analyze of a table finished: n_live_tup and n_dead_tup become these
     * figures (a negative deadTuples leaves n_dead_tup as it is: an analyze
     * that did not count them), n_mod_since_analyze restarts, last_(auto)analyze and
     * (auto)analyze_count advance.
     */
    record Analyzed(int db, int rel, boolean auto, long liveTuples, long deadTuples, long atMicros)
            implements StatsEvent {
    }

    /**
     * A committed TRUNCATE (or a rewrite of the table): n_live_tup and
     * n_dead_tup restart from zero before the rest of the same flush is added.
     */
    record Truncated(int db, int rel) implements StatsEvent {
    }

    /** A table was dropped (its entry goes away). */
    record TableDropped(int db, int rel) implements StatsEvent {
    }

    /** A database was dropped. */
    record DatabaseDropped(int db) implements StatsEvent {
    }

    /** The archiver archived a WAL segment (pg_stat_archiver). */
    record Archived(String segment, long atMicros) implements StatsEvent {
    }

    /** The archiver failed to archive a WAL segment (pg_stat_archiver). */
    record ArchiveFailed(String segment, long atMicros) implements StatsEvent {
    }
}
