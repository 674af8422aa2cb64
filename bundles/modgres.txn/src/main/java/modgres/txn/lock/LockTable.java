package modgres.txn.lock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

import modgres.api.error.PgException;
import modgres.api.txn.LockInfo;
import modgres.api.txn.LockManager;
import modgres.api.txn.LockMode;
import modgres.api.txn.LockTag;

/*
 * Design notes
 * ------------
 * PostgreSQL's heavyweight lock manager (lock.c, proc.c's ProcSleep and
 * ProcLockWakeup, deadlock.c) for threads.
 *
 * The table is split into 16 partitions by tag hash, each a mutex and a map
 * tag -> Lock. A Lock has its holders (pid -> count per mode, in the order
 * they first got it) and its FIFO wait queue of Requests; it is dropped from
 * the map when both are empty. Questions about the whole table (deadlock
 * check, pg_locks, pg_blocking_pids) take every partition mutex in index
 * order; nothing else takes two.
 *
 * Granting rules
 *  - A pid that holds the mode already just counts one more hold.
 *  - Otherwise a request is granted at once when it conflicts neither with a
 *    mode held by another pid nor with a mode anyone waits for (waiters are
 *    not overtaken).
 *  - Otherwise it queues at the end, except (ProcSleep) when the pid already
 *    holds modes some waiter conflicts with: it goes in front of the first
 *    such waiter, and is granted at once if, there, it conflicts with no
 *    holder and no waiter ahead of it. If that waiter also waits for a mode
 *    this pid conflicts with, the pair is an immediate deadlock.
 *  - On every release and every removal from a queue, the queue is walked in
 *    order: a waiter is granted when it conflicts with no other holder and no
 *    request still waiting ahead of it (ProcLockWakeup).
 *
 * Waiting (a Condition per request, on its partition's mutex):
 *
 *            deadlock_timeout            no cycle
 *   WAITING --------------> CHECK ---------------> WAITING (no more checks)
 *     |  |                    | cycle through me
 *     |  |                    v
 *     |  |                 FAILED 40P01 (removed from the queue)
 *     |  +-- lock_timeout --> FAILED 55P03 (removed)
 *     +----- interrupt -----> InterruptedException (removed)
 *     +----- granted by a release ---> GRANTED
 *
 * Deadlock check (deadlock.c): with all partitions held, a depth-first
 * walk of the waits-for graph from the waiting pid. A waiting pid's "hard"
 * edges go to each other pid holding a mode that conflicts with its
 * request, its "soft" edges to each pid waiting ahead of it whose requested
 * mode conflicts with it. Reaching the start pid again is a cycle. A cycle
 * with a soft edge may be only an unlucky queue order: the waiter is moved
 * in front of the one it waits behind and the walk is repeated (at most 16
 * times); if that leaves no cycle the new order stays and the queues are
 * woken. Otherwise the queues are restored and this request fails with
 * 40P01, the detail naming the first cycle found, one line per process:
 * "Process A waits for M on T; blocked by process B.". (PostgreSQL searches
 * the possible orders more thoroughly, with a topological sort of all soft
 * constraints at once; one move at a time finds the common cases.)
 *
 * Fast path (PostgreSQL's fast-path relation locks): the weak relation modes
 * (AccessShare, RowShare, RowExclusive: what SELECT, SELECT FOR UPDATE and
 * DML take) conflict with no weak mode, so while nobody holds or wants a
 * strong one (Share and above) on a relation they need no shared state at
 * all: each pid keeps them in its own FastPath (its monitor, not a partition
 * mutex, so backends reading the same table do not queue on one mutex).
 *  - strongCounts[bucket(tag)] counts strong requests and holds on the
 *    relations hashing there (a request counts from before it looks at the
 *    table until it fails or its hold is released).
 *  - A weak request takes the fast path only if, under its FastPath's
 *    monitor, the count is 0.
 *  - A strong request first raises the count, then moves every pid's fast
 *    holds on the relation into the main table (each under that pid's
 *    monitor), then proceeds as usual: so it sees every conflicting holder,
 *    and no weak lock can slip in unseen (a weak requester either saw the
 *    count at 0 before the move, and is moved, or sees it raised).
 *  - Lock order: a FastPath monitor, then a partition mutex; never the
 *    reverse (pg_locks reads the fast holds before taking the partitions).
 */

/** The heavyweight lock table: modes, counted holds, FIFO queues, timeouts, deadlock detection. */
public final class LockTable implements LockManager {

    static final int PARTITIONS = 16;
    private static final LockMode[] MODES = LockMode.values();
    /** Bit o of CONFLICTS[m]: mode m conflicts with mode o. */
    private static final int[] CONFLICTS = new int[MODES.length];

    static {
        for (LockMode m : MODES) {
            for (LockMode o : MODES) {
                if (m.conflictsWith(o)) {
                    CONFLICTS[m.ordinal()] |= 1 << o.ordinal();
                }
            }
        }
    }

    private static final class Partition {
        final ReentrantLock mutex = new ReentrantLock();
        final Map<LockTag, Lock> locks = new HashMap<>();
    }

    private static final class Holding {
        final int[] counts = new int[MODES.length];
        int mask;
    }

    private static final class Lock {
        final LockTag tag;
        final Partition part;
        final LinkedHashMap<Integer, Holding> holders = new LinkedHashMap<>();
        /** Number of pids holding each mode. */
        final int[] holderCount = new int[MODES.length];
        final ArrayList<Request> queue = new ArrayList<>();

        Lock(LockTag tag, Partition part) {
            this.tag = tag;
            this.part = part;
        }

        int heldMask(int pid) {
            Holding h = holders.get(pid);
            return h == null ? 0 : h.mask;
        }

        int waitMask() {
            int m = 0;
            for (Request r : queue) {
                m |= 1 << r.mode.ordinal();
            }
            return m;
        }
    }

    private static final class Request {
        final int pid;
        final LockMode mode;
        final Lock lock;
        final Condition cond;
        final long waitStartMillis;
        boolean granted;
        boolean abandoned;
        PgException failure;

        Request(int pid, LockMode mode, Lock lock, Condition cond) {
            this.pid = pid;
            this.mode = mode;
            this.lock = lock;
            this.cond = cond;
            this.waitStartMillis = System.currentTimeMillis();
        }
    }

    /** One edge of a waits-for path; soft when the blocker only waits ahead in the queue. */
    private record Step(int pid, Request request, int blockedBy, boolean soft) {
    }

    /** How many queue rearrangements one deadlock check tries before it gives up. */
    private static final int MAX_REARRANGEMENTS = 16;

    private final Partition[] parts = new Partition[PARTITIONS];

    /** A pid's weak relation locks taken on the fast path: tag -> count per weak mode. Guarded by itself. */
    private static final class FastPath {
        final HashMap<LockTag, int[]> held = new HashMap<>();
    }

    /** The strongest mode that may use the fast path (RowExclusiveLock), and the weakest that blocks it. */
    private static final int MAX_FAST_MODE = LockMode.ROW_EXCLUSIVE.ordinal();
    private static final int MIN_STRONG_MODE = LockMode.SHARE.ordinal();
    private static final int STRONG_BUCKETS = 1024;
    private final java.util.concurrent.atomic.AtomicIntegerArray strongCounts =
            new java.util.concurrent.atomic.AtomicIntegerArray(STRONG_BUCKETS);
    private final ConcurrentHashMap<Integer, FastPath> fastPaths = new ConcurrentHashMap<>();

    private static boolean isRelation(LockTag tag) {
        return "relation".equals(tag.type());
    }

    private static int strongBucket(LockTag tag) {
        return (tag.hashCode() * 0x9E3779B9 >>> 22) & (STRONG_BUCKETS - 1);
    }

    /** Grants a weak relation mode on the fast path if no strong request or hold is about; false otherwise. */
    private boolean lockFast(int pid, LockTag tag, int m) {
        if (strongCounts.get(strongBucket(tag)) != 0) {
            return false; // the usual case of this: a strong lock is about, so no map work below
        }
        FastPath fp = fastPaths.computeIfAbsent(pid, k -> new FastPath());
        synchronized (fp) {
            if (strongCounts.get(strongBucket(tag)) != 0) {
                return false;
            }
            fp.held.computeIfAbsent(tag, t -> new int[MAX_FAST_MODE + 1])[m]++;
            return true;
        }
    }

    /** Releases one fast-path hold; false when the pid has none of that mode there. */
    private boolean unlockFast(int pid, LockTag tag, int m) {
        FastPath fp = fastPaths.get(pid);
        if (fp == null) {
            return false;
        }
        synchronized (fp) {
            int[] c = fp.held.get(tag);
            if (c == null || c[m] == 0) {
                return false;
            }
            if (--c[m] == 0 && isEmpty(c)) {
                fp.held.remove(tag);
            }
            return true;
        }
    }

    private static boolean isEmpty(int[] counts) {
        for (int c : counts) {
            if (c != 0) {
                return false;
            }
        }
        return true;
    }

    /** Mask of the weak modes {@code pid} holds on the fast path. */
    private int fastMask(int pid, LockTag tag) {
        FastPath fp = fastPaths.get(pid);
        if (fp == null) {
            return 0;
        }
        synchronized (fp) {
            int[] c = fp.held.get(tag);
            int mask = 0;
            for (int m = 0; c != null && m < c.length; m++) {
                if (c[m] > 0) {
                    mask |= 1 << m;
                }
            }
            return mask;
        }
    }

    /** A strong request on {@code tag}: counts it, then moves every fast hold on the relation to the table. */
    private void beginStrong(LockTag tag) {
        strongCounts.incrementAndGet(strongBucket(tag));
        for (Map.Entry<Integer, FastPath> e : fastPaths.entrySet()) {
            FastPath fp = e.getValue();
            synchronized (fp) {
                int[] c = fp.held.remove(tag);
                if (c == null) {
                    continue;
                }
                Partition part = partition(tag);
                part.mutex.lock();
                try {
                    Lock lk = part.locks.computeIfAbsent(tag, t -> new Lock(t, part));
                    for (int m = 0; m < c.length; m++) {
                        for (int i = 0; i < c[m]; i++) {
                            grant(lk, e.getKey(), m);
                        }
                    }
                } finally {
                    part.mutex.unlock();
                }
            }
        }
    }

    /** A strong request failed, or a strong hold ({@code n} counts of it) ended. */
    private void endStrong(LockTag tag, int n) {
        strongCounts.addAndGet(strongBucket(tag), -n);
    }
    private final IntSupplier deadlockTimeoutMillis;
    /** pid -> tags it holds something on; each set is only changed inside compute() for its pid. */
    private final ConcurrentHashMap<Integer, Set<LockTag>> heldBy = new ConcurrentHashMap<>();
    /** pid -> its queued request. */
    private final ConcurrentHashMap<Integer, Request> waiting = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param deadlockTimeoutMillis {@code deadlock_timeout}, read at the start of each wait */
    public LockTable(IntSupplier deadlockTimeoutMillis) {
        this.deadlockTimeoutMillis = deadlockTimeoutMillis;
        for (int i = 0; i < PARTITIONS; i++) {
            parts[i] = new Partition();
        }
    }

    private Partition partition(LockTag tag) {
        int h = tag.hashCode();
        return parts[(h ^ (h >>> 16)) & (PARTITIONS - 1)];
    }

    // ------------------------------------------------------------------ acquiring

    @Override
    public void lock(int pid, LockTag tag, LockMode mode, long timeoutMillis) throws InterruptedException {
        CallerPid.bind(pid);
        int mo = mode.ordinal();
        if (mo <= MAX_FAST_MODE && isRelation(tag) && lockFast(pid, tag, mo)) {
            return;
        }
        boolean strong = mo >= MIN_STRONG_MODE && isRelation(tag);
        if (strong) {
            beginStrong(tag);
        }
        boolean done = false;
        try {
            lockInTable(pid, tag, mode, timeoutMillis);
            done = true;
        } finally {
            if (strong && !done) {
                endStrong(tag, 1);
            }
        }
    }

    private void lockInTable(int pid, LockTag tag, LockMode mode, long timeoutMillis) throws InterruptedException {
        Partition part = partition(tag);
        part.mutex.lock();
        try {
            Lock lk = part.locks.computeIfAbsent(tag, t -> new Lock(t, part));
            int m = mode.ordinal();
            Holding own = lk.holders.get(pid);
            if (own != null && own.counts[m] > 0) {
                own.counts[m]++;
                return;
            }
            if ((CONFLICTS[m] & lk.waitMask()) == 0 && !conflictsWithHolders(lk, pid, m)) {
                grant(lk, pid, m);
                return;
            }
            int insertAt = lk.queue.size();
            int myHeld = own == null ? 0 : own.mask;
            if (myHeld != 0) {
                int ahead = 0;
                for (int i = 0; i < lk.queue.size(); i++) {
                    Request w = lk.queue.get(i);
                    if ((CONFLICTS[w.mode.ordinal()] & myHeld) != 0) {
                        // w must wait for me; must I wait for w?
                        if ((CONFLICTS[m] & lk.heldMask(w.pid)) != 0) {
                            throw LockErrors.deadlock(LockErrors.waitLine(pid, mode, tag, w.pid) + "\n"
                                    + LockErrors.waitLine(w.pid, w.mode, tag, pid));
                        }
                        if ((CONFLICTS[m] & ahead) == 0 && !conflictsWithHolders(lk, pid, m)) {
                            grant(lk, pid, m);
                            return;
                        }
                        insertAt = i;
                        break;
                    }
                    ahead |= 1 << w.mode.ordinal();
                }
            }
            if (closed) {
                removeIfEmpty(lk);
                throw new InterruptedException("the lock manager is shutting down");
            }
            Request req = new Request(pid, mode, lk, part.mutex.newCondition());
            lk.queue.add(insertAt, req);
            waiting.put(pid, req);
            await(req, timeoutMillis);
        } finally {
            part.mutex.unlock();
        }
    }

    /** Caller holds the request's partition mutex; returns granted or throws (the request then is gone). */
    private void await(Request req, long timeoutMillis) throws InterruptedException {
        Partition part = req.lock.part;
        long start = System.nanoTime();
        boolean timed = timeoutMillis > 0;
        long timeoutNanos = timed ? TimeUnit.MILLISECONDS.toNanos(timeoutMillis) : 0;
        long checkNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, deadlockTimeoutMillis.getAsInt()));
        boolean checked = false;
        try {
            while (true) {
                if (req.granted) {
                    return;
                }
                if (req.failure != null) {
                    throw req.failure;
                }
                if (req.abandoned) {
                    throw new InterruptedException("lock wait abandoned");
                }
                long elapsed = System.nanoTime() - start;
                if (timed && elapsed >= timeoutNanos) {
                    cancel(req);
                    throw LockErrors.lockTimeout();
                }
                if (!checked && elapsed >= checkNanos) {
                    checked = true;
                    part.mutex.unlock();
                    try {
                        checkDeadlock(req);
                    } finally {
                        part.mutex.lock();
                    }
                    continue;
                }
                long sleep = Long.MAX_VALUE;
                if (timed) {
                    sleep = timeoutNanos - elapsed;
                }
                if (!checked) {
                    sleep = Math.min(sleep, checkNanos - elapsed);
                }
                if (sleep == Long.MAX_VALUE) {
                    req.cond.await();
                } else {
                    req.cond.awaitNanos(sleep);
                }
            }
        } catch (InterruptedException e) {
            if (req.granted) {
                Thread.currentThread().interrupt(); // keep the lock; the cancel is seen at the next check
                return;
            }
            cancel(req);
            throw e;
        }
    }

    /** Caller holds the partition mutex: takes a request out of its queue and lets others move up. */
    private void cancel(Request req) {
        Lock lk = req.lock;
        if (lk.queue.remove(req)) {
            waiting.remove(req.pid, req);
            wakeUp(lk);
        }
        removeIfEmpty(lk);
    }

    @Override
    public boolean tryLock(int pid, LockTag tag, LockMode mode) {
        CallerPid.bind(pid);
        int mo = mode.ordinal();
        if (mo <= MAX_FAST_MODE && isRelation(tag) && lockFast(pid, tag, mo)) {
            return true;
        }
        boolean strong = mo >= MIN_STRONG_MODE && isRelation(tag);
        if (strong) {
            beginStrong(tag);
        }
        boolean granted = false;
        try {
            granted = tryLockInTable(pid, tag, mode);
            return granted;
        } finally {
            if (strong && !granted) {
                endStrong(tag, 1);
            }
        }
    }

    private boolean tryLockInTable(int pid, LockTag tag, LockMode mode) {
        Partition part = partition(tag);
        part.mutex.lock();
        try {
            Lock lk = part.locks.computeIfAbsent(tag, t -> new Lock(t, part));
            int m = mode.ordinal();
            Holding own = lk.holders.get(pid);
            if (own != null && own.counts[m] > 0) {
                own.counts[m]++;
                return true;
            }
            if ((CONFLICTS[m] & lk.waitMask()) == 0 && !conflictsWithHolders(lk, pid, m)) {
                grant(lk, pid, m);
                return true;
            }
            removeIfEmpty(lk);
            return false;
        } finally {
            part.mutex.unlock();
        }
    }

    /** True when a mode another pid holds conflicts with mode {@code m} ({@code LockCheckConflicts}). */
    private static boolean conflictsWithHolders(Lock lk, int pid, int m) {
        int conflicts = CONFLICTS[m];
        if (conflicts == 0) {
            return false;
        }
        int own = lk.heldMask(pid);
        for (int o = 0; o < MODES.length; o++) {
            if ((conflicts & (1 << o)) != 0 && lk.holderCount[o] - ((own >>> o) & 1) > 0) {
                return true;
            }
        }
        return false;
    }

    private void grant(Lock lk, int pid, int m) {
        Holding h = lk.holders.get(pid);
        if (h == null) {
            h = new Holding();
            lk.holders.put(pid, h);
            LockTag tag = lk.tag;
            heldBy.compute(pid, (k, s) -> {
                Set<LockTag> set = s == null ? new HashSet<>() : s;
                set.add(tag);
                return set;
            });
        }
        if (h.counts[m]++ == 0) {
            h.mask |= 1 << m;
            lk.holderCount[m]++;
        }
    }

    /** Caller holds the partition mutex ({@code ProcLockWakeup}). */
    private void wakeUp(Lock lk) {
        int ahead = 0;
        Iterator<Request> it = lk.queue.iterator();
        while (it.hasNext()) {
            Request w = it.next();
            int m = w.mode.ordinal();
            if ((CONFLICTS[m] & ahead) == 0 && !conflictsWithHolders(lk, w.pid, m)) {
                it.remove();
                grant(lk, w.pid, m);
                w.granted = true;
                waiting.remove(w.pid, w);
                w.cond.signal();
            } else {
                ahead |= 1 << m;
            }
        }
    }

    private static void removeIfEmpty(Lock lk) {
        if (lk.holders.isEmpty() && lk.queue.isEmpty()) {
            lk.part.locks.remove(lk.tag, lk);
        }
    }

    // ------------------------------------------------------------------ releasing

    @Override
    public boolean unlock(int pid, LockTag tag, LockMode mode) {
        int mo = mode.ordinal();
        if (mo <= MAX_FAST_MODE && isRelation(tag) && unlockFast(pid, tag, mo)) {
            return true;
        }
        boolean released = unlockInTable(pid, tag, mode);
        if (released && mo >= MIN_STRONG_MODE && isRelation(tag)) {
            endStrong(tag, 1);
        }
        return released;
    }

    private boolean unlockInTable(int pid, LockTag tag, LockMode mode) {
        Partition part = partition(tag);
        part.mutex.lock();
        try {
            Lock lk = part.locks.get(tag);
            if (lk == null) {
                return false;
            }
            int m = mode.ordinal();
            Holding h = lk.holders.get(pid);
            if (h == null || h.counts[m] == 0) {
                return false;
            }
            if (--h.counts[m] == 0) {
                h.mask &= ~(1 << m);
                lk.holderCount[m]--;
                if (h.mask == 0) {
                    lk.holders.remove(pid);
                    heldBy.computeIfPresent(pid, (k, s) -> {
                        s.remove(tag);
                        return s.isEmpty() ? null : s;
                    });
                }
                wakeUp(lk);
            }
            removeIfEmpty(lk);
            return true;
        } finally {
            part.mutex.unlock();
        }
    }

    @Override
    public void releaseAll(int pid) {
        FastPath fp = fastPaths.get(pid);
        if (fp != null) {
            synchronized (fp) {
                fp.held.clear();
            }
            // dropped so that ended backends leave nothing behind; the pid's next fast lock makes a new one
            fastPaths.remove(pid, fp);
        }
        Request r = waiting.get(pid);
        if (r != null) {
            Partition part = r.lock.part;
            part.mutex.lock();
            try {
                if (r.lock.queue.remove(r)) {
                    waiting.remove(pid, r);
                    r.abandoned = true;
                    r.cond.signal();
                    wakeUp(r.lock);
                    removeIfEmpty(r.lock);
                }
            } finally {
                part.mutex.unlock();
            }
        }
        Set<LockTag> tags = heldBy.remove(pid);
        if (tags == null) {
            return;
        }
        for (LockTag tag : tags) {
            Partition part = partition(tag);
            part.mutex.lock();
            try {
                Lock lk = part.locks.get(tag);
                if (lk == null) {
                    continue;
                }
                Holding h = lk.holders.remove(pid);
                if (h != null) {
                    for (int m = 0; m < MODES.length; m++) {
                        if ((h.mask & (1 << m)) != 0) {
                            lk.holderCount[m]--;
                            if (m >= MIN_STRONG_MODE && isRelation(tag)) {
                                endStrong(tag, h.counts[m]);
                            }
                        }
                    }
                    wakeUp(lk);
                }
                removeIfEmpty(lk);
            } finally {
                part.mutex.unlock();
            }
        }
    }

    /** Ends every wait ({@link InterruptedException} in the waiters) and refuses new ones: deactivation. */
    public void close() {
        closed = true;
        lockAll();
        try {
            for (Request r : waiting.values()) {
                if (r.lock.queue.remove(r)) {
                    r.abandoned = true;
                    r.cond.signal();
                    removeIfEmpty(r.lock);
                }
            }
            waiting.clear();
        } finally {
            unlockAll();
        }
    }

    // ------------------------------------------------------------------ questions

    @Override
    public boolean holds(int pid, LockTag tag, LockMode mode) {
        int fast = isRelation(tag) ? fastMask(pid, tag) : 0; // before the partition mutex (lock order)
        Partition part = partition(tag);
        part.mutex.lock();
        try {
            Lock lk = part.locks.get(tag);
            int held = (lk == null ? 0 : lk.heldMask(pid)) | fast;
            int need = CONFLICTS[mode.ordinal()];
            for (int h = 0; h < MODES.length; h++) {
                if ((held & (1 << h)) != 0 && (CONFLICTS[h] & need) == need) {
                    return true;
                }
            }
            return false;
        } finally {
            part.mutex.unlock();
        }
    }

    @Override
    public List<LockInfo> locks() {
        List<LockInfo> out = new ArrayList<>();
        for (Map.Entry<Integer, FastPath> e : fastPaths.entrySet()) { // before the partitions (lock order)
            FastPath fp = e.getValue();
            synchronized (fp) {
                for (Map.Entry<LockTag, int[]> h : fp.held.entrySet()) {
                    for (int m = 0; m < h.getValue().length; m++) {
                        if (h.getValue()[m] > 0) {
                            out.add(new LockInfo(h.getKey(), MODES[m], e.getKey(), true, 0));
                        }
                    }
                }
            }
        }
        lockAll();
        try {
            for (Partition p : parts) {
                for (Lock lk : p.locks.values()) {
                    for (Map.Entry<Integer, Holding> e : lk.holders.entrySet()) {
                        for (int m = 0; m < MODES.length; m++) {
                            if ((e.getValue().mask & (1 << m)) != 0) {
                                out.add(new LockInfo(lk.tag, MODES[m], e.getKey(), true, 0));
                            }
                        }
                    }
                    for (Request r : lk.queue) {
                        out.add(new LockInfo(lk.tag, r.mode, r.pid, false, r.waitStartMillis));
                    }
                }
            }
        } finally {
            unlockAll();
        }
        return out;
    }

    @Override
    public int[] blockingPids(int pid) {
        lockAll();
        try {
            Request r = waiting.get(pid);
            if (r == null || !r.lock.queue.contains(r)) {
                return new int[0];
            }
            return blockers(r).stream().mapToInt(Integer::intValue).toArray();
        } finally {
            unlockAll();
        }
    }

    /** The hold count of {@code pid} on {@code tag} in {@code mode} (tests). */
    int holdCount(int pid, LockTag tag, LockMode mode) {
        int fast = 0;
        FastPath fp = fastPaths.get(pid);
        if (fp != null) {
            synchronized (fp) {
                int[] c = fp.held.get(tag);
                fast = c == null || mode.ordinal() >= c.length ? 0 : c[mode.ordinal()];
            }
        }
        Partition part = partition(tag);
        part.mutex.lock();
        try {
            Lock lk = part.locks.get(tag);
            Holding h = lk == null ? null : lk.holders.get(pid);
            return fast + (h == null ? 0 : h.counts[mode.ordinal()]);
        } finally {
            part.mutex.unlock();
        }
    }

    /** Number of lock objects in the table (tests: nothing leaks). */
    int lockCount() {
        lockAll();
        try {
            int n = 0;
            for (Partition p : parts) {
                n += p.locks.size();
            }
            return n;
        } finally {
            unlockAll();
        }
    }

    // ------------------------------------------------------------------ deadlocks

    private void lockAll() {
        for (Partition p : parts) {
            p.mutex.lock();
        }
    }

    private void unlockAll() {
        for (int i = PARTITIONS - 1; i >= 0; i--) {
            parts[i].mutex.unlock();
        }
    }

    /** Caller holds every partition: the pids {@code r} waits for, holders first, then waiters ahead. */
    private static Set<Integer> blockers(Request r) {
        Set<Integer> out = hardBlockers(r);
        out.addAll(softBlockers(r, out));
        return out;
    }

    /** Other pids holding a mode that conflicts with the request. */
    private static Set<Integer> hardBlockers(Request r) {
        Set<Integer> out = new LinkedHashSet<>();
        int conflicts = CONFLICTS[r.mode.ordinal()];
        for (Map.Entry<Integer, Holding> e : r.lock.holders.entrySet()) {
            if (e.getKey() != r.pid && (e.getValue().mask & conflicts) != 0) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Other pids waiting ahead of the request for a mode it conflicts with (and not already hard blockers). */
    private static Set<Integer> softBlockers(Request r, Set<Integer> hard) {
        Set<Integer> out = new LinkedHashSet<>();
        int conflicts = CONFLICTS[r.mode.ordinal()];
        for (Request w : r.lock.queue) {
            if (w == r) {
                break;
            }
            if (w.pid != r.pid && (conflicts & (1 << w.mode.ordinal())) != 0 && !hard.contains(w.pid)) {
                out.add(w.pid);
            }
        }
        return out;
    }

    /**
     * Runs the check for a request waiting longer than deadlock_timeout
     * (takes every partition). A cycle with a soft edge (a waiter queued
     * behind another waiter it conflicts with) is first tried to be undone
     * as PostgreSQL's DeadLockCheck does: the waiter moves in front of the
     * one it waits behind, and the search runs again. When no cycle is left
     * the new queue orders stay and whoever can now run is woken; otherwise
     * the queues are put back and this request fails.
     */
    private void checkDeadlock(Request req) {
        lockAll();
        try {
            if (req.granted || req.failure != null || req.abandoned || !req.lock.queue.contains(req)) {
                return;
            }
            List<Step> first = null;
            Map<Lock, List<Request>> saved = new LinkedHashMap<>();
            for (int attempt = 0; attempt <= MAX_REARRANGEMENTS; attempt++) {
                List<Step> path = new ArrayList<>();
                Set<Integer> visited = new HashSet<>();
                visited.add(req.pid);
                if (!findCycle(req.pid, req.pid, visited, path)) {
                    for (Lock lk : saved.keySet()) {
                        wakeUp(lk); // the rearranged queues stand: let through who can go now
                        removeIfEmpty(lk);
                    }
                    return;
                }
                if (first == null) {
                    first = path;
                }
                Step soft = path.stream().filter(Step::soft).findFirst().orElse(null);
                if (soft == null || attempt == MAX_REARRANGEMENTS) {
                    break; // a hard cycle: no order of the queues helps
                }
                Lock lk = soft.request().lock;
                Request ahead = waiting.get(soft.blockedBy());
                int at = ahead == null ? -1 : lk.queue.indexOf(ahead);
                if (at < 0) {
                    break;
                }
                saved.putIfAbsent(lk, new ArrayList<>(lk.queue));
                lk.queue.remove(soft.request());
                lk.queue.add(at, soft.request());
            }
            saved.forEach((lk, q) -> {
                lk.queue.clear();
                lk.queue.addAll(q);
            });
            StringBuilder detail = new StringBuilder();
            for (Step s : first) {
                if (detail.length() > 0) {
                    detail.append('\n');
                }
                detail.append(LockErrors.waitLine(s.pid(), s.request().mode, s.request().lock.tag, s.blockedBy()));
            }
            Lock lk = req.lock;
            lk.queue.remove(req);
            waiting.remove(req.pid, req);
            req.failure = LockErrors.deadlock(detail.toString());
            wakeUp(lk);
            removeIfEmpty(lk);
        } finally {
            unlockAll();
        }
    }

    private boolean findCycle(int pid, int start, Set<Integer> visited, List<Step> path) {
        Request r = waiting.get(pid);
        if (r == null || r.granted || !r.lock.queue.contains(r)) {
            return false;
        }
        Set<Integer> hard = hardBlockers(r);
        Set<Integer> soft = softBlockers(r, hard);
        List<Step> edges = new ArrayList<>();
        hard.forEach(b -> edges.add(new Step(pid, r, b, false)));
        soft.forEach(b -> edges.add(new Step(pid, r, b, true)));
        for (Step e : edges) {
            path.add(e);
            if (e.blockedBy() == start) {
                return true;
            }
            if (visited.add(e.blockedBy()) && findCycle(e.blockedBy(), start, visited, path)) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }
}
