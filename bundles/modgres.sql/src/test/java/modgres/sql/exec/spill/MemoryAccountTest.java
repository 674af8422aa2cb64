package modgres.sql.exec.spill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Comparator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.sql.exec.spill.MemoryAccount.Context;

/** The memory account on its own, and the spill structures' charges to it. */
class MemoryAccountTest {
    @TempDir
    Path dataDir;

    private final SpillFixtures.Types4Test ts = new SpillFixtures.Types4Test();

    private RowCodec codec() {
        return new RowCodec(new int[] {SpillFixtures.INT8, SpillFixtures.TEXT}, ts::form, ts::deform);
    }

    private static Object[] row(long i) {
        return new Object[] {i, "row " + i + " " + "x".repeat(40)};
    }

    @Test
    void chargesAddUpAndPeaksFollow() {
        MemoryAccount a = new MemoryAccount();
        a.beginQuery();
        MemoryAccount.Charge sort = a.charge(Context.SORT);
        MemoryAccount.Charge hash = a.charge(Context.HASH);
        sort.set(1000);
        hash.set(500);
        assertEquals(1500, a.current());
        sort.set(200);
        assertEquals(700, a.current());
        assertEquals(1500, a.queryPeak());
        assertEquals(200, a.held(Context.SORT));
        assertEquals(1000, a.peak(Context.SORT));
        hash.release();
        assertEquals(200, a.current());
        a.endQuery();
        assertEquals(0, a.current(), "whatever a statement's operators still hold is dropped at its end");
        assertEquals(0, a.held(Context.SORT));
        assertEquals(1500, a.sessionPeak());

        a.beginQuery();
        assertEquals(0, a.queryPeak(), "the query peak is per query");
        sort.set(300); // an operator of a cached plan, left charged by the last query: starts from 0 again
        assertEquals(300, a.current());
        assertEquals(300, sort.held());
        a.endQuery();
        assertEquals(300, a.queryPeak());
        assertEquals(1500, a.sessionPeak());
    }

    @Test
    void nestedStatementsDoNotEndTheOuterQuery() {
        MemoryAccount a = new MemoryAccount();
        a.beginQuery();
        MemoryAccount.Charge outer = a.charge(Context.EXECUTOR);
        outer.set(100);
        a.beginQuery();
        assertEquals(100, a.queryPeak());
        a.endQuery();
        assertEquals(100, a.current());
        a.endQuery();
        assertEquals(0, a.current());
    }

    @Test
    void externalSortChargesAtMostWorkMemPlusOneRow() {
        MemoryAccount a = new MemoryAccount();
        TempFileSpace space = new TempFileSpace(dataDir, 5, -1, -1, null, null).account(a);
        long workMem = 64 * 1024;
        a.beginQuery();
        ExternalSort s = new ExternalSort(Comparator.comparingLong(r -> -(Long) r[0]), workMem, () -> space, codec(),
                null).account(a.charge(Context.SORT));
        long total = 0;
        for (long i = 0; i < 20_000; i++) {
            Object[] r = row(i);
            total += RowCodec.estimate(r);
            s.put(r);
        }
        s.finish();
        assertTrue(s.external());
        assertTrue(total > 10 * workMem, "the input is many times work_mem");
        long slack = RowCodec.estimate(row(20_000)) + 64;
        assertTrue(a.queryPeak() <= workMem + slack, "peak " + a.queryPeak());
        assertTrue(a.queryPeak() > workMem / 2, "the sort's buffer is accounted: " + a.queryPeak());
        assertTrue(a.tempFileCount() > 0 && a.tempFileBytes() > 0, "the runs are counted as temporary files");
        assertEquals(19_999L, s.next()[0]);
        s.close();
        assertEquals(0, a.current());
        assertEquals(0, a.tempFileCount());
        assertEquals(0, a.tempFileBytes());
        a.endQuery();
    }

    @Test
    void cursorsReadWhileRowsAreAddedAcrossTheSpill() {
        MemoryAccount a = new MemoryAccount();
        TempFileSpace space = new TempFileSpace(dataDir, 6, -1, -1, null, null).account(a);
        long workMem = 16 * 1024;
        RowStore store = new RowStore(workMem, () -> space, codec()).account(a.charge(Context.EXECUTOR));
        RowStore.Cursor lockstep = store.cursor();
        RowStore.Cursor lagging = store.cursor();
        assertNull(lockstep.next());
        long laggingAt = 0;
        for (long i = 0; i < 3000; i++) {
            store.add(row(i));
            assertArrayEquals(row(i), lockstep.next(), "row " + i);
            assertNull(lockstep.next());
            if (i % 3 == 0) { // reads one row for every three added
                assertArrayEquals(row(laggingAt), lagging.next());
                laggingAt++;
            }
            assertTrue(a.current() <= workMem + 200, "held " + a.current());
        }
        assertTrue(store.spilled());
        for (Object[] r = lagging.next(); r != null; r = lagging.next()) {
            assertArrayEquals(row(laggingAt), r);
            laggingAt++;
        }
        assertEquals(3000, laggingAt);
        RowStore.Cursor late = store.cursor();
        long n = 0;
        while (late.next() != null) {
            n++;
        }
        assertEquals(3000, n);
        store.close();
        assertEquals(0, a.current());
        assertEquals(0, a.tempFileCount());
    }

    @Test
    void resultStoreSpillsAndReadsInOrder() {
        MemoryAccount a = new MemoryAccount();
        TempFileSpace space = new TempFileSpace(dataDir, 7, -1, -1, null, null).account(a);
        a.beginQuery();
        ResultStore rs = new ResultStore(8 * 1024, () -> space, a.charge(Context.PORTAL));
        for (int i = 0; i < 1000; i++) {
            rs.add(new byte[][] {Integer.toString(i).getBytes(), i % 7 == 0 ? null : new byte[i % 50]});
            assertTrue(a.current() <= 8 * 1024 + 200, "held " + a.current());
        }
        assertTrue(rs.spilled());
        assertEquals(1000, rs.size());
        for (int i = 0; i < 1000; i++) {
            byte[][] r = rs.get(i);
            assertEquals(Integer.toString(i), new String(r[0]));
            if (i % 7 == 0) {
                assertNull(r[1]);
            } else {
                assertEquals(i % 50, r[1].length);
            }
        }
        assertEquals("3", new String(rs.get(3)[0]), "an earlier row: read again from the start");
        a.endQuery();
        space.closeAll(); // the transaction ended
        modgres.api.error.PgException e = org.junit.jupiter.api.Assertions.assertThrows(
                modgres.api.error.PgException.class, () -> rs.get(4));
        assertEquals("34000", e.sqlState());
    }
}
