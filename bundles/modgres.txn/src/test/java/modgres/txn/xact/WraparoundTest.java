package modgres.txn.xact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.error.PgException;
import modgres.api.log.LogRecord;
import modgres.api.log.Severity;
import modgres.api.txn.CurrentTransaction;
import modgres.api.txn.Snapshot;
import modgres.api.txn.Xid;
import modgres.api.txn.XidStatus;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;
import modgres.txn.clog.CommitLog;

class WraparoundTest {

    private static final int[] NONE = new int[0];
    /** 2^31 - 1: the distance from the oldest id to the wrap limit. */
    private static final long HALF = Integer.MAX_VALUE;

    @TempDir
    Path data;

    private TxnFixture f;

    @BeforeEach
    void open() {
        f = new TxnFixture(data);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void comparisonsAreModulo2To32() {
        assertTrue(Xid.precedes(0xFFFFFFF0, 5), "just before the wrap precedes just after");
        assertFalse(Xid.precedes(5, 0xFFFFFFF0));
        assertTrue(Xid.precedes(100, 100 + (int) HALF), "2^31 - 1 ahead is still ahead");
        assertFalse(Xid.precedes(100 + (int) HALF, 100));
        assertTrue(Xid.precedes(100 + (int) HALF + 2, 100), "2^31 + 1 ahead is behind");
        assertTrue(Xid.precedes(Xid.FROZEN, 0xFFFFFFF0), "special ids are older than every normal id");
        assertTrue(Xid.precedes(Xid.BOOTSTRAP, Xid.FIRST_NORMAL));
        assertEquals(Xid.FIRST_NORMAL, Xid.advance(0xFFFFFFFF), "the special ids are skipped");
    }

    @Test
    void idsWrapIntoANewEpochSkippingTheSpecialIds() {
        f.tm.recoveryStart(0xFFFFFFFEL, 16384);
        int a = f.tm.assignXid(1);
        int b = f.tm.assignXid(2);
        int c = f.tm.assignXid(3);
        assertEquals(0xFFFFFFFE, a);
        assertEquals(0xFFFFFFFF, b);
        assertEquals(Xid.FIRST_NORMAL, c);
        assertEquals(1L << 32 | 4, f.tm.nextFullXid(), "epoch 1");
        f.tm.commit(1, a, NONE, true);
        f.tm.abort(2, b, NONE);
        Snapshot s = f.tm.snapshot(CurrentTransaction.NONE, 0);
        assertEquals(c, s.xmin());
        assertEquals(4, s.xmax());
        assertFalse(s.isRunning(a), "0xFFFFFFFE precedes xmin 3 across the wrap");
        assertTrue(s.isRunning(c));
        f.tm.commit(3, c, NONE, true);
        assertEquals(XidStatus.COMMITTED, f.tm.status(a));
        assertEquals(XidStatus.ABORTED, f.tm.status(b));
        assertEquals(XidStatus.COMMITTED, f.tm.status(c));
        // page 131071 (segment 0FFF) for the old ids; page 0 started afresh for the new epoch
        List<WalRecord> zero = f.records().stream().filter(r -> r.rmgr() == ResourceManager.CLOG).toList();
        assertEquals(1, zero.size());
        assertEquals(0, CommitLog.zeroPageNumber(zero.get(0)));
        f.tm.checkpoint(true);
        assertTrue(Files.exists(data.resolve("pg_xact/0FFF")));
        assertTrue(Files.exists(data.resolve("pg_xact/0000")));
    }

    @Test
    void replayAdvancesThroughTheWrap() {
        f.tm.recoveryStart(0xFFFFFFF0L, 16384);
        f.tm.advancePastXid(0xFFFFFFF5);
        assertEquals(0xFFFFFFF6L, f.tm.nextFullXid());
        f.tm.advancePastXid(100); // follows 0xFFFFFFF6 in the circle: a new epoch
        assertEquals(1L << 32 | 101, f.tm.nextFullXid());
        f.tm.advancePastXid(50); // older: no change
        assertEquals(1L << 32 | 101, f.tm.nextFullXid());
        f.tm.advancePastXid(Xid.FROZEN); // special: ignored
        assertEquals(1L << 32 | 101, f.tm.nextFullXid());
    }

    @Test
    void newIdsAreRefusedNearTheWrapLimitWith54000() {
        f.tm.setOldestXid(Xid.FIRST_NORMAL);
        long wrap = Xid.FIRST_NORMAL + HALF;
        long stop = wrap - 3_000_000;
        f.tm.recoveryStart(stop - 2, 16384);
        int a = f.tm.assignXid(1);
        int b = f.tm.assignXid(2);
        assertEquals((int) (stop - 2), a);
        PgException e = assertThrows(PgException.class, () -> f.tm.assignXid(3));
        assertEquals("54000", e.sqlState());
        assertEquals("database is not accepting commands to avoid wraparound data loss in database \"postgres\"",
                e.getMessage());
        assertTrue(e.hint().startsWith("Stop the postmaster and vacuum that database in single-user mode."),
                e.hint());
        assertEquals(stop, f.tm.nextFullXid(), "a refused id is not used up");
        // Each id past the warn limit warned, with the distance to the wrap limit.
        List<LogRecord> warnings = f.log.snapshot().stream().filter(r -> r.severity() == Severity.WARNING).toList();
        assertEquals(2, warnings.size());
        assertEquals("database \"postgres\" must be vacuumed within 3000002 transactions", warnings.get(0).message());
        assertEquals("database \"postgres\" must be vacuumed within 3000001 transactions", warnings.get(1).message());
        assertTrue(warnings.get(0).hint().startsWith("To avoid a database shutdown, execute a database-wide VACUUM"));
        // Commits and aborts still work; a vacuum that advances the oldest id lifts the limit.
        f.tm.commit(1, a, NONE, true);
        f.tm.abort(2, b, NONE);
        f.tm.setOldestXid((int) (stop - 10), "mydb");
        assertEquals((int) stop, f.tm.assignXid(3));
    }

    @Test
    void theDatabaseNameAppearsInTheMessages() {
        f.tm.setOldestXid(Xid.FIRST_NORMAL, "appdb");
        f.tm.recoveryStart(Xid.FIRST_NORMAL + HALF - 3_000_000, 16384);
        PgException e = assertThrows(PgException.class, () -> f.tm.assignXid(3));
        assertTrue(e.getMessage().endsWith("in database \"appdb\""));
    }

    @Test
    void warningsStart40MillionBeforeTheWrapLimit() {
        f.tm.setOldestXid(1000);
        long wrap = 1000 + HALF;
        f.tm.recoveryStart(wrap - 40_000_001L, 16384);
        f.tm.assignXid(1);
        assertTrue(f.log.snapshot().stream().noneMatch(r -> r.severity() == Severity.WARNING));
        f.tm.assignXid(2);
        List<LogRecord> w = f.log.snapshot().stream().filter(r -> r.severity() == Severity.WARNING).toList();
        assertEquals(List.of("database \"postgres\" must be vacuumed within 40000000 transactions"),
                w.stream().map(LogRecord::message).toList());
    }

    @Test
    void theLimitFollowsTheOldestIdAcrossTheWrap() {
        // oldest + 2^31 - 1 lands on special id 1 of the next epoch: the wrap limit skips to 4,
        // the stop limit is 3 million before that, back in epoch 0
        int oldest = 0x8000_0002;
        f.tm.setOldestXid(oldest);
        long stopFull = (1L << 32) + 4 - 3_000_000;
        f.tm.recoveryStart(stopFull - 1, 16384);
        assertEquals((int) (stopFull - 1), f.tm.assignXid(1));
        assertThrows(PgException.class, () -> f.tm.assignXid(2));
        assertTrue(f.log.snapshot().stream().anyMatch(
                r -> r.message().equals("database \"postgres\" must be vacuumed within 3000001 transactions")));
    }

    @Test
    void withoutAKnownOldestIdAFreshClusterIsLimitedFromItsStart() {
        f.tm.recoveryStart(Xid.FIRST_NORMAL + HALF - 3_000_000, 16384);
        assertThrows(PgException.class, () -> f.tm.assignXid(1), "initdb's oldest id is FirstNormal");
        f.tm.recoveryStart(0x9000_0000L, 16384); // past 2^31: vacuums must have happened; assume just frozen
        assertEquals(0x9000_0000, f.tm.assignXid(1));
    }
}
