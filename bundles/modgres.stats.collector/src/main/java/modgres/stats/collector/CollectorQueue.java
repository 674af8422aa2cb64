package modgres.stats.collector;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import modgres.api.stats.PendingStats;

/*
 * Design notes
 * ------------
 * State (under `lock`): the FIFO of accepted batches, `accepted` (batches
 * ever queued) and `applied` (batches ever handed to the store, in queue
 * order), `accepting`, and whether the collector thread runs. Queuing and
 * counting happen under one lock, so "the first `accepted` batches of the
 * queue" are exactly the batches whose flush returned true; sync() waits
 * for `applied` to reach the `accepted` it saw.
 *
 * Draining (by the thread, by sync() when the thread does not run, by a
 * flusher when the queue is long, by close()) holds `drainLock`: one
 * drainer at a time, so batches reach the store in queue order and
 * `applied` counts a prefix of the queue. A drain takes a run of batches
 * from the head, merges them (PendingStats.merge) and applies the result
 * once: several backends' small batches cost one pass over the store. A
 * run ends after the first batch that carries events, because the store
 * applies a batch's deltas before its events; merging across an event
 * would move later deltas in front of it (a vacuum's absolute n_live_tup
 * would swallow inserts counted after it).
 *
 * Bounded in practice: the queue is unbounded, but a flusher that finds
 * more than HIGH_WATER batches queued drains one run itself before
 * returning (waiting for the drainer in progress, if any). Producers are
 * thus slowed to the store's pace instead of growing the queue, and
 * nothing is ever dropped, as PostgreSQL 14's collector dropped messages
 * when its socket buffer was full.
 *
 * close(): accepting = false under the lock (a flush either queued before
 * or sees false), then drain until empty under drainLock, which also waits
 * for a drain in progress: when it returns, every accepted batch is in the
 * store.
 */

/** The collector's queue and drain loop, without OSGi. Thread-safe. */
final class CollectorQueue implements Runnable {
    /** At most this many batches are merged into one application. */
    static final int MAX_MERGE = 256;
    /** Above this many queued batches, a flusher helps to drain. */
    static final int HIGH_WATER = 4096;

    private final Consumer<PendingStats> store;
    private final Consumer<RuntimeException> failure;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a batch arrives in an empty queue or a stop is requested. */
    private final Condition work = lock.newCondition();
    /** Signalled when batches were applied or the thread ended. */
    private final Condition progress = lock.newCondition();
    private final ArrayDeque<PendingStats> queue = new ArrayDeque<>();
    private long accepted;
    private long applied;
    private boolean accepting = true;
    private boolean stopRequested;
    /** The thread is starting or in its loop (set by resume(), cleared when the loop ends). */
    private boolean running;

    private final ReentrantLock drainLock = new ReentrantLock();

    /**
     * @param store   applies one (merged) batch to the statistics store
     * @param failure told when the store throws; the batch counts as applied (it cannot be retried safely)
     */
    CollectorQueue(Consumer<PendingStats> store, Consumer<RuntimeException> failure) {
        this.store = store;
        this.failure = failure;
    }

    /** Queues a batch; false once {@link #close} began. */
    boolean offer(PendingStats stats) {
        if (stats == null) {
            throw new NullPointerException("stats");
        }
        boolean help;
        lock.lock();
        try {
            if (!accepting) {
                return false;
            }
            if (queue.isEmpty()) {
                work.signal();
            }
            queue.addLast(stats);
            accepted++;
            help = queue.size() > HIGH_WATER;
        } finally {
            lock.unlock();
        }
        if (help) {
            drainOnce();
        }
        return true;
    }

    /**
     * Waits until every batch accepted before the call is applied; drains in
     * the caller's thread while the collector thread does not run. False when
     * the time ran out (or the caller was interrupted).
     */
    boolean sync(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMillis));
        lock.lock();
        try {
            long target = accepted;
            while (applied < target) {
                if (!running) {
                    lock.unlock();
                    try {
                        drainOnce();
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    progress.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return applied >= target;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies the next run of queued batches, merged (see the design notes).
     * Returns false when the queue was empty.
     */
    boolean drainOnce() {
        drainLock.lock();
        try {
            List<PendingStats> run = new ArrayList<>();
            lock.lock();
            try {
                PendingStats next;
                while (run.size() < MAX_MERGE && (next = queue.pollFirst()) != null) {
                    run.add(next);
                    if (!next.events().isEmpty()) {
                        break;
                    }
                }
            } finally {
                lock.unlock();
            }
            if (run.isEmpty()) {
                return false;
            }
            PendingStats merged = run.get(0);
            for (int i = 1; i < run.size(); i++) {
                merged.merge(run.get(i));
            }
            try {
                store.accept(merged);
            } catch (RuntimeException e) {
                failure.accept(e);
            }
            lock.lock();
            try {
                applied += run.size();
                progress.signalAll();
            } finally {
                lock.unlock();
            }
            return true;
        } finally {
            drainLock.unlock();
        }
    }

    /** Drains until the queue is empty. */
    void drainAll() {
        while (drainOnce()) {
            // next run
        }
    }

    /** Stops accepting, then applies everything accepted; when it returns nothing is pending. */
    void close() {
        lock.lock();
        try {
            accepting = false;
        } finally {
            lock.unlock();
        }
        drainAll();
    }

    /**
     * Makes the loop runnable again, just before its thread is started: from
     * here on sync() leaves the draining to the thread (which might otherwise
     * not yet have reached its loop).
     */
    void resume() {
        lock.lock();
        try {
            stopRequested = false;
            running = true;
        } finally {
            lock.unlock();
        }
    }

    /** Asks the loop to apply what is queued and return. */
    void requestStop() {
        lock.lock();
        try {
            stopRequested = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The collector thread's loop: waits for batches and applies them until asked to stop. */
    @Override
    public void run() {
        lock.lock();
        try {
            running = true;
        } finally {
            lock.unlock();
        }
        try {
            while (true) {
                lock.lock();
                try {
                    while (queue.isEmpty() && !stopRequested) {
                        work.await();
                    }
                    if (stopRequested) {
                        break;
                    }
                } finally {
                    lock.unlock();
                }
                drainOnce();
            }
            drainAll(); // what was queued when the stop came
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.lock();
            try {
                running = false;
                progress.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Batches queued and not yet taken by a drainer. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the collector thread is in its loop. */
    boolean running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }
}
