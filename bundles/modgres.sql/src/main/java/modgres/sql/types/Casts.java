package modgres.sql.types;

/*
 * Design notes
 * ------------
 * PostgreSQL's pg_cast for the built-in types (copied from a PostgreSQL 15
 * catalog: source, target, context i/a/e, method f/b), plus the automatic
 * I/O conversion casts find_coercion_pathway adds: any type → string
 * category by output function (assignment), string category → any type by
 * input function (explicit). unknown (an untyped literal) converts to
 * anything by the target's input function, implicitly.
 *
 * Applying a cast = conversion (if the types differ) followed by the target
 * typmod's length coercion (varchar/bpchar length, numeric precision,
 * time/timestamp/interval precision). Length coercion of varchar/bpchar is
 * silent truncation for explicit casts and a 22001 error otherwise.
 */

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import modgres.api.error.PgException;

/** The cast table and the cast implementations. */
public final class Casts {

    /** Where a coercion happens, as PostgreSQL's CoercionContext. */
    public enum Context {
        IMPLICIT('i'), ASSIGNMENT('a'), EXPLICIT('e');

        final char code;

        Context(char code) {
            this.code = code;
        }

        /** True when a cast marked {@code castContext} may be applied in this context. */
        public boolean allows(char castContext) {
            return switch (this) {
                case IMPLICIT -> castContext == 'i';
                case ASSIGNMENT -> castContext == 'i' || castContext == 'a';
                case EXPLICIT -> true;
            };
        }
    }

    /** One pg_cast row (method 'f' function, 'b' binary-coercible, 'i' I/O conversion). */
    public record Cast(Type source, Type target, char context, char method) {
    }

    private static final Map<Long, Cast> TABLE = new HashMap<>();

    static {
        String rows = """
                16 23 e f|16 25 a f|16 1042 a f|16 1043 a f|18 23 e f|18 25 i f|18 1042 a f|18 1043 a f
                19 25 i f|19 1042 a f|19 1043 a f|20 21 a f|20 23 a f|20 26 i f|20 700 i f|20 701 i f
                20 1700 i f|20 2205 i f|20 2206 i f|21 20 i f|21 23 i f|21 26 i f|21 700 i f|21 701 i f
                21 1700 i f|21 2205 i f|21 2206 i f|23 16 e f|23 18 e f|23 20 i f|23 21 a f|23 26 i b
                23 700 i f|23 701 i f|23 1700 i f|23 2205 i b|23 2206 i b|25 18 a f|25 19 i f|25 1042 i b
                25 1043 i b|25 2205 i f|26 20 a f|26 23 a b|26 2205 i b|26 2206 i b|700 20 a f|700 21 a f
                700 23 a f|700 701 i f|700 1700 a f|701 20 a f|701 21 a f|701 23 a f|701 700 a f
                701 1700 a f|1042 18 a f|1042 19 i f|1042 25 i f|1042 1042 i f|1042 1043 i f|1043 18 a f
                1043 19 i f|1043 25 i b|1043 1042 i b|1043 1043 i f|1043 2205 i f|1082 1114 i f
                1082 1184 i f|1083 1083 i f|1083 1186 i f|1114 1082 a f|1114 1083 a f|1114 1114 i f
                1114 1184 i f|1184 1082 a f|1184 1083 a f|1184 1114 a f|1184 1184 i f|1186 1083 a f
                1186 1186 i f|1700 20 a f|1700 21 a f|1700 23 a f|1700 700 i f|1700 701 i f|1700 1700 i f
                2205 20 a f|2205 23 a b|2205 26 i b|2206 20 a f|2206 23 a b|2206 26 i b|5069 28 e f
                20 4089 i f|21 4089 i f|23 4089 i b|26 4089 i b|4089 20 a f|4089 23 a b|4089 26 i b
                """;
        for (String row : rows.replace('\n', '|').split("\\|")) {
            String r = row.trim();
            if (r.isEmpty()) {
                continue;
            }
            String[] f = r.split(" ");
            Type s = Types.byOid(Integer.parseInt(f[0]));
            Type t = Types.byOid(Integer.parseInt(f[1]));
            TABLE.put(key(s, t), new Cast(s, t, f[2].charAt(0), f[3].charAt(0)));
        }
    }

    private Casts() {
    }

    private static long key(Type s, Type t) {
        return ((long) s.oid() << 32) | t.oid();
    }

    /**
     * The cast from {@code source} to {@code target}: a pg_cast row, or an automatic I/O
     * conversion, or null when there is none. Same-type returns a binary 'i' cast.
     */
    public static Cast find(Type source, Type target) {
        if (source.equals(target)) {
            Cast c = TABLE.get(key(source, target));
            return c != null ? c : new Cast(source, target, 'i', 'b');
        }
        Cast c = TABLE.get(key(source, target));
        if (c != null) {
            return c;
        }
        if (source.isArray() && target.isArray()) {
            Cast e = find(source.elem(), target.elem());
            return e == null ? null : new Cast(source, target, e.context(), 'f');
        }
        if (source == Types.UNKNOWN) {
            return new Cast(source, target, 'i', 'i');
        }
        if (target.typcategory() == 'S' && target != Types.UNKNOWN) {
            return new Cast(source, target, 'a', 'i');
        }
        if (source.typcategory() == 'S') {
            return new Cast(source, target, 'e', 'i');
        }
        return null;
    }

    /** Whether a value of {@code source} may be coerced to {@code target} in context {@code cc}. */
    public static boolean canCoerce(Type source, Type target, Context cc) {
        Cast c = find(source, target);
        return c != null && cc.allows(c.context());
    }

    /** CAST(value AS target(typmod)) — explicit (true) or assignment (false) semantics. */
    public static Object cast(Type from, Type to, int typmod, Object value, boolean explicit, SessionContext ctx) {
        return coerce(from, to, typmod, value, explicit ? Context.EXPLICIT : Context.ASSIGNMENT, ctx);
    }

    /**
     * Converts {@code value} (null passes through) from {@code from} to {@code to}, then
     * applies the typmod. Fails with 42846 "cannot cast type x to y" when no cast
     * exists in that context.
     */
    public static Object coerce(Type from, Type to, int typmod, Object value, Context cc, SessionContext ctx) {
        Cast c = find(from, to);
        if (c == null || !cc.allows(c.context())) {
            throw new PgException("42846", "cannot cast type " + from.sqlName() + " to " + to.sqlName());
        }
        if (value == null) {
            return null;
        }
        Object v = from.equals(to) ? value : convert(from, to, value, ctx, typmod);
        return applyTypmod(to, typmod, v, cc == Context.EXPLICIT);
    }

    /** The length coercion of a typmod (varchar(n), bpchar(n), numeric(p,s), time(p), ...). */
    public static Object applyTypmod(Type to, int typmod, Object v, boolean explicit) {
        if (v == null || typmod < 0) {
            return v;
        }
        switch (to.oid()) {
            case Types.VARCHAR_OID:
                return TextIO.varchar((String) v, typmod, explicit);
            case Types.BPCHAR_OID:
                return TextIO.bpchar((String) v, typmod, explicit);
            case Types.NUMERIC_OID:
                return NumericOps.applyTypmod(v, typmod);
            case Types.TIME_OID:
                return DateTime.adjustTime((Long) v, typmod);
            case Types.TIMESTAMP_OID, Types.TIMESTAMPTZ_OID:
                return DateTime.adjustTimestamp((Long) v, typmod);
            case Types.INTERVAL_OID:
                return DateTime.adjustInterval((Interval) v, typmod);
            default:
                if (to.isArray()) {
                    PgArray a = (PgArray) v;
                    Object[] out = new Object[a.values().length];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = applyTypmod(to.elem(), typmod, a.values()[i], explicit);
                    }
                    return new PgArray(a.elem(), out, a.dims(), a.lbounds());
                }
                return v;
        }
    }

    private static long checkRange(long v, long min, long max, String name) {
        if (v < min || v > max) {
            throw Errors.outOfRange(name);
        }
        return v;
    }

    private static long asLong(Object v) {
        return ((Number) v).longValue();
    }

    /** The conversion proper (no typmod), for from != to. */
    static Object convert(Type from, Type to, Object v, SessionContext ctx, int typmod) {
        if (from == Types.UNKNOWN) {
            // as coerce_type: only interval's input sees the typmod (its fields change the parse)
            return TextIO.input(to, to == Types.INTERVAL ? typmod : -1, (String) v, ctx);
        }
        if (from.isArray() && to.isArray()) {
            PgArray a = (PgArray) v;
            Object[] out = new Object[a.values().length];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.values()[i] == null ? null
                        : from.elem().equals(to.elem()) ? a.values()[i] : convert(from.elem(), to.elem(), a.values()[i], ctx, -1);
            }
            return new PgArray(to.elem(), out, a.dims(), a.lbounds());
        }
        int f = from.oid();
        int t = to.oid();
        switch (f) {
            case Types.INT2_OID, Types.INT4_OID, Types.INT8_OID: {
                long x = asLong(v);
                switch (t) {
                    case Types.INT2_OID:
                        return (short) checkRange(x, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
                    case Types.INT4_OID:
                        return (int) checkRange(x, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
                    case Types.INT8_OID:
                        return x;
                    case Types.FLOAT4_OID:
                        return (float) x;
                    case Types.FLOAT8_OID:
                        return (double) x;
                    case Types.NUMERIC_OID:
                        return BigDecimal.valueOf(x);
                    case Types.OID_OID, Types.REGCLASS_OID, Types.REGTYPE_OID, Types.REGNAMESPACE_OID:
                        if (f == Types.INT8_OID) {
                            if (x < 0 || x > 0xFFFFFFFFL) {
                                throw new PgException("22003", "OID out of range");
                            }
                            return x;
                        }
                        return x & 0xFFFFFFFFL;
                    case Types.BOOL_OID:
                        return x != 0;
                    case Types.CHAR_OID:
                        if (x < -128 || x > 127) {
                            throw new PgException("22003", "\"char\" out of range");
                        }
                        return x == 0 ? "" : String.valueOf((char) (x & 0xFF));
                    default:
                }
                break;
            }
            case Types.FLOAT4_OID, Types.FLOAT8_OID: {
                double d = ((Number) v).doubleValue();
                switch (t) {
                    case Types.INT2_OID:
                        return (short) FloatOps.toLong(d, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
                    case Types.INT4_OID:
                        return (int) FloatOps.toLong(d, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
                    case Types.INT8_OID:
                        return FloatOps.toLong(d, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
                    case Types.FLOAT8_OID:
                        return d;
                    case Types.FLOAT4_OID: {
                        float r = (float) d;
                        if (Float.isInfinite(r) && !Double.isInfinite(d)) {
                            throw new PgException("22003", "value out of range: overflow");
                        }
                        if (r == 0 && d != 0) {
                            throw new PgException("22003", "value out of range: underflow");
                        }
                        return r;
                    }
                    case Types.NUMERIC_OID:
                        return NumericOps.fromDouble(d, f == Types.FLOAT4_OID ? 6 : 15);
                    default:
                }
                break;
            }
            case Types.NUMERIC_OID:
                switch (t) {
                    case Types.INT2_OID:
                        return (short) NumericOps.toLong(v, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
                    case Types.INT4_OID:
                        return (int) NumericOps.toLong(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
                    case Types.INT8_OID:
                        return NumericOps.toLong(v, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
                    case Types.FLOAT8_OID:
                        return NumericOps.toDouble(v);
                    case Types.FLOAT4_OID:
                        // numeric_float4 goes through float4in of numeric_out's text
                        return v instanceof BigDecimal b ? FloatOps.parseFloat(b.toPlainString())
                                : (float) NumericOps.toDouble(v);
                    default:
                }
                break;
            case Types.OID_OID, Types.REGCLASS_OID, Types.REGTYPE_OID, Types.REGNAMESPACE_OID:
                switch (t) {
                    case Types.INT8_OID:
                        return asLong(v);
                    case Types.INT4_OID:
                        return (int) asLong(v);
                    case Types.OID_OID, Types.REGCLASS_OID, Types.REGTYPE_OID, Types.REGNAMESPACE_OID:
                        return asLong(v);
                    default:
                }
                break;
            case Types.XID8_OID:
                if (t == Types.XID_OID) {
                    // xid(xid8): the low 32 bits, the epoch dropped
                    return asLong(v) & 0xFFFFFFFFL;
                }
                break;
            case Types.BOOL_OID:
                if (t == Types.INT4_OID) {
                    return ((Boolean) v) ? 1 : 0;
                }
                if (to.typcategory() == 'S') {
                    return ((Boolean) v) ? "true" : "false"; // booltext, not boolout
                }
                break;
            case Types.CHAR_OID:
                if (t == Types.INT4_OID) {
                    String s = (String) v;
                    return s.isEmpty() ? 0 : (int) (byte) s.charAt(0);
                }
                if (to.typcategory() == 'S') {
                    // text("char") prints as charout does: a high byte as \ooo, the zero byte as ''
                    return stringTo(to, TextIO.charOut((String) v));
                }
                break;
            case Types.BPCHAR_OID:
                if (to.typcategory() == 'S' || t == Types.CHAR_OID) {
                    return stringTo(to, TextIO.rtrimBlanks((String) v));
                }
                break;
            case Types.TEXT_OID, Types.VARCHAR_OID, Types.NAME_OID:
                if (to.typcategory() == 'S' || t == Types.CHAR_OID) {
                    return stringTo(to, (String) v);
                }
                if (t == Types.REGCLASS_OID) {
                    return TextIO.input(to, -1, (String) v, ctx);
                }
                break;
            case Types.DATE_OID: {
                int d = (Integer) v;
                if (t == Types.TIMESTAMP_OID) {
                    return dateToTimestamp(d);
                }
                if (t == Types.TIMESTAMPTZ_OID) {
                    long ts = dateToTimestamp(d);
                    return DateTime.localToUtc(ts, ctx.timeZone());
                }
                break;
            }
            case Types.TIMESTAMP_OID: {
                long ts = (Long) v;
                switch (t) {
                    case Types.DATE_OID:
                        return timestampToDate(ts);
                    case Types.TIME_OID:
                        return ts == DateTime.DT_NOBEGIN || ts == DateTime.DT_NOEND ? null
                                : Math.floorMod(ts, DateTime.USECS_PER_DAY);
                    case Types.TIMESTAMPTZ_OID:
                        return DateTime.localToUtc(ts, ctx.timeZone());
                    default:
                }
                break;
            }
            case Types.TIMESTAMPTZ_OID: {
                long ts = (Long) v;
                switch (t) {
                    case Types.DATE_OID:
                        return timestampToDate(DateTime.utcToLocal(ts, ctx.timeZone()));
                    case Types.TIME_OID:
                        return ts == DateTime.DT_NOBEGIN || ts == DateTime.DT_NOEND ? null
                                : Math.floorMod(DateTime.utcToLocal(ts, ctx.timeZone()), DateTime.USECS_PER_DAY);
                    case Types.TIMESTAMP_OID:
                        return DateTime.utcToLocal(ts, ctx.timeZone());
                    default:
                }
                break;
            }
            case Types.TIME_OID:
                if (t == Types.INTERVAL_OID) {
                    return new Interval(0, 0, (Long) v);
                }
                break;
            case Types.INTERVAL_OID:
                if (t == Types.TIME_OID) {
                    long m = ((Interval) v).micros() % DateTime.USECS_PER_DAY;
                    return m < 0 ? m + DateTime.USECS_PER_DAY : m;
                }
                break;
            default:
        }
        // automatic I/O conversion
        if (to.typcategory() == 'S') {
            return stringTo(to, TextIO.output(from, v, ctx));
        }
        if (from.typcategory() == 'S') {
            return TextIO.input(to, to == Types.INTERVAL ? typmod : -1, (String) v, ctx);
        }
        throw new PgException("42846", "cannot cast type " + from.sqlName() + " to " + to.sqlName());
    }

    private static Object stringTo(Type to, String s) {
        return switch (to.oid()) {
            case Types.NAME_OID -> TextIO.truncateName(s);
            case Types.CHAR_OID -> TextIO.charIn(s.length() == 4 && s.charAt(0) == '\\' ? s
                    : s.isEmpty() ? "" : s.substring(0, s.offsetByCodePoints(0, 1)));
            default -> s;
        };
    }

    static long dateToTimestamp(int d) {
        if (d == DateTime.DATE_NOBEGIN) {
            return DateTime.DT_NOBEGIN;
        }
        if (d == DateTime.DATE_NOEND) {
            return DateTime.DT_NOEND;
        }
        long ts = (long) d * DateTime.USECS_PER_DAY;
        if (!DateTime.isValidTimestamp(ts)) {
            throw new PgException("22008", "date out of range for timestamp");
        }
        return ts;
    }

    static int timestampToDate(long ts) {
        if (ts == DateTime.DT_NOBEGIN) {
            return DateTime.DATE_NOBEGIN;
        }
        if (ts == DateTime.DT_NOEND) {
            return DateTime.DATE_NOEND;
        }
        return (int) Math.floorDiv(ts, DateTime.USECS_PER_DAY);
    }
}
