package modgres.txn.xact;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.txn.clog.CommitLog;
import modgres.txn.lock.LockTable;
import modgres.txn.testing.TestLog;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

/** A transaction manager over a real WAL and lock table in a data directory. */
final class TxnFixture implements AutoCloseable {

    final Path data;
    final TestLog log = new TestLog();
    volatile int deadlockTimeout = 10_000;
    WriteAheadLog wal;
    LockTable locks;
    CommitLog clog;
    Transactions tm;

    TxnFixture(Path data) {
        this.data = data;
        open();
    }

    private void open() {
        wal = new WriteAheadLog(WalConfig.defaults(data).withSegmentSize(1024 * 1024).withWalBuffers(16), log.log);
        wal.startAt(wal.findEnd(0));
        locks = new LockTable(() -> deadlockTimeout);
        clog = new CommitLog(data.resolve("pg_xact"), wal, CommitLog.DEFAULT_CAPACITY, true);
        tm = new Transactions(wal, locks, clog, log.log);
    }

    /**
     * A crash and restart: the WAL is flushed (as if the last commits were
     * synchronous), nothing of the commit log is written, and a new
     * transaction manager replays the XACT and CLOG records from the start of
     * the log, after {@code recoveryStart(nextFullXid, nextOid)}.
     */
    void crashAndRecover(long nextFullXid, int nextOid) {
        wal.flush(wal.insertPosition());
        locks.close();
        wal.close();
        WriteAheadLog w = new WriteAheadLog(WalConfig.defaults(data).withSegmentSize(1024 * 1024).withWalBuffers(16),
                log.log);
        LockTable l = new LockTable(() -> deadlockTimeout);
        CommitLog c = new CommitLog(data.resolve("pg_xact"), w, CommitLog.DEFAULT_CAPACITY, true);
        Transactions t = new Transactions(w, l, c, log.log);
        t.recoveryStart(nextFullXid, nextOid);
        try (WalReader r = w.reader(0)) {
            WalRecord rec;
            while ((rec = r.next()) != null) {
                if (rec.rmgr() == ResourceManager.XACT || rec.rmgr() == ResourceManager.CLOG) {
                    t.redo(rec);
                }
            }
            t.endRecovery();
            w.startAt(r.end());
        }
        wal = w;
        locks = l;
        clog = c;
        tm = t;
    }

    /** A clean restart: checkpoint (pg_xact written), then new objects on the same directory, no replay. */
    void restartClean() {
        long next = tm.nextFullXid();
        int oid = tm.nextOid();
        tm.checkpoint(true);
        wal.flush(wal.insertPosition());
        locks.close();
        wal.close();
        open();
        tm.recoveryStart(next, oid);
    }

    /** Every record in the log so far (flushes first). */
    List<WalRecord> records() {
        wal.flush(wal.insertPosition());
        List<WalRecord> out = new ArrayList<>();
        try (WalReader r = wal.reader(0)) {
            WalRecord rec;
            while ((rec = r.next()) != null) {
                out.add(rec);
            }
        }
        return out;
    }

    @Override
    public void close() {
        locks.close();
        wal.close();
    }
}
