package modgres.archiver.gzip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.archiver.ArchiveLoop;

class GzipArchiverTest {
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

    /** Segments that look like WAL: some random records, then zeros (compressible). */
    static void makeSegments(Path data, int from, int to) throws IOException {
        Path status = Files.createDirectories(data.resolve("pg_wal/archive_status"));
        Random r = new Random(from);
        for (int i = to; i >= from; i--) {
            byte[] b = new byte[256 * 1024];
            byte[] records = new byte[8192 + i * 100];
            r.nextBytes(records);
            System.arraycopy(records, 0, b, 0, records.length);
            for (int k = records.length; k < 64 * 1024; k++) {
                b[k] = (byte) (k % 7); // something a higher level compresses better
            }
            Files.write(data.resolve("pg_wal").resolve(seg(i)), b);
            Files.createFile(status.resolve(seg(i) + ".ready"));
        }
    }

    static byte[] gunzip(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        makeSegments(data, 1, 3);
    }

    ArchiveLoop loop(String mode, String dir, String level) {
        GzipArchiver a = new GzipArchiver(() -> dir, () -> level, w -> report.warning(w, null), 7);
        return new ArchiveLoop(data, () -> mode, () -> a, report, 0);
    }

    Path status(String name) {
        return data.resolve("pg_wal/archive_status").resolve(name);
    }

    @Test
    void compressesInOrderDurablyAndWritesDone() throws IOException {
        ArchiveLoop l = loop("on", archive.toString(), null);
        assertEquals(3, l.round());
        assertEquals(List.of("DEBUG1: archived write-ahead log file \"" + seg(1) + "\"",
                "DEBUG1: archived write-ahead log file \"" + seg(2) + "\"",
                "DEBUG1: archived write-ahead log file \"" + seg(3) + "\""), logs);
        assertEquals(List.of(seg(1) + ".gz", seg(2) + ".gz", seg(3) + ".gz"), list(archive), "no archtemp.* left");
        for (int i = 1; i <= 3; i++) {
            byte[] wal = Files.readAllBytes(data.resolve("pg_wal").resolve(seg(i)));
            assertArrayEquals(wal, gunzip(archive.resolve(seg(i) + ".gz")));
            assertTrue(Files.size(archive.resolve(seg(i) + ".gz")) < wal.length / 4, "compressed");
            assertTrue(Files.exists(status(seg(i) + ".done")));
            assertFalse(Files.exists(status(seg(i) + ".ready")));
        }
    }

    @Test
    void theCompressionLevelIsHonoured() throws Exception {
        Path fast = Files.createDirectory(archive.resolve("fast"));
        Path best = Files.createDirectory(archive.resolve("best"));
        GzipArchiver one = new GzipArchiver(fast::toString, () -> "1", w -> { }, 1);
        GzipArchiver nine = new GzipArchiver(best::toString, () -> " 9 ", w -> { }, 1);
        one.archive(data, seg(1));
        nine.archive(data, seg(1));
        assertTrue(Files.size(best.resolve(seg(1) + ".gz")) < Files.size(fast.resolve(seg(1) + ".gz")));
        assertArrayEquals(gunzip(fast.resolve(seg(1) + ".gz")), gunzip(best.resolve(seg(1) + ".gz")));
    }

    @Test
    void aBadLevelIsReportedOnceAsNotConfigured() {
        ArchiveLoop l = loop("on", archive.toString(), "11");
        assertEquals(0, l.round());
        assertEquals(0, l.round());
        assertEquals(List.of("WARNING: archive_mode enabled, yet archiving is not configured DETAIL: "
                + "archive_library \"gzip_archive\": 11 is outside the valid range for parameter "
                + "\"gzip_archive.compression_level\" (1 .. 9)."), logs);
        logs.clear();
        assertEquals(0, loop("on", archive.toString(), "fast").round());
        assertEquals(List.of("WARNING: archive_mode enabled, yet archiving is not configured DETAIL: "
                + "archive_library \"gzip_archive\": invalid value for parameter "
                + "\"gzip_archive.compression_level\": \"fast\"."), logs);
        assertTrue(Files.exists(status(seg(1) + ".ready")));
    }

    @Test
    void relativeDirectoryIsUnderTheDataDirectory() throws IOException {
        Files.createDirectory(data.resolve("arch"));
        assertEquals(3, loop("always", "arch", "").round());
        assertEquals(List.of(seg(1) + ".gz", seg(2) + ".gz", seg(3) + ".gz"), list(data.resolve("arch")));
    }

    @Test
    void failureKeepsReadyAndLogs() {
        ArchiveLoop l = loop("on", archive.resolve("missing").toString(), null);
        assertEquals(0, l.round());
        assertEquals(ArchiveLoop.NUM_ARCHIVE_RETRIES, logs.stream()
                .filter(s -> s.startsWith("LOG: could not create file \"" + archive.resolve("missing"))).count(),
                logs.toString());
        assertTrue(logs.contains("WARNING: archiving write-ahead log file \"" + seg(1)
                + "\" failed too many times, will try again later"), logs.toString());
        for (int i = 1; i <= 3; i++) {
            assertTrue(Files.exists(status(seg(i) + ".ready")));
        }
    }

    @Test
    void identicalIsSuccessDifferentOrDamagedIsAFailureAndNeverOverwritten() throws IOException {
        assertEquals(3, loop("on", archive.toString(), null).round());
        // A crash between the copy and the rename: archived again, identically.
        Files.move(status(seg(2) + ".done"), status(seg(2) + ".ready"));
        logs.clear();
        assertEquals(1, loop("on", archive.toString(), "9").round(), "another level compresses differently, "
                + "but the contents are what is compared");
        assertEquals("WARNING: archive file \"" + archive.resolve(seg(2) + ".gz")
                + "\" already exists with identical contents", logs.get(0));
        assertTrue(Files.exists(status(seg(2) + ".done")));

        // A different segment under that name: refused, kept.
        Files.move(status(seg(3) + ".done"), status(seg(3) + ".ready"));
        Files.copy(archive.resolve(seg(1) + ".gz"), archive.resolve(seg(3) + ".gz"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] other = Files.readAllBytes(archive.resolve(seg(3) + ".gz"));
        logs.clear();
        assertEquals(0, loop("on", archive.toString(), null).round());
        assertEquals("LOG: archive file \"" + archive.resolve(seg(3) + ".gz") + "\" already exists", logs.get(0));
        assertTrue(Files.exists(status(seg(3) + ".ready")));
        assertArrayEquals(other, Files.readAllBytes(archive.resolve(seg(3) + ".gz")), "never overwritten");

        // A damaged (truncated) one: also refused, kept.
        byte[] truncated = Arrays.copyOf(other, other.length / 2);
        Files.write(archive.resolve(seg(3) + ".gz"), truncated);
        logs.clear();
        assertEquals(0, loop("on", archive.toString(), null).round());
        assertEquals("LOG: archive file \"" + archive.resolve(seg(3) + ".gz") + "\" already exists", logs.get(0));
        assertArrayEquals(truncated, Files.readAllBytes(archive.resolve(seg(3) + ".gz")));
    }

    @Test
    void idlesWhenOffAndWarnsOnceWhenDirectoryNotSet() {
        assertEquals(0, loop("off", archive.toString(), null).round());
        ArchiveLoop l = loop("on", null, null);
        assertEquals(0, l.round());
        assertEquals(0, l.round());
        assertEquals(List.of("WARNING: archive_mode enabled, yet archiving is not configured DETAIL: "
                + "archive_library \"gzip_archive\": gzip_archive.archive_directory is not set."), logs);
        assertTrue(Files.exists(status(seg(1) + ".ready")));
    }

    @Test
    void gunzipRestoresItAsARestoreCommandWould() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gunzip"))
                || Files.isExecutable(Path.of("/bin/gunzip")), "gunzip is not installed");
        assertEquals(3, loop("on", archive.toString(), null).round());
        Path restored = Files.createDirectory(data.resolve("restored"));
        // restore_command = 'gunzip -c <archive>/%f.gz > %p', with %p relative to the data directory
        Process p = new ProcessBuilder("/bin/sh", "-c", "gunzip -c " + archive + "/" + seg(2) + ".gz > restored/RECOVERYXLOG")
                .directory(data.toFile()).redirectErrorStream(true).start();
        AtomicReference<String> out = new AtomicReference<>(new String(p.getInputStream().readAllBytes()));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out.get());
        assertArrayEquals(Files.readAllBytes(data.resolve("pg_wal").resolve(seg(2))),
                Files.readAllBytes(restored.resolve("RECOVERYXLOG")));
    }
}
