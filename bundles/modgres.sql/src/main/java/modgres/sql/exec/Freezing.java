package modgres.sql.exec;

import java.util.function.Function;

import modgres.api.access.Heap;
import modgres.api.txn.Snapshot;
import modgres.api.txn.TransactionManager;
import modgres.api.txn.Xid;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.RowCodec;
import modgres.sql.catalog.SysTable;

/*
 * Design notes: freezing and the wraparound horizon (PostgreSQL's
 * vacuum_set_xid_limits, vac_update_relstats' relfrozenxid part and
 * vac_update_datfrozenxid).
 *
 *   table  relfrozenxid   every unfrozen xid in the table follows it. Set to
 *                         the creator's snapshot xmin; a vacuum that went over
 *                         every page (ours always do: there is no visibility
 *                         map to skip pages with) froze every xmin before its
 *                         freeze limit and cleared every older xmax, so the
 *                         limit becomes the new relfrozenxid (never backwards).
 *   db     datfrozenxid   the oldest relfrozenxid of the database's tables,
 *                         written in place (no new row version: it must not
 *                         wait for, or conflict with, anybody's transaction).
 *   server oldestXid      the oldest datfrozenxid of all databases: the
 *                         transaction manager refuses new ids 3 million before
 *                         it would be reused, and warns from 40 million before.
 *
 * The freeze limit: oldestXmin - min(vacuum_freeze_min_age,
 * autovacuum_freeze_max_age / 2) (VACUUM FREEZE: oldestXmin itself; an
 * autovacuum of a table with autovacuum_freeze_min_age uses that).
 */
public final class Freezing {
    static final int DEFAULT_MIN_AGE = 50_000_000;
    static final int DEFAULT_MAX_AGE = 200_000_000;

    private Freezing() {
    }

    /** The xid before which a vacuum freezes every xmin. */
    static int freezeLimit(boolean freeze, int oldestXmin, String relOptions, boolean auto,
            Function<String, String> setting) {
        if (freeze) {
            return oldestXmin;
        }
        long minAge = number(setting.apply("vacuum_freeze_min_age"), DEFAULT_MIN_AGE);
        if (auto) {
            String opt = option(relOptions, "autovacuum_freeze_min_age");
            if (opt != null) {
                minAge = number(opt, minAge);
            }
        }
        long maxAge = number(setting.apply("autovacuum_freeze_max_age"), DEFAULT_MAX_AGE);
        minAge = Math.max(0, Math.min(minAge, maxAge / 2));
        int limit = oldestXmin - (int) minAge;
        return Xid.isNormal(limit) ? limit : Xid.FIRST_NORMAL;
    }

    /** True when a relfrozenxid value (stored) precedes the new limit: the vacuum moves it forward. */
    static boolean advances(Object stored, int limit) {
        int old = stored == null ? Xid.INVALID : ((Number) stored).intValue();
        return !Xid.isNormal(old) || Xid.precedes(old, limit);
    }

    /** PostgreSQL's age(xid): how many ids were handed out since (INT_MAX for a special id). */
    public static int age(int xid, int nextXid) {
        if (!Xid.isNormal(xid)) {
            return Integer.MAX_VALUE;
        }
        return nextXid - xid;
    }

    /**
     * vac_update_datfrozenxid: the oldest relfrozenxid of the database's
     * tables (with {@code changedRel}'s new value, not yet visible to a
     * snapshot) written in place into its pg_database row when it moved
     * forward. Returns the database's datfrozenxid afterwards. Serialised: a
     * computation from an older snapshot never overwrites a newer value (the
     * value only moves forward, checked and written under the class lock).
     */
    public static synchronized int updateDatFrozenXid(CatalogStore store, Snapshot snapshot, int database,
            int changedRel,
            int changedFrozen) {
        SysTable c = SysTable.PG_CLASS;
        int oldest = Xid.INVALID;
        for (CatalogStore.Row r : store.scan(c, snapshot)) {
            String kind = (String) r.get(c, "relkind");
            if (!"r".equals(kind) && !"m".equals(kind) && !"t".equals(kind)) {
                continue;
            }
            int oid = (Integer) r.get(c, "oid");
            int f = oid == changedRel && changedFrozen != Xid.INVALID ? changedFrozen
                    : ((Number) r.get(c, "relfrozenxid")).intValue();
            if (Xid.isNormal(f) && (oldest == Xid.INVALID || Xid.precedes(f, oldest))) {
                oldest = f;
            }
        }
        SysTable d = SysTable.PG_DATABASE;
        for (CatalogStore.Row r : store.scan(d, snapshot)) {
            if ((Integer) r.get(d, "oid") != database) {
                continue;
            }
            int cur = ((Number) r.get(d, "datfrozenxid")).intValue();
            if (oldest != Xid.INVALID && advances(cur, oldest)) {
                Object[] v = r.values().clone();
                v[d.column("datfrozenxid")] = oldest;
                Heap heap = store.heap();
                heap.inplaceUpdate(store.ref(d), r.tid(), RowCodec.form(d.types(), v));
                return oldest;
            }
            return cur;
        }
        return oldest;
    }

    /**
     * SetTransactionIdLimit's input: the oldest datfrozenxid of all databases,
     * handed to the transaction manager with its database's name.
     */
    public static void refreshOldestXid(CatalogStore shared, Snapshot snapshot, TransactionManager tm) {
        SysTable d = SysTable.PG_DATABASE;
        int oldest = Xid.INVALID;
        String name = null;
        for (CatalogStore.Row r : shared.scan(d, snapshot)) {
            int f = ((Number) r.get(d, "datfrozenxid")).intValue();
            if (Xid.isNormal(f) && (oldest == Xid.INVALID || Xid.precedes(f, oldest))) {
                oldest = f;
                name = (String) r.get(d, "datname");
            }
        }
        if (oldest != Xid.INVALID) {
            tm.setOldestXid(oldest, name);
        }
    }

    private static long number(String s, long fallback) {
        if (s == null) {
            return fallback;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String option(String relOptions, String name) {
        if (relOptions == null) {
            return null;
        }
        for (String o : relOptions.split(",")) {
            String[] kv = o.split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase(name)) {
                return kv[1].trim();
            }
        }
        return null;
    }
}
