package modgres.shmem.buffer;

import static modgres.shmem.buffer.MemoryPageStore.BLOCK_OFFSET;
import static modgres.shmem.buffer.MemoryPageStore.COUNTER_OFFSET;
import static modgres.shmem.buffer.MemoryPageStore.REL_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import modgres.api.buffer.AccessStrategy;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.FlushFilter;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.buffer.StrategyType;
import modgres.api.buffer.WalFlusher;

/**
 * Several threads pin, read, change and unpin random pages of a working set
 * four times the pool, while a checkpointer, a background writer and a
 * thread that keeps creating and dropping a relation run beside them.
 * Afterwards no change is lost, no block is in two buffers, no pin is left,
 * and every page reached the store only after the WAL was flushed to its LSN.
 */
class ConcurrencyTest {
    static final RelFileNode A = new RelFileNode(1663, 5, 40001);
    static final RelFileNode B = new RelFileNode(1663, 5, 40002);
    static final RelFileNode DROPPED = new RelFileNode(1663, 5, 40003);
    static final int BLOCKS = 128;
    static final int WORKERS = 4;
    static final int OPS = 25_000;

    @Test
    void noLostWritesNoDuplicateTagsNoLeftPinsAndWalBeforeData() throws Exception {
        MemoryPageStore store = new MemoryPageStore();
        store.quiet = true;
        store.seed(A, ForkNumber.MAIN, BLOCKS);
        store.seed(B, ForkNumber.MAIN, BLOCKS);
        store.seed(DROPPED, ForkNumber.MAIN, 16);
        SharedBufferPool pool = new SharedBufferPool(64, store);
        AtomicLong walInserted = new AtomicLong(1);
        AtomicLong walFlushed = new AtomicLong();
        WalFlusher wal = lsn -> walFlushed.accumulateAndGet(lsn, Math::max);
        pool.setWalFlusher(wal);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        store.beforeWrite = page -> {
            long lsn = BufferPool.getPageLsn(page);
            if (lsn > walFlushed.get()) {
                problems.add("page with LSN " + lsn + " written before the WAL was flushed to it");
            }
        };
        AtomicIntegerArray expected = new AtomicIntegerArray(2 * BLOCKS);

        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            long seed = 1000 + w;
            Thread t = new Thread(() -> {
                Random rnd = new Random(seed);
                AccessStrategy ring = pool.strategy(StrategyType.BULKREAD);
                await(start);
                for (int op = 0; op < OPS; op++) {
                    int page = rnd.nextInt(2 * BLOCKS);
                    RelFileNode rel = page < BLOCKS ? A : B;
                    int block = page % BLOCKS;
                    int r = rnd.nextInt(100);
                    AccessStrategy s = r % 10 == 0 ? ring : null;
                    int buf = pool.pin(rel.tablespace(), rel.database(), rel.relfilenode(), ForkNumber.MAIN, block,
                            ReadMode.NORMAL, s);
                    ByteBuffer p = pool.page(buf);
                    if (r < 50) {
                        pool.lockContent(buf, true);
                        check(p, rel, block, problems);
                        p.putInt(COUNTER_OFFSET, p.getInt(COUNTER_OFFSET) + 1);
                        // As a WAL insert would: the record's end becomes the page's LSN.
                        BufferPool.setPageLsn(p, walInserted.incrementAndGet());
                        pool.markDirty(buf);
                        pool.unlockContent(buf);
                        expected.incrementAndGet(page);
                    } else if (r < 95) {
                        pool.lockContent(buf, false);
                        check(p, rel, block, problems);
                        pool.unlockContent(buf);
                    } else {
                        pool.repin(buf);
                        pool.unpin(buf);
                    }
                    pool.unpin(buf);
                }
            }, "worker-" + w);
            workers.add(t);
        }
        threads.addAll(workers);
        threads.add(new Thread(() -> {
            await(start);
            while (!done.get()) {
                pool.flushAll(FlushFilter.ALL);
                pool.syncWrittenFiles();
                sleep();
            }
        }, "checkpointer"));
        threads.add(new Thread(() -> {
            await(start);
            while (!done.get()) {
                pool.writeAheadOfClock(20, 2.0, 10);
                sleep();
            }
        }, "bgwriter"));
        threads.add(new Thread(() -> {
            Random rnd = new Random(99);
            await(start);
            while (!done.get()) {
                for (int i = 0; i < 8; i++) {
                    BufferTag t = BufferTag.of(DROPPED, ForkNumber.MAIN, rnd.nextInt(16));
                    int buf = pool.pin(t);
                    pool.lockContent(buf, true);
                    BufferPool.setPageLsn(pool.page(buf), walInserted.incrementAndGet());
                    pool.markDirty(buf);
                    pool.unlockAndUnpin(buf);
                }
                pool.dropRelation(DROPPED);
                sleep();
            }
        }, "dropper"));
        List<Throwable> failures = new ArrayList<>();
        for (Thread t : threads) {
            t.setUncaughtExceptionHandler((th, e) -> {
                synchronized (failures) {
                    failures.add(e);
                }
                done.set(true);
            });
            t.start();
        }
        start.countDown();
        for (Thread t : workers) {
            t.join(TimeUnit.MINUTES.toMillis(2));
        }
        done.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(1));
            assertTrue(!t.isAlive(), t.getName() + " finished");
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("a thread failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));

        // No pins left, and no block in two buffers; every tagged buffer is the one the table finds.
        Map<BufferTag, Integer> seen = new HashMap<>();
        for (int b = 0; b < pool.buffers(); b++) {
            assertEquals(0, pool.refCount(b), "buffer " + b + ": " + BufferState.describe(pool.state(b)));
            BufferTag t = pool.tag(b);
            if (t != null) {
                Integer other = seen.put(t, b);
                assertEquals(null, other, t + " in buffers " + other + " and " + b);
                assertEquals(b, pool.lookup(t));
            }
        }
        // No lost write: after a final checkpoint the store has every increment.
        pool.flushAll(FlushFilter.ALL);
        long total = 0;
        for (int page = 0; page < 2 * BLOCKS; page++) {
            BufferTag t = BufferTag.of(page < BLOCKS ? A : B, ForkNumber.MAIN, page % BLOCKS);
            assertEquals(expected.get(page), store.block(t).getInt(COUNTER_OFFSET), "counter of " + t);
            total += expected.get(page);
        }
        assertTrue(total > WORKERS * OPS / 3, "updates: " + total);
        assertTrue(pool.stats().reads() > 2 * BLOCKS, "the working set did not fit: " + pool.stats());
    }

    private static void check(ByteBuffer p, RelFileNode rel, int block, ConcurrentLinkedQueue<String> problems) {
        if (p.getInt(REL_OFFSET) != rel.relfilenode() || p.getInt(BLOCK_OFFSET) != block) {
            problems.add("pinned " + rel + " block " + block + " but the page is " + p.getInt(REL_OFFSET) + " block "
                    + p.getInt(BLOCK_OFFSET));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
