package modgres.archiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.archive.ArchiveException;
import modgres.api.archive.ArchiveModule;

class ArchiveLoopTest {
    @TempDir
    Path data;

    final List<String> logs = new ArrayList<>();
    final ArchiveLoop.Report report = new ArchiveLoop.Report() {
        @Override
        public void log(String message, String detail) {
            logs.add("LOG: " + message);
        }

        @Override
        public void warning(String message, String detail) {
            logs.add("WARNING: " + message + (detail == null ? "" : " / " + detail));
        }

        @Override
        public void debug(String message) {
        }
    };

    /** A module that records what it archived. */
    static ArchiveModule recording(List<String> archived) {
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
                archived.add(segment);
            }
        };
    }

    private void segments(int from, int to) throws Exception {
        Files.createDirectories(data.resolve("pg_wal/archive_status"));
        for (int i = from; i <= to; i++) {
            String name = String.format("0000000100000000%08X", i);
            Files.write(data.resolve("pg_wal").resolve(name), new byte[16]);
            Files.createFile(data.resolve("pg_wal/archive_status").resolve(name + ".ready"));
        }
    }

    @Test
    void withoutAModuleNothingIsArchivedAndTheWarningSaysWhy() throws Exception {
        segments(1, 2);
        ArchiveLoop loop = new ArchiveLoop(data, () -> "on", () -> null, report, 0);
        assertEquals(0, loop.round());
        assertEquals(0, loop.round());
        assertEquals(1, logs.stream().filter(l -> l.contains(ArchiveLoop.NO_MODULE)).count(), logs.toString());
        assertTrue(Files.exists(data.resolve("pg_wal/archive_status/000000010000000000000001.ready")));
    }

    @Test
    void aModuleSwappedBetweenRoundsTakesOverWithoutLossAndTheCountersStay() throws Exception {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        AtomicReference<ArchiveModule> active = new AtomicReference<>(recording(first));
        ArchiveLoop loop = new ArchiveLoop(data, () -> "on", active::get, report, 0);
        segments(1, 3);
        assertEquals(3, loop.round());
        active.set(recording(second)); // the swap
        segments(4, 5);
        assertEquals(2, loop.round());
        assertEquals(List.of("000000010000000000000001", "000000010000000000000002", "000000010000000000000003"),
                first);
        assertEquals(List.of("000000010000000000000004", "000000010000000000000005"), second);
        assertEquals(5, loop.archivedCount(), "pg_stat_archiver counts live in the loop, not the module");
        assertFalse(Files.list(data.resolve("pg_wal/archive_status")).anyMatch(p -> p.toString().endsWith(".ready")));
    }

    @Test
    void duringRecoveryOnlyArchiveModeAlwaysArchives() throws Exception {
        segments(1, 2);
        List<String> archived = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean recovering = new java.util.concurrent.atomic.AtomicBoolean(true);
        AtomicReference<String> mode = new AtomicReference<>("on");
        ArchiveLoop loop = new ArchiveLoop(data, mode::get, () -> recording(archived), report, 0)
                .withRecovery(recovering::get);
        assertEquals(0, loop.round(), "archive_mode = on: not while the startup process restores segments");
        mode.set("always");
        assertEquals(2, loop.round(), "always: also during recovery");
        segments(3, 3);
        mode.set("on");
        assertEquals(0, loop.round());
        recovering.set(false);
        assertEquals(1, loop.round(), "after recovery");
        assertEquals(List.of("000000010000000000000001", "000000010000000000000002", "000000010000000000000003"),
                archived);
    }

    @Test
    void archivingIsOffWhenArchiveModeIsOff() throws Exception {
        segments(1, 1);
        List<String> archived = new ArrayList<>();
        ArchiveLoop loop = new ArchiveLoop(data, () -> "off", () -> recording(archived), report, 0);
        assertEquals(0, loop.round());
        assertTrue(archived.isEmpty());
    }
}
