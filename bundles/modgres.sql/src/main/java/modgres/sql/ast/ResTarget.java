package modgres.sql.ast;

/**
 * One entry of a SELECT list or RETURNING list: an expression (possibly
 * {@code *} or {@code t.*}, a {@link Expr.ColumnRef} with star) and its label
 * or null.
 */
public record ResTarget(int position, Expr value, String alias) implements Node {
}
