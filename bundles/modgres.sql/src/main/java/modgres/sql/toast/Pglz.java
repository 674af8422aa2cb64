package modgres.sql.toast;

/*
 * Design notes
 * ------------
 * An LZ77 compressor writing PostgreSQL's pglz format, so a value compressed
 * here has attcompression 'p' semantics (toast compression method id 0). The
 * code is our own; only the format and the acceptance rules of PostgreSQL's
 * default strategy are followed:
 *
 *   stream := { control-byte, 8 items }...      bit i (LSB first) of the control
 *   item   := literal byte              (bit 0)   byte says what item i is
 *           | tag                       (bit 1)
 *   tag    := [hi4(off) << 4 | min(len-3, 15)] [lo8(off)] [len-18 if len >= 18]
 *             off in 1..4095 (distance back into the output), len in 3..273
 *
 * Acceptance (PGLZ_strategy_default): inputs under 32 bytes are not
 * compressed; the result must save at least 25 %; if no match was found in
 * the first 1024 input bytes compression is abandoned (such data rarely
 * compresses). A failure returns null and the caller stores the value
 * uncompressed.
 *
 * Matching: a hash of the next 3 bytes indexes the most recent position with
 * that hash; positions with equal hash are chained (prev[], a 4096-wide
 * ring = the window), and at most MAX_CHAIN candidates are tried, stopping
 * early at a match of GOOD_MATCH bytes. Overlapping copies (off < len) are
 * legal and are how runs compress.
 */
/** PostgreSQL's pglz format: compress (own matcher, PG's default acceptance rules) and decompress. */
public final class Pglz {
    static final int MIN_INPUT = 32;
    static final int MIN_COMP_RATE = 25;
    static final int FIRST_SUCCESS_BY = 1024;
    static final int MAX_OFFSET = 4095;
    static final int MAX_MATCH = 273;
    static final int GOOD_MATCH = 128;
    static final int MAX_CHAIN = 4;
    private static final int HASH_BITS = 13;

    private Pglz() {
    }

    /** The compressed form of {@code src[0..len)}, or null when it does not compress well enough. */
    public static byte[] compress(byte[] src, int len) {
        if (len < MIN_INPUT) {
            return null;
        }
        long max = (long) len * (100 - MIN_COMP_RATE) / 100;
        byte[] out = new byte[(int) Math.min(max + 4 + 273 * 2, len + len / 8 + 16)];
        int[] head = new int[1 << HASH_BITS];
        java.util.Arrays.fill(head, -1);
        int[] prev = new int[MAX_OFFSET + 1];
        int op = 0;
        int ctrlPos = -1;
        int ctrlBit = 8;
        boolean matched = false;
        int ip = 0;
        while (ip < len) {
            if (op >= max) {
                return null;
            }
            if (!matched && ip >= FIRST_SUCCESS_BY) {
                return null;
            }
            if (ctrlBit == 8) {
                ctrlPos = op++;
                out[ctrlPos] = 0;
                ctrlBit = 0;
            }
            int bestLen = 0;
            int bestOff = 0;
            if (ip + 2 < len) {
                int h = hash(src, ip);
                int cand = head[h];
                int chain = 0;
                int limit = Math.min(MAX_MATCH, len - ip);
                while (cand >= 0 && ip - cand <= MAX_OFFSET && chain++ < MAX_CHAIN) {
                    if (src[cand + bestLen] == src[ip + bestLen] || bestLen == 0) {
                        int m = 0;
                        while (m < limit && src[cand + m] == src[ip + m]) {
                            m++;
                        }
                        if (m > bestLen) {
                            bestLen = m;
                            bestOff = ip - cand;
                            if (m >= GOOD_MATCH || m == limit) {
                                break;
                            }
                        }
                    }
                    int p = prev[cand & MAX_OFFSET];
                    if (p >= cand) {
                        break;
                    }
                    cand = p;
                }
            }
            if (bestLen >= 3) {
                matched = true;
                out[ctrlPos] |= (byte) (1 << ctrlBit);
                if (bestLen > 17) {
                    out[op++] = (byte) (((bestOff >> 4) & 0xF0) | 0x0F);
                    out[op++] = (byte) bestOff;
                    out[op++] = (byte) (bestLen - 18);
                } else {
                    out[op++] = (byte) (((bestOff >> 4) & 0xF0) | (bestLen - 3));
                    out[op++] = (byte) bestOff;
                }
                int end = ip + bestLen;
                while (ip < end) {
                    insert(src, ip, len, head, prev);
                    ip++;
                }
            } else {
                out[op++] = src[ip];
                insert(src, ip, len, head, prev);
                ip++;
            }
            ctrlBit++;
        }
        if (op >= max) {
            return null;
        }
        return java.util.Arrays.copyOf(out, op);
    }

    private static int hash(byte[] s, int i) {
        int v = ((s[i] & 0xFF) << 16) | ((s[i + 1] & 0xFF) << 8) | (s[i + 2] & 0xFF);
        return (v * 0x9E3779B1) >>> (32 - HASH_BITS);
    }

    private static void insert(byte[] s, int i, int len, int[] head, int[] prev) {
        if (i + 2 >= len) {
            return;
        }
        int h = hash(s, i);
        prev[i & MAX_OFFSET] = head[h];
        head[h] = i;
    }

    /**
     * Decompresses {@code len} bytes at {@code off} of {@code src} into exactly {@code rawSize} bytes.
     *
     * @throws IllegalStateException when the data is corrupt (does not produce rawSize bytes)
     */
    public static byte[] decompress(byte[] src, int off, int len, int rawSize) {
        byte[] dst = new byte[rawSize];
        int sp = off;
        int end = off + len;
        int dp = 0;
        while (sp < end && dp < rawSize) {
            int ctrl = src[sp++] & 0xFF;
            for (int bit = 0; bit < 8 && sp < end && dp < rawSize; bit++, ctrl >>= 1) {
                if ((ctrl & 1) != 0) {
                    if (sp + 1 >= end) {
                        throw new IllegalStateException("compressed pglz data is corrupt");
                    }
                    int b0 = src[sp] & 0xFF;
                    int mlen = (b0 & 0x0F) + 3;
                    int moff = ((b0 & 0xF0) << 4) | (src[sp + 1] & 0xFF);
                    sp += 2;
                    if (mlen == 18) {
                        if (sp >= end) {
                            throw new IllegalStateException("compressed pglz data is corrupt");
                        }
                        mlen += src[sp++] & 0xFF;
                    }
                    if (moff == 0 || moff > dp) {
                        throw new IllegalStateException("compressed pglz data is corrupt");
                    }
                    mlen = Math.min(mlen, rawSize - dp);
                    if (moff >= mlen) {
                        System.arraycopy(dst, dp - moff, dst, dp, mlen);
                        dp += mlen;
                    } else {
                        for (int k = 0; k < mlen; k++) {
                            dst[dp] = dst[dp - moff];
                            dp++;
                        }
                    }
                } else {
                    dst[dp++] = src[sp++];
                }
            }
        }
        if (dp != rawSize) {
            throw new IllegalStateException("compressed pglz data is corrupt");
        }
        return dst;
    }
}
