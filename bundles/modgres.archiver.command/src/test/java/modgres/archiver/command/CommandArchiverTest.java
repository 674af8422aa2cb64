package modgres.archiver.command;

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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import modgres.archiver.ArchiveLoop;

class CommandArchiverTest {
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

    static final String[] SEGS = {"000000010000000000000001", "000000010000000000000002", "000000010000000000000003"};

    static String seg(int i) {
        return String.format("%08X%08X%08X", 1, 0, i);
    }

    /** n fake segments of 4 KB with a .ready each (created out of order). */
    static void makeSegments(Path data, int n) throws IOException {
        Path status = Files.createDirectories(data.resolve("pg_wal/archive_status"));
        Random r = new Random(42);
        for (int i = n; i >= 1; i--) {
            byte[] b = new byte[4096];
            r.nextBytes(b);
            Files.write(data.resolve("pg_wal").resolve(seg(i)), b);
            Files.createFile(status.resolve(seg(i) + ".ready"));
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        makeSegments(data, 3);
    }

    private String idempotentCommand() {
        String a = archive.toString();
        return "echo %f >> " + a + "/calls; if [ -f " + a + "/%f ]; then cmp -s %p " + a + "/%f; else cp %p " + a
                + "/%f; fi";
    }

    private ArchiveLoop loop(String mode, String command) {
        CommandArchiver a = new CommandArchiver(() -> command);
        return new ArchiveLoop(data, () -> mode, () -> a, report, 0);
    }

    private Path status(String name) {
        return data.resolve("pg_wal/archive_status").resolve(name);
    }

    @Test
    void expandsPlaceholdersAsPostgres() {
        assertEquals("cp pg_wal/X /a/X 100% %q", CommandArchiver.expand("cp %p /a/%f 100%% %q", "pg_wal/X", "X"));
    }

    @Test
    void archivesInOrderAndWritesDone() throws IOException {
        ArchiveLoop l = loop("on", idempotentCommand());
        assertEquals(3, l.round());
        assertEquals(List.of(SEGS), Files.readAllLines(archive.resolve("calls")));
        for (String s : SEGS) {
            assertArrayEquals(Files.readAllBytes(data.resolve("pg_wal").resolve(s)), Files.readAllBytes(archive.resolve(s)));
            assertTrue(Files.exists(status(s + ".done")));
            assertFalse(Files.exists(status(s + ".ready")));
        }
        assertEquals(3, l.archivedCount());
        assertEquals(SEGS[2], l.lastArchivedWal());
        assertEquals(0, l.round(), "nothing left");
    }

    @Test
    void runsInTheDataDirectoryWithRelativePath() throws IOException {
        assertEquals(3, loop("always", "test -f %p && test -d pg_wal && echo %p >> " + archive + "/p").round());
        assertEquals(List.of("pg_wal/" + SEGS[0], "pg_wal/" + SEGS[1], "pg_wal/" + SEGS[2]),
                Files.readAllLines(archive.resolve("p")));
    }

    @Test
    void failureKeepsReadyAndLogsAsPostgres() {
        List<String> printed = new ArrayList<>();
        CommandArchiver a = new CommandArchiver(() -> "echo oops >&2; exit 3", printed::add);
        ArchiveLoop l = new ArchiveLoop(data, () -> "on", () -> a, report, 0);
        assertEquals(0, l.round());
        long failures = logs.stream().filter(s -> s.startsWith("LOG: archive command failed with exit code 3")).count();
        assertEquals(ArchiveLoop.NUM_ARCHIVE_RETRIES, failures, logs.toString());
        // PostgreSQL 15's lines exactly: the DETAIL names the command and nothing else.
        assertEquals("LOG: archive command failed with exit code 3 DETAIL: The failed archive command was: "
                + "echo oops >&2; exit 3", logs.get(0));
        assertEquals(List.of("oops", "oops", "oops"), printed, "the command's output goes to the log on its own");
        assertTrue(logs.contains("WARNING: archiving write-ahead log file \"" + SEGS[0]
                + "\" failed too many times, will try again later"), logs.toString());
        for (String s : SEGS) {
            assertTrue(Files.exists(status(s + ".ready")), s);
            assertFalse(Files.exists(status(s + ".done")), s);
        }
        assertEquals(SEGS[0], l.lastFailedWal());
    }

    @Test
    void idempotentReArchiveAfterCrashBetweenCopyAndRename() throws IOException {
        assertEquals(3, loop("on", idempotentCommand()).round());
        // Simulate a crash after the copy of segment 2 and before its rename.
        Files.move(status(SEGS[1] + ".done"), status(SEGS[1] + ".ready"));
        assertEquals(1, loop("on", idempotentCommand()).round());
        assertTrue(Files.exists(status(SEGS[1] + ".done")));
        assertEquals(List.of(SEGS[0], SEGS[1], SEGS[2], SEGS[1]), Files.readAllLines(archive.resolve("calls")));
        // A different target is a failure (as basic_archive): the .ready stays.
        Files.move(status(SEGS[2] + ".done"), status(SEGS[2] + ".ready"));
        Files.write(archive.resolve(SEGS[2]), new byte[] {1, 2, 3});
        assertEquals(0, loop("on", idempotentCommand()).round());
        assertTrue(Files.exists(status(SEGS[2] + ".ready")));
    }

    @Test
    void idlesWhenArchiveModeOffOrNotConfigured() {
        assertEquals(0, loop("off", idempotentCommand()).round());
        ArchiveLoop l = loop("on", "");
        assertEquals(0, l.round());
        assertEquals(0, l.round());
        assertEquals(List.of("WARNING: archive_mode enabled, yet archiving is not configured DETAIL: archive_command is not set."),
                logs, "warned once");
        assertTrue(Files.exists(status(SEGS[0] + ".ready")));
    }

    @Test
    void threadPicksUpNewReadyFilesWithinAboutASecond() throws Exception {
        ArchiveLoop l = loop("on", idempotentCommand());
        Thread t = new Thread(l, "archiver");
        t.start();
        try {
            long deadline = System.currentTimeMillis() + 5_000;
            while (l.archivedCount() < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(3, l.archivedCount());
            Files.write(data.resolve("pg_wal").resolve(seg(4)), new byte[4096]);
            Files.createFile(status(seg(4) + ".ready"));
            deadline = System.currentTimeMillis() + 5_000;
            while (l.archivedCount() < 4 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(4, l.archivedCount(), "woken by the poll, not the 60 s timeout");
        } finally {
            l.stop();
            t.join(5_000);
        }
        assertFalse(t.isAlive());
    }
}
