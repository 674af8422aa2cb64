package modgres.wal.internal;

import static modgres.wal.internal.TestSupport.numbered;
import static modgres.wal.internal.TestSupport.open;
import static modgres.wal.internal.TestSupport.readAll;
import static modgres.wal.internal.TestSupport.seq;
import static modgres.wal.internal.TestSupport.small;
import static modgres.wal.internal.TestSupport.thread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.wal.BlockReference;
import modgres.api.wal.Lsn;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalEnd;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalRecycleResult;
import modgres.api.wal.WalState;
import modgres.wal.format.WalFormat;

/** Inserting, flushing, reading back, start-up after a crash, segments. */
class WriteAheadLogTest {
    static final long SEG = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void anEmptyDirectoryStartsAtSegmentOne() {
        WriteAheadLog wal = new WriteAheadLog(small(dir), TestSupport.log());
        assertEquals(WalState.READING, wal.state());
        PgException e = assertThrows(PgException.class, () -> wal.insert(numbered(0, 0, 0)));
        assertEquals("cannot make new WAL entries during recovery", e.getMessage());
        WalEnd end = wal.findEnd(Lsn.INVALID);
        assertEquals(SEG, end.endLsn());
        assertEquals(Lsn.INVALID, end.lastRecordLsn());
        wal.startAt(end);
        assertEquals(WalState.INSERTING, wal.state());
        assertEquals(SEG + WalFormat.LONG_HEADER, wal.insertPosition());
        long lsn = wal.insert(numbered(0, 0, 0));
        assertEquals(SEG + WalFormat.LONG_HEADER + WalFormat.align(WalRecord.HEADER_SIZE + 2 + 8), lsn);
        wal.flush(lsn);
        assertTrue(Files.exists(dir.resolve("pg_wal/000000010000000000000001")));
        assertEquals(SEG, dir.resolve("pg_wal/000000010000000000000001").toFile().length());
        List<WalRecord> all = readAll(wal, Lsn.INVALID, null);
        assertEquals(1, all.size());
        assertEquals(SEG + WalFormat.LONG_HEADER, all.get(0).lsn());
        assertEquals(Lsn.INVALID, all.get(0).prev());
        assertThrows(IllegalStateException.class, () -> wal.startAt(end));
        wal.close();
    }

    @Test
    void recordsComeBackAsInserted() {
        WriteAheadLog wal = open(small(dir));
        long[] ends = new long[200];
        for (int i = 0; i < ends.length; i++) {
            ends[i] = wal.insert(numbered(1, i, i * 7 % 500));
        }
        wal.flush(ends[ends.length - 1]);
        assertTrue(wal.flushedPosition() >= ends[ends.length - 1]);
        WalEnd[] end = new WalEnd[1];
        List<WalRecord> all = readAll(wal, Lsn.INVALID, end);
        assertEquals(ends.length, all.size());
        for (int i = 0; i < ends.length; i++) {
            WalRecord r = all.get(i);
            assertEquals(i, seq(r));
            assertEquals(ends[i], r.endLsn());
            assertEquals(i, r.xid());
            assertEquals(ResourceManager.HEAP, r.rmgr());
            if (i > 0) {
                assertEquals(all.get(i - 1).lsn(), r.prev());
            }
        }
        assertEquals(ends[ends.length - 1], end[0].endLsn());
        assertEquals(200, wal.stats().records());
        wal.close();
    }

    @Test
    void recordsCrossPagesAndSegments() throws IOException {
        WriteAheadLog wal = open(small(dir));
        Random rnd = new Random(4);
        List<Long> ends = new ArrayList<>();
        for (int i = 0; wal.insertPosition() < 4 * SEG + SEG / 2; i++) {
            ends.add(wal.insert(numbered(2, i, rnd.nextInt(20_000))));
        }
        wal.flush(ends.get(ends.size() - 1));
        List<WalRecord> all = readAll(wal, SEG, null);
        assertEquals(ends.size(), all.size());
        int crossSegment = 0;
        int crossPage = 0;
        for (int i = 0; i < all.size(); i++) {
            WalRecord r = all.get(i);
            assertEquals(i, seq(r));
            assertEquals((long) ends.get(i), r.endLsn());
            assertEquals(numbered(2, i, r.mainData().length - 8).mainData().length, r.mainData().length);
            assertArrayEquals(numbered(2, i, r.mainData().length - 8).mainData(), r.mainData());
            if (r.lsn() / SEG != (r.endLsn() - 1) / SEG) {
                crossSegment++;
            }
            if (r.lsn() / 8192 != (r.endLsn() - 1) / 8192) {
                crossPage++;
            }
        }
        assertTrue(crossSegment >= 3, "records across segment boundaries: " + crossSegment);
        assertTrue(crossPage > 100, "records across page boundaries: " + crossPage);
        for (int s = 1; s <= 4; s++) {
            assertTrue(Files.exists(dir.resolve("pg_wal/" + Lsn.segmentFileName(1, s, SEG))));
        }
        assertTrue(wal.stats().buffersFull() > 0, "the 16-page ring wrapped");
        wal.close();
    }

    @Test
    void aRecordLargerThanTheWalBuffers() {
        WriteAheadLog wal = open(small(dir).withWalBuffers(4));
        byte[] big = new byte[300_000];
        new Random(5).nextBytes(big);
        long a = wal.insert(numbered(3, 0, 10));
        long b = wal.insert(WalRecord.of(ResourceManager.XLOG, ResourceManager.XLOG_NOOP, 0, big));
        long c = wal.insert(numbered(3, 1, 10));
        wal.flush(c);
        List<WalRecord> all = readAll(wal, Lsn.INVALID, null);
        assertEquals(3, all.size());
        assertEquals(a, all.get(0).endLsn());
        assertEquals(b, all.get(1).endLsn());
        assertArrayEquals(big, all.get(1).mainData());
        assertEquals(1, seq(all.get(2)));
        wal.close();
    }

    @Test
    void fullPageImagesAfterTheRedoPointer() {
        WriteAheadLog wal = open(small(dir));
        RelFileNode rel = new RelFileNode(1663, 5, 16384);
        ByteBuffer page = ByteBuffer.allocateDirect(8192).order(ByteOrder.LITTLE_ENDIAN);
        page.putShort(12, (short) 28);
        page.putShort(14, (short) 8000);
        page.put(8100, (byte) 42);
        wal.insert(numbered(0, 0, 0));
        long redo = wal.advanceRedoPointer();
        assertEquals(redo, wal.redoPointer());
        assertTrue(wal.needsFullPageImage(0));
        long l1 = wal.insert(WalRecord.builder(ResourceManager.HEAP, (byte) 0)
                .block(rel, ForkNumber.MAIN, 0, page, BlockReference.STANDARD, new byte[] {1}).build());
        BufferPool.setPageLsn(page, l1);
        assertFalse(wal.needsFullPageImage(l1));
        long l2 = wal.insert(WalRecord.builder(ResourceManager.HEAP, (byte) 0)
                .block(rel, ForkNumber.MAIN, 0, page, BlockReference.STANDARD, new byte[] {2}).build());
        BufferPool.setPageLsn(page, l2);
        wal.advanceRedoPointer(); // a checkpoint: the next change takes an image again
        long l3 = wal.insert(WalRecord.builder(ResourceManager.HEAP, (byte) 0)
                .block(rel, ForkNumber.MAIN, 0, page, BlockReference.STANDARD, new byte[] {3}).build());
        wal.setFullPageWrites(false);
        wal.advanceRedoPointer();
        long l4 = wal.insert(WalRecord.builder(ResourceManager.HEAP, (byte) 0)
                .block(rel, ForkNumber.MAIN, 0, page, BlockReference.STANDARD, new byte[] {4}).build());
        wal.flush(l4);
        List<WalRecord> all = readAll(wal, Lsn.INVALID, null);
        assertEquals(5, all.size());
        assertTrue(all.get(1).block(0).hasImage());
        assertEquals(42, all.get(1).block(0).image()[8100]);
        assertEquals(null, all.get(1).block(0).data()); // dropped in favour of the image
        assertFalse(all.get(2).block(0).hasImage());
        assertArrayEquals(new byte[] {2}, all.get(2).block(0).data());
        assertTrue(all.get(3).block(0).hasImage());
        assertEquals(l2, BufferPool.getPageLsn(ByteBuffer.wrap(all.get(3).block(0).image())));
        assertFalse(all.get(4).block(0).hasImage());
        assertEquals(2, wal.stats().fullPageImages());
        assertEquals(l3, all.get(3).endLsn());
        wal.close();
    }

    /** Cuts the last record: inside its first page (10 bytes in) or pages later (12000 bytes in). */
    @ParameterizedTest
    @ValueSource(ints = {10, 12_000})
    void theReaderStopsAtATornTailAndTheLogContinuesAfterIt(int cut) throws IOException {
        WriteAheadLog wal = open(small(dir));
        for (int i = 0; i < 50; i++) {
            wal.insert(numbered(4, i, 100));
        }
        long lastEnd = wal.insert(numbered(4, 50, 20_000));
        wal.flush(lastEnd);
        wal.close();
        List<WalRecord> before = readAll(new WriteAheadLog(small(dir), TestSupport.log()), Lsn.INVALID, null);
        WalRecord secondLast = before.get(49);
        WalRecord last = before.get(50);
        Path seg = dir.resolve("pg_wal/" + Lsn.segmentFileName(1, last.lsn() / SEG, SEG));
        long cutAt = last.lsn() % SEG + cut;
        if (cut == 10) {
            try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
                ch.truncate(cutAt); // a torn file
            }
        } else {
            try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate((int) (SEG - cutAt)), cutAt); // a zeroed tail
            }
        }

        WriteAheadLog again = new WriteAheadLog(small(dir), TestSupport.log());
        WalEnd end = again.findEnd(Lsn.INVALID);
        assertEquals(secondLast.lsn(), end.lastRecordLsn());
        assertEquals(secondLast.endLsn(), end.endLsn());
        assertEquals(last.lsn(), end.endLsn());
        assertFalse(end.reason().isEmpty());
        again.startAt(end);
        long[] ends = new long[10];
        for (int i = 0; i < 10; i++) {
            ends[i] = again.insert(numbered(5, i, 3000));
        }
        again.flush(ends[9]);
        again.close();

        WriteAheadLog third = new WriteAheadLog(small(dir), TestSupport.log());
        WalEnd[] e = new WalEnd[1];
        List<WalRecord> all = readAll(third, Lsn.INVALID, e);
        assertEquals(60, all.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(4, thread(all.get(i)));
            assertEquals(i, seq(all.get(i)));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(5, thread(all.get(50 + i)));
            assertEquals(ends[i], all.get(50 + i).endLsn());
        }
        assertEquals(secondLast.lsn(), all.get(50).prev());
        assertEquals(ends[9], e[0].endLsn());
    }

    @Test
    void aCleanRestartContinuesTheChain() {
        WriteAheadLog wal = open(small(dir));
        long a = wal.insert(numbered(6, 0, 50));
        wal.close(); // flushes
        WriteAheadLog again = open(small(dir));
        assertEquals(a, again.flushedPosition());
        long b = again.insert(numbered(6, 1, 50));
        again.flush(b);
        List<WalRecord> all = readAll(again, Lsn.INVALID, null);
        assertEquals(2, all.size());
        assertEquals(all.get(0).lsn(), all.get(1).prev());
        again.close();
    }

    @Test
    void switchingSegmentsWithArchiveMode() throws IOException {
        WriteAheadLog wal = open(WalConfig.defaults(dir).withArchiveMode(true).withWalBuffers(64));
        List<String> completed = new ArrayList<>();
        wal.addListener(e -> completed.add(e.fileName()));
        long seg = 16L * 1024 * 1024;
        assertEquals("000000010000000000000001", wal.segmentFileName(wal.insertPosition()));
        long a = wal.insert(numbered(7, 0, 10));
        long sw = wal.switchSegment();
        assertTrue(sw > a && sw < 2 * seg, Lsn.format(sw));
        assertEquals(2 * seg, wal.flushedPosition());
        assertEquals(2 * seg + WalFormat.LONG_HEADER, wal.insertPosition());
        assertEquals(2 * seg, wal.switchSegment(), "nothing in the new segment: no switch");
        long b = wal.insert(numbered(7, 1, 10));
        wal.switchSegment();
        long c = wal.insert(numbered(7, 2, 10));
        wal.flush(c);
        Path status = dir.resolve("pg_wal/archive_status");
        assertTrue(Files.exists(status.resolve("000000010000000000000001.ready")));
        assertTrue(Files.exists(status.resolve("000000010000000000000002.ready")));
        assertFalse(Files.exists(status.resolve("000000010000000000000003.ready")));
        assertEquals(List.of("000000010000000000000001", "000000010000000000000002"), completed);
        assertEquals("000000010000000000000003", wal.segmentFileName(c));
        List<WalRecord> all = readAll(wal, Lsn.INVALID, null);
        assertEquals(5, all.size());
        assertTrue(all.get(1).isSwitch());
        assertEquals(b, all.get(2).endLsn());
        assertEquals(all.get(1).lsn(), all.get(2).prev());
        assertEquals(c, all.get(4).endLsn());
        wal.close();
    }

    @Test
    void flushingToTheInsertPositionAfterABoundaryFlushesEverything() {
        WriteAheadLog wal = open(small(dir));
        long a = wal.insert(numbered(0, 0, 10));
        wal.switchSegment();
        wal.flush(wal.insertPosition()); // just past the next segment's page header: nothing is there yet
        assertEquals(2 * SEG, wal.flushedPosition());
        assertTrue(a < wal.flushedPosition());
        wal.close();
    }

    @Test
    void aReaderStartingAtAPageBoundarySkipsTheContinuedRecord() {
        WriteAheadLog wal = open(small(dir));
        long last = 0;
        for (int i = 0; i < 40; i++) {
            last = wal.insert(numbered(1, i, 5000));
        }
        wal.flush(last);
        List<WalRecord> all = readAll(wal, Lsn.INVALID, null);
        for (long page = SEG + 8192; page < SEG + 20 * 8192; page += 8192) {
            WalRecord expected = null;
            for (WalRecord r : all) {
                if (r.lsn() > page) {
                    expected = r;
                    break;
                }
            }
            List<WalRecord> fromPage = readAll(wal, page, null);
            assertEquals(expected.lsn(), fromPage.get(0).lsn(), "from " + Lsn.format(page));
            assertEquals(all.size() - all.indexOf(expected), fromPage.size());
        }
        wal.close();
    }

    @Test
    void noReadyFilesWithoutArchiveMode() throws IOException {
        WriteAheadLog wal = open(small(dir));
        wal.insert(numbered(0, 0, 0));
        wal.switchSegment();
        try (var s = Files.list(dir.resolve("pg_wal/archive_status"))) {
            assertEquals(0, s.count());
        }
        wal.close();
    }

    @Test
    void recycledSegmentsAreRenamedAndTheirOldPagesEndTheLog() throws IOException {
        WriteAheadLog wal = open(small(dir).withRecycle(true, 2));
        for (int i = 0; i < 3; i++) {
            wal.insert(numbered(8, i, 5000));
            wal.switchSegment(); // segments 1, 2, 3 complete
        }
        long redo = wal.advanceRedoPointer();
        assertEquals(4, redo / SEG);
        WalRecycleResult r = wal.recycleSegments(redo);
        assertEquals(new WalRecycleResult(2, 1, 0), r);
        for (int s = 1; s <= 3; s++) {
            assertFalse(Files.exists(dir.resolve("pg_wal/" + Lsn.segmentFileName(1, s, SEG))), "segment " + s);
        }
        Path seg5 = dir.resolve("pg_wal/" + Lsn.segmentFileName(1, 5, SEG));
        assertTrue(Files.exists(seg5));
        // A recycled segment holds old pages: their addresses end the log.
        WalEnd end;
        try (WalReader rd = new WriteAheadLog(small(dir), TestSupport.log()).reader(5 * SEG)) {
            assertEquals(null, rd.next());
            end = rd.end();
        }
        assertTrue(end.reason().startsWith("unexpected pageaddr"), end.reason());
        // Writing on into the recycled segments works and reads back.
        List<Long> ends = new ArrayList<>();
        for (int i = 0; wal.insertPosition() < 6 * SEG + 5000; i++) {
            ends.add(wal.insert(numbered(9, i, 4000)));
        }
        wal.flush(ends.get(ends.size() - 1));
        wal.close();
        WriteAheadLog again = new WriteAheadLog(small(dir), TestSupport.log());
        List<WalRecord> all = readAll(again, redo, null);
        assertEquals(ends.size(), all.size());
        assertEquals((long) ends.get(ends.size() - 1), all.get(all.size() - 1).endLsn());
        assertEquals(ends.get(ends.size() - 1), again.findEnd(Lsn.INVALID).endLsn());
    }

    @Test
    void archiveModeKeepsSegmentsNotArchivedYet() throws IOException {
        WriteAheadLog wal = open(small(dir).withArchiveMode(true));
        for (int i = 0; i < 2; i++) {
            wal.insert(numbered(8, i, 10));
            wal.switchSegment();
        }
        Path status = dir.resolve("pg_wal/archive_status");
        Files.move(status.resolve("000000010000000000000001.ready"), status.resolve("000000010000000000000001.done"));
        WalRecycleResult r = wal.recycleSegments(wal.advanceRedoPointer());
        assertEquals(1, r.kept());
        assertEquals(1, r.recycled() + r.removed());
        assertFalse(Files.exists(status.resolve("000000010000000000000001.done")));
        assertTrue(Files.exists(dir.resolve("pg_wal/000000010000000000000002")));
        wal.close();
    }

    @Test
    void backgroundFlushWritesCompletePagesOnly() {
        WriteAheadLog wal = open(small(dir));
        long start = wal.flushedPosition();
        long end = 0;
        for (int i = 0; i < 30; i++) {
            end = wal.insert(numbered(1, i, 1000));
        }
        long done = wal.backgroundFlush();
        assertTrue(done > 0);
        assertEquals(0, wal.flushedPosition() % 8192);
        assertEquals(start + done, wal.flushedPosition());
        assertTrue(wal.flushedPosition() < end);
        assertEquals(0, wal.backgroundFlush());
        wal.flush(end);
        assertEquals(end, wal.flushedPosition());
        wal.close();
    }

    @Test
    void flushingBeyondTheInsertPositionFails() {
        WriteAheadLog wal = open(small(dir));
        long a = wal.insert(numbered(1, 0, 10));
        PgException e = assertThrows(PgException.class, () -> wal.flush(a + 100_000));
        assertTrue(e.getMessage().startsWith("xlog flush request"), e.getMessage());
        assertEquals(a, wal.flushedPosition()); // what existed was flushed
        wal.close();
    }

    @Test
    void duringRecoveryFlushAcceptsWhatWasRead() {
        WriteAheadLog wal = open(small(dir));
        long a = wal.insert(numbered(1, 0, 10));
        long b = wal.insert(numbered(1, 1, 10));
        wal.close();
        WriteAheadLog rec = new WriteAheadLog(small(dir), TestSupport.log());
        assertThrows(PgException.class, () -> rec.flush(a));
        try (WalReader r = rec.reader(Lsn.INVALID)) {
            r.next();
            rec.flush(a); // a page changed by replaying the first record may be written
            assertThrows(PgException.class, () -> rec.flush(b));
        }
    }

    @Test
    void readersOfARunningLogSeeOnlyFlushedRecords() {
        WriteAheadLog wal = open(small(dir));
        long a = wal.insert(numbered(1, 0, 10));
        wal.flush(a);
        wal.insert(numbered(1, 1, 10));
        WalEnd[] end = new WalEnd[1];
        assertEquals(1, readAll(wal, Lsn.INVALID, end).size());
        assertEquals(a, end[0].endLsn());
        wal.close();
    }

    @Test
    void startAtRejectsPositionsInsideAPageHeader() {
        WriteAheadLog wal = new WriteAheadLog(small(dir), TestSupport.log());
        assertThrows(IllegalArgumentException.class, () -> wal.startAt(new WalEnd(0, SEG + 8, "")));
        assertThrows(IllegalArgumentException.class, () -> wal.startAt(new WalEnd(SEG + 80, SEG + 48, "")));
        assertNotEquals(WalState.INSERTING, wal.state());
    }
}
