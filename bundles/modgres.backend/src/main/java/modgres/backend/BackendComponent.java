package modgres.backend;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;

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
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.server.ProcessIds;
import modgres.api.settings.Settings;
import modgres.api.settings.SettingsListener;
import modgres.api.sql.SqlEngine;
import modgres.backend.auth.BootstrapRoles;
import modgres.backend.auth.HbaFile;

/**
 * Publishes {@link BackendLauncher}: the postmaster hands each accepted
 * connection to {@link #launch}, which starts a backend thread.
 *
 * <p>References: {@link Settings} and {@link LoggerFactory} (static,
 * mandatory); {@link SqlEngine} (optional, dynamic, greedy): without one,
 * clients still authenticate (roles come from
 * {@code global/pg_authid.bootstrap}) and then get {@code FATAL 57P03 the
 * database system is not accepting connections}; sessions already open keep the engine
 * that opened them.
 *
 * <p>Also a {@link SettingsListener}: a reload re-reads {@code pg_hba.conf}
 * (a file with errors is logged and the previous one kept, as PostgreSQL
 * does on SIGHUP). Deactivation terminates the backends it started.
 */
@Component(name = "modgres.backend", service = {BackendLauncher.class, SettingsListener.class}, immediate = true)
public final class BackendComponent implements BackendLauncher, SettingsListener, Environment {
    private final Settings settings;
    private final Logger logger;
    private final ServerLog log;
    private final BootstrapRoles bootstrap;
    private final ScheduledThreadPoolExecutor timer;
    private final SecureRandom random = new SecureRandom();
    private final byte[] mockSecret = new byte[32];
    private final Set<Backend> live = ConcurrentHashMap.newKeySet();
    private final AtomicReference<SqlEngine> engine = new AtomicReference<>();
    private volatile HbaFile hba;

    @Activate
    public BackendComponent(@Reference(name = "Settings") Settings settings,
            @Reference(name = "LoggerFactory") LoggerFactory loggers) {
        this.settings = settings;
        this.logger = loggers.getLogger(BackendComponent.class);
        this.log = ServerLog.of(logger, LogContext.process(ProcessIds.postmaster(), "postmaster"));
        this.bootstrap = new BootstrapRoles(settings.dataDirectory());
        random.nextBytes(mockSecret);
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "backend timeouts");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        hba = HbaFile.empty(hbaPath());
        loadHba(true);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSqlEngine(SqlEngine e) {
        engine.set(e);
    }

    void unbindSqlEngine(SqlEngine e) {
        // With a greedy replacement the new engine is bound before the old one is unbound.
        engine.compareAndSet(e, null);
    }

    @Deactivate
    void deactivate() {
        for (Backend b : live) {
            b.terminate();
        }
        long until = System.nanoTime() + 2_000_000_000L;
        for (Backend b : live) {
            long left = until - System.nanoTime();
            if (left > 0) {
                try {
                    b.thread().join(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        timer.shutdownNow();
    }

    /** The backends running now. */
    public List<BackendHandle> backends() {
        return List.copyOf(live);
    }

    @Override
    public BackendHandle launch(SocketChannel channel, Peer peer, BackendRegistry registry) {
        long pid = ProcessIds.next();
        Backend b = new Backend(this, channel, peer, registry, pid, random.nextInt());
        live.add(b);
        b.start();
        return b;
    }

    @Override
    public void settingsChanged(Set<String> names) {
        loadHba(false);
    }

    private Path hbaPath() {
        Path p = null;
        try {
            String f = settings.getString("hba_file");
            if (f != null && !f.isBlank()) {
                p = Path.of(f);
                if (!p.isAbsolute()) {
                    p = settings.dataDirectory().resolve(p);
                }
            }
        } catch (RuntimeException e) {
            // no such setting: the default place
        }
        return p != null ? p : settings.dataDirectory().resolve("pg_hba.conf");
    }

    /**
     * (Re)reads pg_hba.conf. Returns whether the new file is in force; on
     * errors they are logged and the previous file stays.
     */
    public boolean loadHba(boolean initial) {
        Path path = hbaPath();
        HbaFile f;
        try {
            f = HbaFile.load(path);
        } catch (IOException e) {
            log.report(Severity.LOG, "58030", "could not open configuration file \"" + path + "\": " + e, null,
                    null);
            failedLoad(initial);
            return false;
        }
        if (!f.errors().isEmpty()) {
            for (HbaFile.LoadError err : f.errors()) {
                // PostgreSQL prints the place as CONTEXT; the log API has DETAIL and HINT only.
                log.report(Severity.LOG, "F0000", err.message(), err.context(), err.hint());
            }
            failedLoad(initial);
            return false;
        }
        hba = f;
        return true;
    }

    private void failedLoad(boolean initial) {
        if (initial) {
            log.report(Severity.LOG, "F0000", "could not load pg_hba.conf", null, null);
        } else {
            log.report(Severity.WARNING, "F0000", "pg_hba.conf was not reloaded", null, null);
        }
    }

    // ---------------------------------------------------------------- Environment

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public Logger logger() {
        return logger;
    }

    @Override
    public SqlEngine engine() {
        return engine.get();
    }

    @Override
    public HbaFile hba() {
        return hba;
    }

    @Override
    public Optional<SqlEngine.Role> role(String name) {
        SqlEngine e = engine.get();
        return e != null ? e.role(name) : bootstrap.role(name);
    }

    @Override
    public ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public SecureRandom random() {
        return random;
    }

    @Override
    public byte[] mockSecret() {
        return mockSecret;
    }

    @Override
    public void ended(Backend backend) {
        live.remove(backend);
    }
}
