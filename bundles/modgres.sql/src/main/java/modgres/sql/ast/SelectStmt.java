package modgres.sql.ast;

import java.util.List;

/**
 * A query: SELECT, VALUES, TABLE, or a set operation, with the clauses that
 * apply to the whole: WITH, ORDER BY, LIMIT/OFFSET/FETCH and locking. A
 * parenthesised operand of a set operation is a SelectStmt of its own.
 *
 * @param with        WITH clause or null
 * @param limitCount  LIMIT / FETCH FIRST count; {@code LIMIT ALL} is a NULL constant; null if none
 * @param limitOffset OFFSET or null
 * @param withTies    {@code FETCH FIRST n ROWS WITH TIES}
 */
public record SelectStmt(int position, WithClause with, QueryBody body, List<SortBy> orderBy, Expr limitCount,
        Expr limitOffset, boolean withTies, List<LockingClause> locking) implements Statement {

    public SelectStmt {
        orderBy = List.copyOf(orderBy);
        locking = List.copyOf(locking);
    }

    /** A query without any of the outer clauses. */
    public static SelectStmt of(QueryBody body) {
        return new SelectStmt(body.position(), null, body, List.of(), null, null, false, List.of());
    }

    /** Whether this has no clause other than its body (WITH, ORDER BY, LIMIT, locking). */
    public boolean bare() {
        return with == null && orderBy.isEmpty() && limitCount == null && limitOffset == null && locking.isEmpty();
    }

    /** The body of a query. */
    public sealed interface QueryBody extends Node {
    }

    /**
     * {@code SELECT [ALL | DISTINCT [ON (...)]] targets [INTO ...] [FROM ...]
     * [WHERE ...] [GROUP BY [ALL|DISTINCT] ...] [HAVING ...] [WINDOW ...]}.
     *
     * @param distinctOn the DISTINCT ON expressions (empty for plain DISTINCT)
     * @param into       SELECT INTO target or null
     * @param where      null if none
     * @param having     null if none
     */
    public record Simple(int position, boolean distinct, List<Expr> distinctOn, List<ResTarget> targets,
            IntoClause into, List<FromItem> from, Expr where, boolean groupByDistinct, List<Expr> groupBy,
            Expr having, List<WindowDef> windows) implements QueryBody {
        public Simple {
            distinctOn = List.copyOf(distinctOn);
            targets = List.copyOf(targets);
            from = List.copyOf(from);
            groupBy = List.copyOf(groupBy);
            windows = List.copyOf(windows);
        }
    }

    /** {@code VALUES (...), (...)}. */
    public record Values(int position, List<List<Expr>> rows) implements QueryBody {
        public Values {
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    public enum SetOpKind { UNION, INTERSECT, EXCEPT }

    /** {@code left UNION|INTERSECT|EXCEPT [ALL] right}. */
    public record SetOp(int position, SetOpKind op, boolean all, SelectStmt left, SelectStmt right)
            implements QueryBody {
    }
}
