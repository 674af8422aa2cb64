package modgres.sql.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import modgres.api.error.PgException;
import modgres.api.sql.ColumnDescriptor;
import modgres.api.txn.LockMode;
import modgres.sql.ast.Ddl;
import modgres.sql.ast.DefElem;
import modgres.sql.ast.Dml;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.Statement;
import modgres.sql.ast.Utility;
import modgres.sql.catalog.CatalogStore;
import modgres.sql.catalog.CatalogView;
import modgres.sql.exec.DdlExecutor;
import modgres.sql.exec.ExecState;
import modgres.sql.exec.ModifyTable;
import modgres.sql.exec.OutCol;
import modgres.sql.exec.Plan;
import modgres.sql.exec.Planner;

/*
 * Design notes: the session's path to tables.
 *
 * compile() plans a statement against the session's catalog view: a query
 * becomes a Planner.Planned, INSERT/UPDATE/DELETE a Planner.PlannedDml, DDL is
 * kept as the statement (run by DdlExecutor), EXPLAIN plans its statement.
 * A compiled statement remembers the catalog version it was planned with;
 * run() re-plans when the catalog changed since (another session's DDL or
 * this transaction's), so a prepared statement never runs a plan for a table
 * that is gone, and fails with 0A000 "cached plan must not change result
 * type" only if its result columns really changed.
 *
 * Locks: before running, the statement locks every relation it reads
 * (AccessShareLock) or writes (RowExclusiveLock); DDL takes its own. After
 * the locks are granted the catalog is checked again (a DROP that committed
 * while we waited), as PostgreSQL accepts invalidations after locking.
 */
/** Compiles and runs statements on tables for one session; see the design notes. */
final class DataPath {
    final DataServices svc;
    final SessionTxn txn;
    final TypeSystemImpl ts;
    final CatalogStore store;
    private CatalogView view;
    private long viewVersion = -1;
    private boolean viewHasOwnChanges;

    /** The session's temporary relations: the executor's heap and B-tree route by persistence through it. */
    final TempRelations temp;
    /** temp_buffers in pages as the session's settings say now; set by the session. */
    java.util.function.IntSupplier tempBuffers = () -> DEFAULT_TEMP_BUFFERS;
    /** PostgreSQL 15's default temp_buffers (8MB) in pages, when the setting is unknown. */
    static final int DEFAULT_TEMP_BUFFERS = 1024;
    /**
     * The session's memory account (modgres:memory, pg_backend_memory_contexts): every statement this path runs
     * charges its executor structures and the result it builds to it; see MemoryAccount's design notes.
     */
    final modgres.sql.exec.spill.MemoryAccount memory = new modgres.sql.exec.spill.MemoryAccount();

    /** The session's user-defined functions (CREATE FUNCTION, DO, CALL; calls from expressions). */
    final UserFunctions functions;
    /** The triggers of this database's tables (CREATE/DROP TRIGGER, fired by ModifyTable and TRUNCATE). */
    final Triggers triggers;
    /** The rewrite rules of this database's tables (CREATE/DROP RULE, applied to INSERT/UPDATE/DELETE). */
    final Rules rules = new Rules(this);
    /** The domains of this database (CREATE/ALTER/DROP DOMAIN, their checks) and user type names. */
    final Domains domains;
    /** The user-defined operators of this database (CREATE/DROP OPERATOR, operator resolution). */
    final UserOperators operators;
    /** Where NOTICEs raised inside a statement go (RAISE, DROP ... IF EXISTS of routines); set per statement. */
    java.util.function.Consumer<modgres.api.sql.Notice> noticeSink = n -> { };

    /**
     * The table of a {@code DROP TRIGGER|RULE|POLICY name ON table}, or null when it does not exist and IF EXISTS
     * was given (PostgreSQL's NOTICE "relation ... does not exist, skipping" is sent).
     */
    modgres.sql.catalog.Relation tableOfDrop(List<String> table, boolean ifExists, Planner p) {
        modgres.sql.ast.RangeVar rv = new modgres.sql.ast.RangeVar(0, null,
                table.size() > 1 ? table.get(table.size() - 2) : null, table.get(table.size() - 1), true, null);
        try {
            return p.relation(rv);
        } catch (PgException e) {
            if (ifExists && "42P01".equals(e.sqlState())) {
                noticeSink.accept(new modgres.api.sql.Notice("NOTICE", "00000", "relation \""
                        + table.get(table.size() - 1) + "\" does not exist, skipping", null, null, 0));
                return null;
            }
            throw e;
        }
    }

    DataPath(DataServices svc, SessionTxn txn, TypeSystemImpl ts) {
        this.svc = svc;
        this.txn = txn;
        this.ts = ts;
        this.functions = new UserFunctions(this);
        this.triggers = new Triggers(this);
        ts.functions = functions;
        this.domains = new Domains(this);
        this.operators = new UserOperators(this);
        ts.domains = domains;
        ts.operators = operators;
        this.store = new CatalogStore(svc.heap(), txn.database());
        this.temp = new TempRelations(txn.pid(), svc.tempStorage(), () -> tempBuffers.getAsInt(), svc.heap(),
                svc.btree());
    }

    /** The executor's heap: shared for permanent relations, the session's local one for its temporary ones. */
    modgres.api.access.Heap heap() {
        return temp.heap;
    }

    /** The executor's B-tree, routed as {@link #heap()}. */
    modgres.api.access.BTree btree() {
        return temp.btree;
    }

    /** True for statements this path runs. */
    static boolean handles(Statement st) {
        if (st instanceof SelectStmt s) {
            return true;
        }
        return st instanceof Dml || st instanceof Ddl.CreateTable || st instanceof Ddl.Drop
                || st instanceof Ddl.CreateTableAs ctas && !ctas.materialized()
                || st instanceof Ddl.CreateView
                || st instanceof Ddl.CreateIndex || st instanceof Ddl.CreateSchema || st instanceof Ddl.Truncate
                || st instanceof Utility.Explain || st instanceof Utility.Lock || st instanceof Ddl.AlterTable
                || st instanceof Utility.Vacuum || st instanceof Utility.Checkpoint || st instanceof Ddl.CreateSequence
                || st instanceof Ddl.AlterSequence
                || st instanceof Ddl.CreateRole || st instanceof Ddl.AlterRole || st instanceof Ddl.DropRole
                || st instanceof Ddl.Grant || st instanceof Ddl.GrantRole || st instanceof Ddl.DropOwned
                || st instanceof Ddl.ReassignOwned
                || st instanceof Ddl.CreateFunction || st instanceof Utility.Do || st instanceof Utility.Call
                || st instanceof Ddl.CreateTrigger || st instanceof Ddl.CreateRule
                || st instanceof Ddl.CreateDomain || st instanceof Ddl.AlterDomain
                || st instanceof Ddl.CreateOperator || st instanceof Ddl.DropOperator
                || st instanceof Ddl.CreateType || st instanceof Ddl.AlterTypeAddValue
                || st instanceof Ddl.CreatePolicy || st instanceof Ddl.AlterPolicy
                || st instanceof Ddl.CreateOpClass || st instanceof Ddl.DropOpClass
                || isDatabaseCommand(st)
                || st instanceof Utility.Copy c && c.filename() == null && !c.program();
    }

    /** The role an OWNER TO names (CURRENT_USER, SESSION_USER and CURRENT_ROLE are the session's user here). */
    private String ownerName(modgres.sql.ast.RoleSpec r) {
        return r.kind() == modgres.sql.ast.RoleSpec.Kind.NAME ? r.name()
                : r.kind() == modgres.sql.ast.RoleSpec.Kind.PUBLIC ? "public" : roleContext.user();
    }

    /** CREATE / ALTER / DROP DATABASE, ALTER DATABASE ... RENAME TO / OWNER TO (run by DatabaseCommands). */
    static boolean isDatabaseCommand(Statement st) {
        return st instanceof Ddl.CreateDatabase || st instanceof Ddl.DropDatabase || st instanceof Ddl.AlterDatabase
                || st instanceof Ddl.Rename r && r.renameType() == modgres.sql.ast.ObjectType.DATABASE
                || st instanceof Ddl.AlterOwner o && o.objectType() == modgres.sql.ast.ObjectType.DATABASE;
    }

    /** A statement compiled for this path. */
    static final class Compiled {
        final Statement stmt;
        final String kind;
        Planner.Planned query;
        Planner.PlannedDml dml;
        List<ColumnDescriptor> columns;
        int[] paramTypes;
        long version;
        final List<Integer> readRels = new ArrayList<>();
        /** The role the plan was made for (row-level security's quals and checks depend on it). */
        String plannedAs;
        /** The relations the statement names itself (not the partitions / children it reaches through them). */
        final java.util.Set<Integer> named = new java.util.HashSet<>();
        /** Relations read through views, each with the view's owner (checked as that role). */
        final List<int[]> viewReads = new ArrayList<>();
        /** SERIALIZABLE: the relations read as a whole (index scans report their keys or ranges as they run). */
        final List<Integer> ssiReads = new ArrayList<>();
        int writeRel;
        /** The statement names objects of the session's temporary schema (see SessionTxn.accessedTempObjects). */
        boolean usesTemp;
        /** How long planning took, for EXPLAIN ANALYZE's "Planning Time". */
        long planNanos;
        /** A statement rewritten by rules (Rules): its statements, each compiled and run when this one runs. */
        Rules.Sequence ruleSequence;
        List<String> ruleSearchPath;
        /** The statement's sub-plans (EXPLAIN's SubPlan / InitPlan). */
        modgres.sql.exec.SubPlans subPlans;

        Compiled(Statement stmt, String kind) {
            this.stmt = stmt;
            this.kind = kind;
        }
    }

    CatalogView catalog() {
        long v = svc.cache().version(txn.database());
        if (view == null || v != viewVersion || txn.changedCatalog() || viewHasOwnChanges) {
            view = CatalogView.load(store, txn.catalogSnapshot());
            viewVersion = v;
            viewHasOwnChanges = txn.changedCatalog();
            domains.load(view); // a domain's OID stands for its base type's values from now on
        }
        return view;
    }

    private final long sessionStartNanos = System.nanoTime();

    /** At each transaction end: the session's statistics go to the active collector (or stay pending). */
    void flushStats() {
        txn.activity.flush(svc.statsCollector().get());
    }

    /** Session end: its time and count go into pg_stat_database, then a last flush. */
    void sessionEnded(boolean clientSession) {
        if (clientSession) {
            txn.activity.count(modgres.api.stats.DatabaseCounter.SESSIONS, 1);
            txn.activity.count(modgres.api.stats.DatabaseCounter.SESSION_TIME_US,
                    (System.nanoTime() - sessionStartNanos) / 1000);
        }
        flushStats();
    }

    /** Forgets the cached view (after this transaction ended or changed the catalog). */
    void invalidate() {
        view = null;
    }

    // ---------------------------------------------------------------- autovacuum (Maintenance)

    /** The ordinary, permanent tables of this database with pg_class's figures, read in a transaction of their own. */
    List<modgres.api.autovacuum.TableInfo> maintenanceTables(String dbName) {
        txn.begin(modgres.api.txn.IsolationLevel.READ_COMMITTED, true);
        try {
            txn.startStatement();
            CatalogView cat = catalog();
            List<modgres.api.autovacuum.TableInfo> out = new ArrayList<>();
            for (modgres.sql.catalog.Relation r : cat.relations()) {
                if (r.kind() != 'r') {
                    continue;
                }
                var ns = cat.namespace(r.namespace());
                // autovacuum never touches temporary tables: their pages are in their backend's local buffers
                if (ns == null || r.node().isTemp() || ns.name().startsWith("pg_temp_")) {
                    continue;
                }
                CatalogStore.Row row = cat.classRow(r.oid());
                double tuples = -1;
                long pages = 0;
                long xidAge = 0;
                if (row != null) {
                    Object f = row.get(modgres.sql.catalog.SysTable.PG_CLASS, "relfrozenxid");
                    xidAge = f == null ? 0 : modgres.sql.exec.Freezing.age(((Number) f).intValue(), txn.nextXid());
                    Object t = row.get(modgres.sql.catalog.SysTable.PG_CLASS, "reltuples");
                    Object pg = row.get(modgres.sql.catalog.SysTable.PG_CLASS, "relpages");
                    tuples = t == null ? -1 : ((Number) t).doubleValue();
                    pages = pg == null ? 0 : ((Number) pg).longValue();
                }
                java.util.Map<String, String> opts = new java.util.HashMap<>();
                if (r.options() != null) {
                    for (String o : r.options().split(",")) {
                        String[] kv = o.split("=", 2);
                        if (kv.length == 2) {
                            opts.put(kv[0].trim(), kv[1].trim());
                        }
                    }
                }
                out.add(new modgres.api.autovacuum.TableInfo(txn.database(), dbName, r.oid(), ns.name(), r.name(),
                        tuples, pages, opts, xidAge));
            }
            return out;
        } finally {
            txn.commit();
            invalidate();
        }
    }

    /** An autovacuum worker's vacuum and/or analyze of one table, in a transaction of its own; null when skipped. */
    modgres.api.autovacuum.Maintenance.Result maintain(int relOid, boolean vacuum, boolean analyze, boolean freeze,
            java.util.function.IntConsumer pageDone, long workMemBytes,
            java.util.function.Function<String, String> setting) {
        txn.begin(modgres.api.txn.IsolationLevel.READ_COMMITTED, false);
        boolean ok = false;
        try {
            txn.startStatement();
            ExecState ex = new ExecState(heap(), btree(), txn, ts, new Object[0], null);
            ex.stats = txn.activity;
            ex.io = svc.threadIo().get();
            ex.maintenanceWorkMem = workMemBytes;
            ex.setting = setting;
            modgres.sql.catalog.Relation r = catalog().relation(relOid);
            modgres.api.autovacuum.Maintenance.Result res = null;
            if (r != null && r.kind() == 'r' && !r.node().isTemp()) {
                res = new DdlExecutor(planner(new int[0], List.of("pg_catalog")), catalog(), store, txn, ex,
                        m -> { }).vacuumRelation(r, vacuum, analyze, freeze, svc.tm().oldestXmin(), true, pageDone);
            }
            ok = true;
            return res;
        } finally {
            if (ok) {
                txn.commit();
                // again after the commit, with a fresh snapshot: workers vacuuming other tables of this
                // database at the same time committed relfrozenxid values the transaction could not see
                modgres.sql.exec.Freezing.updateDatFrozenXid(store,
                        svc.tm().snapshot(modgres.api.txn.CurrentTransaction.NONE, 0), txn.database(), 0, 0);
                refreshOldestXid();
            } else {
                txn.abort();
            }
            invalidate();
            flushStats();
        }
    }

    /** The transaction manager's wraparound horizon from every database's datfrozenxid (after a vacuum). */
    void refreshOldestXid() {
        modgres.sql.exec.Freezing.refreshOldestXid(new modgres.sql.catalog.CatalogStore(svc.heap(), 0),
                svc.tm().snapshot(modgres.api.txn.CurrentTransaction.NONE, 0), svc.tm());
    }

    Planner planner(int[] paramTypes, List<String> searchPath) {
        CatalogView cat = catalog();
        // another session's temporary table has no size here: reading it fails when the plan runs, as in PostgreSQL
        Planner p = new Planner(ts, cat, searchPath, paramTypes, rel -> rel.node().isTemp()
                && rel.node().backend() != temp.backend() ? 0 : heap().nblocks(rel.node()));
        p.setting = ts::sessionSetting; // enable_* and work_mem for the choice of join and scan methods
        String temp = DdlExecutor.tempSchemaName(txn.pid());
        p.tempSchema = cat.namespace(temp) != null ? temp : null;
        String typeTemp = p.tempSchema;
        ts.userTypes = names -> modgres.sql.catalog.UserTypeRows.resolve(cat, searchPath, typeTemp, names);
        ts.userTypeRows = () -> cat.rows(modgres.sql.catalog.SysTable.PG_TYPE);
        ts.policyRows = () -> cat.rows(modgres.sql.catalog.SysTable.PG_POLICY); // the client catalog pg_policy
        // row-level security: who plans (its OID only looked up for roles policies may apply to)
        p.rowSecurity = roleContext.bypassRls() || roleContext.superuser() ? null
                : rowSecurityContext(roleContext.user());
        triggers.exposeTransitionTables(p); // a trigger function's SQL reads its transition tables by name
        return p;
    }

    Compiled compile(Statement st, int[] paramTypes, List<String> searchPath) {
        return compile(st, paramTypes, searchPath, false);
    }

    /**
     * {@code qualifyAll}: expression texts name their columns' tables everywhere, as EXPLAIN VERBOSE prints
     * them when the statement reads more than one relation (known once it is planned: then it is planned
     * again so).
     */
    private Compiled compile(Statement st, int[] paramTypes, List<String> searchPath, boolean qualifyAll) {
        long start = System.nanoTime();
        Planner p = planner(paramTypes, searchPath);
        p.qualifyAll(qualifyAll);
        Compiled c;
        Statement inner = st instanceof Utility.Explain e ? e.query() : st;
        p.verbose = st instanceof Utility.Explain e && e.options().stream().anyMatch(d -> d.name()
                .equalsIgnoreCase("verbose") && (d.value() == null || isTrue(d.stringValue())));
        inner = functions.targetListSetFunction(inner); // SELECT srf(...): rows of FROM srf(...)
        Rules.Sequence ruled = st instanceof Dml && st != ruleFreeStatement ? rules.rewrite(st, p) : null;
        if (ruled != null) {
            c = new Compiled(st, ruled.kind());
            c.ruleSequence = ruled;
            c.ruleSearchPath = List.copyOf(searchPath);
            c.paramTypes = paramTypes == null ? new int[0] : paramTypes.clone();
            c.version = svc.cache().version(txn.database());
            c.planNanos = System.nanoTime() - start;
            return c;
        }
        if (inner instanceof SelectStmt s) {
            c = new Compiled(st, "SELECT");
            c.query = p.planSelect(s, null);
            c.columns = columns(c.query.columns());
        } else if (inner instanceof Dml.Insert i) {
            c = new Compiled(st, "INSERT");
            c.dml = p.planInsert(i);
        } else if (inner instanceof Dml.Update u) {
            c = new Compiled(st, "UPDATE");
            c.dml = p.planUpdate(u);
        } else if (inner instanceof Dml.Delete d) {
            c = new Compiled(st, "DELETE");
            c.dml = p.planDelete(d);
        } else if (st instanceof Utility.Copy cp) {
            c = new Compiled(st, "COPY");
        } else {
            c = new Compiled(st, "DDL");
        }
        if (inner instanceof Dml.Insert ins && !ins.columns().isEmpty()) {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (modgres.sql.ast.ColumnTarget t : ins.columns()) {
                names.add(t.name());
            }
            c.dml.plan().insertedColumns(names); // error details may show the columns the INSERT names
        }
        if (c.dml != null && (inner instanceof Dml.Insert || inner instanceof Dml.Update)) {
            // row-level security: the WITH CHECKs of the policies of the table the statement names
            modgres.sql.exec.RowSecurity.attachChecks(p, c.dml.plan(), c.dml.rel(),
                    inner instanceof Dml.Insert ? 'a' : 'w');
        }
        if (c.dml != null) {
            c.columns = c.dml.returning() == null || c.dml.returning().isEmpty() ? null : columns(c.dml.returning());
            c.writeRel = c.dml.rel().oid();
        }
        if (st instanceof Utility.Explain) {
            c.columns = List.of(new ColumnDescriptor("QUERY PLAN", 0, (short) 0, 25, (short) -1, -1, (short) 0));
        }
        c.paramTypes = p.params.types.clone();
        for (int i = 0; i < c.paramTypes.length; i++) {
            if (c.paramTypes[i] == 0) {
                c.paramTypes[i] = 25;
            }
        }
        if (p.verbose && !qualifyAll && (c.query != null || c.dml != null)
                && modgres.sql.exec.Plan.relationsShown(c.query != null ? c.query.plan() : c.dml.plan(),
                        p.subPlans) > 1) {
            return compile(st, paramTypes, searchPath, true);
        }
        c.version = svc.cache().version(txn.database());
        c.subPlans = p.subPlans;
        c.usesTemp = p.usedTempSchema;
        c.named.addAll(p.referenced);
        c.viewReads.addAll(p.viewReads);
        c.plannedAs = roleContext.user();
        collectRelations(c);
        c.planNanos = System.nanoTime() - start;
        return c;
    }

    private void collectRelations(Compiled c) {
        Plan root = c.query != null ? c.query.plan() : c.dml != null ? c.dml.plan() : null;
        if (root != null) {
            collect(root, c.readRels, c.ssiReads);
        }
    }

    /** The relations a plan reads ({@code out}), and those of them it reads as a whole ({@code whole}). */
    private static void collect(Plan p, List<Integer> out, List<Integer> whole) {
        if (p instanceof modgres.sql.exec.Scans.SeqScan s) {
            out.add(s.rel.oid());
            whole.add(s.rel.oid());
        } else if (p instanceof modgres.sql.exec.Scans.IndexScanNode s) {
            out.add(s.rel.oid());
        } else if (p instanceof modgres.sql.exec.BitmapScans.BitmapHeapScan s) {
            out.add(s.rel.oid());
            whole.add(s.rel.oid());
        }
        for (Plan c : p.children()) {
            collect(c, out, whole);
        }
    }

    List<ColumnDescriptor> columns(List<OutCol> cols) {
        List<ColumnDescriptor> out = new ArrayList<>();
        for (OutCol c : cols) {
            // a domain's column is described as its base type's, as PostgreSQL's RowDescription does
            int type = ts.baseType(c.type());
            int typmod = type == c.type() ? c.typmod() : ts.baseTypmod(c.type());
            out.add(new ColumnDescriptor(c.name(), c.tableOid(), (short) c.attnum(), type,
                    (short) ts.typlen(type), typmod, (short) 0));
        }
        return out;
    }

    /** The result of running a compiled statement: rows (for queries and RETURNING) and the command tag. */
    record Result(List<byte[][]> rows, String tag) {
    }

    /** A statement's executor state with the session's settings (work_mem, temp files, ...); {@code tx} its transaction view. */
    ExecState execState(modgres.sql.catalog.TxnContext tx, Object[] params, Runnable cancelCheck,
            Object sessionContext) {
        ExecState ex = new ExecState(heap(), btree(), tx, ts, params, cancelCheck);
        ex.memory = memory;
        ex.session = sessionContext;
        ex.stats = txn.activity;
        ex.statsStore = svc.statsStore();
        ex.statsCollector = svc.statsCollector();
        ex.io = svc.threadIo().get();
        if (sessionContext instanceof EngineSession es) {
            ex.setting = es::setting;
            ex.maintenanceWorkMem = es.settingBytes("maintenance_work_mem");
            long wm = es.settingBytes("work_mem");
            if (wm > 0) {
                ex.workMem = wm;
            }
            double hm = es.settingReal("hash_mem_multiplier");
            if (hm >= 1) {
                ex.hashMemMultiplier = hm;
            }
            ex.tempFileLimit = es.settingBytes("temp_file_limit");
            ex.logTempFiles = es.settingBytes("log_temp_files");
            ex.tempFileLog = line -> { // log_temp_files: LOG line and STATEMENT, as PostgreSQL's backends
                org.osgi.service.log.Logger lg = svc.serverLogger().get();
                if (lg != null) {
                    modgres.api.log.ServerLog.of(lg, es.logContext()).logWithStatement(line,
                            es.debugQueryString());
                }
            };
            ex.dataDirectory = svc.dataDir();
        }
        ex.activity = svc.activity();
        ex.locks = svc.lm()::locks;
        ex.triggerSource = triggers::forStatement;
        ex.indexExpressions = (rel, idx) -> modgres.sql.exec.IndexExpressions.compile(
                planner(new int[0], List.of("pg_catalog")), rel, idx);
        return ex;
    }

    /** An opened cursor's executor: its state (over the cursor's frozen snapshot) and its plan, not yet opened. */
    record CursorStart(ExecState ex, Plan plan) {
    }

    /**
     * DECLARE CURSOR: takes the statement's snapshot (kept by the cursor through {@code frozen}), the locks and
     * privilege checks of a query, and hands back the plan unopened: the cursor's FETCHes pull its rows.
     */
    CursorStart startCursor(Compiled c, Object[] params, Runnable cancelCheck, Object sessionContext,
            java.util.function.Function<modgres.api.txn.Snapshot, modgres.sql.catalog.TxnContext> frozen) {
        txn.startStatement();
        try {
            modgres.sql.catalog.TxnContext tx = frozen.apply(txn.snapshot().withCommandId(txn.commandId()));
            ExecState ex = execState(tx, params, cancelCheck, sessionContext);
            ex.memory = new modgres.sql.exec.spill.MemoryAccount(); // the cursor's own, outliving the statement
            if (c.usesTemp) {
                txn.accessedTempNamespace();
            }
            for (int rel : c.readRels) {
                txn.lockRelation(rel, LockMode.ACCESS_SHARE);
            }
            if (!roleContext.superuser()) {
                checkPrivileges(c);
            }
            ex.ssi = txn.predicateLocks();
            txn.serializableAccess(c.ssiReads, 0, false);
            return new CursorStart(ex, c.query.plan());
        } finally {
            txn.endStatement();
        }
    }

    /** The first row of a compiled query, unencoded (EXECUTE's parameter values); null when it has none. */
    Object[] evaluateRow(Compiled c, Runnable cancelCheck, Object sessionContext) {
        txn.startStatement();
        try {
            ExecState ex = execState(txn, new Object[0], cancelCheck, sessionContext);
            Plan plan = c.query.plan();
            try {
                plan.open(ex);
                return plan.next(ex);
            } finally {
                plan.close();
            }
        } finally {
            txn.endStatement();
        }
    }

    Result run(Compiled c, Object[] params, short[] formats, Consumer<String> notice, Runnable cancelCheck,
            Object sessionContext) {
        if (c.ruleSequence != null) {
            return runRules(c, params, formats, notice, cancelCheck, sessionContext);
        }
        txn.startStatement();
        memory.beginQuery();
        try {
            ExecState ex = execState(txn, params, cancelCheck, sessionContext);
            if (c.usesTemp) {
                txn.accessedTempNamespace();
            }
            if (c.kind.equals("DDL")) {
                return new Result(null, ddl(c.stmt, ex, notice));
            }
            for (int rel : c.readRels) {
                txn.lockRelation(rel, rel == c.writeRel ? LockMode.ROW_EXCLUSIVE : LockMode.ACCESS_SHARE);
            }
            if (c.writeRel != 0) {
                txn.lockRelation(c.writeRel, LockMode.ROW_EXCLUSIVE);
            }
            if (!roleContext.superuser() && !c.kind.equals("DDL")) {
                checkPrivileges(c);
                Privileges visible = privileges();
                ex.columnVisible = visible::visible; // error details show only what the role may read
            }
            withTargets(c);
            ex.ssi = txn.predicateLocks();
            // a ModifyTable reports the index keys of every row version it writes (keyed)
            txn.serializableAccess(c.ssiReads, c.writeRel, c.dml != null);
            if (c.stmt instanceof Utility.Explain e) {
                return explain(c, e, ex);
            }
            if (c.dml != null) {
                c.dml.plan().triggers = triggers.forStatement(c.dml.rel(), c.kind);
            }
            // the result is built whole before it is sent: within work_mem in memory, else in a temporary file
            // (PortalContext in the memory account, see architecture.md)
            List<byte[][]> rows = new modgres.sql.exec.spill.ResultStore(ex.workMem, ex::tempFiles,
                    memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.PORTAL));
            Plan plan = c.query != null ? c.query.plan() : c.dml.plan();
            try {
                plan.open(ex);
                for (Object[] r = plan.next(ex); r != null; r = plan.next(ex)) {
                    rows.add(encode(r, c.columns, formats, ex));
                }
            } finally {
                plan.close();
            }
            String tag = switch (c.kind) {
                case "SELECT" -> "SELECT " + rows.size();
                case "INSERT" -> "INSERT 0 " + ex.processed;
                case "UPDATE" -> "UPDATE " + ex.processed;
                default -> "DELETE " + ex.processed;
            };
            return new Result(c.columns == null ? null : rows, tag);
        } finally {
            endQueryAccount();
            txn.endStatement();
        }
    }

    /**
     * A statement rewritten by rules: each statement of the sequence compiled and run in turn; the tag counts the
     * original's rows, or, when INSTEAD rules replaced it, the last action's of the same command (see Rules).
     */
    private Result runRules(Compiled c, Object[] params, short[] formats, Consumer<String> notice,
            Runnable cancelCheck, Object sessionContext) {
        long count = 0;
        Rules.Sequence seq = c.ruleSequence;
        if (ruleDepth >= 16) {
            throw new PgException("42P17", "infinite recursion detected in rules for relation");
        }
        for (int i = 0; i < seq.statements().size(); i++) {
            Statement s = seq.statements().get(i);
            Compiled part;
            Statement outer = ruleFreeStatement;
            ruleFreeStatement = seq.original().get(i) ? s : null; // the original is not rewritten again
            ruleDepth++;
            try {
                part = compile(s, c.paramTypes, c.ruleSearchPath);
            } finally {
                ruleFreeStatement = outer;
            }
            Result r;
            try {
                r = run(part, params, formats, notice, cancelCheck, sessionContext);
            } finally {
                ruleDepth--;
            }
            String tag = r.tag();
            long n = Long.parseLong(tag.substring(tag.lastIndexOf(' ') + 1));
            if (seq.original().get(i)) {
                count += n;
            } else if (seq.replaced() && tag.startsWith(seq.kind())) {
                count = n;
            }
        }
        return new Result(null, seq.kind().equals("INSERT") ? "INSERT 0 " + count : seq.kind() + " " + count);
    }

    /** The original statement of a rule sequence, compiled without applying the rules again. */
    private Statement ruleFreeStatement;
    private int ruleDepth;

    /** The tables data-modifying WITH queries of {@code c} write: locked ROW EXCLUSIVE, privileges checked. */
    void withTargets(Compiled c) {
        modgres.sql.exec.Plan root = c.query != null ? c.query.plan() : c.dml != null ? c.dml.plan() : null;
        if (root == null) {
            return;
        }
        for (var e : modgres.sql.exec.ModifyingCte.targets(root).entrySet()) {
            txn.lockRelation(e.getKey().oid(), LockMode.ROW_EXCLUSIVE);
            if (!roleContext.superuser()) {
                privileges().check(e.getKey(), e.getValue());
            }
        }
    }

    /** A statement ended: notes the local buffers in use, then the account drops what the statement held. */
    private void endQueryAccount() {
        int fixed = temp.tempBuffersFixed();
        memory.tempBuffers(temp.buffersInUse(), fixed > 0 ? fixed : tempBuffers.getAsInt());
        memory.endQuery();
    }

    byte[][] encode(Object[] r, List<ColumnDescriptor> cols, short[] formats, ExecState ex) {
        byte[][] out = new byte[cols.size()][];
        for (int i = 0; i < out.length; i++) {
            Object v = r[i];
            if (v == null) {
                continue;
            }
            short f = formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[i];
            int type = cols.get(i).typeOid();
            out[i] = f == 1 ? ts.send(type, v, ex) : ts.outputText(type, v, ex).getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /** COPY FROM STDIN / TO STDOUT through the sink's copy streams. */
    String copy(Utility.Copy cp, modgres.api.sql.ResultSink sink, Object[] params, Runnable cancelCheck,
            Object sessionContext, List<String> path) {
        txn.startStatement();
        memory.beginQuery();
        try {
            ExecState ex = execState(txn, params, cancelCheck, sessionContext);
            modgres.sql.exec.Copy format = new modgres.sql.exec.Copy(cp.options());
            Planner p = planner(new int[0], path);
            if (cp.from()) {
                if (cp.relation() == null) {
                    throw new PgException("42601", "COPY FROM requires a table");
                }
                var rel = p.relation(cp.relation());
                txn.lockRelation(rel.oid(), LockMode.ROW_EXCLUSIVE);
                txn.serializableAccess(List.of(), rel.oid(), false); // SSI: COPY's rows count as unkeyed
                if (!roleContext.superuser()) {
                    privileges().check(rel, 'a');
                }
                List<modgres.sql.catalog.Relation.Column> targets = new ArrayList<>();
                if (cp.columns().isEmpty()) {
                    targets.addAll(rel.liveColumns());
                } else {
                    for (String n : cp.columns()) {
                        var col = rel.column(n);
                        if (col == null) {
                            throw new PgException("42703", "column \"" + n + "\" of relation \"" + rel.name()
                                    + "\" does not exist");
                        }
                        targets.add(col);
                    }
                }
                modgres.sql.exec.Ev[] defaults = p.defaults(rel, targets);
                java.io.InputStream in = sink.copyIn(false, new short[targets.size()]);
                modgres.sql.exec.Copy.Reader source = format.reader(rel, targets, defaults, in, ts);
                new modgres.sql.exec.CopyFrom(rel, p.insertFrom(rel, null), format.freeze).run(ex, source);
                return "COPY " + ex.processed;
            }
            Planner.Planned q;
            if (cp.query() != null) {
                if (!(cp.query() instanceof SelectStmt sq)) {
                    throw new PgException("0A000", "COPY of a data-modifying statement is not supported yet");
                }
                q = p.planSelect(sq, null);
            } else {
                var rv = cp.relation();
                StringBuilder sql = new StringBuilder("SELECT ");
                if (cp.columns().isEmpty()) {
                    sql.append('*');
                } else {
                    sql.append(String.join(", ", cp.columns().stream().map(
                            modgres.sql.ast.Keywords::quoteIdentifier).toList()));
                }
                sql.append(" FROM ").append(rv.schema() == null ? "" : modgres.sql.ast.Keywords.quoteIdentifier(
                        rv.schema()) + ".").append(modgres.sql.ast.Keywords.quoteIdentifier(rv.name()));
                q = p.planSelect((SelectStmt) modgres.sql.parser.SqlParser.parseStatement(sql.toString()), null);
            }
            List<Integer> rels = new ArrayList<>();
            List<Integer> whole = new ArrayList<>();
            collect(q.plan(), rels, whole);
            for (int r : rels) {
                txn.lockRelation(r, LockMode.ACCESS_SHARE);
                if (!roleContext.superuser()) {
                    privileges().check(catalog().relation(r), 'r');
                }
            }
            ex.ssi = txn.predicateLocks();
            txn.serializableAccess(whole, 0, false);
            java.io.OutputStream out = sink.copyOut(false, new short[q.columns().size()]);
            long n = format.write(q.plan(), q.columns(), out, ts, ex);
            return "COPY " + n;
        } finally {
            endQueryAccount();
            txn.endStatement();
        }
    }

    private static boolean isTrue(String v) {
        return !(v.equalsIgnoreCase("false") || v.equalsIgnoreCase("off") || v.equals("0") || v.equalsIgnoreCase("no"));
    }

    private Result explain(Compiled c, Utility.Explain e, ExecState ex) {
        boolean analyze = false;
        boolean costs = true;
        boolean timing = true;
        boolean verbose = false;
        Boolean summary = null;
        for (DefElem d : e.options()) {
            String n = d.name().toLowerCase(Locale.ROOT);
            String v = d.value() == null ? null : d.stringValue();
            boolean on = v == null || isTrue(v);
            switch (n) {
                case "analyze" -> analyze = on;
                case "costs" -> costs = on;
                case "timing" -> timing = on;
                case "summary" -> summary = on;
                case "verbose" -> verbose = on;
                case "buffers", "settings", "wal", "format" -> {
                }
                default -> throw new PgException("42601", "unrecognized EXPLAIN option \"" + n + "\"", null, null,
                        d.position(), null);
            }
        }
        Plan plan = c.query != null ? c.query.plan() : c.dml.plan();
        long start = System.nanoTime();
        if (analyze) {
            plan.setAnalyze();
            if (c.subPlans != null) {
                c.subPlans.setAnalyze();
            }
            try {
                plan.open(ex);
                while (plan.next(ex) != null) {
                    // the rows are counted, not returned
                }
            } finally {
                plan.close();
            }
        }
        CatalogView cv = catalog();
        List<String> lines = plan.explain(new modgres.sql.exec.ExplainContext(costs, analyze, timing, verbose,
                c.subPlans, ns -> {
                    modgres.sql.catalog.Namespace n = cv.namespace(ns);
                    return n == null ? null : n.name();
                }));
        if (summary == null ? analyze : summary) {
            lines.add(String.format(Locale.ROOT, "Planning Time: %.3f ms", c.planNanos / 1e6));
            lines.add(String.format(Locale.ROOT, "Execution Time: %.3f ms", (System.nanoTime() - start) / 1e6));
        }
        List<byte[][]> rows = new ArrayList<>();
        for (String l : lines) {
            rows.add(new byte[][] {l.getBytes(StandardCharsets.UTF_8)});
        }
        return new Result(rows, "EXPLAIN");
    }

    private String ddl(Statement st, ExecState ex, Consumer<String> notice) {
        Planner p = planner(new int[0], searchPath);
        DdlExecutor d = new DdlExecutor(p, catalog(), store, txn, ex, notice);
        d.onCommitAction = (action, relOid) -> temp.registerOnCommit(relOid, action);
        d.owner = () -> roleOid(roleContext.user()); // looked up only by the statements that create relations
        if (!roleContext.superuser()) {
            checkCreateSchema(st, p);
        }
        String tag;
        if (st instanceof Ddl.CreateTable ct) {
            tag = d.createTable(ct);
        } else if (st instanceof Ddl.CreateTableAs ctas) {
            tag = createTableAs(ctas, p, d, ex, notice);
        } else if (st instanceof Ddl.CreateDomain cdom) {
            tag = domains.create(cdom);
        } else if (st instanceof Ddl.AlterDomain adom) {
            tag = domains.alter(adom, ex, notice);
        } else if (st instanceof Ddl.Drop dr && dr.objectType() == modgres.sql.ast.ObjectType.DOMAIN) {
            tag = domains.drop(dr, notice);
        } else if (st instanceof Ddl.CreateOperator cop) {
            tag = operators.create(cop, w -> noticeSink.accept(new modgres.api.sql.Notice("WARNING", "42601", w,
                    null, null, 0)));
        } else if (st instanceof Ddl.DropOperator dop) {
            tag = operators.drop(dop, notice);
        } else if (st instanceof Ddl.CreateTrigger ct) {
            tag = triggers.create(ct, p);
        } else if (st instanceof Ddl.CreateRule cr) {
            tag = rules.create(cr, p);
        } else if (st instanceof Ddl.Drop dr && dr.objectType() == modgres.sql.ast.ObjectType.RULE) {
            tag = rules.drop(dr, p);
        } else if (st instanceof Ddl.CreateOpClass oc) {
            tag = new modgres.sql.exec.OperatorClasses(d).create(oc);
        } else if (st instanceof Ddl.DropOpClass oc) {
            tag = new modgres.sql.exec.OperatorClasses(d).drop(oc);
        } else if (st instanceof Ddl.Drop dr && dr.objectType() == modgres.sql.ast.ObjectType.TRIGGER) {
            tag = triggers.drop(dr, p);
        } else if (st instanceof Ddl.CreatePolicy cp) {
            tag = modgres.sql.exec.RowSecurity.create(cp, p, store, txn, this::roleOidOrMissing, roleContext.user(),
                    roleContext.superuser());
        } else if (st instanceof Ddl.AlterPolicy ap) {
            tag = modgres.sql.exec.RowSecurity.alter(ap, p, store, txn, this::roleOidOrMissing, roleContext.user(),
                    roleContext.superuser());
        } else if (st instanceof Ddl.Drop dr && dr.objectType() == modgres.sql.ast.ObjectType.POLICY) {
            tag = modgres.sql.exec.RowSecurity.drop(dr, p, store, txn, notice, roleContext.superuser());
        } else if (st instanceof Ddl.AlterTable at && at.commands().size() == 1
                && at.commands().get(0) instanceof modgres.sql.ast.AlterTableCmd.OwnerTo ot) {
            tag = alterOwner(at, ot, p, notice);
        } else if (st instanceof Ddl.AlterTable at && modgres.sql.exec.RowSecurity.onlyRowSecurity(at)) {
            tag = modgres.sql.exec.RowSecurity.alterTable(at, p, store, txn, roleContext.superuser());
        } else if (st instanceof Ddl.CreateFunction cf) {
            tag = functions.create(cf, ex);
        } else if (st instanceof Utility.Do dob) {
            tag = functions.doBlock(dob, ex);
        } else if (st instanceof Utility.Call call) {
            tag = functions.callProcedure(call, ex);
        } else if (st instanceof Ddl.Drop dr && (dr.objectType() == modgres.sql.ast.ObjectType.FUNCTION
                || dr.objectType() == modgres.sql.ast.ObjectType.PROCEDURE
                || dr.objectType() == modgres.sql.ast.ObjectType.ROUTINE)) {
            tag = functions.drop(dr);
        } else if (st instanceof Ddl.CreateType cty) {
            tag = new modgres.sql.exec.TypeCommands(d).create(cty);
        } else if (st instanceof Ddl.AlterTypeAddValue av) {
            tag = new modgres.sql.exec.TypeCommands(d).addValue(av);
        } else if (st instanceof Ddl.Drop dr && dr.objectType() == modgres.sql.ast.ObjectType.TYPE) {
            tag = new modgres.sql.exec.TypeCommands(d).drop(dr);
        } else if (st instanceof Ddl.Drop dr) {
            tag = d.drop(dr);
        } else if (st instanceof Ddl.CreateView cv) {
            tag = d.createView(cv);
        } else if (st instanceof Ddl.CreateIndex ci) {
            tag = d.createIndex(ci);
        } else if (st instanceof Ddl.CreateSchema cs) {
            if (cs.authorization() != null) {
                // CREATE SCHEMA ... AUTHORIZATION r: r owns the schema (and what its elements create)
                String owner = ownerName(cs.authorization());
                int oid = roleOidOrMissing(owner);
                if (oid < 0) {
                    throw new PgException("42704", "role \"" + owner + "\" does not exist");
                }
                if (!roleContext.superuser() && !membership().rolesOf(roleContext.user(), false).contains(owner)) {
                    throw new PgException("42501", "must be member of role \"" + owner + "\"");
                }
                d.owner = () -> oid;
                tag = d.createSchema(cs.name() != null ? cs : new Ddl.CreateSchema(cs.position(), owner,
                        cs.authorization(), cs.ifNotExists(), cs.elements()));
            } else {
                tag = d.createSchema(cs);
            }
        } else if (st instanceof Ddl.Truncate t) {
            if (!roleContext.superuser()) {
                for (var rv : t.relations()) {
                    privileges().check(p.relation(rv), 'D');
                }
            }
            modgres.sql.exec.TruncateCommand tc = new modgres.sql.exec.TruncateCommand(d);
            List<modgres.sql.catalog.Relation> truncated = tc.targets(t); // named, descendants, cascaded
            if (!roleContext.superuser()) {
                for (var r : truncated) {
                    privileges().check(r, 'D');
                }
            }
            for (var r : truncated) {
                triggers.truncate(r, true, ex);
            }
            tc.truncate(truncated, t.restartIdentity(), svc.sequences());
            for (var r : truncated) {
                triggers.truncate(r, false, ex);
            }
            tag = "TRUNCATE TABLE";
        } else if (st instanceof Ddl.AlterSequence as) {
            tag = new modgres.sql.exec.SequenceCommands(d, svc.sequences()).alter(as);
        } else if (st instanceof Ddl.ReassignOwned ro) {
            tag = reassignOwned(ro);
        } else if (st instanceof Ddl.DropOwned dow) {
            tag = dropOwned(dow, ex, notice);
        } else if (st instanceof Ddl.GrantRole gr) {
            RoleContext rc = roleContext;
            tag = modgres.sql.catalog.Roles.grantRole(gr, new modgres.sql.catalog.CatalogStore(svc.heap(), 0), txn,
                    rc.superuser(), rc.createRole(), rc.user(),
                    n -> n.equals("current_user") || n.equals("current_role") || n.equals("session_user")
                            ? rc.user() : n,
                    notice, w -> notice.accept(Privileges.WARNING + "01000" + w));
            svc.cache().invalidate(0);
        } else if (st instanceof Ddl.CreateRole || st instanceof Ddl.AlterRole || st instanceof Ddl.DropRole) {
            modgres.sql.catalog.CatalogStore shared = new modgres.sql.catalog.CatalogStore(svc.heap(), 0);
            RoleContext rc = roleContext;
            tag = st instanceof Ddl.CreateRole cr
                    ? modgres.sql.catalog.Roles.create(cr, shared, txn, rc.superuser(), rc.createRole(),
                            rc.passwordEncryption())
                    : st instanceof Ddl.AlterRole ar
                            ? modgres.sql.catalog.Roles.alter(ar, shared, txn, rc.superuser(), rc.createRole(),
                                    rc.user(), rc.passwordEncryption())
                            : dropRoles((Ddl.DropRole) st, shared, rc, notice);
            svc.cache().invalidate(0);
        } else if (isDatabaseCommand(st)) {
            DatabaseCommands dc = new DatabaseCommands(svc, txn, roleContext, notice);
            tag = st instanceof Ddl.CreateDatabase cd ? dc.create(cd)
                    : st instanceof Ddl.DropDatabase dd ? dc.drop(dd)
                    : st instanceof Ddl.AlterDatabase ad ? dc.alter(ad)
                    : st instanceof Ddl.Rename r ? dc.rename(r.object().get(0), r.newName())
                    : dc.owner(((Ddl.AlterOwner) st).object().get(0), ownerName(((Ddl.AlterOwner) st).owner()));
        } else if (st instanceof Ddl.CreateSequence cs) {
            tag = d.createSequence(cs);
        } else if (st instanceof Ddl.AlterTable at) {
            tag = d.alterTable(at);
        } else if (st instanceof Utility.Vacuum v) {
            tag = d.vacuum(v, svc.tm().oldestXmin());
            refreshOldestXid();
        } else if (st instanceof Utility.Checkpoint) {
            modgres.api.control.Checkpointer cp = svc.checkpointer().get();
            if (cp == null) {
                throw new PgException("55000", "checkpoint request failed", "No checkpointer is active.", null);
            }
            cp.requestCheckpoint(true, true);
            tag = "CHECKPOINT";
        } else if (st instanceof Ddl.Grant g) {
            tag = privileges().grant(g, p, notice);
        } else if (st instanceof Utility.Lock l) {
            for (var rv : l.relations()) {
                var rel = p.relation(rv);
                LockMode m = LockMode.valueOf(l.mode().name());
                if (l.nowait()) {
                    throw new PgException("0A000", "LOCK TABLE ... NOWAIT is not supported yet");
                }
                txn.lockRelation(rel.oid(), m);
            }
            tag = "LOCK TABLE";
        } else {
            throw new PgException("0A000", "this statement is not supported yet");
        }
        if (p.usedTempSchema) {
            txn.accessedTempNamespace();
        }
        invalidate();
        return tag;
    }

    // ---------------------------------------------------------------- CREATE TABLE AS, ON COMMIT, clean-up

    /** PostgreSQL's type of unknown literals, which CREATE TABLE AS stores as text. */
    private static final int UNKNOWN = 705;
    private static final int TEXT = 25;

    /**
     * CREATE [TEMP] TABLE ... AS query [WITH [NO] DATA]: the query is planned
     * first (its result columns, types and typmods become the table's, unknown
     * as text, renamed by the column list), the table is created as by CREATE
     * TABLE (with its persistence, options and ON COMMIT), then the rows are
     * inserted. Tag "SELECT n", or "CREATE TABLE AS" WITH NO DATA.
     */
    private String createTableAs(Ddl.CreateTableAs ctas, Planner p, DdlExecutor d, ExecState ex,
            Consumer<String> notice) {
        modgres.sql.ast.IntoClause into = ctas.into();
        if (!(ctas.query() instanceof SelectStmt query)) {
            throw new PgException("0A000", "CREATE TABLE AS with this kind of query is not supported yet", null,
                    null, ctas.position(), null);
        }
        modgres.sql.ast.RangeVar rv = into.relation();
        boolean temp = into.persistence() == modgres.sql.ast.IntoClause.Persistence.TEMPORARY;
        if (ctas.ifNotExists()) {
            boolean exists;
            try {
                exists = p.lookup(rv.schema() != null ? rv.schema() : temp ? "pg_temp" : null, rv.name()) != null;
            } catch (PgException e) {
                exists = false; // no such schema (yet): CREATE TABLE reports a bad one
            }
            if (exists) {
                notice.accept("relation \"" + rv.name() + "\" already exists, skipping");
                return "CREATE TABLE AS";
            }
        }
        Planner.Planned q = p.planSelect(query, null);
        List<OutCol> cols = q.columns().stream().filter(c -> !c.hidden()).toList();
        if (into.columns().size() > cols.size()) {
            throw new PgException("42601", "too many column names were specified");
        }
        List<modgres.sql.ast.TableElement> defs = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            OutCol c = cols.get(i);
            String name = i < into.columns().size() ? into.columns().get(i) : c.name();
            int type = c.type() == UNKNOWN ? TEXT : c.type();
            int typmod = c.type() == UNKNOWN ? -1 : c.typmod();
            defs.add(new modgres.sql.ast.ColumnDef(ctas.position(), name,
                    modgres.sql.parser.SqlParser.parseTypeName(ts.format(type, typmod)), null, List.of(), List.of()));
        }
        d.createTable(new Ddl.CreateTable(ctas.position(), rv, into.persistence(), false, defs, List.of(), null, null,
                null, null, into.accessMethod(), into.options(), into.onCommit(), into.tablespace()));
        if (!ctas.withData()) {
            return "CREATE TABLE AS";
        }
        invalidate();
        Planner after = planner(new int[0], searchPath);
        modgres.sql.catalog.Relation rel = after.relation(temp && rv.schema() == null
                ? new modgres.sql.ast.RangeVar(rv.position(), null, "pg_temp", rv.name(), rv.inherit(), rv.alias())
                : rv);
        List<Integer> reads = new ArrayList<>();
        List<Integer> whole = new ArrayList<>();
        collect(q.plan(), reads, whole);
        for (int r : reads) {
            txn.lockRelation(r, LockMode.ACCESS_SHARE);
        }
        ex.ssi = txn.predicateLocks();
        txn.serializableAccess(whole, 0, false); // the new table is this transaction's alone
        ModifyTable mt = after.insertFrom(rel, q.plan());
        try {
            mt.open(ex);
            while (mt.next(ex) != null) {
                // no RETURNING
            }
        } finally {
            mt.close();
        }
        return "SELECT " + ex.processed;
    }

    /**
     * Before each commit, in the committing transaction: the ON COMMIT actions
     * of the session's temporary tables (PostgreSQL's PreCommit_on_commit_actions).
     * DELETE ROWS empties the table and its indexes in place; DROP drops it with
     * what depends on it. Actions of tables that are gone are forgotten.
     */
    void preCommit() {
        if (!temp.hasOnCommitActions() || !txn.active()) {
            return;
        }
        CatalogView cat = catalog();
        if (txn.accessedTempObjects()) {
            checkOnCommitForeignKeys(cat);
        }
        List<modgres.sql.catalog.Relation> drops = new ArrayList<>();
        for (var e : temp.onCommitActions()) {
            modgres.sql.catalog.Relation r = cat.relation(e.getKey());
            if (r == null || !r.node().isTemp()) {
                temp.forgetOnCommit(e.getKey());
            } else if (e.getValue() == modgres.sql.ast.IntoClause.OnCommit.DROP) {
                drops.add(r);
            } else {
                temp.truncateInPlace(r.node(), r.indexes().stream().map(modgres.sql.catalog.Relation.Index::node)
                        .toList());
                if (r.toast() != null) {
                    temp.truncateInPlace(r.toast().node(), List.of(r.toast().indexNode()));
                }
            }
        }
        if (drops.isEmpty()) {
            return;
        }
        txn.startStatement();
        try {
            ExecState ex = new ExecState(heap(), btree(), txn, ts, new Object[0], null);
            DdlExecutor d = new DdlExecutor(planner(new int[0], searchPath), cat, store, txn, ex, m -> { });
            for (modgres.sql.catalog.Relation r : drops) {
                d.dropOnCommit(r);
                temp.forgetOnCommit(r.oid());
            }
        } finally {
            txn.endStatement();
            invalidate();
        }
    }

    /**
     * heap_truncate_check_FKs of PreCommit_on_commit_actions: a table emptied
     * at commit (ON COMMIT DELETE ROWS) must not be referenced by a table
     * that keeps its rows (0A000, the commit fails). Tables in the order
     * PostgreSQL keeps them: the most recently created first.
     */
    private void checkOnCommitForeignKeys(CatalogView cat) {
        List<modgres.sql.catalog.Relation> emptied = new ArrayList<>();
        for (var e : temp.onCommitActions()) {
            modgres.sql.catalog.Relation r = cat.relation(e.getKey());
            if (r != null && r.node() != null && r.node().isTemp()
                    && e.getValue() == modgres.sql.ast.IntoClause.OnCommit.DELETE_ROWS) {
                emptied.add(0, r);
            }
        }
        if (emptied.isEmpty()) {
            return;
        }
        ExecState ex = new ExecState(heap(), btree(), txn, ts, new Object[0], null);
        DdlExecutor d = new DdlExecutor(planner(new int[0], searchPath), cat, store, txn, ex, m -> { });
        String[] pair = new modgres.sql.exec.TruncateCommand(d).outsideReference(emptied);
        if (pair != null) {
            throw new PgException("0A000", "unsupported ON COMMIT and foreign key combination", "Table \"" + pair[0]
                    + "\" references \"" + pair[1] + "\", but they do not have the same ON COMMIT setting.", null);
        }
    }

    /**
     * The first session of a database after a start: drops the temporary
     * schemas (with their tables' catalog rows) whose backend is not alive, as
     * a crash leaves them; their files went at start-up.
     */
    void dropOrphanTempSchemas(java.util.function.IntPredicate alive) {
        List<String> orphans = new ArrayList<>();
        for (var ns : catalog().namespaces()) {
            int b = CatalogView.tempBackend(ns.name());
            if (b != modgres.api.buffer.RelFileNode.INVALID_BACKEND && b != txn.pid() && !alive.test(b)) {
                orphans.add(ns.name());
            }
        }
        if (orphans.isEmpty()) {
            return;
        }
        txn.begin(modgres.api.txn.IsolationLevel.READ_COMMITTED, false);
        try {
            txn.startStatement();
            ExecState ex = new ExecState(heap(), btree(), txn, ts, new Object[0], null);
            DdlExecutor d = new DdlExecutor(planner(new int[0], searchPath), catalog(), store, txn, ex, m -> { });
            for (String n : orphans) {
                d.dropTempSchema(n);
            }
            txn.commit();
        } catch (RuntimeException e) {
            txn.abort(); // left for the next start
        }
        invalidate();
    }

    List<String> searchPath = List.of("public");

    /**
     * Who runs a statement: the current role (CURRENT_USER: SET ROLE's, else the session user), with its
     * pg_authid attributes. Set by the session before each statement; every privilege check, the owner of what
     * a CREATE makes and row-level security read it.
     */
    record RoleContext(String user, boolean superuser, boolean createRole, String passwordEncryption,
            boolean bypassRls) {
        RoleContext(String user, boolean superuser, boolean createRole, String passwordEncryption) {
            this(user, superuser, createRole, passwordEncryption, superuser);
        }
    }

    /** A role's attributes as pg_authid has them (exists = false: no such role). */
    record RoleAttributes(boolean exists, boolean superuser, boolean createRole, boolean bypassRls) {
    }

    private final java.util.Map<String, RoleAttributes> roleCache = new java.util.HashMap<>();
    private long roleCacheVersion = -1;

    /** The pg_authid attributes of role {@code name}, read again when a role command changed the shared catalog. */
    RoleAttributes roleAttributes(String name) {
        long v = svc.cache().version(0);
        if (v != roleCacheVersion) {
            roleCache.clear();
            roleCacheVersion = v;
        }
        RoleAttributes r = roleCache.get(name);
        if (r == null) {
            r = new RoleAttributes(false, false, false, false);
            modgres.sql.catalog.SysTable a = modgres.sql.catalog.SysTable.PG_AUTHID;
            for (CatalogStore.Row row : new CatalogStore(svc.heap(), 0).scan(a, txn.snapshot())) {
                if (name.equals(row.get(a, "rolname"))) {
                    r = new RoleAttributes(true, Boolean.TRUE.equals(row.get(a, "rolsuper")),
                            Boolean.TRUE.equals(row.get(a, "rolcreaterole")),
                            Boolean.TRUE.equals(row.get(a, "rolbypassrls")));
                }
            }
            roleCache.put(name, r);
        }
        return r;
    }

    RoleContext roleContext = new RoleContext("", false, false, "scram-sha-256");

    /** The database's table privileges, read again when the catalog changed. */
    private Privileges privileges;

    /** The database's privileges as role {@code rc} holds them (has_table_privilege for another role). */
    /** The roles and their memberships as the transaction sees them (SET ROLE, pg_has_role). */
    modgres.sql.catalog.Roles.Membership membership() {
        return new modgres.sql.catalog.Roles.Membership(new CatalogStore(svc.heap(), 0), txn.snapshot());
    }

    Privileges privilegesOf(RoleContext rc) {
        return Privileges.of(null, store, new CatalogStore(svc.heap(), 0), txn, rc, svc.cache().version(txn.database()));
    }

    Privileges privileges() {
        privileges = Privileges.of(privileges, store, new CatalogStore(svc.heap(), 0), txn, roleContext,
                svc.cache().version(txn.database()));
        return privileges;
    }

    /**
     * A statement's table privileges (not for superusers): the target's INSERT, UPDATE or DELETE, and SELECT
     * on what it reads -- the target too when WHERE, RETURNING or ON CONFLICT reads its rows.
     */
    private void checkPrivileges(Compiled c) {
        Privileges pv = privileges();
        java.util.Set<Integer> reads = new java.util.LinkedHashSet<>(c.readRels);
        // USAGE on the schemas first: PostgreSQL checks it when it looks the names up
        if (c.dml != null) {
            pv.checkSchemaOf(c.dml.rel().oid());
        }
        for (int r : reads) {
            pv.checkSchemaOf(r);
        }
        ReferencedColumns used = ReferencedColumns.of(c.stmt);
        if (c.dml != null) {
            modgres.sql.catalog.Relation target = c.dml.rel();
            boolean readsTarget;
            if (c.stmt instanceof Dml.Insert i) {
                List<String> cols = new ArrayList<>();
                for (modgres.sql.ast.ColumnTarget t : i.columns()) {
                    cols.add(t.name());
                }
                if (cols.isEmpty()) { // INSERT without a column list inserts into every column
                    for (modgres.sql.catalog.Relation.Column col : target.liveColumns()) {
                        cols.add(col.name());
                    }
                }
                pv.checkColumns(target, 'a', cols);
                if (i.onConflict() != null && i.onConflict().doUpdate()) {
                    pv.check(target, 'w');
                }
                readsTarget = i.onConflict() != null || !i.returning().isEmpty();
            } else if (c.stmt instanceof Dml.Update u) {
                List<String> cols = new ArrayList<>();
                for (modgres.sql.ast.SetClause sc : u.set()) {
                    for (modgres.sql.ast.ColumnTarget t : sc.targets()) {
                        cols.add(t.name());
                    }
                }
                pv.checkColumns(target, 'w', cols);
                readsTarget = u.where() != null || !u.returning().isEmpty();
            } else {
                Dml.Delete d = (Dml.Delete) c.stmt;
                pv.check(target, 'd');
                readsTarget = d.where() != null || !d.returning().isEmpty();
            }
            if (readsTarget) {
                pv.checkColumns(target, 'r', used.of(target));
            }
            reads.remove(target.oid());
        }
        // a view the statement names is checked as the statement's role; what the view reads, as its owner
        java.util.Map<Integer, java.util.Set<Integer>> viaViews = new java.util.LinkedHashMap<>();
        for (int[] vr : c.viewReads) {
            viaViews.computeIfAbsent(vr[0], k -> new java.util.LinkedHashSet<>()).add(vr[1]);
        }
        for (int r : c.named) {
            modgres.sql.catalog.Relation rel = catalog().relation(r);
            if (rel != null && rel.kind() == 'v' && (c.dml == null || c.dml.rel().oid() != r)) {
                pv.checkColumns(rel, 'r', used.of(rel));
            }
        }
        for (int r : reads) {
            if (!c.named.contains(r) && viaViews.containsKey(r)) {
                continue; // checked as the views' owners below
            }
            if (!c.named.contains(r) && !catalog().inheritance().parents(r).isEmpty()) {
                continue; // a partition or child read through its parent: the parent's privileges decide
            }
            modgres.sql.catalog.Relation rel = catalog().relation(r);
            pv.checkColumns(rel, 'r', used.of(rel));
        }
        for (java.util.Map.Entry<Integer, java.util.Set<Integer>> e : viaViews.entrySet()) {
            modgres.sql.catalog.Relation rel = catalog().relation(e.getKey());
            if (rel == null || rel.kind() == 'v') {
                continue; // a view inside a view: its own relations are listed with its owner
            }
            for (int owner : e.getValue()) {
                String name = roleName(owner);
                RoleAttributes a = roleAttributes(name);
                if (!a.superuser()) {
                    privilegesOf(new RoleContext(name, false, a.createRole(), "scram-sha-256", a.bypassRls()))
                            .check(rel, 'r');
                }
            }
        }
    }

    /**
     * ALTER TABLE | VIEW | SEQUENCE name OWNER TO role (PostgreSQL's ATExecChangeOwner): the relation, its
     * indexes, TOAST table and owned sequences get the new owner, and its ACL's items of the old owner become
     * the new one's. Needs, unless superuser, to own the relation (or be a member of its owner), to be a member
     * of the new owner and the new owner's CREATE on the schema.
     */
    private String alterOwner(Ddl.AlterTable at, modgres.sql.ast.AlterTableCmd.OwnerTo ot, Planner p,
            Consumer<String> notice) {
        String tag = "ALTER " + (at.objectType() == null ? "TABLE" : at.objectType().name().replace('_', ' '));
        modgres.sql.catalog.Relation rel;
        try {
            rel = p.relation(at.relation());
        } catch (PgException e) {
            if (at.ifExists() && e.sqlState().equals("42P01")) {
                notice.accept("relation \"" + at.relation().name() + "\" does not exist, skipping");
                return tag;
            }
            // PostgreSQL's ALTER TABLE reports a missing relation without a position
            throw e.sqlState().equals("42P01") ? new PgException("42P01", e.getMessage()) : e;
        }
        String newOwner = ownerName(ot.owner());
        int newOid = roleOidOrMissing(newOwner);
        if (newOid < 0) {
            throw new PgException("42704", "role \"" + newOwner + "\" does not exist");
        }
        String oldOwner = roleName(rel.owner());
        if (rel.owner() == newOid) {
            return tag;
        }
        if (!roleContext.superuser()) {
            modgres.sql.catalog.Roles.Membership ms = membership();
            String kind = switch (rel.kind()) {
                case 'v' -> "view";
                case 'S' -> "sequence";
                case 'i', 'I' -> "index";
                default -> "table";
            };
            if (!ms.rolesOf(roleContext.user(), true).contains(oldOwner)) {
                throw new PgException("42501", "must be owner of " + kind + " " + rel.name());
            }
            if (!ms.rolesOf(roleContext.user(), false).contains(newOwner)) {
                throw new PgException("42501", "must be member of role \"" + newOwner + "\"");
            }
            modgres.sql.catalog.Namespace ns = catalog().namespace(rel.namespace());
            RoleAttributes na = roleAttributes(newOwner);
            if (ns != null && !na.superuser()) {
                privilegesOf(new RoleContext(newOwner, false, na.createRole(), "scram-sha-256", na.bypassRls()))
                        .checkCreateIn(ns.name());
            }
        }
        txn.lockRelation(rel.oid(), LockMode.ACCESS_EXCLUSIVE);
        java.util.Set<Integer> changed = new java.util.LinkedHashSet<>(List.of(rel.oid()));
        for (modgres.sql.catalog.Relation.Index i : rel.indexes()) {
            changed.add(i.oid());
        }
        if (rel.toast() != null) {
            changed.add(rel.toast().oid());
        }
        for (modgres.sql.catalog.Relation s : modgres.sql.exec.SequenceCommands.ownedSequences(catalog(), rel.oid())) {
            changed.add(s.oid());
        }
        modgres.sql.catalog.SysTable c = modgres.sql.catalog.SysTable.PG_CLASS;
        for (int oid : changed) {
            CatalogStore.Row row = catalog().row(c, "oid", oid);
            if (row == null) {
                continue;
            }
            setOwner(store, c, row, "relowner", "relacl", newOid, oldOwner, newOwner);
        }
        txn.catalogChanged();
        txn.commandCounterIncrement();
        return tag;
    }

    /**
     * DROP ROLE, refused (2BP01) while objects of this database are owned by a role or grant it privileges
     * (PostgreSQL's pg_shdepend check, here read from pg_class, pg_namespace and pg_database).
     */
    private String dropRoles(Ddl.DropRole dr, CatalogStore shared, RoleContext rc, Consumer<String> notice) {
        for (modgres.sql.ast.RoleSpec rs : dr.roles()) {
            int oid = rs.kind() == modgres.sql.ast.RoleSpec.Kind.NAME ? roleOidOrMissing(rs.name()) : -1;
            if (oid < 0) {
                continue;
            }
            List<String> deps = roleDependencies(rs.name(), oid);
            if (!deps.isEmpty()) {
                throw new PgException("2BP01", "role \"" + rs.name() + "\" cannot be dropped because some objects "
                        + "depend on it", String.join("\n", deps), null);
            }
        }
        return modgres.sql.catalog.Roles.drop(dr, shared, txn, rc.superuser(), rc.createRole(), rc.user(), notice);
    }

    /** What depends on role {@code name}: "owner of table t", "privileges for schema public", ... */
    private List<String> roleDependencies(String name, int oid) {
        List<String> out = new ArrayList<>();
        modgres.sql.catalog.CatalogView cv = catalog();
        modgres.sql.catalog.SysTable n = modgres.sql.catalog.SysTable.PG_NAMESPACE;
        for (CatalogStore.Row r : cv.rows(n)) {
            if (((Number) r.get(n, "nspowner")).intValue() == oid) {
                out.add("owner of schema " + r.get(n, "nspname"));
            } else if (aclNames((String) r.get(n, "nspacl"), name)) {
                out.add("privileges for schema " + r.get(n, "nspname"));
            }
        }
        modgres.sql.catalog.SysTable c = modgres.sql.catalog.SysTable.PG_CLASS;
        for (CatalogStore.Row r : cv.rows(c)) {
            String kind = switch ((String) String.valueOf(r.get(c, "relkind"))) {
                case "r", "p" -> "table";
                case "v" -> "view";
                case "m" -> "materialized view";
                case "S" -> "sequence";
                default -> null; // indexes and TOAST tables go with their table
            };
            if (kind == null || ((Number) r.get(c, "oid")).intValue() < Privileges.FIRST_NORMAL_OID) {
                continue;
            }
            String rel = (String) r.get(c, "relname");
            if (((Number) r.get(c, "relowner")).intValue() == oid) {
                out.add("owner of " + kind + " " + rel);
            } else if (aclNames((String) r.get(c, "relacl"), name)) {
                out.add("privileges for " + kind + " " + rel);
            }
        }
        modgres.sql.catalog.SysTable d = modgres.sql.catalog.SysTable.PG_DATABASE;
        for (CatalogStore.Row r : new CatalogStore(svc.heap(), 0).scan(d, txn.snapshot())) {
            if (((Number) r.get(d, "datdba")).intValue() == oid) {
                out.add("owner of database " + r.get(d, "datname"));
            }
        }
        return out;
    }

    /** Whether an ACL's text has an item granted to or by {@code role}. */
    private static boolean aclNames(String acl, String role) {
        if (acl == null) {
            return false;
        }
        for (Privileges.Item i : Privileges.parse(acl)) {
            if (i.grantee().equals(role) || i.grantor().equals(role)) {
                return true;
            }
        }
        return false;
    }

    /** The OIDs of the roles an OWNED BY names (42704 for one that does not exist); 42501 {@code denied} unless
     * the current role has the privileges of each. */
    private java.util.Map<Integer, String> ownedBy(List<modgres.sql.ast.RoleSpec> roles, String denied) {
        java.util.Map<Integer, String> out = new java.util.LinkedHashMap<>();
        java.util.Set<String> mine = roleContext.superuser() ? null
                : membership().rolesOf(roleContext.user(), true);
        for (modgres.sql.ast.RoleSpec rs : roles) {
            String name = ownerName(rs);
            int oid = roleOidOrMissing(name);
            if (oid < 0) {
                throw new PgException("42704", "role \"" + name + "\" does not exist");
            }
            if (mine != null && !mine.contains(name)) {
                throw new PgException("42501", denied);
            }
            out.put(oid, name);
        }
        return out;
    }

    /**
     * REASSIGN OWNED BY old TO new (PostgreSQL's shdepReassignOwned): in the current database every relation,
     * schema, routine and type the old roles own, and the databases they own, get the new owner, their ACLs'
     * items of the old owner becoming the new one's.
     */
    private String reassignOwned(Ddl.ReassignOwned ro) {
        java.util.Map<Integer, String> old = ownedBy(ro.roles(), "permission denied to reassign objects");
        String newName = ownerName(ro.newOwner());
        int newOid = roleOidOrMissing(newName);
        if (newOid < 0) {
            throw new PgException("42704", "role \"" + newName + "\" does not exist");
        }
        if (!roleContext.superuser() && !membership().rolesOf(roleContext.user(), true).contains(newName)) {
            throw new PgException("42501", "permission denied to reassign objects");
        }
        modgres.sql.catalog.CatalogView cv = catalog();
        Object[][] owned = {{modgres.sql.catalog.SysTable.PG_CLASS, "relowner", "relacl"},
            {modgres.sql.catalog.SysTable.PG_NAMESPACE, "nspowner", "nspacl"},
            {modgres.sql.catalog.SysTable.PG_PROC, "proowner", null},
            {modgres.sql.catalog.SysTable.PG_TYPE, "typowner", null}};
        for (Object[] o : owned) {
            modgres.sql.catalog.SysTable t = (modgres.sql.catalog.SysTable) o[0];
            for (CatalogStore.Row r : cv.rows(t)) {
                String from = old.get(((Number) r.get(t, (String) o[1])).intValue());
                if (from == null) {
                    continue;
                }
                setOwner(store, t, r, (String) o[1], (String) o[2], newOid, from, newName);
            }
        }
        CatalogStore shared = new CatalogStore(svc.heap(), 0);
        modgres.sql.catalog.SysTable d = modgres.sql.catalog.SysTable.PG_DATABASE;
        boolean sharedChanged = false;
        for (CatalogStore.Row r : shared.scan(d, txn.snapshot())) {
            String from = old.get(((Number) r.get(d, "datdba")).intValue());
            if (from != null) {
                setOwner(shared, d, r, "datdba", "datacl", newOid, from, newName);
                sharedChanged = true;
            }
        }
        txn.catalogChanged();
        txn.commandCounterIncrement();
        if (sharedChanged) {
            svc.cache().invalidate(0);
        }
        return "REASSIGN OWNED";
    }

    /**
     * DROP OWNED BY roles (PostgreSQL's shdepDropOwned): in the current database the privileges granted to the
     * roles are revoked and the objects they own dropped (views, tables, sequences, routines, then schemas),
     * each as its DROP statement with the given CASCADE / RESTRICT.
     */
    private String dropOwned(Ddl.DropOwned dow, ExecState ex, Consumer<String> notice) {
        java.util.Map<Integer, String> roles = ownedBy(dow.roles(), "permission denied to drop objects");
        modgres.sql.catalog.CatalogView cv = catalog();
        // privileges first: the ACL items granted to the roles go
        Object[][] acls = {{modgres.sql.catalog.SysTable.PG_CLASS, "relacl"},
            {modgres.sql.catalog.SysTable.PG_NAMESPACE, "nspacl"}, {modgres.sql.catalog.SysTable.PG_ATTRIBUTE, "attacl"}};
        for (Object[] a : acls) {
            modgres.sql.catalog.SysTable t = (modgres.sql.catalog.SysTable) a[0];
            for (CatalogStore.Row r : cv.rows(t)) {
                String acl = (String) r.get(t, (String) a[1]);
                if (acl == null) {
                    continue;
                }
                List<Privileges.Item> kept = new ArrayList<>();
                for (Privileges.Item i : Privileges.parse(acl)) {
                    if (!roles.containsValue(i.grantee())) {
                        kept.add(i);
                    }
                }
                if (kept.size() != Privileges.parse(acl).size()) {
                    Object[] v = r.values().clone();
                    v[t.column((String) a[1])] = Privileges.format(kept);
                    store.update(t, r.tid(), v, txn);
                }
            }
        }
        txn.catalogChanged();
        txn.commandCounterIncrement();
        // then the objects, dependents before what they depend on
        List<Statement> drops = new ArrayList<>();
        modgres.sql.catalog.SysTable c = modgres.sql.catalog.SysTable.PG_CLASS;
        for (String kinds : List.of("vm", "rp", "S")) {
            for (CatalogStore.Row r : cv.rows(c)) {
                String kind = String.valueOf(r.get(c, "relkind"));
                int oid = ((Number) r.get(c, "oid")).intValue();
                if (!kinds.contains(kind) || oid < Privileges.FIRST_NORMAL_OID
                        || !roles.containsKey(((Number) r.get(c, "relowner")).intValue())) {
                    continue;
                }
                modgres.sql.catalog.Namespace ns = cv.namespace(((Number) r.get(c, "relnamespace")).intValue());
                modgres.sql.ast.ObjectType type = switch (kind) {
                    case "v" -> modgres.sql.ast.ObjectType.VIEW;
                    case "m" -> modgres.sql.ast.ObjectType.MATERIALIZED_VIEW;
                    case "S" -> modgres.sql.ast.ObjectType.SEQUENCE;
                    default -> modgres.sql.ast.ObjectType.TABLE;
                };
                drops.add(new Ddl.Drop(dow.position(), type, false, true, List.of(modgres.sql.ast.ObjectRef.of(
                        List.of(ns.name(), (String) r.get(c, "relname")))), dow.behavior()));
            }
        }
        modgres.sql.catalog.SysTable pr = modgres.sql.catalog.SysTable.PG_PROC;
        for (CatalogStore.Row r : cv.rows(pr)) {
            if (roles.containsKey(((Number) r.get(pr, "proowner")).intValue())
                    && ((Number) r.get(pr, "oid")).intValue() >= Privileges.FIRST_NORMAL_OID) {
                modgres.sql.catalog.Namespace ns = cv.namespace(((Number) r.get(pr, "pronamespace")).intValue());
                drops.add(new Ddl.Drop(dow.position(), "p".equals(String.valueOf(r.get(pr, "prokind")))
                        ? modgres.sql.ast.ObjectType.PROCEDURE : modgres.sql.ast.ObjectType.FUNCTION, false, true,
                        List.of(modgres.sql.ast.ObjectRef.of(List.of(ns.name(), (String) r.get(pr, "proname")))),
                        dow.behavior()));
            }
        }
        modgres.sql.catalog.SysTable n = modgres.sql.catalog.SysTable.PG_NAMESPACE;
        for (CatalogStore.Row r : cv.rows(n)) {
            if (roles.containsKey(((Number) r.get(n, "nspowner")).intValue())) {
                drops.add(new Ddl.Drop(dow.position(), modgres.sql.ast.ObjectType.SCHEMA, false, true,
                        List.of(modgres.sql.ast.ObjectRef.of(List.of((String) r.get(n, "nspname")))), dow.behavior()));
            }
        }
        for (Statement st : drops) {
            ddl(st, ex, m -> { }); // IF EXISTS: an earlier CASCADE may have taken it; no "skipping" notices
        }
        return "DROP OWNED";
    }

    /** A catalog row's new owner, its ACL's items of the old owner (when it has an ACL column) the new one's. */
    private void setOwner(CatalogStore in, modgres.sql.catalog.SysTable t, CatalogStore.Row r, String ownerColumn,
            String aclColumn, int newOid, String oldName, String newName) {
        Object[] v = r.values().clone();
        v[t.column(ownerColumn)] = newOid;
        if (aclColumn != null) {
            v[t.column(aclColumn)] = Privileges.newOwner((String) v[t.column(aclColumn)], oldName, newName);
        }
        in.update(t, r.tid(), v, txn);
    }

    /** The name of a role by OID ("" when there is none). */
    private String roleName(int oid) {
        modgres.sql.catalog.SysTable a = modgres.sql.catalog.SysTable.PG_AUTHID;
        for (CatalogStore.Row row : new CatalogStore(svc.heap(), 0).scan(a, txn.snapshot())) {
            if (((Number) row.get(a, "oid")).intValue() == oid) {
                return (String) row.get(a, "rolname");
            }
        }
        return "";
    }

    /** The OID of a role by name, -1 when there is none. */
    private int roleOidOrMissing(String name) {
        return modgres.sql.catalog.Roles.oid(new CatalogStore(svc.heap(), 0), txn, name, -1);
    }

    /** The OID of a role by name; the bootstrap superuser's when there is none (a session of the tests). */
    private modgres.sql.exec.RowSecurity.Context rlsContext;
    private String rlsContextUser;
    private long rlsContextVersion = -1;

    /**
     * Row-level security's view of the role: its OID and the OIDs of the roles whose privileges it has (policies
     * for those apply, their tables it owns), kept until a role command changes the shared catalog.
     */
    private modgres.sql.exec.RowSecurity.Context rowSecurityContext(String user) {
        long v = svc.cache().version(0);
        if (rlsContext == null || v != rlsContextVersion || !user.equals(rlsContextUser)) {
            modgres.sql.catalog.Roles.Membership ms = membership();
            java.util.Set<Integer> oids = new java.util.HashSet<>();
            for (String r : ms.rolesOf(user, true)) {
                Integer o = ms.oid(r);
                if (o != null) {
                    oids.add(o);
                }
            }
            Integer me = ms.oid(user);
            rlsContext = new modgres.sql.exec.RowSecurity.Context(me == null
                    ? modgres.sql.catalog.Bootstrap.BOOTSTRAP_SUPERUSER : me, false, oids);
            rlsContextUser = user;
            rlsContextVersion = v;
        }
        return rlsContext;
    }

    private int roleOid(String name) {
        return modgres.sql.catalog.Roles.oid(new CatalogStore(svc.heap(), 0), txn, name,
                modgres.sql.catalog.Bootstrap.BOOTSTRAP_SUPERUSER);
    }

    /** CREATE on the schema a CREATE TABLE / TABLE AS / VIEW / SEQUENCE makes its relation in (not for TEMP ones). */
    private void checkCreateSchema(Statement st, Planner p) {
        modgres.sql.ast.RangeVar rv = null;
        modgres.sql.ast.IntoClause.Persistence persistence = modgres.sql.ast.IntoClause.Persistence.PERMANENT;
        if (st instanceof Ddl.CreateTable ct) {
            rv = ct.relation();
            persistence = ct.persistence();
        } else if (st instanceof Ddl.CreateTableAs ctas) {
            rv = ctas.into().relation();
            persistence = ctas.into().persistence();
        } else if (st instanceof Ddl.CreateView cv) {
            rv = cv.relation();
            persistence = cv.persistence();
        } else if (st instanceof Ddl.CreateSequence cs) {
            rv = cs.relation();
            persistence = cs.persistence();
        }
        if (rv == null || persistence == modgres.sql.ast.IntoClause.Persistence.TEMPORARY
                || "pg_temp".equals(rv.schema())) {
            return;
        }
        String schema = rv.schema();
        if (schema == null) {
            CatalogView cat = catalog();
            for (String s : searchPath) {
                if (!s.equals("pg_temp") && !s.equals("pg_catalog") && cat.namespace(s) != null) {
                    schema = s;
                    break;
                }
            }
        }
        if (schema != null) {
            privileges().checkCreateIn(schema);
        }
    }

    /**
     * The session's temporary schema, created in the current transaction when
     * it does not exist yet (current_schema() with pg_temp first on the path:
     * PostgreSQL's fetch_search_path, owned by the bootstrap superuser as
     * InitTempTableNamespace makes it). The transaction has used it.
     */
    String ensureTempSchema() {
        String name = DdlExecutor.tempSchemaName(txn.pid());
        txn.accessedTempNamespace();
        if (catalog().namespace(name) == null) {
            store.insert(modgres.sql.catalog.SysTable.PG_NAMESPACE, new Object[] {txn.newOid(), name,
                modgres.sql.catalog.Bootstrap.BOOTSTRAP_SUPERUSER, null}, txn);
            txn.catalogChanged();
            txn.commandCounterIncrement();
            invalidate();
        }
        return name;
    }

    /** Session end: drops the temporary tables in a transaction of their own, then forgets the local buffers. */
    void dropTempTables(Runnable cancelCheck) {
        try {
            dropOwnTempTables(cancelCheck);
        } finally {
            temp.close();
        }
    }

    private void dropOwnTempTables(Runnable cancelCheck) {
        if (catalog().namespace(DdlExecutor.tempSchemaName(txn.pid())) == null) {
            return;
        }
        txn.begin(modgres.api.txn.IsolationLevel.READ_COMMITTED, false);
        try {
            txn.startStatement();
            ExecState ex = new ExecState(heap(), btree(), txn, ts, new Object[0], cancelCheck);
            new DdlExecutor(planner(new int[0], searchPath), catalog(), store, txn, ex, m -> { }).dropTempSchema();
            txn.commit();
        } catch (RuntimeException e) {
            txn.abort();
        }
        invalidate();
    }
}
