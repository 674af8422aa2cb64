package modgres.sql.ast;

import java.util.List;

/**
 * A column or expression of an index (or ON CONFLICT target, PARTITION BY
 * key): exactly one of name and expr is non-null.
 */
public record IndexElem(int position, String name, Expr expr, List<String> collation, List<String> opclass,
        List<DefElem> opclassOptions, SortBy.Direction direction, SortBy.Nulls nulls) implements Node {
    public IndexElem {
        collation = List.copyOf(collation);
        opclass = List.copyOf(opclass);
        opclassOptions = List.copyOf(opclassOptions);
    }

    public static IndexElem column(int position, String name) {
        return new IndexElem(position, name, null, List.of(), List.of(), List.of(), SortBy.Direction.DEFAULT,
                SortBy.Nulls.DEFAULT);
    }
}
