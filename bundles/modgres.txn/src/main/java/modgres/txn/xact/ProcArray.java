package modgres.txn.xact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.Snapshot;
import modgres.api.txn.Xid;

/*
 * Design notes
 * ------------
 * PostgreSQL's procarray.c (and the in-memory half of subtrans.c): which
 * transaction ids are running, for which backend, under which top-level id.
 *
 *   xids[0..count)    the running ids, tops and subs, unordered (swap-remove):
 *                     a snapshot is one lock and one array copy
 *   byXid             xid -> Entry (pid, top, parent, index in xids); read
 *                     without the lock for the positive answer of isRunning
 *                     and for topLevelXid
 *   topByPid          pid -> its running top-level Entry (one per backend)
 *   finishedSubs      sub -> top for subs that have ended, so topLevelXid
 *                     still answers for them; pruned below the oldest xmin
 *                     (pg_subtrans keeps them until truncation likewise;
 *                     like pg_subtrans, it is not durable: after a crash
 *                     nothing is running and no parent is needed)
 *   nextFullXid       the next id to assign; published under the lock
 *                     together with the new entry
 *
 * Invariants
 *  - nextFullXid and the running set change together under `lock`: a
 *    snapshot sees an id either below xmax and in xip, or at/after xmax.
 *  - An id leaves the running set only after its final status is in the
 *    commit log (the caller's ordering: clog first, then end*()), so a
 *    snapshot never sees a transaction finished before it is.
 *  - A sub id follows its top-level id (assigned later), so the oldest
 *    running id is always a top-level one.
 *  - Every Entry's `index` is its position in xids/entries.
 */

/** The set of running transaction ids and the snapshots taken from it. */
public final class ProcArray {

    static final class Entry {
        final int xid;
        final int pid;
        final int top;
        final int parent;
        int index;
        /** For a top-level entry: its running sub ids, in assignment order (guarded by the lock). */
        final List<Entry> subs;

        Entry(int xid, int pid, int top, int parent) {
            this.xid = xid;
            this.pid = pid;
            this.top = top;
            this.parent = parent;
            this.subs = xid == top ? new ArrayList<>() : null;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private int[] xids = new int[64];
    private Entry[] entries = new Entry[64];
    private int count;
    private final ConcurrentHashMap<Integer, Entry> byXid = new ConcurrentHashMap<>();
    private final Map<Integer, Entry> topByPid = new HashMap<>();
    private final Map<Integer, Integer> backendXmin = new HashMap<>();
    private final ConcurrentHashMap<Integer, Integer> finishedSubs = new ConcurrentHashMap<>();
    private volatile long nextFullXid = Xid.FIRST_NORMAL;

    public long nextFullXid() {
        return nextFullXid;
    }

    /** Sets the next id (start-up and redo; the caller serialises assignment). */
    public void setNextFullXid(long full) {
        lock.lock();
        try {
            nextFullXid = full;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ changes

    /** Throws unless {@code pid} may start a transaction; the caller then assigns. */
    public void checkCanStart(int pid) {
        lock.lock();
        try {
            Entry e = topByPid.get(pid);
            if (e != null) {
                throw new IllegalStateException("backend " + pid + " already runs transaction "
                        + Xid.toString(e.xid));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Throws unless {@code parent} is running for {@code pid}. */
    public void checkParent(int pid, int parent) {
        Entry p = byXid.get(parent);
        if (p == null || p.pid != pid) {
            throw new IllegalStateException("transaction " + Xid.toString(parent) + " is not running in backend "
                    + pid);
        }
    }

    /** Registers a new top-level id and publishes the next id with it. */
    public void addTop(int pid, int xid, long newNextFullXid) {
        lock.lock();
        try {
            if (topByPid.containsKey(pid)) {
                throw new IllegalStateException("backend " + pid + " already runs a transaction");
            }
            Entry e = new Entry(xid, pid, xid, Xid.INVALID);
            append(e);
            topByPid.put(pid, e);
            nextFullXid = newNextFullXid;
        } finally {
            lock.unlock();
        }
    }

    /** Registers a sub id under a running (top-level or sub) id of the same backend. */
    public void addSub(int pid, int xid, int parent, long newNextFullXid) {
        lock.lock();
        try {
            Entry p = byXid.get(parent);
            if (p == null || p.pid != pid) {
                throw new IllegalStateException("transaction " + Xid.toString(parent)
                        + " is not running in backend " + pid);
            }
            Entry e = new Entry(xid, pid, p.top, parent);
            append(e);
            byXid.get(p.top).subs.add(e);
            nextFullXid = newNextFullXid;
        } finally {
            lock.unlock();
        }
    }

    private void append(Entry e) {
        if (count == xids.length) {
            xids = Arrays.copyOf(xids, count * 2);
            entries = Arrays.copyOf(entries, count * 2);
        }
        e.index = count;
        xids[count] = e.xid;
        entries[count] = e;
        count++;
        byXid.put(e.xid, e);
    }

    private void removeEntry(Entry e) {
        int last = count - 1;
        if (e.index != last) {
            Entry moved = entries[last];
            xids[e.index] = moved.xid;
            entries[e.index] = moved;
            moved.index = e.index;
        }
        entries[last] = null;
        count = last;
        byXid.remove(e.xid);
    }

    /**
     * The running sub ids of top-level {@code xid} (ascending), after checking
     * that it is {@code pid}'s running top-level transaction.
     *
     * @throws IllegalStateException when it is not
     */
    public int[] subsOf(int pid, int xid) {
        lock.lock();
        try {
            Entry e = topByPid.get(pid);
            if (e == null || e.xid != xid) {
                throw new IllegalStateException("transaction " + Xid.toString(xid)
                        + " is not the running top-level transaction of backend " + pid);
            }
            int[] out = new int[e.subs.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = e.subs.get(i).xid;
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** True when {@code xid} is {@code pid}'s running top-level id. */
    public boolean isTopOf(int pid, int xid) {
        lock.lock();
        try {
            Entry e = topByPid.get(pid);
            return e != null && e.xid == xid;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The running subs of {@code top} that are in {@code requested} or
     * descend from one of them (a rolled-back savepoint takes its nested
     * savepoints with it), ascending.
     */
    public int[] subtree(int pid, int top, int[] requested) {
        lock.lock();
        try {
            Entry t = topByPid.get(pid);
            if (t == null || t.xid != top) {
                throw new IllegalStateException("transaction " + Xid.toString(top)
                        + " is not the running top-level transaction of backend " + pid);
            }
            Set<Integer> chosen = new HashSet<>();
            for (int r : requested) {
                chosen.add(r);
            }
            List<Integer> out = new ArrayList<>();
            for (Entry s : t.subs) { // assignment order: parents before children
                if (chosen.contains(s.xid) || chosen.contains(s.parent)) {
                    chosen.add(s.xid);
                    out.add(s.xid);
                }
            }
            int[] a = out.stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(a);
            return a;
        } finally {
            lock.unlock();
        }
    }

    /** Ends a top-level transaction: it and {@code subs} leave the running set; the backend's xmin is cleared. */
    public void endTransaction(int pid, int top, int[] subs) {
        lock.lock();
        try {
            Entry t = byXid.get(top);
            if (t != null) {
                for (Entry s : t.subs) {
                    removeEntry(s);
                    finishedSubs.put(s.xid, top);
                }
                t.subs.clear();
                removeEntry(t);
                topByPid.remove(t.pid, t);
            }
            for (int s : subs) { // in case one was not linked (defensive)
                Entry e = byXid.get(s);
                if (e != null && e.top == top) {
                    removeEntry(e);
                    finishedSubs.put(s, top);
                }
            }
            backendXmin.remove(pid);
        } finally {
            lock.unlock();
        }
    }

    /** Ends sub ids of a running transaction (rolled back). */
    public void endSubs(int top, int[] subs) {
        lock.lock();
        try {
            Entry t = byXid.get(top);
            for (int s : subs) {
                Entry e = byXid.get(s);
                if (e != null && e.top == top && e.xid != top) {
                    removeEntry(e);
                    if (t != null) {
                        t.subs.remove(e);
                    }
                    finishedSubs.put(s, top);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ questions

    /** {@code TransactionIdIsInProgress}. */
    public boolean isRunning(int xid) {
        if (byXid.containsKey(xid)) {
            return true;
        }
        // A negative answer goes through the lock: it then happens-after the
        // remover's unlock, and so after the commit log change it made first.
        lock.lock();
        try {
            return byXid.containsKey(xid);
        } finally {
            lock.unlock();
        }
    }

    /** The pid running {@code xid} (top or sub), or 0. */
    public int pidOf(int xid) {
        Entry e = byXid.get(xid);
        return e == null ? 0 : e.pid;
    }

    /** The top-level id of a running or finished sub id; the id itself otherwise. */
    public int topLevelXid(int xid) {
        Entry e = byXid.get(xid);
        if (e != null) {
            return e.top;
        }
        Integer top = finishedSubs.get(xid);
        return top == null ? xid : top;
    }

    /** {@code GetSnapshotData}: xmin = oldest running id (or xmax), xmax = next id, xip = the running ids. */
    public Snapshot snapshot(CurrentTransaction current, int commandId) {
        int xmax;
        int xmin;
        int[] xip;
        lock.lock();
        try {
            xmax = Xid.of(nextFullXid);
            xmin = xmax;
            xip = Arrays.copyOf(xids, count);
        } finally {
            lock.unlock();
        }
        for (int x : xip) {
            if (Xid.precedes(x, xmin)) {
                xmin = x;
            }
        }
        return new Snapshot(xmin, xmax, xip, current, commandId);
    }

    public void setBackendXmin(int pid, int xmin) {
        lock.lock();
        try {
            if (xmin == Xid.INVALID) {
                backendXmin.remove(pid);
            } else {
                backendXmin.put(pid, xmin);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The oldest of: the next id, every running id, every registered backend xmin. */
    public int oldestXmin() {
        lock.lock();
        try {
            int oldest = Xid.of(nextFullXid);
            for (int i = 0; i < count; i++) {
                if (Xid.precedes(xids[i], oldest)) {
                    oldest = xids[i];
                }
            }
            for (int x : backendXmin.values()) {
                if (Xid.isNormal(x) && Xid.precedes(x, oldest)) {
                    oldest = x;
                }
            }
            return oldest;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the parents of finished subs older than {@code horizon} (nobody can ask about them any more). */
    public void pruneFinishedSubs(int horizon) {
        finishedSubs.keySet().removeIf(s -> Xid.precedes(s, horizon));
    }

    /** Number of remembered finished subs (tests). */
    int finishedSubCount() {
        return finishedSubs.size();
    }

    /** Number of running ids (tests). */
    public int runningCount() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
