package modgres.api.stats;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One process's counts not yet handed to the collector (PostgreSQL 15's
 * "pending" statistics). Not thread-safe: a process owns its instance, adds to
 * it while it works and, at the end of a transaction or a round, hands the
 * content over with {@link #drain()} and {@link StatsCollector#flush}. When no
 * collector is active the counts simply stay pending until one is, so a swap
 * loses none.
 *
 * <p>Order within one batch: the store applies {@link StatsEvent.Truncated}
 * events first, then the counter deltas, then the other events in their
 * order (a vacuum's absolute figures win over the counts of the same batch).
 */
public final class PendingStats {

    /** A table's identity: database OID and the table's OID. */
    public record TableKey(int db, int rel) {
    }

    private Map<TableKey, long[]> tables = new HashMap<>();
    private Map<Integer, long[]> databases = new HashMap<>();
    private List<StatsEvent> events = new ArrayList<>();

    /** The delta array of a table, indexed by {@link TableCounter#ordinal()}; created on first use. */
    public long[] table(int db, int rel) {
        return tables.computeIfAbsent(new TableKey(db, rel), k -> new long[TableCounter.COUNT]);
    }

    public void add(int db, int rel, TableCounter c, long n) {
        table(db, rel)[c.ordinal()] += n;
    }

    /** The delta array of a database, indexed by {@link DatabaseCounter#ordinal()}; created on first use. */
    public long[] database(int db) {
        return databases.computeIfAbsent(db, k -> new long[DatabaseCounter.COUNT]);
    }

    public void add(int db, DatabaseCounter c, long n) {
        database(db)[c.ordinal()] += n;
    }

    public void event(StatsEvent e) {
        events.add(e);
    }

    public boolean isEmpty() {
        return tables.isEmpty() && databases.isEmpty() && events.isEmpty();
    }

    /** Moves everything pending into a new instance (which the caller hands to the collector) and leaves this one empty. */
    public PendingStats drain() {
        PendingStats out = new PendingStats();
        out.tables = tables;
        out.databases = databases;
        out.events = events;
        tables = new HashMap<>();
        databases = new HashMap<>();
        events = new ArrayList<>();
        return out;
    }

    /** Adds everything of {@code other} to this (a flush that could not be delivered goes back this way). */
    public void merge(PendingStats other) {
        other.tables.forEach((k, v) -> {
            long[] mine = tables.computeIfAbsent(k, x -> new long[TableCounter.COUNT]);
            for (int i = 0; i < v.length; i++) {
                mine[i] += v[i];
            }
        });
        other.databases.forEach((k, v) -> {
            long[] mine = databases.computeIfAbsent(k, x -> new long[DatabaseCounter.COUNT]);
            for (int i = 0; i < v.length; i++) {
                mine[i] += v[i];
            }
        });
        events.addAll(other.events);
    }

    /** Read access for the collector and the store. */
    public Map<TableKey, long[]> tables() {
        return tables;
    }

    public Map<Integer, long[]> databases() {
        return databases;
    }

    public List<StatsEvent> events() {
        return events;
    }
}
