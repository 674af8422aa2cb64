package modgres.sql.types;

/*
 * Design notes
 * ------------
 * Forms and deforms heap tuple data in PostgreSQL's on-disk layout
 * (heap_fill_tuple / heap_deform_tuple), on a little-endian machine:
 *
 *   data:  [pad][att0][pad][att1]...      nulls take no space
 *
 *   - fixed-length by-value (bool, "char", int2/4/8, oid, float4/8, date,
 *     time, timestamp(tz), pg_lsn): aligned to typalign, little-endian;
 *   - fixed-length by-reference: name (64 bytes, NUL-padded, align c),
 *     uuid (16 bytes as printed, align c), interval (int64 time, int32 day,
 *     int32 month, align d);
 *   - varlena (text, varchar, bpchar, bytea, numeric, arrays): a 1-byte
 *     header ((len << 1) | 1, no alignment) when the total fits in 127 bytes,
 *     else aligned to typalign with a 4-byte header (len << 2);
 *     numeric's payload is PostgreSQL's short (uint16 header) or long
 *     (uint16 sign|dscale, int16 weight) format plus base-10000 digits;
 *     arrays use PostgreSQL's ArrayType layout (ndim, dataoffset, elemtype,
 *     dims, lbounds, null bitmap, elements aligned per the element type).
 *
 * Alignment counts from the start of data, which the heap places at a
 * MAXALIGN boundary, so offsets equal those inside a real tuple. When
 * deforming a varlena, a zero byte is padding (a 1-byte header is never 0),
 * as att_align_pointer.
 *
 * TOAST (modgres.sql.toast.Varlena has the formats): a value the toaster
 * encoded arrives as Varlena.Stored and is copied verbatim; deforming
 * decompresses compressed inline values and fetches external ones through
 * the caller's Detoaster (none given: 0A000), noting the stored size for
 * pg_column_size.
 */

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import modgres.api.access.TupleData;
import modgres.api.error.PgException;
import modgres.sql.toast.StoredSizes;
import modgres.sql.toast.Varlena;

/** Heap tuple data in PostgreSQL's layout: form from values, deform back. */
public final class TupleCodec {
    static final int NAMEDATALEN = 64;

    private TupleCodec() {
    }

    /** Forms the tuple data of {@code values} (null = SQL NULL) typed by {@code types}. */
    public static TupleData form(Type[] types, Object[] values) {
        int natts = types.length;
        if (values.length != natts) {
            throw new IllegalArgumentException("values.length " + values.length + " != types.length " + natts);
        }
        byte[] bitmap = null;
        for (int i = 0; i < natts; i++) {
            if (values[i] == null) {
                if (bitmap == null) {
                    bitmap = new byte[(natts + 7) / 8];
                    for (int j = 0; j < natts; j++) {
                        if (values[j] != null) {
                            bitmap[j >> 3] |= (byte) (1 << (j & 7));
                        }
                    }
                }
            }
        }
        Buf out = new Buf();
        boolean varWidth = false;
        for (int i = 0; i < natts; i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            Type t = types[i];
            if (v instanceof Varlena.Stored st) {
                varWidth = true;
                if (!st.shortHeader()) {
                    out.pad(t.alignment());
                }
                out.writeBytes(st.image());
            } else if (t.typlen() == -1) {
                varWidth = true;
                writeVarlena(out, payload(t, v), t.alignment());
            } else {
                writeFixed(out, t, v);
            }
        }
        return new TupleData(natts, bitmap, out.toByteArray(), varWidth);
    }

    /** Deforms all attributes. */
    public static Object[] deform(Type[] types, TupleData data) {
        return deform(types, data, types.length);
    }

    /**
     * Deforms the first {@code n} attributes; attributes beyond the tuple's natts
     * (added columns) read as null.
     */
    public static Object[] deform(Type[] types, TupleData data, int n) {
        return deform(types, data, n, null);
    }

    /**
     * Deforms the first {@code n} attributes, detoasting compressed values and
     * external ones through {@code detoaster} (null: a table without TOAST).
     */
    public static Object[] deform(Type[] types, TupleData data, int n, Varlena.Detoaster detoaster) {
        Object[] out = new Object[n];
        ByteBuffer b = ByteBuffer.wrap(data.data()).order(ByteOrder.LITTLE_ENDIAN);
        int off = 0;
        int natts = Math.min(n, data.natts());
        for (int i = 0; i < natts; i++) {
            if (data.isNull(i)) {
                continue;
            }
            Type t = types[i];
            if (t.typlen() == -1) {
                if ((b.get(off) & 0xFF) == 0) {
                    off = align(off, t.alignment());
                }
                int h = b.get(off) & 0xFF;
                int len;
                int hdr;
                if (h == 0x01) {
                    out[i] = external(t, data.data(), off, detoaster);
                    off += Varlena.TOAST_POINTER_SIZE;
                    continue;
                } else if ((h & 3) == 2) {
                    len = b.getInt(off) >>> 2;
                    out[i] = fromPayload(t, Varlena.decompress(data.data(), off + 4, off + len));
                    StoredSizes.note(out[i], len);
                    off += len;
                    continue;
                } else if ((h & 1) == 1) {
                    len = h >> 1;
                    hdr = 1;
                } else {
                    len = b.getInt(off) >>> 2;
                    hdr = 4;
                }
                byte[] p = new byte[len - hdr];
                b.get(off + hdr, p);
                out[i] = fromPayload(t, p);
                off += len;
            } else {
                off = align(off, t.alignment());
                out[i] = readFixed(b, off, t);
                off += t.typlen();
            }
        }
        return out;
    }

    /**
     * Deforms only the attributes {@code need} marks (null: all) into {@code out[0 ..]}, leaving the others
     * untouched (null in a fresh row): a skipped attribute's offset and alignment are still walked, but its
     * value is neither built nor decompressed nor fetched from TOAST. Attributes past the last needed one
     * are not walked at all (PostgreSQL's slot_getsomeattrs); beyond the tuple's natts they stay null.
     */
    public static void deformInto(Type[] types, TupleData data, Varlena.Detoaster detoaster, boolean[] need,
            Object[] out) {
        int natts = Math.min(types.length, data.natts());
        if (need != null) {
            int last = Math.min(natts, need.length) - 1;
            while (last >= 0 && !need[last]) {
                last--;
            }
            natts = last + 1;
        }
        if (natts == 0) {
            return;
        }
        byte[] d = data.data();
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        int off = 0;
        for (int i = 0; i < natts; i++) {
            if (data.isNull(i)) {
                continue;
            }
            boolean wanted = need == null || need[i];
            Type t = types[i];
            if (t.typlen() != -1) {
                off = align(off, t.alignment());
                if (wanted) {
                    out[i] = readFixed(b, off, t);
                }
                off += t.typlen();
                continue;
            }
            if ((d[off] & 0xFF) == 0) {
                off = align(off, t.alignment());
            }
            int h = d[off] & 0xFF;
            if (h == 0x01) {
                if (wanted) {
                    out[i] = external(t, d, off, detoaster);
                }
                off += Varlena.TOAST_POINTER_SIZE;
            } else if ((h & 3) == 2) {
                int len = b.getInt(off) >>> 2;
                if (wanted) {
                    out[i] = fromPayload(t, Varlena.decompress(d, off + 4, off + len));
                    StoredSizes.note(out[i], len);
                }
                off += len;
            } else {
                int len;
                int hdr;
                if ((h & 1) == 1) {
                    len = h >> 1;
                    hdr = 1;
                } else {
                    len = b.getInt(off) >>> 2;
                    hdr = 4;
                }
                if (wanted) {
                    byte[] p = new byte[len - hdr];
                    b.get(off + hdr, p);
                    out[i] = fromPayload(t, p);
                }
                off += len;
            }
        }
    }

    /** The external TOAST pointer of each attribute of {@code data} (null where the value is inline or null). */
    public static Varlena.ExternalPointer[] externals(Type[] types, TupleData data) {
        Varlena.ExternalPointer[] out = new Varlena.ExternalPointer[types.length];
        byte[] d = data.data();
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        int off = 0;
        int natts = Math.min(types.length, data.natts());
        for (int i = 0; i < natts; i++) {
            if (data.isNull(i)) {
                continue;
            }
            Type t = types[i];
            if (t.typlen() == -1) {
                if ((d[off] & 0xFF) == 0) {
                    off = align(off, t.alignment());
                }
                int h = d[off] & 0xFF;
                if (h == 0x01) {
                    out[i] = Varlena.ExternalPointer.read(d, off);
                    off += Varlena.TOAST_POINTER_SIZE;
                } else if ((h & 1) == 1) {
                    off += h >> 1;
                } else {
                    off += b.getInt(off) >>> 2;
                }
            } else {
                off = align(off, t.alignment()) + t.typlen();
            }
        }
        return out;
    }

    static int align(int off, int a) {
        return (off + a - 1) & -a;
    }

    /**
     * A growable little-endian byte buffer (not synchronized, unlike
     * ByteArrayOutputStream: it is formed per row, e.g. a million times by
     * one COPY, and starts big enough for a typical row).
     */
    private static final class Buf {
        private byte[] buf = new byte[128];
        private int count;

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }

        void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        void writeBytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, count, b.length);
            count += b.length;
        }

        int size() {
            return count;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buf, count);
        }

        void pad(int a) {
            while ((count & (a - 1)) != 0) {
                write(0);
            }
        }

        void le(long v, int bytes) {
            ensure(bytes);
            for (int i = 0; i < bytes; i++) {
                buf[count++] = (byte) (v >>> (8 * i));
            }
        }
    }

    private static void writeVarlena(Buf out, byte[] payload, int align) {
        if (payload.length + 1 <= 127) {
            out.write(((payload.length + 1) << 1) | 1);
        } else {
            out.pad(align);
            out.le((long) (payload.length + 4) << 2, 4);
        }
        out.writeBytes(payload);
    }

    private static void writeFixed(Buf out, Type t, Object v) {
        out.pad(t.alignment());
        if (v instanceof PgEnum e) {
            out.le(e.labelOid(), 4); // enum values are stored as their label's OID
            return;
        }
        switch (t.oid()) {
            case Types.BOOL_OID -> out.write(((Boolean) v) ? 1 : 0);
            case Types.CHAR_OID -> {
                String s = (String) v;
                out.write(s.isEmpty() ? 0 : s.charAt(0) & 0xFF);
            }
            case Types.INT2_OID -> out.le(((Number) v).shortValue(), 2);
            case Types.INT4_OID, Types.DATE_OID, Types.OID_OID, Types.REGCLASS_OID, Types.REGTYPE_OID, Types.REGNAMESPACE_OID, Types.VOID_OID,
                    Types.XID_OID ->
                out.le(v instanceof Number n ? n.longValue() : 0, 4);
            case Types.INT8_OID, Types.TIME_OID, Types.TIMESTAMP_OID, Types.TIMESTAMPTZ_OID, Types.PG_LSN_OID, Types.XID8_OID ->
                out.le(((Number) v).longValue(), 8);
            case Types.FLOAT4_OID -> out.le(Float.floatToRawIntBits(((Number) v).floatValue()), 4);
            case Types.FLOAT8_OID -> out.le(Double.doubleToRawLongBits(((Number) v).doubleValue()), 8);
            case Types.NAME_OID -> {
                byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
                if (b.length >= NAMEDATALEN) {
                    throw new PgException("22023", "name too long");
                }
                out.writeBytes(b);
                for (int i = b.length; i < NAMEDATALEN; i++) {
                    out.write(0);
                }
            }
            case Types.UUID_OID -> {
                UUID u = (UUID) v;
                out.writeBytes(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                        .putLong(u.getLeastSignificantBits()).array());
            }
            case Types.INTERVAL_OID -> {
                Interval i = (Interval) v;
                out.le(i.micros(), 8);
                out.le(i.days(), 4);
                out.le(i.months(), 4);
            }
            default -> throw Errors.feature("cannot store values of type " + t.sqlName());
        }
    }

    private static Object readFixed(ByteBuffer b, int off, Type t) {
        if (t.isEnum()) {
            return UserTypes.enumFromOid(b.getInt(off));
        }
        switch (t.oid()) {
            case Types.BOOL_OID:
                return b.get(off) != 0;
            case Types.CHAR_OID: {
                int c = b.get(off) & 0xFF;
                return c == 0 ? "" : String.valueOf((char) c);
            }
            case Types.INT2_OID:
                return b.getShort(off);
            case Types.INT4_OID, Types.DATE_OID:
                return b.getInt(off);
            case Types.OID_OID, Types.REGCLASS_OID, Types.REGTYPE_OID, Types.REGNAMESPACE_OID, Types.XID_OID:
                return b.getInt(off) & 0xFFFFFFFFL;
            case Types.VOID_OID:
                return "";
            case Types.INT8_OID, Types.TIME_OID, Types.TIMESTAMP_OID, Types.TIMESTAMPTZ_OID, Types.PG_LSN_OID, Types.XID8_OID:
                return b.getLong(off);
            case Types.FLOAT4_OID:
                return b.getFloat(off);
            case Types.FLOAT8_OID:
                return b.getDouble(off);
            case Types.NAME_OID: {
                int end = off;
                while (end < off + NAMEDATALEN && b.get(end) != 0) {
                    end++;
                }
                byte[] s = new byte[end - off];
                b.get(off, s);
                return new String(s, StandardCharsets.UTF_8);
            }
            case Types.UUID_OID: {
                ByteBuffer be = b.duplicate().order(ByteOrder.BIG_ENDIAN);
                return new UUID(be.getLong(off), be.getLong(off + 8));
            }
            case Types.INTERVAL_OID:
                return new Interval(b.getInt(off + 12), b.getInt(off + 8), b.getLong(off));
            default:
                throw Errors.feature("cannot read values of type " + t.sqlName());
        }
    }

    // ---------------------------------------------------------------- varlena payloads

    /** The varlena payload (without header) of {@code v}, as stored. */
    public static byte[] payload(Type t, Object v) {
        if (t.isArray()) {
            return arrayPayload((PgArray) v);
        }
        if (v instanceof PgRecord r) {
            return UserTypes.recordPayload(r);
        }
        switch (t.oid()) {
            case Types.TEXT_OID, Types.VARCHAR_OID, Types.BPCHAR_OID, Types.UNKNOWN_OID:
                return ((String) v).getBytes(StandardCharsets.UTF_8);
            case Types.BYTEA_OID:
                return (byte[]) v;
            case Types.NUMERIC_OID:
                return numericPayload(v);
            default:
                throw Errors.feature("cannot store values of type " + t.sqlName());
        }
    }

    /** The value of a varlena payload. */
    public static Object fromPayload(Type t, byte[] p) {
        if (t.isArray()) {
            return arrayFromPayload(t.elem(), p);
        }
        if (t.isComposite() || t.oid() == Types.RECORD_OID) {
            return UserTypes.recordFromPayload(t, p);
        }
        switch (t.oid()) {
            case Types.TEXT_OID, Types.VARCHAR_OID, Types.BPCHAR_OID, Types.UNKNOWN_OID:
                return new String(p, StandardCharsets.UTF_8);
            case Types.BYTEA_OID:
                return p;
            case Types.NUMERIC_OID:
                return numericFromPayload(p);
            default:
                throw Errors.feature("cannot read values of type " + t.sqlName());
        }
    }

    private static final int NUMERIC_SHORT = 0x8000;
    private static final int NUMERIC_SHORT_SIGN_MASK = 0x2000;
    private static final int NUMERIC_SHORT_DSCALE_SHIFT = 7;
    private static final int NUMERIC_SHORT_WEIGHT_SIGN_MASK = 0x0040;
    private static final int NUMERIC_SHORT_WEIGHT_MASK = 0x003F;

    /** PostgreSQL's NumericData (without the varlena header), little-endian. */
    static byte[] numericPayload(Object v) {
        Buf out = new Buf();
        if (v instanceof NumericSpecial s) {
            out.le(switch (s) {
                case NAN -> BinaryIO.NUMERIC_NAN;
                case INFINITY -> BinaryIO.NUMERIC_PINF;
                case NEGATIVE_INFINITY -> BinaryIO.NUMERIC_NINF;
            }, 2);
            return out.toByteArray();
        }
        BigDecimal d = (BigDecimal) v;
        BinaryIO.NumericDigits nd = BinaryIO.toDigits(d);
        int weight = nd.weight();
        int dscale = d.scale();
        boolean neg = d.signum() < 0;
        if (dscale <= 63 && weight <= 63 && weight >= -64) {
            int h = (neg ? NUMERIC_SHORT | NUMERIC_SHORT_SIGN_MASK : NUMERIC_SHORT) | (dscale << NUMERIC_SHORT_DSCALE_SHIFT)
                    | (weight < 0 ? NUMERIC_SHORT_WEIGHT_SIGN_MASK : 0) | (weight & NUMERIC_SHORT_WEIGHT_MASK);
            out.le(h, 2);
        } else {
            out.le((neg ? BinaryIO.NUMERIC_NEG : BinaryIO.NUMERIC_POS) | (dscale & 0x3FFF), 2);
            out.le(weight, 2);
        }
        for (short g : nd.digits()) {
            out.le(g, 2);
        }
        return out.toByteArray();
    }

    static Object numericFromPayload(byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        int h = b.getShort() & 0xFFFF;
        int weight;
        int dscale;
        boolean neg;
        if ((h & 0xC000) == 0xC000) {
            return switch (h) {
                case BinaryIO.NUMERIC_NAN -> NumericSpecial.NAN;
                case BinaryIO.NUMERIC_PINF -> NumericSpecial.INFINITY;
                case BinaryIO.NUMERIC_NINF -> NumericSpecial.NEGATIVE_INFINITY;
                default -> throw new PgException("XX001", "invalid numeric header " + Integer.toHexString(h));
            };
        }
        if ((h & NUMERIC_SHORT) != 0) {
            neg = (h & NUMERIC_SHORT_SIGN_MASK) != 0;
            dscale = (h & 0x1F80) >> NUMERIC_SHORT_DSCALE_SHIFT;
            weight = (h & NUMERIC_SHORT_WEIGHT_SIGN_MASK) != 0 ? (h & NUMERIC_SHORT_WEIGHT_MASK) | ~NUMERIC_SHORT_WEIGHT_MASK
                    : h & NUMERIC_SHORT_WEIGHT_MASK;
        } else {
            neg = (h & 0xC000) == BinaryIO.NUMERIC_NEG;
            dscale = h & 0x3FFF;
            weight = b.getShort();
        }
        short[] digits = new short[b.remaining() / 2];
        for (int i = 0; i < digits.length; i++) {
            digits[i] = b.getShort();
        }
        return BinaryIO.fromDigits(weight, digits, dscale, neg);
    }

    /** PostgreSQL's ArrayType body: ndim, dataoffset (0 = no nulls), elemtype, dims, lbounds, [bitmap], data. */
    static byte[] arrayPayload(PgArray a) {
        Type elem = a.elem();
        int ndim = a.dims().length;
        int nitems = a.values().length;
        boolean nulls = a.hasNulls();
        // offsets below are relative to the varlena start (4-byte header assumed, as PostgreSQL)
        int overhead = 4 + 12 + 8 * ndim + (nulls ? (nitems + 7) / 8 : 0);
        int dataOffset = align(overhead, 8);
        Buf out = new Buf();
        out.le(ndim, 4);
        out.le(nulls ? dataOffset : 0, 4);
        out.le(elem.oid(), 4);
        for (int d : a.dims()) {
            out.le(d, 4);
        }
        for (int lb : a.lbounds()) {
            out.le(lb, 4);
        }
        if (nulls) {
            byte[] bm = new byte[(nitems + 7) / 8];
            for (int i = 0; i < nitems; i++) {
                if (a.values()[i] != null) {
                    bm[i >> 3] |= (byte) (1 << (i & 7));
                }
            }
            out.writeBytes(bm);
        }
        // pad so that data starts at a MAXALIGN offset from the varlena start
        while (out.size() + 4 < dataOffset) {
            out.write(0);
        }
        Buf data = new Buf();
        for (Object v : a.values()) {
            if (v == null) {
                continue;
            }
            if (elem.typlen() == -1) {
                // array elements always carry 4-byte headers, aligned
                byte[] p = payload(elem, v);
                data.pad(elem.alignment());
                data.le((long) (p.length + 4) << 2, 4);
                data.writeBytes(p);
            } else {
                writeFixed(data, elem, v);
            }
            // every element, the last included, is padded to the element's alignment (as CopyArrayEls)
            data.pad(elem.alignment());
        }
        out.writeBytes(data.toByteArray());
        return out.toByteArray();
    }

    static PgArray arrayFromPayload(Type elem, byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        int ndim = b.getInt();
        int dataOffset = b.getInt();
        b.getInt();
        int[] dims = new int[ndim];
        int[] lbs = new int[ndim];
        int nitems = ndim == 0 ? 0 : 1;
        for (int i = 0; i < ndim; i++) {
            dims[i] = b.getInt();
            nitems *= dims[i];
        }
        for (int i = 0; i < ndim; i++) {
            lbs[i] = b.getInt();
        }
        byte[] bm = null;
        if (dataOffset != 0) {
            bm = new byte[(nitems + 7) / 8];
            b.get(bm);
        }
        int start = dataOffset != 0 ? dataOffset - 4 : align(4 + 12 + 8 * ndim, 8) - 4;
        ByteBuffer d = ByteBuffer.wrap(p, start, p.length - start).slice().order(ByteOrder.LITTLE_ENDIAN);
        Object[] values = new Object[nitems];
        int off = 0;
        for (int i = 0; i < nitems; i++) {
            if (bm != null && (bm[i >> 3] & (1 << (i & 7))) == 0) {
                continue;
            }
            off = align(off, elem.alignment());
            if (elem.typlen() == -1) {
                int len = d.getInt(off) >>> 2;
                byte[] e = new byte[len - 4];
                d.get(off + 4, e);
                values[i] = fromPayload(elem, e);
                off += len;
            } else {
                values[i] = readFixed(d, off, elem);
                off += elem.typlen();
            }
        }
        return new PgArray(elem, values, dims, lbs);
    }

    /** The value of a TOAST pointer at {@code off}: fetched from the TOAST table, decompressed, decoded. */
    private static Object external(Type t, byte[] d, int off, Varlena.Detoaster detoaster) {
        Varlena.ExternalPointer ptr = Varlena.ExternalPointer.read(d, off);
        if (detoaster == null) {
            throw new PgException("XX000", "unexpected external value without a TOAST table");
        }
        byte[] stored = detoaster.fetch(ptr);
        byte[] p = ptr.compressed() ? Varlena.decompress(stored, 0, stored.length) : stored;
        Object v = fromPayload(t, p);
        StoredSizes.note(v, ptr.extSize());
        return v;
    }
}
