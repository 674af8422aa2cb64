package modgres.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/*
 * Design notes
 * ------------
 * The buffer pool, the checkpointer and the WAL count from zero since they
 * started; the store must show totals that survive their replacement and a
 * restart. A fold keeps, for each bound source (by identity: a replaced
 * component is a new service object), the last sample it saw, and adds
 * only the difference to its totals. A source never sampled counts from
 * zero; so does one with any counter smaller than in its last sample (it
 * was restarted behind the same object). Totals therefore never decrease,
 * except by reset().
 *
 * A source is sampled when the totals are read, when it is unbound (its
 * last counts; the service is still usable while SCR unbinds it) and when
 * the store stops. A source not bound (or already unbound) is never
 * sampled again, so a read racing with an unbind cannot count a retired
 * source a second time from zero.
 *
 * All under the fold's monitor; the sources' stats() are cheap snapshots
 * and never call back into the store.
 */

/** Cumulative totals folded from the live counters of replaceable sources. */
final class SourceFold<S> {
    private final Function<S, long[]> reader;
    private final long[] totals;
    /** Bound sources and their last sample (null: none yet). */
    private final Map<S, long[]> last = new IdentityHashMap<>();

    /**
     * @param width  the number of counters
     * @param reader a source's current counters (width of them); non-decreasing while it lives
     */
    SourceFold(int width, Function<S, long[]> reader) {
        this.totals = new long[width];
        this.reader = reader;
    }

    /** A source arrived; its counts are added from zero at the next sample. */
    synchronized void bind(S source) {
        if (!last.containsKey(source)) {
            last.put(source, null);
        }
    }

    /** A source goes away: its last counts are folded in, then it is forgotten. */
    synchronized void unbind(S source) {
        if (last.containsKey(source)) {
            sampleOne(source);
            last.remove(source);
        }
    }

    /** Folds in every bound source's counts since its last sample. */
    synchronized void sample() {
        for (S s : new ArrayList<>(last.keySet())) {
            sampleOne(s);
        }
    }

    private void sampleOne(S source) {
        long[] current;
        try {
            current = reader.apply(source);
        } catch (RuntimeException e) {
            return; // a source that is stopping; its next sample (or none) decides
        }
        if (current == null || current.length != totals.length) {
            return;
        }
        long[] previous = last.get(source);
        if (previous == null || decreased(previous, current)) {
            previous = new long[totals.length];
        }
        for (int i = 0; i < totals.length; i++) {
            totals[i] += current[i] - previous[i];
        }
        last.put(source, current.clone());
    }

    private static boolean decreased(long[] previous, long[] current) {
        for (int i = 0; i < current.length; i++) {
            if (current[i] < previous[i]) {
                return true;
            }
        }
        return false;
    }

    /** Samples, then returns a copy of the totals. */
    synchronized long[] totals() {
        sample();
        return totals.clone();
    }

    /** Samples (so the current counts become the baseline), then sets the totals to zero. */
    synchronized void reset() {
        sample();
        Arrays.fill(totals, 0);
    }

    /** Adds totals read from the statistics file. */
    synchronized void restore(long[] saved) {
        for (int i = 0; i < Math.min(saved.length, totals.length); i++) {
            totals[i] += saved[i];
        }
    }

    /** The sources bound now (for tests). */
    synchronized List<S> sources() {
        return List.copyOf(last.keySet());
    }
}
