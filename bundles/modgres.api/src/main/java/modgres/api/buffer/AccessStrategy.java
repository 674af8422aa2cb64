package modgres.api.buffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A buffer access strategy: a small ring of buffers that one scan reuses
 * instead of taking buffers from the whole pool, so that a scan of a large
 * relation leaves the pool's hot pages where they are. Obtained from
 * {@link BufferPool#strategy(StrategyType)} and passed to
 * {@link BufferPool#pin}; only the pool that made it accepts it.
 *
 * <p>A strategy belongs to one scan in one thread: it is not thread-safe.
 * It holds no pins, so it needs no release; dropping it is enough.
 */
@ProviderType
public interface AccessStrategy {

    StrategyType type();

    /** The number of buffers in the ring. */
    int ringSize();
}
