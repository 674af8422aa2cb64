package modgres.storage.local;

import java.nio.file.Path;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import modgres.api.access.BTree;
import modgres.api.access.Heap;
import modgres.api.log.ServerLog;
import modgres.api.page.StorageManager;
import modgres.api.temp.LocalRelations;
import modgres.api.txn.TransactionManager;
import modgres.storage.fsm.FreeSpaceTree;
import modgres.storage.heap.HeapComponent;
import modgres.storage.nbtree.BTreeComponent;
import modgres.storage.smgr.MdStorage;

/*
 * Design notes: one backend's temporary relations, assembled from the same
 * classes that serve permanent ones:
 *
 *   HeapComponent ─┐
 *   BTreeComponent ┼─▶ LocalBufferPool ─▶ MdStorage(owner = backend): base/<db>/t<backend>_<relfilenode>
 *   FreeSpaceTree ─┘        (temp_buffers pages, no locks)
 *   all logging to UnloggedWal (nothing written)
 *
 * The storage manager is the backend's own: its open files are the backend's
 * (max_files_per_process is a per-process limit in PostgreSQL too) and it
 * names every relation it is given as this backend's, so callers pass
 * relations without their backend and block tags need not carry it.
 *
 * close() (backend end): buffers forgotten unwritten, then every file named
 * t<backend>_* removed, whatever the catalog still says (the session drops
 * its tables first; this is the safety net for a drop that failed).
 */
/** One backend's heap and B-tree over its local buffers; see the design notes. */
final class BackendLocalRelations implements LocalRelations {
    /** Open segment files of one backend's temporary relations at most. */
    static final int MAX_OPEN_FILES = 64;

    private final Path dataDir;
    private final int backend;
    private final ServerLog log;
    private final MdStorage files;
    private final LocalBufferPool pool;
    private final HeapComponent heap;
    private final BTreeComponent btree;
    private boolean closed;

    BackendLocalRelations(Path dataDir, int backend, IntSupplier tempBuffers, boolean checksums,
            TransactionManager tm, Supplier<long[]> threadIo, ServerLog log) {
        this.dataDir = dataDir;
        this.backend = backend;
        this.log = log;
        this.files = new MdStorage(dataDir, StorageManager.SEGMENT_BLOCKS, MAX_OPEN_FILES, checksums, log, backend);
        this.pool = new LocalBufferPool(files, tempBuffers, threadIo);
        UnloggedWal wal = new UnloggedWal();
        this.heap = new HeapComponent(pool, wal, files, new FreeSpaceTree(pool, files, log), tm);
        this.btree = new BTreeComponent(pool, wal, files);
    }

    @Override
    public Heap heap() {
        return heap;
    }

    @Override
    public BTree btree() {
        return btree;
    }

    @Override
    public int buffers() {
        return pool.buffers();
    }

    @Override
    public int buffersInUse() {
        return closed ? 0 : pool.buffersInUse();
    }

    /** The pool (tests). */
    LocalBufferPool pool() {
        return pool;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
        files.close();
        MdStorage.removeTempRelationFiles(dataDir, backend, log);
    }
}
