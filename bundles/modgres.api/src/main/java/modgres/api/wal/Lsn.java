package modgres.api.wal;

import java.util.Locale;

/**
 * Log sequence numbers: byte positions in the write-ahead log, held in a
 * {@code long} (PostgreSQL's {@code XLogRecPtr}). LSN 0 is
 * {@linkplain #INVALID invalid}; real positions are far below 2<sup>63</sup>,
 * so signed comparison works, though {@link #compare} compares unsigned.
 *
 * <p>Also the names of segment files: a segment is {@code segmentSize} bytes
 * of the log (16 MiB by default), stored in {@code pg_wal/} under a
 * 24-hex-digit name: the timeline, then the segment number split into a
 * "log id" (the high part) and the segment within that log id, eight digits
 * each, as PostgreSQL names them ({@code 000000010000000000000001}).
 */
public final class Lsn {

    /** PostgreSQL's {@code InvalidXLogRecPtr}. */
    public static final long INVALID = 0L;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Lsn() {
    }

    public static boolean isValid(long lsn) {
        return lsn != INVALID;
    }

    /** Unsigned comparison. */
    public static int compare(long a, long b) {
        return Long.compareUnsigned(a, b);
    }

    /** The form PostgreSQL prints: two upper-case hex halves without leading zeros, {@code 0/16B3748}. */
    public static String format(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase(Locale.ROOT) + "/"
                + Long.toHexString(lsn & 0xFFFF_FFFFL).toUpperCase(Locale.ROOT);
    }

    /**
     * Parses the form {@link #format} prints (either case, 1 to 8 hex digits
     * per half), as {@code 'X/X'::pg_lsn} does.
     *
     * @throws IllegalArgumentException {@code invalid input syntax for type pg_lsn: "..."}
     */
    public static long parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 1 || slash > 8 || text.length() - slash - 1 < 1 || text.length() - slash - 1 > 8) {
            throw invalid(text);
        }
        try {
            long hi = parseHex(text, 0, slash);
            long lo = parseHex(text, slash + 1, text.length());
            return hi << 32 | lo;
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    private static long parseHex(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw new NumberFormatException();
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid input syntax for type pg_lsn: \"" + text + "\"");
    }

    /** The number of the segment that holds the byte at {@code lsn}. */
    public static long segmentNumber(long lsn, long segmentSize) {
        return Long.divideUnsigned(lsn, segmentSize);
    }

    /** The offset of {@code lsn} within its segment. */
    public static long segmentOffset(long lsn, long segmentSize) {
        return Long.remainderUnsigned(lsn, segmentSize);
    }

    /** The LSN of the first byte of segment {@code segno}. */
    public static long segmentStart(long segno, long segmentSize) {
        return segno * segmentSize;
    }

    /** Segments per "log id" (the middle eight digits of a file name): 2<sup>32</sup> / segment size. */
    public static long segmentsPerLogId(long segmentSize) {
        return 0x1_0000_0000L / segmentSize;
    }

    /** PostgreSQL's {@code XLogFileName}: {@code 000000010000000000000001} for timeline 1, segment 1. */
    public static String segmentFileName(int timeline, long segno, long segmentSize) {
        long perId = segmentsPerLogId(segmentSize);
        char[] c = new char[24];
        hex8(c, 0, timeline);
        hex8(c, 8, (int) (segno / perId));
        hex8(c, 16, (int) (segno % perId));
        return new String(c);
    }

    private static void hex8(char[] c, int at, int v) {
        for (int i = 7; i >= 0; i--) {
            c[at + i] = HEX[v & 0xF];
            v >>>= 4;
        }
    }

    /** True for a name of 24 upper-case hex digits, the form of a segment file name. */
    public static boolean isSegmentFileName(String name) {
        if (name == null || name.length() != 24) {
            return false;
        }
        for (int i = 0; i < 24; i++) {
            char ch = name.charAt(i);
            if (!(ch >= '0' && ch <= '9' || ch >= 'A' && ch <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The segment number a segment file name stands for, or -1 if the name is
     * not one ({@link #isSegmentFileName}) or its "seg" part is out of range for
     * the segment size.
     */
    public static long parseSegmentFileName(String name, long segmentSize) {
        if (!isSegmentFileName(name)) {
            return -1;
        }
        long logId = Long.parseLong(name.substring(8, 16), 16);
        long seg = Long.parseLong(name.substring(16, 24), 16);
        long perId = segmentsPerLogId(segmentSize);
        if (seg >= perId) {
            return -1;
        }
        return logId * perId + seg;
    }

    /** The timeline of a segment file name ({@link #isSegmentFileName} must hold). */
    public static int timelineOfSegmentFileName(String name) {
        return (int) Long.parseLong(name.substring(0, 8), 16);
    }
}
