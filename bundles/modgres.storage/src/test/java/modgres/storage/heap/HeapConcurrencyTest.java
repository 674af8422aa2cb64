package modgres.storage.heap;

import static modgres.storage.heap.HeapFixture.NODE;
import static modgres.storage.heap.HeapFixture.REL;
import static modgres.storage.heap.HeapFixture.row;
import static modgres.storage.heap.HeapFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.access.HeapTuple;
import modgres.api.access.RowLockMode;
import modgres.api.access.Tid;
import modgres.api.access.TmResult;
import modgres.api.access.WaitPolicy;
import modgres.api.error.PgException;
import modgres.api.page.HeapTupleHeader;
import modgres.api.txn.Snapshot;

/** Row-level conflicts between transactions: waits, NOWAIT, SKIP LOCKED, crosschecks. */
class HeapConcurrencyTest {

    @TempDir
    Path dir;

    HeapFixture f;
    ExecutorService pool = Executors.newCachedThreadPool();
    long row;

    @BeforeEach
    void open() {
        f = new HeapFixture(dir, 16).started();
        f.heap.create(NODE);
        int x = f.tm.assignXid(1);
        row = f.heap.insert(REL, row("v0"), x, 0, 0, 100);
        f.tm.commit(x);
    }

    @AfterEach
    void close() throws Exception {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        f.close();
    }

    /** Waits until the future is blocked (not done) for a while, to show it waits. */
    static void assertWaiting(Future<?> fut) throws Exception {
        Thread.sleep(150);
        assertTrue(!fut.isDone(), "should be waiting");
    }

    @Test
    void secondUpdaterWaitsAndSeesTheCommittedUpdate() throws Exception {
        int a = f.tm.assignXid(1);
        TmResult ra = f.heap.update(REL, row, row("a"), a, 0, null, WaitPolicy.BLOCK, 0, 100);
        assertEquals(TmResult.Status.OK, ra.status());
        int b = f.tm.assignXid(2);
        Future<TmResult> rb = pool.submit(() -> f.heap.update(REL, row, row("b"), b, 0, null, WaitPolicy.BLOCK, 0, 100));
        assertWaiting(rb);
        f.tm.commit(a);
        TmResult r = rb.get(10, TimeUnit.SECONDS);
        assertEquals(TmResult.Status.UPDATED, r.status());
        assertEquals(ra.newTid(), r.newTid(), "points at the newer version to follow (READ COMMITTED)");
        assertEquals(a, r.xmax());
        // following the chain, b updates the new version
        TmResult r2 = f.heap.update(REL, r.newTid(), row("b"), b, 0, null, WaitPolicy.BLOCK, 0, 100);
        assertEquals(TmResult.Status.OK, r2.status());
        f.tm.commit(b);
        assertEquals(java.util.List.of("b"), f.scanText(f.tm.snapshot(0, 0)));
    }

    @Test
    void secondUpdaterProceedsWhenTheFirstAborts() throws Exception {
        int a = f.tm.assignXid(1);
        assertEquals(TmResult.Status.OK, f.heap.update(REL, row, row("a"), a, 0, null, WaitPolicy.BLOCK, 0, 100).status());
        int b = f.tm.assignXid(2);
        Future<TmResult> rb = pool.submit(() -> f.heap.update(REL, row, row("b"), b, 0, null, WaitPolicy.BLOCK, 0, 100));
        assertWaiting(rb);
        f.tm.abort(a);
        TmResult r = rb.get(10, TimeUnit.SECONDS);
        assertEquals(TmResult.Status.OK, r.status());
        f.tm.commit(b);
        assertEquals(java.util.List.of("b"), f.scanText(f.tm.snapshot(0, 0)));
        HeapTuple old = f.heap.fetchAny(REL, row);
        assertEquals(b, old.xmax());
        assertEquals(r.newTid(), old.ctid());
    }

    @Test
    void deleteWaitsForALockerAndThenProceeds() throws Exception {
        int a = f.tm.assignXid(1);
        assertEquals(TmResult.Status.OK,
                f.heap.lockTuple(REL, row, a, 0, RowLockMode.SHARE, null, WaitPolicy.BLOCK, 0).status());
        int b = f.tm.assignXid(2);
        Future<TmResult> rb = pool.submit(() -> f.heap.delete(REL, row, b, 0, null, WaitPolicy.BLOCK, 0));
        assertWaiting(rb);
        f.tm.commit(a); // a committed lock holds nothing any more
        assertEquals(TmResult.Status.OK, rb.get(10, TimeUnit.SECONDS).status());
        f.tm.commit(b);
        assertEquals(0, f.scan(f.tm.snapshot(0, 0)).size());
    }

    @Test
    void twoDeletersTheSecondGetsDeleted() throws Exception {
        int a = f.tm.assignXid(1);
        assertEquals(TmResult.Status.OK, f.heap.delete(REL, row, a, 0, null, WaitPolicy.BLOCK, 0).status());
        int b = f.tm.assignXid(2);
        Future<TmResult> rb = pool.submit(() -> f.heap.delete(REL, row, b, 0, null, WaitPolicy.BLOCK, 0));
        assertWaiting(rb);
        f.tm.commit(a);
        TmResult r = rb.get(10, TimeUnit.SECONDS);
        assertEquals(TmResult.Status.DELETED, r.status());
        assertEquals(a, r.xmax());
    }

    @Test
    void nowaitAndSkipLocked() throws Exception {
        int a = f.tm.assignXid(1);
        assertEquals(TmResult.Status.OK,
                f.heap.lockTuple(REL, row, a, 0, RowLockMode.NO_KEY_EXCLUSIVE, null, WaitPolicy.BLOCK, 0).status());
        int b = f.tm.assignXid(2);
        PgException e = assertThrows(PgException.class,
                () -> f.heap.lockTuple(REL, row, b, 0, RowLockMode.EXCLUSIVE, null, WaitPolicy.ERROR, 0));
        assertEquals("55P03", e.sqlState());
        assertEquals("could not obtain lock on row in relation \"t\"", e.getMessage());
        TmResult skip = f.heap.lockTuple(REL, row, b, 0, RowLockMode.EXCLUSIVE, null, WaitPolicy.SKIP, 0);
        assertEquals(TmResult.Status.WOULD_BLOCK, skip.status());
        assertEquals(a, skip.xmax());
        assertEquals(TmResult.Status.BEING_MODIFIED,
                f.heap.delete(REL, row, b, 0, null, WaitPolicy.SKIP, 0).status(), "a delete that may not wait");
        // No MultiXacts: even a compatible second locker waits (documented simplification).
        assertEquals(TmResult.Status.WOULD_BLOCK,
                f.heap.lockTuple(REL, row, b, 0, RowLockMode.KEY_SHARE, null, WaitPolicy.SKIP, 0).status());
        // lock_timeout through the transaction manager's wait
        PgException timeout = assertThrows(PgException.class,
                () -> f.heap.lockTuple(REL, row, b, 0, RowLockMode.SHARE, null, WaitPolicy.BLOCK, 100));
        assertEquals("canceling statement due to lock timeout", timeout.getMessage());
        // the locker itself may upgrade, or ask again for less
        assertEquals(TmResult.Status.OK,
                f.heap.lockTuple(REL, row, a, 1, RowLockMode.SHARE, null, WaitPolicy.ERROR, 0).status());
        HeapTuple t = f.heap.fetchAny(REL, row);
        assertEquals(RowLockMode.NO_KEY_EXCLUSIVE, HeapComponent.lockModeOf(t.infomask(), t.infomask2()));
        assertEquals(TmResult.Status.OK,
                f.heap.lockTuple(REL, row, a, 1, RowLockMode.EXCLUSIVE, null, WaitPolicy.ERROR, 0).status());
        t = f.heap.fetchAny(REL, row);
        assertEquals(RowLockMode.EXCLUSIVE, HeapComponent.lockModeOf(t.infomask(), t.infomask2()));
        assertTrue((t.infomask() & HeapTupleHeader.HEAP_XMAX_LOCK_ONLY) != 0);
        // and change the row it has locked
        assertEquals(TmResult.Status.OK,
                f.heap.update(REL, row, row("a"), a, 2, null, WaitPolicy.ERROR, 0, 100).status());
        f.tm.commit(a);
        TmResult after = f.heap.lockTuple(REL, row, b, 0, RowLockMode.SHARE, null, WaitPolicy.SKIP, 0);
        assertEquals(TmResult.Status.UPDATED, after.status(), "SKIP LOCKED still reports a committed update");
    }

    @Test
    void repeatableReadCrosscheck() throws Exception {
        int rr = f.tm.assignXid(9);
        Snapshot snap = f.tm.snapshot(rr, 0);
        // a row inserted after the snapshot, committed: invisible to it, so not to be changed under it
        int a = f.tm.assignXid(1);
        long fresh = f.heap.insert(REL, row("new"), a, 0, 0, 100);
        f.tm.commit(a);
        assertEquals(TmResult.Status.UPDATED,
                f.heap.delete(REL, fresh, rr, 0, snap, WaitPolicy.BLOCK, 0).status());
        assertEquals(TmResult.Status.OK, f.heap.delete(REL, fresh, rr, 0, null, WaitPolicy.BLOCK, 0).status(),
                "READ COMMITTED (no crosscheck) goes ahead");
        // an update committed after the snapshot
        int b = f.tm.assignXid(2);
        TmResult u = f.heap.update(REL, row, row("b"), b, 0, null, WaitPolicy.BLOCK, 0, 100);
        f.tm.commit(b);
        TmResult r = f.heap.lockTuple(REL, row, rr, 0, RowLockMode.SHARE, snap, WaitPolicy.BLOCK, 0);
        assertEquals(TmResult.Status.UPDATED, r.status());
        assertEquals(u.newTid(), r.newTid());
        assertEquals("v0", text(f.heap.fetch(REL, row, snap)), "the snapshot still sees the old version");
        assertEquals(TmResult.Status.UPDATED,
                f.heap.update(REL, u.newTid(), row("c"), rr, 0, snap, WaitPolicy.BLOCK, 0, 100).status());
    }

    @Test
    void updatesThatMoveToAnotherPageUnderConcurrency() throws Exception {
        // fill page 0, then have several threads update rows of it: every new version goes elsewhere
        int x = f.tm.assignXid(1);
        java.util.List<Long> tids = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            tids.add(f.heap.insert(REL, row("p".repeat(120) + i), x, 0, 0, 100));
        }
        f.tm.commit(x);
        int threads = 4;
        java.util.List<CompletableFuture<Void>> fs = new java.util.ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int kk = k;
            fs.add(CompletableFuture.runAsync(() -> {
                int xid = f.tm.assignXid(10 + kk);
                for (int i = kk; i < tids.size(); i += threads) {
                    try {
                        TmResult r = f.heap.update(REL, tids.get(i), row("q".repeat(150) + i), xid, 0, null,
                                WaitPolicy.BLOCK, 0, 100);
                        if (r.status() != TmResult.Status.OK) {
                            throw new AssertionError(r.toString());
                        }
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                }
                f.tm.commit(xid);
            }, pool));
        }
        CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 60; i++) {
            HeapTuple old = f.heap.fetchAny(REL, tids.get(i));
            assertTrue(Tid.isValid(old.ctid()) && old.ctid() != tids.get(i), "old version points at the new one");
            assertEquals("q".repeat(150) + i, text(f.heap.fetchAny(REL, old.ctid())));
        }
        java.util.List<String> rows = f.scanText(f.tm.snapshot(0, 0));
        assertEquals(61, rows.size());
        for (int i = 0; i < 60; i++) {
            assertTrue(rows.contains("q".repeat(150) + i));
        }
        // the scan found page 0 full of dead versions and pruned it on the way
        assertEquals(null, f.heap.fetchAny(REL, tids.get(0)));
    }
}
