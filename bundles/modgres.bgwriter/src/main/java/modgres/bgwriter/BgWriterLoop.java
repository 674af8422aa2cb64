package modgres.bgwriter;

/*
 * Design notes
 * ------------
 * PostgreSQL's background writer keeps clean, reusable buffers ahead of the
 * clock hand so that backends looking for a victim rarely have to write a
 * dirty page themselves. Each round (every bgwriter_delay) asks the pool to
 * scan ahead of the hand and write what the next rounds are likely to need:
 * the pool estimates that from recent allocations times
 * bgwriter_lru_multiplier, capped by bgwriter_lru_maxpages (0 turns the
 * writer off). The decision of what to write lives in the pool
 * (BufferPool.writeAheadOfClock), which owns the clock; this loop owns the
 * timing:
 *
 *     ┌──────── round ◀─────────────────────────────┐
 *     │  canHibernate? ── no ──▶ sleep bgwriter_delay ┘
 *     │       │ yes
 *     │       ▼
 *     └─ sleep 50 × bgwriter_delay in steps of bgwriter_delay, waking early
 *        as soon as the pool has allocated buffers again (hibernation)
 *
 * PostgreSQL wakes a hibernating writer with a latch that the allocating
 * backend sets; here the sleeping writer looks at the pool's allocation
 * counter once per bgwriter_delay, which costs one volatile read.
 */

import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;

import modgres.api.buffer.BgWriterRound;
import modgres.api.buffer.BufferPool;
import modgres.api.server.Latch;

/** The background writer's loop, without OSGi. */
final class BgWriterLoop implements Runnable {
    /** As PostgreSQL's HIBERNATE_FACTOR: how much longer an idle writer sleeps. */
    static final int HIBERNATE_FACTOR = 50;

    private final BufferPool pool;
    private final IntSupplier delayMillis;
    private final IntSupplier maxPages;
    private final DoubleSupplier multiplier;
    private final Latch latch = new Latch();
    private volatile boolean stopping;
    private volatile boolean hibernating;

    // Cumulative counters for pg_stat_bgwriter (buffers_clean, maxwritten_clean).
    private volatile long buffersClean;
    private volatile long maxWrittenClean;
    private volatile long rounds;

    BgWriterLoop(BufferPool pool, IntSupplier delayMillis, IntSupplier maxPages, DoubleSupplier multiplier) {
        this.pool = pool;
        this.delayMillis = delayMillis;
        this.maxPages = maxPages;
        this.multiplier = multiplier;
    }

    @Override
    public void run() {
        while (!stopping) {
            boolean hibernate = round();
            sleep(hibernate);
        }
    }

    /** One round; returns whether the writer may hibernate. */
    boolean round() {
        int max = maxPages.getAsInt();
        if (max <= 0) {
            return true; // bgwriter_lru_maxpages = 0: the writer only sleeps
        }
        BgWriterRound r = pool.writeAheadOfClock(max, multiplier.getAsDouble(), delayMillis.getAsInt());
        rounds++;
        buffersClean += r.written();
        if (r.hitMaxPages()) {
            maxWrittenClean++;
        }
        return r.canHibernate();
    }

    private void sleep(boolean hibernate) {
        int delay = Math.max(10, delayMillis.getAsInt());
        int steps = hibernate ? HIBERNATE_FACTOR : 1;
        long allocatedBefore = pool.stats().allocations();
        hibernating = hibernate;
        try {
            for (int i = 0; i < steps && !stopping; i++) {
                if (latch.await(delay)) {
                    break; // woken: a setting changed or we are stopping
                }
                if (hibernate && pool.stats().allocations() != allocatedBefore) {
                    break; // backends allocate again: back to work
                }
            }
        } finally {
            hibernating = false;
        }
    }

    /** Lets {@link #run()} loop again after a {@link #stop()} (a restart by the postmaster). */
    void resume() {
        stopping = false;
    }

    /** Ends the loop after the current round. */
    void stop() {
        stopping = true;
        wakeUp();
    }

    /** Cuts the current sleep short (a setting changed, or shutdown). */
    void wakeUp() {
        latch.set();
    }

    boolean hibernating() {
        return hibernating;
    }

    long buffersClean() {
        return buffersClean;
    }

    long maxWrittenClean() {
        return maxWrittenClean;
    }

    long rounds() {
        return rounds;
    }
}
