package modgres.wal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import modgres.api.wal.Lsn;
import modgres.api.wal.ResourceManager;

/** The API helpers {@link Lsn} and {@link ResourceManager}. */
class LsnTest {
    static final long SEG16 = 16L * 1024 * 1024;

    @Test
    void formatsAndParsesAsPostgres() {
        assertEquals("0/16B3748", Lsn.format(0x16B3748L));
        assertEquals("1/0", Lsn.format(1L << 32));
        assertEquals("FFFFFFFF/FFFFFFFF", Lsn.format(-1L));
        assertEquals(0x16B3748L, Lsn.parse("0/16B3748"));
        assertEquals(0x2_0000_00ABL, Lsn.parse("2/ab"));
        for (String bad : new String[] {"", "/1", "1/", "0/G", "123456789/0", "0/123456789", "0-1"}) {
            assertThrows(IllegalArgumentException.class, () -> Lsn.parse(bad), bad);
        }
    }

    @Test
    void segmentFileNames() {
        assertEquals("000000010000000000000001", Lsn.segmentFileName(1, 1, SEG16));
        assertEquals("000000010000000100000000", Lsn.segmentFileName(1, 256, SEG16));
        assertEquals("0000000A00000002000000FF", Lsn.segmentFileName(10, 2 * 256 + 255, SEG16));
        assertEquals(1, Lsn.segmentNumber(0x16B3748L, SEG16));
        assertEquals(0x6B3748L, Lsn.segmentOffset(0x16B3748L, SEG16));
        assertEquals(2 * 256 + 255, Lsn.parseSegmentFileName("0000000A00000002000000FF", SEG16));
        assertEquals(10, Lsn.timelineOfSegmentFileName("0000000A00000002000000FF"));
        assertEquals(-1, Lsn.parseSegmentFileName("000000010000000000000100", SEG16)); // seg part too big
        assertFalse(Lsn.isSegmentFileName("00000001000000000000000a"));
        assertTrue(Lsn.isSegmentFileName("000000010000000000000001"));
        // 1 MiB segments: 4096 per log id
        assertEquals("000000010000000100000000", Lsn.segmentFileName(1, 4096, 1024 * 1024));
    }

    @Test
    void resourceManagersAreNumberedAsPostgres15() {
        assertEquals(10, ResourceManager.HEAP);
        assertEquals(11, ResourceManager.BTREE);
        assertEquals("Heap2", ResourceManager.name(ResourceManager.HEAP2));
        assertEquals("Transaction", ResourceManager.name(ResourceManager.XACT));
        assertEquals("LogicalMessage", ResourceManager.name(ResourceManager.LOGICALMSG));
        assertFalse(ResourceManager.isValid((byte) 22));
        assertTrue(ResourceManager.isValid((byte) 128));
    }
}
