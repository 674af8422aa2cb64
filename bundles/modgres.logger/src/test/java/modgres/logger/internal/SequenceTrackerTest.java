package modgres.logger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceTrackerTest {

    @Test
    void eachSequenceOnce() {
        SequenceTracker t = new SequenceTracker();
        assertTrue(t.firstTime(5, 100));
        assertTrue(t.firstTime(4, 100)); // out of order: still new
        assertFalse(t.firstTime(5, 100));
        assertFalse(t.firstTime(4, 100));
        assertEquals(5, t.highest());
        assertEquals(100, t.highestTime());
    }

    @Test
    void olderThanTheWindowCountsAsWritten() {
        SequenceTracker t = new SequenceTracker();
        for (long s = 10; s < 10 + SequenceTracker.WINDOW + 5; s++) {
            assertTrue(t.firstTime(s, s));
        }
        assertFalse(t.firstTime(3, 3));
        assertFalse(t.firstTime(14, 14));
    }

    @Test
    void watermarkOfAPreviousLogger() {
        SequenceTracker t = new SequenceTracker(100, 5000);
        assertFalse(t.firstTime(99, 4999));
        assertFalse(t.firstTime(100, 5000));
        assertTrue(t.firstTime(101, 5001));
        // a restarted Log Service numbers from 0 again, but later
        assertTrue(t.firstTime(3, 6000));
        assertEquals(101, t.highest());
    }

    @Test
    void watermarkFile(@TempDir Path dir) {
        Path f = dir.resolve("watermark");
        assertEquals(-1, Watermark.read(f)[0]);
        Watermark.write(f, 42, 1234);
        assertEquals(42, Watermark.read(f)[0]);
        assertEquals(1234, Watermark.read(f)[1]);
        Watermark.write(f, -1, 0); // nothing written: file kept
        assertEquals(42, Watermark.read(f)[0]);
        assertEquals(-1, Watermark.read(null)[0]);
    }
}
