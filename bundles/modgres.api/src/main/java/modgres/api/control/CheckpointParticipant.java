package modgres.api.control;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A component with state of its own outside the shared buffers (the commit
 * log's pages, say) that a checkpoint must make durable: PostgreSQL's
 * {@code CheckPointGuts} calls {@code CheckPointCLOG}, {@code
 * CheckPointSUBTRANS}, … before writing the buffers. Published as a service
 * (whiteboard); the checkpointer calls every participant after it has fixed the
 * REDO pointer and before it writes the checkpoint record. A failure fails the
 * checkpoint.
 */
@ConsumerType
public interface CheckpointParticipant {

    /**
     * Makes durable everything this component changed before {@code redo}
     * (writing more is harmless).
     *
     * @param redo     the checkpoint's REDO pointer
     * @param shutdown true for the shutdown (or end-of-recovery) checkpoint
     */
    void checkpoint(long redo, boolean shutdown);
}
