package modgres.stats.shared;

import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsCollector;
import modgres.api.stats.StatsStore;

/**
 * The {@code shared_memory} collector: {@link #flush} applies the pending
 * statistics to the {@link StatsStore} in the caller's thread, so they are
 * visible when it returns and {@link #sync} has nothing to wait for.
 *
 * <p>Deactivation waits for the flushes in progress to finish and makes
 * every later one return false (the caller keeps its counts pending and
 * hands them to the next collector): every batch this collector accepted is
 * in the store when it is gone, even while the store itself is stopping and
 * about to write its file.
 */
@Component(name = "modgres.stats.shared", service = StatsCollector.class,
        property = {StatsCollector.NAME + "=" + SharedMemoryCollector.NAME, "service.ranking:Integer=0"})
public final class SharedMemoryCollector implements StatsCollector {
    /** The implementation's name. */
    public static final String NAME = "shared_memory";

    private final StatsStore store;
    /** Flushes hold it shared; deactivation takes it exclusively once, to close. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private boolean closed; // guarded by gate

    @Activate
    public SharedMemoryCollector(@Reference StatsStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean flush(PendingStats stats) {
        ReentrantReadWriteLock.ReadLock lock = gate.readLock();
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            store.apply(stats);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Every accepted flush was applied before it returned. */
    @Override
    public boolean sync(long timeoutMillis) {
        return true;
    }

    /** Waits for the flushes in progress; later ones are refused. */
    @Deactivate
    void deactivate() {
        ReentrantReadWriteLock.WriteLock lock = gate.writeLock();
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }
}
