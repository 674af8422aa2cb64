package modgres.txn.xact;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.Severity;
import modgres.api.log.ServerLog;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.LockManager;
import modgres.api.txn.LockMode;
import modgres.api.txn.LockTag;
import modgres.api.txn.Snapshot;
import modgres.api.txn.TransactionManager;
import modgres.api.txn.Xid;
import modgres.api.txn.XidStatus;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.Wal;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalState;
import modgres.txn.clog.CommitLog;
import modgres.txn.lock.CallerPid;
import modgres.txn.lock.LockErrors;

/*
 * Design notes
 * ------------
 * The transaction manager proper: varsup.c (ids, OIDs, wraparound limits),
 * the commit-log side of xact.c (commit and abort records, in what order
 * things happen) and the status questions of transam.c, over a CommitLog
 * (pg_xact), a ProcArray (who runs) and the LockManager (the id locks
 * row-level waits queue on).
 *
 * Life of an id:
 *
 *   assignXid/assignSubXid                commit                 abort
 *   ----------------------> RUNNING ----------------------> COMMITTED
 *     (xidGenLock: limits,    |  1 commit record (+flush when synchronous)
 *      clog page zeroed,      |  2 clog: subs sub-committed, top committed, subs committed
 *      EXCLUSIVE id lock,     |  3 leave the running set
 *      publish with next id)  |  4 release the id locks
 *                             +----- abort / abortSubXids ----> ABORTED
 *                                    (record not flushed; same 2..4)
 *
 *   crash while RUNNING: clog says in progress, nobody runs it -> ABORTED
 *
 * The commit-ordering rule: the clog changes before the id leaves the
 * running set. Whoever sees it gone from a snapshot or from isRunning finds
 * its final status in the clog; a snapshot may still list it as running
 * after the clog says committed, which is harmless (visibility asks the
 * snapshot first).
 *
 * status() reads the clog without locks; an "in progress" answer is checked
 * against the running set, and if the id is no longer running the clog is
 * read again (the running-set lock orders that read after the committer's
 * clog change). Still in progress then means it was running at a crash:
 * aborted. Sub-committed resolves through the top-level id.
 *
 * Wraparound (SetTransactionIdLimit): wrap = oldestXid + 2^31 - 1,
 * stop = wrap - 3,000,000, warn = wrap - 40,000,000 (special ids skipped).
 * assignXid at or past stop fails with 54000; past warn it warns each time,
 * as PostgreSQL does. Until setOldestXid is called, the oldest id is
 * assumed FirstNormalTransactionId (a cluster whose ids never wrapped, as
 * initdb leaves it) or, for a next id past 2^31, the next id itself.
 *
 * OIDs (GetNewObjectId): from 16384 (FirstNormalObjectId), skipping values
 * below it after a wrap; every 8192 OIDs an XLOG_NEXTOID record names the end
 * of the pre-allocated range, so replay restarts after anything handed out
 * (an online checkpoint stores nextOid + the prefetch for the same reason).
 */

/** The {@link TransactionManager} over a commit log, a running set and a lock manager (plain object). */
public final class Transactions implements TransactionManager {

    public static final int FIRST_NORMAL_OID = 16384;
    /** OIDs pre-allocated per XLOG_NEXTOID record ({@code VAR_OID_PREFETCH}). */
    public static final int OID_PREFETCH = 8192;
    static final long STOP_MARGIN = 3_000_000L;
    static final long WARN_MARGIN = 40_000_000L;
    /** {@code ERRCODE_PROGRAM_LIMIT_EXCEEDED}. */
    static final String PROGRAM_LIMIT_EXCEEDED = "54000";

    private final Wal wal;
    private final LockManager locks;
    private final CommitLog clog;
    private final ServerLog log;
    private final ProcArray procs = new ProcArray();

    /** Serialises id assignment (PostgreSQL's XidGenLock). */
    private final ReentrantLock xidGenLock = new ReentrantLock();
    private boolean oldestKnown;
    private int oldestXid = Xid.FIRST_NORMAL;
    private String oldestDatabase = "postgres";
    private int warnLimit;
    private int stopLimit;
    private int wrapLimit;

    private final ReentrantLock oidLock = new ReentrantLock();
    private int nextOid = FIRST_NORMAL_OID;
    private int oidCount;

    private volatile boolean recoveryStarted;
    private volatile int prunePast = 65_536;

    public Transactions(Wal wal, LockManager locks, CommitLog clog, ServerLog log) {
        this.wal = wal;
        this.locks = locks;
        this.clog = clog;
        this.log = log;
        xidGenLock.lock();
        try {
            computeLimits();
        } finally {
            xidGenLock.unlock();
        }
        clog.setLatestPage(CommitLog.pageOf(Xid.of(procs.nextFullXid())));
    }

    public CommitLog commitLog() {
        return clog;
    }

    ProcArray procArray() {
        return procs;
    }

    // ------------------------------------------------------------------ assignment

    @Override
    public int assignXid(int pid) {
        CallerPid.bind(pid);
        procs.checkCanStart(pid);
        return assign(pid, Xid.INVALID);
    }

    @Override
    public int assignSubXid(int pid, int parentXid) {
        CallerPid.bind(pid);
        procs.checkParent(pid, parentXid);
        return assign(pid, parentXid);
    }

    private int assign(int pid, int parent) {
        if (wal.state() != WalState.INSERTING) {
            throw new PgException(SqlState.INTERNAL_ERROR, "cannot assign TransactionIds during recovery");
        }
        xidGenLock.lock();
        try {
            long full = procs.nextFullXid();
            int xid = Xid.of(full);
            checkLimits(xid);
            clog.extend(xid);
            LockTag tag = LockTag.transaction(xid);
            if (!locks.tryLock(pid, tag, LockMode.EXCLUSIVE)) {
                // Only a waiter left over from 2^32 ids ago could be there: wait it out.
                try {
                    locks.lock(pid, tag, LockMode.EXCLUSIVE, 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
                }
            }
            try {
                if (parent == Xid.INVALID) {
                    procs.addTop(pid, xid, advance(full));
                } else {
                    procs.addSub(pid, xid, parent, advance(full));
                }
            } catch (RuntimeException e) {
                locks.unlock(pid, tag, LockMode.EXCLUSIVE);
                throw e;
            }
            return xid;
        } finally {
            xidGenLock.unlock();
        }
    }

    /** {@code FullTransactionIdAdvance}: the next full id, skipping the special 32-bit values. */
    static long advance(long full) {
        long n = full + 1;
        while (!Xid.isNormal(Xid.of(n))) {
            n++;
        }
        return n;
    }

    /** Caller holds xidGenLock. */
    private void checkLimits(int xid) {
        if (!Xid.precedes(xid, warnLimit)) {
            if (!Xid.precedes(xid, stopLimit)) {
                throw new PgException(PROGRAM_LIMIT_EXCEEDED,
                        "database is not accepting commands to avoid wraparound data loss in database \""
                                + oldestDatabase + "\"",
                        null, "Stop the postmaster and vacuum that database in single-user mode.\n"
                                + "You might also need to commit or roll back old prepared transactions, or drop "
                                + "stale replication slots.");
            }
            warnWraparound(xid);
        }
    }

    private void warnWraparound(int xid) {
        log.report(Severity.WARNING, SqlState.WARNING, "database \"" + oldestDatabase + "\" must be vacuumed within "
                + Integer.toUnsignedString(wrapLimit - xid) + " transactions", null,
                "To avoid a database shutdown, execute a database-wide VACUUM in that database.\n"
                        + "You might also need to commit or roll back old prepared transactions, or drop stale "
                        + "replication slots.");
    }

    /** Caller holds xidGenLock ({@code SetTransactionIdLimit}). */
    private void computeLimits() {
        int oldest = oldestXid;
        if (!oldestKnown) {
            long next = procs.nextFullXid();
            oldest = next < (1L << 31) ? Xid.FIRST_NORMAL : Xid.of(next);
        }
        int wrap = oldest + Integer.MAX_VALUE;
        if (!Xid.isNormal(wrap)) {
            wrap += Xid.FIRST_NORMAL;
        }
        int stop = wrap - (int) STOP_MARGIN;
        if (!Xid.isNormal(stop)) {
            stop -= Xid.FIRST_NORMAL;
        }
        int warn = wrap - (int) WARN_MARGIN;
        if (!Xid.isNormal(warn)) {
            warn -= Xid.FIRST_NORMAL;
        }
        wrapLimit = wrap;
        stopLimit = stop;
        warnLimit = warn;
    }

    @Override
    public void setOldestXid(int oldestXid) {
        setOldestXid(oldestXid, null);
    }

    /** {@link #setOldestXid(int)} naming the database that holds it (for the wraparound messages). */
    public void setOldestXid(int oldestXid, String database) {
        xidGenLock.lock();
        try {
            this.oldestXid = Xid.isNormal(oldestXid) ? oldestXid : Xid.FIRST_NORMAL;
            this.oldestKnown = true;
            if (database != null) {
                this.oldestDatabase = database;
            }
            computeLimits();
            int next = Xid.of(procs.nextFullXid());
            if (!Xid.precedes(next, warnLimit) && Xid.precedes(next, stopLimit)) {
                warnWraparound(next);
            }
        } finally {
            xidGenLock.unlock();
        }
    }

    @Override
    public long nextFullXid() {
        return procs.nextFullXid();
    }

    // ------------------------------------------------------------------ ending

    /** Commits between their record and their pg_xact bits (readers) against a checkpoint's barrier (writer). */
    private final java.util.concurrent.locks.ReentrantReadWriteLock commitsInFlight =
            new java.util.concurrent.locks.ReentrantReadWriteLock(true);

    @Override
    public long commit(int pid, int xid, int[] subXids, boolean syncCommit) {
        CallerPid.bind(pid);
        // The running set is authoritative: every sub not rolled back commits with the top.
        int[] subs = procs.subsOf(pid, xid);
        long lsn;
        // PostgreSQL's DELAY_CHKPT_START: from the commit record's insertion until its pg_xact bits are set, a
        // checkpoint must not write pg_xact. Otherwise a REDO pointer fixed in between leaves the record before
        // the pointer (never replayed) and the bits out of the written page: the commit would be lost.
        commitsInFlight.readLock().lock();
        try {
            lsn = wal.insert(XactRecords.commit(xid, XactRecords.now(), subs));
            if (syncCommit) {
                wal.flush(lsn);
            }
            clog.setTreeStatus(xid, subs, XidStatus.COMMITTED, lsn);
        } finally {
            commitsInFlight.readLock().unlock();
        }
        procs.endTransaction(pid, xid, subs);
        releaseIdLocks(pid, xid, subs);
        maybePrune();
        return lsn;
    }

    @Override
    public void abort(int pid, int xid, int[] subXids) {
        CallerPid.bind(pid);
        if (!procs.isTopOf(pid, xid)) {
            return; // already ended (an abort after a failed commit, or twice)
        }
        int[] subs = procs.subsOf(pid, xid);
        RuntimeException failure = null;
        long lsn = 0;
        try {
            lsn = wal.insert(XactRecords.abort(xid, XactRecords.now(), subs));
        } catch (RuntimeException e) {
            failure = e; // the WAL is gone (PANIC): the id still ends aborted, as after a crash
        }
        clog.setTreeStatus(xid, subs, XidStatus.ABORTED, lsn);
        procs.endTransaction(pid, xid, subs);
        releaseIdLocks(pid, xid, subs);
        maybePrune();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void abortSubXids(int pid, int topXid, int[] subXids) {
        CallerPid.bind(pid);
        int[] tree = procs.subtree(pid, topXid, subXids);
        if (tree.length == 0) {
            return;
        }
        // As PostgreSQL's subtransaction abort record: xl_xid is the rolled-back
        // sub id (the oldest), the body its descendants; the top keeps running.
        int first = tree[0];
        int[] rest = Arrays.copyOfRange(tree, 1, tree.length);
        RuntimeException failure = null;
        long lsn = 0;
        try {
            lsn = wal.insert(XactRecords.abort(first, XactRecords.now(), rest));
        } catch (RuntimeException e) {
            failure = e;
        }
        clog.setTreeStatus(first, rest, XidStatus.ABORTED, lsn);
        procs.endSubs(topXid, tree);
        for (int s : tree) {
            locks.unlock(pid, LockTag.transaction(s), LockMode.EXCLUSIVE);
        }
        maybePrune();
        if (failure != null) {
            throw failure;
        }
    }

    private void releaseIdLocks(int pid, int xid, int[] subs) {
        locks.unlock(pid, LockTag.transaction(xid), LockMode.EXCLUSIVE);
        for (int s : subs) {
            locks.unlock(pid, LockTag.transaction(s), LockMode.EXCLUSIVE);
        }
    }

    private void maybePrune() {
        if (procs.finishedSubCount() > prunePast) {
            procs.pruneFinishedSubs(procs.oldestXmin());
            prunePast = Math.max(65_536, procs.finishedSubCount() * 2);
        }
    }

    // ------------------------------------------------------------------ questions

    @Override
    public XidStatus status(int xid) {
        if (!Xid.isNormal(xid)) {
            return xid == Xid.INVALID ? XidStatus.ABORTED : XidStatus.COMMITTED;
        }
        XidStatus s = clog.get(xid);
        if (s == XidStatus.COMMITTED || s == XidStatus.ABORTED) {
            return s;
        }
        if (s == XidStatus.IN_PROGRESS) {
            if (procs.isRunning(xid)) {
                return XidStatus.IN_PROGRESS;
            }
            s = clog.get(xid); // ordered after the committer's clog change by the running-set lock
            if (s == XidStatus.COMMITTED || s == XidStatus.ABORTED) {
                return s;
            }
            if (s == XidStatus.IN_PROGRESS) {
                return XidStatus.ABORTED; // running at a crash
            }
        }
        // Sub-committed: the top-level transaction decides.
        int top = procs.topLevelXid(xid);
        if (top != xid) {
            return status(top); // committed, in progress (its commit is under way) or aborted
        }
        s = clog.get(xid);
        return s == XidStatus.COMMITTED ? XidStatus.COMMITTED : XidStatus.ABORTED; // no parent known: a crash
    }

    @Override
    public boolean isRunning(int xid) {
        return Xid.isNormal(xid) && procs.isRunning(xid);
    }

    @Override
    public int topLevelXid(int xid) {
        return procs.topLevelXid(xid);
    }

    @Override
    public Snapshot snapshot(CurrentTransaction current, int commandId) {
        return procs.snapshot(current == null ? CurrentTransaction.NONE : current, commandId);
    }

    @Override
    public void setBackendXmin(int pid, int xmin) {
        procs.setBackendXmin(pid, xmin);
    }

    @Override
    public int oldestXmin() {
        return procs.oldestXmin();
    }

    @Override
    public void waitFor(int xid, long timeoutMillis) throws InterruptedException {
        waitFor(CallerPid.current(), xid, timeoutMillis);
    }

    /**
     * {@code XactLockTableWait} for backend {@code pid}: takes and releases a
     * SHARE lock on the id's tag (queueing behind its owner's EXCLUSIVE lock,
     * visible to {@code pg_locks} and the deadlock detector) until the id no
     * longer runs; a sub id that has ended while its top-level transaction
     * runs on (and did not abort) is followed to the top-level id.
     */
    public void waitFor(int pid, int xid, long timeoutMillis) throws InterruptedException {
        long deadline = timeoutMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        int target = xid;
        while (true) {
            if (!isRunning(target)) {
                int top = procs.topLevelXid(target);
                if (top != target && isRunning(top) && clog.get(target) != XidStatus.ABORTED) {
                    target = top;
                    continue;
                }
                return;
            }
            if (procs.pidOf(target) == pid) {
                return; // one's own transaction: nothing to wait for
            }
            long remaining = 0;
            if (deadline != 0) {
                remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remaining <= 0) {
                    throw LockErrors.lockTimeout();
                }
            }
            LockTag tag = LockTag.transaction(target);
            long start = System.nanoTime();
            locks.lock(pid, tag, LockMode.SHARE, remaining);
            locks.unlock(pid, tag, LockMode.SHARE);
            if (isRunning(target) && System.nanoTime() - start < 1_000_000L) {
                // Granted at once though its owner runs: the owner's id lock is gone
                // (released early, or a new lock manager). Poll instead of spinning.
                Thread.sleep(1);
            }
        }
    }

    // ------------------------------------------------------------------ OIDs

    @Override
    public int newOid() {
        oidLock.lock();
        try {
            if (Integer.compareUnsigned(nextOid, FIRST_NORMAL_OID) < 0) {
                nextOid = FIRST_NORMAL_OID; // wrapped (or fresh): user OIDs start here
                oidCount = 0;
            }
            if (oidCount == 0) {
                wal.insert(XactRecords.nextOid(nextOid + OID_PREFETCH));
                oidCount = OID_PREFETCH;
            }
            int oid = nextOid;
            nextOid++;
            oidCount--;
            return oid;
        } finally {
            oidLock.unlock();
        }
    }

    @Override
    public int nextOid() {
        oidLock.lock();
        try {
            return Integer.compareUnsigned(nextOid, FIRST_NORMAL_OID) < 0 ? FIRST_NORMAL_OID : nextOid;
        } finally {
            oidLock.unlock();
        }
    }

    // ------------------------------------------------------------------ recovery

    @Override
    public void recoveryStart(long nextFullXid, int nextOid) {
        xidGenLock.lock();
        try {
            long full = nextFullXid;
            if (!Xid.isNormal(Xid.of(full))) {
                full = advance(full);
            }
            procs.setNextFullXid(full);
            computeLimits();
            clog.setLatestPage(CommitLog.pageOf(Xid.of(full)));
        } finally {
            xidGenLock.unlock();
        }
        oidLock.lock();
        try {
            this.nextOid = nextOid;
            this.oidCount = 0;
        } finally {
            oidLock.unlock();
        }
        recoveryStarted = true;
    }

    @Override
    public void advancePastXid(int xid) {
        if (!Xid.isNormal(xid)) {
            return;
        }
        xidGenLock.lock();
        try {
            long next = procs.nextFullXid();
            int nextXid = Xid.of(next);
            if (Xid.precedes(xid, nextXid)) {
                return;
            }
            int newXid = Xid.advance(xid);
            long epoch = next >>> 32;
            if (Integer.compareUnsigned(newXid, nextXid) < 0) {
                epoch++; // the 32-bit id wrapped past the old next id
            }
            procs.setNextFullXid(epoch << 32 | Integer.toUnsignedLong(newXid));
            computeLimits();
        } finally {
            xidGenLock.unlock();
        }
    }

    /** Replays an XACT or CLOG record. */
    public void redo(WalRecord r) {
        if (r.rmgr() == ResourceManager.XACT) {
            XactRecords.Parsed p = XactRecords.parse(r);
            if (p == null) {
                throw new PgException(SqlState.DATA_CORRUPTED, "xact_redo: unknown op code "
                        + (r.info() & 0xF0));
            }
            clog.setTreeStatus(p.xid(), p.subXids(), p.commit() ? XidStatus.COMMITTED : XidStatus.ABORTED,
                    r.endLsn());
            advancePastXid(p.xid());
            for (int s : p.subXids()) {
                advancePastXid(s);
            }
        } else if (r.rmgr() == ResourceManager.CLOG) {
            int info = r.info() & 0xF0;
            if (info == CommitLog.ZEROPAGE) {
                clog.zeroPage(CommitLog.zeroPageNumber(r), false);
            } else if (info != CommitLog.TRUNCATE) {
                throw new PgException(SqlState.DATA_CORRUPTED, "clog_redo: unknown op code " + info);
            }
        } else {
            throw new IllegalArgumentException("not a transaction record: " + ResourceManager.name(r.rmgr()));
        }
    }

    /** {@code pg_waldump}'s description of an XACT or CLOG record. */
    public static String describe(WalRecord r) {
        if (r.rmgr() == ResourceManager.CLOG) {
            return CommitLog.describe(r);
        }
        return XactRecords.describe(r);
    }

    /** End of replay: clear clog bits past the next id ({@code TrimCLOG}). */
    public void endRecovery() {
        if (recoveryStarted) {
            clog.trim(Xid.of(procs.nextFullXid()));
        }
    }

    // ------------------------------------------------------------------ checkpoints

    /**
     * The checkpoint's part ({@code CheckPointCLOG}): pg_xact written and
     * fsynced. (The OIDs handed out from the current pre-allocated range are
     * the checkpointer's concern: like PostgreSQL's, an online checkpoint
     * records the next OID plus the prefetch.)
     */
    public void checkpoint(boolean shutdown) {
        // The REDO pointer is fixed: wait for the commits whose record may precede it to set their bits
        // (commits starting from now on insert their records after the pointer and are replayed).
        commitsInFlight.writeLock().lock();
        commitsInFlight.writeLock().unlock();
        clog.checkpoint();
        procs.pruneFinishedSubs(procs.oldestXmin());
    }
}
