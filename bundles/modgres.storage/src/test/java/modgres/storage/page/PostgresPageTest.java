package modgres.storage.page;

import static modgres.api.page.HeapTupleHeader.HEAP_HASVARWIDTH;
import static modgres.api.page.HeapTupleHeader.HEAP_HOT_UPDATED;
import static modgres.api.page.HeapTupleHeader.HEAP_KEYS_UPDATED;
import static modgres.api.page.HeapTupleHeader.HEAP_ONLY_TUPLE;
import static modgres.api.page.HeapTupleHeader.HEAP_UPDATED;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_COMMITTED;
import static modgres.api.page.HeapTupleHeader.HEAP_XMAX_INVALID;
import static modgres.api.page.HeapTupleHeader.HEAP_XMIN_COMMITTED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import modgres.api.page.HeapTupleHeader;
import modgres.api.page.ItemId;
import modgres.api.page.Page;
import modgres.api.page.PageChecksum;

/**
 * Byte compatibility with PostgreSQL 15: the API parses a heap page that
 * PostgreSQL wrote exactly as pageinspect describes it, and builds the same
 * page, byte for byte, from the same tuples.
 */
class PostgresPageTest {

    @Test
    void headerMatchesPageHeaderFunction() {
        ByteBuffer p = Reference.page(Reference.HEAP_PAGE);
        assertEquals(Reference.HEAP_PAGE_LSN, Page.lsn(p));
        assertEquals(Reference.HEAP_PAGE_CHECKSUM, Page.checksum(p));
        assertEquals(0, Page.flags(p));
        assertEquals(76, Page.lower(p));
        assertEquals(7624, Page.upper(p));
        assertEquals(8192, Page.special(p));
        assertEquals(8192, Page.pageSize(p));
        assertEquals(4, Page.layoutVersion(p));
        assertEquals(730, Page.pruneXid(p));
        assertEquals(13, Page.maxOffset(p));
        assertTrue(Page.isHeaderSane(p));
        assertFalse(Page.isNew(p));
        assertEquals(7624 - 76 - 4, Page.freeSpace(p));
        assertEquals(7624 - 76 - 4, Page.heapFreeSpace(p));
    }

    @Test
    void itemsMatchHeapPageItemsFunction() {
        ByteBuffer p = Reference.page(Reference.HEAP_PAGE);
        for (int i = 0; i < Reference.ITEMS.length; i++) {
            int[] e = Reference.ITEMS[i];
            int lp = e[0];
            String at = "lp " + lp;
            assertEquals(e[1], Page.itemOffset(p, lp), at);
            assertEquals(e[2], Page.itemFlags(p, lp), at);
            assertEquals(ItemId.NORMAL, Page.itemFlags(p, lp), at);
            assertEquals(e[3], Page.itemLength(p, lp), at);
            int t = Page.itemOffset(p, lp);
            assertEquals(e[4], HeapTupleHeader.xmin(p, t), at);
            assertEquals(e[5], HeapTupleHeader.xmax(p, t), at);
            assertEquals(e[6], HeapTupleHeader.cid(p, t), at);
            assertEquals(e[7], HeapTupleHeader.ctidBlock(p, t), at);
            assertEquals(e[8], HeapTupleHeader.ctidOffset(p, t), at);
            assertEquals(e[9], HeapTupleHeader.infomask2(p, t), at);
            assertEquals(e[10], HeapTupleHeader.infomask(p, t), at);
            assertEquals(e[11], HeapTupleHeader.hoff(p, t), at);
            assertEquals(3, HeapTupleHeader.natts(p, t), at);
            String bits = Reference.BITS[i];
            assertEquals(bits != null, HeapTupleHeader.hasNulls(p, t), at);
            for (int a = 0; a < 3; a++) {
                boolean isNull = bits != null && bits.charAt(a) == '0';
                assertEquals(isNull, HeapTupleHeader.isNull(p, t, a), at + " att " + a);
            }
            byte[] data = new byte[e[3] - e[11]];
            p.get(t + e[11], data);
            assertArrayEquals(Reference.hex(Reference.DATA[i]), data, at);
            assertTrue(HeapTupleHeader.xminCommitted(p, t), at);
        }
        // the HOT chain: 5 was updated into 13 (heap-only), 7 was deleted
        assertTrue(HeapTupleHeader.isHotUpdated(p, 7984));
        assertTrue(HeapTupleHeader.isHeapOnly(p, 7624));
        assertFalse(HeapTupleHeader.isHeapOnly(p, 7984));
        assertEquals(HEAP_KEYS_UPDATED, HeapTupleHeader.infomask2(p, 7896) & HEAP_KEYS_UPDATED);
    }

    @Test
    void buildsTheSamePageByteForByte() {
        ByteBuffer expected = Reference.page(Reference.HEAP_PAGE);
        for (ByteBuffer p : new ByteBuffer[] {ByteBuffer.allocate(Page.SIZE),
                ByteBuffer.allocateDirect(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN)}) {
            build(p);
            assertEquals(0, p.position());
            assertEquals(expected, p.duplicate().clear(), "page built in a " + p);
        }
    }

    /** Replays what t's transactions did to its page, through the API only. */
    private static void build(ByteBuffer p) {
        Page.init(p, 0);
        // Inserts: xids 727 (ten rows), 728, 729; command id 0.
        for (int i = 0; i < Reference.ITEMS.length; i++) {
            int[] e = Reference.ITEMS[i];
            byte[] data = Reference.hex(Reference.DATA[i]);
            String bits = Reference.BITS[i];
            boolean hasNulls = bits != null;
            int natts = 3;
            int hoff = HeapTupleHeader.headerSize(natts, hasNulls);
            int len = hoff + data.length;
            int off = Page.reserveItem(p, len, Page.INVALID_OFFSET, Page.IS_HEAP);
            assertEquals(i + 1, off);
            int t = Page.itemOffset(p, off);
            boolean varwidth = bits == null || bits.charAt(1) == '1' || bits.charAt(2) == '1';
            int xmin = e[4];
            assertEquals(hoff, HeapTupleHeader.init(p, t, natts, hasNulls, xmin, 0, 0, off,
                    varwidth ? HEAP_HASVARWIDTH : 0));
            for (int a = 0; hasNulls && a < natts; a++) {
                HeapTupleHeader.setNull(p, t, a, bits.charAt(a) == '0');
            }
            p.put(t + hoff, data);
        }
        // UPDATE t SET name = 'updated' WHERE id = 5 (xid 730): a HOT update, old 5 -> new 13.
        int old5 = Page.itemOffset(p, 5);
        int new13 = Page.itemOffset(p, 13);
        HeapTupleHeader.setXmax(p, old5, 730);
        HeapTupleHeader.clearInfomaskBits(p, old5, HEAP_XMAX_INVALID);
        HeapTupleHeader.setCtid(p, old5, 0, 13);
        HeapTupleHeader.setInfomask2Bits(p, old5, HEAP_HOT_UPDATED);
        HeapTupleHeader.setInfomask2Bits(p, new13, HEAP_ONLY_TUPLE);
        HeapTupleHeader.setInfomaskBits(p, new13, HEAP_UPDATED);
        Page.setPrunable(p, 730);
        // DELETE FROM t WHERE id = 7 (xid 731).
        int del7 = Page.itemOffset(p, 7);
        HeapTupleHeader.setXmax(p, del7, 731);
        HeapTupleHeader.clearInfomaskBits(p, del7, HEAP_XMAX_INVALID);
        HeapTupleHeader.setInfomask2Bits(p, del7, HEAP_KEYS_UPDATED);
        Page.setPrunable(p, 731);
        // SELECT: hint bits (every inserter committed; both xmax committed).
        for (int off = 1; off <= Page.maxOffset(p); off++) {
            int t = Page.itemOffset(p, off);
            HeapTupleHeader.setInfomaskBits(p, t, HEAP_XMIN_COMMITTED);
            if ((HeapTupleHeader.infomask(p, t) & HEAP_XMAX_INVALID) == 0) {
                HeapTupleHeader.setInfomaskBits(p, t, HEAP_XMAX_COMMITTED);
            }
        }
        // The WAL record of the last change, then the checksum at write.
        Page.setLsn(p, Reference.HEAP_PAGE_LSN);
        PageChecksum.set(p, 0);
    }
}
