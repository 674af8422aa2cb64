package modgres.api.stats;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The stats collector slot: takes processes' pending statistics and applies
 * them to the {@link StatsStore}. Implementations differ in how (directly in
 * the caller's thread like PostgreSQL 15's shared-memory statistics, or
 * through a queue and a {@code stats collector} thread like PostgreSQL 14's
 * collector process) and can replace one another while the server runs.
 * An implementation that goes away must first apply everything it accepted.
 * Consumers hold a dynamic, greedy, optional reference and keep their counts
 * pending while none is bound.
 */
@ConsumerType
public interface StatsCollector {

    /** Service property: the implementation's name as the console shows it. */
    String NAME = "modgres.stats.collector";

    /** The implementation's name ({@code shared_memory}, {@code collector}, ...). */
    String name();

    /**
     * Accepts a drained {@link PendingStats} (ownership passes to the
     * collector). Returns false when it cannot take it (it is stopping); the
     * caller then merges the counts back into its pending stats.
     */
    boolean flush(PendingStats stats);

    /**
     * Waits (at most {@code timeoutMillis}) until everything accepted so far
     * is visible in the store; true when it is.
     */
    boolean sync(long timeoutMillis);
}
