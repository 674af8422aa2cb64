package modgres.sql.types;

/*
 * Design notes
 * ------------
 * The wire protocol's binary format (typsend/typreceive), big-endian:
 *   bool 1 byte; int2/4/8, oid, float4/8 (IEEE), date int32, time and
 *   timestamp(tz) int64 microseconds, interval (int64 micros, int32 days,
 *   int32 months), uuid 16 bytes, pg_lsn int64, text types UTF-8, bytea raw,
 *   numeric (int16 ndigits, weight, sign, dscale, then base-10000 digits),
 *   arrays (ndim, has-null flag, element oid, (dim, lbound)*, (len, bytes)*).
 * receive() consumes exactly the datum's bytes from the buffer (the caller
 * gives a buffer limited to the parameter's length) and fails with 22P03
 * when bytes are missing or left over.
 */

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import modgres.api.error.PgException;

/** Binary send/receive of the built-in types, as PostgreSQL's typsend/typreceive. */
public final class BinaryIO {
    static final int NUMERIC_POS = 0x0000;
    static final int NUMERIC_NEG = 0x4000;
    static final int NUMERIC_NAN = 0xC000;
    static final int NUMERIC_PINF = 0xD000;
    static final int NUMERIC_NINF = 0xF000;
    private static final BigInteger NBASE = BigInteger.valueOf(10000);

    private BinaryIO() {
    }

    /** typsend: the value's binary form. */
    public static byte[] send(Type type, Object v) {
        if (type.isArray()) {
            return sendArray((PgArray) v);
        }
        if (v instanceof PgEnum e) {
            return e.label().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (v instanceof PgRecord r) {
            // record_send: column count, then per column its type OID and length-prefixed binary value (-1: NULL)
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.writeBytes(ByteBuffer.allocate(4).putInt(r.values().length).array());
            for (int i = 0; i < r.values().length; i++) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(r.fieldTypes()[i]).array());
                if (r.values()[i] == null) {
                    out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
                } else {
                    byte[] f = send(Types.byOid(r.fieldTypes()[i]), r.values()[i]);
                    out.writeBytes(ByteBuffer.allocate(4).putInt(f.length).array());
                    out.writeBytes(f);
                }
            }
            return out.toByteArray();
        }
        switch (type.oid()) {
            case Types.BOOL_OID:
                return new byte[] {(byte) (((Boolean) v) ? 1 : 0)};
            case Types.INT2_OID:
                return ByteBuffer.allocate(2).putShort(((Number) v).shortValue()).array();
            case Types.INT4_OID:
                return ByteBuffer.allocate(4).putInt(((Number) v).intValue()).array();
            case Types.INT8_OID, Types.PG_LSN_OID, Types.XID8_OID:
                return ByteBuffer.allocate(8).putLong(((Number) v).longValue()).array();
            case Types.OID_OID, Types.REGCLASS_OID, Types.REGTYPE_OID, Types.REGNAMESPACE_OID, Types.XID_OID:
                return ByteBuffer.allocate(4).putInt((int) ((Number) v).longValue()).array();
            case Types.FLOAT4_OID:
                return ByteBuffer.allocate(4).putFloat(((Number) v).floatValue()).array();
            case Types.FLOAT8_OID:
                return ByteBuffer.allocate(8).putDouble(((Number) v).doubleValue()).array();
            case Types.NUMERIC_OID:
                return sendNumeric(v);
            case Types.TEXT_OID, Types.VARCHAR_OID, Types.BPCHAR_OID, Types.NAME_OID, Types.UNKNOWN_OID:
                return ((String) v).getBytes(StandardCharsets.UTF_8);
            case Types.CHAR_OID: {
                String s = (String) v;
                return s.isEmpty() ? new byte[] {0} : new byte[] {(byte) s.charAt(0)};
            }
            case Types.BYTEA_OID:
                return ((byte[]) v).clone();
            case Types.DATE_OID:
                return ByteBuffer.allocate(4).putInt((Integer) v).array();
            case Types.TIME_OID, Types.TIMESTAMP_OID, Types.TIMESTAMPTZ_OID:
                return ByteBuffer.allocate(8).putLong((Long) v).array();
            case Types.INTERVAL_OID: {
                Interval i = (Interval) v;
                return ByteBuffer.allocate(16).putLong(i.micros()).putInt(i.days()).putInt(i.months()).array();
            }
            case Types.UUID_OID: {
                UUID u = (UUID) v;
                return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits())
                        .array();
            }
            case Types.VOID_OID:
                return new byte[0];
            default:
                throw Errors.feature("binary output of type " + type.sqlName() + " is not supported");
        }
    }

    /** typreceive: reads the whole remaining buffer as one datum of {@code type}. */
    public static Object receive(Type type, int typmod, ByteBuffer buf) {
        try {
            Object v = receive0(type, typmod, buf);
            if (buf.hasRemaining()) {
                throw new PgException("22P03", "incorrect binary data format");
            }
            return v;
        } catch (BufferUnderflowException e) {
            throw new PgException("08P01", "insufficient data left in message");
        }
    }

    private static Object receive0(Type type, int typmod, ByteBuffer buf) {
        if (type.isArray()) {
            return receiveArray(type.elem(), typmod, buf);
        }
        switch (type.oid()) {
            case Types.BOOL_OID:
                return buf.get() != 0;
            case Types.INT2_OID:
                return buf.getShort();
            case Types.INT4_OID:
                return buf.getInt();
            case Types.INT8_OID, Types.PG_LSN_OID, Types.XID8_OID:
                return buf.getLong();
            case Types.OID_OID, Types.REGCLASS_OID, Types.REGTYPE_OID, Types.REGNAMESPACE_OID, Types.XID_OID:
                return buf.getInt() & 0xFFFFFFFFL;
            case Types.FLOAT4_OID:
                return buf.getFloat();
            case Types.FLOAT8_OID:
                return buf.getDouble();
            case Types.NUMERIC_OID:
                return NumericOps.applyTypmod(receiveNumeric(buf), typmod);
            case Types.TEXT_OID, Types.UNKNOWN_OID:
                return utf8(buf);
            case Types.VARCHAR_OID:
                return TextIO.varchar(utf8(buf), typmod, false);
            case Types.BPCHAR_OID:
                return TextIO.bpchar(utf8(buf), typmod, false);
            case Types.NAME_OID:
                return TextIO.truncateName(utf8(buf));
            case Types.CHAR_OID: {
                int c = buf.get() & 0xFF;
                return c == 0 ? "" : String.valueOf((char) c);
            }
            case Types.BYTEA_OID: {
                byte[] b = new byte[buf.remaining()];
                buf.get(b);
                return b;
            }
            case Types.DATE_OID:
                return buf.getInt();
            case Types.TIME_OID: {
                long t = buf.getLong();
                if (t < 0 || t > DateTime.USECS_PER_DAY) {
                    throw new PgException("22008", "time out of range");
                }
                return DateTime.adjustTime(t, typmod);
            }
            case Types.TIMESTAMP_OID, Types.TIMESTAMPTZ_OID: {
                long t = buf.getLong();
                if (t != DateTime.DT_NOBEGIN && t != DateTime.DT_NOEND && !DateTime.isValidTimestamp(t)) {
                    throw Errors.datetimeOutOfRange("timestamp");
                }
                return DateTime.adjustTimestamp(t, typmod);
            }
            case Types.INTERVAL_OID: {
                long micros = buf.getLong();
                int days = buf.getInt();
                int months = buf.getInt();
                return DateTime.adjustInterval(new Interval(months, days, micros), typmod);
            }
            case Types.UUID_OID:
                return new UUID(buf.getLong(), buf.getLong());
            case Types.VOID_OID:
                return "";
            default:
                throw Errors.feature("binary input of type " + type.sqlName() + " is not supported");
        }
    }

    private static String utf8(ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder();
        try {
            return dec.decode(ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new PgException("22021", "invalid byte sequence for encoding \"UTF8\"");
        }
    }

    // ---------------------------------------------------------------- numeric

    /** A finite numeric as (weight, base-10000 digits without leading/trailing zero groups). */
    record NumericDigits(int weight, short[] digits) {
    }

    static NumericDigits toDigits(BigDecimal d) {
        if (d.signum() == 0) {
            return new NumericDigits(0, new short[0]);
        }
        int scale = Math.max(d.scale(), 0);
        int padded = (scale + 3) / 4 * 4;
        BigInteger u = d.abs().setScale(padded).unscaledValue();
        java.util.ArrayList<Short> groups = new java.util.ArrayList<>();
        while (u.signum() > 0) {
            BigInteger[] qr = u.divideAndRemainder(NBASE);
            groups.add(qr[1].shortValue());
            u = qr[0];
        }
        int n = groups.size();
        int weight = n - 1 - padded / 4;
        int lo = 0;
        while (lo < n && groups.get(lo) == 0) {
            lo++;
        }
        short[] digits = new short[n - lo];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = groups.get(n - 1 - i);
        }
        return new NumericDigits(weight, digits);
    }

    static BigDecimal fromDigits(int weight, short[] digits, int dscale, boolean negative) {
        BigInteger u = BigInteger.ZERO;
        for (short g : digits) {
            u = u.multiply(NBASE).add(BigInteger.valueOf(g));
        }
        // value = u * 10000^(weight - ndigits + 1)
        int exp10 = 4 * (weight - digits.length + 1);
        BigDecimal v = new BigDecimal(u, -exp10);
        if (negative) {
            v = v.negate();
        }
        return v.setScale(Math.max(dscale, 0), java.math.RoundingMode.DOWN);
    }

    static byte[] sendNumeric(Object v) {
        if (v instanceof NumericSpecial s) {
            int sign = switch (s) {
                case NAN -> NUMERIC_NAN;
                case INFINITY -> NUMERIC_PINF;
                case NEGATIVE_INFINITY -> NUMERIC_NINF;
            };
            // PostgreSQL sends the dscale bits of the special header: 32 for the infinities
            int dscale = (sign & 0x1F80) >> 7;
            return ByteBuffer.allocate(8).putShort((short) 0).putShort((short) 0).putShort((short) sign)
                    .putShort((short) dscale).array();
        }
        BigDecimal d = (BigDecimal) v;
        NumericDigits nd = toDigits(d);
        ByteBuffer b = ByteBuffer.allocate(8 + 2 * nd.digits().length);
        b.putShort((short) nd.digits().length).putShort((short) nd.weight())
                .putShort((short) (d.signum() < 0 ? NUMERIC_NEG : NUMERIC_POS)).putShort((short) d.scale());
        for (short g : nd.digits()) {
            b.putShort(g);
        }
        return b.array();
    }

    static Object receiveNumeric(ByteBuffer buf) {
        int ndigits = buf.getShort() & 0xFFFF;
        int weight = buf.getShort();
        int sign = buf.getShort() & 0xFFFF;
        int dscale = buf.getShort() & 0xFFFF;
        switch (sign) {
            case NUMERIC_POS, NUMERIC_NEG:
                break;
            case NUMERIC_NAN:
                return NumericSpecial.NAN;
            case NUMERIC_PINF:
                return NumericSpecial.INFINITY;
            case NUMERIC_NINF:
                return NumericSpecial.NEGATIVE_INFINITY;
            default:
                throw new PgException("22P03", "invalid sign in external \"numeric\" value");
        }
        if ((dscale & 0x3FFF) != dscale) {
            throw new PgException("22P03", "invalid scale in external \"numeric\" value");
        }
        short[] digits = new short[ndigits];
        for (int i = 0; i < ndigits; i++) {
            digits[i] = buf.getShort();
            if (digits[i] < 0 || digits[i] >= 10000) {
                throw new PgException("22P03", "invalid digit in external \"numeric\" value");
            }
        }
        return fromDigits(weight, digits, dscale, sign == NUMERIC_NEG);
    }

    // ---------------------------------------------------------------- arrays

    static byte[] sendArray(PgArray a) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(12 + 8 * a.dims().length);
        h.putInt(a.dims().length).putInt(a.hasNulls() ? 1 : 0).putInt(a.elem().oid());
        for (int i = 0; i < a.dims().length; i++) {
            h.putInt(a.dims()[i]).putInt(a.lbounds()[i]);
        }
        out.writeBytes(h.array());
        for (Object v : a.values()) {
            if (v == null) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
            } else {
                byte[] e = send(a.elem(), v);
                out.writeBytes(ByteBuffer.allocate(4).putInt(e.length).array());
                out.writeBytes(e);
            }
        }
        return out.toByteArray();
    }

    static PgArray receiveArray(Type elem, int typmod, ByteBuffer buf) {
        int ndim = buf.getInt();
        int flags = buf.getInt();
        int elemOid = buf.getInt();
        if (ndim < 0 || ndim > 6) {
            throw new PgException("22P03", "invalid number of dimensions: " + ndim);
        }
        if (flags != 0 && flags != 1) {
            throw new PgException("22P03", "invalid array flags");
        }
        if (elemOid != elem.oid()) {
            throw new PgException("42804", "binary data has array element type " + elemOid + " instead of expected "
                    + elem.oid());
        }
        int[] dims = new int[ndim];
        int[] lbs = new int[ndim];
        long total = ndim == 0 ? 0 : 1;
        for (int i = 0; i < ndim; i++) {
            dims[i] = buf.getInt();
            lbs[i] = buf.getInt();
            total *= dims[i];
        }
        if (total > 134217727) {
            throw new PgException("54000", "array size exceeds the maximum allowed (134217727)");
        }
        Object[] values = new Object[(int) total];
        for (int i = 0; i < total; i++) {
            int len = buf.getInt();
            if (len == -1) {
                values[i] = null;
                continue;
            }
            if (len < 0 || len > buf.remaining()) {
                throw new PgException("22P03", "insufficient data left in message");
            }
            ByteBuffer sub = buf.slice();
            sub.limit(len);
            buf.position(buf.position() + len);
            values[i] = receive(elem, typmod, sub);
        }
        if (total == 0) {
            return new PgArray(elem, values, new int[0], new int[0]);
        }
        return new PgArray(elem, values, dims, lbs);
    }
}
