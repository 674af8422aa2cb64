package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.api.access.HeapScan;
import modgres.api.access.HeapTuple;
import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.stats.TableCounter;
import modgres.sql.catalog.Relation;

/** Leaf nodes: sequential and index scans of a table, VALUES, and a single computed row. */
public final class Scans {
    private Scans() {
    }

    /** The system columns a table scan appends after the attributes. */
    public static final String[] SYSTEM_COLUMNS = {"ctid", "xmin", "xmax", "tableoid"};
    public static final int[] SYSTEM_TYPES = {27, 28, 28, 26};

    /** The output columns of a scan of {@code rel}: every attribute (dropped ones hidden), then the system columns. */
    public static List<OutCol> tableColumns(Relation rel, String alias) {
        List<OutCol> cols = new ArrayList<>();
        for (Relation.Column c : rel.columns()) {
            cols.add(new OutCol(c.dropped() ? "........pg.dropped." + c.attnum() + "........" : c.name(), c.type(),
                    c.typmod(), rel.oid(), c.attnum(), c.dropped(), alias));
        }
        for (int i = 0; i < SYSTEM_COLUMNS.length; i++) {
            cols.add(new OutCol(SYSTEM_COLUMNS[i], SYSTEM_TYPES[i], -1, rel.oid(), -1 - i, true, alias));
        }
        return cols;
    }

    static int[] types(Relation rel) {
        return rel.columns().stream().mapToInt(Relation.Column::type).toArray();
    }

    static Object[] toRow(ExecState ex, Relation rel, int[] types, HeapTuple t) {
        Object[] vals = rel.toast() == null ? ex.types.deform(types, t.data())
                : ex.types.deform(types, t.data(), Toasting.detoaster(ex, rel));
        Object[] row = new Object[types.length + SYSTEM_COLUMNS.length];
        System.arraycopy(vals, 0, row, 0, Math.min(vals.length, types.length));
        row[types.length] = t.tid();
        row[types.length + 1] = Integer.toUnsignedLong(t.xmin());
        row[types.length + 2] = Integer.toUnsignedLong(t.xmax());
        row[types.length + 3] = Integer.toUnsignedLong(rel.oid());
        return row;
    }

    /**
     * A scan row with only the positions {@code need} marks filled (null: as {@link #toRow}): the attributes
     * deformed selectively (skipped ones never detoasted), xmin/xmax only when needed; ctid and tableoid
     * always (they cost nothing, and a reader such as ModifyTable must find them). See ColumnUsage.
     */
    static Object[] toRow(ExecState ex, Relation rel, int[] types, HeapTuple t, boolean[] need) {
        if (need == null) {
            return toRow(ex, rel, types, t);
        }
        Object[] row = new Object[types.length + SYSTEM_COLUMNS.length];
        ex.types.deformInto(types, t.data(), rel.toast() == null ? null : Toasting.detoaster(ex, rel), need, row);
        fillSystem(rel, types.length, t, need, row);
        return row;
    }

    /** The system columns of a pruned scan row: ctid and tableoid always, xmin/xmax when needed. */
    private static void fillSystem(Relation rel, int n, HeapTuple t, boolean[] need, Object[] row) {
        row[n] = t.tid();
        if (need[n + 1]) {
            row[n + 1] = Integer.toUnsignedLong(t.xmin());
        }
        if (need[n + 2]) {
            row[n + 2] = Integer.toUnsignedLong(t.xmax());
        }
        row[n + 3] = Integer.toUnsignedLong(rel.oid());
    }

    /**
     * Filter stages of a pruned Seq Scan (PostgreSQL deforms lazily, up to the attribute an expression
     * needs): conjunct k of the filter is evaluated after deforming only the columns it reads that earlier
     * stages did not; the columns only the output needs are deformed for rows that pass. A row failing the
     * first conjunct never builds the values of the others. Same result as the filter in one piece: that
     * is the AND of the conjuncts in this order, stopping at the first one not true.
     */
    static final class FilterStages {
        /** The filter these stages stand for: they apply only while the scan's filter is still it. */
        final Ev filter;
        final Ev[] quals;
        /** Per conjunct, the positions it reads; null: not known (it gets every column left). */
        final java.util.BitSet[] reads;

        FilterStages(Ev filter, List<Ev> quals, List<java.util.BitSet> reads) {
            this.filter = filter;
            this.quals = quals.toArray(Ev[]::new);
            this.reads = reads.toArray(java.util.BitSet[]::new);
        }

        /** Per stage then the final one, the attribute masks for a scan needing {@code need}; null: no gain. */
        boolean[][] masks(boolean[] need, int natts) {
            boolean[][] m = new boolean[quals.length + 1][];
            boolean[] done = new boolean[need.length];
            for (int k = 0; k <= quals.length; k++) {
                m[k] = new boolean[need.length];
                for (int i = 0; i < natts; i++) {
                    if (need[i] && !done[i] && (k == quals.length || reads[k] == null || reads[k].get(i))) {
                        m[k][i] = true;
                        done[i] = true;
                    }
                }
            }
            boolean later = false;
            for (int k = 1; k <= quals.length; k++) {
                for (int i = 0; i < natts && !later; i++) {
                    later = m[k][i];
                }
            }
            return later ? m : null;
        }

        /** Deforms stage by stage into {@code row}; false as soon as a conjunct is not true. */
        static boolean run(ExecState ex, Relation rel, int[] types, HeapTuple t, boolean[][] masks, Ev[] quals,
                Object[] row) {
            modgres.sql.toast.Varlena.Detoaster dt = rel.toast() == null ? null : Toasting.detoaster(ex, rel);
            for (int k = 0; k < masks.length; k++) {
                ex.types.deformInto(types, t.data(), dt, masks[k], row);
                if (k < quals.length && !Boolean.TRUE.equals(quals[k].eval(row, ex))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A scan's mask as it opens: what its FROM item's readers need, null for everything. */
    static boolean[] needAtOpen(ColumnUsage.ScanColumns needs, int width) {
        boolean[] m = needs == null ? null : needs.mask();
        return m != null && m.length == width ? m : null;
    }

    /**
     * The index key of a scan bound's values (the first {@code evs.length} key
     * columns), or null when a value is NULL: a comparison with NULL matches nothing.
     */
    static byte[] boundKey(Ev[] evs, int[] keyTypes, ExecState ex) {
        Object[] v = new Object[evs.length];
        for (int i = 0; i < evs.length; i++) {
            v[i] = evs[i].eval(null, ex);
            if (v[i] == null) {
                return null;
            }
        }
        return ex.types.indexKey(java.util.Arrays.copyOf(keyTypes, evs.length), v);
    }

    static boolean pass(Ev filter, Object[] row, ExecState ex) {
        return filter == null || Boolean.TRUE.equals(filter.eval(row, ex));
    }

    /** Seq Scan: every visible tuple, in block order. */
    public static final class SeqScan extends Plan {
        public final Relation rel;
        final String alias;
        public Ev filter;
        public String filterText;
        final int[] types;
        /** The columns the statement reads of this FROM item (ColumnUsage), null: all. */
        public ColumnUsage.ScanColumns needs;
        private boolean[] need;
        /** The filter's conjuncts with the columns each reads, for deforming in stages (null: in one pass). */
        FilterStages stages;
        private boolean[][] stageMasks;
        private boolean[] stagedNeed;
        private HeapScan scan;
        long removed;
        private long[] counts;

        /**
         * Per entry of {@code columns}: whether this scan fills it for a reader (EXPLAIN VERBOSE's Output);
         * null when it produces every column.
         */
        public boolean[] outputMask() {
            return needs == null ? null : needs.mask();
        }

        public SeqScan(Relation rel, String alias, double tuples, double pages) {
            super(tableColumns(rel, alias));
            this.rel = rel;
            this.alias = alias;
            this.types = types(rel);
            estimate(0, pages + tuples * 0.01, tuples);
        }

        @Override
        protected void doOpen(ExecState ex) {
            if (scan != null) {
                scan.close();
            }
            removed = 0;
            need = needAtOpen(needs, columns.size());
            if (need == null || stages == null || stages.filter != filter) {
                stageMasks = null;
            } else if (need != stagedNeed) { // a rescan with the same mask keeps its stages
                stageMasks = stages.masks(need, types.length);
                stagedNeed = need;
            }
            scan = ex.heap.scan(rel.ref(), ex.txn.snapshot(), false);
            counts = ex.stats == null ? null : ex.stats.table(rel.oid());
            if (counts != null) {
                counts[TableCounter.SEQ_SCAN.ordinal()]++;
            }
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            long hit = ex.io[0];
            long read = ex.io[1];
            try {
                return nextRow(ex);
            } finally {
                if (counts != null) {
                    counts[TableCounter.HEAP_BLKS_HIT.ordinal()] += ex.io[0] - hit;
                    counts[TableCounter.HEAP_BLKS_READ.ordinal()] += ex.io[1] - read;
                }
            }
        }

        private Object[] nextRow(ExecState ex) {
            for (HeapTuple t = scan.next(); t != null; t = scan.next()) {
                ex.tick();
                if (counts != null) {
                    counts[TableCounter.SEQ_TUP_READ.ordinal()]++;
                }
                if (stageMasks != null) {
                    Object[] row = new Object[columns.size()];
                    fillSystem(rel, types.length, t, need, row);
                    if (FilterStages.run(ex, rel, types, t, stageMasks, stages.quals, row)) {
                        return row;
                    }
                    removed++;
                    continue;
                }
                Object[] row = toRow(ex, rel, types, t, need);
                if (pass(filter, row, ex)) {
                    return row;
                }
                removed++;
            }
            return null;
        }

        @Override
        public void close() {
            if (scan != null) {
                scan.close();
                scan = null;
            }
        }

        @Override
        public String label() {
            return "Seq Scan on " + rel.name() + (alias != null && !alias.equals(rel.name()) ? " " + alias : "");
        }

        @Override
        public List<String> details(boolean analyze) {
            List<String> d = new ArrayList<>();
            if (filterText != null) {
                d.add("Filter: " + filterText);
                if (analyze) {
                    d.add("Rows Removed by Filter: " + (loops == 0 ? 0 : removed / loops));
                }
            }
            return d;
        }
    }

    /** Index Scan: the entries of a B-tree range, each heap tuple fetched and checked for visibility. */
    public static final class IndexScanNode extends Plan {
        public final Relation rel;
        final Relation.Index index;
        final String alias;
        final int[] keyTypes;
        final Ev[] lower;
        final boolean lowerInclusive;
        final Ev[] upper;
        final boolean upperInclusive;
        final boolean backward;
        public Ev filter;
        public String filterText;
        public String condText;
        /**
         * Equality on every column of a unique index: at most one version is
         * visible to any snapshot, so the scan stops at the first one, and
         * reads backward because the newest version of a row (the one a
         * snapshot usually sees) has the highest tid among the entries of
         * its key (the dead versions in front of it are left for VACUUM).
         */
        public boolean uniqueEquality;
        private boolean found;
        final int[] types;
        /** The columns the statement reads of this FROM item (ColumnUsage), null: all. */
        public ColumnUsage.ScanColumns needs;
        private boolean[] need;
        private IndexScan scan;

        /** As {@link SeqScan#outputMask()}. */
        public boolean[] outputMask() {
            return needs == null ? null : needs.mask();
        }

        public IndexScanNode(Relation rel, Relation.Index index, String alias, int[] keyTypes, Ev[] lower,
                boolean lowerInclusive, Ev[] upper, boolean upperInclusive, boolean backward) {
            super(tableColumns(rel, alias));
            this.rel = rel;
            this.index = index;
            this.alias = alias;
            this.keyTypes = keyTypes;
            this.lower = lower;
            this.lowerInclusive = lowerInclusive;
            this.upper = upper;
            this.upperInclusive = upperInclusive;
            this.backward = backward;
            this.types = types(rel);
        }

        private byte[] key(Ev[] evs, ExecState ex) {
            return boundKey(evs, keyTypes, ex);
        }

        boolean empty;
        private long[] counts;

        @Override
        protected void doOpen(ExecState ex) {
            close();
            byte[] lo = lower == null ? null : key(lower, ex);
            byte[] hi = upper == null ? null : key(upper, ex);
            empty = (lower != null && lo == null) || (upper != null && hi == null);
            found = false;
            need = needAtOpen(needs, columns.size());
            counts = ex.stats == null ? null : ex.stats.table(rel.oid());
            if (counts != null) {
                counts[TableCounter.IDX_SCAN.ordinal()]++;
            }
            if (!empty) {
                if (ex.ssi != null) {
                    predicateLock(ex, lo, hi);
                }
                scan = ex.btree.scan(index.ref(), KeyComparator.BYTEWISE, lo, lowerInclusive, hi, upperInclusive,
                        backward || uniqueEquality);
            }
        }

        /**
         * SERIALIZABLE: every column of the index equal to one value is a point read of that key; anything
         * else reads the relation as a whole.
         */
        private void predicateLock(ExecState ex, byte[] lo, byte[] hi) {
            if (lower != null && upper != null && lowerInclusive && upperInclusive
                    && lower.length == index.keys().length && java.util.Arrays.equals(lo, hi)) {
                ex.ssi.readKey(rel.oid(), index.oid(), lo);
            } else {
                ex.ssi.readRelation(rel.oid());
            }
        }

        /** The index's next entry, its block accesses counted as the index's (idx_blks_*). */
        private boolean nextEntry(ExecState ex) {
            long hit = ex.io[0];
            long read = ex.io[1];
            boolean more = scan.next();
            if (counts != null) {
                counts[TableCounter.IDX_BLKS_HIT.ordinal()] += ex.io[0] - hit;
                counts[TableCounter.IDX_BLKS_READ.ordinal()] += ex.io[1] - read;
            }
            return more;
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            if (empty || uniqueEquality && found) {
                return null;
            }
            while (nextEntry(ex)) {
                ex.tick();
                long hit = ex.io[0];
                long read = ex.io[1];
                HeapTuple t = ex.heap.fetch(rel.ref(), scan.heapTid(), ex.txn.snapshot());
                if (counts != null) {
                    counts[TableCounter.HEAP_BLKS_HIT.ordinal()] += ex.io[0] - hit;
                    counts[TableCounter.HEAP_BLKS_READ.ordinal()] += ex.io[1] - read;
                }
                if (t == null) {
                    continue;
                }
                if (counts != null) {
                    counts[TableCounter.IDX_TUP_FETCH.ordinal()]++;
                }
                found = true;
                Object[] row = toRow(ex, rel, types, t, need);
                if (pass(filter, row, ex)) {
                    return row;
                }
                if (uniqueEquality) {
                    return null;
                }
            }
            return null;
        }

        @Override
        public void close() {
            if (scan != null) {
                scan.close();
                scan = null;
            }
        }

        @Override
        public String label() {
            return "Index Scan" + (backward ? " Backward" : "") + " using " + index.name() + " on " + rel.name()
                    + (alias != null && !alias.equals(rel.name()) ? " " + alias : "");
        }

        @Override
        public List<String> details(boolean analyze) {
            List<String> d = new ArrayList<>();
            if (condText != null) {
                d.add("Index Cond: " + condText);
            }
            if (filterText != null) {
                d.add("Filter: " + filterText);
            }
            return d;
        }
    }

    /** Values Scan / Result: rows computed from expressions (no input). */
    public static final class ValuesNode extends Plan {
        final List<Ev[]> rowsEv;
        final boolean single;
        public Ev filter;
        private int pos;

        public ValuesNode(List<OutCol> cols, List<Ev[]> rows, boolean single) {
            super(cols);
            this.rowsEv = rows;
            this.single = single;
            estimate(0, 0.01 * rows.size(), rows.size());
        }

        @Override
        protected void doOpen(ExecState ex) {
            pos = 0;
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            while (pos < rowsEv.size()) {
                Ev[] r = rowsEv.get(pos++);
                Object[] row = new Object[r.length];
                for (int i = 0; i < r.length; i++) {
                    row[i] = r[i].eval(null, ex);
                }
                if (pass(filter, row, ex)) {
                    return row;
                }
            }
            return null;
        }

        @Override
        public String label() {
            return single ? "Result" : "Values Scan on \"*VALUES*\"";
        }
    }
}
