package modgres.sql.types;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import modgres.api.error.PgException;

/** Array functions and operators (one-dimensional semantics where PostgreSQL's differ only in rare corners). */
final class ArrayFuncs {
    private ArrayFuncs() {
    }

    static boolean overlap(PgArray a, PgArray b) {
        for (Object x : a.values()) {
            if (x != null && indexOf(b, x) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** a @> b: every non-null element of b is in a (a NULL element of b never matches). */
    static boolean contains(PgArray a, PgArray b) {
        for (Object y : b.values()) {
            if (y == null || indexOf(a, y) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(PgArray a, Object v) {
        for (int i = 0; i < a.values().length; i++) {
            Object x = a.values()[i];
            if (x != null && Compare.compare(a.elem(), x, v) == 0) {
                return i;
            }
        }
        return -1;
    }

    static PgArray append(Type elem, PgArray a, Object v) {
        if (a == null) {
            return PgArray.of(elem, v);
        }
        if (a.dims().length > 1) {
            throw new PgException("2202E", "argument must be empty or one-dimensional array");
        }
        Object[] vals = Arrays.copyOf(a.values(), a.values().length + 1);
        vals[vals.length - 1] = v;
        int lb = a.dims().length == 0 ? 1 : a.lbounds()[0];
        return new PgArray(elem, vals, new int[] {vals.length}, new int[] {lb});
    }

    static PgArray prepend(Type elem, Object v, PgArray a) {
        if (a == null) {
            return PgArray.of(elem, v);
        }
        if (a.dims().length > 1) {
            throw new PgException("2202E", "argument must be empty or one-dimensional array");
        }
        Object[] vals = new Object[a.values().length + 1];
        vals[0] = v;
        System.arraycopy(a.values(), 0, vals, 1, a.values().length);
        int lb = a.dims().length == 0 ? 1 : a.lbounds()[0] - 1;
        return new PgArray(elem, vals, new int[] {vals.length}, new int[] {lb});
    }

    static PgArray cat(PgArray a, PgArray b) {
        if (a == null) {
            return b;
        }
        if (b == null || b.values().length == 0) {
            return a;
        }
        if (a.values().length == 0) {
            return b;
        }
        if (a.dims().length == b.dims().length) {
            if (a.dims().length > 1) {
                for (int i = 1; i < a.dims().length; i++) {
                    if (a.dims()[i] != b.dims()[i]) {
                        throw new PgException("2202E", "cannot concatenate incompatible arrays", "Arrays with differing "
                                + "element dimensions are not compatible for concatenation.", null);
                    }
                }
            }
            Object[] vals = Arrays.copyOf(a.values(), a.values().length + b.values().length);
            System.arraycopy(b.values(), 0, vals, a.values().length, b.values().length);
            int[] dims = a.dims().clone();
            dims[0] += b.dims()[0];
            return new PgArray(a.elem(), vals, dims, a.lbounds().clone());
        }
        if (a.dims().length + 1 == b.dims().length) {
            // element-array prepended to a higher-dimensional array
            Object[] vals = Arrays.copyOf(a.values(), a.values().length + b.values().length);
            System.arraycopy(b.values(), 0, vals, a.values().length, b.values().length);
            int[] dims = b.dims().clone();
            dims[0] += 1;
            return new PgArray(a.elem(), vals, dims, b.lbounds().clone());
        }
        if (a.dims().length == b.dims().length + 1) {
            Object[] vals = Arrays.copyOf(a.values(), a.values().length + b.values().length);
            System.arraycopy(b.values(), 0, vals, a.values().length, b.values().length);
            int[] dims = a.dims().clone();
            dims[0] += 1;
            return new PgArray(a.elem(), vals, dims, a.lbounds().clone());
        }
        throw new PgException("2202E", "cannot concatenate incompatible arrays", "Arrays of " + a.dims().length
                + " and " + b.dims().length + " dimensions are not compatible for concatenation.", null);
    }

    static Routine.Impl function(String p, Type[] a, Type res) {
        switch (p) {
            case "array_append":
                return (x, t, c) -> append(t[1], (PgArray) x[0], x[1]);
            case "array_prepend":
                return (x, t, c) -> prepend(t[0], x[0], (PgArray) x[1]);
            case "array_cat":
                return (x, t, c) -> x[0] == null && x[1] == null ? null : cat((PgArray) x[0], (PgArray) x[1]);
            case "array_length":
                return (x, t, c) -> {
                    PgArray arr = (PgArray) x[0];
                    int dim = Builtins.i(x[1]);
                    return dim < 1 || dim > arr.dims().length ? null : arr.dims()[dim - 1];
                };
            case "array_lower":
                return (x, t, c) -> {
                    PgArray arr = (PgArray) x[0];
                    int dim = Builtins.i(x[1]);
                    return dim < 1 || dim > arr.dims().length ? null : arr.lbounds()[dim - 1];
                };
            case "array_upper":
                return (x, t, c) -> {
                    PgArray arr = (PgArray) x[0];
                    int dim = Builtins.i(x[1]);
                    return dim < 1 || dim > arr.dims().length ? null
                            : arr.lbounds()[dim - 1] + arr.dims()[dim - 1] - 1;
                };
            case "array_ndims":
                return (x, t, c) -> {
                    PgArray arr = (PgArray) x[0];
                    return arr.dims().length == 0 ? null : arr.dims().length;
                };
            case "array_dims":
                return (x, t, c) -> {
                    PgArray arr = (PgArray) x[0];
                    if (arr.dims().length == 0) {
                        return null;
                    }
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < arr.dims().length; i++) {
                        sb.append('[').append(arr.lbounds()[i]).append(':')
                                .append(arr.lbounds()[i] + arr.dims()[i] - 1).append(']');
                    }
                    return sb.toString();
                };
            case "array_cardinality":
                return (x, t, c) -> ((PgArray) x[0]).values().length;
            case "array_position", "array_position_start":
                return (x, t, c) -> {
                    PgArray arr = (PgArray) x[0];
                    if (arr == null) {
                        return null;
                    }
                    if (arr.dims().length > 1) {
                        throw new PgException("0A000", "searching for elements in multidimensional arrays is not supported");
                    }
                    int lb = arr.dims().length == 0 ? 1 : arr.lbounds()[0];
                    int start = x.length > 2 && x[2] != null ? Builtins.i(x[2]) - lb : 0;
                    for (int i = Math.max(0, start); i < arr.values().length; i++) {
                        Object v = arr.values()[i];
                        if (x[1] == null ? v == null : v != null && Compare.compare(arr.elem(), v, x[1]) == 0) {
                            return i + lb;
                        }
                    }
                    return null;
                };
            case "array_to_text", "array_to_text_null":
                return (x, t, c) -> {
                    if (x[0] == null || x[1] == null) {
                        return null;
                    }
                    PgArray arr = (PgArray) x[0];
                    String nullStr = x.length > 2 ? (String) x[2] : null;
                    List<String> parts = new ArrayList<>();
                    for (Object v : arr.values()) {
                        if (v == null) {
                            if (nullStr != null) {
                                parts.add(nullStr);
                            }
                        } else {
                            parts.add(TextIO.output(arr.elem(), v, c));
                        }
                    }
                    return String.join((String) x[1], parts);
                };
            default:
                return null;
        }
    }
}
