package modgres.stats;

import static modgres.api.stats.TableCounter.ANALYZE_COUNT;
import static modgres.api.stats.TableCounter.AUTOANALYZE_COUNT;
import static modgres.api.stats.TableCounter.AUTOVACUUM_COUNT;
import static modgres.api.stats.TableCounter.N_DEAD_TUP;
import static modgres.api.stats.TableCounter.N_INS_SINCE_VACUUM;
import static modgres.api.stats.TableCounter.N_LIVE_TUP;
import static modgres.api.stats.TableCounter.N_MOD_SINCE_ANALYZE;
import static modgres.api.stats.TableCounter.N_TUP_INS;
import static modgres.api.stats.TableCounter.SEQ_SCAN;
import static modgres.api.stats.TableCounter.VACUUM_COUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import modgres.api.stats.ArchiverStats;
import modgres.api.stats.DatabaseCounter;
import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsEvent;
import modgres.api.stats.TableCounter;
import modgres.api.stats.TableStats;

class CumulativeStatsTest {
    final CumulativeStats stats = new CumulativeStats();

    @Test
    void deltasAddUp() {
        PendingStats p = new PendingStats();
        p.add(5, 100, SEQ_SCAN, 2);
        p.add(5, 100, N_TUP_INS, 10);
        p.add(5, 100, N_LIVE_TUP, 10);
        p.add(5, DatabaseCounter.XACT_COMMIT, 3);
        stats.apply(p);
        PendingStats q = new PendingStats();
        q.add(5, 100, SEQ_SCAN, 1);
        q.add(5, DatabaseCounter.XACT_COMMIT, 1);
        q.add(5, DatabaseCounter.XACT_ROLLBACK, 1);
        stats.apply(q);

        TableStats t = stats.table(5, 100);
        assertEquals(3, t.get(SEQ_SCAN));
        assertEquals(10, t.get(N_TUP_INS));
        assertEquals(10, t.get(N_LIVE_TUP));
        assertEquals(4, stats.database(5).get(DatabaseCounter.XACT_COMMIT));
        assertEquals(1, stats.database(5).get(DatabaseCounter.XACT_ROLLBACK));
        assertNull(stats.table(5, 101));
        assertNull(stats.table(6, 100));
        assertEquals(List.of(100), stats.tables(5).stream().map(TableStats::rel).toList());
        assertEquals(List.of(), stats.tables(6));
        assertEquals(0, stats.database(6).get(DatabaseCounter.XACT_COMMIT));
        assertEquals(DatabaseCounter.COUNT, stats.database(6).counters().length);
    }

    @Test
    void snapshotsAreCopies() {
        PendingStats p = new PendingStats();
        p.add(1, 2, SEQ_SCAN, 1);
        stats.apply(p);
        stats.table(1, 2).counters()[SEQ_SCAN.ordinal()] = 99;
        assertEquals(1, stats.table(1, 2).get(SEQ_SCAN));
    }

    @Test
    void liveAndDeadNeverGoBelowZero() {
        PendingStats p = new PendingStats();
        p.add(1, 2, N_LIVE_TUP, 3);
        p.add(1, 2, N_DEAD_TUP, 1);
        stats.apply(p);
        PendingStats q = new PendingStats();
        q.add(1, 2, N_LIVE_TUP, -5);
        q.add(1, 2, N_DEAD_TUP, -7);
        stats.apply(q);
        assertEquals(0, stats.table(1, 2).get(N_LIVE_TUP));
        assertEquals(0, stats.table(1, 2).get(N_DEAD_TUP));
        PendingStats r = new PendingStats();
        r.add(1, 2, N_LIVE_TUP, 2);
        stats.apply(r);
        assertEquals(2, stats.table(1, 2).get(N_LIVE_TUP));
        // A vacuum reporting nonsense is clamped too.
        PendingStats v = new PendingStats();
        v.event(new StatsEvent.Vacuumed(1, 2, false, -1, -2, 10));
        stats.apply(v);
        assertEquals(0, stats.table(1, 2).get(N_LIVE_TUP));
        assertEquals(0, stats.table(1, 2).get(N_DEAD_TUP));
    }

    @Test
    void vacuumSetsTuplesAndRestartsInsertsSinceVacuum() {
        PendingStats p = new PendingStats();
        p.add(1, 2, N_LIVE_TUP, 100);
        p.add(1, 2, N_DEAD_TUP, 40);
        p.add(1, 2, N_INS_SINCE_VACUUM, 100);
        p.add(1, 2, N_MOD_SINCE_ANALYZE, 140);
        stats.apply(p);

        PendingStats v = new PendingStats();
        v.event(new StatsEvent.Vacuumed(1, 2, false, 90, 0, 1_000));
        stats.apply(v);
        TableStats t = stats.table(1, 2);
        assertEquals(90, t.get(N_LIVE_TUP));
        assertEquals(0, t.get(N_DEAD_TUP));
        assertEquals(0, t.get(N_INS_SINCE_VACUUM));
        assertEquals(140, t.get(N_MOD_SINCE_ANALYZE), "vacuum leaves n_mod_since_analyze");
        assertEquals(1, t.get(VACUUM_COUNT));
        assertEquals(0, t.get(AUTOVACUUM_COUNT));
        assertEquals(1_000, t.lastVacuum());
        assertEquals(0, t.lastAutovacuum());

        PendingStats av = new PendingStats();
        av.event(new StatsEvent.Vacuumed(1, 2, true, 91, 3, 2_000));
        av.event(new StatsEvent.Vacuumed(1, 2, true, 92, 4, 3_000));
        stats.apply(av);
        t = stats.table(1, 2);
        assertEquals(92, t.get(N_LIVE_TUP));
        assertEquals(4, t.get(N_DEAD_TUP));
        assertEquals(1, t.get(VACUUM_COUNT));
        assertEquals(2, t.get(AUTOVACUUM_COUNT));
        assertEquals(1_000, t.lastVacuum());
        assertEquals(3_000, t.lastAutovacuum());
    }

    @Test
    void analyzeSetsTuplesAndRestartsModsSinceAnalyze() {
        PendingStats p = new PendingStats();
        p.add(1, 2, N_LIVE_TUP, 100);
        p.add(1, 2, N_INS_SINCE_VACUUM, 100);
        p.add(1, 2, N_MOD_SINCE_ANALYZE, 100);
        stats.apply(p);
        PendingStats a = new PendingStats();
        a.event(new StatsEvent.Analyzed(1, 2, false, 120, 5, 7));
        a.event(new StatsEvent.Analyzed(1, 2, true, 121, 6, 8));
        stats.apply(a);
        TableStats t = stats.table(1, 2);
        assertEquals(121, t.get(N_LIVE_TUP));
        assertEquals(6, t.get(N_DEAD_TUP));
        assertEquals(0, t.get(N_MOD_SINCE_ANALYZE));
        assertEquals(100, t.get(N_INS_SINCE_VACUUM), "analyze leaves n_ins_since_vacuum");
        assertEquals(1, t.get(ANALYZE_COUNT));
        assertEquals(1, t.get(AUTOANALYZE_COUNT));
        assertEquals(7, t.lastAnalyze());
        assertEquals(8, t.lastAutoanalyze());
        assertEquals(0, t.lastVacuum());
    }

    @Test
    void eventsComeAfterTheDeltasOfTheirBatch() {
        PendingStats p = new PendingStats();
        p.add(1, 2, N_LIVE_TUP, 500);
        p.add(1, 2, SEQ_SCAN, 1);
        p.event(new StatsEvent.Vacuumed(1, 2, false, 50, 1, 9));
        stats.apply(p);
        assertEquals(50, stats.table(1, 2).get(N_LIVE_TUP));
        assertEquals(1, stats.table(1, 2).get(SEQ_SCAN));
    }

    @Test
    void vacuumOfATableNeverCountedCreatesIt() {
        PendingStats p = new PendingStats();
        p.event(new StatsEvent.Analyzed(3, 4, true, 10, 0, 5));
        stats.apply(p);
        assertNotNull(stats.table(3, 4));
        assertEquals(10, stats.table(3, 4).get(N_LIVE_TUP));
    }

    @Test
    void droppedTablesAndDatabasesGoAway() {
        PendingStats p = new PendingStats();
        p.add(1, 2, SEQ_SCAN, 1);
        p.add(1, 3, SEQ_SCAN, 1);
        p.add(7, 2, SEQ_SCAN, 1);
        p.add(1, DatabaseCounter.XACT_COMMIT, 1);
        p.add(7, DatabaseCounter.XACT_COMMIT, 1);
        stats.apply(p);

        PendingStats d = new PendingStats();
        d.add(1, 2, SEQ_SCAN, 5); // counted before the drop: goes with the table
        d.event(new StatsEvent.TableDropped(1, 2));
        d.event(new StatsEvent.TableDropped(9, 9)); // unknown: nothing happens
        stats.apply(d);
        assertNull(stats.table(1, 2));
        assertNotNull(stats.table(1, 3));

        PendingStats dd = new PendingStats();
        dd.event(new StatsEvent.DatabaseDropped(7));
        stats.apply(dd);
        assertNull(stats.table(7, 2));
        assertEquals(0, stats.database(7).get(DatabaseCounter.XACT_COMMIT));
        assertEquals(1, stats.database(1).get(DatabaseCounter.XACT_COMMIT));
    }

    @Test
    void archiverEvents() {
        PendingStats p = new PendingStats();
        p.event(new StatsEvent.Archived("000000010000000000000001", 100));
        p.event(new StatsEvent.ArchiveFailed("000000010000000000000002", 200));
        p.event(new StatsEvent.ArchiveFailed("000000010000000000000002", 300));
        p.event(new StatsEvent.Archived("000000010000000000000002", 400));
        stats.apply(p);
        assertEquals(new ArchiverStats(2, "000000010000000000000002", 400, 2, "000000010000000000000002", 300, 0),
                stats.archiver());
    }

    @Test
    void resetDatabaseAndTable() {
        PendingStats p = new PendingStats();
        p.add(1, 2, SEQ_SCAN, 4);
        p.add(1, 3, SEQ_SCAN, 4);
        p.add(8, 2, SEQ_SCAN, 4);
        p.add(1, DatabaseCounter.XACT_COMMIT, 4);
        p.add(8, DatabaseCounter.XACT_COMMIT, 4);
        p.event(new StatsEvent.Vacuumed(1, 2, false, 1, 1, 55));
        stats.apply(p);

        stats.resetTable(1, 3, 1_000);
        assertEquals(0, stats.table(1, 3).get(SEQ_SCAN));
        assertEquals(4, stats.table(1, 2).get(SEQ_SCAN));
        assertEquals(4, stats.database(1).get(DatabaseCounter.XACT_COMMIT));
        assertEquals(1_000, stats.database(1).statsReset(), "PostgreSQL 15 stamps the database");

        stats.resetDatabase(1, 2_000);
        assertEquals(0, stats.table(1, 2).get(SEQ_SCAN));
        assertEquals(0, stats.table(1, 2).get(VACUUM_COUNT));
        assertEquals(0, stats.table(1, 2).lastVacuum());
        assertEquals(0, stats.database(1).get(DatabaseCounter.XACT_COMMIT));
        assertEquals(2_000, stats.database(1).statsReset());
        assertEquals(4, stats.table(8, 2).get(SEQ_SCAN), "other databases keep theirs");
        assertEquals(4, stats.database(8).get(DatabaseCounter.XACT_COMMIT));
        assertEquals(0, stats.database(8).statsReset());
    }

    @Test
    void concurrentApplyIsExact() throws Exception {
        int threads = 8;
        int batches = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        long[][] sent = new long[threads][];
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                long[] mine = new long[4];
                ThreadLocalRandom r = ThreadLocalRandom.current();
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int b = 0; b < batches; b++) {
                    PendingStats p = new PendingStats();
                    int rel = r.nextInt(10);
                    int db = 1 + (rel & 1);
                    long n = 1 + r.nextInt(5);
                    p.add(db, rel, TableCounter.N_TUP_INS, n);
                    p.add(db, rel, TableCounter.SEQ_SCAN, 1);
                    p.add(db, DatabaseCounter.TUP_INSERTED, n);
                    p.add(db, DatabaseCounter.XACT_COMMIT, 1);
                    mine[0] += n;
                    mine[1] += 1;
                    mine[2 + db - 1] += n;
                    stats.apply(p);
                }
                sent[id] = mine;
            });
            ts.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : ts) {
            t.join();
        }
        long ins = 0, scans = 0, db1 = 0, db2 = 0;
        for (long[] m : sent) {
            ins += m[0];
            scans += m[1];
            db1 += m[2];
            db2 += m[3];
        }
        long tIns = 0, tScans = 0;
        for (int db = 1; db <= 2; db++) {
            for (TableStats t : stats.tables(db)) {
                tIns += t.get(TableCounter.N_TUP_INS);
                tScans += t.get(TableCounter.SEQ_SCAN);
            }
        }
        assertEquals(ins, tIns);
        assertEquals(scans, tScans);
        assertEquals((long) threads * batches, tScans);
        assertEquals(db1, stats.database(1).get(DatabaseCounter.TUP_INSERTED));
        assertEquals(db2, stats.database(2).get(DatabaseCounter.TUP_INSERTED));
        assertEquals((long) threads * batches,
                stats.database(1).get(DatabaseCounter.XACT_COMMIT) + stats.database(2).get(DatabaseCounter.XACT_COMMIT));
    }
}
