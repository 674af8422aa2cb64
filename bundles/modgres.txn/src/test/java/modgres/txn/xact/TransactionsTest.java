package modgres.txn.xact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.error.PgException;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.LockInfo;
import modgres.api.txn.LockMode;
import modgres.api.txn.LockTag;
import modgres.api.txn.Snapshot;
import modgres.api.txn.Xid;
import modgres.api.txn.XidStatus;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;
import modgres.txn.clog.CommitLog;

class TransactionsTest {

    @TempDir
    Path data;

    private TxnFixture f;
    private final List<Thread> threads = new ArrayList<>();

    @BeforeEach
    void open() {
        f = new TxnFixture(data);
    }

    @AfterEach
    void close() throws InterruptedException {
        for (Thread t : threads) {
            t.interrupt();
            t.join(5000);
        }
        f.close();
    }

    private CompletableFuture<Throwable> spawn(String name, Body body) {
        CompletableFuture<Throwable> fut = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
                fut.complete(null);
            } catch (Throwable e) {
                fut.complete(e);
            }
        }, name);
        threads.add(t);
        t.start();
        return fut;
    }

    interface Body {
        void run() throws Exception;
    }

    private void awaitWaiting(int pid) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            for (LockInfo i : f.locks.locks()) {
                if (i.pid() == pid && !i.granted()) {
                    return;
                }
            }
            Thread.sleep(2);
        }
        fail("pid " + pid + " never waited");
    }

    private static final int[] NONE = new int[0];

    // ------------------------------------------------------------------ life of a transaction

    @Test
    void commitAndAbortSetTheStatusAndLeaveTheRunningSet() {
        Transactions tm = f.tm;
        int a = tm.assignXid(1);
        int b = tm.assignXid(2);
        assertEquals(Xid.FIRST_NORMAL, a);
        assertEquals(a + 1, b);
        assertEquals(b + 1, tm.nextFullXid());
        assertEquals(XidStatus.IN_PROGRESS, tm.status(a));
        assertTrue(tm.isRunning(a));
        assertTrue(f.locks.holds(1, LockTag.transaction(a), LockMode.EXCLUSIVE), "own id locked");
        long lsn = tm.commit(1, a, NONE, true);
        assertTrue(f.wal.flushedPosition() >= lsn, "synchronous commit flushed");
        tm.abort(2, b, NONE);
        assertEquals(XidStatus.COMMITTED, tm.status(a));
        assertEquals(XidStatus.ABORTED, tm.status(b));
        assertFalse(tm.isRunning(a));
        assertFalse(f.locks.holds(1, LockTag.transaction(a), LockMode.EXCLUSIVE), "id lock released");
        assertTrue(f.locks.locks().isEmpty());
        assertEquals(XidStatus.COMMITTED, tm.status(Xid.BOOTSTRAP));
        assertEquals(XidStatus.COMMITTED, tm.status(Xid.FROZEN));
        assertEquals(XidStatus.ABORTED, tm.status(Xid.INVALID));
        assertThrows(IllegalStateException.class, () -> tm.commit(1, a, NONE, true), "not running any more");
        tm.abort(2, b, NONE); // a second abort is harmless

        List<WalRecord> xact = f.records().stream().filter(r -> r.rmgr() == ResourceManager.XACT).toList();
        assertEquals(2, xact.size());
        assertEquals(XactRecords.COMMIT, xact.get(0).info());
        assertEquals(a, xact.get(0).xid());
        assertEquals(lsn, xact.get(0).endLsn());
        assertEquals(XactRecords.ABORT, xact.get(1).info());
        assertEquals(b, xact.get(1).xid());
        assertTrue(Transactions.describe(xact.get(0)).startsWith("COMMIT 20"));
        assertTrue(Transactions.describe(xact.get(1)).startsWith("ABORT 20"));
    }

    @Test
    void aBackendRunsOneTransactionAtATime() {
        f.tm.assignXid(1);
        assertThrows(IllegalStateException.class, () -> f.tm.assignXid(1));
        assertThrows(IllegalStateException.class, () -> f.tm.assignSubXid(2, 3));
    }

    @Test
    void subtransactionsCommitWithTheTopAndRollBackWithTheirSavepoint() {
        Transactions tm = f.tm;
        int top = tm.assignXid(7);
        int s1 = tm.assignSubXid(7, top);
        int s2 = tm.assignSubXid(7, s1); // nested in s1
        int s3 = tm.assignSubXid(7, top);
        assertEquals(top, tm.topLevelXid(s2));
        assertTrue(tm.isRunning(s2));
        Snapshot snap = tm.snapshot(CurrentTransaction.NONE, 0);
        assertArrayEquals(new int[] {top, s1, s2, s3}, snap.inProgress());

        tm.abortSubXids(7, top, new int[] {s1}); // ROLLBACK TO the savepoint of s1: s2 goes with it
        assertEquals(XidStatus.ABORTED, tm.status(s1));
        assertEquals(XidStatus.ABORTED, tm.status(s2));
        assertEquals(XidStatus.IN_PROGRESS, tm.status(s3));
        assertEquals(XidStatus.IN_PROGRESS, tm.status(top));
        assertFalse(f.locks.holds(7, LockTag.transaction(s1), LockMode.EXCLUSIVE));
        assertTrue(f.locks.holds(7, LockTag.transaction(s3), LockMode.EXCLUSIVE));

        tm.commit(7, top, new int[] {s3}, true);
        assertEquals(XidStatus.COMMITTED, tm.status(top));
        assertEquals(XidStatus.COMMITTED, tm.status(s3));
        assertEquals(XidStatus.ABORTED, tm.status(s1), "a rolled-back sub stays aborted");
        assertEquals(top, tm.topLevelXid(s3), "finished subs still know their top");
        assertEquals(top, tm.topLevelXid(s1));
        assertTrue(f.locks.locks().isEmpty());

        List<WalRecord> xact = f.records().stream().filter(r -> r.rmgr() == ResourceManager.XACT).toList();
        assertEquals(2, xact.size());
        XactRecords.Parsed subAbort = XactRecords.parse(xact.get(0));
        assertFalse(subAbort.commit());
        assertEquals(s1, subAbort.xid(), "the rolled-back sub is the record's xid, as PostgreSQL logs it");
        assertArrayEquals(new int[] {s2}, subAbort.subXids());
        XactRecords.Parsed commit = XactRecords.parse(xact.get(1));
        assertEquals(top, commit.xid());
        assertArrayEquals(new int[] {s3}, commit.subXids());
    }

    @Test
    void aSubTransactionSpanningPagesCommitsAtomically() {
        f.tm.recoveryStart(CommitLog.XACTS_PER_PAGE - 2, 16384);
        int top = f.tm.assignXid(1);
        int s1 = f.tm.assignSubXid(1, top);
        int s2 = f.tm.assignSubXid(1, top); // first id of page 1
        assertEquals(1, CommitLog.pageOf(s2));
        f.tm.commit(1, top, new int[] {s1, s2}, true);
        assertEquals(XidStatus.COMMITTED, f.tm.status(s2));
        assertEquals(XidStatus.COMMITTED, f.clog.get(s2), "final bits, not sub-committed");
    }

    // ------------------------------------------------------------------ crash, restart, redo

    @Test
    void idsRunningAtACrashAreAborted() {
        int a = f.tm.assignXid(1);
        int b = f.tm.assignXid(2);
        f.tm.commit(2, b, NONE, true);
        long next = f.tm.nextFullXid();
        f.crashAndRecover(Xid.FIRST_NORMAL, 16384);
        assertEquals(next, f.tm.nextFullXid(), "replay advanced past the ids it saw");
        assertEquals(XidStatus.ABORTED, f.tm.status(a));
        assertFalse(f.tm.isRunning(a));
        assertEquals(XidStatus.COMMITTED, f.tm.status(b));
    }

    @Test
    void statusSurvivesACleanRestart() {
        List<Integer> committed = new ArrayList<>();
        List<Integer> aborted = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int x = f.tm.assignXid(1);
            if (i % 3 == 0) {
                f.tm.abort(1, x, NONE);
                aborted.add(x);
            } else {
                f.tm.commit(1, x, NONE, i % 2 == 0);
                committed.add(x);
            }
        }
        long next = f.tm.nextFullXid();
        f.restartClean();
        assertEquals(next, f.tm.nextFullXid());
        committed.forEach(x -> assertEquals(XidStatus.COMMITTED, f.tm.status(x)));
        aborted.forEach(x -> assertEquals(XidStatus.ABORTED, f.tm.status(x)));
        assertEquals(next, f.tm.assignXid(1), "ids continue");
    }

    @Test
    void redoRebuildsTheCommitLogFromCommitRecords() throws Exception {
        f.tm.recoveryStart(CommitLog.XACTS_PER_PAGE - 3, 16384); // cross into page 1 on the way
        List<Integer> committed = new ArrayList<>();
        List<Integer> aborted = new ArrayList<>();
        int subCommitted = 0;
        int subAborted = 0;
        for (int i = 0; i < 12; i++) {
            int x = f.tm.assignXid(1);
            if (i == 4) {
                int s = f.tm.assignSubXid(1, x);
                int r = f.tm.assignSubXid(1, x);
                f.tm.abortSubXids(1, x, new int[] {r});
                subCommitted = s;
                subAborted = r;
            }
            if (i % 4 == 3) {
                f.tm.abort(1, x, NONE);
                aborted.add(x);
            } else {
                f.tm.commit(1, x, NONE, true);
                committed.add(x);
            }
        }
        long next = f.tm.nextFullXid();
        // Lose pg_xact entirely: only the WAL is left.
        deleteTree(data.resolve("pg_xact"));
        f.crashAndRecover(CommitLog.XACTS_PER_PAGE - 3, 16384);
        assertEquals(next, f.tm.nextFullXid());
        committed.forEach(x -> assertEquals(XidStatus.COMMITTED, f.tm.status(x), "xid " + x));
        aborted.forEach(x -> assertEquals(XidStatus.ABORTED, f.tm.status(x), "xid " + x));
        assertEquals(XidStatus.COMMITTED, f.tm.status(subCommitted));
        assertEquals(XidStatus.ABORTED, f.tm.status(subAborted));
        assertEquals(XidStatus.COMMITTED, f.tm.status(committed.get(0)));
        // and a new checkpoint writes what redo rebuilt
        f.tm.checkpoint(true);
        assertTrue(Files.exists(data.resolve("pg_xact").resolve("0000")));
    }

    @Test
    void asynchronousCommitReachesPgXactOnlyAfterItsRecord() {
        int x = f.tm.assignXid(1);
        long lsn = f.tm.commit(1, x, NONE, false);
        assertTrue(f.wal.flushedPosition() < lsn, "not flushed by the commit");
        assertEquals(XidStatus.COMMITTED, f.tm.status(x), "visible at once");
        f.tm.checkpoint(false);
        assertTrue(f.wal.flushedPosition() >= lsn, "the clog page's LSN was flushed before the page");
    }

    // ------------------------------------------------------------------ snapshots

    @Test
    void snapshotSeesRunningIdsAsRunning() {
        Transactions tm = f.tm;
        int done = tm.assignXid(1);
        int running = tm.assignXid(2);
        tm.commit(1, done, NONE, true);
        int later = tm.assignXid(3);
        tm.commit(3, later, NONE, true);
        Snapshot s = tm.snapshot(CurrentTransaction.NONE, 0);
        assertEquals(running, s.xmin());
        assertEquals(Xid.of(tm.nextFullXid()), s.xmax());
        assertArrayEquals(new int[] {running}, s.inProgress());
        assertFalse(s.isRunning(done));
        assertTrue(s.isRunning(running));
        assertFalse(s.isRunning(later));
        int future = tm.assignXid(4);
        assertTrue(s.isRunning(future), "started after the snapshot: running for it");
        tm.commit(4, future, NONE, true);
        assertTrue(s.isRunning(future), "and still, though committed since");
        tm.commit(2, running, NONE, true);
        assertTrue(s.isRunning(running), "a snapshot does not change");
        Snapshot empty = tm.snapshot(CurrentTransaction.NONE, 0);
        assertEquals(empty.xmax(), empty.xmin(), "nothing runs: xmin = xmax");
        assertEquals(0, empty.inProgress().length);
    }

    @Test
    void snapshotsUnderConcurrentCommitsNeverSeeAnUnfinishedTransactionAsFinished() throws Exception {
        int writers = 4;
        int perWriter = 400;
        AtomicReference<String> bad = new AtomicReference<>();
        Map<Integer, XidStatus> seen = new ConcurrentHashMap<>();
        CountDownLatch readerRunning = new CountDownLatch(1);
        List<CompletableFuture<Throwable>> fs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int pid = 100 + w;
            fs.add(spawn("writer" + w, () -> {
                readerRunning.await();
                for (int i = 0; i < perWriter; i++) {
                    int x = f.tm.assignXid(pid);
                    if (i % 3 == 0) {
                        int s = f.tm.assignSubXid(pid, x);
                        if (i % 2 == 0) {
                            f.tm.abortSubXids(pid, x, new int[] {s});
                        }
                    }
                    if (i % 5 == 0) {
                        f.tm.abort(pid, x, NONE);
                    } else {
                        f.tm.commit(pid, x, NONE, false);
                    }
                }
            }));
        }
        CompletableFuture<Throwable> reader = spawn("reader", () -> {
            int snaps = 0;
            while (fs.stream().anyMatch(fu -> !fu.isDone()) || snaps < 10) {
                Snapshot s = f.tm.snapshot(CurrentTransaction.NONE, 0);
                readerRunning.countDown();
                snaps++;
                // every id the snapshot calls finished: below xmin, and between xmin and xmax but not in xip
                int from = Math.max(Xid.FIRST_NORMAL, s.xmax() - 200);
                for (int x = from; Xid.precedes(x, s.xmax()); x = Xid.advance(x)) {
                    if (s.isRunning(x)) {
                        continue;
                    }
                    // Finished for the snapshot: its status must be final already.
                    XidStatus st = f.tm.status(x);
                    if (st == XidStatus.IN_PROGRESS || f.tm.isRunning(x)) {
                        bad.set("snapshot " + s + " sees " + x + " finished while it runs");
                    }
                    XidStatus before = seen.putIfAbsent(x, st);
                    if (before != null && before != st) {
                        bad.set(x + " was " + before + ", then " + st);
                    }
                }
            }
        });
        for (CompletableFuture<Throwable> fu : fs) {
            assertNull(fu.get(60, TimeUnit.SECONDS));
        }
        assertNull(reader.get(60, TimeUnit.SECONDS));
        assertNull(bad.get());
        seen.forEach((x, st) -> assertEquals(f.tm.status(x), st, "what a snapshot saw of " + x + " is final"));
        assertTrue(seen.size() > 100, "the reader saw ids finish: " + seen.size());
        assertEquals(0, f.tm.procArray().runningCount());
    }

    @Test
    void oldestXminHonoursRunningIdsAndRegisteredSnapshots() {
        Transactions tm = f.tm;
        int a = tm.assignXid(1);
        int b = tm.assignXid(2);
        assertEquals(a, tm.oldestXmin());
        Snapshot s = tm.snapshot(CurrentTransaction.NONE, 0);
        tm.setBackendXmin(3, s.xmin()); // a reader holding that snapshot
        tm.commit(1, a, NONE, true);
        assertEquals(a, tm.oldestXmin(), "the reader's snapshot still needs " + a);
        tm.setBackendXmin(3, Xid.INVALID);
        assertEquals(b, tm.oldestXmin());
        tm.commit(2, b, NONE, true);
        assertEquals(Xid.of(tm.nextFullXid()), tm.oldestXmin());
    }

    // ------------------------------------------------------------------ waiting for transactions

    @Test
    void waitForReturnsWhenTheTransactionCommits() throws Exception {
        int x = f.tm.assignXid(1);
        CompletableFuture<Throwable> w = spawn("waiter", () -> f.tm.waitFor(2, x, 0));
        awaitWaiting(2);
        assertTrue(f.locks.locks().contains(new LockInfo(LockTag.transaction(x), LockMode.EXCLUSIVE, 1, true, 0)));
        LockInfo waiting = f.locks.locks().stream().filter(i -> !i.granted()).findFirst().orElseThrow();
        assertEquals(LockMode.SHARE, waiting.mode());
        assertEquals(LockTag.transaction(x), waiting.tag());
        assertArrayEquals(new int[] {1}, f.locks.blockingPids(2));
        Thread.sleep(30);
        assertFalse(w.isDone());
        f.tm.commit(1, x, NONE, true);
        assertNull(w.get(5, TimeUnit.SECONDS));
        assertTrue(f.locks.locks().isEmpty());
        f.tm.waitFor(2, x, 0); // finished: no wait
    }

    @Test
    void waitForASubWaitsForTheTopLevelEnd() throws Exception {
        int top = f.tm.assignXid(1);
        int sub = f.tm.assignSubXid(1, top);
        CompletableFuture<Throwable> w = spawn("waiter", () -> f.tm.waitFor(2, sub, 0));
        awaitWaiting(2);
        f.tm.commit(1, top, new int[] {sub}, true);
        assertNull(w.get(5, TimeUnit.SECONDS));
        // A rolled-back sub needs no wait even though its top runs on.
        int top2 = f.tm.assignXid(1);
        int sub2 = f.tm.assignSubXid(1, top2);
        f.tm.abortSubXids(1, top2, new int[] {sub2});
        f.tm.waitFor(2, sub2, 100);
    }

    @Test
    void waitForTimesOutWith55P03() {
        int x = f.tm.assignXid(1);
        PgException e = assertThrows(PgException.class, () -> f.tm.waitFor(2, x, 100));
        assertEquals("55P03", e.sqlState());
        assertEquals("canceling statement due to lock timeout", e.getMessage());
        assertTrue(f.tm.isRunning(x));
    }

    @Test
    void waitForUsesTheThreadsBackend() throws Exception {
        int x = f.tm.assignXid(1);
        CompletableFuture<Throwable> w = spawn("backend 9", () -> {
            f.locks.lock(9, LockTag.relation(5, 16384), LockMode.ACCESS_SHARE, 0); // the thread acts for pid 9
            f.tm.waitFor(x, 0);
        });
        awaitWaiting(9);
        f.tm.abort(1, x, NONE);
        assertNull(w.get(5, TimeUnit.SECONDS));
    }

    @Test
    void transactionDeadlockReportsBothProcessesExactly() throws Exception {
        f.deadlockTimeout = 400;
        f.tm.recoveryStart(744, 16384);
        int x744 = f.tm.assignXid(101);
        int x745 = f.tm.assignXid(102);
        assertEquals(744, x744);
        assertEquals(745, x745);
        CompletableFuture<Throwable> a = spawn("p101", () -> {
            try {
                f.tm.waitFor(101, 745, 0);
            } catch (PgException e) {
                f.tm.abort(101, 744, NONE); // the backend's reaction to the error
                throw e;
            }
        });
        awaitWaiting(101);
        Thread.sleep(100); // 101's check comes well before 102's: 101 is the one to fail
        CompletableFuture<Throwable> b = spawn("p102", () -> {
            f.tm.waitFor(102, 744, 0);
            f.tm.commit(102, 745, NONE, true);
        });
        PgException e = assertInstanceOf(PgException.class, a.get(10, TimeUnit.SECONDS));
        assertEquals("40P01", e.sqlState());
        assertEquals("deadlock detected", e.getMessage());
        assertEquals("Process 101 waits for ShareLock on transaction 745; blocked by process 102.\n"
                + "Process 102 waits for ShareLock on transaction 744; blocked by process 101.", e.detail());
        assertEquals("See server log for query details.", e.hint());
        assertNull(b.get(10, TimeUnit.SECONDS));
        assertEquals(XidStatus.ABORTED, f.tm.status(744));
        assertEquals(XidStatus.COMMITTED, f.tm.status(745));
    }

    // ------------------------------------------------------------------ OIDs

    @Test
    void oidsStartAtFirstNormalAndAreLoggedInBatches() {
        assertEquals(16384, f.tm.nextOid());
        assertEquals(16384, f.tm.newOid());
        assertEquals(16385, f.tm.newOid());
        for (int i = 2; i < Transactions.OID_PREFETCH; i++) {
            f.tm.newOid();
        }
        assertEquals(1, nextOidRecords().size(), "one record covers 8192 OIDs");
        assertEquals(16384 + 8192, f.tm.newOid());
        List<Integer> logged = nextOidRecords();
        assertEquals(List.of(16384 + 8192, 16384 + 2 * 8192), logged);
    }

    @Test
    void oidsSkipTheReservedRangeAfterWrapping() {
        f.tm.recoveryStart(Xid.FIRST_NORMAL, 0xFFFFFFFF);
        assertEquals(0xFFFFFFFF, f.tm.newOid());
        assertEquals(16384, f.tm.newOid(), "0 .. 16383 are never handed out again");
        f.tm.recoveryStart(Xid.FIRST_NORMAL, 100);
        assertEquals(16384, f.tm.nextOid());
    }

    @Test
    void aCheckpointLogsNoOids() {
        f.tm.newOid();
        f.tm.checkpoint(false);
        assertEquals(List.of(16384 + 8192), nextOidRecords(), "the checkpoint record carries the prefetch");
    }

    private List<Integer> nextOidRecords() {
        return f.records().stream()
                .filter(r -> r.rmgr() == ResourceManager.XLOG && r.info() == XactRecords.XLOG_NEXTOID)
                .map(r -> r.mainDataBuffer().getInt(0)).toList();
    }

    // ------------------------------------------------------------------ records

    @Test
    void describesLikePgWaldump() {
        long ts = (Instant.parse("2026-12-03T04:05:06.123456Z").getEpochSecond() - XactRecords.PG_EPOCH_SECONDS)
                * 1_000_000L + 123_456;
        assertEquals("COMMIT 2026-12-03 04:05:06.123456 UTC; subxacts: 740 741",
                Transactions.describe(XactRecords.commit(739, ts, new int[] {740, 741})));
        assertEquals("ABORT 2026-12-03 04:05:06.123456 UTC",
                Transactions.describe(XactRecords.abort(739, ts, new int[0])));
        assertEquals("2000-01-01 00:00:00.000000 UTC", XactRecords.formatTimestamp(0));
        assertEquals("1999-12-31 23:59:59.999999 UTC", XactRecords.formatTimestamp(-1));
        WalRecord r = XactRecords.commit(5, ts, new int[] {6});
        assertEquals(12 + 4, r.mainData().length);
        assertEquals(ts, r.mainDataBuffer().getLong(0), "little-endian TimestampTz first");
        assertEquals(1, r.mainDataBuffer().getInt(8));
        assertEquals(6, r.mainDataBuffer().getInt(12));
        long now = XactRecords.now();
        long expect = (System.currentTimeMillis() / 1000 - XactRecords.PG_EPOCH_SECONDS) * 1_000_000L;
        assertTrue(Math.abs(now - expect) < 5_000_000L);
    }

    private static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
