package modgres.sql.types;

import java.util.Arrays;

/**
 * A composite value: a row of a named composite type (CREATE TYPE ... AS, a table's row type) or an anonymous
 * {@code record} (ROW(...)). It carries the types of its fields, so an anonymous record prints, compares and
 * casts without a type descriptor. Null fields are Java nulls. Immutable by convention: assignments to a field
 * make a copy ({@link #with}).
 *
 * @param typeOid    the composite type, or 2249 (record) for an anonymous row
 * @param fieldTypes the type of each field
 * @param values     the field values
 */
public record PgRecord(int typeOid, int[] fieldTypes, Object[] values) {

    /** A copy with field {@code i} replaced. */
    public PgRecord with(int i, Object v) {
        Object[] copy = values.clone();
        copy[i] = v;
        return new PgRecord(typeOid, fieldTypes, copy);
    }

    /** A row of a named composite type whose fields are all null. */
    public static PgRecord nulls(Type composite) {
        UserTypes.Fields f = composite.fields();
        return new PgRecord(composite.oid(), f.types(), new Object[f.types().length]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PgRecord r && r.typeOid == typeOid && Arrays.equals(r.fieldTypes, fieldTypes)
                && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
