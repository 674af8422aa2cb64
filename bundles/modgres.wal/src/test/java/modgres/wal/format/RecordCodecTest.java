package modgres.wal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.Test;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.wal.BlockReference;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;

/** Records to bytes and back: {@link RecordAssembly} and {@link RecordDecoder}. */
class RecordCodecTest {
    static final RelFileNode REL = new RelFileNode(1663, 5, 16384);
    static final RelFileNode OTHER = new RelFileNode(1663, 5, 16390);
    static final long LSN = 0x1000028L;
    static final long PREV = 0x1000000L - 64;

    /** A page with the standard layout: header, line pointers up to lower, tuples from upper, zeros between. */
    static ByteBuffer standardPage(long pageLsn, int lower, int upper, int seed) {
        ByteBuffer p = ByteBuffer.allocateDirect(BufferPool.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        Random r = new Random(seed);
        for (int i = 24; i < lower; i++) {
            p.put(i, (byte) r.nextInt());
        }
        for (int i = upper; i < BufferPool.BLOCK_SIZE; i++) {
            p.put(i, (byte) r.nextInt());
        }
        BufferPool.setPageLsn(p, pageLsn);
        p.putShort(12, (short) lower);
        p.putShort(14, (short) upper);
        return p;
    }

    static byte[] bytes(ByteBuffer page) {
        byte[] a = new byte[BufferPool.BLOCK_SIZE];
        page.get(0, a);
        return a;
    }

    static WalRecord roundTrip(WalRecord rec, long redo, boolean fpw) throws InvalidRecordException {
        byte[] b = RecordAssembly.encode(rec, PREV, redo, fpw);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        RecordDecoder.checkHeader(h, LSN, PREV);
        RecordDecoder.checkCrc(b, LSN);
        return RecordDecoder.decode(b, LSN, LSN + WalFormat.align(b.length));
    }

    @Test
    void mainDataOnly() throws Exception {
        byte[] main = "commit 735".getBytes();
        WalRecord d = roundTrip(WalRecord.of(ResourceManager.XACT, (byte) 0x00, 735, main), 0, true);
        assertEquals(ResourceManager.XACT, d.rmgr());
        assertEquals(0, d.info());
        assertEquals(735, d.xid());
        assertEquals(PREV, d.prev());
        assertEquals(LSN, d.lsn());
        assertArrayEquals(main, d.mainData());
        assertEquals(0, d.blockCount());
        assertEquals(WalRecord.HEADER_SIZE + 2 + main.length, d.totalLength());
    }

    @Test
    void longMainDataUsesTheLongHeader() throws Exception {
        byte[] main = new byte[70_000];
        new Random(1).nextBytes(main);
        WalRecord d = roundTrip(WalRecord.of(ResourceManager.HEAP, (byte) 0x30, 9, main), 0, true);
        assertArrayEquals(main, d.mainData());
        assertEquals(WalRecord.HEADER_SIZE + 5 + main.length, d.totalLength());
    }

    @Test
    void blocksWithoutImages() throws Exception {
        ByteBuffer page = standardPage(5000, 40, 8000, 1);
        byte[] data0 = {1, 2, 3};
        byte[] data2 = new byte[300];
        WalRecord rec = WalRecord.builder(ResourceManager.HEAP, (byte) 0x00).xid(42)
                .block(REL, ForkNumber.MAIN, 7, page, BlockReference.STANDARD, data0)
                .block(REL, ForkNumber.VM, 0, null, BlockReference.WILL_INIT)
                .block(OTHER, ForkNumber.MAIN, 3, null, BlockReference.NO_IMAGE, data2)
                .mainData(new byte[] {9, 9}).build();
        WalRecord d = roundTrip(rec, 4000, true); // page LSN 5000 > redo 4000: no image
        assertEquals(3, d.blockCount());
        BlockReference b0 = d.block(0);
        assertEquals(REL, b0.rel());
        assertEquals(ForkNumber.MAIN, b0.fork());
        assertEquals(7, b0.block());
        assertFalse(b0.hasImage());
        assertArrayEquals(data0, b0.data());
        assertEquals(ForkNumber.VM, d.block(1).fork());
        assertTrue(d.block(1).willInit());
        assertNull(d.block(1).data());
        assertEquals(OTHER, d.block(2).rel());
        assertArrayEquals(data2, d.block(2).data());
        assertArrayEquals(new byte[] {9, 9}, d.mainData());
    }

    @Test
    void fullPageImageWithHole() throws Exception {
        ByteBuffer page = standardPage(3000, 64, 6000, 2);
        byte[] data = {7};
        WalRecord rec = WalRecord.builder(ResourceManager.HEAP, (byte) 0x00)
                .block(REL, ForkNumber.MAIN, 1, page, BlockReference.STANDARD, data).build();
        byte[] encoded = RecordAssembly.encode(rec, PREV, 4000, true);
        // the hole (6000 - 64 bytes) is left out, and the block data is dropped in favour of the image
        assertTrue(encoded.length < BufferPool.BLOCK_SIZE - (6000 - 64) + 100, "length " + encoded.length);
        WalRecord d = roundTrip(rec, 4000, true);
        BlockReference b = d.block(0);
        assertTrue(b.hasImage());
        assertArrayEquals(bytes(page), b.image());
        assertNull(b.data());
    }

    @Test
    void fullPageImageOfANonStandardPageAndKeepData() throws Exception {
        ByteBuffer page = standardPage(100, 64, 6000, 3);
        page.put(1000, (byte) 0x55); // something in the "hole": kept, since the page is not declared standard
        byte[] data = {1, 2};
        WalRecord rec = WalRecord.builder(ResourceManager.BTREE, (byte) 0x10)
                .block(REL, ForkNumber.FSM, 2, page, BlockReference.FORCE_IMAGE | BlockReference.KEEP_DATA, data)
                .block(REL, ForkNumber.MAIN, 3, page, BlockReference.STANDARD).build();
        WalRecord d = roundTrip(rec, 0, true); // LSN 100 > redo 0: only the forced image
        assertArrayEquals(bytes(page), d.block(0).image());
        assertArrayEquals(data, d.block(0).data());
        assertFalse(d.block(1).hasImage());
        assertEquals(ForkNumber.FSM, d.block(0).fork());
    }

    @Test
    void fullPageWritesOffTakesNoAutomaticImage() throws Exception {
        ByteBuffer page = standardPage(10, 64, 6000, 4);
        WalRecord rec = WalRecord.builder(ResourceManager.HEAP, (byte) 0)
                .block(REL, ForkNumber.MAIN, 1, page, BlockReference.STANDARD).build();
        assertFalse(roundTrip(rec, 4000, false).block(0).hasImage());
        assertTrue(roundTrip(rec, 4000, true).block(0).hasImage());
    }

    @Test
    void fpwLsnIsTheLowestLsnOfBlocksLeftWithoutImage() {
        RecordAssembly a = new RecordAssembly();
        WalRecord rec = WalRecord.builder(ResourceManager.HEAP, (byte) 0)
                .block(REL, ForkNumber.MAIN, 1, standardPage(9000, 64, 6000, 5), BlockReference.STANDARD)
                .block(REL, ForkNumber.MAIN, 2, standardPage(7000, 64, 6000, 6), BlockReference.STANDARD)
                .block(REL, ForkNumber.MAIN, 3, standardPage(100, 64, 6000, 6), BlockReference.STANDARD).build();
        a.assemble(rec, 5000, true);
        assertEquals(7000, a.fpwLsn());
        assertEquals(1, a.images());
    }

    @Test
    void everyFlippedBitIsRejected() throws Exception {
        ByteBuffer page = standardPage(3000, 64, 7000, 7);
        WalRecord rec = WalRecord.builder(ResourceManager.HEAP, (byte) 0x20).xid(77)
                .block(REL, ForkNumber.MAIN, 1, page, BlockReference.STANDARD, new byte[] {1, 2, 3})
                .mainData(new byte[] {4, 5, 6}).build();
        byte[] good = RecordAssembly.encode(rec, PREV, 4000, true);
        RecordDecoder.checkCrc(good, LSN);
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(InvalidRecordException.class, () -> {
                RecordDecoder.checkHeader(ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN), LSN, PREV);
                RecordDecoder.checkCrc(bad, LSN);
            }, "bit " + bit);
        }
    }

    @Test
    void crcMismatchMessage() {
        byte[] good = RecordAssembly.encode(WalRecord.of(ResourceManager.XLOG, (byte) 0x20, 0, new byte[] {1}),
                PREV, 0, true);
        good[good.length - 1] ^= 1;
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> RecordDecoder.checkCrc(good, LSN));
        assertEquals("incorrect resource manager data checksum in record at 0/1000028", e.getMessage());
    }

    @Test
    void headerChecks() {
        byte[] b = RecordAssembly.encode(WalRecord.of((byte) 50, (byte) 0, 0, null), PREV, 0, true);
        InvalidRecordException e = assertThrows(InvalidRecordException.class,
                () -> RecordDecoder.checkHeader(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN), LSN, PREV));
        assertEquals("invalid resource manager ID 50 at 0/1000028", e.getMessage());
        byte[] c = RecordAssembly.encode(WalRecord.of(ResourceManager.HEAP, (byte) 0, 0, null), PREV + 8, 0, true);
        e = assertThrows(InvalidRecordException.class,
                () -> RecordDecoder.checkHeader(ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN), LSN, PREV));
        assertTrue(e.getMessage().startsWith("record with incorrect prev-link"));
    }
}
