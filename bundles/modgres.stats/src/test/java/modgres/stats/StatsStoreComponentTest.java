package modgres.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.control.CheckpointStats;
import modgres.api.error.PgException;
import modgres.api.stats.ArchiverStats;
import modgres.api.stats.BgWriterStats;
import modgres.api.stats.DatabaseCounter;
import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsEvent;
import modgres.api.stats.TableCounter;
import modgres.api.stats.TableStats;
import modgres.api.stats.WalActivity;
import modgres.api.wal.WalStats;

class StatsStoreComponentTest {
    @TempDir
    Path data;

    final Fakes.CapturedLog log = new Fakes.CapturedLog();
    final Fakes.Clock clock = new Fakes.Clock();

    StatsStoreComponent start() {
        return new StatsStoreComponent(data, log.log(), clock::get);
    }

    Path file() {
        return data.resolve("pg_stat/pgstat.stat");
    }

    static PendingStats someStats() {
        PendingStats p = new PendingStats();
        p.add(5, 16384, TableCounter.SEQ_SCAN, 3);
        p.add(5, 16384, TableCounter.N_LIVE_TUP, 42);
        p.add(5, 16390, TableCounter.IDX_SCAN, 7);
        p.add(1, 1259, TableCounter.HEAP_BLKS_HIT, 11);
        p.add(5, DatabaseCounter.XACT_COMMIT, 9);
        p.add(5, DatabaseCounter.SESSION_TIME_US, 123_456);
        p.add(1, DatabaseCounter.BLKS_READ, 2);
        p.event(new StatsEvent.Vacuumed(5, 16384, true, 40, 2, 1_111));
        p.event(new StatsEvent.Analyzed(5, 16384, false, 41, 1, 2_222));
        p.event(new StatsEvent.Archived("000000010000000000000003", 3_333));
        p.event(new StatsEvent.ArchiveFailed("000000010000000000000004", 4_444));
        return p;
    }

    @Test
    void cleanStopAndStartKeepEverythingAndRemoveTheFile() {
        StatsStoreComponent s = start();
        long startedAt = clock.get();
        Fakes.FakePool pool = new Fakes.FakePool();
        Fakes.FakeCheckpointer cp = new Fakes.FakeCheckpointer();
        Fakes.FakeWal wal = new Fakes.FakeWal();
        s.bindBufferPool(pool.pool);
        s.bindCheckpointer(cp.checkpointer);
        s.bindWal(wal.wal);
        s.apply(someStats());
        clock.tick();
        s.resetDatabase(1);
        PendingStats again = new PendingStats();
        again.add(1, DatabaseCounter.BLKS_READ, 5);
        s.apply(again);
        pool.stats.set(Fakes.buffers(10, 1, 20, 30));
        cp.stats.set(new CheckpointStats(2, 3, 1500.25, 12.5, 77));
        wal.stats.set(new WalStats(100, 4, 9_000, 1, 12, 6, 2));

        BgWriterStats bg = s.bgwriter();
        WalActivity w = s.wal();
        ArchiverStats a = s.archiver();
        List<TableStats> t5 = s.tables(5);
        long[] db5 = s.database(5).counters();
        long db1Reset = s.database(1).statsReset();
        assertEquals(startedAt, bg.statsReset(), "no file: shared stats start now");
        assertEquals(clock.get(), db1Reset);

        s.deactivate();
        assertTrue(Files.exists(file()));
        assertFalse(Files.exists(data.resolve("pg_stat/pgstat.tmp")));

        clock.tick();
        StatsStoreComponent r = start();
        assertFalse(Files.exists(file()), "read, then removed");
        // The new sources count from zero: their counts add to the restored totals.
        Fakes.FakePool pool2 = new Fakes.FakePool();
        r.bindBufferPool(pool2.pool);
        assertEquals(bg, r.bgwriter());
        assertEquals(w, r.wal());
        assertEquals(a, r.archiver());
        assertEquals(t5.size(), r.tables(5).size());
        for (int i = 0; i < t5.size(); i++) {
            TableStats x = t5.get(i), y = r.tables(5).get(i);
            assertEquals(x.rel(), y.rel());
            assertArrayEquals(x.counters(), y.counters());
            assertEquals(x.lastVacuum(), y.lastVacuum());
            assertEquals(x.lastAutovacuum(), y.lastAutovacuum());
            assertEquals(x.lastAnalyze(), y.lastAnalyze());
            assertEquals(x.lastAutoanalyze(), y.lastAutoanalyze());
        }
        assertEquals(1_111, r.table(5, 16384).lastAutovacuum());
        assertArrayEquals(db5, r.database(5).counters());
        assertEquals(db1Reset, r.database(1).statsReset());
        assertEquals(5, r.database(1).get(DatabaseCounter.BLKS_READ));
        assertEquals(0, r.table(1, 1259).get(TableCounter.HEAP_BLKS_HIT), "reset database 1: its table kept, zeroed");

        pool2.stats.set(Fakes.buffers(1, 0, 0, 5));
        assertEquals(bg.buffersClean() + 1, r.bgwriter().buffersClean());
        assertEquals(bg.buffersAlloc() + 5, r.bgwriter().buffersAlloc());
    }

    @Test
    void afterACrashStatisticsStartFromZero() {
        StatsStoreComponent s = start();
        s.apply(someStats());
        s.deactivate();
        StatsStoreComponent second = start(); // reads and removes the file
        assertEquals(9, second.database(5).get(DatabaseCounter.XACT_COMMIT));
        second.apply(someStats());
        // kill -9: no deactivate, no file.
        clock.tick();
        StatsStoreComponent third = start();
        assertNull(third.table(5, 16384));
        assertEquals(0, third.database(5).get(DatabaseCounter.XACT_COMMIT));
        assertEquals(new ArchiverStats(0, null, 0, 0, null, 0, clock.get()), third.archiver());
        assertEquals(clock.get(), third.bgwriter().statsReset());
        assertEquals(clock.get(), third.wal().statsReset());
        assertEquals(0, third.bgwriter().buffersAlloc());
        assertEquals(List.of(), log.messages(), "a missing file is not worth a line");
    }

    @Test
    void aCorruptedFileIsLoggedAndIgnored() throws Exception {
        StatsStoreComponent s = start();
        s.apply(someStats());
        s.deactivate();
        byte[] bytes = Files.readAllBytes(file());
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file(), bytes);

        StatsStoreComponent r = start();
        assertNull(r.table(5, 16384));
        assertEquals(0, r.archiver().archivedCount());
        assertEquals(List.of("LOG corrupted statistics file \"pg_stat/pgstat.stat\""), log.messages());
        assertFalse(Files.exists(file()));
    }

    @Test
    void truncatedAndForeignFilesAreCorrupted() throws Exception {
        StatsStoreComponent s = start();
        s.apply(someStats());
        s.deactivate();
        byte[] bytes = Files.readAllBytes(file());
        Files.write(file(), java.util.Arrays.copyOf(bytes, bytes.length - 9));
        start();
        Files.createDirectories(file().getParent());
        Files.write(file(), new byte[] {1, 2, 3});
        start();
        Files.write(file(), new byte[0]);
        start();
        assertEquals(3, log.messages().size());
        assertTrue(log.messages().stream().allMatch(m -> m.equals("LOG corrupted statistics file \"pg_stat/pgstat.stat\"")));
        assertThrows(StatsFile.CorruptedException.class, () -> StatsFile.decode(new byte[64]));
    }

    @Test
    void theFileFormatRoundTrips() throws Exception {
        StatsStoreComponent s = start();
        s.apply(someStats());
        StatsFile.Content c = s.content();
        StatsFile.Content d = StatsFile.decode(StatsFile.encode(c));
        assertEquals(c.archiver(), d.archiver());
        assertEquals(c.tables().size(), d.tables().size());
        assertEquals(c.databases().size(), d.databases().size());
        assertEquals(c.writtenAt(), d.writtenAt());
        assertEquals(StatsFile.MAGIC, java.nio.ByteBuffer.wrap(StatsFile.encode(c)).getInt());
    }

    @Test
    void bgwriterAndWalMapping() {
        StatsStoreComponent s = start();
        Fakes.FakePool pool = new Fakes.FakePool();
        Fakes.FakeCheckpointer cp = new Fakes.FakeCheckpointer();
        Fakes.FakeWal wal = new Fakes.FakeWal();
        s.bindBufferPool(pool.pool);
        s.bindCheckpointer(cp.checkpointer);
        s.bindWal(wal.wal);
        pool.stats.set(Fakes.buffers(10, 2, 20, 30));
        cp.stats.set(new CheckpointStats(4, 5, 250.5, 3.25, 66));
        wal.stats.set(new WalStats(100, 7, 8_000, 1, 12, 6, 3));
        assertEquals(new BgWriterStats(4, 5, 250.5, 3.25, 66, 10, 2, 20, 0, 30, clock.get()), s.bgwriter());
        assertEquals(new WalActivity(100, 7, 8_000, 1, 12, 6, 0, 0, clock.get()), s.wal());
    }

    @Test
    void replacingASourceNeverGoesBackwards() {
        StatsStoreComponent s = start();
        Fakes.FakePool a = new Fakes.FakePool();
        Fakes.FakeWal wa = new Fakes.FakeWal();
        Fakes.FakeCheckpointer ca = new Fakes.FakeCheckpointer();
        s.bindBufferPool(a.pool);
        s.bindWal(wa.wal);
        s.bindCheckpointer(ca.checkpointer);
        a.stats.set(Fakes.buffers(100, 1, 50, 500));
        wa.stats.set(new WalStats(1_000, 10, 100_000, 0, 50, 40, 1));
        ca.stats.set(new CheckpointStats(1, 1, 10.0, 1.0, 100));
        BgWriterStats b1 = s.bgwriter();
        WalActivity w1 = s.wal();

        // Replacement: the new service is bound first (greedy), counting from zero; the old one counted
        // a little more before it was unbound.
        Fakes.FakePool b = new Fakes.FakePool();
        Fakes.FakeWal wb = new Fakes.FakeWal();
        Fakes.FakeCheckpointer cb = new Fakes.FakeCheckpointer();
        s.bindBufferPool(b.pool);
        s.bindWal(wb.wal);
        s.bindCheckpointer(cb.checkpointer);
        BgWriterStats b2 = s.bgwriter();
        WalActivity w2 = s.wal();
        assertEquals(b1, b2);
        assertEquals(w1, w2);
        a.stats.set(Fakes.buffers(101, 1, 50, 510));
        wa.stats.set(new WalStats(1_010, 10, 101_000, 0, 51, 41, 1));
        s.unbindBufferPool(a.pool);
        s.unbindWal(wa.wal);
        s.unbindCheckpointer(ca.checkpointer);
        b.stats.set(Fakes.buffers(1, 0, 2, 3));
        wb.stats.set(new WalStats(5, 0, 500, 0, 1, 1, 0));
        cb.stats.set(new CheckpointStats(0, 1, 2.0, 0.5, 4));
        BgWriterStats b3 = s.bgwriter();
        WalActivity w3 = s.wal();
        assertEquals(102, b3.buffersClean());
        assertEquals(513, b3.buffersAlloc());
        assertEquals(52, b3.buffersBackend());
        assertEquals(2, b3.checkpointsReq());
        assertEquals(12.0, b3.checkpointWriteTime(), 1e-9);
        assertEquals(104, b3.buffersCheckpoint());
        assertEquals(1_015, w3.walRecords());
        assertEquals(101_500, w3.walBytes());
        assertEquals(42, w3.walSync());

        // The old one is gone for good; the new one restarts behind the same object: counts from zero.
        a.stats.set(Fakes.buffers(10_000, 0, 0, 10_000));
        b.stats.set(Fakes.buffers(0, 0, 0, 1));
        BgWriterStats b4 = s.bgwriter();
        assertEquals(102, b4.buffersClean());
        assertEquals(514, b4.buffersAlloc());

        // No source at all: the totals stay.
        s.unbindBufferPool(b.pool);
        s.unbindWal(wb.wal);
        s.unbindCheckpointer(cb.checkpointer);
        assertEquals(b4, s.bgwriter());
        assertEquals(1_015, s.wal().walRecords());
    }

    @Test
    void resetTargets() {
        StatsStoreComponent s = start();
        Fakes.FakePool pool = new Fakes.FakePool();
        Fakes.FakeWal wal = new Fakes.FakeWal();
        s.bindBufferPool(pool.pool);
        s.bindWal(wal.wal);
        pool.stats.set(Fakes.buffers(5, 0, 0, 5));
        wal.stats.set(new WalStats(9, 0, 90, 0, 1, 1, 0));
        s.apply(someStats());

        long t1 = clock.tick();
        s.resetShared("bgwriter");
        assertEquals(0, s.bgwriter().buffersAlloc());
        assertEquals(t1, s.bgwriter().statsReset());
        assertEquals(9, s.wal().walRecords(), "bgwriter reset leaves wal");
        pool.stats.set(Fakes.buffers(5, 0, 0, 7));
        assertEquals(2, s.bgwriter().buffersAlloc(), "counts after the reset");

        long t2 = clock.tick();
        s.resetShared("wal");
        assertEquals(0, s.wal().walRecords());
        assertEquals(t2, s.wal().statsReset());
        assertEquals(t1, s.bgwriter().statsReset());

        long t3 = clock.tick();
        s.resetShared("archiver");
        assertEquals(new ArchiverStats(0, null, 0, 0, null, 0, t3), s.archiver());

        s.resetShared("recovery_prefetch"); // accepted by PostgreSQL 15; nothing to reset here

        PgException e = assertThrows(PgException.class, () -> s.resetShared("bgwriterx"));
        assertEquals("22023", e.sqlState());
        assertEquals("unrecognized reset target: \"bgwriterx\"", e.getMessage());
        assertEquals("Target must be \"archiver\", \"bgwriter\", \"recovery_prefetch\", or \"wal\".", e.hint());
        assertNull(e.detail());
        assertThrows(PgException.class, () -> s.resetShared("BGWRITER"));

        long t4 = clock.tick();
        s.resetTable(5, 16390);
        assertEquals(0, s.table(5, 16390).get(TableCounter.IDX_SCAN));
        assertEquals(3, s.table(5, 16384).get(TableCounter.SEQ_SCAN));
        assertEquals(t4, s.database(5).statsReset());
        long t5 = clock.tick();
        s.resetDatabase(5);
        assertEquals(0, s.table(5, 16384).get(TableCounter.SEQ_SCAN));
        assertEquals(0, s.database(5).get(DatabaseCounter.XACT_COMMIT));
        assertEquals(t5, s.database(5).statsReset());
        assertEquals(11, s.table(1, 1259).get(TableCounter.HEAP_BLKS_HIT));
    }

    @Test
    void aDataDirectoryWithoutPgStatIsFine() throws Exception {
        StatsStoreComponent s = start();
        s.apply(someStats());
        s.deactivate();
        assertTrue(Files.isRegularFile(file()));
    }

    @Test
    void theDsConstructorUsesTheSettingsDataDirectory() {
        StatsStoreComponent s = new StatsStoreComponent(Fakes.settings(data), log.logger);
        s.apply(someStats());
        s.deactivate();
        assertTrue(Files.isRegularFile(file()));
        StatsStoreComponent r = new StatsStoreComponent(Fakes.settings(data), log.logger);
        assertEquals(9, r.database(5).get(DatabaseCounter.XACT_COMMIT));
    }
}
