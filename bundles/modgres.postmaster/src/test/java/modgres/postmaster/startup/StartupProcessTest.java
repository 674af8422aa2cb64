package modgres.postmaster.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
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
import modgres.api.wal.RedoContext.Action;
import modgres.api.wal.RedoHandler;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalState;
import modgres.postmaster.startup.Fakes.MarkHandler;
import modgres.postmaster.startup.Fakes.MemoryControl;
import modgres.postmaster.startup.Fakes.MemoryStorage;
import modgres.postmaster.startup.Fakes.RecordingCheckpointer;
import modgres.postmaster.startup.Fakes.Txn;
import modgres.shmem.buffer.SharedBufferPool;
import modgres.wal.internal.SyncMethod;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

/**
 * Crash recovery over a real WAL and the real buffer pool: a first "life"
 * writes records, checkpoints and (partly) pages, then "crashes" by
 * abandoning its WAL and buffer pool; a new WAL on the same directory and a
 * new pool over the same relation "files" are recovered by the startup.
 */
class StartupProcessTest {
    static final RelFileNode REL = new RelFileNode(1663, 5, 16384);
    static final long SEP_2026 = 1_788_235_506L; // 2026-09-01 04:05:06 UTC

    @TempDir
    Path dir;

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final List<WriteAheadLog> wals = new ArrayList<>();
    private final MemoryStorage storage = new MemoryStorage();
    private final MemoryControl control = new MemoryControl(ControlData.initial(1 << 20, 0));
    private WriteAheadLog wal;
    private SharedBufferPool pool;

    @AfterEach
    void closeEverything() {
        for (WriteAheadLog w : wals) {
            w.close();
        }
    }

    // ------------------------------------------------------------------ the first life

    private WriteAheadLog newWal() {
        WriteAheadLog w = new WriteAheadLog(WalConfig.defaults(dir).withSegmentSize(1 << 20).withWalBuffers(16)
                .withSync(SyncMethod.FDATASYNC, false), Fakes.log(new ArrayList<>()));
        wals.add(w);
        return w;
    }

    private void firstLife() {
        wal = newWal();
        wal.startAt(wal.findEnd(Lsn.INVALID));
        pool = new SharedBufferPool(32, storage);
        pool.setWalFlusher(wal::flush);
    }

    /** A heap-like change: block {@code blk} gets {@code mark}; returns the record's start. */
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

    private long insert(WalRecord r) {
        long start = wal.insertPosition();
        wal.insert(r);
        return start;
    }

    /** Writes a checkpoint record for {@code redo} and names it in pg_control; returns its start. */
    private long checkpoint(long redo, boolean shutdown, long nextXid, int nextOid, ClusterState state) {
        long start = wal.insertPosition();
        long end = wal.insert(WalRecord.of(ResourceManager.XLOG,
                shutdown ? ResourceManager.XLOG_CHECKPOINT_SHUTDOWN : ResourceManager.XLOG_CHECKPOINT_ONLINE, 0,
                new CheckpointRecord(redo, 1, 1, SEP_2026, nextXid, nextOid).encode()));
        wal.flush(end);
        control.write(control.read().withNextIds(nextXid, nextOid)
                .withCheckpoint(state, SEP_2026, start, redo, 1, SEP_2026));
        return start;
    }

    /** The crash: what is flushed stays; the WAL object and the buffers are abandoned. */
    private void crash() {
        wal.flush(wal.insertPosition());
        wal = newWal();
        pool = new SharedBufferPool(32, storage);
        pool.setWalFlusher(wal::flush);
        control.writes.clear();
    }

    private StartupProcess startup(List<RedoHandler> handlers, Txn txn, RecordingCheckpointer ckpt) {
        return new StartupProcess(wal, control, pool, storage, txn == null ? () -> null : txn::proxy, handlers,
                () -> ckpt, Fakes.log(logged), ZoneOffset.UTC);
    }

    private List<String> lines() {
        return logged.stream().filter(r -> r.severity() == Severity.LOG).map(LogRecord::message).toList();
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private int markInPool(int blk) {
        int b = pool.pin(BufferTag.of(REL, ForkNumber.MAIN, blk), ReadMode.NORMAL, null);
        try {
            return pool.page(b).getInt(MarkHandler.MARK);
        } finally {
            pool.unpin(b);
        }
    }

    private long lsnInPool(int blk) {
        int b = pool.pin(BufferTag.of(REL, ForkNumber.MAIN, blk), ReadMode.NORMAL, null);
        try {
            return BufferPool.getPageLsn(pool.page(b));
        } finally {
            pool.unpin(b);
        }
    }

    private static long endOf(WriteAheadLog w, long lsn) {
        try (var r = w.reader(lsn)) {
            return r.next().endLsn();
        }
    }

    // ------------------------------------------------------------------ tests

    @Test
    void replayDispatchesExactlyTheRecordsAfterTheRedoPointerInOrder() {
        firstLife();
        change(0, 1, 0, BlockReference.FORCE_IMAGE);
        change(1, 2, 0, BlockReference.FORCE_IMAGE);
        pool.flushAll((s, d, r, f) -> true);
        long redo = wal.advanceRedoPointer();
        long b1 = change(0, 10, 0, 0);
        checkpoint(redo, false, ControlData.FIRST_NORMAL_XID, ControlData.FIRST_NORMAL_OID,
                ClusterState.IN_PRODUCTION);
        long b2 = change(1, 20, 0, 0);
        long b3 = change(0, 30, 0, 0);
        long b4 = change(2, 40, 0, 0);
        crash();

        MarkHandler heap = new MarkHandler(ResourceManager.HEAP);
        StartupProcess.Outcome out = startup(List.of(heap), null, null).run();

        assertEquals(List.of(b1, b2, b3, b4), heap.replayed, "exactly the records after REDO, in order");
        assertTrue(out.recovered());
        assertEquals(b1, out.firstReplayed());
        assertEquals(b4, out.lastReplayed());
        assertEquals(5, out.recordsReplayed(), "four changes and the checkpoint record itself");
        assertEquals(1, heap.startups);
        assertEquals(1, heap.cleanups);
        assertEquals(30, markInPool(0));
        assertEquals(20, markInPool(1));
        assertEquals(40, markInPool(2), "block 2 never reached the disk: extended, restored from its image");
        assertEquals(endOf(wal, b3), lsnInPool(0), "a replayed page carries its record's end as LSN");
        assertEquals(WalState.INSERTING, wal.state());
        assertEquals(out.end().endLsn(), wal.insertPosition(), "the log continues after its last valid record");
        assertEquals(redo, wal.redoPointer());
        assertEquals(List.of(true, false), storage.recoveryModes, "storage in recovery mode during replay only");

        List<String> l = lines();
        assertEquals("database system was interrupted; last known up at 2026-09-01 04:05:06 UTC", l.get(0));
        assertEquals("database system was not properly shut down; automatic recovery in progress", l.get(1));
        assertEquals("redo starts at " + Lsn.format(b1), l.get(2));
        assertEquals(out.end().reason(), l.get(3));
        assertTrue(l.get(3).matches("invalid record length at 0/[0-9A-F]+: wanted 24, got 0"), l.toString());
        assertTrue(l.get(4).matches("redo done at " + Lsn.format(b4).replace("/", "/")
                + " system usage: CPU: user: \\d+\\.\\d\\d s, system: \\d+\\.\\d\\d s, elapsed: \\d+\\.\\d\\d s"),
                l.get(4));
        assertEquals(5, l.size(), l.toString());

        // Without a checkpointer, pg_control goes "in crash recovery" during replay, then "in production".
        assertEquals(List.of(ClusterState.IN_CRASH_RECOVERY, ClusterState.IN_PRODUCTION),
                control.writes.stream().map(ControlData::state).toList());
    }

    @Test
    void theEndOfRecoveryCheckpointIsRequestedOnceTheWalAcceptsRecords() {
        firstLife();
        long redo = wal.advanceRedoPointer();
        checkpoint(redo, false, ControlData.FIRST_NORMAL_XID, ControlData.FIRST_NORMAL_OID,
                ClusterState.IN_PRODUCTION);
        change(0, 5, 0, 0);
        crash();
        RecordingCheckpointer ckpt = new RecordingCheckpointer(wal);
        startup(List.of(new MarkHandler(ResourceManager.HEAP)), null, ckpt).run();
        assertEquals(List.of("wait=true force=false wal=INSERTING"), ckpt.calls);
        // The checkpointer sees "in crash recovery" and makes it the end-of-recovery checkpoint; the
        // startup itself leaves pg_control alone after that.
        assertEquals(List.of(ClusterState.IN_CRASH_RECOVERY),
                control.writes.stream().map(ControlData::state).toList());
    }

    @Test
    void fullPageImagesAreRestoredAndChangesAlreadyOnDiskAreSkipped() {
        firstLife();
        change(0, 1, 0, 0); // before the checkpoint
        change(1, 5, 0, 0);
        pool.flushAll((s, d, r, f) -> true);
        long redo = wal.advanceRedoPointer();
        checkpoint(redo, false, ControlData.FIRST_NORMAL_XID, ControlData.FIRST_NORMAL_OID,
                ClusterState.IN_PRODUCTION);
        change(0, 2, 0, 0); // first change after REDO: the WAL takes an image (page LSN <= REDO)
        change(0, 3, 0, 0); // no image
        change(1, 6, 0, BlockReference.NO_IMAGE);
        change(2, 9, 0, BlockReference.WILL_INIT);
        pool.flushAll((s, d, r, f) -> true); // every change reaches the disk ...
        storage.files.get(REL.toString()).set(0, new byte[BufferPool.BLOCK_SIZE]); // ... but block 0's is torn
        crash();

        MarkHandler heap = new MarkHandler(ResourceManager.HEAP);
        startup(List.of(heap), null, null).run();
        assertEquals(List.of(Action.RESTORED, Action.NEEDS_REDO, Action.DONE, Action.NEEDS_REDO), heap.actions,
                "image restored and its successor applied; a change already on disk skipped; will-init rebuilt");
        assertEquals(3, markInPool(0));
        assertEquals(6, markInPool(1));
        assertEquals(9, markInPool(2));
    }

    @Test
    void xlogFullPageImageRecordsRestoreAndExtendAMissingRelation() {
        firstLife();
        long redo = wal.advanceRedoPointer();
        checkpoint(redo, false, ControlData.FIRST_NORMAL_XID, ControlData.FIRST_NORMAL_OID,
                ClusterState.IN_PRODUCTION);
        ByteBuffer img = ByteBuffer.allocate(BufferPool.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        Page.init(img, 0);
        img.putInt(MarkHandler.MARK, 77);
        RelFileNode other = new RelFileNode(1663, 5, 16500);
        long fpi = insert(WalRecord.builder(ResourceManager.XLOG, ResourceManager.XLOG_FPI)
                .block(other, ForkNumber.MAIN, 3, img, BlockReference.FORCE_IMAGE).build());
        crash();
        assertFalse(storage.exists(other, ForkNumber.MAIN));

        startup(List.of(), null, null).run();
        assertEquals(4, storage.nblocks(other, ForkNumber.MAIN), "created and extended through block 3");
        int b = pool.pin(BufferTag.of(other, ForkNumber.MAIN, 3), ReadMode.NORMAL, null);
        try {
            assertEquals(77, pool.page(b).getInt(MarkHandler.MARK));
            assertEquals(endOf(wal, fpi), BufferPool.getPageLsn(pool.page(b)));
        } finally {
            pool.unpin(b);
        }
    }

    @Test
    void aBlockOfARelationThatNoLongerExistsIsNotFound() {
        firstLife();
        long redo = wal.advanceRedoPointer();
        checkpoint(redo, false, ControlData.FIRST_NORMAL_XID, ControlData.FIRST_NORMAL_OID,
                ClusterState.IN_PRODUCTION);
        change(0, 1, 0, BlockReference.NO_IMAGE);
        crash();
        storage.files.clear(); // dropped later (the drop's record is not modelled here)
        MarkHandler heap = new MarkHandler(ResourceManager.HEAP);
        startup(List.of(heap), null, null).run();
        assertEquals(List.of(Action.NOT_FOUND), heap.actions);
        assertFalse(storage.exists(REL, ForkNumber.MAIN), "not created by a record that does not init it");
    }

    @Test
    void aRecordOfAResourceManagerNoHandlerClaimsRefusesTheStart() {
        firstLife();
        long redo = wal.advanceRedoPointer();
        checkpoint(redo, false, ControlData.FIRST_NORMAL_XID, ControlData.FIRST_NORMAL_OID,
                ClusterState.IN_PRODUCTION);
        insert(WalRecord.of(ResourceManager.BTREE, (byte) 0, 0, le(1)));
        crash();
        StartupProcess.Failure f = assertThrows(StartupProcess.Failure.class,
                () -> startup(List.of(new MarkHandler(ResourceManager.HEAP)), null, null).run());
        assertEquals(Severity.FATAL, f.severity());
        assertEquals("resource manager with ID 11 not registered", f.getMessage());
        assertEquals(WalState.READING, wal.state(), "the log is not continued");
        assertEquals(ClusterState.IN_CRASH_RECOVERY, control.read().state());
    }

    @Test
    void xidsAndNextOidRecordsAdvanceTheTransactionManager() {
        firstLife();
        long redo = wal.advanceRedoPointer();
        checkpoint(redo, false, 700, 20000, ClusterState.IN_PRODUCTION);
        change(0, 1, 700, 0);
        insert(WalRecord.of(ResourceManager.XLOG, XlogRedo.NEXTOID, 0, le(24576)));
        change(0, 2, 705, 0);
        change(0, 3, 702, 0);
        crash();
        Txn txn = new Txn();
        startup(List.of(new MarkHandler(ResourceManager.HEAP)), txn, null).run();
        assertEquals(List.of("recoveryStart 700 20000", "advancePastXid 700", "recoveryStart 701 24576",
                "advancePastXid 705", "advancePastXid 702"), txn.calls);
        assertEquals(706, txn.nextFullXid);
        assertEquals(24576, txn.nextOid);
    }

    @Test
    void nextOidTakesTheRecordsValueEvenBelowTheCurrentOneAndReadsItUnsigned() {
        Txn txn = new Txn();
        txn.nextFullXid = 900;
        txn.nextOid = 0xFFFF_F000;
        XlogRedo x = new XlogRedo(txn::proxy, null, 1);
        x.redo(WalRecord.of(ResourceManager.XLOG, XlogRedo.NEXTOID, 0, le(0xFFFF_FF00)), null);
        assertEquals(0xFFFF_FF00, txn.nextOid, "above 2^31: unsigned");
        x.redo(WalRecord.of(ResourceManager.XLOG, XlogRedo.NEXTOID, 0, le(16384)), null);
        assertEquals(16384, txn.nextOid, "after a wraparound the record is the truth, as in PostgreSQL");
        assertEquals(900, txn.nextFullXid);
        assertEquals("NEXTOID 4294967040",
                x.describe(WalRecord.of(ResourceManager.XLOG, XlogRedo.NEXTOID, 0, le(0xFFFF_FF00))));
    }

    @Test
    void aCleanShutdownNeedsNoRedo() {
        firstLife();
        change(0, 1, 0, 0);
        pool.flushAll((s, d, r, f) -> true);
        long redo = wal.advanceRedoPointer();
        long ck = checkpoint(redo, true, 800, 30000, ClusterState.SHUT_DOWN);
        crash();
        MarkHandler heap = new MarkHandler(ResourceManager.HEAP);
        Txn txn = new Txn();
        StartupProcess.Outcome out = startup(List.of(heap), txn, null).run();
        assertFalse(out.recovered());
        assertEquals(List.of(), heap.replayed);
        assertEquals(0, heap.startups);
        assertEquals(List.of("recoveryStart 800 30000"), txn.calls);
        assertEquals(List.of("database system was shut down at 2026-09-01 04:05:06 UTC"), lines());
        assertEquals(ClusterState.IN_PRODUCTION, control.read().state());
        assertEquals(WalState.INSERTING, wal.state());
        assertEquals(endOf(wal, ck), wal.insertPosition());
        assertEquals(List.of(), storage.recoveryModes);
    }

    @Test
    void aCrashRightAfterAShutdownCheckpointNeedsNoRedoButSaysSo() {
        firstLife();
        long redo = wal.advanceRedoPointer();
        checkpoint(redo, true, 800, 30000, ClusterState.SHUT_DOWN);
        control.write(control.read().withState(ClusterState.IN_PRODUCTION, SEP_2026)); // the next start's mark
        crash();
        MarkHandler heap = new MarkHandler(ResourceManager.HEAP);
        StartupProcess.Outcome out = startup(List.of(heap), null, null).run();
        assertTrue(out.recovered());
        assertEquals(0, out.recordsReplayed());
        List<String> l = lines();
        assertEquals("database system was not properly shut down; automatic recovery in progress", l.get(1));
        assertEquals("redo is not required", l.get(l.size() - 1));
        assertEquals(0, heap.startups, "no handler is started when nothing is replayed");
    }

    @Test
    void recordsAfterAShutdownCheckpointAreReplayedFromTheRecordAfterIt() {
        firstLife();
        long redo = wal.advanceRedoPointer();
        checkpoint(redo, true, 800, 30000, ClusterState.SHUT_DOWN);
        long after = change(0, 9, 0, 0);
        crash();
        MarkHandler heap = new MarkHandler(ResourceManager.HEAP);
        StartupProcess.Outcome out = startup(List.of(heap), null, null).run();
        assertEquals(List.of(after), heap.replayed);
        assertEquals(after, out.firstReplayed());
        assertEquals(1, out.recordsReplayed(), "the shutdown checkpoint record itself is not replayed");
        assertTrue(lines().contains("database system was not properly shut down; automatic recovery in progress"));
    }

    @Test
    void aMissingCheckpointRecordIsAPanic() {
        firstLife();
        long redo = wal.advanceRedoPointer();
        long ck = checkpoint(redo, false, 3, 16384, ClusterState.IN_PRODUCTION);
        crash();
        long nowhere = (ck / 8192 + 16) * 8192; // a page boundary past the end of the log
        control.write(control.read().withCheckpoint(ClusterState.IN_PRODUCTION, SEP_2026, nowhere, redo, 1,
                SEP_2026));
        StartupProcess.Failure f = assertThrows(StartupProcess.Failure.class,
                () -> startup(List.of(), null, null).run());
        assertEquals(Severity.PANIC, f.severity());
        assertEquals("could not locate a valid checkpoint record", f.getMessage());
    }

    @Test
    void withoutPgControlEveryRecordInPgWalIsReplayed() {
        firstLife();
        long a = change(0, 1, 0, 0);
        long b = change(0, 2, 0, 0);
        crash();
        MarkHandler heap = new MarkHandler(ResourceManager.HEAP);
        StartupProcess s = new StartupProcess(wal, null, pool, storage, () -> null, List.of(heap), () -> null,
                Fakes.log(logged), ZoneOffset.UTC);
        StartupProcess.Outcome out = s.run();
        assertEquals(List.of(a, b), heap.replayed);
        assertNull(out.checkpoint());
        assertEquals(2, markInPool(0));
    }

    @Test
    void aCancelledStartupStopsBeforeTheNextRecord() {
        firstLife();
        long redo = wal.advanceRedoPointer();
        checkpoint(redo, false, 3, 16384, ClusterState.IN_PRODUCTION);
        change(0, 1, 0, 0);
        crash();
        StartupProcess s = startup(List.of(new MarkHandler(ResourceManager.HEAP)), null, null);
        s.cancel();
        assertThrows(StartupProcess.Cancelled.class, s::run);
        assertEquals(WalState.READING, wal.state());
    }

    @Test
    void timesAreShownInLogTimezoneWithItsAbbreviation() {
        assertEquals("2026-09-01 04:05:06 UTC", StartupProcess.formatTime(SEP_2026, ZoneOffset.UTC));
        assertEquals("2026-09-01 06:05:06 CEST", StartupProcess.formatTime(SEP_2026,
                java.time.ZoneId.of("Europe/Berlin")));
        assertEquals("2026-09-01 09:05:06 +05", StartupProcess.formatTime(SEP_2026, ZoneOffset.ofHours(5)));
        assertEquals("2026-09-01 00:35:06 -03:30", StartupProcess.formatTime(SEP_2026,
                ZoneOffset.ofHoursMinutes(-3, -30)));
    }

    @Test
    void aStartedWalIsLeftAlone() {
        firstLife();
        assertNull(startup(List.of(), null, null).run());
        assertNotNull(wal);
    }
}
