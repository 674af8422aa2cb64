package modgres.sql.exec;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import modgres.api.error.PgException;
import modgres.sql.ast.Alias;
import modgres.sql.ast.ColumnTarget;
import modgres.sql.ast.Dml;
import modgres.sql.ast.Expr;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.ResTarget;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.SetClause;
import modgres.sql.catalog.Relation;

/*
 * Design notes: automatically updatable views (PostgreSQL's rewriteHandler.c,
 * view_query_is_auto_updatable and rewriteTargetView), done on the syntax tree.
 *
 * An INSERT, UPDATE or DELETE whose target is a view is rewritten into the
 * same statement on the view's single base relation, then planned as usual
 * (the base may itself be a view: the rewrite repeats, one level at a time):
 *
 *   UPDATE v [AS x] SET c = e WHERE w RETURNING r
 *     ==>  UPDATE base [AS b] SET basecol(c) = e' WHERE (view's WHERE) AND w' RETURNING r'
 *
 * where e', w', r' are e, w, r with every reference to a view column (c, v.c,
 * x.c) replaced by the view's expression for it, in terms of the base
 * relation (subqueries inside them are not descended into). RETURNING * is
 * the view's columns. INSERT maps its target columns the same way; its rows
 * do not read the view. A view is updatable as PostgreSQL 15 decides: one
 * FROM item that is a table or view, no DISTINCT, GROUP BY, HAVING, set
 * operation, WITH, LIMIT/OFFSET, aggregate, window or set-returning function
 * in its select list; otherwise 55000 with PostgreSQL's DETAIL and HINT. A
 * column is updatable when the view selects a base column as it is.
 *
 * WITH CHECK OPTION (pg_class.reloptions check_option=local|cascaded): each
 * level that has a check option, or lies below a CASCADED one, adds its WHERE
 * (already in base terms) to the statement's pending checks, named after the
 * view; pending checks are rewritten with each further level. ModifyTable
 * evaluates them on the new row after writing it: not true (false or null)
 * is 44000 "new row violates check option for view". DELETE has no checks.
 */
/** Rewrites DML on automatically updatable views into DML on their base relations (see the design notes). */
public final class UpdatableViews {
    private UpdatableViews() {
    }

    /** A pending WITH CHECK OPTION condition: the view it comes from, the condition in the current target's terms. */
    record ViewCheck(String view, Expr cond) {
    }

    /** What the planner carries through the levels of one statement's rewrite. */
    static final class Pending {
        final List<ViewCheck> checks = new ArrayList<>();
        boolean cascade;
    }

    /** One view analysed: its base, each view column's expression over the base, the WHERE, the check option. */
    record Analysed(Relation view, RangeVar base, String baseAlias, Map<String, Expr> columns,
            Map<String, String> updatableColumns, Expr where, String checkOption) {
    }

    private static final Set<String> AGGREGATES = Set.of("count", "sum", "avg", "min", "max", "array_agg",
            "string_agg", "bool_and", "bool_or", "every", "bit_and", "bit_or", "bit_xor", "json_agg", "jsonb_agg",
            "json_object_agg", "jsonb_object_agg", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop",
            "var_samp", "corr", "covar_pop", "covar_samp", "regr_count", "percentile_cont", "percentile_disc",
            "mode", "xmlagg");
    private static final Set<String> SET_RETURNING = Set.of("generate_series", "unnest", "regexp_matches",
            "jsonb_array_elements", "json_array_elements", "jsonb_each", "json_each", "generate_subscripts");

    /** The check option of a view ("local", "cascaded") from its reloptions, or null. */
    static String checkOption(Relation view) {
        return option(view, "check_option");
    }

    static String option(Relation view, String name) {
        if (view.options() == null) {
            return null;
        }
        for (String o : view.options().split(",")) {
            String[] kv = o.split("=", 2);
            if (kv.length == 2 && kv[0].trim().equals(name)) {
                return kv[1].trim();
            }
        }
        return null;
    }

    /** Why the view is not automatically updatable (PostgreSQL's DETAIL), or null when it is. */
    static String notUpdatableReason(SelectStmt q, Planner planner) {
        if (q.with() != null) {
            return "Views containing WITH are not automatically updatable.";
        }
        if (!(q.body() instanceof SelectStmt.Simple s)) {
            return q.body() instanceof SelectStmt.SetOp
                    ? "Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable."
                    : "Views that do not select from a single table or view are not automatically updatable.";
        }
        if (s.distinct() || !s.distinctOn().isEmpty()) {
            return "Views containing DISTINCT are not automatically updatable.";
        }
        if (!s.groupBy().isEmpty()) {
            return "Views containing GROUP BY are not automatically updatable.";
        }
        if (s.having() != null) {
            return "Views containing HAVING are not automatically updatable.";
        }
        if (q.limitCount() != null || q.limitOffset() != null) {
            return "Views containing LIMIT or OFFSET are not automatically updatable.";
        }
        for (ResTarget t : s.targets()) {
            String f = functionKind(t.value());
            if (f != null) {
                return f;
            }
        }
        if (s.from().size() != 1 || !(s.from().get(0) instanceof RangeVar rv)) {
            return "Views that do not select from a single table or view are not automatically updatable.";
        }
        Relation base = planner.relation(rv);
        if (base.kind() != 'r' && base.kind() != 'p' && base.kind() != 'v') {
            return "Views that do not select from a single table or view are not automatically updatable.";
        }
        return null;
    }

    /** The reason a select-list expression makes a view not updatable (aggregate, window, set-returning). */
    private static String functionKind(Object node) {
        String[] found = new String[1];
        walk(node, n -> {
            if (found[0] == null && n instanceof Expr.FuncCall fc) {
                String name = fc.name().get(fc.name().size() - 1).toLowerCase(Locale.ROOT);
                if (fc.over() != null) {
                    found[0] = "Views that return window functions are not automatically updatable.";
                } else if (AGGREGATES.contains(name)) {
                    found[0] = "Views that return aggregate functions are not automatically updatable.";
                } else if (SET_RETURNING.contains(name)) {
                    found[0] = "Views that return set-returning functions are not automatically updatable.";
                }
            }
        });
        return found[0];
    }

    /** Analyses {@code view} as the target of {@code what} ("INSERT", "UPDATE", "DELETE"); 55000 if not updatable. */
    static Analysed analyse(Planner planner, Relation view, String what) {
        String sql = planner.viewDefinition(view.oid());
        if (sql == null) {
            throw new PgException("XX000", "could not find the query of view \"" + view.name() + "\"");
        }
        SelectStmt q = (SelectStmt) modgres.sql.parser.SqlParser.parseStatement(sql);
        String reason = notUpdatableReason(q, planner);
        if (reason != null) {
            throw notUpdatable(view, what, reason);
        }
        SelectStmt.Simple s = (SelectStmt.Simple) q.body();
        RangeVar rv = (RangeVar) s.from().get(0);
        Relation base = planner.relation(rv);
        String baseAlias = rv.alias() != null ? rv.alias().name() : rv.name();
        // the view's select list, * expanded over the base's columns
        List<Expr> exprs = new ArrayList<>();
        for (ResTarget t : s.targets()) {
            if (t.value() instanceof Expr.ColumnRef cr && cr.star()) {
                for (Relation.Column c : base.liveColumns()) {
                    exprs.add(new Expr.ColumnRef(cr.position(), List.of(c.name()), false));
                }
            } else {
                exprs.add(t.value());
            }
        }
        Map<String, Expr> columns = new LinkedHashMap<>();
        Map<String, String> updatable = new LinkedHashMap<>();
        List<Relation.Column> live = view.liveColumns();
        for (int i = 0; i < live.size() && i < exprs.size(); i++) {
            Expr e = exprs.get(i);
            columns.put(live.get(i).name(), e);
            if (e instanceof Expr.ColumnRef cr && !cr.star()
                    && (cr.fields().size() == 1 || cr.fields().size() == 2 && cr.fields().get(0).equals(baseAlias))) {
                Relation.Column bc = base.column(cr.fields().get(cr.fields().size() - 1));
                if (bc != null && !bc.dropped()) {
                    updatable.put(live.get(i).name(), bc.name());
                }
            }
        }
        if (updatable.isEmpty() && !what.equals("DELETE")) {
            throw notUpdatable(view, what, "Views that have no updatable columns are not automatically updatable.");
        }
        RangeVar target = new RangeVar(rv.position(), rv.catalog(), rv.schema(), rv.name(), rv.inherit(),
                rv.alias() == null ? null : new Alias(rv.alias().name(), List.of()));
        return new Analysed(view, target, baseAlias, columns, updatable, s.where(), checkOption(view));
    }

    static PgException notUpdatable(Relation view, String what, String detail) {
        String msg = switch (what) {
            case "INSERT" -> "cannot insert into view \"" + view.name() + "\"";
            case "UPDATE" -> "cannot update view \"" + view.name() + "\"";
            default -> "cannot delete from view \"" + view.name() + "\"";
        };
        String hint = switch (what) {
            case "INSERT" -> "To enable inserting into the view, provide an INSTEAD OF INSERT trigger or an "
                    + "unconditional ON INSERT DO INSTEAD rule.";
            case "UPDATE" -> "To enable updating the view, provide an INSTEAD OF UPDATE trigger or an "
                    + "unconditional ON UPDATE DO INSTEAD rule.";
            default -> "To enable deleting from the view, provide an INSTEAD OF DELETE trigger or an "
                    + "unconditional ON DELETE DO INSTEAD rule.";
        };
        return new PgException("55000", msg, detail, hint);
    }

    private static PgException columnNotUpdatable(Relation view, String col, boolean insert, int pos) {
        return new PgException("0A000", "cannot " + (insert ? "insert into" : "update") + " column \"" + col
                + "\" of view \"" + view.name() + "\"",
                "View columns that are not columns of their base relation are not updatable.", null, pos, null);
    }

    /** The substitution of references to the view's columns (qualified by {@code viewAlias} or not). */
    private static Function<Expr.ColumnRef, Expr> substitution(Analysed a, String viewAlias) {
        return cr -> {
            if (cr.star()) {
                return cr;
            }
            List<String> f = cr.fields();
            String col = f.get(f.size() - 1);
            if (f.size() == 2 && !f.get(0).equals(viewAlias) || f.size() > 2) {
                return cr;
            }
            Expr e = a.columns().get(col);
            return e == null ? cr : e;
        };
    }

    /** Adds this level's WHERE to the pending checks (rewritten to base terms) as the check options ask. */
    private static void levelChecks(Analysed a, Pending p, Function<Expr.ColumnRef, Expr> sub) {
        List<ViewCheck> mapped = new ArrayList<>();
        for (ViewCheck c : p.checks) {
            mapped.add(new ViewCheck(c.view(), (Expr) map(c.cond(), sub)));
        }
        p.checks.clear();
        p.checks.addAll(mapped);
        if ((a.checkOption() != null || p.cascade) && a.where() != null) {
            p.checks.add(new ViewCheck(a.view().name(), a.where()));
        }
        if ("cascaded".equals(a.checkOption())) {
            p.cascade = true;
        }
    }

    private static List<ResTarget> returning(Analysed a, List<ResTarget> in, String viewAlias,
            Function<Expr.ColumnRef, Expr> sub) {
        List<ResTarget> out = new ArrayList<>();
        for (ResTarget t : in) {
            if (t.value() instanceof Expr.ColumnRef cr && cr.star()
                    && (cr.fields().isEmpty() || cr.fields().get(cr.fields().size() - 1).equals(viewAlias))) {
                for (Map.Entry<String, Expr> e : a.columns().entrySet()) {
                    out.add(new ResTarget(t.position(), e.getValue(), e.getKey()));
                }
                continue;
            }
            String name = t.alias();
            if (name == null && t.value() instanceof Expr.ColumnRef cr && !cr.star()) {
                name = cr.fields().get(cr.fields().size() - 1);
            }
            out.add(new ResTarget(t.position(), (Expr) map(t.value(), sub), name));
        }
        return out;
    }

    private static Expr and(Expr a, Expr b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return new Expr.BoolExpr(a.position(), Expr.BoolOp.AND, List.of(a, b));
    }

    static Dml.Insert rewriteInsert(Planner planner, Dml.Insert ins, Relation view, Pending p) {
        Analysed a = analyse(planner, view, "INSERT");
        String viewAlias = ins.relation().alias() != null ? ins.relation().alias().name() : view.name();
        Function<Expr.ColumnRef, Expr> sub = substitution(a, viewAlias);
        List<String> names = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        if (ins.columns().isEmpty()) {
            int width = a.columns().size();
            if (ins.source() != null && ins.source().body() instanceof SelectStmt.Values v && ins.source().bare()) {
                width = 0;
                for (List<Expr> r : v.rows()) {
                    width = Math.max(width, r.size());
                }
            }
            for (String c : a.columns().keySet()) {
                if (names.size() < width) {
                    names.add(c);
                    positions.add(ins.relation().position());
                }
            }
        } else {
            for (ColumnTarget ct : ins.columns()) {
                if (!a.columns().containsKey(ct.name())) {
                    throw new PgException("42703", "column \"" + ct.name() + "\" of relation \"" + view.name()
                            + "\" does not exist", null, null, ct.position(), null);
                }
                names.add(ct.name());
                positions.add(ct.position());
            }
        }
        List<ColumnTarget> cols = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String base = a.updatableColumns().get(names.get(i));
            if (base == null) {
                throw columnNotUpdatable(view, names.get(i), true, positions.get(i));
            }
            List<Expr.IndirectionItem> ind = ins.columns().isEmpty() ? List.of() : ins.columns().get(i).indirection();
            cols.add(new ColumnTarget(positions.get(i), base, ind));
        }
        levelChecks(a, p, sub);
        return new Dml.Insert(ins.position(), ins.with(), a.base(), cols, ins.overriding(), ins.source(),
                ins.onConflict(), returning(a, ins.returning(), viewAlias, sub));
    }

    static Dml.Update rewriteUpdate(Planner planner, Dml.Update up, Relation view, Pending p) {
        Analysed a = analyse(planner, view, "UPDATE");
        String viewAlias = up.relation().alias() != null ? up.relation().alias().name() : view.name();
        Function<Expr.ColumnRef, Expr> sub = substitution(a, viewAlias);
        List<SetClause> set = new ArrayList<>();
        for (SetClause sc : up.set()) {
            List<ColumnTarget> targets = new ArrayList<>();
            for (ColumnTarget ct : sc.targets()) {
                if (!a.columns().containsKey(ct.name())) {
                    throw new PgException("42703", "column \"" + ct.name() + "\" of relation \"" + view.name()
                            + "\" does not exist", null, null, ct.position(), null);
                }
                String base = a.updatableColumns().get(ct.name());
                if (base == null) {
                    throw columnNotUpdatable(view, ct.name(), false, ct.position());
                }
                targets.add(new ColumnTarget(ct.position(), base, ct.indirection()));
            }
            set.add(new SetClause(sc.position(), targets, (Expr) map(sc.value(), sub), sc.multi()));
        }
        levelChecks(a, p, sub);
        Expr where = and(a.where(), up.where() == null ? null : (Expr) map(up.where(), sub));
        return new Dml.Update(up.position(), up.with(), a.base(), set, up.from(), where,
                returning(a, up.returning(), viewAlias, sub));
    }

    static Dml.Delete rewriteDelete(Planner planner, Dml.Delete del, Relation view, Pending p) {
        Analysed a = analyse(planner, view, "DELETE");
        String viewAlias = del.relation().alias() != null ? del.relation().alias().name() : view.name();
        Function<Expr.ColumnRef, Expr> sub = substitution(a, viewAlias);
        Expr where = and(a.where(), del.where() == null ? null : (Expr) map(del.where(), sub));
        return new Dml.Delete(del.position(), del.with(), a.base(), del.using(), where,
                returning(a, del.returning(), viewAlias, sub));
    }

    /** Whether PostgreSQL would call the view automatically updatable (information_schema's is_updatable). */
    static boolean isUpdatable(Planner planner, Relation view) {
        try {
            analyse(planner, view, "UPDATE");
            return true;
        } catch (PgException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ tree walking

    /**
     * A copy of {@code node} (an Expr or other syntax record, a list of them) with each column reference replaced
     * by {@code f}'s answer. Records are rebuilt through their canonical constructors; subqueries (SelectStmt) are
     * kept as they are: their column references belong to their own FROM items.
     */
    public static Object map(Object node, Function<Expr.ColumnRef, Expr> f) {
        return map(node, f, false);
    }

    /** As {@link #map(Object, Function)}, into subqueries too when {@code deep} (rules' NEW and OLD). */
    public static Object map(Object node, Function<Expr.ColumnRef, Expr> f, boolean deep) {
        if (node == null || node instanceof SelectStmt && !deep) {
            return node;
        }
        if (node instanceof Expr.ColumnRef cr) {
            return f.apply(cr);
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            boolean changed = false;
            for (Object o : l) {
                Object m = map(o, f, deep);
                changed |= m != o;
                out.add(m);
            }
            return changed ? out : l;
        }
        if (!(node instanceof Record) || !node.getClass().getPackageName().equals("modgres.sql.ast")) {
            return node;
        }
        RecordComponent[] rc = node.getClass().getRecordComponents();
        Object[] vals = new Object[rc.length];
        Class<?>[] types = new Class<?>[rc.length];
        boolean changed = false;
        try {
            for (int i = 0; i < rc.length; i++) {
                Object v = rc[i].getAccessor().invoke(node);
                Object m = map(v, f, deep);
                changed |= m != v;
                vals[i] = m;
                types[i] = rc[i].getType();
            }
            if (!changed) {
                return node;
            }
            Constructor<?> c = node.getClass().getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(vals);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + node.getClass().getName(), e);
        }
    }

    /** Visits every syntax record under {@code node} (not into subqueries). */
    static void walk(Object node, java.util.function.Consumer<Object> visit) {
        if (node == null || node instanceof SelectStmt) {
            return;
        }
        if (node instanceof List<?> l) {
            for (Object o : l) {
                walk(o, visit);
            }
            return;
        }
        if (!(node instanceof Record) || !node.getClass().getPackageName().equals("modgres.sql.ast")) {
            return;
        }
        visit.accept(node);
        try {
            for (RecordComponent rc : node.getClass().getRecordComponents()) {
                walk(rc.getAccessor().invoke(node), visit);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
