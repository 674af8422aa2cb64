package modgres.postmaster;

/*
 * Design notes
 * ------------
 * The postmaster is PostgreSQL's first process; here it is one DS component
 * and one thread named "postmaster". The component's activation does what
 * must succeed before anything else may run (lock the data directory); the
 * thread then runs the server's life:
 *
 *      activate ──▶ [STARTING] ──start processes, run the startup──▶ [READY]
 *                        │                                                │
 *                        │            shutdown(mode), SIGTERM/SIGINT, deactivate
 *                        ▼                                                ▼
 *                  (FATAL: exit 1)                                   [STOPPING] ──stop processes
 *                                                                         │        in reverse order
 *                                                                         ▼
 *                                                                    [STOPPED] (pid file removed)
 *
 * Start-up follows PostgreSQL 15's PostmasterMain: the processes are started
 * first (the checkpointer and the background writer must run during crash
 * recovery; the others wait for the WAL to accept records), then the startup
 * process (thread "startup", StartupProcess) replays the WAL and asks the
 * checkpointer for the end-of-recovery checkpoint. Meanwhile the postmaster
 * thread keeps accepting connections, and every backend is refused with
 * 57P03 "the database system is starting up" until the state is READY. A
 * failed startup ends the server ("aborting startup due to startup process
 * failure"); a shutdown request during it cancels the replay.
 *
 * Components that run as processes (logger, checkpointer, ...) publish
 * ServerProcess services. They are bound dynamically: a process that
 * arrives while the server is READY (a bundle installed or swapped from the
 * console) is started at once; one that leaves was stopped by its own
 * deactivation. While READY the thread also watches them: a process whose
 * isAlive() turns false is logged as PostgreSQL logs a crashed child and is
 * restarted.
 *
 * Signals (under the launcher only, framework property modgres.signals):
 * SIGHUP reload, SIGTERM smart, SIGINT fast shutdown, SIGUSR2 immediate (the
 * launcher turns SIGQUIT into SIGUSR2: HotSpot keeps SIGQUIT for thread dumps).
 *
 * Every request (shutdown, reload, a new process) is an event on one queue
 * that only the postmaster thread consumes, so the state machine has a single
 * writer and needs no locks.
 */

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.backend.BackendHandle;
import modgres.api.backend.BackendLauncher;
import modgres.api.backend.BackendRegistry;
import modgres.api.backend.Peer;
import modgres.api.buffer.BufferPool;
import modgres.api.control.Checkpointer;
import modgres.api.control.ControlFile;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.page.StorageManager;
import modgres.api.server.ProcessIds;
import modgres.api.server.ProcessInfo;
import modgres.api.server.ServerControl;
import modgres.api.server.ServerProcess;
import modgres.api.server.ServerState;
import modgres.api.server.ServerVersion;
import modgres.api.server.ShutdownMode;
import modgres.api.settings.ReloadResult;
import modgres.api.settings.Settings;
import modgres.api.txn.TransactionManager;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.Wal;
import modgres.api.wal.WalState;
import modgres.postmaster.startup.StartupProcess;

/** The postmaster: lock, start-up order, supervision and shutdown of the server. */
@Component(service = ServerControl.class, immediate = true)
public final class Postmaster implements ServerControl {

    /** How often the postmaster looks at its children when nothing else happens. */
    static final long WATCH_INTERVAL_MS = 1000;

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference
    private Settings settings;

    private final Map<ServerReference, ServerProcess> processes = new ConcurrentHashMap<>();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    private volatile ServerState state = ServerState.STARTING;
    private volatile Instant startTime;
    private BundleContext context;
    private ServerLog log;
    private PidFile pidFile;
    private Thread thread;
    private Runnable uninstallSignals = () -> { };
    private Selector selector;
    private Listener listener;
    private final Backends backends = new Backends();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BackendLauncher launcher;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Wal wal;

    // What the startup process needs; all optional, so that a server without them still starts.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ControlFile controlFile;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BufferPool bufferPool;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StorageManager storageManager;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TransactionManager transactionManager;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Checkpointer checkpointer;

    /** Redo handlers (whiteboard) by service id, with their ranking. */
    private final Map<Long, RankedHandler> redoHandlers = new ConcurrentHashMap<>();

    private record RankedHandler(long serviceId, int ranking, RedoHandler handler) {
    }

    /** The startup process while it runs (for the process list). */
    private volatile Thread startupThread;
    private volatile long startupPid;
    /** Processes the postmaster has started; read by the console, written by the postmaster thread. */
    private final Map<ServerReference, ServerProcess> started = new ConcurrentHashMap<>();

    private sealed interface Event permits Shutdown, Reload, ProcessArrived, ProcessLeft {
    }

    private record Shutdown(ShutdownMode mode) implements Event {
    }

    private record Reload() implements Event {
    }

    private record ProcessArrived() implements Event {
    }

    /** A bound ServerProcess with its start position and bundle, keyed by service id. */
    private record ServerReference(long serviceId, int order, String bundle, long bundleId) {
    }

    /** A process whose service left while the server was running (posted by unbind). */
    private record ProcessLeft(String name, long pid, String bundle, long bundleId) implements Event {
    }

    /**
     * The processes PostgreSQL always runs: when one leaves because its bundle
     * was stopped (not replaced), the postmaster starts the bundle again. The
     * stats collector is not one of them: swapping to the shared-memory
     * statistics ends it on purpose.
     */
    static final java.util.Set<String> REQUIRED = java.util.Set.of("checkpointer", "background writer",
            "walwriter", "archiver", "autovacuum launcher");

    /** How long a required process may be missing before its bundle is restarted (an update takes less). */
    static final long MISSING_GRACE_MS = 2_000;
    /** How often a required bundle is started again before the postmaster gives up on it. */
    static final int MISSING_MAX_ATTEMPTS = 3;

    /** A required process that left, with when and how often its bundle was restarted. */
    private static final class Missing {
        final long pid;
        final String bundle;
        final long bundleId;
        long since = System.nanoTime();
        int attempts;
        boolean givenUp;

        Missing(long pid, String bundle, long bundleId) {
            this.pid = pid;
            this.bundle = bundle;
            this.bundleId = bundleId;
        }
    }

    /** Required processes not running now, by name; only the postmaster thread touches it. */
    private final Map<String, Missing> missing = new java.util.LinkedHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindProcess(ServerProcess process, ServiceReference<ServerProcess> ref) {
        processes.put(key(ref), process);
        post(new ProcessArrived());
    }

    void unbindProcess(ServerProcess process, ServiceReference<ServerProcess> ref) {
        long id = (Long) ref.getProperty("service.id");
        ServerReference k = null;
        for (ServerReference r : processes.keySet()) {
            if (r.serviceId() == id) {
                k = r;
            }
        }
        if (k != null) {
            processes.remove(k);
            started.remove(k);
            post(new ProcessLeft(process.processName(), process.pid(), k.bundle(), k.bundleId()));
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRedoHandler(RedoHandler handler, Map<String, Object> props) {
        long id = ((Number) props.get("service.id")).longValue();
        Object r = props.get("service.ranking");
        redoHandlers.put(id, new RankedHandler(id, r instanceof Integer i ? i : 0, handler));
    }

    void unbindRedoHandler(RedoHandler handler, Map<String, Object> props) {
        redoHandlers.remove(((Number) props.get("service.id")).longValue());
    }

    /** The bound redo handlers, highest ranking first, then oldest service first (OSGi's order). */
    private List<RedoHandler> redoHandlers() {
        List<RankedHandler> all = new ArrayList<>(redoHandlers.values());
        all.sort(Comparator.comparingInt(RankedHandler::ranking).reversed()
                .thenComparingLong(RankedHandler::serviceId));
        return all.stream().map(RankedHandler::handler).toList();
    }

    private static ServerReference key(ServiceReference<ServerProcess> ref) {
        Object order = ref.getProperty(ServerProcess.ORDER);
        int o = order instanceof Number n ? n.intValue() : Integer.MAX_VALUE;
        return new ServerReference((Long) ref.getProperty("service.id"), o, ref.getBundle().getSymbolicName(),
                ref.getBundle().getBundleId());
    }

    @Activate
    void activate(BundleContext ctx) {
        this.context = ctx;
        this.log = ServerLog.of(logger, LogContext.process(ProcessIds.postmaster(), "postmaster"));
        this.startTime = Instant.now();
        log.log("starting " + ServerVersion.versionString());
        Path dir = settings.dataDirectory();
        try {
            checkSettingsTogether(settings);
            pidFile = PidFile.acquire(dir, ProcessIds.postmaster(), startTime.getEpochSecond(),
                    settings.getInt("port"));
            writeOptsFile(dir, ctx.getProperty("modgres.commandline"));
            selector = Selector.open();
            listener = Listener.open(settings.getString("listen_addresses"),
                    settings.getString("unix_socket_directories"), settings.getInt("port"),
                    settings.getInt("unix_socket_permissions"), dir, ProcessIds.postmaster(),
                    startTime.getEpochSecond(), selector, log);
            pidFile.set(PidFile.LINE_SOCKET_DIR, listener.firstSocketDirectory());
            List<String> hosts = Listener.splitList(settings.getString("listen_addresses"));
            pidFile.set(PidFile.LINE_LISTEN_ADDR, hosts.isEmpty() ? "" : hosts.get(0));
        } catch (PgException | IOException e) {
            // The component stays active in state STOPPED (the server is exiting): throwing would make SCR
            // log the exception and retry the activation for every component that asks for ServerControl.
            state = ServerState.STOPPED;
            PgException pe = e instanceof PgException p ? p
                    : new PgException(SqlState.IO_ERROR, "could not create selector: " + e.getMessage());
            if (pidFile != null) {
                pidFile.remove(); // ours: a failed start leaves no lock behind (PostgreSQL's proc_exit)
            }
            ServerExit.fatal(ctx, log, pe);
            return;
        }
        if (Boolean.parseBoolean(ctx.getProperty("modgres.signals"))) {
            // Before "ready" is logged: a SIGHUP right after it must find the handler (PostgreSQL's pqsignal
            // calls come first in PostmasterMain too). Only under the launcher: a server inside a test
            // framework leaves the JVM's signals alone. SignalInstaller (sun.misc) is only loaded here.
            uninstallSignals = SignalInstaller.install(this::reload, () -> shutdown(ShutdownMode.SMART),
                    () -> shutdown(ShutdownMode.FAST), () -> shutdown(ShutdownMode.IMMEDIATE));
        }
        thread = new Thread(this::run, "postmaster");
        thread.start();
    }

    /** The checks between settings that PostgreSQL's PostmasterMain makes before it starts anything. */
    static void checkSettingsTogether(Settings s) {
        int reserved = s.getInt("superuser_reserved_connections");
        int max = s.getInt("max_connections");
        if (reserved >= max) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "superuser_reserved_connections (" + reserved
                    + ") must be less than max_connections (" + max + ")");
        }
        if (!s.getString("archive_mode").equals("off") && s.getString("wal_level").equals("minimal")) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                    "WAL archival cannot be enabled when wal_level is \"minimal\"");
        }
    }

    @Deactivate
    void deactivate() {
        if (thread == null) {
            return; // start-up failed before the postmaster thread existed
        }
        // The framework is stopping us (console "exit", "stop 0", bundle update): shut down cleanly first.
        if (state != ServerState.STOPPED) {
            post(new Shutdown(ShutdownMode.FAST));
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        uninstallSignals.run();
    }

    private void run() {
        try {
            awaitFrameworkStarted();
            // PostgreSQL 15 starts the checkpointer and the background writer before the startup process.
            startProcesses();
        } catch (RuntimeException e) {
            PgException pe = e instanceof PgException p ? p
                    : new PgException(SqlState.INTERNAL_ERROR, "startup failed: " + e, null, null, e);
            log.report(Severity.FATAL, pe.sqlState(), pe.getMessage(), pe.detail(), pe.hint(), e);
            shutdownNow(ShutdownMode.IMMEDIATE, false, 1);
            return;
        }
        if (!runStartup()) {
            return;
        }
        state = ServerState.READY;
        pidFile.set(PidFile.LINE_STATUS, "ready");
        log.log("database system is ready to accept connections");
        try {
            while (true) {
                selector.select(WATCH_INTERVAL_MS);
                acceptConnections();
                for (Event e = events.poll(); e != null; e = events.poll()) {
                    if (e instanceof Shutdown s) {
                        shutdownNow(s.mode());
                        return;
                    } else if (e instanceof Reload) {
                        reloadNow();
                    } else if (e instanceof ProcessArrived) {
                        startProcesses();
                    } else if (e instanceof ProcessLeft pl && REQUIRED.contains(pl.name())) {
                        missing.putIfAbsent(pl.name(), new Missing(pl.pid(), pl.bundle(), pl.bundleId()));
                    }
                }
                watchProcesses();
                watchMissing();
            }
        } catch (IOException | RuntimeException re) {
            log.report(Severity.PANIC, SqlState.INTERNAL_ERROR, "postmaster failed: " + re, null, null, re);
            shutdownNow(ShutdownMode.IMMEDIATE);
        }
    }

    /**
     * Runs the startup process (crash recovery, then the WAL continues) on
     * its own thread while this one admits nobody: connections are accepted
     * and their backends refuse them with "the database system is starting
     * up". Returns true when the server may become READY; false when it has
     * been shut down (startup failed, or a shutdown request came first).
     */
    private boolean runStartup() {
        Wal w = awaitWal();
        if (w == null || w.state() != WalState.READING) {
            return true; // no WAL bundle, or a postmaster restarted in a running framework: nothing to recover
        }
        long pid = ProcessIds.next();
        StartupProcess startup = new StartupProcess(w, controlFile, bufferPool, storageManager,
                () -> transactionManager, redoHandlers(), () -> checkpointer,
                ServerLog.of(logger, LogContext.process(pid, StartupProcess.NAME)), logZone(settings),
                modgres.postmaster.startup.RecoverySettings.of(settings));
        RuntimeException[] failure = new RuntimeException[1];
        Thread t = new Thread(() -> {
            try {
                startup.run();
            } catch (StartupProcess.Cancelled c) {
                failure[0] = c;
            } catch (RuntimeException e) {
                failure[0] = e;
                Severity sev = e instanceof StartupProcess.Failure f ? f.severity() : Severity.FATAL;
                PgException pe = e instanceof PgException p ? p
                        : new PgException(SqlState.INTERNAL_ERROR, "startup failed: " + e, null, null, e);
                startup.log().report(sev, pe.sqlState(), pe.getMessage(), pe.detail(), pe.hint(),
                        e instanceof PgException && e.getCause() == null ? null : e);
            }
        }, StartupProcess.NAME);
        t.setDaemon(true);
        startupPid = pid;
        startupThread = t;
        t.start();
        try {
            while (t.isAlive()) {
                selector.select(100);
                acceptConnections();
                for (Event e = events.poll(); e != null; e = events.poll()) {
                    if (e instanceof Shutdown s) {
                        startup.cancel();
                        t.join(TimeUnit.SECONDS.toMillis(60));
                        startupThread = null;
                        shutdownNow(s.mode());
                        return false;
                    } else if (e instanceof Reload) {
                        reloadNow();
                    } else if (e instanceof ProcessArrived) {
                        startProcesses();
                    }
                }
                t.join(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            startup.cancel();
        } catch (IOException | RuntimeException e) {
            log.report(Severity.PANIC, SqlState.INTERNAL_ERROR, "postmaster failed: " + e, null, null, e);
            startup.cancel();
            shutdownNow(ShutdownMode.IMMEDIATE, false, 1);
            return false;
        }
        startupThread = null;
        if (failure[0] != null || t.isAlive()) {
            log.log("startup process (PID " + pid + ") exited with exit code 1");
            log.log("aborting startup due to startup process failure");
            shutdownNow(ShutdownMode.IMMEDIATE, false, 1);
            return false;
        }
        return true;
    }

    /** {@code log_timezone} as a zone, for the startup's "was shut down at" line; UTC when unreadable. */
    static ZoneId logZone(Settings s) {
        try {
            String v = s.find("log_timezone").isPresent() ? s.getString("log_timezone") : "UTC";
            return ZoneId.of(v, ZoneId.SHORT_IDS);
        } catch (RuntimeException e) { // DateTimeException included
            return ZoneOffset.UTC;
        }
    }

    /**
     * Waits until the framework has reached its start level, so that every
     * feature's services (the WAL, the processes) are registered before the
     * server is declared ready. A postmaster bundle restarted in a running
     * framework finds it ACTIVE at once.
     */
    private void awaitFrameworkStarted() {
        org.osgi.framework.Bundle system = context.getBundle(0);
        long deadline = System.currentTimeMillis() + 60_000;
        while (system.getState() != org.osgi.framework.Bundle.ACTIVE && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The WAL service, waiting (at most 60 s) for it while its bundle is
     * installed but its service not yet registered: a framework assembled
     * after it started (as Pax Exam's) may reach ACTIVE before the WAL bundle
     * is active, and a server declared ready without its WAL would refuse
     * every write. Null when no WAL bundle is installed at all.
     */
    private Wal awaitWal() {
        long deadline = System.currentTimeMillis() + 60_000;
        Wal w = wal;
        while (w == null && System.currentTimeMillis() < deadline && walBundleInstalled()) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            w = wal;
        }
        return w;
    }

    private boolean walBundleInstalled() {
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            if ("modgres.wal".equals(b.getSymbolicName()) && b.getState() != org.osgi.framework.Bundle.UNINSTALLED) {
                return true;
            }
        }
        return false;
    }

    /** Accepts what the listen sockets have and starts a backend for each (PostgreSQL's ServerLoop). */
    /**
     * A new client connection: blocking (its backend thread reads it), and for TCP with TCP_NODELAY, as
     * PostgreSQL's StreamConnection sets it: otherwise Nagle's algorithm holds back every reply larger than
     * one segment until the client's delayed ACK (some 40 ms per query).
     */
    static void configureClientSocket(SocketChannel ch) throws IOException {
        ch.configureBlocking(true);
        if (ch.supportedOptions().contains(java.net.StandardSocketOptions.TCP_NODELAY)) {
            ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        }
    }

    private void acceptConnections() {
        var ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
            SelectionKey key = ready.next();
            ready.remove();
            if (!key.isValid() || !key.isAcceptable()) {
                continue;
            }
            SocketChannel ch;
            try {
                ch = ((ServerSocketChannel) key.channel()).accept();
            } catch (IOException e) {
                log.log("could not accept new connection: " + e.getMessage());
                continue;
            }
            if (ch == null) {
                continue;
            }
            try {
                configureClientSocket(ch);
                Peer peer = peerOf(ch);
                BackendLauncher l = launcher;
                if (l == null) {
                    // No backend bundle (being installed or swapped): the client sees the connection close.
                    log.log("could not fork new process for connection: no backend implementation is active");
                    ch.close();
                    continue;
                }
                backends.add(l.launch(ch, peer, backends));
            } catch (IOException | RuntimeException e) {
                log.log("could not fork new process for connection: " + e.getMessage());
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // gone
                }
            }
        }
    }

    private static Peer peerOf(SocketChannel ch) throws IOException {
        SocketAddress remote = ch.getRemoteAddress();
        if (remote instanceof InetSocketAddress in) {
            String a = in.getAddress().getHostAddress().replaceAll("%.*$", "");
            if (a.equals("0:0:0:0:0:0:0:1")) {
                a = "::1";
            }
            return new Peer(false, a, in.getPort());
        }
        return new Peer(true, null, 0);
    }

    private void post(Event e) {
        events.add(e);
        Selector sel = selector;
        if (sel != null) {
            sel.wakeup();
        }
    }

    /** Starts every bound process not yet started, in start order. */
    private void startProcesses() {
        List<Map.Entry<ServerReference, ServerProcess>> todo = new ArrayList<>(processes.entrySet());
        todo.sort(Comparator.comparingInt(en -> en.getKey().order()));
        for (Map.Entry<ServerReference, ServerProcess> en : todo) {
            if (started.containsKey(en.getKey())) {
                continue;
            }
            try {
                en.getValue().start();
                started.put(en.getKey(), en.getValue());
            } catch (RuntimeException ex) {
                log.report(Severity.LOG, SqlState.INTERNAL_ERROR, "could not start " + en.getValue().processName()
                        + " process: " + ex.getMessage(), null, null, ex);
            }
        }
    }

    /**
     * Supervises bundles as PostgreSQL's postmaster supervises children: a
     * required process whose service left (its bundle stopped by mistake) and
     * did not come back within the grace period (an update or a swap brings a
     * new one) is logged and its bundle started again; after
     * {@link #MISSING_MAX_ATTEMPTS} failures the postmaster says so at WARNING
     * and the process tree shows the process as missing, never silently.
     */
    private void watchMissing() {
        if (missing.isEmpty()) {
            if (!missingView.isEmpty()) {
                missingView = List.of();
            }
            return;
        }
        org.osgi.framework.Bundle system = context.getBundle(0);
        if (system != null && system.getState() != org.osgi.framework.Bundle.ACTIVE) {
            return; // the framework is stopping: bundles leave on purpose
        }
        java.util.Set<String> running = new java.util.HashSet<>();
        for (ServerProcess p : processes.values()) {
            running.add(p.processName());
        }
        for (java.util.Iterator<Map.Entry<String, Missing>> it = missing.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Missing> en = it.next();
            Missing m = en.getValue();
            if (running.contains(en.getKey())) {
                if (m.attempts > 0) {
                    log.log(en.getKey() + " process is running again");
                }
                it.remove();
                continue;
            }
            if (m.givenUp || System.nanoTime() - m.since < MISSING_GRACE_MS * 1_000_000L) {
                continue;
            }
            org.osgi.framework.Bundle b = context.getBundle(m.bundleId);
            if (b == null || b.getState() == org.osgi.framework.Bundle.UNINSTALLED) {
                m.givenUp = true;
                log.report(Severity.WARNING, null, en.getKey() + " process is not running: its bundle " + m.bundle
                        + " was uninstalled", null, "Install and start a bundle providing the " + en.getKey()
                        + " process (modgres:features lists them).");
                continue;
            }
            if (b.getState() == org.osgi.framework.Bundle.STARTING
                    || b.getState() == org.osgi.framework.Bundle.STOPPING) {
                continue;
            }
            m.attempts++;
            m.since = System.nanoTime();
            log.log(en.getKey() + " process (PID " + m.pid + ") is gone: bundle " + m.bundle + " (" + m.bundleId
                    + ") was stopped; starting it again (attempt " + m.attempts + " of " + MISSING_MAX_ATTEMPTS + ")");
            try {
                b.start();
            } catch (org.osgi.framework.BundleException | RuntimeException ex) {
                log.report(Severity.LOG, SqlState.INTERNAL_ERROR, "could not start bundle " + m.bundle + ": "
                        + ex.getMessage(), null, null, ex);
            }
            if (m.attempts >= MISSING_MAX_ATTEMPTS && b.getState() != org.osgi.framework.Bundle.ACTIVE) {
                m.givenUp = true;
                log.report(Severity.WARNING, null, en.getKey() + " process could not be restarted; the server"
                        + " continues without it", null, "Check the log above, then start bundle " + m.bundleId
                        + " from the console.");
            }
        }
        List<String> view = new ArrayList<>();
        for (Map.Entry<String, Missing> en : missing.entrySet()) {
            view.add(en.getKey() + "\t" + en.getValue().bundle);
        }
        missingView = List.copyOf(view);
    }

    /** Required processes not running now, "name\tbundle", for the process tree (written by the postmaster thread). */
    private volatile List<String> missingView = List.of();

    /** Restarts a process that died, as PostgreSQL's postmaster restarts a crashed auxiliary process. */
    private void watchProcesses() {
        for (Map.Entry<ServerReference, ServerProcess> en : started.entrySet()) {
            ServerProcess p = en.getValue();
            if (p.isAlive()) {
                continue;
            }
            log.log(p.processName() + " process (PID " + p.pid() + ") exited with exit code 1");
            try {
                p.stop(ShutdownMode.IMMEDIATE);
                p.start();
            } catch (RuntimeException ex) {
                log.report(Severity.LOG, SqlState.INTERNAL_ERROR, "could not restart " + p.processName()
                        + " process: " + ex.getMessage(), null, null, ex);
            }
        }
    }

    private Event pollQuietly() {
        try {
            return events.poll(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Shutdown(ShutdownMode.IMMEDIATE);
        }
    }

    private void reloadNow() {
        log.log("received SIGHUP, reloading configuration files");
        ReloadResult r = settings.reload();
        if (!r.errors().isEmpty()) {
            log.report(Severity.DEBUG1, null, "reload finished with " + r.errors().size() + " error(s)", null,
                    null);
        }
    }

    private void shutdownNow(ShutdownMode mode) {
        shutdownNow(mode, true, 0);
    }

    /**
     * Stops everything in PostgreSQL's order and ends the server with {@code exitStatus};
     * {@code announce} logs the "received ... shutdown request" line (not after a failed start).
     */
    private void shutdownNow(ShutdownMode mode, boolean announce, int exitStatus) {
        try {
            shutdownSteps(mode, announce);
        } catch (RuntimeException | Error e) {
            // e.g. the data directory vanished: the process must end anyway, never linger without a postmaster
            log.report(Severity.LOG, SqlState.INTERNAL_ERROR, "shutdown did not complete: " + e, null, null, e);
        } finally {
            state = ServerState.STOPPED;
            ServerExit.exit(context, exitStatus);
        }
    }

    private void shutdownSteps(ShutdownMode mode, boolean announce) {
        if (announce) {
            log.log("received " + mode.pgName() + " shutdown request");
        }
        state = ServerState.STOPPING;
        pidFile.set(PidFile.LINE_STATUS, "stopping");
        listener.close(); // no new connections in any mode
        if (mode == ShutdownMode.SMART) {
            // Wait for the clients to leave; a later fast or immediate request takes over.
            while (!backends.isEmpty()) {
                Event e = pollQuietly();
                if (e instanceof Shutdown s && s.mode() != ShutdownMode.SMART) {
                    mode = s.mode();
                    log.log("received " + mode.pgName() + " shutdown request");
                    break;
                }
            }
        }
        if (mode == ShutdownMode.FAST && !backends.isEmpty()) {
            log.log("aborting any active transactions");
        }
        backends.terminateAll();
        backends.awaitEmpty(mode == ShutdownMode.IMMEDIATE ? 1_000 : 30_000);
        if (mode != ShutdownMode.IMMEDIATE) {
            log.log("shutting down"); // before the checkpointer's shutdown checkpoint, as in PostgreSQL
        }
        List<Map.Entry<ServerReference, ServerProcess>> running = new ArrayList<>(started.entrySet());
        running.sort(Comparator.comparingInt((Map.Entry<ServerReference, ServerProcess> en) -> en.getKey().order())
                .reversed());
        for (Map.Entry<ServerReference, ServerProcess> en : running) {
            try {
                en.getValue().stop(mode);
            } catch (RuntimeException ex) {
                log.report(Severity.LOG, SqlState.INTERNAL_ERROR, "could not stop " + en.getValue().processName()
                        + " process: " + ex.getMessage(), null, null, ex);
            }
            started.remove(en.getKey());
        }
        log.log("database system is shut down");
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        pidFile.remove();
    }

    private static void writeOptsFile(Path dir, String commandLine) {
        try {
            Files.writeString(dir.resolve("postmaster.opts"),
                    (commandLine == null ? "modgres" : commandLine) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not write file \"postmaster.opts\": " + e.getMessage());
        }
    }

    /**
     * The postmaster's table of backends (PostgreSQL's BackendList): admission,
     * cancel routing, termination at shutdown. Written by the postmaster thread
     * (add) and by exiting backends (exited), so it is a concurrent map.
     */
    private final class Backends implements BackendRegistry {
        private final Map<Long, BackendHandle> byPid = new ConcurrentHashMap<>();
        /** Backends that exited before the postmaster recorded them (launch starts the thread first). */
        private final java.util.Set<BackendHandle> exitedEarly = new java.util.HashSet<>();

        synchronized void add(BackendHandle b) {
            if (!exitedEarly.remove(b)) {
                byPid.put(b.pid(), b);
            }
        }

        boolean isEmpty() {
            return byPid.isEmpty();
        }

        List<BackendHandle> all() {
            List<BackendHandle> list = new ArrayList<>(byPid.values());
            list.sort(Comparator.comparingLong(BackendHandle::pid));
            return list;
        }

        void terminateAll() {
            byPid.values().forEach(BackendHandle::terminate);
        }

        void awaitEmpty(long millis) {
            long deadline = System.currentTimeMillis() + millis;
            while (!byPid.isEmpty() && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public void cancel(long pid, int key) {
            BackendHandle b = byPid.get(pid);
            if (b != null) {
                b.cancel(key);
            }
        }

        @Override
        public synchronized void exited(BackendHandle backend) {
            if (!byPid.remove(backend.pid(), backend)) {
                exitedEarly.add(backend);
            }
        }

        @Override
        public PgException admissionProblem(boolean superuser) {
            ServerState s = state;
            if (s == ServerState.STARTING) {
                return new PgException(SqlState.CANNOT_CONNECT_NOW, "the database system is starting up");
            }
            if (s != ServerState.READY) {
                return new PgException(SqlState.CANNOT_CONNECT_NOW, "the database system is shutting down");
            }
            int max = settings.getInt("max_connections");
            int reserved = settings.getInt("superuser_reserved_connections");
            int count = byPid.size();
            if (count > max) {
                return new PgException(SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already");
            }
            if (!superuser && count > max - reserved) {
                return new PgException(SqlState.TOO_MANY_CONNECTIONS,
                        "remaining connection slots are reserved for non-replication superuser connections");
            }
            return null;
        }
    }

    // ---- ServerControl ----

    @Override
    public ServerState state() {
        return state;
    }

    @Override
    public long pid() {
        return ProcessIds.postmaster();
    }

    @Override
    public Instant startTime() {
        return startTime;
    }

    @Override
    public Path dataDirectory() {
        return settings.dataDirectory();
    }

    @Override
    public int port() {
        return settings.getInt("port");
    }

    @Override
    public String version() {
        return ServerVersion.SERVER_VERSION;
    }

    @Override
    public List<modgres.api.backend.BackendStatus> backendStatuses() {
        List<modgres.api.backend.BackendStatus> out = new ArrayList<>();
        for (BackendHandle b : backends.all()) {
            modgres.api.backend.BackendStatus st = b.status();
            if (st != null) {
                out.add(st);
            }
        }
        return out;
    }

    @Override
    public boolean terminateBackend(long pid) {
        for (BackendHandle b : backends.all()) {
            if (b.pid() == pid) {
                b.terminate();
                return true;
            }
        }
        return false;
    }

    @Override
    public List<ProcessInfo> processes() {
        List<ProcessInfo> result = new ArrayList<>();
        Thread own = thread;
        if (own != null) {
            result.add(new ProcessInfo(pid(), "postmaster", "modgres.postmaster", List.of(own)));
        }
        Thread startup = startupThread;
        if (startup != null && startup.isAlive()) {
            result.add(new ProcessInfo(startupPid, StartupProcess.NAME, "modgres.postmaster", List.of(startup)));
        }
        List<Map.Entry<ServerReference, ServerProcess>> all = new ArrayList<>(processes.entrySet());
        all.sort(Comparator.comparingInt(en -> en.getKey().order()));
        for (Map.Entry<ServerReference, ServerProcess> en : all) {
            ServerProcess p = en.getValue();
            result.add(new ProcessInfo(p.pid(), p.processName(), en.getKey().bundle(), p.threads()));
        }
        for (String m : missingView) {
            String[] nb = m.split("\t", 2);
            result.add(new ProcessInfo(0, nb[0] + " (not running)", nb[1], List.of()));
        }
        for (BackendHandle b : backends.all()) {
            result.add(new ProcessInfo(b.pid(), "postgres: " + b.activity(), "modgres.backend",
                    List.of(b.thread())));
        }
        return result;
    }

    /** The postmaster's own thread, for the process tree. */
    public Thread thread() {
        return thread;
    }

    @Override
    public void reload() {
        post(new Reload());
    }

    @Override
    public void shutdown(ShutdownMode mode) {
        if (state == ServerState.STARTING || state == ServerState.READY) {
            post(new Shutdown(mode));
        }
    }
}
