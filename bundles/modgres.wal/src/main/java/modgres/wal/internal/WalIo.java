package modgres.wal.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file operations the log performs on segment files, behind a small
 * interface so that tests can inject failures (a failing fsync must be a
 * PANIC). {@link #DEFAULT} is the real thing over {@link FileChannel}.
 */
public interface WalIo {

    /** One open segment file. */
    interface WalFile extends Closeable {
        int write(ByteBuffer src, long position) throws IOException;

        int read(ByteBuffer dst, long position) throws IOException;

        /** {@link FileChannel#force}: with {@code metadata} false, fdatasync. */
        void force(boolean metadata) throws IOException;

        long size() throws IOException;
    }

    /**
     * Opens an existing file for writing (and reading); with {@link SyncMethod#OPEN_SYNC} or
     * {@link SyncMethod#OPEN_DATASYNC} so that every write is synchronous.
     */
    WalFile openForWrite(Path file, SyncMethod method) throws IOException;

    /** Creates a new file ({@code CREATE_NEW}) for writing. */
    WalFile create(Path file) throws IOException;

    /** Opens an existing file for reading. */
    WalFile openForRead(Path file) throws IOException;

    /** Makes a directory's entries (created, renamed, removed files) durable. */
    void syncDirectory(Path dir) throws IOException;

    WalIo DEFAULT = new WalIo() {
        @Override
        public WalFile openForWrite(Path file, SyncMethod method) throws IOException {
            FileChannel ch = switch (method) {
                case OPEN_SYNC -> FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.SYNC);
                case OPEN_DATASYNC -> FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.DSYNC);
                default -> FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            };
            return new ChannelFile(ch);
        }

        @Override
        public WalFile create(Path file) throws IOException {
            return new ChannelFile(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        }

        @Override
        public WalFile openForRead(Path file) throws IOException {
            return new ChannelFile(FileChannel.open(file, StandardOpenOption.READ));
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    };

    /** A {@link WalFile} over a {@link FileChannel}. */
    final class ChannelFile implements WalFile {
        private final FileChannel channel;

        public ChannelFile(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return channel.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public void force(boolean metadata) throws IOException {
            channel.force(metadata);
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
