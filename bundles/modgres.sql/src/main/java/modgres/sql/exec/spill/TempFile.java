package modgres.sql.exec.spill;

/*
 * Design notes: one temporary file (PostgreSQL's BufFile over fd.c's temporary
 * files).
 *
 * Why: spilled rows are written once and read back sequentially, either the
 * whole file (a hash batch or partition) or stretches of it (the runs of a
 * sort, several read at once while they are merged); an 8 kB buffer, as
 * BufFile's BLCKSZ, keeps system calls few.
 *
 * Life cycle: created empty by TempFileSpace.create -> written (writeByte,
 * writeVarLong, ...) -> read: startReading (the whole file, sequentially;
 * writing is over and the write buffer is released) or reader(start, end)
 * (positional reads with a buffer per reader; writing may go on after the
 * stretch) -> delete (idempotent; also by TempFileSpace.closeAll).
 *
 * Invariants: bytes reach the file only through flush, which first reserves
 * them with the space (temp_file_limit) and counts them into the operation's
 * Usage; `size` is what the file holds, `pos` what is buffered; a deleted file
 * is never written or read again (IllegalStateException: a bug, not a user
 * error).
 */

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One temporary file (PostgreSQL's BufFile): written sequentially through an
 * 8 kB buffer, then read: from the start after {@link #startReading}, or by
 * stretches ({@link #reader(long, long)}, the runs of a sort); deleted by
 * {@link #delete} (idempotent). Every write is accounted to the owning
 * {@link TempFileSpace} before it happens (temp_file_limit).
 */
public final class TempFile {
    /** The buffer size, PostgreSQL's BLCKSZ (a BufFile buffers one block). */
    public static final int BLOCK = 8192;

    private final TempFileSpace space;
    private final Path path;
    private final String relativePath;
    private final TempFileSpace.Usage usage;
    private FileChannel ch;
    private byte[] buf;
    private ByteBuffer bb;
    /** Bytes buffered for writing. */
    private int pos;
    private Reader sequential;
    private long size;
    private long rows;
    private boolean reading;
    private boolean deleted;

    TempFile(TempFileSpace space, Path path, String relativePath, TempFileSpace.Usage usage) {
        this.space = space;
        this.path = path;
        this.relativePath = relativePath;
        this.usage = usage;
        if (usage != null) {
            usage.files++;
        }
    }

    /** The path relative to the data directory ("base/pgsql_tmp/pgsql_tmp1234.0"). */
    public String relativePath() {
        return relativePath;
    }

    public Path path() {
        return path;
    }

    /** Bytes written to the file so far (buffered bytes not included). */
    public long size() {
        return size;
    }

    /** Rows written (counted by {@link RowCodec#write}). */
    public long rows() {
        return rows;
    }

    void countRow() {
        rows++;
    }

    public boolean isDeleted() {
        return deleted;
    }

    private void ensureOpen() throws IOException {
        if (deleted) {
            throw new IllegalStateException("temporary file " + relativePath + " was deleted");
        }
        if (ch == null) {
            ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            buf = new byte[BLOCK];
            bb = ByteBuffer.wrap(buf);
        }
    }

    // ------------------------------------------------------------------ writing

    private void room(int n) {
        if (buf == null || reading) {
            try {
                ensureOpen();
            } catch (IOException e) {
                throw TempFileSpace.ioError("could not open temporary file", path, e);
            }
            if (reading) {
                throw new IllegalStateException("temporary file " + relativePath + " is being read");
            }
        }
        if (pos + n > BLOCK) {
            flush();
        }
    }

    private void flush() {
        if (pos == 0) {
            return;
        }
        space.reserve(pos);
        if (usage != null) {
            usage.add(pos);
        }
        try {
            bb.clear().limit(pos);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        } catch (IOException e) {
            throw TempFileSpace.ioError("could not write to file", path, e);
        }
        size += pos;
        pos = 0;
    }

    public void writeByte(int b) {
        room(1);
        buf[pos++] = (byte) b;
    }

    /** An unsigned LEB128 varint. */
    public void writeVarLong(long v) {
        room(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    /** A signed value as a zigzag varint (small magnitudes are short). */
    public void writeZigZag(long v) {
        writeVarLong((v << 1) ^ (v >> 63));
    }

    public void writeLong(long v) {
        room(8);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) (v >>> (8 * i));
        }
    }

    public void writeBytes(byte[] b, int off, int len) {
        while (len > 0) {
            room(1);
            int n = Math.min(len, BLOCK - pos);
            System.arraycopy(b, off, buf, pos, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** The bytes written so far, buffered ones included: where the next write goes. */
    public long length() {
        return size + (reading ? 0 : pos);
    }

    /** Ends writing: flushes the buffer; the file is then read from its start by {@link #reader()}. */
    public void startReading() {
        if (deleted) {
            throw new IllegalStateException("temporary file " + relativePath + " was deleted");
        }
        if (!reading) {
            flushWrites();
            reading = true;
            buf = null; // the write buffer is not needed any more; readers have their own
            bb = null;
        }
        sequential = new Reader(0, size);
    }

    /** Writes the buffered bytes out (writing may go on). */
    void flushWrites() {
        if (ch != null && !reading) {
            flush();
        }
    }

    /** The reader {@link #startReading} made (whole-file sequential reading). */
    public Reader reader() {
        if (sequential == null) {
            throw new IllegalStateException("temporary file " + relativePath + " is being written");
        }
        return sequential;
    }

    /** A reader of the bytes [start, end) (already written; buffered bytes are written out first). */
    public Reader reader(long start, long end) {
        if (deleted) {
            throw new IllegalStateException("temporary file " + relativePath + " was deleted");
        }
        flushWrites();
        return new Reader(start, Math.min(end, size));
    }

    // ------------------------------------------------------------------ reading

    /**
     * A sequential reader of a stretch of the file with a buffer of its own (positional reads): several may read
     * one file at once, as the runs of one sort are merged.
     */
    public final class Reader {
        private final byte[] rbuf = new byte[BLOCK];
        private final ByteBuffer rbb = ByteBuffer.wrap(rbuf);
        private long next;
        private long end;
        private int rpos;
        private int rlim;

        Reader(long start, long end) {
            this.next = start;
            this.end = end;
        }

        private boolean fill() {
            if (ch == null || next >= end) {
                return false;
            }
            try {
                rbb.clear().limit((int) Math.min(BLOCK, end - next));
                int n = ch.read(rbb, next);
                if (n <= 0) {
                    return false;
                }
                next += n;
                rlim = n;
                rpos = 0;
                return true;
            } catch (IOException e) {
                throw TempFileSpace.ioError("could not read from file", path, e);
            }
        }

        /**
         * Lets the reader go on to what was written after it was made: its stretch then ends at the bytes written
         * so far (buffered ones are written out first).
         */
        public void extendToWritten() {
            flushWrites();
            end = Math.max(end, size);
        }

        /** The end of the stretch this reader may read. */
        public long end() {
            return end;
        }

        /** True when the stretch has been read. */
        public boolean atEnd() {
            return rpos >= rlim && !fill();
        }

        public int readByte() {
            if (rpos >= rlim && !fill()) {
                throw new IllegalStateException("unexpected end of temporary file " + relativePath);
            }
            return rbuf[rpos++] & 0xFF;
        }

        public long readVarLong() {
            long v = 0;
            for (int shift = 0;; shift += 7) {
                int b = readByte();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
        }

        public long readZigZag() {
            long v = readVarLong();
            return (v >>> 1) ^ -(v & 1);
        }

        public long readLong() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (long) readByte() << (8 * i);
            }
            return v;
        }

        public void readFully(byte[] b, int off, int len) {
            while (len > 0) {
                if (rpos >= rlim && !fill()) {
                    throw new IllegalStateException("unexpected end of temporary file " + relativePath);
                }
                int n = Math.min(len, rlim - rpos);
                System.arraycopy(rbuf, rpos, b, off, n);
                rpos += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public String toString() {
            return relativePath;
        }
    }

    // ------------------------------------------------------------------ end

    /** Closes and removes the file, reporting it to its space; never throws, does nothing the second time. */
    public void delete() {
        if (deleted) {
            return;
        }
        deleted = true;
        long total = size;
        if (usage != null) {
            usage.live -= total;
        }
        try {
            if (ch != null) {
                ch.close();
            }
        } catch (IOException e) {
            // the file goes anyway
        }
        ch = null;
        buf = null;
        bb = null;
        sequential = null;
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // left for removePgTempFiles at the next start
        }
        space.released(this, total);
    }

    @Override
    public String toString() {
        return relativePath;
    }
}
