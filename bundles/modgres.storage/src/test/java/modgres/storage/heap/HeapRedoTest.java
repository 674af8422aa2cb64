package modgres.storage.heap;

import static modgres.storage.heap.HeapFixture.NODE;
import static modgres.storage.heap.HeapFixture.REL;
import static modgres.storage.heap.HeapFixture.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.access.HeapTuple;
import modgres.api.access.RelationRef;
import modgres.api.access.RowLockMode;
import modgres.api.access.Tid;
import modgres.api.access.TmResult;
import modgres.api.access.WaitPolicy;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.FlushFilter;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.ItemId;
import modgres.api.page.Page;
import modgres.api.wal.Lsn;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.shmem.buffer.SharedBufferPool;

/**
 * Crash recovery: a workload, a crash with the data files partly written,
 * then a fresh buffer pool over the same files replays the WAL through the
 * redo handler; every page must come out as the original had it (masked as
 * PostgreSQL's wal_consistency_checking masks: hints, t_cid, unused space),
 * and every relation must show the same rows.
 */
class HeapRedoTest {
    static final RelFileNode NODE2 = new RelFileNode(1663, 5, 16390);
    static final RelationRef REL2 = new RelationRef(16390, NODE2, "u");

    @TempDir
    Path dir;

    /** Live rows of the workload per relation: tid -> text, for picking rows to change. */
    final Map<RelationRef, List<Long>> live = new HashMap<>();

    // ------------------------------------------------------------------ workload

    void workload(HeapFixture f, Random rnd, int rounds) throws Exception {
        for (int round = 0; round < rounds; round++) {
            for (RelationRef rel : List.of(REL, REL2)) {
                List<Long> rows = live.computeIfAbsent(rel, k -> new ArrayList<>());
                int x = f.tm.assignXid(1);
                int cid = 0;
                for (int i = 0; i < 300; i++) {
                    rows.add(f.heap.insert(rel, row("r" + round + "-" + i + "-" + "w".repeat(rnd.nextInt(120))), x,
                            cid, 0, rnd.nextBoolean() ? 100 : 70));
                }
                cid++;
                for (int i = 0; i < 60 && !rows.isEmpty(); i++) {
                    int k = rnd.nextInt(rows.size());
                    TmResult r = f.heap.update(rel, rows.get(k), row("u" + round + "-" + i + "w".repeat(rnd.nextInt(300))),
                            x, cid, null, WaitPolicy.BLOCK, 0, 100);
                    if (r.status() == TmResult.Status.OK) {
                        rows.set(k, r.newTid());
                    }
                }
                cid++;
                for (int i = 0; i < 40 && !rows.isEmpty(); i++) {
                    int k = rnd.nextInt(rows.size());
                    TmResult r = f.heap.delete(rel, rows.get(k), x, cid, null, WaitPolicy.BLOCK, 0);
                    if (r.status() == TmResult.Status.OK) {
                        rows.remove(k);
                    }
                }
                cid++;
                for (int i = 0; i < 20 && !rows.isEmpty(); i++) {
                    f.heap.lockTuple(rel, rows.get(rnd.nextInt(rows.size())), x, cid,
                            RowLockMode.values()[rnd.nextInt(4)], null, WaitPolicy.BLOCK, 0);
                }
                f.tm.commit(x);
                // an aborted transaction's changes
                int y = f.tm.assignXid(2);
                for (int i = 0; i < 30; i++) {
                    f.heap.insert(rel, row("aborted" + i), y, 0, 0, 100);
                }
                for (int i = 0; i < 10 && !rows.isEmpty(); i++) {
                    f.heap.update(rel, rows.get(rnd.nextInt(rows.size())), row("nope"), y, 1, null, WaitPolicy.BLOCK,
                            0, 100);
                }
                f.tm.abort(y);
            }
            if (round % 2 == 1) {
                f.heap.vacuum(REL, f.tm.oldestXmin(), f.tm.oldestXmin() - 200, null);
            }
        }
        // REL2 loses its tail, and vacuum cuts it off
        List<Long> rows2 = live.get(REL2);
        int nb = f.heap.nblocks(NODE2);
        int d = f.tm.assignXid(3);
        for (int i = rows2.size() - 1; i >= 0; i--) {
            if (Tid.block(rows2.get(i)) >= nb / 2) {
                assertEquals(TmResult.Status.OK, f.heap.delete(REL2, rows2.get(i), d, 0, null, WaitPolicy.BLOCK, 0)
                        .status());
                rows2.remove(i);
            }
        }
        f.tm.commit(d);
        assertTrue(f.heap.vacuum(REL2, f.tm.oldestXmin(), f.tm.oldestXmin(), null).pagesTruncated() > 0);
        int z = f.tm.assignXid(4);
        for (int i = 0; i < 100; i++) {
            rows2.add(f.heap.insert(REL2, row("after truncation " + i), z, 0, 0, 100));
        }
        f.tm.commit(z);
    }

    /** Changes of a transaction still running at the crash. */
    void inFlight(HeapFixture f) throws Exception {
        int x = f.tm.assignXid(7);
        List<Long> rows = live.get(REL);
        for (int i = 0; i < 50; i++) {
            f.heap.insert(REL, row("in flight " + i), x, 0, 0, 100);
        }
        for (int i = 0; i < 20; i++) {
            f.heap.delete(REL, rows.get(i * 7 % rows.size()), x, 1, null, WaitPolicy.BLOCK, 0);
        }
    }

    // ------------------------------------------------------------------ capture and compare

    /** PostgreSQL's heap_mask: what redo need not reproduce. */
    static byte[] mask(ByteBuffer page) {
        byte[] b = new byte[Page.SIZE];
        page.get(0, b, 0, Page.SIZE);
        ByteBuffer p = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (Page.isNew(p)) {
            return b;
        }
        Page.setChecksum(p, 0);
        Page.setFlag(p, Page.PD_PAGE_FULL | Page.PD_HAS_FREE_LINES, false);
        Page.setPruneXid(p, 0);
        Page.zero(p, Page.lower(p), Page.upper(p) - Page.lower(p));
        for (int off = Page.FIRST_OFFSET; off <= Page.maxOffset(p); off++) {
            if (Page.itemFlags(p, off) != ItemId.NORMAL) {
                continue;
            }
            int t = Page.itemOffset(p, off);
            // alignment padding: Page.repairFragmentation moves lp_len bytes, so stale bytes may stay there
            int len = Page.itemLength(p, off);
            Page.zero(p, t + len, Page.maxAlign(len) - len);
            HeapTupleHeader.setCid(p, t, 0);
            int m = HeapTupleHeader.infomask(p, t) & ~HeapTupleHeader.HEAP_COMBOCID;
            if (HeapTupleHeader.xminFrozen(p, t)) {
                m &= ~(HeapTupleHeader.HEAP_XMAX_COMMITTED | HeapTupleHeader.HEAP_XMAX_INVALID);
            } else {
                m &= ~(HeapTupleHeader.HEAP_XMIN_COMMITTED | HeapTupleHeader.HEAP_XMIN_INVALID
                        | HeapTupleHeader.HEAP_XMAX_COMMITTED | HeapTupleHeader.HEAP_XMAX_INVALID);
            }
            HeapTupleHeader.setInfomask(p, t, m);
        }
        return b;
    }

    static List<byte[]> pages(SharedBufferPool pool, RelFileNode node, int nblocks) {
        List<byte[]> out = new ArrayList<>();
        for (int blk = 0; blk < nblocks; blk++) {
            int b = pool.pin(BufferTag.of(node, ForkNumber.MAIN, blk));
            try {
                pool.lockContent(b, false);
                try {
                    out.add(mask(pool.page(b)));
                } finally {
                    pool.unlockContent(b);
                }
            } finally {
                pool.unpin(b);
            }
        }
        return out;
    }

    record Expected(Map<RelFileNode, List<byte[]>> pages, Map<RelationRef, List<String>> rows) {
    }

    Expected capture(HeapFixture f) {
        Map<RelationRef, List<String>> rows = new LinkedHashMap<>();
        for (RelationRef rel : List.of(REL, REL2)) {
            rows.put(rel, rowsOf(f, rel));
        }
        Map<RelFileNode, List<byte[]>> pages = new LinkedHashMap<>();
        for (RelationRef rel : List.of(REL, REL2)) {
            pages.put(rel.node(), pages(f.pool, rel.node(), f.heap.nblocks(rel.node())));
        }
        return new Expected(pages, rows);
    }

    static List<String> rowsOf(HeapFixture f, RelationRef rel) {
        List<String> out = new ArrayList<>();
        try (var sc = f.heap.scan(rel, f.tm.snapshot(0, 0), false)) {
            HeapTuple t;
            while ((t = sc.next()) != null) {
                out.add(Tid.toString(t.tid()) + " " + HeapFixture.text(t));
            }
        }
        return out;
    }

    static void assertSamePages(List<byte[]> want, List<byte[]> got, RelFileNode node) {
        assertEquals(want.size(), got.size(), "blocks of " + node);
        for (int blk = 0; blk < want.size(); blk++) {
            byte[] w = want.get(blk);
            byte[] g = got.get(blk);
            for (int i = 0; i < Page.SIZE; i++) {
                if (w[i] != g[i]) {
                    fail("block " + blk + " of " + node + " differs first at byte " + i + ": want " + w[i] + ", got "
                            + g[i] + where(ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN), i) + "\nwant "
                            + where(ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN), -1) + "\ngot  "
                            + where(ByteBuffer.wrap(g).order(ByteOrder.LITTLE_ENDIAN), -1));
                }
            }
        }
    }

    /** Which item holds byte {@code at} (for failure messages); -1: the line pointers. */
    static String where(ByteBuffer p, int at) {
        StringBuilder sb = new StringBuilder();
        if (at < 0) {
            sb.append("lower ").append(Page.lower(p)).append(" upper ").append(Page.upper(p)).append(" lsn ")
                    .append(Lsn.format(Page.lsn(p))).append(':');
            for (int off = 1; off <= Page.maxOffset(p); off++) {
                sb.append(' ').append(off).append('=').append(Page.itemFlags(p, off)).append('/')
                        .append(Page.itemOffset(p, off)).append('/').append(Page.itemLength(p, off));
            }
            return sb.toString();
        }
        for (int off = 1; off <= Page.maxOffset(p); off++) {
            int o = Page.itemOffset(p, off);
            if (Page.itemFlags(p, off) == ItemId.NORMAL && at >= o && at < o + Page.itemLength(p, off)) {
                return " (item " + off + " at " + o + ", byte " + (at - o) + " of the tuple)";
            }
        }
        return " (no item)";
    }

    /** Replays from {@code from} into a fresh pool over the same files; returns the started fixture. */
    HeapFixture recover(FakeTransactionManager tm, int buffers, long from, List<String> described,
            List<String> notFound) {
        HeapFixture g = new HeapFixture(dir, buffers, tm);
        g.smgr.setInRecovery(true);
        WalReader reader = g.wal.reader(from);
        TestRedoContext.Result res = TestRedoContext.replay(reader, g.pool, g.redo);
        described.addAll(res.described());
        notFound.addAll(res.notFound());
        g.smgr.setInRecovery(false);
        g.pool.flushAll(FlushFilter.ALL);
        g.wal.startAt(reader.end());
        reader.close();
        return g;
    }

    void verify(HeapFixture g, Expected want) {
        for (RelationRef rel : List.of(REL, REL2)) {
            assertEquals(want.pages().get(rel.node()).size(), g.heap.nblocks(rel.node()), "nblocks of " + rel.name());
            assertSamePages(want.pages().get(rel.node()), pages(g.pool, rel.node(), g.heap.nblocks(rel.node())),
                    rel.node());
        }
        for (RelationRef rel : List.of(REL, REL2)) {
            assertEquals(want.rows().get(rel), rowsOf(g, rel), "rows of " + rel.name());
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void replayFromTheStartOverPartlyWrittenFilesReproducesEveryPage() throws Exception {
        Expected want;
        FakeTransactionManager tm;
        long walEnd;
        try (HeapFixture f = new HeapFixture(dir, 24).started()) {
            tm = f.tm;
            f.heap.create(NODE);
            f.heap.create(NODE2);
            workload(f, new Random(42), 4);
            inFlight(f);
            assertTrue(f.pool.stats().writesBackend() > 0, "some pages reached the disk before the crash");
            f.tm.crash();
            want = capture(f);
            assertTrue(want.rows().get(REL).size() > 800);
            walEnd = f.wal.insertPosition();
            f.wal.flush(walEnd);
            // crash: the pool's dirty pages are lost
        }
        // the second table's files never made it to disk at all: SMGR CREATE redo makes them again
        for (ForkNumber fork : ForkNumber.values()) {
            Files.deleteIfExists(dir.resolve("base/5/16390" + fork.fileSuffix()));
        }
        for (int seg = 1; seg < 10; seg++) {
            Files.deleteIfExists(dir.resolve("base/5/16390." + seg));
        }
        List<String> described = new ArrayList<>();
        List<String> notFound = new ArrayList<>();
        try (HeapFixture g = recover(tm, 24, Lsn.INVALID, described, notFound)) {
            verify(g, want);
            assertTrue(described.contains("CREATE base/5/16390"), described.subList(0, 3).toString());
            assertTrue(described.stream().anyMatch(s -> s.startsWith("PRUNE ")));
            assertTrue(described.stream().anyMatch(s -> s.startsWith("VACUUM nunused ")));
            assertTrue(described.stream().anyMatch(s -> s.startsWith("FREEZE_PAGE cutoff xid ")));
            assertTrue(described.stream().anyMatch(s -> s.startsWith("TRUNCATE base/5/16390 to ")));
            assertTrue(described.stream().anyMatch(s -> s.startsWith("LOCK off ")));
            assertTrue(described.stream().anyMatch(s -> s.startsWith("UPDATE+INIT ")));
            // blocks that were missing were all cut off later by a truncation
            for (String nf : notFound) {
                assertTrue(nf.startsWith(NODE2.toString()), nf);
            }
            // the replayed heap works on: new rows, vacuum
            int x = g.tm.assignXid(1);
            g.heap.insert(REL, row("after recovery"), x, 0, 0, 100);
            g.tm.commit(x);
            assertTrue(rowsOf(g, REL).stream().anyMatch(s -> s.endsWith("after recovery")));
            assertTrue(g.heap.vacuum(REL, g.tm.oldestXmin(), 0, null).tuplesRemoved() > 0,
                    "the crashed transaction's rows are dead and removed");
        }
    }

    @Test
    void replayIsIdempotent() throws Exception {
        Expected want;
        FakeTransactionManager tm;
        try (HeapFixture f = new HeapFixture(dir, 24).started()) {
            tm = f.tm;
            f.heap.create(NODE);
            f.heap.create(NODE2);
            workload(f, new Random(7), 2);
            want = capture(f);
            f.wal.flush(f.wal.insertPosition());
            f.pool.flushAll(FlushFilter.ALL); // everything on disk: replay must skip it all
        }
        try (HeapFixture g = new HeapFixture(dir, 24, tm)) {
            g.smgr.setInRecovery(true);
            try (WalReader reader = g.wal.reader(Lsn.INVALID)) {
                TestRedoContext.replay(reader, g.pool, g.redo);
            }
            // and a second time over the result
            try (WalReader reader = g.wal.reader(Lsn.INVALID)) {
                TestRedoContext.replay(reader, g.pool, g.redo);
                g.pool.flushAll(FlushFilter.ALL);
                g.smgr.setInRecovery(false);
                g.wal.startAt(reader.end());
            }
            verify(g, want);
        }
    }

    @Test
    void fullPageImagesAfterACheckpointRepairATornPage() throws Exception {
        Expected want;
        FakeTransactionManager tm;
        long redo;
        long tornTid;
        try (HeapFixture f = new HeapFixture(dir, 24).started()) {
            tm = f.tm;
            f.heap.create(NODE);
            f.heap.create(NODE2);
            Random rnd = new Random(99);
            workload(f, rnd, 2);
            // a checkpoint: REDO pointer, then every dirty page written and synced
            redo = f.wal.advanceRedoPointer();
            f.pool.flushAll(FlushFilter.ALL);
            f.pool.syncWrittenFiles();
            // after it, the first change of each page carries its image
            List<Long> rows = live.get(REL);
            tornTid = rows.get(rows.size() / 3);
            int x = f.tm.assignXid(1);
            assertEquals(TmResult.Status.OK, f.heap.delete(REL, tornTid, x, 0, null, WaitPolicy.BLOCK, 0).status());
            f.tm.commit(x);
            workload(f, rnd, 1);
            f.pool.flushAll(FlushFilter.relation(NODE)); // the page reaches the disk (and will be torn there)
            want = capture(f);
            f.wal.flush(f.wal.insertPosition());
        }
        boolean sawImage = false;
        try (HeapFixture g = new HeapFixture(dir, 24, tm); WalReader r = g.wal.reader(redo)) {
            WalRecord rec;
            while ((rec = r.next()) != null) {
                for (var b : rec.blocks()) {
                    if (b.rel().equals(NODE) && b.block() == Tid.block(tornTid)) {
                        sawImage = b.hasImage();
                        break;
                    }
                }
                if (sawImage) {
                    break;
                }
            }
        }
        assertTrue(sawImage, "the first change after the checkpoint logged the page's image");

        // tear the page: its second half is zeroed, as a crash in the middle of the write leaves it
        int blk = Tid.block(tornTid);
        int seg = blk / 16;
        Path file = dir.resolve(seg == 0 ? "base/5/16384" : "base/5/16384." + seg);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek((long) (blk % 16) * Page.SIZE + Page.SIZE / 2);
            raf.write(new byte[Page.SIZE / 2]);
        }
        try (HeapFixture torn = new HeapFixture(dir, 8, tm)) {
            PgException e = assertThrows(PgException.class,
                    () -> torn.pool.pin(BufferTag.of(NODE, ForkNumber.MAIN, blk)));
            assertEquals("XX001", e.sqlState(), "the torn page fails its checksum");
        }
        List<String> described = new ArrayList<>();
        try (HeapFixture g = recover(tm, 24, redo, described, new ArrayList<>())) {
            verify(g, want);
            assertFalse(described.isEmpty());
        }
    }
}
