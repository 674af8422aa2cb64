package modgres.sql.ast;

/**
 * A relation named in a statement: {@code [[catalog.]schema.]name}, in FROM
 * with {@code ONLY} (inherit false) and an alias.
 */
public record RangeVar(int position, String catalog, String schema, String name, boolean inherit, Alias alias)
        implements FromItem {

    public static RangeVar of(int position, String schema, String name) {
        return new RangeVar(position, null, schema, name, true, null);
    }

    public RangeVar withAlias(Alias newAlias) {
        return new RangeVar(position, catalog, schema, name, inherit, newAlias);
    }

    public RangeVar withInherit(boolean inh) {
        return new RangeVar(position, catalog, schema, name, inh, alias);
    }
}
