package modgres.logger.internal;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** One open log file of the collector: where it is, how big it is. */
final class LogFile {

    /** Opens a log file; replaceable so that tests can make writes fail (disk full). */
    @FunctionalInterface
    interface Opener {
        /**
         * Opens {@code path} for appending, or truncated; a file it creates gets
         * {@code mode} (plus the owner's write bit, as PostgreSQL's umask does).
         * Returns the stream and the file's size after opening.
         */
        Opened open(Path path, boolean truncate, int mode) throws IOException;
    }

    record Opened(OutputStream stream, long size) {
    }

    /*
     * A FileOutputStream, not a FileChannel: a channel is closed when the
     * thread writing to it is interrupted, and the Log Service interrupts its
     * listener thread - on which we write after stop() - when it shuts down.
     */
    static final Opener FILES = (path, truncate, mode) -> {
        File file = path.toFile();
        boolean existed = file.exists();
        FileOutputStream out = new FileOutputStream(file, !truncate);
        if (!existed) {
            setMode(path, mode | 0200);
        }
        return new Opened(out, file.length());
    };

    private final String name;
    private final Path path;
    private final OutputStream stream;
    private long size;

    private LogFile(String name, Path path, Opened opened) {
        this.name = name;
        this.path = path;
        this.stream = opened.stream();
        this.size = opened.size();
    }

    static LogFile open(Opener opener, Path path, String name, boolean truncate, int mode) throws IOException {
        return new LogFile(name, path, opener.open(path, truncate, mode));
    }

    /** The name as {@code current_logfiles} gives it: {@code log_directory/file}. */
    String name() {
        return name;
    }

    Path path() {
        return path;
    }

    long size() {
        return size;
    }

    void write(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        stream.write(b);
        stream.flush();
        size += b.length;
    }

    void close() {
        try {
            stream.close();
        } catch (IOException ignored) {
            // nothing more to lose
        }
    }

    /** Sets POSIX permissions where the file system has them. */
    static void setMode(Path path, int mode) {
        try {
            Files.setPosixFilePermissions(path, permissions(mode));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system, or not ours to change
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = { PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(bits[i]);
            }
        }
        return s;
    }

    /** What C's strerror() would say for an I/O failure ({@code %m}). */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        if (e instanceof java.io.FileNotFoundException && m != null && m.endsWith(")") && m.lastIndexOf(" (") > 0) {
            return m.substring(m.lastIndexOf(" (") + 2, m.length() - 1); // "path (Permission denied)"
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
