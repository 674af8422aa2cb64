package modgres.sql.exec;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import modgres.api.stats.ArchiverStats;
import modgres.api.stats.BgWriterStats;
import modgres.api.stats.DatabaseCounter;
import modgres.api.stats.DatabaseStats;
import modgres.api.stats.StatsStore;
import modgres.api.stats.TableCounter;
import modgres.api.stats.TableStats;
import modgres.api.stats.WalActivity;

/**
 * The statistics store read as rows (PostgreSQL's {@code pg_stat_get_*}
 * functions): the single-row views {@code pg_stat_bgwriter},
 * {@code pg_stat_wal} and {@code pg_stat_archiver} directly, in PostgreSQL
 * 15's column order, and two internal relations the SQL views
 * {@code pg_stat_all_tables} and {@code pg_stat_database} join with the
 * catalog ({@link SystemViews}). Without a store (the statistics bundle not
 * installed) the tables read as empty and the single rows as zeros.
 */
final class StatsScan extends Plan {

    /** What a scan reads. */
    enum Kind {
        TABLES("modgres_stat_tables"), DATABASES("modgres_stat_database"), BGWRITER("pg_stat_bgwriter"),
        WAL("pg_stat_wal"), ARCHIVER("pg_stat_archiver");

        final String relation;

        Kind(String relation) {
            this.relation = relation;
        }

        static Kind of(String name) {
            for (Kind k : values()) {
                if (k.relation.equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    private static final int INT8 = 20;
    private static final int OID = 26;
    private static final int TEXT = 25;
    private static final int FLOAT8 = 701;
    private static final int TIMESTAMPTZ = 1184;

    private static List<OutCol> columns(Kind k) {
        List<OutCol> c = new ArrayList<>();
        switch (k) {
            case TABLES -> {
                c.add(OutCol.of("relid", OID));
                for (TableCounter t : TableCounter.values()) {
                    c.add(OutCol.of(t.column(), INT8));
                }
                for (String n : new String[] {"last_vacuum", "last_autovacuum", "last_analyze", "last_autoanalyze"}) {
                    c.add(OutCol.of(n, TIMESTAMPTZ));
                }
            }
            case DATABASES -> {
                c.add(OutCol.of("datid", OID));
                for (DatabaseCounter d : DatabaseCounter.values()) {
                    String n = d.name().toLowerCase(java.util.Locale.ROOT);
                    c.add(n.endsWith("_us") ? OutCol.of(n.substring(0, n.length() - 3), FLOAT8) : OutCol.of(n, INT8));
                }
                c.add(OutCol.of("stats_reset", TIMESTAMPTZ));
            }
            case BGWRITER -> {
                c.add(OutCol.of("checkpoints_timed", INT8));
                c.add(OutCol.of("checkpoints_req", INT8));
                c.add(OutCol.of("checkpoint_write_time", FLOAT8));
                c.add(OutCol.of("checkpoint_sync_time", FLOAT8));
                for (String n : new String[] {"buffers_checkpoint", "buffers_clean", "maxwritten_clean",
                    "buffers_backend", "buffers_backend_fsync", "buffers_alloc"}) {
                    c.add(OutCol.of(n, INT8));
                }
                c.add(OutCol.of("stats_reset", TIMESTAMPTZ));
            }
            case WAL -> {
                c.add(OutCol.of("wal_records", INT8));
                c.add(OutCol.of("wal_fpi", INT8));
                c.add(OutCol.of("wal_bytes", 1700));
                c.add(OutCol.of("wal_buffers_full", INT8));
                c.add(OutCol.of("wal_write", INT8));
                c.add(OutCol.of("wal_sync", INT8));
                c.add(OutCol.of("wal_write_time", FLOAT8));
                c.add(OutCol.of("wal_sync_time", FLOAT8));
                c.add(OutCol.of("stats_reset", TIMESTAMPTZ));
            }
            case ARCHIVER -> {
                c.add(OutCol.of("archived_count", INT8));
                c.add(OutCol.of("last_archived_wal", TEXT));
                c.add(OutCol.of("last_archived_time", TIMESTAMPTZ));
                c.add(OutCol.of("failed_count", INT8));
                c.add(OutCol.of("last_failed_wal", TEXT));
                c.add(OutCol.of("last_failed_time", TIMESTAMPTZ));
                c.add(OutCol.of("stats_reset", TIMESTAMPTZ));
            }
            default -> throw new IllegalStateException();
        }
        return c;
    }

    private final Kind kind;
    private Iterator<Object[]> it;

    StatsScan(Kind kind) {
        super(columns(kind));
        this.kind = kind;
        estimate(0, 1, kind == Kind.TABLES || kind == Kind.DATABASES ? 100 : 1);
    }

    /** Unix-epoch microseconds to a timestamptz value (PostgreSQL-epoch microseconds); 0 = NULL. */
    private static Long ts(long unixMicros) {
        return unixMicros == 0 ? null : unixMicros - 946_684_800_000_000L;
    }

    @Override
    protected void doOpen(ExecState ex) {
        StatsStore store = ex.statsStore == null ? null : ex.statsStore.get();
        List<Object[]> rows = new ArrayList<>();
        int db = ex.txn.database();
        switch (kind) {
            case TABLES -> {
                if (store != null) {
                    for (TableStats t : store.tables(db)) {
                        Object[] r = new Object[columns.size()];
                        r[0] = Integer.toUnsignedLong(t.rel());
                        for (int i = 0; i < TableCounter.COUNT; i++) {
                            r[1 + i] = t.counters()[i];
                        }
                        int at = 1 + TableCounter.COUNT;
                        r[at] = ts(t.lastVacuum());
                        r[at + 1] = ts(t.lastAutovacuum());
                        r[at + 2] = ts(t.lastAnalyze());
                        r[at + 3] = ts(t.lastAutoanalyze());
                        rows.add(r);
                    }
                }
            }
            case DATABASES -> {
                if (store != null) {
                    rows.add(databaseRow(store.database(0)));
                    modgres.sql.catalog.SysTable pd = modgres.sql.catalog.SysTable.PG_DATABASE;
                    for (modgres.sql.catalog.CatalogStore.Row r : new modgres.sql.catalog.CatalogStore(ex.heap, 0)
                            .scan(pd, ex.txn.snapshot())) {
                        rows.add(databaseRow(store.database((Integer) r.get(pd, "oid"))));
                    }
                }
            }
            case BGWRITER -> {
                BgWriterStats b = store == null ? new BgWriterStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0) : store.bgwriter();
                rows.add(new Object[] {b.checkpointsTimed(), b.checkpointsReq(), b.checkpointWriteTime(),
                    b.checkpointSyncTime(), b.buffersCheckpoint(), b.buffersClean(), b.maxwrittenClean(),
                    b.buffersBackend(), b.buffersBackendFsync(), b.buffersAlloc(), ts(b.statsReset())});
            }
            case WAL -> {
                WalActivity w = store == null ? new WalActivity(0, 0, 0, 0, 0, 0, 0, 0, 0) : store.wal();
                rows.add(new Object[] {w.walRecords(), w.walFpi(), modgres.sql.types.NumericOps.parse(Long.toString(w.walBytes())),
                    w.walBuffersFull(), w.walWrite(), w.walSync(), w.walWriteTime(), w.walSyncTime(),
                    ts(w.statsReset())});
            }
            case ARCHIVER -> {
                ArchiverStats a = store == null ? new ArchiverStats(0, null, 0, 0, null, 0, 0) : store.archiver();
                rows.add(new Object[] {a.archivedCount(), a.lastArchivedWal(), ts(a.lastArchivedTime()),
                    a.failedCount(), a.lastFailedWal(), ts(a.lastFailedTime()), ts(a.statsReset())});
            }
            default -> throw new IllegalStateException();
        }
        it = rows.iterator();
    }

    private Object[] databaseRow(DatabaseStats d) {
        Object[] r = new Object[columns.size()];
        r[0] = Integer.toUnsignedLong(d.db());
        DatabaseCounter[] cs = DatabaseCounter.values();
        for (int i = 0; i < cs.length; i++) {
            long v = d.counters()[i];
            r[1 + i] = cs[i].name().endsWith("_US") ? (Object) (v / 1000.0) : (Object) v;
        }
        r[1 + cs.length] = ts(d.statsReset());
        return r;
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        return it.hasNext() ? it.next() : null;
    }

    @Override
    public String label() {
        return "Function Scan on pg_stat_get_" + kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
