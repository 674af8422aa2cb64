package modgres.storage.heap;

import static modgres.storage.heap.HeapFixture.NODE;
import static modgres.storage.heap.HeapFixture.REL;
import static modgres.storage.heap.HeapFixture.row;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.access.HeapTuple;
import modgres.api.access.Tid;
import modgres.api.access.TmResult;
import modgres.api.access.VacuumStats;
import modgres.api.access.WaitPolicy;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.ItemId;
import modgres.api.page.Page;

/** VACUUM: pruning, index cleanup before line pointers are reused, freezing, free space, truncation. */
class HeapVacuumTest {

    @TempDir
    Path dir;

    HeapFixture f;

    @BeforeEach
    void open() {
        f = new HeapFixture(dir, 32).started();
        f.heap.create(NODE);
    }

    @AfterEach
    void close() {
        f.close();
    }

    List<Long> insert(int n, String prefix) {
        int x = f.tm.assignXid(1);
        List<Long> tids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tids.add(f.heap.insert(REL, row(prefix + i + "-" + "z".repeat(40)), x, 0, 0, 100));
        }
        f.tm.commit(x);
        return tids;
    }

    void delete(List<Long> tids) throws Exception {
        int x = f.tm.assignXid(2);
        for (long t : tids) {
            assertEquals(TmResult.Status.OK, f.heap.delete(REL, t, x, 0, null, WaitPolicy.BLOCK, 0).status());
        }
        f.tm.commit(x);
    }

    int lpFlags(long tid) {
        int b = f.pool.pin(BufferTag.of(NODE, ForkNumber.MAIN, Tid.block(tid)));
        try {
            f.pool.lockContent(b, false);
            try {
                ByteBuffer p = f.pool.page(b);
                return Tid.offset(tid) > Page.maxOffset(p) ? ItemId.UNUSED : Page.itemFlags(p, Tid.offset(tid));
            } finally {
                f.pool.unlockContent(b);
            }
        } finally {
            f.pool.unpin(b);
        }
    }

    @Test
    void removesDeadTuplesCallsIndexCleanupFirstAndReusesTheSpace() throws Exception {
        List<Long> tids = insert(1000, "r");
        List<Long> doomed = new ArrayList<>();
        for (int i = 0; i < tids.size(); i += 2) {
            doomed.add(tids.get(i));
        }
        delete(doomed);
        int nb = f.heap.nblocks(NODE);

        List<long[]> cleaned = new ArrayList<>();
        VacuumStats st = f.heap.vacuum(REL, f.tm.oldestXmin(), f.tm.oldestXmin() - 100, dead -> {
            cleaned.add(dead.clone());
            // the heap keeps the line pointers dead until the index entries are gone
            for (long t : dead) {
                assertEquals(ItemId.DEAD, lpFlags(t), Tid.toString(t));
            }
        });
        assertEquals(1, cleaned.size());
        assertArrayEquals(doomed.stream().mapToLong(Long::longValue).toArray(), cleaned.get(0),
                "exactly the deleted tids, in tid order");
        assertEquals(500, st.tuplesRemoved());
        assertEquals(500, st.liveTuples());
        assertEquals(0, st.deadTuplesLeft());
        assertEquals(nb, st.pagesScanned());
        assertEquals(0, st.pagesTruncated());
        for (long t : doomed) {
            assertEquals(ItemId.UNUSED, lpFlags(t));
        }
        assertEquals(500, f.scan(f.tm.snapshot(0, 0)).size());
        assertTrue(f.fsm.recordedFreeSpace(NODE, 0) > 3000, "free space recorded: " + f.fsm.recordedFreeSpace(NODE, 0));

        // a second vacuum finds nothing to do
        VacuumStats again = f.heap.vacuum(REL, f.tm.oldestXmin(), 0, dead -> cleaned.add(dead));
        assertEquals(0, again.tuplesRemoved());
        assertEquals(1, cleaned.size(), "no index pass without dead tuples");

        // new rows go into the freed space, reusing the freed line pointers
        List<Long> more = insert(450, "n");
        assertEquals(nb, f.heap.nblocks(NODE), "no extension needed");
        TreeSet<Long> reused = new TreeSet<>(doomed);
        reused.retainAll(more);
        assertTrue(reused.size() > 400, "line pointers reused: " + reused.size());
        assertEquals(950, f.scan(f.tm.snapshot(0, 0)).size());
    }

    @Test
    void recentlyDeadAndAbortedTuples() throws Exception {
        List<Long> tids = insert(10, "a");
        int reader = f.tm.assignXid(3); // an old transaction still running: its horizon keeps the dead rows
        delete(tids.subList(0, 4));
        int ab = f.tm.assignXid(4);
        long aborted = f.heap.insert(REL, row("aborted"), ab, 0, 0, 100);
        f.tm.abort(ab);
        List<long[]> cleaned = new ArrayList<>();
        VacuumStats st = f.heap.vacuum(REL, f.tm.oldestXmin(), 0, cleaned::add);
        assertEquals(1, st.tuplesRemoved(), "only the aborted insert is dead to everyone");
        assertEquals(4, st.deadTuplesLeft());
        assertEquals(6, st.liveTuples());
        assertArrayEquals(new long[] {aborted}, cleaned.get(0));
        f.tm.commit(reader);
        st = f.heap.vacuum(REL, f.tm.oldestXmin(), 0, cleaned::add);
        assertEquals(4, st.tuplesRemoved());
    }

    @Test
    void freezesOldTuples() throws Exception {
        List<Long> tids = insert(5, "f");
        int locker = f.tm.assignXid(5);
        f.heap.lockTuple(REL, tids.get(1), locker, 0, modgres.api.access.RowLockMode.SHARE, null, WaitPolicy.BLOCK, 0);
        f.tm.commit(locker);
        int cutoff = f.tm.assignXid(6); // everything older gets frozen
        VacuumStats st = f.heap.vacuum(REL, f.tm.oldestXmin(), cutoff, null);
        assertEquals(5, st.tuplesFrozen());
        HeapTuple t = f.heap.fetchAny(REL, tids.get(1));
        assertEquals(HeapTupleHeader.HEAP_XMIN_FROZEN, t.infomask() & HeapTupleHeader.HEAP_XMIN_FROZEN);
        assertEquals(0, t.xmax(), "a finished locker's xmax is cleared");
        assertTrue((t.infomask() & HeapTupleHeader.HEAP_XMAX_INVALID) != 0);
        assertNotNull(f.heap.fetch(REL, tids.get(1), f.tm.snapshot(0, 0)));
        assertEquals(0, f.heap.vacuum(REL, f.tm.oldestXmin(), cutoff, null).tuplesFrozen(), "once is enough");
    }

    long fileBytes() throws java.io.IOException {
        long n = 0;
        try (var files = Files.list(dir.resolve("base/5"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.equals("16384") || name.startsWith("16384.")) {
                    n += Files.size(p);
                }
            }
        }
        return n;
    }

    @Test
    void truncatesEmptyPagesAtTheEnd() throws Exception {
        List<Long> tids = insert(2000, "t");
        int nb = f.heap.nblocks(NODE);
        assertTrue(nb > 10);
        // delete everything on the second half of the pages
        List<Long> tail = new ArrayList<>();
        for (long t : tids) {
            if (Tid.block(t) >= nb / 2) {
                tail.add(t);
            }
        }
        delete(tail);
        long sizeBefore = fileBytes();
        VacuumStats st = f.heap.vacuum(REL, f.tm.oldestXmin(), 0, null);
        assertEquals(nb - nb / 2, st.pagesTruncated());
        assertEquals(nb / 2, f.heap.nblocks(NODE));
        assertEquals(sizeBefore - 8192L * st.pagesTruncated(), fileBytes(), "the files shrank");
        assertTrue(f.fsm.recordedFreeSpace(NODE, nb - 1) == 0, "the map forgot the cut pages");
        assertNull(f.heap.fetch(REL, tail.get(0), f.tm.snapshot(0, 0)), "past the end now");
        assertEquals(tids.size() - tail.size(), f.scan(f.tm.snapshot(0, 0)).size());
        // the relation grows again normally
        insert(2000, "again");
        assertEquals(2 * tids.size() - tail.size(), f.scan(f.tm.snapshot(0, 0)).size());
    }
}
