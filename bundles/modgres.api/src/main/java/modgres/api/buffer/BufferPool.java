package modgres.api.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The shared buffer pool: {@code shared_buffers} pages of {@value #BLOCK_SIZE}
 * bytes in off-heap memory, each holding one block of a relation fork, shared
 * by every component of the server.
 *
 * <h2>Protocol</h2>
 * <ol>
 * <li>{@link #pin} a block: the result is a buffer id in {@code [0, buffers())}.
 *     While pinned, the buffer keeps that block: it is not evicted and its
 *     {@link #page page} stays where it is. A pin is cheap and may be held for
 *     a while (a scan holds one on its current page), but every pin must be
 *     matched by exactly one {@link #unpin}, also when an error is thrown.</li>
 * <li>{@link #lockContent lock} the content, shared to read, exclusive to
 *     change. Content locks are short (a few tuples' worth) and must not be
 *     held across anything that waits for a client or another lock. Take them
 *     only while pinned; release before unpinning.</li>
 * <li>Read or change the {@link #page page}. After changing it (under the
 *     exclusive lock), call {@link #markDirty}, then write the WAL record and
 *     set the page's LSN to the record's end ({@link #setPageLsn}) before
 *     unlocking. Dirty before the record, as PostgreSQL orders it: a
 *     checkpoint that fixes its REDO pointer after the record must find the
 *     page dirty, or the change would be neither written nor replayed.</li>
 * <li>{@link #unlockContent}, then {@link #unpin}.</li>
 * </ol>
 * Methods that take a buffer id need the caller to hold a pin on it, except
 * where said otherwise; a call on an unpinned buffer throws
 * {@link IllegalStateException} where the pool can tell cheaply.
 *
 * <p>Failures of the store or the WAL reach the caller as
 * {@link modgres.api.error.PgException}s; the pool is consistent afterwards
 * and the caller holds no pin the failed call would have taken. When every
 * buffer is pinned, a pin that needs a new buffer fails with
 * {@code 53400 no unpinned buffers available}.
 */
@ProviderType
public interface BufferPool {

    /** PostgreSQL's {@code BLCKSZ}: the size of a page. */
    int BLOCK_SIZE = 8192;

    /** The highest usage count a buffer reaches (PostgreSQL's {@code BM_MAX_USAGE_COUNT}). */
    int MAX_USAGE_COUNT = 5;

    /** The number of buffers ({@code shared_buffers} in pages). */
    int buffers();

    /**
     * Pins a block, reading it through the {@link PageStore} if it is not in
     * the pool (or zero-filling it, see {@link ReadMode#ZERO_ON_MISS}), and
     * returns its buffer id. A hit allocates nothing and takes no global lock.
     *
     * @param strategy null for ordinary access, else a ring from {@link #strategy}
     */
    int pin(int tablespace, int database, int relfilenode, ForkNumber fork, int block, ReadMode mode,
            AccessStrategy strategy);

    /** {@link #pin(int, int, int, ForkNumber, int, ReadMode, AccessStrategy)} with the parts of a tag. */
    default int pin(BufferTag tag, ReadMode mode, AccessStrategy strategy) {
        return pin(tag.tablespace(), tag.database(), tag.relfilenode(), tag.fork(), tag.block(), mode, strategy);
    }

    /** Pins a block for ordinary access, reading it if needed. */
    default int pin(BufferTag tag) {
        return pin(tag, ReadMode.NORMAL, null);
    }

    /**
     * Adds a zeroed block at the end of the fork (through
     * {@link PageStore#extend}) and returns it pinned; {@link #blockNumber}
     * tells which block it is. The caller serialises extension of the fork
     * (the relation extension lock), initialises the page under an exclusive
     * content lock, logs it and marks it dirty.
     */
    int extend(RelFileNode rel, ForkNumber fork, AccessStrategy strategy);

    /** Takes one more pin on a buffer the caller has pinned already (no lookup). */
    void repin(int buffer);

    /** Releases one pin. */
    void unpin(int buffer);

    /**
     * The buffer's page: a view of its {@value #BLOCK_SIZE} bytes of off-heap
     * memory, little-endian. The same object is returned on every call and
     * shared by every thread, so use <em>absolute</em> gets and puts only and
     * never change its position, limit, mark or byte order; for relative
     * access take {@code duplicate().order(ByteOrder.LITTLE_ENDIAN)}
     * ({@code duplicate()} resets the order to big-endian).
     *
     * <p>Who may do what: with a pin and a shared content lock, read the page;
     * with a pin and an exclusive content lock, change it (then
     * {@link #markDirty}). The one exception is a hint (a bit that can be
     * recomputed, such as a tuple's committed hint): it may be set under a
     * shared lock, followed by {@link #markDirty}. Without a pin the bytes
     * may belong to another block at any moment; do not touch them.
     */
    ByteBuffer page(int buffer);

    /** Takes the buffer's content lock, waiting as long as needed. Not reentrant. */
    void lockContent(int buffer, boolean exclusive);

    /** Takes the content lock if it is free at once; false otherwise. */
    boolean tryLockContent(int buffer, boolean exclusive);

    /** Releases the content lock the caller holds (shared or exclusive). */
    void unlockContent(int buffer);

    /** {@link #unlockContent} then {@link #unpin}: the usual end of a page access. */
    default void unlockAndUnpin(int buffer) {
        unlockContent(buffer);
        unpin(buffer);
    }

    /**
     * Marks the page changed, so it is written before the buffer is reused
     * and at the next checkpoint. Needs a pin and the content lock: exclusive
     * for a real change, shared for a hint (see {@link #page}).
     */
    void markDirty(int buffer);

    /** The page's LSN ({@code pd_lsn}), see {@link #getPageLsn(ByteBuffer)}. Needs a pin and a content lock. */
    long pageLsn(int buffer);

    /** The block the pinned buffer holds. Allocates; not for hot paths. */
    BufferTag tag(int buffer);

    /** The block number the pinned buffer holds (PostgreSQL's {@code BufferGetBlockNumber}). */
    int blockNumber(int buffer);

    /** A new ring for one scan, sized as PostgreSQL sizes it (see {@link StrategyType}). */
    AccessStrategy strategy(StrategyType type);

    /**
     * The checkpointer's write: writes every buffer that is dirty when the
     * call starts and whose fork {@code filter} accepts, in file order
     * (tablespace, database, relfilenode, fork, block), each after flushing the
     * WAL to its LSN. Buffers dirtied during the call are left for the next.
     * Calls are serialised. Returns the number of pages written; counted as
     * {@code buffers_checkpoint}.
     */
    int flushAll(FlushFilter filter);

    /**
     * Makes durable (through {@link PageStore#fsync}) every relation fork the
     * pool has written since the previous call, whoever wrote it; the second
     * half of a checkpoint. Returns the number of forks synced. A failure is
     * thrown and must be treated as PANIC: after a failed fsync the kernel
     * may have dropped the dirty data, so retrying proves nothing.
     */
    int syncWrittenFiles();

    /**
     * One round of the background writer: scans buffers ahead of the clock
     * hand (continuing where the previous round stopped, unless the hand has
     * passed it) and writes the dirty ones that are unpinned and have usage
     * count 0, so that backends find clean buffers to reuse. The pool
     * estimates how many buffers the next {@code delayMillis} will need from
     * the recent allocation rate times {@code multiplier}
     * ({@code bgwriter_lru_multiplier}) and scans until that many reusable
     * buffers lie ahead of the hand, at most {@code maxPages}
     * ({@code bgwriter_lru_maxpages}) are written, or the scan is a whole pool
     * ahead; it also scans enough to cover the pool every two minutes. Writes
     * are counted as {@code buffers_clean}. For one bgwriter; calls are
     * serialised. {@code maxPages <= 0} writes nothing.
     */
    BgWriterRound writeAheadOfClock(int maxPages, double multiplier, int delayMillis);

    /**
     * Forgets every buffer of every fork of the relation, dirty or not, without
     * writing (the relation's files are being removed), and forgets pending
     * fsyncs of it. No one may have a buffer of it pinned except transiently
     * (the caller holds the relation's AccessExclusiveLock). Returns the
     * number of buffers dropped.
     */
    int dropRelation(RelFileNode rel);

    /**
     * Forgets the fork's buffers from block {@code firstBlock} on (unsigned),
     * without writing: the fork is being truncated to that length. Returns the
     * number of buffers dropped.
     */
    int dropRelationFork(RelFileNode rel, ForkNumber fork, int firstBlock);

    /** Forgets every buffer of the database (DROP DATABASE). Returns the number dropped. */
    int dropDatabase(int database);

    /** A snapshot of the cumulative counters. */
    BufferStats stats();

    /**
     * The calling thread's own block counters, {hits, reads}, which the pool
     * adds to at every pin made by this thread: a live array owned by the
     * thread, for per-relation statistics (pg_statio_*: a scan compares them
     * before and after its calls). The default counts nothing.
     */
    default long[] threadIoCounters() {
        return new long[2];
    }

    /**
     * Reads a page's LSN, PostgreSQL's {@code pd_lsn}: the first 8 bytes of the
     * page header, two unsigned 32-bit halves, the high one ({@code xlogid})
     * first, each little-endian. Independent of the buffer's byte order.
     */
    static long getPageLsn(ByteBuffer page) {
        long hi = Integer.toUnsignedLong((int) PageLsnAccess.INT.get(page, 0));
        long lo = Integer.toUnsignedLong((int) PageLsnAccess.INT.get(page, 4));
        return hi << 32 | lo;
    }

    /** Writes a page's LSN in the layout {@link #getPageLsn} reads. Needs the exclusive content lock. */
    static void setPageLsn(ByteBuffer page, long lsn) {
        PageLsnAccess.INT.set(page, 0, (int) (lsn >>> 32));
        PageLsnAccess.INT.set(page, 4, (int) lsn);
    }
}

/** Holder of the little-endian view that reads {@code pd_lsn} whatever a buffer's own byte order. */
final class PageLsnAccess {
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private PageLsnAccess() {
    }
}
