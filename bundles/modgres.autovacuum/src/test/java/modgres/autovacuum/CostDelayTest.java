package modgres.autovacuum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class CostDelayTest {
    final List<Long> naps = new ArrayList<>();
    final AtomicBoolean cancelled = new AtomicBoolean();

    /** PostgreSQL's defaults for autovacuum: hit 1, miss 2, dirty 20, limit 200, delay 2 ms. */
    CostDelay delay(double delayMs, int limit) {
        return new CostDelay(1, 2, 20, delayMs, () -> limit, naps::add, cancelled::get);
    }

    @Test
    void napsWhenTheBalanceReachesTheLimitInProportionToTheBalance() {
        CostDelay d = delay(2, 200);
        for (int i = 0; i < 9; i++) {
            d.point(0, 0, 1); // 20 each
        }
        assertTrue(naps.isEmpty(), "180 < 200");
        assertEquals(180, d.balance());
        d.point(0, 0, 1); // 200: nap 2 ms * 200 / 200
        assertEquals(List.of(2_000_000L), naps);
        assertEquals(0, d.balance(), "the balance restarts after a nap");
        d.point(100, 100, 0); // 100 + 200 = 300: 2 ms * 300 / 200 = 3 ms
        assertEquals(3_000_000L, naps.get(1));
        d.point(0, 0, 30); // 600: 6 ms
        assertEquals(6_000_000L, naps.get(2));
        d.point(0, 0, 100); // 2000: 20 ms, capped at 4 * delay = 8 ms
        assertEquals(8_000_000L, naps.get(3));
        assertEquals(4, d.naps());
        assertEquals(19_000_000L, d.nappedNanos());
    }

    @Test
    void aHalvedLimitNapsTwiceAsOften() {
        CostDelay whole = delay(2, 200);
        for (int i = 0; i < 100; i++) {
            whole.point(0, 0, 1);
        }
        CostDelay half = delay(2, 100);
        for (int i = 0; i < 100; i++) {
            half.point(0, 0, 1);
        }
        assertEquals(10, whole.naps());
        assertEquals(20, half.naps());
        assertEquals(whole.nappedNanos() * 2, half.nappedNanos() * 1, "same nap each time, twice as many");
    }

    @Test
    void noDelayMeansNoCostAccounting() {
        CostDelay d = delay(0, 200);
        for (int i = 0; i < 1000; i++) {
            d.point(1, 1, 1);
        }
        assertTrue(naps.isEmpty());
        assertEquals(0, d.balance());
    }

    @Test
    void aStopThrowsAtTheNextPoint() {
        CostDelay d = delay(0, 200);
        d.point(1, 0, 0);
        cancelled.set(true);
        assertThrows(CancellationException.class, () -> d.point(1, 0, 0));
    }

    @Test
    void theStopSignalEndsANapAtOnce() throws Exception {
        StopSignal s = new StopSignal();
        CostDelay d = new CostDelay(1, 2, 20, 100, () -> 1, s::sleep, s::cancelled); // every page naps 100 ms+
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            s.cancel();
        });
        long t0 = System.nanoTime();
        stopper.start();
        assertThrows(CancellationException.class, () -> {
            for (;;) {
                d.point(0, 0, 100); // capped nap: 400 ms each
            }
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 300, "the 400 ms nap ended early: " + ms + " ms");
        stopper.join();
    }

    @Test
    void theLimitIsSharedEquallyByTheBalancedWorkers() {
        CostBalance b = new CostBalance();
        assertEquals(200, b.share(200), "nobody yet: the whole limit");
        b.join();
        assertEquals(200, b.share(200));
        b.join();
        assertEquals(100, b.share(200));
        b.join();
        assertEquals(66, b.share(200));
        b.leave();
        b.leave();
        assertEquals(200, b.share(200));
        for (int i = 0; i < 500; i++) {
            b.join();
        }
        assertEquals(1, b.share(200), "at least 1");
    }
}
