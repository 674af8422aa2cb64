package modgres.console.internal.format;

import java.util.Locale;
import java.util.Map;

import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.wal.BlockReference;
import modgres.api.wal.Lsn;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;

/**
 * One line per WAL record, as PostgreSQL 15's {@code pg_waldump} prints it:
 *
 * <pre>
 * rmgr: Heap        len (rec/tot):     59/    59, tx:        740, lsn: 0/01A2B3C0, prev 0/01A2B380, desc: INSERT off 3 flags 0x00, blkref #0: rel 1663/5/16384 blk 0
 * </pre>
 *
 * The description after {@code desc:} is the {@link RedoHandler#describe} of
 * the handler claiming the record's resource manager ({@code UNKNOWN (x)}
 * when none does). {@code rec} is the record without its full-page images,
 * {@code tot} the whole record. The decoded record does not carry the stored
 * (hole-less) length of an image, so {@code rec} is computed from the WAL
 * bundle's record layout (header, block headers, block data, main data) and
 * the images are the rest.
 */
public final class WalDumpFormatter {

    private static final int HEADER = WalRecord.HEADER_SIZE;
    private static final int BLOCK_HEADER = 4;
    private static final int IMAGE_HEADER = 5;
    private static final int REL = 12;
    private static final int BLOCK_NUMBER = 4;

    private WalDumpFormatter() {
    }

    /** The line for {@code r} with {@code desc} after {@code desc:} (block references appended). */
    public static String line(WalRecord r, String desc) {
        int total = r.totalLength();
        int rec = Math.min(total, recordLength(r));
        StringBuilder sb = new StringBuilder(160);
        sb.append(String.format(Locale.ROOT, "rmgr: %-11s len (rec/tot): %6d/%6d, tx: %10s, lsn: %s, prev %s, desc: ",
                ResourceManager.name(r.rmgr()), rec, total, Integer.toUnsignedString(r.xid()), lsn(r.lsn()),
                lsn(r.prev())));
        sb.append(desc);
        for (int i = 0; i < r.blockCount(); i++) {
            BlockReference b = r.block(i);
            RelFileNode rel = b.rel();
            sb.append(", blkref #").append(i).append(": rel ").append(Integer.toUnsignedString(rel.tablespace()))
                    .append('/').append(Integer.toUnsignedString(rel.database())).append('/')
                    .append(Integer.toUnsignedString(rel.relfilenode()));
            if (b.fork() != ForkNumber.MAIN) {
                sb.append(" fork ").append(b.fork().forkName());
            }
            sb.append(" blk ").append(Integer.toUnsignedString(b.block()));
            if (b.hasImage()) {
                sb.append(" FPW");
            }
        }
        return sb.toString();
    }

    /** The description the handler of the record's resource manager gives, or PostgreSQL's UNKNOWN form. */
    public static String describe(WalRecord r, Map<Byte, RedoHandler> handlers) {
        RedoHandler h = handlers.get(r.rmgr());
        if (h != null) {
            try {
                return h.describe(r);
            } catch (RuntimeException e) {
                return "(cannot describe: " + e.getMessage() + ")";
            }
        }
        return "UNKNOWN (" + Integer.toHexString(r.info() & 0xF0) + ")";
    }

    /** {@code %X/%08X}: {@code 0/01A2B3C0}. */
    public static String lsn(long lsn) {
        return String.format(Locale.ROOT, "%X/%08X", lsn >>> 32, lsn & 0xFFFF_FFFFL);
    }

    /** The record's bytes without its images: what pg_waldump prints as {@code rec}. */
    static int recordLength(WalRecord r) {
        int len = HEADER;
        RelFileNode prev = null;
        for (int i = 0; i < r.blockCount(); i++) {
            BlockReference b = r.block(i);
            len += BLOCK_HEADER + BLOCK_NUMBER;
            if (b.hasImage()) {
                len += IMAGE_HEADER;
            }
            if (!b.rel().equals(prev)) {
                len += REL;
                prev = b.rel();
            }
            if (b.data() != null) {
                len += b.data().length;
            }
        }
        int main = r.mainData().length;
        if (main > 0) {
            len += (main < 256 ? 2 : 5) + main;
        }
        return len;
    }
}
