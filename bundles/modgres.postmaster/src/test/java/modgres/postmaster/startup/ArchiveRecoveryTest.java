package modgres.postmaster.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.control.CheckpointRecord;
import modgres.api.control.ClusterState;
import modgres.api.control.ControlData;
import modgres.api.log.LogRecord;
import modgres.api.log.Severity;
import modgres.api.page.Page;
import modgres.api.wal.BlockReference;
import modgres.api.wal.Lsn;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalState;
import modgres.postmaster.startup.Fakes.MarkHandler;
import modgres.postmaster.startup.Fakes.MemoryControl;
import modgres.postmaster.startup.Fakes.MemoryStorage;
import modgres.postmaster.startup.Fakes.RecordingCheckpointer;
import modgres.shmem.buffer.SharedBufferPool;
import modgres.wal.internal.SyncMethod;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

/**
 * Archive recovery over a real WAL (1 MiB segments) and the real buffer pool:
 * a "primary" writes, is stopped cleanly and copied (the base backup), then
 * writes transactions over several segments, whose completed segments are
 * copied to an archive directory (what the archiver does). The copy is
 * recovered with recovery.signal and {@code restore_command = 'cp <archive>/%f %p'},
 * fully or to a recovery target, and as a warm standby.
 */
class ArchiveRecoveryTest {
    static final RelFileNode REL = new RelFileNode(1663, 5, 16384);
    static final long SEP_2026 = 1_788_235_506L; // 2026-09-01 04:05:06 UTC
    static final int SEG = 1 << 20;
    static final int TXNS = 10;
    static final int FIRST_XID = 700;
    static final String SEG1 = "000000010000000000000001";

    @TempDir
    Path dir;

    private final List<WriteAheadLog> wals = new ArrayList<>();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final MemoryStorage storage = new MemoryStorage();
    private final MemoryControl control = new MemoryControl(ControlData.initial(SEG, 0));
    private WriteAheadLog wal;
    private SharedBufferPool pool;

    private Path primary;
    private Path archive;
    private Path backupWal;
    private Map<String, List<byte[]>> backupFiles;
    private ControlData backupControl;
    private long checkpointLsn;

    /** A transaction of the primary after the backup: its commit record and the marks it left. */
    record Txn(int xid, long commitStart, long commitEnd, long time, long firstRecord, Map<Integer, Integer> marks) {
    }

    private final List<Txn> txns = new ArrayList<>();
    private long lastArchivedSegment;

    @AfterEach
    void closeEverything() {
        for (WriteAheadLog w : wals) {
            w.close();
        }
    }

    private WriteAheadLog newWal(Path dataDir) {
        WriteAheadLog w = new WriteAheadLog(WalConfig.defaults(dataDir).withSegmentSize(SEG).withWalBuffers(16)
                .withSync(SyncMethod.FDATASYNC, false), Fakes.log(new ArrayList<>()));
        wals.add(w);
        return w;
    }

    static long pgTime(int i) {
        return RecoveryTarget.pgMicros(Instant.ofEpochSecond(SEP_2026 + i, 250_000_000L));
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private long change(int blk, int mark, int xid, int flags) {
        int b = pool.pin(BufferTag.of(REL, ForkNumber.MAIN, blk), ReadMode.ZERO_ON_MISS, null);
        pool.lockContent(b, true);
        try {
            ByteBuffer page = pool.page(b);
            if (Page.isNew(page)) {
                Page.init(page, 0);
            }
            page.putInt(MarkHandler.MARK, mark);
            long start = wal.insertPosition();
            long end = wal.insert(WalRecord.builder(ResourceManager.HEAP, (byte) 0).xid(xid)
                    .block(REL, ForkNumber.MAIN, blk, page, flags).mainData(le(mark)).build());
            BufferPool.setPageLsn(page, end);
            pool.markDirty(b);
            return start;
        } finally {
            pool.unlockAndUnpin(b);
        }
    }

    private static byte[] commitBody(long ts) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(ts).putInt(0).array();
    }

    /**
     * The primary: marks 1..4 in blocks 0..3, a clean stop (shutdown checkpoint, pg_control "shut down"),
     * the base backup (pg_wal/, relation files, pg_control), then TXNS transactions of 40 full-page changes
     * and a commit each (about 330 kB each, so over several segments), a segment switch, and every complete
     * segment copied to the archive.
     */
    @BeforeEach
    void primaryWithBaseBackupAndArchive() throws IOException {
        primary = Files.createDirectory(dir.resolve("primary"));
        archive = Files.createDirectory(dir.resolve("archive"));
        wal = newWal(primary);
        wal.startAt(wal.findEnd(Lsn.INVALID));
        pool = new SharedBufferPool(32, storage);
        pool.setWalFlusher(wal::flush);
        Map<Integer, Integer> marks = new HashMap<>();
        for (int blk = 0; blk < 4; blk++) {
            change(blk, blk + 1, 0, 0);
            marks.put(blk, blk + 1);
        }
        pool.flushAll((s, d, r, f) -> true);
        long redo = wal.advanceRedoPointer();
        checkpointLsn = wal.insertPosition();
        long end = wal.insert(WalRecord.of(ResourceManager.XLOG, ResourceManager.XLOG_CHECKPOINT_SHUTDOWN, 0,
                new CheckpointRecord(redo, 1, 1, SEP_2026, FIRST_XID, 20000).encode()));
        wal.flush(end);
        control.write(control.read().withNextIds(FIRST_XID, 20000)
                .withCheckpoint(ClusterState.SHUT_DOWN, SEP_2026, checkpointLsn, redo, 1, SEP_2026));

        // The base backup: a copy of the cleanly stopped data directory.
        backupWal = dir.resolve("backup-pg_wal");
        copyTree(primary.resolve("pg_wal"), backupWal);
        backupFiles = snapshot(storage);
        backupControl = control.read();

        // The primary goes on.
        for (int i = 0; i < TXNS; i++) {
            int xid = FIRST_XID + i;
            int blk = i % 4;
            long firstRecord = wal.insertPosition();
            for (int k = 0; k < 40; k++) {
                change(blk, 1000 * (i + 1) + k, xid, BlockReference.FORCE_IMAGE);
            }
            marks.put(blk, 1000 * (i + 1) + 39);
            long ts = pgTime(i);
            long start = wal.insertPosition();
            long commitEnd = wal.insert(WalRecord.of(ResourceManager.XACT, (byte) 0x00, xid, commitBody(ts)));
            wal.flush(commitEnd);
            txns.add(new Txn(xid, start, commitEnd, ts, firstRecord, Map.copyOf(marks)));
        }
        wal.switchSegment();
        lastArchivedSegment = Lsn.segmentNumber(wal.insertPosition(), SEG) - 1;
        assertTrue(lastArchivedSegment >= 4, "the transactions span several segments: " + lastArchivedSegment);
        for (long s = 1; s <= lastArchivedSegment; s++) {
            String name = Lsn.segmentFileName(1, s, SEG);
            Files.copy(primary.resolve("pg_wal").resolve(name), archive.resolve(name));
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static Map<String, List<byte[]>> snapshot(MemoryStorage s) {
        return deepCopy(s.files);
    }

    static Map<String, List<byte[]>> deepCopy(Map<String, List<byte[]>> files) {
        Map<String, List<byte[]>> copy = new HashMap<>();
        files.forEach((k, v) -> {
            List<byte[]> blocks = new ArrayList<>();
            for (byte[] b : v) {
                blocks.add(b.clone());
            }
            copy.put(k, blocks);
        });
        return copy;
    }

    /** A restored server: the base backup copied into a new data directory, and what runs over it. */
    final class Restored {
        final Path data;
        final MemoryStorage files = new MemoryStorage();
        final MemoryControl pgControl = new MemoryControl(backupControl);
        final WriteAheadLog w;
        final SharedBufferPool buffers;
        final MarkHandler heap = new MarkHandler(ResourceManager.HEAP);
        final MarkHandler xact = new MarkHandler(ResourceManager.XACT);
        RecordingCheckpointer checkpointer;

        Restored(String name, String signal) throws IOException {
            data = Files.createDirectory(dir.resolve(name));
            copyTree(backupWal, data.resolve("pg_wal"));
            files.files.putAll(deepCopy(backupFiles));
            if (signal != null) {
                Files.createFile(data.resolve(signal));
            }
            w = newWal(data);
            buffers = new SharedBufferPool(32, files);
            buffers.setWalFlusher(w::flush);
        }

        StartupProcess startup(Map<String, String> settings) {
            return new StartupProcess(w, pgControl, buffers, files, () -> null, List.of(heap, xact),
                    () -> checkpointer, Fakes.log(logged), ZoneOffset.UTC, RecoverySettings.of(data, settings));
        }

        StartupProcess.Outcome run(Map<String, String> settings) {
            return startup(settings).run();
        }

        int mark(int blk) {
            int b = buffers.pin(BufferTag.of(REL, ForkNumber.MAIN, blk), ReadMode.NORMAL, null);
            try {
                return buffers.page(b).getInt(MarkHandler.MARK);
            } finally {
                buffers.unpin(b);
            }
        }

        Map<Integer, Integer> marks() {
            Map<Integer, Integer> m = new HashMap<>();
            for (int blk = 0; blk < 4; blk++) {
                m.put(blk, mark(blk));
            }
            return m;
        }
    }

    private Map<String, String> restoreFrom(Path archiveDir, String... more) {
        Map<String, String> m = new HashMap<>();
        m.put("restore_command", "cp " + archiveDir + "/%f %p");
        m.put("recovery_target_action", "promote");
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    private List<String> lines() {
        return logged.stream().filter(r -> r.severity() == Severity.LOG).map(LogRecord::message).toList();
    }

    private static String name(long segno) {
        return Lsn.segmentFileName(1, segno, SEG);
    }

    // ------------------------------------------------------------------ full recovery

    @Test
    void recoversEveryArchivedSegmentInOrderAndEndsWhereTheArchiveEnds() throws IOException {
        Restored r = new Restored("full", ArchiveRecovery.RECOVERY_SIGNAL);
        StartupProcess.Outcome out = r.run(restoreFrom(archive));

        assertTrue(out.recovered());
        assertTrue(out.archiveRecovery());
        assertFalse(out.targetReached());
        assertEquals(txns.get(TXNS - 1).marks(), r.marks(), "every archived transaction replayed");
        assertEquals(TXNS * 41, out.recordsReplayed() - 1, "40 changes and a commit each, and the switch record");
        assertEquals(WalState.INSERTING, r.w.state());
        assertEquals(lastArchivedSegment + 1, Lsn.segmentNumber(r.w.insertPosition(), SEG),
                "the log continues in the segment after the last archived one");

        List<String> l = lines();
        assertEquals("database system was shut down at 2026-09-01 04:05:06 UTC", l.get(0));
        assertEquals("starting archive recovery", l.get(1));
        assertEquals("restored log file \"" + SEG1 + "\" from archive", l.get(2));
        assertFalse(l.contains("database system was not properly shut down; automatic recovery in progress"));
        for (long s = 1; s <= lastArchivedSegment; s++) {
            assertEquals(1, l.stream().filter(("restored log file \"" + name(s) + "\" from archive")::equals).count(),
                    "each segment restored once: " + s);
        }
        int consistent = l.indexOf("consistent recovery state reached at " + Lsn.format(endOf(checkpointLsn)));
        int redoStarts = indexOfPrefix(l, "redo starts at ");
        int redoDone = indexOfPrefix(l, "redo done at ");
        assertTrue(consistent > 0 && redoStarts > consistent && redoDone > redoStarts, l.toString());
        assertEquals("last completed transaction was at log time 2026-09-01 04:05:15.25+00", l.get(redoDone + 1));
        assertEquals("archive recovery complete", l.get(l.size() - 1));

        assertFalse(Files.exists(r.data.resolve("recovery.signal")), "removed at the end");
        assertFalse(Files.exists(r.data.resolve("pg_wal/RECOVERYXLOG")));
        for (long s = 1; s <= lastArchivedSegment; s++) {
            assertTrue(Files.exists(r.data.resolve("pg_wal/archive_status").resolve(name(s) + ".done")),
                    "restored segments are not archived again");
            assertEquals(-1L, Files.mismatch(archive.resolve(name(s)), r.data.resolve("pg_wal").resolve(name(s))));
        }
        // Without a checkpointer: in archive recovery while replaying, then in production.
        assertEquals(List.of(ClusterState.IN_ARCHIVE_RECOVERY, ClusterState.IN_PRODUCTION),
                r.pgControl.writes.stream().map(ControlData::state).toList());
    }

    @Test
    void theEndOfRecoveryCheckpointIsTheCrashRecoveryOne() throws IOException {
        Restored r = new Restored("ckpt", ArchiveRecovery.RECOVERY_SIGNAL);
        r.checkpointer = new RecordingCheckpointer(r.w);
        r.run(restoreFrom(archive));
        assertEquals(List.of("wait=true force=false wal=INSERTING"), r.checkpointer.calls);
        assertEquals(List.of(ClusterState.IN_ARCHIVE_RECOVERY, ClusterState.IN_CRASH_RECOVERY),
                r.pgControl.writes.stream().map(ControlData::state).toList(),
                "the checkpointer recognises the end-of-recovery checkpoint by \"in crash recovery\"");
    }

    @Test
    void withoutSignalFileItIsAPlainStart() throws IOException {
        Restored r = new Restored("plain", null);
        StartupProcess.Outcome out = r.run(restoreFrom(archive));
        assertFalse(out.recovered(), "a clean shutdown: nothing to replay from the backup's own pg_wal");
        assertFalse(lines().contains("starting archive recovery"));
        assertEquals(Map.of(0, 1, 1, 2, 2, 3, 3, 4), r.marks());
    }

    // ------------------------------------------------------------------ recovery targets

    @Test
    void recoveryTargetXidInclusiveStopsAfterItsCommit() throws IOException {
        Txn t = txns.get(4);
        Restored r = new Restored("xid", ArchiveRecovery.RECOVERY_SIGNAL);
        StartupProcess.Outcome out = r.run(restoreFrom(archive, "recovery_target_xid", Integer.toString(t.xid())));
        assertTrue(out.targetReached());
        assertEquals(t.marks(), r.marks());
        List<String> l = lines();
        assertEquals("starting point-in-time recovery to XID 704", l.get(1));
        assertTrue(l.contains("recovery stopping after commit of transaction 704, time 2026-09-01 04:05:10.25+00"),
                l.toString());
        assertEquals("redo done at " + Lsn.format(t.commitStart()), l.get(indexOfPrefix(l, "redo done at ")).replaceAll(
                " system usage.*", ""));
        assertTrue(l.contains("last completed transaction was at log time 2026-09-01 04:05:10.25+00"));
        assertEquals(position(t.commitEnd()), position(r.w.insertPosition()), "the log continues right after the commit");
        assertDiscardedAfter(r, t.commitEnd());
    }

    @Test
    void recoveryTargetXidExclusiveStopsBeforeItsCommit() throws IOException {
        Txn t = txns.get(4);
        Restored r = new Restored("xid-ex", ArchiveRecovery.RECOVERY_SIGNAL);
        r.run(restoreFrom(archive, "recovery_target_xid", "704", "recovery_target_inclusive", "off"));
        assertTrue(lines().contains("recovery stopping before commit of transaction 704, time "
                + "2026-09-01 04:05:10.25+00"), lines().toString());
        assertEquals(position(t.commitStart()), position(r.w.insertPosition()), "the commit record is not replayed");
        assertEquals("last completed transaction was at log time 2026-09-01 04:05:09.25+00",
                lines().get(indexOfPrefix(lines(), "last completed")));
        assertDiscardedAfter(r, t.commitStart());
    }

    @Test
    void recoveryTargetLsnInclusiveAndExclusive() throws IOException {
        Txn t = txns.get(2);
        long target = txns.get(3).firstRecord(); // the first record after txn 2's commit
        Restored inc = new Restored("lsn-in", ArchiveRecovery.RECOVERY_SIGNAL);
        inc.run(restoreFrom(archive, "recovery_target_lsn", Lsn.format(target)));
        assertTrue(lines().contains("starting point-in-time recovery to WAL location (LSN) \"" + Lsn.format(target)
                + "\""));
        assertTrue(lines().contains("recovery stopping after WAL location (LSN) \"" + Lsn.format(target) + "\""),
                lines().toString());
        for (int blk = 0; blk < 3; blk++) {
            assertEquals(t.marks().get(blk), inc.mark(blk));
        }
        assertEquals(4000, inc.mark(3), "the first change of txn 3 (inclusive), nothing after");
        logged.clear();

        Restored exc = new Restored("lsn-ex", ArchiveRecovery.RECOVERY_SIGNAL);
        exc.run(restoreFrom(archive, "recovery_target_lsn", Lsn.format(target), "recovery_target_inclusive",
                "false"));
        assertTrue(lines().contains("recovery stopping before WAL location (LSN) \"" + Lsn.format(target) + "\""),
                lines().toString());
        assertEquals(t.marks(), exc.marks());
        assertEquals(position(target), position(exc.w.insertPosition()));
    }

    @Test
    void recoveryTargetTimeStopsBeforeTheFirstLaterCommit() throws IOException {
        Restored r = new Restored("time", ArchiveRecovery.RECOVERY_SIGNAL);
        // between the commits of txn 5 (04:05:11.25) and txn 6 (04:05:12.25), in another zone
        r.run(restoreFrom(archive, "recovery_target_time", "2026-09-01 06:05:11.5+02", "timezone", "UTC"));
        List<String> l = lines();
        assertEquals("starting point-in-time recovery to 2026-09-01 04:05:11.5+00", l.get(1));
        assertTrue(l.contains("recovery stopping before commit of transaction 706, time 2026-09-01 04:05:12.25+00"),
                l.toString());
        assertEquals(position(txns.get(6).commitStart()), position(r.w.insertPosition()));
    }

    @Test
    void aTargetThatIsNeverReachedIsFatalAfterSayingHowFarRecoveryWent() throws IOException {
        Restored r = new Restored("unreached", ArchiveRecovery.RECOVERY_SIGNAL);
        StartupProcess.Failure f = assertThrows(StartupProcess.Failure.class,
                () -> r.run(restoreFrom(archive, "recovery_target_xid", "9999")));
        assertEquals(Severity.FATAL, f.severity());
        assertEquals("recovery ended before configured recovery target was reached", f.getMessage());
        assertTrue(indexOfPrefix(lines(), "redo done at ") > 0);
        assertTrue(Files.exists(r.data.resolve("recovery.signal")), "kept: the next start tries again");
        assertEquals(WalState.READING, r.w.state());
    }

    @Test
    void recoveryTargetImmediateStopsAtConsistency() throws IOException {
        Restored r = new Restored("immediate", ArchiveRecovery.RECOVERY_SIGNAL);
        StartupProcess.Outcome out = r.run(restoreFrom(archive, "recovery_target", "immediate"));
        assertTrue(lines().contains("starting point-in-time recovery to earliest consistent point"));
        assertTrue(lines().contains("recovery stopping after reaching consistency"));
        assertEquals(0, out.recordsReplayed());
        assertEquals(Map.of(0, 1, 1, 2, 2, 3, 3, 4), r.marks());
        assertEquals(position(endOf(checkpointLsn)), position(r.w.insertPosition()));
    }

    /** After a stop at {@code at}: nothing of the abandoned history can be read again. */
    private void assertDiscardedAfter(Restored r, long at) throws IOException {
        assertEquals(position(at), position(r.w.findEnd(checkpointLsn).endLsn()), "the valid WAL ends at the stop point");
        long seg = Lsn.segmentNumber(at, SEG);
        for (long s = seg + 1; s <= lastArchivedSegment; s++) {
            assertFalse(Files.exists(r.data.resolve("pg_wal").resolve(name(s))), "later restored segment removed: " + s);
        }
        assertTrue(Files.exists(archive.resolve(name(seg + 1))), "the archive keeps them");
    }

    // ------------------------------------------------------------------ settings and failures

    @Test
    void settingsAreCheckedAsPostgresChecksThem() throws IOException {
        Restored r = new Restored("settings", ArchiveRecovery.RECOVERY_SIGNAL);
        assertFatal(r, Map.of(), "must specify restore_command when standby mode is not enabled", null);
        assertFatal(r, restoreFrom(archive, "recovery_target_xid", "5", "recovery_target_lsn", "0/1"),
                "multiple recovery targets specified", "At most one of recovery_target, recovery_target_lsn, "
                        + "recovery_target_name, recovery_target_time, recovery_target_xid may be set.");
        Map<String, String> pause = restoreFrom(archive, "recovery_target_xid", "5");
        pause.remove("recovery_target_action"); // PostgreSQL's default, pause
        assertFatal(r, pause, "recovery_target_action \"pause\" is not supported", null);
        assertFatal(r, restoreFrom(archive, "recovery_target_xid", "5", "recovery_target_action", "shutdown"),
                "recovery_target_action \"shutdown\" is not supported", null);
        assertFatal(r, restoreFrom(archive, "recovery_target_timeline", "2"),
                "recovery target timeline 2 does not exist", null);
        assertFatal(r, restoreFrom(archive, "recovery_target_timeline", "two"),
                "invalid value for parameter \"recovery_target_timeline\": \"two\"",
                "recovery_target_timeline is not a valid number.");
        assertFatal(r, restoreFrom(archive, "recovery_target", "soon"),
                "invalid value for parameter \"recovery_target\": \"soon\"", "The only allowed value is \"immediate\".");
        assertFatal(r, restoreFrom(archive, "recovery_target_lsn", "nowhere"),
                "invalid value for parameter \"recovery_target_lsn\": \"nowhere\"", null);
        assertFatal(r, restoreFrom(archive, "recovery_target_time", "now"),
                "invalid value for parameter \"recovery_target_time\": \"now\"", null);
        assertFatal(r, restoreFrom(archive, "recovery_target_xid", "-3"),
                "invalid value for parameter \"recovery_target_xid\": \"-3\"", null);
        assertFatal(r, restoreFrom(archive, "recovery_target_name", "x".repeat(64)),
                "invalid value for parameter \"recovery_target_name\": \"" + "x".repeat(64) + "\"",
                "recovery_target_name is too long (maximum 63 characters).");
        // Without a target, the action does not matter.
        assertEquals(WalState.READING, r.w.state());
        assertTrue(r.run(restoreFrom(archive, "recovery_target_action", "pause", "recovery_target_timeline",
                "latest")).archiveRecovery());
    }

    private void assertFatal(Restored r, Map<String, String> settings, String message, String detail) {
        StartupProcess.Failure f = assertThrows(StartupProcess.Failure.class, () -> r.run(settings));
        assertEquals(Severity.FATAL, f.severity());
        assertEquals(message, f.getMessage());
        if (detail != null) {
            assertEquals(detail, f.detail());
        }
    }

    @Test
    void aRestoreCommandThatCannotRunIsFatalNotTheEndOfTheArchive() throws IOException {
        Restored r = new Restored("notfound", ArchiveRecovery.RECOVERY_SIGNAL);
        Map<String, String> s = restoreFrom(archive);
        s.put("restore_command", "/nonexistent/restore %f %p");
        StartupProcess.Failure f = assertThrows(StartupProcess.Failure.class, () -> r.run(s));
        assertEquals("could not restore file \"" + SEG1 + "\" from archive: command not found", f.getMessage());
    }

    @Test
    void aRestoredFileOfTheWrongSizeIsFatal() throws IOException {
        Restored r = new Restored("short", ArchiveRecovery.RECOVERY_SIGNAL);
        Map<String, String> s = restoreFrom(archive);
        s.put("restore_command", "head -c 100 " + archive + "/%f > %p");
        StartupProcess.Failure f = assertThrows(StartupProcess.Failure.class, () -> r.run(s));
        assertEquals("archive file \"" + SEG1 + "\" has wrong size: 100 instead of " + SEG, f.getMessage());
    }

    @Test
    void recoveryEndCommandRunsWithPercentR() throws IOException {
        Restored r = new Restored("endcmd", ArchiveRecovery.RECOVERY_SIGNAL);
        Path out = dir.resolve("end.txt");
        r.run(restoreFrom(archive, "recovery_end_command", "echo %r 100%% > " + out));
        assertEquals(SEG1 + " 100%", Files.readString(out).strip(), "%r: the segment of the checkpoint's REDO");
        logged.clear();
        Restored r2 = new Restored("endcmd2", ArchiveRecovery.RECOVERY_SIGNAL);
        r2.run(restoreFrom(archive, "recovery_end_command", "exit 3"));
        assertTrue(logged.stream().anyMatch(x -> x.severity() == Severity.WARNING
                && x.message().equals("recovery_end_command \"exit 3\": child process exited with exit code 3")),
                logged.toString());
    }

    @Test
    void placeholdersAreExpandedAsPostgres() {
        assertEquals("cp /a/X pg_wal/RECOVERYXLOG R 100% %q", ArchiveRecovery.expand("cp /a/%f %p %r 100%% %q",
                "pg_wal/RECOVERYXLOG", "X", "R"));
        assertEquals("clean R %p %", ArchiveRecovery.expandRecoveryCommand("clean %r %p %%", "R"));
    }

    @Test
    void timestampsAreParsedAndShownAsTimestamptz() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        long t = RecoveryTarget.parseTimestamptz("2026-09-01 06:05:06.25", berlin);
        assertEquals("2026-09-01 04:05:06.25+00", RecoveryTarget.timestamptz(t, ZoneOffset.UTC));
        assertEquals("2026-09-01 06:05:06.25+02", RecoveryTarget.timestamptz(t, berlin));
        assertEquals(t, RecoveryTarget.parseTimestamptz("2026-09-01T04:05:06.250Z", berlin));
        assertEquals(t, RecoveryTarget.parseTimestamptz("2026-09-01 09:35:06.25+05:30", berlin));
        assertEquals(t, RecoveryTarget.parseTimestamptz("2026-09-01 04:05:06.25 UTC", berlin));
        assertEquals("2026-09-01 00:35:06.25-03:30", RecoveryTarget.timestamptz(t, ZoneOffset.ofHoursMinutes(-3, -30)));
        assertEquals("2026-09-01 00:00:00+00", RecoveryTarget.timestamptz(
                RecoveryTarget.parseTimestamptz("2026-09-01", ZoneOffset.UTC), ZoneOffset.UTC));
    }

    // ------------------------------------------------------------------ warm standby

    @Test
    void aWarmStandbyFollowsTheArchiveUntilPromoted() throws Exception {
        Path live = Files.createDirectory(dir.resolve("live-archive"));
        for (long s = 1; s <= 2; s++) {
            Files.copy(archive.resolve(name(s)), live.resolve(name(s)));
        }
        Restored r = new Restored("standby", ArchiveRecovery.STANDBY_SIGNAL);
        Map<String, String> settings = restoreFrom(live, "wal_retrieve_retry_interval", "100");
        AtomicReference<Object> result = new AtomicReference<>();
        StartupProcess sp = r.startup(settings);
        Thread t = new Thread(() -> {
            try {
                result.set(sp.run());
            } catch (RuntimeException e) {
                result.set(e);
            }
        }, "startup");
        t.start();
        try {
            awaitLine("restored log file \"" + name(2) + "\" from archive");
            Thread.sleep(300);
            assertTrue(t.isAlive(), "waits for more WAL");
            assertEquals(WalState.READING, r.w.state());
            // The archive grows: the standby follows.
            for (long s = 3; s <= lastArchivedSegment; s++) {
                Files.copy(archive.resolve(name(s)), live.resolve(name(s)));
            }
            awaitLine("restored log file \"" + name(lastArchivedSegment) + "\" from archive");
            Thread.sleep(300);
            assertTrue(t.isAlive());
            Files.createFile(r.data.resolve("promote")); // pg_ctl promote
            t.join(10_000);
            assertFalse(t.isAlive());
        } finally {
            sp.cancel();
            t.join(10_000);
        }
        assertTrue(result.get() instanceof StartupProcess.Outcome, String.valueOf(result.get()));
        List<String> l = lines();
        assertEquals("entering standby mode", l.get(1));
        assertTrue(l.contains("received promote request"));
        assertEquals("archive recovery complete", l.get(l.size() - 1));
        assertEquals(txns.get(TXNS - 1).marks(), r.marks());
        assertFalse(Files.exists(r.data.resolve("standby.signal")));
        assertFalse(Files.exists(r.data.resolve("promote")));
        assertEquals(WalState.INSERTING, r.w.state());
    }

    @Test
    void aShutdownCancelsAWaitingStandby() throws Exception {
        Restored r = new Restored("standby-stop", ArchiveRecovery.STANDBY_SIGNAL);
        StartupProcess sp = r.startup(restoreFrom(archive, "wal_retrieve_retry_interval", "60000"));
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(sp.run());
            } catch (RuntimeException e) {
                result.set(e);
            }
        }, "startup");
        t.start();
        awaitLine("restored log file \"" + name(lastArchivedSegment) + "\" from archive");
        Thread.sleep(200);
        sp.cancel();
        t.join(5_000);
        assertFalse(t.isAlive(), "the wait is cut short");
        assertTrue(result.get() instanceof StartupProcess.Cancelled, String.valueOf(result.get()));
        assertTrue(Files.exists(r.data.resolve("standby.signal")));
        assertNull(lines().stream().filter("archive recovery complete"::equals).findAny().orElse(null));
    }

    private void awaitLine(String line) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!lines().contains(line)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no \"" + line + "\" in " + lines());
            }
            Thread.sleep(20);
        }
    }

    private long endOf(long lsn) {
        try (var r = wal.reader(lsn)) {
            return r.next().endLsn();
        }
    }

    /** A page boundary and the first record position after its header are the same place. */
    private static long position(long lsn) {
        if (lsn % 8192 != 0) {
            return lsn;
        }
        return lsn + (lsn % SEG == 0 ? 40 : 24);
    }

    private static int indexOfPrefix(List<String> l, String prefix) {
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
