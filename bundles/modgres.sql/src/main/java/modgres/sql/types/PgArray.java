package modgres.sql.types;

import java.util.Arrays;

/**
 * An array value: element type, the elements in row-major order (null for
 * NULL elements), and per dimension its length and lower bound. An empty
 * array has no dimensions ({@code dims.length == 0}).
 */
public record PgArray(Type elem, Object[] values, int[] dims, int[] lbounds) {

    /** A one-dimensional array with lower bound 1 (empty when {@code values} is). */
    public static PgArray of(Type elem, Object... values) {
        return values.length == 0 ? new PgArray(elem, values, new int[0], new int[0])
                : new PgArray(elem, values, new int[] {values.length}, new int[] {1});
    }

    public int ndims() {
        return dims.length;
    }

    public boolean hasNulls() {
        for (Object v : values) {
            if (v == null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PgArray a && a.elem.equals(elem) && Arrays.equals(dims, a.dims)
                && Arrays.equals(lbounds, a.lbounds) && Arrays.deepEquals(values, a.values);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values) * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return TextIO.output(elem.array(), this, SessionContext.DEFAULT);
    }
}
