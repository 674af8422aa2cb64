package modgres.sql.types;

/*
 * Design notes
 * ------------
 * The implementations behind the Catalog rows. Operators are built from
 * their family (comparison, integer/float/numeric arithmetic, string,
 * date/time) and the declared types, so e.g. int24pl and int4pl share one
 * integer adder that range-checks against the result type with PostgreSQL's
 * message ("smallint out of range", "integer out of range", "bigint out of
 * range"). Functions are a switch on PostgreSQL's internal function name.
 * Arguments arrive already coerced to the resolved argument types and,
 * for strict routines, non-null.
 */

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import modgres.api.error.PgException;

/** Implementations of the built-in operators and functions. */
final class Builtins {
    private Builtins() {
    }

    // ---------------------------------------------------------------- helpers

    static long l(Object o) {
        return ((Number) o).longValue();
    }

    static int i(Object o) {
        return ((Number) o).intValue();
    }

    static double d(Object o) {
        return ((Number) o).doubleValue();
    }

    static String s(Object o) {
        return (String) o;
    }

    static boolean isInt(Type t) {
        return t == Types.INT2 || t == Types.INT4 || t == Types.INT8;
    }

    static boolean isIntLike(Type t) {
        return isInt(t) || t == Types.OID || t == Types.REGCLASS || t == Types.REGTYPE || t == Types.REGNAMESPACE;
    }

    static boolean isFloat(Type t) {
        return t == Types.FLOAT4 || t == Types.FLOAT8;
    }

    static boolean isDatetime(Type t) {
        return t == Types.DATE || t == Types.TIMESTAMP || t == Types.TIMESTAMPTZ;
    }

    static boolean isText(Type t) {
        return t == Types.TEXT || t == Types.NAME || t == Types.VARCHAR || t == Types.UNKNOWN;
    }

    static String intName(Type t) {
        return t == Types.INT2 ? "smallint" : t == Types.INT4 ? "integer" : "bigint";
    }

    /** An integer result of type t, range-checked. */
    static Object box(Type t, long v) {
        if (t == Types.INT2) {
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                throw Errors.outOfRange("smallint");
            }
            return (short) v;
        }
        if (t == Types.INT4) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw Errors.outOfRange("integer");
            }
            return (int) v;
        }
        return v;
    }

    static Object floatBox(Type t, double v) {
        return t == Types.FLOAT4 ? (Object) (float) v : (Object) v;
    }

    // ================================================================ operators

    static Routine.Impl operator(Routine r) {
        String op = r.name();
        Type[] a = r.argTypes();
        Type res = r.result();
        String proc = r.proc();
        if (a.length == 2 && res == Types.BOOL) {
            switch (op) {
                case "=", "<>", "<", "<=", ">", ">=": {
                    return (x, types, ctx) -> cmpResult(op, crossCompare(types[0], types[1], x[0], x[1], ctx));
                }
                default:
            }
        }
        switch (proc) {
            // ---- strings
            case "textcat":
                return (x, t, c) -> s(x[0]) + s(x[1]);
            case "textanycat":
                return (x, t, c) -> s(x[0]) + TextIO.output(t[1], x[1], c);
            case "anytextcat":
                return (x, t, c) -> TextIO.output(t[0], x[0], c) + s(x[1]);
            case "byteacat":
                return (x, t, c) -> {
                    byte[] p = (byte[]) x[0];
                    byte[] q = (byte[]) x[1];
                    byte[] o = java.util.Arrays.copyOf(p, p.length + q.length);
                    System.arraycopy(q, 0, o, p.length, q.length);
                    return o;
                };
            case "textlike", "namelike", "bpcharlike":
                return (x, t, c) -> StringFuncs.like(s(x[0]), s(x[1]), null, false);
            case "textnlike", "namenlike", "bpcharnlike":
                return (x, t, c) -> !StringFuncs.like(s(x[0]), s(x[1]), null, false);
            case "texticlike", "nameiclike", "bpchariclike":
                return (x, t, c) -> StringFuncs.like(s(x[0]), s(x[1]), null, true);
            case "texticnlike", "nameicnlike", "bpcharicnlike":
                return (x, t, c) -> !StringFuncs.like(s(x[0]), s(x[1]), null, true);
            case "bytealike":
                return (x, t, c) -> StringFuncs.like((byte[]) x[0], (byte[]) x[1]);
            case "byteanlike":
                return (x, t, c) -> !StringFuncs.like((byte[]) x[0], (byte[]) x[1]);
            case "textregexeq", "nameregexeq", "bpcharregexeq":
                return (x, t, c) -> StringFuncs.regexMatch(s(x[0]), s(x[1]), false);
            case "textregexne", "nameregexne", "bpcharregexne":
                return (x, t, c) -> !StringFuncs.regexMatch(s(x[0]), s(x[1]), false);
            case "texticregexeq", "nameicregexeq", "bpcharicregexeq":
                return (x, t, c) -> StringFuncs.regexMatch(s(x[0]), s(x[1]), true);
            case "texticregexne", "nameicregexne", "bpcharicregexne":
                return (x, t, c) -> !StringFuncs.regexMatch(s(x[0]), s(x[1]), true);
            case "starts_with":
                return (x, t, c) -> s(x[0]).startsWith(s(x[1]));
            // ---- date/time
            case "date_pli":
                return (x, t, c) -> DateTimeOps.datePlusDays(i(x[0]), l(x[1]));
            case "integer_pl_date":
                return (x, t, c) -> DateTimeOps.datePlusDays(i(x[1]), l(x[0]));
            case "date_mii":
                return (x, t, c) -> DateTimeOps.datePlusDays(i(x[0]), -l(x[1]));
            case "date_mi":
                return (x, t, c) -> DateTimeOps.dateMinusDate(i(x[0]), i(x[1]));
            case "date_pl_interval":
                return (x, t, c) -> DateTimeOps.plusInterval(Casts.dateToTimestamp(i(x[0])), (Interval) x[1], null);
            case "interval_pl_date":
                return (x, t, c) -> DateTimeOps.plusInterval(Casts.dateToTimestamp(i(x[1])), (Interval) x[0], null);
            case "date_mi_interval":
                return (x, t, c) -> DateTimeOps.minusInterval(Casts.dateToTimestamp(i(x[0])), (Interval) x[1], null);
            case "datetime_pl":
                return (x, t, c) -> dateTime(i(x[0]), l(x[1]));
            case "timedate_pl":
                return (x, t, c) -> dateTime(i(x[1]), l(x[0]));
            case "time_mi_time":
                return (x, t, c) -> new Interval(0, 0, l(x[0]) - l(x[1]));
            case "time_pl_interval":
                return (x, t, c) -> DateTimeOps.timePlusInterval(l(x[0]), (Interval) x[1]);
            case "interval_pl_time":
                return (x, t, c) -> DateTimeOps.timePlusInterval(l(x[1]), (Interval) x[0]);
            case "time_mi_interval":
                return (x, t, c) -> DateTimeOps.timePlusInterval(l(x[0]), DateTimeOps.negate((Interval) x[1]));
            case "timestamp_mi", "timestamptz_mi":
                return (x, t, c) -> DateTimeOps.minus(l(x[0]), l(x[1]));
            case "timestamp_pl_interval":
                return (x, t, c) -> DateTimeOps.plusInterval(l(x[0]), (Interval) x[1], null);
            case "interval_pl_timestamp":
                return (x, t, c) -> DateTimeOps.plusInterval(l(x[1]), (Interval) x[0], null);
            case "timestamp_mi_interval":
                return (x, t, c) -> DateTimeOps.minusInterval(l(x[0]), (Interval) x[1], null);
            case "timestamptz_pl_interval":
                return (x, t, c) -> DateTimeOps.plusInterval(l(x[0]), (Interval) x[1], c.timeZone());
            case "interval_pl_timestamptz":
                return (x, t, c) -> DateTimeOps.plusInterval(l(x[1]), (Interval) x[0], c.timeZone());
            case "timestamptz_mi_interval":
                return (x, t, c) -> DateTimeOps.minusInterval(l(x[0]), (Interval) x[1], c.timeZone());
            case "interval_pl":
                return (x, t, c) -> DateTimeOps.add((Interval) x[0], (Interval) x[1]);
            case "interval_mi":
                return (x, t, c) -> DateTimeOps.sub((Interval) x[0], (Interval) x[1]);
            case "interval_um":
                return (x, t, c) -> DateTimeOps.negate((Interval) x[0]);
            case "interval_mul":
                return (x, t, c) -> DateTimeOps.mul((Interval) x[0], d(x[1]));
            case "mul_d_interval":
                return (x, t, c) -> DateTimeOps.mul((Interval) x[1], d(x[0]));
            case "interval_div":
                return (x, t, c) -> DateTimeOps.div((Interval) x[0], d(x[1]));
            // ---- pg_lsn
            case "pg_lsn_mi":
                return (x, t, c) -> new BigDecimal(new java.math.BigInteger(Long.toUnsignedString(l(x[0])))
                        .subtract(new java.math.BigInteger(Long.toUnsignedString(l(x[1])))));
            case "pg_lsn_pli":
                return (x, t, c) -> lsnPlus(l(x[0]), x[1], false);
            case "numeric_pl_pg_lsn":
                return (x, t, c) -> lsnPlus(l(x[1]), x[0], false);
            case "pg_lsn_mii":
                return (x, t, c) -> lsnPlus(l(x[0]), x[1], true);
            // ---- numeric
            case "numeric_add":
                return (x, t, c) -> NumericOps.add(x[0], x[1]);
            case "numeric_sub":
                return (x, t, c) -> NumericOps.sub(x[0], x[1]);
            case "numeric_mul":
                return (x, t, c) -> NumericOps.mul(x[0], x[1]);
            case "numeric_div":
                return (x, t, c) -> NumericOps.div(x[0], x[1]);
            case "numeric_mod":
                return (x, t, c) -> NumericOps.mod(x[0], x[1]);
            case "numeric_power":
                return (x, t, c) -> NumericOps.power(x[0], x[1]);
            case "numeric_uminus":
                return (x, t, c) -> NumericOps.negate(x[0]);
            case "numeric_uplus":
                return (x, t, c) -> x[0];
            case "numeric_abs":
                return (x, t, c) -> NumericOps.abs(x[0]);
            // ---- float specials
            case "dpow":
                return (x, t, c) -> dpow(d(x[0]), d(x[1]));
            case "dsqrt":
                return (x, t, c) -> dsqrt(d(x[0]));
            case "dcbrt":
                return (x, t, c) -> Math.cbrt(d(x[0]));
            // ---- arrays
            case "array_eq", "array_ne", "array_lt", "array_gt", "array_le", "array_ge":
                return (x, t, c) -> cmpResult(op, Compare.compareArrays((PgArray) x[0], (PgArray) x[1]));
            case "arrayoverlap":
                return (x, t, c) -> ArrayFuncs.overlap((PgArray) x[0], (PgArray) x[1]);
            case "arraycontains":
                return (x, t, c) -> ArrayFuncs.contains((PgArray) x[0], (PgArray) x[1]);
            case "arraycontained":
                return (x, t, c) -> ArrayFuncs.contains((PgArray) x[1], (PgArray) x[0]);
            case "array_append", "array_prepend", "array_cat":
                return ArrayFuncs.function(proc, a, res);
            default:
        }
        if (a.length == 2 && isInt(res) && isInt(a[0]) && isInt(a[1])) {
            return intBinary(op, res);
        }
        if (a.length == 1 && isInt(res)) {
            return intUnary(op, res);
        }
        if (a.length == 2 && isFloat(res) && isFloat(a[0]) && isFloat(a[1])) {
            return floatBinary(op, res);
        }
        if (a.length == 1 && isFloat(res)) {
            return switch (op) {
                case "-" -> (x, t, c) -> floatBox(res, -d(x[0]));
                case "+" -> (x, t, c) -> x[0];
                case "@" -> (x, t, c) -> floatBox(res, Math.abs(d(x[0])));
                default -> null;
            };
        }
        return (x, t, c) -> {
            throw Errors.feature("operator " + r + " is not implemented");
        };
    }

    static boolean cmpResult(String op, int c) {
        return switch (op) {
            case "=" -> c == 0;
            case "<>" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> throw new IllegalArgumentException(op);
        };
    }

    /** Cross-type comparison as the *_cmp functions of PostgreSQL's cross-type operator families. */
    static int crossCompare(Type lt, Type rt, Object x, Object y, SessionContext ctx) {
        if (lt.equals(rt)) {
            return Compare.compare(lt, x, y);
        }
        if (isIntLike(lt) && isIntLike(rt)) {
            return Long.compare(l(x), l(y));
        }
        if (lt == Types.XID && rt == Types.INT4) {
            // xideqint4: the int4 taken as a transaction id (its bits, unsigned)
            return Long.compareUnsigned(l(x), Integer.toUnsignedLong(((Number) y).intValue()));
        }
        if (isFloat(lt) && isFloat(rt)) {
            return FloatOps.compare(d(x), d(y));
        }
        if (isDatetime(lt) && isDatetime(rt)) {
            Type common = lt == Types.TIMESTAMPTZ || rt == Types.TIMESTAMPTZ ? Types.TIMESTAMPTZ : Types.TIMESTAMP;
            long a = toTs(lt, x, common, ctx);
            long b = toTs(rt, y, common, ctx);
            return Long.compare(a, b);
        }
        if (isText(lt) && isText(rt)) {
            return Compare.compareText(s(x), s(y));
        }
        if (lt.typcategory() == 'S' && rt.typcategory() == 'S') {
            return Compare.compareText(s(x), s(y));
        }
        if (lt.isArray() && rt.isArray()) {
            return Compare.compareArrays((PgArray) x, (PgArray) y);
        }
        throw Errors.feature("cannot compare " + lt.sqlName() + " and " + rt.sqlName());
    }

    private static long toTs(Type t, Object v, Type common, SessionContext ctx) {
        long ts = t == Types.DATE ? Casts.dateToTimestamp(i(v)) : l(v);
        if (common == Types.TIMESTAMPTZ && t != Types.TIMESTAMPTZ) {
            ts = DateTime.localToUtc(ts, ctx.timeZone());
        }
        return ts;
    }

    private static long dateTime(int date, long time) {
        long ts = Casts.dateToTimestamp(date);
        if (DateTimeOps.infinite(ts)) {
            return ts;
        }
        long r = ts + time;
        if (!DateTime.isValidTimestamp(r)) {
            throw DateTimeOps.timestampOutOfRange();
        }
        return r;
    }

    private static long lsnPlus(long lsn, Object n, boolean minus) {
        if (n instanceof NumericSpecial) {
            throw new PgException("22023", "cannot add NaN to pg_lsn");
        }
        java.math.BigInteger v = new java.math.BigInteger(Long.toUnsignedString(lsn));
        java.math.BigInteger d = ((BigDecimal) n).setScale(0, java.math.RoundingMode.HALF_UP).toBigInteger();
        java.math.BigInteger r = minus ? v.subtract(d) : v.add(d);
        if (r.signum() < 0 || r.bitLength() > 64) {
            throw new PgException("22003", "pg_lsn out of range");
        }
        return r.longValue();
    }

    private static Routine.Impl intBinary(String op, Type res) {
        String name = intName(res);
        return switch (op) {
            case "+" -> (x, t, c) -> {
                try {
                    return box(res, Math.addExact(l(x[0]), l(x[1])));
                } catch (ArithmeticException e) {
                    throw Errors.outOfRange(name);
                }
            };
            case "-" -> (x, t, c) -> {
                try {
                    return box(res, Math.subtractExact(l(x[0]), l(x[1])));
                } catch (ArithmeticException e) {
                    throw Errors.outOfRange(name);
                }
            };
            case "*" -> (x, t, c) -> {
                try {
                    return box(res, Math.multiplyExact(l(x[0]), l(x[1])));
                } catch (ArithmeticException e) {
                    throw Errors.outOfRange(name);
                }
            };
            case "/" -> (x, t, c) -> {
                long p = l(x[0]);
                long q = l(x[1]);
                if (q == 0) {
                    throw Errors.divisionByZero();
                }
                if (p == Long.MIN_VALUE && q == -1) {
                    throw Errors.outOfRange(name);
                }
                return box(res, p / q);
            };
            case "%" -> (x, t, c) -> {
                long q = l(x[1]);
                if (q == 0) {
                    throw Errors.divisionByZero();
                }
                return box(res, q == -1 ? 0 : l(x[0]) % q);
            };
            case "&" -> (x, t, c) -> box(res, l(x[0]) & l(x[1]));
            case "|" -> (x, t, c) -> box(res, l(x[0]) | l(x[1]));
            case "#" -> (x, t, c) -> box(res, l(x[0]) ^ l(x[1]));
            case "<<" -> (x, t, c) -> res == Types.INT8 ? (Object) (l(x[0]) << l(x[1]))
                    : res == Types.INT4 ? (Object) (i(x[0]) << i(x[1])) : (Object) (short) (i(x[0]) << i(x[1]));
            case ">>" -> (x, t, c) -> res == Types.INT8 ? (Object) (l(x[0]) >> l(x[1]))
                    : res == Types.INT4 ? (Object) (i(x[0]) >> i(x[1])) : (Object) (short) (i(x[0]) >> i(x[1]));
            default -> null;
        };
    }

    private static Routine.Impl intUnary(String op, Type res) {
        String name = intName(res);
        return switch (op) {
            case "-" -> (x, t, c) -> {
                long v = l(x[0]);
                if (v == Long.MIN_VALUE) {
                    throw Errors.outOfRange(name);
                }
                return box(res, -v);
            };
            case "+" -> (x, t, c) -> x[0];
            case "@" -> (x, t, c) -> {
                long v = l(x[0]);
                if (v == Long.MIN_VALUE) {
                    throw Errors.outOfRange(name);
                }
                return box(res, Math.abs(v));
            };
            case "~" -> (x, t, c) -> box(res, ~l(x[0]));
            default -> null;
        };
    }

    private static Routine.Impl floatBinary(String op, Type res) {
        boolean f4 = res == Types.FLOAT4;
        return switch (op) {
            case "+" -> (x, t, c) -> {
                double p = d(x[0]);
                double q = d(x[1]);
                if (f4) {
                    float r = (float) p + (float) q;
                    return FloatOps.check4(r, Double.isInfinite(p) || Double.isInfinite(q), true);
                }
                return FloatOps.check8(p + q, Double.isInfinite(p) || Double.isInfinite(q), true);
            };
            case "-" -> (x, t, c) -> {
                double p = d(x[0]);
                double q = d(x[1]);
                if (f4) {
                    float r = (float) p - (float) q;
                    return FloatOps.check4(r, Double.isInfinite(p) || Double.isInfinite(q), true);
                }
                return FloatOps.check8(p - q, Double.isInfinite(p) || Double.isInfinite(q), true);
            };
            case "*" -> (x, t, c) -> {
                double p = d(x[0]);
                double q = d(x[1]);
                if (f4) {
                    float r = (float) p * (float) q;
                    return FloatOps.check4(r, Double.isInfinite(p) || Double.isInfinite(q), p == 0 || q == 0);
                }
                return FloatOps.check8(p * q, Double.isInfinite(p) || Double.isInfinite(q), p == 0 || q == 0);
            };
            case "/" -> (x, t, c) -> {
                double p = d(x[0]);
                double q = d(x[1]);
                if (q == 0 && !Double.isNaN(p)) {
                    throw Errors.divisionByZero();
                }
                if (f4) {
                    float r = (float) p / (float) q;
                    return FloatOps.check4(r, Double.isInfinite(p), p == 0 || Double.isInfinite(q));
                }
                return FloatOps.check8(p / q, Double.isInfinite(p), p == 0 || Double.isInfinite(q));
            };
            default -> null;
        };
    }

    static double dpow(double x, double y) {
        if (Double.isNaN(x)) {
            return y == 0 ? 1 : Double.NaN;
        }
        if (Double.isNaN(y)) {
            return x == 1 ? 1 : Double.NaN;
        }
        if (x == 0 && y < 0) {
            throw new PgException("2201F", "zero raised to a negative power is undefined");
        }
        if (x < 0 && Math.floor(y) != y) {
            throw new PgException("2201F", "a negative number raised to a non-integer power yields a complex result");
        }
        double r = Math.pow(x, y);
        if (Double.isInfinite(r) && !Double.isInfinite(x) && !Double.isInfinite(y)) {
            if (x == 0) {
                return r; // handled above
            }
            throw new PgException("22003", "value out of range: overflow");
        }
        if (r == 0 && x != 0 && !Double.isInfinite(x) && !Double.isInfinite(y)) {
            throw new PgException("22003", "value out of range: underflow");
        }
        return r;
    }

    static double dsqrt(double x) {
        if (x < 0) {
            throw new PgException("2201F", "cannot take square root of a negative number");
        }
        return Math.sqrt(x);
    }

    // ================================================================ functions

    static Routine.Impl function(Routine r) {
        Type[] a = r.argTypes();
        Type res = r.result();
        String p = r.proc();
        switch (p) {
            // ---------------------------------------------------- math
            case "int2abs", "int4abs", "int8abs":
                return intUnary("@", res);
            case "float4abs", "float8abs":
                return (x, t, c) -> floatBox(res, Math.abs(d(x[0])));
            case "numeric_abs":
                return (x, t, c) -> NumericOps.abs(x[0]);
            case "int2mod", "int4mod", "int8mod":
                return intBinary("%", res);
            case "numeric_mod":
                return (x, t, c) -> NumericOps.mod(x[0], x[1]);
            case "numeric_div_trunc":
                return (x, t, c) -> NumericOps.divTrunc(x[0], x[1]);
            case "dceil":
                return (x, t, c) -> Math.ceil(d(x[0]));
            case "dfloor":
                return (x, t, c) -> Math.floor(d(x[0]));
            case "dround":
                return (x, t, c) -> Math.rint(d(x[0]));
            case "dtrunc":
                return (x, t, c) -> {
                    double v = d(x[0]);
                    return v >= 0 ? Math.floor(v) : -Math.floor(-v);
                };
            case "dsign":
                return (x, t, c) -> {
                    double v = d(x[0]);
                    return v > 0 ? 1.0 : v < 0 ? -1.0 : Double.isNaN(v) ? v : 0.0;
                };
            case "numeric_ceil":
                return (x, t, c) -> NumericOps.ceil(x[0]);
            case "numeric_floor":
                return (x, t, c) -> NumericOps.floor(x[0]);
            case "round(1700)":
                return (x, t, c) -> NumericOps.round(x[0], 0);
            case "numeric_round":
                return (x, t, c) -> NumericOps.round(x[0], i(x[1]));
            case "trunc(1700)":
                return (x, t, c) -> NumericOps.trunc(x[0], 0);
            case "numeric_trunc":
                return (x, t, c) -> NumericOps.trunc(x[0], i(x[1]));
            case "numeric_sign":
                return (x, t, c) -> NumericOps.signum(x[0]);
            case "numeric_sqrt":
                return (x, t, c) -> NumericOps.sqrt(x[0]);
            case "dsqrt":
                return (x, t, c) -> dsqrt(d(x[0]));
            case "dcbrt":
                return (x, t, c) -> Math.cbrt(d(x[0]));
            case "numeric_exp":
                return (x, t, c) -> NumericOps.exp(x[0]);
            case "dexp":
                return (x, t, c) -> {
                    double v = Math.exp(d(x[0]));
                    if (Double.isInfinite(v) && !Double.isInfinite(d(x[0]))) {
                        throw new PgException("22003", "value out of range: overflow");
                    }
                    if (v == 0 && !Double.isInfinite(d(x[0]))) {
                        throw new PgException("22003", "value out of range: underflow");
                    }
                    return v;
                };
            case "numeric_ln":
                return (x, t, c) -> NumericOps.ln(x[0]);
            case "dlog1":
                return (x, t, c) -> dlog(d(x[0]), false);
            case "dlog10":
                return (x, t, c) -> dlog(d(x[0]), true);
            case "log(1700)", "log10(1700)":
                return (x, t, c) -> NumericOps.log(BigDecimal.TEN, x[0]);
            case "numeric_log":
                return (x, t, c) -> NumericOps.log(x[0], x[1]);
            case "numeric_power":
                return (x, t, c) -> NumericOps.power(x[0], x[1]);
            case "dpow":
                return (x, t, c) -> dpow(d(x[0]), d(x[1]));
            case "numeric_scale":
                return (x, t, c) -> NumericOps.scale(x[0]);
            case "numeric_min_scale":
                return (x, t, c) -> NumericOps.minScale(x[0]);
            case "numeric_trim_scale":
                return (x, t, c) -> NumericOps.trimScale(x[0]);
            case "numeric_fac":
                return (x, t, c) -> NumericOps.factorial(l(x[0]));
            case "numeric_gcd":
                return (x, t, c) -> NumericOps.gcd(x[0], x[1]);
            case "numeric_lcm":
                return (x, t, c) -> NumericOps.lcm(x[0], x[1]);
            case "int4gcd", "int8gcd":
                return (x, t, c) -> box(res, gcd(l(x[0]), l(x[1]), res));
            case "int4lcm", "int8lcm":
                return (x, t, c) -> {
                    long m = l(x[0]);
                    long n = l(x[1]);
                    if (m == 0 || n == 0) {
                        return box(res, 0);
                    }
                    long g = gcd(m, n, res);
                    try {
                        return box(res, Math.absExact(Math.multiplyExact(m / g, n)));
                    } catch (ArithmeticException e) {
                        throw Errors.outOfRange(intName(res));
                    }
                };
            case "width_bucket_numeric":
                return (x, t, c) -> NumericOps.widthBucket(x[0], x[1], x[2], i(x[3]));
            case "width_bucket_float8":
                return (x, t, c) -> widthBucket(d(x[0]), d(x[1]), d(x[2]), i(x[3]));
            case "dpi":
                return (x, t, c) -> Math.PI;
            case "degrees":
                return (x, t, c) -> Math.toDegrees(d(x[0]));
            case "radians":
                return (x, t, c) -> Math.toRadians(d(x[0]));
            case "dsin":
                return (x, t, c) -> trig(Math.sin(d(x[0])), d(x[0]));
            case "dcos":
                return (x, t, c) -> trig(Math.cos(d(x[0])), d(x[0]));
            case "dtan":
                return (x, t, c) -> trig(Math.tan(d(x[0])), d(x[0]));
            case "dcot":
                return (x, t, c) -> trig(1.0 / Math.tan(d(x[0])), d(x[0]));
            case "dasin", "dacos":
                return (x, t, c) -> {
                    double v = d(x[0]);
                    if (v < -1 || v > 1) {
                        throw new PgException("22003", "input is out of range");
                    }
                    return p.equals("dasin") ? Math.asin(v) : Math.acos(v);
                };
            case "datan":
                return (x, t, c) -> Math.atan(d(x[0]));
            case "datan2":
                return (x, t, c) -> Math.atan2(d(x[0]), d(x[1]));
            case "dsinh":
                return (x, t, c) -> Math.sinh(d(x[0]));
            case "dcosh":
                return (x, t, c) -> Math.cosh(d(x[0]));
            case "dtanh":
                return (x, t, c) -> Math.tanh(d(x[0]));
            case "drandom":
                return (x, t, c) -> c.random();
            case "setseed":
                return (x, t, c) -> {
                    double v = d(x[0]);
                    if (v < -1 || v > 1 || Double.isNaN(v)) {
                        throw new PgException("22023", "setseed parameter " + FloatOps.format(v, 1)
                                + " is out of allowed range [-1,1]");
                    }
                    c.setSeed(v);
                    return "";
                };
            // ---------------------------------------------------- conversions
            case "int4_bool":
                return (x, t, c) -> l(x[0]) != 0;
            case "bool_int4":
                return (x, t, c) -> ((Boolean) x[0]) ? 1 : 0;
            case "booltext":
                return (x, t, c) -> ((Boolean) x[0]) ? "true" : "false";
            case "numeric":
                return (x, t, c) -> NumericOps.applyTypmod(x[0], i(x[1]));
            case "bpchar":
                return (x, t, c) -> TextIO.bpchar(s(x[0]), i(x[1]), (Boolean) x[2]);
            case "varchar":
                return (x, t, c) -> TextIO.varchar(s(x[0]), i(x[1]), (Boolean) x[2]);
            case "timestamp_scale", "timestamptz_scale":
                return (x, t, c) -> DateTime.adjustTimestamp(l(x[0]), i(x[1]));
            case "time_scale":
                return (x, t, c) -> DateTime.adjustTime(l(x[0]), i(x[1]));
            case "interval_scale":
                return (x, t, c) -> DateTime.adjustInterval((Interval) x[0], i(x[1]));
            case "timestamptz(1082,1083)":
                return (x, t, c) -> DateTime.localToUtc(dateTime(i(x[0]), l(x[1])), c.timeZone());
            case "datetime_timestamp":
                return (x, t, c) -> dateTime(i(x[0]), l(x[1]));
            default:
        }
        if (a.length == 1 && isCastProc(p)) {
            Type from = a[0];
            return (x, t, c) -> Casts.coerce(from, res, -1, x[0], Casts.Context.EXPLICIT, c);
        }
        Routine.Impl impl = stringFunction(p, a, res);
        if (impl != null) {
            return impl;
        }
        impl = dateFunction(p, a, res);
        if (impl != null) {
            return impl;
        }
        impl = ArrayFuncs.function(p, a, res);
        if (impl != null) {
            return impl;
        }
        return (x, t, c) -> {
            throw Errors.feature("function " + r + " is not implemented");
        };
    }

    private static boolean isCastProc(String p) {
        switch (p) {
            case "float4_numeric", "float8_numeric", "ftod", "ftoi2", "ftoi4", "ftoi8", "i2tod", "i2tof", "i2toi4",
                    "i4tod", "i4tof", "i4toi2", "i8tod", "i8tof", "int28", "int2_numeric", "int48", "int4_numeric",
                    "int82", "int84", "int8_numeric", "dtof", "dtoi2", "dtoi4", "dtoi8", "numeric_float4",
                    "numeric_float8", "numeric_int2", "numeric_int4", "numeric_int8", "oidtoi8", "char_text",
                    "chartoi4", "name_text", "text_name", "bpchar_name", "name_bpchar", "char_bpchar",
                    "date_timestamp", "date_timestamptz", "timestamp_date", "timestamptz_date", "timestamp_time",
                    "timestamptz_time", "timestamp_timestamptz", "timestamptz_timestamp", "time_interval",
                    "interval_time":
                return true;
            default:
                return false;
        }
    }

    private static double trig(double r, double in) {
        if (Double.isInfinite(in)) {
            throw new PgException("22003", "input is out of range");
        }
        return r;
    }

    private static double dlog(double v, boolean base10) {
        if (v == 0) {
            throw new PgException("2201E", "cannot take logarithm of zero");
        }
        if (v < 0) {
            throw new PgException("2201E", "cannot take logarithm of a negative number");
        }
        return base10 ? Math.log10(v) : Math.log(v);
    }

    private static long gcd(long m, long n, Type res) {
        if ((m == Long.MIN_VALUE || n == Long.MIN_VALUE) || (res == Types.INT4 && (m == Integer.MIN_VALUE
                || n == Integer.MIN_VALUE))) {
            long min = res == Types.INT4 ? Integer.MIN_VALUE : Long.MIN_VALUE;
            if ((m == min && (n == 0 || n == min)) || (n == min && m == 0)) {
                throw Errors.outOfRange(intName(res));
            }
        }
        m = Math.abs(m);
        n = Math.abs(n);
        while (n != 0) {
            long t = m % n;
            m = n;
            n = t;
        }
        return Math.abs(m);
    }

    private static int widthBucket(double op, double lo, double hi, int count) {
        if (count <= 0) {
            throw new PgException("2201G", "count must be greater than zero");
        }
        if (Double.isNaN(op) || Double.isNaN(lo) || Double.isNaN(hi)) {
            throw new PgException("2201G", "operand, lower bound, and upper bound cannot be NaN");
        }
        if (Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new PgException("2201G", "lower and upper bounds must be finite");
        }
        if (lo == hi) {
            throw new PgException("2201G", "lower bound cannot equal upper bound");
        }
        if (lo < hi) {
            if (op < lo) {
                return 0;
            }
            if (op >= hi) {
                return Math.addExact(count, 1);
            }
            return (int) ((op - lo) / (hi - lo) * count) + 1;
        }
        if (op > lo) {
            return 0;
        }
        if (op <= hi) {
            return Math.addExact(count, 1);
        }
        return (int) ((lo - op) / (lo - hi) * count) + 1;
    }

    // ---------------------------------------------------------------- strings

    private static Routine.Impl stringFunction(String p, Type[] a, Type res) {
        switch (p) {
            case "textlen":
                return (x, t, c) -> StringFuncs.length(s(x[0]));
            case "bpcharlen":
                return (x, t, c) -> StringFuncs.length(TextIO.rtrimBlanks(s(x[0])));
            case "textoctetlen", "bpcharoctetlen":
                return (x, t, c) -> StringFuncs.octetLength(s(x[0]));
            case "byteaoctetlen":
                return (x, t, c) -> ((byte[]) x[0]).length;
            case "bit_length(25)":
                return (x, t, c) -> StringFuncs.octetLength(s(x[0])) * 8;
            case "bit_length(17)":
                return (x, t, c) -> ((byte[]) x[0]).length * 8;
            case "lower":
                return (x, t, c) -> StringFuncs.lower(s(x[0]));
            case "upper":
                return (x, t, c) -> StringFuncs.upper(s(x[0]));
            case "initcap":
                return (x, t, c) -> StringFuncs.initcap(s(x[0]));
            case "text_substr":
                return (x, t, c) -> StringFuncs.substr(s(x[0]), l(x[1]), l(x[2]));
            case "text_substr_no_len":
                return (x, t, c) -> StringFuncs.substr(s(x[0]), l(x[1]), null);
            case "bytea_substr":
                return (x, t, c) -> StringFuncs.substr((byte[]) x[0], l(x[1]), l(x[2]));
            case "bytea_substr_no_len":
                return (x, t, c) -> StringFuncs.substr((byte[]) x[0], l(x[1]), null);
            case "textregexsubstr":
                return (x, t, c) -> StringFuncs.regexSubstring(s(x[0]), s(x[1]));
            case "substring(25,25,25)":
                return (x, t, c) -> StringFuncs.regexSubstring(s(x[0]), StringFuncs.similarToRegex(s(x[1]), s(x[2])));
            case "textpos":
                return (x, t, c) -> StringFuncs.position(s(x[0]), s(x[1]));
            case "byteapos":
                return (x, t, c) -> StringFuncs.position((byte[]) x[0], (byte[]) x[1]);
            case "btrim":
                return (x, t, c) -> StringFuncs.trim(s(x[0]), s(x[1]), true, true);
            case "btrim1":
                return (x, t, c) -> StringFuncs.trim(s(x[0]), " ", true, true);
            case "ltrim":
                return (x, t, c) -> StringFuncs.trim(s(x[0]), s(x[1]), true, false);
            case "ltrim1":
                return (x, t, c) -> StringFuncs.trim(s(x[0]), " ", true, false);
            case "rtrim":
                return (x, t, c) -> StringFuncs.trim(s(x[0]), s(x[1]), false, true);
            case "rtrim1":
                return (x, t, c) -> StringFuncs.trim(s(x[0]), " ", false, true);
            case "byteatrim":
                return (x, t, c) -> StringFuncs.trim((byte[]) x[0], (byte[]) x[1], true, true);
            case "bytealtrim":
                return (x, t, c) -> StringFuncs.trim((byte[]) x[0], (byte[]) x[1], true, false);
            case "byteartrim":
                return (x, t, c) -> StringFuncs.trim((byte[]) x[0], (byte[]) x[1], false, true);
            case "replace_text":
                return (x, t, c) -> StringFuncs.replace(s(x[0]), s(x[1]), s(x[2]));
            case "text_concat":
                return (x, t, c) -> {
                    StringBuilder sb = new StringBuilder();
                    for (int k = 0; k < x.length; k++) {
                        if (x[k] != null) {
                            sb.append(outputAny(t[k], x[k], c));
                        }
                    }
                    return sb.toString();
                };
            case "text_concat_ws":
                return (x, t, c) -> {
                    if (x[0] == null) {
                        return null;
                    }
                    StringBuilder sb = new StringBuilder();
                    boolean first = true;
                    for (int k = 1; k < x.length; k++) {
                        if (x[k] != null) {
                            if (!first) {
                                sb.append(s(x[0]));
                            }
                            sb.append(outputAny(t[k], x[k], c));
                            first = false;
                        }
                    }
                    return sb.toString();
                };
            case "text_left":
                return (x, t, c) -> StringFuncs.left(s(x[0]), i(x[1]));
            case "text_right":
                return (x, t, c) -> StringFuncs.right(s(x[0]), i(x[1]));
            case "repeat":
                return (x, t, c) -> StringFuncs.repeat(s(x[0]), i(x[1]));
            case "lpad":
                return (x, t, c) -> StringFuncs.lpad(s(x[0]), i(x[1]), s(x[2]));
            case "lpad(25,23)":
                return (x, t, c) -> StringFuncs.lpad(s(x[0]), i(x[1]), " ");
            case "rpad":
                return (x, t, c) -> StringFuncs.rpad(s(x[0]), i(x[1]), s(x[2]));
            case "rpad(25,23)":
                return (x, t, c) -> StringFuncs.rpad(s(x[0]), i(x[1]), " ");
            case "split_part":
                return (x, t, c) -> StringFuncs.splitPart(s(x[0]), s(x[1]), i(x[2]));
            case "text_reverse":
                return (x, t, c) -> StringFuncs.reverse(s(x[0]));
            case "md5_text":
                return (x, t, c) -> StringFuncs.md5(s(x[0]).getBytes(StandardCharsets.UTF_8));
            case "md5_bytea":
                return (x, t, c) -> StringFuncs.md5((byte[]) x[0]);
            case "sha256_bytea":
                return (x, t, c) -> StringFuncs.sha256((byte[]) x[0]);
            case "to_hex32":
                return (x, t, c) -> StringFuncs.toHex(l(x[0]), true);
            case "to_hex64":
                return (x, t, c) -> StringFuncs.toHex(l(x[0]), false);
            case "ascii":
                return (x, t, c) -> StringFuncs.ascii(s(x[0]));
            case "chr":
                return (x, t, c) -> StringFuncs.chr(i(x[0]));
            case "text_starts_with":
                return (x, t, c) -> s(x[0]).startsWith(s(x[1]));
            case "translate":
                return (x, t, c) -> StringFuncs.translate(s(x[0]), s(x[1]), s(x[2]));
            case "textoverlay":
                return (x, t, c) -> StringFuncs.overlay(s(x[0]), s(x[1]), i(x[2]), i(x[3]));
            case "textoverlay_no_len":
                return (x, t, c) -> StringFuncs.overlay(s(x[0]), s(x[1]), i(x[2]), null);
            case "byteaoverlay", "byteaoverlay_no_len":
                return (x, t, c) -> {
                    byte[] s0 = (byte[]) x[0];
                    byte[] r0 = (byte[]) x[1];
                    int from = i(x[2]);
                    int cnt = x.length > 3 ? i(x[3]) : r0.length;
                    byte[] head = StringFuncs.substr(s0, 1, (long) from - 1);
                    byte[] tail = StringFuncs.substr(s0, (long) from + cnt, null);
                    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
                    o.writeBytes(head);
                    o.writeBytes(r0);
                    o.writeBytes(tail);
                    return o.toByteArray();
                };
            case "quote_ident":
                return (x, t, c) -> StringFuncs.quoteIdent(s(x[0]));
            case "quote_literal":
                return (x, t, c) -> StringFuncs.quoteLiteral(s(x[0]));
            case "quote_literal(2283)":
                return (x, t, c) -> StringFuncs.quoteLiteral(outputAny(t[0], x[0], c));
            case "quote_nullable":
                return (x, t, c) -> x[0] == null ? "NULL" : StringFuncs.quoteLiteral(s(x[0]));
            case "quote_nullable(2283)":
                return (x, t, c) -> x[0] == null ? "NULL" : StringFuncs.quoteLiteral(outputAny(t[0], x[0], c));
            case "text_format":
                return (x, t, c) -> {
                    if (x[0] == null) {
                        return null;
                    }
                    Object[] args = java.util.Arrays.copyOfRange(x, 1, x.length);
                    Type[] types = java.util.Arrays.copyOfRange(t, 1, t.length);
                    return StringFuncs.format(s(x[0]), args, types, c);
                };
            case "text_format_nv":
                return (x, t, c) -> x[0] == null ? null : StringFuncs.format(s(x[0]), new Object[0], new Type[0], c);
            case "binary_encode":
                return (x, t, c) -> StringFuncs.encode((byte[]) x[0], s(x[1]));
            case "binary_decode":
                return (x, t, c) -> StringFuncs.decode(s(x[0]), s(x[1]));
            case "byteaGetByte":
                return (x, t, c) -> {
                    byte[] b = (byte[]) x[0];
                    int n = i(x[1]);
                    if (n < 0 || n >= b.length) {
                        throw new PgException("2202E", "index " + n + " out of valid range, 0.." + (b.length - 1));
                    }
                    return b[n] & 0xFF;
                };
            case "byteaSetByte":
                return (x, t, c) -> {
                    byte[] b = ((byte[]) x[0]).clone();
                    int n = i(x[1]);
                    if (n < 0 || n >= b.length) {
                        throw new PgException("2202E", "index " + n + " out of valid range, 0.." + (b.length - 1));
                    }
                    b[n] = (byte) i(x[2]);
                    return b;
                };
            case "textregexreplace_noopt":
                return (x, t, c) -> StringFuncs.regexpReplace(s(x[0]), s(x[1]), s(x[2]), 1, null, null);
            case "textregexreplace":
                return (x, t, c) -> StringFuncs.regexpReplace(s(x[0]), s(x[1]), s(x[2]), 1, null, s(x[3]));
            case "textregexreplace_extended_no_n":
                return (x, t, c) -> StringFuncs.regexpReplace(s(x[0]), s(x[1]), s(x[2]), i(x[3]), null, null);
            case "textregexreplace_extended_no_flags":
                return (x, t, c) -> StringFuncs.regexpReplace(s(x[0]), s(x[1]), s(x[2]), i(x[3]), i(x[4]), null);
            case "textregexreplace_extended":
                return (x, t, c) -> StringFuncs.regexpReplace(s(x[0]), s(x[1]), s(x[2]), i(x[3]), i(x[4]), s(x[5]));
            case "regexp_match_no_flags":
                return (x, t, c) -> StringFuncs.regexpMatch(s(x[0]), s(x[1]), null);
            case "regexp_match":
                return (x, t, c) -> StringFuncs.regexpMatch(s(x[0]), s(x[1]), s(x[2]));
            case "text_to_array":
                return (x, t, c) -> x[0] == null ? null : StringFuncs.stringToArray(s(x[0]), s(x[1]), null);
            case "text_to_array_null":
                return (x, t, c) -> x[0] == null ? null : StringFuncs.stringToArray(s(x[0]), s(x[1]), s(x[2]));
            case "pg_num_nulls", "pg_num_nonnulls":
                return (x, t, c) -> {
                    int n = 0;
                    for (Object o : x) {
                        if (o == null) {
                            n++;
                        }
                    }
                    return p.equals("pg_num_nulls") ? n : x.length - n;
                };
            case "pg_typeof":
                return (x, t, c) -> (long) t[0].oid();
            case "pg_column_size":
                return (x, t, c) -> columnSize(t[0], x[0]);
            case "gen_random_uuid":
                return (x, t, c) -> java.util.UUID.randomUUID();
            case "pg_size_pretty", "pg_size_pretty_numeric":
                return (x, t, c) -> sizePretty(x[0]);
            case "numeric_to_char", "int4_to_char", "int8_to_char", "float4_to_char", "float8_to_char":
                return (x, t, c) -> Formatting.toChar(x[0], s(x[1]));
            case "numeric_to_number":
                return (x, t, c) -> Formatting.toNumber(s(x[0]), s(x[1]));
            default:
                return null;
        }
    }

    /**
     * pg_column_size: the stored size of a value read compressed or out of line (noted when it was
     * detoasted), else the size of its inline form (1-byte header up to 127 bytes, as in a tuple).
     */
    static Integer columnSize(Type t, Object v) {
        if (v == null) {
            return null;
        }
        int stored = modgres.sql.toast.StoredSizes.of(v);
        if (stored >= 0) {
            return stored;
        }
        if (t.typlen() > 0) {
            return t.typlen();
        }
        Type st = t == Types.UNKNOWN ? Types.TEXT : t;
        if (st.typlen() != -1) {
            return TextIO.output(st, v, SessionContext.DEFAULT).length() + 1;
        }
        int p = TupleCodec.payload(st, v).length;
        return p + 1 <= 127 ? p + 1 : p + 4;
    }

    static String outputAny(Type t, Object v, SessionContext c) {
        return TextIO.output(t == Types.UNKNOWN ? Types.TEXT : t, v, c);
    }

    private static String sizePretty(Object v) {
        BigDecimal size = v instanceof BigDecimal b ? b : BigDecimal.valueOf(l(v));
        String[] units = {"bytes", "kB", "MB", "GB", "TB", "PB"};
        BigDecimal limit = BigDecimal.valueOf(10 * 1024);
        BigDecimal limit2 = BigDecimal.valueOf(10 * 1024 * 2 - 1);
        int u = 0;
        BigDecimal s = size;
        while (u < units.length - 1 && s.abs().compareTo(u == 0 ? limit : limit2) >= 0) {
            if (u == 0) {
                s = s.divide(BigDecimal.valueOf(512), 0, java.math.RoundingMode.FLOOR);
            } else {
                s = s.divide(BigDecimal.valueOf(1024), 0, java.math.RoundingMode.FLOOR);
            }
            u++;
        }
        if (u > 0) {
            // half-round: PostgreSQL keeps one extra bit, then rounds it away
            s = s.add(BigDecimal.ONE).divide(BigDecimal.valueOf(2), 0, java.math.RoundingMode.FLOOR);
        }
        return s.toPlainString() + " " + units[u];
    }

    // ---------------------------------------------------------------- date/time functions

    private static Routine.Impl dateFunction(String p, Type[] a, Type res) {
        switch (p) {
            case "now", "statement_timestamp":
                return (x, t, c) -> DateTime.fromInstant(p.equals("now") ? c.transactionStart() : c.statementStart());
            case "clock_timestamp":
                return (x, t, c) -> DateTime.fromInstant(java.time.Instant.now());
            case "timeofday":
                return (x, t, c) -> {
                    java.time.ZonedDateTime z = java.time.ZonedDateTime.now(c.timeZone());
                    return String.format(java.util.Locale.ROOT, "%ta %<tb %<td %<tH:%<tM:%<tS.%06d %<tY %s", z,
                            z.getNano() / 1000, DateTime.zoneAbbrev(DateTime.fromInstant(z.toInstant()), c.timeZone()));
                };
            case "extract_timestamp":
                return (x, t, c) -> DateTimeOps.extractTimestamp(s(x[0]), l(x[1]), null);
            case "extract_timestamptz":
                return (x, t, c) -> DateTimeOps.extractTimestamp(s(x[0]), l(x[1]), c.timeZone());
            case "extract_date":
                return (x, t, c) -> DateTimeOps.extractDate(s(x[0]), i(x[1]));
            case "extract_time":
                return (x, t, c) -> DateTimeOps.extractTime(s(x[0]), l(x[1]));
            case "extract_interval":
                return (x, t, c) -> DateTimeOps.extractInterval(s(x[0]), (Interval) x[1]);
            case "timestamp_part":
                return (x, t, c) -> DateTimeOps.toFloat(DateTimeOps.extractTimestamp(s(x[0]), l(x[1]), null));
            case "timestamptz_part":
                return (x, t, c) -> DateTimeOps.toFloat(DateTimeOps.extractTimestamp(s(x[0]), l(x[1]), c.timeZone()));
            case "date_part(25,1082)":
                return (x, t, c) -> DateTimeOps.toFloat(
                        DateTimeOps.extractTimestamp(s(x[0]), Casts.dateToTimestamp(i(x[1])), null));
            case "time_part":
                return (x, t, c) -> DateTimeOps.toFloat(DateTimeOps.extractTime(s(x[0]), l(x[1])));
            case "interval_part":
                return (x, t, c) -> DateTimeOps.toFloat(DateTimeOps.extractInterval(s(x[0]), (Interval) x[1]));
            case "timestamp_trunc":
                return (x, t, c) -> DateTimeOps.truncTimestamp(s(x[0]), l(x[1]), null);
            case "timestamptz_trunc":
                return (x, t, c) -> DateTimeOps.truncTimestamp(s(x[0]), l(x[1]), c.timeZone());
            case "timestamptz_trunc_zone":
                return (x, t, c) -> DateTimeOps.truncTimestamp(s(x[0]), l(x[1]), DateTimeOps.zone(s(x[2])));
            case "interval_trunc":
                return (x, t, c) -> DateTimeOps.truncInterval(s(x[0]), (Interval) x[1]);
            case "timestamp_age":
                return (x, t, c) -> DateTimeOps.age(l(x[0]), l(x[1]), null);
            case "timestamptz_age":
                return (x, t, c) -> DateTimeOps.age(l(x[0]), l(x[1]), c.timeZone());
            case "age(1114)":
                return (x, t, c) -> DateTimeOps.age(today(c), l(x[0]), null);
            case "age(1184)":
                return (x, t, c) -> DateTimeOps.age(DateTime.localToUtc(today(c), c.timeZone()), l(x[0]), c.timeZone());
            case "make_date":
                return (x, t, c) -> DateTimeOps.makeDate(i(x[0]), i(x[1]), i(x[2]));
            case "make_time":
                return (x, t, c) -> DateTimeOps.makeTime(i(x[0]), i(x[1]), d(x[2]));
            case "make_timestamp":
                return (x, t, c) -> DateTimeOps.makeTimestamp(i(x[0]), i(x[1]), i(x[2]), i(x[3]), i(x[4]), d(x[5]));
            case "make_timestamptz":
                return (x, t, c) -> DateTime.localToUtc(
                        DateTimeOps.makeTimestamp(i(x[0]), i(x[1]), i(x[2]), i(x[3]), i(x[4]), d(x[5])), c.timeZone());
            case "make_timestamptz_at_timezone":
                return (x, t, c) -> DateTime.localToUtc(
                        DateTimeOps.makeTimestamp(i(x[0]), i(x[1]), i(x[2]), i(x[3]), i(x[4]), d(x[5])),
                        DateTimeOps.zone(s(x[6])));
            case "make_interval":
                return (x, t, c) -> DateTimeOps.makeInterval(i(x[0]), i(x[1]), i(x[2]), i(x[3]), i(x[4]), i(x[5]),
                        d(x[6]));
            case "date_finite":
                return (x, t, c) -> i(x[0]) != DateTime.DATE_NOBEGIN && i(x[0]) != DateTime.DATE_NOEND;
            case "timestamp_finite":
                return (x, t, c) -> DateTimeOps.isFinite(l(x[0]));
            case "interval_finite":
                return (x, t, c) -> true;
            case "interval_justify_days":
                return (x, t, c) -> DateTimeOps.justifyDays((Interval) x[0]);
            case "interval_justify_hours":
                return (x, t, c) -> DateTimeOps.justifyHours((Interval) x[0]);
            case "interval_justify_interval":
                return (x, t, c) -> DateTimeOps.justifyInterval((Interval) x[0]);
            case "timestamp_to_char":
                return (x, t, c) -> Formatting.toChar(l(x[0]), s(x[1]));
            case "timestamptz_to_char":
                return (x, t, c) -> Formatting.toChar(l(x[0]), c.timeZone(), s(x[1]));
            case "interval_to_char":
                return (x, t, c) -> Formatting.toChar((Interval) x[0], s(x[1]));
            case "to_timestamp":
                return (x, t, c) -> Formatting.toTimestamp(s(x[0]), s(x[1]), c.timeZone());
            case "to_date":
                return (x, t, c) -> Formatting.toDate(s(x[0]), s(x[1]));
            case "float8_timestamptz":
                return (x, t, c) -> DateTimeOps.fromEpochSeconds(d(x[0]));
            case "timestamp_zone":
                return (x, t, c) -> DateTimeOps.fromZone(l(x[1]), s(x[0]));
            case "timestamptz_zone":
                return (x, t, c) -> DateTimeOps.atZone(l(x[1]), s(x[0]));
            case "timestamp_izone":
                return (x, t, c) -> DateTimeOps.infinite(l(x[1])) ? l(x[1])
                        : DateTime.localToUtc(l(x[1]), DateTimeOps.intervalZone((Interval) x[0]));
            case "timestamptz_izone":
                return (x, t, c) -> DateTimeOps.infinite(l(x[1])) ? l(x[1])
                        : DateTime.utcToLocal(l(x[1]), DateTimeOps.intervalZone((Interval) x[0]));
            case "timestamp_bin", "timestamptz_bin":
                return (x, t, c) -> DateTimeOps.dateBin((Interval) x[0], l(x[1]), l(x[2]));
            default:
                return null;
        }
    }

    /** current_date as a timestamp (local midnight). */
    static long today(SessionContext c) {
        long now = DateTime.utcToLocal(DateTime.fromInstant(c.transactionStart()), c.timeZone());
        return Math.floorDiv(now, DateTime.USECS_PER_DAY) * DateTime.USECS_PER_DAY;
    }
}
