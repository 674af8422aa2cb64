package modgres.sql.exec;

/*
 * Design notes: the inner side of a merge join as PostgreSQL's tuplestore with
 * one read pointer and a mark (tuplestore_trim after ExecMarkPos), bounded by
 * work_mem.
 *
 * Why: a merge join re-reads the inner rows of a key for every outer row with
 * that key (mark at the group's first row, restore when the next outer row
 * has the same key). Only the rows from the mark on need keeping: marking
 * again drops everything before, so the store holds one group of equal keys
 * (plus the row that ended it), however long the input is. A group larger
 * than work_mem goes to a temporary file, so memory stays bounded even for a
 * key with millions of duplicates.
 *
 * State (rows are numbered from the mark, the marked row is row 0):
 *
 *   UNMARKED --mark()--> MARKED(kept = [marked row], read = 1)
 *      ^                    | next(): read < kept ? kept[read++]
 *      |                    |         : row from the source, appended, read++
 *      |                    | restore(): read = 1 (the marked row itself is
 *      |                    |            the caller's saved copy)
 *      +---- unmark() ------+ mark() again: a new MARKED with the last row
 *
 *   While UNMARKED rows pass straight from the source: nothing is kept.
 *
 * Spilling: kept rows are in a list while their estimated size
 * (RowCodec.estimate) is within work_mem; beyond, the whole list goes to a
 * temporary file and later rows are appended to it; reading after a restore
 * is a sequential reader over the file (positional reads, so appending may go
 * on while it reads). unmark()/mark() delete the file.
 *
 * Invariant: read <= kept count; rows returned are copies the store keeps or
 * rows read back from the file, never changed by the store afterwards.
 */

import java.util.ArrayList;
import java.util.List;

import modgres.sql.exec.spill.RowCodec;
import modgres.sql.exec.spill.TempFile;
import modgres.sql.exec.spill.TempFileSpace;

/** Rows of a source kept from a mark on, for restoring; bounded by work_mem (see the design notes). */
final class MarkStore {
    private final Plan source;
    private final int[] types;
    private final TempFileSpace.Usage disk;
    private boolean marked;
    private List<Object[]> kept = new ArrayList<>();
    private long keptBytes;
    private TempFile file;
    private TempFile.Reader reader;
    private RowCodec codec;
    private long count;
    private long read;
    private Object[] last;
    private long memPeak;

    /**
     * @param source the node whose rows are stored (already opened by the caller)
     * @param disk   counts the temporary file's bytes (EXPLAIN), may be null
     */
    MarkStore(Plan source, TempFileSpace.Usage disk) {
        this.source = source;
        this.types = Nodes.types(source.columns);
        this.disk = disk;
    }

    /** The next row: a kept one after a restore, else the source's next (kept while marked); null at the end. */
    Object[] next(ExecState ex) {
        if (marked && read < count) {
            Object[] r = file != null ? codec.read(reader) : kept.get((int) read);
            read++;
            last = r;
            return r;
        }
        Object[] r = source.next(ex);
        if (r == null) {
            last = null;
            return null;
        }
        r = r.clone();
        if (marked) {
            append(r, ex);
            read++;
        }
        last = r;
        return r;
    }

    /** The kept rows' share of the session's memory account (keptBytes), made at the first append. */
    private modgres.sql.exec.spill.MemoryAccount.Charge charge;

    private void append(Object[] r, ExecState ex) {
        if (charge == null) {
            charge = ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.EXECUTOR);
        }
        count++;
        if (file != null) {
            codec.write(file, r);
            return;
        }
        kept.add(r);
        keptBytes += RowCodec.estimate(r) + 8;
        memPeak = Math.max(memPeak, keptBytes);
        charge.set(keptBytes);
        if (keptBytes > ex.workMem && ex.tempFiles() != null) {
            codec = Nodes.codec(types, ex);
            file = ex.tempFiles().create(disk);
            for (Object[] k : kept) {
                codec.write(file, k);
            }
            kept = new ArrayList<>();
            keptBytes = 0;
            charge.set(0);
        }
    }

    /** Marks the row last returned: the rows before it are dropped; restore() comes back to the row after it. */
    void mark(ExecState ex) {
        dropKept();
        marked = true;
        if (last != null) {
            append(last, ex);
        }
        read = count;
    }

    /** Returns to the row after the marked one (the marked row itself is the caller's). */
    void restore() {
        if (!marked) {
            throw new IllegalStateException("restore without mark");
        }
        read = Math.min(1, count);
        if (file != null) {
            reader = file.reader(0, file.length());
            if (read == 1) {
                codec.read(reader); // skip the marked row
            }
        }
    }

    /** Forgets the mark: nothing is kept until the next mark. */
    void unmark() {
        dropKept();
        marked = false;
    }

    private void dropKept() {
        kept = new ArrayList<>();
        keptBytes = 0;
        if (charge != null) {
            charge.release();
        }
        count = 0;
        read = 0;
        reader = null;
        if (file != null) {
            file.delete();
            file = null;
        }
    }

    /** The peak memory of kept rows (estimate), bytes. */
    long memoryPeak() {
        return memPeak;
    }

    void close() {
        unmark();
        last = null;
    }
}
