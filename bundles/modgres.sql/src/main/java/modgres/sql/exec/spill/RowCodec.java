package modgres.sql.exec.spill;

/*
 * Design notes: how executor rows go to temporary files and what they cost in
 * memory.
 *
 * Format: a row is its length (varint) then each value as a tag byte and a
 * payload. The Java classes the executor's values mostly have (Boolean,
 * Short, Integer, Long, Float, Double, String, byte[], BigDecimal, UUID) are
 * written directly, so that a value read back is of the same class and
 * equal to the one written: the spilled path must give exactly the rows the
 * in-memory path gives (an oid or int2 that went through the heap tuple form
 * could come back as another class; the system columns ctid/xmin/xmax, Longs
 * of types tid/xid, have no tuple form at all). Any other value (interval,
 * arrays, numeric NaN/Infinity) is written in PostgreSQL's on-disk form of its
 * column's type (the type system's form/deform, i.e. TupleCodec).
 *
 * Memory estimate (estimate/valueSize): a cheap per-row figure for the
 * work_mem checks, close to what the row costs on a 64-bit JVM: the array
 * (16 bytes + 8 per reference) plus each value: boxed numbers 16, shared
 * Booleans 0, a String 48 + its length (Latin-1 strings take one byte a
 * character; others twice that, not counted), byte[] 16 + length, a numeric
 * 64 whatever its digits, anything else 64. It does not allocate.
 */

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.BiFunction;

import modgres.api.access.TupleData;
import modgres.api.error.PgException;

/** Writes and reads executor rows (Object[] of Java values) to temporary files; see the design notes. */
public final class RowCodec {
    private static final int NULL = 0;
    private static final int FALSE = 1;
    private static final int TRUE = 2;
    private static final int SHORT = 3;
    private static final int INT = 4;
    private static final int LONG = 5;
    private static final int FLOAT = 6;
    private static final int DOUBLE = 7;
    private static final int STRING = 8;
    private static final int BYTES = 9;
    private static final int NUMERIC = 10;
    private static final int UUID_TAG = 11;
    private static final int TYPED = 12;

    private final int[] types;
    private final BiFunction<int[], Object[], TupleData> form;
    private final BiFunction<int[], TupleData, Object[]> deform;

    /**
     * @param types  the columns' type OIDs (for values written in their type's form)
     * @param form   the type system's tuple form (TypeSupport.form)
     * @param deform the type system's tuple deform (TypeSupport.deform)
     */
    public RowCodec(int[] types, BiFunction<int[], Object[], TupleData> form,
            BiFunction<int[], TupleData, Object[]> deform) {
        this.types = types;
        this.form = form;
        this.deform = deform;
    }

    /** Appends {@code row} to {@code f}. */
    public void write(TempFile f, Object[] row) {
        f.writeVarLong(row.length);
        for (int i = 0; i < row.length; i++) {
            writeValue(f, row[i], i);
        }
        f.countRow();
    }

    /** The next row of {@code f} (after startReading), null at its end. */
    public Object[] read(TempFile f) {
        return read(f.reader());
    }

    /** The next row from {@code f}, null at its end. */
    public Object[] read(TempFile.Reader f) {
        if (f.atEnd()) {
            return null;
        }
        int n = (int) f.readVarLong();
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
            row[i] = readValue(f, i);
        }
        return row;
    }

    private void writeValue(TempFile f, Object v, int col) {
        if (v == null) {
            f.writeByte(NULL);
        } else if (v instanceof Integer x) {
            f.writeByte(INT);
            f.writeZigZag(x);
        } else if (v instanceof Long x) {
            f.writeByte(LONG);
            f.writeZigZag(x);
        } else if (v instanceof String s) {
            f.writeByte(STRING);
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            f.writeVarLong(b.length);
            f.writeBytes(b, 0, b.length);
        } else if (v instanceof Boolean b) {
            f.writeByte(b ? TRUE : FALSE);
        } else if (v instanceof BigDecimal d) {
            f.writeByte(NUMERIC);
            f.writeZigZag(d.scale());
            byte[] u = d.unscaledValue().toByteArray();
            f.writeVarLong(u.length);
            f.writeBytes(u, 0, u.length);
        } else if (v instanceof Double d) {
            f.writeByte(DOUBLE);
            f.writeLong(Double.doubleToRawLongBits(d));
        } else if (v instanceof Short s) {
            f.writeByte(SHORT);
            f.writeZigZag(s);
        } else if (v instanceof Float x) {
            f.writeByte(FLOAT);
            f.writeVarLong(Integer.toUnsignedLong(Float.floatToRawIntBits(x)));
        } else if (v instanceof byte[] b) {
            f.writeByte(BYTES);
            f.writeVarLong(b.length);
            f.writeBytes(b, 0, b.length);
        } else if (v instanceof UUID u) {
            f.writeByte(UUID_TAG);
            f.writeLong(u.getMostSignificantBits());
            f.writeLong(u.getLeastSignificantBits());
        } else {
            int type = col < types.length ? types[col] : 0;
            TupleData d;
            try {
                d = form.apply(new int[] {type}, new Object[] {v});
            } catch (RuntimeException e) {
                throw new PgException("0A000", "cannot write a value of type " + type + " ("
                        + v.getClass().getSimpleName() + ") to a temporary file");
            }
            f.writeByte(TYPED);
            f.writeVarLong(type);
            f.writeByte(d.hasVarWidth() ? 1 : 0);
            byte[] b = d.data();
            f.writeVarLong(b.length);
            f.writeBytes(b, 0, b.length);
        }
    }

    private Object readValue(TempFile.Reader f, int col) {
        int tag = f.readByte();
        switch (tag) {
            case NULL:
                return null;
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case SHORT:
                return (short) f.readZigZag();
            case INT:
                return (int) f.readZigZag();
            case LONG:
                return f.readZigZag();
            case FLOAT:
                return Float.intBitsToFloat((int) f.readVarLong());
            case DOUBLE:
                return Double.longBitsToDouble(f.readLong());
            case STRING: {
                byte[] b = new byte[(int) f.readVarLong()];
                f.readFully(b, 0, b.length);
                return new String(b, StandardCharsets.UTF_8);
            }
            case BYTES: {
                byte[] b = new byte[(int) f.readVarLong()];
                f.readFully(b, 0, b.length);
                return b;
            }
            case NUMERIC: {
                int scale = (int) f.readZigZag();
                byte[] u = new byte[(int) f.readVarLong()];
                f.readFully(u, 0, u.length);
                return new BigDecimal(new BigInteger(u), scale);
            }
            case UUID_TAG:
                return new UUID(f.readLong(), f.readLong());
            case TYPED: {
                int type = (int) f.readVarLong();
                boolean varWidth = f.readByte() != 0;
                byte[] b = new byte[(int) f.readVarLong()];
                f.readFully(b, 0, b.length);
                return deform.apply(new int[] {type}, new TupleData(1, null, b, varWidth))[0];
            }
            default:
                throw new IllegalStateException("corrupt temporary file " + f + ": tag " + tag + " in column " + col);
        }
    }

    // ------------------------------------------------------------------ memory estimates

    /** The estimated heap bytes of {@code row} (see the design notes); allocates nothing. */
    public static long estimate(Object[] row) {
        long n = 16 + 8L * row.length;
        for (Object v : row) {
            if (v != null) {
                n += valueSize(v);
            }
        }
        return n;
    }

    /** The estimated heap bytes of the first {@code n} values of {@code row} as a key (array, references, values). */
    public static long estimate(Object[] row, int n) {
        long b = 16 + 8L * n;
        for (int i = 0; i < n; i++) {
            Object v = row[i];
            if (v != null) {
                b += valueSize(v);
            }
        }
        return b;
    }

    /** The estimated heap bytes of one value (0 for null and the shared Booleans). */
    public static long valueSize(Object v) {
        if (v == null || v instanceof Boolean) {
            return 0;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof Short
                || v instanceof Float) {
            return 16;
        }
        if (v instanceof String s) {
            return 48 + s.length();
        }
        if (v instanceof byte[] b) {
            return 16 + b.length;
        }
        return 64;
    }
}
