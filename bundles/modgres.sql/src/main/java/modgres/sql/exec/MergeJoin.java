package modgres.sql.exec;

/*
 * Design notes: Merge Join (PostgreSQL's nodeMergejoin.c, without the
 * backward scans and the constant-qual shortcuts).
 *
 * Why: two inputs sorted on the join keys are joined by walking both once,
 * in memory proportional to the largest group of equal inner keys (and even
 * that is bounded by work_mem: the inner rows are kept in a MarkStore, which
 * spills). Sorts beneath it spill by themselves (ExternalSort), so a merge
 * join of inputs of any size runs within a few times work_mem, where a hash
 * join keeps a hash table of its inner side.
 *
 * Inputs: both ascending on the keys with NULLS LAST (the planner puts a Sort
 * under an input that is not in that order already, e.g. an Index Scan on
 * the key). Key values are compared with the type's btree order
 * (TypeSupport.compare); a key with a NULL matches nothing (its row is
 * emitted null-extended by an outer join, else skipped). Keys of a pair have
 * the same type (the planner's rule for merge-joinable equalities).
 *
 * State machine (o = current outer row, i = current inner row, m = the
 * marked inner row, its key the current group's):
 *
 *   INIT: fetch o and i --> TEST
 *   TEST: o gone -> INNER_REST; o's key NULL -> o unmatched, next o;
 *         i gone -> OUTER_REST; i's key NULL -> i unmatched, next i;
 *         o < i -> o unmatched, next o; o > i -> i unmatched, next i;
 *         o = i -> mark i (m = i) --> JOIN
 *   JOIN: emit o+i if the join filter passes --> NEXT_INNER
 *   NEXT_INNER: next i; same key as o -> JOIN; else (o unmatched if no row
 *         passed) --> NEXT_OUTER
 *   NEXT_OUTER: next o; o gone -> INNER_REST; o's key = m's -> restore the
 *         inner to m, i = m --> JOIN; else unmark --> TEST
 *   OUTER_REST / INNER_REST: the remaining rows of one side, null-extended
 *         when that side is preserved (LEFT/FULL resp. RIGHT/FULL), then END.
 *
 * "Unmatched" rows are returned only for the preserved side(s). For RIGHT and
 * FULL every join condition must be a merge key (as PostgreSQL requires), so
 * an inner row is matched exactly when its group's key met an outer key: the
 * rows skipped in TEST and those of INNER_REST are the unmatched ones.
 *
 * Mark/restore: the inner side is a Materialize node (the planner adds one,
 * as PostgreSQL does, when the inner sort is expected to exceed work_mem) or
 * any other node, read through a MarkStore of this join's own. Either way
 * the inner rows read (re-reads after a restore included) are those
 * PostgreSQL reads, so "actual rows" of EXPLAIN ANALYZE agree.
 */

import java.util.ArrayList;
import java.util.List;

import modgres.sql.exec.spill.TempFileSpace;

/** Merge Join over inputs sorted on the join keys; see the design notes. */
public final class MergeJoin extends Plan {
    /** The join types a merge join does (semi and anti joins are planned otherwise). */
    public enum Kind {
        INNER("Merge Join", false, false), LEFT("Merge Left Join", true, false),
        RIGHT("Merge Right Join", false, true), FULL("Merge Full Join", true, true);

        final String label;
        final boolean fillOuter;
        final boolean fillInner;

        Kind(String label, boolean fillOuter, boolean fillInner) {
            this.label = label;
            this.fillOuter = fillOuter;
            this.fillInner = fillInner;
        }
    }

    private enum State {
        INIT, TEST, JOIN, NEXT_INNER, NEXT_OUTER, OUTER_REST, INNER_REST, END
    }

    final Plan outer;
    final Plan inner;
    final Kind kind;
    final Ev[] outerKeys;
    final Ev[] innerKeys;
    final int[] keyTypes;
    final Ev filter;
    final String condText;
    final String filterText;
    private final int lw;
    private final int rw;
    private final TempFileSpace.Usage disk = new TempFileSpace.Usage();
    private MarkStore store;
    private State state;
    private Object[] o;
    private Object[] ok;
    private boolean oMatched;
    private Object[] i;
    private Object[] ik;
    private Object[] m;
    private Object[] mk;
    private long removedByFilter;

    /**
     * @param condText   the Merge Cond text, "(outer = inner)" per key, as EXPLAIN prints it
     * @param filter     further join conditions (INNER and LEFT only), null when none
     */
    public MergeJoin(Plan outer, Plan inner, Kind kind, Ev[] outerKeys, Ev[] innerKeys, int[] keyTypes, Ev filter,
            String condText, String filterText, double rows) {
        super(Nodes.concat(outer, inner));
        if (filter != null && kind.fillInner) {
            throw new IllegalArgumentException("a " + kind.label + " takes merge keys only");
        }
        this.outer = outer;
        this.inner = inner;
        this.kind = kind;
        this.outerKeys = outerKeys;
        this.innerKeys = innerKeys;
        this.keyTypes = keyTypes;
        this.filter = filter;
        this.condText = condText;
        this.filterText = filterText;
        this.lw = outer.columns.size();
        this.rw = inner.columns.size();
        double merge = 0.0025 * outerKeys.length * (outer.rows + inner.rows) + 0.01 * rows;
        estimate(outer.startupCost + inner.startupCost, outer.totalCost + inner.totalCost + merge, rows);
    }

    @Override
    protected void doOpen(ExecState ex) {
        releaseStore();
        outer.open(ex);
        inner.open(ex);
        if (!(inner instanceof Materialize)) {
            store = new MarkStore(inner, disk);
        }
        state = State.INIT;
        o = i = m = ok = ik = mk = null;
    }

    private Object[] key(Ev[] keys, Object[] row, ExecState ex) {
        Object[] k = new Object[keys.length];
        for (int x = 0; x < keys.length; x++) {
            k[x] = keys[x].eval(row, ex);
            if (k[x] == null) {
                return null;
            }
        }
        return k;
    }

    private int compare(Object[] a, Object[] b, ExecState ex) {
        for (int x = 0; x < a.length; x++) {
            int c = ex.types.compare(keyTypes[x], a[x], b[x]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private void nextOuter(ExecState ex) {
        Object[] r = outer.next(ex);
        o = r == null ? null : r.clone();
        ok = o == null ? null : key(outerKeys, o, ex);
        oMatched = false;
    }

    private void nextInner(ExecState ex) {
        i = store != null ? store.next(ex) : inner.next(ex);
        ik = i == null ? null : key(innerKeys, i, ex);
    }

    private MarkStore innerStore() {
        return store != null ? store : ((Materialize) inner).store;
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        while (true) {
            ex.tick();
            switch (state) {
                case INIT -> {
                    nextOuter(ex);
                    nextInner(ex);
                    state = State.TEST;
                }
                case TEST -> {
                    if (o == null) {
                        state = State.INNER_REST;
                    } else if (ok == null) {
                        Object[] r = o;
                        nextOuter(ex);
                        if (kind.fillOuter) {
                            return Nodes.join(r, lw, null, rw);
                        }
                    } else if (i == null) {
                        state = State.OUTER_REST;
                    } else if (ik == null) {
                        Object[] r = i;
                        nextInner(ex);
                        if (kind.fillInner) {
                            return Nodes.join(null, lw, r, rw);
                        }
                    } else {
                        int c = compare(ok, ik, ex);
                        if (c < 0) {
                            Object[] r = o;
                            nextOuter(ex);
                            if (kind.fillOuter) {
                                return Nodes.join(r, lw, null, rw);
                            }
                        } else if (c > 0) {
                            Object[] r = i;
                            nextInner(ex);
                            if (kind.fillInner) {
                                return Nodes.join(null, lw, r, rw);
                            }
                        } else {
                            innerStore().mark(ex);
                            m = i;
                            mk = ik;
                            state = State.JOIN;
                        }
                    }
                }
                case JOIN -> {
                    state = State.NEXT_INNER;
                    Object[] row = Nodes.join(o, lw, i, rw);
                    if (filter == null || Boolean.TRUE.equals(filter.eval(row, ex))) {
                        oMatched = true;
                        return row;
                    }
                    removedByFilter++;
                }
                case NEXT_INNER -> {
                    nextInner(ex);
                    if (i != null && ik != null && compare(ok, ik, ex) == 0) {
                        state = State.JOIN;
                    } else {
                        state = State.NEXT_OUTER;
                        if (!oMatched && kind.fillOuter) {
                            return Nodes.join(o, lw, null, rw);
                        }
                    }
                }
                case NEXT_OUTER -> {
                    nextOuter(ex);
                    if (o == null) {
                        innerStore().unmark();
                        state = State.INNER_REST;
                    } else if (ok != null && compare(ok, mk, ex) == 0) {
                        innerStore().restore();
                        i = m;
                        ik = mk;
                        state = State.JOIN;
                    } else {
                        innerStore().unmark();
                        state = State.TEST;
                    }
                }
                case OUTER_REST -> {
                    if (!kind.fillOuter || o == null) {
                        state = State.END;
                    } else {
                        Object[] r = o;
                        nextOuter(ex);
                        return Nodes.join(r, lw, null, rw);
                    }
                }
                case INNER_REST -> {
                    if (!kind.fillInner || i == null) {
                        state = State.END;
                    } else {
                        Object[] r = i;
                        nextInner(ex);
                        return Nodes.join(null, lw, r, rw);
                    }
                }
                default -> {
                    return null;
                }
            }
        }
    }

    private void releaseStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    @Override
    public void close() {
        try {
            releaseStore();
        } finally {
            super.close();
            o = i = m = ok = ik = mk = null;
        }
    }

    @Override
    public String label() {
        return kind.label;
    }

    @Override
    public List<Plan> children() {
        return List.of(outer, inner);
    }

    @Override
    public List<String> details(boolean analyze) {
        List<String> d = new ArrayList<>();
        d.add("Merge Cond: " + condText);
        if (filterText != null) {
            d.add("Join Filter: " + filterText);
            if (analyze && loops > 0 && removedByFilter > 0) {
                d.add("Rows Removed by Join Filter: " + Math.round((double) removedByFilter / loops));
            }
        }
        return d;
    }

    /**
     * Materialize above a merge join's inner side (PostgreSQL's nodeMaterial.c with mark/restore): the rows
     * pass through a MarkStore, which keeps the current group of equal keys for re-reading, spilling it beyond
     * work_mem. Its row count under EXPLAIN ANALYZE includes the re-reads, as PostgreSQL's.
     */
    public static final class Materialize extends Plan {
        final Plan child;
        private final TempFileSpace.Usage disk = new TempFileSpace.Usage();
        MarkStore store;

        public Materialize(Plan child) {
            super(child.columns);
            this.child = child;
            estimate(child.startupCost, child.totalCost + 0.0025 * child.rows, child.rows);
        }

        @Override
        protected void doOpen(ExecState ex) {
            if (store != null) {
                store.close();
            }
            child.open(ex);
            store = new MarkStore(child, disk);
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return store.next(ex);
        }

        @Override
        public void close() {
            try {
                if (store != null) {
                    store.close();
                    store = null;
                }
            } finally {
                super.close();
            }
        }

        @Override
        public String label() {
            return "Materialize";
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }
    }
}
