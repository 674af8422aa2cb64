package modgres.sql.types;

/*
 * Design notes
 * ------------
 * float4/float8 text I/O as PostgreSQL 12+: with extra_float_digits > 0 the
 * output is the shortest decimal that reads back to the same value (Ryu's
 * result), printed plainly when the decimal exponent is in [-4, DIG) and as
 * d.ddde+XX otherwise (DIG = 15 for float8, 6 for float4). With
 * extra_float_digits <= 0 it is printf's %.{DIG+extra}g. Java 17's
 * Double.toString is not always shortest, so the shortest form is found by
 * rounding the exact binary value to 1..17 significant digits and taking
 * the first that round-trips.
 */

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

import modgres.api.error.PgException;

/** float4 and float8: input, output and the arithmetic checks. */
public final class FloatOps {
    private FloatOps() {
    }

    /** float8in. */
    public static double parseDouble(String s) {
        return parse(s, false);
    }

    /** float4in. */
    public static float parseFloat(String s) {
        return (float) parse(s, true);
    }

    private static double parse(String s, boolean single) {
        String typeName = single ? "real" : "double precision";
        String v = s.strip();
        if (v.isEmpty()) {
            throw Errors.invalidSyntax(typeName, s);
        }
        String lower = v.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "infinity", "+infinity", "inf", "+inf":
                return Double.POSITIVE_INFINITY;
            case "-infinity", "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
        }
        if (!lower.matches("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
            throw Errors.invalidSyntax(typeName, s);
        }
        BigDecimal exact;
        try {
            exact = new BigDecimal(lower);
        } catch (NumberFormatException | ArithmeticException e) {
            // exponent beyond int range: certainly out of range (or zero)
            throw new PgException("22003", "\"" + s + "\" is out of range for type " + typeName);
        }
        if (single) {
            float f = Float.parseFloat(lower);
            if (Float.isInfinite(f) || (f == 0 && exact.signum() != 0)) {
                throw new PgException("22003", "\"" + s + "\" is out of range for type " + typeName);
            }
            return f;
        }
        double d = Double.parseDouble(lower);
        if (Double.isInfinite(d) || (d == 0 && exact.signum() != 0)) {
            throw new PgException("22003", "\"" + s + "\" is out of range for type " + typeName);
        }
        return d;
    }

    /** float8out under extra_float_digits. */
    public static String format(double d, int extraFloatDigits) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (extraFloatDigits > 0) {
            return shortest(d, false);
        }
        return printfG(d, Math.max(1, 15 + extraFloatDigits));
    }

    /** float4out under extra_float_digits. */
    public static String format(float f, int extraFloatDigits) {
        if (Float.isNaN(f)) {
            return "NaN";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "Infinity" : "-Infinity";
        }
        if (extraFloatDigits > 0) {
            return shortest(f, true);
        }
        return printfG(f, Math.max(1, 6 + extraFloatDigits));
    }

    private static String shortest(double d, boolean single) {
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal best = null;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            boolean ok = single ? r.floatValue() == (float) d : r.doubleValue() == d;
            if (ok) {
                best = r;
                break;
            }
        }
        if (best == null) {
            best = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        }
        best = best.stripTrailingZeros();
        String digits = best.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - best.scale();
        int dig = single ? 6 : 15;
        StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
        if (exp < -4 || exp >= dig) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            appendExp(sb, exp);
        } else {
            sb.append(best.abs().toPlainString());
        }
        return sb.toString();
    }

    private static void appendExp(StringBuilder sb, int exp) {
        sb.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) {
            sb.append('0');
        }
        sb.append(a);
    }

    /** printf("%.{p}g"). */
    static String printfG(double d, int p) {
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        BigDecimal r = new BigDecimal(d).round(new MathContext(p, RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1;
        StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
        BigDecimal a = r.abs();
        if (exp < -4 || exp >= p) {
            String digits = a.unscaledValue().toString();
            String frac = digits.substring(1).replaceAll("0+$", "");
            sb.append(digits.charAt(0));
            if (!frac.isEmpty()) {
                sb.append('.').append(frac);
            }
            appendExp(sb, exp);
        } else {
            String plain = a.setScale(Math.max(0, p - 1 - exp), RoundingMode.HALF_EVEN).toPlainString();
            if (plain.indexOf('.') >= 0) {
                plain = plain.replaceAll("0+$", "");
                if (plain.endsWith(".")) {
                    plain = plain.substring(0, plain.length() - 1);
                }
            }
            sb.append(plain);
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- arithmetic checks

    /** float8 result check: overflow when inputs finite but result infinite, underflow to zero. */
    static double check8(double r, boolean infAllowed, boolean zeroAllowed) {
        if (Double.isInfinite(r) && !infAllowed) {
            throw new PgException("22003", "value out of range: overflow");
        }
        if (r == 0 && !zeroAllowed) {
            throw new PgException("22003", "value out of range: underflow");
        }
        return r;
    }

    static float check4(float r, boolean infAllowed, boolean zeroAllowed) {
        if (Float.isInfinite(r) && !infAllowed) {
            throw new PgException("22003", "value out of range: overflow");
        }
        if (r == 0 && !zeroAllowed) {
            throw new PgException("22003", "value out of range: underflow");
        }
        return r;
    }

    /** float8 comparison: NaN equals NaN and sorts above everything, -0 = 0. */
    public static int compare(double a, double b) {
        boolean na = Double.isNaN(a);
        boolean nb = Double.isNaN(b);
        if (na || nb) {
            return na == nb ? 0 : na ? 1 : -1;
        }
        return a < b ? -1 : a > b ? 1 : 0;
    }

    /** float8 → intN as PostgreSQL (rint, then range check). */
    static long toLong(double d, long min, long max, String typeName) {
        if (Double.isNaN(d)) {
            throw Errors.outOfRange(typeName);
        }
        double r = Math.rint(d);
        // max == -min - 1 for every integer type, and -(double) min is exact
        if (r < (double) min || r >= -(double) min) {
            throw Errors.outOfRange(typeName);
        }
        return (long) r;
    }
}
