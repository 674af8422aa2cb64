package modgres.storage.heap;

import static modgres.storage.heap.HeapFixture.NODE;
import static modgres.storage.heap.HeapFixture.REL;
import static modgres.storage.heap.HeapFixture.row;
import static modgres.storage.heap.HeapFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import modgres.api.access.TmResult;
import modgres.api.access.WaitPolicy;
import modgres.api.buffer.FlushFilter;
import modgres.api.error.PgException;
import modgres.api.page.HeapTupleHeader;
import modgres.api.txn.MultiXactMember;
import modgres.api.txn.MultiXactStatus;
import modgres.api.wal.Lsn;
import modgres.api.wal.WalReader;

/** Row locks and updates that coexist through MultiXacts, waits only on conflicting members, vacuum and redo. */
class HeapMultiXactTest {

    @TempDir
    Path dir;

    HeapFixture f;
    ExecutorService threads = Executors.newCachedThreadPool();
    long row;

    @BeforeEach
    void open() {
        f = new HeapFixture(dir, 16).started();
        f.tm.multis = new FakeMultiXacts();
        f.heap.create(NODE);
        int x = f.tm.assignXid(1);
        row = f.heap.insert(REL, row("v0"), x, 0, 0, 100);
        f.tm.commit(x);
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        f.close();
    }

    static void assertWaiting(Future<?> fut) throws Exception {
        Thread.sleep(200);
        assertFalse(fut.isDone(), "should be waiting");
    }

    TmResult lock(long tid, int xid, RowLockMode mode, WaitPolicy wait) throws InterruptedException {
        return f.heap.lockTuple(REL, tid, xid, 0, mode, null, wait, 0);
    }

    List<MultiXactMember> members(HeapTuple t) {
        assertTrue((t.infomask() & HeapTupleHeader.HEAP_XMAX_IS_MULTI) != 0, "xmax is a multi");
        return List.of(f.tm.multis.members(t.xmax()));
    }

    @Test
    void twoShareLockersCoexist() throws Exception {
        int a = f.tm.assignXid(1);
        int b = f.tm.assignXid(2);
        assertEquals(TmResult.Status.OK, lock(row, a, RowLockMode.SHARE, WaitPolicy.ERROR).status());
        assertEquals(TmResult.Status.OK, lock(row, b, RowLockMode.SHARE, WaitPolicy.ERROR).status(),
                "FOR SHARE after FOR SHARE takes the lock at once (NOWAIT would fail otherwise)");
        HeapTuple t = f.heap.fetchAny(REL, row);
        assertEquals(List.of(new MultiXactMember(a, MultiXactStatus.FOR_SHARE),
                new MultiXactMember(b, MultiXactStatus.FOR_SHARE)), members(t));
        assertTrue((t.infomask() & HeapTupleHeader.HEAP_XMAX_LOCK_ONLY) != 0);
        assertEquals(HeapTupleHeader.HEAP_XMAX_SHR_LOCK, t.infomask() & HeapTupleHeader.HEAP_LOCK_MASK);
        // still visible to everyone (a lock hides nothing)
        assertEquals(List.of("v0"), f.scanText(f.tm.snapshot(0, 0)));
        // KEY SHARE joins too; the same locker again changes nothing
        int c = f.tm.assignXid(3);
        assertEquals(TmResult.Status.OK, lock(row, c, RowLockMode.KEY_SHARE, WaitPolicy.ERROR).status());
        int before = f.heap.fetchAny(REL, row).xmax();
        assertEquals(TmResult.Status.OK, lock(row, a, RowLockMode.KEY_SHARE, WaitPolicy.ERROR).status());
        assertEquals(before, f.heap.fetchAny(REL, row).xmax(), "a holds SHARE already");
        assertEquals(3, members(f.heap.fetchAny(REL, row)).size());
    }

    @Test
    void forUpdateWaitsForEverySharerAndSharersKeepTheirLocks() throws Exception {
        int a = f.tm.assignXid(1);
        int b = f.tm.assignXid(2);
        lock(row, a, RowLockMode.SHARE, WaitPolicy.BLOCK);
        lock(row, b, RowLockMode.SHARE, WaitPolicy.BLOCK);
        int c = f.tm.assignXid(3);
        assertEquals(TmResult.Status.WOULD_BLOCK, lock(row, c, RowLockMode.EXCLUSIVE, WaitPolicy.SKIP).status());
        PgException e = assertThrows(PgException.class, () -> lock(row, c, RowLockMode.NO_KEY_EXCLUSIVE,
                WaitPolicy.ERROR));
        assertEquals("55P03", e.sqlState());
        Future<TmResult> fc = threads.submit(() -> lock(row, c, RowLockMode.EXCLUSIVE, WaitPolicy.BLOCK));
        assertWaiting(fc);
        f.tm.commit(a);
        assertWaiting(fc); // b still holds its share lock
        // a finished: a new sharer joins b (and a is dropped from the new multi)
        int d = f.tm.assignXid(4);
        assertEquals(TmResult.Status.OK, lock(row, d, RowLockMode.SHARE, WaitPolicy.ERROR).status());
        assertEquals(List.of(new MultiXactMember(b, MultiXactStatus.FOR_SHARE),
                new MultiXactMember(d, MultiXactStatus.FOR_SHARE)), members(f.heap.fetchAny(REL, row)));
        f.tm.abort(b);
        assertWaiting(fc); // d too
        f.tm.commit(d);
        assertEquals(TmResult.Status.OK, fc.get(10, TimeUnit.SECONDS).status());
        HeapTuple t = f.heap.fetchAny(REL, row);
        assertEquals(c, t.xmax());
        assertEquals(0, t.infomask() & HeapTupleHeader.HEAP_XMAX_IS_MULTI, "a single locker again");
        f.tm.commit(c);
    }

    @Test
    void keyShareAndNonKeyUpdateCoexistButAKeyUpdateWaits() throws Exception {
        int a = f.tm.assignXid(1);
        lock(row, a, RowLockMode.KEY_SHARE, WaitPolicy.BLOCK);
        int b = f.tm.assignXid(2);
        TmResult u = f.heap.update(REL, row, row("v1"), b, 0, null, WaitPolicy.ERROR, 0, 100, false);
        assertEquals(TmResult.Status.OK, u.status(), "no key changed: no wait for the key-share locker");
        HeapTuple old = f.heap.fetchAny(REL, row);
        assertEquals(List.of(new MultiXactMember(a, MultiXactStatus.FOR_KEY_SHARE),
                new MultiXactMember(b, MultiXactStatus.NO_KEY_UPDATE)), members(old));
        assertEquals(0, old.infomask() & HeapTupleHeader.HEAP_XMAX_LOCK_ONLY);
        assertEquals(u.newTid(), old.ctid());
        // the new version inherits a's key-share lock
        HeapTuple nv = f.heap.fetchAny(REL, u.newTid());
        assertEquals(a, nv.xmax());
        assertEquals(HeapTupleHeader.HEAP_XMAX_LOCK_ONLY | HeapTupleHeader.HEAP_XMAX_KEYSHR_LOCK,
                nv.infomask() & (HeapTupleHeader.HEAP_XMAX_LOCK_ONLY | HeapTupleHeader.HEAP_LOCK_MASK));
        // visibility follows the update member: others still see v0, b sees v1
        assertEquals(List.of("v0"), f.scanText(f.tm.snapshot(0, 0)));
        assertEquals(List.of("v1"), f.scanText(f.tm.snapshot(b, 1)));
        f.tm.commit(b);
        assertEquals(List.of("v1"), f.scanText(f.tm.snapshot(0, 0)));
        // a key update (or a delete) of the new version waits for a's lock
        int c = f.tm.assignXid(3);
        Future<TmResult> fc = threads.submit(() -> f.heap.update(REL, u.newTid(), row("v2"), c, 0, null,
                WaitPolicy.BLOCK, 0, 100, true));
        assertWaiting(fc);
        f.tm.commit(a);
        assertEquals(TmResult.Status.OK, fc.get(10, TimeUnit.SECONDS).status());
        f.tm.commit(c);
        assertEquals(List.of("v2"), f.scanText(f.tm.snapshot(0, 0)));
    }

    @Test
    void aKeyShareLockerMayLockARowBeingUpdatedWithoutKeyChange() throws Exception {
        int b = f.tm.assignXid(2);
        TmResult u = f.heap.update(REL, row, row("v1"), b, 0, null, WaitPolicy.ERROR, 0, 100, false);
        int a = f.tm.assignXid(1);
        assertEquals(TmResult.Status.OK, lock(row, a, RowLockMode.KEY_SHARE, WaitPolicy.ERROR).status());
        HeapTuple old = f.heap.fetchAny(REL, row);
        assertEquals(List.of(new MultiXactMember(b, MultiXactStatus.NO_KEY_UPDATE),
                new MultiXactMember(a, MultiXactStatus.FOR_KEY_SHARE)), members(old));
        assertEquals(u.newTid(), old.ctid(), "still updated: the forward link stays");
        // the newer version carries a's lock as well (heap_lock_updated_tuple)
        HeapTuple nv = f.heap.fetchAny(REL, u.newTid());
        assertEquals(a, nv.xmax());
        assertTrue((nv.infomask() & HeapTupleHeader.HEAP_XMAX_LOCK_ONLY) != 0);
        // FOR SHARE conflicts with the no-key update
        int c = f.tm.assignXid(3);
        assertEquals(TmResult.Status.WOULD_BLOCK, lock(row, c, RowLockMode.SHARE, WaitPolicy.SKIP).status());
        // the updater aborts: a's lock remains, so a delete still waits
        f.tm.abort(b);
        assertEquals(List.of("v0"), f.scanText(f.tm.snapshot(0, 0)));
        Future<TmResult> fd = threads.submit(() -> f.heap.delete(REL, row, c, 0, null, WaitPolicy.BLOCK, 0));
        assertWaiting(fd);
        f.tm.commit(a);
        assertEquals(TmResult.Status.OK, fd.get(10, TimeUnit.SECONDS).status());
        f.tm.commit(c);
        assertEquals(List.of(), f.scanText(f.tm.snapshot(0, 0)));
    }

    @Test
    void aLockBesideACommittedNonKeyUpdateProtectsTheNewVersion() throws Exception {
        int b = f.tm.assignXid(2);
        TmResult u = f.heap.update(REL, row, row("v1"), b, 0, null, WaitPolicy.ERROR, 0, 100, false);
        int a = f.tm.assignXid(1);
        assertEquals(TmResult.Status.OK, lock(row, a, RowLockMode.KEY_SHARE, WaitPolicy.ERROR).status());
        f.tm.commit(b);
        int c = f.tm.assignXid(3);
        Future<TmResult> fd = threads.submit(() -> f.heap.delete(REL, u.newTid(), c, 0, null, WaitPolicy.BLOCK, 0));
        assertWaiting(fd);
        // another deleter meets the lock too (SKIP: not taken)
        int d = f.tm.assignXid(4);
        assertEquals(TmResult.Status.BEING_MODIFIED, f.heap.delete(REL, u.newTid(), d, 0, null, WaitPolicy.SKIP, 0)
                .status());
        f.tm.commit(a);
        assertEquals(TmResult.Status.OK, fd.get(10, TimeUnit.SECONDS).status());
        f.tm.commit(c);
        f.tm.abort(d);
    }

    @Test
    void crosscheckSeesTheCommittedUpdateMemberAsAConflict() throws Exception {
        int a = f.tm.assignXid(1);
        lock(row, a, RowLockMode.KEY_SHARE, WaitPolicy.BLOCK);
        int r = f.tm.assignXid(5);
        var snap = f.tm.snapshot(r, 0); // a repeatable-read transaction's snapshot, taken now
        int b = f.tm.assignXid(2);
        assertEquals(TmResult.Status.OK,
                f.heap.update(REL, row, row("v1"), b, 0, null, WaitPolicy.BLOCK, 0, 100, false).status());
        f.tm.commit(b);
        // the snapshot still sees v0, but changing it is a serialization failure (UPDATED)
        assertEquals(List.of("v0"), f.scanText(snap));
        assertEquals(TmResult.Status.UPDATED,
                f.heap.lockTuple(REL, row, r, 0, RowLockMode.SHARE, snap, WaitPolicy.BLOCK, 0).status());
        f.tm.commit(a);
        f.tm.commit(r);
    }

    @Test
    void vacuumReplacesFinishedMultis() throws Exception {
        int x = f.tm.assignXid(1);
        long row2 = f.heap.insert(REL, row("w0"), x, 0, 0, 100);
        f.tm.commit(x);
        int a = f.tm.assignXid(1);
        int b = f.tm.assignXid(2);
        lock(row, a, RowLockMode.SHARE, WaitPolicy.BLOCK);
        lock(row, b, RowLockMode.SHARE, WaitPolicy.BLOCK);
        lock(row2, a, RowLockMode.KEY_SHARE, WaitPolicy.BLOCK);
        TmResult u = f.heap.update(REL, row2, row("w1"), b, 0, null, WaitPolicy.BLOCK, 0, 100, false);
        f.tm.setBackendXmin(99, f.tm.oldestXmin()); // someone still sees w0: it stays, recently dead
        // while they run, vacuum keeps the multis
        f.heap.vacuum(REL, f.tm.oldestXmin(), f.tm.oldestXmin(), null);
        assertTrue((f.heap.fetchAny(REL, row).infomask() & HeapTupleHeader.HEAP_XMAX_IS_MULTI) != 0);
        f.tm.commit(a);
        f.tm.commit(b);
        f.heap.vacuum(REL, f.tm.oldestXmin(), f.tm.oldestXmin(), null);
        HeapTuple t = f.heap.fetchAny(REL, row);
        assertEquals(0, t.xmax(), "finished lockers: xmax cleared");
        assertTrue((t.infomask() & HeapTupleHeader.HEAP_XMAX_INVALID) != 0);
        HeapTuple old2 = f.heap.fetchAny(REL, row2);
        assertEquals(b, old2.xmax(), "a committed update member replaces the multi");
        assertEquals(0, old2.infomask() & (HeapTupleHeader.HEAP_XMAX_IS_MULTI | HeapTupleHeader.HEAP_XMAX_LOCK_ONLY));
        assertEquals(0, old2.infomask2() & HeapTupleHeader.HEAP_KEYS_UPDATED, "a no-key update");
        f.tm.setBackendXmin(99, 0);
        assertEquals(List.of("v0", "w1"), f.scanText(f.tm.snapshot(0, 0)).stream().sorted().toList());
        assertEquals(u.newTid(), old2.ctid());
        // nobody sees the old version any more: pruned
        f.heap.vacuum(REL, f.tm.oldestXmin(), f.tm.oldestXmin(), null);
        assertEquals(null, f.heap.fetchAny(REL, row2));
    }

    @Test
    void redoSetsTheSameMultiBits() throws Exception {
        List<Long> rows = new ArrayList<>();
        int x = f.tm.assignXid(1);
        for (int i = 0; i < 20; i++) {
            rows.add(f.heap.insert(REL, row("r" + i), x, 0, 0, 100));
        }
        f.tm.commit(x);
        int a = f.tm.assignXid(1);
        int b = f.tm.assignXid(2);
        for (int i = 0; i < 20; i++) {
            if (i % 3 == 0) {
                lock(rows.get(i), a, RowLockMode.KEY_SHARE, WaitPolicy.BLOCK); // compatible with a no-key update
                f.heap.update(REL, rows.get(i), row("u" + i + "x".repeat(i * 40)), b, 0, null, WaitPolicy.BLOCK, 0,
                        100, false);
            } else {
                lock(rows.get(i), a, RowLockMode.values()[i % 2], WaitPolicy.BLOCK);
                lock(rows.get(i), b, RowLockMode.values()[i % 2], WaitPolicy.BLOCK);
            }
        }
        f.tm.commit(a);
        var want = new ArrayList<byte[]>(HeapRedoTest.pages(f.pool, NODE, f.heap.nblocks(NODE)));
        List<String> rowsWant = HeapRedoTest.rowsOf(f, REL);
        FakeTransactionManager tm = f.tm;
        f.wal.flush(f.wal.insertPosition());
        f.close();
        // crash: nothing of the pool reached the disk; replay everything
        f = new HeapFixture(dir, 16, tm);
        f.smgr.setInRecovery(true);
        try (WalReader reader = f.wal.reader(Lsn.INVALID)) {
            TestRedoContext.Result res = TestRedoContext.replay(reader, f.pool, f.redo);
            assertTrue(res.described().stream().anyMatch(s -> s.contains("IS_MULTI LOCK_ONLY")), "a multi lock");
            assertTrue(res.described().stream().anyMatch(s -> s.startsWith("UPDATE") && s.contains("IS_MULTI")));
            f.smgr.setInRecovery(false);
            f.pool.flushAll(FlushFilter.ALL);
            f.wal.startAt(reader.end());
        }
        var got = HeapRedoTest.pages(f.pool, NODE, f.heap.nblocks(NODE));
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i), "block " + i);
        }
        assertEquals(rowsWant, HeapRedoTest.rowsOf(f, REL));
        // b still runs: its locks and update hold after the replay
        int c = f.tm.assignXid(3);
        assertEquals(TmResult.Status.WOULD_BLOCK, lock(rows.get(1), c, RowLockMode.EXCLUSIVE, WaitPolicy.SKIP)
                .status());
        assertEquals(TmResult.Status.OK, lock(rows.get(1), c, RowLockMode.KEY_SHARE, WaitPolicy.SKIP).status());
        assertEquals("r1", text(f.heap.fetch(REL, rows.get(1), f.tm.snapshot(0, 0))));
    }
}
