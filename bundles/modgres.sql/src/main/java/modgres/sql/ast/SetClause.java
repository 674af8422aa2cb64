package modgres.sql.ast;

import java.util.List;

/**
 * {@code col = expr} or {@code (c1, c2) = (expr, ...) | ROW(...) | (subquery)}
 * (multi) in UPDATE and ON CONFLICT DO UPDATE.
 */
public record SetClause(int position, List<ColumnTarget> targets, Expr value, boolean multi) implements Node {
    public SetClause {
        targets = List.copyOf(targets);
    }
}
