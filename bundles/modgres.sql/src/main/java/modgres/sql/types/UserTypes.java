package modgres.sql.types;

/*
 * Design notes
 * ------------
 * User-defined types (CREATE TYPE ... AS (...) and CREATE TYPE ... AS ENUM)
 * next to the built-in table of Types.
 *
 * Registry. Type OIDs come from the cluster-wide OID counter, so one OID is one
 * type in every database: the registry is a single concurrent map by OID that
 * Types.byOid falls back to. The catalog (pg_type, pg_enum, the composite's
 * pg_attribute rows) is the truth; each catalog view a session loads defines
 * the types it sees here (define() replaces an older descriptor of the same
 * OID), and DROP TYPE forgets them. Names are never looked up here: they
 * belong to schemas and the search_path, which the engine resolves against its
 * catalog view before asking for the OID.
 *
 * Enum labels have OIDs of their own (pg_enum.oid), which is what a stored
 * enum value is; the label registry maps them back to the PgEnum value.
 *
 * Composite values (PgRecord) carry their field types, so input/output,
 * comparison and the stored form below need nothing but the value (and, for
 * input, the type's fields). Stored form (the varlena payload): the type OID
 * (int32), the field count (int16), a null-bitmap flag byte, the bitmap and the
 * fields as a heap tuple's data (TupleCodec), as PostgreSQL stores a composite
 * datum as a tuple with its type's OID in the header.
 *
 * Text forms are PostgreSQL's record_in / record_out: "(f1,f2,...)", an empty
 * unquoted field is NULL, a field is quoted when empty or when it contains
 * a quote, backslash, parenthesis, comma or white space, quotes and
 * backslashes doubled inside quotes (input also takes backslash escapes).
 */

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import modgres.api.access.TupleData;
import modgres.api.error.PgException;

/** The registry of user-defined types and the behaviour of composite and enum values; see the design notes. */
public final class UserTypes {
    private UserTypes() {
    }

    /** A composite type's fields: names, types and typmods, in attnum order. */
    public record Fields(List<String> names, int[] types, int[] typmods) {
        public int index(String name) {
            return names.indexOf(name);
        }
    }

    /** An enum type's labels, in sort order. */
    public record Labels(List<PgEnum> values) {
        public PgEnum byLabel(String label) {
            for (PgEnum e : values) {
                if (e.label().equals(label)) {
                    return e;
                }
            }
            return null;
        }
    }

    private static final Map<Integer, Type> BY_OID = new ConcurrentHashMap<>();
    private static final Map<Integer, PgEnum> LABELS = new ConcurrentHashMap<>();

    /** The user-defined type with this OID, or null. */
    public static Type byOid(int oid) {
        return BY_OID.get(oid);
    }

    /** The enum value stored as {@code labelOid}, or null. */
    public static PgEnum label(int labelOid) {
        return LABELS.get(labelOid);
    }

    /** A composite type (typtype 'c', category 'C') and its array type, registered. */
    public static Type defineComposite(int oid, String name, int namespace, int arrayOid, int relid, Fields fields) {
        Type t = new Type(oid, name, namespace, -1, false, 'd', 'C', arrayOid, 0, 'c', relid, fields, null,
                "record_in", "record_out");
        BY_OID.put(oid, t);
        defineArray(arrayOid, t);
        return t;
    }

    /** An enum type (typtype 'e', category 'E') with its labels and its array type, registered. */
    public static Type defineEnum(int oid, String name, int namespace, int arrayOid, List<PgEnum> labels) {
        List<PgEnum> sorted = new ArrayList<>(labels);
        sorted.sort((a, b) -> Float.compare(a.sortOrder(), b.sortOrder()));
        Type t = new Type(oid, name, namespace, 4, true, 'i', 'E', arrayOid, 0, 'e', 0, null,
                new Labels(List.copyOf(sorted)), "enum_in", "enum_out");
        BY_OID.put(oid, t);
        for (PgEnum e : sorted) {
            LABELS.put(e.labelOid(), e);
        }
        defineArray(arrayOid, t);
        return t;
    }

    private static void defineArray(int arrayOid, Type elem) {
        if (arrayOid != 0) {
            BY_OID.put(arrayOid, new Type(arrayOid, "_" + elem.typname(), elem.namespace(), -1, false, 'd', 'A', 0,
                    elem.oid(), 'b', 0, null, null, "array_in", "array_out"));
        }
    }

    /** Forgets a dropped type (and its array type and labels). */
    public static void forget(int oid) {
        Type t = BY_OID.remove(oid);
        if (t != null && t.arrayOid() != 0) {
            BY_OID.remove(t.arrayOid());
        }
        if (t != null && t.labels() != null) {
            for (PgEnum e : t.labels().values()) {
                LABELS.remove(e.labelOid());
            }
        }
    }

    /**
     * A domain (CREATE DOMAIN, typtype 'd'): its values are values of its base type, so its OID, and the OID of
     * the array type beside it, stand for the base type's descriptor and the base type's array type's. (The
     * engine keeps what makes a domain more than its base type: name, constraints, default.)
     */
    public static void defineDomain(int oid, int arrayOid, Type base) {
        BY_OID.put(oid, base);
        Type array = base.arrayOid() == 0 ? null : Types.byOid(base.arrayOid());
        if (arrayOid != 0 && array != null) {
            BY_OID.put(arrayOid, array);
        }
    }

    // ------------------------------------------------------------------ anonymous record shapes

    /** The field names and types of an anonymous record (ROW(...), a whole-row reference). */
    public record Shape(List<String> names, int[] types) {
    }

    private static final Map<String, Integer> SHAPE_IDS = new ConcurrentHashMap<>();
    private static final List<Shape> SHAPES = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * The typmod that identifies an anonymous record's shape (PostgreSQL's "blessed" record typmods), so field
     * selection by name and casts can be resolved when the expression is planned. Shapes are kept for the life
     * of the server; equal shapes share one typmod.
     */
    public static synchronized int bless(List<String> names, int[] types) {
        String key = String.join("\u0000", names) + "/" + java.util.Arrays.toString(types);
        Integer id = SHAPE_IDS.get(key);
        if (id == null) {
            SHAPES.add(new Shape(List.copyOf(names), types.clone()));
            id = SHAPES.size() - 1;
            SHAPE_IDS.put(key, id);
        }
        return id;
    }

    /** The shape of a blessed record typmod, or null. */
    public static Shape shape(int typmod) {
        return typmod >= 0 && typmod < SHAPES.size() ? SHAPES.get(typmod) : null;
    }

    // ------------------------------------------------------------------ enum

    /** enum_in: 22P02 for a label the type does not have. */
    public static PgEnum enumIn(Type t, String s) {
        PgEnum e = t.labels().byLabel(s);
        if (e == null) {
            throw new PgException("22P02", "invalid input value for enum " + t.sqlName() + ": \"" + s + "\"");
        }
        return e;
    }

    /** A stored enum value (its label's OID) read back; XX000 when the label is unknown. */
    public static PgEnum enumFromOid(int labelOid) {
        PgEnum e = LABELS.get(labelOid);
        if (e == null) {
            throw new PgException("22P02", "invalid internal value for enum: " + Integer.toUnsignedString(labelOid));
        }
        return e;
    }

    // ------------------------------------------------------------------ composite text I/O

    /** record_out. */
    public static String recordOut(PgRecord r, SessionContext ctx) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < r.values().length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = r.values()[i];
            if (v == null) {
                continue;
            }
            String s = TextIO.output(Types.byOid(r.fieldTypes()[i]), v, ctx);
            boolean quote = s.isEmpty();
            for (int k = 0; k < s.length() && !quote; k++) {
                char c = s.charAt(k);
                quote = c == '"' || c == '\\' || c == '(' || c == ')' || c == ',' || Character.isWhitespace(c);
            }
            if (quote) {
                sb.append('"');
            }
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                if (quote && (c == '"' || c == '\\')) {
                    sb.append(c);
                }
                sb.append(c);
            }
            if (quote) {
                sb.append('"');
            }
        }
        return sb.append(')').toString();
    }

    private static PgException malformed(String s, String detail) {
        return new PgException("22P02", "malformed record literal: \"" + s + "\"", detail, null);
    }

    /** record_in for a named composite type. */
    public static PgRecord recordIn(Type t, String s, SessionContext ctx) {
        if (!t.isComposite()) {
            throw new PgException("0A000", "input of anonymous composite types is not implemented");
        }
        Fields f = t.fields();
        int n = f.types().length;
        Object[] values = new Object[n];
        int i = 0;
        int len = s.length();
        while (i < len && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= len || s.charAt(i) != '(') {
            throw malformed(s, "Missing left parenthesis.");
        }
        i++;
        for (int field = 0; field < n; field++) {
            if (field > 0) {
                if (i < len && s.charAt(i) == ',') {
                    i++;
                } else {
                    throw malformed(s, "Too few columns.");
                }
            }
            if (i < len && (s.charAt(i) == ',' || s.charAt(i) == ')')) {
                continue; // an empty unquoted field: NULL
            }
            StringBuilder sb = new StringBuilder();
            boolean inQuote = false;
            while (true) {
                if (i >= len) {
                    throw malformed(s, "Unexpected end of input.");
                }
                char c = s.charAt(i);
                if (c == '\\') {
                    if (i + 1 >= len) {
                        throw malformed(s, "Unexpected end of input.");
                    }
                    sb.append(s.charAt(i + 1));
                    i += 2;
                } else if (c == '"') {
                    if (!inQuote) {
                        inQuote = true;
                    } else if (i + 1 < len && s.charAt(i + 1) == '"') {
                        sb.append('"');
                        i++;
                    } else {
                        inQuote = false;
                    }
                    i++;
                } else if (!inQuote && (c == ',' || c == ')')) {
                    break;
                } else {
                    sb.append(c);
                    i++;
                }
            }
            values[field] = TextIO.input(Types.byOid(f.types()[field]), f.typmods()[field], sb.toString(), ctx);
        }
        if (i >= len || s.charAt(i) != ')') {
            throw malformed(s, "Too many columns.");
        }
        i++;
        while (i < len && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i < len) {
            throw malformed(s, "Junk after right parenthesis.");
        }
        return new PgRecord(t.oid(), f.types(), values);
    }

    // ------------------------------------------------------------------ comparison

    /**
     * btree order of two composite values (record_cmp): field by field, a NULL field after any value and equal
     * to another NULL. 42804 when the field types differ, 0A000... as PostgreSQL for a differing field count.
     */
    public static int compareRecords(PgRecord a, PgRecord b) {
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
            int ta = a.fieldTypes()[i];
            int tb = b.fieldTypes()[i];
            Type t = Types.byOid(ta);
            if (ta != tb) {
                Type other = Types.byOid(tb);
                if (t.typcategory() == other.typcategory() && t.typcategory() == 'N') {
                    int c = NumericOps.compare(Casts.coerce(t, Types.NUMERIC, -1, x, Casts.Context.IMPLICIT, null),
                            Casts.coerce(other, Types.NUMERIC, -1, y, Casts.Context.IMPLICIT, null));
                    if (c != 0) {
                        return c;
                    }
                    continue;
                }
                throw new PgException("42804", "cannot compare dissimilar column types " + t.sqlName() + " and "
                        + other.sqlName() + " at record column " + (i + 1));
            }
            int c = Compare.compare(t, x, y);
            if (c != 0) {
                return c;
            }
        }
        if (a.values().length != b.values().length) {
            throw new PgException("42804", "cannot compare record types with different numbers of columns");
        }
        return 0;
    }

    /** A hash consistent with {@link #compareRecords} equality. */
    public static int hashRecord(PgRecord r) {
        int h = 1;
        for (int i = 0; i < r.values().length; i++) {
            h = h * 31 + (r.values()[i] == null ? 0 : Compare.hash(Types.byOid(r.fieldTypes()[i]), r.values()[i]));
        }
        return h;
    }

    // ------------------------------------------------------------------ stored form

    /** The varlena payload of a composite value (see the design notes). */
    public static byte[] recordPayload(PgRecord r) {
        int n = r.fieldTypes().length;
        Type[] types = new Type[n];
        for (int i = 0; i < n; i++) {
            types[i] = Types.byOid(r.fieldTypes()[i]);
        }
        TupleData d = TupleCodec.form(types, r.values());
        byte[] bitmap = d.nullBitmap();
        ByteBuffer b = ByteBuffer.allocate(7 + (bitmap == null ? 0 : bitmap.length) + d.data().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(r.typeOid()).putShort((short) n).put((byte) (bitmap == null ? 0 : 1));
        if (bitmap != null) {
            b.put(bitmap);
        }
        b.put(d.data());
        return b.array();
    }

    /** A composite value from its payload; {@code t} is the column's type (its fields when the payload's is gone). */
    public static PgRecord recordFromPayload(Type t, byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        int typeOid = b.getInt();
        int n = b.getShort();
        boolean hasBitmap = b.get() != 0;
        byte[] bitmap = null;
        if (hasBitmap) {
            bitmap = new byte[(n + 7) / 8];
            b.get(bitmap);
        }
        byte[] data = new byte[b.remaining()];
        b.get(data);
        Type ct = Types.byOid(typeOid);
        if (ct == null || !ct.isComposite()) {
            ct = t;
        }
        if (ct == null || !ct.isComposite()) {
            throw new PgException("42704", "type with OID " + Integer.toUnsignedString(typeOid) + " does not exist");
        }
        int[] ft = ct.fields().types();
        Type[] types = new Type[ft.length];
        for (int i = 0; i < ft.length; i++) {
            types[i] = Types.byOid(ft[i]);
        }
        Object[] values = TupleCodec.deform(types, new TupleData(n, bitmap, data, true), ft.length);
        return new PgRecord(ct.oid(), ft, values);
    }
}
