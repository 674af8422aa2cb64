package modgres.storage.heap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import modgres.api.access.HeapScan;
import modgres.api.access.HeapTuple;
import modgres.api.access.RelationRef;
import modgres.api.access.TupleData;
import modgres.api.buffer.RelFileNode;
import modgres.api.txn.Snapshot;
import modgres.api.wal.WalEnd;
import modgres.shmem.buffer.SharedBufferPool;
import modgres.storage.fsm.FreeSpaceMapComponent;
import modgres.storage.smgr.CapturedLog;
import modgres.storage.smgr.MdStorage;
import modgres.wal.internal.SyncMethod;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

/**
 * The heap over the real pieces, without OSGi: the storage manager on a
 * temporary data directory, the shared buffer pool, the WAL (1 MiB segments,
 * no fsync), the free space map, and a fake transaction manager.
 */
final class HeapFixture implements AutoCloseable {
    static final RelFileNode NODE = new RelFileNode(1663, 5, 16384);
    static final RelationRef REL = new RelationRef(16384, NODE, "t");

    final Path dir;
    final CapturedLog log = new CapturedLog();
    final MdStorage smgr;
    final WriteAheadLog wal;
    final SharedBufferPool pool;
    final FreeSpaceMapComponent fsm;
    final FakeTransactionManager tm;
    final HeapComponent heap;
    final HeapRedoComponent redo;

    HeapFixture(Path dir, int buffers) {
        this(dir, buffers, null);
    }

    /** With {@code tm} given, the fixture reuses a transaction manager (the commit log survives a "crash"). */
    HeapFixture(Path dir, int buffers, FakeTransactionManager tm) {
        this.dir = dir;
        smgr = new MdStorage(dir, 16, 64, true, log.log());
        wal = new WriteAheadLog(config(dir), log.log());
        pool = new SharedBufferPool(buffers, smgr);
        pool.setWalFlusher(wal::flush);
        fsm = new FreeSpaceMapComponent(pool, smgr, log.factory());
        this.tm = tm == null ? new FakeTransactionManager(wal) : tm;
        this.tm.wal = wal;
        heap = new HeapComponent(pool, wal, smgr, fsm, this.tm);
        redo = new HeapRedoComponent(pool, smgr, fsm);
    }

    static WalConfig config(Path dir) {
        return WalConfig.defaults(dir).withSegmentSize(1024 * 1024).withWalBuffers(16)
                .withSync(SyncMethod.FDATASYNC, false);
    }

    /** Starts inserting after whatever WAL is there (a fresh directory: segment 1). */
    HeapFixture started() {
        WalEnd end = wal.findEnd(0);
        wal.startAt(end);
        return this;
    }

    @Override
    public void close() {
        wal.close();
        smgr.close();
    }

    // ------------------------------------------------------------------ tuples

    /** A one-column text-ish tuple: the string's bytes. */
    static TupleData row(String s) {
        return new TupleData(1, null, s.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Two int4 columns. */
    static TupleData ints(int a, int b) {
        byte[] d = new byte[8];
        ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).putInt(a).putInt(b);
        return new TupleData(2, null, d, false);
    }

    static String text(HeapTuple t) {
        return t == null ? null : new String(t.data().data(), StandardCharsets.UTF_8);
    }

    List<HeapTuple> scan(Snapshot s) {
        List<HeapTuple> out = new ArrayList<>();
        try (HeapScan sc = heap.scan(REL, s, false)) {
            HeapTuple t;
            while ((t = sc.next()) != null) {
                out.add(t);
            }
        }
        return out;
    }

    List<String> scanText(Snapshot s) {
        return scan(s).stream().map(HeapFixture::text).toList();
    }
}
