package modgres.sql.catalog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import modgres.api.access.TupleData;

/*
 * Design notes: catalog rows in PostgreSQL's heap tuple data layout.
 *
 * Each attribute is aligned as its type's typalign asks (counted from the
 * start of the data, which the heap puts at a MAXALIGN boundary): bool,
 * "char" and name 'c'; int2 's'; int4, oid, xid, float4 'i'; int8 and
 * timestamptz 'd'; text is a varlena: values under 127 bytes get the 1-byte
 * header (length << 1 | 1, never aligned), longer ones the 4-byte header
 * (length << 2, 'i' aligned). Readers tell them apart as PostgreSQL's
 * att_align_pointer does: a non-zero byte where the value may start is a
 * 1-byte header, a zero byte is padding. Nulls are left out of the data and
 * marked in the bitmap.
 *
 * Java values: oid and xid Integer (unsigned), int2 Short, int4 Integer,
 * int8 and timestamptz Long, bool Boolean, float4 Float, name, text and
 * "char" String.
 */
/** Forms and deforms catalog rows (see the design notes). */
public final class RowCodec {
    private RowCodec() {
    }

    static int align(int type) {
        return switch (type) {
            case SysTable.BOOL, SysTable.CHAR, SysTable.NAME -> 1;
            case SysTable.INT2 -> 2;
            case SysTable.INT8, SysTable.TIMESTAMPTZ -> 8;
            default -> 4;
        };
    }

    public static TupleData form(int[] types, Object[] values) {
        int n = types.length;
        if (values.length < n) {
            // columns appended to a catalog after the code that builds its rows was written: null
            values = java.util.Arrays.copyOf(values, n);
        }
        byte[] bitmap = null;
        for (int i = 0; i < n; i++) {
            if (values[i] == null) {
                if (bitmap == null) {
                    bitmap = new byte[(n + 7) / 8];
                    for (int j = 0; j < n; j++) {
                        bitmap[j >> 3] |= (byte) (1 << (j & 7));
                    }
                }
                bitmap[i >> 3] &= (byte) ~(1 << (i & 7));
            }
        }
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        boolean varWidth = false;
        for (int i = 0; i < n; i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            int t = types[i];
            if (t == SysTable.TEXT || t == SysTable.TEXT_ARRAY) {
                varWidth = true;
                byte[] s = t == SysTable.TEXT ? ((String) v).getBytes(StandardCharsets.UTF_8)
                        : textArrayPayload((String) v);
                if (s.length + 1 < 128) {
                    b = ensure(b, 1 + s.length);
                    b.put((byte) (((s.length + 1) << 1) | 1)).put(s);
                } else {
                    b = pad(b, 4);
                    b = ensure(b, 4 + s.length);
                    b.putInt((s.length + 4) << 2).put(s);
                }
                continue;
            }
            b = pad(b, align(t));
            b = ensure(b, 64);
            switch (t) {
                case SysTable.BOOL -> b.put((byte) (((Boolean) v) ? 1 : 0));
                case SysTable.CHAR -> b.put((byte) (((String) v).isEmpty() ? 0 : ((String) v).charAt(0)));
                case SysTable.NAME -> {
                    byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
                    byte[] f = new byte[64];
                    System.arraycopy(s, 0, f, 0, Math.min(63, s.length));
                    b.put(f);
                }
                case SysTable.INT2 -> b.putShort((Short) v);
                case SysTable.INT8, SysTable.TIMESTAMPTZ -> b.putLong((Long) v);
                case SysTable.FLOAT4 -> b.putFloat((Float) v);
                default -> b.putInt((Integer) v);
            }
        }
        byte[] data = new byte[b.position()];
        b.flip().get(data);
        return new TupleData(n, bitmap, data, varWidth);
    }

    public static Object[] deform(int[] types, TupleData tuple) {
        int n = types.length;
        Object[] out = new Object[n];
        ByteBuffer b = ByteBuffer.wrap(tuple.data()).order(ByteOrder.LITTLE_ENDIAN);
        int natts = Math.min(n, tuple.natts());
        int off = 0;
        for (int i = 0; i < natts; i++) {
            if (tuple.isNull(i)) {
                continue;
            }
            int t = types[i];
            if (t == SysTable.TEXT || t == SysTable.TEXT_ARRAY) {
                int first = off < b.limit() ? b.get(off) & 0xFF : 0;
                int start;
                int len;
                if ((first & 1) == 1) {
                    len = (first >> 1) - 1;
                    start = off + 1;
                } else {
                    off = (off + 3) & ~3;
                    len = (b.getInt(off) >>> 2) - 4;
                    start = off + 4;
                }
                out[i] = t == SysTable.TEXT ? new String(tuple.data(), start, len, StandardCharsets.UTF_8)
                        : textArrayFromPayload(tuple.data(), start, len);
                off = start + len;
                continue;
            }
            int a = align(t);
            off = (off + a - 1) & -a;
            switch (t) {
                case SysTable.BOOL -> {
                    out[i] = b.get(off) != 0;
                    off += 1;
                }
                case SysTable.CHAR -> {
                    byte c = b.get(off);
                    out[i] = c == 0 ? "" : String.valueOf((char) (c & 0xFF));
                    off += 1;
                }
                case SysTable.NAME -> {
                    int len = 0;
                    while (len < 64 && tuple.data()[off + len] != 0) {
                        len++;
                    }
                    out[i] = new String(tuple.data(), off, len, StandardCharsets.UTF_8);
                    off += 64;
                }
                case SysTable.INT2 -> {
                    out[i] = b.getShort(off);
                    off += 2;
                }
                case SysTable.INT8, SysTable.TIMESTAMPTZ -> {
                    out[i] = b.getLong(off);
                    off += 8;
                }
                case SysTable.FLOAT4 -> {
                    out[i] = b.getFloat(off);
                    off += 4;
                }
                default -> {
                    out[i] = b.getInt(off);
                    off += 4;
                }
            }
        }
        return out;
    }

    /**
     * A text[] value (pg_class.reloptions) held in Java as its elements joined by commas ("fillfactor=50,
     * autovacuum_enabled=false"), stored as PostgreSQL's one-dimensional ArrayType body: ndim 1, no null bitmap,
     * element type text, dimension, lower bound 1, then each element with a 4-byte varlena header, 4-aligned.
     */
    static byte[] textArrayPayload(String joined) {
        String[] elems = joined.isEmpty() ? new String[0] : joined.split(",");
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(elems.length == 0 ? 0 : 1).putInt(0).putInt(SysTable.TEXT);
        if (elems.length > 0) {
            b.putInt(elems.length).putInt(1);
        }
        // the data starts at a MAXALIGN offset counted from a 4-byte varlena header
        b = pad4Header(b);
        for (String e : elems) {
            byte[] s = e.getBytes(StandardCharsets.UTF_8);
            b = ensure(b, 8 + s.length);
            b.putInt((s.length + 4) << 2).put(s);
            while ((b.position() & 3) != 0) {
                b.put((byte) 0);
            }
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static ByteBuffer pad4Header(ByteBuffer b) {
        while (((b.position() + 4) & 7) != 0) {
            b = ensure(b, 1);
            b.put((byte) 0);
        }
        return b;
    }

    /** The elements of a stored text[] (see {@link #textArrayPayload}), joined by commas; nulls are skipped. */
    static String textArrayFromPayload(byte[] data, int start, int len) {
        ByteBuffer p = ByteBuffer.wrap(data, start, len).slice().order(ByteOrder.LITTLE_ENDIAN);
        int ndim = p.getInt(0);
        if (ndim == 0) {
            return "";
        }
        int dataOffset = p.getInt(4);
        int nitems = 1;
        for (int d = 0; d < ndim; d++) {
            nitems *= p.getInt(12 + 4 * d);
        }
        int bitmapAt = 12 + 8 * ndim;
        int off = dataOffset != 0 ? dataOffset - 4 : ((4 + 12 + 8 * ndim + 7) & ~7) - 4;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nitems; i++) {
            if (dataOffset != 0 && (p.get(bitmapAt + (i >> 3)) & (1 << (i & 7))) == 0) {
                continue;
            }
            off = (off + 3) & ~3;
            int elen = (p.getInt(off) >>> 2) - 4;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(new String(data, start + off + 4, elen, StandardCharsets.UTF_8));
            off += 4 + elen;
        }
        return sb.toString();
    }

    private static ByteBuffer pad(ByteBuffer b, int align) {
        int p = b.position();
        int q = (p + align - 1) & -align;
        b = ensure(b, q - p);
        while (b.position() < q) {
            b.put((byte) 0);
        }
        return b;
    }

    private static ByteBuffer ensure(ByteBuffer b, int more) {
        if (b.remaining() >= more) {
            return b;
        }
        ByteBuffer nb = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + more + 64))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.flip();
        nb.put(b);
        return nb;
    }


}
