package modgres.shmem.buffer;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import modgres.api.buffer.AccessStrategy;
import modgres.api.buffer.BgWriterRound;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferStats;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.FlushFilter;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.PageStore;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.buffer.StrategyType;
import modgres.api.buffer.WalFlusher;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.settings.Settings;

/**
 * Publishes the shared buffer pool as the {@link BufferPool} service. At
 * activation it reads {@code shared_buffers} (8 kB pages) from
 * {@link Settings} and allocates the pool; the setting needs a restart, so
 * later changes are not applied.
 *
 * <p>References: {@link Settings} and {@link PageStore} are mandatory and
 * static. Until a {@code PageStore} is registered (the storage bundle), this
 * component stays unsatisfied and no {@code BufferPool} exists; when the
 * store goes away, the pool is deactivated with it. {@link WalFlusher} is
 * optional, dynamic and greedy: it may come, go or be replaced while the
 * pool runs (see {@link WalFlusher} for what the pool does without one).
 *
 * <p>Deactivation does not write dirty buffers: the shutdown checkpoint does
 * that; without one, the WAL brings the changes back, as after a crash.
 * Calls are delegated to a {@link SharedBufferPool}; the indirection is a
 * monomorphic call the JIT inlines.
 */
@Component(name = "modgres.shmem.bufferpool", service = BufferPool.class, immediate = true)
public final class BufferPoolComponent implements BufferPool {

    /** PostgreSQL's lower bound for {@code shared_buffers}. */
    static final int MIN_SHARED_BUFFERS = 16;

    private final SharedBufferPool pool;

    @Activate
    public BufferPoolComponent(@Reference(name = "Settings") Settings settings,
            @Reference(name = "PageStore") PageStore store) {
        int n = settings.getInt("shared_buffers");
        if (n < MIN_SHARED_BUFFERS) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, n
                    + " is outside the valid range for parameter \"shared_buffers\" (" + MIN_SHARED_BUFFERS
                    + " .. " + Integer.MAX_VALUE / 2 + ")");
        }
        pool = new SharedBufferPool(n, store);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindWalFlusher(WalFlusher flusher) {
        // Called after the constructor (DS injects constructor references first).
        pool.setWalFlusher(flusher);
    }

    void unbindWalFlusher(WalFlusher flusher) {
        // With a greedy replacement the new flusher is bound before the old is unbound.
        pool.unsetWalFlusher(flusher);
    }

    @Override
    public int buffers() {
        return pool.buffers();
    }

    @Override
    public int pin(int tablespace, int database, int relfilenode, ForkNumber fork, int block, ReadMode mode,
            AccessStrategy strategy) {
        return pool.pin(tablespace, database, relfilenode, fork, block, mode, strategy);
    }

    @Override
    public int extend(RelFileNode rel, ForkNumber fork, AccessStrategy strategy) {
        return pool.extend(rel, fork, strategy);
    }

    @Override
    public void repin(int buffer) {
        pool.repin(buffer);
    }

    @Override
    public void unpin(int buffer) {
        pool.unpin(buffer);
    }

    @Override
    public ByteBuffer page(int buffer) {
        return pool.page(buffer);
    }

    @Override
    public void lockContent(int buffer, boolean exclusive) {
        pool.lockContent(buffer, exclusive);
    }

    @Override
    public boolean tryLockContent(int buffer, boolean exclusive) {
        return pool.tryLockContent(buffer, exclusive);
    }

    @Override
    public void unlockContent(int buffer) {
        pool.unlockContent(buffer);
    }

    @Override
    public void markDirty(int buffer) {
        pool.markDirty(buffer);
    }

    @Override
    public long pageLsn(int buffer) {
        return pool.pageLsn(buffer);
    }

    @Override
    public BufferTag tag(int buffer) {
        return pool.tag(buffer);
    }

    @Override
    public int blockNumber(int buffer) {
        return pool.blockNumber(buffer);
    }

    @Override
    public AccessStrategy strategy(StrategyType type) {
        return pool.strategy(type);
    }

    @Override
    public int flushAll(FlushFilter filter) {
        return pool.flushAll(filter);
    }

    @Override
    public int syncWrittenFiles() {
        return pool.syncWrittenFiles();
    }

    @Override
    public BgWriterRound writeAheadOfClock(int maxPages, double multiplier, int delayMillis) {
        return pool.writeAheadOfClock(maxPages, multiplier, delayMillis);
    }

    @Override
    public int dropRelation(RelFileNode rel) {
        return pool.dropRelation(rel);
    }

    @Override
    public int dropRelationFork(RelFileNode rel, ForkNumber fork, int firstBlock) {
        return pool.dropRelationFork(rel, fork, firstBlock);
    }

    @Override
    public int dropDatabase(int database) {
        return pool.dropDatabase(database);
    }

    @Override
    public BufferStats stats() {
        return pool.stats();
    }

    @Override
    public long[] threadIoCounters() {
        return pool.threadIoCounters();
    }
}
