package modgres.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class SourceFoldTest {

    /** A source with one counter. */
    static final class Source {
        final AtomicLong n = new AtomicLong();
        volatile boolean broken;
    }

    final SourceFold<Source> fold = new SourceFold<>(1, s -> {
        if (s.broken) {
            throw new IllegalStateException("stopping");
        }
        return new long[] {s.n.get()};
    });

    @Test
    void addsOnlyDeltas() {
        Source a = new Source();
        a.n.set(5); // counted before it was bound: counts
        fold.bind(a);
        assertArrayEquals(new long[] {5}, fold.totals());
        assertArrayEquals(new long[] {5}, fold.totals());
        a.n.set(8);
        assertArrayEquals(new long[] {8}, fold.totals());
    }

    @Test
    void replacementCountsFromZeroAndUnbindFoldsTheLastCounts() {
        Source a = new Source();
        fold.bind(a);
        a.n.set(10);
        assertEquals(10, fold.totals()[0]);
        a.n.set(12); // not read before it goes
        Source b = new Source();
        b.n.set(3);
        fold.bind(b); // greedy: the new one is bound before the old one is unbound
        assertEquals(15, fold.totals()[0]);
        a.n.set(13);
        fold.unbind(a);
        assertEquals(16, fold.totals()[0]);
        a.n.set(100); // retired: never read again
        b.n.set(4);
        assertEquals(17, fold.totals()[0]);
        assertEquals(1, fold.sources().size());
    }

    @Test
    void aCounterThatDecreasesCountsFromZero() {
        Source a = new Source();
        fold.bind(a);
        a.n.set(10);
        assertEquals(10, fold.totals()[0]);
        a.n.set(2); // restarted behind the same object
        assertEquals(12, fold.totals()[0]);
        a.n.set(5);
        assertEquals(15, fold.totals()[0]);
    }

    @Test
    void aFailingSourceIsSkipped() {
        Source a = new Source();
        fold.bind(a);
        a.n.set(4);
        assertEquals(4, fold.totals()[0]);
        a.broken = true;
        a.n.set(6);
        assertEquals(4, fold.totals()[0]);
        a.broken = false;
        assertEquals(6, fold.totals()[0]);
    }

    @Test
    void resetMakesTheCurrentCountsTheBaseline() {
        Source a = new Source();
        fold.bind(a);
        a.n.set(10);
        fold.reset();
        assertEquals(0, fold.totals()[0]);
        a.n.set(11);
        assertEquals(1, fold.totals()[0]);
        fold.restore(new long[] {100});
        assertEquals(101, fold.totals()[0]);
    }

    @Test
    void neverBackwardsUnderConcurrentReadsAndReplacements() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong counted = new AtomicLong(); // everything any source counted
        AtomicBoolean backwards = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            long last = 0;
            while (!stop.get()) {
                long t = fold.totals()[0];
                if (t < last) {
                    backwards.set(true);
                }
                last = t;
            }
        });
        reader.start();
        Source current = new Source();
        fold.bind(current);
        for (int round = 0; round < 2_000; round++) {
            for (int i = 0; i < 5; i++) {
                current.n.incrementAndGet();
                counted.incrementAndGet();
            }
            if (round % 7 == 3) {
                Source next = new Source();
                fold.bind(next);
                current.n.incrementAndGet();
                counted.incrementAndGet();
                fold.unbind(current);
                current.n.addAndGet(1000); // after unbind: not counted
                current = next;
            }
        }
        stop.set(true);
        reader.join();
        assertTrue(!backwards.get(), "totals went backwards");
        assertEquals(counted.get(), fold.totals()[0]);
    }
}
