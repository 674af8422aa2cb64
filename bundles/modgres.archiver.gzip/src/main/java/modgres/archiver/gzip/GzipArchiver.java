package modgres.archiver.gzip;

/*
 * Design notes
 * ------------
 * basic_archive's care, with compression: each segment becomes
 * <dir>/<segment>.gz, a standard gzip file (RFC 1952), so that a plain
 * `gunzip -c <dir>/%f.gz > %p` restores it (restore_command).
 *
 *   <dir>/<segment>.gz exists?
 *      ├─ yes: its decompressed bytes equal pg_wal/<segment>? ─yes─▶ success (WARNING, as basic_archive),
 *      │                                                        fsync file and directory
 *      │                                       └────────────no──▶ failure "archive file ... already exists";
 *      │                                                          never overwritten (a damaged .gz too)
 *      └─ no: compress into <dir>/archtemp.<segment>.gz.<pid>.<millis> (CREATE_NEW),
 *             fsync it, rename it to <segment>.gz (atomic), fsync the directory
 *
 * A reader of the archive therefore never sees a partial .gz, and archiving
 * the same segment again (after a crash or a module swap between the copy
 * and the archiver's .ready → .done rename) is a success, not a conflict.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import modgres.api.archive.ArchiveException;
import modgres.api.archive.ArchiveModule;

/**
 * The {@code gzip_archive} module: compresses {@code pg_wal/<segment>} into
 * {@code gzip_archive.archive_directory/<segment>.gz} (temp file, fsync,
 * rename, directory fsync); see the design notes.
 */
public final class GzipArchiver implements ArchiveModule {

    /** The settings (custom, as basic_archive's). */
    public static final String DIRECTORY = "gzip_archive.archive_directory";
    public static final String LEVEL = "gzip_archive.compression_level";
    /** gzip's default level. */
    public static final int DEFAULT_LEVEL = 6;
    /** The suffix of an archived segment. */
    public static final String SUFFIX = ".gz";

    private static final int BUFFER = 64 * 1024;

    private final Supplier<String> archiveDirectory;
    private final Supplier<String> compressionLevel;
    private final Consumer<String> warning;
    private final long pid;

    /**
     * @param archiveDirectory {@value #DIRECTORY}: absolute, or relative to the data directory; null or empty = not set
     * @param compressionLevel {@value #LEVEL}: 1..9, null or empty = {@value #DEFAULT_LEVEL}
     * @param warning          where the "already exists with identical contents" WARNING goes
     * @param pid              for the temporary file's name
     */
    public GzipArchiver(Supplier<String> archiveDirectory, Supplier<String> compressionLevel,
            Consumer<String> warning, long pid) {
        this.archiveDirectory = archiveDirectory;
        this.compressionLevel = compressionLevel;
        this.warning = warning;
        this.pid = pid;
    }

    @Override
    public boolean configured() {
        String d = archiveDirectory.get();
        return d != null && !d.isEmpty() && levelProblem() == null;
    }

    @Override
    public String notConfigured() {
        String d = archiveDirectory.get();
        if (d == null || d.isEmpty()) {
            return "archive_library \"gzip_archive\": " + DIRECTORY + " is not set.";
        }
        String p = levelProblem();
        return p == null ? null : "archive_library \"gzip_archive\": " + p + ".";
    }

    /** The level to compress with. */
    int level() {
        String v = compressionLevel.get();
        return v == null || v.isBlank() ? DEFAULT_LEVEL : Integer.parseInt(v.trim());
    }

    /** PostgreSQL's messages for a bad integer setting, or null when the level is fine. */
    private String levelProblem() {
        String v = compressionLevel.get();
        if (v == null || v.isBlank()) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return "invalid value for parameter \"" + LEVEL + "\": \"" + v + "\"";
        }
        if (n < 1 || n > 9) {
            return n + " is outside the valid range for parameter \"" + LEVEL + "\" (1 .. 9)";
        }
        return null;
    }

    @Override
    public void archive(Path dataDir, String segment) throws ArchiveException {
        String p = levelProblem();
        if (p != null) {
            throw new ArchiveException(p, null);
        }
        Path source = dataDir.resolve("pg_wal").resolve(segment);
        Path dir = dataDir.resolve(archiveDirectory.get()); // absolute stays absolute
        Path destination = dir.resolve(segment + SUFFIX);
        if (Files.exists(destination)) {
            if (identical(source, destination)) {
                warning.accept("archive file \"" + destination + "\" already exists with identical contents");
                fsync(destination, false);
                fsync(dir, true);
                return;
            }
            throw new ArchiveException("archive file \"" + destination + "\" already exists", null);
        }
        Path temp = dir.resolve("archtemp." + segment + SUFFIX + "." + pid + "." + System.currentTimeMillis());
        try {
            try (InputStream in = Files.newInputStream(source);
                    FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream os = Channels.newOutputStream(out);
                int level = level();
                try (GZIPOutputStream gz = new GZIPOutputStream(os, BUFFER) {
                    {
                        def.setLevel(level);
                    }

                    @Override
                    public void close() throws IOException {
                        try {
                            finish(); // the channel stays open: it is fsynced, then closed, by the outer try
                        } finally {
                            def.end();
                        }
                    }
                }) {
                    in.transferTo(gz);
                }
                os.flush();
                out.force(true);
            }
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE);
            fsync(dir, true);
        } catch (NoSuchFileException e) {
            cleanup(temp);
            String what = source.toString().equals(e.getFile()) ? "open" : "create";
            throw new ArchiveException("could not " + what + " file \"" + e.getFile()
                    + "\": No such file or directory", null);
        } catch (IOException e) {
            cleanup(temp);
            throw new ArchiveException("could not compress file \"" + source + "\" to \"" + temp + "\": "
                    + e, null);
        }
    }

    private static void cleanup(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort, as basic_archive
        }
    }

    private static void fsync(Path p, boolean directory) throws ArchiveException {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw new ArchiveException("could not fsync file \"" + p + "\": " + e.getMessage(), null);
            } // some platforms cannot open a directory for fsync; PostgreSQL ignores that too
        }
    }

    /**
     * True when {@code gz} decompresses to exactly the bytes of {@code plain};
     * a damaged or truncated {@code gz} is not identical.
     */
    static boolean identical(Path plain, Path gz) throws ArchiveException {
        try (InputStream x = Files.newInputStream(plain)) {
            try (InputStream y = new GZIPInputStream(Files.newInputStream(gz), BUFFER)) {
                byte[] bx = new byte[BUFFER];
                byte[] by = new byte[BUFFER];
                while (true) {
                    int nx = x.readNBytes(bx, 0, bx.length);
                    int ny = y.readNBytes(by, 0, by.length);
                    if (nx != ny || !Arrays.equals(bx, 0, nx, by, 0, ny)) {
                        return false;
                    }
                    if (nx == 0) {
                        return true;
                    }
                }
            } catch (IOException e) {
                return false; // not a (complete) gzip file: different, and never overwritten
            }
        } catch (IOException e) {
            throw new ArchiveException("could not read file \"" + plain + "\": " + e.getMessage(), null);
        }
    }
}
