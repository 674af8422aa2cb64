package modgres.sql.exec.spill;

/*
 * Design notes: rows kept for reading again from the start (PostgreSQL's
 * tuplestore as a Material node or a CTE uses it), bounded by work_mem.
 *
 * Life cycle: add rows -> read them (iterator(), any number of times, each
 * from the first row) -> close (the file, if any, deleted).
 *
 * While the rows' estimated size (RowCodec.estimate plus a list slot) is
 * within work_mem they are in a list; the row that takes it beyond moves all
 * of them to a temporary file, and later rows are appended to it; an
 * iterator over the file reads it sequentially with a buffer of its own
 * (positional reads), so several may be open. Without temporary files (no
 * data directory) the rows stay in memory.
 *
 * Invariant: `count` rows were added; they are all in `mem` (file == null)
 * or all in `file`.
 */

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Rows kept for re-reading, in memory within work_mem, else in a temporary file; see the design notes. */
public final class RowStore {
    private final long limit;
    private final Supplier<TempFileSpace> space;
    private final RowCodec codec;
    private final TempFileSpace.Usage disk = new TempFileSpace.Usage();
    private List<Object[]> mem = new ArrayList<>();
    private long memUsed;
    private TempFile file;
    private long count;
    /** The session's account of the rows held in memory (null: not accounted). */
    private MemoryAccount.Charge charge;

    /**
     * @param workMem the memory the rows may take, bytes
     * @param space   the statement's temporary files (null or yielding null: the rows stay in memory)
     * @param codec   writes and reads the rows
     */
    public RowStore(long workMem, Supplier<TempFileSpace> space, RowCodec codec) {
        this.limit = workMem;
        this.space = space;
        this.codec = codec;
    }

    /** Accounts the rows this store holds in memory to {@code c}; returns this store. */
    public RowStore account(MemoryAccount.Charge c) {
        this.charge = c;
        return this;
    }

    /** Adds a row (kept as it is while in memory: the caller must not change it afterwards). */
    public void add(Object[] row) {
        count++;
        if (file != null) {
            codec.write(file, row);
            return;
        }
        mem.add(row);
        memUsed += RowCodec.estimate(row) + ExternalSort.SLOT;
        if (charge != null) {
            charge.set(memUsed);
        }
        if (memUsed > limit) {
            TempFileSpace s = space == null ? null : space.get();
            if (s == null) {
                return; // nowhere to spill: stay in memory
            }
            file = s.create(disk);
            for (Object[] r : mem) {
                codec.write(file, r);
            }
            mem = new ArrayList<>();
            memUsed = 0;
            if (charge != null) {
                charge.set(TempFile.BLOCK); // the file's write buffer
            }
        }
    }

    /** The rows added. */
    public long size() {
        return count;
    }

    /** True when the rows went to a temporary file. */
    public boolean spilled() {
        return file != null;
    }

    /** The disk use, for EXPLAIN ANALYZE. */
    public TempFileSpace.Usage disk() {
        return disk;
    }

    /** A reader of the rows from the first: next() gives each, then null. */
    public Reader reader() {
        return new Reader();
    }

    /** One pass over the rows. */
    public final class Reader {
        private final TempFile.Reader in = file == null ? null : file.reader(0, file.length());
        private final long end = count;
        private long at;

        public Object[] next() {
            if (at >= end) {
                return null;
            }
            Object[] r = in != null ? codec.read(in) : mem.get((int) at);
            at++;
            return r;
        }
    }

    /**
     * A reader that adds may overtake (rows read while the store is still being filled, as a CTE's references
     * read its rows at their own pace): next() gives the following row once it was added, null while there is
     * none yet; a later add makes the next call give it. It carries on across a spill to the file.
     */
    public Cursor cursor() {
        return new Cursor();
    }

    /** See {@link #cursor()}. */
    public final class Cursor {
        private long at;
        private TempFile.Reader in;
        private TempFile inFile;

        /** The next row, or null when every row added so far was read. */
        public Object[] next() {
            if (at >= count) {
                return null;
            }
            if (file == null) {
                return mem.get((int) at++);
            }
            if (in == null || inFile != file) {
                inFile = file;
                in = file.reader(0, file.length());
                for (long i = 0; i < at; i++) { // the rows this cursor read from memory before the spill
                    codec.read(in);
                }
            }
            if (in.end() < file.length()) {
                in.extendToWritten();
            }
            at++;
            return codec.read(in);
        }
    }

    /** Deletes the file and drops the rows. */
    public void close() {
        if (file != null) {
            file.delete();
            file = null;
        }
        mem = new ArrayList<>();
        memUsed = 0;
        count = 0;
        if (charge != null) {
            charge.release();
        }
    }
}
