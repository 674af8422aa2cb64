package modgres.shmem.buffer;

import static modgres.shmem.buffer.SharedBufferPoolTest.dirty;
import static modgres.shmem.buffer.SharedBufferPoolTest.touch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import modgres.api.buffer.BgWriterRound;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;

/** The background writer's round: cleaning ahead of the clock hand. */
class BgWriterTest {
    static final RelFileNode REL = new RelFileNode(1663, 5, 16384);

    private final MemoryPageStore store = new MemoryPageStore();
    private int pinnedBuffer;

    private static BufferTag tag(int block) {
        return BufferTag.of(REL, ForkNumber.MAIN, block);
    }

    /**
     * 32 buffers, all dirty. Block 5 stays pinned, block 6 is hot (usage 5).
     * One more miss sends the hand once around (every other count drops to 0)
     * and evicts block 0, written by the backend. The hand then points at buffer 1.
     */
    private SharedBufferPool dirtyPool() {
        store.seed(REL, ForkNumber.MAIN, 40);
        SharedBufferPool pool = new SharedBufferPool(32, store);
        pool.setWalFlusher(new RecordingWal(store.log));
        for (int blk = 0; blk < 32; blk++) {
            dirty(pool, tag(blk), 10 + blk, (byte) 1);
        }
        pinnedBuffer = pool.pin(tag(5));
        for (int i = 0; i < 6; i++) {
            touch(pool, tag(6));
        }
        touch(pool, tag(32));
        assertEquals(1, pool.stats().writesBackend());
        store.resetCounts();
        return pool;
    }

    @Test
    void writesDirtyUnpinnedUnusedBuffersAheadOfTheHand() {
        SharedBufferPool pool = dirtyPool();
        BgWriterRound r = pool.writeAheadOfClock(100, 2.0, 200);
        assertEquals(33, r.allocated());
        assertEquals(32, r.scanned());
        // Not block 5 (pinned), not block 6 (recently used), not the new block 32 (usage 1).
        assertEquals(29, r.written());
        assertEquals(29, r.reusable());
        assertFalse(r.hitMaxPages());
        assertEquals(29, pool.stats().writesBgwriter());
        assertFalse(store.writes.contains(tag(5)));
        assertFalse(store.writes.contains(tag(6)));
        assertTrue(pool.isDirty(pool.lookup(tag(5))));
        assertTrue(pool.isDirty(pool.lookup(tag(6))));
        assertFalse(pool.isDirty(pool.lookup(tag(7))));
        // WAL before data for each of them.
        for (int i = 0; i < store.log.size(); i += 2) {
            assertTrue(store.log.get(i).startsWith("flush "));
            assertTrue(store.log.get(i + 1).startsWith("write "));
        }

        // Nothing allocated since, and the scan is a whole pool ahead: nothing to do, may sleep.
        BgWriterRound idle = pool.writeAheadOfClock(100, 2.0, 200);
        assertEquals(0, idle.allocated());
        assertEquals(0, idle.scanned());
        assertTrue(idle.canHibernate());

        // The next misses take the cleaned buffers without any backend write.
        for (int blk = 33; blk < 40; blk++) {
            touch(pool, tag(blk));
        }
        assertEquals(1, pool.stats().writesBackend());
        pool.unpin(pinnedBuffer);
    }

    @Test
    void stopsAtMaxPages() {
        SharedBufferPool pool = dirtyPool();
        BgWriterRound r = pool.writeAheadOfClock(5, 2.0, 200);
        assertEquals(5, r.written());
        assertTrue(r.hitMaxPages());
        assertEquals(1, pool.stats().maxWrittenClean());
        // The next round goes on from where this one stopped.
        BgWriterRound next = pool.writeAheadOfClock(100, 2.0, 200);
        assertEquals(24, next.written());
        assertEquals(29, store.writes.size());
        assertEquals(29, store.writes.stream().distinct().count());
        assertEquals(0, pool.writeAheadOfClock(0, 2.0, 200).written());
        pool.unpin(pinnedBuffer);
    }
}
