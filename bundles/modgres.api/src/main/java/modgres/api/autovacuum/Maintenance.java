package modgres.api.autovacuum;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import modgres.api.access.VacuumStats;

/**
 * What autovacuum needs from the SQL engine (which publishes it): the
 * databases, their tables, and a vacuum or analyze of one table run in the
 * caller's thread as an autovacuum worker runs it: in its own transaction,
 * taking {@code SHARE UPDATE EXCLUSIVE} without waiting (a table locked by
 * someone else is skipped), reporting to the statistics as an automatic
 * vacuum/analyze.
 */
@ProviderType
public interface Maintenance {

    /** A database autovacuum may connect to. */
    record Database(int oid, String name, boolean allowConnections) {
    }

    /**
     * What a run did.
     *
     * @param vacuum        the vacuum's figures, or null when it did not vacuum
     * @param analyzed      whether it analyzed
     * @param relPages      pages after the work
     * @param liveTuples    live tuples after the work
     * @param deadTuples    dead tuples left
     * @param indexScans    index vacuum passes
     * @param elapsedNanos  how long it took
     */
    record Result(VacuumStats vacuum, boolean analyzed, long relPages, long liveTuples, long deadTuples,
            int indexScans, long elapsedNanos) {
    }

    List<Database> databases();

    /** The ordinary tables ({@code relkind = 'r'}, not temporary) of a database, catalogs included. */
    List<TableInfo> tables(int db);

    /**
     * Vacuums and/or analyzes one table. Returns null when the table is gone or
     * locked by another transaction (skipped, as autovacuum does).
     */
    Result run(TableInfo table, boolean vacuum, boolean analyze, boolean freeze, VacuumDelay delay);
}
