package modgres.autovacuum;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

import modgres.api.autovacuum.VacuumDelay;

/**
 * PostgreSQL 15's {@code vacuum_delay_point()} for one run: every page adds
 * its cost ({@code vacuum_cost_page_hit/miss/dirty}) to the balance; when
 * the balance reaches the (balanced) limit the worker naps
 * {@code delay * balance / limit} ms, at most {@code 4 * delay}, and the
 * balance restarts at 0. With a delay of 0 the cost accounting is off
 * ({@code VacuumCostActive} false). Every point first checks the stop signal
 * and throws {@link CancellationException} when the launcher is stopping, and
 * a nap ends early (with the exception) when the launcher stops meanwhile.
 * Not thread-safe: one run, one thread.
 */
final class CostDelay implements VacuumDelay {
    private final int pageHit;
    private final int pageMiss;
    private final int pageDirty;
    private final double delayMillis;
    private final IntSupplier limit;
    private final LongConsumer sleeper;
    private final BooleanSupplier cancelled;
    private long balance;
    private long naps;
    private long nappedNanos;

    /**
     * @param limit     the current limit (the balanced share); read whenever the balance is compared
     * @param sleeper   naps the given nanoseconds; throws {@link CancellationException} when stopped meanwhile
     * @param cancelled whether the launcher is stopping
     */
    CostDelay(int pageHit, int pageMiss, int pageDirty, double delayMillis, IntSupplier limit, LongConsumer sleeper,
            BooleanSupplier cancelled) {
        this.pageHit = pageHit;
        this.pageMiss = pageMiss;
        this.pageDirty = pageDirty;
        this.delayMillis = delayMillis;
        this.limit = limit;
        this.sleeper = sleeper;
        this.cancelled = cancelled;
    }

    @Override
    public void point(int pagesHit, int pagesMissed, int pagesDirtied) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("autovacuum is stopping");
        }
        if (delayMillis <= 0) {
            return;
        }
        balance += (long) pagesHit * pageHit + (long) pagesMissed * pageMiss + (long) pagesDirtied * pageDirty;
        int l = Math.max(1, limit.getAsInt());
        if (balance >= l) {
            double msec = delayMillis * balance / l;
            if (msec > delayMillis * 4) {
                msec = delayMillis * 4;
            }
            long nanos = (long) (msec * 1_000_000);
            balance = 0;
            naps++;
            nappedNanos += nanos;
            sleeper.accept(nanos);
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("autovacuum is stopping");
            }
        }
    }

    /** The cost accumulated since the last nap. */
    long balance() {
        return balance;
    }

    /** How many naps this run took. */
    long naps() {
        return naps;
    }

    /** How long this run napped in all. */
    long nappedNanos() {
        return nappedNanos;
    }
}
