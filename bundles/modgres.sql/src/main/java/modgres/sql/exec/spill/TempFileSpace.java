package modgres.sql.exec.spill;

/*
 * Design notes: a statement's temporary files (PostgreSQL's fd.c temporary
 * files, OpenTemporaryFile / FileClose / RemovePgTempFiles).
 *
 * Why: sorts and hashes that outgrow work_mem (hash_mem for hashes) write
 * their overflow to files, as PostgreSQL does, instead of growing the heap
 * without bound.
 *
 * Where and how they are named: <data directory>/base/pgsql_tmp/
 * pgsql_tmp<pid>.<n>, as PostgreSQL names them, <n> counting per statement
 * from 0 (PostgreSQL counts per backend; a name still in use, which cannot
 * happen while a backend runs one statement at a time, is skipped). The
 * directory is made on first use.
 *
 * Invariants:
 *   - every file this space creates is in `live` until it is deleted, so
 *     closeAll() (called by the executor's close paths and, as a safety net,
 *     at transaction end) leaves nothing behind, also after errors or a
 *     cancel in the middle of an operation;
 *   - `liveBytes` is the size of the live files (what temp_file_limit
 *     bounds): a write that would take it beyond the limit fails with 53400
 *     before anything is written, as PostgreSQL's FileWrite;
 *   - a file is reported when deleted (as ReportTemporaryFileUsage): the
 *     session's temp_files / temp_bytes counters, and the log line of
 *     log_temp_files when its size reaches the setting.
 *
 * After a crash, files of dead backends are left; removePgTempFiles (called
 * when the SQL engine starts) removes them, as PostgreSQL's postmaster does
 * at start-up (RemovePgTempFiles).
 *
 * Not thread-safe: one statement runs on one thread.
 */

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import modgres.api.error.PgException;

/** The temporary files of one statement; see the design notes. */
public final class TempFileSpace {
    /** The temporary files' directory, relative to the data directory (PG_TEMP_FILES_DIR under base/). */
    public static final String TEMP_DIR = "base/pgsql_tmp";
    /** The prefix of temporary file (and file set directory) names (PG_TEMP_FILE_PREFIX). */
    public static final String PREFIX = "pgsql_tmp";

    private final Path dir;
    private final int pid;
    private final long limitBytes;
    private final long logThresholdBytes;
    private final Consumer<String> log;
    private final LongConsumer onDeleted;
    private final Set<TempFile> live = new LinkedHashSet<>();
    private int counter;
    private long liveBytes;
    private boolean dirMade;
    /** The session's account of its temporary files (null: not accounted). */
    private MemoryAccount account;

    /**
     * @param dataDirectory     the data directory (files go to its base/pgsql_tmp)
     * @param pid               the backend's pid, part of the names
     * @param limitBytes        temp_file_limit in bytes, negative = none
     * @param logThresholdBytes log_temp_files in bytes, negative = off
     * @param log               where the log_temp_files line goes (null = nowhere)
     * @param onDeleted         told the size of each file deleted (statistics), may be null
     */
    public TempFileSpace(Path dataDirectory, int pid, long limitBytes, long logThresholdBytes, Consumer<String> log,
            LongConsumer onDeleted) {
        this.dir = dataDirectory.resolve(TEMP_DIR);
        this.pid = pid;
        this.limitBytes = limitBytes;
        this.logThresholdBytes = logThresholdBytes;
        this.log = log;
        this.onDeleted = onDeleted;
    }

    /** Counts this space's files and bytes into the session's {@code account}; returns this space. */
    public TempFileSpace account(MemoryAccount a) {
        this.account = a;
        return this;
    }

    /** Creates a new, empty temporary file, its size counted into {@code usage} (may be null). */
    public TempFile create(Usage usage) {
        try {
            if (!dirMade) {
                if (!Files.isDirectory(dir)) {
                    try {
                        Files.createDirectories(dir, posix("rwx------"));
                    } catch (UnsupportedOperationException e) {
                        Files.createDirectories(dir);
                    }
                }
                dirMade = true;
            }
            while (true) {
                String name = PREFIX + pid + "." + counter++;
                Path p = dir.resolve(name);
                try {
                    try {
                        Files.createFile(p, posix("rw-------")); // PG_FILE_MODE_OWNER
                    } catch (UnsupportedOperationException e) {
                        Files.createFile(p);
                    }
                } catch (FileAlreadyExistsException e) {
                    continue;
                }
                TempFile f = new TempFile(this, p, TEMP_DIR + "/" + name, usage);
                live.add(f);
                if (account != null) {
                    account.tempFiles(1, 0);
                }
                return f;
            }
        } catch (IOException e) {
            throw ioError("could not create temporary file", dir, e);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?> posix(String perms) {
        return java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString(perms));
    }

    /** Accounts {@code n} more bytes about to be written; fails when temp_file_limit would be exceeded. */
    void reserve(long n) {
        if (limitBytes >= 0 && liveBytes + n > limitBytes) {
            throw new PgException("53400", "temporary file size exceeds temp_file_limit (" + limitBytes / 1024
                    + "kB)");
        }
        liveBytes += n;
        if (account != null) {
            account.tempFiles(0, n);
        }
    }

    /** A file was deleted: uncount it, report it. */
    void released(TempFile f, long size) {
        if (live.remove(f)) {
            liveBytes -= size;
            if (account != null) {
                account.tempFiles(-1, -size);
            }
            if (onDeleted != null) {
                onDeleted.accept(size);
            }
            if (log != null && logThresholdBytes >= 0 && size >= logThresholdBytes) {
                log.accept(logLine(f.relativePath(), size));
            }
        }
    }

    /** PostgreSQL's log_temp_files line (ReportTemporaryFileUsage). */
    public static String logLine(String relativePath, long size) {
        return "temporary file: path \"" + relativePath + "\", size " + size;
    }

    /** Deletes every file still present (end of statement or transaction, error paths); never throws. */
    public void closeAll() {
        for (TempFile f : new ArrayList<>(live)) {
            f.delete();
        }
    }

    /** The number of files not yet deleted. */
    public int liveFiles() {
        return live.size();
    }

    /** The bytes written to files not yet deleted. */
    public long liveBytes() {
        return liveBytes;
    }

    static PgException ioError(String what, Path p, IOException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        // errcode_for_file_access: ENOSPC is disk_full, anything else an I/O error
        String state = m.contains("No space left") ? "53100" : "58030";
        return new PgException(state, what + " \"" + p + "\": " + m);
    }

    /**
     * Removes the temporary files left by a previous run of the server (a crash
     * or an immediate shutdown): every entry named pgsql_tmp* in base/pgsql_tmp
     * and in each tablespace's pgsql_tmp, file set directories with their
     * contents, as PostgreSQL's RemovePgTempFiles at start-up. Other entries
     * are left alone. Never throws.
     *
     * @return the number of entries removed
     */
    public static int removePgTempFiles(Path dataDirectory) {
        if (dataDirectory == null) {
            return 0;
        }
        int n = removeIn(dataDirectory.resolve(TEMP_DIR));
        Path tablespaces = dataDirectory.resolve("pg_tblspc");
        if (Files.isDirectory(tablespaces)) {
            try (DirectoryStream<Path> spaces = Files.newDirectoryStream(tablespaces)) {
                for (Path ts : spaces) {
                    if (!Files.isDirectory(ts)) {
                        continue;
                    }
                    try (DirectoryStream<Path> versions = Files.newDirectoryStream(ts, "PG_*")) {
                        for (Path v : versions) {
                            n += removeIn(v.resolve(PREFIX));
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // best effort, as PostgreSQL (it logs and goes on)
            }
        }
        return n;
    }

    private static int removeIn(Path tempDir) {
        if (!Files.isDirectory(tempDir)) {
            return 0;
        }
        List<Path> doomed = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(tempDir, PREFIX + "*")) {
            for (Path p : s) {
                doomed.add(p);
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        int n = 0;
        for (Path p : doomed) {
            if (removeTree(p)) {
                n++;
            }
        }
        return n;
    }

    private static boolean removeTree(Path p) {
        try {
            if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
                    for (Path c : s) {
                        removeTree(c);
                    }
                }
            }
            return Files.deleteIfExists(p);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The disk use of one operation (a sort, a hash join, a hash aggregate):
     * the bytes its live files hold and their peak, for EXPLAIN ANALYZE.
     */
    public static final class Usage {
        long live;
        long peak;
        int files;

        void add(long n) {
            live += n;
            if (live > peak) {
                peak = live;
            }
        }

        /** The peak, in kB as PostgreSQL prints tape space: whole 8 kB blocks. */
        public long peakKb() {
            return (peak + TempFile.BLOCK - 1) / TempFile.BLOCK * (TempFile.BLOCK / 1024);
        }

        /** The peak in bytes. */
        public long peakBytes() {
            return peak;
        }

        /** How many files the operation created. */
        public int files() {
            return files;
        }
    }
}
