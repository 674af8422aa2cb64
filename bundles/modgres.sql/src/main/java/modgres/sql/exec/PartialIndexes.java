package modgres.sql.exec;

import java.math.BigDecimal;
import java.util.List;

import modgres.sql.ast.Expr;
import modgres.sql.ast.SqlDeparser;
import modgres.sql.parser.SqlParser;

/*
 * Design notes: when a partial index may serve a scan (PostgreSQL's
 * predicate_implied_by, reduced to what can be proved cheaply).
 *
 * A partial index has entries only for the rows its predicate holds for, so
 * a scan may use it only when every row the scan must return satisfies the
 * predicate: when the scan's conditions (its pushed-down WHERE conjuncts,
 * all true for every returned row) imply it. The proof is syntactic:
 *
 *   predicate P1 AND P2   implied when each part is;
 *   predicate P1 OR P2    implied when one part is;
 *   an atom               implied by a condition that is the same expression
 *                         (deparsed text), or, for "col op constant" with
 *                         numeric (or ASCII string) constants, by a condition on
 *                         the same column whose range lies inside the
 *                         predicate's (x > 990 implies x > 980; x = 5
 *                         implies x <= 10), or, for "col IS NOT NULL", by
 *                         any comparison of col with a constant (strict
 *                         operators are never true for NULL).
 *
 * Anything not proved this way is "not implied": the index is then not used,
 * which costs speed, never a wrong answer.
 */
/** Whether a scan's conditions imply a partial index's predicate; see the design notes. */
final class PartialIndexes {
    private PartialIndexes() {
    }

    /** Whether {@code quals} (conjuncts true for every row the scan returns) imply the stored predicate. */
    static boolean implied(String predicateSql, List<Expr> quals, java.util.function.Predicate<String> stringColumn) {
        Expr p;
        try {
            p = SqlParser.parseExpression(predicateSql);
        } catch (RuntimeException e) {
            return false;
        }
        return implied(p, quals, stringColumn);
    }

    private static boolean implied(Expr p, List<Expr> quals, java.util.function.Predicate<String> stringColumn) {
        if (p instanceof Expr.BoolExpr b && b.op() == Expr.BoolOp.AND) {
            return b.args().stream().allMatch(a -> implied(a, quals, stringColumn));
        }
        if (p instanceof Expr.BoolExpr b && b.op() == Expr.BoolOp.OR) {
            return b.args().stream().anyMatch(a -> implied(a, quals, stringColumn));
        }
        String text = SqlDeparser.deparse(p);
        for (Expr q : quals) {
            if (SqlDeparser.deparse(q).equals(text) || impliesAtom(q, p, stringColumn)) {
                return true;
            }
        }
        return false;
    }

    /**
     * "col op constant", normalised with the column on the left; null when the expression is not one. The
     * constant is a BigDecimal (numbers) or a String (ASCII strings: the C collation's order is then the
     * strings' order).
     */
    private record Comparison(String column, String op, Comparable<Object> value) {
    }

    private static Comparison comparison(Expr e) {
        if (!(e instanceof Expr.BinaryOp b)) {
            return null;
        }
        String op = b.op().name();
        if (!List.of("=", "<", "<=", ">", ">=").contains(op)) {
            return null;
        }
        String col = column(b.left());
        Comparable<Object> v = constant(b.right());
        if (col == null || v == null) {
            col = column(b.right());
            v = constant(b.left());
            op = Selectivity.commuted(op);
        }
        return col == null || v == null ? null : new Comparison(col, op, v);
    }

    private static String column(Expr e) {
        return e instanceof Expr.ColumnRef r && !r.star() ? r.fields().get(r.fields().size() - 1) : null;
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> constant(Expr e) {
        if (e instanceof Expr.TypeCast t) {
            e = t.arg(); // 'B'::name: the stored predicate's form of a constant
        }
        if (e instanceof Expr.Constant c && (c.kind() == Expr.ConstKind.INTEGER || c.kind() == Expr.ConstKind.NUMERIC)) {
            try {
                return (Comparable<Object>) (Comparable<?>) new BigDecimal(c.value());
            } catch (NumberFormatException x) {
                return null;
            }
        }
        if (e instanceof Expr.Constant c && c.kind() == Expr.ConstKind.STRING && c.value().chars().allMatch(ch -> ch < 128)) {
            return (Comparable<Object>) (Comparable<?>) c.value();
        }
        return null;
    }

    private static boolean impliesAtom(Expr qual, Expr pred, java.util.function.Predicate<String> stringColumn) {
        Comparison q = comparison(qual);
        if (q == null) {
            return false;
        }
        if (pred instanceof Expr.NullTest n && n.not()) {
            return q.column().equals(column(n.arg()));
        }
        Comparison p = comparison(pred);
        if (p == null || !p.column().equals(q.column()) || p.value().getClass() != q.value().getClass()
                || ((Object) p.value()) instanceof String && !stringColumn.test(p.column())) {
            return false; // strings order as strings only in a column of a string type
        }
        int c = q.value().compareTo(p.value());
        return switch (p.op()) {
            case ">" -> q.op().equals(">") && c >= 0 || (q.op().equals(">=") || q.op().equals("=")) && c > 0;
            case ">=" -> (q.op().equals(">") || q.op().equals(">=") || q.op().equals("=")) && c >= 0;
            case "<" -> q.op().equals("<") && c <= 0 || (q.op().equals("<=") || q.op().equals("=")) && c < 0;
            case "<=" -> (q.op().equals("<") || q.op().equals("<=") || q.op().equals("=")) && c <= 0;
            default -> q.op().equals("=") && c == 0;
        };
    }
}
