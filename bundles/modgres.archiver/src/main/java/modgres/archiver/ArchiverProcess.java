package modgres.archiver;

import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.archive.ArchiveModule;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.server.LoopProcess;
import modgres.api.server.ServerProcess;
import modgres.api.server.ShutdownMode;
import modgres.api.settings.Settings;
import modgres.api.settings.SettingsListener;
import modgres.api.stats.StatsCollector;
import modgres.api.wal.Wal;
import modgres.api.wal.WalState;

/**
 * PostgreSQL's archiver as a process the postmaster starts: one thread named
 * {@code archiver} running {@link ArchiveLoop} over the active
 * {@link ArchiveModule} (a dynamic, greedy reference: installing another
 * module or removing one swaps it between two segments). archive_mode is read
 * at every round. This bundle is not meant to be swapped; the modules are.
 *
 * <p>pg_stat_archiver goes to the active {@link StatsCollector} (dynamic,
 * greedy, optional: with none the events stay pending in the loop), and
 * archive_timeout is enforced here through the {@link Wal} (dynamic, greedy,
 * optional); see {@link ArchiveTimeout} for why here.
 */
@Component(name = "modgres.archiver", immediate = true,
        service = {ServerProcess.class, SettingsListener.class},
        property = {ServerProcess.NAME + "=archiver", ServerProcess.ORDER + ":Integer=40"})
public final class ArchiverProcess extends LoopProcess implements SettingsListener {

    private final ServerLog log;
    private final ArchiveLoop loop;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ArchiveModule module;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StatsCollector statsCollector;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Wal wal;

    @Activate
    public ArchiverProcess(@Reference Settings settings,
            @Reference(service = LoggerFactory.class) Logger logger) {
        super("archiver", 10_000);
        this.log = ServerLog.of(logger, LogContext.process(pid(), "archiver"));
        ArchiveLoop.Report report = report(log);
        this.loop = new ArchiveLoop(settings.dataDirectory(), () -> settings.getString("archive_mode"),
                () -> module, report, 1_000)
                .withStats(() -> statsCollector)
                .withRecovery(() -> {
                    Wal w = wal;
                    return w != null && w.state() == WalState.READING;
                })
                .withTimeout(new ArchiveTimeout(() -> wal, () -> archiveTimeout(settings),
                        System::currentTimeMillis, report));
    }

    /** archive_timeout in seconds; 0 when it cannot be read. */
    static int archiveTimeout(Settings settings) {
        try {
            return settings.getInt("archive_timeout");
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static ArchiveLoop.Report report(ServerLog log) {
        return new ArchiveLoop.Report() {
            @Override
            public void log(String message, String detail) {
                log.report(Severity.LOG, null, message, detail, null);
            }

            @Override
            public void warning(String message, String detail) {
                log.report(Severity.WARNING, null, message, detail, null);
            }

            @Override
            public void debug(String message) {
                log.debug(1, message);
            }
        };
    }

    @Override
    protected Runnable body() {
        return loop;
    }

    @Override
    protected void prepareStart() {
        loop.resume();
    }

    @Override
    protected void requestStop(ShutdownMode mode) {
        loop.stop();
    }

    @Override
    public void settingsChanged(Set<String> names) {
        if (names.stream().anyMatch(n -> n.startsWith("archive_"))) {
            loop.wakeUp();
        }
    }

    @Deactivate
    void deactivate() {
        stop(ShutdownMode.FAST);
    }

    /** pg_stat_archiver.archived_count since this process started. */
    public long archivedCount() {
        return loop.archivedCount();
    }
}
