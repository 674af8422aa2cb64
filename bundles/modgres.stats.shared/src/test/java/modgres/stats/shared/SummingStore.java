package modgres.stats.shared;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import modgres.api.stats.ArchiverStats;
import modgres.api.stats.BgWriterStats;
import modgres.api.stats.DatabaseCounter;
import modgres.api.stats.DatabaseStats;
import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsStore;
import modgres.api.stats.TableStats;
import modgres.api.stats.WalActivity;

/** A store that sums XACT_COMMIT over every database and remembers which thread applied last. */
final class SummingStore implements StatsStore {
    final AtomicLong commits = new AtomicLong();
    final AtomicLong applies = new AtomicLong();
    final AtomicReference<Thread> lastThread = new AtomicReference<>();
    volatile CountDownLatch block; // when set, apply waits for it

    @Override
    public void apply(PendingStats stats) {
        CountDownLatch b = block;
        if (b != null) {
            try {
                b.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lastThread.set(Thread.currentThread());
        stats.databases().values().forEach(c -> commits.addAndGet(c[DatabaseCounter.XACT_COMMIT.ordinal()]));
        applies.incrementAndGet();
    }

    @Override
    public TableStats table(int db, int rel) {
        return null;
    }

    @Override
    public List<TableStats> tables(int db) {
        return List.of();
    }

    @Override
    public DatabaseStats database(int db) {
        return new DatabaseStats(db, new long[DatabaseCounter.COUNT], 0);
    }

    @Override
    public BgWriterStats bgwriter() {
        return null;
    }

    @Override
    public WalActivity wal() {
        return null;
    }

    @Override
    public ArchiverStats archiver() {
        return null;
    }

    @Override
    public void resetDatabase(int db) {
    }

    @Override
    public void resetTable(int db, int rel) {
    }

    @Override
    public void resetShared(String target) {
    }
}
