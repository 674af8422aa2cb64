package modgres.sql.types;

/*
 * Design notes
 * ------------
 * The built-in type table: one Type per oid, with the pg_type values of
 * PostgreSQL 15 (checked against a real server). Lookups by oid and by every
 * SQL spelling of a name the grammar produces ("character varying", varchar,
 * int, int4, integer, "double precision", ...). Array types exist for every
 * scalar that has one in PostgreSQL. The table is built once in the static
 * initialiser and never changes.
 */

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import modgres.api.error.PgException;

/** The built-in types: constants, lookups by oid and name, and typmod construction. */
public final class Types {
    public static final int BOOL_OID = 16;
    public static final int BYTEA_OID = 17;
    public static final int CHAR_OID = 18;
    public static final int NAME_OID = 19;
    public static final int INT8_OID = 20;
    public static final int INT2_OID = 21;
    public static final int INT4_OID = 23;
    public static final int TEXT_OID = 25;
    public static final int OID_OID = 26;
    public static final int FLOAT4_OID = 700;
    public static final int FLOAT8_OID = 701;
    public static final int UNKNOWN_OID = 705;
    public static final int BPCHAR_OID = 1042;
    public static final int VARCHAR_OID = 1043;
    public static final int DATE_OID = 1082;
    public static final int TIME_OID = 1083;
    public static final int TIMESTAMP_OID = 1114;
    public static final int TIMESTAMPTZ_OID = 1184;
    public static final int INTERVAL_OID = 1186;
    public static final int NUMERIC_OID = 1700;
    public static final int REGCLASS_OID = 2205;
    public static final int REGTYPE_OID = 2206;
    public static final int REGNAMESPACE_OID = 4089;
    public static final int ANY_OID = 2276;
    public static final int ANYELEMENT_OID = 2283;
    public static final int ANYARRAY_OID = 2277;
    public static final int ANYNONARRAY_OID = 2776;
    public static final int VOID_OID = 2278;
    public static final int RECORD_OID = 2249;
    public static final int UUID_OID = 2950;
    public static final int PG_LSN_OID = 3220;
    public static final int XID_OID = 28;
    public static final int XID8_OID = 5069;

    private static final Map<Integer, Type> BY_OID = new HashMap<>();
    /**
     * The built-in types by oid for oids below its length: byOid is called per value compared, hashed and
     * deformed, and an array index is several times cheaper than the boxed HashMap lookup (a visible share
     * of scan and sort profiles). Written only while the class initialises.
     */
    private static final Type[] SMALL_OIDS = new Type[8192];
    private static final Map<String, Type> BY_NAME = new HashMap<>();
    private static final List<Type> ALL = new ArrayList<>();

    // scalar(oid, typname, sqlName, len, byval, align, category, preferred, arrayOid, in, out)
    public static final Type BOOL = scalar(16, "bool", "boolean", 1, true, 'c', 'B', true, 1000, "boolin", "boolout");
    public static final Type BYTEA = scalar(17, "bytea", "bytea", -1, false, 'i', 'U', false, 1001, "byteain", "byteaout");
    public static final Type CHAR = scalar(18, "char", "\"char\"", 1, true, 'c', 'Z', false, 1002, "charin", "charout");
    public static final Type NAME = scalar(19, "name", "name", 64, false, 'c', 'S', false, 1003, "namein", "nameout");
    public static final Type INT8 = scalar(20, "int8", "bigint", 8, true, 'd', 'N', false, 1016, "int8in", "int8out");
    public static final Type INT2 = scalar(21, "int2", "smallint", 2, true, 's', 'N', false, 1005, "int2in", "int2out");
    public static final Type INT4 = scalar(23, "int4", "integer", 4, true, 'i', 'N', false, 1007, "int4in", "int4out");
    public static final Type TEXT = scalar(25, "text", "text", -1, false, 'i', 'S', true, 1009, "textin", "textout");
    public static final Type OID = scalar(26, "oid", "oid", 4, true, 'i', 'N', true, 1028, "oidin", "oidout");
    public static final Type FLOAT4 = scalar(700, "float4", "real", 4, true, 'i', 'N', false, 1021, "float4in", "float4out");
    public static final Type FLOAT8 = scalar(701, "float8", "double precision", 8, true, 'd', 'N', true, 1022, "float8in",
            "float8out");
    public static final Type UNKNOWN = scalar(705, "unknown", "unknown", -2, false, 'c', 'X', false, 0, "unknownin",
            "unknownout");
    public static final Type BPCHAR = scalar(1042, "bpchar", "character", -1, false, 'i', 'S', false, 1014, "bpcharin",
            "bpcharout");
    public static final Type VARCHAR = scalar(1043, "varchar", "character varying", -1, false, 'i', 'S', false, 1015,
            "varcharin", "varcharout");
    public static final Type DATE = scalar(1082, "date", "date", 4, true, 'i', 'D', false, 1182, "date_in", "date_out");
    public static final Type TIME = scalar(1083, "time", "time without time zone", 8, true, 'd', 'D', false, 1183, "time_in",
            "time_out");
    public static final Type TIMESTAMP = scalar(1114, "timestamp", "timestamp without time zone", 8, true, 'd', 'D', false,
            1115, "timestamp_in", "timestamp_out");
    public static final Type TIMESTAMPTZ = scalar(1184, "timestamptz", "timestamp with time zone", 8, true, 'd', 'D', true,
            1185, "timestamptz_in", "timestamptz_out");
    public static final Type INTERVAL = scalar(1186, "interval", "interval", 16, false, 'd', 'T', true, 1187, "interval_in",
            "interval_out");
    public static final Type NUMERIC = scalar(1700, "numeric", "numeric", -1, false, 'i', 'N', false, 1231, "numeric_in",
            "numeric_out");
    public static final Type REGCLASS = scalar(2205, "regclass", "regclass", 4, true, 'i', 'N', false, 2210, "regclassin",
            "regclassout");
    public static final Type REGTYPE = scalar(2206, "regtype", "regtype", 4, true, 'i', 'N', false, 2211, "regtypein",
            "regtypeout");
    public static final Type REGNAMESPACE = scalar(4089, "regnamespace", "regnamespace", 4, true, 'i', 'N', false, 4090,
            "regnamespacein", "regnamespaceout");
    public static final Type VOID = scalar(2278, "void", "void", 4, true, 'i', 'P', false, 0, "void_in", "void_out");
    public static final Type UUID = scalar(2950, "uuid", "uuid", 16, false, 'c', 'U', false, 2951, "uuid_in", "uuid_out");
    public static final Type PG_LSN = scalar(3220, "pg_lsn", "pg_lsn", 8, true, 'd', 'U', false, 3221, "pg_lsn_in",
            "pg_lsn_out");

    /** Pseudo-types used in function signatures only (never values). */
    public static final Type ANY = scalar(2276, "any", "\"any\"", 4, true, 'i', 'P', false, 0, "any_in", "any_out");
    public static final Type ANYELEMENT = scalar(2283, "anyelement", "anyelement", 4, true, 'i', 'P', false, 0,
            "anyelement_in", "anyelement_out");
    public static final Type ANYARRAY = scalar(2277, "anyarray", "anyarray", -1, false, 'd', 'P', false, 0, "anyarray_in",
            "anyarray_out");
    public static final Type ANYNONARRAY = scalar(2776, "anynonarray", "anynonarray", 4, true, 'i', 'P', false, 0,
            "anynonarray_in", "anynonarray_out");
    public static final Type RECORD = scalar(2249, "record", "record", -1, false, 'd', 'P', false, 0, "record_in",
            "record_out");

    public static final Type BOOL_ARRAY = array(1000, BOOL);
    public static final Type BYTEA_ARRAY = array(1001, BYTEA);
    public static final Type CHAR_ARRAY = array(1002, CHAR);
    public static final Type NAME_ARRAY = array(1003, NAME);
    public static final Type INT2_ARRAY = array(1005, INT2);
    public static final Type INT4_ARRAY = array(1007, INT4);
    public static final Type TEXT_ARRAY = array(1009, TEXT);
    public static final Type BPCHAR_ARRAY = array(1014, BPCHAR);
    public static final Type VARCHAR_ARRAY = array(1015, VARCHAR);
    public static final Type INT8_ARRAY = array(1016, INT8);
    public static final Type FLOAT4_ARRAY = array(1021, FLOAT4);
    public static final Type FLOAT8_ARRAY = array(1022, FLOAT8);
    public static final Type OID_ARRAY = array(1028, OID);
    public static final Type TIMESTAMP_ARRAY = array(1115, TIMESTAMP);
    public static final Type DATE_ARRAY = array(1182, DATE);
    public static final Type TIME_ARRAY = array(1183, TIME);
    public static final Type TIMESTAMPTZ_ARRAY = array(1185, TIMESTAMPTZ);
    public static final Type INTERVAL_ARRAY = array(1187, INTERVAL);
    public static final Type NUMERIC_ARRAY = array(1231, NUMERIC);
    public static final Type REGCLASS_ARRAY = array(2210, REGCLASS);
    public static final Type REGTYPE_ARRAY = array(2211, REGTYPE);
    public static final Type REGNAMESPACE_ARRAY = array(4090, REGNAMESPACE);
    public static final Type UUID_ARRAY = array(2951, UUID);
    public static final Type PG_LSN_ARRAY = array(3221, PG_LSN);
    /** Transaction ids: xid (32-bit, Long unsigned) and xid8 (64-bit with epoch, Long unsigned). */
    public static final Type XID = scalar(28, "xid", "xid", 4, true, 'i', 'U', false, 1011, "xidin", "xidout");
    public static final Type XID8 = scalar(5069, "xid8", "xid8", 8, true, 'd', 'U', false, 271, "xid8in", "xid8out");
    public static final Type XID_ARRAY = array(1011, XID);
    public static final Type XID8_ARRAY = array(271, XID8);

    static {
        alias(BOOL, "boolean");
        alias(INT2, "smallint");
        alias(INT4, "integer", "int");
        alias(INT8, "bigint");
        alias(FLOAT4, "real", "float4");
        alias(FLOAT8, "double precision", "float", "float8");
        alias(NUMERIC, "decimal", "dec");
        alias(BPCHAR, "character", "char", "bpchar");
        alias(CHAR, "\"char\"");
        alias(VARCHAR, "character varying", "char varying", "varchar");
        alias(TIME, "time without time zone", "time");
        alias(TIMESTAMP, "timestamp without time zone", "timestamp");
        alias(TIMESTAMPTZ, "timestamp with time zone", "timestamptz");
        alias(UUID, "uuid");
        alias(ANY, "any");
    }

    private Types() {
    }

    private static Type scalar(int oid, String typname, String sqlName, int len, boolean byval, char align, char cat,
            boolean pref, int arrayOid, String in, String out) {
        Type t = new Type(oid, typname, sqlName, len, byval, align, cat, pref, arrayOid, 0, in, out);
        register(t);
        BY_NAME.put(sqlName, t);
        return t;
    }

    private static Type array(int oid, Type elem) {
        Type t = new Type(oid, "_" + elem.typname(), elem.sqlName() + "[]", -1, false, elem.typalign() == 'd' ? 'd' : 'i',
                'A', false, 0, elem.oid(), "array_in", "array_out");
        register(t);
        BY_NAME.put(t.sqlName(), t);
        return t;
    }

    private static void register(Type t) {
        BY_OID.put(t.oid(), t);
        if (t.oid() >= 0 && t.oid() < SMALL_OIDS.length) {
            SMALL_OIDS[t.oid()] = t;
        }
        BY_NAME.put(t.typname(), t);
        ALL.add(t);
    }

    private static void alias(Type t, String... names) {
        for (String n : names) {
            BY_NAME.put(n, t);
        }
    }

    /** The type with this oid, or null. */
    public static Type byOid(int oid) {
        if (oid >= 0 && oid < SMALL_OIDS.length) {
            return SMALL_OIDS[oid];
        }
        Type t = BY_OID.get(oid);
        return t != null ? t : UserTypes.byOid(oid);
    }

    /**
     * The type a name stands for, or null: pg_type names ({@code int4}, {@code _int4}),
     * SQL spellings ({@code integer}, {@code character varying}, {@code double precision},
     * {@code timestamp with time zone}), and array spellings ({@code integer[]}).
     * Case-insensitive, whitespace-normalised; {@code "char"} (quoted) is the one-byte type.
     */
    public static Type byName(String name) {
        String n = name.trim();
        if (n.equals("\"char\"")) {
            return CHAR;
        }
        n = n.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (n.startsWith("pg_catalog.")) {
            n = n.substring(11);
        }
        if (n.endsWith("[]")) {
            Type e = byName(n.substring(0, n.length() - 2));
            return e == null || e.arrayOid() == 0 ? null : byOid(e.arrayOid());
        }
        if (n.startsWith("\"") && n.endsWith("\"") && n.length() > 2) {
            n = n.substring(1, n.length() - 1);
        }
        return BY_NAME.get(n);
    }

    /** Every type in the table, scalars first (unmodifiable). */
    public static List<Type> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** True for the pseudo-types that appear in signatures only. */
    public static boolean isPseudo(Type t) {
        return t.typcategory() == 'P' && t != VOID;
    }

    /**
     * The typmod for a type name with modifiers, as the typmodin functions:
     * {@code varchar(10)}, {@code char(3)}, {@code numeric(5,2)}, {@code numeric(5)},
     * {@code time(3)}, {@code timestamp(3)}, {@code interval(3)}. No modifiers gives -1
     * (but {@code character} alone means {@code character(1)}: pass {@code new int[]{1}}).
     *
     * @throws PgException 22023 for out-of-range modifiers, 42601 when the type takes none
     */
    public static int typmod(Type t, int... mods) {
        if (mods == null || mods.length == 0) {
            return -1;
        }
        switch (t.oid()) {
            case VARCHAR_OID, BPCHAR_OID: {
                String n = t.oid() == VARCHAR_OID ? "varchar" : "char";
                if (mods.length != 1) {
                    throw new PgException("22023", "invalid type modifier");
                }
                if (mods[0] < 1) {
                    throw new PgException("22023", "length for type " + n + " must be at least 1");
                }
                if (mods[0] > 10485760) {
                    throw new PgException("22023", "length for type " + n + " cannot exceed 10485760");
                }
                return mods[0] + 4;
            }
            case NUMERIC_OID: {
                if (mods.length > 2) {
                    throw new PgException("22023", "invalid NUMERIC type modifier");
                }
                int p = mods[0];
                int s = mods.length == 2 ? mods[1] : 0;
                if (p < 1 || p > 1000) {
                    throw new PgException("22023", "NUMERIC precision " + p + " must be between 1 and 1000");
                }
                if (s < -1000 || s > 1000) {
                    throw new PgException("22023", "NUMERIC scale " + s + " must be between -1000 and 1000");
                }
                return ((p << 16) | (s & 0x7ff)) + 4;
            }
            case TIME_OID, TIMESTAMP_OID, TIMESTAMPTZ_OID: {
                if (mods.length != 1) {
                    throw new PgException("22023", "invalid type modifier");
                }
                String n = t.oid() == TIME_OID ? "TIME" : t.oid() == TIMESTAMP_OID ? "TIMESTAMP" : "TIMESTAMP";
                String tz = t.oid() == TIMESTAMPTZ_OID ? " WITH TIME ZONE" : "";
                if (mods[0] < 0) {
                    throw new PgException("22023", n + "(" + mods[0] + ")" + tz + " precision must not be negative");
                }
                return Math.min(mods[0], 6);
            }
            case INTERVAL_OID:
                if (mods.length != 1) {
                    throw new PgException("22023", "invalid INTERVAL type modifier");
                }
                return IntervalFields.typmod(Type.INTERVAL_FULL_RANGE, mods[0]);
            default:
                throw new PgException("42601", "type modifier is not allowed for type \"" + t.typname() + "\"");
        }
    }

    /** varchar/bpchar length limit of a typmod, or -1. */
    public static int charLength(int typmod) {
        return typmod >= 4 ? typmod - 4 : -1;
    }

    /** numeric precision of a typmod, or -1. */
    public static int numericPrecision(int typmod) {
        return typmod >= 4 ? ((typmod - 4) >> 16) & 0xffff : -1;
    }

    /** numeric scale of a typmod (sign-extended 11 bits), 0 when no typmod. */
    public static int numericScale(int typmod) {
        return typmod >= 4 ? (((typmod - 4) & 0x7ff) ^ 1024) - 1024 : 0;
    }
}
