package modgres.stats.collector;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.server.LoopProcess;
import modgres.api.server.ServerProcess;
import modgres.api.server.ShutdownMode;
import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsCollector;
import modgres.api.stats.StatsStore;

/**
 * The {@code collector} statistics collector, PostgreSQL 14's stats
 * collector process: {@link #flush} queues a process's pending statistics
 * and returns at once; the {@code stats collector} thread (a
 * {@link ServerProcess} the postmaster starts, order 50) merges the queued
 * batches and applies them to the {@link StatsStore}. Until the thread runs
 * (or after it stopped), {@link #sync} drains the queue in the caller's
 * thread. Deactivation refuses further flushes, applies everything queued,
 * then stops the thread: nothing accepted is lost (see the README).
 */
@Component(name = "modgres.stats.collector", immediate = true,
        service = {StatsCollector.class, ServerProcess.class},
        property = {StatsCollector.NAME + "=" + CollectorProcess.NAME, "service.ranking:Integer=0",
                ServerProcess.NAME + "=" + CollectorProcess.PROCESS_NAME, ServerProcess.ORDER + ":Integer=50"})
public final class CollectorProcess extends LoopProcess implements StatsCollector {
    /** The implementation's name. */
    public static final String NAME = "collector";
    /** The process's and its thread's name, as PostgreSQL 14 names it. */
    public static final String PROCESS_NAME = "stats collector";

    private final CollectorQueue queue;

    @Activate
    public CollectorProcess(@Reference StatsStore store, @Reference(service = LoggerFactory.class) Logger logger) {
        super(PROCESS_NAME, 10_000);
        ServerLog log = ServerLog.of(logger, LogContext.process(pid(), PROCESS_NAME));
        this.queue = new CollectorQueue(store::apply, e -> log.report(Severity.WARNING, "XX000",
                "could not apply statistics: " + e, null, null, e));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean flush(PendingStats stats) {
        return queue.offer(stats);
    }

    @Override
    public boolean sync(long timeoutMillis) {
        return queue.sync(timeoutMillis);
    }

    @Override
    protected Runnable body() {
        return queue;
    }

    @Override
    protected void prepareStart() {
        queue.resume();
    }

    @Override
    protected void requestStop(ShutdownMode mode) {
        queue.requestStop();
    }

    /**
     * Being swapped out or the store going away: refuse new batches, apply
     * every accepted one (in this thread, after a drain in progress), then
     * stop the thread.
     */
    @Deactivate
    void deactivate() {
        queue.close();
        stop(ShutdownMode.FAST);
    }

    /** Batches waiting (for tests and the console). */
    int queued() {
        return queue.queued();
    }
}
