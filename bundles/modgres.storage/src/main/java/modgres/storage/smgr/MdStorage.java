package modgres.storage.smgr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

import modgres.api.buffer.BufferTag;
import modgres.api.buffer.ForkNumber;
import modgres.api.buffer.RelFileNode;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.page.Page;
import modgres.api.page.StorageManager;

/**
 * The storage manager over the data directory's relation files (PostgreSQL's
 * magnetic-disk storage manager, {@code md.c}): a plain class, usable without
 * OSGi; {@link StorageManagerComponent} publishes it.
 *
 * <p>Block {@code b} of a fork lives in segment {@code b / segmentBlocks} at
 * byte {@code (b % segmentBlocks) * 8192}. I/O is positional
 * ({@link FileChannel#read(ByteBuffer, long)}), so threads share file handles
 * without a lock around the position.
 *
 * <p>Locks: each fork has a read-write lock. Reads, writes, extensions and
 * fsyncs take it shared (the pool never does two of them on the same block at
 * once); create, unlink and truncate take it exclusive, so no I/O is under
 * way on the fork's files while they change. Writes beyond the known end and
 * extensions also take the fork's extension monitor, so that filling a gap
 * never overwrites a block another thread is writing. Innermost: the
 * {@link FileCache}'s lock.
 *
 * <p>The number of blocks of a fork is computed from the file sizes once and
 * then kept up to date by this class, which is the only writer of the files.
 */
public final class MdStorage implements StorageManager {
    static final int BLCKSZ = Page.SIZE;
    static final long INVALID_BLOCK = 0xFFFFFFFFL;

    private final Path dataDir;
    private final int segmentBlocks;
    private final FileCache files;
    private final PageVerifier verifier;
    private final ServerLog log;
    /** The backend whose temporary relations this store holds, or INVALID_BACKEND. */
    private final int ownerBackend;
    private final ConcurrentHashMap<ForkKey, Fork> forks = new ConcurrentHashMap<>();
    private volatile boolean inRecovery;
    /** Told the name of every file fsynced (tests). */
    volatile Consumer<String> syncObserver;

    private record ForkKey(RelFileNode rel, ForkNumber fork) {
    }

    /** One fork's files and state. */
    private final class Fork {
        final ForkKey key;
        final String relpath;
        final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        /** Serialises writes beyond the end and extensions. */
        final Object extension = new Object();
        /** Serialises fsyncs of this fork. */
        final Object sync = new Object();
        /** Segments written since the last fsync (guarded by itself). */
        final BitSet dirty = new BitSet();
        /** The number of blocks, or -1 when not computed yet. */
        final AtomicLong nblocks = new AtomicLong(-1);
        /** Segment objects by number, grown on demand (copy on write under this). */
        volatile SegmentFile[] segments = new SegmentFile[0];
        /** A file was created since the last fsync: the directory needs one too. */
        volatile boolean created;
        /** Unlinked: a thread that found this object must look the fork up again (guarded by lock). */
        boolean dropped;

        Fork(ForkKey key) {
            this.key = key;
            this.relpath = RelPath.of(key.rel, key.fork); // key.rel carries the owner of a temporary one
        }

        SegmentFile segment(int segno) {
            SegmentFile[] s = segments;
            if (segno < s.length) {
                return s[segno];
            }
            synchronized (this) {
                s = segments;
                if (segno >= s.length) {
                    SegmentFile[] grown = Arrays.copyOf(s, Math.max(segno + 1, s.length * 2));
                    for (int i = s.length; i < grown.length; i++) {
                        String name = RelPath.segment(relpath, i);
                        grown[i] = new SegmentFile(i, dataDir.resolve(name), name);
                    }
                    segments = grown;
                    s = grown;
                }
                return s[segno];
            }
        }

        void markDirty(int segno) {
            synchronized (dirty) {
                dirty.set(segno);
            }
        }
    }

    /**
     * @param dataDir        the data directory
     * @param segmentBlocks  blocks per segment file ({@link #SEGMENT_BLOCKS}; smaller in tests)
     * @param maxOpenFiles   open segment files at most ({@code max_files_per_process})
     * @param checksums      set checksums on write and verify them on read ({@code data_checksums})
     * @param log            where warnings go; may be null
     */
    public MdStorage(Path dataDir, int segmentBlocks, int maxOpenFiles, boolean checksums, ServerLog log) {
        this(dataDir, segmentBlocks, maxOpenFiles, checksums, log, RelFileNode.INVALID_BACKEND);
    }

    /**
     * A store of one backend's temporary relations: every relation given to
     * it is that backend's, so its files are {@code t<ownerBackend>_<relfilenode>}
     * (see {@link modgres.storage.local}); {@link RelFileNode#INVALID_BACKEND} for
     * the server's store. Temporary files are never fsynced by their users.
     */
    public MdStorage(Path dataDir, int segmentBlocks, int maxOpenFiles, boolean checksums, ServerLog log,
            int ownerBackend) {
        this.ownerBackend = ownerBackend;
        if (segmentBlocks < 1) {
            throw new IllegalArgumentException("segmentBlocks " + segmentBlocks);
        }
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        this.segmentBlocks = segmentBlocks;
        this.files = new FileCache(maxOpenFiles);
        this.verifier = new PageVerifier(checksums, log);
        this.log = log;
    }

    /**
     * Removes every temporary relation's file ({@code t<backend>_<relfilenode>},
     * any fork and segment) from the database directories of {@code base/} and
     * of each tablespace: what a crash left behind (PostgreSQL's
     * RemovePgTempRelationFiles at start-up). Call only while no backend has
     * temporary relations. With a {@code backend}, only that backend's files
     * (its end). Returns the number of files removed; failures are logged and
     * skipped.
     *
     * @param backend {@link RelFileNode#INVALID_BACKEND} for every backend's files
     */
    public static int removeTempRelationFiles(Path dataDir, int backend, ServerLog log) {
        String prefix = RelPath.TEMP_PREFIX + backend + "_";
        List<Path> dbDirs = new ArrayList<>();
        listDirs(dataDir.resolve("base"), dbDirs);
        List<Path> spcs = new ArrayList<>();
        listDirs(dataDir.resolve("pg_tblspc"), spcs);
        for (Path spc : spcs) {
            listDirs(spc.resolve(RelPath.TABLESPACE_VERSION_DIRECTORY), dbDirs);
        }
        int removed = 0;
        for (Path db : dbDirs) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(db)) {
                for (Path f : ds) {
                    String name = f.getFileName().toString();
                    if (RelPath.looksLikeTempRelName(name)
                            && (backend == RelFileNode.INVALID_BACKEND || name.startsWith(prefix))) {
                        try {
                            Files.deleteIfExists(f);
                            removed++;
                        } catch (IOException e) {
                            if (log != null) {
                                log.report(Severity.LOG, IoErrors.sqlState(e), "could not remove file \""
                                        + dataDir.relativize(f) + "\": " + IoErrors.strerror(e), null, null);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // a database directory that vanished or cannot be read: nothing of ours to remove there
            }
        }
        return removed;
    }

    private static void listDirs(Path dir, List<Path> out) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isDirectory(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            // unreadable: skipped, as PostgreSQL skips what it cannot read there
        }
    }

    /** {@code ignore_checksum_failure}. */
    public void setIgnoreChecksumFailure(boolean on) {
        verifier.setIgnoreChecksumFailure(on);
    }

    /** {@code zero_damaged_pages}. */
    public void setZeroDamagedPages(boolean on) {
        verifier.setZeroDamagedPages(on);
    }

    public Path dataDirectory() {
        return dataDir;
    }

    public int segmentBlocks() {
        return segmentBlocks;
    }

    /** The number of segment files open now. */
    public int openFiles() {
        return files.openFiles();
    }

    /** Closes every file not in use (at deactivation). */
    public void close() {
        files.closeAll();
    }

    @Override
    public void setInRecovery(boolean on) {
        inRecovery = on;
    }

    @Override
    public long checksumFailures(int database) {
        return verifier.failures(database);
    }

    @Override
    public String relpath(RelFileNode rel, ForkNumber fork) {
        return RelPath.of(named(rel), fork);
    }

    /**
     * The relation as this store names its files: in a backend's store of
     * temporary relations, with that backend whatever the caller passed
     * (callers there name relations without it, and block tags cannot carry
     * it); elsewhere as given.
     */
    private RelFileNode named(RelFileNode rel) {
        return ownerBackend == RelFileNode.INVALID_BACKEND || rel.backend() == ownerBackend ? rel
                : new RelFileNode(rel.tablespace(), rel.database(), rel.relfilenode(), ownerBackend);
    }

    private ForkKey key(RelFileNode rel, ForkNumber fork) {
        return new ForkKey(named(rel), fork);
    }

    // ------------------------------------------------------------------ PageStore

    @Override
    public int nblocks(RelFileNode rel, ForkNumber fork) {
        Fork f = lockShared(rel, fork);
        try {
            return (int) nblocksLocked(f);
        } finally {
            f.lock.readLock().unlock();
        }
    }

    @Override
    public void read(BufferTag tag, ByteBuffer page) {
        int base = page.position();
        ByteBuffer view = base == 0 ? page : page.slice(base, BLCKSZ).order(ByteOrder.LITTLE_ENDIAN);
        long blk = tag.blockUnsigned();
        int segno = (int) (blk / segmentBlocks);
        long pos = (blk % segmentBlocks) * BLCKSZ;
        Fork f = lockShared(tag.rel(), tag.fork());
        int n = 0;
        try {
            SegmentFile s = f.segment(segno);
            FileChannel ch = null;
            try {
                ch = files.acquire(s, false);
            } catch (NoSuchFileException e) {
                if (!(inRecovery || verifier.zeroDamagedPages()) || segno == 0) {
                    throw missingSegment(f, segno, blk, e);
                }
            } catch (IOException e) {
                throw IoErrors.error("could not open file \"" + s.name + "\"", e);
            }
            if (ch != null) {
                try {
                    while (n < BLCKSZ) {
                        int r = ch.read(page, pos + n);
                        if (r <= 0) {
                            break;
                        }
                        n += r;
                    }
                } catch (IOException e) {
                    throw IoErrors.error("could not read block " + blk + " in file \"" + s.name + "\"", e);
                } finally {
                    files.release(s);
                }
            }
            if (n != BLCKSZ) {
                // Past the end, or a partial block at the end: an error, except in recovery.
                if (inRecovery || verifier.zeroDamagedPages()) {
                    Page.zero(view, 0, BLCKSZ);
                    return;
                }
                throw new PgException(SqlState.DATA_CORRUPTED, "could not read block " + blk + " in file \""
                        + s.name + "\": read only " + n + " of " + BLCKSZ + " bytes");
            }
        } finally {
            f.lock.readLock().unlock();
        }
        verifier.verifyRead(view, tag.block(), tag.database(), f.relpath);
    }

    @Override
    public void write(BufferTag tag, ByteBuffer page) {
        long blk = tag.blockUnsigned();
        ByteBuffer src = verifier.forWrite(page, page.position(), tag.block());
        int segno = (int) (blk / segmentBlocks);
        long pos = (blk % segmentBlocks) * BLCKSZ;
        Fork f = lockShared(tag.rel(), tag.fork());
        try {
            if (blk < nblocksLocked(f)) {
                writeBlock(f, blk, pos, src, false, "could not write block " + blk + " in file \"%s\"");
            } else {
                // Beyond the end (a block zero-filled in the pool): fill the gap, then write.
                synchronized (f.extension) {
                    fillGap(f, blk);
                    writeBlock(f, blk, pos, src, true, "could not write block " + blk + " in file \"%s\"");
                    f.nblocks.accumulateAndGet(blk + 1, Math::max);
                }
            }
            f.markDirty(segno);
        } finally {
            f.lock.readLock().unlock();
        }
    }

    @Override
    public void extend(BufferTag tag, ByteBuffer page) {
        long blk = tag.blockUnsigned();
        int segno = (int) (blk / segmentBlocks);
        Fork f = lockShared(tag.rel(), tag.fork());
        try {
            if (blk >= INVALID_BLOCK) {
                throw new PgException(IoErrors.PROGRAM_LIMIT_EXCEEDED, "cannot extend file \""
                        + f.segment(segno).name + "\" beyond " + INVALID_BLOCK + " blocks");
            }
            ByteBuffer src = verifier.forWrite(page, page.position(), tag.block());
            long pos = (blk % segmentBlocks) * BLCKSZ;
            synchronized (f.extension) {
                nblocksLocked(f);
                fillGap(f, blk);
                writeBlock(f, blk, pos, src, true, "could not extend file \"%s\"");
                f.nblocks.accumulateAndGet(blk + 1, Math::max);
            }
            f.markDirty(segno);
        } finally {
            f.lock.readLock().unlock();
        }
    }

    @Override
    public void fsync(RelFileNode rel, ForkNumber fork) {
        Fork f = forks.get(key(rel, fork));
        if (f == null) {
            return; // never opened since start, or unlinked: nothing of ours to sync
        }
        synchronized (f.sync) {
            f.lock.readLock().lock();
            try {
                if (f.dropped) {
                    return;
                }
                BitSet todo;
                synchronized (f.dirty) {
                    todo = (BitSet) f.dirty.clone();
                    f.dirty.clear();
                }
                for (int segno = todo.nextSetBit(0); segno >= 0; segno = todo.nextSetBit(segno + 1)) {
                    SegmentFile s = f.segment(segno);
                    try {
                        FileChannel ch = files.acquire(s, false);
                        try {
                            ch.force(true);
                        } finally {
                            files.release(s);
                        }
                        Consumer<String> o = syncObserver;
                        if (o != null) {
                            o.accept(s.name);
                        }
                    } catch (NoSuchFileException e) {
                        // removed after the write: nothing left to make durable
                    } catch (IOException e) {
                        synchronized (f.dirty) {
                            f.dirty.or(todo.get(segno, todo.length()));
                        }
                        throw IoErrors.error("could not fsync file \"" + s.name + "\"", e);
                    }
                }
                if (f.created) {
                    f.created = false;
                    syncDirectory(dataDir.resolve(f.relpath).getParent());
                }
            } finally {
                f.lock.readLock().unlock();
            }
        }
    }

    // ------------------------------------------------------------ StorageManager

    @Override
    public boolean exists(RelFileNode rel, ForkNumber fork) {
        return Files.exists(dataDir.resolve(RelPath.of(named(rel), fork)));
    }

    @Override
    public void create(RelFileNode rel, ForkNumber fork, boolean isRedo) {
        Fork f = lockExclusive(rel, fork);
        try {
            SegmentFile s = f.segment(0);
            Path dir = s.path.getParent();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw IoErrors.error("could not create directory \"" + dataDir.relativize(dir) + "\"", e);
            }
            boolean existed = false;
            try {
                FileChannel.open(s.path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            } catch (FileAlreadyExistsException e) {
                if (!isRedo) {
                    throw IoErrors.error("could not create file \"" + s.name + "\"", e);
                }
                existed = true;
            } catch (IOException e) {
                throw IoErrors.error("could not create file \"" + s.name + "\"", e);
            }
            f.nblocks.set(existed ? -1 : 0);
            if (!existed) {
                f.created = true;
            }
        } finally {
            f.lock.writeLock().unlock();
        }
    }

    @Override
    public void unlink(RelFileNode rel, ForkNumber fork) {
        Fork f = lockExclusive(rel, fork);
        try {
            for (SegmentFile s : f.segments) {
                files.close(s);
            }
            for (int segno = 0;; segno++) {
                String name = RelPath.segment(f.relpath, segno);
                try {
                    Files.delete(dataDir.resolve(name));
                } catch (NoSuchFileException e) {
                    if (segno > 0) {
                        break; // PostgreSQL goes on after a missing first segment, and stops at the next gap
                    }
                } catch (IOException e) {
                    if (log != null) {
                        log.report(Severity.WARNING, IoErrors.sqlState(e),
                                "could not remove file \"" + name + "\": " + IoErrors.strerror(e), null, null);
                    }
                    if (segno > 0) {
                        break;
                    }
                }
            }
            synchronized (f.dirty) {
                f.dirty.clear();
            }
            f.dropped = true;
            forks.remove(f.key, f);
        } finally {
            f.lock.writeLock().unlock();
        }
    }

    @Override
    public void truncate(RelFileNode rel, ForkNumber fork, int nblocks) {
        long n = Integer.toUnsignedLong(nblocks);
        Fork f = lockExclusive(rel, fork);
        try {
            long cur = nblocksLocked(f);
            if (n > cur) {
                if (inRecovery) {
                    return;
                }
                throw new PgException(SqlState.INTERNAL_ERROR, "could not truncate file \"" + f.relpath + "\" to "
                        + n + " blocks: it's only " + cur + " blocks now");
            }
            if (n == cur) {
                return;
            }
            int last = (int) ((cur - 1) / segmentBlocks);
            for (int segno = last; segno >= 0; segno--) {
                long prior = (long) segno * segmentBlocks;
                if (prior + segmentBlocks <= n) {
                    break; // this segment and those before it stay whole
                }
                SegmentFile s = f.segment(segno);
                long keep = Math.max(0, n - prior);
                try {
                    FileChannel ch = files.acquire(s, false);
                    try {
                        ch.truncate(keep * BLCKSZ);
                    } finally {
                        files.release(s);
                    }
                } catch (IOException e) {
                    throw IoErrors.error(prior > n ? "could not truncate file \"" + s.name + "\""
                            : "could not truncate file \"" + s.name + "\" to " + keep + " blocks", e);
                }
                f.markDirty(segno);
            }
            f.nblocks.set(n);
        } finally {
            f.lock.writeLock().unlock();
        }
    }

    // ------------------------------------------------------------------ internals

    private Fork lockShared(RelFileNode rel, ForkNumber fork) {
        for (;;) {
            Fork f = forks.computeIfAbsent(key(rel, fork), Fork::new);
            f.lock.readLock().lock();
            if (!f.dropped) {
                return f;
            }
            f.lock.readLock().unlock();
        }
    }

    private Fork lockExclusive(RelFileNode rel, ForkNumber fork) {
        for (;;) {
            Fork f = forks.computeIfAbsent(key(rel, fork), Fork::new);
            f.lock.writeLock().lock();
            if (!f.dropped) {
                return f;
            }
            f.lock.writeLock().unlock();
        }
    }

    /** The fork's length in blocks, computed from the files the first time. Needs the fork's lock. */
    private long nblocksLocked(Fork f) {
        long n = f.nblocks.get();
        if (n >= 0) {
            return n;
        }
        n = 0;
        for (int segno = 0;; segno++) {
            SegmentFile s = f.segment(segno);
            long size;
            try {
                FileChannel ch = files.acquire(s, false);
                try {
                    size = ch.size();
                } finally {
                    files.release(s);
                }
            } catch (NoSuchFileException e) {
                break; // no such fork (segment 0), or the previous segment was the last
            } catch (IOException e) {
                throw IoErrors.error("could not open file \"" + s.name + "\"", e);
            }
            long blocks = size / BLCKSZ;
            if (blocks > segmentBlocks) {
                throw new PgException(SqlState.DATA_CORRUPTED, "segment too big: file \"" + s.name + "\" has "
                        + blocks + " blocks");
            }
            n += blocks;
            if (blocks < segmentBlocks) {
                break;
            }
        }
        // Concurrent callers compute the same value; a writer that got in first already set a larger one.
        f.nblocks.compareAndSet(-1, n);
        return f.nblocks.get();
    }

    /**
     * Before a block at or beyond the end is written: makes every segment
     * before the block's segment full length, so that the new block lies where
     * the segment arithmetic says (the gap reads as zeros). Called under the
     * fork's extension monitor.
     */
    private void fillGap(Fork f, long blk) {
        long end = nblocksLocked(f);
        int target = (int) (blk / segmentBlocks);
        for (int segno = (int) (end / segmentBlocks); segno < target; segno++) {
            SegmentFile s = f.segment(segno);
            long full = (long) segmentBlocks * BLCKSZ;
            try {
                FileChannel ch = acquireForExtension(f, s);
                try {
                    if (ch.size() < full) {
                        ch.write(ByteBuffer.allocate(1), full - 1);
                    }
                } finally {
                    files.release(s);
                }
            } catch (IOException e) {
                throw IoErrors.error("could not extend file \"" + s.name + "\"", e, "Check free disk space.");
            }
            f.markDirty(segno);
        }
    }

    /** Opens a segment for writing; a later segment is created if missing, the first must exist. */
    private FileChannel acquireForExtension(Fork f, SegmentFile s) throws IOException {
        if (s.segno == 0) {
            return files.acquire(s, false);
        }
        boolean existed = Files.exists(s.path);
        FileChannel ch = files.acquire(s, true);
        if (!existed) {
            f.created = true;
        }
        return ch;
    }

    /**
     * Writes block {@code blk} at {@code pos} of its segment. {@code what} is
     * the message with {@code %s} for the file name.
     */
    private void writeBlock(Fork f, long blk, long pos, ByteBuffer src, boolean extending, String what) {
        SegmentFile s = f.segment((int) (blk / segmentBlocks));
        FileChannel ch;
        try {
            ch = extending ? acquireForExtension(f, s) : files.acquire(s, false);
        } catch (IOException e) {
            throw IoErrors.error(s.segno == 0 ? "could not open file \"" + s.name + "\""
                    : "could not open file \"" + s.name + "\" (target block " + blk + ")", e);
        }
        int start = src.position();
        try {
            int done = 0;
            while (done < BLCKSZ) {
                int w = ch.write(src, pos + done);
                if (w <= 0) {
                    throw new PgException(IoErrors.DISK_FULL, String.format(what, s.name) + ": wrote only " + done
                            + " of " + BLCKSZ + " bytes", null, "Check free disk space.");
                }
                done += w;
            }
        } catch (IOException e) {
            throw IoErrors.error(String.format(what, s.name), e, extending ? "Check free disk space." : null);
        } finally {
            files.release(s);
            src.position(start);
        }
    }

    /** The error for a segment file that is not there when a block of it is read. */
    private PgException missingSegment(Fork f, int segno, long blk, NoSuchFileException e) {
        String name = RelPath.segment(f.relpath, segno);
        if (segno == 0) {
            return new PgException(IoErrors.UNDEFINED_FILE,
                    "could not open file \"" + name + "\": " + IoErrors.strerror(e), null, null, e);
        }
        long total = nblocksLocked(f);
        long previous = total - (long) (segno - 1) * segmentBlocks;
        if (previous >= 0 && previous < segmentBlocks) {
            return new PgException(IoErrors.UNDEFINED_FILE, "could not open file \"" + name + "\" (target block "
                    + blk + "): previous segment is only " + previous + " blocks", null, null, e);
        }
        return new PgException(IoErrors.UNDEFINED_FILE, "could not open file \"" + name + "\" (target block "
                + blk + "): " + IoErrors.strerror(e), null, null, e);
    }

    private void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw IoErrors.error("could not fsync file \"" + dataDir.relativize(dir) + "\"", e);
        }
    }
}
