package modgres.logger.internal;

import java.util.TreeSet;

/*
 * An entry can reach the logger twice: from the LogListener and from the
 * Log Service's history (getLog()), which the logger reads at activation
 * (entries logged before it was there) and at deactivation (entries the
 * asynchronous listener thread has not delivered yet). Sequence numbers are
 * taken when an entry is created, but entries created at the same time on
 * two threads may be delivered in either order, so "seen" cannot be a single
 * high-water mark: we remember the sequence numbers of the last WINDOW
 * entries, and treat anything older than that window as written.
 *
 * A watermark (sequence, time) left by a previous instance of the logger
 * (bundle update) marks history entries that it wrote: those with both a
 * sequence and a time at or below the mark. The time guards against a
 * restarted Log Service, whose sequence numbers start again from zero.
 */

/** Remembers which Log Service entries have been written. Not thread-safe. */
public final class SequenceTracker {
    static final int WINDOW = 16_384;

    private final TreeSet<Long> recent = new TreeSet<>();
    private final long markSequence;
    private final long markTime;
    private long floor = Long.MIN_VALUE;
    private long highest = -1;
    private long maxTime = Long.MIN_VALUE;

    public SequenceTracker() {
        this(-1, Long.MIN_VALUE);
    }

    /** @param markSequence/markTime the watermark of a previous logger, or -1 / Long.MIN_VALUE */
    public SequenceTracker(long markSequence, long markTime) {
        this.markSequence = markSequence;
        this.markTime = markTime;
    }

    /** True, and remembered, when the entry has not been seen before. */
    public boolean firstTime(long sequence, long time) {
        if (sequence <= markSequence && time <= markTime) {
            return false;
        }
        if (sequence <= floor) {
            return false;
        }
        if (!recent.add(sequence)) {
            return false;
        }
        highest = Math.max(highest, sequence);
        maxTime = Math.max(maxTime, time);
        while (recent.size() > WINDOW) {
            floor = recent.pollFirst();
        }
        return true;
    }

    /** The highest sequence written, -1 before the first. */
    public long highest() {
        return Math.max(highest, markSequence);
    }

    /** The latest time of an entry written (or of the watermark). */
    public long highestTime() {
        return Math.max(maxTime, markTime);
    }
}
