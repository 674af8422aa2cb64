package modgres.storage.page;

import static modgres.api.page.HeapTupleHeader.HEAP_HASNULL;
import static modgres.api.page.HeapTupleHeader.HEAP_HASVARWIDTH;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_INVALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import modgres.api.page.HeapTupleHeader;
import modgres.api.page.Page;

class HeapTupleHeaderTest {

    @Test
    void constantsArePostgres() {
        assertEquals(23, HeapTupleHeader.SIZE);
        assertEquals(8160, HeapTupleHeader.MAX_TUPLE_SIZE);
        assertEquals(291, HeapTupleHeader.MAX_TUPLES_PER_PAGE);
        assertEquals(0x0001, HeapTupleHeader.HEAP_HASNULL);
        assertEquals(0x0080, HeapTupleHeader.HEAP_XMAX_LOCK_ONLY);
        assertEquals(0x0100, HeapTupleHeader.HEAP_XMIN_COMMITTED);
        assertEquals(0x0200, HeapTupleHeader.HEAP_XMIN_INVALID);
        assertEquals(0x0400, HeapTupleHeader.HEAP_XMAX_COMMITTED);
        assertEquals(0x0800, HeapTupleHeader.HEAP_XMAX_INVALID);
        assertEquals(0x1000, HeapTupleHeader.HEAP_XMAX_IS_MULTI);
        assertEquals(0x2000, HeapTupleHeader.HEAP_UPDATED);
        assertEquals(0x0050, HeapTupleHeader.HEAP_XMAX_SHR_LOCK);
        assertEquals(0x4000, HeapTupleHeader.HEAP_HOT_UPDATED);
        assertEquals(0x8000, HeapTupleHeader.HEAP_ONLY_TUPLE);
    }

    @Test
    void headerSizeIsMaxaligned() {
        assertEquals(24, HeapTupleHeader.headerSize(3, false));
        assertEquals(24, HeapTupleHeader.headerSize(8, true));
        assertEquals(32, HeapTupleHeader.headerSize(9, true));
        assertEquals(24 + 200, HeapTupleHeader.headerSize(1600, true));
    }

    @Test
    void roundTrip() {
        for (ByteBuffer b : new ByteBuffer[] {ByteBuffer.allocate(128),
                ByteBuffer.allocateDirect(128).order(ByteOrder.BIG_ENDIAN)}) {
            int t = 40;
            int hoff = HeapTupleHeader.init(b, t, 10, true, 1000, 7, 0x12345678, 42, HEAP_HASVARWIDTH);
            assertEquals(32, hoff);
            assertEquals(1000, HeapTupleHeader.xmin(b, t));
            assertEquals(0, HeapTupleHeader.xmax(b, t));
            assertEquals(7, HeapTupleHeader.cid(b, t));
            assertEquals(0x12345678, HeapTupleHeader.ctidBlock(b, t));
            assertEquals(42, HeapTupleHeader.ctidOffset(b, t));
            // block id stored as two little-endian halves, high first
            assertEquals(0x34, b.get(t + 12));
            assertEquals(0x12, b.get(t + 13));
            assertEquals(0x78, b.get(t + 14));
            assertEquals(0x56, b.get(t + 15));
            assertEquals(10, HeapTupleHeader.natts(b, t));
            assertEquals(HEAP_HASNULL | HEAP_HASVARWIDTH | HEAP_XMAX_INVALID, HeapTupleHeader.infomask(b, t));
            for (int a = 0; a < 10; a++) {
                assertFalse(HeapTupleHeader.isNull(b, t, a));
            }
            HeapTupleHeader.setNull(b, t, 0, true);
            HeapTupleHeader.setNull(b, t, 9, true);
            assertTrue(HeapTupleHeader.isNull(b, t, 0));
            assertTrue(HeapTupleHeader.isNull(b, t, 9));
            assertFalse(HeapTupleHeader.isNull(b, t, 8));
            assertEquals(0xFE, b.get(t + 23) & 0xFF);
            assertEquals(0x01, b.get(t + 24) & 0xFF);
            HeapTupleHeader.setNull(b, t, 9, false);
            assertEquals(0x03, b.get(t + 24) & 0xFF);

            HeapTupleHeader.setXmax(b, t, 2000);
            HeapTupleHeader.setInfomask(b, t, HeapTupleHeader.HEAP_XMAX_EXCL_LOCK | HeapTupleHeader.HEAP_XMAX_LOCK_ONLY);
            assertTrue(HeapTupleHeader.xmaxIsLockedOnly(b, t));
            HeapTupleHeader.setInfomask(b, t, HeapTupleHeader.HEAP_XMAX_EXCL_LOCK);
            assertTrue(HeapTupleHeader.xmaxIsLockedOnly(b, t), "pre-9.3 style exclusive lock");
            HeapTupleHeader.setInfomask(b, t, 0);
            assertFalse(HeapTupleHeader.xmaxIsLockedOnly(b, t));
            HeapTupleHeader.setInfomaskBits(b, t, HeapTupleHeader.HEAP_XMIN_FROZEN);
            assertTrue(HeapTupleHeader.xminFrozen(b, t));
            assertTrue(HeapTupleHeader.xminCommitted(b, t));
            assertFalse(HeapTupleHeader.xminInvalid(b, t));
            HeapTupleHeader.clearInfomaskBits(b, t, HeapTupleHeader.HEAP_XMIN_COMMITTED);
            assertTrue(HeapTupleHeader.xminInvalid(b, t));
            HeapTupleHeader.setNatts(b, t, 5);
            HeapTupleHeader.setInfomask2Bits(b, t, HeapTupleHeader.HEAP_HOT_UPDATED);
            assertEquals(5, HeapTupleHeader.natts(b, t));
            assertTrue(HeapTupleHeader.isHotUpdated(b, t));
            HeapTupleHeader.setXvac(b, t, 99);
            assertEquals(99, HeapTupleHeader.xvac(b, t));
            assertEquals(0, b.position());
        }
    }

    @Test
    void noBitmapWithoutNulls() {
        ByteBuffer b = ByteBuffer.allocate(64);
        assertEquals(24, HeapTupleHeader.init(b, 0, 2, false, 5, 0, 0, 1, 0));
        assertFalse(HeapTupleHeader.hasNulls(b, 0));
        assertFalse(HeapTupleHeader.isNull(b, 0, 1));
        assertThrows(IllegalStateException.class, () -> HeapTupleHeader.setNull(b, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> HeapTupleHeader.init(b, 0, 1601, false, 5, 0, 0, 1, 0));
    }

    @Test
    void aTupleFillsAnEmptyHeapPageExactly() {
        ByteBuffer p = ByteBuffer.allocate(Page.SIZE);
        Page.init(p, 0);
        assertEquals(0, Page.reserveItem(p, HeapTupleHeader.MAX_TUPLE_SIZE + 1, 0, Page.IS_HEAP));
        assertEquals(1, Page.reserveItem(p, HeapTupleHeader.MAX_TUPLE_SIZE, 0, Page.IS_HEAP));
        assertEquals(4, Page.exactFreeSpace(p), "MAXALIGN(24 + 4) - 28");
    }
}
