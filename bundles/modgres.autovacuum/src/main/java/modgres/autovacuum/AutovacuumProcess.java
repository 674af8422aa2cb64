package modgres.autovacuum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.autovacuum.AutovacuumPolicy;
import modgres.api.autovacuum.Maintenance;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.server.ProcessIds;
import modgres.api.server.ProcessThread;
import modgres.api.server.ServerProcess;
import modgres.api.server.ShutdownMode;
import modgres.api.settings.Settings;
import modgres.api.settings.SettingsListener;
import modgres.api.stats.StatsStore;

/**
 * PostgreSQL's autovacuum launcher as a process the postmaster starts: the
 * thread {@code autovacuum launcher} runs {@link Launcher}, which starts up
 * to {@code autovacuum_max_workers} {@code autovacuum worker} threads (each
 * with its own pid); {@link #threads()} shows them all. The policy is a
 * dynamic, greedy, optional reference: DS binds the highest
 * {@code service.ranking} (then the lowest service id) and rebinds when a
 * better one arrives or the bound one goes; the launcher reads it once per
 * round. The SQL engine's {@link Maintenance} and the {@link StatsStore} are
 * dynamic and optional too: without any of the three the launcher idles and
 * says so once.
 *
 * <p>For the console (which depends on API packages only) the service object
 * is also a {@code Supplier<Map<String, Object>>}: look up the
 * {@link ServerProcess} with {@code (modgres.process.name=autovacuum launcher)}
 * and, when it is a {@code Supplier}, {@link #get()} gives the active policy
 * and what each worker is doing (see {@link #get()}).
 */
@Component(name = "modgres.autovacuum", immediate = true, service = {ServerProcess.class, SettingsListener.class},
        property = {ServerProcess.NAME + "=" + Launcher.LAUNCHER, ServerProcess.ORDER + ":Integer=45"})
public final class AutovacuumProcess implements ServerProcess, SettingsListener, Supplier<Map<String, Object>> {

    /** How long a stop waits for the launcher and then for the workers (each). */
    static final long STOP_WAIT_MILLIS = 5_000;

    private final long pid = ProcessIds.next();
    private final ProcessThread thread = new ProcessThread(Launcher.LAUNCHER);
    private final Settings settings;
    private final Launcher launcher;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AutovacuumPolicy policy;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Maintenance maintenance;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StatsStore stats;

    @Activate
    public AutovacuumProcess(@Reference Settings settings, @Reference(service = LoggerFactory.class) Logger logger) {
        this.settings = settings;
        ServerLog log = ServerLog.of(logger, LogContext.process(pid, Launcher.LAUNCHER));
        this.launcher = new Launcher(settings, () -> maintenance, () -> stats, () -> policy, log, 1_000);
    }

    @Override
    public String processName() {
        return Launcher.LAUNCHER;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public void start() {
        launcher.resume();
        thread.start(launcher);
    }

    @Override
    public void stop(ShutdownMode mode) {
        launcher.stop();
        thread.stop(launcher::stop, STOP_WAIT_MILLIS);
        launcher.awaitWorkers(STOP_WAIT_MILLIS);
    }

    @Override
    public List<Thread> threads() {
        List<Thread> all = new ArrayList<>(thread.threads());
        all.addAll(launcher.workerThreads());
        return all;
    }

    @Override
    public boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public void settingsChanged(Set<String> names) {
        if (names.stream().anyMatch(n -> n.startsWith("autovacuum") || n.equals("track_counts"))) {
            launcher.wakeUp();
        }
    }

    @Deactivate
    void deactivate() {
        stop(ShutdownMode.FAST);
    }

    /**
     * The console's view: {@code policy} (the active policy's name, or null),
     * {@code max_workers}, {@code pending} (tasks queued for the workers) and
     * {@code workers}: one map per busy worker with {@code pid} (Long),
     * {@code database}, {@code table} ({@code "db.schema.table"}),
     * {@code action} ({@code vacuum} or {@code analyze}) and {@code since}
     * (epoch milliseconds). Only java.* types, so a bundle that knows the API
     * packages alone can read it.
     */
    @Override
    public Map<String, Object> get() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", launcher.policyName());
        int max;
        try {
            max = settings.getInt("autovacuum_max_workers");
        } catch (RuntimeException e) {
            max = 0;
        }
        m.put("max_workers", max);
        m.put("pending", launcher.pendingTasks());
        List<Map<String, Object>> workers = new ArrayList<>();
        for (Launcher.WorkerActivity a : launcher.activity()) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("pid", a.pid());
            w.put("database", a.database());
            w.put("table", a.table());
            w.put("action", a.action());
            w.put("since", a.sinceMillis());
            workers.add(w);
        }
        m.put("workers", workers);
        return m;
    }

    /** The launcher, for tests in this package. */
    Launcher launcher() {
        return launcher;
    }
}
