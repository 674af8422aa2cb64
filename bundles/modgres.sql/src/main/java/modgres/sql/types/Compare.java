package modgres.sql.types;

/*
 * Design notes
 * ------------
 * The btree ordering of every type (PostgreSQL's *_cmp support functions),
 * equality consistent with it, and a hash consistent with equality (values
 * that compare equal hash equally: 1.0 and 1.00, -0.0 and 0.0, 'a' and 'a '
 * as bpchar, '1 day' and '24 hours'). Text orders by code point (the C
 * collation; UTF-8 byte order is the same order). NaN sorts above every
 * other float/numeric and equals itself.
 */

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.UUID;

/** Ordering, equality and hashing of values of one type, with PostgreSQL's semantics. */
public final class Compare {
    private Compare() {
    }

    /** Sign of a - b for two non-null values of {@code type}. */
    public static int compare(Type type, Object a, Object b) {
        if (type.isArray()) {
            return compareArrays((PgArray) a, (PgArray) b);
        }
        if (a instanceof PgRecord x && b instanceof PgRecord y) {
            return UserTypes.compareRecords(x, y);
        }
        if (a instanceof PgEnum x && b instanceof PgEnum y) {
            return Float.compare(x.sortOrder(), y.sortOrder());
        }
        switch (type.oid()) {
            case Types.BOOL_OID:
                return Boolean.compare((Boolean) a, (Boolean) b);
            case Types.INT2_OID, Types.INT4_OID, Types.INT8_OID, Types.DATE_OID, Types.TIME_OID, Types.TIMESTAMP_OID,
                    Types.TIMESTAMPTZ_OID, Types.OID_OID, Types.REGCLASS_OID, Types.REGTYPE_OID, Types.REGNAMESPACE_OID:
                return Long.compare(((Number) a).longValue(), ((Number) b).longValue());
            case Types.PG_LSN_OID, Types.XID_OID, Types.XID8_OID:
                return Long.compareUnsigned((Long) a, (Long) b);
            case Types.FLOAT4_OID, Types.FLOAT8_OID:
                return FloatOps.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
            case Types.NUMERIC_OID:
                return NumericOps.compare(a, b);
            case Types.TEXT_OID, Types.VARCHAR_OID, Types.NAME_OID, Types.UNKNOWN_OID, Types.CHAR_OID:
                return compareText((String) a, (String) b);
            case Types.BPCHAR_OID:
                return compareText(TextIO.rtrimBlanks((String) a), TextIO.rtrimBlanks((String) b));
            case Types.BYTEA_OID:
                return Arrays.compareUnsigned((byte[]) a, (byte[]) b);
            case Types.INTERVAL_OID:
                return ((Interval) a).compareTo((Interval) b);
            case Types.UUID_OID: {
                UUID x = (UUID) a;
                UUID y = (UUID) b;
                int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
                return c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
            }
            default:
                throw Errors.feature("could not identify a comparison function for type " + type.sqlName());
        }
    }

    /** Code-point order (C collation). */
    public static int compareText(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // surrogates (supplementary code points) sort above every BMP char
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** array_cmp: element by element (NULL above non-null), then element count, dims, lower bounds. */
    static int compareArrays(PgArray a, PgArray b) {
        int n = Math.min(a.values().length, b.values().length);
        for (int i = 0; i < n; i++) {
            Object x = a.values()[i];
            Object y = b.values()[i];
            if (x == null || y == null) {
                if (x == null && y == null) {
                    continue;
                }
                return x == null ? 1 : -1;
            }
            int c = compare(a.elem(), x, y);
            if (c != 0) {
                return c;
            }
        }
        int c = Integer.compare(a.values().length, b.values().length);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.dims().length, b.dims().length);
        if (c != 0) {
            return c;
        }
        for (int i = 0; i < a.dims().length; i++) {
            c = Integer.compare(a.dims()[i], b.dims()[i]);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(a.lbounds()[i], b.lbounds()[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** The type's "=" (false never for NaN = NaN: PostgreSQL's float and numeric treat them equal). */
    public static boolean equal(Type type, Object a, Object b) {
        return compare(type, a, b) == 0;
    }

    /** A hash consistent with {@link #equal}; integer types of any width hash alike. */
    public static int hash(Type type, Object v) {
        if (v == null) {
            return 0;
        }
        if (type.isArray()) {
            PgArray a = (PgArray) v;
            int h = 1;
            for (Object e : a.values()) {
                h = h * 31 + hash(a.elem(), e);
            }
            return h;
        }
        if (v instanceof PgRecord r) {
            return UserTypes.hashRecord(r);
        }
        if (v instanceof PgEnum e) {
            return e.labelOid();
        }
        switch (type.oid()) {
            case Types.INT2_OID, Types.INT4_OID, Types.INT8_OID, Types.DATE_OID, Types.TIME_OID, Types.TIMESTAMP_OID,
                    Types.TIMESTAMPTZ_OID, Types.OID_OID, Types.REGCLASS_OID, Types.REGTYPE_OID, Types.REGNAMESPACE_OID, Types.PG_LSN_OID,
                    Types.XID_OID, Types.XID8_OID:
                return Long.hashCode(((Number) v).longValue());
            case Types.FLOAT4_OID, Types.FLOAT8_OID: {
                double d = ((Number) v).doubleValue();
                if (d == 0) {
                    return 0;
                }
                return Double.isNaN(d) ? 0x7ff80000 : Double.hashCode(d);
            }
            case Types.NUMERIC_OID:
                if (v instanceof BigDecimal b) {
                    return b.signum() == 0 ? 0 : b.stripTrailingZeros().hashCode();
                }
                return v.hashCode();
            case Types.BPCHAR_OID:
                return TextIO.rtrimBlanks((String) v).hashCode();
            case Types.BYTEA_OID:
                return Arrays.hashCode((byte[]) v);
            case Types.INTERVAL_OID:
                return ((Interval) v).span().hashCode();
            default:
                return v.hashCode();
        }
    }
}
