package modgres.txn;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.control.CheckpointParticipant;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.server.ProcessIds;
import modgres.api.settings.Settings;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.LockManager;
import modgres.api.txn.MultiXactManager;
import modgres.api.txn.Snapshot;
import modgres.api.txn.TransactionManager;
import modgres.api.txn.XidStatus;
import modgres.api.wal.RedoContext;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.Wal;
import modgres.api.wal.WalRecord;
import modgres.txn.clog.CommitLog;
import modgres.txn.multixact.MultiXactStore;
import modgres.txn.xact.Transactions;

/**
 * Publishes the transaction manager ({@link Transactions} over a
 * {@link CommitLog} in {@code DATADIR/pg_xact}, with the MultiXacts of
 * {@code DATADIR/pg_multixact}) as {@link TransactionManager}, as the
 * {@link RedoHandler} of the XACT, CLOG and MULTIXACT resource managers, and
 * as the {@link CheckpointParticipant} that makes {@code pg_xact} and
 * {@code pg_multixact} durable.
 *
 * <p>Immediate: its state (the running set, the counters) must outlive any
 * one consumer. References are static and mandatory: a new WAL, lock manager
 * or settings service means a new transaction manager (running transactions
 * cannot survive that anyway). Settings read at activation: the data
 * directory, {@code fsync}. The counters start at FirstNormalTransactionId
 * and 16384 until the startup process calls {@link #recoveryStart}.
 * Deactivation writes the dirty commit log pages (WAL first).
 */
@Component(name = "modgres.txn", immediate = true,
        service = {TransactionManager.class, RedoHandler.class, CheckpointParticipant.class})
public final class TransactionManagerComponent implements TransactionManager, RedoHandler, CheckpointParticipant {

    private final Transactions txns;
    private final ServerLog log;
    private final LockManager locks;
    private final MultiXactStore multis;

    @Activate
    public TransactionManagerComponent(@Reference(name = "Wal") Wal wal,
            @Reference(name = "LockManager") LockManager locks, @Reference(name = "Settings") Settings settings,
            @Reference(name = "LoggerFactory", service = LoggerFactory.class) Logger logger) {
        this.log = ServerLog.of(logger, LogContext.process(ProcessIds.postmaster(), "postmaster"));
        Path dir = settings.dataDirectory().resolve("pg_xact");
        boolean fsync = settings.find("fsync").isEmpty() || settings.getBool("fsync");
        CommitLog clog = new CommitLog(dir, wal, CommitLog.DEFAULT_CAPACITY, fsync);
        this.txns = new Transactions(wal, locks, clog, log);
        this.multis = new MultiXactStore(settings.dataDirectory().resolve("pg_multixact"), wal, fsync);
        this.locks = locks;
    }

    @Override
    public void lockTuple(int database, int relation, int block, int offset, long timeoutMillis)
            throws InterruptedException {
        locks.lock(modgres.txn.lock.CallerPid.current(), modgres.api.txn.LockTag.tuple(database, relation, block,
                offset), modgres.api.txn.LockMode.EXCLUSIVE, timeoutMillis);
    }

    @Override
    public void unlockTuple(int database, int relation, int block, int offset) {
        locks.unlock(modgres.txn.lock.CallerPid.current(), modgres.api.txn.LockTag.tuple(database, relation, block,
                offset), modgres.api.txn.LockMode.EXCLUSIVE);
    }

    @Deactivate
    void deactivate() {
        try {
            txns.commitLog().writeDirty();
            multis.writeDirty();
        } catch (RuntimeException e) {
            // The next start replays the WAL and rebuilds what was not written.
            log.warning("could not write the commit log at deactivation: " + e.getMessage());
        }
    }

    /** The plain object behind the component (tests). */
    Transactions delegate() {
        return txns;
    }

    // ---------------------------------------------------------------- TransactionManager

    @Override
    public int assignXid(int pid) {
        return txns.assignXid(pid);
    }

    @Override
    public int assignSubXid(int pid, int parentXid) {
        return txns.assignSubXid(pid, parentXid);
    }

    @Override
    public long commit(int pid, int xid, int[] subXids, boolean syncCommit) {
        return txns.commit(pid, xid, subXids, syncCommit);
    }

    @Override
    public void abort(int pid, int xid, int[] subXids) {
        txns.abort(pid, xid, subXids);
    }

    @Override
    public void abortSubXids(int pid, int topXid, int[] subXids) {
        txns.abortSubXids(pid, topXid, subXids);
    }

    @Override
    public XidStatus status(int xid) {
        return txns.status(xid);
    }

    @Override
    public boolean isRunning(int xid) {
        return txns.isRunning(xid);
    }

    @Override
    public int topLevelXid(int xid) {
        return txns.topLevelXid(xid);
    }

    @Override
    public Snapshot snapshot(CurrentTransaction current, int commandId) {
        return txns.snapshot(current, commandId);
    }

    @Override
    public void setBackendXmin(int pid, int xmin) {
        txns.setBackendXmin(pid, xmin);
    }

    @Override
    public int oldestXmin() {
        return txns.oldestXmin();
    }

    @Override
    public long nextFullXid() {
        return txns.nextFullXid();
    }

    @Override
    public void setOldestXid(int oldestXid) {
        txns.setOldestXid(oldestXid);
    }

    @Override
    public void setOldestXid(int oldestXid, String database) {
        txns.setOldestXid(oldestXid, database);
    }

    @Override
    public void waitFor(int xid, long timeoutMillis) throws InterruptedException {
        txns.waitFor(xid, timeoutMillis);
    }

    @Override
    public MultiXactManager multiXacts() {
        return multis;
    }

    @Override
    public int newOid() {
        return txns.newOid();
    }

    @Override
    public int nextOid() {
        return txns.nextOid();
    }

    @Override
    public void recoveryStart(long nextFullXid, int nextOid) {
        txns.recoveryStart(nextFullXid, nextOid);
    }

    @Override
    public void advancePastXid(int xid) {
        txns.advancePastXid(xid);
    }

    // ---------------------------------------------------------------- RedoHandler

    @Override
    public byte[] resourceManagers() {
        return new byte[] {ResourceManager.XACT, ResourceManager.CLOG, ResourceManager.MULTIXACT};
    }

    @Override
    public void redo(WalRecord record, RedoContext context) {
        if (record.rmgr() == ResourceManager.MULTIXACT) {
            multis.redo(record);
            return;
        }
        txns.redo(record);
    }

    @Override
    public String describe(WalRecord record) {
        if (record.rmgr() == ResourceManager.MULTIXACT) {
            return MultiXactStore.describe(record);
        }
        return Transactions.describe(record);
    }

    @Override
    public void cleanup() {
        txns.endRecovery();
    }

    // ---------------------------------------------------------------- CheckpointParticipant

    @Override
    public void checkpoint(long redo, boolean shutdown) {
        txns.checkpoint(shutdown);
        multis.checkpoint();
    }
}
