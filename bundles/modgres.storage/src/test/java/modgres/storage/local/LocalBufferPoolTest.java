package modgres.storage.local;

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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;
import modgres.storage.smgr.CapturedLog;
import modgres.storage.smgr.MdStorage;

/**
 * The local buffer pool over a backend's real store of temporary relations:
 * lazy sizing, eviction with write-back to {@code t<backend>_<relfilenode>},
 * re-reading what was evicted, exhaustion, dropping, and the files.
 */
class LocalBufferPoolTest {
    private static final int BACKEND = 7;
    private static final RelFileNode REL = new RelFileNode(StorageManager.DEFAULT_TABLESPACE, 5, 16384);

    @TempDir
    Path dir;
    private final CapturedLog log = new CapturedLog();
    private MdStorage files;
    private final AtomicInteger sizeAsked = new AtomicInteger();
    private final long[] io = new long[2];

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(dir.resolve("base/5"));
        files = new MdStorage(dir, StorageManager.SEGMENT_BLOCKS, 16, true, log.log(), BACKEND);
        files.create(REL, ForkNumber.MAIN, false);
    }

    @AfterEach
    void tearDown() {
        files.close();
    }

    private LocalBufferPool pool(int buffers) {
        return new LocalBufferPool(files, () -> {
            sizeAsked.incrementAndGet();
            return buffers;
        }, () -> io);
    }

    /** Adds a block whose page holds {@code value} at offset 100 (an initialised page, so it has a checksum). */
    private static void fill(BufferPool pool, int buf, int value) {
        pool.lockContent(buf, true);
        ByteBuffer p = pool.page(buf);
        Page.init(p, 0);
        p.putInt(100, value);
        pool.markDirty(buf);
        pool.unlockContent(buf);
    }

    private static int valueOf(BufferPool pool, int buf) {
        pool.lockContent(buf, false);
        try {
            return pool.page(buf).getInt(100);
        } finally {
            pool.unlockContent(buf);
        }
    }

    @Test
    void sizeIsReadAtFirstUseAndFixed() {
        LocalBufferPool pool = pool(4);
        assertEquals(0, pool.buffers(), "no buffers before the first page");
        assertEquals(0, sizeAsked.get());
        int b = pool.extend(REL, ForkNumber.MAIN, null);
        pool.unpin(b);
        assertEquals(4, pool.buffers());
        pool.unpin(pool.pin(REL.tablespace(), REL.database(), REL.relfilenode(), ForkNumber.MAIN, 0,
                ReadMode.NORMAL, null));
        assertEquals(1, sizeAsked.get(), "asked once");
    }

    @Test
    void evictsDirtyPagesToTheRelationsOwnFileAndReadsThemBack() throws IOException {
        LocalBufferPool pool = pool(4);
        int blocks = 40; // ten times the pool
        for (int i = 0; i < blocks; i++) {
            int b = pool.extend(REL, ForkNumber.MAIN, null);
            assertEquals(i, pool.blockNumber(b));
            fill(pool, b, 1000 + i);
            pool.unpin(b);
        }
        assertEquals(4, pool.buffersInUse());
        assertEquals(blocks, files.nblocks(REL, ForkNumber.MAIN));
        // the evicted pages went to t7_16384, nowhere else
        Path file = dir.resolve("base/5/t" + BACKEND + "_16384");
        assertTrue(Files.exists(file));
        assertFalse(Files.exists(dir.resolve("base/5/16384")));
        assertEquals(blocks * 8192L, Files.size(file));
        assertEquals("base/5/t7_16384", files.relpath(REL, ForkNumber.MAIN));
        long writes = pool.stats().writesBackend();
        assertEquals(blocks - 4, writes, "each eviction wrote its dirty page once");
        // read everything back, through evictions again
        long readsBefore = io[1];
        for (int i = 0; i < blocks; i++) {
            int b = pool.pin(REL.tablespace(), REL.database(), REL.relfilenode(), ForkNumber.MAIN, i,
                    ReadMode.NORMAL, null);
            assertEquals(1000 + i, valueOf(pool, b));
            pool.unpin(b);
        }
        assertTrue(io[1] - readsBefore >= blocks - 4, "reads counted for the thread");
        // clean pages are not written again when evicted
        assertEquals(blocks - 4 + 4, pool.stats().writesBackend(), "only the 4 pages dirty at the start were written");
    }

    @Test
    void hitKeepsTheBufferAndCountsUsage() {
        LocalBufferPool pool = pool(3);
        int b0 = pool.extend(REL, ForkNumber.MAIN, null);
        fill(pool, b0, 1);
        pool.unpin(b0);
        long hits = io[0];
        int again = pool.pin(REL.tablespace(), REL.database(), REL.relfilenode(), ForkNumber.MAIN, 0,
                ReadMode.NORMAL, null);
        assertEquals(b0, again);
        assertEquals(hits + 1, io[0]);
        pool.repin(again);
        pool.unpin(again);
        pool.unpin(again);
        assertThrows(IllegalStateException.class, () -> pool.unpin(b0), "no pin left");
    }

    @Test
    void pinnedBuffersAreNeverVictimsAndExhaustionIs53400() {
        LocalBufferPool pool = pool(3);
        List<Integer> pinned = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int b = pool.extend(REL, ForkNumber.MAIN, null);
            fill(pool, b, i);
            pinned.add(b);
        }
        PgException e = assertThrows(PgException.class, () -> pool.extend(REL, ForkNumber.MAIN, null));
        assertEquals("53400", e.sqlState());
        assertEquals("no empty local buffer available", e.getMessage());
        pool.unpin(pinned.get(1));
        int b = pool.pin(REL.tablespace(), REL.database(), REL.relfilenode(), ForkNumber.MAIN, 3,
                ReadMode.ZERO_ON_MISS, null);
        assertEquals(pinned.get(1), b, "the only unpinned buffer was reused");
        assertEquals(0, valueOf(pool, pinned.get(0)), "pinned pages kept their content");
        assertEquals(2, valueOf(pool, pinned.get(2)));
    }

    @Test
    void contentLocksAreBookkeepingThatNeverWaits() {
        LocalBufferPool pool = pool(2);
        int b = pool.extend(REL, ForkNumber.MAIN, null);
        pool.lockContent(b, false);
        assertTrue(pool.tryLockContent(b, false), "shared twice");
        assertFalse(pool.tryLockContent(b, true));
        pool.unlockContent(b);
        pool.unlockContent(b);
        pool.lockContent(b, true);
        assertFalse(pool.tryLockContent(b, false));
        assertThrows(IllegalStateException.class, () -> pool.lockContent(b, true));
        pool.unlockContent(b);
        pool.unpin(b);
    }

    @Test
    void droppingForgetsPagesWithoutWriting() {
        LocalBufferPool pool = pool(8);
        for (int i = 0; i < 6; i++) {
            int b = pool.extend(REL, ForkNumber.MAIN, null);
            fill(pool, b, 500 + i);
            pool.unpin(b);
        }
        long writes = pool.stats().writesBackend();
        assertEquals(3, pool.dropRelationFork(REL, ForkNumber.MAIN, 3));
        assertEquals(writes, pool.stats().writesBackend(), "dropped pages are not written");
        files.truncate(REL, ForkNumber.MAIN, 3);
        int b = pool.extend(REL, ForkNumber.MAIN, null);
        assertEquals(3, pool.blockNumber(b));
        assertEquals(0, pool.page(b).getInt(100), "a new block, not the dropped page");
        pool.unpin(b);
        // a pinned page cannot be dropped (PostgreSQL: "still referenced")
        int held = pool.pin(REL.tablespace(), REL.database(), REL.relfilenode(), ForkNumber.MAIN, 0,
                ReadMode.NORMAL, null);
        assertThrows(PgException.class, () -> pool.dropRelation(REL));
        pool.unpin(held);
        assertEquals(4, pool.dropRelation(REL));
        assertEquals(0, pool.buffersInUse());
    }

    @Test
    void neverSyncsAndLeavesBackgroundWorkAlone() {
        LocalBufferPool pool = pool(2);
        int b = pool.extend(REL, ForkNumber.MAIN, null);
        fill(pool, b, 9);
        pool.unpin(b);
        assertEquals(0, pool.syncWrittenFiles());
        assertEquals(0, pool.writeAheadOfClock(100, 2.0, 200).written());
        assertTrue(pool.isDirty(b));
    }

    @Test
    void backendRelationsRemoveTheirFilesAtCloseAndStartUpRemovesLeftovers() throws IOException {
        TempRelationStorageComponent storage = new TempRelationStorageComponent(dir, true, files, null, null,
                log.log());
        var mine = (BackendLocalRelations) storage.open(BACKEND, () -> 100);
        RelFileNode t = new RelFileNode(StorageManager.DEFAULT_TABLESPACE, 5, 20000);
        mine.btree().create(t); // a metapage through the local pool, no WAL
        assertNotEquals(0, mine.buffers());
        mine.pool().flushAll(modgres.api.buffer.FlushFilter.ALL);
        assertTrue(Files.exists(dir.resolve("base/5/t7_20000")));
        // another backend's file, and a permanent one, stay
        Files.write(dir.resolve("base/5/t8_30000"), new byte[8192]);
        Files.write(dir.resolve("base/5/30001"), new byte[8192]);
        mine.close();
        assertEquals(List.of("30001", "t8_30000"), names(dir.resolve("base/5")));
        // a start-up removes every backend's leftovers, forks and segments included
        Files.write(dir.resolve("base/5/t8_30000_fsm"), new byte[8192]);
        Files.write(dir.resolve("base/5/t12_30002.1"), new byte[8192]);
        Files.write(dir.resolve("base/5/tx_1"), new byte[1]); // not a temporary relation's name
        new TempRelationStorageComponent(dir, true, files, null, null, log.log());
        assertEquals(List.of("30001", "tx_1"), names(dir.resolve("base/5")));
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
