package modgres.shmem.buffer;

import java.util.Arrays;

import modgres.api.buffer.AccessStrategy;
import modgres.api.buffer.StrategyType;

/**
 * A buffer access strategy: a ring of buffer ids that one scan cycles
 * through. A slot is empty (-1) until the scan has taken a buffer from the
 * pool for it; after that the scan reuses the slot's buffer whenever nobody
 * else is using it, so the scan's footprint in the pool stays at the ring's
 * size. Not thread-safe; the pool's methods do the work.
 */
final class Ring implements AccessStrategy {
    final SharedBufferPool pool;
    final StrategyType type;
    final int[] slots;
    /** The slot handed out last. */
    int current;
    /** Whether the buffer handed out last came from the ring (as opposed to the clock). */
    boolean fromRing;

    Ring(SharedBufferPool pool, StrategyType type, int size) {
        this.pool = pool;
        this.type = type;
        this.slots = new int[size];
        Arrays.fill(slots, -1);
        this.current = size - 1;
    }

    @Override
    public StrategyType type() {
        return type;
    }

    @Override
    public int ringSize() {
        return slots.length;
    }

    /** Moves to the next slot and returns its buffer, or -1 when the slot is empty. */
    int advance() {
        current = current + 1 == slots.length ? 0 : current + 1;
        return slots[current];
    }

    @Override
    public String toString() {
        return type + " ring of " + slots.length + " buffers";
    }
}
