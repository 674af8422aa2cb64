package modgres.postmaster;

/*
 * Design notes
 * ------------
 * postmaster.pid is the data directory's lock and the server's business card
 * for pg_ctl. Its lines, as PostgreSQL 15 writes them (pidfile.h):
 *
 *   1  postmaster pid
 *   2  data directory
 *   3  start time (seconds since the epoch)
 *   4  port
 *   5  first Unix socket directory (empty until the socket exists)
 *   6  first listen address (empty until listening)
 *   7  shared memory key and id ("%9lu %9lu")
 *   8  status: "starting", "stopping", "ready   " (padded to 8), "standby "
 *
 * Taking the lock is an O_EXCL create. When the file exists, the pid in it is
 * checked: a live process other than us means another server owns the
 * directory (PostgreSQL's FATAL), a dead one means a stale file from a crash,
 * which is removed and the create retried. Later updates (status, socket
 * lines) write a sibling temporary file and rename it over the original, so
 * that pg_ctl never reads a half-written file.
 */

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;

/** The data directory's lock file, {@code postmaster.pid}. */
final class PidFile {
    static final String NAME = "postmaster.pid";
    static final int LINE_PID = 1;
    static final int LINE_DATADIR = 2;
    static final int LINE_START_TIME = 3;
    static final int LINE_PORT = 4;
    static final int LINE_SOCKET_DIR = 5;
    static final int LINE_LISTEN_ADDR = 6;
    static final int LINE_SHMEM_KEY = 7;
    static final int LINE_STATUS = 8;

    private final Path file;
    private final List<String> lines;

    private PidFile(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    /**
     * Creates the lock file or fails as PostgreSQL does when another live
     * process holds it. A stale file (its process is gone) is taken over.
     */
    static PidFile acquire(Path dataDir, long pid, long startEpochSeconds, int port) {
        return acquire(dataDir.resolve(NAME), NAME, dataDir, pid, startEpochSeconds, port,
                other -> "Is another postmaster (PID " + other + ") running in data directory \"" + dataDir + "\"?");
    }

    /**
     * Creates a lock file in PostgreSQL's format: postmaster.pid, or the lock
     * file beside a Unix socket ({@code .s.PGSQL.5432.lock}).
     *
     * @param shownName the name the error message quotes
     * @param hint      the HINT for a live owner, given its pid
     */
    static PidFile acquire(Path file, String shownName, Path dataDir, long pid, long startEpochSeconds, int port,
            java.util.function.LongFunction<String> hint) {
        List<String> lines = new ArrayList<>(Arrays.asList(
                Long.toString(pid),
                dataDir.toString(),
                Long.toString(startEpochSeconds),
                Integer.toString(port),
                "",
                "",
                String.format("%9d %9d", (long) port * 1000 + 1, 0L),
                statusWord("starting")));
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                Files.write(file, content(lines), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.SYNC);
                return new PidFile(file, lines);
            } catch (FileAlreadyExistsException e) {
                long other = readPid(file);
                if (other > 0 && other != pid && ProcessHandle.of(other).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new PgException(SqlState.LOCK_FILE_EXISTS, "lock file \"" + shownName
                            + "\" already exists", null, hint.apply(other));
                }
                // Stale: the process that wrote it is gone (or it is ours from an earlier life of this JVM).
                try {
                    Files.deleteIfExists(file);
                } catch (IOException de) {
                    throw ioError("could not remove old lock file \"" + file + "\"", de);
                }
            } catch (IOException e) {
                throw ioError("could not create lock file \"" + file + "\"", e);
            }
        }
        throw new PgException(SqlState.LOCK_FILE_EXISTS, "could not create lock file \"" + file + "\"");
    }

    /** The pid on line 1, or -1 when the file is missing, empty or unreadable. */
    static long readPid(Path file) {
        try {
            List<String> l = Files.readAllLines(file, StandardCharsets.UTF_8);
            return l.isEmpty() ? -1 : Long.parseLong(l.get(0).trim());
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    Path path() {
        return file;
    }

    /** Sets line {@code n} (1-based) and rewrites the file atomically. */
    synchronized void set(int n, String value) {
        lines.set(n - 1, n == LINE_STATUS ? statusWord(value) : value);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, content(lines));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw ioError("could not write lock file \"" + file + "\"", e);
        }
    }

    synchronized String get(int n) {
        return lines.get(n - 1);
    }

    /** Removes the lock file (clean shutdown). */
    void remove() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The next start treats it as stale: its pid is dead by then.
        }
    }

    /** PostgreSQL pads the status word to 8 characters ("ready   ") so that it can be overwritten in place. */
    private static String statusWord(String s) {
        return String.format("%-8s", s);
    }

    private static byte[] content(List<String> lines) {
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static PgException ioError(String message, IOException e) {
        return new PgException(SqlState.IO_ERROR, message + ": " + e.getMessage(), null, null, e);
    }
}
