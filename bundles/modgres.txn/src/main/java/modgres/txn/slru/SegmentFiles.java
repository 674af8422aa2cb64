package modgres.txn.slru;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;

/**
 * Reading and writing one page of an SLRU segment file (PostgreSQL's slru.c
 * physical I/O), and the fsyncs a checkpoint makes durable. A page that was
 * never written (no file, or past the end of a short one) reads as zeros:
 * the owner knows what zeros mean (ids in progress, no members).
 */
public final class SegmentFiles {
    private SegmentFiles() {
    }

    /** {@code size} bytes at {@code offset} of {@code file}; zeros where the file has none. */
    public static byte[] read(Path file, long offset, int size) {
        byte[] data = new byte[size];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    break; // short file: the rest reads as zeros
                }
            }
        } catch (NoSuchFileException e) {
            // never written
        } catch (IOException e) {
            throw ioError("could not read file \"" + file + "\" at offset " + offset, e);
        }
        return data;
    }

    /** Writes {@code data} at {@code offset}; true when the file had to be created (its directory needs an fsync). */
    public static boolean write(Path file, long offset, byte[] data) {
        boolean created = !Files.exists(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf, offset + buf.position());
            }
        } catch (IOException e) {
            throw ioError("could not write to file \"" + file + "\" at offset " + offset, e);
        }
        return created;
    }

    /** fsync of a segment file; one removed since it was written has nothing to make durable. */
    public static void fsync(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (NoSuchFileException e) {
            // removed (truncated away) since
        } catch (IOException e) {
            throw ioError("could not fsync file \"" + file + "\"", e);
        }
    }

    /** fsync of the directory, after a segment file was created in it. */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw ioError("could not fsync directory \"" + dir + "\"", e);
        }
    }

    public static PgException ioError(String message, IOException e) {
        return new PgException(SqlState.IO_ERROR, message + ": " + e.getMessage(), null, null, e);
    }
}
