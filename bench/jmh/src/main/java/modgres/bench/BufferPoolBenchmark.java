package modgres.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.PageStore;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.shmem.buffer.SharedBufferPool;

/**
 * Shared buffers: the hit path (pin + unpin of a resident page) with 1 and 2
 * threads, and the miss path (a page not in the pool: victim by clock sweep,
 * read from the store). The store is in memory, so the miss path measures
 * the pool's own work, not the disk.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BufferPoolBenchmark {

    /** A store that returns zero pages and forgets writes: the pool's cost only. */
    static final class NullStore implements PageStore {
        @Override
        public int nblocks(RelFileNode rel, ForkNumber fork) {
            return Integer.MAX_VALUE;
        }

        @Override
        public void read(BufferTag tag, ByteBuffer page) {
            page.putLong(0, 0L);
        }

        @Override
        public void write(BufferTag tag, ByteBuffer page) {
        }

        @Override
        public void extend(BufferTag tag, ByteBuffer page) {
        }

        @Override
        public void fsync(RelFileNode rel, ForkNumber fork) {
        }
    }

    static final int POOL = 16384; // 128 MB, shared_buffers' default
    static final int HOT = 1024;

    SharedBufferPool pool;
    int missBlock;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new SharedBufferPool(POOL, new NullStore());
        for (int b = 0; b < HOT; b++) {
            pool.unpin(pool.pin(1663, 5, 16384, ForkNumber.MAIN, b, ReadMode.NORMAL, null));
        }
        missBlock = 1_000_000;
    }

    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    @Threads(1)
    public int hit1(Cursor c) {
        int b = pool.pin(1663, 5, 16384, ForkNumber.MAIN, (c.next++) & (HOT - 1), ReadMode.NORMAL, null);
        pool.unpin(b);
        return b;
    }

    @Benchmark
    @Threads(2)
    public int hit2(Cursor c) {
        int b = pool.pin(1663, 5, 16384, ForkNumber.MAIN, (c.next++) & (HOT - 1), ReadMode.NORMAL, null);
        pool.unpin(b);
        return b;
    }

    @Benchmark
    @Threads(1)
    public int miss1() {
        // A block never seen before: mapping miss, clock-sweep victim, read, insert into the mapping.
        int b = pool.pin(1663, 5, 16385, ForkNumber.MAIN, missBlock++, ReadMode.NORMAL, null);
        pool.unpin(b);
        return b;
    }
}
