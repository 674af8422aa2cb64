package modgres.postmaster.startup;

/*
 * Design notes
 * ------------
 * The redo and desc routines of the XLOG resource manager (PostgreSQL's
 * xlog_redo / xlog_desc / xlog_identify), the one resource manager the
 * startup process always has. What each record does at replay:
 *
 *   CHECKPOINT_SHUTDOWN  the counters are exactly the record's (nothing ran after it)
 *   CHECKPOINT_ONLINE    nextXid advances to the record's if that is later; nextOid is
 *                        left alone (it was sampled at the checkpoint's start and may
 *                        be older than a later NEXTOID record)
 *   NEXTOID              nextOid := the record's value, as PostgreSQL does; not the
 *                        maximum: the OID counter wraps around, and replay hands out
 *                        no OIDs, so the latest record is the truth
 *   FPI, FPI_FOR_HINT    every block is restored from its image (the RedoContext does it)
 *   NOOP, SWITCH, others nothing
 *
 * A timeline other than the WAL's in a checkpoint record is only noted
 * (DEBUG1): timelines do not exist yet.
 */

import java.util.function.Supplier;

import modgres.api.control.CheckpointRecord;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.ServerLog;
import modgres.api.txn.TransactionManager;
import modgres.api.wal.Lsn;
import modgres.api.wal.RedoContext;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;

/** Replays and describes the records of the XLOG resource manager. */
public final class XlogRedo implements RedoHandler {

    /** PostgreSQL's XLOG info values beyond those {@link ResourceManager} names. */
    public static final byte NEXTOID = 0x30;
    static final byte BACKUP_END = 0x50;
    static final byte PARAMETER_CHANGE = 0x60;
    static final byte RESTORE_POINT = 0x70;
    static final byte FPW_CHANGE = (byte) 0x80;
    static final byte END_OF_RECOVERY = (byte) 0x90;
    static final byte FPI_FOR_HINT = (byte) 0xA0;
    static final byte OVERWRITE_CONTRECORD = (byte) 0xD0;

    private final Supplier<TransactionManager> txn;
    private final ServerLog log;
    private final int timeline;

    /**
     * @param txn      the transaction manager, or a supplier of null when there is none
     * @param log      where notes go; may be null (describe-only use)
     * @param timeline the WAL's timeline, to compare checkpoint records with
     */
    public XlogRedo(Supplier<TransactionManager> txn, ServerLog log, int timeline) {
        this.txn = txn == null ? () -> null : txn;
        this.log = log;
        this.timeline = timeline;
    }

    @Override
    public byte[] resourceManagers() {
        return new byte[] {ResourceManager.XLOG};
    }

    @Override
    public void redo(WalRecord record, RedoContext context) {
        byte info = (byte) (record.info() & 0xF0);
        TransactionManager tm = txn.get();
        switch (info) {
            case ResourceManager.XLOG_CHECKPOINT_SHUTDOWN, ResourceManager.XLOG_CHECKPOINT_ONLINE -> {
                CheckpointRecord ck = CheckpointRecord.decode(record.mainData());
                if (ck.timeline() != timeline && log != null) {
                    log.debug(1, "checkpoint record at " + Lsn.format(record.lsn()) + " is on timeline "
                            + Integer.toUnsignedString(ck.timeline()) + ", the WAL on "
                            + Integer.toUnsignedString(timeline));
                }
                if (tm == null) {
                    return;
                }
                if (info == ResourceManager.XLOG_CHECKPOINT_SHUTDOWN) {
                    tm.recoveryStart(ck.nextXid(), ck.nextOid());
                } else if (ck.nextXid() > tm.nextFullXid()) {
                    // Full xids are 64 bits and never wrap: a signed comparison is right.
                    tm.recoveryStart(ck.nextXid(), tm.nextOid());
                }
            }
            case NEXTOID -> {
                if (tm != null) {
                    tm.recoveryStart(tm.nextFullXid(), nextOid(record));
                }
            }
            case ResourceManager.XLOG_FPI, FPI_FOR_HINT -> restoreImages(record, context);
            default -> {
                // NOOP, SWITCH and the kinds Modgres does not write change nothing at replay.
            }
        }
    }

    private static void restoreImages(WalRecord record, RedoContext context) {
        for (int i = 0; i < record.blockCount(); i++) {
            RedoContext.Block b = context.readBlock(i);
            if (b.action() == RedoContext.Action.RESTORED) {
                context.finish(b);
                continue;
            }
            if (b.action() != RedoContext.Action.NOT_FOUND) {
                context.release(b);
            }
            throw new PgException(SqlState.INTERNAL_ERROR,
                    "unexpected XLogReadBufferForRedo result when restoring backup block");
        }
    }

    private static int nextOid(WalRecord record) {
        if (record.mainData().length < 4) {
            throw new PgException(SqlState.DATA_CORRUPTED, "invalid NEXTOID record at "
                    + Lsn.format(record.lsn()) + ": main data is " + record.mainData().length + " bytes");
        }
        return record.mainDataBuffer().getInt(0);
    }

    /** {@code pg_waldump}'s identify and desc: {@code NEXTOID 24576}, {@code CHECKPOINT_ONLINE redo 0/1000028; ...}. */
    @Override
    public String describe(WalRecord record) {
        byte info = (byte) (record.info() & 0xF0);
        String id = identify(info);
        if (id == null) {
            return "UNKNOWN (" + Integer.toHexString(info & 0xFF) + ")";
        }
        try {
            return switch (info) {
                case ResourceManager.XLOG_CHECKPOINT_SHUTDOWN, ResourceManager.XLOG_CHECKPOINT_ONLINE -> {
                    CheckpointRecord ck = CheckpointRecord.decode(record.mainData());
                    yield id + " redo " + Lsn.format(ck.redo()) + "; tli " + Integer.toUnsignedString(ck.timeline())
                            + "; prev tli " + Integer.toUnsignedString(ck.prevTimeline()) + "; xid "
                            + (ck.nextXid() >>> 32) + ":" + Long.toString(ck.nextXid() & 0xFFFF_FFFFL) + "; oid "
                            + Integer.toUnsignedString(ck.nextOid()) + "; "
                            + (info == ResourceManager.XLOG_CHECKPOINT_SHUTDOWN ? "shutdown" : "online");
                }
                case NEXTOID -> id + " " + Integer.toUnsignedString(nextOid(record));
                default -> id;
            };
        } catch (PgException e) {
            return id + " (invalid: " + e.getMessage() + ")";
        }
    }

    /** PostgreSQL's {@code xlog_identify}: the record kind's name, or null for an unknown one. */
    static String identify(byte info) {
        return switch (info) {
            case ResourceManager.XLOG_CHECKPOINT_SHUTDOWN -> "CHECKPOINT_SHUTDOWN";
            case ResourceManager.XLOG_CHECKPOINT_ONLINE -> "CHECKPOINT_ONLINE";
            case ResourceManager.XLOG_NOOP -> "NOOP";
            case NEXTOID -> "NEXTOID";
            case ResourceManager.XLOG_SWITCH -> "SWITCH";
            case BACKUP_END -> "BACKUP_END";
            case PARAMETER_CHANGE -> "PARAMETER_CHANGE";
            case RESTORE_POINT -> "RESTORE_POINT";
            case FPW_CHANGE -> "FPW_CHANGE";
            case END_OF_RECOVERY -> "END_OF_RECOVERY";
            case FPI_FOR_HINT -> "FPI_FOR_HINT";
            case ResourceManager.XLOG_FPI -> "FPI";
            case OVERWRITE_CONTRECORD -> "OVERWRITE_CONTRECORD";
            default -> null;
        };
    }
}
