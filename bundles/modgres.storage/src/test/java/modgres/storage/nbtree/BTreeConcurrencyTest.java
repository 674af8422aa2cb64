package modgres.storage.nbtree;

import static modgres.storage.nbtree.BtEnv.INDEX;
import static modgres.storage.nbtree.BtEnv.NODE;
import static modgres.storage.nbtree.BtEnv.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.access.Tid;
import modgres.api.access.UniqueChecker;
import modgres.api.error.PgException;
import modgres.storage.nbtree.BtEnv.Entry;

/** Inserters and scanners on many threads over one index, through a pool small enough to evict. */
class BTreeConcurrencyTest {
    static final KeyComparator BYTES = KeyComparator.BYTEWISE;

    @TempDir
    Path dir;

    /** From an empty index (concurrent root creation and root splits) and from a populated one. */
    @ParameterizedTest
    @ValueSource(ints = {0, 20_000})
    void fourInsertersAndScannersThatSeeEveryPreexistingEntryExactlyOnce(int preexisting) throws Exception {
        try (BtEnv env = new BtEnv(dir, 96, true)) {
            env.btree.create(NODE);
            Random rnd = new Random(1);
            Set<Entry> pre = new HashSet<>();
            List<Entry> all = new ArrayList<>();
            for (int i = 0; i < preexisting; i++) {
                Entry e = new Entry(wide(rnd.nextInt(100_000)), Tid.of(i, 1));
                env.btree.insert(INDEX, BYTES, e.key(), e.tid(), null);
                pre.add(e);
                all.add(e);
            }
            int threads = 4;
            int perThread = 15_000;
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Entry> inserted = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(threads);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(new Thread(() -> {
                    Random r = new Random(100 + id);
                    // thread 0 inserts distinct negative keys through the unique check path
                    UniqueChecker unique = id == 0 ? new UniqueChecker() {
                        @Override
                        public int check(long heapTid) {
                            throw new PgException("23505", "duplicate key value violates unique constraint");
                        }

                        @Override
                        public void await(int xid) {
                        }
                    } : null;
                    try {
                        go.await();
                        for (int i = 0; i < perThread; i++) {
                            byte[] k = id == 0 ? wide(-1 - i * 7 % perThread) : wide(r.nextInt(100_000));
                            long tid = Tid.of(100_000 * (id + 1) + i, 2);
                            env.btree.insert(INDEX, BYTES, k, tid, unique);
                            inserted.add(new Entry(k, tid));
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    } finally {
                        done.countDown();
                    }
                }, "inserter-" + t));
            }
            AtomicInteger scans = new AtomicInteger();
            List<Thread> scanners = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                int id = s;
                scanners.add(new Thread(() -> {
                    try {
                        go.await();
                        int round = 0;
                        while (done.getCount() > 0 || round < 2) {
                            boolean backward = (round + id) % 2 == 1;
                            checkScan(env, pre, backward);
                            scans.incrementAndGet();
                            round++;
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }, "scanner-" + s));
            }
            workers.forEach(Thread::start);
            scanners.forEach(Thread::start);
            go.countDown();
            for (Thread t : workers) {
                t.join(120_000);
            }
            for (Thread t : scanners) {
                t.join(120_000);
            }
            if (!errors.isEmpty()) {
                AssertionError failure = new AssertionError(errors.size() + " thread(s) failed");
                errors.forEach(failure::addSuppressed);
                throw failure;
            }
            assertTrue(scans.get() >= 4, scans.get() + " scans");
            all.addAll(inserted);
            Collections.sort(all);
            assertEquals(preexisting + threads * perThread, all.size());
            assertTrue(c(env).rootLevel >= 2, "root level");
            assertEquals(all, env.scanAll());
            BtCheck c = BtCheck.verify(env, BYTES);
            assertEquals(all.size(), c.leafEntries);
            assertEquals(0, c.incompleteSplits);
            assertEquals(0, env.pool.pins.get(), "pins left behind");
            assertEquals(0, env.pool.locks.get(), "locks left behind");
        }
    }

    /** A 64-byte key (fixed width, so prefix-free): a tall tree from few entries. */
    static byte[] wide(int v) {
        byte[] k = java.util.Arrays.copyOf(key(v), 64);
        for (int i = 4; i < 64; i++) {
            k[i] = (byte) (v * 31 + i);
        }
        return k;
    }

    private static BtCheck c(BtEnv env) {
        return BtCheck.verify(env, BYTES);
    }

    /** One full scan while others insert: ordered, and every pre-existing entry exactly once. */
    private static void checkScan(BtEnv env, Set<Entry> pre, boolean backward) {
        Set<Entry> seen = new HashSet<>();
        Entry last = null;
        int n = 0;
        try (IndexScan s = env.btree.scan(INDEX, BYTES, null, true, null, true, backward)) {
            while (s.next()) {
                Entry e = new Entry(s.key(), s.heapTid());
                if (last != null) {
                    int c = e.compareTo(last);
                    if (backward ? c >= 0 : c <= 0) {
                        throw new AssertionError("out of order: " + last + " then " + e);
                    }
                }
                last = e;
                if (pre.contains(e) && !seen.add(e)) {
                    throw new AssertionError("seen twice: " + e);
                }
                n++;
            }
        }
        if (seen.size() != pre.size()) {
            throw new AssertionError((pre.size() - seen.size()) + " pre-existing entries missed (of " + n + ")");
        }
    }
}
