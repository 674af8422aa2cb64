package modgres.checkpointer;

import java.util.List;
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

import modgres.api.buffer.BufferPool;
import modgres.api.control.CheckpointParticipant;
import modgres.api.control.CheckpointStats;
import modgres.api.control.Checkpointer;
import modgres.api.control.ControlFile;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.server.LoopProcess;
import modgres.api.server.ServerProcess;
import modgres.api.server.ShutdownMode;
import modgres.api.settings.Settings;
import modgres.api.settings.SettingsListener;
import modgres.api.txn.TransactionManager;
import modgres.api.wal.Wal;

/**
 * PostgreSQL's checkpointer as a process the postmaster starts: one thread
 * named {@code checkpointer} running {@link CheckpointerLoop}; also the
 * {@link Checkpointer} service that {@code CHECKPOINT} calls. Stopping it
 * smart or fast makes the shutdown checkpoint; immediate makes none.
 * {@link CheckpointParticipant}s (whiteboard) and the transaction manager are
 * dynamic references, read at each checkpoint.
 */
@Component(name = "modgres.checkpointer", immediate = true,
        service = {ServerProcess.class, SettingsListener.class, Checkpointer.class},
        property = {ServerProcess.NAME + "=checkpointer", ServerProcess.ORDER + ":Integer=10"})
public final class CheckpointerProcess extends LoopProcess implements SettingsListener, Checkpointer {

    /** How long stop() waits for the shutdown checkpoint. */
    static final long STOP_WAIT_MILLIS = 10 * 60_000;

    private final ServerLog log;
    private final CheckpointerLoop loop;

    /** Every participant now, best ranked first (SCR replaces the list on each change). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<CheckpointParticipant> participants;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TransactionManager txn;

    @Activate
    public CheckpointerProcess(@Reference Wal wal, @Reference BufferPool pool, @Reference ControlFile control,
            @Reference Settings settings, @Reference(service = LoggerFactory.class) Logger logger) {
        super("checkpointer", STOP_WAIT_MILLIS);
        this.log = ServerLog.of(logger, LogContext.process(pid(), "checkpointer"));
        this.loop = new CheckpointerLoop(wal, pool, control, log, config(settings), () -> participants,
                () -> txn);
    }

    static CheckpointerLoop.Config config(Settings s) {
        return new CheckpointerLoop.Config() {
            @Override
            public int timeoutSeconds() {
                return s.getInt("checkpoint_timeout");
            }

            @Override
            public double completionTarget() {
                return s.getReal("checkpoint_completion_target");
            }

            @Override
            public int maxWalSizeMb() {
                return s.getInt("max_wal_size");
            }

            @Override
            public int warningSeconds() {
                return s.getInt("checkpoint_warning");
            }

            @Override
            public boolean logCheckpoints() {
                return s.getBool("log_checkpoints");
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
        loop.stop(mode != ShutdownMode.IMMEDIATE);
    }

    @Override
    protected void stopTimedOut() {
        log.warning("checkpointer did not finish the shutdown checkpoint in time");
    }

    @Override
    public void settingsChanged(Set<String> names) {
        if (names.stream().anyMatch(n -> n.startsWith("checkpoint_") || n.equals("max_wal_size"))) {
            loop.wakeUp();
        }
    }

    @Override
    public void requestCheckpoint(boolean wait, boolean force) {
        loop.request(wait, force);
    }

    @Override
    public CheckpointStats stats() {
        return loop.stats();
    }

    @Deactivate
    void deactivate() {
        // Deactivation (a bundle update or a missing service) is not a server shutdown: no checkpoint.
        stop(ShutdownMode.IMMEDIATE);
    }
}
