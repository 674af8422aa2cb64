package modgres.api.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * PostgreSQL's latch: a process sleeps on it with a timeout and anyone may
 * set it to wake the process early (a setting changed, a shutdown, new
 * work). A set that arrives while nobody sleeps is kept for the next wait,
 * so a wake-up is never lost.
 */
public final class Latch {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean set;

    /**
     * Sleeps until the latch is set or {@code millis} pass; returns whether
     * it was set (and resets it). An interrupt returns true with the thread's
     * interrupt flag set.
     */
    public boolean await(long millis) {
        lock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(millis);
            while (!set && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            boolean wasSet = set;
            set = false;
            return wasSet;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the sleeper (or the next one to sleep). */
    public void set() {
        lock.lock();
        try {
            set = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
