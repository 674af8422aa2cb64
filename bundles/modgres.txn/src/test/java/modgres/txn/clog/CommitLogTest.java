package modgres.txn.clog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.txn.Xid;
import modgres.api.txn.XidStatus;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;
import modgres.txn.testing.RecordingWal;

class CommitLogTest {

    @TempDir
    Path data;

    private Path dir() {
        return data.resolve("pg_xact");
    }

    @Test
    void addressingFollowsPostgresLayout() {
        assertEquals(0, CommitLog.pageOf(3));
        assertEquals(0, CommitLog.pageOf(32767));
        assertEquals(1, CommitLog.pageOf(32768));
        assertEquals(131071, CommitLog.pageOf(0xFFFFFFFF));
        assertEquals("0000", CommitLog.segmentName(31));
        assertEquals("0001", CommitLog.segmentName(32));
        assertEquals("0FFF", CommitLog.segmentName(131071));
    }

    @Test
    void setAndGetAcrossPagesAndSegments() throws Exception {
        RecordingWal w = new RecordingWal();
        CommitLog clog = new CommitLog(dir(), w.wal, 8, true);
        int[] ids = {3, 4, 5, 6, 32767, 32768, 32769, 32768 * 32 - 1, 32768 * 32, 32768 * 32 + 5, 0xFFFFFFFE,
            0xFFFFFFFF};
        for (int i = 0; i < ids.length; i++) {
            XidStatus s = i % 2 == 0 ? XidStatus.COMMITTED : XidStatus.ABORTED;
            clog.setTreeStatus(ids[i], new int[0], s, 0);
        }
        for (int i = 0; i < ids.length; i++) {
            assertEquals(i % 2 == 0 ? XidStatus.COMMITTED : XidStatus.ABORTED, clog.get(ids[i]), "xid " + ids[i]);
        }
        assertEquals(XidStatus.IN_PROGRESS, clog.get(7));
        assertEquals(XidStatus.IN_PROGRESS, clog.get(32770));
        clog.checkpoint();
        assertTrue(Files.exists(dir().resolve("0000")));
        assertTrue(Files.exists(dir().resolve("0001")));
        assertTrue(Files.exists(dir().resolve("0FFF")));
        // PostgreSQL's bit layout: xid 3 is bits 6..7 of byte 0 (committed = 01), xid 4 byte 1 bits 0..1 (aborted = 10).
        byte[] seg0 = Files.readAllBytes(dir().resolve("0000"));
        assertEquals(0x40, seg0[0] & 0xFF);
        assertEquals(0x02 | 0x04 | 0x20, seg0[1] & 0xFF, "xids 4 (aborted), 5 (committed), 6 (aborted), 7 (none)");
        assertEquals(32 * CommitLog.PAGE_SIZE, seg0.length, "pages 0, 1 and 31 written (holes read as zeros)");
        // xid 32767: the last 2 bits of page 0 (committed = 01 at shift 6)
        assertEquals(0x40, seg0[CommitLog.PAGE_SIZE - 1] & 0xFF);
    }

    @Test
    void persistsAcrossReopen() {
        RecordingWal w = new RecordingWal();
        CommitLog clog = new CommitLog(dir(), w.wal, 4, true);
        for (int x = 3; x < 200_000; x += 997) {
            clog.setTreeStatus(x, new int[0], x % 3 == 0 ? XidStatus.ABORTED : XidStatus.COMMITTED, 0);
        }
        clog.checkpoint();
        CommitLog again = new CommitLog(dir(), w.wal, 4, true);
        for (int x = 3; x < 200_000; x += 997) {
            assertEquals(x % 3 == 0 ? XidStatus.ABORTED : XidStatus.COMMITTED, again.get(x), "xid " + x);
            assertEquals(XidStatus.IN_PROGRESS, again.get(x + 1));
        }
    }

    @Test
    void evictionWritesDirtyPagesAfterFlushingTheirWal() {
        RecordingWal w = new RecordingWal();
        CommitLog clog = new CommitLog(dir(), w.wal, 3, true);
        long lsn = 0x2000_0000L;
        for (int page = 0; page < 10; page++) {
            clog.setTreeStatus(page * CommitLog.XACTS_PER_PAGE + 5, new int[0], XidStatus.COMMITTED, lsn + page);
        }
        assertTrue(clog.cachedPages() <= 3);
        // Every evicted page was written only after the WAL was flushed to its LSN.
        for (int page = 0; page < 7; page++) {
            long want = lsn + page;
            assertTrue(w.flushes.contains(want), "flush before writing page " + page);
        }
        CommitLog reread = new CommitLog(dir(), w.wal, 3, true);
        for (int page = 0; page < 7; page++) {
            assertEquals(XidStatus.COMMITTED, reread.get(page * CommitLog.XACTS_PER_PAGE + 5));
        }
    }

    @Test
    void checkpointFlushesWalToTheHighestLsnOfEachPage() {
        RecordingWal w = new RecordingWal();
        CommitLog clog = new CommitLog(dir(), w.wal, 8, true);
        clog.setTreeStatus(10, new int[0], XidStatus.COMMITTED, 500);
        clog.setTreeStatus(11, new int[0], XidStatus.COMMITTED, 900);
        clog.setTreeStatus(12, new int[0], XidStatus.ABORTED, 700);
        assertEquals(1, clog.checkpoint());
        assertEquals(List.of(900L), w.flushes);
        assertEquals(0, clog.checkpoint(), "nothing dirty any more");
    }

    @Test
    void newPagesAreWalLogged() {
        RecordingWal w = new RecordingWal();
        CommitLog clog = new CommitLog(dir(), w.wal, 8, true);
        clog.extend(Xid.FIRST_NORMAL);
        clog.extend(4); // inside page 0: nothing
        clog.extend(CommitLog.XACTS_PER_PAGE * 2);
        List<WalRecord> recs = w.records();
        assertEquals(2, recs.size());
        assertEquals(ResourceManager.CLOG, recs.get(0).rmgr());
        assertEquals(CommitLog.ZEROPAGE, recs.get(0).info());
        assertEquals(0, CommitLog.zeroPageNumber(recs.get(0)));
        assertEquals(2, CommitLog.zeroPageNumber(recs.get(1)));
        assertEquals(8, recs.get(1).mainData().length);
        assertEquals("ZEROPAGE page 2", CommitLog.describe(recs.get(1)));
    }

    @Test
    void zeroPageClearsOldContent() {
        RecordingWal w = new RecordingWal();
        CommitLog clog = new CommitLog(dir(), w.wal, 8, true);
        clog.setTreeStatus(100, new int[0], XidStatus.COMMITTED, 0);
        clog.zeroPage(0, false);
        assertEquals(XidStatus.IN_PROGRESS, clog.get(100));
    }

    @Test
    void commitSetsSubsFirstSoATopCommittedImpliesNoSubInProgress() throws Exception {
        RecordingWal w = new RecordingWal();
        CommitLog clog = new CommitLog(dir(), w.wal, 8, true);
        int rounds = 2000;
        AtomicReference<String> bad = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            while (done.getCount() > 0) {
                for (int r = 0; r < rounds; r++) {
                    int top = 1000 + r * 10;
                    if (clog.get(top) == XidStatus.COMMITTED) {
                        for (int s : subsOf(top)) {
                            if (clog.get(s) == XidStatus.IN_PROGRESS) {
                                bad.set("top " + top + " committed, sub " + s + " in progress");
                            }
                        }
                    }
                }
            }
        });
        reader.start();
        for (int r = 0; r < rounds; r++) {
            int top = 1000 + r * 10;
            clog.setTreeStatus(top, subsOf(top), XidStatus.COMMITTED, 0);
        }
        done.countDown();
        reader.join();
        assertEquals(null, bad.get());
        for (int r = 0; r < rounds; r++) {
            for (int s : subsOf(1000 + r * 10)) {
                assertEquals(XidStatus.COMMITTED, clog.get(s));
            }
        }
    }

    /** Subs on the same page and one on the next page. */
    private static int[] subsOf(int top) {
        return new int[] {top + 1, top + 2, top + CommitLog.XACTS_PER_PAGE};
    }

    @Test
    void trimClearsBitsPastTheNextId() {
        RecordingWal w = new RecordingWal();
        CommitLog clog = new CommitLog(dir(), w.wal, 8, true);
        for (int x = 3; x < 40; x++) {
            clog.setTreeStatus(x, new int[0], XidStatus.COMMITTED, 0);
        }
        clog.trim(22);
        assertEquals(XidStatus.COMMITTED, clog.get(21));
        for (int x = 22; x < 40; x++) {
            assertEquals(XidStatus.IN_PROGRESS, clog.get(x), "xid " + x);
        }
    }

    @Test
    void walFailureKeepsThePageDirty() {
        RecordingWal failing = new RecordingWal();
        CommitLog broken = new CommitLog(data.resolve("other"), new FailingFlushWal(failing).wal, 8, true);
        broken.setTreeStatus(10, new int[0], XidStatus.COMMITTED, 500);
        assertThrows(IllegalStateException.class, broken::checkpoint);
        assertFalse(Files.exists(data.resolve("other").resolve("0000")), "not written before its WAL");
        assertThrows(IllegalStateException.class, broken::checkpoint, "still dirty: tried again");
    }

    @Test
    void subStatusIsStoredAsElevenBits() {
        RecordingWal w = new RecordingWal();
        CommitLog clog = new CommitLog(dir(), w.wal, 8, true);
        assertEquals(3, CommitLog.encode(XidStatus.SUB_COMMITTED));
        assertEquals(XidStatus.SUB_COMMITTED, CommitLog.decode(3));
        assertArrayEquals(new int[] {0, 1, 2, 3}, new int[] {CommitLog.encode(XidStatus.IN_PROGRESS),
            CommitLog.encode(XidStatus.COMMITTED), CommitLog.encode(XidStatus.ABORTED),
            CommitLog.encode(XidStatus.SUB_COMMITTED)});
        assertThrows(IllegalArgumentException.class,
                () -> clog.setTreeStatus(5, new int[0], XidStatus.SUB_COMMITTED, 0));
    }

    /** A WAL whose flush always fails. */
    private static final class FailingFlushWal {
        final modgres.api.wal.Wal wal;

        FailingFlushWal(RecordingWal base) {
            wal = (modgres.api.wal.Wal) java.lang.reflect.Proxy.newProxyInstance(
                    modgres.api.wal.Wal.class.getClassLoader(), new Class<?>[] {modgres.api.wal.Wal.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("flush")) {
                            throw new IllegalStateException("flush failed");
                        }
                        return method.invoke(base.wal, args);
                    });
        }
    }
}
