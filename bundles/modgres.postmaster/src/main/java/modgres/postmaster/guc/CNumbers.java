package modgres.postmaster.guc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The C library's number conversions as PostgreSQL's settings code relies on
 * them: {@code strtol(s, &end, 0)}, {@code strtod}, {@code isspace} and
 * {@code printf("%g")} (with PostgreSQL's own spelling of infinities).
 */
final class CNumbers {

    private CNumbers() {
    }

    /** Result of a conversion: the value, where it stopped, and whether it over/underflowed (ERANGE). */
    record Scan(double value, int end, boolean range) {
    }

    /** C {@code isspace} in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * {@code strtol(s + from, &end, 0)} on a 64-bit long: leading white space,
     * optional sign, then {@code 0x} hex, {@code 0} octal or decimal. When no
     * digits are found, {@code end} is {@code from} (nothing consumed).
     */
    static Scan strtol(String s, int from) {
        int i = from;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int base = 10;
        if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && i + 2 < n && Character.digit(s.charAt(i + 2), 16) >= 0) {
            base = 16;
            i += 2;
        } else if (i < n && s.charAt(i) == '0') {
            base = 8;
        }
        int digitsStart = i;
        BigInteger acc = BigInteger.ZERO;
        BigInteger b = BigInteger.valueOf(base);
        while (i < n) {
            int d = Character.digit(s.charAt(i), base);
            if (d < 0 || s.charAt(i) > 0x7F) {
                break;
            }
            acc = acc.multiply(b).add(BigInteger.valueOf(d));
            i++;
        }
        if (i == digitsStart) {
            return new Scan(0, from, false);
        }
        if (negative) {
            acc = acc.negate();
        }
        if (acc.bitLength() > 63) {
            return new Scan(negative ? Long.MIN_VALUE : Long.MAX_VALUE, i, true);
        }
        return new Scan(acc.longValue(), i, false);
    }

    /**
     * {@code strtod(s + from, &end)}: leading white space, optional sign, then
     * {@code inf}/{@code infinity}/{@code nan}, a hexadecimal float or a
     * decimal number with optional exponent. {@code range} is set as glibc
     * sets ERANGE (overflow, or underflow of a non-zero value).
     */
    static Scan strtod(String s, int from) {
        int i = from;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (regionMatches(s, i, "infinity")) {
            return new Scan(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 8, false);
        }
        if (regionMatches(s, i, "inf")) {
            return new Scan(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, i + 3, false);
        }
        if (regionMatches(s, i, "nan")) {
            int end = i + 3;
            if (end < n && s.charAt(end) == '(') {
                int j = end + 1;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_') && s.charAt(j) < 0x80) {
                    j++;
                }
                if (j < n && s.charAt(j) == ')') {
                    end = j + 1;
                }
            }
            return new Scan(Double.NaN, end, false);
        }
        if (i + 1 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            Scan hex = hexFloat(s, i + 2, negative);
            if (hex != null) {
                return hex;
            }
            // "0x" without hex digits: the "0" alone is the number
            return new Scan(negative ? -0.0 : 0.0, i + 1, false);
        }
        int mantStart = i;
        int digits = 0;
        boolean nonZero = false;
        while (i < n && isDigit(s.charAt(i))) {
            nonZero |= s.charAt(i) != '0';
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                nonZero |= s.charAt(i) != '0';
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return new Scan(0, from, false);
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < n && isDigit(s.charAt(j))) {
                while (j < n && isDigit(s.charAt(j))) {
                    j++;
                }
                i = j;
            }
        }
        String text = s.substring(mantStart, i);
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return new Scan(0, from, false);
        }
        boolean range = Double.isInfinite(v) || (nonZero && (v == 0.0 || Math.abs(v) < Double.MIN_NORMAL));
        if (negative) {
            v = -v;
        }
        return new Scan(v, i, range);
    }

    private static Scan hexFloat(String s, int i, boolean negative) {
        int n = s.length();
        BigInteger mant = BigInteger.ZERO;
        int digits = 0;
        int fractionDigits = 0;
        while (i < n && hexDigit(s.charAt(i)) >= 0) {
            mant = mant.shiftLeft(4).add(BigInteger.valueOf(hexDigit(s.charAt(i))));
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && hexDigit(s.charAt(i)) >= 0) {
                mant = mant.shiftLeft(4).add(BigInteger.valueOf(hexDigit(s.charAt(i))));
                i++;
                digits++;
                fractionDigits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        long exp = 0;
        if (i < n && (s.charAt(i) == 'p' || s.charAt(i) == 'P')) {
            int j = i + 1;
            boolean neg = false;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                neg = s.charAt(j) == '-';
                j++;
            }
            if (j < n && isDigit(s.charAt(j))) {
                while (j < n && isDigit(s.charAt(j))) {
                    exp = Math.min(exp * 10 + (s.charAt(j) - '0'), 100000);
                    j++;
                }
                if (neg) {
                    exp = -exp;
                }
                i = j;
            }
        }
        double v = new BigDecimal(mant).doubleValue();
        v = Math.scalb(v, (int) Math.max(Math.min(exp - 4L * fractionDigits, 100000), -100000));
        boolean range = Double.isInfinite(v) || (mant.signum() != 0 && (v == 0 || Math.abs(v) < Double.MIN_NORMAL));
        return new Scan(negative ? -v : v, i, range);
    }

    private static int hexDigit(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean regionMatches(String s, int at, String word) {
        return s.regionMatches(true, at, word, 0, word.length());
    }

    /** {@code printf("%g", v)} as PostgreSQL's snprintf prints it ({@code Infinity}, {@code NaN}). */
    static String formatG(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        final int precision = 6;
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        String sign = rounded.signum() < 0 ? "-" : "";
        rounded = rounded.abs();
        if (exponent < -4 || exponent >= precision) {
            BigDecimal mantissa = rounded.movePointLeft(exponent);
            String m = stripZeros(mantissa.setScale(precision - 1, RoundingMode.UNNECESSARY).toPlainString());
            String e = String.valueOf(Math.abs(exponent));
            if (e.length() < 2) {
                e = "0" + e;
            }
            return sign + m + "e" + (exponent < 0 ? "-" : "+") + e;
        }
        int decimals = Math.max(precision - 1 - exponent, 0);
        return sign + stripZeros(rounded.setScale(decimals, RoundingMode.HALF_EVEN).toPlainString());
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
