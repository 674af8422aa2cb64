package modgres.storage.smgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.buffer.BufferTag;
import modgres.api.buffer.FlushFilter;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.page.FreeSpaceMap;
import modgres.api.page.Page;
import modgres.shmem.buffer.SharedBufferPool;
import modgres.storage.fsm.FreeSpaceMapComponent;

/** The storage manager as the real shared buffer pool's page store. */
class BufferPoolIntegrationTest {
    static final RelFileNode REL = new RelFileNode(1663, 5, 16384);

    @TempDir
    Path dir;

    final CapturedLog log = new CapturedLog();

    int addPage(SharedBufferPool pool, int mark) {
        int b = pool.extend(REL, ForkNumber.MAIN, null);
        pool.lockContent(b, true);
        try {
            ByteBuffer p = pool.page(b);
            p.put(0, MdStorageTest.page(mark), 0, Page.SIZE);
            pool.markDirty(b);
        } finally {
            pool.unlockContent(b);
        }
        int blk = pool.blockNumber(b);
        pool.unpin(b);
        return blk;
    }

    int markOf(SharedBufferPool pool, int blk) {
        int b = pool.pin(BufferTag.of(REL, ForkNumber.MAIN, blk));
        try {
            pool.lockContent(b, false);
            try {
                return MdStorageTest.mark(pool.page(b));
            } finally {
                pool.unlockContent(b);
            }
        } finally {
            pool.unpin(b);
        }
    }

    @Test
    void checkpointWritesChecksummedSegmentsAndSyncsOnlyThose() throws Exception {
        MdStorage smgr = new MdStorage(dir, 4, 10, true, log.log());
        List<String> synced = new CopyOnWriteArrayList<>();
        smgr.syncObserver = synced::add;
        smgr.create(REL, ForkNumber.MAIN, false);
        SharedBufferPool pool = new SharedBufferPool(16, smgr);
        for (int i = 0; i < 10; i++) {
            assertEquals(i, addPage(pool, 500 + i));
        }
        assertEquals(10, pool.flushAll(FlushFilter.ALL));
        assertEquals(1, pool.syncWrittenFiles());
        assertEquals(List.of("base/5/16384", "base/5/16384.1", "base/5/16384.2"), synced);
        synced.clear();
        // change one page in segment 2 only
        int b = pool.pin(BufferTag.of(REL, ForkNumber.MAIN, 9));
        pool.lockContent(b, true);
        pool.markDirty(b);
        pool.unlockAndUnpin(b);
        pool.flushAll(FlushFilter.ALL);
        pool.syncWrittenFiles();
        assertEquals(List.of("base/5/16384.2"), synced);

        // a fresh pool reads everything back through checksum verification
        MdStorage again = new MdStorage(dir, 4, 10, true, log.log());
        SharedBufferPool pool2 = new SharedBufferPool(16, again);
        for (int i = 0; i < 10; i++) {
            assertEquals(500 + i, markOf(pool2, i));
        }
        // damage block 6 on disk: the pin fails with PostgreSQL's error, and the pool stays usable
        Path seg1 = dir.resolve("base/5/16384.1");
        byte[] raw = Files.readAllBytes(seg1);
        raw[2 * Page.SIZE + 8190] ^= 0x7F;
        Files.write(seg1, raw);
        MdStorage third = new MdStorage(dir, 4, 10, true, log.log());
        SharedBufferPool pool3 = new SharedBufferPool(16, third);
        PgException e = assertThrows(PgException.class, () -> pool3.pin(BufferTag.of(REL, ForkNumber.MAIN, 6)));
        assertEquals("XX001", e.sqlState());
        assertEquals("invalid page in block 6 of relation base/5/16384", e.getMessage());
        assertEquals(505, markOf(pool3, 5));
        assertTrue(log.messages().get(0).startsWith("WARNING XX001 page verification failed, calculated checksum "),
                log.messages().toString());
    }

    @Test
    void freeSpaceMapComponent() {
        MdStorage smgr = new MdStorage(dir, 4, 10, true, log.log());
        SharedBufferPool pool = new SharedBufferPool(16, smgr);
        FreeSpaceMap fsm = new FreeSpaceMapComponent(pool, smgr, log.factory());
        fsm.recordFreeSpace(REL, 12, 3000);
        assertEquals(12, fsm.findPage(REL, 2000));
        assertEquals(12, fsm.recordAndFindPage(REL, 11, 0, 2000));
        assertEquals(2976, fsm.recordedFreeSpace(REL, 12));
        fsm.truncate(REL, 12);
        assertEquals(FreeSpaceMap.INVALID_BLOCK, fsm.findPage(REL, 2000));
        fsm.vacuum(REL);
        assertEquals(3, smgr.nblocks(REL, ForkNumber.FSM));
    }
}
