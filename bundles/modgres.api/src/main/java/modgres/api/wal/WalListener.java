package modgres.api.wal;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: a component that registers this service is told of each WAL
 * segment that is complete (the archiver). With {@code archive_mode} on, the
 * segment also has {@code pg_wal/archive_status/<segment>.ready} by the time
 * the listener is called, so a listener that is away meanwhile misses
 * nothing it cannot find on disk.
 *
 * <p>Called on the thread that completed the segment (a committing backend,
 * the WAL writer, ...), with no WAL lock held: return quickly (wake a thread
 * of your own), do not call the WAL, do not throw.
 */
@ConsumerType
@FunctionalInterface
public interface WalListener {
    void segmentCompleted(WalSegmentEvent event);
}
