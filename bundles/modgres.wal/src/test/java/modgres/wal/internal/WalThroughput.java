package modgres.wal.internal;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import modgres.api.wal.Lsn;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalStats;

/**
 * A rough measurement, run by hand (not a test, no asserts): inserts per
 * second with 1 and 2 threads without flushing (100-byte records, default
 * 16 MiB segments, 4 MB of WAL buffers; with fsync on, and with fsync off and
 * no zero-filling to see the insert path rather than the disk), bytes
 * allocated per insert, and
 * commits per fsync with 8 and 32 committers (insert + flush in a loop).
 * Run with the module's test class path:
 * {@code java -cp target/classes:target/test-classes:<modgres.api jar>:<osgi log jar> modgres.wal.internal.WalThroughput [dir]}
 */
public final class WalThroughput {
    private WalThroughput() {
    }

    public static void main(String[] args) throws Exception {
        Path base = args.length > 0 ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir"));
        for (int threads : new int[] {1, 2, 1, 2}) {
            inserts(base, threads, 3_000_000 / threads, true);
        }
        for (int threads : new int[] {1, 2, 1, 2}) {
            inserts(base, threads, 3_000_000 / threads, false);
        }
        for (int committers : new int[] {1, 8, 32}) {
            commits(base, committers, 3000);
        }
    }

    static Path fresh(Path base) throws Exception {
        return Files.createTempDirectory(base, "walbench");
    }

    static void delete(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** With {@code durable} false: fsync off and no zero-filling of new segments, to see the insert path itself. */
    static void inserts(Path base, int threads, int perThread, boolean durable) throws Exception {
        Path dir = fresh(base);
        WalConfig config = WalConfig.defaults(dir);
        if (!durable) {
            config = config.withSync(SyncMethod.FDATASYNC, false).withInitZero(false);
        }
        WriteAheadLog wal = new WriteAheadLog(config, TestSupport.log());
        wal.startAt(wal.findEnd(Lsn.INVALID));
        WalRecord rec = WalRecord.of(ResourceManager.HEAP, (byte) 0, 1, new byte[100 - 24 - 2]);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[threads];
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    wal.insert(rec); // warm up
                }
                long b0 = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < perThread; i++) {
                    wal.insert(rec);
                }
                allocated[id] = mx.getCurrentThreadAllocatedBytes() - b0;
            });
        }
        long t0 = System.nanoTime();
        for (Thread t : ts) {
            t.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        long ns = System.nanoTime() - t0;
        long total = (long) threads * (perThread + 20_000);
        WalStats s = wal.stats();
        System.out.printf("%s, %d thread(s): %,.0f inserts/s (%.0f MB/s of WAL), %.2f bytes allocated per insert,"
                + " %d ring-full writes, %d segments created%n", durable ? "fsync on " : "fsync off", threads, total * 1e9 / ns,
                s.bytes() * 1e3 / ns, allocated[0] / (double) perThread, s.buffersFull(), s.segmentsCreated());
        wal.close();
        delete(dir);
    }

    static void commits(Path base, int committers, int perCommitter) throws Exception {
        Path dir = fresh(base);
        WriteAheadLog wal = new WriteAheadLog(WalConfig.defaults(dir), TestSupport.log());
        wal.startAt(wal.findEnd(Lsn.INVALID));
        WalRecord rec = WalRecord.of(ResourceManager.XACT, (byte) 0, 1, new byte[32]);
        wal.flush(wal.insert(rec)); // create the first segment outside the measurement
        long syncs0 = wal.stats().syncs();
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Thread[] ts = new Thread[committers];
        for (int t = 0; t < committers; t++) {
            ts[t] = new Thread(() -> {
                for (int i = 0; i < perCommitter && !stop.get(); i++) {
                    wal.flush(wal.insert(rec));
                    done.incrementAndGet();
                }
            });
        }
        long t0 = System.nanoTime();
        for (Thread t : ts) {
            t.start();
        }
        for (Thread t : ts) {
            t.join();
        }
        long ns = System.nanoTime() - t0;
        long syncs = wal.stats().syncs() - syncs0;
        System.out.printf("%2d committers: %,d commits, %,d fsyncs, %.1f commits per fsync, %,.0f commits/s%n",
                committers, done.get(), syncs, done.get() / (double) syncs, done.get() * 1e9 / ns);
        wal.close();
        delete(dir);
    }
}
