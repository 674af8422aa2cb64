package modgres.storage.smgr;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One segment file of a relation fork and its place in the {@link FileCache}.
 * The file is open while {@link #pins} is 0 or more; -1 means closed. Users
 * pin it for the duration of one I/O call; the cache closes only unpinned
 * files.
 */
final class SegmentFile {
    final int segno;
    final Path path;
    /** The path relative to the data directory, as messages show it. */
    final String name;

    /** -1: closed; otherwise the number of I/O calls using {@link #channel} now. */
    final AtomicInteger pins = new AtomicInteger(-1);
    /** Valid while pins >= 0; written before pins leaves -1. */
    volatile FileChannel channel;
    /** Used since the cache's clock hand last passed (second chance). */
    volatile boolean referenced;

    SegmentFile(int segno, Path path, String name) {
        this.segno = segno;
        this.path = path;
        this.name = name;
    }
}
