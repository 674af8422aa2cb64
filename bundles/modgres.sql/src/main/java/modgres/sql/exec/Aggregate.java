package modgres.sql.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import modgres.sql.exec.spill.HashPartitions;
import modgres.sql.exec.spill.RowCodec;
import modgres.sql.exec.spill.TempFile;
import modgres.sql.exec.spill.TempFileSpace;

/*
 * Design notes: hash aggregation within hash_mem (PostgreSQL 13+'s spilling HashAgg, nodeAgg.c).
 *
 * Why: the groups' table may hold work_mem * hash_mem_multiplier; with more groups the input rows of the groups
 * that do not fit go to temporary files and are aggregated later, batch by batch.
 *
 * - The transition states (Aggregate.State) are opaque and not serialisable, so it is input rows that spill,
 *   not states, as PostgreSQL does: once the table is full (the estimated size of the groups, RowCodec.estimate
 *   of the key values plus fixed bookkeeping per group and state, plus the DISTINCT values seen, exceeds
 *   hash_mem; hash_agg_check_limits), no new group is made in memory: rows of groups already in the table keep
 *   advancing them, rows of other groups are written, by a hash of their key, to one of n partitions
 *   (HashPartitions.choose: hash_choose_num_partitions).
 * - When the input ends, the table's groups are returned; then each non-empty partition is a batch: its rows
 *   are read back and aggregated with an empty table the same way, spilling again into partitions of the next
 *   level if needed (a work list, not recursion). Each level handles at least one group of every batch in
 *   memory, so this ends even if keys collide.
 * - Output is streamed group by group from the current table; HAVING is applied then.
 * - Not spilled: one table, the in-memory path the node always had (no per-row cost but the size estimate of
 *   a new group).
 * - Memory growth of a state itself (string_agg, array_agg) is not known here and not counted: a state counts
 *   a fixed size; DISTINCT values are counted.
 * - EXPLAIN ANALYZE: "Batches: n  Memory Usage: NkB" (batches = 1 + partitions that had rows, at all levels),
 *   "  Disk Usage: NkB" when spilled (peak bytes of the files, whole 8 kB blocks); the planner's partitions
 *   ("Planned Partitions") are not shown: the planner does not plan them.
 */
/**
 * Aggregate / HashAggregate: groups the input by its group keys (in a hash
 * table; one group when there are no keys, which yields one row even for no
 * input, as SQL requires) and computes each aggregate per group. Output row:
 * the group key values, then the aggregate results. See the design notes for
 * hash_mem and spilling.
 */
public final class Aggregate extends Plan {

    /** The running state of one aggregate in one group. */
    public interface State {
        void add(Object value);

        Object result();
    }

    /**
     * One aggregate call: how to make its state, its argument (null for
     * {@code count(*)}), DISTINCT, FILTER, and the type for DISTINCT equality.
     */
    /**
     * One aggregate call. {@code order}: the call's own ORDER BY (string_agg(x, ',' ORDER BY x)), null when
     * none; its inputs are then collected per group with their input rows and fed to the state sorted, when
     * the group's result is taken.
     */
    public record Spec(Supplier<State> factory, Ev arg, boolean distinct, int argType, Ev filter,
            Nodes.SortKey[] order) {
        public Spec(Supplier<State> factory, Ev arg, boolean distinct, int argType, Ev filter) {
            this(factory, arg, distinct, argType, filter, null);
        }
    }

    final Plan child;
    final Ev[] groupKeys;
    final int[] groupTypes;
    final Spec[] aggs;
    public Ev having;
    public String havingText;
    public String groupText;

    public Aggregate(Plan child, List<OutCol> cols, Ev[] groupKeys, int[] groupTypes, Spec[] aggs, double groups) {
        super(cols);
        this.child = child;
        this.groupKeys = groupKeys;
        this.groupTypes = groupTypes;
        this.aggs = aggs;
        this.childTypes = Nodes.types(child.columns);
        estimate(child.totalCost + child.rows * 0.01 * Math.max(1, aggs.length),
                child.totalCost + child.rows * 0.01 * Math.max(1, aggs.length) + groups * 0.01,
                groupKeys.length == 0 ? 1 : groups);
    }

    private static final class Group {
        final Object[] keys;
        final State[] states;
        final Set<Object>[] seen;
        /** Per aggregate with its own ORDER BY: {value, input row} in arrival order, sorted at the end. */
        final List<Object[]>[] ordered;

        @SuppressWarnings("unchecked")
        Group(Object[] keys, Spec[] aggs) {
            this.keys = keys;
            this.states = new State[aggs.length];
            this.seen = new Set[aggs.length];
            this.ordered = new List[aggs.length];
            for (int i = 0; i < aggs.length; i++) {
                states[i] = aggs[i].factory().get();
                if (aggs[i].distinct()) {
                    seen[i] = new HashSet<>();
                }
                if (aggs[i].order() != null) {
                    ordered[i] = new ArrayList<>();
                }
            }
        }
    }

    /** An ordered aggregate's collected inputs, sorted by its ORDER BY and fed to its state (DISTINCT kept). */
    private void feedOrdered(Group g, int i, ExecState ex) {
        List<Object[]> in = g.ordered[i];
        if (in == null || in.isEmpty()) {
            return;
        }
        Comparator<Object[]> byRow = Nodes.comparator(aggs[i].order(), ex);
        in.sort((a, b) -> byRow.compare((Object[]) a[1], (Object[]) b[1]));
        Spec s = aggs[i];
        for (Object[] e : in) {
            Object v = e[0];
            if (s.distinct() && (v == null || !g.seen[i].add(ex.types.hashKey(s.argType(), v)))) {
                continue;
            }
            g.states[i].add(v);
        }
        in.clear();
    }

    /** Bytes a group costs besides its key values: map entry, key list and array, group, states. */
    private static final int GROUP_OVERHEAD = 160;
    private static final int STATE_OVERHEAD = 48;

    /** A partition of spilled input rows, aggregated after the current table. */
    private record Batch(TempFile file, int level) {
    }

    private final int[] childTypes;
    // run-time state
    private Map<List<Object>, Group> groups;
    private Iterator<Group> groupIt;
    private long hashMem;
    private long memUsed;
    /** The table's share of the session's memory account (memUsed). */
    private modgres.sql.exec.spill.MemoryAccount.Charge charge;
    private HashPartitions spill;
    private final ArrayDeque<Batch> batches = new ArrayDeque<>();
    private Batch reading;
    private RowCodec codec;
    private final TempFileSpace.Usage disk = new TempFileSpace.Usage();
    // EXPLAIN ANALYZE (largest over executions)
    private boolean ran;
    private int batchesUsed;
    private int maxBatchesUsed;
    private long memPeak;

    @Override
    protected void doOpen(ExecState ex) {
        release();
        hashMem = groupKeys.length == 0 || ex.dataDirectory == null ? Long.MAX_VALUE : ex.hashMem();
        batchesUsed = 1;
        groups = new LinkedHashMap<>();
        memUsed = 0;
        charge = ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.HASH_AGG);
        child.open(ex);
        for (Object[] r = child.next(ex); r != null; r = child.next(ex)) {
            ex.tick();
            advance(r, 0, ex);
        }
        if (groups.isEmpty() && groupKeys.length == 0) {
            groups.put(List.of(), new Group(new Object[0], aggs));
        }
        endOfInput();
        ran = true;
    }

    /** Adds an input row: to its group, to a new group, or (table full) to a partition. */
    private void advance(Object[] r, int level, ExecState ex) {
        Object[] kv = new Object[groupKeys.length];
        Object[] hk = new Object[groupKeys.length];
        for (int i = 0; i < kv.length; i++) {
            kv[i] = groupKeys[i].eval(r, ex);
            hk[i] = kv[i] == null ? null : ex.types.hashKey(groupTypes[i], kv[i]);
        }
        List<Object> key = Arrays.asList(hk);
        Group g = groups.get(key);
        if (g == null) {
            if (spill != null) {
                spill.write(spill.partitionOf(key.hashCode()), r);
                return;
            }
            g = new Group(kv, aggs);
            groups.put(key, g);
            memUsed += RowCodec.estimate(kv) + GROUP_OVERHEAD + STATE_OVERHEAD * aggs.length;
            charge.set(memUsed);
            if (memUsed > hashMem) {
                enterSpillMode(level, ex);
            }
        }
        for (int i = 0; i < aggs.length; i++) {
            Spec s = aggs[i];
            if (s.filter() != null && !Boolean.TRUE.equals(s.filter().eval(r, ex))) {
                continue;
            }
            Object v = s.arg() == null ? Boolean.TRUE : s.arg().eval(r, ex);
            if (s.order() != null) {
                g.ordered[i].add(new Object[] {v, r.clone()});
                memUsed += RowCodec.estimate(r) + 48;
                charge.set(memUsed);
                continue;
            }
            if (s.distinct()) {
                if (v == null || !g.seen[i].add(ex.types.hashKey(s.argType(), v))) {
                    continue;
                }
                memUsed += RowCodec.valueSize(v) + 48;
                charge.set(memUsed);
            }
            g.states[i].add(v);
        }
    }

    /** hash_agg_enter_spill_mode: no new groups in memory from now on; their rows go to partitions. */
    private void enterSpillMode(int level, ExecState ex) {
        if (codec == null) {
            codec = Nodes.codec(childTypes, ex);
        }
        double entry = (double) memUsed / Math.max(1, groups.size());
        double expected = reading == null ? rows : reading.file().rows();
        spill = new HashPartitions(ex.tempFiles(), disk, codec, HashPartitions.choose(expected, entry, hashMem),
                level + 1);
    }

    /** The input (or the batch) is consumed: partitions become batches; the table's groups are returned next. */
    private void endOfInput() {
        if (memUsed > memPeak) {
            memPeak = memUsed;
        }
        if (spill != null) {
            for (int p = 0; p < spill.count(); p++) {
                TempFile f = spill.take(p);
                if (f != null) {
                    batches.add(new Batch(f, spill.level()));
                    batchesUsed++;
                }
            }
            spill = null;
        }
        maxBatchesUsed = Math.max(maxBatchesUsed, batchesUsed);
        groupIt = groups.values().iterator();
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        while (true) {
            while (groupIt.hasNext()) {
                Group g = groupIt.next();
                Object[] row = new Object[groupKeys.length + aggs.length];
                System.arraycopy(g.keys, 0, row, 0, g.keys.length);
                for (int i = 0; i < aggs.length; i++) {
                    feedOrdered(g, i, ex);
                    row[groupKeys.length + i] = g.states[i].result();
                }
                if (having == null || Boolean.TRUE.equals(having.eval(row, ex))) {
                    return row;
                }
            }
            if (reading != null) {
                reading.file().delete();
                reading = null;
            }
            Batch b = batches.poll();
            if (b == null) {
                return null;
            }
            // the next batch: a table of its own
            reading = b;
            groups = new LinkedHashMap<>();
            memUsed = 0;
            charge.set(0);
            for (Object[] r = codec.read(b.file()); r != null; r = codec.read(b.file())) {
                ex.tick();
                advance(r, b.level(), ex);
            }
            b.file().delete();
            endOfInput();
        }
    }

    private void release() {
        if (spill != null) {
            spill.delete();
            spill = null;
        }
        if (reading != null) {
            reading.file().delete();
            reading = null;
        }
        for (Batch b : batches) {
            b.file().delete();
        }
        batches.clear();
        groups = null;
        groupIt = null;
        if (charge != null) {
            charge.release();
        }
    }

    @Override
    public void close() {
        try {
            release();
        } finally {
            super.close();
        }
    }

    @Override
    public String label() {
        return groupKeys.length == 0 ? "Aggregate" : "HashAggregate";
    }

    @Override
    public List<Plan> children() {
        return List.of(child);
    }

    @Override
    public List<String> details(boolean analyze) {
        List<String> d = new ArrayList<>();
        if (groupText != null) {
            d.add("Group Key: " + groupText);
        }
        if (havingText != null) {
            d.add("Filter: " + havingText);
        }
        if (analyze && ran && groupKeys.length > 0) {
            // show_hashagg_info; memory is the groups' estimated size (see the design notes)
            String line = "Batches: " + maxBatchesUsed + "  Memory Usage: " + Math.max(1, (memPeak + 1023) / 1024)
                    + "kB";
            if (maxBatchesUsed > 1) {
                line += "  Disk Usage: " + disk.peakKb() + "kB";
            }
            d.add(line);
        }
        return d;
    }
}
