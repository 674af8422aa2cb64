package modgres.sql.ast;

/**
 * An operator's name: {@code +}, {@code ||}, or a schema-qualified one written
 * {@code OPERATOR(pg_catalog.+)} (schema non-null).
 */
public record OperatorName(String schema, String name) {
    public static OperatorName of(String name) {
        return new OperatorName(null, name);
    }

    public boolean qualified() {
        return schema != null;
    }

    /** {@code +} or {@code OPERATOR(schema.+)}. */
    public String sql() {
        return schema == null ? name : "OPERATOR(" + Keywords.quoteIdentifier(schema) + "." + name + ")";
    }
}
