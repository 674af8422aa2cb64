package modgres.shmem.buffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.PageStore;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;

/**
 * A {@link PageStore} in memory, for tests only: blocks are byte arrays,
 * every read, write, extension and fsync is counted and logged (into a log a
 * test may share with a {@link RecordingWal}).
 *
 * <p>{@link #seed} fills a fork with recognisable pages: the relfilenode at
 * offset {@value #REL_OFFSET}, the block number at {@value #BLOCK_OFFSET}.
 */
final class MemoryPageStore implements PageStore {
    static final int REL_OFFSET = 16;
    static final int BLOCK_OFFSET = 20;
    /** Where concurrency tests keep a counter. */
    static final int COUNTER_OFFSET = 64;

    private final Map<BufferTag, byte[]> blocks = new ConcurrentHashMap<>();
    private final Map<ForkKey, Integer> sizes = new ConcurrentHashMap<>();
    private final Map<BufferTag, AtomicInteger> readCounts = new ConcurrentHashMap<>();
    final List<String> log;
    final List<BufferTag> writes = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger reads = new AtomicInteger();
    /** Reads of tags it accepts fail (once each time it is set) with 58030. */
    volatile Predicate<BufferTag> failRead;
    /** Called before every read; a test may block there. */
    volatile Runnable beforeRead = () -> { };
    /** Called with the page before every write (a test checks WAL-before-data there). */
    volatile java.util.function.Consumer<ByteBuffer> beforeWrite = page -> { };
    /** When set, writes are neither logged nor listed (long concurrency runs). */
    volatile boolean quiet;

    MemoryPageStore() {
        this(Collections.synchronizedList(new ArrayList<>()));
    }

    MemoryPageStore(List<String> sharedLog) {
        this.log = sharedLog;
    }

    private record ForkKey(RelFileNode rel, ForkNumber fork) {
    }

    /** Creates {@code nblocks} recognisable blocks in the fork. */
    void seed(RelFileNode rel, ForkNumber fork, int nblocks) {
        for (int b = 0; b < nblocks; b++) {
            byte[] page = new byte[BufferPool.BLOCK_SIZE];
            ByteBuffer bb = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
            bb.putInt(REL_OFFSET, rel.relfilenode());
            bb.putInt(BLOCK_OFFSET, b);
            blocks.put(BufferTag.of(rel, fork, b), page);
        }
        sizes.merge(new ForkKey(rel, fork), nblocks, Math::max);
    }

    /** The stored block as a little-endian buffer, or null. */
    ByteBuffer block(BufferTag tag) {
        byte[] page = blocks.get(tag);
        return page == null ? null : ByteBuffer.wrap(page.clone()).order(ByteOrder.LITTLE_ENDIAN);
    }

    int readCount(BufferTag tag) {
        AtomicInteger n = readCounts.get(tag);
        return n == null ? 0 : n.get();
    }

    void resetCounts() {
        readCounts.clear();
        reads.set(0);
        writes.clear();
        log.clear();
    }

    @Override
    public int nblocks(RelFileNode rel, ForkNumber fork) {
        return sizes.getOrDefault(new ForkKey(rel, fork), 0);
    }

    @Override
    public void read(BufferTag tag, ByteBuffer page) {
        beforeRead.run();
        Predicate<BufferTag> fail = failRead;
        if (fail != null && fail.test(tag)) {
            failRead = null;
            throw new PgException("58030", "could not read block " + tag.blockUnsigned() + " of " + tag
                    + ": simulated I/O error");
        }
        byte[] data = blocks.get(tag);
        if (data == null) {
            if (Integer.compareUnsigned(tag.block(), nblocks(tag.rel(), tag.fork())) >= 0) {
                throw new PgException("58030", "could not read block " + tag.blockUnsigned() + " of " + tag
                        + ": read only 0 of 8192 bytes");
            }
            data = new byte[BufferPool.BLOCK_SIZE];
        }
        if (page.remaining() != BufferPool.BLOCK_SIZE) {
            throw new AssertionError("page buffer has " + page.remaining() + " bytes remaining");
        }
        page.put(data);
        reads.incrementAndGet();
        readCounts.computeIfAbsent(tag, t -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void write(BufferTag tag, ByteBuffer page) {
        if (page.remaining() != BufferPool.BLOCK_SIZE) {
            throw new AssertionError("page buffer has " + page.remaining() + " bytes remaining");
        }
        beforeWrite.accept(page.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        byte[] data = new byte[BufferPool.BLOCK_SIZE];
        page.get(data);
        blocks.put(tag, data);
        sizes.merge(new ForkKey(tag.rel(), tag.fork()), tag.block() + 1, Math::max);
        if (!quiet) {
            writes.add(tag);
            log.add("write " + tag);
        }
    }

    @Override
    public void extend(BufferTag tag, ByteBuffer page) {
        int n = nblocks(tag.rel(), tag.fork());
        if (tag.block() != n) {
            throw new AssertionError("extend of block " + tag.block() + " but the fork has " + n);
        }
        byte[] data = new byte[BufferPool.BLOCK_SIZE];
        page.get(data);
        blocks.put(tag, data);
        sizes.put(new ForkKey(tag.rel(), tag.fork()), n + 1);
        log.add("extend " + tag);
    }

    @Override
    public void fsync(RelFileNode rel, ForkNumber fork) {
        if (quiet) {
            return;
        }
        log.add("fsync " + rel + " " + fork.forkName());
    }
}
