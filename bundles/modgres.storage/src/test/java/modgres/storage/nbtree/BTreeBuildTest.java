package modgres.storage.nbtree;

import static modgres.storage.nbtree.BtEnv.INDEX;
import static modgres.storage.nbtree.BtEnv.NODE;
import static modgres.storage.nbtree.BtEnv.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.LongPredicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import modgres.api.access.BTree;
import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.access.RelationRef;
import modgres.api.access.Tid;
import modgres.api.access.UniqueChecker;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.page.Page;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.storage.nbtree.BtEnv.Entry;

/** CREATE INDEX on a filled table: the bottom-up build from sorted entries (nbtsort). */
class BTreeBuildTest {
    static final KeyComparator BYTES = KeyComparator.BYTEWISE;

    @TempDir
    Path dir;

    /** Sorted entries as the build reads them. */
    static final class Source implements IndexScan {
        private final List<Entry> entries;
        private int at = -1;

        Source(List<Entry> entries) {
            this.entries = entries;
        }

        @Override
        public boolean next() {
            return ++at < entries.size();
        }

        @Override
        public long heapTid() {
            return entries.get(at).tid();
        }

        @Override
        public byte[] key() {
            return entries.get(at).key();
        }

        @Override
        public void close() {
        }
    }

    static long tid(int i) {
        return Tid.of(i / 100, i % 100 + 1);
    }

    /** n entries with keys of {@code width} bytes drawn from {@code distinct} values (so equal keys, in tid order). */
    static List<Entry> entries(int n, int distinct, int width, long seed) {
        Random rnd = new Random(seed);
        List<Entry> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] k = new byte[width];
            byte[] v = key(rnd.nextInt(distinct));
            System.arraycopy(v, 0, k, 0, 4);
            for (int j = 4; j < width; j++) {
                k[j] = (byte) (k[j - 4] * 31 + 7);
            }
            l.add(new Entry(k, tid(i)));
        }
        Collections.sort(l);
        return l;
    }

    static void assertNoLeaks(BtEnv env) {
        assertEquals(0, env.pool.pins.get(), "buffer pins left behind");
        assertEquals(0, env.pool.locks.get(), "content locks left behind");
    }

    static long build(BtEnv env, List<Entry> sorted, int fillfactor) {
        try {
            return env.btree.build(INDEX, BYTES, new Source(sorted), fillfactor);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static void insert(BtEnv env, byte[] key, long tid) {
        try {
            env.btree.insert(INDEX, BYTES, key, tid, null);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static List<Entry> range(List<Entry> sorted, byte[] lo, boolean loInc, byte[] hi, boolean hiInc) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : sorted) {
            int a = lo == null ? 1 : compareKey(e.key(), lo);
            int b = hi == null ? -1 : compareKey(e.key(), hi);
            if ((a > 0 || a == 0 && loInc) && (b < 0 || b == 0 && hiInc)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The comparator's result for a stored key against a probe that may be a prefix: stored - probe. */
    static int compareKey(byte[] stored, byte[] probe) {
        return -BYTES.compare(probe, ByteBuffer.wrap(stored), 0, stored.length);
    }

    static <T> List<T> reversed(List<T> l) {
        List<T> r = new ArrayList<>(l);
        Collections.reverse(r);
        return r;
    }

    /** Full scans both ways, range scans with every bound kind, and the structural check. */
    static BtCheck verifyAll(BtEnv env, List<Entry> ref, Random rnd) {
        assertEquals(ref, env.scanAll());
        assertEquals(reversed(ref), BtEnv.scanAll(env.btree, BYTES, null, true, null, true, true));
        for (int i = 0; i < 12 && !ref.isEmpty(); i++) {
            byte[] lo = key(BtEnv.decode(ref.get(rnd.nextInt(ref.size())).key(), 0) + rnd.nextInt(3) - 1);
            byte[] hi = key(BtEnv.decode(lo, 0) + rnd.nextInt(ref.size() / 10 + 2));
            boolean loInc = rnd.nextBoolean();
            boolean hiInc = rnd.nextBoolean();
            if (i % 4 == 1) {
                lo = null;
            } else if (i % 4 == 2) {
                hi = null;
            }
            List<Entry> want = range(ref, lo, loInc, hi, hiInc);
            assertEquals(want, BtEnv.scanAll(env.btree, BYTES, lo, loInc, hi, hiInc, false), "range " + i);
            assertEquals(reversed(want), BtEnv.scanAll(env.btree, BYTES, lo, loInc, hi, hiInc, true),
                    "backward range " + i);
        }
        BtCheck c = BtCheck.verify(env, BYTES);
        assertEquals(ref.size(), c.leafEntries);
        assertEquals(0, c.incompleteSplits);
        assertNoLeaks(env);
        return c;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 100, 1000, 100_000})
    void aBuiltTreeScansExactlyItsEntries(int n) {
        try (BtEnv env = new BtEnv(dir, 512, true)) {
            env.btree.create(NODE);
            List<Entry> ref = entries(n, Math.max(1, n / 3), 4, n);
            assertEquals(n, build(env, ref, 0));
            BtCheck c = verifyAll(env, ref, new Random(n));
            ByteBuffer meta = env.copyPage(0);
            int root = BtPage.metaRoot(meta);
            ByteBuffer rootPage = env.copyPage(root);
            assertEquals(c.rootLevel, BtPage.level(rootPage));
            assertEquals(root, BtPage.metaFastRoot(meta));
            assertEquals(c.rootLevel, BtPage.metaFastLevel(meta));
            assertEquals(BtPage.BTP_ROOT | (c.rootLevel == 0 ? BtPage.BTP_LEAF : 0), BtPage.flags(rootPage));
            assertEquals(c.pages + 1, env.btree.nblocks(NODE), "every block is in the tree");
            if (n == 100_000) {
                assertEquals(2, c.rootLevel, "three levels");
                // 12-byte tuples, 20 bytes each with the line pointer: 8152/20 = 407 a page, 90% = 367
                int leaves = 0;
                for (int b = 1; b < env.btree.nblocks(NODE); b++) {
                    ByteBuffer p = env.copyPage(b);
                    if (BtPage.isLeaf(p)) {
                        leaves++;
                        if (!BtPage.isRightmost(p)) {
                            int items = Page.maxOffset(p) - 1;
                            assertTrue(items >= 365 && items <= 370, items + " items on leaf " + b);
                        }
                    } else if (!BtPage.isRightmost(p)) {
                        // 18-byte pivots, 28 bytes each: 70% of the page is about 204
                        int items = Page.maxOffset(p) - 1;
                        assertTrue(items >= 200 && items <= 210, items + " items on internal page " + b);
                    }
                }
                assertEquals((n + 366) / 367, leaves, "leaves filled to 90%");
            }
        }
    }

    @Test
    void wideKeysMakeADeepTree() {
        try (BtEnv env = new BtEnv(dir, 256, true)) {
            env.btree.create(NODE);
            List<Entry> ref = entries(20_000, 15_000, 300, 3);
            build(env, ref, 0);
            BtCheck c = verifyAll(env, ref, new Random(3));
            assertEquals(3, c.rootLevel, "four levels");
        }
    }

    /** One maximal entry to a leaf (two and a high key would be 4 bytes too many), two downlinks to a parent. */
    @Test
    void maximalKeysMakeAValidTree() {
        try (BtEnv env = new BtEnv(dir, 256, true)) {
            env.btree.create(NODE);
            List<Entry> ref = entries(300, 200, BTree.MAX_KEY_SIZE, 4);
            build(env, ref, 100);
            BtCheck c = verifyAll(env, ref, new Random(4));
            assertTrue(c.rootLevel >= 3, "level " + c.rootLevel);
        }
    }

    @Test
    void fillfactorSetsHowFullTheLeavesAre() {
        List<Entry> ref = entries(30_000, 30_000, 4, 5);
        int[] blocks = new int[3];
        int[] ffs = {100, 90, 50};
        for (int i = 0; i < 3; i++) {
            Path d = dir.resolve("ff" + ffs[i]);
            try (BtEnv env = new BtEnv(d, 256, true)) {
                env.btree.create(NODE);
                build(env, ref, ffs[i]);
                verifyAll(env, ref, new Random(i));
                blocks[i] = env.btree.nblocks(NODE);
            }
        }
        // 407 entries fit a leaf: 74 leaves at 100%, 82 at 90%, 148 at 50% (plus the metapage and the upper levels)
        assertTrue(blocks[0] >= 75 && blocks[0] < 80, blocks[0] + " blocks at 100");
        assertTrue(blocks[1] >= 83 && blocks[1] < 88, blocks[1] + " blocks at 90");
        assertTrue(blocks[2] >= 148 && blocks[2] < 156, blocks[2] + " blocks at 50");
    }

    @Test
    void insertsSplitsUniqueChecksAndVacuumAfterTheBuild() throws Exception {
        try (BtEnv env = new BtEnv(dir, 512, true)) {
            env.btree.create(NODE);
            List<Entry> ref = new ArrayList<>(entries(60_000, 40_000, 4, 6));
            build(env, ref, 0);
            int blocks = env.btree.nblocks(NODE);
            Random rnd = new Random(6);
            for (int i = 0; i < 40_000; i++) {
                // below, inside and above the built range; equal keys too
                Entry e = new Entry(key(rnd.nextInt(50_000) - 5_000), tid(100_000 + i));
                insert(env, e.key(), e.tid());
                ref.add(e);
            }
            Collections.sort(ref);
            assertTrue(env.btree.nblocks(NODE) > blocks + 50, "the inserts split pages");
            verifyAll(env, ref, rnd);

            // a unique check walks the equal keys of a built page and its right siblings
            byte[] dup = ref.get(ref.size() / 2).key();
            List<Long> asked = new ArrayList<>();
            PgException e = assertThrows(PgException.class, () -> env.btree.insert(INDEX, BYTES, dup, tid(999_999),
                    new UniqueChecker() {
                        @Override
                        public int check(long heapTid) {
                            asked.add(heapTid);
                            throw new PgException("23505", "duplicate key value violates unique constraint");
                        }

                        @Override
                        public void await(int xid) {
                        }
                    }));
            assertEquals("23505", e.sqlState());
            assertEquals(1, asked.size());
            assertNoLeaks(env);

            LongPredicate dead = t -> Tid.offset(t) % 3 == 0;
            long expected = ref.stream().filter(x -> dead.test(x.tid())).count();
            assertEquals(expected, env.btree.bulkDelete(INDEX, dead));
            ref.removeIf(x -> dead.test(x.tid()));
            verifyAll(env, ref, rnd);
        }
    }

    @Test
    void anEmptyInputLeavesAnEmptyIndexThatTakesInserts() {
        try (BtEnv env = new BtEnv(dir, 64, true)) {
            env.btree.create(NODE);
            assertEquals(0, build(env, List.of(), 0));
            assertEquals(1, env.btree.nblocks(NODE));
            assertEquals(BtPage.P_NONE, BtPage.metaRoot(env.copyPage(0)));
            assertTrue(env.scanAll().isEmpty());
            insert(env, key(1), tid(1));
            assertEquals(1, env.scanAll().size());
            assertNoLeaks(env);
        }
    }

    @Test
    void badInputIsRefusedWithoutLeavingPinsOrLocks() {
        try (BtEnv env = new BtEnv(dir, 64, true)) {
            env.btree.create(NODE);
            List<Entry> unsorted = new ArrayList<>(entries(1000, 1000, 4, 7));
            Collections.swap(unsorted, 500, 501);
            PgException e = assertThrows(PgException.class, () -> build(env, unsorted, 0));
            assertEquals("XX000", e.sqlState());
            assertEquals("entries to build index \"idx\" are not in (key, heap tid) order", e.getMessage());
            assertNoLeaks(env);

            env.btree.dropStorage(NODE);
            env.btree.create(NODE);
            List<Entry> twice = List.of(new Entry(key(1), tid(1)), new Entry(key(1), tid(1)));
            assertEquals("XX000", assertThrows(PgException.class, () -> build(env, twice, 0)).sqlState());
            assertNoLeaks(env);

            env.btree.dropStorage(NODE);
            env.btree.create(NODE);
            List<Entry> tooLong = List.of(new Entry(key(1), tid(1)), new Entry(new byte[2705], tid(2)));
            e = assertThrows(PgException.class, () -> build(env, tooLong, 0));
            assertEquals("54000", e.sqlState());
            assertEquals("index row size 2720 exceeds btree version 4 maximum 2704 for index \"idx\"", e.getMessage());
            assertNoLeaks(env);

            assertThrows(IllegalArgumentException.class, () -> build(env, List.of(), 9));
            assertThrows(IllegalArgumentException.class, () -> build(env, List.of(), 101));

            env.btree.dropStorage(NODE);
            env.btree.create(NODE);
            insert(env, key(5), tid(5));
            e = assertThrows(PgException.class, () -> build(env, List.of(new Entry(key(1), tid(1))), 0));
            assertEquals("index \"idx\" already contains data", e.getMessage());
            assertNoLeaks(env);
        }
    }

    @Test
    void everyPageIsLoggedAsAFullPageImageAndTheMetapageLast() {
        try (BtEnv env = new BtEnv(dir, 256, true)) {
            env.btree.create(NODE);
            long start = env.wal.insertPosition();
            build(env, entries(50_000, 50_000, 4, 8), 0);
            env.wal.flush(env.wal.insertPosition());
            List<Integer> imaged = new ArrayList<>();
            List<String> btree = new ArrayList<>();
            try (WalReader r = env.wal.reader(start)) {
                WalRecord rec;
                while ((rec = r.next()) != null) {
                    if (rec.rmgr() == ResourceManager.XLOG && (rec.info() & 0xF0) == (ResourceManager.XLOG_FPI & 0xF0)) {
                        assertEquals(1, rec.blockCount());
                        assertTrue(rec.block(0).hasImage());
                        assertTrue(btree.isEmpty(), "an FPI after the metapage");
                        imaged.add(rec.block(0).block());
                    } else if (rec.rmgr() == ResourceManager.BTREE) {
                        btree.add(BtXlog.describe(rec));
                    }
                }
            }
            assertEquals(List.of("META_CLEANUP last_cleanup_num_delpages 0"), btree);
            List<Integer> all = new ArrayList<>();
            for (int b = 1; b < env.btree.nblocks(NODE); b++) {
                all.add(b);
            }
            Collections.sort(imaged);
            assertEquals(all, imaged, "each page once");
        }
    }

    @Test
    void crashRecoveryRebuildsTheSameTreeFromTheLog() throws Exception {
        List<Entry> ref = entries(100_000, 60_000, 4, 9);
        List<ByteBuffer> pages = new ArrayList<>();
        try (BtEnv env = new BtEnv(dir, 64, true)) { // a small pool: some pages are written, most are not
            env.btree.create(NODE);
            build(env, ref, 0);
            for (int b = 0; b < env.btree.nblocks(NODE); b++) {
                pages.add(env.copyPage(b));
            }
            env.wal.flush(env.wal.insertPosition());
            // crash: the dirty pages in the pool are lost
        }
        try (BtEnv env = new BtEnv(dir, 1024, false)) {
            env.replay(0, -1);
            assertEquals(pages.size() - 1, env.fpis);
            assertEquals(pages.size(), env.btree.nblocks(NODE));
            for (int b = 0; b < pages.size(); b++) {
                byte[] want = pages.get(b).array();
                byte[] got = env.copyPage(b).array();
                want[8] = want[9] = got[8] = got[9] = 0; // pd_checksum: set when a buffer is written out
                assertArrayEquals(want, got, "block " + b);
            }
            verifyAll(env, ref, new Random(9));
            // and it takes inserts
            List<Entry> more = new ArrayList<>(ref);
            for (int i = 0; i < 5000; i++) {
                Entry e = new Entry(key(i * 13 % 70_000), tid(200_000 + i));
                insert(env, e.key(), e.tid());
                more.add(e);
            }
            Collections.sort(more);
            verifyAll(env, more, new Random(10));
        }
    }

    @Test
    void aCrashBeforeTheMetapageRecordLeavesAnEmptyIndex() {
        try (BtEnv env = new BtEnv(dir, 64, true)) {
            env.btree.create(NODE);
            build(env, entries(20_000, 20_000, 4, 10), 0);
            env.wal.flush(env.wal.insertPosition());
        }
        try (BtEnv env = new BtEnv(dir, 256, false)) {
            // the log ends before the build's META_CLEANUP: create's is the only BTREE record replayed
            env.replay(0, 1);
            assertTrue(env.fpis > 50, env.fpis + " pages restored");
            assertEquals(BtPage.P_NONE, BtPage.metaRoot(env.copyPage(0)));
            assertTrue(env.scanAll().isEmpty());
            assertNoLeaks(env);
        }
    }

    @Test
    void theApiDefaultInsertsOneByOne() throws Exception {
        try (BtEnv env = new BtEnv(dir, 256, true)) {
            env.btree.create(NODE);
            BTree plain = new BTree() { // an implementation without its own build
                @Override
                public void create(RelFileNode index) {
                    env.btree.create(index);
                }

                @Override
                public void dropStorage(RelFileNode index) {
                    env.btree.dropStorage(index);
                }

                @Override
                public void insert(RelationRef index, KeyComparator cmp, byte[] key, long heapTid,
                        UniqueChecker unique) throws InterruptedException {
                    env.btree.insert(index, cmp, key, heapTid, unique);
                }

                @Override
                public IndexScan scan(RelationRef index, KeyComparator cmp, byte[] lower, boolean lowerInclusive,
                        byte[] upper, boolean upperInclusive, boolean backward) {
                    return env.btree.scan(index, cmp, lower, lowerInclusive, upper, upperInclusive, backward);
                }

                @Override
                public long bulkDelete(RelationRef index, LongPredicate dead) {
                    return env.btree.bulkDelete(index, dead);
                }

                @Override
                public int nblocks(RelFileNode index) {
                    return env.btree.nblocks(index);
                }
            };
            List<Entry> ref = entries(5000, 2000, 4, 11);
            assertEquals(5000, plain.build(INDEX, BYTES, new Source(ref), 0));
            verifyAll(env, ref, new Random(11));
        }
    }

    /** {@code -Dbtree.bench=true}: 500 000 int keys, bottom-up build against inserting them one by one. */
    @Test
    @EnabledIfSystemProperty(named = "btree.bench", matches = "true")
    void benchmarkBuildAgainstInserts() throws Exception {
        int n = 500_000;
        List<Entry> ref = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ref.add(new Entry(key(i), tid(i)));
        }
        for (int round = 0; round < 3; round++) {
            Path d = dir.resolve("r" + round);
            long buildNs;
            long insertNs;
            int builtBlocks;
            int insertedBlocks;
            long wal;
            try (BtEnv env = new BtEnv(d.resolve("b"), 4096, true)) {
                env.btree.create(NODE);
                long w0 = env.wal.insertPosition();
                long t0 = System.nanoTime();
                build(env, ref, 0);
                buildNs = System.nanoTime() - t0;
                wal = env.wal.insertPosition() - w0;
                builtBlocks = env.btree.nblocks(NODE);
            }
            long wal2;
            try (BtEnv env = new BtEnv(d.resolve("i"), 4096, true)) {
                env.btree.create(NODE);
                long w0 = env.wal.insertPosition();
                long t0 = System.nanoTime();
                for (Entry e : ref) {
                    env.btree.insert(INDEX, BYTES, e.key(), e.tid(), null);
                }
                insertNs = System.nanoTime() - t0;
                wal2 = env.wal.insertPosition() - w0;
                insertedBlocks = env.btree.nblocks(NODE);
            }
            System.out.printf("round %d: build %d ms (%d blocks, %d kB WAL), inserts %d ms (%d blocks, %d kB WAL)%n",
                    round, buildNs / 1_000_000, builtBlocks, wal / 1024, insertNs / 1_000_000, insertedBlocks,
                    wal2 / 1024);
        }
    }
}
