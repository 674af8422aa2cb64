package modgres.postmaster;

/*
 * Design notes
 * ------------
 * The postmaster is PostgreSQL's first process; here it is one DS component
 * and one thread named "postmaster". The component's activation does what
 * must succeed before anything else may run (lock the data directory); the
 * thread then runs the server's life:
 *
 *      activate ──▶ [STARTING] ──start processes in order──▶ [READY]
 *                        │                                      │
 *                        │            shutdown(mode), SIGTERM/SIGINT, deactivate
 *                        ▼                                      ▼
 *                  (FATAL: exit 1)                         [STOPPING] ──stop processes
 *                                                               │        in reverse order
 *                                                               ▼
 *                                                          [STOPPED] (pid file removed)
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.server.ProcessIds;
import modgres.api.server.ProcessInfo;
import modgres.api.server.ServerControl;
import modgres.api.server.ServerProcess;
import modgres.api.server.ServerState;
import modgres.api.server.ServerVersion;
import modgres.api.server.ShutdownMode;
import modgres.api.settings.ReloadResult;
import modgres.api.settings.Settings;

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
    /** Processes the postmaster has started; read by the console, written by the postmaster thread. */
    private final Map<ServerReference, ServerProcess> started = new ConcurrentHashMap<>();

    private sealed interface Event permits Shutdown, Reload, ProcessArrived {
    }

    private record Shutdown(ShutdownMode mode) implements Event {
    }

    private record Reload() implements Event {
    }

    private record ProcessArrived() implements Event {
    }

    /** A bound ServerProcess with its start position and bundle, keyed by service id. */
    private record ServerReference(long serviceId, int order, String bundle) {
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindProcess(ServerProcess process, ServiceReference<ServerProcess> ref) {
        processes.put(key(ref), process);
        events.add(new ProcessArrived());
    }

    void unbindProcess(ServerProcess process, ServiceReference<ServerProcess> ref) {
        ServerReference k = key(ref);
        processes.remove(k);
        started.remove(k);
    }

    private static ServerReference key(ServiceReference<ServerProcess> ref) {
        Object order = ref.getProperty(ServerProcess.ORDER);
        int o = order instanceof Number n ? n.intValue() : Integer.MAX_VALUE;
        return new ServerReference((Long) ref.getProperty("service.id"), o, ref.getBundle().getSymbolicName());
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
        } catch (PgException e) {
            // The component stays active in state STOPPED (the server is exiting): throwing would make SCR
            // log the exception and retry the activation for every component that asks for ServerControl.
            state = ServerState.STOPPED;
            ServerExit.fatal(ctx, log, e);
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
            events.add(new Shutdown(ShutdownMode.FAST));
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        uninstallSignals.run();
    }

    private void run() {
        startProcesses();
        state = ServerState.READY;
        pidFile.set(PidFile.LINE_STATUS, "ready");
        log.log("database system is ready to accept connections");
        try {
            while (true) {
                Event e = events.poll(WATCH_INTERVAL_MS, TimeUnit.MILLISECONDS);
                if (e instanceof Shutdown s) {
                    shutdownNow(s.mode());
                    return;
                } else if (e instanceof Reload) {
                    reloadNow();
                } else if (e instanceof ProcessArrived) {
                    startProcesses();
                }
                watchProcesses();
            }
        } catch (InterruptedException ie) {
            shutdownNow(ShutdownMode.IMMEDIATE);
        } catch (RuntimeException re) {
            log.report(Severity.PANIC, SqlState.INTERNAL_ERROR, "postmaster failed: " + re, null, null, re);
            shutdownNow(ShutdownMode.IMMEDIATE);
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

    private void reloadNow() {
        log.log("received SIGHUP, reloading configuration files");
        ReloadResult r = settings.reload();
        if (!r.errors().isEmpty()) {
            log.report(Severity.DEBUG1, null, "reload finished with " + r.errors().size() + " error(s)", null,
                    null);
        }
    }

    private void shutdownNow(ShutdownMode mode) {
        log.log("received " + mode.pgName() + " shutdown request");
        state = ServerState.STOPPING;
        pidFile.set(PidFile.LINE_STATUS, "stopping");
        if (mode == ShutdownMode.FAST) {
            log.log("aborting any active transactions");
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
        if (mode != ShutdownMode.IMMEDIATE) {
            log.log("shutting down");
        }
        log.log("database system is shut down");
        pidFile.remove();
        state = ServerState.STOPPED;
        ServerExit.exit(context, 0);
    }

    private static void writeOptsFile(Path dir, String commandLine) {
        try {
            Files.writeString(dir.resolve("postmaster.opts"),
                    (commandLine == null ? "modgres" : commandLine) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not write file \"postmaster.opts\": " + e.getMessage());
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
    public List<ProcessInfo> processes() {
        List<ProcessInfo> result = new ArrayList<>();
        List<Map.Entry<ServerReference, ServerProcess>> all = new ArrayList<>(processes.entrySet());
        all.sort(Comparator.comparingInt(en -> en.getKey().order()));
        for (Map.Entry<ServerReference, ServerProcess> en : all) {
            ServerProcess p = en.getValue();
            result.add(new ProcessInfo(p.pid(), p.processName(), en.getKey().bundle(), p.threads()));
        }
        return result;
    }

    /** The postmaster's own thread, for the process tree. */
    public Thread thread() {
        return thread;
    }

    @Override
    public void reload() {
        events.add(new Reload());
    }

    @Override
    public void shutdown(ShutdownMode mode) {
        if (state == ServerState.STARTING || state == ServerState.READY) {
            events.add(new Shutdown(mode));
        }
    }
}
