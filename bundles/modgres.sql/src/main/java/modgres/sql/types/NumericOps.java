package modgres.sql.types;

/*
 * Design notes
 * ------------
 * numeric values are BigDecimal (finite; scale = PostgreSQL's display scale,
 * never negative) or NumericSpecial (NaN, +-Infinity). This class holds
 * their text form, the typmod coercion (apply_typmod), and the arithmetic with
 * PostgreSQL's result-scale rules:
 *   + -     max(dscale)              *   dscale1 + dscale2
 *   /       select_div_scale: at least 16 significant digits, >= both dscales
 *   sqrt, exp, ln, log, ^: at least 16 significant digits (NUMERIC_MIN_SIG_DIGITS)
 * Rounding is half away from zero (HALF_UP on BigDecimal). The weights used
 * for the scale choices are base-10000 weights, as PostgreSQL's NumericVar.
 */

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

import modgres.api.error.PgException;

/** numeric: input, output, typmod coercion and arithmetic with PostgreSQL's rules. */
public final class NumericOps {
    static final int MIN_SIG_DIGITS = 16;
    static final int MAX_DISPLAY_SCALE = 1000;
    static final int MAX_RESULT_SCALE = 2000;

    private NumericOps() {
    }

    // ---------------------------------------------------------------- text

    /** numeric_in without typmod. */
    public static Object parse(String str) {
        int i = 0;
        int n = str.length();
        while (i < n && isSpace(str.charAt(i))) {
            i++;
        }
        String rest = str.substring(i);
        Object special = null;
        int len = 0;
        String[][] specials = {{"NaN", "N"}, {"Infinity", "+"}, {"+Infinity", "+"}, {"-Infinity", "-"}, {"inf", "+"},
            {"+inf", "+"}, {"-inf", "-"}};
        for (String[] sp : specials) {
            if (rest.regionMatches(true, 0, sp[0], 0, sp[0].length())) {
                special = sp[1].equals("N") ? NumericSpecial.NAN
                        : sp[1].equals("+") ? NumericSpecial.INFINITY : NumericSpecial.NEGATIVE_INFINITY;
                len = sp[0].length();
                break;
            }
        }
        BigDecimal value = null;
        int j;
        if (special != null) {
            j = i + len;
        } else {
            j = i;
            boolean neg = false;
            if (j < n && (str.charAt(j) == '+' || str.charAt(j) == '-')) {
                neg = str.charAt(j) == '-';
                j++;
            }
            StringBuilder digits = new StringBuilder();
            int scale = 0;
            boolean dp = false;
            boolean any = false;
            while (j < n) {
                char c = str.charAt(j);
                if (c >= '0' && c <= '9') {
                    digits.append(c);
                    any = true;
                    if (dp) {
                        scale++;
                    }
                } else if (c == '.' && !dp) {
                    dp = true;
                } else {
                    break;
                }
                j++;
            }
            if (!any) {
                throw Errors.invalidSyntax("numeric", str);
            }
            long exp = 0;
            if (j < n && (str.charAt(j) == 'e' || str.charAt(j) == 'E')) {
                j++;
                boolean eneg = false;
                if (j < n && (str.charAt(j) == '+' || str.charAt(j) == '-')) {
                    eneg = str.charAt(j) == '-';
                    j++;
                }
                int es = j;
                while (j < n && Character.isDigit(str.charAt(j)) && str.charAt(j) < 128) {
                    exp = exp * 10 + (str.charAt(j) - '0');
                    if (exp > 100_000_000L) {
                        throw Errors.invalidSyntax("numeric", str);
                    }
                    j++;
                }
                if (j == es) {
                    throw Errors.invalidSyntax("numeric", str);
                }
                if (eneg) {
                    exp = -exp;
                }
            }
            BigInteger unscaled = new BigInteger(digits.toString());
            long dscale = scale - exp;
            value = new BigDecimal(neg ? unscaled.negate() : unscaled, (int) Math.max(Math.min(dscale, Integer.MAX_VALUE),
                    Integer.MIN_VALUE));
            if (dscale < 0) {
                value = value.setScale(0);
            }
            checkRange(value);
        }
        while (j < n && isSpace(str.charAt(j))) {
            j++;
        }
        if (j != n) {
            throw Errors.invalidSyntax("numeric", str);
        }
        return special != null ? special : value;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    /** numeric_in with a typmod. */
    public static Object parse(String str, int typmod) {
        return applyTypmod(parse(str), typmod);
    }

    /** numeric_out. */
    public static String format(Object v) {
        if (v instanceof NumericSpecial s) {
            return s.toString();
        }
        return ((BigDecimal) v).toPlainString();
    }

    static void checkRange(BigDecimal d) {
        if (d.signum() != 0 && d.precision() - d.scale() > 131072) {
            throw new PgException("22003", "value overflows numeric format");
        }
        if (d.scale() > 16383) {
            throw new PgException("22003", "value overflows numeric format");
        }
    }

    /** apply_typmod: round to the scale, check the precision (22003 numeric field overflow). */
    public static Object applyTypmod(Object v, int typmod) {
        if (typmod < 4) {
            return v;
        }
        int precision = Types.numericPrecision(typmod);
        int scale = Types.numericScale(typmod);
        if (v instanceof NumericSpecial s) {
            if (s == NumericSpecial.NAN) {
                return v;
            }
            throw new PgException("22003", "numeric field overflow",
                    "A field with precision " + precision + ", scale " + scale + " cannot hold an infinite value.", null);
        }
        BigDecimal d = ((BigDecimal) v).setScale(scale, RoundingMode.HALF_UP);
        if (scale < 0) {
            d = d.setScale(0);
        }
        int maxdigits = precision - scale;
        if (d.signum() != 0) {
            int ddigits = d.precision() - d.scale();
            if (ddigits > maxdigits) {
                throw new PgException("22003", "numeric field overflow",
                        "A field with precision " + precision + ", scale " + scale
                                + " must round to an absolute value less than " + (maxdigits != 0 ? "10^" + maxdigits : "1")
                                + ".",
                        null);
            }
        }
        return d;
    }

    // ---------------------------------------------------------------- conversions

    public static BigDecimal of(long v) {
        return BigDecimal.valueOf(v);
    }

    /** float8 → numeric as PostgreSQL: through the %.15g text form. */
    public static Object fromDouble(double d, int digits) {
        if (Double.isNaN(d)) {
            return NumericSpecial.NAN;
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? NumericSpecial.INFINITY : NumericSpecial.NEGATIVE_INFINITY;
        }
        if (d == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal b = new BigDecimal(d).round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0) : b;
    }

    public static double toDouble(Object v) {
        if (v instanceof NumericSpecial s) {
            return switch (s) {
                case NAN -> Double.NaN;
                case INFINITY -> Double.POSITIVE_INFINITY;
                case NEGATIVE_INFINITY -> Double.NEGATIVE_INFINITY;
            };
        }
        return ((BigDecimal) v).doubleValue();
    }

    /** numeric → integer types: round half away from zero, 22003 "<type> out of range". */
    public static long toLong(Object v, long min, long max, String typeName) {
        if (v instanceof NumericSpecial s) {
            throw Errors.feature(s == NumericSpecial.NAN ? "cannot convert NaN to " + typeName
                    : "cannot convert infinity to " + typeName);
        }
        BigDecimal r = ((BigDecimal) v).setScale(0, RoundingMode.HALF_UP);
        if (r.compareTo(BigDecimal.valueOf(min)) < 0 || r.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw Errors.outOfRange(typeName);
        }
        return r.longValue();
    }

    // ---------------------------------------------------------------- comparison

    /** numeric_cmp: NaN above everything (and equal to itself), infinities at the ends. */
    public static int compare(Object a, Object b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb || ra != 1) {
            return Integer.compare(ra, rb);
        }
        return ((BigDecimal) a).compareTo((BigDecimal) b);
    }

    private static int rank(Object v) {
        if (v instanceof NumericSpecial s) {
            return switch (s) {
                case NEGATIVE_INFINITY -> 0;
                case INFINITY -> 2;
                case NAN -> 3;
            };
        }
        return 1;
    }

    static int sign(Object v) {
        if (v instanceof NumericSpecial s) {
            return s == NumericSpecial.INFINITY ? 1 : s == NumericSpecial.NEGATIVE_INFINITY ? -1 : 0;
        }
        return ((BigDecimal) v).signum();
    }

    static Object inf(int sign) {
        return sign > 0 ? NumericSpecial.INFINITY : NumericSpecial.NEGATIVE_INFINITY;
    }

    // ---------------------------------------------------------------- arithmetic

    public static Object add(Object a, Object b) {
        if (a == NumericSpecial.NAN || b == NumericSpecial.NAN) {
            return NumericSpecial.NAN;
        }
        if (a instanceof NumericSpecial || b instanceof NumericSpecial) {
            if (a instanceof NumericSpecial && b instanceof NumericSpecial && a != b) {
                return NumericSpecial.NAN;
            }
            return a instanceof NumericSpecial ? a : b;
        }
        return checked(((BigDecimal) a).add((BigDecimal) b));
    }

    public static Object negate(Object a) {
        if (a instanceof NumericSpecial s) {
            return s == NumericSpecial.NAN ? s : inf(-sign(s));
        }
        return ((BigDecimal) a).negate();
    }

    public static Object sub(Object a, Object b) {
        return add(a, negate(b));
    }

    public static Object mul(Object a, Object b) {
        if (a == NumericSpecial.NAN || b == NumericSpecial.NAN) {
            return NumericSpecial.NAN;
        }
        if (a instanceof NumericSpecial || b instanceof NumericSpecial) {
            int s = sign(a) * sign(b);
            return s == 0 ? NumericSpecial.NAN : inf(s);
        }
        BigDecimal r = ((BigDecimal) a).multiply((BigDecimal) b);
        if (r.scale() > 16383) {
            r = r.setScale(16383, RoundingMode.HALF_UP);
        }
        return checked(r);
    }

    public static Object div(Object a, Object b) {
        if (a == NumericSpecial.NAN || b == NumericSpecial.NAN) {
            return NumericSpecial.NAN;
        }
        if (a instanceof NumericSpecial) {
            if (b instanceof NumericSpecial) {
                return NumericSpecial.NAN;
            }
            int s = sign(b);
            if (s == 0) {
                throw Errors.divisionByZero();
            }
            return inf(sign(a) * s);
        }
        if (b instanceof NumericSpecial) {
            return BigDecimal.ZERO;
        }
        BigDecimal x = (BigDecimal) a;
        BigDecimal y = (BigDecimal) b;
        if (y.signum() == 0) {
            throw Errors.divisionByZero();
        }
        int rscale = selectDivScale(x, y);
        return checked(x.divide(y, rscale, RoundingMode.HALF_UP));
    }

    /** div(numeric, numeric): the truncated quotient, scale 0. */
    public static Object divTrunc(Object a, Object b) {
        if (a == NumericSpecial.NAN || b == NumericSpecial.NAN) {
            return NumericSpecial.NAN;
        }
        if (a instanceof NumericSpecial) {
            if (b instanceof NumericSpecial) {
                return NumericSpecial.NAN;
            }
            if (sign(b) == 0) {
                throw Errors.divisionByZero();
            }
            return inf(sign(a) * sign(b));
        }
        if (b instanceof NumericSpecial) {
            return BigDecimal.ZERO;
        }
        if (((BigDecimal) b).signum() == 0) {
            throw Errors.divisionByZero();
        }
        return ((BigDecimal) a).divideToIntegralValue((BigDecimal) b).setScale(0, RoundingMode.DOWN);
    }

    public static Object mod(Object a, Object b) {
        if (a == NumericSpecial.NAN || b == NumericSpecial.NAN) {
            return NumericSpecial.NAN;
        }
        if (a instanceof NumericSpecial) {
            if (!(b instanceof NumericSpecial) && sign(b) == 0) {
                throw Errors.divisionByZero();
            }
            return NumericSpecial.NAN;
        }
        if (b instanceof NumericSpecial) {
            return a;
        }
        BigDecimal x = (BigDecimal) a;
        BigDecimal y = (BigDecimal) b;
        if (y.signum() == 0) {
            throw Errors.divisionByZero();
        }
        BigDecimal r = x.remainder(y);
        return r.setScale(Math.max(x.scale(), y.scale()));
    }

    public static Object abs(Object a) {
        if (a instanceof NumericSpecial s) {
            return s == NumericSpecial.NAN ? s : NumericSpecial.INFINITY;
        }
        return ((BigDecimal) a).abs();
    }

    public static Object signum(Object a) {
        if (a == NumericSpecial.NAN) {
            return a;
        }
        return BigDecimal.valueOf(sign(a));
    }

    public static Object ceil(Object a) {
        return a instanceof NumericSpecial ? a : ((BigDecimal) a).setScale(0, RoundingMode.CEILING);
    }

    public static Object floor(Object a) {
        return a instanceof NumericSpecial ? a : ((BigDecimal) a).setScale(0, RoundingMode.FLOOR);
    }

    /** round(numeric, int): half away from zero; a negative scale rounds left of the point. */
    public static Object round(Object a, int scale) {
        if (a instanceof NumericSpecial) {
            return a;
        }
        scale = Math.max(-MAX_RESULT_SCALE, Math.min(scale, MAX_RESULT_SCALE));
        BigDecimal r = ((BigDecimal) a).setScale(scale, RoundingMode.HALF_UP);
        return checked(scale < 0 ? r.setScale(0) : r);
    }

    public static Object trunc(Object a, int scale) {
        if (a instanceof NumericSpecial) {
            return a;
        }
        scale = Math.max(-MAX_RESULT_SCALE, Math.min(scale, MAX_RESULT_SCALE));
        BigDecimal r = ((BigDecimal) a).setScale(scale, RoundingMode.DOWN);
        return scale < 0 ? r.setScale(0) : r;
    }

    public static Object scale(Object a) {
        return a instanceof NumericSpecial ? null : ((BigDecimal) a).scale();
    }

    public static Object minScale(Object a) {
        if (a instanceof NumericSpecial) {
            return null;
        }
        BigDecimal s = ((BigDecimal) a).stripTrailingZeros();
        return Math.max(0, s.scale());
    }

    public static Object trimScale(Object a) {
        if (a instanceof NumericSpecial) {
            return a;
        }
        BigDecimal s = ((BigDecimal) a).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static BigDecimal checked(BigDecimal d) {
        checkRange(d);
        return d;
    }

    // ---------------------------------------------------------------- scale selection

    /** Base-10000 weight of the most significant nonzero group (0 for zero). */
    static int weight(BigDecimal d) {
        if (d.signum() == 0) {
            return 0;
        }
        int e = d.precision() - d.scale() - 1; // decimal exponent of the leading digit
        return Math.floorDiv(e, 4);
    }

    /** The leading base-10000 group of a nonzero value. */
    static int firstDigit(BigDecimal d) {
        if (d.signum() == 0) {
            return 0;
        }
        int w = weight(d);
        return d.abs().movePointLeft(4 * w).setScale(0, RoundingMode.DOWN).intValue();
    }

    static int selectDivScale(BigDecimal x, BigDecimal y) {
        int w1 = weight(x);
        int f1 = firstDigit(x);
        int w2 = weight(y);
        int f2 = firstDigit(y);
        int qweight = w1 - w2;
        if (f1 <= f2) {
            qweight--;
        }
        int rscale = MIN_SIG_DIGITS - qweight * 4;
        rscale = Math.max(rscale, x.scale());
        rscale = Math.max(rscale, y.scale());
        rscale = Math.max(rscale, 0);
        return Math.min(rscale, MAX_DISPLAY_SCALE);
    }

    private static int clampScale(int rscale, int... dscales) {
        for (int d : dscales) {
            rscale = Math.max(rscale, d);
        }
        return Math.min(Math.max(rscale, 0), MAX_DISPLAY_SCALE);
    }

    // ---------------------------------------------------------------- transcendental

    public static Object sqrt(Object a) {
        if (a instanceof NumericSpecial s) {
            if (s == NumericSpecial.NEGATIVE_INFINITY) {
                throw new PgException("2201F", "cannot take square root of a negative number");
            }
            return a;
        }
        BigDecimal x = (BigDecimal) a;
        if (x.signum() < 0) {
            throw new PgException("2201F", "cannot take square root of a negative number");
        }
        int sweight = (weight(x) + 1) * 4 / 2 - 1;
        int rscale = clampScale(MIN_SIG_DIGITS - sweight, x.scale());
        if (x.signum() == 0) {
            return BigDecimal.ZERO.setScale(rscale);
        }
        int prec = Math.max(1, x.precision() / 2 + rscale + 10);
        return x.sqrt(new MathContext(prec + 10, RoundingMode.HALF_EVEN)).setScale(rscale, RoundingMode.HALF_UP);
    }

    public static Object exp(Object a) {
        if (a instanceof NumericSpecial s) {
            return switch (s) {
                case NAN, INFINITY -> a;
                case NEGATIVE_INFINITY -> BigDecimal.ZERO;
            };
        }
        BigDecimal x = (BigDecimal) a;
        double val = x.doubleValue() * 0.434294481903252;
        val = Math.max(val, -MAX_RESULT_SCALE);
        val = Math.min(val, MAX_RESULT_SCALE);
        if (x.doubleValue() > MAX_RESULT_SCALE * 3) {
            throw new PgException("22003", "value overflows numeric format");
        }
        int rscale = clampScale(MIN_SIG_DIGITS - (int) val, x.scale());
        int digits = rscale + Math.max(0, (int) val) + 10;
        return expBig(x, digits).setScale(rscale, RoundingMode.HALF_UP);
    }

    public static Object ln(Object a) {
        if (a instanceof NumericSpecial s) {
            if (s == NumericSpecial.NEGATIVE_INFINITY) {
                throw new PgException("2201E", "cannot take logarithm of a negative number");
            }
            return a;
        }
        BigDecimal x = (BigDecimal) a;
        checkLogArg(x);
        int rscale = clampScale(MIN_SIG_DIGITS - estimateLnDweight(x), x.scale());
        return lnBig(x, rscale + 10).setScale(rscale, RoundingMode.HALF_UP);
    }

    private static void checkLogArg(BigDecimal x) {
        if (x.signum() == 0) {
            throw new PgException("2201E", "cannot take logarithm of zero");
        }
        if (x.signum() < 0) {
            throw new PgException("2201E", "cannot take logarithm of a negative number");
        }
    }

    /** log(base, x). */
    public static Object log(Object base, Object num) {
        if (base == NumericSpecial.NAN || num == NumericSpecial.NAN) {
            return NumericSpecial.NAN;
        }
        if (base instanceof NumericSpecial || num instanceof NumericSpecial) {
            if (sign(base) <= 0 || sign(num) <= 0) {
                throw new PgException("2201E", "cannot take logarithm of a negative number");
            }
            if (base instanceof NumericSpecial) {
                if (num instanceof NumericSpecial) {
                    return NumericSpecial.NAN;
                }
                return BigDecimal.ZERO;
            }
            return NumericSpecial.INFINITY;
        }
        BigDecimal b = (BigDecimal) base;
        BigDecimal x = (BigDecimal) num;
        checkLogArg(b);
        checkLogArg(x);
        int resultDweight = estimateLnDweight(x) - estimateLnDweight(b);
        int rscale = clampScale(MIN_SIG_DIGITS - resultDweight, b.scale(), x.scale());
        BigDecimal lnb = lnBig(b, rscale + 20);
        if (lnb.signum() == 0) {
            throw Errors.divisionByZero();
        }
        BigDecimal lnx = lnBig(x, rscale + 20);
        return lnx.divide(lnb, rscale + 10, RoundingMode.HALF_EVEN).setScale(rscale, RoundingMode.HALF_UP);
    }

    static int estimateLnDweight(BigDecimal x) {
        if (x.signum() <= 0) {
            return 0;
        }
        if (x.compareTo(new BigDecimal("0.9")) >= 0 && x.compareTo(new BigDecimal("1.1")) <= 0) {
            BigDecimal d = x.subtract(BigDecimal.ONE);
            if (d.signum() == 0) {
                return 0;
            }
            return d.precision() - d.scale() - 1;
        }
        // first two base-10000 groups of x
        int w = weight(x);
        BigDecimal g = x.movePointLeft(4 * (w - 1)).setScale(0, RoundingMode.DOWN);
        double digits = g.doubleValue();
        int dweight = (w - 1) * 4;
        double lnv = Math.log(digits) + dweight * 2.302585092994046;
        return (int) Math.log10(Math.abs(lnv));
    }

    /** a ^ b with PostgreSQL's special cases and result scale. */
    public static Object power(Object a, Object b) {
        if (a == NumericSpecial.NAN) {
            if (!(b instanceof NumericSpecial) && ((BigDecimal) b).signum() == 0) {
                return BigDecimal.ONE;
            }
            return NumericSpecial.NAN;
        }
        if (b == NumericSpecial.NAN) {
            if (!(a instanceof NumericSpecial) && ((BigDecimal) a).compareTo(BigDecimal.ONE) == 0) {
                return BigDecimal.ONE;
            }
            return NumericSpecial.NAN;
        }
        int s1 = sign(a);
        int s2 = sign(b);
        if (s1 == 0 && s2 < 0) {
            throw new PgException("2201F", "zero raised to a negative power is undefined");
        }
        if (s1 < 0 && b instanceof BigDecimal bd && !isInteger(bd)) {
            throw new PgException("2201F", "a negative number raised to a non-integer power yields a complex result");
        }
        if (a instanceof NumericSpecial || b instanceof NumericSpecial) {
            return powerSpecial(a, b, s1, s2);
        }
        BigDecimal x = (BigDecimal) a;
        BigDecimal y = (BigDecimal) b;
        if (isInteger(y) && y.abs().compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
            int e = y.intValueExact();
            int rscale = clampScale(MIN_SIG_DIGITS, x.scale());
            if (e == 0) {
                return BigDecimal.ONE.setScale(rscale);
            }
            if (x.signum() == 0) {
                return BigDecimal.ZERO.setScale(rscale);
            }
            double f = Math.abs(x.doubleValue()) == 0 ? 0 : e * Math.log10(Math.abs(x.doubleValue()));
            if (Double.isInfinite(f) || Double.isNaN(f)) {
                f = e * (Math.log10(Math.abs(x.unscaledValue().doubleValue())) - x.scale());
            }
            if (f > 32768 * 4) {
                throw new PgException("22003", "value overflows numeric format");
            }
            if (f + 1 < -MAX_DISPLAY_SCALE) {
                return BigDecimal.ZERO.setScale(MAX_DISPLAY_SCALE);
            }
            if (e > 0) {
                return checked(x.pow(e).setScale(rscale, RoundingMode.HALF_UP));
            }
            BigDecimal p = x.pow(-e);
            return BigDecimal.ONE.divide(p, rscale, RoundingMode.HALF_UP);
        }
        // non-integer exponent: exp(y * ln(x))
        if (x.signum() == 0) {
            return BigDecimal.ZERO.setScale(clampScale(MIN_SIG_DIGITS, x.scale(), y.scale()));
        }
        BigDecimal lnx = lnBig(x, 30 + Math.max(0, -estimateLnDweight(x)));
        double val = lnx.multiply(y).doubleValue();
        if (Math.abs(val) > MAX_RESULT_SCALE * 3.01) {
            if (val > 0) {
                throw new PgException("22003", "value overflows numeric format");
            }
            return BigDecimal.ZERO.setScale(MAX_DISPLAY_SCALE);
        }
        val *= 0.434294481903252;
        int rscale = clampScale(MIN_SIG_DIGITS - (int) val, x.scale(), y.scale());
        int digits = rscale + Math.max(0, (int) val) + 10;
        BigDecimal ln = lnBig(x, digits + 10);
        BigDecimal r = expBig(ln.multiply(y), digits);
        return checked(r.setScale(rscale, RoundingMode.HALF_UP));
    }

    private static Object powerSpecial(Object a, Object b, int s1, int s2) {
        if (a instanceof BigDecimal x && x.compareTo(BigDecimal.ONE) == 0) {
            return BigDecimal.ONE;
        }
        if (s2 == 0) {
            return BigDecimal.ONE;
        }
        if (b instanceof NumericSpecial) {
            if (a instanceof BigDecimal x) {
                int c = x.abs().compareTo(BigDecimal.ONE);
                if (c == 0) {
                    return BigDecimal.ONE; // -1 ^ +-inf
                }
                boolean small = c < 0;
                return (small ^ s2 > 0) ? NumericSpecial.INFINITY : BigDecimal.ZERO;
            }
            // inf ^ +-inf
            if (s1 > 0 || true) {
                return s2 > 0 ? NumericSpecial.INFINITY : BigDecimal.ZERO;
            }
        }
        // a is +-inf, b finite nonzero
        BigDecimal y = (BigDecimal) b;
        if (s1 > 0) {
            return s2 > 0 ? NumericSpecial.INFINITY : BigDecimal.ZERO;
        }
        boolean oddInt = isInteger(y) && y.toBigInteger().testBit(0);
        if (s2 < 0) {
            return BigDecimal.ZERO;
        }
        return oddInt ? NumericSpecial.NEGATIVE_INFINITY : NumericSpecial.INFINITY;
    }

    static boolean isInteger(BigDecimal d) {
        return d.signum() == 0 || d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0;
    }

    // ---------------------------------------------------------------- BigDecimal math

    /** e^x to about {@code digits} significant digits beyond the point of the result. */
    static BigDecimal expBig(BigDecimal x, int scale) {
        if (x.signum() == 0) {
            return BigDecimal.ONE;
        }
        if (x.signum() < 0) {
            BigDecimal p = expBig(x.negate(), scale + 10 + (int) (x.negate().doubleValue() * 0.4343));
            return BigDecimal.ONE.divide(p, scale + 10, RoundingMode.HALF_EVEN);
        }
        // reduce: x = k * ln2-free approach: halve until small, then square
        int halvings = 0;
        BigDecimal r = x;
        while (r.compareTo(new BigDecimal("0.01")) > 0) {
            r = r.divide(BigDecimal.valueOf(2), scale + 40, RoundingMode.HALF_EVEN);
            halvings++;
        }
        int wscale = scale + 20 + halvings;
        MathContext mc = new MathContext(wscale + (int) (x.doubleValue() * 0.4343) + 20, RoundingMode.HALF_EVEN);
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(wscale + 5);
        for (int n = 1; n < 10000; n++) {
            term = term.multiply(r, mc).divide(BigDecimal.valueOf(n), mc);
            sum = sum.add(term, mc);
            if (term.abs().compareTo(eps) < 0) {
                break;
            }
        }
        for (int i = 0; i < halvings; i++) {
            sum = sum.multiply(sum, mc);
        }
        return sum;
    }

    /** ln(x), x > 0, to {@code scale} digits after the point. */
    static BigDecimal lnBig(BigDecimal x, int scale) {
        // x = m * 10^k with m in [0.1, 1): ln x = ln m + k ln 10
        int k = x.precision() - x.scale();
        BigDecimal m = x.movePointLeft(k);
        int wscale = scale + 20;
        BigDecimal lnm = lnNear(m, wscale);
        if (k == 0) {
            return lnm;
        }
        BigDecimal ln10 = lnNear(BigDecimal.TEN, wscale + String.valueOf(Math.abs(k)).length() + 2);
        return lnm.add(ln10.multiply(BigDecimal.valueOf(k)));
    }

    private static BigDecimal lnNear(BigDecimal x, int scale) {
        // ln x = 2^n * ln(x^(1/2^n)); then atanh series: ln y = 2 * atanh((y-1)/(y+1))
        int n = 0;
        MathContext mc = new MathContext(scale + 30, RoundingMode.HALF_EVEN);
        BigDecimal y = x;
        BigDecimal lo = new BigDecimal("0.99");
        BigDecimal hi = new BigDecimal("1.01");
        while (y.compareTo(lo) < 0 || y.compareTo(hi) > 0) {
            y = y.sqrt(mc);
            n++;
        }
        BigDecimal z = y.subtract(BigDecimal.ONE).divide(y.add(BigDecimal.ONE), mc);
        BigDecimal z2 = z.multiply(z, mc);
        BigDecimal term = z;
        BigDecimal sum = z;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(scale + 25);
        for (int i = 3; i < 100000; i += 2) {
            term = term.multiply(z2, mc);
            BigDecimal t = term.divide(BigDecimal.valueOf(i), mc);
            sum = sum.add(t, mc);
            if (t.abs().compareTo(eps) < 0) {
                break;
            }
        }
        return sum.multiply(BigDecimal.valueOf(2).pow(n + 1), mc);
    }

    // ---------------------------------------------------------------- misc functions

    public static Object factorial(long n) {
        if (n < 0) {
            throw new PgException("22003", "factorial of a negative number is undefined");
        }
        if (n > 32177) {
            throw new PgException("22003", "value overflows numeric format");
        }
        BigInteger r = BigInteger.ONE;
        for (long i = 2; i <= n; i++) {
            r = r.multiply(BigInteger.valueOf(i));
        }
        return new BigDecimal(r);
    }

    public static Object gcd(Object a, Object b) {
        if (a instanceof NumericSpecial || b instanceof NumericSpecial) {
            return NumericSpecial.NAN;
        }
        BigDecimal x = (BigDecimal) a;
        BigDecimal y = (BigDecimal) b;
        int scale = Math.max(x.scale(), y.scale());
        BigInteger g = x.setScale(scale).unscaledValue().gcd(y.setScale(scale).unscaledValue());
        return new BigDecimal(g, scale);
    }

    public static Object lcm(Object a, Object b) {
        if (a instanceof NumericSpecial || b instanceof NumericSpecial) {
            return NumericSpecial.NAN;
        }
        BigDecimal x = (BigDecimal) a;
        BigDecimal y = (BigDecimal) b;
        int scale = Math.max(x.scale(), y.scale());
        if (x.signum() == 0 || y.signum() == 0) {
            return BigDecimal.ZERO.setScale(scale);
        }
        BigInteger ux = x.setScale(scale).unscaledValue();
        BigInteger uy = y.setScale(scale).unscaledValue();
        return new BigDecimal(ux.divide(ux.gcd(uy)).multiply(uy).abs(), scale);
    }

    /** width_bucket(operand, low, high, count) for numeric. */
    public static int widthBucket(Object op, Object lo, Object hi, int count) {
        if (count <= 0) {
            throw new PgException("2201G", "count must be greater than zero");
        }
        if (op instanceof NumericSpecial || lo instanceof NumericSpecial || hi instanceof NumericSpecial) {
            if (op == NumericSpecial.NAN || lo == NumericSpecial.NAN || hi == NumericSpecial.NAN) {
                throw new PgException("2201G", "operand, lower bound, and upper bound cannot be NaN");
            }
            if (lo instanceof NumericSpecial || hi instanceof NumericSpecial) {
                throw new PgException("2201G", "lower and upper bounds must be finite");
            }
        }
        int c = compare(lo, hi);
        if (c == 0) {
            throw new PgException("2201G", "lower bound cannot equal upper bound");
        }
        BigDecimal l = (BigDecimal) lo;
        BigDecimal h = (BigDecimal) hi;
        if (c < 0) {
            if (compare(op, l) < 0) {
                return 0;
            }
            if (compare(op, h) >= 0) {
                return Math.addExact(count, 1);
            }
            BigDecimal o = (BigDecimal) op;
            return o.subtract(l).multiply(BigDecimal.valueOf(count)).divide(h.subtract(l), 0, RoundingMode.FLOOR)
                    .intValue() + 1;
        }
        if (compare(op, l) > 0) {
            return 0;
        }
        if (compare(op, h) <= 0) {
            return Math.addExact(count, 1);
        }
        BigDecimal o = (BigDecimal) op;
        return l.subtract(o).multiply(BigDecimal.valueOf(count)).divide(l.subtract(h), 0, RoundingMode.FLOOR).intValue()
                + 1;
    }
}
