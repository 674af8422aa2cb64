package modgres.sql.ast;

import java.util.List;

/**
 * A column assigned to by INSERT or UPDATE, with optional subscripts or field
 * selections ({@code arr[1]}, {@code comp.f}).
 */
public record ColumnTarget(int position, String name, List<Expr.IndirectionItem> indirection) implements Node {
    public ColumnTarget {
        indirection = List.copyOf(indirection);
    }
}
