package modgres.sql.types;

/**
 * An interval value as PostgreSQL keeps it: months, days and microseconds,
 * separately (a month is not a fixed number of days, a day not always 24
 * hours across DST). Comparison uses {@link #span()}: 30-day months and
 * 24-hour days, as PostgreSQL's interval_cmp.
 */
public record Interval(int months, int days, long micros) implements Comparable<Interval> {
    public static final Interval ZERO = new Interval(0, 0, 0);
    public static final long USECS_PER_DAY = 86_400_000_000L;

    /** The total span in microseconds with 30-day months, as a 128-bit-safe pair (hi, lo). */
    public java.math.BigInteger span() {
        return java.math.BigInteger.valueOf(micros).add(java.math.BigInteger.valueOf((long) months * 30 + days)
                .multiply(java.math.BigInteger.valueOf(USECS_PER_DAY)));
    }

    @Override
    public int compareTo(Interval o) {
        // days*USECS fits in long for |days| < 106751; the general case needs 128 bits
        long d1 = (long) months * 30 + days;
        long d2 = (long) o.months * 30 + o.days;
        try {
            long a = Math.addExact(Math.multiplyExact(d1, USECS_PER_DAY), micros);
            long b = Math.addExact(Math.multiplyExact(d2, USECS_PER_DAY), o.micros);
            return Long.compare(a, b);
        } catch (ArithmeticException e) {
            return span().compareTo(o.span());
        }
    }

    public Interval negate() {
        return new Interval(Math.negateExact(months), Math.negateExact(days), Math.negateExact(micros));
    }
}
