package modgres.sql.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import modgres.api.access.Tid;

/** The tid bitmap: exact while it fits, lossy pages beyond, every tid added covered, pages in block order. */
class TidBitmapTest {

    @Test
    void exactPagesInBlockOrderWithSortedOffsets() {
        TidBitmap bm = new TidBitmap(4L << 20);
        bm.add(Tid.of(7, 3));
        bm.add(Tid.of(2, 291));
        bm.add(Tid.of(7, 1));
        bm.add(Tid.of(2, 1));
        bm.add(Tid.of(7, 3)); // twice: one bit
        List<TidBitmap.PageVisit> pages = bm.pages();
        assertEquals(2, pages.size());
        assertEquals(2, pages.get(0).block());
        assertArrayEquals(new int[] {1, 291}, pages.get(0).offsets());
        assertEquals(7, pages.get(1).block());
        assertArrayEquals(new int[] {1, 3}, pages.get(1).offsets());
        assertEquals(5, bm.tuples());
    }

    @Test
    void beyondWorkMemPagesTurnLossyButEveryTidIsCovered() {
        long workMem = 64 * 1024; // 1024 entries, as PostgreSQL's tbm_calculate_entries
        TidBitmap bm = new TidBitmap(workMem);
        Random rnd = new Random(42);
        Set<Long> added = new HashSet<>();
        for (int i = 0; i < 30000; i++) {
            long tid = Tid.of(rnd.nextInt(5000), 1 + rnd.nextInt(100));
            added.add(tid);
            bm.add(tid);
            assertTrue(bm.entries() <= 1024, "entries stay within work_mem: " + bm.entries());
        }
        List<TidBitmap.PageVisit> pages = bm.pages();
        Set<Integer> lossy = new HashSet<>();
        Set<Long> exact = new HashSet<>();
        int prev = -1;
        List<Integer> blocks = new ArrayList<>();
        for (TidBitmap.PageVisit p : pages) {
            assertTrue(p.block() > prev, "ascending, each page once");
            prev = p.block();
            blocks.add(p.block());
            if (p.lossy()) {
                lossy.add(p.block());
            } else {
                for (int off : p.offsets()) {
                    exact.add(Tid.of(p.block(), off));
                }
            }
        }
        assertTrue(!lossy.isEmpty(), "some pages are lossy");
        for (long tid : added) {
            assertTrue(lossy.contains(Tid.block(tid)) || exact.contains(tid), Tid.toString(tid));
        }
        for (long tid : exact) {
            assertTrue(added.contains(tid), "an exact page lists only tids added: " + Tid.toString(tid));
        }
    }
}
