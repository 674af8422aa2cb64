package modgres.storage.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import modgres.api.page.Page;
import modgres.storage.page.Reference;

class FsmPageTest {

    static ByteBuffer newPage() {
        ByteBuffer p = ByteBuffer.allocate(Page.SIZE);
        Page.init(p, 0);
        return p;
    }

    @Test
    void shapeIsPostgres() {
        assertEquals(24, FsmPage.NEXT_SLOT);
        assertEquals(28, FsmPage.NODES_START);
        assertEquals(8164, FsmPage.NODES);
        assertEquals(4095, FsmPage.NON_LEAF_NODES);
        assertEquals(4069, FsmPage.SLOTS);
    }

    @Test
    void addressesAndCategories() {
        assertEquals(0, FsmAddress.physical(2, 0));
        assertEquals(1, FsmAddress.physical(1, 0));
        assertEquals(2, FsmAddress.physical(0, 0));
        assertEquals(3, FsmAddress.physical(0, 1));
        assertEquals(4070, FsmAddress.physical(0, 4068));
        assertEquals(4071, FsmAddress.physical(1, 1));
        assertEquals(4072, FsmAddress.physical(0, 4069));
        // the last possible heap block still has an address
        long last = FsmAddress.leafPage(0xFFFFFFFEL);
        assertTrue(FsmAddress.physical(0, last) < 0xFFFFFFFFL);
        assertEquals(255, FsmAddress.availToCategory(8160));
        assertEquals(254, FsmAddress.availToCategory(8159));
        assertEquals(62, FsmAddress.availToCategory(2000));
        assertEquals(0, FsmAddress.availToCategory(31));
        assertEquals(1, FsmAddress.neededToCategory(0));
        assertEquals(1, FsmAddress.neededToCategory(32));
        assertEquals(2, FsmAddress.neededToCategory(33));
        assertEquals(255, FsmAddress.neededToCategory(8160));
        assertEquals(8160, FsmAddress.categoryToAvail(255));
        assertEquals(8128, FsmAddress.categoryToAvail(254));
        assertThrows(IllegalArgumentException.class, () -> FsmAddress.neededToCategory(8161));
    }

    @Test
    void readsPostgresPages() {
        byte[] fork = Reference.bytes(Reference.FSM_FORK);
        ByteBuffer root = ByteBuffer.wrap(fork, 0, Page.SIZE).slice();
        ByteBuffer mid = ByteBuffer.wrap(fork, Page.SIZE, Page.SIZE).slice();
        ByteBuffer leaf = ByteBuffer.wrap(fork, 2 * Page.SIZE, Page.SIZE).slice();
        for (int b = 0; b < Reference.FSM_AVAIL.length; b++) {
            assertEquals(FsmAddress.availToCategory(Reference.FSM_AVAIL[b]), FsmPage.getAvail(leaf, b), "block " + b);
            assertEquals(Reference.FSM_AVAIL[b], FsmAddress.categoryToAvail(FsmPage.getAvail(leaf, b)));
        }
        assertEquals(255, FsmPage.maxAvail(leaf));
        assertEquals(255, FsmPage.getAvail(mid, 0));
        assertEquals(255, FsmPage.getAvail(root, 0));
        for (ByteBuffer p : new ByteBuffer[] {root, mid, leaf}) {
            assertTrue(Page.isHeaderSane(p));
            assertFalse(FsmPage.rebuild(p.duplicate()), "PostgreSQL's inner nodes are what we compute");
        }
    }

    @Test
    void setAvailMaintainsTheHeap() {
        ByteBuffer p = newPage();
        assertTrue(FsmPage.setAvail(p, 100, 50));
        assertFalse(FsmPage.setAvail(p, 100, 50));
        assertEquals(50, FsmPage.maxAvail(p));
        FsmPage.setAvail(p, 4068, 90);
        assertEquals(90, FsmPage.maxAvail(p));
        FsmPage.setAvail(p, 4068, 10);
        assertEquals(50, FsmPage.maxAvail(p));
        Random r = new Random(1);
        int[] values = new int[FsmPage.SLOTS];
        values[100] = 50;
        values[4068] = 10;
        for (int i = 0; i < 20000; i++) {
            int slot = r.nextInt(FsmPage.SLOTS);
            int v = r.nextInt(256);
            values[slot] = v;
            FsmPage.setAvail(p, slot, v);
        }
        int max = 0;
        for (int v : values) {
            max = Math.max(max, v);
        }
        assertEquals(max, FsmPage.maxAvail(p));
        assertFalse(FsmPage.rebuild(p), "incremental updates equal a full rebuild");
    }

    @Test
    void searchStartsAtTheNextSlotAndWraps() {
        ByteBuffer p = newPage();
        for (int s : new int[] {10, 20, 30, 4000}) {
            FsmPage.setAvail(p, s, 100);
        }
        assertEquals(-1, FsmPage.search(p, 101, true));
        assertEquals(10, FsmPage.search(p, 50, true));
        assertEquals(11, FsmPage.readNextSlot(p));
        assertEquals(20, FsmPage.search(p, 50, true));
        assertEquals(30, FsmPage.search(p, 50, true));
        assertEquals(4000, FsmPage.search(p, 50, true));
        int wrapped = FsmPage.search(p, 50, true);
        assertTrue(wrapped == 10 || wrapped == 20 || wrapped == 30, "wraps around to the start: " + wrapped);
        int again = FsmPage.search(p, 50, false);
        assertEquals(again, FsmPage.search(p, 50, false), "without advancing");
        FsmPage.writeNextSlot(p, 99999); // garbage: starts at 0
        assertEquals(10, FsmPage.search(p, 50, true));
        FsmPage.writeNextSlot(p, -7);
        assertEquals(10, FsmPage.search(p, 50, true));
    }

    @Test
    void searchFindsEverySlotEventually() {
        ByteBuffer p = newPage();
        Set<Integer> want = new HashSet<>();
        Random r = new Random(5);
        while (want.size() < 200) {
            int s = r.nextInt(FsmPage.SLOTS);
            want.add(s);
            FsmPage.setAvail(p, s, 1 + r.nextInt(255));
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int s = FsmPage.search(p, 1, true);
            assertTrue(want.contains(s));
            seen.add(s);
        }
        assertEquals(want, seen);
    }

    @Test
    void inconsistentTreeIsDetectedAndRebuilt() {
        ByteBuffer p = newPage();
        FsmPage.setAvail(p, 5, 40);
        // a torn write: the root says 200, no leaf has it
        p.put(FsmPage.NODES_START, (byte) 200);
        assertEquals(FsmPage.INCONSISTENT, FsmPage.search(p, 100, true));
        assertTrue(FsmPage.rebuild(p));
        assertEquals(40, FsmPage.maxAvail(p));
        assertEquals(-1, FsmPage.search(p, 100, true));
        // a root lower than a leaf: setAvail notices and rebuilds
        p.put(FsmPage.NODES_START, (byte) 0);
        p.put(FsmPage.NODES_START + 1, (byte) 0);
        FsmPage.setAvail(p, 7, 30);
        assertEquals(40, FsmPage.maxAvail(p));
        assertFalse(FsmPage.rebuild(p));
    }

    @Test
    void truncateAvail() {
        ByteBuffer p = newPage();
        for (int s = 0; s < 100; s++) {
            FsmPage.setAvail(p, s, s + 1);
        }
        assertTrue(FsmPage.truncateAvail(p, 50));
        assertEquals(50, FsmPage.maxAvail(p));
        assertEquals(0, FsmPage.getAvail(p, 50));
        assertEquals(50, FsmPage.getAvail(p, 49));
        assertFalse(FsmPage.truncateAvail(p, 50));
    }
}
