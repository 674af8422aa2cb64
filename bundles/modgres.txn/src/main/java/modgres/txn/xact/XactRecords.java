package modgres.txn.xact;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;

/*
 * Design notes
 * ------------
 * The commit and abort records of the XACT resource manager (rmgr 1), in
 * Modgres's compact layout (PostgreSQL's xl_xact_commit carries more parts;
 * these are the ones recovery needs):
 *
 *   info 0x00 XLOG_XACT_COMMIT | 0x20 XLOG_XACT_ABORT
 *   xl_xid     the transaction whose end this is (see below)
 *   main data  commit time  int64  microseconds since 2000-01-01 00:00 UTC (TimestampTz)
 *              nsubxacts    int32
 *              subxacts     int32 * nsubxacts
 *   all little-endian
 *
 * A top-level commit or abort names the top-level id in xl_xid and every
 * sub id still part of it in the body. ROLLBACK TO SAVEPOINT logs an abort
 * record whose xl_xid is the (oldest) rolled-back sub id and whose body
 * holds the others, as PostgreSQL's RecordTransactionAbort(isSubXact) does:
 * redo marks xl_xid and the body aborted and must not touch the top-level id,
 * which keeps running.
 *
 * XLOG_NEXTOID (rmgr XLOG, info 0x30, main data = next OID, uint32) is
 * written here too; the XLOG resource manager's redo (not this bundle)
 * replays it.
 */

/** Encoding, decoding and {@code pg_waldump}-style description of XACT records. */
public final class XactRecords {

    public static final byte COMMIT = 0x00;
    public static final byte ABORT = 0x20;
    /** The XLOG record that pre-allocates OIDs ({@code XLOG_NEXTOID}). */
    public static final byte XLOG_NEXTOID = 0x30;

    /** 2000-01-01 00:00:00 UTC in Unix epoch seconds (PostgreSQL's epoch). */
    static final long PG_EPOCH_SECONDS = 946_684_800L;

    private static final DateTimeFormatter TIME = DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private XactRecords() {
    }

    /** A decoded commit or abort record. */
    public record Parsed(boolean commit, int xid, long timestamp, int[] subXids) {
    }

    public static byte[] encode(long timestamp, int[] subXids) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * subXids.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(timestamp).putInt(subXids.length);
        for (int s : subXids) {
            b.putInt(s);
        }
        return b.array();
    }

    public static WalRecord commit(int xid, long timestamp, int[] subXids) {
        return WalRecord.of(ResourceManager.XACT, COMMIT, xid, encode(timestamp, subXids));
    }

    public static WalRecord abort(int xid, long timestamp, int[] subXids) {
        return WalRecord.of(ResourceManager.XACT, ABORT, xid, encode(timestamp, subXids));
    }

    public static WalRecord nextOid(int nextOid) {
        byte[] main = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(nextOid).array();
        return WalRecord.of(ResourceManager.XLOG, XLOG_NEXTOID, 0, main);
    }

    /** Decodes a commit or abort record; null for another XACT record kind. */
    public static Parsed parse(WalRecord r) {
        int info = r.info() & 0x70;
        if (info != COMMIT && info != ABORT) {
            return null;
        }
        ByteBuffer b = r.mainDataBuffer();
        if (b.remaining() < 12) {
            throw corrupt(r, "main data is " + b.remaining() + " bytes");
        }
        long ts = b.getLong();
        int n = b.getInt();
        if (n < 0 || b.remaining() < 4L * n) {
            throw corrupt(r, "it counts " + n + " sub-transactions in " + b.remaining() + " bytes");
        }
        int[] subs = new int[n];
        for (int i = 0; i < n; i++) {
            subs[i] = b.getInt();
        }
        return new Parsed(info == COMMIT, r.xid(), ts, subs);
    }

    private static PgException corrupt(WalRecord r, String why) {
        return new PgException(SqlState.DATA_CORRUPTED, "invalid transaction record: " + why);
    }

    /** Now as a PostgreSQL {@code TimestampTz}: microseconds since 2000-01-01 UTC. */
    public static long now() {
        Instant i = Instant.now();
        return (i.getEpochSecond() - PG_EPOCH_SECONDS) * 1_000_000L + i.getNano() / 1000;
    }

    /** {@code 2026-12-03 04:05:06.123456 UTC}, as {@code pg_waldump} prints a TimestampTz. */
    public static String formatTimestamp(long ts) {
        long secs = Math.floorDiv(ts, 1_000_000L);
        long micros = Math.floorMod(ts, 1_000_000L);
        return TIME.format(Instant.ofEpochSecond(PG_EPOCH_SECONDS + secs, micros * 1000));
    }

    /**
     * {@code pg_waldump}'s text after {@code desc:}: {@code COMMIT 2026-12-03
     * 04:05:06.123456 UTC; subxacts: 740 741} (the same with {@code ABORT}).
     */
    public static String describe(WalRecord r) {
        Parsed p;
        try {
            p = parse(r);
        } catch (PgException e) {
            return "invalid record: " + e.getMessage();
        }
        if (p == null) {
            return "UNKNOWN (" + String.format(Locale.ROOT, "%02X", r.info() & 0xF0) + ")";
        }
        StringBuilder sb = new StringBuilder(p.commit() ? "COMMIT " : "ABORT ");
        sb.append(formatTimestamp(p.timestamp()));
        if (p.subXids().length > 0) {
            sb.append("; subxacts:");
            for (int s : p.subXids()) {
                sb.append(' ').append(Integer.toUnsignedString(s));
            }
        }
        return sb.toString();
    }
}
