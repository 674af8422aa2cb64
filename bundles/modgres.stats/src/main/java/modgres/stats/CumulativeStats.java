package modgres.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import modgres.api.stats.ArchiverStats;
import modgres.api.stats.DatabaseCounter;
import modgres.api.stats.DatabaseStats;
import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsEvent;
import modgres.api.stats.TableCounter;
import modgres.api.stats.TableStats;

/*
 * Design notes
 * ------------
 * The variable-numbered statistics: databases, each with its tables, and
 * the archiver's figures. Two levels of ConcurrentHashMap (database OID ->
 * DatabaseEntry, which holds its tables by relation OID), so that
 * tables(db), pg_stat_reset() and a dropped database touch only that
 * database's tables. Each entry is a small object whose counters change
 * under its own monitor: apply() from many collectors at once contends
 * only when two of them touch the same table at the same moment, and a
 * reader gets a consistent copy of one entry.
 *
 * apply(): truncations first, then the deltas, then the other events in their order. A process
 * counts what it did before it reports a vacuum or analyze at the end of
 * it, so the absolute figures of the event win over the deltas of the same
 * batch (which is what PostgreSQL's immediate vacuum report achieves).
 * n_live_tup and n_dead_tup are clamped at zero after every change, as
 * PostgreSQL 15 clamps them (a negative delta may reach a table whose
 * counts were reset or restored from an older state).
 *
 * Removal (a dropped table or database) races harmlessly with apply(): a
 * delta that lands on an entry just removed is lost with the entry, which
 * is what dropping means.
 */

/** Per-table and per-database counters and pg_stat_archiver; thread-safe. */
final class CumulativeStats {

    private static final int LIVE = TableCounter.N_LIVE_TUP.ordinal();
    private static final int DEAD = TableCounter.N_DEAD_TUP.ordinal();

    /** One table's counters and its vacuum/analyze times. */
    static final class TableEntry {
        private final long[] counters = new long[TableCounter.COUNT];
        private long lastVacuum;
        private long lastAutovacuum;
        private long lastAnalyze;
        private long lastAutoanalyze;

        synchronized void add(long[] delta) {
            int n = Math.min(delta.length, counters.length);
            for (int i = 0; i < n; i++) {
                counters[i] += delta[i];
            }
            clamp();
        }

        synchronized void vacuumed(StatsEvent.Vacuumed v) {
            counters[LIVE] = v.liveTuples();
            counters[DEAD] = v.deadTuples();
            clamp();
            counters[TableCounter.N_INS_SINCE_VACUUM.ordinal()] = 0;
            if (v.auto()) {
                counters[TableCounter.AUTOVACUUM_COUNT.ordinal()]++;
                lastAutovacuum = v.atMicros();
            } else {
                counters[TableCounter.VACUUM_COUNT.ordinal()]++;
                lastVacuum = v.atMicros();
            }
        }

        synchronized void analyzed(StatsEvent.Analyzed a) {
            counters[LIVE] = a.liveTuples();
            if (a.deadTuples() >= 0) {
                counters[DEAD] = a.deadTuples();
            }
            clamp();
            counters[TableCounter.N_MOD_SINCE_ANALYZE.ordinal()] = 0;
            if (a.auto()) {
                counters[TableCounter.AUTOANALYZE_COUNT.ordinal()]++;
                lastAutoanalyze = a.atMicros();
            } else {
                counters[TableCounter.ANALYZE_COUNT.ordinal()]++;
                lastAnalyze = a.atMicros();
            }
        }

        /** A committed TRUNCATE: the table holds nothing, live or dead. */
        synchronized void truncated() {
            counters[LIVE] = 0;
            counters[DEAD] = 0;
        }

        /** Everything to zero, times included (PostgreSQL clears the whole entry). */
        synchronized void reset() {
            java.util.Arrays.fill(counters, 0);
            lastVacuum = 0;
            lastAutovacuum = 0;
            lastAnalyze = 0;
            lastAutoanalyze = 0;
        }

        synchronized void restore(long[] values, long vacuum, long autovacuum, long analyze, long autoanalyze) {
            System.arraycopy(values, 0, counters, 0, Math.min(values.length, counters.length));
            clamp();
            lastVacuum = vacuum;
            lastAutovacuum = autovacuum;
            lastAnalyze = analyze;
            lastAutoanalyze = autoanalyze;
        }

        synchronized TableStats snapshot(int db, int rel) {
            return new TableStats(db, rel, counters.clone(), lastVacuum, lastAutovacuum, lastAnalyze,
                    lastAutoanalyze);
        }

        private void clamp() {
            if (counters[LIVE] < 0) {
                counters[LIVE] = 0;
            }
            if (counters[DEAD] < 0) {
                counters[DEAD] = 0;
            }
        }
    }

    /** One database's counters, its reset time and its tables. */
    static final class DatabaseEntry {
        private final long[] counters = new long[DatabaseCounter.COUNT];
        private long statsReset;
        final ConcurrentHashMap<Integer, TableEntry> tables = new ConcurrentHashMap<>();

        synchronized void add(long[] delta) {
            int n = Math.min(delta.length, counters.length);
            for (int i = 0; i < n; i++) {
                counters[i] += delta[i];
            }
        }

        synchronized void reset(long now) {
            java.util.Arrays.fill(counters, 0);
            statsReset = now;
        }

        synchronized void resetTime(long now) {
            statsReset = now;
        }

        synchronized void restore(long[] values, long reset) {
            System.arraycopy(values, 0, counters, 0, Math.min(values.length, counters.length));
            statsReset = reset;
        }

        synchronized DatabaseStats snapshot(int db) {
            return new DatabaseStats(db, counters.clone(), statsReset);
        }

        TableEntry table(int rel) {
            return tables.computeIfAbsent(rel, r -> new TableEntry());
        }
    }

    private final ConcurrentHashMap<Integer, DatabaseEntry> databases = new ConcurrentHashMap<>();

    // pg_stat_archiver, under archiverLock.
    private final Object archiverLock = new Object();
    private long archivedCount;
    private String lastArchivedWal;
    private long lastArchivedTime;
    private long failedCount;
    private String lastFailedWal;
    private long lastFailedTime;
    private long archiverReset;

    private DatabaseEntry db(int db) {
        return databases.computeIfAbsent(db, d -> new DatabaseEntry());
    }

    /** Adds the deltas, then applies the events in order (see the design notes). */
    void apply(PendingStats stats) {
        // a truncation comes first: the batch's deltas are what happened after it (the backend
        // dropped the ones from before when the truncating transaction committed)
        for (StatsEvent event : stats.events()) {
            if (event instanceof StatsEvent.Truncated t) {
                db(t.db()).table(t.rel()).truncated();
            }
        }
        for (Map.Entry<PendingStats.TableKey, long[]> e : stats.tables().entrySet()) {
            PendingStats.TableKey k = e.getKey();
            db(k.db()).table(k.rel()).add(e.getValue());
        }
        for (Map.Entry<Integer, long[]> e : stats.databases().entrySet()) {
            db(e.getKey()).add(e.getValue());
        }
        for (StatsEvent event : stats.events()) {
            apply(event);
        }
    }

    void apply(StatsEvent event) {
        if (event instanceof StatsEvent.Vacuumed v) {
            db(v.db()).table(v.rel()).vacuumed(v);
        } else if (event instanceof StatsEvent.Analyzed a) {
            db(a.db()).table(a.rel()).analyzed(a);
        } else if (event instanceof StatsEvent.TableDropped d) {
            DatabaseEntry e = databases.get(d.db());
            if (e != null) {
                e.tables.remove(d.rel());
            }
        } else if (event instanceof StatsEvent.DatabaseDropped d) {
            databases.remove(d.db());
        } else if (event instanceof StatsEvent.Archived a) {
            synchronized (archiverLock) {
                archivedCount++;
                lastArchivedWal = a.segment();
                lastArchivedTime = a.atMicros();
            }
        } else if (event instanceof StatsEvent.ArchiveFailed f) {
            synchronized (archiverLock) {
                failedCount++;
                lastFailedWal = f.segment();
                lastFailedTime = f.atMicros();
            }
        }
    }

    TableStats table(int db, int rel) {
        DatabaseEntry d = databases.get(db);
        TableEntry t = d == null ? null : d.tables.get(rel);
        return t == null ? null : t.snapshot(db, rel);
    }

    /** The database's tables, by relation OID. */
    List<TableStats> tables(int db) {
        DatabaseEntry d = databases.get(db);
        if (d == null) {
            return List.of();
        }
        List<TableStats> out = new ArrayList<>();
        d.tables.forEach((rel, t) -> out.add(t.snapshot(db, rel)));
        out.sort(Comparator.comparingInt(TableStats::rel));
        return out;
    }

    DatabaseStats database(int db) {
        DatabaseEntry d = databases.get(db);
        return d == null ? new DatabaseStats(db, new long[DatabaseCounter.COUNT], 0) : d.snapshot(db);
    }

    /** Every database with an entry, by OID. */
    List<DatabaseStats> databases() {
        List<DatabaseStats> out = new ArrayList<>();
        databases.forEach((db, d) -> out.add(d.snapshot(db)));
        out.sort(Comparator.comparingInt(DatabaseStats::db));
        return out;
    }

    /** Every table of every database, by database then relation. */
    List<TableStats> allTables() {
        List<TableStats> out = new ArrayList<>();
        databases.forEach((db, d) -> d.tables.forEach((rel, t) -> out.add(t.snapshot(db, rel))));
        out.sort(Comparator.comparingInt(TableStats::db).thenComparingInt(TableStats::rel));
        return out;
    }

    ArchiverStats archiver() {
        synchronized (archiverLock) {
            return new ArchiverStats(archivedCount, lastArchivedWal, lastArchivedTime, failedCount, lastFailedWal,
                    lastFailedTime, archiverReset);
        }
    }

    /** pg_stat_reset(): the database's counters and all its tables' to zero; its stats_reset to now. */
    void resetDatabase(int db, long now) {
        DatabaseEntry d = db(db);
        d.tables.values().forEach(TableEntry::reset);
        d.reset(now);
    }

    /**
     * pg_stat_reset_single_table_counters(): the table's counters to zero and,
     * as PostgreSQL 15 does, the database's stats_reset to now.
     */
    void resetTable(int db, int rel, long now) {
        DatabaseEntry d = db(db);
        TableEntry t = d.tables.get(rel);
        if (t != null) {
            t.reset();
        }
        d.resetTime(now);
    }

    /** pg_stat_reset_shared('archiver'). */
    void resetArchiver(long now) {
        synchronized (archiverLock) {
            archivedCount = 0;
            lastArchivedWal = null;
            lastArchivedTime = 0;
            failedCount = 0;
            lastFailedWal = null;
            lastFailedTime = 0;
            archiverReset = now;
        }
    }

    /** Sets only the archiver's stats_reset (a start without a valid statistics file). */
    void archiverResetTime(long now) {
        synchronized (archiverLock) {
            archiverReset = now;
        }
    }

    void restoreArchiver(ArchiverStats a) {
        synchronized (archiverLock) {
            archivedCount = a.archivedCount();
            lastArchivedWal = a.lastArchivedWal();
            lastArchivedTime = a.lastArchivedTime();
            failedCount = a.failedCount();
            lastFailedWal = a.lastFailedWal();
            lastFailedTime = a.lastFailedTime();
            archiverReset = a.statsReset();
        }
    }

    void restoreDatabase(DatabaseStats d) {
        db(d.db()).restore(d.counters(), d.statsReset());
    }

    void restoreTable(TableStats t) {
        db(t.db()).table(t.rel()).restore(t.counters(), t.lastVacuum(), t.lastAutovacuum(), t.lastAnalyze(),
                t.lastAutoanalyze());
    }
}
