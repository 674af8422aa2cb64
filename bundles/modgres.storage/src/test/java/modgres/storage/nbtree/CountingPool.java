package modgres.storage.nbtree;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

import modgres.api.buffer.AccessStrategy;
import modgres.api.buffer.BgWriterRound;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferStats;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.FlushFilter;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.buffer.StrategyType;

/** A buffer pool that counts the pins and content locks its callers hold, so tests can see leaks. */
final class CountingPool implements BufferPool {
    final BufferPool delegate;
    final AtomicInteger pins = new AtomicInteger();
    final AtomicInteger locks = new AtomicInteger();

    CountingPool(BufferPool delegate) {
        this.delegate = delegate;
    }

    @Override
    public int buffers() {
        return delegate.buffers();
    }

    @Override
    public int pin(int tablespace, int database, int relfilenode, ForkNumber fork, int block, ReadMode mode,
            AccessStrategy strategy) {
        int b = delegate.pin(tablespace, database, relfilenode, fork, block, mode, strategy);
        pins.incrementAndGet();
        return b;
    }

    @Override
    public int extend(RelFileNode rel, ForkNumber fork, AccessStrategy strategy) {
        int b = delegate.extend(rel, fork, strategy);
        pins.incrementAndGet();
        return b;
    }

    @Override
    public void repin(int buffer) {
        delegate.repin(buffer);
        pins.incrementAndGet();
    }

    @Override
    public void unpin(int buffer) {
        delegate.unpin(buffer);
        pins.decrementAndGet();
    }

    @Override
    public ByteBuffer page(int buffer) {
        return delegate.page(buffer);
    }

    @Override
    public void lockContent(int buffer, boolean exclusive) {
        delegate.lockContent(buffer, exclusive);
        locks.incrementAndGet();
    }

    @Override
    public boolean tryLockContent(int buffer, boolean exclusive) {
        boolean ok = delegate.tryLockContent(buffer, exclusive);
        if (ok) {
            locks.incrementAndGet();
        }
        return ok;
    }

    @Override
    public void unlockContent(int buffer) {
        delegate.unlockContent(buffer);
        locks.decrementAndGet();
    }

    @Override
    public void markDirty(int buffer) {
        delegate.markDirty(buffer);
    }

    @Override
    public long pageLsn(int buffer) {
        return delegate.pageLsn(buffer);
    }

    @Override
    public BufferTag tag(int buffer) {
        return delegate.tag(buffer);
    }

    @Override
    public int blockNumber(int buffer) {
        return delegate.blockNumber(buffer);
    }

    @Override
    public AccessStrategy strategy(StrategyType type) {
        return delegate.strategy(type);
    }

    @Override
    public int flushAll(FlushFilter filter) {
        return delegate.flushAll(filter);
    }

    @Override
    public int syncWrittenFiles() {
        return delegate.syncWrittenFiles();
    }

    @Override
    public BgWriterRound writeAheadOfClock(int maxPages, double multiplier, int delayMillis) {
        return delegate.writeAheadOfClock(maxPages, multiplier, delayMillis);
    }

    @Override
    public int dropRelation(RelFileNode rel) {
        return delegate.dropRelation(rel);
    }

    @Override
    public int dropRelationFork(RelFileNode rel, ForkNumber fork, int firstBlock) {
        return delegate.dropRelationFork(rel, fork, firstBlock);
    }

    @Override
    public int dropDatabase(int database) {
        return delegate.dropDatabase(database);
    }

    @Override
    public BufferStats stats() {
        return delegate.stats();
    }
}
