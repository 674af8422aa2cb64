package modgres.sql.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Inner nodes: projection, joins, sort, limit, distinct, append and set operations. */
public final class Nodes {
    private Nodes() {
    }

    /** Computes output expressions over the child's rows (PostgreSQL shows it as the node's target list, not a node). */
    public static final class Project extends Plan {
        final Plan child;
        final Ev[] exprs;

        public Project(Plan child, List<OutCol> cols, Ev[] exprs) {
            super(cols);
            this.child = child;
            this.exprs = exprs;
            estimate(child.startupCost, child.totalCost + child.rows * 0.0025 * exprs.length, child.rows);
        }

        @Override
        protected void doOpen(ExecState ex) {
            child.open(ex);
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            Object[] in = child.next(ex);
            if (in == null) {
                return null;
            }
            Object[] out = new Object[exprs.length];
            for (int i = 0; i < exprs.length; i++) {
                out[i] = exprs[i].eval(in, ex);
            }
            return out;
        }

        @Override
        public String label() {
            return child.label();
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }

        /** A projection is printed as its child (PostgreSQL has no projection node). */
        public Plan inner() {
            return child;
        }
    }

    /** A filter over any input (used where the input node cannot filter itself, e.g. over a subquery). */
    public static final class Filter extends Plan {
        final Plan child;
        final Ev cond;
        final String text;

        public Filter(Plan child, Ev cond, String text) {
            super(child.columns);
            this.child = child;
            this.cond = cond;
            this.text = text;
            estimate(child.startupCost, child.totalCost + child.rows * 0.0025, child.rows / 3);
        }

        @Override
        protected void doOpen(ExecState ex) {
            child.open(ex);
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            for (Object[] r = child.next(ex); r != null; r = child.next(ex)) {
                if (Boolean.TRUE.equals(cond.eval(r, ex))) {
                    return r;
                }
            }
            return null;
        }

        /** Shown as the node it filters, with one more "Filter:" line (PostgreSQL attaches the qual to it). */
        @Override
        public String label() {
            return child.label();
        }

        @Override
        public List<Plan> children() {
            return child.children();
        }

        @Override
        public List<String> details(boolean analyze) {
            List<String> d = new ArrayList<>(child.details(analyze));
            d.add((child instanceof NestLoop || child instanceof HashJoin ? "Join Filter: " : "Filter: ") + text);
            return d;
        }
    }

    public enum JoinKind {
        INNER("Inner"), LEFT("Left"), FULL("Full"), SEMI("Semi"), ANTI("Anti");

        final String pg;

        JoinKind(String pg) {
            this.pg = pg;
        }
    }

    static List<OutCol> concat(Plan a, Plan b) {
        List<OutCol> c = new ArrayList<>(a.columns);
        c.addAll(b.columns);
        return c;
    }

    static Object[] join(Object[] l, int lw, Object[] r, int rw) {
        Object[] o = new Object[lw + rw];
        if (l != null) {
            System.arraycopy(l, 0, o, 0, lw);
        }
        if (r != null) {
            System.arraycopy(r, 0, o, lw, rw);
        }
        return o;
    }

    /**
     * The loop both join methods share: for each outer row, try the inner
     * rows its method offers as candidates ({@link #candidates}), emit the
     * joined rows that pass {@code cond}, the unmatched outer row for LEFT and
     * FULL, the outer row once for SEMI, the unmatched one for ANTI, and at the
     * end the unmatched inner rows for FULL.
     */
    abstract static class Join extends Plan {
        final Plan outer;
        final Plan inner;
        final JoinKind kind;
        final Ev cond;
        List<Object[]> innerRows;
        private boolean[] innerMatched;
        private Object[] cur;
        private int[] cand;
        private int pos;
        private boolean curMatched;
        private int unmatchedPos = -1;

        Join(Plan outer, Plan inner, JoinKind kind, Ev cond) {
            super(kind == JoinKind.SEMI || kind == JoinKind.ANTI ? outer.columns : concat(outer, inner));
            this.outer = outer;
            this.inner = inner;
            this.kind = kind;
            this.cond = cond;
        }

        /** Reads the inner side once (it does not depend on the outer row): innerRows and any index of them. */
        abstract void build(ExecState ex);

        /** The positions in innerRows of the rows that may match {@code outerRow}. */
        abstract int[] candidates(Object[] outerRow, ExecState ex);

        @Override
        protected void doOpen(ExecState ex) {
            if (innerRows == null) {
                innerRows = new ArrayList<>();
                build(ex);
            }
            innerMatched = new boolean[innerRows.size()];
            outer.open(ex);
            cur = null;
            unmatchedPos = -1;
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            int lw = outer.columns.size();
            int rw = inner.columns.size();
            while (true) {
                if (unmatchedPos >= 0) {
                    while (unmatchedPos < innerRows.size()) {
                        int i = unmatchedPos++;
                        if (!innerMatched[i]) {
                            return join(null, lw, innerRows.get(i), rw);
                        }
                    }
                    return null;
                }
                if (cur == null) {
                    cur = outer.next(ex);
                    if (cur == null) {
                        if (kind == JoinKind.FULL) {
                            unmatchedPos = 0;
                            continue;
                        }
                        return null;
                    }
                    ex.tick();
                    cur = cur.clone();
                    cand = candidates(cur, ex);
                    pos = 0;
                    curMatched = false;
                }
                while (cand != null && pos < cand.length) {
                    ex.tick();
                    int i = cand[pos++];
                    Object[] row = join(cur, lw, innerRows.get(i), rw);
                    if (cond == null || Boolean.TRUE.equals(cond.eval(row, ex))) {
                        curMatched = true;
                        innerMatched[i] = true;
                        if (kind == JoinKind.SEMI) {
                            Object[] c = cur;
                            cur = null;
                            return c;
                        }
                        if (kind == JoinKind.ANTI) {
                            break;
                        }
                        return row;
                    }
                }
                Object[] c = cur;
                boolean matched = curMatched;
                cur = null;
                if (!matched && (kind == JoinKind.LEFT || kind == JoinKind.FULL)) {
                    return join(c, lw, null, rw);
                }
                if (!matched && kind == JoinKind.ANTI) {
                    return c;
                }
            }
        }

        @Override
        public void close() {
            super.close();
            innerRows = null;
        }
    }

    /** Nested Loop over a materialised inner side: any join condition, any join kind. */
    public static final class NestLoop extends Join {
        final String condText;
        private int[] all;

        public NestLoop(Plan outer, Plan inner, JoinKind kind, Ev cond, String condText, double selectivity) {
            super(outer, inner, kind, cond);
            this.condText = condText;
            estimate(outer.startupCost + inner.totalCost, outer.totalCost + inner.totalCost
                    + outer.rows * inner.rows * 0.0025, Math.max(kind == JoinKind.LEFT ? outer.rows : 1,
                            outer.rows * inner.rows * selectivity));
        }

        @Override
        void build(ExecState ex) {
            inner.open(ex);
            for (Object[] r = inner.next(ex); r != null; r = inner.next(ex)) {
                innerRows.add(r.clone());
            }
            all = new int[innerRows.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
        }

        @Override
        int[] candidates(Object[] outerRow, ExecState ex) {
            return all;
        }

        @Override
        public String label() {
            return "Nested Loop" + (kind == JoinKind.INNER ? "" : " " + kind.pg + " Join");
        }

        @Override
        public List<Plan> children() {
            return List.of(outer, inner);
        }

        @Override
        public List<String> details(boolean analyze) {
            return condText == null ? List.of() : List.of("Join Filter: " + condText);
        }
    }

    /** Hash Join: builds a hash table of the inner side on its keys, probes it with the outer rows. */
    public static final class HashJoin extends Join {
        final Ev[] outerKeys;
        final Ev[] innerKeys;
        final int[] keyTypes;
        final String condText;
        final String extraText;
        private Map<List<Object>, int[]> table;

        public HashJoin(Plan outer, Plan inner, JoinKind kind, Ev[] outerKeys, Ev[] innerKeys, int[] keyTypes,
                Ev extra, String condText, String extraText, double selectivity) {
            super(outer, inner, kind, extra);
            this.outerKeys = outerKeys;
            this.innerKeys = innerKeys;
            this.keyTypes = keyTypes;
            this.condText = condText;
            this.extraText = extraText;
            estimate(inner.totalCost, outer.totalCost + inner.totalCost + (outer.rows + inner.rows) * 0.01,
                    Math.max(kind == JoinKind.LEFT ? outer.rows : 1, outer.rows * inner.rows * selectivity));
        }

        private List<Object> key(Ev[] keys, Object[] row, ExecState ex) {
            Object[] k = new Object[keys.length];
            for (int i = 0; i < keys.length; i++) {
                Object v = keys[i].eval(row, ex);
                if (v == null) {
                    return null;
                }
                k[i] = ex.types.hashKey(keyTypes[i], v);
            }
            return Arrays.asList(k);
        }

        @Override
        void build(ExecState ex) {
            Map<List<Object>, List<Integer>> buckets = new HashMap<>();
            inner.open(ex);
            for (Object[] r = inner.next(ex); r != null; r = inner.next(ex)) {
                ex.tick();
                Object[] c = r.clone();
                innerRows.add(c);
                List<Object> k = key(innerKeys, c, ex);
                if (k != null) {
                    buckets.computeIfAbsent(k, x -> new ArrayList<>(2)).add(innerRows.size() - 1);
                }
            }
            table = new HashMap<>();
            for (Map.Entry<List<Object>, List<Integer>> e : buckets.entrySet()) {
                table.put(e.getKey(), e.getValue().stream().mapToInt(Integer::intValue).toArray());
            }
        }

        @Override
        int[] candidates(Object[] outerRow, ExecState ex) {
            List<Object> k = key(outerKeys, outerRow, ex);
            return k == null ? null : table.get(k);
        }

        @Override
        public void close() {
            super.close();
            table = null;
        }

        @Override
        public String label() {
            return "Hash" + (kind == JoinKind.INNER ? "" : " " + kind.pg) + " Join";
        }

        @Override
        public List<Plan> children() {
            return List.of(outer, new HashLabel(inner));
        }

        @Override
        public List<String> details(boolean analyze) {
            List<String> d = new ArrayList<>();
            d.add("Hash Cond: " + condText);
            if (extraText != null) {
                d.add("Join Filter: " + extraText);
            }
            return d;
        }
    }

    /** The "Hash" line EXPLAIN prints above a hash join's inner side (not executed itself). */
    static final class HashLabel extends Plan {
        final Plan child;

        HashLabel(Plan child) {
            super(child.columns);
            this.child = child;
            estimate(child.totalCost, child.totalCost, child.rows);
            this.analyze = child.analyze;
        }

        @Override
        protected void doOpen(ExecState ex) {
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return null;
        }

        @Override
        public String label() {
            return "Hash";
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }
    }

    /** A sort key: expression, type, direction and NULLS placement. */
    public record SortKey(Ev expr, int type, boolean descending, boolean nullsFirst, String text) {
    }

    public static Comparator<Object[]> comparator(SortKey[] keys, ExecState ex) {
        return (a, b) -> {
            for (SortKey k : keys) {
                Object x = k.expr.eval(a, ex);
                Object y = k.expr.eval(b, ex);
                int c;
                if (x == null || y == null) {
                    if (x == y) {
                        continue;
                    }
                    // nulls sort as larger than everything unless NULLS FIRST
                    c = x == null ? 1 : -1;
                    if (k.nullsFirst) {
                        c = -c;
                    }
                    return c;
                }
                c = ex.types.compare(k.type, x, y);
                if (c != 0) {
                    return k.descending ? -c : c;
                }
            }
            return 0;
        };
    }

    /** Sort: reads all input, sorts in memory (stable), returns in order. */
    public static final class Sort extends Plan {
        final Plan child;
        final SortKey[] keys;
        private List<Object[]> sorted;
        private Iterator<Object[]> it;

        public Sort(Plan child, SortKey[] keys) {
            super(child.columns);
            this.child = child;
            this.keys = keys;
            double n = Math.max(2, child.rows);
            estimate(child.totalCost + n * Math.log(n) / Math.log(2) * 0.005, child.totalCost
                    + n * Math.log(n) / Math.log(2) * 0.005 + n * 0.0025, child.rows);
        }

        @Override
        protected void doOpen(ExecState ex) {
            sorted = new ArrayList<>();
            child.open(ex);
            for (Object[] r = child.next(ex); r != null; r = child.next(ex)) {
                ex.tick();
                sorted.add(r.clone());
            }
            sorted.sort(comparator(keys, ex));
            it = sorted.iterator();
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return it.hasNext() ? it.next() : null;
        }

        @Override
        public String label() {
            return "Sort";
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }

        @Override
        public List<String> details(boolean analyze) {
            StringBuilder b = new StringBuilder("Sort Key: ");
            for (int i = 0; i < keys.length; i++) {
                b.append(i == 0 ? "" : ", ").append(keys[i].text).append(keys[i].descending ? " DESC" : "");
                if (keys[i].nullsFirst != keys[i].descending) {
                    b.append(keys[i].nullsFirst ? " NULLS FIRST" : " NULLS LAST");
                }
            }
            List<String> d = new ArrayList<>(List.of(b.toString()));
            if (analyze) {
                // the rows are Java objects, not PostgreSQL's sort tuples: the figure is their planned width plus a
                // row's bookkeeping, an estimate rather than a measurement
                long rowsSorted = sorted == null ? 0 : sorted.size();
                d.add("Sort Method: quicksort  Memory: " + Math.max(1, (rowsSorted * (width + 32) + 1023) / 1024)
                        + "kB");
            }
            return d;
        }
    }

    /** Limit: OFFSET then at most LIMIT rows. */
    public static final class Limit extends Plan {
        final Plan child;
        final Ev offset;
        final Ev count;
        private long toSkip;
        private long left;

        public Limit(Plan child, Ev offset, Ev count, double estCount) {
            super(child.columns);
            this.child = child;
            this.offset = offset;
            this.count = count;
            double n = count == null ? child.rows : Math.min(child.rows, estCount);
            estimate(child.startupCost, child.startupCost + (child.totalCost - child.startupCost)
                    * (child.rows == 0 ? 1 : n / child.rows), n);
        }

        private static long num(Ev e, ExecState ex, String what) {
            if (e == null) {
                return -1;
            }
            Object v = e.eval(null, ex);
            if (v == null) {
                return -1;
            }
            long n = ((Number) v).longValue();
            if (n < 0) {
                throw ExecState.error("2201W".equals(what) ? "2201W" : "2201X", what.equals("2201W")
                        ? "LIMIT must not be negative" : "OFFSET must not be negative");
            }
            return n;
        }

        @Override
        protected void doOpen(ExecState ex) {
            long o = num(offset, ex, "2201X");
            toSkip = o < 0 ? 0 : o;
            left = num(count, ex, "2201W");
            child.open(ex);
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            if (left == 0) {
                return null;
            }
            while (toSkip > 0) {
                if (child.next(ex) == null) {
                    return null;
                }
                toSkip--;
            }
            Object[] r = child.next(ex);
            if (r != null && left > 0) {
                left--;
            }
            return r;
        }

        @Override
        public String label() {
            return "Limit";
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }
    }

    /** The first {@code n} values of a row as a hash key with each type's equality (NULLs equal, as DISTINCT wants). */
    static List<Object> rowKey(Object[] r, List<OutCol> cols, int n, ExecState ex) {
        Object[] k = new Object[n];
        for (int i = 0; i < n; i++) {
            k[i] = r[i] == null ? null : ex.types.hashKey(cols.get(i).type(), r[i]);
        }
        return Arrays.asList(k);
    }

    /** HashAggregate-style duplicate removal over all columns (DISTINCT, UNION). */
    public static final class Unique extends Plan {
        final Plan child;
        final int ncols;
        private Set<List<Object>> seen;

        public Unique(Plan child, int ncols) {
            super(child.columns);
            this.child = child;
            this.ncols = ncols;
            estimate(child.totalCost, child.totalCost + child.rows * 0.01, child.rows / 2);
        }

        @Override
        protected void doOpen(ExecState ex) {
            seen = new HashSet<>();
            child.open(ex);
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            for (Object[] r = child.next(ex); r != null; r = child.next(ex)) {
                if (seen.add(rowKey(r, columns, ncols, ex))) {
                    return r;
                }
            }
            return null;
        }

        @Override
        public String label() {
            return "HashAggregate";
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }
    }

    /** Append: the rows of each child in turn (UNION ALL). */
    public static final class Append extends Plan {
        final List<Plan> parts;
        private int cur;

        public Append(List<OutCol> cols, List<Plan> parts) {
            super(cols);
            this.parts = parts;
            double r = 0;
            double c = 0;
            for (Plan p : parts) {
                r += p.rows;
                c += p.totalCost;
            }
            estimate(0, c, r);
        }

        @Override
        protected void doOpen(ExecState ex) {
            cur = 0;
            if (!parts.isEmpty()) {
                parts.get(0).open(ex);
            }
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            while (cur < parts.size()) {
                Object[] r = parts.get(cur).next(ex);
                if (r != null) {
                    return r;
                }
                cur++;
                if (cur < parts.size()) {
                    parts.get(cur).open(ex);
                }
            }
            return null;
        }

        @Override
        public String label() {
            return "Append";
        }

        @Override
        public List<Plan> children() {
            return parts;
        }
    }

    /** INTERSECT [ALL] / EXCEPT [ALL] by counting rows of both sides. */
    public static final class SetOp extends Plan {
        final Plan left;
        final Plan right;
        final boolean intersect;
        final boolean all;
        private Iterator<Object[]> it;

        public SetOp(Plan left, Plan right, boolean intersect, boolean all) {
            super(left.columns);
            this.left = left;
            this.right = right;
            this.intersect = intersect;
            this.all = all;
            estimate(left.totalCost + right.totalCost, left.totalCost + right.totalCost, left.rows / 2);
        }

        private List<Object> key(Object[] r, ExecState ex) {
            return rowKey(r, columns, columns.size(), ex);
        }

        @Override
        protected void doOpen(ExecState ex) {
            Map<List<Object>, long[]> counts = new java.util.LinkedHashMap<>();
            Map<List<Object>, Object[]> firstRow = new HashMap<>();
            left.open(ex);
            for (Object[] r = left.next(ex); r != null; r = left.next(ex)) {
                List<Object> k = key(r, ex);
                counts.computeIfAbsent(k, x -> new long[2])[0]++;
                firstRow.putIfAbsent(k, r.clone());
            }
            right.open(ex);
            for (Object[] r = right.next(ex); r != null; r = right.next(ex)) {
                long[] c = counts.get(key(r, ex));
                if (c != null) {
                    c[1]++;
                }
            }
            List<Object[]> out = new ArrayList<>();
            for (Map.Entry<List<Object>, long[]> e : counts.entrySet()) {
                long l = e.getValue()[0];
                long r = e.getValue()[1];
                long n = intersect ? (all ? Math.min(l, r) : (r > 0 ? 1 : 0))
                        : (all ? Math.max(0, l - r) : (r == 0 ? 1 : 0));
                for (long i = 0; i < n; i++) {
                    out.add(firstRow.get(e.getKey()));
                }
            }
            it = out.iterator();
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return it.hasNext() ? it.next() : null;
        }

        @Override
        public String label() {
            return "HashSetOp " + (intersect ? "Intersect" : "Except") + (all ? " All" : "");
        }

        @Override
        public List<Plan> children() {
            return List.of(left, right);
        }
    }
}
