package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;
import modgres.sql.ast.Dml;
import modgres.sql.ast.Expr;
import modgres.sql.ast.ResTarget;
import modgres.sql.catalog.Inheritance;
import modgres.sql.catalog.Relation;

/*
 * Design notes: planning scans and writes of inheritance trees and
 * partitioned tables (PostgreSQL's expand_inherited_rtentry, partprune.c and
 * the inherited UPDATE/DELETE of PostgreSQL 14+).
 *
 * A table named without ONLY that has children stands for itself and all
 * its descendants: the "members". An inheritance parent is a member itself
 * (it may hold rows); a partitioned table (relkind 'p') holds none, so its
 * members are the leaf partitions, pruned first by the constant conditions
 * on the partition key (PartitionBounds.survives, level by level).
 *
 * SELECT: the FROM item's plan is an Append of one scan per member (Seq,
 * Index or Bitmap scan, each chosen for its own table with the conditions
 * pushed into it), or the single surviving member's scan, as PostgreSQL
 * shows it. Members are aliased <alias>_1, <alias>_2 ... in EXPLAIN; each
 * member's rows are rearranged into the parent's column layout when its
 * columns differ (a child with extra or reordered columns), system columns
 * (ctid, xmin, xmax, tableoid) carried along, so tableoid names the member.
 *
 * UPDATE / DELETE: one ModifyTable per member, each planned as if the
 * statement named the member (the SET, WHERE and RETURNING expressions are
 * resolved by column name in the member's layout; RETURNING * is expanded
 * to the parent's columns first), run in turn under one ModifyTable that
 * EXPLAIN prints as PostgreSQL 15 ("Update on p" / "Update on p1 p_1" /
 * Append). A partition's UPDATE carries the partition constraint and the
 * root's router, so a row whose key leaves its partition moves.
 */
/** Plans reads and writes of tables with inheritance children or partitions; see the design notes. */
final class InheritancePlanner {
    private final Planner planner;

    InheritancePlanner(Planner planner) {
        this.planner = planner;
    }

    /** Whether a reference to {@code rel} expands to members: a partitioned table, or a parent not named ONLY. */
    static boolean expands(modgres.sql.catalog.CatalogView cat, Relation rel, boolean inherit) {
        if (rel.kind() == 'p') {
            return true;
        }
        return inherit && !cat.inheritance().children(rel.oid()).isEmpty();
    }

    /** The members of {@code rel} a scan with the conditions {@code conds} (over {@code alias}) must read. */
    List<Relation> members(Relation rel, boolean inherit, List<Expr> conds, String alias) {
        List<Relation> out = new ArrayList<>();
        if (rel.kind() == 'p') {
            if (!inherit) {
                return out; // ONLY of a partitioned table: it holds no rows itself
            }
            PartitionBounds.Tree t = PartitionBounds.tree(planner, rel);
            if (t != null) {
                prune(t, conds, alias, out);
            }
            return out;
        }
        out.add(rel);
        if (!inherit) {
            return out;
        }
        Inheritance inh = planner.cat.inheritance();
        for (int c : inh.descendants(rel.oid())) {
            Relation r = planner.cat.relation(c);
            if (r == null || r.kind() == 'p' && inh.partitionKey(c) != null) {
                if (r != null) {
                    PartitionBounds.Tree t = PartitionBounds.tree(planner, r);
                    if (t != null) {
                        prune(t, conds, alias, out);
                    }
                }
                continue;
            }
            if (inh.partitionParent(c) != 0) {
                continue; // reached through its partitioned parent above
            }
            out.add(r);
        }
        return out;
    }

    private void prune(PartitionBounds.Tree t, List<Expr> conds, String alias, List<Relation> out) {
        PartitionBounds.KeyFilter f = keyFilter(t, conds, alias);
        for (PartitionBounds.Part p : t.all()) {
            if (!PartitionBounds.survives(t, p, f, planner.ts)) {
                continue;
            }
            if (p.sub != null) {
                prune(p.sub, conds, alias, out);
            } else if (!out.contains(p.rel)) {
                out.add(p.rel);
            }
        }
    }

    /** What the conditions say about the first key column of {@code t} (null when nothing). */
    private PartitionBounds.KeyFilter keyFilter(PartitionBounds.Tree t, List<Expr> conds, String alias) {
        if (t.isExpression(0)) {
            return null; // conditions on a key expression prune nothing here
        }
        String key = t.keyNames[0];
        int type = t.keyTypes[0];
        PartitionBounds.KeyFilter f = null;
        for (Expr e : conds) {
            try {
                if (e instanceof Expr.BinaryOp b && b.op().schema() == null) {
                    String op = b.op().name();
                    Object v;
                    if (isKey(b.left(), key, alias) && (v = constant(b.right(), type)) != NONE) {
                        f = f == null ? new PartitionBounds.KeyFilter() : f;
                        f.restrict(op, v, type, planner.ts);
                    } else if (isKey(b.right(), key, alias) && (v = constant(b.left(), type)) != NONE) {
                        f = f == null ? new PartitionBounds.KeyFilter() : f;
                        f.restrict(flip(op), v, type, planner.ts);
                    }
                } else if (e instanceof Expr.InList in && !in.not() && isKey(in.arg(), key, alias)) {
                    List<Object> vs = new ArrayList<>();
                    for (Expr x : in.values()) {
                        Object v = constant(x, type);
                        if (v == NONE) {
                            vs = null;
                            break;
                        }
                        vs.add(v);
                    }
                    if (vs != null) {
                        f = f == null ? new PartitionBounds.KeyFilter() : f;
                        f.in(vs, type, planner.ts);
                    }
                } else if (e instanceof Expr.NullTest nt && isKey(nt.arg(), key, alias)) {
                    f = f == null ? new PartitionBounds.KeyFilter() : f;
                    if (nt.not()) {
                        f.notNull = true;
                    } else {
                        f.isNull = true;
                    }
                }
            } catch (RuntimeException ignored) {
                // a condition that cannot be evaluated at plan time prunes nothing
            }
        }
        if (f != null && f.isNull && f.notNull) {
            f.impossible = true;
        }
        return f;
    }

    private static String flip(String op) {
        return switch (op) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            default -> op;
        };
    }

    private static boolean isKey(Expr e, String key, String alias) {
        if (!(e instanceof Expr.ColumnRef cr) || cr.star()) {
            return false;
        }
        List<String> f = cr.fields();
        return f.size() == 1 && f.get(0).equals(key) || f.size() == 2 && f.get(1).equals(key)
                && f.get(0).equals(alias);
    }

    private static final Object NONE = new Object();

    /** The value of a constant expression of the key's type (or an untyped literal), else NONE. */
    private Object constant(Expr e, int keyType) {
        if (!(e instanceof Expr.Constant || e instanceof Expr.TypeCast tc && tc.arg() instanceof Expr.Constant
                || e instanceof Expr.UnaryOp u && u.operand() instanceof Expr.Constant)) {
            return NONE;
        }
        Compiler c = planner.compiler(new Scope(null));
        Compiler.C v = c.compile(e);
        boolean ints = isInt(v.type()) && isInt(keyType);
        if (v.type() != keyType && !v.isUnknown() && !ints) {
            return NONE;
        }
        if (v.nullConst()) {
            return null;
        }
        Compiler.C k = c.coerce(v, keyType, -1, TypeSystem.CastContext.IMPLICIT, null);
        return k.ev().eval(null, null);
    }

    private static boolean isInt(int t) {
        return t == 20 || t == 21 || t == 23;
    }

    // ------------------------------------------------------------------ SELECT

    /** The plan reading {@code rel} and its members for FROM item {@code name}, with {@code quals} pushed in. */
    Plan scan(Relation rel, boolean inherit, String name, List<Expr> quals, Scope outer) {
        return scan(rel, inherit, name, quals, outer, null);
    }

    /**
     * As above; {@code parentNeeds}: what the statement reads of the parent's FROM item (column pruning), which
     * every member's scan serves through the member's layout (null: the members produce every column).
     */
    Plan scan(Relation rel, boolean inherit, String name, List<Expr> quals, Scope outer,
            ColumnUsage.ScanColumns parentNeeds) {
        List<Relation> members = members(rel, inherit, quals, name);
        List<OutCol> parentCols = Scans.tableColumns(rel, name);
        planner.columnUsage.register(parentNeeds, parentCols, true);
        List<Plan> plans = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Relation m = members.get(i);
            String alias = members.size() == 1 ? name : name + "_" + (i + 1);
            Planner.Item mi = planner.new Item(planner.seqScan(m, alias), name, m);
            if (mi.needs != null) {
                if (parentNeeds == null) {
                    mi.needs.readAll();
                } else {
                    mi.needs.serves(parentNeeds, m.oid() == rel.oid() ? null
                            : new PartitionBounds.Layout(m, rel).map);
                }
            }
            mi.pushed.addAll(quals);
            Plan p = quals.isEmpty() ? mi.plan : planner.scanWithQuals(mi, outer);
            plans.add(toParentLayout(p, m, rel, parentCols));
        }
        if (plans.size() == 1) {
            return plans.get(0);
        }
        return new Nodes.Append(parentCols, plans);
    }

    /** A member's rows rearranged into the parent's layout (attributes by name, then the system columns). */
    static Plan toParentLayout(Plan p, Relation member, Relation parent, List<OutCol> parentCols) {
        if (member.oid() == parent.oid()) {
            return p;
        }
        PartitionBounds.Layout l = new PartitionBounds.Layout(member, parent);
        if (l.identity) {
            return p;
        }
        int natts = parent.natts();
        Ev[] evs = new Ev[parentCols.size()];
        for (int i = 0; i < evs.length; i++) {
            int src = i < natts ? l.map[i] : member.natts() + (i - natts);
            evs[i] = src < 0 ? (row, ex) -> null : (row, ex) -> row[src];
        }
        return new Nodes.Project(p, parentCols, evs);
    }

    // ------------------------------------------------------------------ UPDATE / DELETE

    /** UPDATE or DELETE of {@code rel} and its members. */
    Planner.PlannedDml modify(Relation rel, String alias, Dml.Update up, Dml.Delete del) {
        boolean update = up != null;
        boolean inherit = update ? up.relation().inherit() : del.relation().inherit();
        Expr where = update ? up.where() : del.where();
        boolean joined = update ? !up.from().isEmpty() : !del.using().isEmpty();
        List<Expr> conds = new ArrayList<>();
        if (where != null && !joined) {
            Planner.flatten(where, conds);
        }
        List<Relation> members = members(rel, inherit, conds, alias);
        // RETURNING * means the parent's columns in every member (then the FROM / USING items' columns)
        List<ResTarget> ret = update ? up.returning() : del.returning();
        if (!ret.isEmpty()) {
            Planner.Item parentItem = planner.new Item(planner.seqScan(rel, alias), alias, rel);
            Scope scope = planner.tableScope(rel, alias);
            for (modgres.sql.ast.FromItem f : update ? up.from() : del.using()) {
                Planner.Item it = planner.fromItem(f, null);
                scope.add(it.name, it.cols);
            }
            ret = planner.expandStars(ret, List.of(parentItem), scope);
            ret = RowExpressions.parentWholeRows(ret, rel, alias);
        }
        Planner.PlannedDml top = update
                ? planner.modifyOn(rel, alias, alias, new Dml.Update(up.position(), up.with(), up.relation(),
                        up.set(), up.from(), up.where(), ret), null)
                : planner.modifyOn(rel, alias, alias, null, new Dml.Delete(del.position(), del.with(),
                        del.relation(), del.using(), del.where(), ret));
        PartitionRouting router = update && rel.kind() == 'p' ? new PartitionRouting(planner, rel) : null;
        List<ModifyTable> ms = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Relation m = members.get(i);
            String scanAlias = alias + "_" + (i + 1);
            Planner.PlannedDml pd = update
                    ? planner.modifyOn(m, alias, scanAlias, new Dml.Update(up.position(), up.with(), up.relation(),
                            up.set(), up.from(), up.where(), ret), null)
                    : planner.modifyOn(m, alias, scanAlias, null, new Dml.Delete(del.position(), del.with(),
                            del.relation(), del.using(), del.where(), ret));
            ModifyTable mt = pd.plan();
            if (update) {
                mt.partitionConstraint = PartitionRouting.Constraint.of(planner, m);
                if (router != null) {
                    mt.router = router;
                    mt.rootLayout = new PartitionBounds.Layout(m, rel);
                    mt.fromRootLayout = new PartitionBounds.Layout(rel, m);
                }
            }
            ms.add(mt);
            labels.add(m.name() + " " + scanAlias);
        }
        ModifyTable composite = top.plan();
        composite.members = ms;
        composite.memberLabels = labels;
        double rows = 0;
        double cost = 0;
        for (ModifyTable m : ms) {
            rows += m.rows;
            cost += m.totalCost;
        }
        composite.estimate(0, cost, rows);
        return new Planner.PlannedDml(composite, top.returning(), rel);
    }
}
