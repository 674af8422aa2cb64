package modgres.storage.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/** The pages PostgreSQL 15 wrote (see pg15-reference.md in the test resources) and what pageinspect said of them. */
public final class Reference {
    public static final String HEAP_PAGE = "/modgres/storage/pg15-heap-page.bin";
    public static final String FSM_FORK = "/modgres/storage/pg15-fsm-fork.bin";

    /** The stored pd_checksum of the heap page (block 0). */
    public static final int HEAP_PAGE_CHECKSUM = 1361;
    /** pd_lsn of the heap page: 0/17C4230. */
    public static final long HEAP_PAGE_LSN = 0x17C4230L;

    /** heap_page_items: lp, lp_off, lp_flags, lp_len, t_xmin, t_xmax, t_field3, ctid block, ctid offset, t_infomask2, t_infomask, t_hoff. */
    public static final int[][] ITEMS = {
        {1, 8152, 1, 37, 727, 0, 0, 0, 1, 3, 2306, 24},
        {2, 8112, 1, 38, 727, 0, 0, 0, 2, 3, 2306, 24},
        {3, 8072, 1, 35, 727, 0, 0, 0, 3, 3, 2307, 24},
        {4, 8032, 1, 40, 727, 0, 0, 0, 4, 3, 2306, 24},
        {5, 7984, 1, 41, 727, 730, 0, 0, 13, 16387, 1282, 24},
        {6, 7944, 1, 35, 727, 0, 0, 0, 6, 3, 2307, 24},
        {7, 7896, 1, 43, 727, 731, 0, 0, 7, 8195, 1282, 24},
        {8, 7848, 1, 44, 727, 0, 0, 0, 8, 3, 2306, 24},
        {9, 7808, 1, 35, 727, 0, 0, 0, 9, 3, 2307, 24},
        {10, 7760, 1, 47, 727, 0, 0, 0, 10, 3, 2306, 24},
        {11, 7704, 1, 54, 728, 0, 0, 0, 11, 3, 2306, 24},
        {12, 7672, 1, 28, 729, 0, 0, 0, 12, 3, 2305, 24},
        {13, 7624, 1, 42, 730, 0, 0, 0, 13, 32771, 10498, 24},
    };

    /** heap_page_items' t_bits per item (null when the tuple has no bitmap): '1' = not null. */
    public static final String[] BITS = {null, null, "11000000", null, null, "11000000", null, null, "11000000", null,
        null, "10000000", null};

    /** heap_page_items' t_data per item (hex). */
    public static final String[] DATA = {
        "010000000f6e616d6520310578",
        "020000000f6e616d652032077878",
        "030000000f6e616d652033",
        "040000000f6e616d6520340b78787878",
        "050000000f6e616d6520350d7878787878",
        "060000000f6e616d652036",
        "070000000f6e616d6520371178787878787878",
        "080000000f6e616d652038137878787878787878",
        "090000000f6e616d652039",
        "0a000000116e616d652031301778787878787878787878",
        "0b0000000f656c6576656e277365636f6e64207472616e73616374696f6e",
        "0c000000",
        "0500000011757064617465640d7878787878",
    };

    /** pg_freespace('f'): the free space PostgreSQL reports for blocks 0..11 of f. */
    public static final int[] FSM_AVAIL = {1984, 2208, 2464, 8160, 6144, 2208, 1984, 2208, 1984, 2208, 1984, 3648};
    /** The on-disk pd_checksum of the FSM fork's blocks 0..2. */
    public static final int[] FSM_CHECKSUMS = {21669, 8916, 443};

    private Reference() {
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = Reference.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resource as a little-endian heap buffer. */
    public static ByteBuffer page(String resource) {
        return ByteBuffer.wrap(bytes(resource)).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
