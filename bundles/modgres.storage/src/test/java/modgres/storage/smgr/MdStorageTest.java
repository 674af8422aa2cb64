package modgres.storage.smgr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.log.Severity;
import modgres.api.page.HeapTupleHeader;
import modgres.api.page.Page;
import modgres.api.page.PageChecksum;
import modgres.api.page.StorageManager;
import modgres.storage.page.Reference;

class MdStorageTest {
    static final RelFileNode REL = new RelFileNode(1663, 5, 16384);
    static final int SEG = 4; // blocks per segment in these tests

    @TempDir
    Path dir;

    final CapturedLog log = new CapturedLog();

    MdStorage store(int segmentBlocks) {
        return new MdStorage(dir, segmentBlocks, 100, true, log.log());
    }

    /** A valid heap page whose one tuple carries {@code mark}. */
    static ByteBuffer page(int mark) {
        ByteBuffer p = ByteBuffer.allocateDirect(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        Page.init(p, 0);
        int off = Page.reserveItem(p, 32, 0, Page.IS_HEAP);
        int t = Page.itemOffset(p, off);
        HeapTupleHeader.init(p, t, 1, false, 100, 0, 0, off, 0);
        p.putInt(t + 24, mark);
        return p;
    }

    static int mark(ByteBuffer p) {
        return p.getInt(Page.itemOffset(p, 1) + 24);
    }

    static ByteBuffer buffer() {
        return ByteBuffer.allocateDirect(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    static BufferTag tag(int block) {
        return BufferTag.of(REL, ForkNumber.MAIN, block);
    }

    ByteBuffer read(StorageManager s, int block) {
        ByteBuffer b = buffer();
        s.read(tag(block), b);
        return b.clear();
    }

    long fileBlocks(String name) throws IOException {
        return Files.size(dir.resolve(name)) / Page.SIZE;
    }

    @Test
    void relationPaths() {
        MdStorage s = store(SEG);
        assertEquals("base/5/16384", s.relpath(REL, ForkNumber.MAIN));
        assertEquals("base/5/16384_fsm", s.relpath(REL, ForkNumber.FSM));
        assertEquals("base/5/16384_vm", s.relpath(REL, ForkNumber.VM));
        assertEquals("base/5/16384_init", s.relpath(REL, ForkNumber.INIT));
        assertEquals("global/1262", s.relpath(new RelFileNode(1664, 0, 1262), ForkNumber.MAIN));
        assertEquals("pg_tblspc/16500/PG_15_202209061/5/16384",
                s.relpath(new RelFileNode(16500, 5, 16384), ForkNumber.MAIN));
        assertEquals("base/4294967295/4294967295", s.relpath(new RelFileNode(1663, -1, -1), ForkNumber.MAIN));
        assertEquals("base/5/16384.2", RelPath.segment("base/5/16384", 2));
    }

    @Test
    void createExtendReadBack() throws IOException {
        MdStorage s = store(SEG);
        assertFalse(s.exists(REL, ForkNumber.MAIN));
        assertEquals(0, s.nblocks(REL, ForkNumber.MAIN));
        s.create(REL, ForkNumber.MAIN, false);
        assertTrue(s.exists(REL, ForkNumber.MAIN));
        assertTrue(Files.isRegularFile(dir.resolve("base/5/16384")));
        for (int b = 0; b < 3; b++) {
            s.extend(tag(b), page(b));
        }
        assertEquals(3, s.nblocks(REL, ForkNumber.MAIN));
        for (int b = 0; b < 3; b++) {
            assertEquals(b, mark(read(s, b)));
        }
        // shared catalogs live under global/
        RelFileNode shared = new RelFileNode(StorageManager.GLOBAL_TABLESPACE, 0, 1262);
        s.create(shared, ForkNumber.MAIN, false);
        s.extend(BufferTag.of(shared, ForkNumber.MAIN, 0), page(9));
        assertEquals(1, fileBlocks("global/1262"));
    }

    @Test
    void segmentBoundaries() throws IOException {
        MdStorage s = store(SEG);
        s.create(REL, ForkNumber.MAIN, false);
        for (int b = 0; b < 10; b++) {
            s.extend(tag(b), page(100 + b));
        }
        assertEquals(10, s.nblocks(REL, ForkNumber.MAIN));
        assertEquals(4, fileBlocks("base/5/16384"));
        assertEquals(4, fileBlocks("base/5/16384.1"));
        assertEquals(2, fileBlocks("base/5/16384.2"));
        assertFalse(Files.exists(dir.resolve("base/5/16384.3")));
        // block 5 is the second block of segment 1
        byte[] raw = Files.readAllBytes(dir.resolve("base/5/16384.1"));
        ByteBuffer second = ByteBuffer.wrap(raw, Page.SIZE, Page.SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(105, mark(second));
        assertTrue(PageChecksum.matches(second, 5), "checksummed with the block number in the fork");
        for (int b = 0; b < 10; b++) {
            assertEquals(100 + b, mark(read(s, b)));
        }
        // a fresh store computes the length from the files
        MdStorage again = store(SEG);
        assertEquals(10, again.nblocks(REL, ForkNumber.MAIN));
        assertEquals(107, mark(read(again, 7)));
    }

    @Test
    void readPastTheEnd() {
        MdStorage s = store(StorageManager.SEGMENT_BLOCKS);
        s.create(REL, ForkNumber.MAIN, false);
        for (int b = 0; b < 3; b++) {
            s.extend(tag(b), page(b));
        }
        PgException e = assertThrows(PgException.class, () -> read(s, 3));
        assertEquals("XX001", e.sqlState());
        assertEquals("could not read block 3 in file \"base/5/16384\": read only 0 of 8192 bytes", e.getMessage());
        e = assertThrows(PgException.class, () -> read(s, 200000));
        assertEquals("could not open file \"base/5/16384.1\" (target block 200000): previous segment is only 3 blocks",
                e.getMessage());
    }

    @Test
    void readPastTheEndAcrossSegments() {
        MdStorage s = store(SEG);
        s.create(REL, ForkNumber.MAIN, false);
        for (int b = 0; b < 10; b++) {
            s.extend(tag(b), page(b));
        }
        PgException e = assertThrows(PgException.class, () -> read(s, 10));
        assertEquals("could not read block 10 in file \"base/5/16384.2\": read only 0 of 8192 bytes", e.getMessage());
        e = assertThrows(PgException.class, () -> read(s, 13));
        assertEquals("58P01", e.sqlState());
        assertEquals("could not open file \"base/5/16384.3\" (target block 13): previous segment is only 2 blocks",
                e.getMessage());
        // in recovery (and with zero_damaged_pages) a missing block reads as zeros
        s.setInRecovery(true);
        assertTrue(Page.isAllZero(read(s, 13)));
        s.setInRecovery(false);
        s.setZeroDamagedPages(true);
        assertTrue(Page.isAllZero(read(s, 10)));
    }

    @Test
    void readOfAMissingRelation() {
        MdStorage s = store(SEG);
        PgException e = assertThrows(PgException.class, () -> read(s, 0));
        assertEquals("58P01", e.sqlState());
        assertEquals("could not open file \"base/5/16384\": No such file or directory", e.getMessage());
        e = assertThrows(PgException.class, () -> s.extend(tag(0), page(0)));
        assertEquals("58P01", e.sqlState());
    }

    @Test
    void writeBeyondTheEndFillsTheGap() throws IOException {
        MdStorage s = store(SEG);
        s.create(REL, ForkNumber.MAIN, false);
        s.extend(tag(0), page(0));
        s.write(tag(9), page(9));
        assertEquals(10, s.nblocks(REL, ForkNumber.MAIN));
        assertEquals(4, fileBlocks("base/5/16384"));
        assertEquals(4, fileBlocks("base/5/16384.1"));
        assertEquals(2, fileBlocks("base/5/16384.2"));
        assertTrue(Page.isAllZero(read(s, 5)), "the gap reads as new pages");
        assertEquals(9, mark(read(s, 9)));
        assertEquals(10, store(SEG).nblocks(REL, ForkNumber.MAIN));
        // an ordinary overwrite
        s.write(tag(5), page(55));
        assertEquals(55, mark(read(s, 5)));
    }

    @Test
    void writeSetsTheChecksumOnACopy() throws IOException {
        MdStorage s = store(SEG);
        s.create(REL, ForkNumber.MAIN, false);
        ByteBuffer p = page(1);
        s.extend(tag(0), p);
        ByteBuffer q = page(2);
        s.write(tag(0), q);
        assertEquals(0, Page.checksum(q), "the caller's page is not changed");
        assertEquals(0, q.position());
        ByteBuffer onDisk = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("base/5/16384")))
                .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(PageChecksum.compute(q, 0), Page.checksum(onDisk));
        // a new (all-zero) page is written as it is
        s.extend(tag(1), buffer());
        byte[] raw = Files.readAllBytes(dir.resolve("base/5/16384"));
        for (int i = Page.SIZE; i < 2 * Page.SIZE; i++) {
            assertEquals(0, raw[i]);
        }
        assertTrue(Page.isAllZero(read(s, 1)), "a new page passes verification");
    }

    @Test
    void writeWithChecksumsOff() throws IOException {
        MdStorage s = new MdStorage(dir, SEG, 10, false, log.log());
        s.create(REL, ForkNumber.MAIN, false);
        ByteBuffer p = page(3);
        s.extend(tag(0), p);
        assertEquals(0, p.position());
        byte[] raw = Files.readAllBytes(dir.resolve("base/5/16384"));
        assertEquals(0, raw[Page.PD_CHECKSUM]);
        raw[100] ^= 1; // with checksums off only the header is checked
        Files.write(dir.resolve("base/5/16384"), raw);
        assertEquals(3, mark(read(s, 0)));
    }

    @Test
    void checksumFailureIsAnErrorAfterAWarning() throws IOException {
        MdStorage s = store(SEG);
        s.create(REL, ForkNumber.MAIN, false);
        for (int b = 0; b < 3; b++) {
            s.extend(tag(b), page(b));
        }
        Path file = dir.resolve("base/5/16384");
        byte[] raw = Files.readAllBytes(file);
        int stored = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getShort(2 * Page.SIZE + 8) & 0xFFFF;
        raw[2 * Page.SIZE + 8000] ^= 0x40; // one bit in block 2's tuple
        Files.write(file, raw);
        MdStorage fresh = store(SEG);
        PgException e = assertThrows(PgException.class, () -> read(fresh, 2));
        assertEquals("XX001", e.sqlState());
        assertEquals("invalid page in block 2 of relation base/5/16384", e.getMessage());
        assertEquals(1, log.records.size());
        var w = log.records.get(0);
        assertEquals(Severity.WARNING, w.severity());
        assertEquals("XX001", w.sqlState());
        ByteBuffer bad = ByteBuffer.wrap(raw, 2 * Page.SIZE, Page.SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("page verification failed, calculated checksum " + PageChecksum.compute(bad, 2)
                + " but expected " + stored, w.message());
        assertEquals(1, fresh.checksumFailures(5));
        assertEquals(0, fresh.checksumFailures(6));
        assertEquals(1, mark(read(fresh, 1)), "other blocks are fine");

        fresh.setIgnoreChecksumFailure(true);
        assertEquals(2, mark(read(fresh, 2)), "read despite the failure (the flipped bit is in free space)");
        assertEquals(2, fresh.checksumFailures(5));
        fresh.setIgnoreChecksumFailure(false);

        fresh.setZeroDamagedPages(true);
        assertTrue(Page.isAllZero(read(fresh, 2)));
        assertEquals("invalid page in block 2 of relation base/5/16384; zeroing out page",
                log.records.get(log.records.size() - 1).message());
    }

    @Test
    void aPageAtTheWrongBlockFails() throws IOException {
        MdStorage s = store(SEG);
        s.create(REL, ForkNumber.MAIN, false);
        s.extend(tag(0), page(0));
        s.extend(tag(1), page(1));
        Path file = dir.resolve("base/5/16384");
        byte[] raw = Files.readAllBytes(file);
        System.arraycopy(raw, 0, raw, Page.SIZE, Page.SIZE); // block 0's bytes at block 1
        Files.write(file, raw);
        PgException e = assertThrows(PgException.class, () -> read(store(SEG), 1));
        assertEquals("invalid page in block 1 of relation base/5/16384", e.getMessage());
    }

    @Test
    void insaneHeaderFailsEvenWithAGoodChecksum() throws IOException {
        MdStorage s = store(SEG);
        s.create(REL, ForkNumber.MAIN, false);
        ByteBuffer p = page(0);
        Page.setLower(p, Page.upper(p) + 8);
        s.extend(tag(0), p); // checksummed as it is
        s.setIgnoreChecksumFailure(true);
        PgException e = assertThrows(PgException.class, () -> read(s, 0));
        assertEquals("invalid page in block 0 of relation base/5/16384", e.getMessage());
        assertTrue(log.records.isEmpty(), "no checksum warning: the checksum is right");
        // a page with pd_upper = 0 but non-zero bytes is not a new page
        ByteBuffer q = buffer();
        q.put(4000, (byte) 1);
        s.write(tag(1), q);
        assertThrows(PgException.class, () -> read(s, 1));
    }

    @Test
    void readsAPostgresRelationFile() throws IOException {
        RelFileNode t = new RelFileNode(1663, 5, 16430);
        Path file = dir.resolve("base/5/16430");
        Files.createDirectories(file.getParent());
        Files.write(file, Reference.bytes(Reference.HEAP_PAGE));
        MdStorage s = store(StorageManager.SEGMENT_BLOCKS);
        assertEquals(1, s.nblocks(t, ForkNumber.MAIN));
        ByteBuffer b = buffer();
        s.read(BufferTag.of(t, ForkNumber.MAIN, 0), b);
        assertEquals(Reference.HEAP_PAGE_CHECKSUM, Page.checksum(b));
        assertEquals(13, Page.maxOffset(b));
        // written back by Modgres: the same bytes, the same checksum
        s.write(BufferTag.of(t, ForkNumber.MAIN, 0), b.clear());
        assertArrayEquals(Reference.bytes(Reference.HEAP_PAGE), Files.readAllBytes(file));
        assertTrue(log.records.isEmpty());
    }

    @Test
    void fsyncOnlyTheSegmentsWrittenSinceTheLast() {
        MdStorage s = store(SEG);
        List<String> synced = new CopyOnWriteArrayList<>();
        s.syncObserver = synced::add;
        s.create(REL, ForkNumber.MAIN, false);
        for (int b = 0; b < 10; b++) {
            s.extend(tag(b), page(b));
        }
        s.fsync(REL, ForkNumber.MAIN);
        assertEquals(List.of("base/5/16384", "base/5/16384.1", "base/5/16384.2"), synced);
        synced.clear();
        s.fsync(REL, ForkNumber.MAIN);
        assertEquals(List.of(), synced);
        s.write(tag(5), page(50));
        s.write(tag(6), page(60));
        s.fsync(REL, ForkNumber.MAIN);
        assertEquals(List.of("base/5/16384.1"), synced);
        synced.clear();
        read(s, 9);
        s.fsync(REL, ForkNumber.MAIN);
        assertEquals(List.of(), synced, "reads do not dirty");
        // other forks and unknown relations
        s.fsync(REL, ForkNumber.FSM);
        s.fsync(new RelFileNode(1663, 5, 99999), ForkNumber.MAIN);
        s.write(tag(1), page(1));
        s.unlink(REL, ForkNumber.MAIN);
        s.fsync(REL, ForkNumber.MAIN); // dropped after its last write: not an error
        assertEquals(List.of(), synced);
    }

    @Test
    void truncate() throws IOException {
        MdStorage s = store(SEG);
        List<String> synced = new CopyOnWriteArrayList<>();
        s.syncObserver = synced::add;
        s.create(REL, ForkNumber.MAIN, false);
        for (int b = 0; b < 10; b++) {
            s.extend(tag(b), page(b));
        }
        s.fsync(REL, ForkNumber.MAIN);
        synced.clear();
        s.truncate(REL, ForkNumber.MAIN, 5);
        assertEquals(5, s.nblocks(REL, ForkNumber.MAIN));
        assertEquals(4, fileBlocks("base/5/16384"));
        assertEquals(1, fileBlocks("base/5/16384.1"));
        assertEquals(0, Files.size(dir.resolve("base/5/16384.2")), "emptied, kept");
        assertEquals(5, store(SEG).nblocks(REL, ForkNumber.MAIN));
        assertEquals(4, mark(read(s, 4)));
        assertThrows(PgException.class, () -> read(s, 5));
        s.fsync(REL, ForkNumber.MAIN);
        assertEquals(List.of("base/5/16384.1", "base/5/16384.2"), synced);

        PgException e = assertThrows(PgException.class, () -> s.truncate(REL, ForkNumber.MAIN, 6));
        assertEquals("could not truncate file \"base/5/16384\" to 6 blocks: it's only 5 blocks now", e.getMessage());
        s.setInRecovery(true);
        s.truncate(REL, ForkNumber.MAIN, 6); // ignored in recovery
        s.setInRecovery(false);
        assertEquals(5, s.nblocks(REL, ForkNumber.MAIN));

        // grows again after a truncation, through the emptied segment
        for (int b = 5; b < 12; b++) {
            s.extend(tag(b), page(200 + b));
        }
        assertEquals(12, s.nblocks(REL, ForkNumber.MAIN));
        assertEquals(211, mark(read(s, 11)));
        s.truncate(REL, ForkNumber.MAIN, 0);
        assertEquals(0, s.nblocks(REL, ForkNumber.MAIN));
        assertEquals(0, Files.size(dir.resolve("base/5/16384")));
        assertEquals(0, store(SEG).nblocks(REL, ForkNumber.MAIN));
    }

    @Test
    void unlinkRemovesEverySegment() {
        MdStorage s = store(SEG);
        s.create(REL, ForkNumber.MAIN, false);
        s.create(REL, ForkNumber.FSM, false);
        for (int b = 0; b < 10; b++) {
            s.extend(tag(b), page(b));
        }
        s.truncate(REL, ForkNumber.MAIN, 3); // leaves empty .1 and .2 behind
        s.unlinkRelation(REL);
        assertFalse(s.exists(REL, ForkNumber.MAIN));
        assertFalse(s.exists(REL, ForkNumber.FSM));
        for (String name : List.of("16384", "16384.1", "16384.2", "16384_fsm")) {
            assertFalse(Files.exists(dir.resolve("base/5").resolve(name)), name);
        }
        assertEquals(0, s.nblocks(REL, ForkNumber.MAIN));
        s.unlink(REL, ForkNumber.MAIN); // again: nothing to do
        // the relfilenode can be created anew
        s.create(REL, ForkNumber.MAIN, false);
        s.extend(tag(0), page(77));
        assertEquals(77, mark(read(s, 0)));
        assertTrue(log.records.isEmpty(), log.messages().toString());
    }

    @Test
    void createTwice() {
        MdStorage s = store(SEG);
        s.create(REL, ForkNumber.MAIN, false);
        s.extend(tag(0), page(1));
        PgException e = assertThrows(PgException.class, () -> s.create(REL, ForkNumber.MAIN, false));
        assertEquals("58P02", e.sqlState());
        assertEquals("could not create file \"base/5/16384\": File exists", e.getMessage());
        s.create(REL, ForkNumber.MAIN, true); // redo: fine, contents kept
        assertEquals(1, s.nblocks(REL, ForkNumber.MAIN));
    }

    @Test
    void ioErrorsCarryPostgresMessages() throws IOException {
        MdStorage s = store(SEG);
        s.create(REL, ForkNumber.MAIN, false);
        for (int b = 0; b < 4; b++) {
            s.extend(tag(b), page(b));
        }
        Files.createDirectories(dir.resolve("base/5/16384.1")); // a directory where segment 1 should be
        PgException e = assertThrows(PgException.class, () -> s.extend(tag(4), page(4)));
        assertEquals("42809", e.sqlState(), "EISDIR is wrong_object_type");
        assertEquals("could not open file \"base/5/16384.1\" (target block 4): Is a directory", e.getMessage());
        assertEquals(4, s.nblocks(REL, ForkNumber.MAIN));
        Files.delete(dir.resolve("base/5/16384.1"));

        Path full = Path.of("/dev/full");
        if (Files.isWritable(full)) {
            // every write to /dev/full fails with ENOSPC
            Files.createSymbolicLink(dir.resolve("base/5/16384.1"), full);
            e = assertThrows(PgException.class, () -> s.extend(tag(4), page(4)));
            assertEquals("53100", e.sqlState());
            assertEquals("could not extend file \"base/5/16384.1\": No space left on device", e.getMessage());
            assertEquals("Check free disk space.", e.hint());
            e = assertThrows(PgException.class, () -> s.write(tag(6), page(6)));
            assertEquals("53100", e.sqlState());
            assertEquals("could not write block 6 in file \"base/5/16384.1\": No space left on device",
                    e.getMessage());
            assertEquals(4, s.nblocks(REL, ForkNumber.MAIN));
            Files.delete(dir.resolve("base/5/16384.1"));
        }
    }

    @Test
    void errnoMapping() {
        assertEquals("58030", IoErrors.sqlState(new IOException("Input/output error")));
        assertEquals("Input/output error", IoErrors.strerror(new IOException("Input/output error")));
        assertEquals("58P01", IoErrors.sqlState(new java.nio.file.NoSuchFileException("x")));
        assertEquals("42501", IoErrors.sqlState(new java.nio.file.AccessDeniedException("x")));
        assertEquals("Permission denied", IoErrors.strerror(new java.nio.file.AccessDeniedException("x")));
        assertEquals("53000", IoErrors.sqlState(new IOException("Too many open files")));
        PgException e = IoErrors.error("could not write block 7 in file \"base/5/16384\"",
                new IOException("Input/output error"));
        assertEquals("58030", e.sqlState());
        assertEquals("could not write block 7 in file \"base/5/16384\": Input/output error", e.getMessage());
    }

    @Test
    void openFilesAreBounded() {
        MdStorage s = new MdStorage(dir, SEG, 3, true, log.log());
        List<RelFileNode> rels = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            RelFileNode rel = new RelFileNode(1663, 5, 20000 + r);
            rels.add(rel);
            s.create(rel, ForkNumber.MAIN, false);
            s.extend(BufferTag.of(rel, ForkNumber.MAIN, 0), page(r));
            assertTrue(s.openFiles() <= 3, "open " + s.openFiles());
        }
        for (int round = 0; round < 3; round++) {
            for (int r = 0; r < 10; r++) {
                ByteBuffer b = buffer();
                s.read(BufferTag.of(rels.get(r), ForkNumber.MAIN, 0), b);
                assertEquals(r, mark(b.clear()));
                assertTrue(s.openFiles() <= 3);
            }
        }
        for (RelFileNode rel : rels) {
            s.fsync(rel, ForkNumber.MAIN); // reopens closed files to sync them
        }
        s.close();
        assertEquals(0, s.openFiles());
    }

    @Test
    void concurrentIoWithFewFileHandles() throws Exception {
        MdStorage s = new MdStorage(dir, SEG, 2, true, log.log());
        int rels = 5;
        int blocks = 12;
        for (int r = 0; r < rels; r++) {
            RelFileNode rel = new RelFileNode(1663, 5, 30000 + r);
            s.create(rel, ForkNumber.MAIN, false);
            for (int b = 0; b < blocks; b++) {
                s.extend(BufferTag.of(rel, ForkNumber.MAIN, b), page(r * 1000 + b));
            }
        }
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int th = 0; th < threads; th++) {
                int id = th;
                futures.add(pool.submit(() -> {
                    // Each thread owns the blocks (r, blk) with (r * blocks + blk) % threads == id,
                    // as the buffer pool never does two I/Os on one block at once; the files are shared.
                    ByteBuffer b = buffer();
                    int[] version = new int[rels * blocks];
                    for (int i = 0; i < 300; i++) {
                        int k = (i * threads + id) % (rels * blocks);
                        int r = k / blocks;
                        int blk = k % blocks;
                        RelFileNode rel = new RelFileNode(1663, 5, 30000 + r);
                        BufferTag t = BufferTag.of(rel, ForkNumber.MAIN, blk);
                        b.clear();
                        s.read(t, b);
                        int expected = r * 1000 + blk + 100000 * version[k];
                        int m = mark(b.clear());
                        if (m != expected) {
                            throw new AssertionError("block " + t + " holds " + m + ", expected " + expected);
                        }
                        version[k]++;
                        s.write(t, page(r * 1000 + blk + 100000 * version[k]));
                        if (i % 40 == 0) {
                            s.fsync(rel, ForkNumber.MAIN);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(s.openFiles() <= 2 + threads);
        assertTrue(log.records.isEmpty(), log.messages().toString());
    }
}
