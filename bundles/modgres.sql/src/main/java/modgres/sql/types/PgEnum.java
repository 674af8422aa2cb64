package modgres.sql.types;

/**
 * A value of an enum type: the label's pg_enum row. Values order by {@code sortOrder} (pg_enum.enumsortorder),
 * not by their text; on disk the value is the label's OID, as in PostgreSQL.
 *
 * @param typeOid   the enum type
 * @param labelOid  the pg_enum row's OID
 * @param sortOrder pg_enum.enumsortorder
 * @param label     the label's text
 */
public record PgEnum(int typeOid, int labelOid, float sortOrder, String label) {
    @Override
    public String toString() {
        return label;
    }
}
