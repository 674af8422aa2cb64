package modgres.sql.exec;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import modgres.api.error.PgException;
import modgres.sql.ast.Expr;
import modgres.sql.ast.FromItem;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.WithClause;

/*
 * Design notes: WITH queries (PostgreSQL's parse_cte.c and the planning of
 * CTEs).
 *
 * Each WITH query is planned once and read through CTE Scans that share its
 * rows (CteScan). Under WITH RECURSIVE the queries may refer to later ones;
 * they are planned in dependency order, and a cycle through several queries
 * is PostgreSQL's "mutual recursion ... is not implemented". A query that
 * refers to itself must have the form non-recursive-term UNION [ALL]
 * recursive-term, with the self-reference exactly once in the recursive
 * term (a FROM subquery of it included), not inside a sublink, the nullable
 * side of an outer join, INTERSECT ALL or EXCEPT (but the left of a plain
 * EXCEPT), and no aggregates, ORDER BY, LIMIT, OFFSET or FOR UPDATE
 * (checkWellFormedRecursion's errors). Its columns take the types of the
 * non-recursive term (untyped literals of the recursive term's SELECT list
 * are read as those types); a recursive term whose columns would change them
 * is an error. The self-reference reads the working table of the Recursive
 * Union (a WorkTable Scan).
 */
/** Planning of WITH and WITH RECURSIVE; see the design notes. */
final class RecursiveQueries {
    private RecursiveQueries() {
    }

    /** A WITH query read once, planned in place of its reference (PostgreSQL inlines it). */
    record Inline(Plan plan) {
    }

    /** What the self-reference of a recursive query being planned resolves to. */
    record SelfReference(String name, List<OutCol> columns, RecursiveUnion.WorkTable table) {
    }

    private enum Context {
        OK(null), SUBQUERY("a subquery"), OUTER_JOIN("an outer join"), INTERSECT("INTERSECT"), EXCEPT("EXCEPT");

        final String where;

        Context(String where) {
            this.where = where;
        }
    }

    /**
     * Plans the queries of {@code with}, the WITH clause of {@code stmt} (a query or a DML statement); returns
     * its data-modifying queries, which the caller must see run (ModifyingCte).
     */
    static List<ModifyingCte> planWith(Planner pl, Object stmt, WithClause with, Scope outer) {
        List<ModifyingCte> modifying = new ArrayList<>();
        Map<String, WithClause.CommonTableExpr> byName = new LinkedHashMap<>();
        for (WithClause.CommonTableExpr cte : with.ctes()) {
            if (byName.put(cte.name(), cte) != null) {
                throw Compiler.err("42712", "WITH query name \"" + cte.name() + "\" specified more than once",
                        cte.position());
            }
        }
        if (!with.recursive()) {
            for (WithClause.CommonTableExpr cte : with.ctes()) {
                planQuery(pl, stmt, cte, outer, false, modifying);
            }
            return modifying;
        }
        // under RECURSIVE a query may refer to any of the list: plan them in dependency order
        List<WithClause.CommonTableExpr> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (WithClause.CommonTableExpr cte : with.ctes()) {
            visit(cte, byName, done, new ArrayList<>(), order);
        }
        for (WithClause.CommonTableExpr cte : order) {
            planQuery(pl, stmt, cte, outer, true, modifying);
        }
        return modifying;
    }

    private static void visit(WithClause.CommonTableExpr cte, Map<String, WithClause.CommonTableExpr> byName,
            Set<String> done, List<String> visiting, List<WithClause.CommonTableExpr> order) {
        if (done.contains(cte.name())) {
            return;
        }
        if (visiting.contains(cte.name())) {
            throw Compiler.err("0A000", "mutual recursion between WITH items is not implemented",
                    byName.get(visiting.get(0)).position());
        }
        visiting.add(cte.name());
        for (String other : byName.keySet()) {
            if (!other.equals(cte.name()) && firstReference(cte.query(), other, true) != null) {
                visit(byName.get(other), byName, done, visiting, order);
            }
        }
        visiting.remove(cte.name());
        done.add(cte.name());
        order.add(cte);
    }

    private static void planQuery(Planner pl, Object stmt, WithClause.CommonTableExpr cte, Scope outer,
            boolean recursiveWith, List<ModifyingCte> modifying) {
        if (cte.query() instanceof modgres.sql.ast.Dml dml) {
            modifying.add(planModifying(pl, stmt, cte, dml, outer));
            return;
        }
        if (!(cte.query() instanceof SelectStmt q)) {
            throw new PgException("0A000", "this statement is not supported in WITH", null, null,
                    cte.position(), null);
        }
        if (cte.search() != null || cte.cycle() != null) {
            throw Compiler.err("0A000", "SEARCH and CYCLE clauses are not supported yet", cte.position());
        }
        if (recursiveWith && firstReference(q, cte.name(), true) != null) {
            planRecursive(pl, cte, q, outer);
            return;
        }
        Planner.Planned p = pl.planSelect(q, outer);
        checkColumnCount(cte, p.columns().size());
        Plan plan = pl.rename(p, cte.columns());
        int[] refs = new int[1];
        first(stmt, true, n -> {
            if (n instanceof RangeVar rv && rv.schema() == null && rv.name().equals(cte.name())) {
                refs[0]++;
            }
            return false;
        });
        if (refs[0] == 1 && cte.materialized() != WithClause.Materialized.MATERIALIZED) {
            pl.ctes.put(cte.name(), new Inline(plan));
        } else {
            pl.ctes.put(cte.name(), new CteScan.Shared(plan, cte.name(), false));
        }
    }

    /** A data-modifying WITH query: planned as its statement, read through its RETURNING rows. */
    private static ModifyingCte planModifying(Planner pl, Object stmt, WithClause.CommonTableExpr cte,
            modgres.sql.ast.Dml dml, Scope outer) {
        if (outer != null) {
            throw new PgException("0A000", "WITH clause containing a data-modifying statement must be at the top"
                    + " level", null, null, cte.position(), null);
        }
        if (cte.search() != null || cte.cycle() != null) {
            throw Compiler.err("0A000", "SEARCH and CYCLE clauses are not supported yet", cte.position());
        }
        Planner.PlannedDml pd;
        if (dml instanceof modgres.sql.ast.Dml.Insert i) {
            pd = pl.planInsert(i);
        } else if (dml instanceof modgres.sql.ast.Dml.Update u) {
            pd = pl.planUpdate(u);
        } else if (dml instanceof modgres.sql.ast.Dml.Delete d) {
            pd = pl.planDelete(d);
        } else {
            throw Compiler.err("0A000", "this statement is not supported in WITH", cte.position());
        }
        List<OutCol> cols = pd.returning() == null ? List.of() : pd.returning();
        RangeVar ref = (RangeVar) first(stmt, true, n -> n instanceof RangeVar rv && rv.schema() == null
                && rv.name().equals(cte.name()));
        if (ref != null && pd.returning() == null) {
            throw new PgException("0A000", "WITH query \"" + cte.name() + "\" does not have a RETURNING clause",
                    null, null, ref.position(), null);
        }
        checkColumnCount(cte, cols.size());
        List<OutCol> named = new ArrayList<>();
        for (int i = 0; i < cols.size(); i++) {
            OutCol c = cols.get(i);
            named.add(new OutCol(i < cte.columns().size() ? cte.columns().get(i) : c.name(), c.type(), c.typmod(),
                    0, 0, false, null));
        }
        ModifyingCte m = new ModifyingCte(pd.plan(), named);
        pl.ctes.put(cte.name(), new CteScan.Shared(m.scan(), cte.name(), false));
        return m;
    }

    private static void checkColumnCount(WithClause.CommonTableExpr cte, int available) {
        if (cte.columns().size() > available) {
            throw Compiler.err("42P10", "WITH query \"" + cte.name() + "\" has " + available
                    + " columns available but " + cte.columns().size() + " columns specified", cte.position());
        }
    }

    private static void planRecursive(Planner pl, WithClause.CommonTableExpr cte, SelectStmt q, Scope outer) {
        String name = cte.name();
        if (!(q.body() instanceof SelectStmt.SetOp op) || op.op() != SelectStmt.SetOpKind.UNION) {
            throw Compiler.err("42P19", "recursive query \"" + name
                    + "\" does not have the form non-recursive-term UNION [ALL] recursive-term", cte.position());
        }
        RangeVar inLeft = firstReference(op.left(), name, true);
        if (inLeft != null) {
            throw Compiler.err("42P19", "recursive reference to query \"" + name
                    + "\" must not appear within its non-recursive term", inLeft.position());
        }
        if (!q.orderBy().isEmpty()) {
            throw Compiler.err("0A000", "ORDER BY in a recursive query is not implemented",
                    q.orderBy().get(0).position());
        }
        if (q.limitOffset() != null) {
            throw Compiler.err("0A000", "OFFSET in a recursive query is not implemented", q.limitOffset().position());
        }
        if (q.limitCount() != null) {
            throw Compiler.err("0A000", "LIMIT in a recursive query is not implemented", q.limitCount().position());
        }
        if (!q.locking().isEmpty()) {
            throw Compiler.err("0A000", "FOR UPDATE/SHARE in a recursive query is not implemented", q.position());
        }
        checkTerm(op.right(), name, Context.OK, new int[1]);
        checkAggregates(op.right(), name, pl.ts);
        if (q.with() != null) {
            planWith(pl, q, q.with(), outer);
        }
        Planner.Planned nonRecursive = pl.planSelect(op.left(), outer);
        checkColumnCount(cte, nonRecursive.columns().size());
        List<OutCol> cols = new ArrayList<>();
        for (int i = 0; i < nonRecursive.columns().size(); i++) {
            OutCol c = nonRecursive.columns().get(i);
            cols.add(new OutCol(i < cte.columns().size() ? cte.columns().get(i) : c.name(), c.type(), c.typmod(), 0,
                    0, false, null));
        }
        RecursiveUnion.WorkTable table = new RecursiveUnion.WorkTable();
        pl.ctes.put(name, new SelfReference(name, cols, table));
        Planner.Planned recursive = pl.planSelect(typedLiterals(op.right(), cols, pl.ts), outer);
        if (recursive.columns().size() != cols.size()) {
            throw Compiler.err("42601", "each UNION query must have the same number of columns",
                    op.right().position());
        }
        Ev[] conv = new Ev[cols.size()];
        boolean converts = false;
        for (int i = 0; i < cols.size(); i++) {
            OutCol a = cols.get(i);
            OutCol b = recursive.columns().get(i);
            int t = a.type() == b.type() ? a.type() : pl.ts.commonType(new int[] {a.type(), b.type()}, "UNION");
            int typmod = a.type() == b.type() && a.typmod() == b.typmod() ? a.typmod() : -1;
            if (t != a.type() || typmod != a.typmod()) {
                int pos = op.left().body() instanceof SelectStmt.Simple s && i < s.targets().size()
                        ? leftmost(s.targets().get(i).value()) : op.left().position();
                throw new PgException("42804", "recursive query \"" + name + "\" column " + (i + 1) + " has type "
                        + pl.ts.format(a.type(), a.typmod()) + " in non-recursive term but type "
                        + pl.ts.format(t, typmod) + " overall", null,
                        "Cast the output of the non-recursive term to the correct type.", pos, null);
            }
            int x = i;
            if (b.type() == t) {
                conv[i] = (row, ex) -> row[x];
            } else {
                TypeSystem.Cast cast = pl.ts.cast(b.type(), t, -1, TypeSystem.CastContext.IMPLICIT);
                conv[i] = (row, ex) -> row[x] == null ? null : cast.apply(row[x], ex);
                converts = true;
            }
        }
        Plan rec = converts ? new Nodes.Project(recursive.plan(), cols, conv) : recursive.plan();
        Plan union = new RecursiveUnion(cols, nonRecursive.plan(), rec, op.all(), table);
        pl.ctes.put(name, new CteScan.Shared(union, name, true));
    }

    /** Where PostgreSQL's exprLocation puts an expression: the leftmost of its own and its operands' places. */
    private static int leftmost(Expr e) {
        if (e instanceof Expr.TypeCast tc) {
            return Math.min(tc.position(), leftmost(tc.arg()));
        }
        if (e instanceof Expr.BinaryOp b) {
            return Math.min(b.position(), leftmost(b.left()));
        }
        return e.position();
    }

    /**
     * The recursive term with its untyped literals ('x', NULL) in SELECT lists cast to the column types of the
     * non-recursive term, as PostgreSQL resolves them (so 'x' for an integer column is an input error).
     */
    private static SelectStmt typedLiterals(SelectStmt q, List<OutCol> cols, TypeSystem ts) {
        if (q.body() instanceof SelectStmt.SetOp op) {
            return new SelectStmt(q.position(), q.with(), new SelectStmt.SetOp(op.position(), op.op(), op.all(),
                    typedLiterals(op.left(), cols, ts), typedLiterals(op.right(), cols, ts)), q.orderBy(),
                    q.limitCount(), q.limitOffset(), q.withTies(), q.locking());
        }
        if (!(q.body() instanceof SelectStmt.Simple s) || s.targets().size() != cols.size()) {
            return q;
        }
        List<modgres.sql.ast.ResTarget> targets = new ArrayList<>();
        boolean changed = false;
        for (int i = 0; i < s.targets().size(); i++) {
            modgres.sql.ast.ResTarget t = s.targets().get(i);
            if (t.value() instanceof Expr.Constant k && (k.kind() == Expr.ConstKind.STRING
                    || k.kind() == Expr.ConstKind.NULL)) {
                OutCol c = cols.get(i);
                Expr cast = modgres.sql.parser.SqlParser.parseExpression("NULL::" + ts.format(c.type(), c.typmod()));
                targets.add(new modgres.sql.ast.ResTarget(t.position(),
                        new Expr.TypeCast(k.position(), k, ((Expr.TypeCast) cast).type()), t.alias()));
                changed = true;
            } else {
                targets.add(t);
            }
        }
        if (!changed) {
            return q;
        }
        return new SelectStmt(q.position(), q.with(), new SelectStmt.Simple(s.position(), s.distinct(),
                s.distinctOn(), targets, s.into(), s.from(), s.where(), s.groupByDistinct(), s.groupBy(),
                s.having(), s.windows()), q.orderBy(), q.limitCount(), q.limitOffset(), q.withTies(), q.locking());
    }

    // ------------------------------------------------------------------ checks

    /** checkWellFormedRecursion: where the self-reference may appear in the recursive term. */
    private static void checkTerm(SelectStmt q, String name, Context ctx, int[] count) {
        if (q.with() != null) {
            for (WithClause.CommonTableExpr c : q.with().ctes()) {
                if (c.name().equals(name)) {
                    return; // the name means that inner query here
                }
            }
            for (WithClause.CommonTableExpr c : q.with().ctes()) {
                noReference(c.query(), name, Context.SUBQUERY);
            }
        }
        if (q.body() instanceof SelectStmt.SetOp op) {
            switch (op.op()) {
                case INTERSECT -> {
                    checkTerm(op.left(), name, op.all() ? Context.INTERSECT : ctx, count);
                    checkTerm(op.right(), name, op.all() ? Context.INTERSECT : ctx, count);
                }
                case EXCEPT -> {
                    checkTerm(op.left(), name, op.all() ? Context.EXCEPT : ctx, count);
                    checkTerm(op.right(), name, Context.EXCEPT, count);
                }
                default -> {
                    checkTerm(op.left(), name, ctx, count);
                    checkTerm(op.right(), name, ctx, count);
                }
            }
        } else if (q.body() instanceof SelectStmt.Simple s) {
            for (FromItem f : s.from()) {
                checkFrom(f, name, ctx, count);
            }
            noReference(List.of(s.targets(), s.distinctOn(), s.groupBy(), s.windows()), name, Context.SUBQUERY);
            noReference(s.where(), name, Context.SUBQUERY);
            noReference(s.having(), name, Context.SUBQUERY);
        } else {
            noReference(q.body(), name, Context.SUBQUERY);
        }
        noReference(q.orderBy(), name, Context.SUBQUERY);
        noReference(q.limitCount(), name, Context.SUBQUERY);
        noReference(q.limitOffset(), name, Context.SUBQUERY);
    }

    private static void checkFrom(FromItem f, String name, Context ctx, int[] count) {
        if (f instanceof RangeVar rv) {
            if (rv.schema() == null && rv.name().equals(name)) {
                if (ctx != Context.OK) {
                    throw referenceError(name, ctx, rv.position());
                }
                if (++count[0] > 1) {
                    throw Compiler.err("42P19", "recursive reference to query \"" + name
                            + "\" must not appear more than once", rv.position());
                }
            }
        } else if (f instanceof FromItem.Join j) {
            boolean left = j.type() == FromItem.JoinType.LEFT;
            boolean right = j.type() == FromItem.JoinType.RIGHT;
            boolean full = j.type() == FromItem.JoinType.FULL;
            checkFrom(j.left(), name, right || full ? Context.OUTER_JOIN : ctx, count);
            checkFrom(j.right(), name, left || full ? Context.OUTER_JOIN : ctx, count);
            noReference(j.on(), name, Context.SUBQUERY);
        } else if (f instanceof FromItem.Subselect sq) {
            checkTerm(sq.query(), name, ctx, count); // a FROM subquery is part of the term (a sublink is not)
        } else {
            noReference(f, name, Context.SUBQUERY);
        }
    }

    private static PgException referenceError(String name, Context ctx, int pos) {
        return Compiler.err("42P19", "recursive reference to query \"" + name + "\" must not appear within "
                + ctx.where, pos);
    }

    private static void noReference(Object node, String name, Context ctx) {
        RangeVar r = firstReference(node, name, true);
        if (r != null) {
            throw referenceError(name, ctx, r.position());
        }
    }

    /** Aggregates at the recursive term's own level are an error (PostgreSQL's EXPR_KIND check). */
    private static void checkAggregates(SelectStmt q, String name, TypeSystem ts) {
        if (q.body() instanceof SelectStmt.SetOp op) {
            checkAggregates(op.left(), name, ts);
            checkAggregates(op.right(), name, ts);
            return;
        }
        Expr.FuncCall agg = (Expr.FuncCall) first(q.body(), false, n -> n instanceof Expr.FuncCall f
                && f.over() == null && (f.star() || ts.isAggregate(f.name().get(f.name().size() - 1))));
        if (agg != null) {
            throw Compiler.err("42P19",
                    "aggregate functions are not allowed in a recursive query's recursive term", agg.position());
        }
    }

    // ------------------------------------------------------------------ tree walking

    /** The first unqualified reference to {@code name} in FROM clauses of the tree (and its subqueries). */
    static RangeVar firstReference(Object node, String name, boolean intoSubqueries) {
        return (RangeVar) first(node, intoSubqueries, n -> n instanceof RangeVar rv && rv.schema() == null
                && rv.name().equals(name));
    }

    /** The first node of a syntax tree (records and lists, depth first in source order) that {@code p} accepts. */
    static Object first(Object n, boolean intoSubqueries, Predicate<Object> p) {
        if (n == null) {
            return null;
        }
        if (p.test(n)) {
            return n;
        }
        if (n instanceof SelectStmt && !intoSubqueries) {
            return null;
        }
        if (n instanceof List<?> l) {
            for (Object o : l) {
                Object f = first(o, intoSubqueries, p);
                if (f != null) {
                    return f;
                }
            }
            return null;
        }
        if (n instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                Object v;
                try {
                    v = c.getAccessor().invoke(r);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                if (v instanceof SelectStmt && !intoSubqueries) {
                    continue;
                }
                Object f = first(v, intoSubqueries, p);
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }
}
