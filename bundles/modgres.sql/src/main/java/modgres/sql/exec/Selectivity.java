package modgres.sql.exec;

/*
 * Design notes: how many rows a condition lets through, from ANALYZE's column
 * statistics (ColumnStatistics), as PostgreSQL's selfuncs.c estimates them.
 *
 *   col = const    the constant's frequency when it is a most common value;
 *                  else the rows the MCVs do not cover shared evenly by the
 *                  other distinct values (never above the least common MCV)
 *   col <> const   1 - (col = const) - null_frac
 *   col < const    (and <=, >, >=) the MCVs that satisfy it, plus the other
 *                  rows times the share of the histogram below (above) the
 *                  constant, interpolated linearly inside a bin for numbers
 *   col IS NULL    null_frac (IS NOT NULL: 1 - null_frac)
 *   a.x = b.y      (1 - null_frac(a.x)) (1 - null_frac(b.y)) /
 *                  max(n_distinct(a.x), n_distinct(b.y))
 *
 * Anything else, or a column never analyzed, gets PostgreSQL's defaults:
 * 0.005 for an equality, 1/3 for a range or anything else. A "constant" is
 * whatever constant folding reduced to one (Compiler.isConst), coerced to
 * the column's type.
 */

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import modgres.sql.ast.Expr;
import modgres.sql.catalog.Relation;

/** Selectivity estimates of conditions; see the design notes. */
final class Selectivity {
    static final double DEFAULT_EQ = 0.005;
    static final double DEFAULT_INEQ = 1.0 / 3;

    private final Planner planner;
    private final Map<Integer, Map<Integer, ColumnStatistics.Stats>> byRelation = new HashMap<>();

    Selectivity(Planner planner) {
        this.planner = planner;
    }

    /** The statistics of a column of a table, or null (never analyzed, or not a table column). */
    ColumnStatistics.Stats stats(int relOid, int attnum) {
        if (relOid == 0 || attnum < 1) {
            return null;
        }
        // parsed once per catalog view (not per statement: a point query is planned in microseconds)
        Map<Integer, ColumnStatistics.Stats> m = byRelation.computeIfAbsent(relOid,
                oid -> planner.cat.derived(List.of("column statistics", oid), k -> {
                    Relation r = planner.cat.relation(oid);
                    return r == null ? Map.of() : ColumnStatistics.load(planner.cat, planner.ts, r);
                }));
        return m.get(attnum);
    }

    private ColumnStatistics.Stats stats(OutCol col) {
        return col == null ? null : stats(col.tableOid(), col.attnum());
    }

    private static double defaultFor(Expr e) {
        return e instanceof Expr.BinaryOp b && b.op().name().equals("=") ? DEFAULT_EQ : DEFAULT_INEQ;
    }

    /**
     * The fraction of a table's rows the AND of its WHERE conjuncts keeps: the product of their selectivities,
     * except that a column's lower and upper bounds ({@code a > 1 AND a < 9}) make one range whose selectivity is
     * lo + hi - 1 (PostgreSQL's clauselist_selectivity; 0.005 when neither end has statistics).
     */
    double conjunction(java.util.List<Expr> conjuncts, Scope scope, Compiler c, double rows) {
        double sel = 1;
        Map<String, double[]> ranges = new java.util.LinkedHashMap<>(); // column -> {lo, hi, defaults}
        for (Expr e : conjuncts) {
            String[] range = rangeOf(e, scope);
            double s = restriction(e, scope, c, rows);
            if (range == null) {
                sel *= s;
                continue;
            }
            double[] r = ranges.computeIfAbsent(range[0], k -> new double[] {1, 1, 0, 0});
            int end = range[1].equals("lo") ? 0 : 1;
            r[end] *= s;
            r[2 + end] = 1;
        }
        for (double[] r : ranges.values()) {
            if (r[2] == 1 && r[3] == 1) {
                double both = r[0] + r[1] - 1;
                if (r[0] == DEFAULT_INEQ && r[1] == DEFAULT_INEQ) {
                    both = DEFAULT_EQ; // PostgreSQL's DEFAULT_RANGE_INEQ_SEL
                } else if (both <= 0) {
                    both = both < -0.01 ? 1.0e-4 : 1.0e-10;
                }
                sel *= both;
            } else {
                sel *= r[0] * r[1];
            }
        }
        return clamp(sel);
    }

    /** {column, "lo"|"hi"} for {@code col > const}-like conjuncts (either side), else null. */
    private static String[] rangeOf(Expr e, Scope scope) {
        if (!(e instanceof Expr.BinaryOp b) || b.op().schema() != null) {
            return null;
        }
        String op = b.op().name();
        if (!op.equals("<") && !op.equals("<=") && !op.equals(">") && !op.equals(">=")) {
            return null;
        }
        Expr col = b.left();
        if (!(col instanceof Expr.ColumnRef)) {
            col = b.right();
            op = commuted(op);
        }
        if (!(col instanceof Expr.ColumnRef r) || r.star()) {
            return null;
        }
        try {
            Scope.Ref ref = scope.resolve(r.fields(), r.position());
            if (ref.depth() != 0) {
                return null;
            }
            return new String[] {ref.col().tableOid() + "." + ref.col().attnum() + "." + ref.col().name(),
                    op.startsWith(">") ? "lo" : "hi"};
        } catch (RuntimeException x) {
            return null;
        }
    }

    /** The fraction of a table's {@code rows} rows a WHERE conjunct on that table keeps. */
    double restriction(Expr e, Scope scope, Compiler c, double rows) {
        try {
            Double s = estimate(e, scope, c, rows);
            return s == null ? defaultFor(e) : clamp(s);
        } catch (RuntimeException ex) {
            return defaultFor(e); // the planner will report the expression's errors itself
        }
    }

    private Double estimate(Expr e, Scope scope, Compiler c, double rows) {
        if (e instanceof Expr.NullTest nt) {
            ColumnStatistics.Stats st = stats(column(nt.arg(), scope));
            return st == null ? null : nt.not() ? 1.0 - st.nullFrac() : (double) st.nullFrac();
        }
        if (!(e instanceof Expr.BinaryOp b) || b.op().schema() != null) {
            return null;
        }
        String op = b.op().name();
        OutCol col = column(b.left(), scope);
        Expr other = b.right();
        if (col == null) {
            col = column(b.right(), scope);
            other = b.left();
            op = commuted(op);
        }
        ColumnStatistics.Stats st = stats(col);
        if (st == null || op == null) {
            return null;
        }
        Compiler.C k = c.compile(other);
        if (k.type() != col.type()) {
            k = c.coerce(k, col.type(), -1, TypeSystem.CastContext.IMPLICIT, null);
        }
        if (!Compiler.isConst(k)) {
            return null;
        }
        Object v = k.ev().eval(null, null);
        if (v == null) {
            return 0.0; // a comparison with NULL keeps nothing
        }
        int type = col.type();
        return switch (op) {
            case "=" -> eq(st, type, v, rows);
            case "<>", "!=" -> 1.0 - eq(st, type, v, rows) - st.nullFrac();
            case "<", "<=", ">", ">=" -> ineq(st, type, v, op);
            default -> null;
        };
    }

    /** PostgreSQL's var_eq_const. */
    private double eq(ColumnStatistics.Stats st, int type, Object v, double rows) {
        TypeSystem ts = planner.ts;
        for (int i = 0; i < st.mcv().length; i++) {
            if (compare(type, st.mcv()[i], v) == 0) {
                return st.mcvFreqs()[i];
            }
        }
        double distinct = st.distinct(rows);
        if (st.nDistinct() == -1) {
            return 1.0 / Math.max(1, rows); // unique
        }
        double others = distinct - st.mcv().length;
        double rest = 1.0 - st.mcvTotal() - st.nullFrac();
        double sel = others > 1 ? rest / others : rest;
        if (st.mcvFreqs().length > 0) {
            sel = Math.min(sel, st.mcvFreqs()[st.mcvFreqs().length - 1]);
        }
        return sel;
    }

    /** PostgreSQL's scalarineqsel: MCVs counted one by one, the other rows by the histogram. */
    private double ineq(ColumnStatistics.Stats st, int type, Object v, String op) {
        double mcvSel = 0;
        for (int i = 0; i < st.mcv().length; i++) {
            if (satisfies(compare(type, st.mcv()[i], v), op)) {
                mcvSel += st.mcvFreqs()[i];
            }
        }
        double rest = 1.0 - st.mcvTotal() - st.nullFrac();
        double histSel = DEFAULT_INEQ;
        Object[] h = st.histogram();
        if (h != null && h.length >= 2) {
            double below = fractionBelow(h, type, v);
            histSel = op.startsWith("<") ? below : 1.0 - below;
        }
        return mcvSel + histSel * Math.max(0, rest);
    }

    /** The share of the histogram's values below {@code v}, interpolated inside its bin. */
    private double fractionBelow(Object[] h, int type, Object v) {
        int bins = h.length - 1;
        if (compare(type, v, h[0]) <= 0) {
            return 0;
        }
        if (compare(type, v, h[bins]) >= 0) {
            return 1;
        }
        int lo = 0;
        int hi = bins;
        while (hi - lo > 1) { // h[lo] < v <= h[hi]
            int mid = (lo + hi) >>> 1;
            if (compare(type, h[mid], v) < 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double inBin = 0.5;
        if (h[lo] instanceof Number a && h[hi] instanceof Number b && v instanceof Number x) {
            double span = b.doubleValue() - a.doubleValue();
            if (span > 0) {
                inBin = (x.doubleValue() - a.doubleValue()) / span;
            }
        }
        return (lo + Math.max(0, Math.min(1, inBin))) / bins;
    }

    /**
     * The selectivity of an equi-join of two columns (eqjoinsel without the MCV match), or null when either
     * side is not an analyzed table column.
     */
    Double equiJoin(Expr left, Scope leftScope, Expr right, Scope rightScope, double leftRows, double rightRows) {
        try {
            ColumnStatistics.Stats a = stats(column(left, leftScope));
            ColumnStatistics.Stats b = stats(column(right, rightScope));
            if (a == null || b == null) {
                return null;
            }
            double nd = Math.max(1, Math.max(a.distinct(leftRows), b.distinct(rightRows)));
            return clamp((1.0 - a.nullFrac()) * (1.0 - b.nullFrac()) / nd);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The distinct values of a column in a relation of {@code rows} rows, or -1 when not known. */
    double distinct(Expr e, Scope scope, double rows) {
        try {
            ColumnStatistics.Stats st = stats(column(e, scope));
            return st == null ? -1 : Math.max(1, st.distinct(rows));
        } catch (RuntimeException ex) {
            return -1;
        }
    }

    private int compare(int type, Object a, Object b) {
        return planner.ts.compare(type, a, b);
    }

    private static boolean satisfies(int cmp, String op) {
        return switch (op) {
            case "<" -> cmp < 0;
            case "<=" -> cmp <= 0;
            case ">" -> cmp > 0;
            default -> cmp >= 0;
        };
    }

    /** The comparison operator with its operands swapped ({@code 1 < x} is {@code x > 1}); null: not a comparison. */
    static String commuted(String op) {
        return switch (op) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            case "=", "<>", "!=" -> op;
            default -> null;
        };
    }

    /** The table column a plain column reference of this query level names, or null. */
    private static OutCol column(Expr e, Scope scope) {
        if (e instanceof Expr.ColumnRef r && !r.star()) {
            Scope.Ref ref = scope.resolve(r.fields(), r.position());
            return ref.depth() == 0 && ref.col().tableOid() != 0 && ref.col().attnum() > 0 ? ref.col() : null;
        }
        return null;
    }

    private static double clamp(double s) {
        return Math.max(0, Math.min(1, s));
    }
}
