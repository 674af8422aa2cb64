package modgres.storage.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import modgres.api.page.Page;
import modgres.api.page.PageChecksum;

/** The data checksum algorithm against pages PostgreSQL 15 wrote with data_checksums on. */
class PageChecksumTest {

    @Test
    void matchesPostgresHeapPage() {
        ByteBuffer p = Reference.page(Reference.HEAP_PAGE);
        assertEquals(Reference.HEAP_PAGE_CHECKSUM, PageChecksum.compute(p, 0));
        assertTrue(PageChecksum.matches(p, 0));
    }

    @Test
    void matchesPostgresFsmPagesAtTheirBlockNumbers() {
        byte[] fork = Reference.bytes(Reference.FSM_FORK);
        for (int blk = 0; blk < 3; blk++) {
            ByteBuffer p = ByteBuffer.wrap(fork, blk * Page.SIZE, Page.SIZE).slice();
            assertEquals(Reference.FSM_CHECKSUMS[blk], Page.checksum(p));
            assertEquals(Reference.FSM_CHECKSUMS[blk], PageChecksum.compute(p, blk), "block " + blk);
        }
    }

    @Test
    void independentOfBufferOrderAndKind() {
        byte[] bytes = Reference.bytes(Reference.HEAP_PAGE);
        ByteBuffer big = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer direct = ByteBuffer.allocateDirect(Page.SIZE);
        direct.put(0, bytes);
        assertEquals(Reference.HEAP_PAGE_CHECKSUM, PageChecksum.compute(big, 0));
        assertEquals(Reference.HEAP_PAGE_CHECKSUM, PageChecksum.compute(direct, 0));
    }

    @Test
    void ignoresTheStoredChecksumAndChangesNothing() {
        ByteBuffer p = Reference.page(Reference.HEAP_PAGE);
        byte[] before = p.array().clone();
        Page.setChecksum(p, 0xBEEF);
        assertEquals(Reference.HEAP_PAGE_CHECKSUM, PageChecksum.compute(p, 0));
        assertFalse(PageChecksum.matches(p, 0));
        PageChecksum.set(p, 0);
        assertEquals(java.nio.ByteBuffer.wrap(before), p.duplicate().clear());
    }

    @Test
    void coversEveryByteAndTheBlockNumber() {
        ByteBuffer p = Reference.page(Reference.HEAP_PAGE);
        int good = PageChecksum.compute(p, 0);
        assertNotEquals(good, PageChecksum.compute(p, 1), "a page at the wrong block fails");
        int tested = 0;
        int changed = 0;
        for (int i = 0; i < Page.SIZE; i += 97) {
            if (i == Page.PD_CHECKSUM || i == Page.PD_CHECKSUM + 1) {
                continue;
            }
            byte b = p.get(i);
            p.put(i, (byte) (b ^ 0x10));
            tested++;
            if (PageChecksum.compute(p, 0) != good) {
                changed++;
            }
            p.put(i, b);
        }
        assertEquals(tested, changed);
        assertEquals(good, PageChecksum.compute(p, 0));
    }

    @Test
    void neverZero() {
        ByteBuffer p = ByteBuffer.allocate(Page.SIZE);
        Page.init(p, 0);
        for (int blk = 0; blk < 2000; blk++) {
            int c = PageChecksum.compute(p, blk);
            assertTrue(c >= 1 && c <= 65535);
        }
    }
}
