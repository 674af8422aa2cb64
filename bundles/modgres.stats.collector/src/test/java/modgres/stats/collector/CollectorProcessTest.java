package modgres.stats.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import modgres.api.server.ShutdownMode;
import modgres.api.stats.DatabaseCounter;
import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsEvent;

@Timeout(60)
class CollectorProcessTest {
    final SummingStore store = new SummingStore();
    final TestLog log = new TestLog();
    final CollectorProcess collector = new CollectorProcess(store, log.logger);

    @AfterEach
    void tearDown() {
        CountDownLatch b = store.block;
        if (b != null) {
            b.countDown();
        }
        collector.deactivate();
    }

    static PendingStats commits(long n) {
        PendingStats p = new PendingStats();
        p.add(5, DatabaseCounter.XACT_COMMIT, n);
        return p;
    }

    @Test
    void theThreadIsTheStatsCollectorProcess() throws Exception {
        assertEquals("collector", collector.name());
        assertEquals("stats collector", collector.processName());
        assertEquals(List.of(), collector.threads());
        collector.start();
        assertEquals(1, collector.threads().size());
        Thread t = collector.threads().get(0);
        assertEquals("stats collector", t.getName());
        assertTrue(t.isDaemon());
        assertTrue(collector.flush(commits(2)));
        assertTrue(collector.sync(5_000));
        assertEquals(2, store.commits.get());
        assertSame(t, store.lastThread.get(), "applied by the collector thread");
        collector.stop(ShutdownMode.FAST);
        assertEquals(List.of(), collector.threads());
        assertFalse(t.isAlive());
        assertTrue(collector.isAlive(), "stopped, not dead");
    }

    @Test
    void beforeTheThreadRunsSyncDrainsInTheCallersThread() {
        assertTrue(collector.flush(commits(1)));
        assertTrue(collector.flush(commits(2)));
        assertEquals(0, store.applies.get(), "queued, not applied");
        assertEquals(2, collector.queued());
        assertTrue(collector.sync(0));
        assertEquals(3, store.commits.get());
        assertSame(Thread.currentThread(), store.lastThread.get());
        assertEquals(1, store.applies.get(), "the two batches were merged");
    }

    @Test
    void aStoppedProcessStillAcceptsAndSyncDrains() {
        collector.start();
        collector.stop(ShutdownMode.FAST);
        assertTrue(collector.flush(commits(4)));
        assertTrue(collector.sync(1_000));
        assertEquals(4, store.commits.get());
        collector.start(); // the postmaster may start it again
        assertTrue(collector.flush(commits(1)));
        assertTrue(collector.sync(5_000));
        assertEquals(5, store.commits.get());
    }

    @Test
    void syncWaitsForTheThreadAndTimesOut() throws Exception {
        collector.start();
        CountDownLatch release = new CountDownLatch(1);
        store.block = release;
        assertTrue(collector.flush(commits(1)));
        assertFalse(collector.sync(100), "the store is blocked");
        assertEquals(0, store.commits.get());
        release.countDown();
        store.block = null;
        assertTrue(collector.sync(5_000));
        assertEquals(1, store.commits.get());
    }

    @Test
    void syncDoesNotWaitForLaterBatches() throws Exception {
        collector.start();
        assertTrue(collector.flush(commits(1)));
        assertTrue(collector.sync(5_000));
        CountDownLatch release = new CountDownLatch(1);
        store.block = release;
        assertTrue(collector.flush(commits(1))); // after the first sync: a second sync waits for it
        assertFalse(collector.sync(50));
        release.countDown();
        assertTrue(collector.sync(5_000));
        assertEquals(2, store.commits.get());
    }

    @Test
    void runsAreMergedButNeverAcrossAnEvent() {
        for (int i = 0; i < 10; i++) {
            assertTrue(collector.flush(commits(1)));
        }
        PendingStats withEvent = commits(1);
        withEvent.event(new StatsEvent.Vacuumed(5, 16384, false, 1, 0, 1));
        assertTrue(collector.flush(withEvent));
        for (int i = 0; i < 5; i++) {
            assertTrue(collector.flush(commits(1)));
        }
        assertTrue(collector.sync(0));
        assertEquals(16, store.commits.get());
        assertEquals(2, store.applies.get(), "11 batches up to the event, then 5");
        assertEquals(List.of(1), store.eventsPerApply);
    }

    @Test
    void aLongQueueIsDrainedByTheFlushers() {
        // No thread: the flushers themselves keep the queue short.
        for (int i = 0; i < 3 * CollectorQueue.HIGH_WATER; i++) {
            assertTrue(collector.flush(commits(1)));
            assertTrue(collector.queued() <= CollectorQueue.HIGH_WATER);
        }
        assertTrue(store.applies.get() > 0);
        assertTrue(collector.sync(0));
        assertEquals(3L * CollectorQueue.HIGH_WATER, store.commits.get());
    }

    @Test
    void aFailingStoreIsLoggedAndDoesNotHangSync() {
        store.failNext = true;
        assertTrue(collector.flush(commits(1)));
        assertTrue(collector.sync(0));
        assertEquals(1, log.records.size());
        assertEquals("could not apply statistics: java.lang.IllegalStateException: boom",
                log.records.get(0).message());
        assertTrue(collector.flush(commits(2)));
        assertTrue(collector.sync(0));
        assertEquals(2, store.commits.get());
    }

    @Test
    void afterDeactivateFlushIsRefused() {
        collector.start();
        assertTrue(collector.flush(commits(3)));
        collector.deactivate();
        assertEquals(3, store.commits.get(), "drained before deactivate returned");
        assertEquals(List.of(), collector.threads());
        PendingStats pending = new PendingStats();
        pending.add(5, DatabaseCounter.XACT_COMMIT, 4);
        PendingStats batch = pending.drain();
        assertFalse(collector.flush(batch));
        pending.merge(batch); // the caller keeps it for the next collector
        assertEquals(4, pending.database(5)[DatabaseCounter.XACT_COMMIT.ordinal()]);
        assertTrue(collector.sync(0));
        assertEquals(3, store.commits.get());
    }

    @Test
    void nothingIsLostAcrossDeactivateWithTheThreadRunning() throws Exception {
        collector.start();
        flushWhileDeactivating(true);
    }

    @Test
    void nothingIsLostAcrossDeactivateWithoutTheThread() throws Exception {
        flushWhileDeactivating(false);
    }

    private void flushWhileDeactivating(boolean slowStore) throws Exception {
        int threads = 8;
        int batches = 10_000;
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong acceptedBatches = new AtomicLong();
        AtomicLong refusedBatches = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        store.slow = slowStore;
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
                    PendingStats p = commits(n);
                    if (b % 1000 == 999) {
                        p.event(new StatsEvent.Archived("seg" + b, b));
                    }
                    if (collector.flush(p)) {
                        accepted.addAndGet(n);
                        acceptedBatches.incrementAndGet();
                    } else {
                        refused.addAndGet(n);
                        refusedBatches.incrementAndGet();
                    }
                }
            });
            ts.add(t);
            t.start();
        }
        start.countDown();
        while (acceptedBatches.get() < (long) threads * batches / 3) {
            Thread.onSpinWait();
        }
        collector.deactivate();
        long atDeactivate = store.commits.get();
        assertEquals(List.of(), collector.threads());
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(accepted.get(), atDeactivate, "every accepted batch applied when deactivate returned");
        assertEquals(accepted.get(), store.commits.get(), "nothing applied afterwards");
        assertEquals((long) threads * batches, acceptedBatches.get() + refusedBatches.get());
        assertTrue(refusedBatches.get() > 0, "the flushers outlived the collector");
        long total = 0;
        for (int b = 0; b < batches; b++) {
            total += 1 + (b % 3);
        }
        assertEquals(total * threads, accepted.get() + refused.get());
        assertEquals(0, collector.queued());
    }

    @Test
    void deactivateWaitsForADrainInProgress() throws Exception {
        collector.start();
        CountDownLatch release = new CountDownLatch(1);
        store.block = release;
        assertTrue(collector.flush(commits(1)));
        while (store.waiting.get() == 0) {
            Thread.onSpinWait();
        }
        assertTrue(collector.flush(commits(2))); // queued behind the blocked one
        CountDownLatch done = new CountDownLatch(1);
        Thread stopper = new Thread(() -> {
            collector.deactivate();
            done.countDown();
        });
        stopper.start();
        assertFalse(done.await(200, TimeUnit.MILLISECONDS));
        assertFalse(collector.flush(commits(100)), "refused while deactivating");
        release.countDown();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(3, store.commits.get());
    }
}
