package modgres.sql.toast;

/*
 * Design notes
 * ------------
 * The LZ4 block format (toast compression method 1, default_toast_compression
 * = lz4), own code after the format description:
 *
 *   sequence := token [literal-length bytes] literals [offset u16le [match-length bytes]]
 *   token    := (min(literals, 15) << 4) | min(match - 4, 15);  a nibble of 15 continues
 *               in following bytes (255 = add and go on), as does the match length
 *
 * The last sequence has literals only; the last 5 bytes are always literals
 * and no match starts within the last 12 bytes (the format's end rules).
 * Matching: one hash table of 4-byte sequences (single candidate, greedy), a
 * window of 65535 bytes. A result not at least 2 bytes shorter than the
 * input is refused (null), as PostgreSQL stores the value uncompressed then.
 */
/** LZ4 block compression and decompression (see the design notes). */
public final class Lz4 {
    private static final int MIN_MATCH = 4;
    private static final int LAST_LITERALS = 5;
    private static final int MF_LIMIT = 12;
    private static final int HASH_BITS = 14;

    private Lz4() {
    }

    public static byte[] compress(byte[] src, int len) {
        if (len < MIN_INPUT_FOR_GAIN) {
            return null;
        }
        byte[] out = new byte[len + len / 255 + 16];
        int[] table = new int[1 << HASH_BITS];
        java.util.Arrays.fill(table, -1);
        int op = 0;
        int anchor = 0;
        int ip = 0;
        int limit = len - MF_LIMIT;
        while (ip < limit) {
            int h = hash(src, ip);
            int ref = table[h];
            table[h] = ip;
            if (ref < 0 || ip - ref > 65535 || getIntRaw(src, ref) != getIntRaw(src, ip)) {
                ip++;
                continue;
            }
            int m = MIN_MATCH;
            int maxMatch = len - LAST_LITERALS - ip;
            while (m < maxMatch && src[ref + m] == src[ip + m]) {
                m++;
            }
            op = sequence(out, op, src, anchor, ip - anchor, ip - ref, m);
            if (op < 0 || op >= len - 2) {
                return null;
            }
            ip += m;
            anchor = ip;
        }
        int lit = len - anchor;
        if (op + lit + lit / 255 + 2 >= len - 2) {
            return null;
        }
        op = sequence(out, op, src, anchor, lit, 0, 0);
        return java.util.Arrays.copyOf(out, op);
    }

    private static final int MIN_INPUT_FOR_GAIN = 16;

    private static int sequence(byte[] out, int op, byte[] src, int litStart, int lit, int offset, int match) {
        int tokenPos = op++;
        int token = Math.min(lit, 15) << 4;
        if (lit >= 15) {
            int rest = lit - 15;
            while (rest >= 255) {
                out[op++] = (byte) 255;
                rest -= 255;
            }
            out[op++] = (byte) rest;
        }
        System.arraycopy(src, litStart, out, op, lit);
        op += lit;
        if (match > 0) {
            out[op++] = (byte) offset;
            out[op++] = (byte) (offset >>> 8);
            int ml = match - MIN_MATCH;
            token |= Math.min(ml, 15);
            if (ml >= 15) {
                int rest = ml - 15;
                while (rest >= 255) {
                    out[op++] = (byte) 255;
                    rest -= 255;
                }
                out[op++] = (byte) rest;
            }
        }
        out[tokenPos] = (byte) token;
        return op;
    }

    private static int getIntRaw(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    private static int hash(byte[] b, int i) {
        return (getIntRaw(b, i) * -1640531535) >>> (32 - HASH_BITS);
    }

    public static byte[] decompress(byte[] src, int off, int len, int rawSize) {
        byte[] dst = new byte[rawSize];
        int sp = off;
        int end = off + len;
        int dp = 0;
        try {
            while (sp < end) {
                int token = src[sp++] & 0xFF;
                int lit = token >>> 4;
                if (lit == 15) {
                    int b;
                    do {
                        b = src[sp++] & 0xFF;
                        lit += b;
                    } while (b == 255);
                }
                System.arraycopy(src, sp, dst, dp, lit);
                sp += lit;
                dp += lit;
                if (sp >= end) {
                    break;
                }
                int offset = (src[sp] & 0xFF) | (src[sp + 1] & 0xFF) << 8;
                sp += 2;
                int ml = token & 15;
                if (ml == 15) {
                    int b;
                    do {
                        b = src[sp++] & 0xFF;
                        ml += b;
                    } while (b == 255);
                }
                ml += MIN_MATCH;
                if (offset == 0 || offset > dp) {
                    throw new IllegalStateException("compressed lz4 data is corrupt");
                }
                if (offset >= ml) {
                    System.arraycopy(dst, dp - offset, dst, dp, ml);
                    dp += ml;
                } else {
                    for (int k = 0; k < ml; k++) {
                        dst[dp] = dst[dp - offset];
                        dp++;
                    }
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalStateException("compressed lz4 data is corrupt");
        }
        if (dp != rawSize) {
            throw new IllegalStateException("compressed lz4 data is corrupt");
        }
        return dst;
    }
}
