package modgres.sql.exec;

import modgres.api.access.TupleData;

/**
 * What the executor needs of the type system, by type OID: the on-disk tuple
 * form, ordering, equality for hashing, and B-tree keys. Implemented over
 * {@code modgres.sql.types}.
 */
public interface TypeSupport {

    TupleData form(int[] types, Object[] values);

    Object[] deform(int[] types, TupleData data);

    /** As {@link #deform(int[], TupleData)}, reading external (TOASTed) values through {@code detoaster}. */
    default Object[] deform(int[] types, TupleData data, modgres.sql.toast.Varlena.Detoaster detoaster) {
        return deform(types, data);
    }

    /** Sort order of two non-null values of one type. */
    int compare(int type, Object a, Object b);

    /** A value whose equals/hashCode is the type's equality (1.0 and 1.00 are equal numerics). */
    Object hashKey(int type, Object v);

    /** The order-preserving B-tree key of the values (a prefix of the index columns may be given). */
    byte[] indexKey(int[] types, Object[] values);

    /** The text output of a non-null value (error details: "Key (a)=(1) already exists."). */
    String output(int type, Object v);
}
