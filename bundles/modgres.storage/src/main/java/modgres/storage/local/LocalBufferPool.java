package modgres.storage.local;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

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
import modgres.api.error.PgException;
import modgres.api.error.SqlState;

/*
 * Design notes: one backend's local buffer pool (PostgreSQL's localbuf.c),
 * for the pages of that backend's temporary relations.
 *
 * Why a separate pool: a temporary relation is seen by one backend only, so
 * its pages need no sharing, no locks, no WAL and no durability. Keeping them
 * out of shared_buffers also keeps a big temporary table from pushing the
 * server's hot pages out. The heap, the B-tree and the free space map run on
 * this pool unchanged: it implements the same BufferPool contract.
 *
 * Ownership: one backend thread uses the pool; nothing here is thread-safe
 * and nothing needs to be (PostgreSQL's local buffers are process memory).
 * Content "locks" are bookkeeping only: they cannot wait (only the owner
 * could hold them), so a conflicting request is a bug and throws
 * IllegalStateException, and tryLockContent answers false.
 *
 * Size: temp_buffers pages, read when the first page is needed and fixed
 * from then on (PostgreSQL's NLocBuffer; the session refuses to change
 * temp_buffers afterwards). Page memory is allocated as buffers are first
 * used, so a session that touches one small temporary table uses a few
 * pages, not temp_buffers.
 *
 * Buffer life:
 *
 *   never used ──first need──▶ valid, pinned ──unpin──▶ valid, unpinned ──victim──▶ written if dirty, reused
 *                                  ▲  │ markDirty            │ pin (hit)
 *                                  │  ▼                      │
 *                                  └── dirty ◀───────────────┘
 *   dropRelation / dropRelationFork / close: any unpinned state ──▶ free, without writing
 *
 * Replacement: buffers never used are handed out first; then a clock sweep
 * over the unpinned ones, each pass taking one off a buffer's usage count
 * (raised on each pin, at most MAX_USAGE_COUNT), as PostgreSQL's
 * LocalBufferAlloc. A dirty victim is written to the relation's own file
 * through the PageStore (the backend's store of temporary relations, which
 * names it t<backend>_<relfilenode> and sets the checksum); no WAL flush
 * comes first, as there is no WAL. When every buffer is pinned the pin fails
 * with PostgreSQL's 53400 "no empty local buffer available".
 *
 * Nothing here is ever fsynced: after a crash temporary relations are
 * removed, not recovered. Checkpoints and the background writer never see
 * this pool.
 */
/** One backend's buffer pool for its temporary relations; see the design notes. */
public final class LocalBufferPool implements BufferPool {
    private static final int FREE = -1;

    private final PageStore store;
    private final IntSupplier size;
    private final Supplier<long[]> threadIo;

    /** temp_buffers as read at the first use; 0 before. */
    private int nbuffers;
    private BufferTag[] tags;
    private ByteBuffer[] pages;
    private int[] pins;
    private byte[] usage;
    private boolean[] dirty;
    /** 0 unlocked, n > 0 shared n times, -1 exclusive. */
    private int[] locks;
    private final HashMap<BufferTag, Integer> mapping = new HashMap<>();
    /** Buffers below this have been used at least once (PostgreSQL's nextFreeLocalBuf before the sweep). */
    private int used;
    private int hand;
    private boolean closed;

    private long hits;
    private long reads;
    private long zeroFills;
    private long extensions;
    private long allocations;
    private long writes;

    /**
     * @param store    reads and writes the pages (the backend's store of temporary relations)
     * @param size     {@code temp_buffers} in pages, asked once at the first use
     * @param threadIo the calling thread's {hits, reads} counters (pg_statio_*), or null
     */
    public LocalBufferPool(PageStore store, IntSupplier size, Supplier<long[]> threadIo) {
        this.store = Objects.requireNonNull(store, "store");
        this.size = Objects.requireNonNull(size, "size");
        this.threadIo = threadIo;
    }

    private void ensureInitialised() {
        if (nbuffers > 0) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("local buffer pool closed");
        }
        int n = size.getAsInt();
        if (n < 1) {
            throw new IllegalArgumentException("temp_buffers " + n);
        }
        tags = new BufferTag[n];
        pages = new ByteBuffer[n];
        pins = new int[n];
        usage = new byte[n];
        dirty = new boolean[n];
        locks = new int[n];
        nbuffers = n;
    }

    /** temp_buffers as fixed at the first use, 0 before (PostgreSQL's NLocBuffer). */
    @Override
    public int buffers() {
        return nbuffers;
    }

    /** The number of buffers that hold a page now. */
    public int buffersInUse() {
        return mapping.size();
    }

    /** True when the buffer holds a changed page not yet written (tests). */
    boolean isDirty(int buffer) {
        return dirty[buffer];
    }

    // ------------------------------------------------------------------ pin, read, evict

    @Override
    public int pin(int tablespace, int database, int relfilenode, ForkNumber fork, int block, ReadMode mode,
            AccessStrategy strategy) {
        ensureInitialised();
        BufferTag tag = new BufferTag(tablespace, database, relfilenode, fork, block);
        Integer found = mapping.get(tag);
        long[] io = threadIo == null ? null : threadIo.get();
        if (found != null) {
            int b = found;
            pinned(b);
            hits++;
            if (io != null) {
                io[0]++;
            }
            return b;
        }
        int b = victim();
        ByteBuffer page = pageOf(b);
        if (mode == ReadMode.ZERO_ON_MISS) {
            zero(page);
            zeroFills++;
        } else {
            try {
                store.read(tag, page.duplicate().order(ByteOrder.LITTLE_ENDIAN).clear());
            } catch (RuntimeException | Error e) {
                zero(page);
                throw e;
            }
            reads++;
            if (io != null) {
                io[1]++;
            }
        }
        tags[b] = tag;
        mapping.put(tag, b);
        dirty[b] = false;
        usage[b] = 0;
        pinned(b);
        allocations++;
        return b;
    }

    private void pinned(int b) {
        pins[b]++;
        if (usage[b] < MAX_USAGE_COUNT) {
            usage[b]++;
        }
    }

    /** A free buffer, its old page written if dirty and forgotten; not pinned, not mapped. */
    private int victim() {
        if (used < nbuffers) {
            return used++;
        }
        int tries = nbuffers;
        for (;;) {
            int b = hand;
            hand = hand + 1 == nbuffers ? 0 : hand + 1;
            if (pins[b] == 0) {
                if (tags[b] == null) {
                    return b;
                }
                if (usage[b] > 0) {
                    usage[b]--;
                    tries = nbuffers;
                } else {
                    evict(b);
                    return b;
                }
            } else if (--tries == 0) {
                throw new PgException("53400", "no empty local buffer available");
            }
        }
    }

    private void evict(int b) {
        if (dirty[b]) {
            write(b);
        }
        mapping.remove(tags[b]);
        tags[b] = null;
    }

    private void write(int b) {
        store.write(tags[b], pages[b].duplicate().order(ByteOrder.LITTLE_ENDIAN).clear());
        dirty[b] = false;
        writes++;
    }

    private ByteBuffer pageOf(int b) {
        ByteBuffer p = pages[b];
        if (p == null) {
            p = ByteBuffer.allocate(BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            pages[b] = p;
        }
        return p;
    }

    private static void zero(ByteBuffer page) {
        java.util.Arrays.fill(page.array(), page.arrayOffset(), page.arrayOffset() + BLOCK_SIZE, (byte) 0);
    }

    @Override
    public int extend(RelFileNode rel, ForkNumber fork, AccessStrategy strategy) {
        ensureInitialised();
        int block = store.nblocks(rel, fork);
        if (block == BufferTag.INVALID_BLOCK) {
            throw new PgException("54000", "cannot extend relation " + rel + " beyond "
                    + Integer.toUnsignedString(BufferTag.INVALID_BLOCK) + " blocks");
        }
        BufferTag tag = BufferTag.of(rel, fork, block);
        if (mapping.containsKey(tag)) {
            // a page of a block past the end: left by a truncation whose buffers were not dropped
            throw new PgException(SqlState.INTERNAL_ERROR, "unexpected data beyond EOF in block "
                    + Integer.toUnsignedString(block) + " of relation " + rel);
        }
        int b = pin(rel.tablespace(), rel.database(), rel.relfilenode(), fork, block, ReadMode.ZERO_ON_MISS,
                strategy);
        try {
            store.extend(tag, pages[b].duplicate().order(ByteOrder.LITTLE_ENDIAN).clear());
        } catch (RuntimeException | Error e) {
            unpin(b);
            forget(b);
            throw e;
        }
        zeroFills--;
        extensions++;
        return b;
    }

    @Override
    public void repin(int buffer) {
        checkPinned(buffer);
        pins[buffer]++;
    }

    @Override
    public void unpin(int buffer) {
        checkPinned(buffer);
        pins[buffer]--;
    }

    private void checkPinned(int buffer) {
        Objects.checkIndex(buffer, nbuffers);
        if (pins[buffer] <= 0) {
            throw new IllegalStateException("local buffer " + buffer + " is not pinned");
        }
    }

    @Override
    public ByteBuffer page(int buffer) {
        checkPinned(buffer);
        return pages[buffer];
    }

    // ------------------------------------------------------------------ content locks (bookkeeping)

    @Override
    public void lockContent(int buffer, boolean exclusive) {
        if (!tryLockContent(buffer, exclusive)) {
            throw new IllegalStateException("local buffer " + buffer + " is locked already by its only user");
        }
    }

    @Override
    public boolean tryLockContent(int buffer, boolean exclusive) {
        checkPinned(buffer);
        int l = locks[buffer];
        if (exclusive) {
            if (l != 0) {
                return false;
            }
            locks[buffer] = -1;
        } else {
            if (l < 0) {
                return false;
            }
            locks[buffer] = l + 1;
        }
        return true;
    }

    @Override
    public void unlockContent(int buffer) {
        Objects.checkIndex(buffer, nbuffers);
        int l = locks[buffer];
        if (l == 0) {
            throw new IllegalStateException("local buffer " + buffer + " is not locked");
        }
        locks[buffer] = l < 0 ? 0 : l - 1;
    }

    @Override
    public void markDirty(int buffer) {
        checkPinned(buffer);
        dirty[buffer] = true;
    }

    @Override
    public long pageLsn(int buffer) {
        return BufferPool.getPageLsn(page(buffer));
    }

    @Override
    public BufferTag tag(int buffer) {
        checkPinned(buffer);
        return tags[buffer];
    }

    @Override
    public int blockNumber(int buffer) {
        checkPinned(buffer);
        return tags[buffer].block();
    }

    /** Local buffers take no ring: a temporary relation cannot crowd out anyone else's pages. */
    @Override
    public AccessStrategy strategy(StrategyType type) {
        return new AccessStrategy() {
            @Override
            public StrategyType type() {
                return type;
            }

            @Override
            public int ringSize() {
                return 0;
            }
        };
    }

    // ------------------------------------------------------------------ writing and dropping

    /** Writes the dirty pages {@code filter} accepts (never fsynced). Not called by checkpoints. */
    @Override
    public int flushAll(FlushFilter filter) {
        int n = 0;
        for (int b = 0; b < used; b++) {
            BufferTag t = tags[b];
            if (t != null && dirty[b] && filter.test(t.tablespace(), t.database(), t.relfilenode(), t.fork())) {
                write(b);
                n++;
            }
        }
        return n;
    }

    /** Temporary relations are never made durable. */
    @Override
    public int syncWrittenFiles() {
        return 0;
    }

    /** No background writer works on local buffers. */
    @Override
    public BgWriterRound writeAheadOfClock(int maxPages, double multiplier, int delayMillis) {
        return new BgWriterRound(0, 0, 0, 0, false, true);
    }

    @Override
    public int dropRelation(RelFileNode rel) {
        return dropWhere(t -> t.tablespace() == rel.tablespace() && t.database() == rel.database()
                && t.relfilenode() == rel.relfilenode());
    }

    @Override
    public int dropRelationFork(RelFileNode rel, ForkNumber fork, int firstBlock) {
        return dropWhere(t -> t.tablespace() == rel.tablespace() && t.database() == rel.database()
                && t.relfilenode() == rel.relfilenode() && t.fork() == fork
                && Integer.compareUnsigned(t.block(), firstBlock) >= 0);
    }

    @Override
    public int dropDatabase(int database) {
        return dropWhere(t -> t.database() == database);
    }

    private int dropWhere(java.util.function.Predicate<BufferTag> which) {
        int n = 0;
        for (int b = 0; b < used; b++) {
            BufferTag t = tags[b];
            if (t != null && which.test(t)) {
                if (pins[b] != 0) {
                    // PostgreSQL's DropRelFileNodeLocalBuffers: the caller still uses the page
                    throw new PgException(SqlState.INTERNAL_ERROR, "block " + Integer.toUnsignedString(t.block())
                            + " of " + t + " is still referenced (local " + pins[b] + ")");
                }
                forget(b);
                n++;
            }
        }
        return n;
    }

    private void forget(int b) {
        if (tags[b] != null) {
            mapping.remove(tags[b]);
        }
        tags[b] = null;
        dirty[b] = false;
        usage[b] = 0;
        locks[b] = 0;
    }

    /** Backend end: every page forgotten without writing, the memory released. */
    public void close() {
        closed = true;
        mapping.clear();
        tags = null;
        pages = null;
        pins = null;
        usage = null;
        dirty = null;
        locks = null;
        nbuffers = 0;
        used = 0;
    }

    @Override
    public BufferStats stats() {
        return new BufferStats(hits, reads, zeroFills, extensions, allocations, writes, 0, 0, 0, 0);
    }

    @Override
    public long[] threadIoCounters() {
        return threadIo == null ? new long[2] : threadIo.get();
    }
}
