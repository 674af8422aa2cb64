package modgres.autovacuum;

import java.util.concurrent.CancellationException;

/**
 * One run of the launcher (from {@code start} to {@code stop}): the launcher
 * and the workers it started hold the same signal; {@link #cancel()} wakes
 * every cost-delay nap, and the next delay point throws
 * {@link CancellationException}. A restart makes a new signal, so a worker of
 * the previous run that is still finishing never sees the new one.
 */
final class StopSignal {
    private volatile boolean cancelled;

    boolean cancelled() {
        return cancelled;
    }

    synchronized void cancel() {
        cancelled = true;
        notifyAll();
    }

    /** Sleeps {@code nanos} unless cancelled first; throws when cancelled (before or during the sleep). */
    synchronized void sleep(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long left = nanos;
        while (!cancelled && left > 0) {
            try {
                wait(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
            left = deadline - System.nanoTime();
        }
        if (cancelled) {
            throw new CancellationException("autovacuum is stopping");
        }
    }
}
