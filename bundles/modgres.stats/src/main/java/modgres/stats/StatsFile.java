package modgres.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import modgres.api.stats.ArchiverStats;
import modgres.api.stats.DatabaseCounter;
import modgres.api.stats.DatabaseStats;
import modgres.api.stats.TableCounter;
import modgres.api.stats.TableStats;

/*
 * The permanent statistics file, pg_stat/pgstat.stat (own format, big-endian):
 *
 *   int    magic 0x4D475354 ("MGST")
 *   int    version (1)
 *   long   written at (epoch microseconds)
 *   int    number of table counters T, int number of database counters D
 *   longs  checkpoint totals   (int n, n longs)
 *   longs  buffer totals       (int n, n longs)
 *   long   bgwriter stats_reset
 *   longs  WAL totals          (int n, n longs)
 *   long   WAL stats_reset
 *   archiver: long archived, str last archived, long time,
 *             long failed, str last failed, long time, long stats_reset
 *             (str = boolean present, then modified UTF-8)
 *   int    databases; each: int oid, long stats_reset, D longs
 *   int    tables; each: int db, int rel, T longs, 4 longs (last vacuum,
 *          autovacuum, analyze, autoanalyze)
 *   int    CRC-32C of every byte before it
 *
 * T and D are stored so that a file written before counters were appended
 * to TableCounter/DatabaseCounter still reads (missing ones are zero, extra
 * ones skipped). Anything else that does not fit (magic, version, CRC,
 * lengths, trailing bytes) makes the whole file invalid.
 */

/** Reads and writes the permanent statistics file. */
final class StatsFile {
    static final int MAGIC = 0x4D475354;
    static final int VERSION = 1;
    /** Relative to the data directory, as PostgreSQL names it in its messages. */
    static final String NAME = "pg_stat/pgstat.stat";
    static final String TEMP_NAME = "pg_stat/pgstat.tmp";
    private static final int MAX_COUNTERS = 4096;

    /** Everything the file holds. */
    record Content(long writtenAt, long[] checkpointTotals, long[] bufferTotals, long bgwriterReset,
            long[] walTotals, long walReset, ArchiverStats archiver, List<DatabaseStats> databases,
            List<TableStats> tables) {
    }

    /** The file's content is not valid. */
    static final class CorruptedException extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptedException(String message) {
            super(message);
        }
    }

    private StatsFile() {
    }

    static byte[] encode(Content c) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(c.writtenAt());
            out.writeInt(TableCounter.COUNT);
            out.writeInt(DatabaseCounter.COUNT);
            longs(out, c.checkpointTotals());
            longs(out, c.bufferTotals());
            out.writeLong(c.bgwriterReset());
            longs(out, c.walTotals());
            out.writeLong(c.walReset());
            ArchiverStats a = c.archiver();
            out.writeLong(a.archivedCount());
            string(out, a.lastArchivedWal());
            out.writeLong(a.lastArchivedTime());
            out.writeLong(a.failedCount());
            string(out, a.lastFailedWal());
            out.writeLong(a.lastFailedTime());
            out.writeLong(a.statsReset());
            out.writeInt(c.databases().size());
            for (DatabaseStats d : c.databases()) {
                out.writeInt(d.db());
                out.writeLong(d.statsReset());
                fixed(out, d.counters(), DatabaseCounter.COUNT);
            }
            out.writeInt(c.tables().size());
            for (TableStats t : c.tables()) {
                out.writeInt(t.db());
                out.writeInt(t.rel());
                fixed(out, t.counters(), TableCounter.COUNT);
                out.writeLong(t.lastVacuum());
                out.writeLong(t.lastAutovacuum());
                out.writeLong(t.lastAnalyze());
                out.writeLong(t.lastAutoanalyze());
            }
            out.flush();
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
    }

    static Content decode(byte[] data) throws CorruptedException {
        if (data.length < 12) {
            throw new CorruptedException("file too short");
        }
        int body = data.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(data, 0, body);
        int stored = ByteBuffer.wrap(data, body, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw new CorruptedException("checksum mismatch");
        }
        ByteArrayInputStream bytes = new ByteArrayInputStream(data, 0, body);
        DataInputStream in = new DataInputStream(bytes);
        try {
            if (in.readInt() != MAGIC) {
                throw new CorruptedException("bad magic number");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new CorruptedException("unsupported version " + version);
            }
            long writtenAt = in.readLong();
            int tableCount = count(in.readInt(), MAX_COUNTERS);
            int dbCount = count(in.readInt(), MAX_COUNTERS);
            long[] checkpoint = longs(in);
            long[] buffer = longs(in);
            long bgReset = in.readLong();
            long[] wal = longs(in);
            long walReset = in.readLong();
            ArchiverStats archiver = new ArchiverStats(in.readLong(), string(in), in.readLong(), in.readLong(),
                    string(in), in.readLong(), in.readLong());
            int nDb = count(in.readInt(), body / 12);
            List<DatabaseStats> databases = new ArrayList<>(nDb);
            for (int i = 0; i < nDb; i++) {
                int db = in.readInt();
                long reset = in.readLong();
                databases.add(new DatabaseStats(db, fixed(in, dbCount, DatabaseCounter.COUNT), reset));
            }
            int nTables = count(in.readInt(), body / 8);
            List<TableStats> tables = new ArrayList<>(nTables);
            for (int i = 0; i < nTables; i++) {
                int db = in.readInt();
                int rel = in.readInt();
                long[] counters = fixed(in, tableCount, TableCounter.COUNT);
                tables.add(new TableStats(db, rel, counters, in.readLong(), in.readLong(), in.readLong(),
                        in.readLong()));
            }
            if (bytes.available() != 0) {
                throw new CorruptedException("trailing bytes");
            }
            return new Content(writtenAt, checkpoint, buffer, bgReset, wal, walReset, archiver, databases, tables);
        } catch (IOException e) {
            throw new CorruptedException("truncated: " + e);
        }
    }

    /** Writes the file durably and atomically: temp file, fsync, rename, fsync of the directory. */
    static void write(Path dataDirectory, Content c) throws IOException {
        byte[] data = encode(c);
        Path file = dataDirectory.resolve(NAME);
        Path temp = dataDirectory.resolve(TEMP_NAME);
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Not every platform can fsync a directory; the rename itself is atomic.
        }
    }

    private static int count(int n, int max) throws CorruptedException {
        if (n < 0 || n > max) {
            throw new CorruptedException("bad count " + n);
        }
        return n;
    }

    private static void longs(DataOutputStream out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    private static long[] longs(DataInputStream in) throws IOException, CorruptedException {
        int n = count(in.readInt(), MAX_COUNTERS);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readLong();
        }
        return v;
    }

    private static void fixed(DataOutputStream out, long[] values, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            out.writeLong(i < values.length ? values[i] : 0);
        }
    }

    /** Reads {@code stored} longs into an array of {@code wanted} (zeros missing, extras skipped). */
    private static long[] fixed(DataInputStream in, int stored, int wanted) throws IOException {
        long[] v = new long[wanted];
        for (int i = 0; i < stored; i++) {
            long x = in.readLong();
            if (i < wanted) {
                v[i] = x;
            }
        }
        return v;
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String string(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
