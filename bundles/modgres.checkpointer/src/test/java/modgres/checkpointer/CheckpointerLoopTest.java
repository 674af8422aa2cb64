package modgres.checkpointer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.PageStore;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.control.CheckpointParticipant;
import modgres.api.control.CheckpointRecord;
import modgres.api.control.CheckpointStats;
import modgres.api.control.ClusterState;
import modgres.api.control.ControlData;
import modgres.api.control.ControlFile;
import modgres.api.error.PgException;
import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.txn.TransactionManager;
import modgres.api.wal.Lsn;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalState;
import modgres.shmem.buffer.SharedBufferPool;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

class CheckpointerLoopTest {
    @TempDir
    Path dir;

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private WriteAheadLog wal;
    private Thread thread;
    private CheckpointerLoop loop;

    /** Pages in memory; counts writes and fsyncs. */
    static final class MemoryStore implements PageStore {
        final Map<BufferTag, byte[]> pages = new ConcurrentHashMap<>();
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger fsyncs = new AtomicInteger();

        @Override
        public int nblocks(RelFileNode rel, ForkNumber fork) {
            return (int) pages.keySet().stream().filter(t -> t.relfilenode() == rel.relfilenode()).count();
        }

        @Override
        public void read(BufferTag tag, ByteBuffer page) {
            byte[] b = pages.getOrDefault(tag, new byte[BufferPool.BLOCK_SIZE]);
            page.put(0, b, 0, b.length);
        }

        @Override
        public void write(BufferTag tag, ByteBuffer page) {
            byte[] b = new byte[BufferPool.BLOCK_SIZE];
            page.get(0, b, 0, b.length);
            pages.put(tag, b);
            writes.incrementAndGet();
        }

        @Override
        public void extend(BufferTag tag, ByteBuffer page) {
            write(tag, page);
        }

        @Override
        public void fsync(RelFileNode rel, ForkNumber fork) {
            fsyncs.incrementAndGet();
        }
    }

    private ServerLog capturingLog() {
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String s) {
                        LogRecord r = ServerLog.decode(s);
                        if (r != null) {
                            logged.add(r);
                        }
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
        return ServerLog.of(logger, LogContext.process(1, "checkpointer"));
    }

    private static CheckpointerLoop.Config config(int timeoutSeconds, int maxWalMb) {
        return new CheckpointerLoop.Config() {
            @Override
            public int timeoutSeconds() {
                return timeoutSeconds;
            }

            @Override
            public double completionTarget() {
                return 0.9;
            }

            @Override
            public int maxWalSizeMb() {
                return maxWalMb;
            }

            @Override
            public int warningSeconds() {
                return 30;
            }

            @Override
            public boolean logCheckpoints() {
                return true;
            }
        };
    }

    private WriteAheadLog openWal() {
        WriteAheadLog w = new WriteAheadLog(WalConfig.defaults(dir).withSegmentSize(1 << 20).withWalBuffers(16),
                capturingLog());
        w.startAt(w.findEnd(Lsn.INVALID));
        return w;
    }

    /** Dirties {@code n} blocks, each after logging a record whose end becomes the page's LSN. */
    private void dirty(SharedBufferPool pool, int n) {
        for (int block = 0; block < n; block++) {
            long lsn = wal.insert(WalRecord.of(ResourceManager.XLOG, ResourceManager.XLOG_NOOP, 0, new byte[40]));
            int b = pool.pin(1663, 5, 16384 + block % 3, ForkNumber.MAIN, block, ReadMode.ZERO_ON_MISS, null);
            pool.lockContent(b, true);
            pool.page(b).putInt(100, block);
            BufferPool.setPageLsn(pool.page(b), lsn);
            pool.markDirty(b);
            pool.unlockContent(b);
            pool.unpin(b);
        }
    }

    private void startLoop(CheckpointerLoop l) throws InterruptedException {
        loop = l;
        thread = new Thread(l, "checkpointer");
        thread.start();
        // request() refuses until the loop runs; wait for it without asserting any timing.
        for (int i = 0; i < 1000; i++) {
            if (l.isRunning()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("checkpointer did not start");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (thread != null) {
            loop.stop(false);
            thread.join(10_000);
        }
        if (wal != null) {
            wal.close();
        }
    }

    private List<String> messages() {
        return logged.stream().map(LogRecord::message).toList();
    }

    private static WalRecord recordAt(WriteAheadLog wal, long lsn) {
        try (WalReader r = wal.reader(lsn)) {
            return r.next();
        }
    }

    @Test
    void aRequestedCheckpointWritesEveryDirtyBufferAndNamesItsRecordInPgControl() throws Exception {
        wal = openWal();
        MemoryStore store = new MemoryStore();
        SharedBufferPool pool = new SharedBufferPool(64, store);
        pool.setWalFlusher(wal::flush);
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        dirty(pool, 40);
        startLoop(new CheckpointerLoop(wal, pool, control, capturingLog(), config(3600, 1024)));

        loop.request(true, true);

        assertEquals(40, store.writes.get(), "every dirty buffer was written");
        assertEquals(40, pool.stats().writesCheckpoint());
        assertTrue(store.fsyncs.get() >= 3, "the written forks were synced");
        ControlData cd = control.read();
        assertEquals(ClusterState.IN_PRODUCTION, cd.state());
        assertTrue(Lsn.isValid(cd.checkpoint()));
        assertTrue(Lsn.compare(cd.redo(), cd.checkpoint()) <= 0);
        assertTrue(Lsn.compare(wal.flushedPosition(), cd.checkpoint()) > 0, "the record is durable");

        WalRecord rec = recordAt(wal, cd.checkpoint());
        assertNotNull(rec);
        assertEquals(cd.checkpoint(), rec.lsn());
        assertEquals(ResourceManager.XLOG, rec.rmgr());
        assertEquals(ResourceManager.XLOG_CHECKPOINT_ONLINE, rec.info());
        CheckpointRecord body = CheckpointRecord.decode(rec.mainData());
        assertEquals(cd.redo(), body.redo());
        assertEquals(wal.redoPointer(), body.redo());
        assertEquals(1, body.timeline());
        assertEquals(cd.nextOid(), body.nextOid());

        assertTrue(messages().contains("checkpoint starting: immediate force wait"), messages().toString());
        assertTrue(messages().stream().anyMatch(m -> m.startsWith("checkpoint complete: wrote 40 buffers (62.5%);")),
                messages().toString());
        CheckpointStats stats = loop.stats();
        assertTrue(stats.checkpointsRequested() >= 1);
        assertEquals(0, stats.checkpointsTimed());
        assertEquals(40, stats.buffersCheckpoint());
    }

    @Test
    void theShutdownCheckpointLeavesTheClusterShutDown() throws Exception {
        wal = openWal();
        MemoryStore store = new MemoryStore();
        SharedBufferPool pool = new SharedBufferPool(32, store);
        pool.setWalFlusher(wal::flush);
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        dirty(pool, 10);
        startLoop(new CheckpointerLoop(wal, pool, control, capturingLog(), config(3600, 1024)));

        loop.stop(true);
        thread.join(60_000);
        assertFalse(thread.isAlive());
        thread = null;

        assertEquals(10, store.writes.get());
        ControlData cd = control.read();
        assertEquals(ClusterState.SHUT_DOWN, cd.state());
        WalRecord rec = recordAt(wal, cd.checkpoint());
        assertEquals(ResourceManager.XLOG_CHECKPOINT_SHUTDOWN, rec.info());
        assertEquals(cd.redo(), CheckpointRecord.decode(rec.mainData()).redo());
        assertEquals(wal.insertPosition(), rec.endLsn(), "nothing follows the shutdown checkpoint");
        assertTrue(messages().contains("checkpoint starting: shutdown immediate"), messages().toString());
    }

    @Test
    void anImmediateStopMakesNoCheckpoint() throws Exception {
        wal = openWal();
        SharedBufferPool pool = new SharedBufferPool(16, new MemoryStore());
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        startLoop(new CheckpointerLoop(wal, pool, control, capturingLog(), config(3600, 1024)));
        loop.stop(false);
        thread.join(10_000);
        thread = null;
        assertFalse(Files.exists(control.path()));
        assertThrows(PgException.class, () -> loop.request(true, true), "no checkpointer to ask");
    }

    @Test
    void anUnforcedCheckpointIsSkippedWhenNothingHappened() {
        wal = openWal();
        SharedBufferPool pool = new SharedBufferPool(16, new MemoryStore());
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        CheckpointerLoop l = new CheckpointerLoop(wal, pool, control, capturingLog(), config(3600, 1024));
        CheckpointerLoop.Result first = l.checkpoint(CheckpointerLoop.IMMEDIATE);
        assertNotNull(first);
        assertNull(l.checkpoint(CheckpointerLoop.IMMEDIATE), "idle: skipped");
        assertNotNull(l.checkpoint(CheckpointerLoop.IMMEDIATE | CheckpointerLoop.FORCE), "forced: done");
        assertTrue(messages().contains("checkpoint skipped because system is idle"));
    }

    @Test
    void aFailedCheckpointLeavesPgControlAloneAndTheNextOneSucceeds() throws Exception {
        wal = openWal();
        SharedBufferPool pool = new SharedBufferPool(16, new MemoryStore());
        pool.setWalFlusher(wal::flush);
        ControlFileStore real = new ControlFileStore(dir, 1 << 20, 1);
        AtomicInteger failures = new AtomicInteger(1);
        ControlFile flaky = new ControlFile() {
            @Override
            public ControlData read() {
                return real.read();
            }

            @Override
            public void write(ControlData data) {
                if (failures.getAndDecrement() > 0) {
                    throw new PgException("58030", "could not write to file \"global/pg_control\": disk full");
                }
                real.write(data);
            }
        };
        dirty(pool, 5);
        startLoop(new CheckpointerLoop(wal, pool, flaky, capturingLog(), config(3600, 1024)));
        PgException e = assertThrows(PgException.class, () -> loop.request(true, true));
        assertEquals("checkpoint request failed", e.getMessage());
        assertFalse(Files.exists(real.path()), "pg_control not written");
        assertTrue(logged.stream().anyMatch(r -> r.severity() == Severity.ERROR
                && r.message().contains("disk full")), messages().toString());

        loop.request(true, true);
        ControlData cd = real.read();
        assertEquals(ClusterState.IN_PRODUCTION, cd.state());
        assertEquals(ResourceManager.XLOG_CHECKPOINT_ONLINE, recordAt(wal, cd.checkpoint()).info());
    }

    @Test
    void aCheckpointRecyclesTheSegmentsBeforeItsRedoPointer() {
        wal = openWal();
        SharedBufferPool pool = new SharedBufferPool(16, new MemoryStore());
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        CheckpointerLoop l = new CheckpointerLoop(wal, pool, control, capturingLog(), config(3600, 1024));
        long end = 0;
        for (int i = 0; i < 400; i++) { // ~3 MiB: several 1 MiB segments
            end = wal.insert(WalRecord.of(ResourceManager.XLOG, ResourceManager.XLOG_NOOP, 0, new byte[8000]));
        }
        wal.flush(end);
        CheckpointerLoop.Result r = l.checkpoint(CheckpointerLoop.IMMEDIATE | CheckpointerLoop.FORCE);
        assertTrue(r.recycle().recycled() + r.recycle().removed() >= 2, r.recycle().toString());
        assertTrue(r.completeLine().contains(r.recycle().removed() + " removed, " + r.recycle().recycled()
                + " recycled"), r.completeLine());
    }

    @Test
    void theCompleteLineHasPostgres15Format() {
        assertEquals("checkpoint complete: wrote 3 buffers (0.0%); 0 WAL file(s) added, 0 removed, 1 recycled; "
                + "write=0.002 s, sync=0.001 s, total=0.004 s; sync files=2, longest=0.001 s, average=0.000 s; "
                + "distance=16383 kB, estimate=16384 kB",
                CheckpointerLoop.completeLine(3, 16384, 0, 0, 1, 2_345, 1_001, 4_999, 2, 1_001, 500,
                        16_383L * 1024 + 1023, 16_384L * 1024));
        assertEquals("checkpoint complete: wrote 128 buffers (100.0%); 2 WAL file(s) added, 3 removed, 4 recycled; "
                + "write=26.999 s, sync=1.500 s, total=28.600 s; sync files=7, longest=0.750 s, average=0.214 s; "
                + "distance=1024 kB, estimate=2048 kB",
                CheckpointerLoop.completeLine(128, 128, 2, 3, 4, 26_999_999, 1_500_000, 28_600_000, 7, 750_000,
                        214_285, 1024 * 1024, 2048 * 1024));
        Pattern pg15 = Pattern.compile("checkpoint complete: wrote \\d+ buffers \\(\\d+\\.\\d%\\); "
                + "\\d+ WAL file\\(s\\) added, \\d+ removed, \\d+ recycled; "
                + "write=\\d+\\.\\d{3} s, sync=\\d+\\.\\d{3} s, total=\\d+\\.\\d{3} s; "
                + "sync files=\\d+, longest=\\d+\\.\\d{3} s, average=\\d+\\.\\d{3} s; distance=\\d+ kB, estimate=\\d+ kB");
        wal = openWal();
        SharedBufferPool pool = new SharedBufferPool(16, new MemoryStore());
        CheckpointerLoop l = new CheckpointerLoop(wal, pool, new ControlFileStore(dir, 1 << 20, 1),
                capturingLog(), config(3600, 1024));
        assertTrue(pg15.matcher(l.checkpoint(CheckpointerLoop.IMMEDIATE | CheckpointerLoop.FORCE).completeLine())
                .matches());
    }

    @Test
    void startingWordsFollowPostgres15() {
        assertEquals(" time", CheckpointerLoop.flagWords(CheckpointerLoop.CAUSE_TIME));
        assertEquals(" wal", CheckpointerLoop.flagWords(CheckpointerLoop.CAUSE_XLOG));
        assertEquals(" immediate force wait", CheckpointerLoop.flagWords(
                CheckpointerLoop.IMMEDIATE | CheckpointerLoop.FORCE | CheckpointerLoop.WAIT));
        assertEquals(" shutdown immediate",
                CheckpointerLoop.flagWords(CheckpointerLoop.SHUTDOWN | CheckpointerLoop.IMMEDIATE));
    }

    @Test
    void enoughWalTriggersACheckpoint() throws Exception {
        wal = openWal();
        SharedBufferPool pool = new SharedBufferPool(16, new MemoryStore());
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        // max_wal_size 2 MB: the trigger is at about 2 MB / 1.9.
        startLoop(new CheckpointerLoop(wal, pool, control, capturingLog(), config(3600, 2)));
        long end = 0;
        for (int i = 0; i < 200; i++) {
            end = wal.insert(WalRecord.of(ResourceManager.XLOG, ResourceManager.XLOG_NOOP, 0, new byte[8000]));
        }
        wal.flush(end);
        for (int i = 0; i < 1000 && !messages().contains("checkpoint starting: wal"); i++) {
            Thread.sleep(20);
        }
        assertTrue(messages().contains("checkpoint starting: wal"), messages().toString());
    }

    /** A transaction manager whose counters are fixed; every other method is unsupported. */
    private static TransactionManager txn(long nextFullXid, int nextOid) {
        return (TransactionManager) Proxy.newProxyInstance(TransactionManager.class.getClassLoader(),
                new Class<?>[] {TransactionManager.class}, (p, m, args) -> switch (m.getName()) {
                    case "nextFullXid" -> nextFullXid;
                    case "nextOid" -> nextOid;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void participantsRunAfterTheRedoPointerAndBeforeTheBuffersAndTheRecord() {
        wal = openWal();
        MemoryStore store = new MemoryStore();
        SharedBufferPool pool = new SharedBufferPool(16, store);
        pool.setWalFlusher(wal::flush);
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        dirty(pool, 4);
        List<String> seen = new CopyOnWriteArrayList<>();
        CheckpointParticipant clog = (redo, shutdown) -> seen.add("clog redo=" + redo + " shutdown=" + shutdown
                + " walRedo=" + wal.redoPointer() + " pagesWritten=" + store.writes.get() + " insert="
                + wal.insertPosition());
        CheckpointParticipant subtrans = (redo, shutdown) -> seen.add("subtrans");
        CheckpointerLoop l = new CheckpointerLoop(wal, pool, control, capturingLog(), config(3600, 1024),
                () -> List.of(clog, subtrans), () -> txn(4242, 20000));

        CheckpointerLoop.Result r = l.checkpoint(CheckpointerLoop.IMMEDIATE | CheckpointerLoop.FORCE);

        assertEquals(List.of("clog redo=" + r.redo() + " shutdown=false walRedo=" + r.redo()
                + " pagesWritten=0 insert=" + r.redo(), "subtrans"), seen,
                "after the REDO pointer is fixed, before any buffer is written and before the record");
        assertEquals(4, store.writes.get());
        CheckpointRecord body = CheckpointRecord.decode(recordAt(wal, r.checkpointLsn()).mainData());
        assertEquals(4242, body.nextXid(), "nextXid from the transaction manager");
        assertEquals(20000 + CheckpointerLoop.OID_PREFETCH, body.nextOid(),
                "an online checkpoint's nextOid covers the OIDs the manager may hand out without logging");
        ControlData cd = control.read();
        assertEquals(4242, cd.nextXid());
        assertEquals(20000 + CheckpointerLoop.OID_PREFETCH, cd.nextOid());

        seen.clear();
        CheckpointerLoop.Result s = l.checkpoint(CheckpointerLoop.SHUTDOWN | CheckpointerLoop.IMMEDIATE);
        assertTrue(seen.get(0).contains("shutdown=true"), seen.toString());
        assertEquals(20000, CheckpointRecord.decode(recordAt(wal, s.checkpointLsn()).mainData()).nextOid(),
                "nothing runs after a shutdown checkpoint: its nextOid is exact");
    }

    @Test
    void aFailingParticipantFailsTheCheckpoint() {
        wal = openWal();
        SharedBufferPool pool = new SharedBufferPool(16, new MemoryStore());
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        CheckpointParticipant broken = (redo, shutdown) -> {
            throw new PgException("58030", "could not write file \"pg_xact/0000\": No space left on device");
        };
        CheckpointerLoop l = new CheckpointerLoop(wal, pool, control, capturingLog(), config(3600, 1024),
                () -> List.of(broken), () -> null);
        long before = wal.insertPosition();
        assertThrows(PgException.class, () -> l.checkpoint(CheckpointerLoop.IMMEDIATE | CheckpointerLoop.FORCE));
        assertFalse(Files.exists(control.path()), "pg_control untouched");
        assertEquals(before, wal.insertPosition(), "no checkpoint record");
    }

    @Test
    void withoutATransactionManagerTheIdsOfPgControlAreCarriedOver() {
        wal = openWal();
        SharedBufferPool pool = new SharedBufferPool(16, new MemoryStore());
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        control.write(control.read().withNextIds(555, 17000));
        CheckpointerLoop l = new CheckpointerLoop(wal, pool, control, capturingLog(), config(3600, 1024));
        CheckpointerLoop.Result r = l.checkpoint(CheckpointerLoop.IMMEDIATE | CheckpointerLoop.FORCE);
        CheckpointRecord body = CheckpointRecord.decode(recordAt(wal, r.checkpointLsn()).mainData());
        assertEquals(555, body.nextXid());
        assertEquals(17000, body.nextOid());
    }

    @Test
    void aCheckpointWhilePgControlSaysInCrashRecoveryIsTheEndOfRecoveryCheckpoint() throws Exception {
        wal = openWal();
        SharedBufferPool pool = new SharedBufferPool(16, new MemoryStore());
        pool.setWalFlusher(wal::flush);
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        control.write(control.read().withState(ClusterState.IN_CRASH_RECOVERY, 1_700_000_000L));
        dirty(pool, 3);
        startLoop(new CheckpointerLoop(wal, pool, control, capturingLog(), config(3600, 1024)));

        loop.request(true, false); // what the startup process asks

        assertTrue(messages().contains("checkpoint starting: end-of-recovery immediate wait"), messages().toString());
        ControlData cd = control.read();
        assertEquals(ClusterState.IN_PRODUCTION, cd.state(), "in production once the checkpoint is durable");
        WalRecord rec = recordAt(wal, cd.checkpoint());
        assertEquals(ResourceManager.XLOG_CHECKPOINT_SHUTDOWN, rec.info(), "a shutdown checkpoint made at another time");
        assertEquals(cd.checkpoint(), CheckpointRecord.decode(rec.mainData()).redo());

        dirty(pool, 1);
        loop.request(true, false);
        assertTrue(messages().contains("checkpoint starting: immediate wait"), "the next one is ordinary");
    }

    @Test
    void whileRecoveryRunsNothingIsCheckpointedAndAShutdownMakesNoCheckpoint() throws Exception {
        wal = new WriteAheadLog(WalConfig.defaults(dir).withSegmentSize(1 << 20).withWalBuffers(16), capturingLog());
        assertEquals(WalState.READING, wal.state());
        SharedBufferPool pool = new SharedBufferPool(16, new MemoryStore());
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        startLoop(new CheckpointerLoop(wal, pool, control, capturingLog(), config(1, 1024)));
        Thread.sleep(1300); // past checkpoint_timeout
        loop.stop(true);
        thread.join(10_000);
        assertFalse(thread.isAlive());
        thread = null;
        assertFalse(Files.exists(control.path()), "no checkpoint, no pg_control");
        assertTrue(logged.stream().noneMatch(r -> r.severity() == Severity.ERROR), messages().toString());
        assertTrue(messages().contains("no shutdown checkpoint: recovery has not finished"), messages().toString());
    }

    @Test
    void aRequestRightAfterTheProcessStartedIsQueuedNotRefused() throws Exception {
        wal = openWal();
        SharedBufferPool pool = new SharedBufferPool(16, new MemoryStore());
        ControlFileStore control = new ControlFileStore(dir, 1 << 20, 1);
        CheckpointerLoop l = new CheckpointerLoop(wal, pool, control, capturingLog(), config(3600, 1024));
        l.resume(); // what LoopProcess.start() does before it starts the thread
        PgException[] failure = new PgException[1];
        Thread requester = new Thread(() -> {
            try {
                l.request(true, true);
            } catch (PgException e) {
                failure[0] = e;
            }
        });
        requester.start();
        Thread.sleep(50);
        loop = l;
        thread = new Thread(l, "checkpointer");
        thread.start();
        requester.join(30_000);
        assertFalse(requester.isAlive());
        assertNull(failure[0]);
        assertEquals(ClusterState.IN_PRODUCTION, control.read().state());
    }

    @Test
    void endOfRecoveryHasItsWordInTheStartingLine() {
        assertEquals(" end-of-recovery immediate wait", CheckpointerLoop.flagWords(
                CheckpointerLoop.END_OF_RECOVERY | CheckpointerLoop.IMMEDIATE | CheckpointerLoop.WAIT));
    }
}
