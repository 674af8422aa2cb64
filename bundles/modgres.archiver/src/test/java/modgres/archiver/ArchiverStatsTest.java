package modgres.archiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.archive.ArchiveException;
import modgres.api.archive.ArchiveModule;
import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsCollector;
import modgres.api.stats.StatsEvent;

/** pg_stat_archiver through the stats slot: events flushed after each round, kept pending when nobody takes them. */
class ArchiverStatsTest {
    @TempDir
    Path data;

    final List<String> logs = new ArrayList<>();
    final ArchiveLoop.Report report = new ArchiveLoop.Report() {
        @Override
        public void log(String message, String detail) {
            logs.add("LOG: " + message + (detail == null ? "" : " DETAIL: " + detail));
        }

        @Override
        public void warning(String message, String detail) {
            logs.add("WARNING: " + message);
        }

        @Override
        public void debug(String message) {
        }
    };

    /** A collector that keeps what it accepted, or refuses while {@code refuse} is set. */
    static class Collector implements StatsCollector {
        final List<StatsEvent> events = new ArrayList<>();
        final AtomicBoolean refuse = new AtomicBoolean();

        @Override
        public String name() {
            return "test";
        }

        @Override
        public boolean flush(PendingStats stats) {
            if (refuse.get()) {
                return false;
            }
            events.addAll(stats.events());
            return true;
        }

        @Override
        public boolean sync(long timeoutMillis) {
            return true;
        }
    }

    static String seg(int i) {
        return String.format("0000000100000000%08X", i);
    }

    private void segments(int from, int to) throws Exception {
        Files.createDirectories(data.resolve("pg_wal/archive_status"));
        for (int i = from; i <= to; i++) {
            Files.write(data.resolve("pg_wal").resolve(seg(i)), new byte[16]);
            Files.createFile(data.resolve("pg_wal/archive_status").resolve(seg(i) + ".ready"));
        }
    }

    /** Fails for segment 3 until {@code fixed}. */
    static ArchiveModule failingOn3(AtomicBoolean fixed) {
        return new ArchiveModule() {
            @Override
            public boolean configured() {
                return true;
            }

            @Override
            public String notConfigured() {
                return "";
            }

            @Override
            public void archive(Path dataDir, String segment) throws ArchiveException {
                if (segment.equals(seg(3)) && !fixed.get()) {
                    throw new ArchiveException("archive command failed with exit code 1",
                            "The failed archive command was: false");
                }
            }
        };
    }

    @Test
    void eventsReachTheCollectorAfterEachRoundAndWaitWhileThereIsNone() throws Exception {
        segments(1, 4);
        AtomicBoolean fixed = new AtomicBoolean();
        AtomicReference<StatsCollector> slot = new AtomicReference<>();
        long before = System.currentTimeMillis() * 1000;
        ArchiveLoop loop = new ArchiveLoop(data, () -> "on", () -> failingOn3(fixed), report, 0).withStats(slot::get);

        // No collector: 1 and 2 archived, 3 fails three times; everything stays pending.
        assertEquals(2, loop.round());
        assertEquals(5, loop.pendingStats().events().size());
        assertEquals(3, logs.stream().filter(l -> l.equals("LOG: archive command failed with exit code 1 DETAIL: "
                + "The failed archive command was: false")).count(), logs.toString());
        assertTrue(logs.contains("WARNING: archiving write-ahead log file \"" + seg(3)
                + "\" failed too many times, will try again later"), logs.toString());

        // A collector that refuses (stopping): still pending, merged back.
        Collector c = new Collector();
        c.refuse.set(true);
        slot.set(c);
        fixed.set(true);
        assertEquals(2, loop.round());
        assertTrue(c.events.isEmpty());
        assertEquals(7, loop.pendingStats().events().size());

        // One that takes them: all seven, in order, with their times.
        c.refuse.set(false);
        segments(5, 5);
        assertEquals(1, loop.round());
        assertTrue(loop.pendingStats().isEmpty());
        List<String> got = new ArrayList<>();
        for (StatsEvent e : c.events) {
            if (e instanceof StatsEvent.Archived a) {
                got.add("archived " + a.segment());
                assertTrue(a.atMicros() >= before && a.atMicros() <= System.currentTimeMillis() * 1000 + 1000);
            } else if (e instanceof StatsEvent.ArchiveFailed f) {
                got.add("failed " + f.segment());
                assertTrue(f.atMicros() >= before);
            }
        }
        assertEquals(List.of("archived " + seg(1), "archived " + seg(2), "failed " + seg(3), "failed " + seg(3),
                "failed " + seg(3), "archived " + seg(3), "archived " + seg(4), "archived " + seg(5)), got);
        assertEquals(5, loop.archivedCount(), "the loop's own counters stay");
        assertEquals(3, loop.failedCount());
    }

    @Test
    void aCollectorThatThrowsLosesNothing() throws Exception {
        segments(1, 2);
        StatsCollector broken = new Collector() {
            @Override
            public boolean flush(PendingStats stats) {
                throw new IllegalStateException("going away");
            }
        };
        AtomicReference<StatsCollector> slot = new AtomicReference<>(broken);
        ArchiveLoop loop = new ArchiveLoop(data, () -> "on", () -> ArchiveLoopTest.recording(new ArrayList<>()),
                report, 0).withStats(slot::get);
        assertEquals(2, loop.round());
        assertEquals(2, loop.pendingStats().events().size());
        Collector good = new Collector();
        slot.set(good);
        loop.flushStats();
        assertEquals(2, good.events.size());
    }
}
