package modgres.checkpointer;

/*
 * Design notes
 * ------------
 * global/pg_control is one 8192-byte block, little-endian:
 *
 *   offset  size  field
 *        0     4  magic 0x5443474D ("MGCT" read as bytes)
 *        4     4  layout version (1)
 *        8     4  length of the data the CRC covers (84 for version 1)
 *       12     8  system identifier
 *       20     4  cluster state (PostgreSQL's DBState number)
 *       24     8  time of the last update (epoch seconds)
 *       32     8  latest checkpoint location
 *       40     8  its REDO location
 *       48     4  its timeline
 *       52     8  its time (epoch seconds)
 *       60     8  next xid
 *       68     4  next OID
 *       72     4  data checksum version
 *       76     4  WAL segment size
 *       80     4  block size
 *       84     4  CRC-32C of bytes [0, 84)
 *       88  8104  zeros
 *
 * A later version appends fields and raises the length. This is Modgres's
 * own layout, not PostgreSQL's ControlFileData: pg_controldata cannot read it.
 *
 * A write never touches the live file: the block goes to pg_control.tmp, is
 * fsynced, renamed over pg_control, and the directory is fsynced, so a crash
 * leaves the old or the new file, never a torn one; a leftover .tmp is
 * ignored by read() and overwritten by the next write().
 */

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import modgres.api.control.ClusterState;
import modgres.api.control.ControlData;
import modgres.api.control.ControlFile;
import modgres.api.error.PgException;
import modgres.api.error.SqlState;

/** {@code global/pg_control} in a data directory, without OSGi. */
public final class ControlFileStore implements ControlFile {

    /** The size of the file: one block. */
    public static final int FILE_SIZE = 8192;
    static final int MAGIC = 0x5443474D;
    static final int VERSION = 1;
    static final int DATA_LENGTH = 84;

    private final Path directory;
    private final Path file;
    private final Path temp;
    private final int walSegmentSize;
    private final int dataChecksumVersion;

    /**
     * @param dataDirectory       the cluster's data directory ({@code global/} is created on the first write)
     * @param walSegmentSize      for the control data of a new cluster
     * @param dataChecksumVersion for the control data of a new cluster
     */
    public ControlFileStore(Path dataDirectory, int walSegmentSize, int dataChecksumVersion) {
        this.directory = dataDirectory.resolve("global");
        this.file = directory.resolve("pg_control");
        this.temp = directory.resolve("pg_control.tmp");
        this.walSegmentSize = walSegmentSize;
        this.dataChecksumVersion = dataChecksumVersion;
    }

    public Path path() {
        return file;
    }

    @Override
    public synchronized ControlData read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return ControlData.initial(walSegmentSize, dataChecksumVersion);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not open file \"global/pg_control\": " + e.getMessage(),
                    null, null, e);
        }
        if (bytes.length == 0) {
            return ControlData.initial(walSegmentSize, dataChecksumVersion);
        }
        if (bytes.length != FILE_SIZE) {
            throw new PgException(SqlState.DATA_CORRUPTED,
                    "could not read file \"global/pg_control\": read " + bytes.length + " of " + FILE_SIZE);
        }
        return decode(bytes);
    }

    @Override
    public synchronized void write(ControlData data) {
        ByteBuffer block = ByteBuffer.wrap(encode(data));
        try {
            Files.createDirectories(directory);
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (block.hasRemaining()) {
                    ch.write(block);
                }
                ch.force(true);
            }
            try {
                // pg_control is the server user's only, as PostgreSQL creates it (0600).
                Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(directory);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR,
                    "could not write to file \"global/pg_control\": " + e.getMessage(), null, null, e);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open or sync a directory; the rename is then as durable as they allow.
            if (System.getProperty("os.name", "").startsWith("Windows")) {
                return;
            }
            throw e;
        }
    }

    /** The file's block for {@code data}. */
    static byte[] encode(ControlData d) {
        ByteBuffer b = ByteBuffer.allocate(FILE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putInt(DATA_LENGTH);
        b.putLong(d.systemIdentifier()).putInt(d.state().code()).putLong(d.time());
        b.putLong(d.checkpoint()).putLong(d.redo()).putInt(d.timeline()).putLong(d.checkpointTime());
        b.putLong(d.nextXid()).putInt(d.nextOid()).putInt(d.dataChecksumVersion()).putInt(d.walSegmentSize())
                .putInt(d.blockSize());
        if (b.position() != DATA_LENGTH) {
            throw new IllegalStateException("control file layout is " + b.position() + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, DATA_LENGTH);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Decodes a block, checking its CRC and layout. */
    static ControlData decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int length = b.getInt(8);
        if (length < 12 || length > FILE_SIZE - 4) {
            throw incorrectChecksum();
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        if ((int) crc.getValue() != b.getInt(length)) {
            throw incorrectChecksum();
        }
        int magic = b.getInt(0);
        int version = b.getInt(4);
        if (magic != MAGIC || version != VERSION || length < DATA_LENGTH) {
            throw new PgException("55000", "database files are incompatible with server",
                    "The database cluster was initialized with a pg_control layout " + version
                            + ", but the server reads layout " + VERSION + ".",
                    "It looks like you need to initdb.");
        }
        b.position(12);
        long sysid = b.getLong();
        int stateCode = b.getInt();
        ClusterState state;
        try {
            state = ClusterState.ofCode(stateCode);
        } catch (IllegalArgumentException e) {
            throw new PgException(SqlState.DATA_CORRUPTED, "invalid cluster state " + stateCode + " in control file");
        }
        return new ControlData(sysid, state, b.getLong(), b.getLong(), b.getLong(), b.getInt(), b.getLong(),
                b.getLong(), b.getInt(), b.getInt(), b.getInt(), b.getInt());
    }

    private static PgException incorrectChecksum() {
        return new PgException(SqlState.DATA_CORRUPTED, "incorrect checksum in control file");
    }
}
