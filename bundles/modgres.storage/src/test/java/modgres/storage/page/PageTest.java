package modgres.storage.page;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.ItemId;
import modgres.api.page.Page;

class PageTest {

    static ByteBuffer newPage() {
        ByteBuffer p = ByteBuffer.allocateDirect(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        Page.init(p, 0);
        return p;
    }

    static byte[] item(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    static byte[] get(ByteBuffer p, int off) {
        byte[] b = new byte[Page.itemLength(p, off)];
        p.get(Page.itemOffset(p, off), b);
        return b;
    }

    @Test
    void initWritesPostgresHeader() {
        ByteBuffer p = ByteBuffer.allocate(Page.SIZE).order(ByteOrder.BIG_ENDIAN);
        p.put(100, (byte) 7);
        Page.init(p, 16);
        assertEquals(24, Page.lower(p));
        assertEquals(8176, Page.upper(p));
        assertEquals(8176, Page.special(p));
        assertEquals(16, Page.specialSize(p));
        assertEquals(8192, Page.pageSize(p));
        assertEquals(4, Page.layoutVersion(p));
        assertEquals(0, p.get(100));
        // pd_pagesize_version = 0x2004, little-endian at byte 18, whatever the buffer's order
        assertEquals(0x04, p.get(18));
        assertEquals(0x20, p.get(19));
        assertTrue(Page.isHeaderSane(p));
        assertTrue(Page.isEmpty(p));
        assertFalse(Page.isNew(p));
        assertEquals(8176 - 24 - 4, Page.freeSpace(p));
        assertEquals(0, Page.maxOffset(p));
        Page.init(p, 13); // rounded up to 16
        assertEquals(8176, Page.special(p));
    }

    @Test
    void newPageIsAllZero() {
        ByteBuffer p = ByteBuffer.allocate(Page.SIZE);
        assertTrue(Page.isNew(p));
        assertTrue(Page.isAllZero(p));
        p.put(5000, (byte) 1);
        assertTrue(Page.isNew(p));
        assertFalse(Page.isAllZero(p));
    }

    @Test
    void lsnAndFlags() {
        ByteBuffer p = newPage();
        Page.setLsn(p, 0x0000000117C42300L);
        assertEquals(0x0000000117C42300L, Page.lsn(p));
        assertEquals(0x01, p.get(0)); // xlogid first, little-endian
        Page.setFlag(p, Page.PD_ALL_VISIBLE, true);
        Page.setFlag(p, Page.PD_PAGE_FULL, true);
        assertTrue(Page.isAllVisible(p));
        assertTrue(Page.isFull(p));
        Page.setFlag(p, Page.PD_PAGE_FULL, false);
        assertEquals(Page.PD_ALL_VISIBLE, Page.flags(p));
        Page.setFlags(p, 0x10);
        assertFalse(Page.isHeaderSane(p), "unknown flag bit");
        Page.setFlags(p, 0);
        Page.setPrunable(p, 100);
        Page.setPrunable(p, 200);
        assertEquals(100, Page.pruneXid(p));
        Page.setPrunable(p, 50);
        assertEquals(50, Page.pruneXid(p));
        Page.setPrunable(p, -5); // wrapped around: 0xFFFFFFFB precedes 50 modulo 2^32
        assertEquals(-5, Page.pruneXid(p));
    }

    @Test
    void addGetAndFreeSpace() {
        ByteBuffer p = newPage();
        assertEquals(1, Page.addItem(p, item(37, 1), 0, 37, Page.INVALID_OFFSET, 0));
        assertEquals(2, Page.addItem(p, ByteBuffer.wrap(item(50, 2)), 0, 50, Page.INVALID_OFFSET, 0));
        assertEquals(8152, Page.itemOffset(p, 1));
        assertEquals(37, Page.itemLength(p, 1));
        assertEquals(ItemId.NORMAL, Page.itemFlags(p, 1));
        assertEquals(8152 - 56, Page.itemOffset(p, 2));
        assertArrayEquals(item(37, 1), get(p, 1));
        assertArrayEquals(item(50, 2), get(p, 2));
        assertEquals(32, Page.lower(p));
        assertEquals(8096, Page.upper(p));
        assertEquals(8096 - 32 - 4, Page.freeSpace(p));
        assertEquals(8096 - 32, Page.exactFreeSpace(p));
        // padding after an item is zero
        assertEquals(0, p.get(8152 + 37));
        assertEquals(0, p.position());
    }

    @Test
    void fillsUntilNoRoom() {
        ByteBuffer p = newPage();
        int n = 0;
        while (Page.addItem(p, item(100, n), 0, 100, Page.INVALID_OFFSET, 0) != 0) {
            n++;
        }
        // each item takes 104 bytes + a 4-byte line pointer
        assertEquals((8192 - 24) / 108, n);
        assertTrue(Page.freeSpace(p) < 104);
        for (int i = 1; i <= n; i++) {
            assertArrayEquals(item(100, i - 1), get(p, i));
        }
    }

    @Test
    void heapPageHoldsAtMostMaxTuplesPerPage() {
        ByteBuffer p = newPage();
        for (int i = 1; i <= HeapTupleHeader.MAX_TUPLES_PER_PAGE; i++) {
            assertEquals(i, Page.reserveItem(p, 0, Page.INVALID_OFFSET, Page.IS_HEAP));
        }
        assertEquals(0, Page.reserveItem(p, 0, Page.INVALID_OFFSET, Page.IS_HEAP));
        assertEquals(0, Page.heapFreeSpace(p), "no line pointer left");
        assertTrue(Page.freeSpace(p) > 0);
        assertEquals(HeapTupleHeader.MAX_TUPLES_PER_PAGE + 1, Page.reserveItem(p, 0, Page.INVALID_OFFSET, 0));
        // an unused pointer below makes room again
        ByteBuffer q = newPage();
        for (int i = 1; i <= HeapTupleHeader.MAX_TUPLES_PER_PAGE; i++) {
            Page.reserveItem(q, 8, Page.INVALID_OFFSET, Page.IS_HEAP);
        }
        Page.setUnused(q, 7);
        Page.repairFragmentation(q);
        assertTrue(Page.hasFreeLinePointers(q));
        assertTrue(Page.heapFreeSpace(q) > 0);
        assertEquals(7, Page.reserveItem(q, 8, Page.INVALID_OFFSET, Page.IS_HEAP));
    }

    @Test
    void reusesUnusedLinePointersOnlyWithTheHint() {
        ByteBuffer p = newPage();
        for (int i = 0; i < 4; i++) {
            Page.addItem(p, item(20, i), 0, 20, Page.INVALID_OFFSET, 0);
        }
        Page.setUnused(p, 2);
        assertEquals(5, Page.addItem(p, item(20, 9), 0, 20, Page.INVALID_OFFSET, 0), "no hint: append");
        Page.setFlag(p, Page.PD_HAS_FREE_LINES, true);
        assertEquals(2, Page.addItem(p, item(20, 8), 0, 20, Page.INVALID_OFFSET, 0));
        assertArrayEquals(item(20, 8), get(p, 2));
        // a wrong hint is cleared
        assertEquals(6, Page.addItem(p, item(20, 7), 0, 20, Page.INVALID_OFFSET, 0));
        assertFalse(Page.hasFreeLinePointers(p));
    }

    @Test
    void overwriteAndShuffle() {
        ByteBuffer p = newPage();
        for (int i = 0; i < 3; i++) {
            Page.addItem(p, item(16, i), 0, 16, Page.INVALID_OFFSET, 0);
        }
        assertEquals(0, Page.addItem(p, item(16, 5), 0, 16, 2, Page.OVERWRITE), "used: not overwritten");
        Page.setUnused(p, 2);
        assertEquals(2, Page.addItem(p, item(16, 5), 0, 16, 2, Page.OVERWRITE));
        assertEquals(3, Page.maxOffset(p));
        assertArrayEquals(item(16, 5), get(p, 2));
        // index-style insert at 1 shifts the pointers up
        assertEquals(1, Page.addItem(p, item(16, 6), 0, 16, 1, 0));
        assertEquals(4, Page.maxOffset(p));
        assertArrayEquals(item(16, 6), get(p, 1));
        assertArrayEquals(item(16, 0), get(p, 2));
        assertArrayEquals(item(16, 5), get(p, 3));
        assertArrayEquals(item(16, 2), get(p, 4));
        assertEquals(0, Page.addItem(p, item(16, 7), 0, 16, 6, 0), "beyond the first free pointer");
        assertEquals(5, Page.addItem(p, item(16, 7), 0, 16, 5, 0), "at the end");
    }

    @Test
    void deleteItemClosesTheGap() {
        ByteBuffer p = newPage();
        for (int i = 0; i < 5; i++) {
            Page.addItem(p, item(10 + i * 8, i), 0, 10 + i * 8, Page.INVALID_OFFSET, 0);
        }
        int freeBefore = Page.exactFreeSpace(p);
        Page.deleteItem(p, 2);
        assertEquals(4, Page.maxOffset(p));
        assertEquals(freeBefore + Page.maxAlign(18) + 4, Page.exactFreeSpace(p));
        assertArrayEquals(item(10, 0), get(p, 1));
        assertArrayEquals(item(26, 2), get(p, 2));
        assertArrayEquals(item(34, 3), get(p, 3));
        assertArrayEquals(item(42, 4), get(p, 4));
        assertThrows(PgException.class, () -> Page.deleteItem(p, 9));
    }

    @Test
    void repairFragmentationCompactsAndKeepsNumbers() {
        ByteBuffer p = newPage();
        Random r = new Random(42);
        Map<Integer, byte[]> live = new HashMap<>();
        List<Integer> offs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int len = 1 + r.nextInt(90);
            byte[] it = item(len, i);
            int off = Page.addItem(p, it, 0, len, Page.INVALID_OFFSET, Page.IS_HEAP);
            assertEquals(i + 1, off);
            live.put(off, it);
            offs.add(off);
        }
        int used = 0;
        for (int off : offs) {
            switch (off % 4) {
                case 0 -> {
                    Page.setUnused(p, off);
                    live.remove(off);
                }
                case 1 -> {
                    Page.setDead(p, off);
                    live.remove(off);
                }
                case 2 -> {
                    Page.setRedirect(p, off, off + 1);
                    live.remove(off);
                }
                default -> used += Page.maxAlign(live.get(off).length);
            }
        }
        Page.repairFragmentation(p);
        assertEquals(Page.SIZE - used, Page.upper(p));
        assertEquals(60, Page.maxOffset(p));
        assertTrue(Page.hasFreeLinePointers(p));
        for (int off : offs) {
            switch (off % 4) {
                case 0 -> assertEquals(0, Page.itemId(p, off));
                case 1 -> assertEquals(ItemId.DEAD, Page.itemFlags(p, off));
                case 2 -> {
                    assertEquals(ItemId.REDIRECT, Page.itemFlags(p, off));
                    assertEquals(off + 1, Page.itemOffset(p, off));
                }
                default -> assertArrayEquals(live.get(off), get(p, off), "item " + off);
            }
        }
        // free space is contiguous and zeroed
        for (int i = Page.lower(p); i < Page.upper(p); i++) {
            assertEquals(0, p.get(i));
        }
        // a page without unused pointers clears the hint
        ByteBuffer q = newPage();
        Page.addItem(q, item(8, 1), 0, 8, 0, 0);
        Page.setFlag(q, Page.PD_HAS_FREE_LINES, true);
        Page.repairFragmentation(q);
        assertFalse(Page.hasFreeLinePointers(q));
    }

    @Test
    void corruptedPagesAreRefused() {
        ByteBuffer p = newPage();
        Page.addItem(p, item(16, 1), 0, 16, 0, 0);
        Page.addItem(p, item(16, 2), 0, 16, 0, 0);
        ByteBuffer bad = p.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        Page.setLower(bad, 9000 & 0xFFFF);
        PgException e = assertThrows(PgException.class, () -> Page.repairFragmentation(bad));
        assertEquals("XX001", e.sqlState());
        assertTrue(e.getMessage().startsWith("corrupted page pointers: lower = 9000"), e.getMessage());
        Page.setLower(p, 32);
        Page.setNormal(p, 2, 8176, 16); // overlaps item 1
        e = assertThrows(PgException.class, () -> Page.repairFragmentation(p));
        assertEquals("corrupted line pointer: 8176", e.getMessage());
        Page.setNormal(p, 2, 8161, 16); // not aligned
        assertThrows(PgException.class, () -> Page.repairFragmentation(p));
        Page.setUpper(p, 5);
        assertThrows(PgException.class, () -> Page.reserveItem(p, 10, 0, 0));
    }

    @Test
    void truncateLinePointerArray() {
        ByteBuffer p = newPage();
        for (int i = 0; i < 6; i++) {
            Page.addItem(p, item(8, i), 0, 8, 0, 0);
        }
        Page.setUnused(p, 2);
        Page.setUnused(p, 5);
        Page.setUnused(p, 6);
        Page.truncateLinePointerArray(p);
        assertEquals(4, Page.maxOffset(p));
        assertTrue(Page.hasFreeLinePointers(p));
        Page.setUnused(p, 1);
        Page.setUnused(p, 3);
        Page.setUnused(p, 4);
        Page.truncateLinePointerArray(p);
        assertEquals(1, Page.maxOffset(p), "one pointer is kept");
        assertTrue(Page.hasFreeLinePointers(p));
    }

    @Test
    void moveHandlesOverlapBothWays() {
        ByteBuffer p = ByteBuffer.allocate(64);
        for (int i = 0; i < 64; i++) {
            p.put(i, (byte) i);
        }
        Page.move(p, 0, 3, 30);
        for (int i = 0; i < 30; i++) {
            assertEquals(i, p.get(3 + i));
        }
        Page.move(p, 3, 1, 30);
        for (int i = 0; i < 30; i++) {
            assertEquals(i, p.get(1 + i));
        }
    }

    @Test
    void itemIdPacking() {
        int id = ItemId.pack(8152, ItemId.NORMAL, 37);
        assertEquals(8152, ItemId.offset(id));
        assertEquals(ItemId.NORMAL, ItemId.flags(id));
        assertEquals(37, ItemId.length(id));
        // lp_off in bits 0-14, lp_flags 15-16, lp_len 17-31: as in the PostgreSQL page (lp 1 = d8 9f 4a 00)
        assertEquals(0x004A9FD8, id);
        assertTrue(ItemId.isUsed(id));
        assertTrue(ItemId.hasStorage(id));
        assertFalse(ItemId.isUsed(0));
        assertEquals(ItemId.DEAD, ItemId.flags(ItemId.pack(0, ItemId.DEAD, 0)));
    }
}
