package modgres.sql.engine;

import java.time.Instant;

import modgres.api.error.PgException;
import modgres.api.server.ServerVersion;
import modgres.api.wal.Lsn;
import modgres.sql.exec.ExecState;
import modgres.sql.exec.TypeSystem;

/**
 * The functions that read the session, the server or the catalog rather than
 * compute from their arguments: settings, WAL positions, the clock of the
 * transaction, identities, and the catalog helpers psql and drivers call.
 * Resolved before the type system's own function table.
 */
final class SessionFunctions {
    private SessionFunctions() {
    }

    static final int BOOL = 16, NAME = 19, INT8 = 20, INT4 = 23, TEXT = 25, OID = 26, FLOAT8 = 701, TSTZ = 1184,
            VOID = 2278, LSN = 3220;

    private static final long EPOCH_2000 = 946_684_800L;

    static long micros(Instant i) {
        return (i.getEpochSecond() - EPOCH_2000) * 1_000_000L + i.getNano() / 1000;
    }

    private static EngineSession s(ExecState ex) {
        return (EngineSession) ex.session;
    }

    private static TypeSystem.Fn fn(String name, int[] args, int result, boolean strict, TypeSystem.Impl impl) {
        return new TypeSystem.Fn(name, args, result, -1, impl, strict);
    }

    /** The function, or null when it is not one of these. */
    static TypeSystem.Fn resolve(String name, int[] a) {
        int n = a.length;
        if (n == 1 && a[0] == TypeSystemImpl.XID && name.equals("age")) {
            // age(xid): ids handed out since, counted from the next id (PostgreSQL: this transaction's
            // id when it has one; the next id is the same or newer, and asking never assigns one)
            return fn(name, a, INT4, true, (x, ex) -> modgres.sql.exec.Freezing.age(((Number) x[0]).intValue(),
                    ex.txn.nextXid()));
        }
        switch (name + "/" + n) {
            case "version/0": {
                String v = ServerVersion.versionString();
                return fn(name, a, TEXT, true, (x, ex) -> v);
            }
            case "current_database/0":
                return fn(name, a, NAME, true, (x, ex) -> s(ex).database());
            case "current_schema/0":
                return fn(name, a, NAME, true, (x, ex) -> s(ex).firstSchema());
            case "current_user/0", "user/0", "current_role/0":
                return fn(name, a, NAME, true, (x, ex) -> s(ex).currentUser());
            case "session_user/0":
                return fn(name, a, NAME, true, (x, ex) -> s(ex).sessionUser());
            case "has_table_privilege/2", "has_table_privilege/3", "has_column_privilege/3",
                    "has_column_privilege/4": {
                // (table, [column,] privilege) of the current role, or (role, table, [column,] privilege)
                boolean column = name.startsWith("has_column");
                boolean withUser = n == (column ? 4 : 3);
                int[] sig = new int[n];
                java.util.Arrays.fill(sig, TEXT);
                int tableArg = withUser ? 1 : 0;
                if (a[tableArg] == OID || a[tableArg] == 2205) {
                    sig[tableArg] = OID;
                }
                if (withUser) {
                    sig[0] = NAME;
                }
                return fn(name, sig, BOOL, true, (x, ex) -> s(ex).hasPrivilege(withUser ? (String) x[0] : null,
                        x[tableArg], column ? (String) x[tableArg + 1] : null, (String) x[n - 1]));
            }
            case "pg_has_role/2", "pg_has_role/3":
                return fn(name, n == 2 ? new int[] {NAME, TEXT} : new int[] {NAME, NAME, TEXT}, BOOL, true,
                        (x, ex) -> s(ex).hasRole(n == 3 ? (String) x[0] : null, (String) x[n - 2], (String) x[n - 1]));
            case "current_catalog/0":
                return fn(name, a, NAME, true, (x, ex) -> s(ex).database());
            case "pg_backend_pid/0":
                return fn(name, a, INT4, true, (x, ex) -> (int) s(ex).pid());
            case "pg_current_wal_lsn/0":
                return fn(name, a, LSN, true, (x, ex) -> s(ex).wal(name, false).writtenPosition());
            case "pg_current_wal_insert_lsn/0":
                return fn(name, a, LSN, true, (x, ex) -> s(ex).wal(name, false).insertPosition());
            case "pg_current_wal_flush_lsn/0":
                return fn(name, a, LSN, true, (x, ex) -> s(ex).wal(name, false).flushedPosition());
            case "pg_switch_wal/0":
                return fn(name, a, LSN, true, (x, ex) -> s(ex).wal(name, true).switchSegment());
            case "pg_reload_conf/0":
                return fn(name, a, BOOL, true, (x, ex) -> s(ex).reloadConf());
            case "now/0", "transaction_timestamp/0", "current_timestamp/0":
                return fn(name, a, TSTZ, true, (x, ex) -> micros(s(ex).transactionStart()));
            case "statement_timestamp/0", "clock_timestamp/0":
                return fn(name, a, TSTZ, true, (x, ex) -> micros(Instant.now()));
            case "current_setting/1":
                return fn(name, new int[] {TEXT}, TEXT, true, (x, ex) -> s(ex).setting((String) x[0], false));
            case "current_setting/2":
                return fn(name, new int[] {TEXT, BOOL}, TEXT, true,
                        (x, ex) -> s(ex).setting((String) x[0], (Boolean) x[1]));
            case "set_config/3":
                return fn(name, new int[] {TEXT, TEXT, BOOL}, TEXT, false, (x, ex) -> {
                    if (x[0] == null) {
                        throw new PgException("22004", "SET requires parameter name");
                    }
                    return s(ex).setConfig((String) x[0], (String) x[1], Boolean.TRUE.equals(x[2]));
                });
            case "pg_sleep/1":
                return fn(name, new int[] {FLOAT8}, VOID, true, (x, ex) -> {
                    s(ex).sleep((Double) x[0]);
                    return "";
                });
            case "txid_current/0":
                return fn(name, a, INT8, true, (x, ex) -> ex.txn.topFullXid());
            case "pg_current_xact_id/0":
                return fn(name, a, modgres.sql.types.Types.XID8_OID, true, (x, ex) -> ex.txn.topFullXid());
            case "pg_get_userbyid/1":
                return fn(name, new int[] {OID}, NAME, true, (x, ex) -> s(ex).roleName(((Number) x[0]).longValue()));
            case "nextval/1":
                return new TypeSystem.Fn(name, new int[] {TEXT}, INT8, -1, (x, ex) -> s(ex).nextval((String) x[0]),
                        true);
            case "currval/1":
                return fn(name, new int[] {TEXT}, INT8, true, (x, ex) -> s(ex).currval((String) x[0]));
            case "setval/2":
                return fn(name, new int[] {TEXT, INT8}, INT8, true,
                        (x, ex) -> s(ex).setval((String) x[0], (Long) x[1], true));
            case "setval/3":
                return fn(name, new int[] {TEXT, INT8, BOOL}, INT8, true,
                        (x, ex) -> s(ex).setval((String) x[0], (Long) x[1], (Boolean) x[2]));
            case "pg_stat_reset/0":
                return fn(name, a, VOID, false, (x, ex) -> {
                    statsStore(ex).resetDatabase(ex.txn.database());
                    return "";
                });
            case "pg_stat_reset_shared/1":
                return fn(name, new int[] {TEXT}, VOID, true, (x, ex) -> {
                    statsStore(ex).resetShared((String) x[0]);
                    return "";
                });
            case "pg_stat_reset_single_table_counters/1":
                return fn(name, new int[] {OID}, VOID, true, (x, ex) -> {
                    statsStore(ex).resetTable(ex.txn.database(), ((Number) x[0]).intValue());
                    return "";
                });
            case "pg_stat_force_next_flush/0":
                // this backend's counts go to the collector at every transaction end already; this
                // also waits until the collector has applied them, so that the next query sees them
                return fn(name, a, VOID, false, (x, ex) -> {
                    modgres.api.stats.StatsCollector c = ex.statsCollector.get();
                    if (ex.stats != null && c != null) {
                        ex.stats.flush(c);
                        c.sync(5_000);
                    }
                    return "";
                });
            case "pg_stat_clear_snapshot/0":
                return fn(name, a, VOID, false, (x, ex) -> "");
            case "current_schemas/1":
                return fn(name, new int[] {BOOL}, 1003, true, (x, ex) -> s(ex).currentSchemas((Boolean) x[0]));
            case "array_position/2":
                // over the name[] arrays the catalog functions give (pgbench's partition probe); arrays in
                // general are not in the executor yet
                return fn(name, new int[] {1003, NAME}, INT4, false, (x, ex) -> {
                    if (x[0] == null) {
                        return null;
                    }
                    Object[] v = ((modgres.sql.types.PgArray) x[0]).values();
                    for (int i = 0; i < v.length; i++) {
                        if (v[i] == null ? x[1] == null : v[i].equals(x[1])) {
                            return i + ((modgres.sql.types.PgArray) x[0]).lbounds()[0];
                        }
                    }
                    return null;
                });
            case "pg_my_temp_schema/0":
                return fn(name, a, OID, true, (x, ex) -> 0L);
            case "pg_table_is_visible/1":
                return fn(name, new int[] {OID}, BOOL, true, (x, ex) -> s(ex).tableVisible(((Number) x[0]).intValue()));
            default:
                return CatalogFunctions.resolve(name, a);
        }
    }

    private static modgres.api.stats.StatsStore statsStore(ExecState ex) {
        modgres.api.stats.StatsStore st = ex.statsStore.get();
        if (st == null) {
            throw new PgException("55000", "cumulative statistics are not available",
                    "No statistics store is active: install the modgres.stats bundle.", null);
        }
        return st;
    }

    static String lsn(long l) {
        return Lsn.format(l);
    }
}
