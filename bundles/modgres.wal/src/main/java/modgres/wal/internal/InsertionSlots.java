package modgres.wal.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Where each insertion in progress stands: PostgreSQL's WAL insertion locks
 * and their {@code insertingAt}, made lock-free.
 *
 * <p>An inserter claims a slot, and in the same critical section that
 * reserves its space sets the slot to the (usable byte) position where its
 * record starts. While copying it may advance the slot to the start of each
 * new page it moves to ("everything of mine before here is copied"), and it
 * frees the slot when done. A thread that wants to write the log up to some
 * position reads the reserved end, then each slot: a slot that holds a
 * position below the wanted one is an insertion still copying there, and the
 * thread sleeps until the slot changes. Because a slot gets its position
 * before the reservation is visible, a free or merely claimed slot seen after
 * reading the reserved end never hides an insertion inside it.
 *
 * <p>Slots sit 128 bytes apart so that inserters on different cores do not
 * share cache lines.
 */
final class InsertionSlots {
    static final long FREE = Long.MAX_VALUE;
    static final long CLAIMED = Long.MAX_VALUE - 1;

    private static final int STRIDE = 16;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int count;
    private final int mask;
    /** {@code [i * STRIDE]}: the position; {@code [i * STRIDE + 1]}: non-zero when someone sleeps on the slot. */
    private final long[] words;
    private final Object[] monitors;

    InsertionSlots(int count) {
        if (Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("slot count must be a power of two");
        }
        this.count = count;
        this.mask = count - 1;
        this.words = new long[count * STRIDE];
        this.monitors = new Object[count];
        for (int i = 0; i < count; i++) {
            words[i * STRIDE] = FREE;
            monitors[i] = new Object();
        }
    }

    int count() {
        return count;
    }

    /** Claims a free slot, preferring one chosen by the thread, so a thread tends to reuse its own. */
    @SuppressWarnings("deprecation")
    int acquire() {
        int first = (int) Thread.currentThread().getId() & mask;
        for (int round = 0;; round++) {
            for (int k = 0; k < count; k++) {
                int i = (first + k) & mask;
                if (LONGS.compareAndSet(words, i * STRIDE, FREE, CLAIMED)) {
                    return i;
                }
            }
            if (round < 16) {
                Thread.onSpinWait();
            } else if (round < 64) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /** Sets the slot's position (inside the reservation's critical section). */
    void set(int slot, long position) {
        LONGS.setVolatile(words, slot * STRIDE, position);
    }

    /** Moves the slot's position forward and wakes whoever waits on it. */
    void advance(int slot, long position) {
        LONGS.setVolatile(words, slot * STRIDE, position);
        wake(slot);
    }

    void release(int slot) {
        LONGS.setVolatile(words, slot * STRIDE, FREE);
        wake(slot);
    }

    long get(int slot) {
        return (long) LONGS.getVolatile(words, slot * STRIDE);
    }

    private void wake(int slot) {
        if ((long) LONGS.getVolatile(words, slot * STRIDE + 1) != 0) {
            Object m = monitors[slot];
            synchronized (m) {
                LONGS.setVolatile(words, slot * STRIDE + 1, 0L);
                m.notifyAll();
            }
        }
    }

    /**
     * Returns once the slot holds something other than {@code seen}, and
     * returns that. Spins briefly (a copy takes microseconds), then sleeps on
     * the slot's monitor until the inserter wakes it.
     */
    long await(int slot, long seen) {
        for (int i = 0; i < 100; i++) {
            long v = get(slot);
            if (v != seen) {
                return v;
            }
            Thread.onSpinWait();
        }
        boolean interrupted = false;
        Object m = monitors[slot];
        try {
            synchronized (m) {
                while (true) {
                    LONGS.setVolatile(words, slot * STRIDE + 1, 1L);
                    long v = get(slot);
                    if (v != seen) {
                        return v;
                    }
                    try {
                        m.wait(20);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The lowest position any insertion still copies at, not below
     * {@code upTo} waited for: waits for every insertion positioned below
     * {@code upTo}, and returns min({@code reserved}, positions of the rest).
     */
    long waitBelow(long upTo, long reserved) {
        long finished = reserved;
        for (int i = 0; i < count; i++) {
            long v = get(i);
            while (v < upTo) {
                v = await(i, v);
            }
            if (v < finished) {
                finished = v;
            }
        }
        return finished;
    }

    /** min({@code reserved}, every slot's position), without waiting. */
    long lowest(long reserved) {
        long finished = reserved;
        for (int i = 0; i < count; i++) {
            long v = get(i);
            if (v < finished) {
                finished = v;
            }
        }
        return finished;
    }
}
