package modgres.api.page;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * PostgreSQL's data page checksum (checksum version 1), as written to
 * {@code pd_checksum} when data checksums are on.
 *
 * <p>The algorithm: the page is taken as 2048 little-endian 32-bit words,
 * laid out as 64 rows of 32 columns ("lanes"). Each lane keeps its own
 * 32-bit sum, starting from a fixed per-lane offset; every word of the lane
 * is folded in with an FNV-1a-like step, {@code tmp = sum ^ word;
 * sum = tmp * 16777619 ^ (tmp >>> 17)} (the shift mixes the high bits back
 * into the low ones, which plain FNV-1a lacks), and afterwards two more steps
 * with the word 0 mix the last words through. The 32 lane sums are XORed
 * together, the block number is XORed in (so that a page written to the
 * wrong place fails), and the result is reduced to 16 bits as
 * {@code sum % 65535 + 1}, which is never 0. The checksum field itself is
 * taken as zero while computing.
 *
 * <p>The block number is the block's number within the relation fork (not
 * within its 1 GiB segment file). A new page (all zeros, {@link Page#isNew})
 * has no checksum.
 */
public final class PageChecksum {

    /** The FNV prime used by the mixing step. */
    private static final int FNV_PRIME = 16777619;
    /** The number of parallel sums (the lanes). */
    private static final int LANES = 32;

    /**
     * The lanes' starting values: fixed random constants that are part of the
     * on-disk format (PostgreSQL's {@code checksumBaseOffsets}).
     */
    private static final int[] LANE_SEEDS = {
        0x5B1F36E9, 0xB8525960, 0x02AB50AA, 0x1DE66D2A, 0x79FF467A, 0x9BB9F8A3, 0x217E7CD2, 0x83E13D2C,
        0xF8D4474F, 0xE39EB970, 0x42C6AE16, 0x993216FA, 0x7B093B5D, 0x98DAFF3C, 0xF718902A, 0x0B1C9CDB,
        0xE58F764B, 0x187636BC, 0x5D7B3BB1, 0xE73DE7DE, 0x92BEC979, 0xCCA6C0B2, 0x304A0979, 0x85AA43D4,
        0x783125BB, 0x6CA8EAA2, 0xE407EAC6, 0x4B5CFC3E, 0x9FBF8C76, 0x15CA20BE, 0xF2CA9FD3, 0x959BD756,
    };

    /** The word that holds {@code pd_checksum} in its low half: word 2 (bytes 8..11). */
    private static final int CHECKSUM_WORD = Page.PD_CHECKSUM;

    private PageChecksum() {
    }

    /**
     * The checksum of the page as it would be stored for block
     * {@code blockNumber}: in 1..65535. The page is not changed; its current
     * {@code pd_checksum} does not matter.
     */
    public static int compute(ByteBuffer page, int blockNumber) {
        // Row by row over a copy of the page as ints: the 32 lane sums then sit in one array that the inner loop
        // updates element by element, a shape the JIT turns into vector instructions (the lane-by-lane walk over
        // the ByteBuffer it replaced was a visible share of the CPU when pages are read or written often).
        int[] words = WORDS.get();
        page.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(0).limit(Page.SIZE).asIntBuffer().get(words);
        // Row 0 of lane 2 carries pd_checksum (the low 16 bits, little-endian): count it as 0.
        words[CHECKSUM_WORD / 4] &= 0xFFFF0000;
        int[] sums = SUMS.get();
        System.arraycopy(LANE_SEEDS, 0, sums, 0, LANES);
        for (int row = 0; row < words.length; row += LANES) {
            for (int lane = 0; lane < LANES; lane++) {
                int tmp = sums[lane] ^ words[row + lane];
                sums[lane] = tmp * FNV_PRIME ^ tmp >>> 17;
            }
        }
        int folded = 0;
        for (int lane = 0; lane < LANES; lane++) {
            int sum = mix(sums[lane], 0);
            folded ^= mix(sum, 0);
        }
        folded ^= blockNumber;
        return (int) (Integer.toUnsignedLong(folded) % 65535) + 1;
    }

    private static final ThreadLocal<int[]> WORDS = ThreadLocal.withInitial(() -> new int[Page.SIZE / 4]);
    private static final ThreadLocal<int[]> SUMS = ThreadLocal.withInitial(() -> new int[LANES]);

    /** Computes the checksum for {@code blockNumber} and stores it in {@code pd_checksum}. */
    public static void set(ByteBuffer page, int blockNumber) {
        Page.setChecksum(page, compute(page, blockNumber));
    }

    /**
     * True when the stored {@code pd_checksum} is right for {@code blockNumber}.
     * Says nothing about new pages (whose checksum is 0): check
     * {@link Page#isNew} first.
     */
    public static boolean matches(ByteBuffer page, int blockNumber) {
        return Page.checksum(page) == compute(page, blockNumber);
    }

    private static int mix(int sum, int word) {
        int tmp = sum ^ word;
        return tmp * FNV_PRIME ^ tmp >>> 17;
    }
}
