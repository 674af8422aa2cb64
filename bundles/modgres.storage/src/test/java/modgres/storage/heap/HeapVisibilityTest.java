package modgres.storage.heap;

import static modgres.storage.heap.HeapFixture.NODE;
import static modgres.storage.heap.HeapFixture.REL;
import static modgres.storage.heap.HeapFixture.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.access.HeapTuple;
import modgres.api.access.TmResult;
import modgres.api.access.TupleState;
import modgres.api.access.WaitPolicy;
import modgres.api.page.HeapTupleHeader;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.Snapshot;
import modgres.api.txn.XidStatus;

/** HeapTupleSatisfiesMVCC / Dirty in the cases that matter, and when hint bits are set. */
class HeapVisibilityTest {

    @TempDir
    Path dir;

    HeapFixture f;

    @BeforeEach
    void open() {
        f = new HeapFixture(dir, 16).started();
        f.heap.create(NODE);
    }

    @AfterEach
    void close() {
        f.close();
    }

    boolean sees(Snapshot s, long tid) {
        return f.heap.fetch(REL, tid, s) != null;
    }

    int infomask(long tid) {
        return f.heap.fetchAny(REL, tid).infomask();
    }

    @Test
    void ownInsertAndDeleteFollowCommandIds() throws Exception {
        int x = f.tm.assignXid(1);
        long a = f.heap.insert(REL, row("a"), x, 0, 0, 100);
        assertFalse(sees(f.tm.snapshot(x, 0), a), "inserted by the current command");
        assertTrue(sees(f.tm.snapshot(x, 1), a), "inserted by an earlier command");
        // deleted in command 2: still there for commands before it, gone after
        assertEquals(TmResult.Status.OK, f.heap.delete(REL, a, x, 2, f.tm.snapshot(x, 2), WaitPolicy.BLOCK, 0).status());
        assertTrue(sees(f.tm.snapshot(x, 1), a), "cmin 0 < 1 <= cmax 2: a cursor opened earlier still sees it");
        assertTrue(sees(f.tm.snapshot(x, 2), a), "the deleting command itself still sees it");
        assertFalse(sees(f.tm.snapshot(x, 3), a));
        HeapTuple t = f.heap.fetchAny(REL, a);
        assertTrue((t.infomask() & HeapTupleHeader.HEAP_COMBOCID) != 0, "cmin and cmax live in a combo id");
        // without hints, on the copied tuple
        assertTrue(f.heap.isVisible(t, f.tm.snapshot(x, 1)));
        assertFalse(f.heap.isVisible(t, f.tm.snapshot(x, 3)));
        assertFalse(f.heap.isVisible(t, f.tm.snapshot(x, 0)));

        // updating twice in one command: the second finds its own change (SELF_MODIFIED)
        long b = f.heap.insert(REL, row("b"), x, 3, 0, 100);
        TmResult u = f.heap.update(REL, b, row("b2"), x, 4, f.tm.snapshot(x, 4), WaitPolicy.BLOCK, 0, 100);
        assertEquals(TmResult.Status.OK, u.status());
        TmResult again = f.heap.update(REL, b, row("b3"), x, 4, f.tm.snapshot(x, 4), WaitPolicy.BLOCK, 0, 100);
        assertEquals(TmResult.Status.SELF_MODIFIED, again.status());
        assertEquals(4, again.cmax());
        assertEquals(u.newTid(), again.newTid());
        assertEquals(TmResult.Status.INVISIBLE,
                f.heap.update(REL, b, row("b3"), x, 5, f.tm.snapshot(x, 5), WaitPolicy.BLOCK, 0, 100).status(),
                "changed by an earlier command: no longer visible");
        assertEquals(TmResult.Status.INVISIBLE,
                f.heap.delete(REL, u.newTid(), x, 4, f.tm.snapshot(x, 4), WaitPolicy.BLOCK, 0).status(),
                "the new version was made by the current command");
        assertEquals(TmResult.Status.OK,
                f.heap.delete(REL, u.newTid(), x, 5, f.tm.snapshot(x, 5), WaitPolicy.BLOCK, 0).status());

        assertFalse(sees(f.tm.snapshot(0, 0), a), "others never see uncommitted rows");
        f.tm.commit(x);
        assertEquals(0, f.scan(f.tm.snapshot(0, 0)).size(), "everything was deleted in the end");
    }

    @Test
    void anAbortedSubtransactionsDeleteDoesNotCount() throws Exception {
        int x = f.tm.assignXid(1);
        long a = f.heap.insert(REL, row("a"), x, 0, 0, 100);
        int sub = f.tm.assignSubXid(1, x);
        assertEquals(TmResult.Status.OK,
                f.heap.delete(REL, a, sub, 1, f.tm.snapshot(x, 1), WaitPolicy.BLOCK, 0).status());
        assertFalse(sees(f.tm.snapshot(x, 2), a));
        f.tm.abortSubXids(1, x, new int[] {sub});
        assertTrue(sees(f.tm.snapshot(x, 2), a), "ROLLBACK TO SAVEPOINT brings it back");
        assertEquals(TupleState.LIVE, f.heap.tupleState(REL, a, f.tm.snapshot(x, 2).current()));
        f.tm.commit(x);
        assertTrue(sees(f.tm.snapshot(0, 0), a));
    }

    @Test
    void concurrentCommittedAbortedAndCrashedInserters() {
        int a = f.tm.assignXid(1);
        long ta = f.heap.insert(REL, row("a"), a, 0, 0, 100);
        int b = f.tm.assignXid(2);
        long tb = f.heap.insert(REL, row("b"), b, 0, 0, 100);
        int c = f.tm.assignXid(3);
        long tc = f.heap.insert(REL, row("c"), c, 0, 0, 100);

        Snapshot during = f.tm.snapshot(0, 0);
        assertFalse(sees(during, ta));
        CurrentTransaction nobody = CurrentTransaction.NONE;
        assertEquals(new TupleState(TupleState.Kind.INSERT_IN_PROGRESS, a), f.heap.tupleState(REL, ta, nobody));

        f.tm.commit(a);
        f.tm.abort(b);
        f.tm.crash(); // c was running: a leftover of a crash
        assertEquals(XidStatus.ABORTED, f.tm.status(c));

        Snapshot after = f.tm.snapshot(0, 0);
        assertFalse(sees(during, ta), "committed after the snapshot: still invisible to it");
        assertTrue(sees(after, ta));
        assertFalse(sees(after, tb), "aborted");
        assertFalse(sees(after, tc), "crashed");
        assertEquals(TupleState.LIVE, f.heap.tupleState(REL, ta, nobody));
        assertEquals(TupleState.DEAD, f.heap.tupleState(REL, tb, nobody));
        assertEquals(TupleState.DEAD, f.heap.tupleState(REL, tc, nobody));
        // the readers left hints: committed (the commit flushed the WAL) and invalid
        assertTrue((infomask(ta) & HeapTupleHeader.HEAP_XMIN_COMMITTED) != 0);
        assertTrue((infomask(tb) & HeapTupleHeader.HEAP_XMIN_INVALID) != 0);
        assertTrue((infomask(tc) & HeapTupleHeader.HEAP_XMIN_INVALID) != 0);
    }

    @Test
    void deletesByOthers() throws Exception {
        int x = f.tm.assignXid(1);
        long a = f.heap.insert(REL, row("a"), x, 0, 0, 100);
        long b = f.heap.insert(REL, row("b"), x, 0, 0, 100);
        f.tm.commit(x);

        int d = f.tm.assignXid(2);
        assertEquals(TmResult.Status.OK, f.heap.delete(REL, a, d, 0, null, WaitPolicy.BLOCK, 0).status());
        assertEquals(TmResult.Status.OK, f.heap.delete(REL, b, d, 0, null, WaitPolicy.BLOCK, 0).status());
        Snapshot before = f.tm.snapshot(0, 0);
        assertTrue(sees(before, a), "the deleter is running");
        assertEquals(new TupleState(TupleState.Kind.DELETE_IN_PROGRESS, d),
                f.heap.tupleState(REL, a, CurrentTransaction.NONE));
        assertEquals(TupleState.DEAD, f.heap.tupleState(REL, a, xx -> xx == d), "for the deleter it is gone");

        HeapTuple copy = f.heap.fetchAny(REL, a);
        f.tm.commit(d);
        assertTrue(sees(before, a), "the delete committed after the snapshot");
        assertTrue(f.heap.isVisible(copy, before));
        assertFalse(sees(f.tm.snapshot(0, 0), a));
        assertFalse(f.heap.isVisible(copy, f.tm.snapshot(0, 0)));
        assertEquals(TupleState.DEAD, f.heap.tupleState(REL, a, CurrentTransaction.NONE));

        // an aborted deleter leaves the row alive and a hint behind
        int e = f.tm.assignXid(3);
        int y = f.tm.assignXid(4);
        long c = f.heap.insert(REL, row("c"), y, 0, 0, 100);
        f.tm.commit(y);
        assertEquals(TmResult.Status.OK, f.heap.delete(REL, c, e, 0, null, WaitPolicy.BLOCK, 0).status());
        f.tm.abort(e);
        assertTrue(sees(f.tm.snapshot(0, 0), c));
        assertTrue((infomask(c) & HeapTupleHeader.HEAP_XMAX_INVALID) != 0);
        // a finished locker hides nothing
        int l = f.tm.assignXid(5);
        assertEquals(TmResult.Status.OK, f.heap.lockTuple(REL, c, l, 0, modgres.api.access.RowLockMode.SHARE, null,
                WaitPolicy.BLOCK, 0).status());
        assertTrue(sees(f.tm.snapshot(0, 0), c), "a lock is not a delete");
        f.tm.commit(l);
        assertTrue(sees(f.tm.snapshot(0, 0), c));
        assertEquals(TupleState.LIVE, f.heap.tupleState(REL, c, CurrentTransaction.NONE));
    }

    @Test
    void isVisibleSetsNoHintsAndReadersSetThemOnlyWhenSafe() {
        int x = f.tm.assignXid(1);
        long a = f.heap.insert(REL, row("a"), x, 0, 0, 100);
        f.tm.commit(x);
        HeapTuple copy = f.heap.fetchAny(REL, a);
        assertTrue(f.heap.isVisible(copy, f.tm.snapshot(0, 0)));
        assertEquals(0, infomask(a) & HeapTupleHeader.HEAP_XMIN_COMMITTED, "isVisible works on the copy only");

        // A checkpoint began after the page's last change: a hint-only change could be torn, so none is made.
        f.wal.advanceRedoPointer();
        assertNotNull(f.heap.fetch(REL, a, f.tm.snapshot(0, 0)));
        assertEquals(0, infomask(a) & HeapTupleHeader.HEAP_XMIN_COMMITTED);
        // After a logged change of the page (which carries its image) hints are fine again.
        int y = f.tm.assignXid(2);
        f.heap.insert(REL, row("b"), y, 0, 0, 100);
        assertNotNull(f.heap.fetch(REL, a, f.tm.snapshot(0, 0)));
        assertTrue((infomask(a) & HeapTupleHeader.HEAP_XMIN_COMMITTED) != 0);
    }

    @Test
    void noCommittedHintBeforeTheCommitIsFlushed() {
        int x = f.tm.assignXid(1);
        long a = f.heap.insert(REL, row("a"), x, 0, 0, 100);
        f.tm.commit(0, x, new int[0], false); // asynchronous commit: the WAL is not flushed
        assertNotNull(f.heap.fetch(REL, a, f.tm.snapshot(0, 0)));
        assertEquals(0, infomask(a) & HeapTupleHeader.HEAP_XMIN_COMMITTED);
        f.wal.flush(f.wal.insertPosition());
        assertNotNull(f.heap.fetch(REL, a, f.tm.snapshot(0, 0)));
        assertTrue((infomask(a) & HeapTupleHeader.HEAP_XMIN_COMMITTED) != 0);
    }

    @Test
    void frozenTuplesAreVisibleToEveryone() {
        int x = f.tm.assignXid(1);
        long a = f.heap.insert(REL, row("a"), x, 0, modgres.api.access.Heap.INSERT_FROZEN, 100);
        // COPY FREEZE: visible even to snapshots that think x is running (as PostgreSQL's frozen rows are)
        assertTrue(sees(f.tm.snapshot(0, 0), a));
        assertNull(f.heap.fetch(REL, modgres.api.access.Tid.of(0, 2), f.tm.snapshot(0, 0)));
    }
}
