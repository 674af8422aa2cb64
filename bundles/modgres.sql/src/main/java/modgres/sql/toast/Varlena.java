package modgres.sql.toast;

/*
 * Design notes
 * ------------
 * The stored forms of a variable-length value (PostgreSQL's varatt.h, little
 * endian), as TupleCodec writes and reads them inside tuple data:
 *
 *   first byte    form                     layout
 *   ----------    ----------------------   ----------------------------------------------
 *   xxxxxxx1      short inline (1B)        (len << 1 | 1), payload          len <= 127
 *   00000001      external (1B_E)          0x01, tag 18, varatt_external (16 bytes)
 *   xxxxxx00      plain inline (4B_U)      uint32 (len << 2), payload       'i' aligned
 *   xxxxxx10      compressed inline (4B_C) uint32 (len << 2 | 2), uint32 tcinfo, data
 *
 *   tcinfo / va_extinfo: low 30 bits a size, top 2 bits the compression method
 *   (0 pglz, 1 lz4). varatt_external: int32 va_rawsize (uncompressed size plus
 *   the 4-byte header), uint32 va_extinfo (bytes stored out of line, method),
 *   oid va_valueid (chunk_id in the TOAST table), oid va_toastrelid.
 *
 * An external value's chunks hold, concatenated, the stored bytes without
 * the varlena header: for a compressed value tcinfo + data (so extsize =
 * compressed length + 4), else the raw payload. It is compressed exactly when
 * extsize < rawsize - 4 (VARATT_EXTERNAL_IS_COMPRESSED).
 *
 * A value the toaster already encoded travels to TupleCodec as a Stored
 * object (the complete image, header included), which it copies verbatim:
 * 4-byte-header images aligned as the type asks, 1-byte ones unaligned.
 */
/** PostgreSQL's varlena stored forms: compressed inline values and external TOAST pointers. */
public final class Varlena {
    private Varlena() {
    }

    /** PostgreSQL's TOAST_TUPLE_THRESHOLD / TOAST_TUPLE_TARGET for 8 kB pages. */
    public static final int TOAST_TUPLE_THRESHOLD = 2032;
    /** TOAST_TUPLE_TARGET_MAIN: the limit before MAIN columns are moved out of line. */
    public static final int TOAST_TUPLE_TARGET_MAIN = 8160;
    /** TOAST_MAX_CHUNK_SIZE for 8 kB pages. */
    public static final int TOAST_MAX_CHUNK_SIZE = 1996;
    /** VARTAG_ONDISK. */
    public static final int VARTAG_ONDISK = 18;
    /** The size of an external pointer datum (header, tag, varatt_external). */
    public static final int TOAST_POINTER_SIZE = 18;
    public static final int METHOD_PGLZ = 0;
    public static final int METHOD_LZ4 = 1;

    /** A value already in its stored form (header included), written verbatim by TupleCodec. */
    public record Stored(byte[] image) {
        /** True for a 1-byte header (short or external): never aligned. */
        public boolean shortHeader() {
            return (image[0] & 1) == 1;
        }
    }

    /** PostgreSQL's varatt_external. */
    public record ExternalPointer(int rawSize, int extInfo, int valueId, int toastRelid) {
        /** Bytes stored out of line. */
        public int extSize() {
            return extInfo & 0x3FFFFFFF;
        }

        public int method() {
            return extInfo >>> 30;
        }

        public boolean compressed() {
            return extSize() < rawSize - 4;
        }

        public byte[] image() {
            byte[] b = new byte[TOAST_POINTER_SIZE];
            b[0] = 0x01;
            b[1] = (byte) VARTAG_ONDISK;
            putInt(b, 2, rawSize);
            putInt(b, 6, extInfo);
            putInt(b, 10, valueId);
            putInt(b, 14, toastRelid);
            return b;
        }

        public static ExternalPointer read(byte[] b, int off) {
            if ((b[off + 1] & 0xFF) != VARTAG_ONDISK) {
                throw new IllegalStateException("unexpected varlena tag " + (b[off + 1] & 0xFF));
            }
            return new ExternalPointer(getInt(b, off + 2), getInt(b, off + 6), getInt(b, off + 10),
                    getInt(b, off + 14));
        }
    }

    /** A compressed inline image: 4-byte header (len << 2 | 2), tcinfo, data. */
    public static byte[] compressedImage(byte[] data, int rawSize, int method) {
        byte[] b = new byte[8 + data.length];
        putInt(b, 0, (b.length << 2) | 2);
        putInt(b, 4, rawSize | (method << 30));
        System.arraycopy(data, 0, b, 8, data.length);
        return b;
    }

    /** A plain inline image of {@code payload}: short header when it fits in 127 bytes, else 4-byte. */
    public static byte[] plainImage(byte[] payload) {
        if (payload.length + 1 <= 127) {
            byte[] b = new byte[payload.length + 1];
            b[0] = (byte) (((payload.length + 1) << 1) | 1);
            System.arraycopy(payload, 0, b, 1, payload.length);
            return b;
        }
        byte[] b = new byte[payload.length + 4];
        putInt(b, 0, (payload.length + 4) << 2);
        System.arraycopy(payload, 0, b, 4, payload.length);
        return b;
    }

    /** The payload of a compressed image ({@link #compressedImage}) or of tcinfo + data fetched out of line. */
    public static byte[] decompress(byte[] b, int tcinfoOff, int end) {
        int tcinfo = getInt(b, tcinfoOff);
        int raw = tcinfo & 0x3FFFFFFF;
        int method = tcinfo >>> 30;
        if (method == METHOD_LZ4) {
            return Lz4.decompress(b, tcinfoOff + 4, end - tcinfoOff - 4, raw);
        }
        return Pglz.decompress(b, tcinfoOff + 4, end - tcinfoOff - 4, raw);
    }

    /** Compresses a payload with {@code method}; null when it does not compress well enough. */
    public static byte[] compress(byte[] payload, int method) {
        return method == METHOD_LZ4 ? Lz4.compress(payload, payload.length) : Pglz.compress(payload, payload.length);
    }

    /** Reads chunks of an external value: the stored bytes (extsize of them) of {@code p}. */
    @FunctionalInterface
    public interface Detoaster {
        byte[] fetch(ExternalPointer p);
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
