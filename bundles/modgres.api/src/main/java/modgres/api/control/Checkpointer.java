package modgres.api.control;

import org.osgi.annotation.versioning.ProviderType;

/** The checkpointer, as seen by whoever asks it for a checkpoint (the SQL {@code CHECKPOINT} command, the console). */
@ProviderType
public interface Checkpointer {

    /**
     * Asks for an immediate checkpoint (written at full speed, not spread).
     *
     * @param wait  return only once a checkpoint that began after this call has completed
     * @param force checkpoint even when no WAL was written since the last one
     * @throws modgres.api.error.PgException {@code checkpoint request failed} when waiting and the checkpoint
     *         failed, or when the checkpointer is not running
     */
    void requestCheckpoint(boolean wait, boolean force);

    CheckpointStats stats();
}
