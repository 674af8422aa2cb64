package modgres.archiver.gzip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.archiver.ArchiveLoop;
import modgres.archiver.command.CommandArchiver;

/**
 * A live swap in plain Java, as modgres.archiver.copy's: a shell module that
 * gzips (archive_command) runs, is stopped mid-way with one segment
 * compressed into the archive but not committed (as a crash or a swap
 * between the archive step and the rename leaves it), the gzip module takes
 * over on the same directories, then the shell module again: every segment
 * ends in the archive exactly once as a .gz that decompresses to it, with
 * .done; only the uncommitted one is archived twice (identically: a WARNING).
 */
class SwapTest {
    @TempDir
    Path data;
    @TempDir
    Path archive;

    static final int N = 20;

    static ArchiveLoop.Report report(List<String> logs) {
        return new ArchiveLoop.Report() {
            @Override
            public void log(String m, String d) {
                logs.add("LOG: " + m + (d == null ? "" : " " + d));
            }

            @Override
            public void warning(String m, String d) {
                logs.add("WARNING: " + m);
            }

            @Override
            public void debug(String m) {
            }
        };
    }

    @Test
    void shellThenGzipThenShellLosesNothing() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/gzip")) || Files.isExecutable(Path.of("/usr/bin/gzip")),
                "gzip is not installed");
        GzipArchiverTest.makeSegments(data, 1, N);
        Path status = data.resolve("pg_wal/archive_status");
        String a = archive.toString();
        // Idempotent as archive_command must be: an existing identical .gz is success, a different one fails.
        String command = "sleep 0.05; echo %f >> " + data + "/calls; if [ -f " + a + "/%f.gz ]; then gunzip -c " + a
                + "/%f.gz | cmp -s - %p; else gzip -c %p > " + a + "/%f.tmp && mv " + a + "/%f.tmp " + a
                + "/%f.gz; fi";
        List<String> logs = Collections.synchronizedList(new ArrayList<>());
        CommandArchiver shell = new CommandArchiver(() -> command);
        ArchiveLoop a1 = new ArchiveLoop(data, () -> "on", () -> shell, report(logs), 0);
        Thread t1 = new Thread(a1, "archiver-shell");
        t1.start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (a1.archivedCount() < 5 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        a1.stop();
        t1.join(20_000);
        assertFalse(t1.isAlive());
        long done1 = a1.archivedCount();
        assertTrue(done1 >= 5 && done1 < N, "stopped mid-way: " + done1);

        // The next segment was archived but its .ready not renamed.
        String pending = GzipArchiverTest.seg((int) done1 + 1);
        assertTrue(Files.exists(status.resolve(pending + ".ready")));
        new GzipArchiver(() -> a, () -> "1", w -> { }, 9).archive(data, pending); // "by the shell", level aside
        Files.write(data.resolve("calls"), (pending + "\n").getBytes(), java.nio.file.StandardOpenOption.APPEND);

        // The gzip module takes over while new segments keep arriving.
        GzipArchiverTest.makeSegments(data, N + 1, N + 5);
        GzipArchiver gzip = new GzipArchiver(() -> a, () -> null, w -> logs.add("WARNING: " + w), 2);
        ArchiveLoop a2 = new ArchiveLoop(data, () -> "on", () -> gzip, report(logs), 0);
        assertEquals(N + 5 - done1, a2.round());
        assertEquals(List.of("WARNING: archive file \"" + archive.resolve(pending + ".gz")
                + "\" already exists with identical contents"), logs,
                "the one uncommitted segment, re-archived identically");

        // And back to the shell module.
        GzipArchiverTest.makeSegments(data, N + 6, N + 8);
        ArchiveLoop a3 = new ArchiveLoop(data, () -> "on", () -> shell, report(logs), 0);
        assertEquals(3, a3.round());

        for (int i = 1; i <= N + 8; i++) {
            String s = GzipArchiverTest.seg(i);
            assertArrayEquals(Files.readAllBytes(data.resolve("pg_wal").resolve(s)),
                    GzipArchiverTest.gunzip(archive.resolve(s + ".gz")), s);
            assertTrue(Files.exists(status.resolve(s + ".done")), s);
            assertFalse(Files.exists(status.resolve(s + ".ready")), s);
        }
        // The shell module ran each of its segments once (the pending one was "its" last).
        Map<String, Long> calls = Files.readAllLines(data.resolve("calls")).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(done1 + 1 + 3, calls.size());
        assertTrue(calls.values().stream().allMatch(c -> c == 1), calls.toString());
        assertEquals(N + 8, GzipArchiverTest.list(archive).size(), "one .gz per segment, no temporary file left");
    }
}
