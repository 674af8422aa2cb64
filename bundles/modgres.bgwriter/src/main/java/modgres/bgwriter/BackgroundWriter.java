package modgres.bgwriter;

import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.buffer.BufferPool;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.server.ProcessIds;
import modgres.api.server.ProcessThread;
import modgres.api.server.ServerProcess;
import modgres.api.server.ShutdownMode;
import modgres.api.settings.Settings;
import modgres.api.settings.SettingsListener;

/**
 * PostgreSQL's background writer as a process the postmaster starts: one
 * thread named {@code background writer} running {@link BgWriterLoop} with
 * bgwriter_delay, bgwriter_lru_maxpages and bgwriter_lru_multiplier (sighup
 * settings, read at every round).
 */
@Component(name = "modgres.bgwriter", immediate = true, service = {ServerProcess.class, SettingsListener.class},
        property = {ServerProcess.NAME + "=background writer", ServerProcess.ORDER + ":Integer=20"})
public final class BackgroundWriter implements ServerProcess, SettingsListener {

    private final BufferPool pool;
    private final Settings settings;
    private final ServerLog log;
    private final long pid = ProcessIds.next();
    private final BgWriterLoop loop;
    private final ProcessThread thread = new ProcessThread("background writer");

    @Activate
    public BackgroundWriter(@Reference BufferPool pool, @Reference Settings settings,
            @Reference(service = LoggerFactory.class) Logger logger) {
        this.pool = pool;
        this.settings = settings;
        this.log = ServerLog.of(logger, LogContext.process(pid, "background writer"));
        this.loop = new BgWriterLoop(pool, () -> settings.getInt("bgwriter_delay"),
                () -> settings.getInt("bgwriter_lru_maxpages"), () -> settings.getReal("bgwriter_lru_multiplier"));
    }

    @Override
    public String processName() {
        return "background writer";
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public void start() {
        loop.resume();
        if (thread.start(loop)) {
            log.debug(1, "background writer started");
        }
    }

    @Override
    public void stop(ShutdownMode mode) {
        thread.stop(loop::stop, 10_000);
    }

    @Override
    public List<Thread> threads() {
        return thread.threads();
    }

    @Override
    public boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public void settingsChanged(Set<String> names) {
        if (names.stream().anyMatch(n -> n.startsWith("bgwriter_"))) {
            loop.wakeUp();
        }
    }

    @Deactivate
    void deactivate() {
        stop(ShutdownMode.FAST);
    }

    /** pg_stat_bgwriter.buffers_clean. */
    public long buffersClean() {
        return loop.buffersClean();
    }

    /** pg_stat_bgwriter.maxwritten_clean. */
    public long maxWrittenClean() {
        return loop.maxWrittenClean();
    }
}
