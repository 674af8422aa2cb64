package modgres.sql.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import modgres.api.error.PgException;
import modgres.sql.ast.WindowDef;

/*
 * Design notes: window functions (PostgreSQL's nodeWindowAgg.c).
 *
 * A WindowAgg computes the functions of one window (PARTITION BY, ORDER BY,
 * frame) over its input, which arrives sorted by the partition keys and then
 * the ORDER BY keys (a Sort below it, or an earlier window's order). It reads
 * the whole input, splits it into partitions (runs of equal partition keys)
 * and, within a partition, into peer groups (runs of equal ORDER BY keys; all
 * rows are peers without ORDER BY), and writes each function's value into its
 * slot of the row: every WindowAgg of a query produces rows of the same width
 * (the input's columns, then one slot per window function of the query), so
 * that stacked WindowAggs (one per distinct window) fill in their own slots.
 *
 * Frames follow PostgreSQL: ROWS counts rows, GROUPS counts peer groups,
 * RANGE takes peers together and with an offset compares ORDER BY values
 * (value -/+ offset); the default frame is RANGE BETWEEN UNBOUNDED PRECEDING
 * AND CURRENT ROW, so without ORDER BY the whole partition. EXCLUDE CURRENT
 * ROW / GROUP / TIES remove rows from the frame. Aggregates over a frame that
 * starts at the partition's start (and excludes nothing) are computed
 * incrementally as the frame's end advances; other frames are aggregated
 * from scratch for each row whose frame differs from the previous row's.
 *
 * Memory: one partition at a time. The input is read up to the first row of
 * the next partition (kept aside as `pending`); the partition's values are
 * computed and its rows returned before the next one is read, so the rows held
 * are the current partition's (charged to the session's memory account, as
 * PostgreSQL's "WindowAgg Partition" context), not the whole input. A single
 * partition larger than work_mem stays in memory (PostgreSQL's tuplestore
 * would spill it): listed as a known limit.
 */
/** A window aggregation over sorted input; see the design notes. */
public final class WindowAgg extends Plan {

    /** The built-in window functions, and AGGREGATE for an aggregate used as a window function. */
    public enum Kind {
        ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG, LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE,
        AGGREGATE
    }

    /**
     * One window function: its kind, its arguments (over the input row), for an aggregate its running state
     * factory and FILTER, and the slot of the output row its value goes to.
     */
    public static final class Func {
        final Kind kind;
        final Ev[] args;
        final Supplier<Aggregate.State> agg;
        final Ev filter;
        /** The function's number among the query's window functions, made its row index by Windowing.build. */
        int slot;
        /** An aggregate whose result does not depend on the order of its input (count, min, exact sums...). */
        boolean orderInsensitive;

        Func(Kind kind, Ev[] args, Supplier<Aggregate.State> agg, Ev filter, int slot) {
            this.kind = kind;
            this.args = args;
            this.agg = agg;
            this.filter = filter;
            this.slot = slot;
        }

        boolean usesFrame() {
            return kind == Kind.AGGREGATE || kind == Kind.FIRST_VALUE || kind == Kind.LAST_VALUE
                    || kind == Kind.NTH_VALUE;
        }
    }

    /**
     * One end of a frame. For ROWS and GROUPS {@code offset} is the (bigint) count; for RANGE with an offset,
     * {@code offset} is the offset (of {@code offsetType}, checked for NULL and against {@code zero} for its
     * sign), {@code bound} computes the limiting value from a row (value - offset or value + offset) and
     * {@code key} the value a row is compared by (both of type {@code keyType}).
     */
    public record Bound(WindowDef.BoundKind kind, Ev offset, int offsetType, Object zero, Ev bound, Ev key,
            int keyType) {

        static Bound of(WindowDef.BoundKind kind) {
            return new Bound(kind, null, 0, null, null, null, 0);
        }
    }

    /** A frame: mode, both ends and the exclusion; {@code descending} is the RANGE key's direction. */
    public record Frame(WindowDef.FrameMode mode, Bound start, Bound end, WindowDef.Exclusion exclusion,
            boolean descending) {

        /** The default frame: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW. */
        static Frame defaults() {
            return new Frame(WindowDef.FrameMode.RANGE, Bound.of(WindowDef.BoundKind.UNBOUNDED_PRECEDING),
                    Bound.of(WindowDef.BoundKind.CURRENT_ROW), WindowDef.Exclusion.NONE, false);
        }
    }

    /** Bytes a kept row costs besides its values (list slot, array header). */
    private static final int ROW_OVERHEAD = 24;

    final Plan child;
    final Ev[] partKeys;
    final int[] partTypes;
    final Ev[] orderKeys;
    final int[] orderTypes;
    final Frame frame;
    final Func[] funcs;
    /** The current partition's rows. */
    private List<Object[]> rows;
    private int pos;
    /** The first row of the next partition, read ahead; null at the end of the input. */
    private Object[] pending;
    private modgres.sql.exec.spill.MemoryAccount.Charge charge;

    WindowAgg(Plan child, List<OutCol> cols, Ev[] partKeys, int[] partTypes, Ev[] orderKeys, int[] orderTypes,
            Frame frame, Func[] funcs) {
        super(cols);
        this.child = child;
        this.partKeys = partKeys;
        this.partTypes = partTypes;
        this.orderKeys = orderKeys;
        this.orderTypes = orderTypes;
        this.frame = frame;
        this.funcs = funcs;
        estimate(child.startupCost, child.totalCost + child.rows * 0.0025 * Math.max(1, funcs.length), child.rows);
    }

    @Override
    protected void doOpen(ExecState ex) {
        if (charge != null) {
            charge.release();
        }
        charge = ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.WINDOW);
        rows = new ArrayList<>();
        pos = 0;
        child.open(ex);
        Object[] r = child.next(ex);
        pending = r == null ? null : Arrays.copyOf(r, columns.size());
    }

    /** Reads the next partition (from pending on) and computes its values; false at the end of the input. */
    private boolean nextPartition(ExecState ex) {
        rows = new ArrayList<>();
        pos = 0;
        if (pending == null) {
            charge.release();
            return false;
        }
        int w = columns.size();
        Object[] first = pending;
        pending = null;
        rows.add(first);
        long bytes = modgres.sql.exec.spill.RowCodec.estimate(first) + ROW_OVERHEAD;
        for (Object[] r = child.next(ex); r != null; r = child.next(ex)) {
            ex.tick();
            Object[] row = Arrays.copyOf(r, w);
            if (partKeys.length > 0 && !equal(partKeys, partTypes, first, row, ex)) {
                pending = row;
                break;
            }
            rows.add(row);
            bytes += modgres.sql.exec.spill.RowCodec.estimate(row) + ROW_OVERHEAD;
            charge.set(bytes);
        }
        charge.set(bytes);
        partition(0, rows.size(), ex);
        return true;
    }

    @Override
    protected Object[] doNext(ExecState ex) {
        while (pos >= rows.size()) {
            if (!nextPartition(ex)) {
                return null;
            }
        }
        return rows.get(pos++);
    }

    @Override
    public void close() {
        super.close();
        rows = null;
        pending = null;
        if (charge != null) {
            charge.release();
        }
    }

    @Override
    public String label() {
        return "WindowAgg";
    }

    @Override
    public List<Plan> children() {
        return List.of(child);
    }

    private static boolean equal(Ev[] keys, int[] types, Object[] a, Object[] b, ExecState ex) {
        for (int i = 0; i < keys.length; i++) {
            Object x = keys[i].eval(a, ex);
            Object y = keys[i].eval(b, ex);
            if (x == null || y == null) {
                if (x != y) {
                    return false;
                }
                continue;
            }
            if (ex.types.compare(types[i], x, y) != 0) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ one partition

    /** The state of the partition being computed: rows [ps, pe), peer groups. */
    private final class Part {
        final int ps;
        final int pe;
        final int[] groupStart;
        final int[] groupEnd;
        final int[] group;
        final int groups;
        /** The rows whose RANGE key is not NULL, once needed. */
        int[] nonNull;

        Part(int ps, int pe, ExecState ex) {
            this.ps = ps;
            this.pe = pe;
            int n = pe - ps;
            groupStart = new int[n];
            groupEnd = new int[n];
            group = new int[n];
            int g = -1;
            int gs = ps;
            for (int i = ps; i < pe; i++) {
                if (i == ps || !equal(orderKeys, orderTypes, rows.get(i - 1), rows.get(i), ex)) {
                    g++;
                    gs = i;
                }
                groupStart[i - ps] = gs;
                group[i - ps] = g;
            }
            groups = g + 1;
            int ge = pe;
            for (int i = pe - 1; i >= ps; i--) {
                if (i < pe - 1 && group[i - ps] != group[i + 1 - ps]) {
                    ge = i + 1;
                }
                groupEnd[i - ps] = ge;
            }
        }

        int size() {
            return pe - ps;
        }
    }

    private void partition(int ps, int pe, ExecState ex) {
        Part p = new Part(ps, pe, ex);
        long[] startOffsets = null;
        for (Func f : funcs) {
            if (f.usesFrame() && startOffsets == null) {
                startOffsets = new long[] {offset(frame.start(), true, ex), offset(frame.end(), false, ex)};
            }
            switch (f.kind) {
                case ROW_NUMBER -> {
                    for (int i = ps; i < pe; i++) {
                        rows.get(i)[f.slot] = (long) (i - ps + 1);
                    }
                }
                case RANK -> {
                    for (int i = ps; i < pe; i++) {
                        rows.get(i)[f.slot] = (long) (p.groupStart[i - ps] - ps + 1);
                    }
                }
                case DENSE_RANK -> {
                    for (int i = ps; i < pe; i++) {
                        rows.get(i)[f.slot] = (long) (p.group[i - ps] + 1);
                    }
                }
                case PERCENT_RANK -> {
                    int n = p.size();
                    for (int i = ps; i < pe; i++) {
                        rows.get(i)[f.slot] = n <= 1 ? 0.0 : (double) (p.groupStart[i - ps] - ps) / (n - 1);
                    }
                }
                case CUME_DIST -> {
                    int n = p.size();
                    for (int i = ps; i < pe; i++) {
                        rows.get(i)[f.slot] = (double) (p.groupEnd[i - ps] - ps) / n;
                    }
                }
                case NTILE -> ntile(f, p, ex);
                case LAG, LEAD -> lagLead(f, p, ex);
                default -> framed(f, p, startOffsets, ex);
            }
        }
    }

    private void ntile(Func f, Part p, ExecState ex) {
        Object nv = f.args[0].eval(rows.get(p.ps), ex);
        if (nv == null) {
            for (int i = p.ps; i < p.pe; i++) {
                rows.get(i)[f.slot] = null;
            }
            return;
        }
        int buckets = ((Number) nv).intValue();
        if (buckets <= 0) {
            throw new PgException("22014", "argument of ntile must be greater than zero");
        }
        int n = p.size();
        int per = n / buckets;
        int rem = n % buckets;
        // the first n % buckets buckets have one row more (each row its own bucket when there are fewer rows)
        for (int x = 0; x < n; x++) {
            int b;
            if (per == 0) {
                b = x + 1;
            } else if (x < rem * (per + 1)) {
                b = x / (per + 1) + 1;
            } else {
                b = rem + (x - rem * (per + 1)) / per + 1;
            }
            rows.get(p.ps + x)[f.slot] = b;
        }
    }

    private void lagLead(Func f, Part p, ExecState ex) {
        for (int i = p.ps; i < p.pe; i++) {
            Object[] row = rows.get(i);
            long off = 1;
            if (f.args.length > 1) {
                Object o = f.args[1].eval(row, ex);
                if (o == null) {
                    row[f.slot] = null;
                    continue;
                }
                off = ((Number) o).longValue();
            }
            long target = f.kind == Kind.LAG ? i - off : i + off;
            if (target >= p.ps && target < p.pe) {
                row[f.slot] = f.args[0].eval(rows.get((int) target), ex);
            } else {
                row[f.slot] = f.args.length > 2 ? f.args[2].eval(row, ex) : null;
            }
        }
    }

    /** A ROWS/GROUPS offset, checked once per partition: NULL and negative offsets are errors. */
    private long offset(Bound b, boolean start, ExecState ex) {
        if (b.offset() == null) {
            return 0;
        }
        Object v = b.offset().eval(null, ex);
        String which = start ? "starting" : "ending";
        if (v == null) {
            throw new PgException("22004", "frame " + which + " offset must not be null");
        }
        if (frame.mode() == WindowDef.FrameMode.RANGE) {
            if (b.zero() != null && ex.types.compare(b.offsetType(), v, b.zero()) < 0) {
                throw new PgException("22013", "invalid preceding or following size in window function");
            }
            return 0;
        }
        long n = ((Number) v).longValue();
        if (n < 0) {
            throw new PgException("22013", "frame " + which + " offset must not be negative");
        }
        return n;
    }

    // ------------------------------------------------------------------ frames

    /** The frame of row i: [s, e) before exclusions. */
    private int frameStart(Part p, int i, long off, ExecState ex) {
        Bound b = frame.start();
        return switch (b.kind()) {
            case UNBOUNDED_PRECEDING -> p.ps;
            case CURRENT_ROW -> frame.mode() == WindowDef.FrameMode.ROWS ? i : p.groupStart[i - p.ps];
            case PRECEDING, FOLLOWING -> {
                boolean preceding = b.kind() == WindowDef.BoundKind.PRECEDING;
                switch (frame.mode()) {
                    case ROWS: {
                        long s = preceding ? i - off : i + off;
                        yield (int) Math.max(p.ps, Math.min(p.pe, s));
                    }
                    case GROUPS: {
                        long g = p.group[i - p.ps] + (preceding ? -off : off);
                        if (g < 0) {
                            yield p.ps;
                        }
                        if (g >= p.groups) {
                            yield p.pe;
                        }
                        yield firstOfGroup(p, (int) g);
                    }
                    default:
                        yield rangeStart(p, i, b, ex);
                }
            }
            default -> p.pe;
        };
    }

    private int frameEnd(Part p, int i, long off, ExecState ex) {
        Bound b = frame.end();
        return switch (b.kind()) {
            case UNBOUNDED_FOLLOWING -> p.pe;
            case CURRENT_ROW -> frame.mode() == WindowDef.FrameMode.ROWS ? i + 1 : p.groupEnd[i - p.ps];
            case PRECEDING, FOLLOWING -> {
                boolean preceding = b.kind() == WindowDef.BoundKind.PRECEDING;
                switch (frame.mode()) {
                    case ROWS: {
                        long e = (preceding ? i - off : i + off) + 1;
                        yield (int) Math.max(p.ps, Math.min(p.pe, e));
                    }
                    case GROUPS: {
                        long g = p.group[i - p.ps] + (preceding ? -off : off);
                        if (g < 0) {
                            yield p.ps;
                        }
                        if (g >= p.groups) {
                            yield p.pe;
                        }
                        int f = firstOfGroup(p, (int) g);
                        yield p.groupEnd[f - p.ps];
                    }
                    default:
                        yield rangeEnd(p, i, b, ex);
                }
            }
            default -> p.ps;
        };
    }

    private static int firstOfGroup(Part p, int g) {
        // groups are numbered in row order: binary search on the group numbers
        int lo = 0;
        int hi = p.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (p.group[mid] < g) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return p.ps + lo;
    }

    /** The rows [start, end) of the partition whose RANGE key is not NULL (NULLs sort together at one end). */
    private int[] nonNull(Part p, Bound b, ExecState ex) {
        if (p.nonNull == null) {
            int s = p.ps;
            while (s < p.pe && b.key().eval(rows.get(s), ex) == null) {
                s++;
            }
            int e = p.pe;
            while (e > s && b.key().eval(rows.get(e - 1), ex) == null) {
                e--;
            }
            p.nonNull = new int[] {s, e};
        }
        return p.nonNull;
    }

    /**
     * The first row of [lo, hi) whose key is past the bound: {@code c > 0}, or {@code c >= 0} with
     * {@code inclusive}, where c compares the key with the bound in the window's direction (keys are sorted).
     */
    private int search(int lo, int hi, Bound b, Object bound, boolean inclusive, ExecState ex) {
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = ex.types.compare(b.keyType(), b.key().eval(rows.get(mid), ex), bound);
            if (frame.descending()) {
                c = -c;
            }
            if (inclusive ? c >= 0 : c > 0) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * RANGE offset start: the first row whose key is not before the bound (value - offset ascending, value +
     * offset descending). NULL keys are peers of each other only: a NULL row's frame is its peers, and rows
     * with a value never reach the NULLs with a finite offset.
     */
    private int rangeStart(Part p, int i, Bound b, ExecState ex) {
        Object[] cur = rows.get(i);
        if (b.key().eval(cur, ex) == null) {
            return p.groupStart[i - p.ps];
        }
        int[] nn = nonNull(p, b, ex);
        return search(nn[0], nn[1], b, b.bound().eval(cur, ex), true, ex);
    }

    /** RANGE offset end: after the last row whose key is not past the bound. */
    private int rangeEnd(Part p, int i, Bound b, ExecState ex) {
        Object[] cur = rows.get(i);
        if (b.key().eval(cur, ex) == null) {
            return p.groupEnd[i - p.ps];
        }
        int[] nn = nonNull(p, b, ex);
        return search(nn[0], nn[1], b, b.bound().eval(cur, ex), false, ex);
    }

    /** Whether row j of the frame of row i is excluded. */
    private boolean excluded(Part p, int i, int j) {
        return switch (frame.exclusion()) {
            case CURRENT_ROW -> j == i;
            case GROUP -> p.group[j - p.ps] == p.group[i - p.ps];
            case TIES -> j != i && p.group[j - p.ps] == p.group[i - p.ps];
            default -> false;
        };
    }

    /** first_value, last_value, nth_value and aggregates: computed over each row's frame. */
    private void framed(Func f, Part p, long[] offs, ExecState ex) {
        boolean excludes = frame.exclusion() != WindowDef.Exclusion.NONE
                && frame.exclusion() != WindowDef.Exclusion.NO_OTHERS;
        boolean incremental = f.kind == Kind.AGGREGATE && !excludes
                && frame.start().kind() == WindowDef.BoundKind.UNBOUNDED_PRECEDING;
        if (f.kind == Kind.AGGREGATE && !excludes && !incremental && f.orderInsensitive
                && frame.end().kind() == WindowDef.BoundKind.UNBOUNDED_FOLLOWING) {
            suffixes(f, p, offs, ex);
            return;
        }
        Aggregate.State running = null;
        int added = p.ps;
        int prevS = -1;
        int prevE = -1;
        Object prev = null;
        for (int i = p.ps; i < p.pe; i++) {
            ex.tick();
            Object[] row = rows.get(i);
            int s = frameStart(p, i, offs[0], ex);
            int e = Math.max(s, frameEnd(p, i, offs[1], ex));
            if (f.kind != Kind.AGGREGATE) {
                row[f.slot] = valueAt(f, p, i, s, e, excludes, ex);
                continue;
            }
            if (incremental) {
                if (running == null) {
                    running = f.agg.get();
                }
                for (; added < e; added++) {
                    accumulate(f, running, rows.get(added), ex);
                }
                row[f.slot] = running.result();
                continue;
            }
            if (!excludes && s == prevS && e == prevE) {
                row[f.slot] = prev;
                continue;
            }
            Aggregate.State st = f.agg.get();
            for (int j = s; j < e; j++) {
                if (!excludes || !excluded(p, i, j)) {
                    accumulate(f, st, rows.get(j), ex);
                }
            }
            prev = st.result();
            prevS = s;
            prevE = e;
            row[f.slot] = prev;
        }
    }

    /**
     * An aggregate whose frame ends at the partition's end (ROWS/RANGE ... AND UNBOUNDED FOLLOWING): the frame
     * starts never move back, so going from the last row to the first each row is added once (for aggregates
     * whose result does not depend on the order of their input).
     */
    private void suffixes(Func f, Part p, long[] offs, ExecState ex) {
        Aggregate.State st = f.agg.get();
        int added = p.pe;
        for (int i = p.pe - 1; i >= p.ps; i--) {
            ex.tick();
            int s = Math.min(frameStart(p, i, offs[0], ex), p.pe);
            for (; added > s; added--) {
                accumulate(f, st, rows.get(added - 1), ex);
            }
            rows.get(i)[f.slot] = st.result();
        }
    }

    private static void accumulate(Func f, Aggregate.State st, Object[] r, ExecState ex) {
        if (f.filter != null && !Boolean.TRUE.equals(f.filter.eval(r, ex))) {
            return;
        }
        if (f.args.length == 0) {
            st.add(Boolean.TRUE);
        } else if (f.args.length == 1) {
            st.add(f.args[0].eval(r, ex));
        } else {
            Object[] v = new Object[f.args.length];
            for (int k = 0; k < v.length; k++) {
                v[k] = f.args[k].eval(r, ex);
            }
            st.add(v);
        }
    }

    private Object valueAt(Func f, Part p, int i, int s, int e, boolean excludes, ExecState ex) {
        if (f.kind == Kind.FIRST_VALUE) {
            for (int j = s; j < e; j++) {
                if (!excludes || !excluded(p, i, j)) {
                    return f.args[0].eval(rows.get(j), ex);
                }
            }
            return null;
        }
        if (f.kind == Kind.LAST_VALUE) {
            for (int j = e - 1; j >= s; j--) {
                if (!excludes || !excluded(p, i, j)) {
                    return f.args[0].eval(rows.get(j), ex);
                }
            }
            return null;
        }
        Object nv = f.args[1].eval(rows.get(i), ex);
        if (nv == null) {
            return null;
        }
        int n = ((Number) nv).intValue();
        if (n <= 0) {
            throw new PgException("22016", "argument of nth_value must be greater than zero");
        }
        for (int j = s; j < e; j++) {
            if (!excludes || !excluded(p, i, j)) {
                if (--n == 0) {
                    return f.args[0].eval(rows.get(j), ex);
                }
            }
        }
        return null;
    }
}
