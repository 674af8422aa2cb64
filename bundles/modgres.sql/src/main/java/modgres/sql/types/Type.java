package modgres.sql.types;

/*
 * Design notes
 * ------------
 * An immutable descriptor of one built-in type, carrying the pg_type columns
 * the engine and the storage code need. Instances are created only by Types
 * (one per oid), so identity comparison (==) is equality. Array types point at
 * their element by oid (elemOid != 0) and scalars at their array type
 * (arrayOid), as pg_type.typelem / typarray do.
 *
 * typmod conventions are PostgreSQL's (-1 = none):
 *   varchar(n), bpchar(n)   n + 4 (VARHDRSZ)
 *   numeric(p,s)            ((p << 16) | (s & 0x7ff)) + 4
 *   time(p), timestamp(p)   p
 *   interval                (range << 16) | p, p = 0xFFFF for "full precision"
 */

import java.util.Objects;

/** One built-in type: the pg_type facts the engine, the wire protocol and the storage need. */
public final class Type {
    /** Interval typmod range bits (as PostgreSQL's INTERVAL_MASK). */
    public static final int INTERVAL_FULL_RANGE = 0x7FFF;
    public static final int INTERVAL_FULL_PRECISION = 0xFFFF;

    private final int oid;
    private final String typname;
    private final String sqlName;
    private final int typlen;
    private final boolean typbyval;
    private final char typalign;
    private final char typcategory;
    private final boolean typispreferred;
    private final int arrayOid;
    private final int elemOid;
    private final String typinput;
    private final String typoutput;
    /** pg_type.typtype: 'b' base, 'p' pseudo, 'c' composite, 'e' enum (user types: see {@link UserTypes}). */
    private final char typtype;
    /** Of a user-defined type: the schema, and for a composite its pg_class row and fields; else 0 / null. */
    private final int namespace;
    private final int typrelid;
    private final UserTypes.Fields fields;
    private final UserTypes.Labels labels;

    /** A user-defined type (CREATE TYPE): composite ({@code fields}), enum ({@code labels}) or an array of one. */
    Type(int oid, String typname, int namespace, int typlen, boolean typbyval, char typalign, char typcategory,
            int arrayOid, int elemOid, char typtype, int typrelid, UserTypes.Fields fields, UserTypes.Labels labels,
            String typinput, String typoutput) {
        this.oid = oid;
        this.typname = typname;
        this.sqlName = elemOid != 0 ? Types.byOid(elemOid).sqlName() + "[]" : typname;
        this.typlen = typlen;
        this.typbyval = typbyval;
        this.typalign = typalign;
        this.typcategory = typcategory;
        this.typispreferred = false;
        this.arrayOid = arrayOid;
        this.elemOid = elemOid;
        this.typinput = typinput;
        this.typoutput = typoutput;
        this.typtype = typtype;
        this.namespace = namespace;
        this.typrelid = typrelid;
        this.fields = fields;
        this.labels = labels;
    }

    Type(int oid, String typname, String sqlName, int typlen, boolean typbyval, char typalign, char typcategory,
            boolean typispreferred, int arrayOid, int elemOid, String typinput, String typoutput) {
        this.oid = oid;
        this.typname = typname;
        this.sqlName = sqlName;
        this.typlen = typlen;
        this.typbyval = typbyval;
        this.typalign = typalign;
        this.typcategory = typcategory;
        this.typispreferred = typispreferred;
        this.arrayOid = arrayOid;
        this.elemOid = elemOid;
        this.typinput = typinput;
        this.typoutput = typoutput;
        this.typtype = typcategory == 'P' ? 'p' : 'b';
        this.namespace = 11;
        this.typrelid = 0;
        this.fields = null;
        this.labels = null;
    }

    /** pg_type.typtype: 'b' base, 'p' pseudo, 'c' composite, 'e' enum. */
    public char typtype() {
        return typtype;
    }

    /** pg_type.typnamespace (11 = pg_catalog for the built-in types). */
    public int namespace() {
        return namespace;
    }

    /** pg_type.typrelid: the pg_class row of a composite type, else 0. */
    public int typrelid() {
        return typrelid;
    }

    /** A composite type's fields (names, types, typmods), else null. */
    public UserTypes.Fields fields() {
        return fields;
    }

    /** An enum type's labels in sort order, else null. */
    public UserTypes.Labels labels() {
        return labels;
    }

    public boolean isComposite() {
        return typtype == 'c';
    }

    public boolean isEnum() {
        return typtype == 'e';
    }

    public int oid() {
        return oid;
    }

    /** pg_type.typname, e.g. {@code int4}, {@code _int4}. */
    public String typname() {
        return typname;
    }

    /** What format_type prints without a typmod (error messages), e.g. {@code integer}, {@code integer[]}. */
    public String sqlName() {
        return sqlName;
    }

    /** Fixed length in bytes, -1 for varlena, -2 for cstring-like (unknown). */
    public int typlen() {
        return typlen;
    }

    public boolean typbyval() {
        return typbyval;
    }

    /** 'c', 's', 'i' or 'd'. */
    public char typalign() {
        return typalign;
    }

    /** PostgreSQL's category letter: B N S D T U V A P X Z. */
    public char typcategory() {
        return typcategory;
    }

    public boolean typispreferred() {
        return typispreferred;
    }

    /** The oid of the array type over this type, 0 when none. */
    public int arrayOid() {
        return arrayOid;
    }

    /** For an array type, the element's oid; else 0. */
    public int elemOid() {
        return elemOid;
    }

    public boolean isArray() {
        return elemOid != 0 && typcategory == 'A';
    }

    /** The element type of an array type, null for scalars. */
    public Type elem() {
        return isArray() ? Types.byOid(elemOid) : null;
    }

    /** The array type over this type, null when none. */
    public Type array() {
        return arrayOid == 0 ? null : Types.byOid(arrayOid);
    }

    public String typinput() {
        return typinput;
    }

    public String typoutput() {
        return typoutput;
    }

    /** True for text, varchar, bpchar, name and unknown: the string-like types. */
    public boolean isStringLike() {
        return typcategory == 'S' || oid == Types.UNKNOWN_OID;
    }

    /** Alignment in bytes (1, 2, 4, 8). */
    public int alignment() {
        return switch (typalign) {
            case 's' -> 2;
            case 'i' -> 4;
            case 'd' -> 8;
            default -> 1;
        };
    }

    /**
     * The name format_type(oid, typmod) prints, e.g. {@code character varying(10)},
     * {@code numeric(5,2)}, {@code timestamp(3) without time zone}; with typmod -1
     * the plain name (bpchar with an explicit -1 prints {@code bpchar}, as PostgreSQL).
     */
    public String format(int typmod) {
        if (isArray()) {
            return elem().format(typmod) + "[]";
        }
        switch (oid) {
            case Types.BPCHAR_OID:
                return typmod >= 4 ? "character(" + (typmod - 4) + ")" : "bpchar";
            case Types.VARCHAR_OID:
                return typmod >= 4 ? "character varying(" + (typmod - 4) + ")" : sqlName;
            case Types.NUMERIC_OID:
                if (typmod >= 4) {
                    int t = typmod - 4;
                    int scale = ((t & 0x7ff) ^ 1024) - 1024;
                    return "numeric(" + ((t >> 16) & 0xffff) + "," + scale + ")";
                }
                return sqlName;
            case Types.TIME_OID:
                return typmod >= 0 ? "time(" + typmod + ") without time zone" : sqlName;
            case Types.TIMESTAMP_OID:
                return typmod >= 0 ? "timestamp(" + typmod + ") without time zone" : sqlName;
            case Types.TIMESTAMPTZ_OID:
                return typmod >= 0 ? "timestamp(" + typmod + ") with time zone" : sqlName;
            case Types.INTERVAL_OID:
                return typmod >= 0 ? "interval" + intervalFields(typmod >> 16 & 0x7FFF) + intervalPrecision(typmod & 0xFFFF)
                        : sqlName;
            default:
                return sqlName;
        }
    }

    private static String intervalPrecision(int p) {
        return p == INTERVAL_FULL_PRECISION ? "" : "(" + p + ")";
    }

    private static String intervalFields(int range) {
        return switch (range) {
            case INTERVAL_FULL_RANGE -> "";
            default -> {
                String s = IntervalFields.name(range);
                yield s == null ? "" : " " + s;
            }
        };
    }

    @Override
    public String toString() {
        return sqlName;
    }

    @Override
    public int hashCode() {
        return Objects.hash(oid);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Type t && t.oid == oid;
    }
}
