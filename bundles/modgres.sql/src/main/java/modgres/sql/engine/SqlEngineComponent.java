package modgres.sql.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import modgres.api.server.ServerControl;

import modgres.api.error.PgException;
import modgres.api.settings.Settings;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlEngine;
import modgres.api.sql.SqlSession;

/*
 * Design notes: the first SQL engine.
 *
 * - SqlEngineComponent (DS component "modgres.sql.engine", service SqlEngine,
 *   static reference to Settings) opens EngineSessions. Databases are the two
 *   that exist before any catalog: postgres and template1 (else FATAL 3D000).
 *   Roles come from <data dir>/global/pg_authid.bootstrap (tab-separated
 *   rolname, rolsuper, rolpassword; # comments), read on every call, until the
 *   catalog exists.
 * - EngineSession is used by one backend thread; only cancel() is called from
 *   other threads (a volatile flag, honoured between statements and rows while
 *   a statement runs, and every 10 ms inside pg_sleep; ignored when idle).
 *   statement_timeout is a deadline set when a Query or Execute begins (and
 *   again for each further statement of a multi-statement Query, as
 *   PostgreSQL 13+ does) and checked at the same places as the flag: no timer
 *   thread is needed while execution is cooperative. Both stop with 57014, the
 *   reason in the message ("... due to statement timeout" / "... due to user
 *   request"). pg_sleep returns void (oid 2278, printed as '').
 * - Statements are parsed by modgres.sql.parser and "compiled" into a
 *   Prepared: a SELECT without FROM becomes a list of typed evaluators
 *   (ExprCompiler, Typed, Arith, PgType) with its RowDescription; SHOW, SET,
 *   RESET and transaction control are executed when the portal runs; every
 *   other statement fails with 0A000 "<kind> is not supported yet" at the
 *   statement's position. Simple Query compiles and runs one statement
 *   at a time through the same Portal machinery as Bind/Execute.
 * - Types follow PostgreSQL's parse analysis for the handful of types known:
 *   integer literals are int4, int8 or numeric by size; strings and NULL are
 *   unknown until coerced (to text when they reach the output); numeric
 *   operators widen int4 < int8 < numeric < float8. Constant coercion errors
 *   carry the literal's position, as PostgreSQL's do. Rows are evaluated
 *   before RowDescription is sent, so an error in a constant expression sends
 *   no RowDescription (PostgreSQL fails such expressions while planning).
 * - Settings: SessionSettings overlays session values (startup parameters,
 *   which are also RESET's target, and SET) and SET LOCAL values over the
 *   server Settings; values are validated and canonicalised by
 *   Settings.validate. A transaction snapshots the overlay at its start and
 *   each savepoint at its creation: ROLLBACK (TO) restores it, SET LOCAL
 *   values lapse at transaction end, as in PostgreSQL.
 * - Transactions are state only: xactOpen (a transaction, explicit or
 *   implicit, is running), inBlock (BEGIN seen), failed ('E'). A single
 *   statement commits at its end; several statements in one Query share an
 *   implicit transaction; in extended mode the implicit transaction lasts
 *   until Sync. An error inside a block marks it failed; outside a block it
 *   rolls the implicit transaction back. Portals are dropped at transaction
 *   end (none are holdable).
 */
/**
 * The SQL engine: sessions over the parser with settings, transaction state
 * and SELECT without FROM.
 */
@Component(name = "modgres.sql.engine", service = {SqlEngine.class, modgres.api.autovacuum.Maintenance.class,
        modgres.api.settings.SettingsListener.class})
public final class SqlEngineComponent implements SqlEngine, modgres.api.autovacuum.Maintenance,
        modgres.api.settings.SettingsListener {
    private final Settings settings;

    /** The postmaster, for pg_reload_conf(); optional so that the engine runs without one (tests). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ServerControl server;

    /** The WAL, for pg_current_wal_lsn() and pg_switch_wal(); optional. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile modgres.api.wal.Wal wal;

    // The data path: tables need all of these; without them the engine runs statements without tables.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile modgres.api.access.Heap heap;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile modgres.api.access.BTree btree;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile modgres.api.txn.TransactionManager transactions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile modgres.api.txn.LockManager locks;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile modgres.api.control.Checkpointer checkpointer;

    /** The active stats collector (a swappable slot): sessions flush their counts to it; absent = they stay pending. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile modgres.api.stats.StatsCollector statsCollector;

    /** The buffer pool: its per-thread block counters feed pg_statio_* (optional). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile modgres.api.buffer.BufferPool bufferPool;

    /** Where temporary relations live (local buffers); without it CREATE TEMP TABLE fails (optional). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile modgres.api.temp.TempRelationStorage tempStorage;

    /** The statistics store, read by the pg_stat_* views. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile modgres.api.stats.StatsStore statsStore;

    /** The Log Service: backends' log_temp_files lines go to the server log through it (optional). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile org.osgi.service.log.LoggerFactory loggerFactory;

    /** The sequences' cached batches, shared by the sessions (rebuilt when the heap or transaction service changes). */
    private modgres.sql.exec.Sequences sequences;
    private modgres.api.access.Heap sequencesHeap;
    private modgres.api.txn.TransactionManager sequencesTm;

    /** Catalog versions, shared by the sessions of this engine. */
    private final modgres.sql.catalog.CatalogCache catalogCache = new modgres.sql.catalog.CatalogCache();

    /** The data services when all are present, else null. */
    DataServices dataServices() {
        modgres.api.access.Heap h = heap;
        modgres.api.access.BTree b = btree;
        modgres.api.txn.TransactionManager t = transactions;
        modgres.api.txn.LockManager l = locks;
        modgres.api.wal.Wal w = wal;
        if (h == null || b == null || t == null || l == null || w == null) {
            return null;
        }
        modgres.sql.exec.Sequences seq;
        synchronized (this) {
            if (sequences == null || sequencesHeap != h || sequencesTm != t) {
                sequences = new modgres.sql.exec.Sequences(h, t);
                sequencesHeap = h;
                sequencesTm = t;
            }
            seq = sequences;
        }
        return new DataServices(h, b, t, l, w, catalogCache, settings.dataDirectory(), () -> checkpointer, seq,
                () -> {
                    ServerControl s = server;
                    return s == null ? java.util.List.of() : s.backendStatuses();
                }, () -> statsCollector, () -> statsStore, () -> {
                    modgres.api.buffer.BufferPool p = bufferPool;
                    return p == null ? new long[2] : p.threadIoCounters();
                }, () -> tempStorage, () -> {
                    org.osgi.service.log.LoggerFactory f = loggerFactory;
                    return f == null ? null : f.getLogger("modgres.sql");
                }, pid -> {
                    ServerControl s = server;
                    return s != null && s.terminateBackend(pid);
                });
    }

    /** Creates the catalogs on first use and returns the OID of the database, 0 when it does not exist. */
    /** The transaction manager told the oldest datfrozenxid (once per instance of it). */
    private volatile modgres.api.txn.TransactionManager oldestXidSetFor;

    private int openDatabase(DataServices svc, String name) {
        return openDatabase(svc, name, false);
    }

    /**
     * {@link #openDatabase(DataServices, String)}; {@code maintenance} opens a
     * database that does not allow connections too (template0: autovacuum
     * must still freeze it before the ids wrap around, as PostgreSQL's does).
     */
    private int openDatabase(DataServices svc, String name, boolean maintenance) {
        return openDatabase(svc, name, maintenance, 0);
    }

    /**
     * {@link #openDatabase(DataServices, String, boolean)} for the session of {@code lockPid} (0: none): the
     * database is locked as an object in RowExclusiveLock and looked up again before its catalog is touched
     * (PostgreSQL's InitPostgres), so a DROP DATABASE holding AccessExclusiveLock is waited for and then seen
     * (3D000), and a CREATE DATABASE copying it as a template (ShareLock) finishes first.
     */
    private int openDatabase(DataServices svc, String name, boolean maintenance, int lockPid) {
        if (lockPid > 0) {
            int oid = openDatabase(svc, name, maintenance, -1);
            if (oid == 0) {
                return 0;
            }
            modgres.api.txn.LockTag tag = DatabaseCommands.databaseLock(oid);
            try {
                svc.lm().lock(lockPid, tag, modgres.api.txn.LockMode.ROW_EXCLUSIVE, 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException("57014", "canceling statement due to user request");
            }
            try {
                return openDatabase(svc, name, maintenance, 0) == oid ? oid : 0;
            } finally {
                svc.lm().unlock(lockPid, tag, modgres.api.txn.LockMode.ROW_EXCLUSIVE);
            }
        }
        modgres.sql.catalog.CatalogStore shared = new modgres.sql.catalog.CatalogStore(svc.heap(), 0);
        java.util.List<Object[]> roles = new java.util.ArrayList<>();
        Path file = settings.dataDirectory().resolve("global").resolve("pg_authid.bootstrap");
        int roleOid = 10;
        try {
            if (Files.isRegularFile(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    String[] f = line.split("\t", -1);
                    boolean su = f.length > 1 && (f[1].equals("t") || f[1].equalsIgnoreCase("true") || f[1].equals("on"));
                    roles.add(new Object[] {roleOid == 10 ? 10 : 16300 + roleOid, f[0], su, true, su, su, true, su, su,
                            -1, f.length > 2 && !f[2].isEmpty() ? f[2] : null, null});
                    roleOid++;
                }
            }
        } catch (IOException e) {
            throw new PgException("58P01", "could not read file \"" + file + "\": " + e.getMessage());
        }
        modgres.sql.catalog.Bootstrap.bootstrapShared(shared, svc.wal(), settings.dataDirectory(), roles);
        if (oldestXidSetFor != svc.tm()) {
            // the wraparound horizon after a start (PostgreSQL keeps it in pg_control; here the catalog has it)
            modgres.sql.exec.Freezing.refreshOldestXid(shared, svc.tm().snapshot(
                    modgres.api.txn.CurrentTransaction.NONE, 0), svc.tm());
            oldestXidSetFor = svc.tm();
        }
        int oid = 0;
        boolean allowConn = true;
        modgres.sql.catalog.SysTable d = modgres.sql.catalog.SysTable.PG_DATABASE;
        for (modgres.sql.catalog.CatalogStore.Row r : shared.scan(d,
                svc.tm().snapshot(modgres.api.txn.CurrentTransaction.NONE, 0))) {
            if (name.equals(r.get(d, "datname"))) {
                oid = (Integer) r.get(d, "oid");
                allowConn = (Boolean) r.get(d, "datallowconn");
            }
        }
        if (oid == 0) {
            return 0;
        }
        if (!allowConn && !maintenance) {
            throw new PgException("55000", "database \"" + name + "\" is not currently accepting connections");
        }
        if (lockPid < 0) {
            return oid; // looked up only: locked, looked up again and opened by the caller
        }
        modgres.sql.catalog.Bootstrap.bootstrapDatabase(new modgres.sql.catalog.CatalogStore(svc.heap(), oid),
                svc.wal(), settings.dataDirectory().resolve("base").resolve(Integer.toString(oid)));
        return oid;
    }

    @Activate
    public SqlEngineComponent(@Reference(name = "settings") Settings settings) {
        this.settings = settings;
        // temporary files of sorts and hashes left by a crash (PostgreSQL's RemovePgTempFiles at start-up)
        modgres.sql.exec.spill.TempFileSpace.removePgTempFiles(settings.dataDirectory());
    }

    private boolean reloadConfiguration() {
        ServerControl s = server;
        if (s == null) {
            return false;
        }
        s.reload();
        return true;
    }

    @Override
    public SqlSession open(SessionInfo info) {
        String db = info.database();
        DataServices svc = dataServices();
        int dbOid = 0;
        if (svc != null) {
            dbOid = openDatabase(svc, db, false, (int) info.pid());
            if (dbOid == 0) {
                throw new PgException("3D000", "database \"" + db + "\" does not exist");
            }
        } else if (!"postgres".equals(db) && !"template1".equals(db)) {
            throw new PgException("3D000", "database \"" + db + "\" does not exist");
        }
        Role r = role(info.user()).orElseThrow(
                () -> new PgException("28000", "role \"" + info.user() + "\" does not exist"));
        if (!r.canLogin()) {
            throw new PgException("28000", "role \"" + info.user() + "\" is not permitted to log in");
        }
        EngineSession session = new EngineSession(info, settings, r.superuser(), this::reloadConfiguration, () -> wal,
                svc, dbOid);
        if (svc != null && tempSchemasChecked.add(dbOid)) {
            // temporary schemas of backends a crash ended (their files went when the storage started)
            java.util.Set<Integer> alive = new java.util.HashSet<>();
            for (modgres.api.backend.BackendStatus b : svc.activity().get()) {
                alive.add((int) b.pid());
            }
            session.dropOrphanTempSchemas(alive::contains);
        }
        return session;
    }

    /** Databases whose orphaned temporary schemas this engine has dropped (at their first session). */
    private final java.util.Set<Integer> tempSchemasChecked = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public Optional<Role> role(String name) {
        DataServices svc = dataServices();
        if (svc != null) {
            try {
                openDatabase(svc, "postgres"); // the shared catalog exists from the first connection on
                modgres.sql.catalog.CatalogStore shared = new modgres.sql.catalog.CatalogStore(svc.heap(), 0);
                modgres.sql.catalog.SysTable a = modgres.sql.catalog.SysTable.PG_AUTHID;
                for (modgres.sql.catalog.CatalogStore.Row r : shared.scan(a,
                        svc.tm().snapshot(modgres.api.txn.CurrentTransaction.NONE, 0))) {
                    if (name.equals(r.get(a, "rolname"))) {
                        return Optional.of(new Role(name, (Boolean) r.get(a, "rolsuper"),
                                (Boolean) r.get(a, "rolcanlogin"), (String) r.get(a, "rolpassword")));
                    }
                }
                return Optional.empty();
            } catch (RuntimeException e) {
                // the catalog cannot be read (server starting): fall back to the bootstrap file
            }
        }
        Path file = settings.dataDirectory().resolve("global").resolve("pg_authid.bootstrap");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f[0].equals(name)) {
                    boolean superuser = f.length > 1 && (f[1].equals("t") || f[1].equalsIgnoreCase("true")
                            || f[1].equals("on"));
                    String password = f.length > 2 && !f[2].isEmpty() ? f[2] : null;
                    return Optional.of(new Role(name, superuser, true, password));
                }
            }
        } catch (IOException e) {
            throw new PgException("58P01", "could not read file \"" + file + "\": " + e.getMessage());
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- Maintenance (autovacuum)

    @Override
    public java.util.List<Database> databases() {
        DataServices svc = dataServices();
        if (svc == null) {
            return java.util.List.of();
        }
        openDatabase(svc, "postgres");
        modgres.sql.catalog.CatalogStore shared = new modgres.sql.catalog.CatalogStore(svc.heap(), 0);
        modgres.sql.catalog.SysTable d = modgres.sql.catalog.SysTable.PG_DATABASE;
        java.util.List<Database> out = new java.util.ArrayList<>();
        for (modgres.sql.catalog.CatalogStore.Row r : shared.scan(d,
                svc.tm().snapshot(modgres.api.txn.CurrentTransaction.NONE, 0))) {
            out.add(new Database((Integer) r.get(d, "oid"), (String) r.get(d, "datname"),
                    (Boolean) r.get(d, "datallowconn")));
        }
        return out;
    }

    /** A session as the bootstrap superuser on a database, for autovacuum's work; null when it is gone. */
    private EngineSession maintenanceSession(int db) {
        DataServices svc = dataServices();
        if (svc == null) {
            return null;
        }
        String name = null;
        for (Database d : databases()) {
            if (d.oid() == db) {
                name = d.name();
            }
        }
        if (name == null) {
            return null;
        }
        int oid = openDatabase(svc, name, true);
        if (oid == 0) {
            return null;
        }
        int pid = (int) modgres.api.server.ProcessIds.next();
        modgres.api.txn.LockTag dbLock = DatabaseCommands.databaseLock(oid);
        try {
            // held while the worker's task runs: DROP DATABASE and CREATE DATABASE from it wait for the task
            svc.lm().lock(pid, dbLock, modgres.api.txn.LockMode.ROW_EXCLUSIVE, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (openDatabase(svc, name, true) != oid) {
            svc.lm().unlock(pid, dbLock, modgres.api.txn.LockMode.ROW_EXCLUSIVE);
            return null;
        }
        String superuser = null;
        modgres.sql.catalog.CatalogStore shared = new modgres.sql.catalog.CatalogStore(svc.heap(), 0);
        modgres.sql.catalog.SysTable a = modgres.sql.catalog.SysTable.PG_AUTHID;
        for (modgres.sql.catalog.CatalogStore.Row r : shared.scan(a,
                svc.tm().snapshot(modgres.api.txn.CurrentTransaction.NONE, 0))) {
            if (((Integer) r.get(a, "oid")) == modgres.sql.catalog.Bootstrap.BOOTSTRAP_SUPERUSER) {
                superuser = (String) r.get(a, "rolname");
            }
        }
        SessionInfo info = new SessionInfo(pid, superuser == null ? "postgres"
                : superuser, name, null, java.util.Map.of());
        EngineSession s = new EngineSession(info, settings, true, this::reloadConfiguration, () -> wal, svc, oid);
        s.maintenance = true;
        return s;
    }

    /** Releases the database lock a maintenance session took (its transaction's end normally did already). */
    private void releaseMaintenanceLock(EngineSession s) {
        DataServices svc = dataServices();
        if (svc != null) {
            svc.lm().releaseAll((int) s.pid());
        }
    }

    @Override
    public java.util.List<modgres.api.autovacuum.TableInfo> tables(int db) {
        EngineSession s = maintenanceSession(db);
        if (s == null) {
            return java.util.List.of();
        }
        try {
            return s.maintenanceTables();
        } finally {
            s.close();
            releaseMaintenanceLock(s);
        }
    }

    @Override
    public Result run(modgres.api.autovacuum.TableInfo table, boolean vacuum, boolean analyze, boolean freeze,
            modgres.api.autovacuum.VacuumDelay delay) {
        EngineSession s = maintenanceSession(table.db());
        if (s == null) {
            return null;
        }
        try {
            return s.maintain(table.rel(), vacuum, analyze, freeze,
                    dirtied -> delay.point(dirtied == 0 ? 1 : 0, 0, dirtied));
        } finally {
            s.close();
            releaseMaintenanceLock(s);
        }
    }

    /** A reload changed server settings: sessions' cached values (and reported parameters) are stale. */
    @Override
    public void settingsChanged(java.util.Set<String> names) {
        SessionSettings.serverGeneration++;
    }
}
