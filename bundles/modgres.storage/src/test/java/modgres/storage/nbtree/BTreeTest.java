package modgres.storage.nbtree;

import static modgres.storage.nbtree.BtEnv.INDEX;
import static modgres.storage.nbtree.BtEnv.NODE;
import static modgres.storage.nbtree.BtEnv.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.access.Tid;
import modgres.api.access.UniqueChecker;
import modgres.api.error.PgException;
import modgres.api.page.Page;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.storage.nbtree.BtEnv.Entry;

/** The B-tree over the real buffer pool, WAL and relation files: inserts, scans, unique checks, vacuum. */
class BTreeTest {
    static final KeyComparator BYTES = KeyComparator.BYTEWISE;

    @TempDir
    Path dir;

    BtEnv env;

    @BeforeEach
    void open() {
        env = new BtEnv(dir, 512, true);
        env.btree.create(NODE);
    }

    @AfterEach
    void close() {
        try {
            assertEquals(0, env.pool.pins.get(), "buffer pins left behind");
            assertEquals(0, env.pool.locks.get(), "content locks left behind");
        } finally {
            env.close();
        }
    }

    void insert(byte[] key, long tid) {
        try {
            env.btree.insert(INDEX, BYTES, key, tid, null);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static long tid(int i) {
        return Tid.of(i / 100, i % 100 + 1);
    }

    static List<Long> shuffledTids(int n, Random rnd) {
        List<Long> tids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tids.add(tid(i));
        }
        Collections.shuffle(tids, rnd);
        return tids;
    }

    static <T> List<T> reversed(List<T> l) {
        List<T> r = new ArrayList<>(l);
        Collections.reverse(r);
        return r;
    }

    @Test
    void emptyIndexHasAMetapageAndScansNothing() {
        assertEquals(1, env.btree.nblocks(NODE));
        assertTrue(BtEnv.scanAll(env.btree, BYTES, null, true, null, true, false).isEmpty());
        assertTrue(BtEnv.scanAll(env.btree, BYTES, key(1), true, key(9), true, true).isEmpty());
        ByteBuffer meta = env.copyPage(0);
        assertEquals(0x053162, BtPage.u32(meta, 24), "btm_magic");
        assertEquals(4, BtPage.u32(meta, 28), "btm_version");
        assertEquals(0, BtPage.metaRoot(meta), "no root yet");
        assertEquals(72, Page.lower(meta), "pd_lower just past BTMetaPageData");
        assertEquals(8176, Page.special(meta));
        assertEquals(BtPage.BTP_META, BtPage.flags(meta));
        assertEquals(-1.0, Double.longBitsToDouble(meta.getLong(24 + 32)), "last_cleanup_num_heap_tuples");
    }

    @Test
    void pageLayoutIsPostgresNbtree() {
        insert(key(42), Tid.of(3, 7));
        ByteBuffer meta = env.copyPage(0);
        int root = BtPage.metaRoot(meta);
        assertEquals(1, root);
        ByteBuffer leaf = env.copyPage(root);
        assertEquals(BtPage.BTP_LEAF | BtPage.BTP_ROOT, BtPage.flags(leaf));
        assertEquals(0, BtPage.prev(leaf));
        assertEquals(0, BtPage.next(leaf));
        assertEquals(1, Page.maxOffset(leaf), "a rightmost page has no high key");
        int pos = Page.itemOffset(leaf, 1);
        assertEquals(12, Page.itemLength(leaf, 1));
        assertEquals(0, BtPage.u16(leaf, pos), "bi_hi");
        assertEquals(3, BtPage.u16(leaf, pos + 2), "bi_lo");
        assertEquals(7, BtPage.u16(leaf, pos + 4), "ip_posid");
        assertEquals(12, BtPage.u16(leaf, pos + 6), "t_info: size, no flags");
        byte[] k = new byte[4];
        leaf.get(pos + 8, k);
        assertArrayEquals(key(42), k);
    }

    @Test
    void randomInsertsThenFullScanEqualsSortedReference() {
        Random rnd = new Random(42);
        int n = 100_000;
        List<Long> tids = shuffledTids(n, rnd);
        List<Entry> ref = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] k = key(rnd.nextInt(200_000));
            insert(k, tids.get(i));
            ref.add(new Entry(k, tids.get(i)));
        }
        Collections.sort(ref);
        assertEquals(ref, env.scanAll());
        assertEquals(reversed(ref), BtEnv.scanAll(env.btree, BYTES, null, true, null, true, true));
        BtCheck c = BtCheck.verify(env, BYTES);
        assertEquals(n, c.leafEntries);
        assertTrue(c.rootLevel >= 2, "root level " + c.rootLevel);
        assertEquals(0, c.incompleteSplits);
        assertEquals(c.pages + 1, env.btree.nblocks(NODE));
    }

    @Test
    void duplicatesComeInTidOrder() {
        Random rnd = new Random(7);
        List<Long> tids = shuffledTids(3000, rnd);
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            keys.add(7);
        }
        for (int i = 0; i < 600; i++) {
            keys.add(6);
            keys.add(8);
        }
        Collections.shuffle(keys, rnd);
        int t = 100_000;
        for (int k : keys) {
            insert(key(k), k == 7 ? tids.remove(tids.size() - 1) : tid(t++));
        }
        List<Entry> sevens = BtEnv.scanAll(env.btree, BYTES, key(7), true, key(7), true, false);
        assertEquals(3000, sevens.size());
        for (int i = 0; i < sevens.size(); i++) {
            assertArrayEquals(key(7), sevens.get(i).key());
            assertEquals(tid(i), sevens.get(i).tid(), "entry " + i);
        }
        assertEquals(reversed(sevens), BtEnv.scanAll(env.btree, BYTES, key(7), true, key(7), true, true));
        assertEquals(4200, BtCheck.verify(env, BYTES).leafEntries);
    }

    @Test
    void rangeScansWithEveryBoundCombination() {
        Random rnd = new Random(3);
        List<Entry> ref = new ArrayList<>();
        for (int v = 0; v < 400; v += 2) {
            for (int d = 0; d < 10; d++) {
                ref.add(new Entry(key(v), tid(v * 10 + d)));
            }
        }
        List<Entry> order = new ArrayList<>(ref);
        Collections.shuffle(order, rnd);
        for (Entry e : order) {
            insert(e.key(), e.tid());
        }
        Collections.sort(ref);
        assertTrue(env.btree.nblocks(NODE) > 4, "several leaf pages");
        Integer[] bounds = {null, -1, 0, 1, 100, 101, 200, 398, 399, 500};
        int scans = 0;
        for (Integer lo : bounds) {
            for (Integer hi : bounds) {
                for (int flags = 0; flags < 8; flags++) {
                    boolean loInc = (flags & 1) != 0;
                    boolean hiInc = (flags & 2) != 0;
                    boolean backward = (flags & 4) != 0;
                    List<Entry> expected = new ArrayList<>();
                    for (Entry e : ref) {
                        int v = BtEnv.decode(e.key(), 0);
                        if ((lo == null || v > lo || loInc && v == lo) && (hi == null || v < hi || hiInc && v == hi)) {
                            expected.add(e);
                        }
                    }
                    if (backward) {
                        Collections.reverse(expected);
                    }
                    List<Entry> got = BtEnv.scanAll(env.btree, BYTES, lo == null ? null : key(lo), loInc,
                            hi == null ? null : key(hi), hiInc, backward);
                    assertEquals(expected, got, "lo " + lo + (loInc ? "]" : ")") + " hi " + hi
                            + (hiInc ? "]" : ")") + (backward ? " backward" : ""));
                    scans++;
                }
            }
        }
        assertEquals(800, scans);
    }

    @Test
    void prefixProbesOverTwoColumnKeys() {
        Random rnd = new Random(11);
        List<int[]> rows = new ArrayList<>();
        for (int a = 0; a < 60; a++) {
            for (int b = -30; b < 30; b++) {
                rows.add(new int[] {a, b});
            }
        }
        Collections.shuffle(rows, rnd);
        int t = 0;
        for (int[] r : rows) {
            insert(key(r[0], r[1]), tid(t++));
        }
        for (int a : new int[] {0, 17, 59}) {
            List<Entry> group = BtEnv.scanAll(env.btree, BYTES, key(a), true, key(a), true, false);
            assertEquals(60, group.size(), "a = " + a);
            for (int i = 0; i < 60; i++) {
                assertEquals(a, BtEnv.decode(group.get(i).key(), 0));
                assertEquals(i - 30, BtEnv.decode(group.get(i).key(), 1));
            }
            assertEquals(reversed(group), BtEnv.scanAll(env.btree, BYTES, key(a), true, key(a), true, true));
        }
        // (a > 20 and a <= 22): the prefix excludes all of group 20 and includes all of group 22
        List<Entry> two = BtEnv.scanAll(env.btree, BYTES, key(20), false, key(22), true, false);
        assertEquals(120, two.size());
        assertEquals(21, BtEnv.decode(two.get(0).key(), 0));
        assertEquals(22, BtEnv.decode(two.get(119).key(), 0));
        // (a, b) >= (5, 0) and a <= 5
        List<Entry> half = BtEnv.scanAll(env.btree, BYTES, key(5, 0), true, key(5), true, false);
        assertEquals(30, half.size());
        assertEquals(0, BtEnv.decode(half.get(0).key(), 1));
        // a < 3, backward
        List<Entry> below = BtEnv.scanAll(env.btree, BYTES, null, true, key(3), false, true);
        assertEquals(180, below.size());
        assertEquals(2, BtEnv.decode(below.get(0).key(), 0));
        assertEquals(29, BtEnv.decode(below.get(0).key(), 1));
        assertEquals(-30, BtEnv.decode(below.get(179).key(), 1));
        // an exact two-column probe
        List<Entry> one = BtEnv.scanAll(env.btree, BYTES, key(33, -4), true, key(33, -4), true, false);
        assertEquals(1, one.size());
    }

    /** A checker over a set of live tids; a live equal key is a unique violation. */
    static final class LiveSet implements UniqueChecker {
        final Set<Long> live = new HashSet<>();
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public int check(long heapTid) {
            checks.incrementAndGet();
            if (live.contains(heapTid)) {
                throw new PgException("23505", "duplicate key value violates unique constraint \"idx\"");
            }
            return NO_CONFLICT;
        }

        @Override
        public void await(int xid) {
            throw new AssertionError("no transaction to wait for");
        }
    }

    @Test
    void uniqueViolationFromTheCheckerAcrossPages() throws Exception {
        LiveSet checker = new LiveSet();
        for (int i = 0; i < 1000; i++) {
            env.btree.insert(INDEX, BYTES, key(i), tid(i), checker);
            checker.live.add(tid(i));
        }
        assertEquals(0, checker.checks.get(), "no equal keys so far");
        PgException e = assertThrows(PgException.class,
                () -> env.btree.insert(INDEX, BYTES, key(500), tid(5000), checker));
        assertEquals("23505", e.sqlState());
        assertEquals(1, checker.checks.get());
        // 1500 dead versions of key 2000 spanning pages, then a live one at the far right
        for (int i = 0; i < 1500; i++) {
            insert(key(2000), tid(10_000 + i));
        }
        insert(key(2000), tid(20_000));
        checker.live.add(tid(20_000));
        checker.checks.set(0);
        e = assertThrows(PgException.class, () -> env.btree.insert(INDEX, BYTES, key(2000), tid(30_000), checker));
        assertEquals("23505", e.sqlState());
        assertEquals(1501, checker.checks.get(), "every equal entry was checked, on every page");
        assertTrue(env.btree.nblocks(NODE) > 5);
        // once the live one is dead the insert goes through, at the end of the tid order
        checker.live.remove(tid(20_000));
        env.btree.insert(INDEX, BYTES, key(2000), tid(30_000), checker);
        List<Entry> all = BtEnv.scanAll(env.btree, BYTES, key(2000), true, key(2000), true, false);
        assertEquals(1502, all.size());
        assertEquals(tid(30_000), all.get(1501).tid());
        BtCheck.verify(env, BYTES);
    }

    @Test
    void aRunningTransactionIsAwaitedWithoutLocksThenTheInsertRetries() throws Exception {
        insert(key(5), tid(1));
        AtomicInteger checks = new AtomicInteger();
        List<Integer> awaited = new ArrayList<>();
        UniqueChecker checker = new UniqueChecker() {
            @Override
            public int check(long heapTid) {
                return checks.incrementAndGet() == 1 ? 4711 : NO_CONFLICT;
            }

            @Override
            public void await(int xid) {
                awaited.add(xid);
                // the waiter holds no page: another backend can insert into the same leaf meanwhile
                CompletableFuture<Void> other = CompletableFuture.runAsync(() -> insert(key(5), tid(3)));
                try {
                    other.get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("the concurrent insert could not proceed", e);
                }
            }
        };
        env.btree.insert(INDEX, BYTES, key(5), tid(2), checker);
        assertEquals(List.of(4711), awaited);
        assertEquals(3, checks.get(), "tid 1 (running), then tids 1 and 3 after the retry");
        List<Entry> all = env.scanAll();
        assertEquals(List.of(tid(1), tid(2), tid(3)), all.stream().map(Entry::tid).toList());
    }

    @Test
    void tooLongKeysAreRejectedAndMaximalKeysSplitFine() {
        PgException e = assertThrows(PgException.class, () -> insert(new byte[2705], tid(1)));
        assertEquals("54000", e.sqlState());
        assertEquals("index row size 2720 exceeds btree version 4 maximum 2704 for index \"idx\"", e.getMessage());
        PgException huge = assertThrows(PgException.class, () -> insert(new byte[10000], tid(1)));
        assertEquals("54000", huge.sqlState());
        assertEquals("index row requires 10008 bytes, maximum size is 8191", huge.getMessage());
        Random rnd = new Random(5);
        List<Entry> ref = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            byte[] k = new byte[2704];
            rnd.nextBytes(k);
            insert(k, tid(i));
            ref.add(new Entry(k, tid(i)));
            byte[] small = key(rnd.nextInt(100));
            insert(small, tid(1000 + i));
            ref.add(new Entry(small, tid(1000 + i)));
        }
        Collections.sort(ref);
        assertEquals(ref, env.scanAll());
        assertEquals(160, BtCheck.verify(env, BYTES).leafEntries);
    }

    @Test
    void ascendingInsertsLeaveLeftPagesNinetyPercentFull() {
        for (int i = 0; i < 50_000; i++) {
            insert(key(i), tid(i));
        }
        int leaves = env.btree.nblocks(NODE);
        // 50000 entries of 16 bytes + 4 of line pointer: 123 pages when 100% full, 137 at 90%, ~245 at 50%
        assertTrue(leaves < 150, leaves + " blocks");
        for (int i = 0; i < 20_000; i++) {
            insert(key(-i - 1), tid(60_000 + i));
        }
        BtCheck c = BtCheck.verify(env, BYTES);
        assertEquals(70_000, c.leafEntries);
        List<Entry> all = env.scanAll();
        assertEquals(-20_000, BtEnv.decode(all.get(0).key(), 0));
        assertEquals(49_999, BtEnv.decode(all.get(69_999).key(), 0));
    }

    @Test
    void bulkDeleteRemovesWhatThePredicateAccepts() {
        Random rnd = new Random(9);
        List<Long> tids = shuffledTids(20_000, rnd);
        List<Entry> ref = new ArrayList<>();
        for (long t : tids) {
            byte[] k = key(rnd.nextInt(5000));
            insert(k, t);
            ref.add(new Entry(k, t));
        }
        long deleted = env.btree.bulkDelete(INDEX, t -> Tid.offset(t) % 2 == 1);
        assertEquals(10_000, deleted);
        ref.removeIf(en -> Tid.offset(en.tid()) % 2 == 1);
        Collections.sort(ref);
        assertEquals(ref, env.scanAll());
        assertEquals(reversed(ref), BtEnv.scanAll(env.btree, BYTES, null, true, null, true, true));
        assertEquals(10_000, BtCheck.verify(env, BYTES).leafEntries);
        assertEquals(0, env.btree.bulkDelete(INDEX, t -> false));
        // the freed room takes new entries without splits
        int blocks = env.btree.nblocks(NODE);
        for (int i = 0; i < 5000; i++) {
            insert(key(rnd.nextInt(5000)), tid(100_000 + i));
        }
        assertEquals(blocks, env.btree.nblocks(NODE));
        assertEquals(15_000, BtCheck.verify(env, BYTES).leafEntries);
        assertEquals(15_000, env.btree.bulkDelete(INDEX, t -> true));
        assertTrue(env.scanAll().isEmpty());
        BtCheck.verify(env, BYTES);
    }

    @Test
    void scanApiContract() {
        for (int i = 0; i < 10; i++) {
            insert(key(i), tid(i));
        }
        try (IndexScan s = env.btree.scan(INDEX, BYTES, key(3), true, null, true, false)) {
            assertThrows(IllegalStateException.class, s::heapTid);
            assertTrue(s.next());
            assertArrayEquals(key(3), s.key());
            assertEquals(tid(3), s.heapTid());
            s.close();
            assertFalse(s.next());
        }
        PgException e = assertThrows(PgException.class, () -> new NbTree(env.pool, env.wal, env.smgr).root(
                new modgres.api.access.RelationRef(1, new modgres.api.buffer.RelFileNode(1663, 5, 999), "t"))) ;
        assertTrue(e.getMessage().contains("999"), e.getMessage());
    }

    @Test
    void walRecordsAreDescribedAsPgWaldumpDoes() {
        for (int i = 0; i < 2000; i++) {
            insert(key(i * 7 % 2000), tid(i));
        }
        env.btree.bulkDelete(INDEX, t -> Tid.offset(t) == 5);
        env.wal.flush(env.wal.insertPosition());
        List<String> descs = new ArrayList<>();
        try (WalReader r = env.wal.reader(0)) {
            WalRecord rec;
            while ((rec = r.next()) != null) {
                if (rec.rmgr() == ResourceManager.BTREE) {
                    descs.add(BtXlog.describe(rec));
                }
            }
        }
        assertEquals("META_CLEANUP last_cleanup_num_delpages 0", descs.get(0));
        assertEquals("NEWROOT lev 0", descs.get(1));
        assertEquals("INSERT_LEAF off 1", descs.get(2));
        assertTrue(descs.contains("NEWROOT lev 1"), descs.toString());
        assertTrue(descs.stream().anyMatch(d -> d.matches("SPLIT_[LR] level 0, firstrightoff \\d+, newitemoff \\d+,"
                + " postingoff 0")), descs.toString());
        assertTrue(descs.stream().anyMatch(d -> d.matches("INSERT_UPPER off \\d+")));
        assertTrue(descs.stream().anyMatch(d -> d.matches("VACUUM ndeleted \\d+; nupdated 0")));
        assertEquals("UNKNOWN", BtXlog.identify((byte) 0xF0));
    }

    @Test
    void dropStorageRemovesTheFileAndTheIndexCanBeCreatedAgain() {
        for (int i = 0; i < 3000; i++) {
            insert(key(i), tid(i));
        }
        assertTrue(env.smgr.exists(NODE, modgres.api.buffer.ForkNumber.MAIN));
        env.btree.dropStorage(NODE);
        assertFalse(env.smgr.exists(NODE, modgres.api.buffer.ForkNumber.MAIN));
        assertEquals(0, env.btree.nblocks(NODE));
        env.btree.create(NODE);
        assertTrue(env.scanAll().isEmpty());
        insert(key(1), tid(1));
        assertEquals(1, env.scanAll().size());
        assertEquals(2, env.btree.nblocks(NODE));
    }

    @Test
    void deleteAndInsertMetaRecordsReplayAndDescribe() {
        for (int i = 0; i < 10; i++) {
            insert(key(i), tid(i));
        }
        env.wal.flush(env.wal.insertPosition());
        long end = env.wal.insertPosition() + 4096;
        byte[] offsets = new byte[4];
        BtPage.u16(offsets, 0, 2);
        BtPage.u16(offsets, 2, 5);
        byte[] main = new byte[8];
        BtPage.u32(main, 0, 731);
        BtPage.u16(main, 4, 2);
        WalRecord delete = WalRecord.decoded(end - 64, end, 100, 0, 0, BtXlog.DELETE, ResourceManager.BTREE, 0,
                List.of(modgres.api.wal.BlockReference.decoded(NODE, modgres.api.buffer.ForkNumber.MAIN, 1, false,
                        null, offsets)), main);
        assertEquals("DELETE latestRemovedXid 731; ndeleted 2; nupdated 0", BtXlog.describe(delete));
        TestRedoContext ctx = new TestRedoContext(env.pool, env.smgr);
        ctx.record = delete;
        new BTreeRedoComponent(env.smgr).redo(delete, ctx);
        List<Integer> left = env.scanAll().stream().map(e -> BtEnv.decode(e.key(), 0)).toList();
        assertEquals(List.of(0, 2, 3, 5, 6, 7, 8, 9), left);
        // replayed again: the page is already at the record's LSN
        new BTreeRedoComponent(env.smgr).redo(delete, ctx);
        assertEquals(8, env.scanAll().size());
        WalRecord meta = WalRecord.decoded(0, 0, 0, 0, 0, BtXlog.INSERT_META, ResourceManager.BTREE, 0, List.of(),
                BtXlog.insertMain(3));
        assertEquals("INSERT_META off 3", BtXlog.describe(meta));
        assertEquals("UNKNOWN", new BTreeRedoComponent(env.smgr).describe(WalRecord.decoded(0, 0, 0, 0, 0, (byte) 0xF0,
                ResourceManager.BTREE, 0, List.of(), new byte[0])));
        PgException e = assertThrows(PgException.class, () -> new BTreeRedoComponent(env.smgr).redo(
                WalRecord.decoded(0, 0, 0, 0, 0, BtXlog.DEDUP, ResourceManager.BTREE, 0, List.of(), new byte[0]), ctx));
        assertEquals("btree_redo: unknown op code 96", e.getMessage());
        assertArrayEquals(new byte[] {ResourceManager.BTREE}, new BTreeRedoComponent(env.smgr).resourceManagers());
    }
}
