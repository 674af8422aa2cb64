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

    /**
     * Column pruning: deforms into {@code out} only the attributes {@code need} marks (null: all), the others
     * left as they are (null) and never detoasted; external values are read through {@code detoaster} (null:
     * a table without TOAST).
     */
    default void deformInto(int[] types, TupleData data, modgres.sql.toast.Varlena.Detoaster detoaster,
            boolean[] need, Object[] out) {
        Object[] all = detoaster == null ? deform(types, data) : deform(types, data, detoaster);
        for (int i = 0; i < Math.min(all.length, types.length); i++) {
            if (need == null || i < need.length && need[i]) {
                out[i] = all[i];
            }
        }
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
