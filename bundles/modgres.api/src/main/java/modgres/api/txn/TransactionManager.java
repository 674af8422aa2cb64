package modgres.api.txn;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Transaction ids, the commit log and snapshots: PostgreSQL's {@code varsup.c}
 * (id and OID assignment), {@code clog.c} and {@code subtrans.c} (status of
 * every id, in {@code pg_xact/}), {@code procarray.c} (who is running, and
 * snapshots from that) and the commit/abort records of {@code xact.c}. One
 * service per server; its state outlives sessions. The per-session state
 * machine (BEGIN, savepoints, command ids) is the SQL engine's, which calls
 * this service at the points below.
 *
 * <h2>Life of a transaction</h2>
 * <pre>
 * xid = assignXid(pid)              first write of the transaction (reads need no xid)
 * sub = assignSubXid(pid, xid)      first write inside a savepoint
 * abortSubXids(pid, xid, {sub,..})  ROLLBACK TO SAVEPOINT: those ids are aborted now
 * commit(pid, xid, {subs})          commit record, flush per synchronous_commit, pg_xact, then not running
 *   or abort(pid, xid, {subs})      abort record; not running
 * </pre>
 * A backend that ends or dies with an id assigned is aborted by its session
 * ({@link #abort}); after a crash, ids that were running are aborted
 * implicitly (their status is {@link XidStatus#IN_PROGRESS} in the log but
 * {@link #isRunning} is false: {@link #status} reports them as aborted).
 *
 * <h2>Wraparound</h2>
 * Ids are 32 bits; 64-bit full ids (epoch in the high half) are kept here.
 * New ids are refused ({@code 54000 database is not accepting commands to
 * avoid wraparound data loss}) when fewer than 3 million remain before the
 * oldest unfrozen id ({@link #setOldestXid}) would be reused, and a warning
 * is logged from 40 million before, as PostgreSQL does.
 */
@ProviderType
public interface TransactionManager {

    /** Assigns a new top-level id and registers it as running for backend {@code pid}. WAL-logs nothing. */
    int assignXid(int pid);

    /** Assigns a subtransaction id under {@code parentXid} (top-level or sub), running for {@code pid}. */
    int assignSubXid(int pid, int parentXid);

    /**
     * Commits: writes the commit record (with the sub ids), flushes it when
     * {@code synchronous_commit} says so ({@code syncCommit}), sets every id
     * committed in {@code pg_xact/}, then removes them from the running set —
     * in this order, so that a snapshot never sees the transaction finished
     * before it is. Returns the commit record's end LSN.
     */
    long commit(int pid, int xid, int[] subXids, boolean syncCommit);

    /** Aborts a top-level id and its sub ids: abort record (not flushed), pg_xact, not running. */
    void abort(int pid, int xid, int[] subXids);

    /** Aborts sub ids of a running transaction (ROLLBACK TO SAVEPOINT); the top-level id keeps running. */
    void abortSubXids(int pid, int topXid, int[] subXids);

    /**
     * The status of an id as visibility needs it: {@link XidStatus#COMMITTED}
     * only once the top-level transaction's commit is in {@code pg_xact/};
     * {@link XidStatus#IN_PROGRESS} only while it is running; an id that was
     * running at a crash is {@link XidStatus#ABORTED}. Special ids:
     * {@link Xid#BOOTSTRAP} and {@link Xid#FROZEN} are committed,
     * {@link Xid#INVALID} aborted.
     */
    XidStatus status(int xid);

    /** True while the id (top-level or sub) belongs to a running transaction ({@code TransactionIdIsInProgress}). */
    boolean isRunning(int xid);

    /** The top-level id of a (sub)transaction id that is running or finished (the id itself for a top-level id). */
    int topLevelXid(int xid);

    /** A snapshot of the running transactions now ({@code GetSnapshotData}). */
    Snapshot snapshot(CurrentTransaction current, int commandId);

    /**
     * Registers the xmin of a snapshot a backend holds (or {@link Xid#INVALID}
     * to clear it), so that {@link #oldestXmin} does not pass it.
     */
    void setBackendXmin(int pid, int xmin);

    /**
     * The oldest id any running transaction or registered snapshot may still
     * consider running ({@code GetOldestNonRemovableTransactionId}): a tuple
     * deleted by a committed id before it is dead to everyone.
     */
    int oldestXmin();

    /** The next id {@link #assignXid} would return, as a 64-bit full id. */
    long nextFullXid();

    /** The oldest id not yet frozen in every database ({@code datfrozenxid} minimum), for wraparound protection. */
    void setOldestXid(int oldestXid);

    /**
     * {@link #setOldestXid(int)} naming the database whose {@code datfrozenxid}
     * it is, for the wraparound warnings and errors ({@code database "x" must
     * be vacuumed within N transactions}).
     */
    default void setOldestXid(int oldestXid, String database) {
        setOldestXid(oldestXid);
    }

    /** Blocks until {@code xid} (and its top-level transaction) is no longer running ({@code XactLockTableWait}). */
    void waitFor(int xid, long timeoutMillis) throws InterruptedException;

    /**
     * PostgreSQL's {@code heap_acquire_tuplock}: the calling backend takes the
     * heavyweight EXCLUSIVE lock on a tuple before it waits for the
     * transaction in the tuple's xmax, so that backends waiting for one row
     * queue up in order instead of all waking at its holder's commit and
     * racing for it. Released with {@link #unlockTuple} once the change is
     * done or given up. The default takes nothing.
     */
    default void lockTuple(int database, int relation, int block, int offset, long timeoutMillis)
            throws InterruptedException {
    }

    /** Releases a lock taken by {@link #lockTuple}. */
    default void unlockTuple(int database, int relation, int block, int offset) {
    }

    /**
     * The MultiXacts of this server ({@code pg_multixact/}): several
     * transactions holding one row. The default has none (an implementation
     * without MultiXacts makes compatible row lockers wait for each other).
     */
    default MultiXactManager multiXacts() {
        return null;
    }

    /** Assigns a new OID (WAL-logged in batches as PostgreSQL's {@code XLOG_NEXTOID}). */
    int newOid();

    /** The next OID {@link #newOid} would return. */
    int nextOid();

    /**
     * Recovery: start from the checkpoint's counters. Called by the startup
     * process before replay; replay then advances them past every id it sees.
     */
    void recoveryStart(long nextFullXid, int nextOid);

    /** Recovery: the record's xid was used; the next id must follow it. */
    void advancePastXid(int xid);
}
