package modgres.walwriter;

import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.wal.Wal;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.server.LoopProcess;
import modgres.api.server.ServerProcess;
import modgres.api.server.ShutdownMode;
import modgres.api.settings.Settings;
import modgres.api.settings.SettingsListener;

/**
 * PostgreSQL's WAL writer as a process the postmaster starts: one thread
 * named {@code walwriter} running {@link WalWriterLoop} every
 * wal_writer_delay (a sighup setting, read at every round).
 */
@Component(name = "modgres.walwriter", immediate = true, service = {ServerProcess.class, SettingsListener.class},
        property = {ServerProcess.NAME + "=walwriter", ServerProcess.ORDER + ":Integer=30"})
public final class WalWriter extends LoopProcess implements SettingsListener {

    private final Wal wal;
    private final Settings settings;
    private final ServerLog log;
    private final WalWriterLoop loop;

    @Activate
    public WalWriter(@Reference Wal wal, @Reference Settings settings,
            @Reference(service = LoggerFactory.class) Logger logger) {
        super("walwriter", 10_000);
        this.wal = wal;
        this.settings = settings;
        this.log = ServerLog.of(logger, LogContext.process(pid(), "walwriter"));
        this.loop = new WalWriterLoop(wal, () -> settings.getInt("wal_writer_delay"));
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
        if (names.stream().anyMatch(n -> n.startsWith("wal_writer_"))) {
            loop.wakeUp();
        }
    }

    @Deactivate
    void deactivate() {
        stop(ShutdownMode.FAST);
    }

    /** Bytes this writer made durable (pg_stat_wal counts writes and syncs in the WAL itself). */
    public long bytesFlushed() {
        return loop.bytesFlushed();
    }
}
