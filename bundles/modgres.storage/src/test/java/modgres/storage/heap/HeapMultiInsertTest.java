package modgres.storage.heap;

import static modgres.storage.heap.HeapFixture.NODE;
import static modgres.storage.heap.HeapFixture.REL;
import static modgres.storage.heap.HeapFixture.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.access.Heap;
import modgres.api.access.HeapTuple;
import modgres.api.access.Tid;
import modgres.api.access.TmResult;
import modgres.api.access.TupleData;
import modgres.api.access.WaitPolicy;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.FlushFilter;
import modgres.api.buffer.ForkNumber;
import modgres.api.error.PgException;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.ItemId;
import modgres.api.page.Page;
import modgres.api.wal.Lsn;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;

/**
 * {@link Heap#multiInsert}: pages filled under one lock with one MULTI_INSERT
 * record each, the fillfactor's reserve kept, tids in order, and crash
 * recovery reproducing every page (INIT records on new pages, offset lists on
 * pages that had free line pointers) as {@link HeapRedoTest} checks.
 */
class HeapMultiInsertTest {
    @TempDir
    Path dir;

    static TupleData[] rows(String prefix, int n, Random rnd, int maxPad) {
        TupleData[] t = new TupleData[n];
        for (int i = 0; i < n; i++) {
            t[i] = row(prefix + i + "-" + "p".repeat(maxPad == 0 ? 0 : rnd.nextInt(maxPad)));
        }
        return t;
    }

    /** The HEAP2 MULTI_INSERT records from {@code from} on, as "identify desc". */
    static List<String> multiInsertRecords(HeapFixture f, long from) {
        List<String> out = new ArrayList<>();
        f.wal.flush(f.wal.insertPosition());
        try (WalReader r = f.wal.reader(from)) {
            WalRecord rec;
            while ((rec = r.next()) != null) {
                String id = HeapWal.identify(rec);
                if (id != null && id.startsWith("MULTI_INSERT")) {
                    out.add(id + " " + HeapWal.describe(rec));
                }
            }
        }
        return out;
    }

    @Test
    void fillsEachPageUnderOneRecordKeepingTheFillfactorReserve() {
        try (HeapFixture f = new HeapFixture(dir, 64).started()) {
            f.heap.create(NODE);
            Random rnd = new Random(1);
            TupleData[] batch = rows("a", 1000, rnd, 150);
            int x = f.tm.assignXid(1);
            long[] tids = f.heap.multiInsert(REL, batch, x, 0, 0, 70);
            f.tm.commit(x);

            assertEquals(1000, tids.length);
            assertEquals(1000, java.util.Arrays.stream(tids).distinct().count());
            for (int i = 0; i < 1000; i++) {
                HeapTuple t = f.heap.fetch(REL, tids[i], f.tm.snapshot(0, 0));
                assertArrayEquals(batch[i].data(), t.data().data(), "row " + i);
                assertEquals(x, t.xmin());
            }
            assertEquals(1000, f.scan(f.tm.snapshot(0, 0)).size());
            int nblocks = f.heap.nblocks(NODE);
            List<String> recs = multiInsertRecords(f, Lsn.INVALID);
            // one record per run of tuples on one page (a small tuple may go back to an earlier page with room)
            int runs = 1;
            for (int i = 1; i < tids.length; i++) {
                runs += Tid.block(tids[i]) != Tid.block(tids[i - 1]) ? 1 : 0;
            }
            assertEquals(runs, recs.size(), recs.toString());
            assertEquals(nblocks, recs.stream().filter(s -> s.startsWith("MULTI_INSERT+INIT ")).count(),
                    "each new page is initialised by its first record: " + recs);
            assertTrue(recs.get(recs.size() - 1).endsWith(" flags 0x02"), "last in multi: " + recs);
            assertTrue(recs.get(0).endsWith(" flags 0x00"));
            int total = 0;
            for (String s : recs) {
                total += Integer.parseInt(s.split(" ")[1]);
            }
            assertEquals(1000, total);

            // every page keeps 30 % free; a batch moved on to another page only when the next tuple did not fit
            int reserve = Page.SIZE * 30 / 100;
            for (int i = 0; i < tids.length; i++) {
                int blk = Tid.block(tids[i]);
                int free = freeSpace(f, blk);
                assertTrue(free >= reserve - ItemId.SIZE, "block " + blk + " keeps the reserve: " + free);
                if (i + 1 < tids.length && Tid.block(tids[i + 1]) != blk) {
                    int nextLen = Page.maxAlign(HeapTupleHeader.SIZE + 1 + batch[i + 1].data().length);
                    assertTrue(free < nextLen + reserve, "block " + blk + " free " + free + ", next " + nextLen);
                }
            }
        }
    }

    static int freeSpace(HeapFixture f, int blk) {
        int b = f.pool.pin(BufferTag.of(NODE, ForkNumber.MAIN, blk));
        try {
            f.pool.lockContent(b, false);
            try {
                return Page.heapFreeSpace(f.pool.page(b));
            } finally {
                f.pool.unlockContent(b);
            }
        } finally {
            f.pool.unpin(b);
        }
    }

    @Test
    void aTooBigRowFailsTheBatchBeforeAnythingIsWritten() {
        try (HeapFixture f = new HeapFixture(dir, 16).started()) {
            f.heap.create(NODE);
            TupleData[] batch = {row("ok 1"), row("x".repeat(9000)), row("ok 2")};
            int x = f.tm.assignXid(1);
            PgException e = assertThrows(PgException.class, () -> f.heap.multiInsert(REL, batch, x, 0, 0, 100));
            assertEquals("54000", e.sqlState());
            assertTrue(e.getMessage().startsWith("row is too big: size 90"), e.getMessage());
            assertEquals(0, f.heap.nblocks(NODE));
            assertEquals(0, f.heap.multiInsert(REL, new TupleData[0], x, 0, 0, 100).length);
        }
    }

    @Test
    void frozenRowsAreVisibleToEveryoneAtOnce() {
        try (HeapFixture f = new HeapFixture(dir, 16).started()) {
            f.heap.create(NODE);
            int x = f.tm.assignXid(1);
            long[] tids = f.heap.multiInsert(REL, rows("f", 50, new Random(3), 10), x, 0, Heap.INSERT_FROZEN, 100);
            // another transaction's snapshot, taken while x still runs, sees them (COPY FREEZE's trade-off)
            assertEquals(50, f.scan(f.tm.snapshot(0, 0)).size());
            HeapTuple t = f.heap.fetchAny(REL, tids[17]);
            assertTrue((t.infomask() & HeapTupleHeader.HEAP_XMIN_FROZEN) == HeapTupleHeader.HEAP_XMIN_FROZEN);
            f.tm.commit(x);
        }
    }

    /** Batches into fresh pages and into pages with holes (free line pointers after a vacuum), some frozen. */
    void workload(HeapFixture f, Random rnd) throws Exception {
        List<Long> live = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            int x = f.tm.assignXid(1);
            for (int b = 0; b < 3; b++) {
                TupleData[] batch = rows("r" + round + "b" + b + "-", 1 + rnd.nextInt(400), rnd, 200);
                for (long t : f.heap.multiInsert(REL, batch, x, b, round == 2 ? Heap.INSERT_FROZEN : 0,
                        rnd.nextBoolean() ? 100 : 60)) {
                    live.add(t);
                }
                // a single insert in between, to the same pages
                live.add(f.heap.insert(REL, row("single " + round + "/" + b), x, b, 0, 100));
            }
            f.tm.commit(x);
            int d = f.tm.assignXid(2);
            for (int i = 0; i < live.size() / 3; i++) {
                int k = rnd.nextInt(live.size());
                if (f.heap.delete(REL, live.get(k), d, 0, null, WaitPolicy.BLOCK, 0).status() == TmResult.Status.OK) {
                    live.remove(k);
                }
            }
            f.tm.commit(d);
            f.heap.vacuum(REL, f.tm.oldestXmin(), f.tm.oldestXmin() - 100, null);
            // an aborted batch
            int y = f.tm.assignXid(3);
            f.heap.multiInsert(REL, rows("aborted", 80, rnd, 50), y, 0, 0, 100);
            f.tm.abort(y);
        }
    }

    @Test
    void crashRecoveryReplaysMultiInsertsToTheSamePages() throws Exception {
        HeapRedoTest.Expected want;
        FakeTransactionManager tm;
        List<String> recs;
        try (HeapFixture f = new HeapFixture(dir, 24).started()) {
            tm = f.tm;
            f.heap.create(NODE);
            workload(f, new Random(11));
            assertTrue(f.pool.stats().writesBackend() > 0, "some pages reached the disk before the crash");
            want = capture(f);
            recs = multiInsertRecords(f, Lsn.INVALID);
            // crash: the pool's dirty pages are lost
        }
        assertTrue(recs.stream().anyMatch(s -> s.startsWith("MULTI_INSERT+INIT ")), recs.toString());
        assertTrue(recs.stream().anyMatch(s -> s.startsWith("MULTI_INSERT ")), "into pages with room: " + recs);
        try (HeapFixture g = recover(tm, Lsn.INVALID)) {
            verify(g, want);
            // the recovered heap goes on
            int x = g.tm.assignXid(1);
            g.heap.multiInsert(REL, rows("after", 30, new Random(5), 10), x, 0, 0, 100);
            g.tm.commit(x);
            assertEquals(want.rows().get(REL).size() + 30, HeapRedoTest.rowsOf(g, REL).size());
        }
    }

    @Test
    void afterACheckpointTheFirstMultiInsertOnAPageCarriesItsImage() throws Exception {
        HeapRedoTest.Expected want;
        FakeTransactionManager tm;
        long redo;
        try (HeapFixture f = new HeapFixture(dir, 24).started()) {
            tm = f.tm;
            f.heap.create(NODE);
            int x = f.tm.assignXid(1);
            f.heap.multiInsert(REL, rows("before", 300, new Random(2), 100), x, 0, 0, 50);
            f.tm.commit(x);
            redo = f.wal.advanceRedoPointer();
            f.pool.flushAll(FlushFilter.ALL);
            f.pool.syncWrittenFiles();
            // fillfactor 50 left room on every page: these land on old pages, whose images the WAL takes
            int y = f.tm.assignXid(1);
            f.heap.multiInsert(REL, rows("after", 40, new Random(4), 10), y, 0, 0, 100);
            f.tm.commit(y);
            want = capture(f);
            f.wal.flush(f.wal.insertPosition());
        }
        boolean sawImage = false;
        try (HeapFixture g = new HeapFixture(dir, 24, tm); WalReader r = g.wal.reader(redo)) {
            WalRecord rec;
            while ((rec = r.next()) != null) {
                if ("MULTI_INSERT".equals(HeapWal.identify(rec))) {
                    sawImage |= rec.block(0).hasImage();
                }
            }
        }
        assertTrue(sawImage);
        try (HeapFixture g = recover(tm, redo)) {
            verify(g, want);
        }
    }

    // ------------------------------------------------------------------ as HeapRedoTest

    HeapRedoTest.Expected capture(HeapFixture f) {
        var rows = new java.util.LinkedHashMap<modgres.api.access.RelationRef, List<String>>();
        var pages = new java.util.LinkedHashMap<modgres.api.buffer.RelFileNode, List<byte[]>>();
        rows.put(REL, HeapRedoTest.rowsOf(f, REL));
        pages.put(NODE, HeapRedoTest.pages(f.pool, NODE, f.heap.nblocks(NODE)));
        f.wal.flush(f.wal.insertPosition());
        return new HeapRedoTest.Expected(pages, rows);
    }

    HeapFixture recover(FakeTransactionManager tm, long from) {
        HeapFixture g = new HeapFixture(dir, 24, tm);
        g.smgr.setInRecovery(true);
        WalReader reader = g.wal.reader(from);
        TestRedoContext.replay(reader, g.pool, g.redo);
        g.smgr.setInRecovery(false);
        g.pool.flushAll(FlushFilter.ALL);
        g.wal.startAt(reader.end());
        reader.close();
        return g;
    }

    static void verify(HeapFixture g, HeapRedoTest.Expected want) {
        List<byte[]> pages = want.pages().get(NODE);
        assertEquals(pages.size(), g.heap.nblocks(NODE));
        HeapRedoTest.assertSamePages(pages, HeapRedoTest.pages(g.pool, NODE, pages.size()), NODE);
        assertEquals(want.rows().get(REL), HeapRedoTest.rowsOf(g, REL));
    }
}
