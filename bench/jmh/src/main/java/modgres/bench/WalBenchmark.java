package modgres.bench;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.osgi.service.log.Logger;

import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.wal.Lsn;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

/**
 * WAL: insertion of 100-byte records without flushing (1 and 2 threads), and
 * commit = insert + flush with 1, 8 and 32 concurrent committers (group
 * commit: one fsync serves every committer waiting behind it). The WAL lives
 * in a temporary directory on the disk under test; fsync is on.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.SECONDS)
@BenchmarkMode(Mode.Throughput)
public class WalBenchmark {
    Path dir;
    WriteAheadLog wal;
    final WalRecord record = WalRecord.of(ResourceManager.XLOG, ResourceManager.XLOG_NOOP, 0, new byte[100]);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("modgres-jmh-wal-");
        Logger quiet = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (p, m, a) -> m.getReturnType() == boolean.class ? false : null);
        wal = new WriteAheadLog(WalConfig.defaults(dir), ServerLog.of(quiet, LogContext.process(1, "bench")));
        wal.startAt(wal.findEnd(Lsn.INVALID));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        wal.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @Threads(1)
    public long insert1() {
        return wal.insert(record);
    }

    @Benchmark
    @Threads(2)
    public long insert2() {
        return wal.insert(record);
    }

    @Benchmark
    @Threads(1)
    public long commit1() {
        long end = wal.insert(record);
        wal.flush(end);
        return end;
    }

    @Benchmark
    @Threads(8)
    public long commit8() {
        long end = wal.insert(record);
        wal.flush(end);
        return end;
    }

    @Benchmark
    @Threads(32)
    public long commit32() {
        long end = wal.insert(record);
        wal.flush(end);
        return end;
    }
}
