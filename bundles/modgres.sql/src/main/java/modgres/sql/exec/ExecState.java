package modgres.sql.exec;

import modgres.api.access.BTree;
import modgres.api.access.Heap;
import modgres.api.error.PgException;
import modgres.sql.catalog.TxnContext;

/** What a running plan needs: services, the transaction, parameters and the cancel check. */
public final class ExecState {
    public final Heap heap;
    public final BTree btree;
    public final TxnContext txn;
    public final TypeSupport types;
    /**
     * What the current role may read, for error details (PostgreSQL's ExecBuildSlotValueDescription):
     * (relation OID, attnum) -- attnum 0 asks for table-level SELECT, -1 whether row-level security is in
     * force for the role (then no detail). Null: everything (a superuser).
     */
    public java.util.function.BiPredicate<Integer, Integer> columnVisible;
    public Object[] params;
    /** Set from another thread (cancel) or the statement timeout; checked per row. */
    public final Runnable cancelCheck;
    /** work_mem in bytes, for sorts and hashes that would spill. */
    public long workMem = 4L * 1024 * 1024;
    /** hash_mem_multiplier: hash tables (hash join, hash aggregation) may use workMem times this. */
    public double hashMemMultiplier = 2.0;
    /**
     * The data directory, whose base/pgsql_tmp holds the temporary files of sorts and hashes that outgrow
     * work_mem; null = no temporary files (such operations then stay in memory).
     */
    public java.nio.file.Path dataDirectory;
    /** temp_file_limit in bytes, -1 = none. */
    public long tempFileLimit = -1;
    /** log_temp_files in bytes, -1 = off. */
    public long logTempFiles = -1;
    /** Where log_temp_files lines go (the server log); null = not logged. */
    public java.util.function.Consumer<String> tempFileLog;
    /** The session's setting by name (null when unknown), for what a statement reads at run time (vacuum ages). */
    public java.util.function.Function<String, String> setting = name -> null;
    private modgres.sql.exec.spill.TempFileSpace tempFiles;
    /**
     * The session's memory account: executor structures charge their estimated size to it (the same estimate
     * they hold against work_mem); a fresh one when the statement runs outside a session (tests, maintenance).
     */
    public modgres.sql.exec.spill.MemoryAccount memory = new modgres.sql.exec.spill.MemoryAccount();
    /** maintenance_work_mem (or autovacuum_work_mem) in bytes: VACUUM's dead-tuple list; 0 = the heap's default. */
    public long maintenanceWorkMem;
    /** Rows processed by the top ModifyTable (the command tag's count). */
    public long processed;
    private int tick;
    /** The rows of enclosing query levels, innermost last (correlated subqueries read them). */
    private final java.util.ArrayList<Object[]> outerRows = new java.util.ArrayList<>();
    /** The current row of an IN/ANY subquery while its comparison is evaluated. */
    public Object subValue;
    /** The backends' status (pg_stat_activity), when the server provides it. */
    public java.util.function.Supplier<java.util.List<modgres.api.backend.BackendStatus>> activity;
    /** The lock manager's table (pg_locks). */
    public java.util.function.Supplier<java.util.List<modgres.api.txn.LockInfo>> locks;
    /** This thread's block counters {hits, reads} from the buffer pool (pg_statio_*). */
    public long[] io = new long[2];
    /** The session's statistics (pg_stat_*), null when not counted. */
    public TableActivity stats;
    /** The statistics store and the server's other figures for the pg_stat_* views; null when absent. */
    public java.util.function.Supplier<modgres.api.stats.StatsStore> statsStore = () -> null;
    /** The active stats collector (pg_stat_force_next_flush). */
    public java.util.function.Supplier<modgres.api.stats.StatsCollector> statsCollector = () -> null;
    /** The session's settings as the type system's input/output functions need them. */
    public Object session;
    /** SERIALIZABLE: where index scans and row writes report their keys (null at the other levels). */
    public PredicateLocks ssi;
    /**
     * The triggers a statement's writer fires: (table the statement names, INSERT/UPDATE/DELETE) to its
     * firing, or null (no triggers); null when the caller runs no triggers (maintenance).
     */
    public java.util.function.BiFunction<modgres.sql.catalog.Relation, String, RowTriggers> triggerSource;
    /** Compiles an expression or partial index's expressions over a row of its table (IndexExpressions). */
    public java.util.function.BiFunction<modgres.sql.catalog.Relation, modgres.sql.catalog.Relation.Index,
            IndexExpressions.Compiled> indexExpressions;

    /** The values of the execution's InitPlans (uncorrelated sub-plans), by sub-plan. */
    private java.util.IdentityHashMap<Object, Object> initPlans;
    private static final Object NULL_VALUE = new Object();

    /** An InitPlan's value: computed by {@code compute} on first use in this execution, then the same. */
    public Object initPlanValue(Object key, java.util.function.Supplier<Object> compute) {
        if (initPlans == null) {
            initPlans = new java.util.IdentityHashMap<>();
        }
        Object v = initPlans.get(key);
        if (v == null) {
            v = compute.get();
            initPlans.put(key, v == null ? NULL_VALUE : v);
            return v;
        }
        return v == NULL_VALUE ? null : v;
    }

    public void pushOuter(Object[] row) {
        outerRows.add(row);
    }

    public void popOuter() {
        outerRows.remove(outerRows.size() - 1);
    }

    /** The row {@code depth} levels up (1 = the immediately enclosing query). */
    public Object[] outer(int depth) {
        return outerRows.get(outerRows.size() - depth);
    }

    public ExecState(Heap heap, BTree btree, TxnContext txn, TypeSupport types, Object[] params,
            Runnable cancelCheck) {
        this.heap = heap;
        this.btree = btree;
        this.txn = txn;
        this.types = types;
        this.params = params;
        this.cancelCheck = cancelCheck;
    }

    /** Called per row by loops: checks for cancel every 256 calls. */
    public void tick() {
        if ((++tick & 255) == 0 && cancelCheck != null) {
            cancelCheck.run();
        }
    }

    /** The memory a hash table may use: work_mem * hash_mem_multiplier (get_hash_memory_limit). */
    public long hashMem() {
        double m = workMem * hashMemMultiplier;
        return m >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) m;
    }

    /**
     * The statement's temporary files, made on first use; null when there is no data directory. Whatever
     * an operation leaves (an error, a subplan never closed) is deleted at transaction end at the latest.
     */
    public modgres.sql.exec.spill.TempFileSpace tempFiles() {
        if (tempFiles == null && dataDirectory != null) {
            TableActivity st = stats;
            modgres.sql.exec.spill.TempFileSpace s = new modgres.sql.exec.spill.TempFileSpace(dataDirectory,
                    txn == null ? 0 : txn.pid(), tempFileLimit, logTempFiles, tempFileLog, size -> {
                        if (st != null) {
                            st.count(modgres.api.stats.DatabaseCounter.TEMP_FILES, 1);
                            st.count(modgres.api.stats.DatabaseCounter.TEMP_BYTES, size);
                        }
                    });
            s.account(memory);
            if (txn != null) {
                txn.onCommit(s::closeAll);
                txn.onAbort(s::closeAll);
            }
            tempFiles = s;
        }
        return tempFiles;
    }

    /** The temporary files made so far, null when none was needed. */
    public modgres.sql.exec.spill.TempFileSpace tempFilesIfAny() {
        return tempFiles;
    }

    public static PgException error(String state, String msg) {
        return new PgException(state, msg);
    }
}
