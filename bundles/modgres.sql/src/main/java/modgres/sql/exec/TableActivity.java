package modgres.sql.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import modgres.api.stats.DatabaseCounter;
import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsCollector;
import modgres.api.stats.StatsEvent;
import modgres.api.stats.TableCounter;

/*
 * Design notes: a session's share of the cumulative statistics (PostgreSQL's
 * pgstat_relation.c and pgstat_database.c, backend side).
 *
 * Scans count straight into the session's PendingStats (seq_scan,
 * seq_tup_read, idx_scan, idx_tup_fetch): those figures do not depend on the
 * transaction's outcome. Inserts, updates and deletes are counted per
 * transaction and savepoint level, because what they do to n_live_tup and
 * n_dead_tup depends on how the level ends:
 *
 *   commit:  n_tup_ins/upd/del += attempted; live += ins - del; dead += upd + del;
 *            n_mod_since_analyze += ins + upd + del
 *   abort:   n_tup_ins/upd/del += attempted; dead += ins + upd (the new versions)
 *   both:    n_ins_since_vacuum += ins
 *
 * ROLLBACK TO a savepoint ends its levels as an abort; RELEASE adds a level to
 * its parent. A committed TRUNCATE forgets the live/dead deltas and sends a
 * Truncated event. At the end of each transaction the pending statistics go
 * to the active StatsCollector; when none is bound (a swap in progress) or it
 * refuses them, they stay pending for the next transaction: nothing is lost.
 */
/** A session's pending statistics and its transaction's table counts (see the design notes). */
public final class TableActivity {
    private static final int INS = 0;
    private static final int UPD = 1;
    private static final int DEL = 2;

    private final int db;
    private PendingStats pending = new PendingStats();
    /** Per savepoint level (0 = top): table OID → {ins, upd, del}. */
    private final List<Map<Integer, long[]>> levels = new ArrayList<>();
    private final List<Set<Integer>> truncated = new ArrayList<>();
    // One-entry caches: a statement counts rows of one table over and over, and the maps would box the
    // OID and allocate a key for every row. Reset whenever the maps they point into change.
    private int cachedRel = -1;
    private long[] cachedTable;
    private int cachedLevelRel = -1;
    private long[] cachedLevel;

    public TableActivity(int db) {
        this.db = db;
        begin();
    }

    /** The scan counters of a table (indexed by {@link TableCounter#ordinal()}), to add to directly. */
    public long[] table(int rel) {
        if (cachedTable == null || cachedRel != rel) {
            cachedTable = pending.table(db, rel);
            cachedRel = rel;
        }
        return cachedTable;
    }

    public void inserted(int rel, long n) {
        level(rel)[INS] += n;
    }

    public void updated(int rel, boolean hot) {
        level(rel)[UPD]++;
        if (hot) {
            table(rel)[TableCounter.N_TUP_HOT_UPD.ordinal()]++;
        }
    }

    public void deleted(int rel) {
        level(rel)[DEL]++;
    }

    /** TRUNCATE (or a rewrite) in this transaction. */
    public void truncated(int rel) {
        truncated.get(truncated.size() - 1).add(rel);
    }

    /** A table dropped by a committed transaction. */
    public void dropped(int rel) {
        pending.event(new StatsEvent.TableDropped(db, rel));
    }

    /** A manual VACUUM or ANALYZE finished. */
    public void event(StatsEvent e) {
        pending.event(e);
    }

    public void count(DatabaseCounter c, long n) {
        pending.add(db, c, n);
    }

    private long[] level(int rel) {
        if (cachedLevel == null || cachedLevelRel != rel) {
            cachedLevel = levels.get(levels.size() - 1).computeIfAbsent(rel, k -> new long[3]);
            cachedLevelRel = rel;
        }
        return cachedLevel;
    }

    /** A transaction starts. */
    public void begin() {
        cachedLevel = null;
        levels.clear();
        truncated.clear();
        levels.add(new HashMap<>());
        truncated.add(new java.util.HashSet<>());
    }

    /** SAVEPOINT. */
    public void push() {
        cachedLevel = null;
        levels.add(new HashMap<>());
        truncated.add(new java.util.HashSet<>());
    }

    /** ROLLBACK TO the savepoint that opened level {@code lvl}: its levels end as aborted (the caller pushes it again). */
    public void rollbackTo(int lvl) {
        cachedLevel = null;
        while (levels.size() > lvl) {
            endLevel(levels.remove(levels.size() - 1), false);
            truncated.remove(truncated.size() - 1);
        }
    }

    /** RELEASE the savepoint that opened level {@code lvl}. */
    public void release(int lvl) {
        cachedLevel = null;
        while (levels.size() > lvl) {
            int last = levels.size() - 1;
            Map<Integer, long[]> child = levels.remove(last);
            Map<Integer, long[]> parent = levels.get(last - 1);
            child.forEach((rel, c) -> {
                long[] p = parent.computeIfAbsent(rel, k -> new long[3]);
                for (int i = 0; i < 3; i++) {
                    p[i] += c[i];
                }
            });
            truncated.get(last - 1).addAll(truncated.remove(last));
        }
    }

    /** The transaction ended: its counts join the pending statistics. */
    public void end(boolean commit) {
        if (commit) {
            for (Set<Integer> t : truncated) {
                for (int rel : t) {
                    long[] c = pending.table(db, rel);
                    c[TableCounter.N_LIVE_TUP.ordinal()] = 0;
                    c[TableCounter.N_DEAD_TUP.ordinal()] = 0;
                    pending.event(new StatsEvent.Truncated(db, rel));
                }
            }
        }
        for (int i = levels.size() - 1; i >= 0; i--) {
            endLevel(levels.get(i), commit);
        }
        pending.add(db, commit ? DatabaseCounter.XACT_COMMIT : DatabaseCounter.XACT_ROLLBACK, 1);
        begin();
    }

    private void endLevel(Map<Integer, long[]> level, boolean commit) {
        level.forEach((rel, c) -> {
            long[] t = pending.table(db, rel);
            t[TableCounter.N_TUP_INS.ordinal()] += c[INS];
            t[TableCounter.N_TUP_UPD.ordinal()] += c[UPD];
            t[TableCounter.N_TUP_DEL.ordinal()] += c[DEL];
            t[TableCounter.N_INS_SINCE_VACUUM.ordinal()] += c[INS];
            if (commit) {
                t[TableCounter.N_LIVE_TUP.ordinal()] += c[INS] - c[DEL];
                t[TableCounter.N_DEAD_TUP.ordinal()] += c[UPD] + c[DEL];
                t[TableCounter.N_MOD_SINCE_ANALYZE.ordinal()] += c[INS] + c[UPD] + c[DEL];
            } else {
                t[TableCounter.N_DEAD_TUP.ordinal()] += c[INS] + c[UPD];
            }
        });
        level.clear();
    }

    /**
     * Hands the pending statistics to the collector (null: none is active).
     * The database's tuple counters are summed from the tables' here, as
     * PostgreSQL's relation flush adds them to the database entry.
     */
    public void flush(StatsCollector collector) {
        if (collector == null || pending.isEmpty()) {
            return;
        }
        cachedTable = null;
        PendingStats out = pending.drain();
        long[] d = out.database(db);
        for (Map.Entry<PendingStats.TableKey, long[]> e : out.tables().entrySet()) {
            long[] t = e.getValue();
            d[DatabaseCounter.TUP_RETURNED.ordinal()] += t[TableCounter.SEQ_TUP_READ.ordinal()]
                    + t[TableCounter.IDX_TUP_FETCH.ordinal()];
            d[DatabaseCounter.TUP_FETCHED.ordinal()] += t[TableCounter.IDX_TUP_FETCH.ordinal()];
            d[DatabaseCounter.TUP_INSERTED.ordinal()] += t[TableCounter.N_TUP_INS.ordinal()];
            d[DatabaseCounter.TUP_UPDATED.ordinal()] += t[TableCounter.N_TUP_UPD.ordinal()];
            d[DatabaseCounter.TUP_DELETED.ordinal()] += t[TableCounter.N_TUP_DEL.ordinal()];
            d[DatabaseCounter.BLKS_HIT.ordinal()] += t[TableCounter.HEAP_BLKS_HIT.ordinal()]
                    + t[TableCounter.IDX_BLKS_HIT.ordinal()];
            d[DatabaseCounter.BLKS_READ.ordinal()] += t[TableCounter.HEAP_BLKS_READ.ordinal()]
                    + t[TableCounter.IDX_BLKS_READ.ordinal()];
        }
        boolean taken;
        try {
            taken = collector.flush(out);
        } catch (RuntimeException e) {
            taken = false;
        }
        if (!taken) {
            // undo the database sums (they are recomputed at the next flush) and keep everything
            long[] dd = out.database(db);
            for (DatabaseCounter c : new DatabaseCounter[] {DatabaseCounter.TUP_RETURNED, DatabaseCounter.TUP_FETCHED,
                    DatabaseCounter.TUP_INSERTED, DatabaseCounter.TUP_UPDATED, DatabaseCounter.TUP_DELETED,
                    DatabaseCounter.BLKS_HIT, DatabaseCounter.BLKS_READ}) {
                dd[c.ordinal()] = 0;
            }
            out.merge(pending);
            pending = out;
        }
    }
}
