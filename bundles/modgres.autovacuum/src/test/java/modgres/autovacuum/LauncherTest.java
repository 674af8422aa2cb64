package modgres.autovacuum;

import static modgres.autovacuum.Fakes.await;
import static modgres.autovacuum.Fakes.stats;
import static modgres.autovacuum.Fakes.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import modgres.api.autovacuum.AutovacuumPolicy;
import modgres.api.autovacuum.Maintenance;
import modgres.api.autovacuum.TableInfo;
import modgres.api.error.PgException;
import modgres.api.log.LogRecord;
import modgres.api.log.Severity;
import modgres.api.stats.StatsStore;
import modgres.autovacuum.Fakes.FakeMaintenance;
import modgres.autovacuum.Fakes.FakePolicy;
import modgres.autovacuum.Fakes.FakeStore;

class LauncherTest {
    final FakeSettings settings = new FakeSettings();
    final FakeMaintenance maintenance = new FakeMaintenance();
    final FakeStore store = new FakeStore();
    final AtomicReference<AutovacuumPolicy> policy = new AtomicReference<>(new FakePolicy("fake", false, 1));
    final AtomicReference<Maintenance> maintenanceRef = new AtomicReference<>(maintenance);
    final AtomicReference<StatsStore> storeRef = new AtomicReference<>(store);
    final CapturedLog log = new CapturedLog();
    /** naptime counts milliseconds here. */
    final Launcher launcher = new Launcher(settings, maintenanceRef::get, storeRef::get, policy::get, log.serverLog(),
            1);
    Thread launcherThread;

    @AfterEach
    void stop() throws InterruptedException {
        launcher.stop();
        if (launcherThread != null) {
            launcherThread.join(5_000);
        }
        assertTrue(launcher.awaitWorkers(5_000), "workers left behind");
    }

    /** Tables 1..n in database 5 ("db"), each with {@code dead} dead tuples. */
    private List<TableInfo> tables(int n, long dead) {
        List<TableInfo> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            TableInfo t = table(5, "db", i, "t" + i);
            out.add(t);
            store.put(stats(5, i, dead));
        }
        maintenance.database(5, "db", true, out.toArray(new TableInfo[0]));
        return out;
    }

    private void startLoop() {
        launcherThread = new Thread(launcher, Launcher.LAUNCHER);
        launcherThread.setDaemon(true);
        launcherThread.start();
    }

    @Test
    void aRoundRunsThePolicysTasksOnWorkerThreads() throws Exception {
        tables(2, 100);
        policy.set(new FakePolicy("fake", true, 1));
        assertEquals(2, launcher.round());
        await(() -> maintenance.finished.get() == 4, "two vacuums and two analyzes");
        // vacuum first, then analyze, as separate runs (each its own transaction, as in PostgreSQL)
        for (int rel = 1; rel <= 2; rel++) {
            int r = rel;
            List<Fakes.Call> mine = maintenance.calls.stream().filter(c -> c.table().rel() == r).toList();
            assertEquals(2, mine.size());
            assertTrue(mine.get(0).vacuum() && !mine.get(0).analyze());
            assertTrue(!mine.get(1).vacuum() && mine.get(1).analyze());
        }
        assertTrue(maintenance.calls.stream().allMatch(c -> c.thread().equals(Launcher.WORKER)));
        await(() -> launcher.workerThreads().isEmpty(), "workers end when the queue is empty");
        assertEquals(4, launcher.runs());
    }

    @Test
    void aRoundComesEveryNaptimeAndNotBefore() throws Exception {
        tables(1, 100);
        settings.set("autovacuum_naptime", "250"); // ms in this test
        long start = System.nanoTime();
        startLoop();
        Thread.sleep(50);
        assertEquals(0, launcher.rounds(), "the first round comes after one naptime");
        await(() -> launcher.rounds() >= 3, "third round");
        List<Long> at = maintenance.databaseCalls; // once per round
        assertTrue((at.get(0) - start) / 1_000_000 >= 249, "first round after one naptime");
        for (int i = 1; i < 3; i++) {
            long gap = (at.get(i) - at.get(i - 1)) / 1_000_000;
            assertTrue(gap >= 249, "rounds one naptime apart, not " + gap + " ms");
        }
        await(() -> maintenance.calls.size() >= 3, "a vacuum each round");
    }

    @Test
    void aShorterNaptimeTakesEffectWithoutWaitingOutTheOldOne() throws Exception {
        tables(1, 100);
        settings.set("autovacuum_naptime", "60000");
        startLoop();
        Thread.sleep(50);
        settings.set("autovacuum_naptime", "20");
        launcher.wakeUp(); // what settingsChanged does
        await(() -> launcher.rounds() >= 1, "a round with the new naptime");
    }

    @Test
    void neverMoreWorkersThanAutovacuumMaxWorkers() throws Exception {
        tables(10, 100);
        settings.set("autovacuum_max_workers", "3");
        CountDownLatch release = new CountDownLatch(1);
        maintenance.body = (t, v, a, f, d) -> {
            release.await(5, TimeUnit.SECONDS);
            return Fakes.result(1000);
        };
        assertEquals(10, launcher.round());
        await(() -> maintenance.running.get() == 3, "three workers busy");
        Thread.sleep(50);
        assertEquals(3, maintenance.running.get());
        assertEquals(3, launcher.workerThreads().size());
        assertEquals(3, launcher.activity().size());
        assertEquals(7, launcher.pendingTasks());
        Set<Long> pids = new HashSet<>();
        launcher.activity().forEach(w -> pids.add(w.pid()));
        assertEquals(3, pids.size(), "each worker has its own pid");
        release.countDown();
        await(() -> maintenance.finished.get() == 10, "all ten tables");
        assertEquals(3, maintenance.maxRunning.get());
    }

    @Test
    void aTableIsNeverWorkedOnByTwoWorkersAtOnce() throws Exception {
        tables(1, 100);
        CountDownLatch release = new CountDownLatch(1);
        maintenance.body = (t, v, a, f, d) -> {
            release.await(5, TimeUnit.SECONDS);
            return Fakes.result(1000);
        };
        assertEquals(1, launcher.round());
        await(() -> maintenance.running.get() == 1, "the vacuum runs");
        // later rounds want the same table again: it is busy, so it is neither queued nor run
        assertEquals(0, launcher.round());
        assertEquals(0, launcher.round());
        Thread.sleep(50);
        assertEquals(1, maintenance.calls.size());
        assertEquals(0, launcher.pendingTasks());
        assertEquals(1, launcher.workerThreads().size());
        release.countDown();
        await(() -> launcher.workerThreads().isEmpty(), "worker done");
        assertEquals(1, launcher.round(), "free again: the next round takes it");
        await(() -> maintenance.finished.get() == 2, "second vacuum");
        assertEquals(0, maintenance.overlaps.get());
    }

    @Test
    void theSameTableTwiceInOneRoundRunsOnce() throws Exception {
        TableInfo t = table(5, "db", 1, "t1");
        maintenance.database(5, "db", true, t);
        store.put(stats(5, 1, 100));
        policy.set(new AutovacuumPolicy() {
            @Override
            public String name() {
                return "twice";
            }

            @Override
            public List<modgres.api.autovacuum.Task> choose(List<modgres.api.autovacuum.Candidate> c,
                    modgres.api.settings.Settings s) {
                return List.of(new modgres.api.autovacuum.Task(t, true, false, false, "a"),
                        new modgres.api.autovacuum.Task(t, true, false, false, "b"));
            }
        });
        assertEquals(1, launcher.round());
        await(() -> launcher.workerThreads().isEmpty(), "done");
        assertEquals(1, maintenance.calls.size());
    }

    @Test
    void theCostDelayNapsInProportionToTheCostAndIsSharedByTheWorkers() throws Exception {
        tables(2, 100);
        settings.set("autovacuum_vacuum_cost_delay", "2").set("autovacuum_vacuum_cost_limit", "200")
                .set("autovacuum_max_workers", "2");
        CountDownLatch bothIn = new CountDownLatch(2);
        CountDownLatch bothLooked = new CountDownLatch(2);
        List<Integer> shares = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> naps = new java.util.concurrent.CopyOnWriteArrayList<>();
        maintenance.body = (t, v, a, f, d) -> {
            bothIn.countDown();
            bothIn.await(5, TimeUnit.SECONDS);
            shares.add(launcher.balancedWorkers());
            bothLooked.countDown();
            bothLooked.await(5, TimeUnit.SECONDS);
            CostDelay cd = (CostDelay) d;
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                d.point(0, 0, 1); // 20 each: 50 pages = 1000 = 10 naps of 2 ms with the whole limit
            }
            naps.add(cd.naps());
            assertTrue(System.nanoTime() - t0 >= cd.nappedNanos(), "it really slept");
            return Fakes.result(1000);
        };
        launcher.round();
        await(() -> maintenance.finished.get() == 2, "two vacuums");
        assertEquals(List.of(2, 2), shares, "both workers share the limit");
        // each had a limit of 100 (200 / 2): a nap every 5 pages, so about 10 naps of 2 ms each,
        // not the 5 a worker alone would take; once the other finished the whole limit is its own again
        for (long n : naps) {
            assertTrue(n >= 5 && n <= 10, "naps: " + n);
        }
        assertTrue(naps.stream().mapToLong(Long::longValue).sum() > 10, "more naps than one worker alone: " + naps);
    }

    @Test
    void aStopCancelsALongVacuumThroughTheDelayWithinABound() throws Exception {
        tables(1, 100);
        settings.set("autovacuum_naptime", "10").set("autovacuum_vacuum_cost_delay", "20");
        AtomicBoolean cancelled = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        maintenance.body = (t, v, a, f, d) -> {
            started.countDown();
            try {
                for (long page = 0;; page++) { // a table that takes forever
                    d.point(0, 1, 1);
                }
            } catch (CancellationException e) {
                cancelled.set(true);
                throw e;
            }
        };
        startLoop();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        Thread.sleep(50);
        long t0 = System.nanoTime();
        launcher.stop();
        launcherThread.join(2_000);
        assertTrue(launcher.awaitWorkers(2_000));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 1_000, "stop took " + ms + " ms");
        assertFalse(launcherThread.isAlive());
        assertTrue(cancelled.get());
        assertEquals(1, log.containing(Launcher.TERMINATING).size(), log.toString());
        assertEquals(Severity.FATAL, log.containing(Launcher.TERMINATING).get(0).severity());
        assertEquals(Launcher.WORKER, log.containing(Launcher.TERMINATING).get(0).context().processName());
    }

    @Test
    void aLauncherStoppedAndStartedAgainWorks() throws Exception {
        tables(1, 100);
        settings.set("autovacuum_naptime", "10");
        startLoop();
        await(() -> maintenance.finished.get() >= 1, "a vacuum");
        launcher.stop();
        launcherThread.join(2_000);
        assertFalse(launcherThread.isAlive());
        int before = maintenance.finished.get();
        launcher.resume();
        startLoop();
        await(() -> maintenance.finished.get() > before, "a vacuum after the restart");
    }

    @Test
    void aPolicySwappedBetweenRoundsDecidesTheNextRound() throws Exception {
        tables(3, 100);
        store.put(stats(5, 2, 5)); // few dead tuples in table 2
        FakePolicy lax = new FakePolicy("lax", false, 1);
        FakePolicy strict = new FakePolicy("strict", false, 50);
        settings.set("autovacuum_max_workers", "1");
        policy.set(lax);
        assertEquals(3, launcher.round());
        await(() -> maintenance.finished.get() == 3 && launcher.workerThreads().isEmpty(), "round 1");
        policy.set(strict);
        assertEquals(2, launcher.round());
        await(() -> maintenance.finished.get() == 5, "round 2");
        await(() -> launcher.workerThreads().isEmpty(), "idle");
        assertEquals(List.of(1, 2, 3, 1, 3), maintenance.calls.stream().map(c -> c.table().rel()).toList());
        assertEquals(1, log.containing("autovacuum policy changed from \"lax\" to \"strict\"").size(), log.toString());
        assertEquals("strict", launcher.policyName());
    }

    @Test
    void autovacuumOffDoesNothing() throws Exception {
        tables(3, 100);
        FakePolicy p = new FakePolicy("fake", false, 1);
        policy.set(p);
        settings.set("autovacuum", "off");
        assertEquals(0, launcher.round());
        assertEquals(0, p.calls.get());
        assertTrue(maintenance.calls.isEmpty());
        assertTrue(launcher.workerThreads().isEmpty());
        settings.set("autovacuum", "on");
        assertEquals(3, launcher.round());
    }

    @Test
    void trackCountsOffWarnsOnceAndDoesNothing() throws Exception {
        tables(1, 100);
        settings.set("track_counts", "off");
        assertEquals(0, launcher.round());
        assertEquals(0, launcher.round());
        List<LogRecord> w = log.containing(Launcher.MISCONFIGURED);
        assertEquals(1, w.size(), log.toString());
        assertEquals(Severity.WARNING, w.get(0).severity());
        assertEquals("Enable the \"track_counts\" option.", w.get(0).hint());
        assertTrue(maintenance.calls.isEmpty());
        settings.set("track_counts", "on");
        assertEquals(1, launcher.round());
    }

    @Test
    void trackCountsOffIsReportedAtStart() throws Exception {
        settings.set("track_counts", "off");
        startLoop();
        await(() -> !log.containing(Launcher.MISCONFIGURED).isEmpty(), "the warning at start");
    }

    @Test
    void missingServicesAreLoggedOnceAndTheLauncherIdles() throws Exception {
        tables(1, 100);
        policy.set(null);
        storeRef.set(null);
        assertEquals(0, launcher.round());
        assertEquals(0, launcher.round());
        List<LogRecord> idle = log.containing("autovacuum launcher is idle");
        assertEquals(1, idle.size(), log.toString());
        assertTrue(idle.get(0).detail().contains("No autovacuum policy is active"), idle.get(0).detail());
        assertTrue(idle.get(0).detail().contains("no statistics store"), idle.get(0).detail());
        assertFalse(idle.get(0).detail().contains("maintenance"), idle.get(0).detail());
        maintenanceRef.set(null);
        assertEquals(0, launcher.round());
        assertEquals(2, log.containing("autovacuum launcher is idle").size(), "what is missing changed");
        policy.set(new FakePolicy("fake", false, 1));
        storeRef.set(store);
        maintenanceRef.set(maintenance);
        assertEquals(1, launcher.round());
        assertEquals(1, log.containing("resumes").size());
    }

    @Test
    void databasesThatDoNotAllowConnectionsAreSkippedAndDatabasesTakeTurns() throws Exception {
        maintenance.database(1, "template0", false, table(1, "template0", 1, "t"));
        maintenance.database(2, "a", true, table(2, "a", 1, "a1"), table(2, "a", 2, "a2"));
        maintenance.database(3, "b", true, table(3, "b", 1, "b1"), table(3, "b", 2, "b2"));
        for (int db = 1; db <= 3; db++) {
            store.put(stats(db, 1, 100));
            store.put(stats(db, 2, 100));
        }
        settings.set("autovacuum_max_workers", "1");
        assertEquals(4, launcher.round());
        await(() -> maintenance.finished.get() == 4, "four tables");
        assertEquals(List.of("a.public.a1", "b.public.b1", "a.public.a2", "b.public.b2"),
                maintenance.calls.stream().map(c -> c.table().qualifiedName()).toList());
    }

    @Test
    void tablesOlderThanFreezeMaxAgeAreVacuumedWhateverAutovacuumAndThePolicySay() throws Exception {
        settings.set("autovacuum_freeze_max_age", "300000");
        settings.set("log_autovacuum_min_duration", "0");
        settings.set("autovacuum_max_workers", "1");
        TableInfo frozenCatalog = new TableInfo(1, "template0", 1, "pg_catalog", "pg_class", 10, 1, java.util.Map.of(),
                350_000);
        TableInfo young = new TableInfo(2, "a", 1, "public", "young", 10, 1, java.util.Map.of(), 299_999);
        TableInfo optedOut = new TableInfo(2, "a", 2, "public", "old", 10, 1,
                java.util.Map.of("autovacuum_enabled", "false"), 300_001);
        // the storage parameter can only lower the setting, as PostgreSQL's
        TableInfo ownLimit = new TableInfo(2, "a", 3, "public", "own", 10, 1,
                java.util.Map.of("autovacuum_freeze_max_age", "200000"), 250_000);
        TableInfo higher = new TableInfo(2, "a", 4, "public", "higher", 10, 1,
                java.util.Map.of("autovacuum_freeze_max_age", "900000"), 299_000);
        maintenance.database(1, "template0", false, frozenCatalog);
        maintenance.database(2, "a", true, young, optedOut, ownLimit, higher);
        FakePolicy p = new FakePolicy("never", false, Long.MAX_VALUE);
        policy.set(p);

        settings.set("autovacuum", "off");
        assertEquals(3, launcher.round());
        assertEquals(0, p.calls.get(), "autovacuum = off: the policy is not asked");
        await(() -> maintenance.finished.get() == 3, "three anti-wraparound vacuums");
        assertEquals(Set.of("template0.pg_catalog.pg_class", "a.public.old", "a.public.own"),
                new HashSet<>(maintenance.calls.stream().map(c -> c.table().qualifiedName()).toList()));
        assertTrue(maintenance.calls.stream().allMatch(c -> c.vacuum() && !c.freeze()), maintenance.calls.toString());
        assertEquals(3, log.containing("automatic aggressive vacuum to prevent wraparound of table").size(),
                log.toString());
        await(() -> launcher.workerThreads().isEmpty(), "idle");

        settings.set("autovacuum", "on");
        maintenance.calls.clear();
        assertEquals(3, launcher.round(), "autovacuum on: the same three, the policy decides the others");
        assertEquals(1, p.calls.get());
        await(() -> maintenance.finished.get() == 6, "again");
    }

    @Test
    void aTableDoneMeanwhileIsSkippedByTheRecheck() throws Exception {
        tables(2, 100);
        settings.set("autovacuum_max_workers", "1");
        CountDownLatch release = new CountDownLatch(1);
        maintenance.body = (t, v, a, f, d) -> {
            if (t.rel() == 1) {
                release.await(5, TimeUnit.SECONDS);
            }
            return Fakes.result(1000);
        };
        assertEquals(2, launcher.round());
        await(() -> maintenance.running.get() == 1, "table 1 runs");
        store.put(stats(5, 2, 0)); // someone vacuumed table 2 meanwhile
        release.countDown();
        await(() -> launcher.workerThreads().isEmpty(), "done");
        assertEquals(List.of(1), maintenance.calls.stream().map(c -> c.table().rel()).toList());
    }

    @Test
    void errorsAreLoggedAndTheWorkGoesOn() throws Exception {
        tables(3, 100);
        settings.set("autovacuum_max_workers", "1");
        maintenance.body = (t, v, a, f, d) -> {
            if (t.rel() == 1) {
                throw new PgException("XX001", "invalid page in block 3 of relation base/5/1");
            }
            if (t.rel() == 2) {
                throw new IllegalStateException("boom");
            }
            return Fakes.result(1000);
        };
        assertEquals(3, launcher.round());
        await(() -> maintenance.finished.get() == 3, "all three tried");
        await(() -> launcher.workerThreads().isEmpty(), "done");
        List<LogRecord> errors = log.at(Severity.ERROR);
        assertEquals(2, errors.size(), log.toString());
        assertEquals("invalid page in block 3 of relation base/5/1", errors.get(0).message());
        assertEquals("XX001", errors.get(0).sqlState());
        assertEquals("automatic vacuum of table \"db.public.t1\"", errors.get(0).detail());
        assertEquals("db", errors.get(0).context().database());
        assertEquals("boom", errors.get(1).message());
        assertEquals(2, launcher.failures());
        assertEquals(1, launcher.runs());
        // and the launcher takes the next round as usual
        maintenance.body = (t, v, a, f, d) -> Fakes.result(1000);
        assertEquals(3, launcher.round());
    }

    @Test
    void aPolicyThatThrowsCostsOneDatabaseNotTheRound() throws Exception {
        maintenance.database(2, "a", true, table(2, "a", 1, "a1"));
        maintenance.database(3, "b", true, table(3, "b", 1, "b1"));
        store.put(stats(2, 1, 100));
        store.put(stats(3, 1, 100));
        FakePolicy p = new FakePolicy("fake", false, 1);
        policy.set(new AutovacuumPolicy() {
            @Override
            public String name() {
                return "flaky";
            }

            @Override
            public List<modgres.api.autovacuum.Task> choose(List<modgres.api.autovacuum.Candidate> tables,
                    modgres.api.settings.Settings s) {
                if (tables.get(0).table().db() == 2) {
                    throw new IllegalArgumentException("no");
                }
                return p.choose(tables, s);
            }
        });
        assertEquals(1, launcher.round());
        assertEquals(1, log.at(Severity.ERROR).size(), log.toString());
    }

    @Test
    void runsAreLoggedWhenTheyTookLogAutovacuumMinDuration() throws Exception {
        tables(1, 100);
        policy.set(new FakePolicy("fake", true, 1));
        maintenance.body = (t, v, a, f, d) -> Fakes.result(12_000_000); // 12 ms
        settings.set("log_autovacuum_min_duration", "-1");
        launcher.round();
        await(() -> maintenance.finished.get() == 2 && launcher.workerThreads().isEmpty(), "run 1");
        assertTrue(log.containing("automatic").isEmpty(), log.toString());

        settings.set("log_autovacuum_min_duration", "13");
        launcher.round();
        await(() -> maintenance.finished.get() == 4 && launcher.workerThreads().isEmpty(), "run 2");
        assertTrue(log.containing("automatic").isEmpty(), "12 ms < 13 ms: " + log);

        settings.set("log_autovacuum_min_duration", "12");
        launcher.round();
        await(() -> maintenance.finished.get() == 6 && launcher.workerThreads().isEmpty(), "run 3");
        List<LogRecord> vac = log.containing("automatic vacuum of table");
        List<LogRecord> anl = log.containing("automatic analyze of table");
        assertEquals(1, vac.size(), log.toString());
        assertEquals(1, anl.size(), log.toString());
        String[] lines = vac.get(0).message().split("\n");
        assertEquals("automatic vacuum of table \"db.public.t1\": index scans: 1", lines[0]);
        assertEquals("pages: 1 removed, 9 remain, 10 scanned (100.00% of total)", lines[1]);
        assertEquals("tuples: 100 removed, 900 remain, 3 are dead but not yet removable", lines[2]);
        assertTrue(lines[3].matches("system usage: CPU: user: \\d+\\.\\d\\d s, system: \\d+\\.\\d\\d s, "
                + "elapsed: 0\\.01 s"), lines[3]);
        assertEquals(Severity.LOG, vac.get(0).severity());
        assertEquals(Launcher.WORKER, vac.get(0).context().processName());
        assertEquals("db", vac.get(0).context().database());
        String[] a = anl.get(0).message().split("\n");
        assertEquals("automatic analyze of table \"db.public.t1\"", a[0]);
        assertTrue(a[1].startsWith("system usage: CPU: user: "), a[1]);

        settings.set("log_autovacuum_min_duration", "0");
        launcher.round();
        await(() -> maintenance.finished.get() == 8 && launcher.workerThreads().isEmpty(), "run 4");
        assertEquals(2, log.containing("automatic vacuum of table").size());
    }

    @Test
    void aTableLockedByOthersIsSkippedQuietly() throws Exception {
        tables(1, 100);
        policy.set(new FakePolicy("fake", true, 1));
        settings.set("log_autovacuum_min_duration", "0");
        maintenance.body = (t, v, a, f, d) -> null; // locked
        launcher.round();
        await(() -> maintenance.finished.get() == 1 && launcher.workerThreads().isEmpty(), "skipped");
        assertEquals(1, maintenance.calls.size(), "no analyze after a skipped vacuum");
        assertTrue(log.containing("automatic").isEmpty());
        assertEquals(0, launcher.runs());
    }
}
