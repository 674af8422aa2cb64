package modgres.archiver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import modgres.api.wal.Lsn;
import modgres.api.wal.Wal;
import modgres.api.wal.WalEnd;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalRecycleResult;
import modgres.api.wal.WalState;
import modgres.api.wal.WalStats;

/**
 * A WAL that only moves an insert position: {@link #write} adds bytes,
 * {@link #switchSegment} (as the real one) ends a segment that holds
 * something, writing its segment file and {@code .ready}.
 */
final class FakeWal implements Wal {
    static final long SEGMENT = 16L * 1024 * 1024;
    /** Where the first record of a segment starts (after the long page header). */
    static final long FIRST = 40;

    private final Path dataDir;
    volatile WalState state = WalState.INSERTING;
    private long pos = SEGMENT + FIRST;
    int switches;

    FakeWal(Path dataDir) {
        this.dataDir = dataDir;
    }

    synchronized void write(long bytes) {
        long seg = pos / SEGMENT;
        pos += bytes;
        while (pos / SEGMENT > seg) { // filled: the segment is complete
            complete(seg++);
            if (pos % SEGMENT < FIRST) {
                pos += FIRST;
            }
        }
    }

    private void complete(long segno) {
        String name = Lsn.segmentFileName(1, segno, SEGMENT);
        try {
            Files.createDirectories(dataDir.resolve("pg_wal/archive_status"));
            Files.write(dataDir.resolve("pg_wal").resolve(name), new byte[64]);
            Files.createFile(dataDir.resolve("pg_wal/archive_status").resolve(name + ".ready"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized long switchSegment() {
        if (pos % SEGMENT == FIRST) {
            return pos; // nothing in this segment yet
        }
        long seg = pos / SEGMENT;
        complete(seg);
        switches++;
        long end = pos + 24;
        pos = (seg + 1) * SEGMENT + FIRST;
        return end;
    }

    @Override
    public synchronized long insertPosition() {
        return pos;
    }

    @Override
    public WalState state() {
        return state;
    }

    @Override
    public int timeline() {
        return 1;
    }

    @Override
    public long segmentSize() {
        return SEGMENT;
    }

    @Override
    public String segmentFileName(long lsn) {
        return Lsn.segmentFileName(1, lsn / SEGMENT, SEGMENT);
    }

    @Override
    public WalReader reader(long fromLsn) {
        throw new UnsupportedOperationException();
    }

    @Override
    public WalEnd findEnd(long fromLsn) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void startAt(WalEnd end) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long insert(WalRecord record) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean needsFullPageImage(long pageLsn) {
        return false;
    }

    @Override
    public void flush(long upTo) {
    }

    @Override
    public long backgroundFlush() {
        return 0;
    }

    @Override
    public long writtenPosition() {
        return insertPosition();
    }

    @Override
    public long flushedPosition() {
        return insertPosition();
    }

    @Override
    public long redoPointer() {
        return 0;
    }

    @Override
    public void setRedoPointer(long lsn) {
    }

    @Override
    public long advanceRedoPointer() {
        return insertPosition();
    }

    @Override
    public WalRecycleResult recycleSegments(long keepFromLsn) {
        return new WalRecycleResult(0, 0, 0);
    }

    @Override
    public WalStats stats() {
        return new WalStats(0, 0, 0, 0, 0, 0, 0);
    }
}
