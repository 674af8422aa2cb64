package modgres.autovacuum;

/*
 * Design notes
 * ------------
 * PostgreSQL's autovacuum.c, with threads for processes and the policy (which
 * tables, in which order) taken out into a swappable AutovacuumPolicy.
 *
 *   launcher thread        every autovacuum_naptime: one round over every
 *                          database that allows connections: Maintenance.tables
 *                          -> Candidates (with StatsStore.table) -> policy.choose;
 *                          the tasks of the databases interleaved (1st of each,
 *                          2nd of each, ...) replace the queue
 *   worker threads         up to autovacuum_max_workers, each with its own pid;
 *                          started when the queue has work, a worker takes the
 *                          next task whose table no worker is on, re-asks the
 *                          policy with fresh statistics (table_recheck_autovac),
 *                          runs vacuum then analyze through Maintenance.run,
 *                          and ends when the queue has nothing it may take
 *
 * Invariants:
 *  - a table (db, rel) is in at most one place: the queue, or one worker
 *    (busy); a round never queues a table a worker is on, a worker never takes
 *    one (all under `lock`), so no two workers ever work on the same table;
 *  - at most autovacuum_max_workers workers are alive (counted under `lock`;
 *    a worker leaves the count under the lock when it ends);
 *  - the policy, the Maintenance service and the store are read through their
 *    suppliers once per round (and once per task in a worker): a policy
 *    swapped between two rounds decides the next round; nothing of the
 *    policy's is kept;
 *  - the launcher never waits for a worker; a worker's failure is logged and
 *    the worker goes on with the next task;
 *  - stop: the StopSignal of this run is cancelled, which ends the launcher's
 *    nap and makes the next cost-delay point of every worker throw
 *    CancellationException (and wakes a worker napping in one), so a stop
 *    never waits for a long vacuum; the work ends at a page boundary.
 */

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import modgres.api.autovacuum.AutovacuumPolicy;
import modgres.api.autovacuum.Candidate;
import modgres.api.autovacuum.Maintenance;
import modgres.api.autovacuum.TableInfo;
import modgres.api.autovacuum.Task;
import modgres.api.error.PgException;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.server.Latch;
import modgres.api.server.ProcessIds;
import modgres.api.settings.Settings;
import modgres.api.stats.StatsStore;
import modgres.api.stats.TableStats;

/**
 * The autovacuum launcher's loop and its workers, without OSGi (see the
 * design notes in the source). {@link #run()} is the launcher thread's body;
 * {@link #round()} is one round (tests call it directly).
 */
public final class Launcher implements Runnable {

    /** A worker and what it does now, for the console. */
    public record WorkerActivity(long pid, String database, String table, String action, long sinceMillis) {
    }

    static final String LAUNCHER = "autovacuum launcher";
    static final String WORKER = "autovacuum worker";
    static final String MISCONFIGURED = "autovacuum not started because of misconfiguration";
    static final String TRACK_COUNTS_HINT = "Enable the \"track_counts\" option.";
    static final String TERMINATING = "terminating autovacuum process due to administrator command";

    private record Key(int db, int rel) {
        static Key of(Task t) {
            return new Key(t.table().db(), t.table().rel());
        }
    }

    private final Settings settings;
    private final Supplier<Maintenance> maintenance;
    private final Supplier<StatsStore> stats;
    private final Supplier<AutovacuumPolicy> policy;
    private final ServerLog log;
    private final long naptimeUnitMillis;
    private final Latch latch = new Latch();
    private final CostBalance balance = new CostBalance();

    private final Object lock = new Object();
    /** Tasks of the last round no worker took yet, in order. Guarded by lock. */
    private final ArrayDeque<Task> pending = new ArrayDeque<>();
    /** The tables workers are on. Guarded by lock. */
    private final Map<Key, Worker> busy = new HashMap<>();
    /** The live workers. Guarded by lock. */
    private final List<Worker> workers = new ArrayList<>();

    private volatile StopSignal signal = new StopSignal();

    /* Log-once state and the last policy's name; touched by round() only, which is synchronized. */
    private boolean misconfigured;
    private String idleReason;
    private String lastPolicy;

    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param naptimeUnitMillis what one unit of {@code autovacuum_naptime} is worth in milliseconds:
     *                          1000 (the setting counts seconds); tests pass 1
     */
    public Launcher(Settings settings, Supplier<Maintenance> maintenance, Supplier<StatsStore> stats,
            Supplier<AutovacuumPolicy> policy, ServerLog log, long naptimeUnitMillis) {
        this.settings = settings;
        this.maintenance = maintenance;
        this.stats = stats;
        this.policy = policy;
        this.log = log;
        this.naptimeUnitMillis = naptimeUnitMillis;
    }

    Config config() {
        return Config.read(settings, naptimeUnitMillis);
    }

    // ---------------------------------------------------------------- launcher

    @Override
    public void run() {
        StopSignal s = signal;
        log.debug(1, "autovacuum launcher started");
        try {
            checkConfiguration(config());
        } catch (RuntimeException e) {
            log.report(Severity.ERROR, null, String.valueOf(e.getMessage()), null, null, e);
        }
        long last = System.nanoTime();
        while (!s.cancelled()) {
            long nap;
            try {
                nap = config().naptimeMillis();
            } catch (RuntimeException e) {
                nap = 60_000;
            }
            long waited = (System.nanoTime() - last) / 1_000_000;
            if (waited >= nap) {
                last = System.nanoTime();
                try {
                    round();
                } catch (RuntimeException e) {
                    failures.incrementAndGet();
                    log.report(Severity.ERROR, sqlState(e), message(e), null, null, e);
                }
                continue;
            }
            if (latch.await(nap - waited) && Thread.interrupted()) {
                break; // interrupted: end rather than spin
            }
        }
        log.debug(1, "autovacuum launcher shutting down");
    }

    /**
     * One round: decides the work of every database that allows connections
     * with the active policy and hands it to the workers. Returns how many
     * tasks it queued (0 when autovacuum is off, misconfigured or missing a
     * service).
     */
    public synchronized int round() {
        StopSignal s = signal;
        if (s.cancelled()) {
            return 0;
        }
        Config c = config();
        if (!c.autovacuum()) {
            misconfigured = false;
            return wraparoundRound(c, s);
        }
        if (!checkConfiguration(c)) {
            return wraparoundRound(c, s);
        }
        AutovacuumPolicy p = policy.get();
        Maintenance m = maintenance.get();
        StatsStore st = stats.get();
        if (!ready(p, m, st)) {
            return wraparoundRound(c, s);
        }
        String name = p.name();
        if (lastPolicy == null) {
            log.debug(1, "autovacuum policy \"" + name + "\"");
        } else if (!lastPolicy.equals(name)) {
            log.log("autovacuum policy changed from \"" + lastPolicy + "\" to \"" + name + "\"");
        }
        lastPolicy = name;
        rounds.incrementAndGet();

        List<List<Task>> perDatabase = new ArrayList<>();
        for (Maintenance.Database db : m.databases()) {
            if (s.cancelled()) {
                continue;
            }
            try {
                List<Candidate> candidates = new ArrayList<>();
                List<TableInfo> tables = m.tables(db.oid());
                List<Task> tasks = wraparoundTasks(c, tables);
                Set<Integer> forced = new HashSet<>();
                for (Task t : tasks) {
                    forced.add(t.table().rel());
                }
                if (db.allowConnections()) {
                    for (TableInfo t : tables) {
                        if (!forced.contains(t.rel())) {
                            candidates.add(new Candidate(t, st.table(db.oid(), t.rel())));
                        }
                    }
                    List<Task> chosen = candidates.isEmpty() ? null : p.choose(candidates, settings);
                    if (chosen != null) {
                        tasks.addAll(chosen);
                    }
                }
                if (!tasks.isEmpty()) {
                    perDatabase.add(tasks);
                    for (Task t : tasks) {
                        log.debug(2, "autovacuum: " + what(t) + " \"" + t.table().qualifiedName() + "\""
                                + (t.reason() == null ? "" : ": " + t.reason()));
                    }
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                log.report(Severity.ERROR, sqlState(e), message(e),
                        "while choosing the tables of database \"" + db.name() + "\"", null,
                        e instanceof PgException ? null : e);
            }
        }
        return dispatch(interleave(perDatabase), c.maxWorkers(), s);
    }

    /**
     * The round when autovacuum is off or cannot ask a policy: only the
     * anti-wraparound vacuums, which PostgreSQL runs even with autovacuum =
     * off (the postmaster starts a worker for them), in every database
     * including those that allow no connections (template0).
     */
    private int wraparoundRound(Config c, StopSignal s) {
        Maintenance m = maintenance.get();
        if (m == null) {
            return 0;
        }
        List<List<Task>> perDatabase = new ArrayList<>();
        for (Maintenance.Database db : m.databases()) {
            if (s.cancelled()) {
                break;
            }
            try {
                List<Task> tasks = wraparoundTasks(c, m.tables(db.oid()));
                if (!tasks.isEmpty()) {
                    perDatabase.add(tasks);
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                log.report(Severity.ERROR, sqlState(e), message(e),
                        "while choosing the tables of database \"" + db.name() + "\"", null,
                        e instanceof PgException ? null : e);
            }
        }
        return perDatabase.isEmpty() ? 0 : dispatch(interleave(perDatabase), c.maxWorkers(), s);
    }

    /** The tables whose relfrozenxid is older than autovacuum_freeze_max_age: vacuums that are not optional. */
    static List<Task> wraparoundTasks(Config c, List<TableInfo> tables) {
        List<Task> out = new ArrayList<>();
        for (TableInfo t : tables) {
            if (c.needsWraparoundVacuum(t)) {
                out.add(new Task(t, true, false, false, "relfrozenxid age " + t.xidAge()
                        + " > autovacuum_freeze_max_age", true));
            }
        }
        return out;
    }

    /** Logs PostgreSQL's WARNING once while autovacuum is on and track_counts off; false then. */
    private synchronized boolean checkConfiguration(Config c) {
        if (!c.autovacuum() || c.trackCounts()) {
            misconfigured = false;
            return true;
        }
        if (!misconfigured) {
            log.report(Severity.WARNING, null, MISCONFIGURED, null, TRACK_COUNTS_HINT);
            misconfigured = true;
        }
        return false;
    }

    /** Whether every service is there; logs once (LOG) what is missing, and once when all are back. */
    private boolean ready(AutovacuumPolicy p, Maintenance m, StatsStore st) {
        List<String> missing = new ArrayList<>();
        if (p == null) {
            missing.add("no autovacuum policy is active (install modgres.autovacuum.threshold or "
                    + "modgres.autovacuum.hotspot)");
        }
        if (m == null) {
            missing.add("the SQL engine publishes no maintenance service");
        }
        if (st == null) {
            missing.add("no statistics store is active");
        }
        if (missing.isEmpty()) {
            if (idleReason != null) {
                log.log("autovacuum launcher resumes work");
                idleReason = null;
            }
            return true;
        }
        String reason = String.join("; ", missing);
        if (!reason.equals(idleReason)) {
            log.report(Severity.LOG, null, "autovacuum launcher is idle", capitalize(reason) + ".", null);
            idleReason = reason;
        }
        return false;
    }

    /** The tasks of several databases taken in turn: 1st of each, 2nd of each, ... */
    static List<Task> interleave(List<List<Task>> perDatabase) {
        List<Task> out = new ArrayList<>();
        for (int i = 0;; i++) {
            boolean any = false;
            for (List<Task> l : perDatabase) {
                if (i < l.size()) {
                    out.add(l.get(i));
                    any = true;
                }
            }
            if (!any) {
                return out;
            }
        }
    }

    /** Replaces the queue with {@code tasks} (less the tables workers are on) and starts workers for it. */
    private int dispatch(List<Task> tasks, int maxWorkers, StopSignal s) {
        synchronized (lock) {
            if (s.cancelled()) {
                return 0;
            }
            pending.clear();
            Set<Key> seen = new HashSet<>();
            for (Task t : tasks) {
                if (t == null || t.table() == null || !(t.vacuum() || t.analyze())) {
                    continue;
                }
                Key k = Key.of(t);
                if (busy.containsKey(k) || !seen.add(k)) {
                    continue;
                }
                pending.add(t);
            }
            int queued = pending.size();
            int want = Math.min(maxWorkers, busy.size() + pending.size());
            while (workers.size() < want) {
                Worker w = new Worker(s);
                workers.add(w);
                w.thread.start();
            }
            return queued;
        }
    }

    // ---------------------------------------------------------------- workers

    /** One {@code autovacuum worker}: a thread with its own pid, alive while the queue has work for it. */
    private final class Worker implements Runnable {
        final long pid = ProcessIds.next();
        final StopSignal signal;
        final Thread thread;
        volatile Task current;
        volatile String action;
        volatile long since;

        Worker(StopSignal signal) {
            this.signal = signal;
            this.thread = new Thread(this, WORKER);
            this.thread.setDaemon(true);
        }

        ServerLog log(String database) {
            return Launcher.this.log.withContext(new LogContext(pid, WORKER, null, database, null, null, null));
        }

        @Override
        public void run() {
            try {
                while (!signal.cancelled()) {
                    Task t;
                    synchronized (lock) {
                        t = take();
                        if (t == null) {
                            workers.remove(this);
                            return;
                        }
                        busy.put(Key.of(t), this);
                        current = t;
                        since = System.currentTimeMillis();
                    }
                    try {
                        execute(this, t);
                    } catch (CancellationException e) {
                        if (signal.cancelled()) {
                            log(t.table().dbName()).report(Severity.FATAL, "57P01", TERMINATING, null, null);
                            return;
                        }
                        failed(this, t, e);
                    } catch (VirtualMachineError e) {
                        failed(this, t, e);
                        return;
                    } catch (Throwable e) {
                        failed(this, t, e);
                    } finally {
                        synchronized (lock) {
                            busy.remove(Key.of(t));
                            current = null;
                            action = null;
                        }
                    }
                }
            } finally {
                synchronized (lock) {
                    workers.remove(this);
                }
            }
        }
    }

    /** The first queued task whose table no worker is on (removed from the queue). Caller holds lock. */
    private Task take() {
        for (Iterator<Task> it = pending.iterator(); it.hasNext();) {
            Task t = it.next();
            if (!busy.containsKey(Key.of(t))) {
                it.remove();
                return t;
            }
        }
        return null;
    }

    private void execute(Worker w, Task queued) {
        Config c = config();
        Maintenance m = maintenance.get();
        if (m == null || !queued.wraparound() && (!c.autovacuum() || !c.trackCounts())) {
            return;
        }
        // an anti-wraparound vacuum is not the policy's to take back (PostgreSQL rechecks the age only)
        Task task = queued.wraparound() ? queued : recheck(queued);
        if (task == null) {
            return;
        }
        w.current = task;
        ServerLog wlog = w.log(task.table().dbName());
        if (task.vacuum()) {
            w.action = "vacuum";
            if (!runOne(m, task, true, c, wlog, w.signal)) {
                return;
            }
        }
        if (task.analyze() && !w.signal.cancelled()) {
            w.action = "analyze";
            runOne(m, task, false, c, wlog, w.signal);
        }
    }

    /**
     * PostgreSQL's {@code table_recheck_autovac()}: asks the policy again with
     * the table's fresh statistics (another worker or a manual VACUUM may
     * have done the work meanwhile; a swapped policy decides by its rules).
     * Null when there is nothing to do any more or no policy/store is bound.
     */
    private Task recheck(Task t) {
        AutovacuumPolicy p = policy.get();
        StatsStore st = stats.get();
        if (p == null || st == null) {
            return null;
        }
        TableStats fresh = st.table(t.table().db(), t.table().rel());
        List<Task> again = p.choose(List.of(new Candidate(t.table(), fresh)), settings);
        if (again == null) {
            return null;
        }
        for (Task a : again) {
            if (a != null && a.table() != null && a.table().rel() == t.table().rel()
                    && a.table().db() == t.table().db() && (a.vacuum() || a.analyze())) {
                return a;
            }
        }
        return null;
    }

    /** One vacuum or one analyze; false when the table was skipped (gone or locked). */
    private boolean runOne(Maintenance m, Task task, boolean vacuum, Config c, ServerLog wlog, StopSignal s) {
        TableInfo table = task.table();
        Config.TableCost cost = c.cost(table);
        boolean balanced = cost.balanced() && cost.delayMillis() > 0;
        IntSupplier limit = balanced ? () -> balance.share(cost.limit()) : cost::limit;
        CostDelay delay = new CostDelay(c.pageHit(), c.pageMiss(), c.pageDirty(), cost.delayMillis(), limit, s::sleep,
                s::cancelled);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpu = mx.isCurrentThreadCpuTimeSupported();
        long cpu0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
        long user0 = cpu ? mx.getCurrentThreadUserTime() : 0;
        long t0 = System.nanoTime();
        Maintenance.Result r;
        if (balanced) {
            balance.join();
        }
        try {
            r = m.run(table, vacuum, !vacuum, vacuum && task.freeze(), delay);
        } finally {
            if (balanced) {
                balance.leave();
            }
        }
        long wall = System.nanoTime() - t0;
        if (r == null) {
            wlog.debug(1, "skipping " + (vacuum ? "vacuum" : "analyze") + " of \"" + table.name()
                    + "\" --- relation gone or lock not available");
            return false;
        }
        runs.incrementAndGet();
        long elapsed = r.elapsedNanos() > 0 ? r.elapsedNanos() : wall;
        long min = c.logMinDuration(table);
        if (min >= 0 && elapsed >= min * 1_000_000L) {
            long user = cpu ? mx.getCurrentThreadUserTime() - user0 : 0;
            long all = cpu ? mx.getCurrentThreadCpuTime() - cpu0 : 0;
            RunLog.Usage usage = new RunLog.Usage(user, Math.max(0, all - user), elapsed);
            wlog.log(vacuum ? RunLog.vacuum(table, r, task.wraparound() || task.freeze(), usage)
                    : RunLog.analyze(table, usage));
        }
        return true;
    }

    /** A run that failed: ERROR with the message (and what it was doing), then the worker goes on. */
    private void failed(Worker w, Task t, Throwable e) {
        failures.incrementAndGet();
        String action = w.action == null ? what(t) : w.action;
        String context = "automatic " + action + " of table \"" + t.table().qualifiedName() + "\"";
        String detail = e instanceof PgException pe && pe.detail() != null ? pe.detail() : context;
        String hint = e instanceof PgException pe ? pe.hint() : null;
        w.log(t.table().dbName()).report(Severity.ERROR, sqlState(e), message(e), detail, hint,
                e instanceof PgException ? null : e);
    }

    private static String what(Task t) {
        return t.vacuum() && t.analyze() ? "vacuum analyze" : t.vacuum() ? "vacuum" : "analyze";
    }

    private static String sqlState(Throwable e) {
        return e instanceof PgException pe ? pe.sqlState() : "XX000";
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ---------------------------------------------------------------- life cycle and views

    /** Makes a stopped launcher runnable again (before the thread starts). */
    public void resume() {
        if (signal.cancelled()) {
            signal = new StopSignal();
        }
    }

    /** Ends the loop and cancels every worker of this run (through their cost-delay points). */
    public void stop() {
        signal.cancel();
        latch.set();
    }

    /** Wakes the launcher (a setting changed): it recomputes when the next round is due. */
    public void wakeUp() {
        latch.set();
    }

    /** Waits up to {@code millis} for the workers to end; true when none is left. */
    public boolean awaitWorkers(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (Thread t : workerThreads()) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return workerThreads().isEmpty();
    }

    /** The live worker threads (named {@code autovacuum worker}). */
    public List<Thread> workerThreads() {
        synchronized (lock) {
            List<Thread> out = new ArrayList<>();
            for (Worker w : workers) {
                if (w.thread.isAlive()) {
                    out.add(w.thread);
                }
            }
            return out;
        }
    }

    /** The workers busy on a table now. */
    public List<WorkerActivity> activity() {
        synchronized (lock) {
            List<WorkerActivity> out = new ArrayList<>();
            for (Worker w : workers) {
                Task t = w.current;
                if (t != null) {
                    out.add(new WorkerActivity(w.pid, t.table().dbName(), t.table().qualifiedName(),
                            w.action == null ? what(t) : w.action, w.since));
                }
            }
            return out;
        }
    }

    /** Tasks queued but not yet taken by a worker. */
    public int pendingTasks() {
        synchronized (lock) {
            return pending.size();
        }
    }

    /** The name of the policy bound now, or null. */
    public String policyName() {
        AutovacuumPolicy p = policy.get();
        return p == null ? null : p.name();
    }

    /** Rounds that asked a policy. */
    public long rounds() {
        return rounds.get();
    }

    /** Vacuums and analyzes that finished (skipped ones not counted). */
    public long runs() {
        return runs.get();
    }

    /** Runs and rounds that failed with an error. */
    public long failures() {
        return failures.get();
    }

    /** How many workers share the cost limit now. */
    int balancedWorkers() {
        return balance.active();
    }
}
