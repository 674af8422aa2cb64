package modgres.wal.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import modgres.api.wal.Wal;

/**
 * Constants of the format and the page header. Every multi-byte field is
 * little-endian.
 *
 * <pre>
 * page header (24 bytes; 40 on the first page of a segment, the "long" header)
 *   0  u16 magic        {@link #PAGE_MAGIC}
 *   2  u16 info         {@link #FIRST_IS_CONTRECORD}, {@link #LONG_HEADER_FLAG}
 *   4  u32 timeline
 *   8  u64 pageaddr     the LSN of the page's first byte
 *  16  u32 rem_len      bytes of a record continued from the previous page (0 if none)
 *  20  u32 (zero)
 *  24  u64 system id    } long header only
 *  32  u32 segment size }
 *  36  u32 page size    }
 * </pre>
 */
public final class WalFormat {

    public static final int PAGE = Wal.PAGE_SIZE;
    public static final int SHORT_HEADER = 24;
    public static final int LONG_HEADER = 40;
    /** Records start at multiples of 8 bytes (PostgreSQL's {@code MAXALIGN}). */
    public static final int ALIGN = 8;

    /** Our own magic ("MG"), so that PostgreSQL's tools never take these files for theirs. */
    public static final int PAGE_MAGIC = 0x4D47;
    public static final int FIRST_IS_CONTRECORD = 0x0001;
    public static final int LONG_HEADER_FLAG = 0x0002;
    public static final int ALL_PAGE_FLAGS = FIRST_IS_CONTRECORD | LONG_HEADER_FLAG;

    public static final int PH_MAGIC = 0;
    public static final int PH_INFO = 2;
    public static final int PH_TIMELINE = 4;
    public static final int PH_PAGEADDR = 8;
    public static final int PH_REM_LEN = 16;
    public static final int PH_SYSID = 24;
    public static final int PH_SEG_SIZE = 32;
    public static final int PH_PAGE_SIZE = 36;

    /** Record header offsets. */
    public static final int REC_TOT_LEN = 0;
    public static final int REC_XID = 4;
    public static final int REC_PREV = 8;
    public static final int REC_INFO = 16;
    public static final int REC_RMID = 17;
    public static final int REC_CRC = 20;

    /** Block header: fork number in the low four bits of fork_flags, then these flags. */
    public static final int BKPBLOCK_FORK_MASK = 0x0F;
    public static final int BKPBLOCK_HAS_IMAGE = 0x10;
    public static final int BKPBLOCK_HAS_DATA = 0x20;
    public static final int BKPBLOCK_WILL_INIT = 0x40;
    public static final int BKPBLOCK_SAME_REL = 0x80;
    /** Image info: the hole between pd_lower and pd_upper is left out. */
    public static final int BKPIMAGE_HAS_HOLE = 0x01;

    /** Block id of the main data header with a one-byte length. */
    public static final int BLOCK_ID_DATA_SHORT = 255;
    /** Block id of the main data header with a four-byte length. */
    public static final int BLOCK_ID_DATA_LONG = 254;

    /** Sizes of the parts of a block header. */
    public static final int BLOCK_HEADER = 4;
    public static final int IMAGE_HEADER = 5;
    public static final int REL_SIZE = 12;
    public static final int BLOCKNO_SIZE = 4;
    public static final int MAX_BLOCK_HEADER = BLOCK_HEADER + IMAGE_HEADER + REL_SIZE + BLOCKNO_SIZE;

    private WalFormat() {
    }

    public static int align(int n) {
        return (n + ALIGN - 1) & -ALIGN;
    }

    public static long align(long n) {
        return (n + ALIGN - 1) & -ALIGN;
    }

    /** The size of the header of the page starting at {@code pageLsn}. */
    public static int headerSize(long pageLsn, long segmentSize) {
        return (pageLsn & (segmentSize - 1)) == 0 ? LONG_HEADER : SHORT_HEADER;
    }

    /**
     * Writes the header of a freshly zeroed page at {@code at} in {@code buf}
     * (little-endian order expected). {@code rem_len} and
     * {@link #FIRST_IS_CONTRECORD} are set later by the inserter that
     * continues a record onto the page.
     */
    public static void writePageHeader(ByteBuffer buf, int at, long pageLsn, int timeline, long systemId,
            long segmentSize) {
        boolean isLong = (pageLsn & (segmentSize - 1)) == 0;
        buf.putShort(at + PH_MAGIC, (short) PAGE_MAGIC);
        buf.putShort(at + PH_INFO, (short) (isLong ? LONG_HEADER_FLAG : 0));
        buf.putInt(at + PH_TIMELINE, timeline);
        buf.putLong(at + PH_PAGEADDR, pageLsn);
        buf.putInt(at + PH_REM_LEN, 0);
        if (isLong) {
            buf.putLong(at + PH_SYSID, systemId);
            buf.putInt(at + PH_SEG_SIZE, (int) segmentSize);
            buf.putInt(at + PH_PAGE_SIZE, PAGE);
        }
    }

    /**
     * Checks the header of the page {@code pageLsn} held in {@code page}
     * (positioned at 0, little-endian). Returns null if it is valid, else the
     * reason in PostgreSQL's words.
     */
    public static String checkPageHeader(ByteBuffer page, long pageLsn, int timeline, long systemId,
            long segmentSize) {
        int magic = page.getShort(PH_MAGIC) & 0xFFFF;
        long segOff = pageLsn & (segmentSize - 1);
        String where = " in log segment " + modgres.api.wal.Lsn.segmentFileName(timeline, pageLsn / segmentSize,
                segmentSize) + ", offset " + segOff;
        if (magic != PAGE_MAGIC) {
            return "invalid magic number " + hex4(magic) + where;
        }
        int info = page.getShort(PH_INFO) & 0xFFFF;
        if ((info & ~ALL_PAGE_FLAGS) != 0) {
            return "invalid info bits " + hex4(info) + where;
        }
        long addr = page.getLong(PH_PAGEADDR);
        if (addr != pageLsn) {
            return "unexpected pageaddr " + modgres.api.wal.Lsn.format(addr) + where;
        }
        int tli = page.getInt(PH_TIMELINE);
        if (tli != timeline) {
            return "unexpected timeline ID " + Integer.toUnsignedString(tli) + where;
        }
        boolean wantLong = segOff == 0;
        if (wantLong != ((info & LONG_HEADER_FLAG) != 0)) {
            return (wantLong ? "missing long page header" : "unexpected long page header") + where;
        }
        if (wantLong) {
            if (page.getLong(PH_SYSID) != systemId) {
                return "WAL file is from different database system: WAL file database system identifier is "
                        + Long.toUnsignedString(page.getLong(PH_SYSID)) + ", pg_control database system identifier is "
                        + Long.toUnsignedString(systemId);
            }
            if (page.getInt(PH_SEG_SIZE) != (int) segmentSize) {
                return "WAL file is from different database system: incorrect segment size in page header";
            }
            if (page.getInt(PH_PAGE_SIZE) != PAGE) {
                return "WAL file is from different database system: incorrect XLOG_BLCKSZ in page header";
            }
        }
        return null;
    }

    private static String hex4(int v) {
        return String.format("%04X", v);
    }

    /** A little-endian view of a byte array, for header fields. */
    public static ByteBuffer le(byte[] a) {
        return ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
    }
}
