package modgres.autovacuum;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * PostgreSQL's {@code autovac_balance_cost()}: the cost limit is shared among
 * the workers that take part in the balancing (those working on a table
 * without its own cost storage parameters, with the delay active). PostgreSQL
 * gives each worker {@code limit_base * (avail / total)}, with
 * {@code avail = limit / delay} and {@code total} the sum of the workers'
 * {@code limit_base / delay_base}; since the balanced workers all run with the
 * settings' limit and delay, that is an equal split: {@code limit / n}, at
 * least 1. It is recomputed at every delay point, so a worker that starts or
 * ends changes the others' share at once (PostgreSQL: at the next nap or
 * when the launcher rebalances).
 */
final class CostBalance {
    private final AtomicInteger active = new AtomicInteger();

    void join() {
        active.incrementAndGet();
    }

    void leave() {
        active.decrementAndGet();
    }

    /** How many workers share the limit now. */
    int active() {
        return active.get();
    }

    /** A balanced worker's share of {@code limit}. */
    int share(int limit) {
        int n = Math.max(1, active.get());
        return Math.max(1, (int) ((double) limit / n));
    }
}
