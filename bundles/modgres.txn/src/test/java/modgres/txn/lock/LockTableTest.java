package modgres.txn.lock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;
import modgres.api.txn.LockInfo;
import modgres.api.txn.LockMode;
import modgres.api.txn.LockTag;

class LockTableTest {

    private static final LockTag REL = LockTag.relation(5, 16384);
    private static final LockTag REL2 = LockTag.relation(5, 16385);

    private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    private volatile int deadlockTimeout = 10_000;
    private final LockTable table = new LockTable(() -> deadlockTimeout);

    @AfterEach
    void stopThreads() throws InterruptedException {
        table.close();
        for (Thread t : threads) {
            t.interrupt();
            t.join(5000);
        }
    }

    /** Runs {@code body} in a new thread; the future completes with null or the failure. */
    private CompletableFuture<Throwable> spawn(String name, Body body) {
        CompletableFuture<Throwable> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
                f.complete(null);
            } catch (Throwable e) {
                f.complete(e);
            }
        }, name);
        threads.add(t);
        t.start();
        return f;
    }

    interface Body {
        void run() throws Exception;
    }

    /** Waits until {@code pid} is queued for a lock. */
    private void awaitWaiting(int pid) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            for (LockInfo i : table.locks()) {
                if (i.pid() == pid && !i.granted()) {
                    return;
                }
            }
            Thread.sleep(2);
        }
        fail("pid " + pid + " never waited");
    }

    // ------------------------------------------------------------------ conflict table

    /**
     * The documentation's "Conflicting Lock Modes" table (PostgreSQL 15,
     * section 13.3.1), typed from the manual: row = requested mode, columns
     * in the order ACCESS SHARE, ROW SHARE, ROW EXCL., SHARE UPDATE EXCL.,
     * SHARE, SHARE ROW EXCL., EXCL., ACCESS EXCL.; X = conflict.
     */
    private static final String[] DOC_TABLE = {
        ".......X", // ACCESS SHARE
        "......XX", // ROW SHARE
        "....XXXX", // ROW EXCLUSIVE
        "...XXXXX", // SHARE UPDATE EXCLUSIVE
        "..XX.XXX", // SHARE
        "..XXXXXX", // SHARE ROW EXCLUSIVE
        ".XXXXXXX", // EXCLUSIVE
        "XXXXXXXX", // ACCESS EXCLUSIVE
    };

    @Test
    void conflictTableMatchesTheDocumentationForAll64Pairs() {
        LockMode[] modes = LockMode.values();
        assertEquals(List.of("AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock",
                "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"),
                List.of(modes).stream().map(LockMode::pgName).toList());
        int pairs = 0;
        for (int r = 0; r < 8; r++) {
            for (int e = 0; e < 8; e++) {
                boolean doc = DOC_TABLE[r].charAt(e) == 'X';
                assertEquals(doc, modes[r].conflictsWith(modes[e]), modes[r] + " vs " + modes[e]);
                // and the table enforces it: pid 2 asks for r while pid 1 holds e
                LockTag tag = LockTag.relation(5, 20000 + r * 8 + e);
                assertTrue(table.tryLock(1, tag, modes[e]));
                assertEquals(!doc, table.tryLock(2, tag, modes[r]), modes[r] + " requested, " + modes[e] + " held");
                table.releaseAll(1);
                table.releaseAll(2);
                pairs++;
            }
        }
        assertEquals(64, pairs);
        assertEquals(0, table.lockCount());
    }

    @Test
    void ownLocksNeverConflict() {
        assertTrue(table.tryLock(1, REL, LockMode.ACCESS_EXCLUSIVE));
        assertTrue(table.tryLock(1, REL, LockMode.ACCESS_SHARE));
        assertTrue(table.tryLock(1, REL, LockMode.SHARE));
        assertFalse(table.tryLock(2, REL, LockMode.ACCESS_SHARE));
    }

    // ------------------------------------------------------------------ counting

    @Test
    void reentryIsCounted() throws Exception {
        table.lock(1, REL, LockMode.ROW_EXCLUSIVE, 0);
        table.lock(1, REL, LockMode.ROW_EXCLUSIVE, 0);
        assertTrue(table.tryLock(1, REL, LockMode.ROW_EXCLUSIVE));
        assertEquals(3, table.holdCount(1, REL, LockMode.ROW_EXCLUSIVE));
        assertEquals(1, table.locks().size(), "one pg_locks row per mode held");
        assertTrue(table.unlock(1, REL, LockMode.ROW_EXCLUSIVE));
        assertTrue(table.unlock(1, REL, LockMode.ROW_EXCLUSIVE));
        assertFalse(table.tryLock(2, REL, LockMode.SHARE), "still held once");
        assertTrue(table.unlock(1, REL, LockMode.ROW_EXCLUSIVE));
        assertFalse(table.unlock(1, REL, LockMode.ROW_EXCLUSIVE), "no hold left");
        assertFalse(table.unlock(7, REL2, LockMode.SHARE), "never held");
        assertEquals(0, table.lockCount());
    }

    @Test
    void holdsAcceptsStrongerModes() {
        assertTrue(table.tryLock(1, REL, LockMode.EXCLUSIVE));
        assertTrue(table.holds(1, REL, LockMode.EXCLUSIVE));
        assertTrue(table.holds(1, REL, LockMode.ROW_EXCLUSIVE));
        assertTrue(table.holds(1, REL, LockMode.ACCESS_SHARE));
        assertFalse(table.holds(1, REL, LockMode.ACCESS_EXCLUSIVE));
        assertFalse(table.holds(2, REL, LockMode.ACCESS_SHARE));
        assertTrue(table.tryLock(3, REL2, LockMode.SHARE));
        assertFalse(table.holds(3, REL2, LockMode.ROW_EXCLUSIVE), "SHARE does not conflict with SHARE");
        assertTrue(table.holds(3, REL2, LockMode.ACCESS_SHARE));
    }

    // ------------------------------------------------------------------ queueing

    @Test
    void waitersAreGrantedInFifoOrderAndNotOvertaken() throws Exception {
        table.lock(1, REL, LockMode.ACCESS_SHARE, 0);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Throwable> w2 = spawn("p2", () -> {
            table.lock(2, REL, LockMode.ACCESS_EXCLUSIVE, 0);
            order.add("2");
        });
        awaitWaiting(2);
        // Compatible with the holder but not with the earlier waiter: must queue behind it.
        assertFalse(table.tryLock(3, REL, LockMode.ACCESS_SHARE));
        CompletableFuture<Throwable> w3 = spawn("p3", () -> {
            table.lock(3, REL, LockMode.ACCESS_SHARE, 0);
            order.add("3");
        });
        awaitWaiting(3);
        CompletableFuture<Throwable> w4 = spawn("p4", () -> {
            table.lock(4, REL, LockMode.ROW_SHARE, 0);
            order.add("4");
        });
        awaitWaiting(4);
        assertArrayEquals(new int[] {1}, table.blockingPids(2));
        assertArrayEquals(new int[] {2}, table.blockingPids(3), "a waiter ahead blocks too");
        assertArrayEquals(new int[] {2}, table.blockingPids(4));
        assertArrayEquals(new int[0], table.blockingPids(1));
        table.unlock(1, REL, LockMode.ACCESS_SHARE);
        assertNull(w2.get(5, TimeUnit.SECONDS));
        Thread.sleep(50);
        assertEquals(List.of("2"), order, "3 and 4 still wait for 2");
        table.unlock(2, REL, LockMode.ACCESS_EXCLUSIVE);
        assertNull(w3.get(5, TimeUnit.SECONDS));
        assertNull(w4.get(5, TimeUnit.SECONDS));
        assertEquals("2", order.get(0));
        assertEquals(3, order.size());
        table.releaseAll(3);
        table.releaseAll(4);
        assertEquals(0, table.lockCount());
    }

    @Test
    void aHolderGoesAheadOfWaitersThatWaitForIt() throws Exception {
        table.lock(1, REL, LockMode.ACCESS_SHARE, 0);
        CompletableFuture<Throwable> w2 = spawn("p2", () -> table.lock(2, REL, LockMode.ACCESS_EXCLUSIVE, 0));
        awaitWaiting(2);
        // pid 1 holds a lock pid 2 waits behind: its new request skips the queue (ProcSleep).
        table.lock(1, REL, LockMode.ROW_EXCLUSIVE, 100);
        assertTrue(table.holds(1, REL, LockMode.ROW_EXCLUSIVE));
        assertFalse(w2.isDone());
        table.releaseAll(1);
        assertNull(w2.get(5, TimeUnit.SECONDS));
    }

    @Test
    void lockUpgradeAgainstAWaiterIsAnImmediateDeadlock() throws Exception {
        table.lock(1, REL, LockMode.ACCESS_SHARE, 0);
        table.lock(2, REL, LockMode.ACCESS_SHARE, 0);
        CompletableFuture<Throwable> w2 = spawn("p2", () -> table.lock(2, REL, LockMode.ACCESS_EXCLUSIVE, 0));
        awaitWaiting(2);
        PgException e = assertThrows(PgException.class, () -> table.lock(1, REL, LockMode.ACCESS_EXCLUSIVE, 0));
        assertEquals("40P01", e.sqlState());
        assertEquals("deadlock detected", e.getMessage());
        assertEquals("Process 1 waits for AccessExclusiveLock on relation 16384 of database 5; blocked by process 2.\n"
                + "Process 2 waits for AccessExclusiveLock on relation 16384 of database 5; blocked by process 1.",
                e.detail());
        table.releaseAll(1);
        assertNull(w2.get(5, TimeUnit.SECONDS));
    }

    // ------------------------------------------------------------------ timeouts, interrupts

    @Test
    void lockTimeoutFailsWith55P03AndLeavesTheQueue() throws Exception {
        table.lock(1, REL, LockMode.ACCESS_EXCLUSIVE, 0);
        long start = System.nanoTime();
        PgException e = assertThrows(PgException.class, () -> table.lock(2, REL, LockMode.ACCESS_SHARE, 150));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("55P03", e.sqlState());
        assertEquals("canceling statement due to lock timeout", e.getMessage());
        assertTrue(ms >= 140 && ms < 3000, "waited " + ms + " ms");
        assertEquals(1, table.locks().size(), "the request is gone");
        table.releaseAll(1);
        assertEquals(0, table.lockCount());
    }

    @Test
    void interruptEndsTheWaitAndRemovesTheRequest() throws Exception {
        table.lock(1, REL, LockMode.ACCESS_EXCLUSIVE, 0);
        AtomicReference<Thread> waiter = new AtomicReference<>();
        CompletableFuture<Throwable> w2 = spawn("p2", () -> {
            waiter.set(Thread.currentThread());
            table.lock(2, REL, LockMode.SHARE, 0);
        });
        awaitWaiting(2);
        waiter.get().interrupt();
        assertInstanceOf(InterruptedException.class, w2.get(5, TimeUnit.SECONDS));
        assertEquals(1, table.locks().size());
        table.releaseAll(1);
        assertFalse(table.holds(2, REL, LockMode.SHARE), "not granted after the interrupt");
        assertEquals(0, table.lockCount());
    }

    @Test
    void interruptedBeforeAWaitThatIsNotNeededStillGrants() throws Exception {
        Thread.currentThread().interrupt();
        try {
            table.lock(1, REL, LockMode.SHARE, 0);
            assertTrue(table.holds(1, REL, LockMode.SHARE));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void releaseAllAbandonsTheWaitOfThatPid() throws Exception {
        table.lock(1, REL, LockMode.ACCESS_EXCLUSIVE, 0);
        table.lock(2, REL2, LockMode.ACCESS_EXCLUSIVE, 0);
        CompletableFuture<Throwable> w3 = spawn("p3", () -> table.lock(3, REL2, LockMode.SHARE, 0));
        CompletableFuture<Throwable> w2 = spawn("p2", () -> table.lock(2, REL, LockMode.SHARE, 0));
        awaitWaiting(2);
        awaitWaiting(3);
        table.releaseAll(2); // its wait ends and its lock on REL2 goes to pid 3
        assertInstanceOf(InterruptedException.class, w2.get(5, TimeUnit.SECONDS));
        assertNull(w3.get(5, TimeUnit.SECONDS));
        assertTrue(table.holds(3, REL2, LockMode.SHARE));
    }

    // ------------------------------------------------------------------ deadlocks

    @Test
    void twoThreadDeadlockFailsOneWith40P01AndTheOtherGetsItsLock() throws Exception {
        deadlockTimeout = 400;
        table.lock(101, REL, LockMode.ACCESS_EXCLUSIVE, 0);
        table.lock(102, REL2, LockMode.ACCESS_EXCLUSIVE, 0);
        CompletableFuture<Throwable> a = spawn("p101", () -> {
            try {
                table.lock(101, REL2, LockMode.ACCESS_EXCLUSIVE, 0);
            } finally {
                table.releaseAll(101); // what the backend does on the error: abort
            }
        });
        awaitWaiting(101);
        Thread.sleep(100); // 101's check comes well before 102's: 101 is the one to fail
        CompletableFuture<Throwable> b = spawn("p102", () -> table.lock(102, REL, LockMode.ACCESS_EXCLUSIVE, 0));
        Throwable failure = a.get(10, TimeUnit.SECONDS);
        PgException e = assertInstanceOf(PgException.class, failure);
        assertEquals("40P01", e.sqlState());
        assertEquals("deadlock detected", e.getMessage());
        assertEquals("Process 101 waits for AccessExclusiveLock on relation 16385 of database 5; blocked by process 102.\n"
                + "Process 102 waits for AccessExclusiveLock on relation 16384 of database 5; blocked by process 101.",
                e.detail());
        assertEquals("See server log for query details.", e.hint());
        assertNull(b.get(10, TimeUnit.SECONDS));
        assertTrue(table.holds(102, REL, LockMode.ACCESS_EXCLUSIVE));
    }

    @Test
    void threeWayCycleNamesEveryProcess() throws Exception {
        deadlockTimeout = 500;
        LockTag t1 = LockTag.transaction(744);
        LockTag t2 = LockTag.transaction(745);
        LockTag t3 = LockTag.transaction(746);
        table.lock(1, t1, LockMode.EXCLUSIVE, 0);
        table.lock(2, t2, LockMode.EXCLUSIVE, 0);
        table.lock(3, t3, LockMode.EXCLUSIVE, 0);
        CompletableFuture<Throwable> p1 = spawn("p1", () -> {
            try {
                table.lock(1, t2, LockMode.SHARE, 0);
            } finally {
                table.releaseAll(1);
            }
        });
        awaitWaiting(1);
        Thread.sleep(60);
        CompletableFuture<Throwable> p2 = spawn("p2", () -> table.lock(2, t3, LockMode.SHARE, 0));
        awaitWaiting(2);
        Thread.sleep(60);
        CompletableFuture<Throwable> p3 = spawn("p3", () -> table.lock(3, t1, LockMode.SHARE, 0));
        PgException e = assertInstanceOf(PgException.class, p1.get(10, TimeUnit.SECONDS));
        assertEquals("Process 1 waits for ShareLock on transaction 745; blocked by process 2.\n"
                + "Process 2 waits for ShareLock on transaction 746; blocked by process 3.\n"
                + "Process 3 waits for ShareLock on transaction 744; blocked by process 1.", e.detail());
        assertNull(p3.get(10, TimeUnit.SECONDS));
        table.releaseAll(3);
        assertNull(p2.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aCycleThroughQueueOrderOnlyIsResolvedByMovingTheWaiter() throws Exception {
        deadlockTimeout = 100;
        // 1 reads T and waits for 3's lock on U; 2 (DDL) waits for T behind 1; 3 wants to read T too.
        table.lock(1, REL, LockMode.ACCESS_SHARE, 0);
        table.lock(3, REL2, LockMode.ACCESS_EXCLUSIVE, 0);
        CompletableFuture<Throwable> ddl = spawn("p2", () -> table.lock(2, REL, LockMode.ACCESS_EXCLUSIVE, 0));
        awaitWaiting(2);
        CompletableFuture<Throwable> p1 = spawn("p1", () -> table.lock(1, REL2, LockMode.ACCESS_SHARE, 0));
        awaitWaiting(1);
        // 3's read conflicts with no holder, only with 2 queued ahead: 3 -> 2 -> 1 -> 3, softly
        CompletableFuture<Throwable> p3 = spawn("p3", () -> table.lock(3, REL, LockMode.ACCESS_SHARE, 0));
        assertNull(p3.get(5, TimeUnit.SECONDS), "moved ahead of the DDL and granted, no deadlock error");
        assertFalse(ddl.isDone());
        table.releaseAll(3);
        assertNull(p1.get(5, TimeUnit.SECONDS));
        table.releaseAll(1);
        assertNull(ddl.get(5, TimeUnit.SECONDS));
        table.releaseAll(2);
        assertEquals(0, table.lockCount());
    }

    @Test
    void aLongWaitWithoutACycleIsNotADeadlock() throws Exception {
        deadlockTimeout = 50;
        table.lock(1, REL, LockMode.ACCESS_EXCLUSIVE, 0);
        CompletableFuture<Throwable> w = spawn("p2", () -> table.lock(2, REL, LockMode.ACCESS_SHARE, 0));
        awaitWaiting(2);
        Thread.sleep(200);
        assertFalse(w.isDone());
        table.releaseAll(1);
        assertNull(w.get(5, TimeUnit.SECONDS));
    }

    @Test
    void locksListsHoldersAndWaiters() throws Exception {
        table.lock(1, REL, LockMode.SHARE, 0);
        table.lock(1, REL, LockMode.ROW_SHARE, 0);
        long before = System.currentTimeMillis();
        CompletableFuture<Throwable> w = spawn("p2", () -> table.lock(2, REL, LockMode.EXCLUSIVE, 0));
        awaitWaiting(2);
        List<LockInfo> rows = table.locks();
        assertEquals(3, rows.size());
        assertTrue(rows.contains(new LockInfo(REL, LockMode.SHARE, 1, true, 0)));
        assertTrue(rows.contains(new LockInfo(REL, LockMode.ROW_SHARE, 1, true, 0)));
        LockInfo waiting = rows.stream().filter(r -> !r.granted()).findFirst().orElseThrow();
        assertEquals(2, waiting.pid());
        assertEquals(LockMode.EXCLUSIVE, waiting.mode());
        assertTrue(waiting.waitStartMillis() >= before);
        table.releaseAll(1);
        assertNull(w.get(5, TimeUnit.SECONDS));
    }

    @Test
    void describesLockTagsAsPostgres() {
        assertEquals("relation 16384 of database 5", LockErrors.describe(REL));
        assertEquals("transaction 4294967295", LockErrors.describe(LockTag.transaction(-1)));
        assertEquals("tuple (3,7) of relation 16384 of database 5", LockErrors.describe(LockTag.tuple(5, 16384, 3, 7)));
        assertEquals("object 16390 of class 1259 of database 5", LockErrors.describe(LockTag.object(5, 1259, 16390)));
        assertEquals("advisory lock [5,0,42,1]", LockErrors.describe(LockTag.advisory(5, 42)));
    }

    @Test
    void manyThreadsContendingKeepCountsRight() throws Exception {
        int n = 8;
        int rounds = 500;
        List<CompletableFuture<Throwable>> fs = new ArrayList<>();
        int[] counter = {0};
        for (int i = 0; i < n; i++) {
            int pid = 1000 + i;
            fs.add(spawn("c" + i, () -> {
                for (int r = 0; r < rounds; r++) {
                    LockMode mode = r % 5 == 0 ? LockMode.ACCESS_EXCLUSIVE : LockMode.ROW_EXCLUSIVE;
                    table.lock(pid, REL, mode, 0);
                    if (mode == LockMode.ACCESS_EXCLUSIVE) {
                        counter[0]++; // exclusive: no lost updates
                    }
                    table.unlock(pid, REL, mode);
                }
            }));
        }
        for (CompletableFuture<Throwable> f : fs) {
            try {
                assertNull(f.get(30, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                throw e;
            }
        }
        assertEquals(n * rounds / 5, counter[0]);
        assertEquals(0, table.lockCount());
    }

    // ------------------------------------------------------------------ fast path

    @Test
    void weakRelationLocksOnTheFastPathStillBlockAStrongRequestAndShowInPgLocks() throws Exception {
        table.lock(1, REL, LockMode.ACCESS_SHARE, 0);
        table.lock(2, REL, LockMode.ROW_EXCLUSIVE, 0);
        table.lock(2, REL, LockMode.ROW_EXCLUSIVE, 0);
        assertEquals(0, table.lockCount(), "weak locks with no strong one about stay out of the shared table");
        assertEquals(2, table.holdCount(2, REL, LockMode.ROW_EXCLUSIVE));
        assertTrue(table.holds(1, REL, LockMode.ACCESS_SHARE));
        assertEquals(2, table.locks().size());

        CompletableFuture<Throwable> strong = spawn("strong", () -> table.lock(3, REL, LockMode.ACCESS_EXCLUSIVE, 0));
        awaitWaiting(3);
        // moved into the table: the waiter sees both holders, and a new weak request queues behind it
        assertArrayEquals(new int[] {1, 2}, java.util.Arrays.stream(table.blockingPids(3)).sorted().toArray());
        assertFalse(table.tryLock(4, REL, LockMode.ACCESS_SHARE));
        assertTrue(table.tryLock(4, REL2, LockMode.ACCESS_SHARE), "another relation is not held up");

        table.releaseAll(1);
        assertTrue(table.unlock(2, REL, LockMode.ROW_EXCLUSIVE));
        assertFalse(strong.isDone());
        assertTrue(table.unlock(2, REL, LockMode.ROW_EXCLUSIVE));
        assertNull(strong.get(5, TimeUnit.SECONDS));
        assertFalse(table.tryLock(1, REL, LockMode.ACCESS_SHARE));
        table.releaseAll(3);
        // the strong hold is gone: weak locks take the fast path again
        assertTrue(table.tryLock(1, REL, LockMode.ACCESS_SHARE));
        table.releaseAll(1);
        table.releaseAll(4);
        assertEquals(0, table.lockCount());
        assertEquals(List.of(), table.locks());
    }

    @Test
    void aFastPathHolderThatAsksForAStrongLockDeadlocksWithAnother() throws Exception {
        deadlockTimeout = 50;
        table.lock(1, REL, LockMode.ACCESS_SHARE, 0);
        table.lock(2, REL, LockMode.ACCESS_SHARE, 0);
        CompletableFuture<Throwable> one = spawn("one", () -> table.lock(1, REL, LockMode.ACCESS_EXCLUSIVE, 0));
        awaitWaiting(1);
        Throwable two = spawn("two", () -> table.lock(2, REL, LockMode.ACCESS_EXCLUSIVE, 0)).get(5, TimeUnit.SECONDS);
        Throwable first = one.getNow(null);
        Throwable failed = two != null ? two : first;
        assertInstanceOf(PgException.class, failed);
        assertEquals("40P01", ((PgException) failed).sqlState());
        table.releaseAll(two != null ? 2 : 1);
        assertNull((two != null ? one : CompletableFuture.completedFuture((Throwable) null)).get(5, TimeUnit.SECONDS));
        table.releaseAll(1);
        table.releaseAll(2);
        assertEquals(0, table.lockCount());
        assertTrue(table.tryLock(3, REL, LockMode.ACCESS_SHARE));
        assertEquals(0, table.lockCount(), "the strong counts went back to zero");
        table.releaseAll(3);
    }
}
