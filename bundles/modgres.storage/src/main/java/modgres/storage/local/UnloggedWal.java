package modgres.storage.local;

import modgres.api.wal.Wal;
import modgres.api.wal.WalEnd;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalRecycleResult;
import modgres.api.wal.WalState;
import modgres.api.wal.WalStats;

/*
 * Design notes: the "skip WAL" decision for temporary relations
 * (PostgreSQL's RelationNeedsWAL() being false for them).
 *
 * The heap, the B-tree and vacuum log every change through the Wal they were
 * built with. A backend's temporary relations are served by instances of
 * those classes built over this object instead of the server's WAL, so the
 * decision is made once, where the access method is chosen for a relation
 * (by its persistence), and not at every call site. Here:
 *
 * - insert writes nothing and returns a fake LSN from a counter of its own
 *   (PostgreSQL's fake LSNs for relations without WAL), so a page's LSN still
 *   changes with every change, for code that compares page LSNs;
 * - no full-page image is ever needed (no torn page matters: after a crash the
 *   relation is removed, not recovered), so hint bits are set freely;
 * - everything counts as flushed: a commit's hint needs no WAL flush first for
 *   a page that is never written before a WAL flush anyway.
 *
 * Recovery, segments and checkpoints do not exist for these relations; those
 * calls are errors.
 */
/** A Wal that logs nothing, for the access methods of temporary relations; see the design notes. */
final class UnloggedWal implements Wal {
    /** PostgreSQL's FirstNormalUnloggedLSN: fake LSNs start above the values with a meaning. */
    static final long FIRST_FAKE_LSN = 1000;

    private long fakeLsn = FIRST_FAKE_LSN;

    @Override
    public long insert(WalRecord record) {
        return ++fakeLsn;
    }

    @Override
    public boolean needsFullPageImage(long pageLsn) {
        return false;
    }

    @Override
    public void flush(long upTo) {
        // nothing was logged
    }

    @Override
    public long backgroundFlush() {
        return fakeLsn;
    }

    @Override
    public long insertPosition() {
        return fakeLsn;
    }

    @Override
    public long writtenPosition() {
        return -1L; // the highest unsigned position: everything is written
    }

    @Override
    public long flushedPosition() {
        return -1L; // the highest unsigned position: everything is flushed
    }

    @Override
    public WalState state() {
        return WalState.INSERTING;
    }

    @Override
    public int timeline() {
        return 1;
    }

    @Override
    public long segmentSize() {
        throw noWal();
    }

    @Override
    public String segmentFileName(long lsn) {
        throw noWal();
    }

    @Override
    public WalReader reader(long fromLsn) {
        throw noWal();
    }

    @Override
    public WalEnd findEnd(long fromLsn) {
        throw noWal();
    }

    @Override
    public void startAt(WalEnd end) {
        throw noWal();
    }

    @Override
    public long redoPointer() {
        throw noWal();
    }

    @Override
    public void setRedoPointer(long lsn) {
        throw noWal();
    }

    @Override
    public long advanceRedoPointer() {
        throw noWal();
    }

    @Override
    public long switchSegment() {
        throw noWal();
    }

    @Override
    public WalRecycleResult recycleSegments(long keepFromLsn) {
        throw noWal();
    }

    @Override
    public WalStats stats() {
        throw noWal();
    }

    private static UnsupportedOperationException noWal() {
        return new UnsupportedOperationException("temporary relations have no WAL");
    }
}
