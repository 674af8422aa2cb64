package modgres.archiver.copy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Supplier;

import modgres.api.archive.ArchiveException;
import modgres.api.archive.ArchiveModule;

/**
 * PostgreSQL's {@code basic_archive} module: copies {@code pg_wal/<segment>}
 * into {@code basic_archive.archive_directory} through a temporary file
 * ({@code archtemp.<segment>.<pid>.<millis>}) that is fsynced and then
 * renamed (durable and atomic), the directory fsynced after. An existing
 * target with identical contents is success (with a WARNING); one with
 * different contents is a failure.
 */
public final class CopyArchiver implements ArchiveModule {

    private final Supplier<String> archiveDirectory;
    private final Consumer<String> warning;
    private final long pid;

    public CopyArchiver(Supplier<String> archiveDirectory, Consumer<String> warning, long pid) {
        this.archiveDirectory = archiveDirectory;
        this.warning = warning;
        this.pid = pid;
    }

    @Override
    public boolean configured() {
        String d = archiveDirectory.get();
        return d != null && !d.isEmpty();
    }

    @Override
    public String notConfigured() {
        return "archive_library \"basic_archive\": basic_archive.archive_directory is not set.";
    }

    @Override
    public void archive(Path dataDir, String segment) throws ArchiveException {
        Path source = dataDir.resolve("pg_wal").resolve(segment);
        Path dir = dataDir.resolve(archiveDirectory.get()); // absolute stays absolute
        Path destination = dir.resolve(segment);
        if (Files.exists(destination)) {
            if (identical(source, destination)) {
                warning.accept("archive file \"" + destination + "\" already exists with identical contents");
                fsync(destination, false);
                fsync(dir, true);
                return;
            }
            throw new ArchiveException("archive file \"" + destination + "\" already exists", null);
        }
        Path temp = dir.resolve("archtemp." + segment + "." + pid + "." + System.currentTimeMillis());
        try {
            try (InputStream in = Files.newInputStream(source);
                    FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0;) {
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
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
            throw new ArchiveException("could not copy file \"" + source + "\" to \"" + temp + "\": "
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

    /** basic_archive's compare_files. */
    static boolean identical(Path a, Path b) throws ArchiveException {
        try (InputStream x = Files.newInputStream(a); InputStream y = Files.newInputStream(b)) {
            byte[] bx = new byte[64 * 1024];
            byte[] by = new byte[64 * 1024];
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
            throw new ArchiveException("could not read file: " + e, null);
        }
    }
}
