package modgres.storage.heap;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import modgres.api.error.PgException;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.Snapshot;
import modgres.api.txn.TransactionManager;
import modgres.api.txn.Xid;
import modgres.api.txn.XidStatus;
import modgres.api.wal.Wal;

/**
 * An in-memory transaction manager for the heap's tests: ids, statuses, the
 * running set, snapshots and waits; commit flushes the WAL (synchronous
 * commit) but writes no commit record. {@link #crash} makes the running ids
 * look like leftovers of a crash (in progress in the log, not running).
 */
final class FakeTransactionManager implements TransactionManager {
    private final Map<Integer, XidStatus> log = new HashMap<>();
    private final Set<Integer> running = new HashSet<>();
    private final Map<Integer, Integer> parent = new HashMap<>();
    private final Map<Integer, Integer> backendXmin = new HashMap<>();
    private int next = 700;
    private int nextOid = 16384;
    volatile Wal wal;
    /** MultiXacts when a test sets them (null: none, compatible lockers wait for each other). */
    volatile modgres.api.txn.MultiXactManager multis;

    FakeTransactionManager(Wal wal) {
        this.wal = wal;
    }

    @Override
    public synchronized int assignXid(int pid) {
        int x = next++;
        log.put(x, XidStatus.IN_PROGRESS);
        running.add(x);
        return x;
    }

    @Override
    public synchronized int assignSubXid(int pid, int parentXid) {
        int x = assignXid(pid);
        parent.put(x, parentXid);
        return x;
    }

    /** Commits {@code xid} and the given subtransactions. */
    public long commit(int xid, int... subs) {
        return commit(0, xid, subs, true);
    }

    @Override
    public long commit(int pid, int xid, int[] subXids, boolean syncCommit) {
        Wal w = wal;
        if (w != null && syncCommit) {
            w.flush(w.insertPosition());
        }
        synchronized (this) {
            log.put(xid, XidStatus.COMMITTED);
            for (int s : subXids) {
                log.put(s, XidStatus.COMMITTED);
            }
            running.remove(xid);
            for (int s : subXids) {
                running.remove(s);
            }
            notifyAll();
        }
        return 0;
    }

    public void abort(int xid, int... subs) {
        abort(0, xid, subs);
    }

    @Override
    public synchronized void abort(int pid, int xid, int[] subXids) {
        log.put(xid, XidStatus.ABORTED);
        running.remove(xid);
        for (int s : subXids) {
            log.put(s, XidStatus.ABORTED);
            running.remove(s);
        }
        notifyAll();
    }

    @Override
    public synchronized void abortSubXids(int pid, int topXid, int[] subXids) {
        for (int s : subXids) {
            log.put(s, XidStatus.ABORTED);
            running.remove(s);
        }
        notifyAll();
    }

    /** Every running id stays IN_PROGRESS in the log but is no longer running. */
    public synchronized void crash() {
        running.clear();
        notifyAll();
    }

    @Override
    public synchronized XidStatus status(int xid) {
        if (xid == Xid.BOOTSTRAP || xid == Xid.FROZEN) {
            return XidStatus.COMMITTED;
        }
        XidStatus s = log.get(xid);
        if (s == null || xid == Xid.INVALID) {
            return XidStatus.ABORTED;
        }
        if (s == XidStatus.IN_PROGRESS && !running.contains(xid)) {
            return XidStatus.ABORTED; // a crash leftover
        }
        return s;
    }

    @Override
    public synchronized boolean isRunning(int xid) {
        return running.contains(xid);
    }

    @Override
    public synchronized int topLevelXid(int xid) {
        Integer p = parent.get(xid);
        return p == null ? xid : topLevelXid(p);
    }

    /** A snapshot now for the transaction {@code xid} (0: none) and its subtransactions. */
    public Snapshot snapshot(int xid, int cid) {
        return snapshot(x -> x != 0 && (x == xid || isRunning(x) && topLevelXid(x) == xid), cid);
    }

    @Override
    public synchronized Snapshot snapshot(CurrentTransaction current, int commandId) {
        int xmax = next;
        int xmin = xmax;
        for (int x : running) {
            if (Xid.precedes(x, xmin)) {
                xmin = x;
            }
        }
        int[] xip = running.stream().mapToInt(Integer::intValue).toArray();
        return new Snapshot(xmin, xmax, xip, current, commandId);
    }

    @Override
    public synchronized void setBackendXmin(int pid, int xmin) {
        if (xmin == Xid.INVALID) {
            backendXmin.remove(pid);
        } else {
            backendXmin.put(pid, xmin);
        }
    }

    @Override
    public synchronized int oldestXmin() {
        int o = next;
        for (int x : running) {
            if (Xid.precedes(x, o)) {
                o = x;
            }
        }
        for (int x : backendXmin.values()) {
            if (Xid.precedes(x, o)) {
                o = x;
            }
        }
        return o;
    }

    @Override
    public synchronized long nextFullXid() {
        return next;
    }

    @Override
    public void setOldestXid(int oldestXid) {
    }

    @Override
    public synchronized void waitFor(int xid, long timeoutMillis) throws InterruptedException {
        long deadline = timeoutMillis > 0 ? System.currentTimeMillis() + timeoutMillis : Long.MAX_VALUE;
        int top = topLevelXid(xid);
        while (running.contains(xid) || running.contains(top)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new PgException("55P03", "canceling statement due to lock timeout");
            }
            wait(Math.min(left, 1000));
        }
    }

    @Override
    public modgres.api.txn.MultiXactManager multiXacts() {
        return multis;
    }

    @Override
    public synchronized int newOid() {
        return nextOid++;
    }

    @Override
    public synchronized int nextOid() {
        return nextOid;
    }

    @Override
    public void recoveryStart(long nextFullXid, int nextOid) {
    }

    @Override
    public void advancePastXid(int xid) {
    }
}
