package modgres.storage.nbtree;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import modgres.api.access.BTree;
import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.access.RelationRef;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.ReadMode;
import modgres.api.buffer.RelFileNode;
import modgres.api.page.StorageManager;
import modgres.api.wal.RedoContext;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalEnd;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.shmem.buffer.SharedBufferPool;
import modgres.storage.smgr.CapturedLog;
import modgres.storage.smgr.MdStorage;
import modgres.wal.internal.SyncMethod;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

/** A data directory with the real storage manager, WAL and shared buffer pool, and the B-tree over them. */
final class BtEnv implements AutoCloseable {
    static final RelFileNode NODE = new RelFileNode(1663, 5, 16400);
    static final RelationRef INDEX = new RelationRef(16400, NODE, "idx");

    final Path dir;
    final CapturedLog log = new CapturedLog();
    final MdStorage smgr;
    final WriteAheadLog wal;
    final SharedBufferPool shared;
    final CountingPool pool;
    final BTree btree;

    /** A fresh or existing directory; with {@code startWal} the log is opened for inserting at its end. */
    BtEnv(Path dir, int buffers, boolean startWal) {
        this.dir = dir;
        smgr = new MdStorage(dir, StorageManager.SEGMENT_BLOCKS, 20, true, log.log());
        wal = new WriteAheadLog(WalConfig.defaults(dir).withSegmentSize(4 * 1024 * 1024).withWalBuffers(64)
                .withSync(SyncMethod.FDATASYNC, false), log.log());
        if (startWal) {
            wal.startAt(wal.findEnd(0));
        }
        shared = new SharedBufferPool(buffers, smgr);
        shared.setWalFlusher(wal::flush);
        pool = new CountingPool(shared);
        btree = new BTreeComponent(pool, wal, smgr);
    }

    /**
     * Replays the BTREE records from {@code from} (the whole log for 0) through
     * the redo handler; with {@code stopAfter} >= 0 stops after that many
     * BTREE records. Then (unless told not to) starts the log for inserting
     * after the last record replayed (the rest, if any, is overwritten as a
     * torn tail would be).
     * Returns the records replayed.
     */
    List<WalRecord> replay(long from, int stopAfter) {
        return replay(from, stopAfter, true);
    }

    /** XLOG FPI records restored by the replays so far (they are not in the lists replay returns). */
    int fpis;

    List<WalRecord> replay(long from, int stopAfter, boolean thenStart) {
        BTreeRedoComponent handler = new BTreeRedoComponent(smgr);
        TestRedoContext ctx = new TestRedoContext(pool, smgr);
        List<WalRecord> done = new ArrayList<>();
        smgr.setInRecovery(true);
        WalEnd end;
        try (WalReader r = wal.reader(from)) {
            WalRecord rec;
            long lastLsn = 0;
            long lastEnd = 0;
            while ((rec = r.next()) != null) {
                if (rec.rmgr() == ResourceManager.BTREE) {
                    if (stopAfter >= 0 && done.size() == stopAfter) {
                        break;
                    }
                    ctx.record = rec;
                    handler.redo(rec, ctx);
                    done.add(rec);
                } else if (rec.rmgr() == ResourceManager.XLOG
                        && (rec.info() & 0xF0) == (ResourceManager.XLOG_FPI & 0xF0)) {
                    // what the startup process's XLOG redo does with an FPI (a bottom-up build's pages)
                    ctx.record = rec;
                    for (int i = 0; i < rec.blockCount(); i++) {
                        RedoContext.Block b = ctx.readBlock(i);
                        if (b.action() != RedoContext.Action.RESTORED) {
                            throw new AssertionError("FPI block " + i + ": " + b.action());
                        }
                        ctx.finish(b);
                    }
                    fpis++;
                }
                lastLsn = rec.lsn();
                lastEnd = rec.endLsn();
            }
            end = stopAfter >= 0 && lastLsn != 0 ? new WalEnd(lastLsn, lastEnd, "stopped") : r.end();
        } finally {
            smgr.setInRecovery(false);
        }
        if (thenStart) {
            wal.startAt(end);
        }
        return done;
    }

    /** Every (key, tid) of a scan, in scan order. */
    static List<Entry> scanAll(BTree btree, KeyComparator cmp, byte[] lo, boolean loInc, byte[] hi, boolean hiInc,
            boolean backward) {
        List<Entry> out = new ArrayList<>();
        try (IndexScan s = btree.scan(INDEX, cmp, lo, loInc, hi, hiInc, backward)) {
            while (s.next()) {
                out.add(new Entry(s.key(), s.heapTid()));
            }
        }
        return out;
    }

    List<Entry> scanAll() {
        return scanAll(btree, KeyComparator.BYTEWISE, null, true, null, true, false);
    }

    /** A page of the index, copied (for inspection without holding anything). */
    ByteBuffer copyPage(int blk) {
        int b = pool.pin(NODE.tablespace(), NODE.database(), NODE.relfilenode(), ForkNumber.MAIN, blk,
                ReadMode.NORMAL, null);
        try {
            pool.lockContent(b, false);
            try {
                ByteBuffer copy = ByteBuffer.allocate(8192).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                copy.put(0, pool.page(b), 0, 8192);
                return copy;
            } finally {
                pool.unlockContent(b);
            }
        } finally {
            pool.unpin(b);
        }
    }

    @Override
    public void close() {
        wal.close();
        smgr.close();
    }

    /** One index entry as a scan returns it. */
    record Entry(byte[] key, long tid) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = java.util.Arrays.compareUnsigned(key, o.key);
            return c != 0 ? c : Long.compareUnsigned(tid, o.tid);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && java.util.Arrays.equals(key, e.key) && tid == e.tid;
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(key) * 31 + Long.hashCode(tid);
        }

        @Override
        public String toString() {
            return java.util.HexFormat.of().formatHex(key) + "@" + modgres.api.access.Tid.toString(tid);
        }
    }

    /** Order-preserving encoding of ints for {@link KeyComparator#BYTEWISE}: big-endian with the sign bit flipped. */
    static byte[] key(int... values) {
        byte[] k = new byte[4 * values.length];
        for (int i = 0; i < values.length; i++) {
            int v = values[i] ^ 0x80000000;
            k[4 * i] = (byte) (v >>> 24);
            k[4 * i + 1] = (byte) (v >>> 16);
            k[4 * i + 2] = (byte) (v >>> 8);
            k[4 * i + 3] = (byte) v;
        }
        return k;
    }

    static int decode(byte[] k, int column) {
        int i = 4 * column;
        int v = (k[i] & 0xFF) << 24 | (k[i + 1] & 0xFF) << 16 | (k[i + 2] & 0xFF) << 8 | k[i + 3] & 0xFF;
        return v ^ 0x80000000;
    }
}
