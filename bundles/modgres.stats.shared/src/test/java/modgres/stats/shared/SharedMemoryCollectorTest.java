package modgres.stats.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import modgres.api.stats.DatabaseCounter;
import modgres.api.stats.PendingStats;

@Timeout(60)
class SharedMemoryCollectorTest {
    final SummingStore store = new SummingStore();
    final SharedMemoryCollector collector = new SharedMemoryCollector(store);

    static PendingStats commits(long n) {
        PendingStats p = new PendingStats();
        p.add(5, DatabaseCounter.XACT_COMMIT, n);
        return p;
    }

    @Test
    void flushAppliesInTheCallersThread() {
        assertEquals("shared_memory", collector.name());
        assertTrue(collector.flush(commits(3)));
        assertEquals(3, store.commits.get(), "visible as soon as flush returns");
        assertSame(Thread.currentThread(), store.lastThread.get());
        assertTrue(collector.sync(0));
    }

    @Test
    void afterDeactivateFlushIsRefusedAndTheCallerKeepsItsCounts() {
        collector.deactivate();
        PendingStats pending = new PendingStats();
        pending.add(5, DatabaseCounter.XACT_COMMIT, 4);
        PendingStats batch = pending.drain();
        assertFalse(collector.flush(batch));
        pending.merge(batch); // what a backend does with a refused batch
        assertEquals(4, pending.database(5)[DatabaseCounter.XACT_COMMIT.ordinal()]);
        assertEquals(0, store.applies.get());
        assertTrue(collector.sync(0));
    }

    @Test
    void deactivateWaitsForAFlushInProgress() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        store.block = release;
        Thread flusher = new Thread(() -> collector.flush(commits(1)));
        flusher.start();
        while (store.applies.get() == 0 && flusher.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        CountDownLatch deactivated = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            collector.deactivate();
            deactivated.countDown();
        });
        stopper.start();
        assertFalse(deactivated.await(200, TimeUnit.MILLISECONDS), "deactivate waits for the flush");
        release.countDown();
        assertTrue(deactivated.await(5, TimeUnit.SECONDS));
        flusher.join();
        assertEquals(1, store.commits.get());
    }

    @Test
    void nothingAcceptedIsLostAcrossDeactivate() throws Exception {
        int threads = 8;
        int batches = 10_000;
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int b = 0; b < batches; b++) {
                    long n = 1 + (b % 3);
                    if (collector.flush(commits(n))) {
                        accepted.addAndGet(n);
                    } else {
                        refused.addAndGet(n);
                    }
                }
            });
            ts.add(t);
            t.start();
        }
        start.countDown();
        while (store.applies.get() < (long) threads * batches / 4) {
            Thread.onSpinWait();
        }
        collector.deactivate();
        long atDeactivate = store.commits.get();
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(accepted.get(), store.commits.get());
        assertEquals(atDeactivate, store.commits.get(), "nothing applied after deactivate returned");
        long total = 0;
        for (int b = 0; b < batches; b++) {
            total += 1 + (b % 3);
        }
        assertEquals(total * threads, accepted.get() + refused.get());
    }
}
