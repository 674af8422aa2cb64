package modgres.storage.nbtree;

import static modgres.storage.nbtree.BtEnv.INDEX;
import static modgres.storage.nbtree.BtEnv.NODE;
import static modgres.storage.nbtree.BtEnv.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import modgres.api.access.KeyComparator;
import modgres.api.access.Tid;
import modgres.api.buffer.BufferPool;
import modgres.api.buffer.FlushFilter;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.error.PgException;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.storage.nbtree.BtEnv.Entry;

/** Crash recovery of the B-tree: replaying its WAL over the files a "crashed" server left behind. */
class BTreeRedoTest {
    static final KeyComparator BYTES = KeyComparator.BYTEWISE;

    @TempDir
    Path dir;

    private static List<Entry> insertRandom(BtEnv env, Random rnd, int n, int firstTid) throws Exception {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Entry e = new Entry(key(rnd.nextInt(50_000)), Tid.of(firstTid + i, 1));
            env.btree.insert(INDEX, BYTES, e.key(), e.tid(), null);
            out.add(e);
        }
        return out;
    }

    private Path file() {
        return dir.resolve("base/5/16400");
    }

    private static long lsnOf(byte[] file, int blk) {
        ByteBuffer b = ByteBuffer.wrap(file, blk * 8192, 8192).slice().order(ByteOrder.LITTLE_ENDIAN);
        return BufferPool.getPageLsn(b);
    }

    @Test
    void replayFromTheStartRebuildsTheTreeOverPartlyWrittenFiles() throws Exception {
        List<Entry> expected;
        try (BtEnv env = new BtEnv(dir, 48, true)) {
            env.btree.create(NODE);
            Random rnd = new Random(21);
            expected = insertRandom(env, rnd, 30_000, 0);
            assertEquals(6000, env.btree.bulkDelete(INDEX, t -> Tid.block(t) % 5 == 0));
            expected.removeIf(e -> Tid.block(e.tid()) % 5 == 0);
            Collections.sort(expected);
            assertEquals(expected, env.scanAll());
            expected.addAll(insertRandom(env, rnd, 3000, 50_000)); // leaves dirty pages in the pool
            Collections.sort(expected);
            env.wal.flush(env.wal.insertPosition());
            // crash: the pool's dirty pages are lost
        }
        byte[] disk = Files.readAllBytes(file());

        try (BtEnv env = new BtEnv(dir, 512, false)) {
            List<WalRecord> replayed = env.replay(0, -1, false);
            assertTrue(replayed.size() > 33_000, replayed.size() + " records");
            assertEquals(expected, env.scanAll());
            // replaying again changes nothing (each block is redone at most up to where it is)
            env.replay(0, -1);
            assertEquals(expected, env.scanAll());
            BtCheck c = BtCheck.verify(env, BYTES);
            assertEquals(expected.size(), c.leafEntries);
            assertEquals(0, c.incompleteSplits);
            // some pages on disk were current, some stale or missing: redo brought every one up to date
            int stale = 0;
            int current = 0;
            for (int b = 0; b < env.btree.nblocks(NODE); b++) {
                long lsn = BufferPool.getPageLsn(env.copyPage(b));
                if (b * 8192 < disk.length && lsnOf(disk, b) == lsn) {
                    current++;
                } else {
                    assertTrue(b * 8192 >= disk.length || Long.compareUnsigned(lsnOf(disk, b), lsn) < 0);
                    stale++;
                }
            }
            assertTrue(stale > 10 && current > 10, stale + " stale pages and " + current + " current ones on disk");
            // and the recovered index takes inserts
            expected.addAll(insertRandom(env, new Random(3), 2000, 80_000));
            Collections.sort(expected);
            assertEquals(expected, env.scanAll());
            assertEquals(0, env.pool.pins.get());
        }
    }

    @Test
    void aTornPageIsRepairedFromTheFullPageImageTakenAfterTheCheckpoint() throws Exception {
        List<Entry> expected;
        long redo;
        int torn = -1;
        try (BtEnv env = new BtEnv(dir, 1024, true)) {
            env.btree.create(NODE);
            Random rnd = new Random(8);
            expected = insertRandom(env, rnd, 10_000, 0);
            // checkpoint: REDO pointer, then every dirty page written and synced
            redo = env.wal.advanceRedoPointer();
            env.pool.flushAll(FlushFilter.ALL);
            env.pool.syncWrittenFiles();
            int blocksAtCheckpoint = env.btree.nblocks(NODE);
            expected.addAll(insertRandom(env, rnd, 10_000, 20_000));
            Collections.sort(expected);
            for (int b = 1; b < blocksAtCheckpoint && torn < 0; b++) {
                ByteBuffer p = env.copyPage(b);
                if (BtPage.isLeaf(p) && Long.compareUnsigned(BufferPool.getPageLsn(p), redo) > 0) {
                    torn = b;
                }
            }
            assertTrue(torn > 0, "a leaf changed since the checkpoint");
            // the crash tore the write of that page: its new first half over the old second half
            ByteBuffer now = env.copyPage(torn);
            try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.WRITE)) {
                ch.write(now.slice(0, 4096), (long) torn * 8192);
            }
            env.wal.flush(env.wal.insertPosition());
        }
        try (BtEnv env = new BtEnv(dir, 1024, false)) {
            int blk = torn;
            PgException e = assertThrows(PgException.class, () -> env.pool.unpin(env.pool.pin(NODE.tablespace(),
                    NODE.database(), NODE.relfilenode(), ForkNumber.MAIN, blk, ReadMode.NORMAL, null)));
            assertEquals("XX001", e.sqlState(), e.getMessage());
            List<WalRecord> replayed = env.replay(redo, -1);
            boolean image = false;
            for (WalRecord r : replayed) {
                for (int i = 0; i < r.blockCount(); i++) {
                    image |= r.block(i).block() == torn && r.block(i).hasImage();
                }
            }
            assertTrue(image, "block " + torn + " came with a full-page image");
            assertEquals(expected, env.scanAll());
            assertEquals(expected.size(), BtCheck.verify(env, BYTES).leafEntries);
        }
        assertTrue(Files.size(file()) > 0);
    }

    /** The log ends after a leaf split and before its parent insert (INSERT_UPPER) or new root (NEWROOT). */
    @ParameterizedTest
    @ValueSource(strings = {"INSERT_UPPER", "NEWROOT"})
    void anIncompleteSplitLeftByACrashIsFinishedByTheNextInsert(String missing) throws Exception {
        byte missingInfo = missing.equals("NEWROOT") ? BtXlog.NEWROOT : BtXlog.INSERT_UPPER;
        List<Entry> inserted;
        try (BtEnv env = new BtEnv(dir, 512, true)) {
            env.btree.create(NODE);
            inserted = insertRandom(env, new Random(4), 3000, 0);
            env.wal.flush(env.wal.insertPosition());
        }
        // the WAL ends right after a leaf split whose downlink was never inserted
        List<WalRecord> all = new ArrayList<>();
        try (BtEnv env = new BtEnv(dir, 512, false); WalReader r = env.wal.reader(0)) {
            WalRecord rec;
            while ((rec = r.next()) != null) {
                if (rec.rmgr() == ResourceManager.BTREE) {
                    all.add(rec);
                }
            }
        }
        int cut = -1;
        for (int i = all.size() - 2; i > 0 && cut < 0; i--) {
            byte info = (byte) (all.get(i).info() & 0xF0);
            boolean split = info == BtXlog.SPLIT_L || info == BtXlog.SPLIT_R;
            if (split && BtPage.u32(all.get(i).mainData(), 0) == 0
                    && (byte) (all.get(i + 1).info() & 0xF0) == missingInfo) {
                cut = i + 1;
            }
        }
        assertTrue(cut > 0, "a leaf split followed by " + missing);
        int leafInserts = 0;
        for (int i = 0; i < cut; i++) {
            byte info = (byte) (all.get(i).info() & 0xF0);
            if (info == BtXlog.INSERT_LEAF
                    || (info == BtXlog.SPLIT_L || info == BtXlog.SPLIT_R) && BtPage.u32(all.get(i).mainData(), 0) == 0) {
                leafInserts++;
            }
        }
        List<Entry> expected = new ArrayList<>(inserted.subList(0, leafInserts));
        Collections.sort(expected);
        try (BtEnv env = new BtEnv(dir, 512, false)) {
            env.replay(0, cut);
            BtCheck c = BtCheck.verify(env, BYTES);
            assertEquals(1, c.incompleteSplits);
            assertEquals(expected.size(), c.leafEntries);
            assertEquals(expected, env.scanAll());
            List<Entry> back = new ArrayList<>(expected);
            Collections.reverse(back);
            assertEquals(back, BtEnv.scanAll(env.btree, BYTES, null, true, null, true, true));
            // an insert that passes the flagged page finishes the split
            ByteBuffer flagged = env.copyPage(c.firstIncomplete);
            assertTrue(BtPage.isLeaf(flagged));
            byte[] k = BtPage.copyKey(flagged, modgres.api.page.Page.itemOffset(flagged, BtPage.firstData(flagged)));
            env.btree.insert(INDEX, BYTES, k, Tid.of(900_000, 1), null);
            expected.add(new Entry(k, Tid.of(900_000, 1)));
            Collections.sort(expected);
            BtCheck after = BtCheck.verify(env, BYTES);
            assertEquals(0, after.incompleteSplits);
            assertEquals(expected, env.scanAll());
            assertEquals(0, env.pool.pins.get());
        }
    }
}
