package modgres.sql.exec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import modgres.api.error.PgException;
import modgres.sql.ast.Expr;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.SortBy;
import modgres.sql.ast.WindowDef;

/*
 * Design notes: planning window functions (PostgreSQL's parse_agg.c
 * transformWindowFuncCall, parse_clause.c transformWindowDefinitions and
 * planner.c select_active_windows in one place).
 *
 * A query level with window functions compiles its SELECT list and ORDER BY
 * with a Windowing: a window function call becomes a read of its slot in the
 * rows the WindowAggs produce (after the input row's columns), and its
 * arguments, PARTITION BY and ORDER BY are compiled against the input row
 * (the FROM/WHERE row, or the Aggregate's row when the query groups, so that
 * sum(sum(x)) OVER (...) works). Windows with the same definition are one
 * window; WINDOW clause entries are checked and resolved as PostgreSQL does
 * (copying a named window's PARTITION BY and ORDER BY, the errors when a
 * copy would override them or drop a frame).
 *
 * Each window in use becomes a WindowAgg, under a Sort on its PARTITION BY
 * and ORDER BY keys unless the rows are already in that order. The windows
 * are stacked in PostgreSQL's order (select_active_windows: by their sort
 * keys, compared key by key in the order the keys were first met in ORDER
 * BY, GROUP BY and the windows, later keys and DESC first, longer lists
 * first), so that the plans have PostgreSQL's shape: a window whose keys
 * are a prefix of the previous sort needs no sort of its own, and a query
 * ORDER BY that is a prefix of the last sort needs none either.
 */
/** The window functions of one query level while it is planned; see the design notes. */
final class Windowing {
    /** The built-in window functions (pg_proc.prokind = 'w'). */
    static final Set<String> WINDOW_FUNCTIONS = Set.of("row_number", "rank", "dense_rank", "percent_rank",
            "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value");

    static final int INT4 = 23, INT8 = 20, FLOAT8 = 701, INTERVAL = 1186;

    private static final Compiler.NoWindow IN_DEFINITION = new Compiler.NoWindow("42P20",
            "window functions are not allowed in window definitions");
    private static final Compiler.NoWindow NESTED = new Compiler.NoWindow("42P20",
            "window function calls cannot be nested");

    /** One window in use: its definition, compiled keys and frame, and its functions. */
    static final class Clause {
        final WindowDef def;
        final List<Compiler.C> partition = new ArrayList<>();
        final List<SortBy> orderBy;
        final List<Compiler.C> order = new ArrayList<>();
        WindowAgg.Frame frame;
        String key;
        final List<WindowAgg.Func> funcs = new ArrayList<>();
        final List<Integer> rels = new ArrayList<>();
        final List<Integer> types = new ArrayList<>();

        Clause(WindowDef def) {
            this.def = def;
            this.orderBy = def.orderBy();
        }

        /**
         * The sort the window needs: PARTITION BY keys ascending, then ORDER BY, duplicates removed. The keys'
         * texts identify the expressions (compared with the query's ORDER BY); see {@link #shown}.
         */
        List<Nodes.SortKey> sortKeys() {
            List<Nodes.SortKey> keys = new ArrayList<>();
            List<String> seen = new ArrayList<>();
            for (Compiler.C c : partition) {
                if (!seen.contains(c.text())) {
                    seen.add(c.text());
                    keys.add(new Nodes.SortKey(c.ev(), c.type(), false, false, c.text()));
                }
            }
            for (int i = 0; i < order.size(); i++) {
                Compiler.C c = order.get(i);
                if (!seen.contains(c.text())) {
                    seen.add(c.text());
                    keys.add(Planner.sortKey(orderBy.get(i), c));
                }
            }
            return keys;
        }

        /** The keys as EXPLAIN prints them: expressions other than column references in parentheses. */
        List<Nodes.SortKey> shown() {
            List<Expr> exprs = new ArrayList<>(def.partitionBy());
            for (SortBy sb : orderBy) {
                exprs.add(sb.expr());
            }
            List<Compiler.C> cs = new ArrayList<>(partition);
            cs.addAll(order);
            List<Nodes.SortKey> out = new ArrayList<>();
            for (Nodes.SortKey k : sortKeys()) {
                boolean column = false;
                for (int i = 0; i < cs.size(); i++) {
                    if (cs.get(i).text().equals(k.text())) {
                        column = exprs.get(i) instanceof Expr.ColumnRef;
                        break;
                    }
                }
                out.add(column ? k : new Nodes.SortKey(k.expr(), k.type(), k.descending(), k.nullsFirst(),
                        "(" + k.text() + ")"));
            }
            return out;
        }
    }

    final TypeSystem ts;
    /** Compiles arguments, PARTITION BY and ORDER BY against the WindowAggs' input row. */
    final Compiler input;
    private final Map<String, WindowDef> named = new LinkedHashMap<>();
    private final Map<String, Clause> namedClauses = new HashMap<>();
    /** Every window compiled, in the order met (WINDOW clause first): the order of first use of their keys. */
    private final List<Clause> all = new ArrayList<>();
    private final Map<String, Clause> byKey = new HashMap<>();
    private final Map<String, Compiler.C> calls = new HashMap<>();
    private final List<WindowAgg.Func> funcs = new ArrayList<>();
    private final List<OutCol> funcCols = new ArrayList<>();
    /** The width of the input row, known when the plan is built (the Aggregate's columns grow while compiling). */
    private final int[] base = {-1};
    /** The order of the rows the last WindowAgg produces (keys as text, direction), after build(). */
    List<Nodes.SortKey> ordering = List.of();

    Windowing(TypeSystem ts, Compiler input, List<WindowDef> windowClause) {
        this.ts = ts;
        this.input = input;
        for (WindowDef w : windowClause) {
            if (named.containsKey(w.name())) {
                throw Compiler.err("42P20", "window \"" + w.name() + "\" is already defined", w.position());
            }
            WindowDef resolved = w.refName() == null ? w : copy(w, w.refName(), true);
            named.put(w.name(), resolved);
            // PostgreSQL checks (and compiles) every WINDOW clause entry, used or not
            namedClauses.put(w.name(), compileClause(resolved));
        }
    }

    boolean hasFunctions() {
        return !funcs.isEmpty();
    }

    // ------------------------------------------------------------------ windows

    /** The window {@code w} refers to, with the referenced window's PARTITION BY and ORDER BY copied in. */
    private WindowDef copy(WindowDef w, String ref, boolean inWindowClause) {
        WindowDef r = named.get(ref);
        if (r == null) {
            throw Compiler.err("42704", "window \"" + ref + "\" does not exist", w.position());
        }
        if (!w.partitionBy().isEmpty()) {
            throw Compiler.err("42P20", "cannot override PARTITION BY clause of window \"" + ref + "\"",
                    w.position());
        }
        if (!r.orderBy().isEmpty() && !w.orderBy().isEmpty()) {
            throw Compiler.err("42P20", "cannot override ORDER BY clause of window \"" + ref + "\"", w.position());
        }
        if (r.frame() != null) {
            if (inWindowClause || !w.orderBy().isEmpty() || w.frame() != null) {
                throw Compiler.err("42P20", "cannot copy window \"" + ref + "\" because it has a frame clause",
                        w.position());
            }
            throw new PgException("42P20", "cannot copy window \"" + ref + "\" because it has a frame clause", null,
                    "Omit the parentheses in this OVER clause.", w.position(), null);
        }
        return new WindowDef(w.position(), w.name(), null, r.partitionBy(),
                r.orderBy().isEmpty() ? w.orderBy() : r.orderBy(), w.frame());
    }

    private Clause clause(WindowDef over) {
        Clause c;
        if (over.name() != null && over.refName() == null && over.partitionBy().isEmpty()
                && over.orderBy().isEmpty() && over.frame() == null) {
            c = namedClauses.get(over.name());
            if (c == null) {
                throw Compiler.err("42704", "window \"" + over.name() + "\" does not exist", over.position());
            }
        } else {
            c = compileClause(over.refName() != null ? copy(over, over.refName(), false) : over);
        }
        Clause same = byKey.get(c.key);
        if (same != null) {
            return same;
        }
        byKey.put(c.key, c);
        return c;
    }

    private Clause compileClause(WindowDef def) {
        Clause c = new Clause(def);
        Compiler.NoWindow saved = input.noWindow;
        input.noWindow = IN_DEFINITION;
        try {
            for (Expr e : def.partitionBy()) {
                c.partition.add(input.finish(input.compile(e)));
            }
            for (SortBy sb : def.orderBy()) {
                c.order.add(input.finish(input.compile(sb.expr())));
            }
            c.frame = frame(def, c);
        } finally {
            input.noWindow = saved;
        }
        StringBuilder k = new StringBuilder();
        for (Compiler.C p : c.partition) {
            k.append(p.text()).append(',');
        }
        k.append('|');
        for (int i = 0; i < c.order.size(); i++) {
            SortBy sb = def.orderBy().get(i);
            k.append(c.order.get(i).text()).append(' ').append(sb.direction()).append(' ').append(sb.nulls())
                    .append(sb.usingOp() == null ? "" : sb.usingOp().name()).append(',');
        }
        k.append('|').append(def.frame() == null ? "" : Compiler.text(new Expr.FuncCall(0, List.of("f"), List.of(),
                false, false, false, List.of(), false, null, new WindowDef(0, null, null, List.of(), List.of(),
                        def.frame()), Expr.FuncSyntax.NORMAL)));
        c.key = k.toString();
        all.add(c);
        return c;
    }

    private WindowAgg.Frame frame(WindowDef def, Clause c) {
        WindowDef.Frame f = def.frame();
        if (f == null) {
            return WindowAgg.Frame.defaults();
        }
        WindowDef.Bound end = f.end() == null ? new WindowDef.Bound(WindowDef.BoundKind.CURRENT_ROW, null) : f.end();
        boolean offsets = f.start().offset() != null || end.offset() != null;
        if (f.mode() == WindowDef.FrameMode.RANGE && offsets && c.order.size() != 1) {
            throw Compiler.err("42P20", "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column",
                    def.position());
        }
        if (f.mode() == WindowDef.FrameMode.GROUPS && c.order.isEmpty()) {
            throw Compiler.err("42P20", "GROUPS mode requires an ORDER BY clause", def.position());
        }
        boolean desc = !c.order.isEmpty() && def.orderBy().get(0).direction() == SortBy.Direction.DESC;
        WindowDef.Exclusion ex = f.exclusion() == WindowDef.Exclusion.NO_OTHERS ? WindowDef.Exclusion.NONE
                : f.exclusion();
        return new WindowAgg.Frame(f.mode(), bound(f.mode(), f.start(), c, desc), bound(f.mode(), end, c, desc), ex,
                desc);
    }

    private WindowAgg.Bound bound(WindowDef.FrameMode mode, WindowDef.Bound b, Clause c, boolean desc) {
        if (b.offset() == null) {
            return WindowAgg.Bound.of(b.kind());
        }
        String what = mode.name();
        Compiler.C off = input.compile(b.offset());
        if (Planner.tryCompile(new Compiler(ts, input.params, new Scope(input.scope.parent()), input.sub),
                b.offset()) == null) {
            throw Compiler.err("42P10", "argument of " + what + " must not contain variables", b.offset().position());
        }
        if (mode != WindowDef.FrameMode.RANGE) {
            off = input.coerce(off, INT8, -1, TypeSystem.CastContext.IMPLICIT,
                    "argument of " + what + " must be type bigint, not type " + ts.format(off.type(), -1));
            return new WindowAgg.Bound(b.kind(), off.ev(), INT8, null, null, null, 0);
        }
        Compiler.C key = c.order.get(0);
        int kt = key.type();
        boolean numeric = kt == 21 || kt == INT4 || kt == INT8 || kt == Compiler.NUMERIC || kt == 700 || kt == FLOAT8;
        boolean temporal = kt == 1082 || kt == 1083 || kt == 1114 || kt == 1184 || kt == INTERVAL || kt == 1266;
        if (!numeric && !temporal) {
            throw Compiler.err("0A000", "RANGE with offset PRECEDING/FOLLOWING is not supported for column type "
                    + ts.format(kt, -1), b.offset().position());
        }
        // the in_range support functions: integers with any integer offset, numeric with numeric, floats with
        // float8, date/time types with interval (other offsets coerced implicitly where a cast exists)
        boolean integral = kt == 21 || kt == INT4 || kt == INT8;
        int want = temporal ? INTERVAL : integral ? INT8 : kt == Compiler.NUMERIC ? Compiler.NUMERIC : FLOAT8;
        if (off.isUnknown()) {
            off = input.coerce(off, integral ? kt : want, -1, TypeSystem.CastContext.IMPLICIT, null);
        }
        int ot = off.type();
        boolean ok = integral ? ot == 21 || ot == INT4 || ot == INT8
                : ot == want || ts.cast(ot, want, -1, TypeSystem.CastContext.IMPLICIT) != null && !temporal;
        if (ok && !integral && ot != want) {
            off = input.coerce(off, want, -1, TypeSystem.CastContext.IMPLICIT, null);
            ot = want;
        }
        if (!ok) {
            throw new PgException("0A000", "RANGE with offset PRECEDING/FOLLOWING is not supported for column type "
                    + ts.format(kt, -1) + " and offset type " + ts.format(ot, -1), null,
                    "Cast the offset value to an appropriate type.", b.offset().position(), null);
        }
        boolean preceding = b.kind() == WindowDef.BoundKind.PRECEDING;
        Compiler.C bound = input.binary(preceding != desc ? "-" : "+", key, off, b.offset().position());
        Compiler.C cmpKey = bound.type() == kt ? key
                : input.coerce(key, bound.type(), -1, TypeSystem.CastContext.IMPLICIT, null);
        Object zero = ts.input(ot, -1, "0", null);
        return new WindowAgg.Bound(b.kind(), off.ev(), ot, zero, bound.ev(), cmpKey.ev(), bound.type());
    }

    // ------------------------------------------------------------------ calls

    /** A window function call in the SELECT list or ORDER BY: a read of its slot. */
    Compiler.C call(Expr.FuncCall f, String name) {
        String txt = Compiler.text(f);
        Compiler.C known = calls.get(txt);
        if (known != null) {
            return known;
        }
        boolean builtin = WINDOW_FUNCTIONS.contains(name);
        boolean aggregate = !builtin && !f.star() && ts.isAggregate(name) || !builtin && f.star();
        List<Compiler.C> args = new ArrayList<>();
        Compiler.NoWindow saved = input.noWindow;
        input.noWindow = NESTED;
        try {
            if (!f.star()) {
                for (Expr a : f.args()) {
                    args.add(input.compile(a));
                }
            }
            if (!builtin && !aggregate) {
                // a plain function: resolve it first (its own errors), then say it is no window function
                try {
                    ts.function(name, args.stream().mapToInt(Compiler.C::type).toArray());
                } catch (PgException e) {
                    throw Compiler.withPosition(e, f.position());
                }
                throw Compiler.err("42809", "OVER specified, but " + name
                        + " is not a window function nor an aggregate function", f.position());
            }
            if (f.distinct()) {
                throw Compiler.err("0A000", "DISTINCT is not implemented for window functions", f.position());
            }
            if (!f.orderBy().isEmpty() || f.withinGroup()) {
                throw Compiler.err("0A000", "aggregate ORDER BY is not implemented for window functions",
                        f.position());
            }
            if (f.filter() != null && builtin) {
                throw Compiler.err("0A000", "FILTER is not implemented for non-aggregate window functions",
                        f.position());
            }
            Clause c = clause(f.over());
            WindowAgg.Func fn;
            int type;
            if (aggregate) {
                TypeSystem.Agg agg;
                try {
                    agg = ts.aggregate(name, args.stream().mapToInt(Compiler.C::type).toArray());
                } catch (PgException e) {
                    throw Compiler.withPosition(e, f.position());
                }
                Ev[] evs = new Ev[args.size()];
                for (int i = 0; i < evs.length; i++) {
                    int t = agg.argTypes()[i];
                    evs[i] = (t == 2276 ? input.finish(args.get(i))
                            : input.coerce(args.get(i), t, -1, TypeSystem.CastContext.IMPLICIT, null)).ev();
                }
                Ev filter = f.filter() == null ? null : input.condition(f.filter(), "FILTER").ev();
                fn = new WindowAgg.Func(WindowAgg.Kind.AGGREGATE, evs, agg.factory(), filter, funcs.size());
                type = agg.resultType();
                int at = agg.argTypes().length == 1 ? agg.argTypes()[0] : 0;
                fn.orderInsensitive = switch (name) {
                    case "count", "min", "max", "bool_and", "bool_or", "every" -> true;
                    // exact arithmetic only: a float sum depends on the order of its terms
                    case "sum", "avg" -> at == 21 || at == INT4 || at == INT8 || at == Compiler.NUMERIC;
                    default -> false;
                };
            } else {
                Object[] r = builtin(f, name, args);
                fn = new WindowAgg.Func((WindowAgg.Kind) r[0], (Ev[]) r[1], null, null, funcs.size());
                type = (Integer) r[2];
            }
            funcs.add(fn);
            funcCols.add(OutCol.of(name, type));
            c.funcs.add(fn);
            int rel = fn.slot;
            int[] b = base;
            String shown = name + "(" + String.join(", ", args.stream().map(Compiler.C::text).toList())
                    + ") OVER (?)";
            Compiler.C res = new Compiler.C(type, -1, (row, ex) -> row[b[0] + rel], name, 2, null, false, -1,
                    f.star() ? name + "(*) OVER (?)" : shown, f.position());
            calls.put(txt, res);
            return res;
        } finally {
            input.noWindow = saved;
        }
    }

    /** A built-in window function's kind, coerced arguments and result type. */
    private Object[] builtin(Expr.FuncCall f, String name, List<Compiler.C> args) {
        WindowAgg.Kind kind = WindowAgg.Kind.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        int n = args.size();
        switch (kind) {
            case ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST: {
                if (n != 0) {
                    throw noSuchFunction(f, name, args);
                }
                int t = kind == WindowAgg.Kind.PERCENT_RANK || kind == WindowAgg.Kind.CUME_DIST ? FLOAT8 : INT8;
                return new Object[] {kind, new Ev[0], t};
            }
            case NTILE: {
                if (n != 1) {
                    throw noSuchFunction(f, name, args);
                }
                return new Object[] {kind, new Ev[] {toInt(f, name, args, 0)}, INT4};
            }
            case LAG, LEAD: {
                if (n < 1 || n > 3) {
                    throw noSuchFunction(f, name, args);
                }
                Compiler.C v = args.get(0);
                int t;
                Ev[] evs = new Ev[n];
                if (n == 3) {
                    t = input.common(List.of(v, args.get(2)), name);
                    evs[0] = input.coerce(v, t, -1, TypeSystem.CastContext.IMPLICIT, null).ev();
                    evs[2] = input.coerce(args.get(2), t, -1, TypeSystem.CastContext.IMPLICIT, null).ev();
                } else {
                    anyElement(v);
                    Compiler.C fv = input.finish(v);
                    t = fv.type();
                    evs[0] = fv.ev();
                }
                if (n >= 2) {
                    evs[1] = toInt(f, name, args, 1);
                }
                return new Object[] {kind, evs, t};
            }
            case FIRST_VALUE, LAST_VALUE: {
                if (n != 1) {
                    throw noSuchFunction(f, name, args);
                }
                anyElement(args.get(0));
                Compiler.C v = input.finish(args.get(0));
                return new Object[] {kind, new Ev[] {v.ev()}, v.type()};
            }
            default: {
                if (n != 2) {
                    throw noSuchFunction(f, name, args);
                }
                anyElement(args.get(0));
                Compiler.C v = input.finish(args.get(0));
                return new Object[] {kind, new Ev[] {v.ev(), toInt(f, name, args, 1)}, v.type()};
            }
        }
    }

    /** An anyelement argument (lag/lead with one or two arguments, first/last/nth_value) must have a type. */
    private static void anyElement(Compiler.C v) {
        if (v.type() == Compiler.UNKNOWN) {
            throw new Compiler.Unplaced("42804", "could not determine polymorphic type because input has type unknown");
        }
    }

    private Ev toInt(Expr.FuncCall f, String name, List<Compiler.C> args, int i) {
        Compiler.C a = args.get(i);
        if (!a.isUnknown() && a.type() != INT4 && ts.cast(a.type(), INT4, -1, TypeSystem.CastContext.IMPLICIT) == null) {
            throw noSuchFunction(f, name, args);
        }
        return input.coerce(a, INT4, -1, TypeSystem.CastContext.IMPLICIT, null).ev();
    }

    private PgException noSuchFunction(Expr.FuncCall f, String name, List<Compiler.C> args) {
        return new PgException("42883", "function " + name + "(" + String.join(", ", args.stream()
                .map(a -> a.type() == Compiler.UNKNOWN ? "unknown" : ts.format(a.type(), -1)).toList())
                + ") does not exist", null,
                "No function matches the given name and argument types. You might need to add explicit type casts.",
                f.position(), null);
    }

    // ------------------------------------------------------------------ plan

    /**
     * The WindowAggs (and Sorts) over {@code plan}, in PostgreSQL's order. {@code queryOrder} and
     * {@code groupKeys} are the ORDER BY and GROUP BY keys' texts, which come first in the key order.
     */
    Plan build(Plan plan, List<Nodes.SortKey> queryOrder, List<String> groupKeys) {
        base[0] = plan.columns.size();
        for (WindowAgg.Func f : funcs) {
            f.slot = base[0] + f.slot;
        }
        List<OutCol> cols = new ArrayList<>(plan.columns);
        cols.addAll(funcCols);
        Map<String, Integer> ref = new HashMap<>();
        for (Nodes.SortKey k : queryOrder) {
            ref.putIfAbsent(k.text(), ref.size() + 1);
        }
        for (String g : groupKeys) {
            ref.putIfAbsent(g, ref.size() + 1);
        }
        for (Clause c : all) {
            for (Compiler.C p : c.partition) {
                ref.putIfAbsent(p.text(), ref.size() + 1);
            }
            for (Compiler.C o : c.order) {
                ref.putIfAbsent(o.text(), ref.size() + 1);
            }
        }
        List<Clause> active = new ArrayList<>();
        for (Clause c : all) {
            if (!c.funcs.isEmpty() && !active.contains(c)) {
                active.add(c);
            }
        }
        active.sort(Comparator.comparing((Clause c) -> c.sortKeys(), (a, b) -> commonPrefixCmp(a, b, ref)));
        List<Nodes.SortKey> current = List.of();
        for (Clause c : active) {
            List<Nodes.SortKey> keys = c.sortKeys();
            if (!keys.isEmpty() && !prefixOf(keys, current)) {
                plan = new Nodes.Sort(plan, c.shown().toArray(Nodes.SortKey[]::new));
                current = keys;
            }
            plan = new WindowAgg(plan, cols, c.partition.stream().map(Compiler.C::ev).toArray(Ev[]::new),
                    c.partition.stream().mapToInt(Compiler.C::type).toArray(),
                    c.order.stream().map(Compiler.C::ev).toArray(Ev[]::new),
                    c.order.stream().mapToInt(Compiler.C::type).toArray(), c.frame,
                    c.funcs.toArray(WindowAgg.Func[]::new));
        }
        ordering = current;
        return plan;
    }

    /** planner.c's common_prefix_cmp: key by key, the later-met key (then DESC, NULLS FIRST) first; longer first. */
    private static int commonPrefixCmp(List<Nodes.SortKey> a, List<Nodes.SortKey> b, Map<String, Integer> ref) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Nodes.SortKey x = a.get(i);
            Nodes.SortKey y = b.get(i);
            int c = Integer.compare(ref.get(y.text()), ref.get(x.text()));
            if (c != 0) {
                return c;
            }
            c = Boolean.compare(y.descending(), x.descending());
            if (c != 0) {
                return c;
            }
            c = Boolean.compare(y.nullsFirst(), x.nullsFirst());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(b.size(), a.size());
    }

    /** Whether rows sorted by {@code have} are sorted by {@code want} too. */
    static boolean prefixOf(List<Nodes.SortKey> want, List<Nodes.SortKey> have) {
        if (want.size() > have.size()) {
            return false;
        }
        for (int i = 0; i < want.size(); i++) {
            Nodes.SortKey w = want.get(i);
            Nodes.SortKey h = have.get(i);
            if (!w.text().equals(h.text()) || w.descending() != h.descending() || w.nullsFirst() != h.nullsFirst()) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ detection

    /** Whether a syntax tree has a window function call at this query level (not inside subqueries). */
    static boolean contains(Object n) {
        return RecursiveQueries.first(n, false, x -> x instanceof Expr.FuncCall f && f.over() != null) != null;
    }

}
