package modgres.storage.fsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.buffer.BufferStats;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.FlushFilter;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.page.FreeSpaceMap;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;
import modgres.shmem.buffer.SharedBufferPool;
import modgres.storage.page.Reference;
import modgres.storage.smgr.CapturedLog;
import modgres.storage.smgr.MdStorage;

/** The free space map over real relation files and the real shared buffer pool. */
class FreeSpaceTreeTest {
    static final RelFileNode REL = new RelFileNode(1663, 5, 16435);
    static final int INVALID = FreeSpaceMap.INVALID_BLOCK;

    @TempDir
    Path dir;

    final CapturedLog log = new CapturedLog();
    MdStorage smgr;
    SharedBufferPool pool;
    FreeSpaceTree fsm;

    @BeforeEach
    void start() {
        open();
    }

    void open() {
        smgr = new MdStorage(dir, StorageManager.SEGMENT_BLOCKS, 100, true, log.log());
        pool = new SharedBufferPool(64, smgr);
        fsm = new FreeSpaceTree(pool, smgr, log.log());
    }

    /** Checkpoint, then start over on the same files (a clean restart). */
    void restart() {
        pool.flushAll(FlushFilter.ALL);
        pool.syncWrittenFiles();
        smgr.close();
        open();
    }

    static int category(int bytes) {
        return FsmAddress.availToCategory(bytes);
    }

    @Test
    void readsTheMapPostgresWrote() throws IOException {
        Path file = dir.resolve("base/5/16435_fsm");
        Files.createDirectories(file.getParent());
        Files.write(file, Reference.bytes(Reference.FSM_FORK));
        for (int b = 0; b < Reference.FSM_AVAIL.length; b++) {
            assertEquals(Reference.FSM_AVAIL[b], fsm.recordedFreeSpace(REL, b), "pg_freespace block " + b);
        }
        assertEquals(0, fsm.recordedFreeSpace(REL, 12));
        assertEquals(0, fsm.recordedFreeSpace(REL, 100000), "beyond the map");
        assertEquals(3, fsm.findPage(REL, 8000));
        int b = fsm.findPage(REL, 6000);
        assertTrue(b == 3 || b == 4, "block " + b);
        assertEquals(3, fsm.findPage(REL, 8160), "the one empty page");
        assertTrue(log.records.isEmpty(), "checksums verified on read: " + log.messages());
    }

    @Test
    void emptyRelationHasNoRoomAndNoMapFile() {
        assertEquals(INVALID, fsm.findPage(REL, 10));
        assertEquals(0, fsm.recordedFreeSpace(REL, 0));
        assertFalse(smgr.exists(REL, ForkNumber.FSM), "searching does not create the map");
        fsm.vacuum(REL);
        fsm.truncate(REL, 0);
    }

    @Test
    void recordAndFind() {
        fsm.recordFreeSpace(REL, 0, 100);
        assertTrue(smgr.exists(REL, ForkNumber.FSM));
        assertEquals(3, smgr.nblocks(REL, ForkNumber.FSM), "root, one level-1 page, one leaf");
        assertEquals(96, fsm.recordedFreeSpace(REL, 0), "rounded down to the category");
        assertEquals(0, fsm.findPage(REL, 50));
        assertEquals(0, fsm.findPage(REL, 96));
        assertEquals(INVALID, fsm.findPage(REL, 97));
        fsm.recordFreeSpace(REL, 0, 8160);
        assertEquals(8160, fsm.recordedFreeSpace(REL, 0));
        assertEquals(0, fsm.findPage(REL, FreeSpaceMap.MAX_REQUEST));
        fsm.recordFreeSpace(REL, 0, 0);
        assertEquals(INVALID, fsm.findPage(REL, 0), "a request for 0 bytes needs category 1");
        assertThrows(IllegalArgumentException.class, () -> fsm.findPage(REL, 8161));
    }

    @Test
    void aBlockFarAwayIsFoundAtOnce() {
        fsm.recordFreeSpace(REL, 3, 500);
        fsm.recordFreeSpace(REL, 9000, 8000);
        // 9000 lies in the third leaf page: physical block 4 of the map, so 5 blocks
        assertEquals(5, smgr.nblocks(REL, ForkNumber.FSM));
        assertEquals(9000, fsm.findPage(REL, 7000), "the new value reached the root at once");
        int b = fsm.findPage(REL, 480);
        assertTrue(b == 3 || b == 9000, "block " + b);
        fsm.recordFreeSpace(REL, 9000, 10);
        assertEquals(INVALID, fsm.findPage(REL, 7000));
        assertEquals(3, fsm.findPage(REL, 480));
    }

    @Test
    void findsOnlyWhatWasRecordedWithoutScanning() {
        int n = 10000;
        int[] cat = new int[n];
        Random r = new Random(7);
        for (int b = 0; b < n; b++) {
            int bytes = r.nextInt(100) < 95 ? r.nextInt(2000) : r.nextInt(8161);
            fsm.recordFreeSpace(REL, b, bytes);
            cat[b] = category(bytes);
        }
        for (int needed : new int[] {1, 100, 1999, 2000, 4000, 7000, 8000, 8128, 8160}) {
            int need = FsmAddress.neededToCategory(needed);
            boolean exists = false;
            for (int c : cat) {
                exists |= c >= need;
            }
            BufferStats before = pool.stats();
            int found = fsm.findPage(REL, needed);
            BufferStats after = pool.stats();
            long pins = after.hits() + after.reads() - before.hits() - before.reads();
            assertTrue(pins <= 3, "one page per level, not a scan: " + pins);
            if (exists) {
                assertNotEquals(INVALID, found, "needed " + needed);
                assertTrue(cat[found] >= need, "block " + found + " has category " + cat[found]);
                assertTrue(fsm.recordedFreeSpace(REL, found) >= needed);
            } else {
                assertEquals(INVALID, found, "needed " + needed);
            }
        }
    }

    @Test
    void successiveSearchesSpreadOut() {
        for (int b = 0; b < 10; b++) {
            fsm.recordFreeSpace(REL, b, 4000);
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            seen.add(fsm.findPage(REL, 100));
        }
        assertEquals(10, seen.size(), "each search moved on: " + seen);
    }

    @Test
    void recordAndFindLooksNearTheOldBlockFirst() {
        for (int b = 0; b < 4; b++) {
            fsm.recordFreeSpace(REL, b, 4000);
        }
        fsm.recordFreeSpace(REL, 5000, 8000);
        assertEquals(1, fsm.recordAndFindPage(REL, 0, 10, 3000));
        assertEquals(0, fsm.recordedFreeSpace(REL, 0));
        assertEquals(5000, fsm.recordAndFindPage(REL, 9, 0, 7000), "not on that leaf page: search from the root");
        assertEquals(INVALID, fsm.recordAndFindPage(REL, 5000, 100, 7000));
    }

    @Test
    void truncateForgetsTheTail() {
        for (int b = 0; b < 10000; b++) {
            fsm.recordFreeSpace(REL, b, b >= 6000 && b % 1000 == 0 ? 8160 : 1000);
        }
        assertEquals(6000, fsm.findPage(REL, 8000));
        pool.flushAll(FlushFilter.ALL);
        fsm.truncate(REL, 5000);
        // 5000 = leaf 1, slot 931: keep root, level-1 page, leaves 0 and 1
        assertEquals(4, smgr.nblocks(REL, ForkNumber.FSM));
        assertEquals(992, fsm.recordedFreeSpace(REL, 4999));
        assertEquals(0, fsm.recordedFreeSpace(REL, 5000));
        assertEquals(0, fsm.recordedFreeSpace(REL, 6000));
        assertEquals(INVALID, fsm.findPage(REL, 8000));
        assertNotEquals(INVALID, fsm.findPage(REL, 900));
        fsm.truncate(REL, 4069); // exactly one leaf page
        assertEquals(3, smgr.nblocks(REL, ForkNumber.FSM));
        assertEquals(992, fsm.recordedFreeSpace(REL, 4068));
        restart();
        assertEquals(3, smgr.nblocks(REL, ForkNumber.FSM));
        assertEquals(INVALID, fsm.findPage(REL, 1000));
        assertEquals(992, fsm.recordedFreeSpace(REL, 4068));
        fsm.recordFreeSpace(REL, 7000, 5000); // category 156: 4992 bytes
        assertEquals(INVALID, fsm.findPage(REL, 5000), "recorded amounts round down");
        assertEquals(7000, fsm.findPage(REL, 4992));
    }

    @Test
    void staleUpperLevelsAreCorrectedOrVacuumed() {
        fsm.recordFreeSpace(REL, 10, 3000);
        // an upper level that promises too much (a leaf write lost in a crash): the search fixes it
        setNode(0, FsmPage.NON_LEAF_NODES, 255);
        setNode(1, FsmPage.NON_LEAF_NODES, 255);
        assertEquals(INVALID, fsm.findPage(REL, 8000));
        assertEquals(category(3000), node(0, 0));
        assertEquals(10, fsm.findPage(REL, 2000));
        // an upper level that knows too little: missed until vacuum
        setNode(1, FsmPage.NON_LEAF_NODES, 0);
        assertEquals(INVALID, fsm.findPage(REL, 2000));
        fsm.vacuum(REL);
        assertEquals(10, fsm.findPage(REL, 2000));
        assertEquals(category(3000), node(0, 0));
    }

    @Test
    void survivesRestartWithChecksums() throws IOException {
        for (int b = 0; b < 5000; b += 7) {
            fsm.recordFreeSpace(REL, b, b % 8160);
        }
        restart();
        for (int b = 0; b < 5000; b += 7) {
            assertEquals(FsmAddress.categoryToAvail(category(b % 8160)), fsm.recordedFreeSpace(REL, b));
        }
        byte[] raw = Files.readAllBytes(dir.resolve("base/5/16435_fsm"));
        for (int blk = 0; blk < raw.length / Page.SIZE; blk++) {
            ByteBuffer p = ByteBuffer.wrap(raw, blk * Page.SIZE, Page.SIZE).slice();
            assertTrue(modgres.api.page.PageChecksum.matches(p, blk), "block " + blk);
        }
        assertTrue(log.records.isEmpty(), log.messages().toString());
    }

    @Test
    void aCorruptMapPageIsZeroedNotFatal() throws IOException {
        fsm.recordFreeSpace(REL, 1, 4000);
        fsm.recordFreeSpace(REL, 2, 5000);
        restart();
        Path file = dir.resolve("base/5/16435_fsm");
        byte[] raw = Files.readAllBytes(file);
        raw[2 * Page.SIZE + 5000] ^= 0x01; // a leaf node of block 2 of the map
        Files.write(file, raw);
        assertEquals(INVALID, fsm.findPage(REL, 3000), "the leaf's space is lost, not the insert");
        assertTrue(log.messages().stream().anyMatch(m -> m.startsWith("WARNING XX001 page verification failed")),
                log.messages().toString());
        assertTrue(log.messages().contains(
                "WARNING XX001 invalid page in block 2 of relation base/5/16435_fsm; zeroing out page"),
                log.messages().toString());
        fsm.recordFreeSpace(REL, 1, 4000);
        assertEquals(1, fsm.findPage(REL, 3000));
    }

    @Test
    void concurrentRecordersAndSearchers() throws Exception {
        int threads = 4;
        int perThread = 3000;
        int[] cat = new int[threads * perThread];
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(ex.submit(() -> {
                    Random r = new Random(id);
                    for (int i = 0; i < 20000; i++) {
                        int b = id + threads * r.nextInt(perThread); // each thread owns its blocks
                        int bytes = r.nextInt(8161);
                        fsm.recordFreeSpace(REL, b, bytes);
                        cat[b] = category(bytes);
                        if (i % 10 == 0) {
                            int found = fsm.findPage(REL, 1 + r.nextInt(8000));
                            if (found != INVALID && (found < 0 || found >= cat.length)) {
                                throw new AssertionError("found " + found);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            ex.shutdownNow();
        }
        for (int b = 0; b < cat.length; b++) {
            assertEquals(FsmAddress.categoryToAvail(cat[b]), fsm.recordedFreeSpace(REL, b), "block " + b);
        }
        // the upper levels agree with the leaves: a search finds exactly what exists
        int max = 0;
        for (int c : cat) {
            max = Math.max(max, c);
        }
        assertEquals(max, node(0, 0));
        int found = fsm.findPage(REL, FsmAddress.categoryToAvail(max));
        assertEquals(max, cat[found]);
    }

    /** Reads node {@code i} of map block {@code blk} through the pool. */
    int node(int blk, int i) {
        int b = pool.pin(BufferTag.of(REL, ForkNumber.FSM, blk));
        try {
            pool.lockContent(b, false);
            try {
                return FsmPage.node(pool.page(b), i);
            } finally {
                pool.unlockContent(b);
            }
        } finally {
            pool.unpin(b);
        }
    }

    /** Overwrites node {@code i} of map block {@code blk} without maintaining the tree (damage). */
    void setNode(int blk, int i, int v) {
        int b = pool.pin(BufferTag.of(REL, ForkNumber.FSM, blk));
        try {
            pool.lockContent(b, true);
            try {
                pool.page(b).put(FsmPage.NODES_START + i, (byte) v);
                // keep the parents in line with the damaged node, as a whole stale page would be
                FsmPage.rebuild(pool.page(b));
                pool.markDirty(b);
            } finally {
                pool.unlockContent(b);
            }
        } finally {
            pool.unpin(b);
        }
    }
}
