package modgres.shmem.buffer;

import static modgres.shmem.buffer.BufferState.CHECKPOINT_NEEDED;
import static modgres.shmem.buffer.BufferState.DIRTY;
import static modgres.shmem.buffer.BufferState.IO_ERROR;
import static modgres.shmem.buffer.BufferState.IO_IN_PROGRESS;
import static modgres.shmem.buffer.BufferState.IO_WAITERS;
import static modgres.shmem.buffer.BufferState.JUST_DIRTIED;
import static modgres.shmem.buffer.BufferState.LOCKED;
import static modgres.shmem.buffer.BufferState.REFCOUNT_MASK;
import static modgres.shmem.buffer.BufferState.TAG_VALID;
import static modgres.shmem.buffer.BufferState.USAGE_ONE;
import static modgres.shmem.buffer.BufferState.VALID;
import static modgres.shmem.buffer.BufferState.refcount;
import static modgres.shmem.buffer.BufferState.usage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.StampedLock;

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

/**
 * The shared buffer pool, without OSGi: construct it with the number of
 * buffers and a {@link PageStore}; {@link BufferPoolComponent} does that for
 * the server. See the bundle's README.md for the design; in short:
 *
 * <ul>
 * <li>pages: one off-heap region (chunks of at most 1 GiB), a little-endian
 *     slice per buffer;</li>
 * <li>descriptors: a {@code long} state word per buffer ({@link BufferState})
 *     changed by CAS, five {@code int}s of tag per buffer, a
 *     {@link StampedLock} per buffer as content lock;</li>
 * <li>lookup: {@link MappingTable}, 128 partitions;</li>
 * <li>replacement: a free list of never-used or dropped buffers, then the
 *     clock sweep; rings for {@link AccessStrategy}s.</li>
 * </ul>
 *
 * Lock order: partition locks (lower index first) before the header lock;
 * the header lock is innermost and held for a few instructions only. Content
 * locks and I/O are never taken while a partition or header lock is held.
 */
public final class SharedBufferPool implements BufferPool {

    /** Ints of tag per buffer: tablespace, database, relfilenode, fork, block. */
    static final int TAG_INTS = 5;
    /** PostgreSQL's SQLSTATE {@code configuration_limit_exceeded}. */
    static final String CONFIGURATION_LIMIT_EXCEEDED = "53400";
    /** PostgreSQL's SQLSTATE {@code program_limit_exceeded}. */
    static final String PROGRAM_LIMIT_EXCEEDED = "54000";

    private static final VarHandle STATE = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle COUNTER = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int CHUNK_PAGES = (1 << 30) / BLOCK_SIZE;
    private static final int MAX_BUFFERS = Integer.MAX_VALUE / TAG_INTS;
    private static final ByteBuffer ZERO_PAGE = ByteBuffer.allocateDirect(BLOCK_SIZE).asReadOnlyBuffer();
    private static final int IO_STRIPES = 1024;

    /** Result bits of {@link #cleanBuffer}. */
    static final int WRITTEN = 1;
    static final int REUSABLE = 2;

    private final int nbuffers;
    private final PageStore store;
    private final long[] states;
    private final int[] tags;
    private final ByteBuffer[] pages;
    private final StampedLock[] contentLocks;
    private final Object[] ioMonitors;
    private final MappingTable mapping;
    private final FreeList freeList;
    /** The clock hand, counted in ticks since the start: buffer {@code hand % nbuffers} is next. */
    private final AtomicLong hand = new AtomicLong();
    private final AtomicReference<WalFlusher> wal = new AtomicReference<>();
    /** Relation forks written since the last {@link #syncWrittenFiles()}. */
    private final ConcurrentHashMap<SyncKey, Boolean> pendingSyncs = new ConcurrentHashMap<>();

    /**
     * Hits, counted per buffer: a shared counter would be one more cache line
     * that every pin in the server writes; a hit already writes its buffer's
     * state word, and this array has the same layout.
     */
    private final long[] hitCounts;
    /** Hits of which the buffer is not known (another thread's read finished first). */
    private final LongAdder otherHits = new LongAdder();
    /** Each thread's {hits, reads} (pg_statio_*): plain increments on a thread-owned array. */
    private static final ThreadLocal<long[]> THREAD_IO = ThreadLocal.withInitial(() -> new long[2]);
    private final LongAdder reads = new LongAdder();
    private final LongAdder zeroFills = new LongAdder();
    private final LongAdder extensions = new LongAdder();
    private final LongAdder allocations = new LongAdder();
    private final LongAdder writesBackend = new LongAdder();
    private final LongAdder writesBgwriter = new LongAdder();
    private final LongAdder writesCheckpoint = new LongAdder();
    private final LongAdder maxWrittenClean = new LongAdder();
    private final LongAdder fsyncs = new LongAdder();

    private final Object checkpointLock = new Object();
    private final Object bgwriterLock = new Object();
    // Background writer state, guarded by bgwriterLock.
    private long bgCleanTick = -1;
    private long bgLastAllocations;
    private double bgSmoothedAllocations;
    private double bgReusableDensity = 0.1;

    /**
     * Allocates the pool: {@code nbuffers} pages of off-heap memory (the JVM's
     * {@code -XX:MaxDirectMemorySize} must allow it) and the descriptors.
     */
    public SharedBufferPool(int nbuffers, PageStore store) {
        if (nbuffers < 1 || nbuffers > MAX_BUFFERS) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                    nbuffers + " shared buffers is outside the valid range for parameter \"shared_buffers\" (1 .. "
                            + MAX_BUFFERS + ")");
        }
        this.nbuffers = nbuffers;
        this.store = Objects.requireNonNull(store, "store");
        this.states = new long[nbuffers];
        this.hitCounts = new long[nbuffers];
        this.tags = new int[nbuffers * TAG_INTS];
        this.pages = new ByteBuffer[nbuffers];
        this.contentLocks = new StampedLock[nbuffers];
        for (int chunkStart = 0; chunkStart < nbuffers; chunkStart += CHUNK_PAGES) {
            int count = Math.min(CHUNK_PAGES, nbuffers - chunkStart);
            ByteBuffer chunk;
            try {
                chunk = ByteBuffer.allocateDirect(count * BLOCK_SIZE);
            } catch (OutOfMemoryError e) {
                throw new PgException("53200", "could not map anonymous shared memory: out of memory",
                        "Failed allocating " + (long) nbuffers * BLOCK_SIZE + " bytes of shared buffers.",
                        "Reduce \"shared_buffers\" or raise the JVM's -XX:MaxDirectMemorySize.", e);
            }
            for (int i = 0; i < count; i++) {
                pages[chunkStart + i] = chunk.slice(i * BLOCK_SIZE, BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        for (int b = 0; b < nbuffers; b++) {
            contentLocks[b] = new StampedLock();
        }
        int stripes = Math.min(IO_STRIPES, Integer.highestOneBit(nbuffers));
        this.ioMonitors = new Object[stripes];
        for (int i = 0; i < stripes; i++) {
            ioMonitors[i] = new Object();
        }
        this.mapping = new MappingTable(nbuffers, tags);
        this.freeList = new FreeList(nbuffers);
    }

    /** Binds the WAL (or unbinds it with null). */
    public void setWalFlusher(WalFlusher flusher) {
        wal.set(flusher);
    }

    /** Unbinds {@code flusher} if it is the one bound (a later bind may have replaced it already). */
    public void unsetWalFlusher(WalFlusher flusher) {
        wal.compareAndSet(flusher, null);
    }

    @Override
    public int buffers() {
        return nbuffers;
    }

    // ------------------------------------------------------------------ pin

    @Override
    public int pin(int tablespace, int database, int relfilenode, ForkNumber fork, int block, ReadMode mode,
            AccessStrategy strategy) {
        Ring ring = ring(strategy);
        int f = fork.ordinal();
        int hash = MappingTable.hash(tablespace, database, relfilenode, f, block);
        MappingTable.Partition part = mapping.partition(hash);
        int b = part.lookupOptimistic(hash, tablespace, database, relfilenode, f, block);
        if (b >= 0 && pinIfTagValid(b, ring != null)) {
            // Pinned, so the tag can no longer change; check that it is still ours.
            if (MappingTable.tagEquals(tags, b, tablespace, database, relfilenode, f, block)) {
                return whenValid(b, mode);
            }
            unpinInternal(b);
        }
        return pinSlow(hash, part, tablespace, database, relfilenode, f, block, mode, ring);
    }

    private int pinSlow(int hash, MappingTable.Partition part, int tablespace, int database, int relfilenode,
            int fork, int block, ReadMode mode, Ring ring) {
        long stamp = part.lock.readLock();
        int b;
        try {
            b = part.lookup(hash, tablespace, database, relfilenode, fork, block);
            if (b >= 0) {
                pinMapped(b, ring != null);
            }
        } finally {
            part.lock.unlockRead(stamp);
        }
        if (b < 0) {
            b = allocate(hash, part, tablespace, database, relfilenode, fork, block, ring);
        }
        return whenValid(b, mode);
    }

    /** Returns the pinned buffer once its page is valid, reading or zeroing it if nobody else does. */
    private int whenValid(int b, ReadMode mode) {
        if (((long) STATE.getVolatile(states, b) & VALID) != 0) {
            COUNTER.getAndAdd(hitCounts, b, 1L);
            THREAD_IO.get()[0]++;
            return b;
        }
        if (!startIo(b, true)) {
            otherHits.increment(); // another thread read it while we waited
            THREAD_IO.get()[0]++;
            return b;
        }
        try {
            if (mode == ReadMode.ZERO_ON_MISS) {
                pages[b].put(0, ZERO_PAGE, 0, BLOCK_SIZE);
                zeroFills.increment();
                THREAD_IO.get()[1]++; // PostgreSQL counts a new block as fetched, not hit
            } else {
                store.read(tagOf(b), ioView(b));
                reads.increment();
                THREAD_IO.get()[1]++;
            }
        } catch (RuntimeException | Error e) {
            terminateIo(b, false, IO_ERROR);
            unpinInternal(b);
            throw e;
        }
        terminateIo(b, false, VALID);
        return b;
    }

    /**
     * Pins b if it has a valid tag, raising its usage count (to 1 at most
     * for a ring's access, else by one up to 5). Returns false without a pin
     * when the tag is not valid.
     */
    private boolean pinIfTagValid(int b, boolean ring) {
        for (;;) {
            long s = (long) STATE.getVolatile(states, b);
            if ((s & LOCKED) != 0) {
                Thread.onSpinWait();
                continue;
            }
            if ((s & TAG_VALID) == 0) {
                return false;
            }
            if ((s & REFCOUNT_MASK) == REFCOUNT_MASK) {
                throw new PgException(SqlState.INTERNAL_ERROR, "too many pins on buffer " + b);
            }
            long n = s + 1;
            int usage = usage(s);
            if (ring ? usage == 0 : usage < MAX_USAGE_COUNT) {
                n += USAGE_ONE;
            }
            if (STATE.compareAndSet(states, b, s, n)) {
                return true;
            }
        }
    }

    /** Pins a buffer found in the mapping table under its partition lock, where its tag is valid. */
    private void pinMapped(int b, boolean ring) {
        if (!pinIfTagValid(b, ring)) {
            throw new IllegalStateException("buffer " + b + " is mapped but its tag is not valid");
        }
    }

    /**
     * Finds a buffer for a block that is not in the pool: takes a victim,
     * writes it if dirty, and retags it under the partition locks of its old
     * and new block. Returns the buffer pinned, not yet valid, or another
     * thread's buffer for the same block if that one won the race.
     */
    private int allocate(int hash, MappingTable.Partition part, int tablespace, int database, int relfilenode,
            int fork, int block, Ring ring) {
        for (;;) {
            int v = victim(ring);
            long s = (long) STATE.getVolatile(states, v);
            // The victim's header is locked, it is unpinned: pin it and unlock in one store.
            STATE.setRelease(states, v, (s & ~LOCKED) + 1);
            s = (s & ~LOCKED) + 1;

            if ((s & DIRTY) != 0) {
                boolean written;
                try {
                    written = writeVictim(v, ring);
                } catch (RuntimeException | Error e) {
                    unpinInternal(v);
                    throw e;
                }
                if (!written) {
                    unpinInternal(v);
                    continue;
                }
            }

            boolean hadTag = (s & TAG_VALID) != 0;
            int oldHash = hadTag ? hashOf(v) : 0;
            MappingTable.Partition oldPart = hadTag ? mapping.partition(oldHash) : null;
            MappingTable.Partition first = part;
            MappingTable.Partition second = null;
            if (oldPart != null && oldPart != part) {
                first = oldPart.index < part.index ? oldPart : part;
                second = oldPart.index < part.index ? part : oldPart;
            }
            long stamp1 = first.lock.writeLock();
            long stamp2 = second == null ? 0L : second.lock.writeLock();
            boolean retagged = false;
            int existing = -1;
            try {
                existing = part.lookup(hash, tablespace, database, relfilenode, fork, block);
                if (existing >= 0) {
                    pinMapped(existing, ring != null);
                } else {
                    long h = lockHeader(v);
                    if (refcount(h) != 1 || (h & DIRTY) != 0) {
                        // Pinned or dirtied by someone else meanwhile: give it up.
                        unlockHeader(v, h);
                    } else {
                        if (hadTag) {
                            oldPart.remove(oldHash, v);
                        }
                        int t = v * TAG_INTS;
                        tags[t] = tablespace;
                        tags[t + 1] = database;
                        tags[t + 2] = relfilenode;
                        tags[t + 3] = fork;
                        tags[t + 4] = block;
                        part.insert(hash, v);
                        // Keep our pin, forget everything else; a new page starts with usage 1.
                        unlockHeader(v, (h & REFCOUNT_MASK) | TAG_VALID | USAGE_ONE);
                        retagged = true;
                    }
                }
            } finally {
                if (second != null) {
                    second.lock.unlockWrite(stamp2);
                }
                first.lock.unlockWrite(stamp1);
            }
            if (existing >= 0) {
                unpinInternal(v);
                return existing;
            }
            if (retagged) {
                return v;
            }
            unpinInternal(v);
        }
    }

    /**
     * Writes a dirty victim under a shared content lock. False when it cannot
     * be written now: someone (maybe the caller itself) holds the content lock
     * exclusively, or a ring rejects it. The caller keeps its pin either way.
     */
    private boolean writeVictim(int v, Ring ring) {
        StampedLock content = contentLocks[v];
        long stamp = content.tryReadLock();
        if (stamp == 0L) {
            return false;
        }
        try {
            if (ring != null && rejectForRing(ring, v)) {
                return false;
            }
            flushBuffer(v, writesBackend);
            return true;
        } finally {
            content.unlockRead(stamp);
        }
    }

    /**
     * A BULKREAD ring does not write a dirty buffer it got from its own ring
     * if that would first flush WAL: it drops the buffer from the ring and
     * takes another from the clock. True when rejected.
     */
    private boolean rejectForRing(Ring ring, int v) {
        if (ring.type != StrategyType.BULKREAD || !ring.fromRing) {
            return false;
        }
        long lsn = BufferPool.getPageLsn(pages[v]);
        WalFlusher w = wal.get();
        boolean needsFlush = w == null ? lsn != 0L : w.needsFlush(lsn);
        if (!needsFlush) {
            return false;
        }
        ring.slots[ring.current] = -1;
        ring.fromRing = false;
        return true;
    }

    /** A victim buffer: unpinned, header locked. From the ring, the free list or the clock. */
    private int victim(Ring ring) {
        if (ring != null) {
            int b = ring.advance();
            if (b >= 0 && lockHeaderIfReusable(b, 1) != -1L) {
                ring.fromRing = true;
                return b;
            }
            ring.fromRing = false;
        }
        allocations.increment();
        int b;
        while ((b = freeList.pop()) >= 0) {
            if (lockHeaderIfReusable(b, 0) != -1L) {
                break;
            }
        }
        if (b < 0) {
            b = clockSweep();
        }
        if (ring != null) {
            ring.slots[ring.current] = b;
        }
        return b;
    }

    /**
     * The clock sweep: advances the hand, lowering the usage count of each
     * unpinned buffer it passes, until it finds an unpinned buffer with usage
     * count 0. Fails when it has passed every buffer pinned without lowering
     * any count.
     */
    private int clockSweep() {
        int tries = nbuffers;
        for (;;) {
            int b = (int) (hand.getAndIncrement() % nbuffers);
            long s = (long) STATE.getVolatile(states, b);
            if (refcount(s) == 0) {
                if (usage(s) > 0) {
                    if ((s & LOCKED) == 0 && STATE.compareAndSet(states, b, s, s - USAGE_ONE)) {
                        tries = nbuffers;
                    }
                } else if (lockHeaderIfReusable(b, 0) != -1L) {
                    return b;
                }
            } else if (--tries == 0) {
                throw new PgException(CONFIGURATION_LIMIT_EXCEEDED, "no unpinned buffers available");
            }
        }
    }

    @Override
    public int extend(RelFileNode rel, ForkNumber fork, AccessStrategy strategy) {
        int block = store.nblocks(rel, fork);
        if (block == BufferTag.INVALID_BLOCK) {
            throw new PgException(PROGRAM_LIMIT_EXCEEDED, "cannot extend relation " + rel + " beyond "
                    + Integer.toUnsignedString(BufferTag.INVALID_BLOCK) + " blocks");
        }
        int b = pin(rel.tablespace(), rel.database(), rel.relfilenode(), fork, block, ReadMode.ZERO_ON_MISS,
                strategy);
        try {
            ByteBuffer page = pages[b];
            for (int i = 0; i < BLOCK_SIZE; i += 8) {
                if (page.getLong(i) != 0L) {
                    throw new PgException(SqlState.INTERNAL_ERROR, "unexpected data beyond EOF in block "
                            + Integer.toUnsignedString(block) + " of relation " + rel, null,
                            "This has been seen to occur with buggy kernels; consider updating your system.");
                }
            }
            store.extend(BufferTag.of(rel, fork, block), ZERO_PAGE.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        } catch (RuntimeException | Error e) {
            unpinInternal(b);
            throw e;
        }
        extensions.increment();
        return b;
    }

    @Override
    public void repin(int buffer) {
        Objects.checkIndex(buffer, nbuffers);
        for (;;) {
            long s = (long) STATE.getVolatile(states, buffer);
            if ((s & LOCKED) != 0) {
                Thread.onSpinWait();
                continue;
            }
            if (refcount(s) == 0) {
                throw notPinned(buffer);
            }
            if (STATE.compareAndSet(states, buffer, s, s + 1)) {
                return;
            }
        }
    }

    @Override
    public void unpin(int buffer) {
        Objects.checkIndex(buffer, nbuffers);
        unpinInternal(buffer);
    }

    private void unpinInternal(int b) {
        for (;;) {
            long s = (long) STATE.getVolatile(states, b);
            if ((s & LOCKED) != 0) {
                Thread.onSpinWait();
                continue;
            }
            if (refcount(s) == 0) {
                throw notPinned(b);
            }
            if (STATE.compareAndSet(states, b, s, s - 1)) {
                return;
            }
        }
    }

    // ------------------------------------------------------------------ page and content lock

    @Override
    public ByteBuffer page(int buffer) {
        return pages[buffer];
    }

    @Override
    public void lockContent(int buffer, boolean exclusive) {
        checkPinned(buffer);
        StampedLock lock = contentLocks[buffer];
        if (exclusive) {
            lock.writeLock();
        } else {
            lock.readLock();
        }
    }

    @Override
    public boolean tryLockContent(int buffer, boolean exclusive) {
        checkPinned(buffer);
        StampedLock lock = contentLocks[buffer];
        return (exclusive ? lock.tryWriteLock() : lock.tryReadLock()) != 0L;
    }

    @Override
    public void unlockContent(int buffer) {
        StampedLock lock = contentLocks[buffer];
        // A write-locked lock has no readers, so the caller must be its writer.
        if (lock.isWriteLocked()) {
            lock.tryUnlockWrite();
        } else if (!lock.tryUnlockRead()) {
            throw new IllegalStateException("content lock of buffer " + buffer + " is not held");
        }
    }

    @Override
    public void markDirty(int buffer) {
        checkPinned(buffer);
        StampedLock lock = contentLocks[buffer];
        if (!lock.isWriteLocked() && !lock.isReadLocked()) {
            throw new IllegalStateException("buffer " + buffer + " is marked dirty without its content lock");
        }
        for (;;) {
            long s = (long) STATE.getVolatile(states, buffer);
            if ((s & (DIRTY | JUST_DIRTIED)) == (DIRTY | JUST_DIRTIED)) {
                return;
            }
            if ((s & LOCKED) != 0) {
                Thread.onSpinWait();
                continue;
            }
            if (STATE.compareAndSet(states, buffer, s, s | DIRTY | JUST_DIRTIED)) {
                return;
            }
        }
    }

    @Override
    public long pageLsn(int buffer) {
        checkPinned(buffer);
        return BufferPool.getPageLsn(pages[buffer]);
    }

    @Override
    public BufferTag tag(int buffer) {
        Objects.checkIndex(buffer, nbuffers);
        long s = lockHeader(buffer);
        try {
            return (s & TAG_VALID) == 0 ? null : tagOf(buffer);
        } finally {
            unlockHeader(buffer, s);
        }
    }

    @Override
    public int blockNumber(int buffer) {
        return tags[buffer * TAG_INTS + 4];
    }

    @Override
    public AccessStrategy strategy(StrategyType type) {
        int size = Math.max(1, Math.min(type.ringBytes() / BLOCK_SIZE, nbuffers / 8));
        return new Ring(this, type, size);
    }

    private Ring ring(AccessStrategy strategy) {
        if (strategy == null) {
            return null;
        }
        if (strategy instanceof Ring r && r.pool == this) {
            return r;
        }
        throw new IllegalArgumentException("access strategy " + strategy + " does not belong to this buffer pool");
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes a dirty buffer: WAL first, then the page. The caller holds a pin
     * and the content lock (shared is enough). Returns false when the buffer
     * turned out clean (someone else wrote it meanwhile).
     */
    private boolean flushBuffer(int b, LongAdder counter) {
        if (!startIo(b, false)) {
            return false;
        }
        BufferTag tag = tagOf(b);
        try {
            long lsn = BufferPool.getPageLsn(pages[b]);
            WalFlusher w = wal.get();
            if (w != null) {
                w.flush(lsn);
            } else if (lsn != 0L) {
                throw new PgException(SqlState.INTERNAL_ERROR, "cannot write block "
                        + Integer.toUnsignedString(tag.block()) + " of relation " + tag.rel() + " fork "
                        + tag.fork().forkName() + ": no WAL is available to flush up to " + formatLsn(lsn));
            }
            store.write(tag, ioView(b));
        } catch (RuntimeException | Error e) {
            terminateIo(b, false, IO_ERROR);
            throw e;
        }
        pendingSyncs.putIfAbsent(new SyncKey(tag.rel(), tag.fork()), Boolean.TRUE);
        terminateIo(b, true, 0L);
        counter.increment();
        return true;
    }

    @Override
    public int flushAll(FlushFilter filter) {
        Objects.requireNonNull(filter, "filter");
        synchronized (checkpointLock) {
            // 1. Mark what is dirty now; only that must be written.
            List<Pending> pending = new ArrayList<>();
            for (int b = 0; b < nbuffers; b++) {
                long s = (long) STATE.getVolatile(states, b);
                if ((s & (DIRTY | TAG_VALID)) != (DIRTY | TAG_VALID)) {
                    continue;
                }
                int t = b * TAG_INTS;
                int spc = tags[t];
                int db = tags[t + 1];
                int rel = tags[t + 2];
                int fork = tags[t + 3];
                int block = tags[t + 4];
                if (fork < 0 || fork > 3 || !filter.test(spc, db, rel, ForkNumber.of(fork))) {
                    continue; // not ours, or read while being retagged (then it was clean)
                }
                long h = lockHeader(b);
                if ((h & (DIRTY | TAG_VALID)) == (DIRTY | TAG_VALID)
                        && MappingTable.tagEquals(tags, b, spc, db, rel, fork, block)) {
                    unlockHeader(b, h | CHECKPOINT_NEEDED);
                    pending.add(new Pending(spc, db, rel, fork, block, b));
                } else {
                    unlockHeader(b, h);
                }
            }
            // 2. Write in file order, so the store sees sequential writes.
            pending.sort(Pending.FILE_ORDER);
            int written = 0;
            for (Pending p : pending) {
                long h = lockHeader(p.buffer);
                if ((h & CHECKPOINT_NEEDED) == 0
                        || !MappingTable.tagEquals(tags, p.buffer, p.spc, p.db, p.rel, p.fork, p.block)) {
                    unlockHeader(p.buffer, h); // written (and maybe evicted) by someone else meanwhile
                    continue;
                }
                unlockHeader(p.buffer, h + 1);
                if (writePinned(p.buffer, writesCheckpoint)) {
                    written++;
                }
            }
            return written;
        }
    }

    /** Writes a buffer the caller pinned: takes the shared content lock, writes if dirty, unpins. */
    private boolean writePinned(int b, LongAdder counter) {
        StampedLock content = contentLocks[b];
        long stamp = content.readLock();
        try {
            return flushBuffer(b, counter);
        } finally {
            content.unlockRead(stamp);
            unpinInternal(b);
        }
    }

    @Override
    public int syncWrittenFiles() {
        int n = 0;
        for (SyncKey key : pendingSyncs.keySet()) {
            // Remove before syncing: a write that adds the key again afterwards is synced next time.
            if (pendingSyncs.remove(key) != null) {
                store.fsync(key.rel, key.fork);
                fsyncs.increment();
                n++;
            }
        }
        return n;
    }

    @Override
    public BgWriterRound writeAheadOfClock(int maxPages, double multiplier, int delayMillis) {
        synchronized (bgwriterLock) {
            long allocs = allocations.sum();
            long recent = allocs - bgLastAllocations;
            bgLastAllocations = allocs;
            if (maxPages <= 0) {
                bgCleanTick = -1;
                return new BgWriterRound(recent, 0, 0, 0, false, true);
            }
            long handTick = hand.get();
            if (bgCleanTick < handTick) {
                bgCleanTick = handTick; // first round, or the hand has passed the scan: restart at the hand
            }
            long ahead = bgCleanTick - handTick;
            // The allocation estimate follows a rise at once and a fall slowly.
            if (recent > bgSmoothedAllocations) {
                bgSmoothedAllocations = recent;
            } else {
                bgSmoothedAllocations += (recent - bgSmoothedAllocations) / 16.0;
            }
            double upcoming = bgSmoothedAllocations * multiplier;
            // Whatever the load, cover the whole pool about every two minutes.
            long minScan = (long) Math.ceil((double) nbuffers * Math.max(1, delayMillis) / 120_000.0);
            double reusableAhead = ahead * bgReusableDensity;
            long budget = nbuffers - ahead;
            int scanned = 0;
            int written = 0;
            int reusable = 0;
            boolean hitMax = false;
            while (budget > 0 && (reusableAhead + reusable < upcoming || scanned < minScan)) {
                int b = (int) (bgCleanTick % nbuffers);
                bgCleanTick++;
                budget--;
                scanned++;
                int r = cleanBuffer(b);
                if ((r & REUSABLE) != 0) {
                    reusable++;
                }
                if ((r & WRITTEN) != 0 && ++written >= maxPages) {
                    hitMax = true;
                    maxWrittenClean.increment();
                    break;
                }
            }
            if (scanned > 0) {
                bgReusableDensity += ((double) reusable / scanned - bgReusableDensity) / 16.0;
            }
            boolean canHibernate = recent == 0 && bgCleanTick - handTick >= nbuffers;
            return new BgWriterRound(recent, scanned, written, reusable, hitMax, canHibernate);
        }
    }

    /**
     * The background writer's look at one buffer: if it is unpinned with
     * usage count 0 (the clock would take it now), write it when dirty.
     * Returns {@link #WRITTEN} and {@link #REUSABLE} bits.
     */
    int cleanBuffer(int b) {
        long s = lockHeader(b);
        if (refcount(s) != 0 || usage(s) != 0) {
            unlockHeader(b, s);
            return 0;
        }
        if ((s & (VALID | DIRTY)) != (VALID | DIRTY)) {
            unlockHeader(b, s);
            return REUSABLE;
        }
        unlockHeader(b, s + 1);
        return writePinned(b, writesBgwriter) ? WRITTEN | REUSABLE : REUSABLE;
    }

    // ------------------------------------------------------------------ dropping

    @Override
    public int dropRelation(RelFileNode rel) {
        int spc = rel.tablespace();
        int db = rel.database();
        int node = rel.relfilenode();
        int n = dropMatching((s, d, r, f, b) -> s == spc && d == db && r == node);
        pendingSyncs.keySet().removeIf(k -> k.rel.equals(rel));
        return n;
    }

    @Override
    public int dropRelationFork(RelFileNode rel, ForkNumber fork, int firstBlock) {
        int spc = rel.tablespace();
        int db = rel.database();
        int node = rel.relfilenode();
        int fk = fork.ordinal();
        return dropMatching((s, d, r, f, b) -> s == spc && d == db && r == node && f == fk
                && Integer.compareUnsigned(b, firstBlock) >= 0);
    }

    @Override
    public int dropDatabase(int database) {
        int n = dropMatching((s, d, r, f, b) -> d == database);
        pendingSyncs.keySet().removeIf(k -> k.rel.database() == database);
        return n;
    }

    /** Which buffers a drop concerns. */
    @FunctionalInterface
    private interface TagPredicate {
        boolean test(int tablespace, int database, int relfilenode, int fork, int block);
    }

    private int dropMatching(TagPredicate p) {
        int dropped = 0;
        for (int b = 0; b < nbuffers; b++) {
            long s = (long) STATE.getVolatile(states, b);
            if ((s & TAG_VALID) == 0 || !matches(p, b)) {
                continue; // an unlocked look; invalidate() checks again under the locks
            }
            if (invalidate(b, p)) {
                dropped++;
            }
        }
        return dropped;
    }

    private boolean matches(TagPredicate p, int b) {
        int t = b * TAG_INTS;
        return p.test(tags[t], tags[t + 1], tags[t + 2], tags[t + 3], tags[t + 4]);
    }

    /** Forgets the buffer if it still matches, waiting for transient pins to go. */
    private boolean invalidate(int b, TagPredicate p) {
        for (;;) {
            long s = lockHeader(b);
            if ((s & TAG_VALID) == 0 || !matches(p, b)) {
                unlockHeader(b, s);
                return false;
            }
            int t = b * TAG_INTS;
            int spc = tags[t];
            int db = tags[t + 1];
            int rel = tags[t + 2];
            int fork = tags[t + 3];
            int block = tags[t + 4];
            int hash = MappingTable.hash(spc, db, rel, fork, block);
            unlockHeader(b, s);

            MappingTable.Partition part = mapping.partition(hash);
            long stamp = part.lock.writeLock();
            try {
                s = lockHeader(b);
                if ((s & TAG_VALID) == 0 || !MappingTable.tagEquals(tags, b, spc, db, rel, fork, block)) {
                    unlockHeader(b, s);
                    continue; // retagged meanwhile: look again
                }
                if (refcount(s) == 0) {
                    part.remove(hash, b);
                    unlockHeader(b, 0L);
                    freeList.push(b);
                    return true;
                }
                unlockHeader(b, s);
            } finally {
                part.lock.unlockWrite(stamp);
            }
            // Pinned, e.g. by the checkpointer writing it: wait for its I/O or let it finish.
            if ((s & IO_IN_PROGRESS) != 0) {
                waitIo(b);
            } else {
                LockSupport.parkNanos(50_000L);
            }
        }
    }

    // ------------------------------------------------------------------ statistics

    @Override
    public long[] threadIoCounters() {
        return THREAD_IO.get();
    }

    @Override
    public BufferStats stats() {
        long hits = otherHits.sum();
        for (int b = 0; b < nbuffers; b++) {
            hits += (long) COUNTER.getOpaque(hitCounts, b);
        }
        return new BufferStats(hits, reads.sum(), zeroFills.sum(), extensions.sum(), allocations.sum(),
                writesBackend.sum(), writesBgwriter.sum(), writesCheckpoint.sum(), maxWrittenClean.sum(),
                fsyncs.sum());
    }

    // ------------------------------------------------------------------ header lock and I/O

    /** Spins until the header lock is taken; returns the state with LOCKED set. */
    private long lockHeader(int b) {
        for (;;) {
            long s = (long) STATE.getVolatile(states, b);
            if ((s & LOCKED) == 0 && STATE.compareAndSet(states, b, s, s | LOCKED)) {
                return s | LOCKED;
            }
            Thread.onSpinWait();
        }
    }

    /** Releases the header lock, storing {@code state} (whose LOCKED bit is ignored). */
    private void unlockHeader(int b, long state) {
        STATE.setRelease(states, b, state & ~LOCKED);
    }

    /**
     * Locks the header if the buffer is unpinned with a usage count of at
     * most {@code maxUsage}; returns the locked state, or -1 (not locked).
     */
    private long lockHeaderIfReusable(int b, int maxUsage) {
        for (;;) {
            long s = (long) STATE.getVolatile(states, b);
            if ((s & LOCKED) != 0) {
                Thread.onSpinWait();
                continue;
            }
            if (refcount(s) != 0 || usage(s) > maxUsage) {
                return -1L;
            }
            if (STATE.compareAndSet(states, b, s, s | LOCKED)) {
                return s | LOCKED;
            }
        }
    }

    /** Returns the state once the header is unlocked. */
    private long unlockedState(int b) {
        for (;;) {
            long s = (long) STATE.getVolatile(states, b);
            if ((s & LOCKED) == 0) {
                return s;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Claims the buffer's I/O. For input: false when the page is (or became,
     * while we waited for another's read) valid. For output: false when the
     * page is (or became) clean; on success JUST_DIRTIED is cleared, so a
     * change during the write keeps the buffer dirty.
     */
    private boolean startIo(int b, boolean forInput) {
        for (;;) {
            long s = unlockedState(b);
            if ((s & IO_IN_PROGRESS) != 0) {
                waitIo(b);
                continue;
            }
            if (forInput ? (s & VALID) != 0 : (s & DIRTY) == 0) {
                return false;
            }
            long n = s | IO_IN_PROGRESS;
            if (!forInput) {
                n &= ~JUST_DIRTIED;
            }
            if (STATE.compareAndSet(states, b, s, n)) {
                return true;
            }
        }
    }

    /** Ends the buffer's I/O, setting {@code flags}, and wakes whoever waits for it. */
    private void terminateIo(int b, boolean clearDirty, long flags) {
        for (;;) {
            long s = unlockedState(b);
            long n = s & ~(IO_IN_PROGRESS | IO_WAITERS | IO_ERROR);
            if (clearDirty && (s & JUST_DIRTIED) == 0) {
                n &= ~(DIRTY | CHECKPOINT_NEEDED);
            }
            n |= flags;
            if (STATE.compareAndSet(states, b, s, n)) {
                if ((s & IO_WAITERS) != 0) {
                    Object monitor = ioMonitors[b & (ioMonitors.length - 1)];
                    synchronized (monitor) {
                        monitor.notifyAll();
                    }
                }
                return;
            }
        }
    }

    /** Sleeps until the buffer's I/O ends (not interruptible; the interrupt is kept). */
    private void waitIo(int b) {
        Object monitor = ioMonitors[b & (ioMonitors.length - 1)];
        boolean interrupted = false;
        synchronized (monitor) {
            for (;;) {
                long s = (long) STATE.getVolatile(states, b);
                if ((s & IO_IN_PROGRESS) == 0) {
                    break;
                }
                if ((s & LOCKED) != 0) {
                    Thread.onSpinWait();
                    continue;
                }
                if ((s & IO_WAITERS) == 0 && !STATE.compareAndSet(states, b, s, s | IO_WAITERS)) {
                    continue;
                }
                // The ender takes this monitor before notifying, which it cannot do before we wait.
                try {
                    monitor.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ helpers

    private void checkPinned(int b) {
        if (refcount((long) STATE.getVolatile(states, b)) == 0) {
            throw notPinned(b);
        }
    }

    private static IllegalStateException notPinned(int b) {
        return new IllegalStateException("buffer " + b + " is not pinned");
    }

    private int hashOf(int b) {
        int t = b * TAG_INTS;
        return MappingTable.hash(tags[t], tags[t + 1], tags[t + 2], tags[t + 3], tags[t + 4]);
    }

    private BufferTag tagOf(int b) {
        int t = b * TAG_INTS;
        return new BufferTag(tags[t], tags[t + 1], tags[t + 2], ForkNumber.of(tags[t + 3]), tags[t + 4]);
    }

    /** A private view of the page for the store, positioned at 0 with 8192 bytes remaining. */
    private ByteBuffer ioView(int b) {
        return pages[b].duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
    }

    static String formatLsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    // For tests and diagnostics.

    long state(int b) {
        return (long) STATE.getVolatile(states, b);
    }

    int usageCount(int b) {
        return usage(state(b));
    }

    int refCount(int b) {
        return refcount(state(b));
    }

    boolean isDirty(int b) {
        return (state(b) & DIRTY) != 0;
    }

    /** The buffer holding the block, or -1; takes the partition's read lock, pins nothing. */
    int lookup(BufferTag tag) {
        int f = tag.fork().ordinal();
        int hash = MappingTable.hash(tag.tablespace(), tag.database(), tag.relfilenode(), f, tag.block());
        MappingTable.Partition part = mapping.partition(hash);
        long stamp = part.lock.readLock();
        try {
            return part.lookup(hash, tag.tablespace(), tag.database(), tag.relfilenode(), f, tag.block());
        } finally {
            part.lock.unlockRead(stamp);
        }
    }

    // ------------------------------------------------------------------ small types

    /** A relation fork awaiting fsync. */
    private record SyncKey(RelFileNode rel, ForkNumber fork) {
    }

    /** A buffer the running checkpoint must write, with the tag it had when marked. */
    private record Pending(int spc, int db, int rel, int fork, int block, int buffer) {
        static final Comparator<Pending> FILE_ORDER = (a, b) -> {
            int c = Integer.compareUnsigned(a.spc, b.spc);
            if (c == 0) {
                c = Integer.compareUnsigned(a.db, b.db);
            }
            if (c == 0) {
                c = Integer.compareUnsigned(a.rel, b.rel);
            }
            if (c == 0) {
                c = Integer.compare(a.fork, b.fork);
            }
            if (c == 0) {
                c = Integer.compareUnsigned(a.block, b.block);
            }
            return c;
        };
    }

    /**
     * Buffers that hold nothing: all of them at the start, and those a drop
     * forgot. The clock may take a listed buffer too, so a popped one is
     * checked before use. Guarded by its own monitor; checked without it first.
     */
    private static final class FreeList {
        private static final int NOT_LISTED = -2;
        private final int[] next;
        private volatile int head;

        FreeList(int n) {
            next = new int[n];
            for (int i = 0; i < n; i++) {
                next[i] = i + 1 < n ? i + 1 : -1;
            }
            head = 0;
        }

        int pop() {
            if (head < 0) {
                return -1;
            }
            synchronized (this) {
                int b = head;
                if (b >= 0) {
                    head = next[b];
                    next[b] = NOT_LISTED;
                }
                return b;
            }
        }

        synchronized void push(int b) {
            if (next[b] == NOT_LISTED) {
                next[b] = head;
                head = b;
            }
        }
    }
}
