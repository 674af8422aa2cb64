package modgres.archiver.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import modgres.archiver.ArchiveLoop;

class CopyArchiverTest {
    @TempDir
    Path data;
    @TempDir
    Path archive;

    final List<String> logs = new ArrayList<>();
    final ArchiveLoop.Report report = new ArchiveLoop.Report() {
        @Override
        public void log(String message, String detail) {
            logs.add("LOG: " + message + (detail == null ? "" : " DETAIL: " + detail));
        }

        @Override
        public void warning(String message, String detail) {
            logs.add("WARNING: " + message + (detail == null ? "" : " DETAIL: " + detail));
        }

        @Override
        public void debug(String message) {
            logs.add("DEBUG1: " + message);
        }
    };

    static String seg(int i) {
        return String.format("%08X%08X%08X", 1, 0, i);
    }

    static void makeSegments(Path data, int from, int to) throws IOException {
        Path status = Files.createDirectories(data.resolve("pg_wal/archive_status"));
        Random r = new Random(from);
        for (int i = to; i >= from; i--) {
            byte[] b = new byte[4096 + i];
            r.nextBytes(b);
            Files.write(data.resolve("pg_wal").resolve(seg(i)), b);
            Files.createFile(status.resolve(seg(i) + ".ready"));
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        makeSegments(data, 1, 3);
    }

    ArchiveLoop loop(String mode, String dir) {
        CopyArchiver a = new CopyArchiver(() -> dir, w -> report.warning(w, null), 7);
        return new ArchiveLoop(data, () -> mode, () -> a, report, 0);
    }

    Path status(String name) {
        return data.resolve("pg_wal/archive_status").resolve(name);
    }

    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void copiesInOrderDurablyAndWritesDone() throws IOException {
        ArchiveLoop l = loop("on", archive.toString());
        assertEquals(3, l.round());
        assertEquals(List.of("DEBUG1: archived write-ahead log file \"" + seg(1) + "\"",
                "DEBUG1: archived write-ahead log file \"" + seg(2) + "\"",
                "DEBUG1: archived write-ahead log file \"" + seg(3) + "\""), logs);
        assertEquals(List.of(seg(1), seg(2), seg(3)), list(archive), "no archtemp.* left");
        for (int i = 1; i <= 3; i++) {
            assertArrayEquals(Files.readAllBytes(data.resolve("pg_wal").resolve(seg(i))),
                    Files.readAllBytes(archive.resolve(seg(i))));
            assertTrue(Files.exists(status(seg(i) + ".done")));
            assertFalse(Files.exists(status(seg(i) + ".ready")));
        }
    }

    @Test
    void relativeDirectoryIsUnderTheDataDirectory() throws IOException {
        Files.createDirectory(data.resolve("arch"));
        assertEquals(3, loop("always", "arch").round());
        assertEquals(List.of(seg(1), seg(2), seg(3)), list(data.resolve("arch")));
    }

    @Test
    void failureKeepsReadyAndLogs() {
        ArchiveLoop l = loop("on", archive.resolve("missing").toString());
        assertEquals(0, l.round());
        assertEquals(ArchiveLoop.NUM_ARCHIVE_RETRIES, logs.stream().filter(s -> s.startsWith("LOG: could not create file \"" + archive.resolve("missing"))).count(),
                logs.toString());
        assertTrue(logs.contains("WARNING: archiving write-ahead log file \"" + seg(1)
                + "\" failed too many times, will try again later"), logs.toString());
        for (int i = 1; i <= 3; i++) {
            assertTrue(Files.exists(status(seg(i) + ".ready")));
        }
    }

    @Test
    void idempotentReArchiveAfterCrashAndDifferentTargetFails() throws IOException {
        assertEquals(3, loop("on", archive.toString()).round());
        Files.move(status(seg(2) + ".done"), status(seg(2) + ".ready")); // crash between copy and rename
        logs.clear();
        assertEquals(1, loop("on", archive.toString()).round());
        assertEquals("WARNING: archive file \"" + archive.resolve(seg(2)) + "\" already exists with identical contents",
                logs.get(0));
        assertTrue(Files.exists(status(seg(2) + ".done")));

        Files.move(status(seg(3) + ".done"), status(seg(3) + ".ready"));
        Files.write(archive.resolve(seg(3)), new byte[] {1, 2, 3});
        logs.clear();
        assertEquals(0, loop("on", archive.toString()).round());
        assertEquals("LOG: archive file \"" + archive.resolve(seg(3)) + "\" already exists", logs.get(0));
        assertTrue(Files.exists(status(seg(3) + ".ready")));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(archive.resolve(seg(3))), "never overwritten");
    }

    @Test
    void idlesWhenOffAndWarnsOnceWhenDirectoryNotSet() {
        assertEquals(0, loop("off", archive.toString()).round());
        ArchiveLoop l = loop("on", null);
        assertEquals(0, l.round());
        assertEquals(0, l.round());
        assertEquals(List.of("WARNING: archive_mode enabled, yet archiving is not configured DETAIL: "
                + "archive_library \"basic_archive\": basic_archive.archive_directory is not set."), logs);
        assertTrue(Files.exists(status(seg(1) + ".ready")));
    }
}
