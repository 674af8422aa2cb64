package modgres.sql.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import modgres.api.access.RowLockMode;
import modgres.api.error.PgException;
import modgres.sql.ast.Alias;
import modgres.sql.ast.Dml;
import modgres.sql.ast.OnConflict;
import modgres.sql.ast.Expr;
import modgres.sql.ast.FromItem;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.ResTarget;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.SetClause;
import modgres.sql.ast.SortBy;
import modgres.sql.catalog.CatalogView;
import modgres.sql.catalog.Namespace;
import modgres.sql.catalog.Relation;

/*
 * Design notes: planning (PostgreSQL's analyze + planner, simplified).
 *
 * SELECT
 *   1. FROM items become plans with scope entries: tables a Seq Scan or an
 *      Index Scan, subqueries their own plan, explicit JOINs a join of their
 *      sides (ON conditions split into hash keys and a join filter).
 *   2. WHERE is split into conjuncts. A conjunct that only one table refers
 *      to is pushed into that table's scan (and may select an index on it:
 *      col = / < / <= / > / >= value where value does not depend on the
 *      table and the column leads a B-tree); an equality between columns of
 *      two sides becomes a hash join key when the sides are joined; the
 *      rest is checked after the last join that makes it computable.
 *   3. Comma-separated FROM items are joined left-deep in the order written
 *      (hash join when an equi-join conjunct connects them, else nested loop).
 *   4. GROUP BY / aggregates add an Aggregate node; the SELECT list, HAVING
 *      and ORDER BY are then compiled against its output (Compiler.Grouping).
 *      Window functions in the SELECT list and ORDER BY add WindowAggs (each
 *      over a Sort unless the rows are in its order already) above that
 *      (Windowing).
 *   5. The SELECT list is projected together with any ORDER BY expressions
 *      that are not output columns (hidden), then DISTINCT, sorted, limited,
 *      and trimmed to the visible columns. DISTINCT ON sorts first (by ORDER
 *      BY, which its expressions must lead) and keeps the first row of each
 *      run (UniqueOn).
 * Set operations plan both sides and unify column types; UNION removes
 * duplicates by hashing. WITH queries are planned first (RecursiveQueries):
 * read once they are planned in place like FROM subqueries, else shared
 * through CTE Scans; WITH RECURSIVE becomes a Recursive Union. A view is
 * planned as a subquery of its stored query (pg_rewrite), with the WITH
 * queries of the statement out of scope; what a statement reads (relations,
 * columns, the schemas names were found in) is recorded for CREATE VIEW.
 *
 * Estimates: a table's rows come from its size in pages (about
 * 8192 / (width + 28) tuples per page); selectivities are PostgreSQL's
 * defaults (0.005 for =, 1/3 for ranges, 1 row for a unique key).
 */
/** Builds executor plans from statements; see the design notes. */
public final class Planner {
    final TypeSystem ts;
    final CatalogView cat;
    final List<String> searchPath;
    /** The current role for row-level security (RowSecurity); null: no policy applies (e.g. a superuser). */
    public RowSecurity.Context rowSecurity;
    public final Compiler.Params params;
    final RelationSizes sizes;
    /**
     * The WITH queries in scope by name: a CteScan.Shared (read through CTE Scans), a RecursiveQueries.Inline
     * (read once, planned in place) or, while a recursive query's own term is planned, its SelfReference.
     */
    final Map<String, Object> ctes = new HashMap<>();
    /**
     * The relations (tables and views) the statement names, and the schemas they were found in by the position
     * of their name: what a view records as its dependencies and qualifies in its stored definition. Views and
     * system views expanded while planning do not add theirs (their texts have positions of their own).
     */
    public final java.util.Set<Integer> referenced = new java.util.LinkedHashSet<>();
    /**
     * The relations a view the statement reads refers to, each with the owner of the (innermost) view:
     * PostgreSQL checks a view's relations as the view's owner, not as the statement's role.
     */
    public final List<int[]> viewReads = new ArrayList<>();
    private final java.util.ArrayDeque<Integer> viewOwners = new java.util.ArrayDeque<>();
    public final Map<Integer, String> resolvedSchemas = new HashMap<>();
    /** The columns the statement reads (relation OID << 16 | attnum), for a view's column dependencies. */
    public final java.util.Set<Long> referencedColumns = new java.util.LinkedHashSet<>();
    /** Column pruning: what the statement reads of each FROM item over a table (see ColumnUsage). */
    final ColumnUsage columnUsage = new ColumnUsage();
    private int expanding;
    /** The views being expanded (a view whose query reads itself, through CREATE OR REPLACE, is an error). */
    private final java.util.Set<Integer> viewStack = new java.util.HashSet<>();
    /** The FOR UPDATE/SHARE clauses of the query level being planned (empty when none). */
    private List<modgres.sql.ast.LockingClause> locking = List.of();

    /** The size of a table in pages, for estimates. */
    @FunctionalInterface
    public interface RelationSizes {
        int pages(Relation rel);
    }

    public Planner(TypeSystem ts, CatalogView cat, List<String> searchPath, int[] paramTypes, RelationSizes sizes) {
        this.ts = ts;
        this.cat = cat;
        this.searchPath = searchPath;
        this.params = new Compiler.Params(paramTypes);
        this.sizes = sizes;
    }

    // ------------------------------------------------------------------ relations

    /** Finds a table by (schema-qualified) name: 42P01 when missing. */
    public Relation relation(RangeVar rv) {
        Relation r = lookup(rv.schema(), rv.name());
        if (r == null) {
            throw new PgException("42P01", "relation \"" + (rv.schema() == null ? "" : rv.schema() + ".") + rv.name()
                    + "\" does not exist", null, null, rv.position(), null);
        }
        return r;
    }

    public Relation lookup(String schema, String name) {
        if ("pg_temp".equals(schema)) {
            schema = tempSchema == null ? "pg_temp" : tempSchema;
        }
        if (schema != null) {
            Namespace ns = cat.namespace(schema);
            if (ns == null) {
                throw new PgException("3F000", "schema \"" + schema + "\" does not exist");
            }
            usedTempSchema |= schema.equals(tempSchema);
            return cat.relation(ns.oid(), name);
        }
        for (String s : effectivePath()) {
            Namespace ns = cat.namespace(s);
            if (ns != null) {
                Relation r = cat.relation(ns.oid(), name);
                if (r != null) {
                    usedTempSchema |= s.equals(tempSchema);
                    return r;
                }
            }
        }
        return null;
    }

    /** The session's temporary schema (searched first for relations), or null. */
    public String tempSchema;

    /** Set once a name resolved into the temporary schema: the transaction used a temporary object. */
    public boolean usedTempSchema;

    /** The search path with the temporary schema and pg_catalog first unless listed (as PostgreSQL searches it). */
    public List<String> effectivePath() {
        List<String> p = new ArrayList<>();
        if (tempSchema != null && !searchPath.contains("pg_temp")) {
            p.add(tempSchema);
        }
        if (!searchPath.contains("pg_catalog")) {
            p.add("pg_catalog");
        }
        for (String s : searchPath) {
            p.add(s.equals("pg_temp") && tempSchema != null ? tempSchema : s);
        }
        return p;
    }

    /**
     * The estimated row count of a table (PostgreSQL's table_block_relation_estimate_size): its current
     * pages times the density ANALYZE or VACUUM recorded (pg_class.reltuples / relpages); before either
     * ran, the density of rows of the columns' typical width, and at least 10 pages, so a new small table
     * is not taken for an empty one.
     */
    private final Map<Integer, Double> pagesSeen = new HashMap<>();

    /** A table's current size in pages, asked of the storage once per plan (estimates ask several times). */
    double pagesOf(Relation rel) {
        Double p = pagesSeen.get(rel.oid());
        if (p == null) {
            p = (double) sizes.pages(rel);
            pagesSeen.put(rel.oid(), p);
        }
        return p;
    }

    double tuples(Relation rel, int width) {
        double pages = pagesOf(rel);
        double[] stats = pgClassFigures(rel);
        double reltuples = stats[0];
        double relpages = stats[1];
        if (pages < 10 && reltuples < 0) {
            pages = 10;
        }
        double density;
        if (reltuples >= 0 && relpages > 0) {
            density = reltuples / relpages;
        } else {
            int dataWidth = 0;
            for (Relation.Column c : rel.columns()) {
                if (!c.dropped()) {
                    dataWidth += Plan.widthOf(c.type());
                }
            }
            density = Math.floor(8168.0 / (dataWidth + 28));
        }
        return Math.max(1, Math.rint(density * pages));
    }

    /** pg_class's reltuples (-1 when never analyzed or vacuumed) and relpages of a table, read once per plan. */
    private double[] pgClassFigures(Relation rel) {
        return classFigures.computeIfAbsent(rel.oid(), oid -> {
            modgres.sql.catalog.CatalogStore.Row row = cat.classRow(oid);
            Object t = row == null ? null : row.get(modgres.sql.catalog.SysTable.PG_CLASS, "reltuples");
            Object p = row == null ? null : row.get(modgres.sql.catalog.SysTable.PG_CLASS, "relpages");
            double tuples = t == null ? -1 : ((Number) t).doubleValue();
            double pages = p == null ? 0 : ((Number) p).doubleValue();
            return new double[] {pages == 0 && tuples <= 0 ? -1 : tuples, pages};
        });
    }

    private final Map<Integer, double[]> classFigures = new HashMap<>();

    // ------------------------------------------------------------------ SELECT

    /** A planned query: its plan and the visible output columns (names for RowDescription). */
    public record Planned(Plan plan, List<OutCol> columns) {
    }

    /** Column names in EXPLAIN texts carry their table when the query reads more than one relation. */
    boolean qualify;

    /** Every expression text names its columns' tables (EXPLAIN VERBOSE of a statement reading several). */
    public void qualifyAll(boolean all) {
        qualify |= all;
    }

    /** The statement's sub-plans, named by EXPLAIN. */
    public final SubPlans subPlans = new SubPlans();
    /** EXPLAIN VERBOSE: a scan's own conditions name their columns' table too. */
    public boolean verbose;

    Compiler compiler(Scope s) {
        Compiler c = new Compiler(ts, params, s, this::subquery);
        c.qualify = qualify;
        c.subPlans = subPlans;
        c.viewDefinitions = this::viewDefinitionOf;
        c.relationUpdatability = this::relationUpdatability;
        if (expanding == 0) {
            c.columnUse = (rel, att) -> referencedColumns.add(((long) rel << 16) | att);
        }
        c.columnUsage = columnUsage;
        return c;
    }

    /** pg_get_viewdef's lookup (in the catalog the statement was planned with): by OID or by (qualified) name. */
    private String viewDefinitionOf(Object view) {
        if (view instanceof Number n) {
            return viewDefinition(n.intValue());
        }
        String[] parts = view.toString().split("\\.", 2);
        Relation r = parts.length == 2 ? lookup(parts[0], parts[1]) : lookup(null, parts[0]);
        if (r == null) {
            throw new PgException("42P01", "relation \"" + view + "\" does not exist");
        }
        return viewDefinition(r.oid());
    }

    Plan subquery(SelectStmt q, Scope outer) {
        return planSelect(q, outer).plan();
    }

    public Planned planSelect(SelectStmt s, Scope outer) {
        // WITH queries are visible in this query (and its subqueries) only
        Map<String, Object> savedCtes = s.with() == null ? null : new HashMap<>(ctes);
        List<modgres.sql.ast.LockingClause> saved = locking;
        try {
            List<ModifyingCte> modifying = s.with() == null ? List.of()
                    : RecursiveQueries.planWith(this, s, s.with(), outer);
            if (!s.locking().isEmpty() && !(s.body() instanceof SelectStmt.Simple)) {
                throw new PgException("0A000", "FOR UPDATE is not allowed with UNION/INTERSECT/EXCEPT", null, null,
                        s.position(), null);
            }
            locking = s.locking();
            Planned p = planBody(s.body(), outer, s.orderBy(), s.limitCount(), s.limitOffset());
            // data-modifying WITH queries run to completion even when the query does not read them all
            return modifying.isEmpty() ? p : new Planned(ModifyingCte.finishing(p.plan(), modifying), p.columns());
        } finally {
            locking = saved;
            if (savedCtes != null) {
                ctes.clear();
                ctes.putAll(savedCtes);
            }
        }
    }

    Plan rename(Planned p, List<String> names) {
        return rename(p, names, null);
    }

    Plan rename(Planned p, List<String> names, String alias) {
        if (names.isEmpty()) {
            return p.plan();
        }
        if (alias != null && names.size() > p.columns().size()) {
            throw new PgException("42P10", "table \"" + alias + "\" has " + p.columns().size()
                    + " columns available but " + names.size() + " columns specified");
        }
        List<OutCol> cols = new ArrayList<>();
        for (int i = 0; i < p.columns().size(); i++) {
            OutCol c = p.columns().get(i);
            cols.add(i < names.size() ? c.withName(names.get(i)) : c);
        }
        Ev[] evs = new Ev[cols.size()];
        for (int i = 0; i < evs.length; i++) {
            int x = i;
            evs[i] = (row, ex) -> row[x];
        }
        return new Nodes.Project(p.plan(), cols, evs);
    }

    private Planned planBody(SelectStmt.QueryBody body, Scope outer, List<SortBy> orderBy, Expr limit, Expr offset) {
        if (body instanceof SelectStmt.Simple simple) {
            return planSimple(simple, outer, orderBy, limit, offset);
        }
        Planned p;
        if (body instanceof SelectStmt.Values v) {
            p = planValues(v, outer);
        } else {
            p = planSetOp((SelectStmt.SetOp) body, outer);
        }
        return finishSorted(p, outer, orderBy, limit, offset);
    }

    /** ORDER BY output columns, LIMIT and OFFSET over a VALUES list or a set operation. */
    private Planned finishSorted(Planned p, Scope outer, List<SortBy> orderBy, Expr limit, Expr offset) {
        Plan plan = p.plan();
        if (!orderBy.isEmpty()) {
            Scope sc = new Scope(outer);
            sc.add(null, p.columns());
            Compiler c = compiler(sc);
            List<Nodes.SortKey> keys = new ArrayList<>();
            for (SortBy sb : orderBy) {
                C0 k = outputRef(sb.expr(), p.columns());
                Compiler.C ce = k != null ? k.c : c.finish(c.compile(sb.expr()));
                keys.add(sortKey(sb, ce));
            }
            plan = new Nodes.Sort(plan, keys.toArray(Nodes.SortKey[]::new));
        }
        plan = limit(plan, limit, offset, outer);
        return new Planned(plan, p.columns());
    }

    private record C0(Compiler.C c) {
    }

    /** ORDER BY 2 or ORDER BY name of an output column. */
    private C0 outputRef(Expr e, List<OutCol> cols) {
        if (e instanceof Expr.Constant k && k.kind() == Expr.ConstKind.INTEGER) {
            int n = Integer.parseInt(k.value());
            if (n < 1 || n > cols.size()) {
                throw new PgException("42P10", "ORDER BY position " + n + " is not in select list", null, null,
                        k.position(), null);
            }
            OutCol c = cols.get(n - 1);
            int idx = n - 1;
            return new C0(new Compiler.C(c.type(), c.typmod(), (row, ex) -> row[idx], c.name(), 2, null, false, -1,
                    c.name(), k.position()));
        }
        if (e instanceof Expr.ColumnRef r && r.fields().size() == 1 && !r.star()) {
            String name = r.fields().get(0);
            int found = -1;
            for (int i = 0; i < cols.size(); i++) {
                if (!cols.get(i).hidden() && cols.get(i).name().equals(name)) {
                    if (found >= 0) {
                        throw new PgException("42702", "ORDER BY \"" + name + "\" is ambiguous", null, null,
                                r.position(), null);
                    }
                    found = i;
                }
            }
            if (found >= 0) {
                OutCol c = cols.get(found);
                int idx = found;
                return new C0(new Compiler.C(c.type(), c.typmod(), (row, ex) -> row[idx], c.name(), 2, null, false,
                        -1, c.name(), r.position()));
            }
        }
        return null;
    }

    static Nodes.SortKey sortKey(SortBy sb, Compiler.C c) {
        boolean desc = sb.direction() == SortBy.Direction.DESC;
        boolean nullsFirst = sb.nulls() == SortBy.Nulls.DEFAULT ? desc : sb.nulls() == SortBy.Nulls.FIRST;
        if (sb.direction() == SortBy.Direction.USING) {
            String op = sb.usingOp().name();
            desc = op.equals(">") || op.equals(">=");
            nullsFirst = sb.nulls() == SortBy.Nulls.DEFAULT ? desc : sb.nulls() == SortBy.Nulls.FIRST;
        }
        return new Nodes.SortKey(c.ev(), c.type(), desc, nullsFirst, c.text());
    }

    private Plan limit(Plan plan, Expr limit, Expr offset, Scope outer) {
        if (limit == null && offset == null) {
            return plan;
        }
        Compiler c = compiler(new Scope(outer));
        Ev l = null;
        double est = plan.rows;
        if (limit != null && !(limit instanceof Expr.Constant k && k.kind() == Expr.ConstKind.NULL)) {
            Compiler.C lc = c.coerce(c.compile(limit), Compiler.INT8, -1, TypeSystem.CastContext.IMPLICIT,
                    "argument of LIMIT must be type bigint");
            l = lc.ev();
            if (limit instanceof Expr.Constant k && k.kind() == Expr.ConstKind.INTEGER) {
                est = Long.parseLong(k.value());
            }
        }
        Ev o = offset == null ? null : c.coerce(c.compile(offset), Compiler.INT8, -1,
                TypeSystem.CastContext.IMPLICIT, "argument of OFFSET must be type bigint").ev();
        return new Nodes.Limit(plan, o, l, est);
    }

    private Planned planValues(SelectStmt.Values v, Scope outer) {
        Compiler c = compiler(new Scope(outer));
        c.forbidWindows("VALUES");
        List<List<Compiler.C>> rows = new ArrayList<>();
        int width = v.rows().get(0).size();
        for (List<Expr> r : v.rows()) {
            if (r.size() != width) {
                throw new PgException("42601", "VALUES lists must all be the same length", null, null,
                        r.isEmpty() ? v.position() : r.get(0).position(), null);
            }
            List<Compiler.C> cr = new ArrayList<>();
            for (Expr e : r) {
                cr.add(c.compile(e));
            }
            rows.add(cr);
        }
        List<OutCol> cols = new ArrayList<>();
        int[] types = new int[width];
        for (int i = 0; i < width; i++) {
            List<Compiler.C> col = new ArrayList<>();
            for (List<Compiler.C> r : rows) {
                col.add(r.get(i));
            }
            types[i] = c.common(col, "VALUES");
            cols.add(OutCol.of("column" + (i + 1), types[i]));
        }
        List<Ev[]> evs = new ArrayList<>();
        for (List<Compiler.C> r : rows) {
            Ev[] e = new Ev[width];
            for (int i = 0; i < width; i++) {
                e[i] = c.coerce(r.get(i), types[i], -1, TypeSystem.CastContext.IMPLICIT, null).ev();
            }
            evs.add(e);
        }
        return new Planned(new Scans.ValuesNode(cols, evs, false), cols);
    }

    private Planned planSetOp(SelectStmt.SetOp op, Scope outer) {
        Planned l = planSelect(op.left(), outer);
        Planned r = planSelect(op.right(), outer);
        if (l.columns().size() != r.columns().size()) {
            throw new PgException("42601", "each " + op.op() + " query must have the same number of columns", null,
                    null, op.position(), null);
        }
        List<OutCol> cols = new ArrayList<>();
        Ev[] le = new Ev[l.columns().size()];
        Ev[] re = new Ev[le.length];
        boolean convert = false;
        for (int i = 0; i < le.length; i++) {
            OutCol a = l.columns().get(i);
            OutCol b = r.columns().get(i);
            int t = a.type() == b.type() ? a.type()
                    : a.type() == Compiler.UNKNOWN && b.type() == Compiler.UNKNOWN ? Compiler.TEXT
                            : ts.commonType(new int[] {a.type(), b.type()}, op.op().name());
            if (t == Compiler.UNKNOWN) {
                t = Compiler.TEXT;
            }
            cols.add(new OutCol(a.name(), t, a.type() == b.type() ? a.typmod() : -1, 0, 0, false, null));
            le[i] = conv(i, a.type(), t);
            re[i] = conv(i, b.type(), t);
            convert |= a.type() != t || b.type() != t;
        }
        Plan lp = convert ? new Nodes.Project(l.plan(), cols, le) : l.plan();
        Plan rp = convert ? new Nodes.Project(r.plan(), cols, re) : r.plan();
        Plan p;
        switch (op.op()) {
            case UNION:
                p = new Nodes.Append(cols, List.of(lp, rp));
                if (!op.all()) {
                    p = new Nodes.Unique(p, cols.size());
                }
                break;
            default:
                p = new Nodes.SetOp(lp, rp, op.op() == SelectStmt.SetOpKind.INTERSECT, op.all());
        }
        return new Planned(p, cols);
    }

    private Ev conv(int i, int from, int to) {
        if (from == to) {
            return (row, ex) -> row[i];
        }
        if (from == Compiler.UNKNOWN) {
            return (row, ex) -> row[i] == null ? null : ts.input(to, -1, row[i].toString(), ex);
        }
        TypeSystem.Cast c = ts.cast(from, to, -1, TypeSystem.CastContext.IMPLICIT);
        if (c == null) {
            throw new PgException("42804", "could not convert type " + ts.format(from, -1) + " to "
                    + ts.format(to, -1));
        }
        return (row, ex) -> row[i] == null ? null : c.apply(row[i], ex);
    }

    /** A FROM item being planned: its plan, scope entry name, and (for a base table) the relation. */
    final class Item {
        Plan plan;
        final String name;
        final Relation rel;
        final List<OutCol> cols;
        final List<Expr> pushed = new ArrayList<>();
        /** A table standing for its inheritance children or partitions too (InheritancePlanner); with ONLY or not. */
        boolean expands;
        boolean inherit;
        /** Column pruning: what the statement reads of this table's rows, shared by whatever scan reads it. */
        ColumnUsage.ScanColumns needs;

        Item(Plan plan, String name, Relation rel) {
            this.plan = plan;
            this.name = name;
            this.rel = rel;
            List<OutCol> cs = new ArrayList<>();
            for (OutCol c : plan.columns) {
                cs.add(c.withQualifier(name));
            }
            this.cols = cs;
            if (rel != null && plan instanceof Scans.SeqScan ss && ss.rel == rel && ss.needs != null) {
                needs = ss.needs;
                columnUsage.register(needs, cs, false);
            }
        }
    }

    Item fromItem(FromItem f, Scope outer) {
        if (f instanceof RangeVar rv) {
            Object cte = rv.schema() == null ? ctes.get(rv.name()) : null;
            String name = rv.alias() != null ? rv.alias().name() : rv.name();
            if (cte instanceof CteScan.Shared sh) {
                return aliased(new Item(new CteScan(sh, rv.alias() == null ? null : rv.alias().name()), name, null),
                        rv.alias());
            }
            if (cte instanceof RecursiveQueries.Inline in) {
                return aliased(new Item(subqueryPlan(in.plan()), name, null), rv.alias());
            }
            if (cte instanceof RecursiveQueries.SelfReference ref) {
                return aliased(new Item(new RecursiveUnion.WorkTableScan(ref.columns(), ref.table(), ref.name(),
                        rv.alias() == null ? null : rv.alias().name()), name, null), rv.alias());
            }
            Relation found = lookup(rv.schema(), rv.name());
            if (found != null && found.kind() == 'c') {
                throw new PgException("42809", "\"" + rv.name() + "\" is a composite type", null, null,
                        rv.position(), null);
            }
            if (found == null && rv.name().equals("pg_stat_activity")
                    && (rv.schema() == null || rv.schema().equals("pg_catalog"))) {
                return aliased(new Item(new ActivityScan(), name, null), rv.alias());
            }
            if (found == null && StatsScan.Kind.of(rv.name()) != null
                    && (rv.schema() == null || rv.schema().equals("pg_catalog"))) {
                return aliased(new Item(new StatsScan(StatsScan.Kind.of(rv.name())), name, null), rv.alias());
            }
            if (found == null && rv.name().equals("pg_backend_memory_contexts")
                    && (rv.schema() == null || rv.schema().equals("pg_catalog"))) {
                return aliased(new Item(new MemoryContextsScan(), name, null), rv.alias());
            }
            if (found == null && rv.name().equals("pg_locks")
                    && (rv.schema() == null || rv.schema().equals("pg_catalog"))) {
                return aliased(new Item(new LocksScan(), name, null), rv.alias());
            }
            if (found == null && SessionViewScan.Kind.of(rv.name()) != null // pg_cursors, pg_prepared_statements
                    && (rv.schema() == null || rv.schema().equals("pg_catalog"))) {
                return aliased(new Item(new SessionViewScan(SessionViewScan.Kind.of(rv.name())), name, null),
                        rv.alias());
            }
            if (found == null) {
                SelectStmt view = SystemViews.find(rv.schema(), rv.name(), effectivePath());
                if (view != null) {
                    Planned p = expand(() -> planSelect(view, null));
                    return aliased(new Item(subqueryPlan(p.plan()), name, null), rv.alias());
                }
            }
            Relation rel = relation(rv);
            if (rel.kind() == 'i') {
                throw new PgException("42809", "\"" + rel.name() + "\" is an index", null, null, rv.position(),
                        null);
            }
            if (expanding > 0 && !viewOwners.isEmpty()) {
                viewReads.add(new int[] {rel.oid(), viewOwners.peek()});
            }
            if (expanding == 0) {
                referenced.add(rel.oid());
                Namespace ns = cat.namespace(rel.namespace());
                if (ns != null) {
                    resolvedSchemas.put(rv.position(), ns.name());
                }
            }
            if (rel.kind() == 'v') {
                return aliased(viewItem(rel, name), rv.alias());
            }
            if (InheritancePlanner.expands(cat, rel, rv.inherit())) {
                ColumnUsage.ScanColumns parentNeeds = columnUsage.newScan(rel, List.of());
                Item it = new Item(new InheritancePlanner(this).scan(rel, rv.inherit(), name, List.of(), outer,
                        parentNeeds), name, rel);
                it.needs = parentNeeds;
                columnUsage.register(parentNeeds, it.cols, true);
                it.expands = true;
                it.inherit = rv.inherit();
                Expr visible = RowSecurity.usingQual(RowSecurity.policies(cat, rel, rowSecurity, 'r'));
                if (visible != null) { // row-level security: the partitioned table's policies, on every member
                    it.pushed.add(visible);
                    it.plan = scanWithQuals(it, outer);
                }
                return aliased(it, rv.alias());
            }
            Item plain = new Item(seqScan(rel, name), name, rel);
            Expr visible = RowSecurity.usingQual(RowSecurity.policies(cat, rel, rowSecurity, 'r'));
            if (visible != null) { // row-level security: the policies' quals go with the scan's own conditions
                plain.pushed.add(visible);
                plain.plan = scanWithQuals(plain, outer);
            }
            return aliased(plain, rv.alias());
        }
        if (f instanceof FromItem.Subselect sq) {
            if (sq.alias() == null) {
                throw new PgException("42601", "subquery in FROM must have an alias", null,
                        "For example, FROM (SELECT ...) [AS] foo.", sq.position(), null);
            }
            Planned p = planSelect(sq.query(), sq.lateral() ? outer : outer);
            Plan plan = subqueryPlan(rename(p, sq.alias().columns(), sq.alias().name()));
            return new Item(plan, sq.alias().name(), null);
        }
        if (f instanceof FromItem.Join j) {
            return join(j, outer);
        }
        if (f instanceof FromItem.Function fn) {
            return functionScan(fn, outer);
        }
        throw new PgException("0A000", "this FROM item is not supported yet", null, null, f.position(), null);
    }

    /**
     * A subquery in FROM (a view, an inlined WITH query): kept for re-reading in a Materialize, which EXPLAIN
     * does not show (PostgreSQL pulls such subqueries up into the query). A subquery that is a single scan is
     * used as it is (re-reading it costs what keeping it would; and its scan stays visible to the statement's
     * relation locking, which walks the plan's children).
     */
    Plan subqueryPlan(Plan p) {
        Plan shown = p;
        while (shown instanceof Nodes.Project pr) {
            shown = pr.inner();
        }
        return shown.children().isEmpty() ? p : new Materialize(p);
    }

    /**
     * Plans the query of a view or system view: without the WITH queries of the statement in scope, and
     * without recording what it reads as the statement's own references.
     */
    private <T> T expand(java.util.function.Supplier<T> planning) {
        Map<String, Object> saved = new HashMap<>(ctes);
        ctes.clear();
        expanding++;
        try {
            return planning.get();
        } finally {
            expanding--;
            ctes.clear();
            ctes.putAll(saved);
        }
    }

    /** The SQL text of a view's query (its _RETURN rule's action in pg_rewrite), or null. */
    public String viewDefinition(int viewOid) {
        for (modgres.sql.catalog.CatalogStore.Row r : cat.rows(modgres.sql.catalog.SysTable.PG_REWRITE)) {
            if (((Integer) r.get(modgres.sql.catalog.SysTable.PG_REWRITE, "ev_class")) == viewOid) {
                return (String) r.get(modgres.sql.catalog.SysTable.PG_REWRITE, "ev_action");
            }
        }
        return null;
    }

    /**
     * A view in FROM: its stored query planned as a subquery (PostgreSQL's rewriter expands views the same way),
     * its columns named and typed as the view's pg_attribute rows say.
     */
    private Item viewItem(Relation view, String name) {
        if (!viewStack.add(view.oid())) {
            throw new PgException("42P17", "infinite recursion detected in rules for relation \"" + view.name()
                    + "\"");
        }
        try {
            String sql = viewDefinition(view.oid());
            if (sql == null) {
                throw new PgException("XX000", "could not find the query of view \"" + view.name() + "\"");
            }
            SelectStmt q = (SelectStmt) modgres.sql.parser.SqlParser.parseStatement(sql);
            viewOwners.push(view.owner());
            Planned p;
            try {
                p = expand(() -> planSelect(q, null));
            } finally {
                viewOwners.pop();
            }
            List<Relation.Column> live = view.liveColumns();
            if (p.columns().size() < live.size()) {
                throw new PgException("XX000", "the query of view \"" + view.name() + "\" returns "
                        + p.columns().size() + " columns, the view has " + live.size());
            }
            List<OutCol> cols = new ArrayList<>();
            Ev[] evs = new Ev[live.size()];
            for (int i = 0; i < evs.length; i++) {
                Relation.Column c = live.get(i);
                cols.add(new OutCol(c.name(), c.type(), c.typmod(), view.oid(), c.attnum(), false, null));
                evs[i] = conv(i, p.columns().get(i).type(), c.type());
            }
            return new Item(subqueryPlan(new Nodes.Project(p.plan(), cols, evs)), name, null);
        } finally {
            viewStack.remove(view.oid());
        }
    }

    private Item aliased(Item it, Alias alias) {
        if (alias == null || alias.columns().isEmpty()) {
            return it;
        }
        List<OutCol> cols = new ArrayList<>(it.plan.columns);
        long visible = cols.stream().filter(c -> !c.hidden()).count();
        if (alias.columns().size() > visible) {
            throw new PgException("42P10", "table \"" + alias.name() + "\" has " + visible
                    + " columns available but " + alias.columns().size() + " columns specified");
        }
        int n = 0;
        for (int i = 0; i < cols.size() && n < alias.columns().size(); i++) {
            if (!cols.get(i).hidden()) {
                cols.set(i, cols.get(i).withName(alias.columns().get(n++)));
            }
        }
        Ev[] evs = new Ev[cols.size()];
        for (int i = 0; i < evs.length; i++) {
            int x = i;
            evs[i] = (row, ex) -> row[x];
        }
        // a table with members keeps its conditions above the projection (rel null: nothing is pushed down)
        Item r = new Item(new Nodes.Project(it.plan, cols, evs), it.name, it.expands ? null : it.rel);
        r.needs = it.needs; // column pruning: the projection passes each position through
        columnUsage.register(r.needs, r.cols, true);
        return r;
    }

    private Item functionScan(FromItem.Function fn, Scope outer) {
        if (fn.functions().size() != 1) {
            throw new PgException("0A000", "ROWS FROM is not supported yet", null, null, fn.position(), null);
        }
        Expr call = fn.functions().get(0).call();
        if (call instanceof Expr.FuncCall fc && fc.name().get(fc.name().size() - 1).equals("generate_series")
                && integerArguments(fc, outer)) {
            Compiler c = compiler(new Scope(outer));
            List<Compiler.C> args = new ArrayList<>();
            for (Expr a : fc.args()) {
                args.add(c.coerce(c.compile(a), Compiler.INT8, -1, TypeSystem.CastContext.IMPLICIT, null));
            }
            boolean int4 = true;
            for (Expr a : fc.args()) {
                Compiler.C x = c.compile(a);
                int4 &= x.type() == Compiler.INT4 || x.type() == Compiler.UNKNOWN;
            }
            String name = fn.alias() != null ? fn.alias().name() : "generate_series";
            String colName = fn.alias() != null && !fn.alias().columns().isEmpty() ? fn.alias().columns().get(0)
                    : name;
            int type = int4 ? Compiler.INT4 : Compiler.INT8;
            Plan p = new GenerateSeries(OutCol.of(colName, type), args.stream().map(Compiler.C::ev)
                    .toArray(Ev[]::new), int4);
            return new Item(p, name, null);
        }
        if (call instanceof Expr.FuncCall sfc) { // a user-defined function returning rows
            String sname = fn.alias() != null ? fn.alias().name() : sfc.name().get(sfc.name().size() - 1);
            Plan sp = SetFunctionScan.plan(compiler(new Scope(outer)), ts, fn, sfc, sname);
            if (sp != null) {
                return new Item(sp, sname, null);
            }
        }
        if (call instanceof Expr.FuncCall fc && !fn.rowsFrom() && fn.columnDefs().isEmpty()
                && fn.functions().get(0).columnDefs().isEmpty()) {
            // a function returning one value: one row (the set-returning functions other than generate_series
            // are not built, so every other function found here returns one value)
            Compiler c = compiler(new Scope(outer));
            Compiler.C v = c.compile(fc);
            String fname = fc.name().get(fc.name().size() - 1);
            String name = fn.alias() != null ? fn.alias().name() : fname;
            List<String> aliases = fn.alias() != null ? fn.alias().columns() : List.of();
            List<OutCol> cols = new ArrayList<>();
            // pg_partition_ancestors' OUT column is relid (one row here: the relation; psql's \d joins on it)
            cols.add(OutCol.of(aliases.size() > 0 ? aliases.get(0)
                    : fname.equals("pg_partition_ancestors") ? "relid" : name, v.type()));
            if (fn.ordinality()) {
                cols.add(OutCol.of(aliases.size() > 1 ? aliases.get(1) : "ordinality", Compiler.INT8));
            }
            return new Item(new ScalarFunctionScan(cols, v.ev(), fn.ordinality(), fname), name, null);
        }
        throw new PgException("0A000", "functions in FROM are not supported yet (except generate_series)", null, null,
                fn.position(), null);
    }

    /** Whether generate_series(...) has 2 or 3 integer (or untyped literal) arguments: the streaming series. */
    private boolean integerArguments(Expr.FuncCall fc, Scope outer) {
        if (fc.args().size() < 2 || fc.args().size() > 3 || fc.name().size() > 2
                || fc.name().size() == 2 && !fc.name().get(0).equals("pg_catalog")) {
            return false;
        }
        Compiler c = compiler(new Scope(outer));
        for (Expr a : fc.args()) {
            int t = c.compile(a).type();
            if (t != Compiler.INT2 && t != Compiler.INT4 && t != Compiler.INT8 && t != Compiler.UNKNOWN) {
                return false;
            }
        }
        return true;
    }

    private Selectivity selectivity;

    /**
     * Whether join plan {@code a} beats {@code b}: a lower total cost, or (totals within 1%, PostgreSQL's
     * fuzzy comparison in add_path) a lower startup cost.
     */
    private static boolean cheaper(Plan a, Plan b) {
        if (a.totalCost * 1.01 < b.totalCost) {
            return true;
        }
        if (b.totalCost * 1.01 < a.totalCost) {
            return false;
        }
        return a.startupCost < b.startupCost - 1e-9
                || Math.abs(a.startupCost - b.startupCost) <= 1e-9 && a.totalCost < b.totalCost - 1e-9;
    }

    /** Selectivity estimates from ANALYZE's statistics (loaded per table on first use). */
    Selectivity selectivity() {
        if (selectivity == null) {
            selectivity = new Selectivity(this);
        }
        return selectivity;
    }

    Plan seqScan(Relation rel, String alias) {
        Scans.SeqScan s = new Scans.SeqScan(rel, alias, 0, 0);
        s.needs = columnUsage.newScan(rel, s.columns);
        double t = tuples(rel, s.width);
        s.estimate(0, estimatedPages(rel) + t * 0.01, t);
        return s;
    }

    /** The pages a scan of the table reads, as estimated: at least 10 before it was ever analyzed (see tuples). */
    double estimatedPages(Relation rel) {
        double pages = Math.max(1, pagesOf(rel));
        return pages < 10 && pgClassFigures(rel)[0] < 0 ? 10 : pages;
    }

    private Item join(FromItem.Join j, Scope outer) {
        Item l = fromItem(j.left(), outer);
        if (j.right() instanceof FromItem.Subselect sq && sq.lateral()) {
            return lateral(j, l, sq, outer);
        }
        Item r = fromItem(j.right(), outer);
        Nodes.JoinKind kind;
        boolean swap = false;
        switch (j.type()) {
            case LEFT -> kind = Nodes.JoinKind.LEFT;
            case RIGHT -> {
                kind = Nodes.JoinKind.LEFT;
                swap = true;
            }
            case FULL -> kind = Nodes.JoinKind.FULL;
            default -> kind = Nodes.JoinKind.INNER;
        }
        List<Expr> conds = new ArrayList<>();
        if (j.on() != null) {
            conds.add(j.on());
        }
        List<String> using = new ArrayList<>(j.using());
        if (j.natural()) {
            for (OutCol c : l.cols) {
                if (!c.hidden() && r.cols.stream().anyMatch(x -> !x.hidden() && x.name().equals(c.name()))) {
                    using.add(c.name());
                }
            }
        }
        for (String u : using) {
            conds.add(new Expr.BinaryOp(j.position(), modgres.sql.ast.OperatorName.of("="),
                    new Expr.ColumnRef(j.position(), List.of(l.name, u), false),
                    new Expr.ColumnRef(j.position(), List.of(r.name, u), false)));
        }
        Item outerItem = swap ? r : l;
        Item innerItem = swap ? l : r;
        Plan p = joinPlans(outerItem, innerItem, kind, conds, outer);
        String name = j.alias() != null ? j.alias().name() : null;
        Item it = new Item(p, name, null);
        // the columns keep their own qualifiers (t1.a, t2.b) unless the join is aliased
        it.cols.clear();
        List<OutCol> src = new ArrayList<>(outerItem.cols);
        src.addAll(innerItem.cols);
        if (swap) {
            // keep the written order for SELECT *: left columns first
            src = new ArrayList<>(l.cols);
            src.addAll(r.cols);
            List<OutCol> oc = new ArrayList<>(p.columns);
            List<OutCol> reordered = new ArrayList<>(oc.subList(innerItem.cols.size(), oc.size()));
            reordered.addAll(oc.subList(0, innerItem.cols.size()));
            int ni = innerItem.cols.size();
            int no = outerItem.cols.size();
            Ev[] evs = new Ev[ni + no];
            for (int i = 0; i < ni; i++) {
                int x = no + i;
                evs[i] = (row, ex) -> row[x];
            }
            for (int i = 0; i < no; i++) {
                int x = i;
                evs[ni + i] = (row, ex) -> row[x];
            }
            it = new Item(new Nodes.Project(p, reordered, evs), name, null);
            it.cols.clear();
        }
        for (OutCol c : src) {
            it.cols.add(name != null ? c.withQualifier(name) : c);
        }
        return it;
    }

    /**
     * {@code l JOIN LATERAL (subquery) ...}: the subquery is planned with the
     * left side's columns as its enclosing scope and re-run per left row
     * (LateralJoin); the ON condition filters the joined rows (INNER/CROSS) —
     * a LEFT JOIN LATERAL takes only ON true, as the common idiom writes it.
     */
    private Item lateral(FromItem.Join j, Item l, FromItem.Subselect sq, Scope outer) {
        if (sq.alias() == null) {
            throw new PgException("42601", "subquery in FROM must have an alias", null,
                    "For example, FROM (SELECT ...) [AS] foo.", sq.position(), null);
        }
        boolean leftJoin = switch (j.type()) {
            case LEFT -> true;
            case RIGHT, FULL -> throw new PgException("42P10", "invalid reference to FROM-clause entry for table \""
                    + (l.name == null ? "" : l.name) + "\"", "The combining JOIN type must be INNER or LEFT for a "
                            + "LATERAL reference.", null, sq.position(), null);
            default -> false;
        };
        Scope ls = new Scope(outer);
        ls.add(l.name, l.cols);
        Planned p = planSelect(sq.query(), ls);
        Plan right = rename(p, sq.alias().columns(), sq.alias().name());
        Item r = new Item(right, sq.alias().name(), null);
        Plan plan = new LateralJoin(l.plan, right, leftJoin);
        List<OutCol> cols = new ArrayList<>(l.cols);
        cols.addAll(r.cols);
        boolean onTrue = j.on() instanceof Expr.Constant k && k.kind() == Expr.ConstKind.BOOLEAN
                && "true".equalsIgnoreCase(k.value());
        if (j.on() != null && !onTrue) {
            if (leftJoin) {
                throw new PgException("0A000", "LEFT JOIN LATERAL is only supported with ON true", null, null,
                        j.position(), null);
            }
            Scope both = new Scope(outer);
            both.add(l.name, l.cols);
            both.add(r.name, r.cols);
            Compiler.C cond = compiler(both).condition(j.on(), "JOIN/ON");
            plan = new Nodes.Filter(plan, andAll(List.of(cond)), cond.text());
        }
        String name = j.alias() != null ? j.alias().name() : null;
        Item it = new Item(plan, name, null);
        it.cols.clear();
        it.cols.addAll(cols);
        return it;
    }

    /** Joins two planned items with the given conditions: hash join on equalities, else nested loop. */
    private Plan joinPlans(Item l, Item r, Nodes.JoinKind kind, List<Expr> conds, Scope outer) {
        Scope both = new Scope(outer);
        both.add(l.name, l.cols);
        both.add(r.name, r.cols);
        Scope ls = new Scope(outer);
        ls.add(l.name, l.cols);
        Scope rs = new Scope(outer);
        rs.add(r.name, r.cols);
        Compiler cb = compiler(both);
        cb.forbidAggregates("JOIN conditions");
        List<Ev> lk = new ArrayList<>();
        List<Ev> rk = new ArrayList<>();
        List<Integer> kt = new ArrayList<>();
        List<String> keyTexts = new ArrayList<>();
        List<String> outerKeyTexts = new ArrayList<>();
        List<String> innerKeyTexts = new ArrayList<>();
        List<Expr> outerKeyExprs = new ArrayList<>();
        List<Expr> innerKeyExprs = new ArrayList<>();
        List<Compiler.C> rest = new ArrayList<>();
        List<Expr> flat = new ArrayList<>();
        for (Expr c : conds) {
            flatten(c, flat);
        }
        for (Expr c : flat) {
            if (c instanceof Expr.BinaryOp b && b.op().name().equals("=")) {
                Compiler.C a = tryCompile(compiler(ls), b.left());
                Compiler.C bb = tryCompile(compiler(rs), b.right());
                boolean swapped = false;
                if (a == null || bb == null) {
                    a = tryCompile(compiler(ls), b.right());
                    bb = tryCompile(compiler(rs), b.left());
                    swapped = true;
                }
                if (a != null && bb != null && !dependsOnNothing(swapped ? b.right() : b.left(), outer)
                        && !dependsOnNothing(swapped ? b.left() : b.right(), outer)) {
                    Compiler.C eq = cb.condition(c, "JOIN/ON");
                    int t = a.type() == bb.type() ? a.type() : -1;
                    if (t > 0 && t != Compiler.UNKNOWN) {
                        lk.add(a.ev());
                        rk.add(bb.ev());
                        kt.add(t);
                        keyTexts.add("(" + (swapped ? bb.text() + " = " + a.text() : a.text() + " = " + bb.text())
                                + ")");
                        outerKeyTexts.add(a.text());
                        innerKeyTexts.add(bb.text());
                        outerKeyExprs.add(swapped ? b.right() : b.left());
                        innerKeyExprs.add(swapped ? b.left() : b.right());
                        continue;
                    }
                    rest.add(eq);
                    continue;
                }
            }
            rest.add(cb.condition(c, "JOIN/ON"));
        }
        Ev extra = andAll(rest);
        String extraText = rest.isEmpty() ? null : String.join(" AND ", rest.stream().map(Compiler.C::text).toList());
        double guess = lk.isEmpty() ? (rest.isEmpty() ? 1 : 0.33) : 1.0 / Math.max(1, Math.max(1, Math.min(l.plan.rows,
                r.plan.rows)));
        if (!lk.isEmpty()) { // the analyzed columns' distinct values, key by key (PostgreSQL's eqjoinsel)
            double known = 1;
            boolean all = true;
            for (int i = 0; i < outerKeyExprs.size() && all; i++) {
                Double js = selectivity().equiJoin(outerKeyExprs.get(i), ls, innerKeyExprs.get(i), rs,
                        l.plan.rows, r.plan.rows);
                all = js != null;
                known *= all ? js : 1;
            }
            if (all) {
                guess = known;
            }
        }
        double sel = guess;
        if (!lk.isEmpty()) {
            Ev[] rka = rk.toArray(Ev[]::new); // evaluated on the inner side's own rows
            int[] kta = kt.stream().mapToInt(Integer::intValue).toArray();
            JoinKeys keys = new JoinKeys(lk.toArray(Ev[]::new), rka, kta, outerKeyTexts, innerKeyTexts,
                    outerKeyExprs, innerKeyExprs);
            return chooseEquiJoin(l, r, kind, keys, extra, extraText, rest.isEmpty(), sel, () -> {
                List<Compiler.C> all = new ArrayList<>();
                for (Expr c : flat) {
                    all.add(cb.condition(c, "JOIN/ON"));
                }
                return all;
            }, () -> new Nodes.HashJoin(l.plan, r.plan, kind, lk.toArray(Ev[]::new), rka, kta,
                    extra, String.join(" AND ", keyTexts), extraText, sel));
        }
        return new Nodes.NestLoop(l.plan, r.plan, kind, extra, extraText, sel);
    }

    /*
     * Design notes: choosing the method of an equi-join (PostgreSQL's
     * add_paths_to_joinrel, reduced to this planner's one join order).
     *
     * Candidates: Hash Join (the inner side hashed, as always before), Merge
     * Join (each side as it is when already in key order, an Index Scan whose
     * index leads with the key columns, else the cheaper of a Sort and a full
     * Index Scan of such an index, the latter costed as index order unrelated
     * to heap order, so it is taken when enable_sort = off) and, when both of
     * those are disabled, Nested Loop with every condition as its join filter.
     * Each is costed with PostgreSQL's formulas and default constants
     * (cpu_operator_cost 0.0025, cpu_tuple_cost 0.01, seq_page_cost 1,
     * random_page_cost 4): a hash join pays for building and probing, plus
     * writing and reading both sides once when the inner side's bytes
     * (relation_byte_size) exceed work_mem * hash_mem_multiplier (batches); a
     * merge join pays for its sorts (n log2 n comparisons, plus the external
     * sort's page accesses, 2 * pages * merge passes, when an input exceeds
     * work_mem) and one comparison per input row. enable_hashjoin,
     * enable_mergejoin and enable_nestloop = off add PostgreSQL's
     * disable_cost (1e10) instead of removing the method, so a query still
     * gets a plan when every method is off. The cheapest wins; ties keep the
     * hash join (the plans of before).
     *
     * Merge join shape as PostgreSQL's: the smaller input is the outer one (a
     * LEFT join whose preserved side is the larger becomes a Merge Right
     * Join, the columns put back in order by a projection EXPLAIN does not
     * show); RIGHT and FULL merge joins take merge keys only (other
     * conditions make the method unavailable, as in PostgreSQL); the inner
     * sort gets a Materialize above it when its input is expected to exceed
     * work_mem (and enable_material is on), otherwise the join keeps its
     * group of equal inner keys itself (MarkStore).
     */

    /** PostgreSQL's disable_cost: what a disabled method costs extra. */
    static final double DISABLE_COST = 1.0e10;

    /** The settings of the session planning (enable_*, work_mem); null answers mean PostgreSQL's defaults. */
    public java.util.function.Function<String, String> setting = name -> null;

    /** An enable_* setting: on unless the session says off. */
    boolean enabled(String name) {
        String v = setting.apply(name);
        return v == null || !(v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false"));
    }

    /** A memory setting in bytes (the setting's value is in kB), or {@code dflt} when unknown. */
    long memorySetting(String name, long dflt) {
        try {
            String v = setting.apply(name);
            return v == null ? dflt : Long.parseLong(v.trim()) * 1024;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    double hashMemMultiplier() {
        try {
            String v = setting.apply("hash_mem_multiplier");
            return v == null ? 2.0 : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return 2.0;
        }
    }

    /** The keys of an equi-join: per key the outer and inner expression (compiled, text, source) and type. */
    record JoinKeys(Ev[] outer, Ev[] inner, int[] types, List<String> outerTexts, List<String> innerTexts,
            List<Expr> outerExprs, List<Expr> innerExprs) {
        JoinKeys swap() {
            return new JoinKeys(inner, outer, types, innerTexts, outerTexts, innerExprs, outerExprs);
        }
    }

    /** relation_byte_size: rows times (the aligned width plus a heap tuple header). */
    static double relationBytes(double rows, int width) {
        return Math.max(1, rows) * (((width + 7) & ~7) + 24);
    }

    /** The cost a Sort adds over its input (cost_sort), with the external sort's I/O beyond work_mem. */
    static double sortCost(Plan input, long workMem) {
        double n = Math.max(2, input.rows);
        double cost = 2 * 0.0025 * n * (Math.log(n) / Math.log(2)) + 0.0025 * n;
        double bytes = relationBytes(n, input.width);
        if (bytes > workMem) {
            double pages = Math.ceil(bytes / 8192);
            double runs = bytes / workMem;
            double order = Math.max(6, (workMem - 8192.0) / (32 * 8192 + 8192));
            double passes = runs <= 1 ? 1 : Math.max(1, Math.ceil(Math.log(runs) / Math.log(order)));
            cost += 2 * pages * passes * (0.75 + 0.25 * 4);
        }
        return cost;
    }

    /** final_cost_hashjoin, roughly: build, probe, output, and the batches' I/O beyond hash_mem. */
    double hashJoinCost(Plan outer, Plan inner, int nkeys, double outRows) {
        double cost = outer.totalCost + inner.totalCost + (0.0025 * nkeys + 0.01) * inner.rows
                + 0.0025 * nkeys * outer.rows + 0.01 * outRows;
        double hashMem = memorySetting("work_mem", 4L << 20) * hashMemMultiplier();
        double innerBytes = relationBytes(inner.rows, inner.width);
        if (innerBytes > hashMem) {
            double innerPages = Math.ceil(innerBytes / 8192);
            double outerPages = Math.ceil(relationBytes(outer.rows, outer.width) / 8192);
            cost += 2 * innerPages + 2 * outerPages;
        }
        return cost;
    }

    /** True when {@code it}'s plan returns rows ascending on the given key expressions (an index's order). */
    private static boolean orderedOn(Item it, List<Expr> keys) {
        if (it.rel == null || !(it.plan instanceof Scans.IndexScanNode isn) || isn.backward) {
            return false;
        }
        int[] idxKeys = isn.index.keys();
        if (idxKeys.length < keys.size()) {
            return false;
        }
        for (int k = 0; k < keys.size(); k++) {
            Relation.Column col = it.rel.columns().get(idxKeys[k] - 1);
            if (!isColumn(keys.get(k), col.name())) {
                return false;
            }
        }
        return true;
    }

    /** One input of a merge join and what producing it costs. */
    private record MergeInput(Plan plan, double cost) {
    }

    /**
     * One input of a merge join: the plan as it is when it is in the keys' order already, else the cheaper of a
     * Sort over it and a full Index Scan of an index leading with the key columns (enable_sort = off makes the
     * latter the way, as in PostgreSQL).
     */
    private MergeInput mergeInput(Item it, Ev[] keys, int[] types, List<String> texts, List<Expr> exprs,
            long workMem) {
        if (orderedOn(it, exprs)) {
            return new MergeInput(it.plan, it.plan.totalCost);
        }
        Nodes.SortKey[] sk = new Nodes.SortKey[keys.length];
        for (int k = 0; k < keys.length; k++) {
            sk[k] = new Nodes.SortKey(keys[k], types[k], false, false, texts.get(k));
        }
        MergeInput best = new MergeInput(new Nodes.Sort(it.plan, sk), it.plan.totalCost + sortCost(it.plan, workMem)
                + (enabled("enable_sort") ? 0 : DISABLE_COST));
        Scans.IndexScanNode full = fullIndexScan(it, exprs);
        if (full != null) {
            double cost = full.totalCost + (enabled("enable_indexscan") ? 0 : DISABLE_COST);
            if (cost < best.cost()) {
                best = new MergeInput(full, cost);
            }
        }
        return best;
    }

    /** An Index Scan of the whole table in the order of the key columns (null when no index leads with them). */
    private Scans.IndexScanNode fullIndexScan(Item it, List<Expr> exprs) {
        if (it.rel == null || !(it.plan instanceof Scans.SeqScan ss)) {
            return null;
        }
        for (Relation.Index idx : it.rel.indexes()) {
            if (idx.keys().length < exprs.size() || !idx.plain()) {
                continue;
            }
            int[] kt = new int[exprs.size()];
            boolean leads = true;
            for (int k = 0; k < exprs.size() && leads; k++) {
                Relation.Column col = it.rel.columns().get(idx.keys()[k] - 1);
                leads = isColumn(exprs.get(k), col.name());
                kt[k] = col.type();
            }
            if (!leads) {
                continue;
            }
            Scans.IndexScanNode n = new Scans.IndexScanNode(it.rel, idx, it.name, kt, null, true, null, true, false);
            n.needs = it.needs;
            n.filter = ss.filter;
            n.filterText = ss.filterText;
            double t = Math.max(1, pagesOf(it.rel));
            double rows = Math.max(1, tuples(it.rel, ss.width));
            double fetched = Math.min(t, 2 * t * rows / (2 * t + rows));
            n.estimate(0, Math.ceil(rows / 300.0) * 4 + rows * 0.0075 + fetched * 4 + rows * 0.01, ss.rows);
            return n;
        }
        return null;
    }

    /** Hash, merge or nested loop for an equi-join, by cost and the enable_* settings; see the design notes. */
    private Plan chooseEquiJoin(Item l, Item r, Nodes.JoinKind kind, JoinKeys keys, Ev extra, String extraText,
            boolean keysOnly, double sel, java.util.function.Supplier<List<Compiler.C>> allConds,
            java.util.function.Supplier<Nodes.HashJoin> hash) {
        boolean hashOn = enabled("enable_hashjoin");
        boolean mergeOn = enabled("enable_mergejoin");
        boolean loopOn = enabled("enable_nestloop");
        double outRows = Math.max(kind == Nodes.JoinKind.LEFT ? l.plan.rows : 1, l.plan.rows * r.plan.rows * sel);
        int nk = keys.types().length;
        double hashCost = hashJoinCost(l.plan, r.plan, nk, outRows) + (hashOn ? 0 : DISABLE_COST);
        boolean mergeable = switch (kind) {
            case INNER, LEFT -> true;
            case FULL -> keysOnly;
            default -> false;
        };
        if (!hashOn && !mergeOn && loopOn && kind != Nodes.JoinKind.FULL) {
            // both equi-join methods off: PostgreSQL's nested loop (with the disabled methods' cost it wins)
            List<Compiler.C> all = allConds.get();
            return new Nodes.NestLoop(l.plan, r.plan, kind, andAll(all),
                    String.join(" AND ", all.stream().map(Compiler.C::text).toList()), sel);
        }
        if (!mergeable) {
            return hash.get();
        }
        long workMem = memorySetting("work_mem", 4L << 20);
        // the smaller input goes outer, as PostgreSQL's costs usually decide; a preserved side may go inner
        // only when the join has merge keys alone (a Merge Right Join takes no other conditions)
        boolean swap = r.plan.rows < l.plan.rows && (kind == Nodes.JoinKind.INNER || keysOnly);
        Item outerIt = swap ? r : l;
        Item innerIt = swap ? l : r;
        JoinKeys k = swap ? keys.swap() : keys;
        MergeJoin.Kind mk = switch (kind) {
            case LEFT -> swap ? MergeJoin.Kind.RIGHT : MergeJoin.Kind.LEFT;
            case FULL -> MergeJoin.Kind.FULL;
            default -> MergeJoin.Kind.INNER;
        };
        MergeInput outerIn = mergeInput(outerIt, k.outer(), k.types(), k.outerTexts(), k.outerExprs(), workMem);
        MergeInput innerIn = mergeInput(innerIt, k.inner(), k.types(), k.innerTexts(), k.innerExprs(), workMem);
        double mergeCost = outerIn.cost() + innerIn.cost()
                + 0.0025 * nk * (outerIt.plan.rows + innerIt.plan.rows) + 0.01 * outRows
                + (mergeOn ? 0 : DISABLE_COST);
        if (mergeCost >= hashCost) {
            return hash.get();
        }
        Plan innerPlan = innerIn.plan();
        if (innerPlan instanceof Nodes.Sort && enabled("enable_material")
                && relationBytes(innerIt.plan.rows, innerIt.plan.width) > workMem) {
            innerPlan = new MergeJoin.Materialize(innerPlan);
        }
        StringBuilder cond = new StringBuilder();
        for (int i = 0; i < nk; i++) {
            cond.append(i == 0 ? "" : " AND ").append("(").append(k.outerTexts().get(i)).append(" = ")
                    .append(k.innerTexts().get(i)).append(")");
        }
        String condText = nk == 1 ? cond.toString() : "(" + cond + ")";
        Ev filter = extra;
        if (swap && extra != null) {
            // the join filter was compiled over l's columns then r's; the swapped join's rows are r's then l's
            int nlc = l.plan.columns.size();
            int nrc = r.plan.columns.size();
            filter = (row, ex) -> {
                Object[] written = new Object[nlc + nrc];
                System.arraycopy(row, nrc, written, 0, nlc);
                System.arraycopy(row, 0, written, nlc, nrc);
                return extra.eval(written, ex);
            };
        }
        MergeJoin mj = new MergeJoin(outerIn.plan(), innerPlan, mk, k.outer(), k.inner(), k.types(), filter, condText,
                extraText, outRows);
        if (!swap) {
            return mj;
        }
        // put the columns back in the order the join was written: l's, then r's
        int nl = l.plan.columns.size();
        int nr = r.plan.columns.size();
        List<OutCol> cols = new ArrayList<>(l.plan.columns);
        cols.addAll(r.plan.columns);
        Ev[] evs = new Ev[nl + nr];
        for (int i = 0; i < nl; i++) {
            int x = nr + i;
            evs[i] = (row, ex) -> row[x];
        }
        for (int i = 0; i < nr; i++) {
            int x = i;
            evs[nl + i] = (row, ex) -> row[x];
        }
        return new Nodes.Project(mj, cols, evs);
    }

    /*
     * Design notes: join order (PostgreSQL's standard_join_search, without
     * bushy plans).
     *
     * The inner-joined FROM items of a query level (explicit INNER JOINs are
     * flattened into the list with their ON conditions) are joined in the
     * cheapest order found by dynamic programming over subsets: the best plan
     * of each set of items is extended by one more item at a time (as the
     * inner side of the join, or as its outer side when the set already
     * joins two or more items, so either side can be the hashed one), with the
     * conditions that become evaluable there, each candidate join planned in
     * full by joinPlans (method choice and costs as PostgreSQL's). As in
     * PostgreSQL, an item is joined without a join condition (a cartesian
     * product) only when no item with a condition is left to join. Ties keep
     * the order the query wrote. The result's columns are put back in the
     * written order by a projection EXPLAIN does not show, so the level's
     * scope (built in the written order) reads them where it expects them.
     * More items than join_collapse_limit are joined in the written order
     * (so join_collapse_limit = 1 keeps the order the query wrote; unlike
     * PostgreSQL, also for items listed with commas).
     */

    /** The largest number of FROM items whose join order is searched: join_collapse_limit (default 8). */
    int joinSearchLimit() {
        try {
            String v = setting.apply("join_collapse_limit");
            return v == null ? 8 : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 8;
        }
    }

    private static boolean isLateral(FromItem f) {
        return f instanceof FromItem.Subselect sq && sq.lateral()
                || f instanceof FromItem.Function fn && fn.lateral()
                || f instanceof FromItem.Join j && (isLateral(j.left()) || isLateral(j.right()));
    }

    /** A set of joined items: its plan, the items in join order, the conditions already applied. */
    private record JoinRel(Item item, List<Integer> order, long applied) {
    }

    /** Joins {@code items} in the cheapest order with the conditions {@code conds} (consumed); see the notes. */
    private Item joinSearch(List<Item> items, List<Expr> conds, Scope outer) {
        int n = items.size();
        if (conds.size() > 62) {
            throw new PgException("54000", "too many join conditions");
        }
        JoinRel[] best = new JoinRel[1 << n];
        for (int i = 0; i < n; i++) {
            best[1 << i] = new JoinRel(items.get(i), List.of(i), 0L);
        }
        for (int mask = 1; mask < (1 << n); mask++) {
            JoinRel cur = best[mask];
            if (cur == null || Integer.bitCount(mask) == n) {
                continue;
            }
            List<Integer> candidates = new ArrayList<>();
            List<List<Expr>> candidateConds = new ArrayList<>();
            List<Long> candidateApplied = new ArrayList<>();
            boolean anyConnected = false;
            List<Boolean> connected = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if ((mask & (1 << j)) != 0) {
                    continue;
                }
                Scope sc = new Scope(outer);
                sc.add(cur.item().name, cur.item().cols);
                sc.add(items.get(j).name, items.get(j).cols);
                List<Expr> here = new ArrayList<>();
                long applied = cur.applied();
                for (int c = 0; c < conds.size(); c++) {
                    if ((applied & (1L << c)) == 0 && tryCompile(compiler(sc), conds.get(c)) != null) {
                        here.add(conds.get(c));
                        applied |= 1L << c;
                    }
                }
                candidates.add(j);
                candidateConds.add(here);
                candidateApplied.add(applied);
                connected.add(!here.isEmpty());
                anyConnected |= !here.isEmpty();
            }
            for (int k = 0; k < candidates.size(); k++) {
                if (anyConnected && !connected.get(k)) {
                    continue;
                }
                int j = candidates.get(k);
                Item next = items.get(j);
                int to = mask | (1 << j);
                // the new item as the inner side, and (a join of more than one item so far) as the outer side:
                // a hash join then hashes whichever side is cheaper to hash
                for (int side = 0; side < (Integer.bitCount(mask) > 1 ? 2 : 1); side++) {
                    Item outerItem = side == 0 ? cur.item() : next;
                    Item innerItem = side == 0 ? next : cur.item();
                    Plan jp = joinPlans(outerItem, innerItem, Nodes.JoinKind.INNER, candidateConds.get(k), outer);
                    if (best[to] == null || cheaper(jp, best[to].item().plan)) {
                        List<OutCol> cols = new ArrayList<>(outerItem.cols);
                        cols.addAll(innerItem.cols);
                        Item joined = new Item(jp, null, null);
                        joined.cols.clear();
                        joined.cols.addAll(cols);
                        List<Integer> order = new ArrayList<>();
                        if (side == 0) {
                            order.addAll(cur.order());
                            order.add(j);
                        } else {
                            order.add(j);
                            order.addAll(cur.order());
                        }
                        best[to] = new JoinRel(joined, order, candidateApplied.get(k));
                    }
                }
            }
        }
        JoinRel done = best[(1 << n) - 1];
        List<Expr> left = new ArrayList<>();
        for (int c = 0; c < conds.size(); c++) {
            if ((done.applied() & (1L << c)) == 0) {
                left.add(conds.get(c));
            }
        }
        conds.clear();
        conds.addAll(left);
        boolean written = true;
        for (int i = 0; i < n; i++) {
            written &= done.order().get(i) == i;
        }
        if (written) {
            return done.item();
        }
        // columns back in the written order
        int[] start = new int[n];
        int at = 0;
        for (int i : done.order()) {
            start[i] = at;
            at += items.get(i).cols.size();
        }
        List<OutCol> cols = new ArrayList<>();
        List<Ev> evs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < items.get(i).cols.size(); c++) {
                int x = start[i] + c;
                cols.add(done.item().plan.columns.get(x));
                evs.add((row, ex) -> row[x]);
            }
        }
        List<OutCol> qualified = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            qualified.addAll(items.get(i).cols);
        }
        Item back = new Item(new Nodes.Project(done.item().plan, cols, evs.toArray(Ev[]::new)), null, null);
        back.cols.clear();
        back.cols.addAll(qualified);
        return back;
    }

    private boolean dependsOnNothing(Expr e, Scope outer) {
        return tryCompile(compiler(new Scope(outer)), e) != null;
    }

    /** Collects the FROM items of inner joins (without USING/NATURAL/alias) and their ON conditions. */
    private static void flattenInner(FromItem f, List<FromItem> out, List<Expr> conds) {
        if (f instanceof FromItem.Join j && (j.type() == FromItem.JoinType.INNER || j.type() == FromItem.JoinType.CROSS)
                && j.using().isEmpty() && !j.natural() && j.alias() == null
                && !(j.right() instanceof FromItem.Subselect sq && sq.lateral())) {
            flattenInner(j.left(), out, conds);
            flattenInner(j.right(), out, conds);
            if (j.on() != null) {
                conds.add(j.on());
            }
            return;
        }
        out.add(f);
    }

    /**
     * Takes out of {@code conj} the conditions that read no column of their query level and call nothing
     * volatile (PostgreSQL's pseudo-constant quals): they are checked once per run of the level, by a gating
     * Result above its scans and joins.
     */
    private List<Expr> takePseudoConstants(List<Expr> conj, Scope outer) {
        List<Expr> gates = new ArrayList<>();
        for (java.util.Iterator<Expr> it = conj.iterator(); it.hasNext();) {
            Expr e = it.next();
            if (!mayBePseudoConstant(e)) {
                continue;
            }
            Compiler c = compiler(new Scope(outer));
            if (tryCompile(c, e) != null && !c.volatileSeen) {
                gates.add(e);
                it.remove();
            }
        }
        return gates;
    }

    /** False when {@code e} certainly reads a column of its own level (the common case, decided cheaply). */
    private static boolean mayBePseudoConstant(Expr e) {
        if (e == null || e instanceof Expr.Constant || e instanceof Expr.Param || e instanceof Expr.SqlValueFunction) {
            return true;
        }
        if (e instanceof Expr.TypeCast t) {
            return mayBePseudoConstant(t.arg());
        }
        if (e instanceof Expr.BinaryOp b) {
            return mayBePseudoConstant(b.left()) && mayBePseudoConstant(b.right());
        }
        if (e instanceof Expr.UnaryOp u) {
            return mayBePseudoConstant(u.operand());
        }
        if (e instanceof Expr.BoolExpr b) {
            return b.args().stream().allMatch(Planner::mayBePseudoConstant);
        }
        if (e instanceof Expr.NullTest n) {
            return mayBePseudoConstant(n.arg());
        }
        if (e instanceof Expr.FuncCall f) {
            return f.args().stream().allMatch(Planner::mayBePseudoConstant);
        }
        if (e instanceof Expr.SubLink l) {
            return mayBePseudoConstant(l.left()); // a correlated subquery fails the trial compile
        }
        return false;
    }

    /** {@code plan} under a gating Result for the pseudo-constant {@code gates}, if any. */
    private Plan gated(Plan plan, List<Expr> gates, Scope outer) {
        if (gates.isEmpty()) {
            return plan;
        }
        Compiler c = compiler(new Scope(outer));
        List<Compiler.C> cs = new ArrayList<>();
        for (Expr g : gates) {
            cs.add(c.condition(g, "WHERE"));
        }
        return new Nodes.OneTimeFilter(plan, andAll(cs), andText(cs));
    }

    static Compiler.C tryCompile(Compiler c, Expr e) {
        try {
            return c.compile(e);
        } catch (PgException | Compiler.NeedsGrouping x) {
            return null;
        }
    }

    private static List<Expr> flattenedOf(Expr e) {
        List<Expr> out = new ArrayList<>();
        flatten(e, out);
        return out;
    }

    static void flatten(Expr e, List<Expr> out) {
        if (e instanceof Expr.BoolExpr b && b.op() == Expr.BoolOp.AND) {
            for (Expr a : b.args()) {
                flatten(a, out);
            }
        } else {
            out.add(e);
        }
    }

    static Ev andAll(List<Compiler.C> cs) {
        if (cs.isEmpty()) {
            return null;
        }
        Ev r = cs.get(0).ev();
        for (int i = 1; i < cs.size(); i++) {
            r = Compiler.and(r, cs.get(i).ev());
        }
        return r;
    }

    private Planned planSimple(SelectStmt.Simple s, Scope outer, List<SortBy> orderBy, Expr limit, Expr offset) {
        if (s.into() != null) {
            throw new PgException("0A000", "SELECT INTO is not supported yet", null, null, s.position(), null);
        }
        // 1. FROM: inner joins without USING are flattened into the item list and their ON into WHERE
        List<Item> items = new ArrayList<>();
        List<Expr> joinConds = new ArrayList<>();
        List<FromItem> flat = new ArrayList<>();
        for (FromItem f : s.from()) {
            flattenInner(f, flat, joinConds);
        }
        // qualified column names in EXPLAIN texts already while the FROM items (and their joins) are planned
        qualify |= flat.size() > 1 || s.from().stream().anyMatch(f -> f instanceof FromItem.Join);
        for (FromItem f : flat) {
            items.add(fromItem(f, outer));
        }
        Scope scope = new Scope(outer);
        for (Item it : items) {
            scope.add(it.name, it.cols);
            if (it.rel != null) {
                scope.aliasOf(it.rel.name(), it.name);
            }
        }
        qualify |= items.size() > 1 || s.from().stream().anyMatch(f -> f instanceof FromItem.Join);
        // 2. WHERE conjuncts: push single-item ones into scans
        List<Expr> conj = new ArrayList<>();
        for (Expr jc : joinConds) {
            Compiler jcc = compiler(scope);
            jcc.forbidAggregates("JOIN conditions");
            jcc.condition(jc, "JOIN/ON");
            flatten(jc, conj);
        }
        if (s.where() != null) {
            flatten(s.where(), conj);
            Compiler wc = compiler(scope);
            wc.forbidAggregates("WHERE");
            Compiler.C whole = wc.condition(s.where(), "WHERE"); // full check (types, names, aggregates)
            if (Compiler.isConst(whole)) {
                // folded as a whole: its conjuncts are not compiled one by one (false AND 1/0 = 1 is no error)
                conj.removeAll(flattenedOf(s.where()));
                if (!Boolean.TRUE.equals(whole.ev().eval(null, null))) {
                    conj.add(new Expr.Constant(s.where().position(), Expr.ConstKind.BOOLEAN, "false"));
                }
            }
        }
        // conjuncts folded to constants: TRUE ones go, a FALSE or NULL one empties the level (One-Time Filter)
        boolean alwaysFalse = false;
        for (java.util.Iterator<Expr> ci = conj.iterator(); ci.hasNext();) {
            Compiler.C cc = tryCompile(compiler(scope), ci.next());
            if (cc != null && Compiler.isConst(cc)) {
                alwaysFalse |= !Boolean.TRUE.equals(cc.ev().eval(null, null));
                ci.remove();
            }
        }
        List<Expr> gates = takePseudoConstants(conj, outer);
        List<Expr> remaining = new ArrayList<>();
        for (Expr c : conj) {
            int owner = -1;
            int count = 0;
            for (int i = 0; i < items.size(); i++) {
                Scope only = new Scope(outer);
                only.add(items.get(i).name, items.get(i).cols);
                if (tryCompile(compiler(only), c) != null) {
                    owner = i;
                    count++;
                }
            }
            if (count == 1 && items.get(owner).rel != null) {
                items.get(owner).pushed.add(c);
            } else if (count == 1 && items.size() > 0) {
                remaining.add(c);
            } else {
                remaining.add(c);
            }
        }
        for (Item it : items) {
            if (!it.pushed.isEmpty()) {
                it.plan = scanWithQuals(it, outer);
            }
        }
        // 3. join left-deep
        Plan plan;
        List<OutCol> joinedCols = new ArrayList<>();
        if (items.isEmpty()) {
            plan = new Scans.ValuesNode(List.of(), List.<Ev[]>of(new Ev[0]), true);
        } else if (items.size() > 1 && items.size() <= joinSearchLimit()
                && s.from().stream().noneMatch(Planner::isLateral)) {
            Item acc = joinSearch(items, remaining, outer);
            plan = acc.plan;
            joinedCols.addAll(acc.cols);
        } else {
            Item acc = items.get(0);
            for (int i = 1; i < items.size(); i++) {
                Item next = items.get(i);
                Scope sofar = new Scope(outer);
                sofar.add(acc.name, acc.cols);
                sofar.add(next.name, next.cols);
                List<Expr> here = new ArrayList<>();
                for (Expr c : new ArrayList<>(remaining)) {
                    if (tryCompile(compiler(sofar), c) != null) {
                        here.add(c);
                        remaining.remove(c);
                    }
                }
                Plan jp = joinPlans(acc, next, Nodes.JoinKind.INNER, here, outer);
                List<OutCol> cols = new ArrayList<>(acc.cols);
                cols.addAll(next.cols);
                Item j = new Item(jp, null, null);
                j.cols.clear();
                j.cols.addAll(cols);
                acc = j;
            }
            plan = acc.plan;
            joinedCols.addAll(acc.cols);
        }
        if (!remaining.isEmpty()) {
            Compiler rc = compiler(scope);
            List<Compiler.C> cs = new ArrayList<>();
            for (Expr c : remaining) {
                cs.add(rc.condition(c, "WHERE"));
            }
            String txt = String.join(" AND ", cs.stream().map(Compiler.C::text).toList());
            if (plan instanceof Scans.ValuesNode vn) {
                vn.filter = andAll(cs);
            } else {
                plan = new Nodes.Filter(plan, andAll(cs), txt);
            }
        }
        plan = gated(plan, gates, outer);
        if (alwaysFalse) {
            plan = new OneTimeFalse(plan);
        }
        // FOR UPDATE/SHARE: LockRows goes above the sort (below LIMIT) once the projection carries the tid
        LockRows.Spec deferredLock = null;
        if (!locking.isEmpty()) {
            deferredLock = lockSpec(items, s, scope);
        }
        // 4. targets (expand *), grouping, window functions
        List<ResTarget> targets = expandStars(s.targets(), items, scope);
        Compiler tc = compiler(scope);
        tc.srfs = new ProjectSet.Calls();
        boolean grouped = !s.groupBy().isEmpty() || s.having() != null;
        boolean windowed = Windowing.contains(targets) || !s.windows().isEmpty()
                || orderBy.stream().anyMatch(sb -> Windowing.contains(sb.expr()));
        Windowing win = null;
        List<Compiler.C> compiled = null;
        if (!grouped) {
            try {
                if (windowed) {
                    win = new Windowing(ts, compiler(scope), s.windows());
                    tc.windowing = win;
                }
                compiled = new ArrayList<>();
                for (ResTarget t : targets) {
                    compiled.add(tc.compile(t.value()));
                }
                for (SortBy sb : orderBy) {
                    if (outputRefOf(sb.expr(), targets) == null) {
                        tc.compile(sb.expr());
                    }
                }
                for (Expr e : s.distinctOn()) {
                    if (outputRefOf(e, targets) == null && !(e instanceof Expr.Constant)) {
                        tc.compile(e);
                    }
                }
            } catch (Compiler.NeedsGrouping g) {
                grouped = true;
            }
        }
        if (grouped && deferredLock != null) { // aggregates without GROUP BY (GROUP BY failed in lockSpec)
            throw new PgException("0A000", "FOR " + locking.get(0).strength().sql.substring(4)
                    + " is not allowed with aggregate functions", null, null, s.position(), null);
        }
        Compiler outc = tc;
        List<String> groupTexts = List.of();
        if (grouped) {
            Compiler input = compiler(scope);
            Compiler.Grouping g = new Compiler.Grouping(input);
            input.forbidAggregates("GROUP BY");
            for (Expr ge : s.groupBy()) {
                Expr ex = ge;
                Integer pos = outputRefOf(ge, targets);
                if (pos != null) {
                    ex = targets.get(pos).value();
                }
                g.addKey(input.compile(ex));
            }
            input.forbidAggregates(null);
            groupTexts = g.keys().stream().map(Compiler.C::text).toList();
            outc = compiler(scope);
            outc.setGrouping(g);
            outc.srfs = new ProjectSet.Calls();
            if (windowed) {
                Compiler wi = compiler(scope);
                wi.setGrouping(g);
                win = new Windowing(ts, wi, s.windows());
                outc.windowing = win;
            }
            compiled = new ArrayList<>();
            for (ResTarget t : targets) {
                compiled.add(outc.compile(t.value()));
            }
            outc.forbidWindows("HAVING");
            Compiler.C having = s.having() == null ? null : outc.condition(s.having(), "HAVING");
            outc.forbidWindows(null);
            List<Compiler.C> sortPre = new ArrayList<>();
            for (SortBy sb : orderBy) {
                if (outputRefOf(sb.expr(), targets) == null) {
                    sortPre.add(outc.compile(sb.expr()));
                }
            }
            for (Expr e : s.distinctOn()) {
                if (outputRefOf(e, targets) == null && !(e instanceof Expr.Constant)) {
                    sortPre.add(outc.compile(e));
                }
            }
            List<OutCol> aggCols = new ArrayList<>();
            for (Compiler.C k : g.keys()) {
                aggCols.add(OutCol.of(k.label(), k.type()));
            }
            for (Compiler.C a : g.aggResults()) {
                aggCols.add(OutCol.of(a.label(), a.type()));
            }
            Ev[] keys = g.keys().stream().map(Compiler.C::ev).toArray(Ev[]::new);
            int[] kts = g.keys().stream().mapToInt(Compiler.C::type).toArray();
            if (g.keys().isEmpty() && g.aggs.isEmpty()) {
                // HAVING without GROUP BY or aggregates: one group whatever the input, which is not read at all
                // (PostgreSQL's planner drops the scan too: its WHERE is never evaluated)
                plan = new Scans.ValuesNode(plan.columns, List.of(), false);
            }
            Aggregate agg = new Aggregate(plan, aggCols, keys, kts, g.aggs.toArray(Aggregate.Spec[]::new),
                    Math.max(1, plan.rows / 10));
            if (!g.keys().isEmpty()) {
                agg.groupText = String.join(", ", g.keys().stream().map(Compiler.C::text).toList());
            }
            if (having != null) {
                agg.having = having.ev();
                agg.havingText = having.text();
            }
            plan = agg;
        }
        // 5. projection with hidden sort columns, distinct, sort, limit
        List<OutCol> outCols = new ArrayList<>();
        List<Ev> evs = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Compiler.C c = outc.finish(compiled.get(i));
            ResTarget t = targets.get(i);
            String name = t.alias() != null ? t.alias() : c.strength() > 0 ? c.label() : "?column?";
            OutCol src = sourceColumn(t.value(), scope);
            outCols.add(new OutCol(name, c.type(), c.typmod(), src == null ? 0 : src.tableOid(),
                    src == null ? 0 : Math.max(0, src.attnum()), false, null));
            evs.add(c.ev());
            texts.add(c.text());
        }
        int visible = outCols.size();
        boolean distinctOn = !s.distinctOn().isEmpty();
        List<Nodes.SortKey> keys = new ArrayList<>();
        for (SortBy sb : orderBy) {
            Integer pos = outputRefOf(sb.expr(), targets);
            if (pos == null && sb.expr() instanceof Expr.Constant k && k.kind() == Expr.ConstKind.INTEGER) {
                outputRef(sb.expr(), outCols); // throws the position error
            }
            if (pos != null) {
                int idx = pos;
                OutCol c = outCols.get(idx);
                keys.add(sortKey(sb, new Compiler.C(c.type(), c.typmod(), (row, ex) -> row[idx], c.name(), 2, null,
                        false, -1, compiled.get(idx).text(), sb.position())));
                continue;
            }
            Compiler.C c = outc.finish(outc.compile(sb.expr()));
            int same = texts.subList(0, visible).indexOf(c.text()); // an expression of the SELECT list
            if (same < 0 && s.distinct() && !distinctOn) {
                throw new PgException("42P10", "for SELECT DISTINCT, ORDER BY expressions must appear in select list",
                        null, null, sb.expr().position(), null);
            }
            int idx = same >= 0 ? same : hiddenColumn(c, outCols, evs, texts);
            keys.add(sortKey(sb, new Compiler.C(c.type(), c.typmod(), (row, ex) -> row[idx], c.label(), 2, null,
                    false, -1, c.text(), sb.position())));
        }
        int[] onKeys = null;
        if (distinctOn) {
            onKeys = distinctOnKeys(s, targets, compiled, outc, outCols, evs, texts, keys);
        }
        // the WindowAggs (and their sorts) come between the grouping and the final projection
        boolean presorted = false;
        if (win != null && win.hasFunctions()) {
            if (deferredLock != null) {
                throw new PgException("0A000", "FOR " + locking.get(0).strength().sql.substring(4)
                        + " is not allowed with window functions", null, null, s.position(), null);
            }
            plan = win.build(plan, keys, groupTexts);
            presorted = !keys.isEmpty() && Windowing.prefixOf(keys, win.ordering);
        }
        int tidColumn = -1;
        if (deferredLock != null) {
            int tidAt = deferredLock.rel().natts();
            if (items.get(0).needs != null) {
                items.get(0).needs.readSystem(0); // LockRows locks by the scan row's ctid
            }
            outCols.add(new OutCol("?ctid?", 20, -1, 0, 0, true, null));
            evs.add((row, ex) -> row[tidAt]);
            texts.add("?ctid?");
            tidColumn = outCols.size() - 1;
        }
        Ev[] projection = evs.toArray(Ev[]::new);
        if (outc.srfs.size() > 0) {
            plan = new ProjectSet(plan, outc.srfs);
        }
        plan = new Nodes.Project(plan, outCols, projection, List.copyOf(texts));
        if (distinctOn) {
            if (!presorted) {
                plan = new Nodes.Sort(plan, keys.toArray(Nodes.SortKey[]::new));
            }
            plan = new UniqueOn(plan, onKeys);
        } else {
            if (s.distinct()) {
                plan = new Nodes.Unique(plan, visible);
                presorted = false;
            }
            if (!keys.isEmpty() && !presorted) {
                plan = new Nodes.Sort(plan, keys.toArray(Nodes.SortKey[]::new));
            }
        }
        if (deferredLock != null) {
            plan = new LockRows(plan, deferredLock, tidColumn, projection);
        }
        plan = limit(plan, limit, offset, outer);
        List<OutCol> vis = outCols.subList(0, visible);
        if (outCols.size() > visible) {
            Ev[] trim = new Ev[visible];
            for (int i = 0; i < visible; i++) {
                int x = i;
                trim[i] = (row, ex) -> row[x];
            }
            plan = new Nodes.Project(plan, List.copyOf(vis), trim);
        }
        return new Planned(plan, List.copyOf(vis));
    }

    /** A hidden column of the projection computing {@code c} (an existing one with the same text is reused). */
    private static int hiddenColumn(Compiler.C c, List<OutCol> outCols, List<Ev> evs, List<String> texts) {
        for (int i = 0; i < outCols.size(); i++) {
            if (outCols.get(i).hidden() && texts.get(i).equals(c.text())) {
                return i;
            }
        }
        outCols.add(new OutCol("?sort?", c.type(), c.typmod(), 0, 0, true, null));
        evs.add(c.ev());
        texts.add(c.text());
        return outCols.size() - 1;
    }

    /**
     * DISTINCT ON: the columns the first rows of equal runs are kept by, checked against ORDER BY as
     * PostgreSQL's transformDistinctOnClause does (an ORDER BY item that is not a DISTINCT ON item ends the
     * part of ORDER BY they must match); DISTINCT ON items ORDER BY does not name are added to the sort.
     */
    private int[] distinctOnKeys(SelectStmt.Simple s, List<ResTarget> targets, List<Compiler.C> compiled,
            Compiler outc, List<OutCol> outCols, List<Ev> evs, List<String> texts, List<Nodes.SortKey> keys) {
        List<Integer> idx = new ArrayList<>();
        List<String> onTexts = new ArrayList<>();
        for (Expr e : s.distinctOn()) {
            Integer pos = outputRefOf(e, targets);
            if (pos == null && e instanceof Expr.Constant k && k.kind() == Expr.ConstKind.INTEGER) {
                throw new PgException("42P10", "DISTINCT ON position " + k.value() + " is not in select list", null,
                        null, k.position(), null);
            }
            int i;
            String text;
            if (pos != null) {
                i = pos;
                text = compiled.get(pos).text();
            } else {
                Compiler.C c = outc.finish(outc.compile(e));
                text = c.text();
                i = texts.indexOf(text);
                if (i < 0) {
                    i = hiddenColumn(c, outCols, evs, texts);
                }
            }
            idx.add(i);
            onTexts.add(text);
        }
        List<String> matched = new ArrayList<>();
        boolean skipped = false;
        for (Nodes.SortKey k : keys) {
            if (onTexts.contains(k.text())) {
                if (skipped) {
                    throw new PgException("42P10",
                            "SELECT DISTINCT ON expressions must match initial ORDER BY expressions", null, null,
                            s.distinctOn().get(onTexts.indexOf(k.text())).position(), null);
                }
                matched.add(k.text());
            } else {
                skipped = true;
            }
        }
        for (int j = 0; j < onTexts.size(); j++) {
            if (matched.contains(onTexts.get(j))) {
                continue;
            }
            if (skipped) {
                throw new PgException("42P10", "SELECT DISTINCT ON expressions must match initial ORDER BY expressions",
                        null, null, s.distinctOn().get(j).position(), null);
            }
            int i = idx.get(j);
            OutCol c = outCols.get(i);
            keys.add(new Nodes.SortKey((row, ex) -> row[i], c.type(), false, false, onTexts.get(j)));
            matched.add(onTexts.get(j));
        }
        return idx.stream().mapToInt(Integer::intValue).toArray();
    }

    /** What FOR UPDATE/SHARE locks: a single table's rows; other shapes are not supported yet. */
    private LockRows.Spec lockSpec(List<Item> items, SelectStmt.Simple s, Scope scope) {
        if (items.size() != 1 || items.get(0).rel == null) {
            throw new PgException("0A000", "FOR UPDATE/SHARE is supported on a single table only", null, null,
                    s.position(), null);
        }
        if (items.get(0).expands) { // the rows come from several tables: LockRows locks in one
            throw new PgException("0A000", "FOR UPDATE/SHARE of partitioned or inherited tables is not supported yet",
                    null, null, s.position(), null);
        }
        String clause = !s.groupBy().isEmpty() ? "GROUP BY" : s.having() != null ? "HAVING"
                : s.distinct() || !s.distinctOn().isEmpty() ? "DISTINCT" : null;
        if (clause != null) {
            throw new PgException("0A000", "FOR " + locking.get(0).strength().sql.substring(4)
                    + " is not allowed with " + clause + " clause", null, null, s.position(), null);
        }
        modgres.sql.ast.LockingClause lc = locking.get(0);
        for (modgres.sql.ast.LockingClause l : locking) {
            if (l.strength().ordinal() < lc.strength().ordinal()) {
                lc = l;
            }
        }
        RowLockMode mode = switch (lc.strength()) {
            case UPDATE -> RowLockMode.EXCLUSIVE;
            case NO_KEY_UPDATE -> RowLockMode.NO_KEY_EXCLUSIVE;
            case SHARE -> RowLockMode.SHARE;
            default -> RowLockMode.KEY_SHARE;
        };
        modgres.api.access.WaitPolicy wait = switch (lc.waitPolicy()) {
            case NOWAIT -> modgres.api.access.WaitPolicy.ERROR;
            case SKIP_LOCKED -> modgres.api.access.WaitPolicy.SKIP;
            default -> modgres.api.access.WaitPolicy.BLOCK;
        };
        Ev recheck = s.where() == null ? null : compiler(scope).condition(s.where(), "WHERE").ev();
        return new LockRows.Spec(items.get(0).rel, mode, wait, recheck);
    }

    private static OutCol sourceColumn(Expr e, Scope scope) {
        if (e instanceof Expr.ColumnRef r && !r.star()) {
            try {
                Scope.Ref ref = scope.resolve(r.fields(), r.position());
                return ref.depth() == 0 ? ref.col() : null;
            } catch (PgException x) {
                return null;
            }
        }
        return null;
    }

    /** The index of the SELECT-list entry an ORDER BY / GROUP BY item names (by number or output name). */
    private static Integer outputRefOf(Expr e, List<ResTarget> targets) {
        if (e instanceof Expr.Constant k && k.kind() == Expr.ConstKind.INTEGER) {
            int n = Integer.parseInt(k.value());
            return n >= 1 && n <= targets.size() ? n - 1 : null;
        }
        if (e instanceof Expr.ColumnRef r && r.fields().size() == 1 && !r.star()) {
            for (int i = 0; i < targets.size(); i++) {
                if (r.fields().get(0).equals(targets.get(i).alias())) {
                    return i;
                }
            }
        }
        return null;
    }

    List<ResTarget> expandStars(List<ResTarget> targets, List<Item> items, Scope scope) {
        List<ResTarget> out = new ArrayList<>();
        for (ResTarget t : targets) {
            if (t.value() instanceof Expr.ColumnRef r && r.star()) {
                if (r.fields().isEmpty()) {
                    if (items.isEmpty()) {
                        throw new PgException("42601", "SELECT * with no tables specified is not valid", null, null,
                                r.position(), null);
                    }
                    for (Scope.Entry e : scope.entries()) {
                        addColumns(out, e, r.position());
                    }
                } else {
                    String name = r.fields().get(r.fields().size() - 1);
                    Scope.Entry e = scope.entry(name);
                    if (e == null) {
                        throw new PgException("42P01", "missing FROM-clause entry for table \"" + name + "\"", null,
                                null, r.position(), null);
                    }
                    addColumns(out, e, r.position());
                }
            } else if (t.value() instanceof Expr.Indirection ind
                    && ind.items().get(ind.items().size() - 1) instanceof Expr.FieldStar) {
                out.addAll(RowExpressions.expandFieldStar(compiler(scope), ind, t));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    private static void addColumns(List<ResTarget> out, Scope.Entry e, int pos) {
        for (OutCol c : e.cols()) {
            if (!c.hidden()) {
                List<String> f = c.qualifier() != null ? List.of(c.qualifier(), c.name()) : List.of(c.name());
                out.add(new ResTarget(pos, new Expr.ColumnRef(pos, f, false), null));
            }
        }
    }

    /** Puts a base table's pushed-down quals into its scan, choosing an index scan when one serves them. */
    Plan scanWithQuals(Item it, Scope outer) {
        Relation rel = it.rel;
        if (it.expands) {
            return new InheritancePlanner(this).scan(rel, it.inherit, it.name, it.pushed, outer, it.needs);
        }
        Scope only = new Scope(outer);
        only.add(it.name, it.cols);
        Compiler c = compiler(only);
        c.qualify = verbose; // a scan's own conditions print their columns bare unless VERBOSE (show_scan_qual)
        List<Compiler.C> quals = new ArrayList<>();
        List<java.util.BitSet> qualReads = new ArrayList<>(); // column pruning: what each qual reads of the scan
        for (Expr e : it.pushed) {
            Object[] enclosing = columnUsage.startRecording(it.needs);
            try {
                quals.add(c.condition(e, "WHERE"));
            } finally {
                qualReads.add(columnUsage.stopRecording(enclosing));
            }
        }
        double total = it.plan.rows;
        IndexChoice best = null;
        for (Relation.Index idx : rel.indexes()) {
            if (!idx.plain() && !(idx.exprs().isEmpty() && java.util.Arrays.stream(idx.keyOptions()).allMatch(o -> o == 0)
                    && idx.predicate() != null && PartialIndexes.implied(idx.predicate(), it.pushed,
                    name -> rel.column(name) != null && List.of(19, 25, 1043).contains(rel.column(name).type())))) {
                continue; // expression and descending indexes: maintained, not (yet) chosen for scans
            }
            IndexChoice ch = indexChoice(rel, idx, it, c, total);
            if (ch != null && (best == null || ch.rows < best.rows)) {
                best = ch;
            }
        }
        Ev filter = andAll(quals);
        String ftxt = andText(quals); // several conditions: ((a > 1) AND (b < 2)), as PostgreSQL prints them
        double sel = selectivity().conjunction(it.pushed, only, c, total);
        ScanMethod method = chooseScan(rel, best, total, quals.size());
        if (method == ScanMethod.BITMAP) {
            return bitmapScan(it, best, quals, c);
        }
        if (method == ScanMethod.INDEX) {
            Scans.IndexScanNode n = new Scans.IndexScanNode(rel, best.index, it.name, best.keyTypes, best.lower,
                    best.lowerInc, best.upper, best.upperInc, false);
            n.needs = it.needs;
            n.filter = filter;
            n.condText = best.text;
            List<Compiler.C> other = new ArrayList<>(); // the conditions the index does not enforce: EXPLAIN's Filter
            for (int i = 0; i < quals.size(); i++) {
                Expr e = it.pushed.get(i);
                if (best.enforced.stream().noneMatch(x -> x == e)) {
                    other.add(quals.get(i));
                }
            }
            n.filterText = other.isEmpty() ? null : andText(other);
            n.uniqueEquality = best.index.unique() && best.index.keys().length == 1 && best.rows <= 1;
            n.estimate(0.29, 0.29 + best.rows * 4 + 4, best.rows);
            return n;
        }
        Plan p = it.plan;
        if (p instanceof Scans.SeqScan ss) {
            ss.filter = filter;
            ss.filterText = ftxt;
            if (it.needs != null && filter != null) {
                ss.stages = new Scans.FilterStages(filter, quals.stream().map(Compiler.C::ev).toList(), qualReads);
            }
            ss.estimate(0, ss.totalCost + total * 0.0025, total * sel);
            return ss;
        }
        return new Nodes.Filter(p, filter, ftxt);
    }

    private record IndexChoice(Relation.Index index, int[] keyTypes, Ev[] lower, boolean lowerInc, Ev[] upper,
            boolean upperInc, double rows, String text, List<Expr> enforced) {
    }

    /*
     * Design notes: Seq Scan, Index Scan or Bitmap Heap Scan for a table's
     * pushed-down conditions (PostgreSQL's cost_seqscan, cost_index and
     * cost_bitmap_heap_scan with the default constants, no correlation
     * statistics: index order is taken as unrelated to heap order).
     *
     * T = the table's pages, N its rows, n the rows the index condition
     * selects (the planner's default selectivities). Heap pages fetched:
     * Mackert and Lohman's min(T, 2Tn / (2T + n)). An index scan pays a random
     * page (4) per page fetched; a bitmap scan visits them in block order, at
     * 4 - 3 sqrt(fetched / T) a page (random for few, sequential when it reads
     * the whole table), plus a little per tid for the bitmap, so it wins for
     * medium selectivities and the index scan for a handful of rows (a unique
     * key). Between a scan of the index and the Seq Scan the old rule stands
     * (the index serves conditions expected to keep under a fifth of the rows),
     * so plans on small tables do not flip to a Seq Scan on costs the planner
     * cannot estimate well; enable_seqscan, enable_indexscan and
     * enable_bitmapscan = off add disable_cost, so the cheapest enabled method
     * is taken, and a disabled one only when all are.
     */
    enum ScanMethod {
        SEQ, INDEX, BITMAP
    }

    ScanMethod chooseScan(Relation rel, IndexChoice best, double total, int nquals) {
        double seq = (enabled("enable_seqscan") ? 0 : DISABLE_COST);
        if (best == null) {
            return ScanMethod.SEQ;
        }
        double t = Math.max(1, pagesOf(rel));
        double n = Math.max(1, best.rows);
        double fetched = Math.min(t, 2 * t * n / (2 * t + n));
        double indexPart = Math.ceil(n / 300.0) * 4 + n * 0.0075;
        double perTuple = n * (0.01 + 0.0025 * nquals);
        double index = indexPart + fetched * 4 + perTuple + (enabled("enable_indexscan") ? 0 : DISABLE_COST);
        double perPage = fetched >= 2 ? 4 - 3 * Math.sqrt(fetched / t) : 4;
        double bitmap = indexPart + 0.1 * 0.0025 * n + fetched * perPage + perTuple
                + (enabled("enable_bitmapscan") ? 0 : DISABLE_COST);
        boolean indexServes = best.rows < Math.max(2, total * 0.2);
        double viaIndex = Math.min(index, bitmap);
        if (indexServes ? viaIndex >= DISABLE_COST && seq < DISABLE_COST : seq < DISABLE_COST || viaIndex >= seq) {
            return ScanMethod.SEQ;
        }
        return index <= bitmap ? ScanMethod.INDEX : ScanMethod.BITMAP;
    }

    /** A Bitmap Heap Scan over a Bitmap Index Scan of {@code best}; the other conditions are its filter. */
    private Plan bitmapScan(Item it, IndexChoice best, List<Compiler.C> quals, Compiler c) {
        List<Compiler.C> cond = new ArrayList<>();
        List<Compiler.C> other = new ArrayList<>();
        for (int i = 0; i < it.pushed.size(); i++) {
            Expr e = it.pushed.get(i);
            (best.enforced.stream().anyMatch(x -> x == e) ? cond : other).add(quals.get(i));
        }
        String indexText = best.text.contains(" AND ") ? "(" + best.text + ")" : best.text;
        BitmapScans.BitmapIndexScan bis = new BitmapScans.BitmapIndexScan(it.rel, best.index, best.keyTypes,
                best.lower, best.lowerInc, best.upper, best.upperInc, indexText);
        String recheckText = andText(cond);
        BitmapScans.BitmapHeapScan hs = new BitmapScans.BitmapHeapScan(it.rel, it.name, bis, andAll(cond),
                recheckText);
        hs.needs = it.needs;
        if (!other.isEmpty()) {
            hs.filter = andAll(other);
            hs.filterText = andText(other);
        }
        double t = Math.max(1, pagesOf(it.rel));
        double n = Math.max(1, best.rows);
        double fetched = Math.min(t, 2 * t * n / (2 * t + n));
        double indexCost = Math.ceil(n / 300.0) * 4 + n * 0.0075;
        bis.estimate(0, indexCost, n);
        double rows = n;
        for (int i = 0; i < other.size(); i++) {
            rows *= 0.33;
        }
        hs.estimate(indexCost, indexCost + fetched * (fetched >= 2 ? 4 - 3 * Math.sqrt(fetched / t) : 4)
                + n * (0.01 + 0.0025 * quals.size()), rows);
        return hs;
    }

    /** Conditions as EXPLAIN prints a list of them: one as it is, several ANDed in parentheses. */
    private static String andText(List<Compiler.C> cs) {
        String s = String.join(" AND ", cs.stream().map(Compiler.C::text).toList());
        return cs.size() > 1 ? "(" + s + ")" : s;
    }

    private IndexChoice indexChoice(Relation rel, Relation.Index idx, Item it, Compiler c, double total) {
        int first = idx.keys()[0];
        Relation.Column col = rel.columns().get(first - 1);
        Ev lo = null;
        Ev hi = null;
        boolean loInc = true;
        boolean hiInc = true;
        String text = null;
        boolean eq = false;
        Expr eqExpr = null;
        Expr loExpr = null;
        Expr hiExpr = null;
        Compiler noCols = compiler(new Scope(c.scope.parent()));
        for (Expr e : it.pushed) {
            if (!(e instanceof Expr.BinaryOp b)) {
                continue;
            }
            String op = b.op().name();
            Expr colSide = b.left();
            Expr valSide = b.right();
            if (!isColumn(colSide, col.name())) {
                if (!isColumn(valSide, col.name())) {
                    continue;
                }
                colSide = b.right();
                valSide = b.left();
                op = Selectivity.commuted(op);
            }
            if (op == null || !List.of("=", "<", "<=", ">", ">=").contains(op)) {
                continue;
            }
            Compiler.C v = tryCompile(noCols, valSide);
            if (v == null) {
                continue;
            }
            if (v.type() != col.type()) {
                boolean widening = col.type() == Compiler.INT8 && (v.type() == Compiler.INT4 || v.type() == Compiler.INT2)
                        || col.type() == Compiler.INT4 && v.type() == Compiler.INT2;
                boolean textual = (col.type() == 1043 || col.type() == Compiler.TEXT) && (v.type() == Compiler.TEXT
                        || v.type() == 1043);
                if (v.type() == Compiler.UNKNOWN || widening || textual) {
                    v = noCols.coerce(v, col.type(), -1, TypeSystem.CastContext.IMPLICIT, null);
                } else {
                    continue;
                }
            }
            String t = "(" + col.name() + " " + op + " " + v.text() + ")";
            switch (op) {
                case "=" -> {
                    lo = v.ev();
                    hi = v.ev();
                    loInc = true;
                    hiInc = true;
                    eq = true;
                    eqExpr = e;
                    text = t;
                }
                case ">", ">=" -> {
                    if (!eq) {
                        lo = v.ev();
                        loInc = op.equals(">=");
                        loExpr = e;
                        text = text == null ? t : text + " AND " + t;
                    }
                }
                default -> {
                    if (!eq) {
                        hi = v.ev();
                        hiInc = op.equals("<=");
                        hiExpr = e;
                        text = text == null ? t : text + " AND " + t;
                    }
                }
            }
        }
        if (lo == null && hi == null) {
            return null;
        }
        double rows;
        if (eq) {
            rows = idx.unique() && idx.keys().length == 1 ? 1
                    : Math.max(1, total * selectivity().restriction(eqExpr, c.scope, c, total));
        } else { // a range: PostgreSQL's clauselist_selectivity pairs its two ends (lo + hi - 1)
            double l = loExpr == null ? 1 : selectivity().restriction(loExpr, c.scope, c, total);
            double h = hiExpr == null ? 1 : selectivity().restriction(hiExpr, c.scope, c, total);
            double both = loExpr != null && hiExpr != null ? l + h - 1 : l * h;
            rows = Math.max(1, total * (both > 0 ? both : Selectivity.DEFAULT_EQ));
        }
        int[] kt = {col.type()};
        List<Expr> enforced = new ArrayList<>();
        if (eqExpr != null) {
            enforced.add(eqExpr);
        } else {
            if (loExpr != null) {
                enforced.add(loExpr);
            }
            if (hiExpr != null) {
                enforced.add(hiExpr);
            }
        }
        return new IndexChoice(idx, kt, lo == null ? null : new Ev[] {lo}, loInc, hi == null ? null : new Ev[] {hi},
                hiInc, rows, text, enforced);
    }

    private static boolean isColumn(Expr e, String name) {
        return e instanceof Expr.ColumnRef r && !r.star() && r.fields().get(r.fields().size() - 1).equals(name);
    }

    // ------------------------------------------------------------------ INSERT, UPDATE, DELETE

    /** A DML plan: the ModifyTable and its RETURNING columns (null without RETURNING). */
    public record PlannedDml(ModifyTable plan, List<OutCol> returning, Relation rel) {
    }

    private void checkTable(Relation rel, int pos) {
        if (rel.kind() == 'c') {
            throw new PgException("42809", "\"" + rel.name() + "\" is a composite type", null, null, pos, null);
        }
        if (rel.kind() != 'r' && rel.kind() != 'p') {
            String what = rel.kind() == 'v' ? "view" : rel.kind() == 'i' ? "index" : rel.kind() == 'S' ? "sequence"
                    : "relation";
            throw new PgException("42809", "cannot change " + what + " \"" + rel.name() + "\"", null, null, pos,
                    null);
        }
    }

    /** The default of a column compiled (no FROM), or a NULL constant. */
    Ev defaultOf(Relation rel, Relation.Column col) {
        String sql = col.defaultExpr();
        if (sql == null && !col.dropped() && ts.domainCheck(col.type()) != null) {
            // a domain column without a default of its own: the domain's default, else NULL through its checks
            sql = ts.domainDefault(col.type());
            if (sql == null) {
                TypeSystem.Cast check = ts.domainCheck(col.type());
                return (row, ex) -> check.apply(null, ex);
            }
        }
        if (sql == null) {
            return (row, ex) -> null;
        }
        Expr e = modgres.sql.parser.SqlParser.parseExpression(sql);
        Compiler c = compiler(new Scope(null));
        Compiler.C d = c.coerce(c.compile(e), col.type(), col.typmod(), TypeSystem.CastContext.ASSIGNMENT,
                "column \"" + col.name() + "\" is of type " + ts.format(col.type(), col.typmod()));
        return d.ev();
    }

    List<ModifyTable.Check> checks(Relation rel, String alias) {
        List<ModifyTable.Check> out = new ArrayList<>();
        Scope sc = tableScope(rel, alias);
        for (Relation.Constraint k : rel.constraints()) {
            if (k.type() == 'c') {
                Compiler c = compiler(sc);
                Expr e = modgres.sql.parser.SqlParser.parseExpression(k.expr());
                out.add(new ModifyTable.Check(k.name(), c.condition(e, "CHECK").ev()));
            }
        }
        return out;
    }

    private ReturningPlan returning(List<ResTarget> ret, Relation rel, String alias) {
        return returning(ret, rel, alias, null);
    }

    /**
     * RETURNING compiled over the target's columns, or over {@code withSource} (the target and the FROM / USING
     * items of an UPDATE / DELETE, in the scan's row layout: ModifyTable then evaluates it on the scan's row with
     * the target's part replaced by the written row, see ModifyTable.returningReadsSource).
     */
    private ReturningPlan returning(List<ResTarget> ret, Relation rel, String alias, Scope withSource) {
        if (ret.isEmpty()) {
            return new ReturningPlan(null, null);
        }
        Scope sc = withSource != null ? withSource : tableScope(rel, alias);
        Item it = new Item(seqScan(rel, alias), alias, rel);
        List<ResTarget> targets = expandStars(ret, List.of(it), sc);
        Compiler c = compiler(sc);
        c.forbidWindows("RETURNING");
        List<OutCol> cols = new ArrayList<>();
        List<Ev> evs = new ArrayList<>();
        for (ResTarget t : targets) {
            Compiler.C x = c.finish(c.compile(t.value()));
            OutCol src = sourceColumn(t.value(), sc);
            cols.add(new OutCol(t.alias() != null ? t.alias() : x.strength() > 0 ? x.label() : "?column?", x.type(),
                    x.typmod(), src == null ? 0 : src.tableOid(), src == null ? 0 : Math.max(0, src.attnum()), false,
                    null));
            evs.add(x.ev());
        }
        return new ReturningPlan(cols, evs.toArray(Ev[]::new), c.readsTupleHeader);
    }

    /** {@code readsHeader}: it reads xmin or xmax (not available for some routed rows: ModifyTable). */
    private record ReturningPlan(List<OutCol> cols, Ev[] evs, boolean readsHeader) {
        ReturningPlan(List<OutCol> cols, Ev[] evs) {
            this(cols, evs, false);
        }
    }

    /**
     * The foreign keys a write to {@code target} may have to enforce: its own
     * and those referencing it, and transitively those of the tables their
     * CASCADE / SET NULL / SET DEFAULT actions write; null when there are none.
     */
    ForeignKeys foreignKeys(Relation target) {
        if (!PartitionedForeignKeys.involved(cat, target)) {
            return null; // the common case: nothing to compile
        }
        ForeignKeys fks = new ForeignKeys();
        java.util.ArrayDeque<Relation> todo = new java.util.ArrayDeque<>();
        todo.add(target);
        while (!todo.isEmpty()) {
            Relation rel = todo.poll();
            if (fks.tables().containsKey(rel.oid())) {
                continue;
            }
            Ev[] defaults = new Ev[rel.natts()];
            for (Relation.Column c : rel.columns()) {
                if (!c.dropped() && c.defaultExpr() != null) {
                    defaults[c.attnum() - 1] = defaultOf(rel, c);
                }
            }
            ForeignKeys.Table t = new ForeignKeys.Table(rel, ModifyTable.writer(rel, checks(rel, rel.name())),
                    defaults);
            fks.tables().put(rel.oid(), t);
            // keys as written, resolved for this table (partitions: through their ancestors' keys)
            t.outgoing().addAll(PartitionedForeignKeys.outgoing(this, rel));
            List<Relation> reached = new ArrayList<>();
            t.incoming().addAll(PartitionedForeignKeys.incoming(this, rel, reached));
            todo.addAll(reached);
        }
        return fks.none(target.oid()) ? null : fks;
    }

    /** ON CONFLICT: its arbiter indexes (42P10 when none fits) and DO UPDATE's SET and WHERE. */
    private ModifyTable.OnConflictClause onConflict(OnConflict oc, Relation rel, String alias) {
        List<Relation.Index> arbiters = new ArrayList<>();
        if (oc.constraint() != null) {
            Relation.Constraint found = null;
            for (Relation.Constraint k : rel.constraints()) {
                if (k.name().equals(oc.constraint())) {
                    found = k;
                }
            }
            if (found == null) {
                throw new PgException("42704", "constraint \"" + oc.constraint() + "\" for table \"" + rel.name()
                        + "\" does not exist", null, null, oc.position(), null);
            }
            for (Relation.Index idx : rel.indexes()) {
                if (idx.oid() == found.index() && idx.unique() && (found.type() == 'p' || found.type() == 'u')) {
                    arbiters.add(idx);
                }
            }
            if (arbiters.isEmpty()) {
                throw new PgException("42809", "constraint in ON CONFLICT clause has no associated index", null,
                        null, oc.position(), null);
            }
        } else if (!oc.inferElems().isEmpty()) {
            List<Integer> cols = new ArrayList<>();
            for (var el : oc.inferElems()) {
                if (el.name() == null) {
                    throw new PgException("42P10", "there is no unique or exclusion constraint matching the ON "
                            + "CONFLICT specification", null, null, oc.position(), null);
                }
                Relation.Column c = rel.column(el.name());
                if (c == null) {
                    throw new PgException("42703", "column \"" + el.name() + "\" does not exist", null, null,
                            el.position(), null);
                }
                if (!cols.contains(c.attnum())) {
                    cols.add(c.attnum());
                }
            }
            int[] want = cols.stream().mapToInt(Integer::intValue).toArray();
            for (Relation.Index idx : rel.indexes()) {
                if (idx.unique() && ForeignKeys.order(idx.keys(), want) != null) {
                    arbiters.add(idx);
                }
            }
            if (arbiters.isEmpty()) {
                throw new PgException("42P10", "there is no unique or exclusion constraint matching the ON CONFLICT "
                        + "specification");
            }
        } else if (oc.doUpdate()) {
            throw new PgException("42601", "ON CONFLICT DO UPDATE requires inference specification or constraint "
                    + "name", null, "For example, ON CONFLICT (column_name).", oc.position(), null);
        } else {
            for (Relation.Index idx : rel.indexes()) {
                if (idx.unique()) {
                    arbiters.add(idx);
                }
            }
        }
        boolean explicit = oc.constraint() != null || !oc.inferElems().isEmpty();
        if (!oc.doUpdate()) {
            return new ModifyTable.OnConflictClause(List.copyOf(arbiters), explicit, false, null, null, null);
        }
        Scope sc = new Scope(null);
        sc.add(alias, Scans.tableColumns(rel, alias));
        sc.aliasOf(rel.name(), alias);
        sc.add("excluded", Scans.tableColumns(rel, "excluded"));
        Compiler c = compiler(sc);
        c.forbidWindows("ON CONFLICT DO UPDATE");
        c.forbidAggregates("UPDATE");
        Ev[] set = setClauses(rel, oc.set(), c);
        Ev where = null;
        String whereText = null;
        if (oc.where() != null) {
            Compiler wc = compiler(sc);
            wc.qualify = true; // EXPLAIN's Conflict Filter names the table: (u.n > 100)
            wc.forbidAggregates("WHERE");
            Compiler.C w = wc.condition(oc.where(), "WHERE");
            where = w.ev();
            whereText = w.text();
        }
        return new ModifyTable.OnConflictClause(List.copyOf(arbiters), explicit, true, set, where, whereText);
    }

    /** WITH CHECK OPTION conditions gathered while a DML statement on a view is rewritten (UpdatableViews). */
    private UpdatableViews.Pending viewRewrite;
    /** The view checks of the DML statement being planned, compiled per target table by {@link #viewChecks}. */
    private List<UpdatableViews.ViewCheck> activeViewChecks = List.of();

    private UpdatableViews.Pending viewRewrite() {
        if (viewRewrite == null) {
            viewRewrite = new UpdatableViews.Pending();
        }
        return viewRewrite;
    }

    /** Takes the view checks a rewrite left for the statement now planned on its base table. */
    private List<UpdatableViews.ViewCheck> takeViewChecks() {
        List<UpdatableViews.ViewCheck> vc = viewRewrite == null ? List.of() : List.copyOf(viewRewrite.checks);
        viewRewrite = null;
        return vc;
    }

    /** The active view checks compiled over a row of {@code rel} (attributes and system columns). */
    private List<ModifyTable.Check> viewChecks(Relation rel, String alias) {
        List<ModifyTable.Check> out = new ArrayList<>();
        for (UpdatableViews.ViewCheck vc : activeViewChecks) {
            Compiler c = compiler(tableScope(rel, alias));
            out.add(new ModifyTable.Check(vc.view(), c.condition(vc.cond(), "WHERE").ev()));
        }
        return out;
    }

    /**
     * pg_relation_is_updatable(rel, false): PostgreSQL's mask of UPDATE (4), INSERT (8), DELETE (16): every one
     * for tables and automatically updatable views, none for other relations.
     */
    private Integer relationUpdatability(int oid) {
        Relation r = cat.relation(oid);
        if (r == null) {
            return null;
        }
        if (r.kind() == 'r' || r.kind() == 'p') {
            return 28;
        }
        return r.kind() == 'v' && UpdatableViews.isUpdatable(this, r) ? 28 : 0;
    }

    public PlannedDml planInsert(Dml.Insert ins) {
        return withQueries(ins, ins.with(), () -> planInsertBody(ins));
    }

    /**
     * A DML statement with a WITH clause: its queries visible while {@code planning} plans the statement,
     * its data-modifying ones run when the statement ends (ModifyTable.finishCtes).
     */
    private PlannedDml withQueries(Dml stmt, modgres.sql.ast.WithClause with,
            java.util.function.Supplier<PlannedDml> planning) {
        if (with == null) {
            return planning.get();
        }
        Map<String, Object> saved = new HashMap<>(ctes);
        try {
            List<ModifyingCte> modifying = RecursiveQueries.planWith(this, stmt, with, null);
            PlannedDml pd = planning.get();
            if (!modifying.isEmpty()) {
                pd.plan().finishCtes = modifying;
            }
            return pd;
        } finally {
            ctes.clear();
            ctes.putAll(saved);
        }
    }

    private PlannedDml planInsertBody(Dml.Insert ins) {
        Relation target = relation(ins.relation());
        if (target.kind() == 'v') {
            return planInsert(UpdatableViews.rewriteInsert(this, ins, target, viewRewrite()));
        }
        List<UpdatableViews.ViewCheck> outerChecks = activeViewChecks;
        activeViewChecks = takeViewChecks();
        try {
            return planInsertOn(ins);
        } finally {
            activeViewChecks = outerChecks;
        }
    }

    /**
     * The columns INSERT or UPDATE assigns in parts ({@code f[1]}, {@code f.a}): each one's new value, from NULL
     * (INSERT) or its current value ({@code fromOld}, UPDATE: the target's row is first in the scan row), with
     * the parts assigned in the order written.
     */
    private void assignParts(Compiler c, Ev[] row, java.util.Map<Relation.Column, List<RowExpressions.PartAssign>> parts,
            boolean fromOld, int pos) {
        for (var e : parts.entrySet()) {
            Relation.Column col = e.getKey();
            int idx = col.attnum() - 1;
            Ev base = fromOld ? (r, ex) -> r[idx] : null;
            Ev combined = RowExpressions.combine(base, col.type(), e.getValue());
            TypeSystem.Cast domain = ts.domainCheck(col.type());
            if (domain != null) {
                // a domain over an array or composite: its constraints hold for the finished value only
                Ev parts0 = combined;
                combined = (r, ex) -> domain.apply(parts0.eval(r, ex), ex);
            }
            Compiler.C v = new Compiler.C(col.type(), col.typmod(), combined, col.name(), 2, null, false, -1,
                    col.name(), pos);
            row[idx] = assign(c, v, col, pos);
        }
    }

    /** True when output column {@code i} of a plain SELECT (no stars) is a string literal left of unknown type. */
    private static boolean unknownLiteralAt(SelectStmt src, int i) {
        if (!(src.body() instanceof SelectStmt.Simple sim) || i >= sim.targets().size()) {
            return false;
        }
        for (var t : sim.targets()) {
            if (t.value() instanceof Expr.ColumnRef r && r.star()) {
                return false;
            }
        }
        return sim.targets().get(i).value() instanceof Expr.Constant k && k.kind() == Expr.ConstKind.STRING;
    }

    private PlannedDml planInsertOn(Dml.Insert ins) {
        Relation rel = relation(ins.relation());
        checkTable(rel, ins.relation().position());
        String alias = ins.relation().alias() != null ? ins.relation().alias().name() : rel.name();
        int natts = rel.natts();
        // target columns
        List<Relation.Column> targets = new ArrayList<>();
        if (ins.columns().isEmpty()) {
            targets.addAll(rel.liveColumns());
        } else {
            java.util.Set<Relation.Column> wholeTargets = new java.util.HashSet<>();
            for (var ct : ins.columns()) {
                Relation.Column col = rel.column(ct.name());
                if (col == null) {
                    throw new PgException("42703", "column \"" + ct.name() + "\" of relation \"" + rel.name()
                            + "\" does not exist", null, null, ct.position(), null);
                }
                // several targets may assign parts of one column (f[1], f[2]); a whole column only once
                boolean partial = !ct.indirection().isEmpty();
                if (!partial) {
                    wholeTargets.add(col);
                }
                if (partial ? wholeTargets.contains(col) : targets.contains(col)) {
                    throw new PgException("42701", "column \"" + ct.name() + "\" specified more than once", null,
                            null, ct.position(), null);
                }
                targets.add(col);
            }
        }
        Ev[] defaults = new Ev[natts];
        for (Relation.Column col : rel.columns()) {
            defaults[col.attnum() - 1] = col.dropped() ? (row, ex) -> null : defaultOf(rel, col);
        }
        Plan source;
        SelectStmt src = ins.source();
        if (src == null) {
            // DEFAULT VALUES
            List<Ev[]> rows = new ArrayList<>();
            rows.add(defaults.clone());
            source = new Scans.ValuesNode(Scans.tableColumns(rel, alias).subList(0, natts), rows, true);
        } else if (src.body() instanceof SelectStmt.Values v && src.bare()) {
            Compiler c = compiler(new Scope(null));
            c.forbidWindows("VALUES");
            if (v.rows().size() == 1) { // INSERT ... VALUES (f(...)) with a set-returning f: one row per value
                c.srfs = new ProjectSet.Calls();
            }
            List<Ev[]> rows = new ArrayList<>();
            if (ins.columns().isEmpty()) {
                int widest = 0;
                for (List<Expr> r : v.rows()) {
                    widest = Math.max(widest, r.size());
                }
                if (widest < targets.size()) {
                    targets = new ArrayList<>(targets.subList(0, widest));
                }
            }
            for (List<Expr> r : v.rows()) {
                if (r.size() > targets.size()) {
                    throw new PgException("42601", "INSERT has more expressions than target columns", null, null,
                            r.get(targets.size()).position(), null);
                }
                if (r.size() < targets.size()) {
                    throw new PgException("42601", "INSERT has more target columns than expressions", null, null,
                            ins.columns().isEmpty() ? r.get(r.size() - 1).position()
                                    : ins.columns().get(r.size()).position(), null);
                }
                Ev[] row = defaults.clone();
                java.util.Map<Relation.Column, List<RowExpressions.PartAssign>> parts = new java.util.LinkedHashMap<>();
                for (int i = 0; i < r.size(); i++) {
                    Relation.Column col = targets.get(i);
                    modgres.sql.ast.ColumnTarget ct = ins.columns().isEmpty() ? null : ins.columns().get(i);
                    if (ct != null && !ct.indirection().isEmpty()) {
                        if (r.get(i) instanceof Expr.Default) {
                            throw RowExpressions.defaultInto(ct);
                        }
                        parts.computeIfAbsent(col, k -> new ArrayList<>())
                                .add(RowExpressions.part(c, col, ct, c.compile(r.get(i))));
                        continue;
                    }
                    if (r.get(i) instanceof Expr.Default || !identityValueTaken(col, ins.overriding())) {
                        continue;
                    }
                    row[col.attnum() - 1] = assign(c, c.compile(r.get(i)), col, r.get(i).position());
                }
                assignParts(c, row, parts, false, r.isEmpty() ? ins.position() : r.get(0).position());
                rows.add(row);
            }
            source = new Scans.ValuesNode(Scans.tableColumns(rel, alias).subList(0, natts), rows, rows.size() == 1);
            if (c.srfs != null && c.srfs.size() > 0) {
                Plan one = new Scans.ValuesNode(List.of(), List.<Ev[]>of(new Ev[0]), true);
                source = new Nodes.Project(new ProjectSet(one, c.srfs), source.columns, rows.get(0));
            }
        } else {
            Planned p = planSelect(src, null);
            if (ins.columns().isEmpty() && p.columns().size() < targets.size()) {
                targets = new ArrayList<>(targets.subList(0, p.columns().size()));
            }
            if (p.columns().size() > targets.size()) {
                throw new PgException("42601", "INSERT has more expressions than target columns", null, null,
                        src.position(), null);
            }
            if (p.columns().size() < targets.size()) {
                throw new PgException("42601", "INSERT has more target columns than expressions", null, null,
                        src.position(), null);
            }
            Scope ps = new Scope(null);
            ps.add(null, p.columns());
            Compiler c = compiler(ps);
            Ev[] row = defaults.clone();
            java.util.Map<Relation.Column, List<RowExpressions.PartAssign>> parts = new java.util.LinkedHashMap<>();
            for (int i = 0; i < targets.size(); i++) {
                if (!identityValueTaken(targets.get(i), ins.overriding())) {
                    continue;
                }
                OutCol oc = p.columns().get(i);
                int idx = i;
                Compiler.C v = new Compiler.C(oc.type(), oc.typmod(), (r, ex) -> r[idx], oc.name(), 2, null, false,
                        -1, oc.name(), src.position());
                if (unknownLiteralAt(src, i)) {
                    // INSERT ... SELECT 'literal': the literal takes the target's type (its text read as input)
                    v = new Compiler.C(Compiler.UNKNOWN, -1, (r, ex) -> r[idx], oc.name(), 2, null, false, -1,
                            oc.name(), src.position());
                }
                modgres.sql.ast.ColumnTarget ct = ins.columns().isEmpty() ? null : ins.columns().get(i);
                if (ct != null && !ct.indirection().isEmpty()) {
                    parts.computeIfAbsent(targets.get(i), k -> new ArrayList<>())
                            .add(RowExpressions.part(c, targets.get(i), ct, v));
                    continue;
                }
                row[targets.get(i).attnum() - 1] = assign(c, v, targets.get(i), src.position());
            }
            assignParts(c, row, parts, false, src.position());
            source = new Nodes.Project(p.plan(), Scans.tableColumns(rel, alias).subList(0, natts), row);
        }
        ReturningPlan rp = returning(ins.returning(), rel, alias);
        ModifyTable m = new ModifyTable(ModifyTable.Op.INSERT, rel, source, null, checks(rel, alias), rp.cols(),
                rp.evs());
        m.returningReadsTupleHeader = rp.readsHeader();
        m.viewChecks = viewChecks(rel, alias);
        if (ins.onConflict() != null) {
            m.onConflict = onConflict(ins.onConflict(), rel, alias); // partitioned: per leaf in PartitionRouting
        }
        m.ri = foreignKeys(rel);
        partitioning(m, rel);
        return new PlannedDml(m, rp.cols(), rel);
    }

    /**
     * Whether an INSERT's value for {@code col} is used: not for an identity column under OVERRIDING USER
     * VALUE (its sequence gives the value); a GENERATED ALWAYS one refuses values without OVERRIDING SYSTEM
     * VALUE (428C9, as PostgreSQL's rewriter).
     */
    private static boolean identityValueTaken(Relation.Column col, Dml.Overriding overriding) {
        String identity = col.identity();
        if (identity == null || identity.isEmpty()) {
            return true;
        }
        if (overriding == Dml.Overriding.USER_VALUE) {
            return false;
        }
        if (identity.equals("a") && overriding != Dml.Overriding.SYSTEM_VALUE) {
            throw new PgException("428C9", "cannot insert a non-DEFAULT value into column \"" + col.name() + "\"",
                    "Column \"" + col.name() + "\" is an identity column defined as GENERATED ALWAYS.",
                    "Use OVERRIDING SYSTEM VALUE to override.");
        }
        return true;
    }

    /** UPDATE of a GENERATED ALWAYS identity column: only to DEFAULT (428C9). */
    private static void checkIdentityUpdate(Relation.Column col, Expr value) {
        if ("a".equals(col.identity()) && !(value instanceof Expr.Default)) {
            throw new PgException("428C9", "column \"" + col.name() + "\" can only be updated to DEFAULT",
                    "Column \"" + col.name() + "\" is an identity column defined as GENERATED ALWAYS.", null);
        }
    }

    /** Per attribute: the default to use when a COPY does not list the column, else null. */
    public Ev[] defaults(Relation rel, List<Relation.Column> targets) {
        Ev[] d = new Ev[rel.natts()];
        for (Relation.Column c : rel.columns()) {
            if (!c.dropped() && !targets.contains(c) && c.defaultExpr() != null) {
                d[c.attnum() - 1] = defaultOf(rel, c);
            }
        }
        return d;
    }

    /** An INSERT of the rows a source produces (COPY FROM). */
    public ModifyTable insertFrom(Relation rel, Plan source) {
        ModifyTable m = new ModifyTable(ModifyTable.Op.INSERT, rel, source, null, checks(rel, rel.name()), null,
                null);
        m.ri = foreignKeys(rel);
        partitioning(m, rel);
        return m;
    }

    /** INSERT into a partitioned table routes its rows; into a partition, checks its partition constraint. */
    private void partitioning(ModifyTable m, Relation rel) {
        if (rel.kind() == 'p') {
            m.router = new PartitionRouting(this, rel);
        }
        m.partitionConstraint = PartitionRouting.Constraint.of(this, rel);
    }

    /** Assignment coercion of a value to a column (INSERT/UPDATE): 42804 when the types do not convert. */
    private Ev assign(Compiler c, Compiler.C v, Relation.Column col, int pos) {
        if (v.type() != Compiler.UNKNOWN && v.type() != col.type()
                && ts.cast(v.type(), col.type(), col.typmod(), TypeSystem.CastContext.ASSIGNMENT) == null) {
            throw new PgException("42804", "column \"" + col.name() + "\" is of type " + ts.format(col.type(), -1)
                    + " but expression is of type " + ts.format(v.type(), -1), null,
                    "You will need to rewrite or cast the expression.", pos, null);
        }
        return c.coerce(v, col.type(), col.typmod(), TypeSystem.CastContext.ASSIGNMENT, null).ev();
    }

    /** The scan of the target of UPDATE/DELETE with its WHERE pushed in (and any FROM/USING joined). */
    private Plan targetScan(Relation rel, String alias, String scanAlias, List<FromItem> from, Expr where,
            Scope[] scopeOut) {
        Item target = new Item(seqScan(rel, scanAlias), alias, rel);
        targetNeeds = target.needs;
        if (targetNeeds != null) {
            targetNeeds.readSystem(0); // ModifyTable reads the ctid (and re-fetches pruned attributes by it)
        }
        List<Item> items = new ArrayList<>();
        items.add(target);
        Expr visible = RowSecurity.usingQual(RowSecurity.policies(cat, rlsTarget != null ? rlsTarget : rel,
                rowSecurity, rlsCommand));
        for (FromItem f : from) {
            items.add(fromItem(f, null));
        }
        Scope scope = new Scope(null);
        for (Item it : items) {
            scope.add(it.name, it.cols);
            if (it.rel != null) {
                scope.aliasOf(it.rel.name(), it.name);
            }
        }
        scopeOut[0] = scope;
        List<Expr> conj = new ArrayList<>();
        if (where != null) {
            Compiler wc = compiler(scope);
            wc.forbidAggregates("WHERE");
            wc.condition(where, "WHERE");
            flatten(where, conj);
        }
        List<Expr> gates = takePseudoConstants(conj, null);
        List<Expr> rest = new ArrayList<>();
        for (Expr c : conj) {
            Scope only = new Scope(null);
            only.add(alias, target.cols);
            if (tryCompile(compiler(only), c) != null) {
                target.pushed.add(c);
            } else {
                rest.add(c);
            }
        }
        if (visible != null) {
            target.pushed.add(visible); // row-level security: the UPDATE / DELETE policies' USING
            if (where != null) { // reading the rows (WHERE) also needs the SELECT policies, as PostgreSQL's
                target.pushed.add(RowSecurity.usingQual(RowSecurity.policies(cat, rlsTarget != null ? rlsTarget
                        : rel, rowSecurity, 'r')));
            }
        }
        if (!target.pushed.isEmpty()) {
            target.plan = scanWithQuals(target, null);
        }
        Plan plan = target.plan;
        Item acc = target;
        for (int i = 1; i < items.size(); i++) {
            Plan jp = joinPlans(acc, items.get(i), Nodes.JoinKind.INNER,
                    new ArrayList<>(rest), null);
            List<OutCol> cols = new ArrayList<>(acc.cols);
            cols.addAll(items.get(i).cols);
            Item j = new Item(jp, null, null);
            j.cols.clear();
            j.cols.addAll(cols);
            acc = j;
            rest.clear();
            plan = jp;
        }
        if (!rest.isEmpty()) {
            Compiler rc = compiler(scope);
            List<Compiler.C> cs = new ArrayList<>();
            for (Expr c : rest) {
                cs.add(rc.condition(c, "WHERE"));
            }
            plan = new Nodes.Filter(plan, andAll(cs), String.join(" AND ", cs.stream().map(Compiler.C::text).toList()));
        }
        return gated(plan, gates, null);
    }

    /** What the statement reads of the last target scan targetScan made (column pruning), for its ModifyTable. */
    private ColumnUsage.ScanColumns targetNeeds;

    /** The new value of each column an UPDATE's (or ON CONFLICT DO UPDATE's) SET assigns; null = unchanged. */
    private Ev[] setClauses(Relation rel, List<SetClause> clauses, Compiler c) {
        return setClauses(rel, clauses, c, null);
    }

    /**
     * The SET of an UPDATE, whose multiple-column sub-SELECTs run once per row: {@code m} gets them
     * ({@code prepare}) and the new values' texts (EXPLAIN).
     */
    private Ev[] setClauses(Relation rel, List<SetClause> clauses, Compiler c, ModifyTable.SetParts m) {
        Ev[] set = new Ev[rel.natts()];
        java.util.Map<Relation.Column, List<RowExpressions.PartAssign>> parts = new java.util.LinkedHashMap<>();
        for (SetClause s : clauses) {
            if (s.multi()) {
                multiAssign(rel, s, c, set, m);
                continue;
            }
            modgres.sql.ast.ColumnTarget t = s.targets().get(0);
            if (!t.indirection().isEmpty()) {
                // SET f[1] = x, f.a = y: parts of the column's current value, combined below
                Relation.Column col = assignedColumn(rel, t, set);
                if (s.value() instanceof Expr.Default) {
                    throw RowExpressions.defaultInto(t);
                }
                parts.computeIfAbsent(col, k -> new ArrayList<>()).add(RowExpressions.part(c, col, t,
                        c.compile(s.value())));
                continue;
            }
            Relation.Column col = assignedColumn(rel, t, set);
            if (parts.containsKey(col)) {
                throw new PgException("42601", "multiple assignments to same column \"" + col.name() + "\"");
            }
            checkIdentityUpdate(col, s.value());
            if (s.value() instanceof Expr.Default) {
                set[col.attnum() - 1] = defaultOf(rel, col);
                if (m != null) {
                    m.texts()[col.attnum() - 1] = col.defaultExpr() == null ? "NULL" : col.defaultExpr();
                }
            } else {
                Compiler.C v = c.compile(s.value());
                set[col.attnum() - 1] = assign(c, v, col, s.value().position());
                if (m != null) {
                    m.texts()[col.attnum() - 1] = v.text();
                }
            }
        }
        assignParts(c, set, parts, true, clauses.isEmpty() ? 0 : clauses.get(0).position());
        if (m != null) {
            for (int i = 0; i < set.length; i++) {
                if (set[i] != null && m.texts()[i] == null) {
                    m.texts()[i] = rel.columns().get(i).name();
                }
            }
        }
        return set;
    }

    /** The column a SET target names: 42703 when there is none, 42601 when it was assigned already. */
    private static Relation.Column assignedColumn(Relation rel, modgres.sql.ast.ColumnTarget t, Ev[] set) {
        Relation.Column col = rel.column(t.name());
        if (col == null) {
            throw new PgException("42703", "column \"" + t.name() + "\" of relation \"" + rel.name()
                    + "\" does not exist", null, null, t.position(), null);
        }
        if (set[col.attnum() - 1] != null) {
            throw new PgException("42601", "multiple assignments to same column \"" + t.name() + "\"");
        }
        return col;
    }

    /** {@code SET (a, b) = ROW(x, y) | (x, y) | (SELECT x, y ...)}: one assignment per target column. */
    private void multiAssign(Relation rel, SetClause s, Compiler c, Ev[] set, ModifyTable.SetParts m) {
        int n = s.targets().size();
        List<Expr> values = null;
        List<Compiler.C> fromSub = null;
        if (s.value() instanceof Expr.RowExpr row
                && row.args().stream().anyMatch(a -> a instanceof Expr.ColumnRef r && r.star())) {
            // ROW(v.*): the star expands to v's columns
            List<Compiler.C> expanded = new ArrayList<>();
            for (Expr a : row.args()) {
                if (a instanceof Expr.ColumnRef r && r.star()) {
                    expanded.addAll(RowExpressions.expandStar(c, r));
                } else {
                    expanded.add(c.compile(a));
                }
            }
            if (expanded.size() != n) {
                throw new PgException("42601", "number of columns does not match number of values", null, null,
                        s.value().position(), null);
            }
            for (int i = 0; i < n; i++) {
                Relation.Column col = assignedColumn(rel, s.targets().get(i), set);
                checkIdentityUpdate(col, s.value());
                set[col.attnum() - 1] = assign(c, expanded.get(i), col, s.value().position());
            }
            return;
        }
        if (s.value() instanceof Expr.RowExpr row) {
            values = row.args();
            if (values.size() != n) {
                throw new PgException("42601", "number of columns does not match number of values", null, null,
                        s.value().position(), null);
            }
        } else if (s.value() instanceof Expr.SubLink sl && sl.kind() == Expr.SubLinkKind.EXPR) {
            fromSub = m == null ? c.subqueryColumns(sl, n, s.value().position(), null, null)
                    : c.subqueryColumns(sl, n, s.value().position(), m.prepare(), m.prepareTexts());
        } else {
            throw new PgException("42601", "source for a multiple-column UPDATE item must be a sub-SELECT or ROW() "
                    + "expression", null, null, s.value().position(), null);
        }
        for (int i = 0; i < n; i++) {
            Relation.Column col = assignedColumn(rel, s.targets().get(i), set);
            checkIdentityUpdate(col, fromSub != null ? s.value() : values.get(i));
            if (fromSub != null) {
                set[col.attnum() - 1] = assign(c, fromSub.get(i), col, s.value().position());
                if (m != null) {
                    m.texts()[col.attnum() - 1] = fromSub.get(i).text();
                }
            } else {
                Expr v = values.get(i);
                set[col.attnum() - 1] = v instanceof Expr.Default ? defaultOf(rel, col)
                        : assign(c, c.compile(v), col, v.position());
            }
        }
    }

    /** The table an UPDATE / DELETE names and the command, whose policies' USING its target scans get. */
    private Relation rlsTarget;
    private char rlsCommand;

    public PlannedDml planUpdate(Dml.Update up) {
        return withQueries(up, up.with(), () -> planUpdateBody(up));
    }

    private PlannedDml planUpdateBody(Dml.Update up) {
        Relation target = relation(up.relation());
        if (target.kind() == 'v') {
            return planUpdate(UpdatableViews.rewriteUpdate(this, up, target, viewRewrite()));
        }
        List<UpdatableViews.ViewCheck> outerChecks = activeViewChecks;
        activeViewChecks = takeViewChecks();
        try {
            return planUpdateOn(up);
        } finally {
            activeViewChecks = outerChecks;
        }
    }

    private PlannedDml planUpdateOn(Dml.Update up) {
        Relation rel = relation(up.relation());
        rlsTarget = rel;
        rlsCommand = 'w';
        checkTable(rel, up.relation().position());
        String alias = up.relation().alias() != null ? up.relation().alias().name() : rel.name();
        if (InheritancePlanner.expands(cat, rel, up.relation().inherit())) {
            return new InheritancePlanner(this).modify(rel, alias, up, null);
        }
        PlannedDml pd = modifyOn(rel, alias, alias, up, null);
        pd.plan().partitionConstraint = PartitionRouting.Constraint.of(this, rel);
        return pd;
    }

    public PlannedDml planDelete(Dml.Delete del) {
        return withQueries(del, del.with(), () -> planDeleteBody(del));
    }

    private PlannedDml planDeleteBody(Dml.Delete del) {
        Relation target = relation(del.relation());
        if (target.kind() == 'v') {
            return planDelete(UpdatableViews.rewriteDelete(this, del, target, viewRewrite()));
        }
        takeViewChecks();
        Relation rel = target;
        rlsTarget = rel;
        rlsCommand = 'd';
        checkTable(rel, del.relation().position());
        String alias = del.relation().alias() != null ? del.relation().alias().name() : rel.name();
        if (InheritancePlanner.expands(cat, rel, del.relation().inherit())) {
            return new InheritancePlanner(this).modify(rel, alias, null, del);
        }
        return modifyOn(rel, alias, alias, null, del);
    }

    /** UPDATE ({@code up}) or DELETE ({@code del}) of the one table {@code rel}, its scan labelled {@code scanAlias}. */
    PlannedDml modifyOn(Relation rel, String alias, String scanAlias, Dml.Update up, Dml.Delete del) {
        return up != null ? updateOn(rel, alias, scanAlias, up) : deleteOn(rel, alias, scanAlias, del);
    }

    private PlannedDml updateOn(Relation rel, String alias, String scanAlias, Dml.Update up) {
        Scope[] sc = new Scope[1];
        Plan scan = targetScan(rel, alias, scanAlias, up.from(), up.where(), sc);
        ColumnUsage.ScanColumns scanned = targetNeeds;
        Compiler c = compiler(sc[0]);
        c.forbidWindows("UPDATE");
        ModifyTable.SetParts parts = new ModifyTable.SetParts(new String[rel.natts()], new ArrayList<>(),
                new ArrayList<>());
        Ev[] set = setClauses(rel, up.set(), c, parts);
        ReturningPlan rp = returning(up.returning(), rel, alias, up.from().isEmpty() ? null : sc[0]);
        ModifyTable m = new ModifyTable(ModifyTable.Op.UPDATE, rel, scan, set, checks(rel, alias), rp.cols(),
                rp.evs());
        m.returningReadsTupleHeader = rp.readsHeader();
        m.oldRowColumns = scanned;
        m.alias = alias;
        m.setTexts = java.util.Arrays.asList(parts.texts());
        m.prepare = parts.prepare().toArray(Ev[]::new);
        m.prepareTexts = List.copyOf(parts.prepareTexts());
        m.returningReadsSource = !up.from().isEmpty();
        m.viewChecks = viewChecks(rel, alias);
        if (up.where() != null && up.from().isEmpty()) {
            m.epqQual = compiler(sc[0]).condition(up.where(), "WHERE").ev();
        }
        m.ri = foreignKeys(rel);
        return new PlannedDml(m, m.columns.isEmpty() && up.returning().isEmpty() ? null : m.columns, rel);
    }

    private PlannedDml deleteOn(Relation rel, String alias, String scanAlias, Dml.Delete del) {
        Scope[] sc = new Scope[1];
        Plan scan = targetScan(rel, alias, scanAlias, del.using(), del.where(), sc);
        ColumnUsage.ScanColumns scanned = targetNeeds;
        ReturningPlan rp = returning(del.returning(), rel, alias, del.using().isEmpty() ? null : sc[0]);
        ModifyTable m = new ModifyTable(ModifyTable.Op.DELETE, rel, scan, null, List.of(), rp.cols(), rp.evs());
        m.oldRowColumns = scanned;
        m.alias = alias;
        m.returningReadsSource = !del.using().isEmpty();
        if (del.where() != null && del.using().isEmpty()) {
            m.epqQual = compiler(sc[0]).condition(del.where(), "WHERE").ev();
        }
        m.ri = foreignKeys(rel);
        return new PlannedDml(m, rp.cols(), rel);
    }

    // ------------------------------------------------------------------ helpers shared with DML

    Scope tableScope(Relation rel, String alias) {
        Scope s = new Scope(null);
        s.add(alias, Scans.tableColumns(rel, alias));
        return s;
    }

    /**
     * Rows of a subquery kept for re-reading (CTEs, FROM subqueries under a nested loop): within work_mem in
     * memory, beyond in a temporary file (spill.RowStore), so a large subquery result does not fill the heap.
     */
    static final class Materialize extends Plan {
        final Plan child;
        private modgres.sql.exec.spill.RowStore rows;
        private modgres.sql.exec.spill.RowStore.Reader reader;

        Materialize(Plan child) {
            super(child.columns);
            this.child = child;
            estimate(child.startupCost, child.totalCost, child.rows);
        }

        @Override
        protected void doOpen(ExecState ex) {
            if (rows == null) {
                rows = new modgres.sql.exec.spill.RowStore(ex.workMem, ex::tempFiles,
                        Nodes.codec(Nodes.types(child.columns), ex))
                        .account(ex.memory.charge(modgres.sql.exec.spill.MemoryAccount.Context.EXECUTOR));
                child.open(ex);
                for (Object[] r = child.next(ex); r != null; r = child.next(ex)) {
                    ex.tick();
                    rows.add(r.clone());
                }
            }
            reader = rows.reader();
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return reader.next();
        }

        @Override
        public void close() {
            PlanReset.closeTree(child); // the whole subquery: children() shows only what EXPLAIN prints
            if (rows != null) {
                rows.close();
            }
            rows = null;
            reader = null;
        }

        /** The node EXPLAIN shows for the subquery: its plan without projections (which it never shows). */
        private Plan shown() {
            Plan p = child;
            while (p instanceof Nodes.Project pr) {
                p = pr.inner();
            }
            return p;
        }

        @Override
        public String label() {
            return shown().label();
        }

        @Override
        public List<Plan> children() {
            return shown().children();
        }

        @Override
        public List<String> details(boolean analyze) {
            return shown().details(analyze);
        }
    }

    /** Function Scan on generate_series(start, stop[, step]). */
    static final class GenerateSeries extends Plan {
        final Ev[] args;
        final boolean int4;
        private long cur;
        private long stop;
        private long step;

        GenerateSeries(OutCol col, Ev[] args, boolean int4) {
            super(List.of(col));
            this.args = args;
            this.int4 = int4;
            estimate(0, 10, 1000);
        }

        @Override
        protected void doOpen(ExecState ex) {
            Object a = args[0].eval(null, ex);
            Object b = args[1].eval(null, ex);
            Object c = args.length > 2 ? args[2].eval(null, ex) : Long.valueOf(1);
            if (a == null || b == null || c == null) {
                step = 1;
                cur = 1;
                stop = 0;
                return;
            }
            cur = (Long) a;
            stop = (Long) b;
            step = (Long) c;
            if (step == 0) {
                throw new PgException("22023", "step size cannot equal zero");
            }
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            if (step > 0 ? cur > stop : cur < stop) {
                return null;
            }
            long v = cur;
            cur += step;
            ex.tick();
            return new Object[] {int4 ? (Object) (int) v : (Object) v};
        }

        @Override
        public String label() {
            return "Function Scan on generate_series";
        }
    }
}
