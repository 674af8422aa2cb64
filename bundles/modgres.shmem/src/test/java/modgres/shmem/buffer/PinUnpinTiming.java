package modgres.shmem.buffer;

import java.lang.management.ManagementFactory;

import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;

/**
 * A rough measurement of the hot path, run by hand (not a test, no asserts):
 * pin of a resident page plus unpin, single-threaded and with two threads,
 * and the bytes allocated per iteration. Run with the module's test class path:
 * {@code java -cp target/classes:target/test-classes:<modgres.api jar> modgres.shmem.buffer.PinUnpinTiming}
 */
public final class PinUnpinTiming {
    private static final RelFileNode REL = new RelFileNode(1663, 5, 16384);
    private static volatile int sink;

    private PinUnpinTiming() {
    }

    public static void main(String[] args) throws Exception {
        MemoryPageStore store = new MemoryPageStore();
        store.seed(REL, ForkNumber.MAIN, 1024);
        SharedBufferPool pool = new SharedBufferPool(2048, store);
        for (int b = 0; b < 1024; b++) {
            pool.unpin(pool.pin(BufferTag.of(REL, ForkNumber.MAIN, b)));
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int iterations = 20_000_000;
        for (int round = 0; round < 5; round++) {
            long bytes = mx.getCurrentThreadAllocatedBytes();
            long t0 = System.nanoTime();
            int acc = loop(pool, iterations, 0);
            long t1 = System.nanoTime();
            long allocated = mx.getCurrentThreadAllocatedBytes() - bytes;
            sink = acc;
            System.out.printf("1 thread : %.1f ns per pin+unpin, %.3f bytes allocated per iteration%n",
                    (t1 - t0) / (double) iterations, allocated / (double) iterations);
        }
        for (int round = 0; round < 3; round++) {
            long[] ns = new long[2];
            Thread[] ts = new Thread[2];
            for (int i = 0; i < 2; i++) {
                int id = i;
                ts[i] = new Thread(() -> {
                    long t0 = System.nanoTime();
                    sink = loop(pool, iterations, id * 512);
                    ns[id] = System.nanoTime() - t0;
                });
            }
            for (Thread t : ts) {
                t.start();
            }
            for (Thread t : ts) {
                t.join();
            }
            System.out.printf("2 threads: %.1f / %.1f ns per pin+unpin (different pages)%n",
                    ns[0] / (double) iterations, ns[1] / (double) iterations);
        }
    }

    private static int loop(SharedBufferPool pool, int iterations, int offset) {
        int acc = 0;
        for (int i = 0; i < iterations; i++) {
            int b = pool.pin(1663, 5, 16384, ForkNumber.MAIN, offset + (i & 511), ReadMode.NORMAL, null);
            acc += b;
            pool.unpin(b);
        }
        return acc;
    }
}
