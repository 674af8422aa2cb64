package modgres.bgwriter;

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
import modgres.api.server.LoopProcess;
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
public final class BackgroundWriter extends LoopProcess implements SettingsListener {

    private final BufferPool pool;
    private final Settings settings;
    private final ServerLog log;
    private final BgWriterLoop loop;

    @Activate
    public BackgroundWriter(@Reference BufferPool pool, @Reference Settings settings,
            @Reference(service = LoggerFactory.class) Logger logger) {
        super("background writer", 10_000);
        this.pool = pool;
        this.settings = settings;
        this.log = ServerLog.of(logger, LogContext.process(pid(), "background writer"));
        this.loop = new BgWriterLoop(pool, () -> settings.getInt("bgwriter_delay"),
                () -> settings.getInt("bgwriter_lru_maxpages"), () -> settings.getReal("bgwriter_lru_multiplier"));
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
