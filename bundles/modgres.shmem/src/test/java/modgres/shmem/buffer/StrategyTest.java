package modgres.shmem.buffer;

import static modgres.shmem.buffer.MemoryPageStore.BLOCK_OFFSET;
import static modgres.shmem.buffer.SharedBufferPoolTest.dirty;
import static modgres.shmem.buffer.SharedBufferPoolTest.touch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import modgres.api.buffer.AccessStrategy;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.buffer.StrategyType;

/** Buffer access strategies: rings keep large scans from flushing the pool. */
class StrategyTest {
    static final RelFileNode HOT = new RelFileNode(1663, 5, 20001);
    static final RelFileNode COLD = new RelFileNode(1663, 5, 20002);
    static final RelFileNode BIG = new RelFileNode(1663, 5, 20003);
    static final int POOL = 128;
    static final int HOT_PAGES = 32;

    private final MemoryPageStore store = new MemoryPageStore();

    private static BufferTag tag(RelFileNode rel, int block) {
        return BufferTag.of(rel, ForkNumber.MAIN, block);
    }

    /** A full pool: a hot set used often (usage count 5) and cold pages used once. */
    private SharedBufferPool poolWithHotSet() {
        store.seed(HOT, ForkNumber.MAIN, HOT_PAGES);
        store.seed(COLD, ForkNumber.MAIN, POOL);
        store.seed(BIG, ForkNumber.MAIN, POOL * 4);
        SharedBufferPool pool = new SharedBufferPool(POOL, store);
        for (int round = 0; round < 5; round++) {
            for (int blk = 0; blk < HOT_PAGES; blk++) {
                touch(pool, tag(HOT, blk));
            }
        }
        for (int blk = 0; blk < POOL - HOT_PAGES; blk++) {
            touch(pool, tag(COLD, blk));
        }
        assertEquals(POOL, SharedBufferPoolTest.residentCount(pool));
        for (int blk = 0; blk < HOT_PAGES; blk++) {
            assertEquals(BufferPool.MAX_USAGE_COUNT, pool.usageCount(pool.lookup(tag(HOT, blk))));
        }
        store.resetCounts();
        return pool;
    }

    /** Scans BIG (four times the pool) and returns the buffers the scan used. */
    private static Set<Integer> scan(SharedBufferPool pool, AccessStrategy strategy) {
        Set<Integer> used = new HashSet<>();
        for (int blk = 0; blk < POOL * 4; blk++) {
            int b = pool.pin(tag(BIG, blk), ReadMode.NORMAL, strategy);
            assertEquals(blk, pool.page(b).getInt(BLOCK_OFFSET));
            used.add(b);
            pool.unpin(b);
        }
        return used;
    }

    @Test
    void hotSetSurvivesABulkReadScanOfFourTimesThePool() {
        SharedBufferPool pool = poolWithHotSet();
        AccessStrategy ring = pool.strategy(StrategyType.BULKREAD);
        assertEquals(POOL / 8, ring.ringSize());

        Set<Integer> used = scan(pool, ring);

        assertTrue(used.size() <= ring.ringSize(), "the scan used " + used.size() + " buffers");
        assertEquals(POOL * 4, store.reads.get());
        for (int blk = 0; blk < HOT_PAGES; blk++) {
            assertTrue(pool.lookup(tag(HOT, blk)) >= 0, "hot block " + blk + " still resident");
            touch(pool, tag(HOT, blk));
            assertEquals(0, store.readCount(tag(HOT, blk)), "hot block " + blk + " was not read again");
        }
        // The clock only had to find the ring's buffers: once around, plus a little.
        assertTrue(pool.stats().allocations() <= POOL + ring.ringSize() + 1, pool.stats().toString());
    }

    @Test
    void withoutAStrategyTheSameScanPushesTheHotSetOut() {
        SharedBufferPool pool = poolWithHotSet();
        Set<Integer> used = scan(pool, null);
        assertTrue(used.size() > POOL / 2);
        int resident = 0;
        for (int blk = 0; blk < HOT_PAGES; blk++) {
            if (pool.lookup(tag(HOT, blk)) >= 0) {
                resident++;
            }
        }
        assertTrue(resident < HOT_PAGES / 2, resident + " hot blocks resident");
    }

    @Test
    void bulkWriteRingWritesItsOwnDirtyBuffers() {
        SharedBufferPool pool = poolWithHotSet();
        RecordingWal wal = new RecordingWal(store.log);
        pool.setWalFlusher(wal);
        RelFileNode target = new RelFileNode(1663, 5, 30000);
        AccessStrategy ring = pool.strategy(StrategyType.BULKWRITE);
        assertEquals(POOL / 8, ring.ringSize());
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int b = pool.extend(target, ForkNumber.MAIN, ring);
            used.add(b);
            pool.lockContent(b, true);
            pool.page(b).putInt(BLOCK_OFFSET, i);
            BufferPool.setPageLsn(pool.page(b), 1000 + i);
            pool.markDirty(b);
            pool.unlockAndUnpin(b);
        }
        assertTrue(used.size() <= ring.ringSize());
        assertEquals(200 - ring.ringSize(), pool.stats().writesBackend());
        assertEquals(200, store.nblocks(target, ForkNumber.MAIN));
        assertEquals(150, store.block(tag(target, 150)).getInt(BLOCK_OFFSET));
        for (int blk = 0; blk < HOT_PAGES; blk++) {
            assertTrue(pool.lookup(tag(HOT, blk)) >= 0, "hot block " + blk + " still resident");
        }
    }

    /**
     * A BULKREAD scan of 40 blocks in a 64-buffer pool (ring of 8) that dirties
     * its first page through the ring (usage count stays 1), with the WAL
     * flushed up to {@code flushed}. Returns the pool afterwards.
     */
    private SharedBufferPool scanDirtyingFirstPage(long flushed) {
        store.seed(BIG, ForkNumber.MAIN, 64);
        SharedBufferPool pool = new SharedBufferPool(64, store);
        RecordingWal wal = new RecordingWal(store.log);
        wal.flushed.set(flushed);
        pool.setWalFlusher(wal);
        AccessStrategy ring = pool.strategy(StrategyType.BULKREAD);
        assertEquals(8, ring.ringSize());
        int first = pool.pin(tag(BIG, 0), ReadMode.NORMAL, ring);
        pool.lockContent(first, true);
        BufferPool.setPageLsn(pool.page(first), 500);
        pool.markDirty(first);
        pool.unlockAndUnpin(first);
        assertEquals(1, pool.usageCount(first));
        for (int blk = 1; blk < 40; blk++) {
            pool.unpin(pool.pin(tag(BIG, blk), ReadMode.NORMAL, ring));
        }
        return pool;
    }

    @Test
    void bulkReadRingRejectsADirtyBufferThatWouldNeedAWalFlush() {
        SharedBufferPool pool = scanDirtyingFirstPage(0);
        assertTrue(store.log.isEmpty(), "neither WAL flushed nor page written: " + store.log);
        int b = pool.lookup(tag(BIG, 0));
        assertTrue(b >= 0);
        assertTrue(pool.isDirty(b));
    }

    @Test
    void bulkReadRingWritesADirtyBufferWhoseWalIsFlushed() {
        SharedBufferPool pool = scanDirtyingFirstPage(1000);
        assertEquals(List.of("flush 0/1F4", "write " + tag(BIG, 0)), store.log);
        assertEquals(-1, pool.lookup(tag(BIG, 0)), "its buffer was reused by the ring");
        assertFalse(store.writes.isEmpty());
    }
}
