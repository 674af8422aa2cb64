package modgres.sql.types;

/*
 * Design notes
 * ------------
 * Order-preserving ("memcmp-comparable") index keys for
 * modgres.api.access.KeyComparator.BYTEWISE. Each column is encoded as
 *
 *   ASC:  0x01 <value bytes>   (non-null)      0x02   (null: NULLS LAST)
 *   DESC: every byte of the ASC encoding inverted (so NULLS FIRST, PG's default)
 *
 * and the columns are concatenated. Every column encoding is prefix-free
 * (fixed width, or terminated), so unsigned lexicographic order of the
 * concatenation is the column-by-column order, and the encoding of the first
 * k columns is a byte prefix of the full key.
 *
 * Value bytes per type:
 *   integers, date, time, timestamps   big-endian, sign bit flipped
 *   oid, pg_lsn, uuid, bool, "char"    big-endian unsigned
 *   float4/8   as float8 bits: negative → all bits inverted, else sign bit set;
 *              -0 encoded as +0, every NaN as the canonical NaN (greatest)
 *   numeric    class byte (-inf 1, neg 2, zero 3, pos 4, +inf 5, NaN 6), then for
 *              finite nonzero: decimal exponent (int32 BE, sign-flipped; inverted
 *              for negatives), significand digits as bytes 1..10 ended by 0
 *              (negatives: 254..245 ended by 255); equal values (1.0 = 1.00)
 *              encode equally
 *   text types UTF-8 (code-point order) with 0x00 escaped as 0x00 0xFF, ended by
 *              0x00 0x01; bpchar without trailing blanks
 *   bytea      same escaping
 *   interval   its span (30-day months, 24-hour days) as a 16-byte signed int
 *   arrays     per element 0x01 value / 0x02 null, ended by 0x00 (1-D order)
 */

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Order-preserving byte encoding of index keys. */
public final class KeyEncoding {
    private KeyEncoding() {
    }

    /**
     * Encodes the key columns. {@code descending} may be null (all ascending) and may
     * be longer than {@code values} (a prefix of an index's columns).
     */
    public static byte[] encode(Type[] types, Object[] values, boolean[] descending) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < values.length; i++) {
            ByteArrayOutputStream col = new ByteArrayOutputStream();
            if (values[i] == null) {
                col.write(0x02);
            } else {
                col.write(0x01);
                encodeValue(col, types[i], values[i]);
            }
            byte[] b = col.toByteArray();
            if (descending != null && i < descending.length && descending[i]) {
                for (int k = 0; k < b.length; k++) {
                    b[k] = (byte) ~b[k];
                }
            }
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** Encodes one column, ascending, without the null marker. */
    public static byte[] encodeValue(Type type, Object v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        encodeValue(out, type, v);
        return out.toByteArray();
    }

    private static void be(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    static void encodeValue(ByteArrayOutputStream out, Type type, Object v) {
        if (v instanceof PgEnum e) {
            // by sort order: flip the sign bit of positive floats, all bits of negative ones
            int bits = Float.floatToIntBits(e.sortOrder());
            be(out, bits < 0 ? ~bits : bits ^ 0x80000000, 4);
            return;
        }
        if (v instanceof PgRecord r) {
            // as record_cmp: field by field, a NULL field after any value
            for (int i = 0; i < r.values().length; i++) {
                Object f = r.values()[i];
                if (f == null) {
                    out.write(0x02);
                } else {
                    out.write(0x01);
                    encodeValue(out, Types.byOid(r.fieldTypes()[i]), f);
                }
            }
            out.write(0x00);
            return;
        }
        if (type.isArray()) {
            PgArray a = (PgArray) v;
            for (Object e : a.values()) {
                if (e == null) {
                    out.write(0x02);
                } else {
                    out.write(0x01);
                    encodeValue(out, a.elem(), e);
                }
            }
            out.write(0x00);
            return;
        }
        switch (type.oid()) {
            case Types.BOOL_OID -> out.write(((Boolean) v) ? 1 : 0);
            case Types.CHAR_OID -> {
                String s = (String) v;
                out.write(s.isEmpty() ? 0 : s.charAt(0) & 0xFF);
            }
            case Types.INT2_OID -> be(out, ((Number) v).shortValue() ^ 0x8000, 2);
            case Types.INT4_OID, Types.DATE_OID -> be(out, ((Number) v).intValue() ^ 0x80000000, 4);
            case Types.INT8_OID, Types.TIME_OID, Types.TIMESTAMP_OID, Types.TIMESTAMPTZ_OID ->
                be(out, ((Number) v).longValue() ^ Long.MIN_VALUE, 8);
            case Types.OID_OID, Types.REGCLASS_OID, Types.REGTYPE_OID, Types.REGNAMESPACE_OID -> be(out, ((Number) v).longValue(), 4);
            case Types.PG_LSN_OID, Types.XID8_OID -> be(out, (Long) v, 8);
            case Types.XID_OID -> be(out, (Long) v, 4);
            case Types.FLOAT4_OID, Types.FLOAT8_OID -> {
                double d = ((Number) v).doubleValue();
                if (d == 0) {
                    d = 0.0;
                }
                long bits = Double.isNaN(d) ? 0x7ff8000000000000L : Double.doubleToLongBits(d);
                bits = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
                be(out, bits, 8);
            }
            case Types.NUMERIC_OID -> encodeNumeric(out, v);
            case Types.TEXT_OID, Types.VARCHAR_OID, Types.NAME_OID, Types.UNKNOWN_OID ->
                escaped(out, ((String) v).getBytes(StandardCharsets.UTF_8));
            case Types.BPCHAR_OID -> escaped(out, TextIO.rtrimBlanks((String) v).getBytes(StandardCharsets.UTF_8));
            case Types.BYTEA_OID -> escaped(out, (byte[]) v);
            case Types.UUID_OID -> {
                UUID u = (UUID) v;
                be(out, u.getMostSignificantBits(), 8);
                be(out, u.getLeastSignificantBits(), 8);
            }
            case Types.INTERVAL_OID -> {
                BigInteger span = ((Interval) v).span();
                byte[] b = span.toByteArray();
                byte[] fixed = new byte[16];
                byte fill = (byte) (span.signum() < 0 ? 0xFF : 0);
                int pad = 16 - b.length;
                for (int i = 0; i < 16; i++) {
                    fixed[i] = i < pad ? fill : b[i - pad];
                }
                fixed[0] ^= (byte) 0x80;
                out.writeBytes(fixed);
            }
            default -> throw Errors.feature("type " + type.sqlName() + " cannot be used in an index key");
        }
    }

    private static void escaped(ByteArrayOutputStream out, byte[] b) {
        for (byte x : b) {
            out.write(x);
            if (x == 0) {
                out.write(0xFF);
            }
        }
        out.write(0x00);
        out.write(0x01);
    }

    private static void encodeNumeric(ByteArrayOutputStream out, Object v) {
        if (v instanceof NumericSpecial s) {
            out.write(switch (s) {
                case NEGATIVE_INFINITY -> 1;
                case INFINITY -> 5;
                case NAN -> 6;
            });
            return;
        }
        BigDecimal d = (BigDecimal) v;
        int sign = d.signum();
        if (sign == 0) {
            out.write(3);
            return;
        }
        out.write(sign > 0 ? 4 : 2);
        BigDecimal a = d.abs().stripTrailingZeros();
        String digits = a.unscaledValue().toString();
        int exp = digits.length() - a.scale(); // value = 0.d1d2... * 10^exp
        int e = exp ^ 0x80000000;
        if (sign < 0) {
            e = ~e;
        }
        be(out, e, 4);
        for (int i = 0; i < digits.length(); i++) {
            int dv = digits.charAt(i) - '0' + 1;
            out.write(sign > 0 ? dv : 255 - dv);
        }
        out.write(sign > 0 ? 0 : 255);
    }
}
