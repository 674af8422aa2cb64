package modgres.txn.multixact;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import modgres.api.error.PgException;
import modgres.txn.slru.SegmentFiles;

/*
 * Design notes: one simple least-recently-used cache of 8 KiB pages over a
 * directory of SLRU segment files (32 pages each, named %04X, as pg_xact and
 * PostgreSQL's slru.c). A page missing on disk (or past the end of a short
 * file) reads as zeros. Not thread-safe: the owner (MultiXactStore) calls it
 * under its own lock.
 *
 * Write rule: a dirty page is written when evicted and at every checkpoint;
 * before any write the owner's hook runs (it flushes the WAL, so a page on
 * disk never holds an entry whose WAL record could be lost). Only
 * checkpoints fsync (the segments written since the previous one, then the
 * directory when a file was created).
 */
final class SlruFiles {

    static final int PAGE_SIZE = 8192;
    static final int PAGES_PER_SEGMENT = 32;

    private final Path dir;
    private final int capacity;
    private final boolean fsync;
    private final Runnable beforeWrite;
    private final LinkedHashMap<Long, byte[]> pages = new LinkedHashMap<>(64, 0.75f, true);
    private final Set<Long> dirty = new HashSet<>();
    private final Set<Long> unsyncedSegments = new HashSet<>();
    private boolean dirUnsynced;

    SlruFiles(Path dir, int capacity, boolean fsync, Runnable beforeWrite) {
        this.dir = dir;
        this.capacity = capacity;
        this.fsync = fsync;
        this.beforeWrite = beforeWrite;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw ioError("could not create directory \"" + dir + "\"", e);
        }
    }

    Path directory() {
        return dir;
    }

    /** The page, read (or zero) when not cached. The caller may change it and then calls {@link #markDirty}. */
    byte[] page(long pageno) {
        byte[] p = pages.get(pageno);
        if (p == null) {
            p = read(pageno);
            pages.put(pageno, p);
            evictBeyondCapacity();
        }
        return p;
    }

    void markDirty(long pageno) {
        dirty.add(pageno);
    }

    private void evictBeyondCapacity() {
        Iterator<Map.Entry<Long, byte[]>> it = pages.entrySet().iterator();
        while (pages.size() > capacity && it.hasNext()) {
            Map.Entry<Long, byte[]> e = it.next();
            if (dirty.remove(e.getKey())) {
                beforeWrite.run();
                write(e.getKey(), e.getValue());
            }
            it.remove();
        }
    }

    /** Writes every dirty page and fsyncs what was written since the last call (a checkpoint). */
    void checkpoint() {
        writeDirty();
        sync();
    }

    /** Writes every dirty page (no fsync). */
    void writeDirty() {
        if (dirty.isEmpty()) {
            return;
        }
        beforeWrite.run();
        for (Long pageno : dirty) {
            write(pageno, pages.get(pageno));
        }
        dirty.clear();
    }

    /** The numbers of the segment files present, lowest first. */
    long[] segments() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9A-F]{4,6}"))
                    .mapToLong(n -> Long.parseLong(n, 16)).sorted().toArray();
        } catch (IOException e) {
            throw ioError("could not read directory \"" + dir + "\"", e);
        }
    }

    /** Visits every cached page number (for the owner's start-up scan). */
    void forEachCached(Consumer<Long> visitor) {
        pages.keySet().forEach(visitor);
    }

    static String segmentName(long segment) {
        return String.format(Locale.ROOT, "%04X", segment);
    }

    private byte[] read(long pageno) {
        return SegmentFiles.read(dir.resolve(segmentName(pageno / PAGES_PER_SEGMENT)),
                pageno % PAGES_PER_SEGMENT * PAGE_SIZE, PAGE_SIZE);
    }

    private void write(long pageno, byte[] data) {
        long seg = pageno / PAGES_PER_SEGMENT;
        dirUnsynced |= SegmentFiles.write(dir.resolve(segmentName(seg)), pageno % PAGES_PER_SEGMENT * PAGE_SIZE, data);
        unsyncedSegments.add(seg);
    }

    private void sync() {
        if (fsync) {
            for (Long seg : unsyncedSegments) {
                SegmentFiles.fsync(dir.resolve(segmentName(seg)));
            }
            if (dirUnsynced) {
                SegmentFiles.fsyncDirectory(dir);
            }
        }
        unsyncedSegments.clear();
        dirUnsynced = false;
    }

    static PgException ioError(String message, IOException e) {
        return SegmentFiles.ioError(message, e);
    }
}
