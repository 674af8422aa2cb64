package modgres.api.wal;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Replays the records of one or more resource managers during crash recovery
 * (PostgreSQL's {@code RmgrData.rm_redo}, {@code rm_desc}, {@code rm_startup},
 * {@code rm_cleanup}). Published as a service (whiteboard); the startup process
 * collects every handler before it replays, and refuses to start (FATAL) when a
 * record names a resource manager no handler claims.
 *
 * <h2>Rules a redo routine follows</h2>
 * <ul>
 * <li>Redo is idempotent per block: a block whose page LSN is at or past the
 *     record's end is already changed and is skipped
 *     ({@link RedoContext#readBlock} tells).</li>
 * <li>A block with a full-page image is restored from the image by the
 *     context; the routine does not apply its delta to it.</li>
 * <li>After changing a block the routine calls {@link RedoContext#finish},
 *     which sets the page LSN to the record's end, marks the buffer dirty and
 *     releases it.</li>
 * <li>Redo runs in one thread, before any backend exists: no locks are needed
 *     beyond the buffer content locks the context takes.</li>
 * </ul>
 */
@ConsumerType
public interface RedoHandler {

    /** The resource manager ids ({@link ResourceManager}) this handler replays. */
    byte[] resourceManagers();

    /** Replays one record. A failure is fatal to recovery (the server does not start). */
    void redo(WalRecord record, RedoContext context);

    /** A one-line description of the record's content, as {@code pg_waldump} prints after {@code desc:}. */
    String describe(WalRecord record);

    /** Called once before the first record is replayed. */
    default void startup() {
    }

    /** Called once after the last record is replayed, before the end-of-recovery checkpoint. */
    default void cleanup() {
    }
}
