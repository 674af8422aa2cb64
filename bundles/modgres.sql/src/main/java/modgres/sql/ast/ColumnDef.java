package modgres.sql.ast;

import java.util.List;

/**
 * A column definition: {@code name type [COMPRESSION m] [COLLATE c] [constraints]}.
 * type is null in {@code PARTITION OF} and {@code OF type} tables
 * ({@code name WITH OPTIONS ...}); collation may be empty.
 */
public record ColumnDef(int position, String name, TypeName type, String compression, List<String> collation,
        List<Constraint> constraints) implements TableElement {
    public ColumnDef {
        collation = List.copyOf(collation);
        constraints = List.copyOf(constraints);
    }
}
