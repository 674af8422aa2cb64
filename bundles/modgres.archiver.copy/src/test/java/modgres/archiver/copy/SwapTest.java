package modgres.archiver.copy;

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.archiver.command.CommandArchiver;
import modgres.archiver.ArchiveLoop;

/**
 * A live swap in plain Java: the command archiver runs, is stopped mid-way
 * (with one segment copied but not committed, as a crash or a swap between
 * copy and rename leaves it), the copy archiver takes over on the same
 * directories: every segment ends archived with identical contents and
 * .done, none lost, none archived twice except the uncommitted one,
 * re-archived identically. Then back again.
 */
class SwapTest {
    @TempDir
    Path data;
    @TempDir
    Path archive;

    static final int N = 20;

    static ArchiveLoop.Report commandReport(List<String> logs) {
        return new ArchiveLoop.Report() {
            @Override
            public void log(String m, String d) {
                logs.add("LOG: " + m + " " + d);
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

    static ArchiveLoop.Report copyReport(List<String> logs) {
        return new ArchiveLoop.Report() {
            @Override
            public void log(String m, String d) {
                logs.add("LOG: " + m);
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
    void commandThenCopyThenCommandLosesNothing() throws Exception {
        CopyArchiverTest.makeSegments(data, 1, N);
        Path status = data.resolve("pg_wal/archive_status");
        String a = archive.toString();
        // Slow enough to stop it mid-way; idempotent like basic_archive.
        String command = "sleep 0.05; echo %f >> " + data + "/calls; if [ -f " + a + "/%f ]; then cmp -s %p " + a
                + "/%f; else cp %p " + a + "/%f; fi";
        List<String> logs = Collections.synchronizedList(new ArrayList<>());
        CommandArchiver shell = new CommandArchiver(() -> command);
        var a1 = new ArchiveLoop(data, () -> "on", () -> shell, commandReport(logs), 0);
        Thread t1 = new Thread(a1, "archiver-command");
        t1.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (a1.archivedCount() < 5 && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        a1.stop();
        t1.join(10_000);
        assertFalse(t1.isAlive());
        long done1 = a1.archivedCount();
        assertTrue(done1 >= 5 && done1 < N, "stopped mid-way: " + done1);

        // The next segment was copied but its .ready not renamed (crash or swap between copy and rename).
        String pending = CopyArchiverTest.seg((int) done1 + 1);
        assertTrue(Files.exists(status.resolve(pending + ".ready")));
        Files.copy(data.resolve("pg_wal").resolve(pending), archive.resolve(pending));

        // B takes over, new segments keep arriving.
        CopyArchiverTest.makeSegments(data, N + 1, N + 5);
        CopyArchiver copy = new CopyArchiver(() -> a, w -> logs.add("WARNING: " + w), 2);
        var a2 = new ArchiveLoop(data, () -> "on", () -> copy, copyReport(logs), 0);
        assertEquals(N + 5 - done1, a2.round());
        assertEquals(List.of("WARNING: archive file \"" + archive.resolve(pending)
                + "\" already exists with identical contents"), logs, "the one uncommitted segment, re-archived identically");

        // And back to A for more segments.
        CopyArchiverTest.makeSegments(data, N + 6, N + 8);
        var a3 = new ArchiveLoop(data, () -> "on", () -> shell, commandReport(logs), 0);
        assertEquals(3, a3.round());

        for (int i = 1; i <= N + 8; i++) {
            String s = CopyArchiverTest.seg(i);
            assertArrayEquals(Files.readAllBytes(data.resolve("pg_wal").resolve(s)), Files.readAllBytes(archive.resolve(s)), s);
            assertTrue(Files.exists(status.resolve(s + ".done")), s);
            assertFalse(Files.exists(status.resolve(s + ".ready")), s);
        }
        // The command archiver ran each of its segments exactly once.
        Map<String, Long> calls = Files.readAllLines(data.resolve("calls")).stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(done1 + 3, calls.size());
        assertTrue(calls.values().stream().allMatch(c -> c == 1), calls.toString());
        assertEquals(N + 8, CopyArchiverTest.list(archive).size(), "no temporary file left");
    }
}
