package modgres.storage.heap;

import static modgres.storage.heap.HeapFixture.NODE;
import static modgres.storage.heap.HeapFixture.REL;
import static modgres.storage.heap.HeapFixture.row;
import static modgres.storage.heap.HeapFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.access.Heap;
import modgres.api.access.HeapScan;
import modgres.api.access.HeapTuple;
import modgres.api.access.RowLockMode;
import modgres.api.access.Tid;
import modgres.api.access.TmResult;
import modgres.api.access.TupleData;
import modgres.api.access.WaitPolicy;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.error.PgException;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.Page;
import modgres.api.txn.Snapshot;
import modgres.api.wal.BlockReference;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;

/** Inserting, reading and scanning; the page and tuple layout; the records written. */
class HeapBasicTest {

    @TempDir
    Path dir;

    @Test
    void insertFetchAndScanManyRowsAcrossManyPages() {
        try (HeapFixture f = new HeapFixture(dir, 16).started()) {
            f.heap.create(NODE);
            int xid = f.tm.assignXid(1);
            List<Long> tids = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                tids.add(f.heap.insert(REL, row("row number " + i), xid, 0, 0, 100));
            }
            assertEquals(5000, new HashSet<>(tids).size(), "tids are unique");
            int nblocks = f.heap.nblocks(NODE);
            assertTrue(nblocks > 20, "spread over many pages: " + nblocks);
            assertTrue(f.pool.stats().writesBackend() > 0, "more pages than buffers: some were evicted");
            // tids go up in block order, offsets from 1
            assertEquals(Tid.of(0, 1), tids.get(0));
            assertEquals(nblocks - 1, Tid.block(tids.get(4999)));

            Snapshot other = f.tm.snapshot(0, 0);
            assertEquals(0, f.scan(other).size(), "uncommitted rows are invisible to others");
            assertEquals(5000, f.scan(f.tm.snapshot(xid, 1)).size(), "and visible to the inserter's next command");
            assertEquals(0, f.scan(f.tm.snapshot(xid, 0)).size(), "but not to its own inserting command");

            f.tm.commit(xid);
            Snapshot s = f.tm.snapshot(0, 0);
            List<String> all = f.scanText(s);
            assertEquals(5000, all.size());
            for (int i = 0; i < 5000; i++) {
                assertEquals("row number " + i, all.get(i));
            }
            assertEquals("row number 4321", text(f.heap.fetch(REL, tids.get(4321), s)));
            assertNull(f.heap.fetch(REL, Tid.of(nblocks + 3, 1), s), "past the end");
            assertNull(f.heap.fetch(REL, Tid.of(0, 250), s), "no such line pointer");
            HeapTuple any = f.heap.fetchAny(REL, tids.get(7));
            assertEquals(xid, any.xmin());
            assertEquals(tids.get(7), any.ctid(), "a new version's ctid is itself");
            // bulk scans read through a small ring
            int n = 0;
            try (HeapScan sc = f.heap.scan(REL, s, true)) {
                while (sc.next() != null) {
                    n++;
                }
            }
            assertEquals(5000, n);
        }
    }

    @Test
    void tupleLayoutWithNullsIsPostgresqls() {
        try (HeapFixture f = new HeapFixture(dir, 16).started()) {
            f.heap.create(NODE);
            int xid = f.tm.assignXid(1);
            // 10 attributes, #2 and #9 null: bitmap 2 bytes, t_hoff = MAXALIGN(23 + 2) = 32
            byte[] bitmap = {(byte) 0b1111_1011, (byte) 0b0000_0010};
            byte[] data = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
            long tid = f.heap.insert(REL, new TupleData(10, bitmap, data, true), xid, 3, 0, 100);
            f.tm.commit(xid);
            HeapTuple t = f.heap.fetch(REL, tid, f.tm.snapshot(0, 0));
            assertNotNull(t);
            assertEquals(10, t.data().natts());
            assertTrue(t.data().isNull(2));
            assertTrue(t.data().isNull(8));
            assertFalse(t.data().isNull(9));
            assertArrayEquals(data, t.data().data());
            assertTrue(t.data().hasVarWidth());
            assertEquals(3, t.cid());
            assertEquals(10, t.infomask2() & HeapTupleHeader.HEAP_NATTS_MASK);
            assertTrue((t.infomask() & HeapTupleHeader.HEAP_HASNULL) != 0);
            assertTrue((t.infomask() & HeapTupleHeader.HEAP_XMAX_INVALID) != 0);

            int b = f.pool.pin(BufferTag.of(NODE, ForkNumber.MAIN, 0));
            try {
                f.pool.lockContent(b, false);
                ByteBuffer p = f.pool.page(b);
                int at = Page.itemOffset(p, 1);
                assertEquals(32, HeapTupleHeader.hoff(p, at));
                assertEquals(32 + data.length, Page.itemLength(p, 1));
                assertEquals(Page.SIZE - 48, at, "MAXALIGNed from the end of the page");
                assertTrue(HeapTupleHeader.isNull(p, at, 2));
                assertEquals(1, p.get(at + 32));
                assertEquals(xid, HeapTupleHeader.xmin(p, at));
                assertEquals(0, HeapTupleHeader.ctidBlock(p, at));
                assertEquals(1, HeapTupleHeader.ctidOffset(p, at));
                assertTrue(Page.isHeaderSane(p));
                f.pool.unlockContent(b);
            } finally {
                f.pool.unpin(b);
            }
        }
    }

    @Test
    void rowTooBig() {
        try (HeapFixture f = new HeapFixture(dir, 16).started()) {
            f.heap.create(NODE);
            int xid = f.tm.assignXid(1);
            PgException e = assertThrows(PgException.class,
                    () -> f.heap.insert(REL, new TupleData(1, null, new byte[8200], true), xid, 0, 0, 100));
            assertEquals("54000", e.sqlState());
            assertEquals("row is too big: size 8224, maximum size 8160", e.getMessage());
            // the largest row fits, alone on its page
            long a = f.heap.insert(REL, new TupleData(1, null, new byte[8160 - 24], true), xid, 0, 0, 100);
            long b = f.heap.insert(REL, row("small"), xid, 0, 0, 100);
            assertEquals(Tid.of(0, 1), a);
            assertEquals(Tid.of(1, 1), b);
            long c = f.heap.insert(REL, row("small"), xid, 0, 0, 100);
            assertThrows(PgException.class, () -> f.heap.update(REL, c, new TupleData(1, null, new byte[9000], true),
                    xid, 1, null, WaitPolicy.BLOCK, 0, 100));
        }
    }

    @Test
    void fillfactorLeavesRoomThatUpdatesUse() throws Exception {
        try (HeapFixture f = new HeapFixture(dir, 16).started()) {
            f.heap.create(NODE);
            int xid = f.tm.assignXid(1);
            String pad = "x".repeat(200);
            List<Long> tids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                tids.add(f.heap.insert(REL, row(pad + i), xid, 0, 0, 50));
            }
            f.tm.commit(xid);
            // 232-byte tuples + 4-byte pointers: about 34 a page at 100%, 17 at 50%
            int perPage = 0;
            for (long t : tids) {
                if (Tid.block(t) == 0) {
                    perPage++;
                }
            }
            assertTrue(perPage >= 15 && perPage <= 18, "rows on the first page: " + perPage);
            int nb = f.heap.nblocks(NODE);
            int up = f.tm.assignXid(1);
            for (long t : tids) {
                if (Tid.block(t) == 0) {
                    TmResult r = f.heap.update(REL, t, row(pad + "u"), up, 0, null, WaitPolicy.BLOCK, 0, 50);
                    assertEquals(TmResult.Status.OK, r.status());
                    assertEquals(0, Tid.block(r.newTid()), "an update stays on its page while it fits");
                }
            }
            assertEquals(nb, f.heap.nblocks(NODE));
        }
    }

    @Test
    void updateChainsAreFollowedThroughCtid() throws Exception {
        try (HeapFixture f = new HeapFixture(dir, 16).started()) {
            f.heap.create(NODE);
            int x = f.tm.assignXid(1);
            long first = f.heap.insert(REL, row("v0"), x, 0, 0, 100);
            f.heap.insert(REL, row("x".repeat(7000)), x, 0, 0, 100); // fills page 0: later versions move
            f.tm.commit(x);
            List<Snapshot> eras = new ArrayList<>();
            eras.add(f.tm.snapshot(0, 0));
            long tid = first;
            for (int i = 1; i <= 5; i++) {
                int u = f.tm.assignXid(1);
                TmResult r = f.heap.update(REL, tid, row("v" + i + "-" + "y".repeat(300)), u, 0, null,
                        WaitPolicy.BLOCK, 0, 100);
                assertEquals(TmResult.Status.OK, r.status());
                tid = r.newTid();
                f.tm.commit(u);
                eras.add(f.tm.snapshot(0, 0));
            }
            // the chain from the first version to the last
            List<String> chain = new ArrayList<>();
            long at = first;
            for (;;) {
                HeapTuple t = f.heap.fetchAny(REL, at);
                chain.add(text(t).substring(0, 2));
                if (t.ctid() == at) {
                    break;
                }
                assertTrue((f.heap.fetchAny(REL, t.ctid()).infomask() & HeapTupleHeader.HEAP_UPDATED) != 0);
                at = t.ctid();
            }
            assertEquals(List.of("v0", "v1", "v2", "v3", "v4", "v5"), chain);
            assertEquals(tid, at);
            assertTrue(Tid.block(tid) > 0, "moved off the full page");
            // each era's snapshot sees exactly its version
            at = first;
            for (int i = 0; i <= 5; i++) {
                long v = at;
                for (int j = 0; j <= 5; j++) {
                    assertEquals(i == j, f.heap.fetch(REL, v, eras.get(j)) != null, "version " + i + " era " + j);
                }
                at = f.heap.fetchAny(REL, at).ctid();
            }
        }
    }

    @Test
    void createDropAndNblocks() {
        try (HeapFixture f = new HeapFixture(dir, 16).started()) {
            f.heap.create(NODE);
            assertEquals(0, f.heap.nblocks(NODE));
            PgException e = assertThrows(PgException.class, () -> f.heap.create(NODE));
            assertEquals("58P02", e.sqlState());
            int xid = f.tm.assignXid(1);
            f.heap.insert(REL, row("a"), xid, 0, 0, 100);
            assertEquals(1, f.heap.nblocks(NODE));
            assertTrue(Files.exists(dir.resolve("base/5/16384")));
            f.heap.dropStorage(NODE);
            assertFalse(Files.exists(dir.resolve("base/5/16384")));
            assertEquals(0, f.heap.nblocks(NODE));
        }
    }

    @Test
    void everyChangeIsLoggedWithPostgresqlsInfoCodesAndDescriptions() throws Exception {
        try (HeapFixture f = new HeapFixture(dir, 16).started()) {
            long start = f.wal.insertPosition();
            f.heap.create(NODE);
            int x1 = f.tm.assignXid(1);
            long a = f.heap.insert(REL, row("a"), x1, 0, 0, 100);
            long b = f.heap.insert(REL, row("b"), x1, 0, 0, 100);
            f.tm.commit(x1);
            int x2 = f.tm.assignXid(1);
            assertEquals(TmResult.Status.OK, f.heap.delete(REL, a, x2, 0, null, WaitPolicy.BLOCK, 0).status());
            TmResult u = f.heap.update(REL, b, row("b2"), x2, 0, null, WaitPolicy.BLOCK, 0, 100);
            assertEquals(Tid.of(0, 3), u.newTid());
            assertEquals(TmResult.Status.OK,
                    f.heap.lockTuple(REL, u.newTid(), x2, 1, RowLockMode.EXCLUSIVE, null, WaitPolicy.BLOCK, 0).status());
            f.tm.commit(x2);
            f.wal.flush(f.wal.insertPosition());

            List<String> desc = new ArrayList<>();
            List<WalRecord> recs = new ArrayList<>();
            try (WalReader r = f.wal.reader(start)) {
                WalRecord rec;
                while ((rec = r.next()) != null) {
                    recs.add(rec);
                    desc.add(ResourceManager.name(rec.rmgr()) + " " + HeapWal.identify(rec) + ": "
                            + f.redo.describe(rec));
                }
            }
            assertEquals(List.of("Storage CREATE: base/5/16384",
                    "Heap INSERT+INIT: off 1 flags 0x00",
                    "Heap INSERT: off 2 flags 0x00",
                    "Heap DELETE: off 1 flags 0x00 KEYS_UPDATED ",
                    "Heap UPDATE: off 2 xmax " + x2 + " flags 0x00 KEYS_UPDATED ; new off 3 xmax 0",
                    "Heap LOCK: off 3: xid " + x2 + ": flags 0x00 LOCK_ONLY EXCL_LOCK KEYS_UPDATED "), desc);
            assertTrue(recs.get(1).block(0).willInit(), "a new page is initialised by redo, no image");
            assertFalse(recs.get(1).block(0).hasImage());
            assertEquals(x1, recs.get(1).xid());
            assertEquals(1, recs.get(4).blockCount(), "same-page update: one block");
            assertEquals((byte) 0x80, recs.get(1).info());
            assertEquals(BlockReference.WILL_INIT, recs.get(1).block(0).flags());
        }
    }

    @Test
    void concurrentInsertersGetDistinctTidsAndEveryRowArrives() throws Exception {
        try (HeapFixture f = new HeapFixture(dir, 24).started()) {
            f.heap.create(NODE);
            int threads = 4;
            int per = 600;
            Set<Long> tids = java.util.concurrent.ConcurrentHashMap.newKeySet();
            List<Thread> ts = new ArrayList<>();
            List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int k = 0; k < threads; k++) {
                int kk = k;
                Thread t = new Thread(() -> {
                    try {
                        int xid = f.tm.assignXid(kk);
                        for (int i = 0; i < per; i++) {
                            tids.add(f.heap.insert(REL, row("t" + kk + "-" + i + "-" + "y".repeat(i % 50)), xid, 0, 0,
                                    90));
                        }
                        f.tm.commit(xid);
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                ts.add(t);
                t.start();
            }
            for (Thread t : ts) {
                t.join();
            }
            assertEquals(List.of(), errors);
            assertEquals(threads * per, tids.size());
            assertEquals(threads * per, f.scan(f.tm.snapshot(0, 0)).size());
            assertEquals(Heap.INSERT_FROZEN, 1);
        }
    }
}
