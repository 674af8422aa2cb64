package modgres.api.stats;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where the cumulative statistics live (PostgreSQL 15's shared-memory stats
 * hash): owned by a bundle that is never swapped, written to
 * {@code pg_stat/} at a clean stop and read back (then removed) at the next
 * start, so they survive a clean restart and are gone after a crash, as
 * PostgreSQL's are. Collectors {@link #apply} pending statistics; the views
 * read the rest. The bgwriter and WAL figures are folded in from the buffer
 * pool's, the checkpointer's and the WAL's own counters, so that they too
 * survive a restart or the replacement of the component that counts them.
 */
@ProviderType
public interface StatsStore {

    /** Adds a process's pending statistics (called by a {@link StatsCollector}). Thread-safe. */
    void apply(PendingStats stats);

    /** A table's statistics, or null when nothing was ever counted for it. */
    TableStats table(int db, int rel);

    /** Every table of a database with statistics. */
    List<TableStats> tables(int db);

    /** A database's statistics (zeros when none were counted). */
    DatabaseStats database(int db);

    BgWriterStats bgwriter();

    WalActivity wal();

    ArchiverStats archiver();

    /** {@code pg_stat_reset()}: the database's counters and its tables' counters go to zero. */
    void resetDatabase(int db);

    /** {@code pg_stat_reset_single_table_counters(oid)}. */
    void resetTable(int db, int rel);

    /**
     * {@code pg_stat_reset_shared(target)} for {@code bgwriter}, {@code archiver}
     * or {@code wal} ({@code recovery_prefetch} is accepted and has nothing to reset here); throws {@link modgres.api.error.PgException} 22023
     * {@code unrecognized reset target: "x"} otherwise.
     */
    void resetShared(String target);
}
