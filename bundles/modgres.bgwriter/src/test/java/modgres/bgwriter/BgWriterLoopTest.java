package modgres.bgwriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.PageStore;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.shmem.buffer.SharedBufferPool;

class BgWriterLoopTest {

    /** Pages in memory; counts writes. */
    static final class MemoryStore implements PageStore {
        final Map<BufferTag, byte[]> pages = new ConcurrentHashMap<>();
        final AtomicInteger writes = new AtomicInteger();

        @Override
        public int nblocks(RelFileNode rel, ForkNumber fork) {
            return (int) pages.keySet().stream().filter(t -> t.relfilenode() == rel.relfilenode()).count();
        }

        @Override
        public void read(BufferTag tag, ByteBuffer page) {
            byte[] b = pages.getOrDefault(tag, new byte[BufferPool.BLOCK_SIZE]);
            page.put(0, b, 0, b.length);
        }

        @Override
        public void write(BufferTag tag, ByteBuffer page) {
            byte[] b = new byte[BufferPool.BLOCK_SIZE];
            page.get(0, b, 0, b.length);
            pages.put(tag, b);
            writes.incrementAndGet();
        }

        @Override
        public void extend(BufferTag tag, ByteBuffer page) {
            write(tag, page);
        }

        @Override
        public void fsync(RelFileNode rel, ForkNumber fork) {
        }
    }

    @Test
    void writesDirtyBuffersAheadOfTheClockAndHibernatesWhenIdle() {
        MemoryStore store = new MemoryStore();
        SharedBufferPool pool = new SharedBufferPool(64, store);
        // Fill the pool with dirty, unpinned pages, as backends would leave them.
        for (int block = 0; block < 200; block++) {
            int b = pool.pin(1663, 5, 16384, ForkNumber.MAIN, block, ReadMode.ZERO_ON_MISS, null);
            pool.lockContent(b, true);
            pool.page(b).putInt(100, block);
            pool.markDirty(b);
            pool.unlockContent(b);
            pool.unpin(b);
        }
        int writesByBackends = store.writes.get();
        BgWriterLoop loop = new BgWriterLoop(pool, () -> 200, () -> 100, () -> 2.0);
        loop.round();
        assertTrue(loop.buffersClean() > 0, "the writer cleaned buffers ahead of the hand");
        assertEquals(writesByBackends + loop.buffersClean(), store.writes.get());
        // Nothing allocated since: after a few rounds the writer may hibernate.
        boolean hibernate = false;
        for (int i = 0; i < 5 && !hibernate; i++) {
            hibernate = loop.round();
        }
        assertTrue(hibernate, "an idle pool lets the writer hibernate");
    }

    @Test
    void maxPagesZeroTurnsTheWriterOff() {
        MemoryStore store = new MemoryStore();
        SharedBufferPool pool = new SharedBufferPool(32, store);
        BgWriterLoop loop = new BgWriterLoop(pool, () -> 200, () -> 0, () -> 2.0);
        assertTrue(loop.round());
        assertEquals(0, loop.rounds());
    }

    @Test
    void stopEndsTheLoopPromptlyEvenWhileHibernating() throws Exception {
        SharedBufferPool pool = new SharedBufferPool(32, new MemoryStore());
        BgWriterLoop loop = new BgWriterLoop(pool, () -> 10_000, () -> 100, () -> 2.0);
        Thread t = new Thread(loop, "background writer");
        t.start();
        Thread.sleep(100);
        loop.stop();
        t.join(5_000);
        assertFalse(t.isAlive());
        loop.resume();
        Thread again = new Thread(loop, "background writer");
        again.start();
        Thread.sleep(50);
        assertTrue(again.isAlive(), "a stopped loop can run again after resume()");
        loop.stop();
        again.join(5_000);
    }
}
