package modgres.api.control;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import modgres.api.wal.Lsn;

/**
 * The contents of {@code global/pg_control} (PostgreSQL's
 * {@code ControlFileData}, the fields Modgres uses). Times are Unix epoch
 * seconds, as PostgreSQL's {@code pg_time_t}.
 *
 * @param systemIdentifier    the cluster's unique id ({@code Database system identifier})
 * @param state               what the cluster was doing at the last update
 * @param time                when the file was last updated ({@code pg_control last modified})
 * @param checkpoint          where the latest checkpoint record starts ({@code Latest checkpoint location});
 *                            {@link Lsn#INVALID} before the first checkpoint
 * @param redo                that checkpoint's REDO pointer: where replay starts ({@code Latest checkpoint's REDO location})
 * @param timeline            that checkpoint's timeline ({@code Latest checkpoint's TimeLineID})
 * @param checkpointTime      when that checkpoint began ({@code Time of latest checkpoint})
 * @param nextXid             the next transaction id at that checkpoint (64 bits: room for an epoch)
 * @param nextOid             the next OID at that checkpoint (unsigned)
 * @param dataChecksumVersion 0 when data checksums are off, else 1
 * @param walSegmentSize      bytes per WAL segment
 * @param blockSize           bytes per data page ({@code BLCKSZ})
 */
public record ControlData(long systemIdentifier, ClusterState state, long time, long checkpoint, long redo,
        int timeline, long checkpointTime, long nextXid, int nextOid, int dataChecksumVersion, int walSegmentSize,
        int blockSize) {

    /** PostgreSQL's {@code FirstNormalTransactionId}. */
    public static final long FIRST_NORMAL_XID = 3;
    /** PostgreSQL's {@code FirstNormalObjectId}: the first OID user objects get. */
    public static final int FIRST_NORMAL_OID = 16384;

    public ControlData {
        Objects.requireNonNull(state, "state");
    }

    /**
     * The control data of a cluster that has never had a checkpoint: a new
     * system identifier (PostgreSQL's recipe: seconds, microseconds and random
     * bits), state {@link ClusterState#SHUT_DOWN} (as {@code initdb} leaves it),
     * no checkpoint, timeline 1.
     */
    public static ControlData initial(int walSegmentSize, int dataChecksumVersion) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        long seconds = micros / 1_000_000;
        long sysid = (seconds << 32) | ((micros % 1_000_000) << 12) | ThreadLocalRandom.current().nextInt(1 << 12);
        return new ControlData(sysid, ClusterState.SHUT_DOWN, seconds, Lsn.INVALID, Lsn.INVALID, 1, 0,
                FIRST_NORMAL_XID, FIRST_NORMAL_OID, dataChecksumVersion, walSegmentSize, 8192);
    }

    public ControlData withState(ClusterState newState, long newTime) {
        return new ControlData(systemIdentifier, newState, newTime, checkpoint, redo, timeline, checkpointTime,
                nextXid, nextOid, dataChecksumVersion, walSegmentSize, blockSize);
    }

    /** After a checkpoint: its record's start, REDO pointer, timeline and start time; the file's time is now. */
    public ControlData withCheckpoint(ClusterState newState, long newTime, long checkpointLsn, long redoLsn,
            int newTimeline, long newCheckpointTime) {
        return new ControlData(systemIdentifier, newState, newTime, checkpointLsn, redoLsn, newTimeline,
                newCheckpointTime, nextXid, nextOid, dataChecksumVersion, walSegmentSize, blockSize);
    }

    /** With the next transaction id and OID (for the transaction manager at a checkpoint). */
    public ControlData withNextIds(long newNextXid, int newNextOid) {
        return new ControlData(systemIdentifier, state, time, checkpoint, redo, timeline, checkpointTime,
                newNextXid, newNextOid, dataChecksumVersion, walSegmentSize, blockSize);
    }
}
