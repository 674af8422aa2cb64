package modgres.api.wal;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the startup process offers a {@link RedoHandler} while it replays one
 * record (PostgreSQL's {@code XLogReadBufferForRedo} and friends).
 */
@ProviderType
public interface RedoContext {

    /** What {@link #readBlock} found (PostgreSQL's {@code XLogRedoAction}). */
    enum Action {
        /** The page predates the record: apply the change, then {@link #finish}. */
        NEEDS_REDO,
        /** The page was restored from the record's full-page image: nothing to apply; call {@link #finish}. */
        RESTORED,
        /** The page already has the change (its LSN is at or past the record's end): release it with {@link #release}. */
        DONE,
        /** The relation or block no longer exists (dropped or truncated later in the log): nothing to do. */
        NOT_FOUND
    }

    /** A block of the record, pinned and locked exclusively (unless {@link Action#NOT_FOUND}). */
    interface Block {
        Action action();

        /** The buffer id in the {@link modgres.api.buffer.BufferPool}, -1 when not found. */
        int buffer();

        /** The page (absolute access only, as {@link modgres.api.buffer.BufferPool#page} says). */
        ByteBuffer page();
    }

    /** The record being replayed. */
    WalRecord record();

    /**
     * Reads block reference {@code blockIndex} of the record (its position in
     * {@link WalRecord#blocks()}) for redo: restores it from its image when it
     * has one, zero-fills it when the reference says {@code willInit}, extends
     * the fork when the block is past its end, and returns it pinned and
     * exclusively locked.
     */
    Block readBlock(int blockIndex);

    /** After a change (or a restore): page LSN := record end, dirty, unlock, unpin. */
    void finish(Block block);

    /** Releases a block without marking it (for {@link Action#DONE}). */
    void release(Block block);

    /** True when this is crash recovery of a server that was not shut down cleanly (always, for now). */
    boolean crashRecovery();
}
