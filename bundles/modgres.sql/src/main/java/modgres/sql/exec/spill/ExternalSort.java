package modgres.sql.exec.spill;

/*
 * Design notes: the sort behind the Sort node (PostgreSQL's tuplesort.c,
 * without bounded/top-N sorts and parallel workers).
 *
 * Why: a sort must not hold more than work_mem of rows. While the rows fit,
 * they are sorted in memory (PostgreSQL's quicksort; here the JDK's stable
 * merge sort of the list, as the in-memory Sort always used); beyond, sorted
 * runs go to temporary files and are merged.
 *
 * State machine (tuplesort's TupSortStatus):
 *
 *   INITIAL --put, memory > work_mem--> BUILDRUNS --put--> (dump a run when
 *      |                                   |               memory > work_mem)
 *      | finish                            | finish: dump the rest, merge
 *      v                                   v       passes until <= order runs
 *   SORTEDINMEM --next--> ...           FINALMERGE --next--> (on-the-fly merge
 *                                                            of the last runs)
 *   any state --close--> CLOSED (all files deleted)
 *
 * - A run is a stretch of rows in sorted order in the sort's "tape" file (one
 *   file holds all the runs of one generation, as PostgreSQL's logical tape
 *   set is one file): the rows in memory, sorted, appended when their
 *   estimated size (RowCodec.estimate plus a list slot) exceeds work_mem;
 *   memory is then empty again. A single row larger than work_mem makes a
 *   run of one row.
 * - Merging is k-way with a binary heap over the runs' current rows; k (the
 *   merge order) follows tuplesort_merge_order: what work_mem allows with a
 *   read buffer per input, at least 6, at most 500. With more runs than that,
 *   merge passes first merge consecutive groups of runs into longer runs,
 *   written to a new tape file (the previous one is deleted after the pass:
 *   the disk peak is twice the data, where PostgreSQL recycles blocks); the
 *   last <= k runs are merged while next() returns rows (PostgreSQL's final
 *   on-the-fly merge).
 * - Stability: runs hold consecutive stretches of the input, merge passes
 *   only merge consecutive runs, and ties between runs go to the earlier run,
 *   so equal keys come out in input order, exactly as from the in-memory
 *   sort: a spilled sort returns the very rows, in the very order, of an
 *   in-memory one.
 * - Memory while merging: one read buffer (8 kB) and one current row per
 *   input run, plus one write buffer during a merge pass.
 * - EXPLAIN ANALYZE: "quicksort" with the peak memory (the estimate) for an
 *   in-memory sort; "external merge" (or "external sort" when everything went
 *   to a single run, read back without merging: TSS_SORTEDONTAPE) with the
 *   peak disk (the runs' bytes, counted in whole 8 kB blocks as PostgreSQL's
 *   tape space) for one on disk.
 * - Without temporary files (no data directory) the sort stays in memory,
 *   whatever work_mem says.
 */

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/** A sort bounded by work_mem, spilling to sorted runs; see the design notes. */
public final class ExternalSort {
    /** Bytes a row costs in the list besides the row itself (the reference). */
    static final int SLOT = 8;
    static final int MIN_ORDER = 6;
    static final int MAX_ORDER = 500;

    enum State {
        INITIAL, BUILDRUNS, SORTEDINMEM, FINALMERGE, CLOSED
    }

    /** A run: a stretch [start, end) of a tape file. */
    private record Run(TempFile file, long start, long end) {
    }

    private final Comparator<Object[]> cmp;
    private final Supplier<TempFileSpace> space;
    private final RowCodec codec;
    private final Runnable tick;
    private final int order;
    private long limit;
    private State state = State.INITIAL;
    private ArrayList<Object[]> mem = new ArrayList<>();
    private long memUsed;
    private long memPeak;
    private int pos;
    /** The file the runs of the current generation are appended to. */
    private TempFile tape;
    private final List<Run> runs = new ArrayList<>();
    /** Every file this sort made (deleted or not): close() deletes them, whatever state an error left. */
    private final List<TempFile> created = new ArrayList<>();
    private final TempFileSpace.Usage disk = new TempFileSpace.Usage();
    private Merge merge;
    private int runsWritten;
    /** The session's account of the rows held (null: not accounted). */
    private MemoryAccount.Charge charge;

    /**
     * @param cmp     the sort order
     * @param workMem the memory allowed, in bytes
     * @param space   the statement's temporary files (asked for on the first spill; null = spilling is not possible,
     *                the sort then stays in memory)
     * @param codec   writes and reads the rows
     * @param tick    called per row in merge passes (cancel checks), may be null
     */
    public ExternalSort(Comparator<Object[]> cmp, long workMem, Supplier<TempFileSpace> space, RowCodec codec,
            Runnable tick) {
        this.cmp = cmp;
        this.limit = workMem;
        this.space = space;
        this.codec = codec;
        this.tick = tick;
        this.order = mergeOrder(workMem);
    }

    /** Accounts the rows this sort holds to {@code c} (the session's memory account); returns this sort. */
    public ExternalSort account(MemoryAccount.Charge c) {
        this.charge = c;
        return this;
    }

    /** tuplesort_merge_order: inputs a merge may have with {@code workMem} (a read buffer each), 6 .. 500. */
    static int mergeOrder(long workMem) {
        long k = (workMem - TempFile.BLOCK) / (32L * TempFile.BLOCK + TempFile.BLOCK);
        return (int) Math.max(MIN_ORDER, Math.min(MAX_ORDER, k));
    }

    /** Adds a row; the sort keeps it (the caller must not change it afterwards). */
    public void put(Object[] row) {
        mem.add(row);
        memUsed += RowCodec.estimate(row) + SLOT;
        if (charge != null) {
            charge.set(memUsed);
        }
        if (memUsed > limit) {
            dumpRun();
        }
    }

    private void dumpRun() {
        if (memUsed > memPeak) {
            memPeak = memUsed;
        }
        TempFileSpace s = space == null ? null : space.get();
        if (s == null) {
            limit = Long.MAX_VALUE; // no place to spill: stay in memory
            return;
        }
        mem.sort(cmp);
        if (tape == null) {
            tape = newTape(s);
        }
        long start = tape.length();
        for (Object[] r : mem) {
            codec.write(tape, r);
        }
        runs.add(new Run(tape, start, tape.length()));
        runsWritten++;
        mem.clear();
        memUsed = 0;
        if (charge != null) {
            charge.release();
        }
        state = State.BUILDRUNS;
    }

    private TempFile newTape(TempFileSpace s) {
        TempFile f = s.create(disk);
        created.add(f);
        return f;
    }

    /** No more rows: sorts them (in memory) or merges the runs down to the final merge. */
    public void finish() {
        if (state == State.INITIAL) {
            if (memUsed > memPeak) {
                memPeak = memUsed;
            }
            mem.sort(cmp);
            pos = 0;
            state = State.SORTEDINMEM;
            return;
        }
        if (state != State.BUILDRUNS) {
            throw new IllegalStateException("sort already finished");
        }
        if (!mem.isEmpty()) {
            dumpRun();
        }
        mem = null;
        while (runs.size() > order) {
            mergePass();
        }
        merge = new Merge(runs);
        state = State.FINALMERGE;
    }

    /** Merges consecutive groups of {@code order} runs into one run each, in a new tape file. */
    private void mergePass() {
        TempFile old = tape;
        tape = newTape(space.get());
        List<Run> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i += order) {
            Merge m = new Merge(runs.subList(i, Math.min(runs.size(), i + order)));
            long start = tape.length();
            for (Object[] r = m.next(); r != null; r = m.next()) {
                if (tick != null) {
                    tick.run();
                }
                codec.write(tape, r);
            }
            out.add(new Run(tape, start, tape.length()));
            runsWritten++;
        }
        runs.clear();
        runs.addAll(out);
        old.delete();
    }

    /** The next row in order, null at the end. */
    public Object[] next() {
        switch (state) {
            case SORTEDINMEM:
                return pos < mem.size() ? mem.get(pos++) : null;
            case FINALMERGE:
                return merge.next();
            default:
                throw new IllegalStateException("sort not finished (" + state + ")");
        }
    }

    /** Deletes the runs and drops the rows; the statistics stay readable. */
    public void close() {
        for (TempFile f : created) {
            f.delete();
        }
        created.clear();
        runs.clear();
        tape = null;
        mem = null;
        merge = null;
        state = State.CLOSED;
        if (charge != null) {
            charge.release();
        }
    }

    /**
     * The sort method as EXPLAIN ANALYZE names it: "quicksort" in memory; on disk "external merge", or "external
     * sort" when everything went to one run and no merge was needed (tuplesort's TSS_SORTEDONTAPE).
     */
    public String method() {
        return runsWritten == 0 ? "quicksort" : runsWritten == 1 ? "external sort" : "external merge";
    }

    /** True when the sort went to disk. */
    public boolean external() {
        return runsWritten > 0;
    }

    /** The peak estimated memory of the rows held, in bytes. */
    public long memoryPeak() {
        return Math.max(memPeak, memUsed);
    }

    /** The disk use, for EXPLAIN ANALYZE. */
    public TempFileSpace.Usage disk() {
        return disk;
    }

    /** The runs written (merge passes included). */
    public int runsWritten() {
        return runsWritten;
    }

    /** The merge order used. */
    public int order() {
        return order;
    }

    /** A k-way merge of runs by a binary heap of run indexes; ties go to the earlier run. */
    private final class Merge {
        private final TempFile.Reader[] src;
        private final Object[][] head;
        private final int[] heap;
        private int n;

        Merge(List<Run> runs) {
            this.src = new TempFile.Reader[runs.size()];
            this.head = new Object[runs.size()][];
            this.heap = new int[runs.size()];
            for (int i = 0; i < src.length; i++) {
                Run r = runs.get(i);
                src[i] = r.file().reader(r.start(), r.end());
                head[i] = codec.read(src[i]);
                if (head[i] != null) {
                    heap[n++] = i;
                }
            }
            for (int i = n / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
        }

        private boolean less(int a, int b) {
            int c = cmp.compare(head[a], head[b]);
            return c < 0 || c == 0 && a < b;
        }

        private void siftDown(int i) {
            int x = heap[i];
            while (true) {
                int l = 2 * i + 1;
                if (l >= n) {
                    break;
                }
                int r = l + 1;
                int c = r < n && less(heap[r], heap[l]) ? r : l;
                if (!less(heap[c], x)) {
                    break;
                }
                heap[i] = heap[c];
                i = c;
            }
            heap[i] = x;
        }

        Object[] next() {
            if (n == 0) {
                return null;
            }
            int top = heap[0];
            Object[] r = head[top];
            head[top] = codec.read(src[top]);
            if (head[top] == null) {
                src[top] = null;
                heap[0] = heap[--n];
            }
            if (n > 0) {
                siftDown(0);
            }
            return r;
        }
    }
}
