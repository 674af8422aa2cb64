package modgres.wal.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import modgres.api.wal.Lsn;

/**
 * The segment files of {@code pg_wal/} and their archive status files in
 * {@code pg_wal/archive_status/}: names, creation (zero-filled, under a
 * temporary name, then renamed into place), recycling and listing. Creating
 * and installing a file under a segment name is serialised by one lock, so
 * the checkpointer's recycling and the writer's creation never pick the same
 * name.
 */
final class SegmentFiles {
    private static final int ZERO_CHUNK = 1024 * 1024;
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();

    private final Path dir;
    private final Path statusDir;
    private final int timeline;
    private final long segmentSize;
    private final WalIo io;
    private final Object installLock = new Object();

    SegmentFiles(Path dataDirectory, int timeline, long segmentSize, WalIo io) {
        this.dir = dataDirectory.resolve("pg_wal");
        this.statusDir = dir.resolve("archive_status");
        this.timeline = timeline;
        this.segmentSize = segmentSize;
        this.io = io;
    }

    void ensureDirectories() throws IOException {
        Files.createDirectories(statusDir);
    }

    Path directory() {
        return dir;
    }

    String name(long segno) {
        return Lsn.segmentFileName(timeline, segno, segmentSize);
    }

    Path path(long segno) {
        return dir.resolve(name(segno));
    }

    /** {@code pg_wal/<name>}, as PostgreSQL's messages show a segment. */
    String display(long segno) {
        return "pg_wal/" + name(segno);
    }

    Path readyFile(long segno) {
        return statusDir.resolve(name(segno) + ".ready");
    }

    Path doneFile(long segno) {
        return statusDir.resolve(name(segno) + ".done");
    }

    boolean exists(long segno) {
        return Files.exists(path(segno));
    }

    /**
     * Creates segment {@code segno}: a temporary file filled with zeros (or, with
     * {@code initZero} off, only extended to its size), synced when
     * {@code fsync}, then renamed to the segment's name and the directory
     * synced. If the name appeared meanwhile (recycled by the checkpointer), the
     * temporary file is dropped and the existing one is used. Returns true if
     * this call created it.
     */
    boolean create(long segno, boolean initZero, boolean fsync) throws IOException {
        Path tmp = dir.resolve("xlogtemp." + ProcessHandle.current().pid() + "." + TEMP_COUNTER.incrementAndGet());
        Files.deleteIfExists(tmp);
        try (WalIo.WalFile f = io.create(tmp)) {
            if (initZero) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
                for (long off = 0; off < segmentSize; off += ZERO_CHUNK) {
                    zeros.clear();
                    zeros.limit((int) Math.min(ZERO_CHUNK, segmentSize - off));
                    long at = off;
                    while (zeros.hasRemaining()) {
                        at += f.write(zeros, at);
                    }
                }
            } else {
                ByteBuffer one = ByteBuffer.allocate(1);
                while (one.hasRemaining()) {
                    f.write(one, segmentSize - 1);
                }
            }
            if (fsync) {
                f.force(true);
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        ownerOnly(tmp);
        synchronized (installLock) {
            Path target = path(segno);
            if (Files.exists(target)) {
                Files.deleteIfExists(tmp);
                return false;
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        if (fsync) {
            io.syncDirectory(dir);
        }
        return true;
    }

    /**
     * Renames the old segment {@code segno} to the first free segment name above
     * {@code above}. Returns the new segment number, or -1 if the file was gone.
     */
    long recycle(long segno, long above) throws IOException {
        synchronized (installLock) {
            Path src = path(segno);
            if (!Files.exists(src)) {
                return -1;
            }
            long target = above + 1;
            while (Files.exists(path(target))) {
                target++;
            }
            try {
                Files.move(src, path(target));
            } catch (FileAlreadyExistsException e) {
                return -1;
            }
            return target;
        }
    }

    void remove(long segno) throws IOException {
        synchronized (installLock) {
            Files.deleteIfExists(path(segno));
        }
    }

    /** Writes {@code archive_status/<segment>.ready}. */
    void markReady(long segno) throws IOException {
        Files.createDirectories(statusDir);
        try {
            Files.createFile(readyFile(segno));
        } catch (FileAlreadyExistsException e) {
            // already marked
        }
    }

    boolean isArchived(long segno) {
        return Files.exists(doneFile(segno));
    }

    void removeStatus(long segno) throws IOException {
        Files.deleteIfExists(readyFile(segno));
        Files.deleteIfExists(doneFile(segno));
    }

    /** The segment numbers of this timeline's segment files in {@code pg_wal/}, ascending. */
    List<Long> list() throws IOException {
        List<Long> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (Lsn.isSegmentFileName(n) && Lsn.timelineOfSegmentFileName(n) == timeline) {
                    long segno = Lsn.parseSegmentFileName(n, segmentSize);
                    if (segno >= 0) {
                        out.add(segno);
                    }
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    void syncDirectory() throws IOException {
        io.syncDirectory(dir);
    }

    /** WAL files are the server user's only (PostgreSQL's pg_file_create_mode 0600); best effort. */
    static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or a test double: the directory's 0700 still guards it
        }
    }
}
