package modgres.sql.ast;

import java.util.List;

/** {@code AS name (col, ...)} after a FROM item; columns empty when not given. */
public record Alias(String name, List<String> columns) {
    public Alias {
        columns = List.copyOf(columns);
    }

    public static Alias of(String name) {
        return new Alias(name, List.of());
    }
}
