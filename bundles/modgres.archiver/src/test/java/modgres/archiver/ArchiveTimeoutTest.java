package modgres.archiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.wal.WalState;

/** archive_timeout as PostgreSQL's CheckArchiveTimeout, on a fake clock and with a real short timeout. */
class ArchiveTimeoutTest {
    @TempDir
    Path data;

    final List<String> logs = Collections.synchronizedList(new ArrayList<>());
    final ArchiveLoop.Report report = new ArchiveLoop.Report() {
        @Override
        public void log(String message, String detail) {
            logs.add("LOG: " + message);
        }

        @Override
        public void warning(String message, String detail) {
            logs.add("WARNING: " + message);
        }

        @Override
        public void debug(String message) {
            logs.add("DEBUG1: " + message);
        }
    };

    static final String SEG1 = "000000010000000000000001";
    static final String SEG2 = "000000010000000000000002";
    static final String SEG3 = "000000010000000000000003";

    boolean ready(String segment) {
        return Files.exists(data.resolve("pg_wal/archive_status").resolve(segment + ".ready"));
    }

    @Test
    void switchesOnlyAfterTheTimeoutAndOnlyWhenWalWasWritten() {
        FakeWal wal = new FakeWal(data);
        AtomicLong clock = new AtomicLong(1_000_000);
        AtomicInteger timeout = new AtomicInteger(10);
        ArchiveTimeout t = new ArchiveTimeout(() -> wal, timeout::get, clock::get, report);

        assertFalse(t.check(), "the clock starts");
        wal.write(100);
        clock.addAndGet(9_999);
        assertFalse(t.check(), "not yet");
        clock.addAndGet(1);
        assertTrue(t.check(), "10 s since the start and WAL written");
        assertTrue(ready(SEG1));
        assertEquals(List.of("DEBUG1: write-ahead log switch forced (archive_timeout=10)"), logs);

        clock.addAndGet(30_000);
        assertFalse(t.check(), "idle: nothing written since the switch");
        assertEquals(1, wal.switches);

        // A segment filled up (a switch of its own) restarts the clock.
        clock.addAndGet(5_000);
        wal.write(FakeWal.SEGMENT + 100);
        assertTrue(ready(SEG2));
        clock.addAndGet(1_000);
        assertFalse(t.check(), "the segment switched 1 s ago");
        clock.addAndGet(9_000);
        assertFalse(t.check());
        clock.addAndGet(1_000);
        assertTrue(t.check());
        assertTrue(ready(SEG3));
        assertEquals(2, t.forcedSwitches());
    }

    @Test
    void offWhenZeroAndDuringRecovery() {
        FakeWal wal = new FakeWal(data);
        AtomicLong clock = new AtomicLong(0);
        AtomicInteger timeout = new AtomicInteger(0);
        ArchiveTimeout t = new ArchiveTimeout(() -> wal, timeout::get, clock::get, report);
        wal.write(100);
        clock.addAndGet(3_600_000);
        assertFalse(t.check(), "archive_timeout = 0 is off");
        timeout.set(60);
        wal.state = WalState.READING;
        clock.addAndGet(3_600_000);
        assertFalse(t.check(), "nothing during recovery");
        wal.state = WalState.INSERTING;
        assertFalse(t.check(), "the clock starts when the WAL does");
        clock.addAndGet(60_000);
        assertTrue(t.check());
        assertFalse(new ArchiveTimeout(() -> null, () -> 1, clock::get, report).check(), "no WAL bundle");
    }

    @Test
    void theArchiverThreadArchivesTheForcedSegmentWithinTheTimeout() throws Exception {
        FakeWal wal = new FakeWal(data);
        List<String> archived = Collections.synchronizedList(new ArrayList<>());
        ArchiveLoop loop = new ArchiveLoop(data, () -> "on", () -> ArchiveLoopTest.recording(archived), report, 0)
                .withTimeout(new ArchiveTimeout(() -> wal, () -> 1, System::currentTimeMillis, report));
        Thread th = new Thread(loop, "archiver");
        th.start();
        try {
            wal.write(1000); // a little WAL, then nothing: only archive_timeout completes the segment
            long deadline = System.currentTimeMillis() + 10_000;
            while (archived.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of(SEG1), archived, logs.toString());
            assertTrue(Files.exists(data.resolve("pg_wal/archive_status").resolve(SEG1 + ".done")));
            Thread.sleep(2_500);
            assertEquals(1, wal.switches, "idle afterwards: no more switches");
        } finally {
            loop.stop();
            th.join(5_000);
        }
        assertFalse(th.isAlive());
    }
}
