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
    public Object[] params;
    /** Set from another thread (cancel) or the statement timeout; checked per row. */
    public final Runnable cancelCheck;
    /** work_mem in bytes, for sorts and hashes that would spill. */
    public long workMem = 4L * 1024 * 1024;
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

    public static PgException error(String state, String msg) {
        return new PgException(state, msg);
    }
}
