package modgres.sql.exec.spill;

/*
 * Design notes: a statement's result rows, encoded for the client (text or
 * binary per column), kept between the statement's run and their sending.
 *
 * Why: the engine runs a statement whole at the first Execute and sends its
 * rows afterwards (up to maxRows per Execute). PostgreSQL streams them from the
 * executor instead; until the engine does too, the rows are kept here, bounded:
 * within the limit (work_mem) in a list, beyond it all of them in a temporary
 * file of the statement, so a large SELECT does not fill the heap.
 *
 * Life cycle: add rows (the statement runs) -> get(0), get(1), ... in order (the
 * portal sends them; a later Execute goes on where the last stopped) -> the file
 * is deleted with the statement's temporary files at transaction end, when
 * every portal is gone (there are no holdable cursors).
 *
 * Invariants: `count` rows were added; they are all in `mem` (file == null) or
 * all in `file`. get(i) reads sequentially: asking for an earlier row starts a
 * new reader from the first.
 *
 * File format per row: varlong column count, then per column zigzag(length)
 * (-1 = NULL) and the bytes.
 */

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import java.util.function.Supplier;

/** A statement's encoded result rows, in memory within a limit, else in a temporary file; see the design notes. */
public final class ResultStore extends AbstractList<byte[][]> implements RandomAccess {
    private final long limit;
    private final Supplier<TempFileSpace> space;
    private final MemoryAccount.Charge charge;
    private final TempFileSpace.Usage disk = new TempFileSpace.Usage();
    private List<byte[][]> mem = new ArrayList<>();
    private long memUsed;
    private TempFile file;
    private int count;
    private TempFile.Reader reader;
    private int readerAt;

    /**
     * @param limit  the bytes the rows may take in memory (work_mem)
     * @param space  the statement's temporary files (null or yielding null: the rows stay in memory)
     * @param charge the rows' share of the session's memory account, may be null
     */
    public ResultStore(long limit, Supplier<TempFileSpace> space, MemoryAccount.Charge charge) {
        this.limit = limit;
        this.space = space;
        this.charge = charge;
    }

    /** The bytes a row costs in memory: the values, an array header each, the row's array and list slot. */
    public static long size(byte[][] row) {
        long n = 16 + 8L * row.length + 8;
        for (byte[] v : row) {
            if (v != null) {
                n += 16 + v.length;
            }
        }
        return n;
    }

    @Override
    public boolean add(byte[][] row) {
        count++;
        if (file != null) {
            write(row);
            return true;
        }
        mem.add(row);
        memUsed += size(row);
        if (memUsed > limit) {
            TempFileSpace s = space == null ? null : space.get();
            if (s != null) {
                file = s.create(disk);
                for (byte[][] r : mem) {
                    write(r);
                }
                mem = new ArrayList<>();
                memUsed = TempFile.BLOCK; // the file's buffer
            }
        }
        if (charge != null) {
            charge.set(memUsed);
        }
        return true;
    }

    private void write(byte[][] row) {
        file.writeVarLong(row.length);
        for (byte[] v : row) {
            if (v == null) {
                file.writeZigZag(-1);
            } else {
                file.writeZigZag(v.length);
                file.writeBytes(v, 0, v.length);
            }
        }
    }

    @Override
    public int size() {
        return count;
    }

    /** True when the rows went to a temporary file. */
    public boolean spilled() {
        return file != null;
    }

    @Override
    public byte[][] get(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException(i);
        }
        if (file == null) {
            return mem.get(i);
        }
        if (file.isDeleted()) { // PostgreSQL drops the portal at transaction end: it would not exist any more
            throw new modgres.api.error.PgException("34000",
                    "portal does not exist: its transaction ended and its spilled rows were deleted");
        }
        if (reader == null || i < readerAt) {
            reader = file.reader(0, file.length());
            readerAt = 0;
        }
        byte[][] r = null;
        while (readerAt <= i) {
            r = read();
            readerAt++;
        }
        return r;
    }

    private byte[][] read() {
        byte[][] row = new byte[(int) reader.readVarLong()][];
        for (int c = 0; c < row.length; c++) {
            int len = (int) reader.readZigZag();
            if (len >= 0) {
                row[c] = new byte[len];
                reader.readFully(row[c], 0, len);
            }
        }
        return row;
    }
}
