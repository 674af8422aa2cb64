package modgres.api.control;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;

/**
 * The main data of a checkpoint WAL record ({@code XLOG}, info
 * {@code CHECKPOINT_SHUTDOWN} or {@code CHECKPOINT_ONLINE}); PostgreSQL's
 * {@code CheckPoint}, the fields Modgres uses, in Modgres's own layout:
 * little-endian {@code redo (8) timeline (4) prevTimeline (4) time (8)
 * nextXid (8) nextOid (4)}, {@value #SIZE} bytes.
 *
 * @param redo         the REDO pointer: replay from this checkpoint starts here
 * @param timeline     the timeline
 * @param prevTimeline the previous timeline (the same unless the checkpoint starts a new one)
 * @param time         when the checkpoint began, Unix epoch seconds
 * @param nextXid      the next transaction id
 * @param nextOid      the next OID (unsigned)
 */
public record CheckpointRecord(long redo, int timeline, int prevTimeline, long time, long nextXid, int nextOid) {

    public static final int SIZE = 36;

    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(redo).putInt(timeline).putInt(prevTimeline).putLong(time).putLong(nextXid).putInt(nextOid);
        return b.array();
    }

    public static CheckpointRecord decode(byte[] mainData) {
        if (mainData == null || mainData.length < SIZE) {
            throw new PgException(SqlState.DATA_CORRUPTED, "invalid checkpoint record: main data is "
                    + (mainData == null ? 0 : mainData.length) + " bytes, expected " + SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(mainData).order(ByteOrder.LITTLE_ENDIAN);
        return new CheckpointRecord(b.getLong(), b.getInt(), b.getInt(), b.getLong(), b.getLong(), b.getInt());
    }
}
