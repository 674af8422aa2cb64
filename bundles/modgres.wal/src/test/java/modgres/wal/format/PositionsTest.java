package modgres.wal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PositionsTest {
    static final long SEG = 1024 * 1024;
    final Positions p = new Positions(SEG);

    @Test
    void firstBytesOfASegmentFollowTheLongHeader() {
        assertEquals(SEG + 40, p.toLsn(p.usablePerSegment()));
        assertEquals(SEG, p.toEndLsn(p.usablePerSegment()));
        assertEquals(p.usablePerSegment(), p.toPos(SEG));
        assertEquals(p.usablePerSegment(), p.toPos(SEG + 40));
        assertEquals(p.usablePerSegment() + 8, p.toPos(SEG + 48));
    }

    @Test
    void pageBoundariesSkipTheShortHeader() {
        long pos = 8192 - 40; // first byte of page 1 of segment 0
        assertEquals(8192 + 24, p.toLsn(pos));
        assertEquals(8192, p.toEndLsn(pos));
        assertEquals(pos, p.toPos(8192));
        assertEquals(pos - 1, p.toPos(8191));
        assertEquals(8191, p.toLsn(pos - 1));
    }

    @Test
    void roundTripsEveryFewBytes() {
        for (long pos = 0; pos < 3 * p.usablePerSegment(); pos += 997) {
            long lsn = p.toLsn(pos);
            assertEquals(pos, p.toPos(lsn), "pos " + pos);
            long end = p.toEndLsn(pos);
            assertEquals(pos, p.toPos(end), "end pos " + pos);
        }
    }

    @Test
    void usableBytesPerSegment() {
        assertEquals(128 * (8192 - 24) - 16, p.usablePerSegment());
    }
}
