package modgres.shmem.buffer;

import static modgres.shmem.buffer.MemoryPageStore.BLOCK_OFFSET;
import static modgres.shmem.buffer.MemoryPageStore.REL_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import modgres.api.buffer.AccessStrategy;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferStats;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.FlushFilter;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.buffer.StrategyType;
import modgres.api.error.PgException;

class SharedBufferPoolTest {
    static final RelFileNode REL = new RelFileNode(1663, 5, 16384);
    static final RelFileNode OTHER = new RelFileNode(1663, 5, 16390);

    private final MemoryPageStore store = new MemoryPageStore();

    static BufferTag tag(RelFileNode rel, int block) {
        return BufferTag.of(rel, ForkNumber.MAIN, block);
    }

    /** Pins, checks the page is the block's, unpins; returns the buffer. */
    static int touch(BufferPool pool, BufferTag tag) {
        int b = pool.pin(tag);
        try {
            assertEquals(tag.relfilenode(), pool.page(b).getInt(REL_OFFSET), "page of " + tag);
            assertEquals(tag.block(), pool.page(b).getInt(BLOCK_OFFSET), "page of " + tag);
        } finally {
            pool.unpin(b);
        }
        return b;
    }

    /** Pins the block, sets its LSN and a byte, marks it dirty, unpins. */
    static int dirty(BufferPool pool, BufferTag tag, long lsn, byte value) {
        int b = pool.pin(tag);
        pool.lockContent(b, true);
        BufferPool.setPageLsn(pool.page(b), lsn);
        pool.page(b).put(100, value);
        pool.markDirty(b);
        pool.unlockAndUnpin(b);
        return b;
    }

    @Test
    void missReadsThroughTheStoreAndHitDoesNot() {
        store.seed(REL, ForkNumber.MAIN, 10);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        int b1 = touch(pool, tag(REL, 3));
        assertEquals(1, store.readCount(tag(REL, 3)));
        int b2 = touch(pool, tag(REL, 3));
        assertEquals(b1, b2);
        assertEquals(1, store.readCount(tag(REL, 3)));
        BufferStats s = pool.stats();
        assertEquals(1, s.hits());
        assertEquals(1, s.reads());
        assertEquals(1, s.allocations());
        assertEquals(tag(REL, 3), pool.tag(b1));
        assertEquals(3, pool.blockNumber(pool.pin(tag(REL, 3))));
    }

    @Test
    void evictedBlockIsReadAgainAndContentsStayRight() {
        store.seed(REL, ForkNumber.MAIN, 64);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        for (int round = 0; round < 3; round++) {
            for (int blk = 0; blk < 64; blk++) {
                touch(pool, tag(REL, blk));
            }
        }
        assertEquals(3, store.readCount(tag(REL, 0)));
        assertEquals(3 * 64, pool.stats().reads());
        assertEquals(16, residentCount(pool));
    }

    @Test
    void pinnedBuffersAreNeverEvictedAndAFullPoolFailsWith53400() {
        store.seed(REL, ForkNumber.MAIN, 40);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        int[] pinned = new int[16];
        for (int i = 0; i < 16; i++) {
            pinned[i] = pool.pin(tag(REL, i));
        }
        PgException e = assertThrows(PgException.class, () -> pool.pin(tag(REL, 20)));
        assertEquals("53400", e.sqlState());
        assertEquals("no unpinned buffers available", e.getMessage());
        for (int i = 0; i < 16; i++) {
            assertEquals(tag(REL, i), pool.tag(pinned[i]));
            assertEquals(i, pool.page(pinned[i]).getInt(BLOCK_OFFSET));
            assertEquals(1, pool.refCount(pinned[i]));
        }
        // A hit on a pinned block still works.
        int again = pool.pin(tag(REL, 7));
        assertEquals(pinned[7], again);
        pool.unpin(again);
        // Free one: the next miss takes exactly that buffer, the others keep their blocks.
        pool.unpin(pinned[5]);
        int b = pool.pin(tag(REL, 20));
        assertEquals(pinned[5], b);
        for (int i = 0; i < 16; i++) {
            if (i != 5) {
                assertEquals(tag(REL, i), pool.tag(pinned[i]));
            }
        }
    }

    @Test
    void pinnedBuffersSurviveManySweeps() {
        store.seed(REL, ForkNumber.MAIN, 200);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        int[] held = {pool.pin(tag(REL, 0)), pool.pin(tag(REL, 1)), pool.pin(tag(REL, 2))};
        for (int blk = 10; blk < 200; blk++) {
            touch(pool, tag(REL, blk));
        }
        for (int i = 0; i < held.length; i++) {
            assertEquals(tag(REL, i), pool.tag(held[i]));
            assertEquals(i, pool.page(held[i]).getInt(BLOCK_OFFSET));
            pool.unpin(held[i]);
        }
        assertEquals(1, store.readCount(tag(REL, 0)));
    }

    @Test
    void usageCountIsCappedAtFiveAndLoweredByTheSweep() {
        store.seed(REL, ForkNumber.MAIN, 32);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        for (int blk = 0; blk < 15; blk++) {
            touch(pool, tag(REL, blk)); // buffers 0..14, usage 1
        }
        int hot = touch(pool, tag(REL, 15));
        assertEquals(15, hot);
        assertEquals(1, pool.usageCount(hot));
        for (int i = 0; i < 10; i++) {
            touch(pool, tag(REL, 15));
        }
        assertEquals(BufferPool.MAX_USAGE_COUNT, pool.usageCount(hot));
        // A miss in the full pool: the hand passes every buffer once (1 -> 0, 5 -> 4), then takes buffer 0.
        int b = touch(pool, tag(REL, 16));
        assertEquals(0, b);
        assertEquals(4, pool.usageCount(hot));
        assertEquals(1, pool.usageCount(b));
        for (int i = 1; i < 15; i++) {
            assertEquals(0, pool.usageCount(i));
        }
        // A ring's pin raises a usage count only from 0 to 1.
        AccessStrategy ring = pool.strategy(StrategyType.BULKREAD);
        pool.unpin(pool.pin(tag(REL, 1), ReadMode.NORMAL, ring));
        pool.unpin(pool.pin(tag(REL, 1), ReadMode.NORMAL, ring));
        assertEquals(1, pool.usageCount(1));
        pool.unpin(pool.pin(tag(REL, 15), ReadMode.NORMAL, ring));
        assertEquals(4, pool.usageCount(hot));
    }

    @Test
    void dirtyPageIsWrittenBeforeEvictionAfterFlushingWalToItsLsn() {
        store.seed(REL, ForkNumber.MAIN, 40);
        RecordingWal wal = new RecordingWal(store.log);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        pool.setWalFlusher(wal);
        long lsn = (1L << 32) | 0x20;
        int b = dirty(pool, tag(REL, 0), lsn, (byte) 42);
        assertTrue(pool.isDirty(b));
        assertEquals(lsn, pool.pageLsn(pool.pin(tag(REL, 0))));
        pool.unpin(b);
        store.resetCounts();
        for (int blk = 1; blk < 40; blk++) {
            touch(pool, tag(REL, blk));
        }
        assertEquals(-1, pool.lookup(tag(REL, 0)), "block 0 evicted");
        assertEquals(List.of("flush 1/20", "write " + tag(REL, 0)), store.log);
        ByteBuffer onDisk = store.block(tag(REL, 0));
        assertEquals(42, onDisk.get(100));
        assertEquals(lsn, BufferPool.getPageLsn(onDisk));
        assertEquals(1, pool.stats().writesBackend());
        // Read back: the written contents.
        int again = pool.pin(tag(REL, 0));
        assertEquals(42, pool.page(again).get(100));
        assertFalse(pool.isDirty(again));
        pool.unpin(again);
    }

    @Test
    void pageWithLsnIsNotWrittenWithoutWal() {
        store.seed(REL, ForkNumber.MAIN, 40);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        int b = dirty(pool, tag(REL, 0), 0x1234L, (byte) 1);
        for (int blk = 1; blk < 16; blk++) {
            touch(pool, tag(REL, blk));
        }
        PgException e = assertThrows(PgException.class, () -> touch(pool, tag(REL, 16)));
        assertEquals("XX000", e.sqlState());
        assertTrue(e.getMessage().contains("no WAL is available to flush up to 0/1234"), e.getMessage());
        assertTrue(pool.isDirty(b));
        assertEquals(0, pool.refCount(b));
        assertTrue(store.writes.isEmpty());
        // Once a WAL is there, the page is written when the clock comes back to it.
        pool.setWalFlusher(new RecordingWal(store.log));
        for (int blk = 16; blk < 40; blk++) {
            touch(pool, tag(REL, blk));
        }
        assertEquals(List.of(tag(REL, 0)), store.writes);
        assertEquals(List.of("flush 0/1234", "write " + tag(REL, 0)), store.log);
        // Unbinding another flusher leaves the current one; unbinding the current one removes it.
        pool.unsetWalFlusher(new RecordingWal(store.log));
        dirty(pool, tag(REL, 1), 0x99L, (byte) 1);
        assertEquals(1, pool.flushAll(FlushFilter.ALL));
    }

    @Test
    void zeroOnMissDoesNotRead() {
        store.seed(REL, ForkNumber.MAIN, 4);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        int b = pool.pin(tag(REL, 2), ReadMode.ZERO_ON_MISS, null);
        assertEquals(0, store.reads.get());
        assertEquals(0, pool.page(b).getInt(BLOCK_OFFSET));
        assertEquals(0, pool.page(b).getInt(REL_OFFSET));
        pool.unpin(b);
        assertEquals(1, pool.stats().zeroFills());
        // A block in the pool is returned as it is.
        int c = pool.pin(tag(REL, 3));
        pool.unpin(c);
        int d = pool.pin(tag(REL, 3), ReadMode.ZERO_ON_MISS, null);
        assertEquals(3, pool.page(d).getInt(BLOCK_OFFSET));
        pool.unpin(d);
    }

    @Test
    void extendAddsAZeroedBlockAtTheEnd() {
        store.seed(REL, ForkNumber.MAIN, 3);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        int b = pool.extend(REL, ForkNumber.MAIN, null);
        assertEquals(3, pool.blockNumber(b));
        assertEquals(4, store.nblocks(REL, ForkNumber.MAIN));
        assertEquals(0, pool.page(b).getLong(0));
        pool.lockContent(b, true);
        pool.page(b).putInt(BLOCK_OFFSET, 3);
        pool.markDirty(b);
        pool.unlockAndUnpin(b);
        int c = pool.extend(REL, ForkNumber.MAIN, null);
        assertEquals(4, pool.blockNumber(c));
        pool.unpin(c);
        assertEquals(2, pool.stats().extensions());
        assertEquals(0, store.reads.get());
        // An empty fork starts at block 0.
        int f = pool.extend(REL, ForkNumber.FSM, null);
        assertEquals(0, pool.blockNumber(f));
        pool.unpin(f);
    }

    @Test
    void extendRefusesDataBeyondEndOfFile() {
        store.seed(REL, ForkNumber.MAIN, 3);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        int b = pool.pin(tag(REL, 3), ReadMode.ZERO_ON_MISS, null);
        pool.lockContent(b, true);
        pool.page(b).put(500, (byte) 7);
        pool.markDirty(b);
        pool.unlockAndUnpin(b);
        PgException e = assertThrows(PgException.class, () -> pool.extend(REL, ForkNumber.MAIN, null));
        assertEquals("unexpected data beyond EOF in block 3 of relation 1663/5/16384", e.getMessage());
        assertEquals(0, pool.refCount(b));
    }

    @Test
    void failedReadLeavesNoPinAndIsRetried() {
        store.seed(REL, ForkNumber.MAIN, 4);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        store.failRead = t -> t.block() == 1;
        PgException e = assertThrows(PgException.class, () -> pool.pin(tag(REL, 1)));
        assertEquals("58030", e.sqlState());
        int b = pool.lookup(tag(REL, 1));
        assertTrue(b >= 0);
        assertEquals(0, pool.refCount(b));
        assertTrue((pool.state(b) & BufferState.IO_ERROR) != 0);
        assertEquals(b, touch(pool, tag(REL, 1)));
        assertEquals(0, pool.state(b) & (BufferState.IO_ERROR | BufferState.IO_IN_PROGRESS));
        // Beyond the end of the fork is an error from the store.
        assertThrows(PgException.class, () -> pool.pin(tag(REL, 9)));
    }

    @Test
    void concurrentMissesOfOneBlockReadItOnceAndWaitersSleep() throws Exception {
        store.seed(REL, ForkNumber.MAIN, 4);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        CountDownLatch inRead = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.beforeRead = () -> {
            inRead.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        ExecutorService ex = Executors.newFixedThreadPool(3);
        try {
            Future<Integer> first = ex.submit(() -> touch(pool, tag(REL, 2)));
            assertTrue(inRead.await(10, TimeUnit.SECONDS));
            List<Future<Integer>> others = new ArrayList<>();
            others.add(ex.submit(() -> touch(pool, tag(REL, 2))));
            others.add(ex.submit(() -> touch(pool, tag(REL, 2))));
            // The waiters sleep on the buffer's monitor until the read ends.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int b = pool.lookup(tag(REL, 2));
            while ((pool.state(b) & BufferState.IO_WAITERS) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue((pool.state(b) & BufferState.IO_WAITERS) != 0, BufferState.describe(pool.state(b)));
            release.countDown();
            assertEquals(b, first.get(10, TimeUnit.SECONDS));
            for (Future<Integer> f : others) {
                assertEquals(b, f.get(10, TimeUnit.SECONDS));
            }
        } finally {
            release.countDown();
            ex.shutdownNow();
        }
        assertEquals(1, store.readCount(tag(REL, 2)));
        assertEquals(0, pool.refCount(pool.lookup(tag(REL, 2))));
    }

    @Test
    void flushAllWritesEveryDirtyPageInFileOrder() {
        RelFileNode a = new RelFileNode(1663, 5, 20000);
        RelFileNode c = new RelFileNode(1663, 5, 10000);
        RelFileNode g = new RelFileNode(1664, 0, 1262);
        RelFileNode big = new RelFileNode(1663, 5, 0x80000000); // unsigned: after the others
        List<BufferTag> dirtyTags = new ArrayList<>();
        for (RelFileNode rel : List.of(a, c, g, big)) {
            for (ForkNumber fork : List.of(ForkNumber.MAIN, ForkNumber.FSM, ForkNumber.VM)) {
                store.seed(rel, fork, 6);
                for (int blk = 0; blk < 6; blk += 2) {
                    dirtyTags.add(BufferTag.of(rel, fork, blk));
                }
            }
        }
        SharedBufferPool pool = new SharedBufferPool(128, store);
        RecordingWal wal = new RecordingWal(store.log);
        pool.setWalFlusher(wal);
        List<BufferTag> shuffled = new ArrayList<>(dirtyTags);
        Collections.shuffle(shuffled, new Random(7));
        long lsn = 100;
        for (BufferTag t : shuffled) {
            dirty(pool, t, lsn++, (byte) 9);
            touch(pool, BufferTag.of(t.rel(), t.fork(), t.block() + 1)); // clean neighbours
        }
        store.resetCounts();
        assertEquals(dirtyTags.size(), pool.flushAll(FlushFilter.ALL));
        List<BufferTag> expected = new ArrayList<>(dirtyTags);
        expected.sort((x, y) -> {
            int r = Integer.compareUnsigned(x.tablespace(), y.tablespace());
            r = r != 0 ? r : Integer.compareUnsigned(x.database(), y.database());
            r = r != 0 ? r : Integer.compareUnsigned(x.relfilenode(), y.relfilenode());
            r = r != 0 ? r : x.fork().compareTo(y.fork());
            return r != 0 ? r : Integer.compareUnsigned(x.block(), y.block());
        });
        assertEquals(expected, store.writes);
        assertEquals(new BufferTag(1663, 5, 10000, ForkNumber.MAIN, 0), store.writes.get(0));
        assertEquals(new BufferTag(1664, 0, 1262, ForkNumber.VM, 4), store.writes.get(store.writes.size() - 1));
        // WAL before data, page by page.
        for (int i = 0; i < store.log.size(); i += 2) {
            assertTrue(store.log.get(i).startsWith("flush "), store.log.get(i));
            assertTrue(store.log.get(i + 1).startsWith("write "), store.log.get(i + 1));
        }
        assertEquals(dirtyTags.size(), pool.stats().writesCheckpoint());
        assertEquals(0, pool.flushAll(FlushFilter.ALL));
        for (BufferTag t : dirtyTags) {
            assertEquals(9, store.block(t).get(100));
        }
        // The second half of a checkpoint: one fsync per fork written.
        assertEquals(12, pool.syncWrittenFiles());
        assertEquals(12, store.log.stream().filter(l -> l.startsWith("fsync ")).count());
        assertEquals(0, pool.syncWrittenFiles());
    }

    @Test
    void flushAllWithAFilterWritesOnlyThatRelation() {
        store.seed(REL, ForkNumber.MAIN, 4);
        store.seed(OTHER, ForkNumber.MAIN, 4);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        pool.setWalFlusher(new RecordingWal(store.log));
        for (int blk = 0; blk < 4; blk++) {
            dirty(pool, tag(REL, blk), 1, (byte) 1);
            dirty(pool, tag(OTHER, blk), 1, (byte) 1);
        }
        assertEquals(4, pool.flushAll(FlushFilter.relation(OTHER)));
        assertTrue(store.writes.stream().allMatch(t -> t.rel().equals(OTHER)));
        assertEquals(0, pool.flushAll(FlushFilter.database(6)));
        assertEquals(4, pool.flushAll(FlushFilter.database(5)));
    }

    @Test
    void dropRelationForgetsItsBuffersWithoutWriting() {
        store.seed(REL, ForkNumber.MAIN, 8);
        store.seed(REL, ForkNumber.FSM, 2);
        store.seed(OTHER, ForkNumber.MAIN, 4);
        SharedBufferPool pool = new SharedBufferPool(32, store);
        pool.setWalFlusher(new RecordingWal(store.log));
        for (int blk = 0; blk < 8; blk++) {
            dirty(pool, tag(REL, blk), 5, (byte) 3);
        }
        assertEquals(8, pool.flushAll(FlushFilter.relation(REL))); // leaves an fsync pending for REL
        int b0 = dirty(pool, tag(REL, 0), 6, (byte) 4);
        touch(pool, BufferTag.of(REL, ForkNumber.FSM, 1));
        dirty(pool, tag(OTHER, 0), 5, (byte) 3);
        store.resetCounts();

        assertEquals(9, pool.dropRelation(REL));
        assertTrue(store.writes.isEmpty(), "nothing written");
        assertEquals(-1, pool.lookup(tag(REL, 0)));
        assertEquals(-1, pool.lookup(BufferTag.of(REL, ForkNumber.FSM, 1)));
        assertNull(pool.tag(b0));
        assertEquals(0, pool.state(b0));
        assertTrue(pool.lookup(tag(OTHER, 0)) >= 0);
        assertEquals(0, pool.syncWrittenFiles(), "the pending fsync of the dropped relation is forgotten");
        assertEquals(1, pool.flushAll(FlushFilter.ALL));
        assertEquals(1, pool.syncWrittenFiles());
        // The dirty contents were discarded: a new pin reads what the store has.
        int again = pool.pin(tag(REL, 0));
        assertEquals(3, pool.page(again).get(100));
        pool.unpin(again);
        assertEquals(1, store.readCount(tag(REL, 0)));
    }

    @Test
    void dropRelationForkTruncatesFromABlockOn() {
        store.seed(REL, ForkNumber.MAIN, 8);
        store.seed(REL, ForkNumber.VM, 8);
        SharedBufferPool pool = new SharedBufferPool(32, store);
        for (int blk = 0; blk < 8; blk++) {
            touch(pool, tag(REL, blk));
            touch(pool, BufferTag.of(REL, ForkNumber.VM, blk));
        }
        assertEquals(5, pool.dropRelationFork(REL, ForkNumber.MAIN, 3));
        for (int blk = 0; blk < 8; blk++) {
            assertEquals(blk < 3, pool.lookup(tag(REL, blk)) >= 0, "block " + blk);
            assertTrue(pool.lookup(BufferTag.of(REL, ForkNumber.VM, blk)) >= 0);
        }
        assertEquals(0, pool.dropRelationFork(REL, ForkNumber.MAIN, BufferTag.INVALID_BLOCK));
        assertEquals(11, pool.dropDatabase(5));
        assertEquals(0, pool.dropDatabase(5));
    }

    @Test
    void misuseIsReported() {
        store.seed(REL, ForkNumber.MAIN, 4);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        int b = touch(pool, tag(REL, 0));
        assertThrows(IllegalStateException.class, () -> pool.unpin(b));
        assertThrows(IllegalStateException.class, () -> pool.lockContent(b, false));
        assertThrows(IllegalStateException.class, () -> pool.repin(b));
        assertThrows(IndexOutOfBoundsException.class, () -> pool.unpin(16));
        int p = pool.pin(tag(REL, 0));
        assertThrows(IllegalStateException.class, () -> pool.markDirty(p));
        assertThrows(IllegalStateException.class, () -> pool.unlockContent(p));
        AccessStrategy foreign = new SharedBufferPool(16, store).strategy(StrategyType.BULKREAD);
        assertThrows(IllegalArgumentException.class, () -> pool.pin(tag(REL, 1), ReadMode.NORMAL, foreign));
        pool.repin(p);
        assertEquals(2, pool.refCount(p));
        pool.unpin(p);
        pool.unpin(p);
    }

    @Test
    void contentLockIsSharedOrExclusive() {
        store.seed(REL, ForkNumber.MAIN, 4);
        SharedBufferPool pool = new SharedBufferPool(16, store);
        int b = pool.pin(tag(REL, 0));
        pool.lockContent(b, false);
        assertTrue(pool.tryLockContent(b, false));
        assertFalse(pool.tryLockContent(b, true));
        pool.unlockContent(b);
        pool.unlockContent(b);
        assertTrue(pool.tryLockContent(b, true));
        assertFalse(pool.tryLockContent(b, false));
        pool.markDirty(b);
        pool.unlockContent(b);
        assertTrue(pool.isDirty(b));
        pool.unpin(b);
    }

    @Test
    void pageLsnIsTwoLittleEndianHalvesHighFirst() {
        ByteBuffer page = ByteBuffer.allocate(BufferPool.BLOCK_SIZE); // big-endian on purpose
        BufferPool.setPageLsn(page, 0x0000000A_0000_0B0CL);
        assertArrayEquals(new byte[] {0x0A, 0, 0, 0, 0x0C, 0x0B, 0, 0}, java.util.Arrays.copyOf(page.array(), 8));
        assertEquals(0x0000000A_0000_0B0CL, BufferPool.getPageLsn(page));
        assertEquals(0xFFFFFFFF_FFFFFFFEL, roundTrip(0xFFFFFFFF_FFFFFFFEL));
        assertEquals("A/B0C", SharedBufferPool.formatLsn(0x0000000A_0000_0B0CL));
    }

    private static long roundTrip(long lsn) {
        ByteBuffer page = ByteBuffer.allocateDirect(16).order(ByteOrder.LITTLE_ENDIAN);
        BufferPool.setPageLsn(page, lsn);
        return BufferPool.getPageLsn(page);
    }

    @Test
    void pageViewsAreDistinctLittleEndianSlicesOfEightKilobytes() {
        SharedBufferPool pool = new SharedBufferPool(16, store);
        Set<ByteBuffer> seen = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int b = 0; b < 16; b++) {
            ByteBuffer p = pool.page(b);
            assertTrue(p.isDirect());
            assertEquals(BufferPool.BLOCK_SIZE, p.capacity());
            assertEquals(ByteOrder.LITTLE_ENDIAN, p.order());
            assertSame(p, pool.page(b));
            seen.add(p);
        }
        assertEquals(16, seen.size());
        // Writing one page's last byte does not touch the next page.
        pool.page(3).put(BufferPool.BLOCK_SIZE - 1, (byte) 1);
        assertEquals(0, pool.page(4).get(0));
    }

    @Test
    void ringsAreSizedAsPostgresSizesThem() {
        SharedBufferPool big = new SharedBufferPool(4096, store);
        assertEquals(32, big.strategy(StrategyType.BULKREAD).ringSize());
        assertEquals(32, big.strategy(StrategyType.VACUUM).ringSize());
        assertEquals(512, big.strategy(StrategyType.BULKWRITE).ringSize()); // capped at an eighth of the pool
        SharedBufferPool small = new SharedBufferPool(64, store);
        assertEquals(8, small.strategy(StrategyType.BULKREAD).ringSize());
        assertNotEquals(big.strategy(StrategyType.BULKREAD), big.strategy(StrategyType.BULKREAD));
        assertEquals(StrategyType.VACUUM, small.strategy(StrategyType.VACUUM).type());
    }

    static int residentCount(SharedBufferPool pool) {
        int n = 0;
        for (int b = 0; b < pool.buffers(); b++) {
            if (pool.tag(b) != null) {
                n++;
            }
        }
        return n;
    }
}
