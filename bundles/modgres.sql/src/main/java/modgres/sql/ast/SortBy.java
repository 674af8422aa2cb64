package modgres.sql.ast;

/**
 * An ORDER BY item: {@code expr [ASC|DESC|USING op] [NULLS FIRST|LAST]}.
 *
 * @param usingOp the operator of {@code USING op}, only with {@link Direction#USING}
 */
public record SortBy(int position, Expr expr, Direction direction, OperatorName usingOp, Nulls nulls) implements Node {

    public enum Direction { DEFAULT, ASC, DESC, USING }

    public enum Nulls { DEFAULT, FIRST, LAST }
}
