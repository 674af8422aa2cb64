package modgres.storage.smgr;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The open segment files, at most {@code max_files_per_process} of them
 * (PostgreSQL's virtual file descriptors, shared by the whole server here).
 *
 * <p>{@link #acquire} of an open file is one compare-and-set on the file's pin
 * count; opening a closed file takes the cache's lock. When more files are
 * open than allowed, a clock over the open files closes one that is unpinned
 * and was not used since the hand last passed it. If every open file is in
 * use, the limit is exceeded until one is released (an I/O call never waits
 * for a file handle).
 */
final class FileCache {
    private final int max;
    private final Object lock = new Object();
    /** Open files (guarded by lock). */
    private final List<SegmentFile> open = new ArrayList<>();
    private int hand;

    FileCache(int maxOpenFiles) {
        if (maxOpenFiles < 1) {
            throw new IllegalArgumentException("maxOpenFiles " + maxOpenFiles);
        }
        this.max = maxOpenFiles;
    }

    /**
     * Pins the segment's file, opening it (read-write; created if
     * {@code create}) if it is closed. Every successful call is matched by
     * one {@link #release}.
     */
    FileChannel acquire(SegmentFile s, boolean create) throws IOException {
        for (;;) {
            int p = s.pins.get();
            if (p >= 0) {
                if (s.pins.compareAndSet(p, p + 1)) {
                    s.referenced = true;
                    return s.channel;
                }
                continue;
            }
            synchronized (lock) {
                if (s.pins.get() >= 0) {
                    continue; // opened meanwhile
                }
                FileChannel ch = create
                        ? FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                                StandardOpenOption.CREATE)
                        : FileChannel.open(s.path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                s.channel = ch;
                s.referenced = true;
                s.pins.set(1);
                open.add(s);
                if (open.size() > max) {
                    evict();
                }
                return ch;
            }
        }
    }

    void release(SegmentFile s) {
        s.pins.decrementAndGet();
    }

    /**
     * Closes the segment's file if it is open. The caller makes sure nobody
     * uses it (it holds the fork's exclusive lock); returns false if someone
     * still does.
     */
    boolean close(SegmentFile s) {
        synchronized (lock) {
            if (s.pins.get() < 0) {
                return true;
            }
            if (!s.pins.compareAndSet(0, -1)) {
                return false;
            }
            int i = open.indexOf(s);
            if (i >= 0) {
                removeAt(i);
            }
            closeQuietly(s);
            return true;
        }
    }

    /** Closes every open file that is not in use. */
    void closeAll() {
        synchronized (lock) {
            for (int i = open.size() - 1; i >= 0; i--) {
                SegmentFile s = open.get(i);
                if (s.pins.compareAndSet(0, -1)) {
                    removeAt(i);
                    closeQuietly(s);
                }
            }
        }
    }

    /** The number of open files. */
    int openFiles() {
        synchronized (lock) {
            return open.size();
        }
    }

    /** The limit ({@code max_files_per_process}). */
    int maxOpenFiles() {
        return max;
    }

    /** Closes unpinned files, least recently used first (approximately), until within the limit. */
    private void evict() {
        int budget = 2 * open.size();
        while (open.size() > max && budget-- > 0) {
            if (hand >= open.size()) {
                hand = 0;
            }
            SegmentFile s = open.get(hand);
            if (s.referenced) {
                s.referenced = false;
                hand++;
            } else if (s.pins.compareAndSet(0, -1)) {
                removeAt(hand);
                closeQuietly(s);
            } else {
                hand++;
            }
        }
    }

    private void removeAt(int i) {
        int last = open.size() - 1;
        open.set(i, open.get(last));
        open.remove(last);
    }

    private static void closeQuietly(SegmentFile s) {
        FileChannel ch = s.channel;
        s.channel = null;
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException e) {
            // Nothing was pending on it that an fsync of a reopened file would not cover.
        }
    }
}
