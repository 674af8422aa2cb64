package modgres.api.sql;

/**
 * One field of RowDescription.
 *
 * @param name         column label
 * @param tableOid     oid of the table the column comes from, or 0
 * @param columnNumber attribute number in that table, or 0
 * @param typeOid      the column's type (pg_type oid)
 * @param typeSize     pg_type.typlen (-1 variable, -2 C string)
 * @param typeModifier atttypmod (-1 when none)
 * @param format       0 text, 1 binary (the format the rows will be sent in)
 */
public record ColumnDescriptor(String name, int tableOid, short columnNumber, int typeOid, short typeSize,
        int typeModifier, short format) {
}
