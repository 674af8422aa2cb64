package modgres.sql.types;

/*
 * Design notes
 * ------------
 * Accumulators for the built-in aggregates resolved through
 * Catalog.resolveFunction (count, sum, avg, min, max, bool_and/bool_or/every,
 * string_agg, array_agg, stddev/variance and their _samp/_pop forms), with
 * PostgreSQL's result types: sum(int2/int4) → bigint, sum(int8) → numeric,
 * avg(integers, numeric) → numeric (division scale as numeric_div),
 * avg/sum(float) → float. NULL inputs are skipped (all these aggregates are
 * strict except count(*)); over no rows the result is NULL, count's 0.
 *
 *   create(resolved) → add(args)* → result()
 */

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import modgres.api.error.PgException;

/** Accumulators of the built-in aggregate functions. */
public final class Aggregates {
    private Aggregates() {
    }

    /** The running state of one aggregate over one group. */
    public interface Accumulator {
        /** One input row's arguments (coerced to the resolved argument types). */
        void add(Object[] args);

        /** The aggregate's value for the rows added so far. */
        Object result();
    }

    /** An accumulator for a resolved aggregate call. */
    public static Accumulator create(Routine.Resolved call, SessionContext ctx) {
        Routine r = call.routine();
        if (r.kind() != Routine.Kind.AGGREGATE) {
            throw new IllegalArgumentException(r + " is not an aggregate");
        }
        Type[] at = call.argTypes();
        Type res = call.resultType();
        switch (r.name()) {
            case "count":
                return new Accumulator() {
                    long n;

                    @Override
                    public void add(Object[] args) {
                        if (args.length == 0 || args[0] != null) {
                            n++;
                        }
                    }

                    @Override
                    public Object result() {
                        return n;
                    }
                };
            case "sum":
                return new Sum(at[0], res, false);
            case "avg":
                return new Sum(at[0], res, true);
            case "min", "max": {
                boolean max = r.name().equals("max");
                return new Accumulator() {
                    Object best;

                    @Override
                    public void add(Object[] args) {
                        Object v = args[0];
                        if (v == null) {
                            return;
                        }
                        if (best == null) {
                            best = v;
                        } else {
                            int c = Compare.compare(at[0], v, best);
                            if (max ? c > 0 : c < 0) {
                                best = v;
                            }
                        }
                    }

                    @Override
                    public Object result() {
                        return best;
                    }
                };
            }
            case "bool_and", "every", "bool_or": {
                boolean and = !r.name().equals("bool_or");
                return new Accumulator() {
                    Boolean acc;

                    @Override
                    public void add(Object[] args) {
                        if (args[0] == null) {
                            return;
                        }
                        boolean v = (Boolean) args[0];
                        acc = acc == null ? v : and ? acc && v : acc || v;
                    }

                    @Override
                    public Object result() {
                        return acc;
                    }
                };
            }
            case "string_agg":
                return new Accumulator() {
                    java.io.ByteArrayOutputStream bytes;
                    StringBuilder sb;

                    @Override
                    public void add(Object[] args) {
                        if (args[0] == null) {
                            return;
                        }
                        if (at[0] == Types.BYTEA) {
                            if (bytes == null) {
                                bytes = new java.io.ByteArrayOutputStream();
                            } else if (args[1] != null) {
                                bytes.writeBytes((byte[]) args[1]);
                            }
                            bytes.writeBytes((byte[]) args[0]);
                        } else {
                            if (sb == null) {
                                sb = new StringBuilder();
                            } else if (args[1] != null) {
                                sb.append((String) args[1]);
                            }
                            sb.append((String) args[0]);
                        }
                    }

                    @Override
                    public Object result() {
                        return at[0] == Types.BYTEA ? (bytes == null ? null : bytes.toByteArray())
                                : sb == null ? null : sb.toString();
                    }
                };
            case "array_agg":
                return new Accumulator() {
                    final List<Object> vals = new ArrayList<>();
                    boolean any;

                    @Override
                    public void add(Object[] args) {
                        if (at[0].isArray()) {
                            throw Errors.feature("array_agg of arrays is not supported");
                        }
                        any = true;
                        vals.add(args[0]);
                    }

                    @Override
                    public Object result() {
                        return any ? PgArray.of(at[0], vals.toArray()) : null;
                    }
                };
            case "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
                return new Variance(at[0], r.name());
            default:
                throw Errors.feature("aggregate " + r.name() + " is not implemented");
        }
    }

    /** sum and avg. */
    private static final class Sum implements Accumulator {
        private final Type in;
        private final Type res;
        private final boolean avg;
        private long count;
        private long longSum;
        private BigInteger bigSum;
        private Object numSum;
        private double dblSum;
        private Interval ivSum;
        private boolean overflowed;

        Sum(Type in, Type res, boolean avg) {
            this.in = in;
            this.res = res;
            this.avg = avg;
        }

        @Override
        public void add(Object[] args) {
            Object v = args[0];
            if (v == null) {
                return;
            }
            count++;
            if (in == Types.INT2 || in == Types.INT4) {
                longSum += ((Number) v).longValue(); // cannot overflow before 2^32 rows
            } else if (in == Types.INT8) {
                bigSum = (bigSum == null ? BigInteger.ZERO : bigSum).add(BigInteger.valueOf((Long) v));
            } else if (in == Types.NUMERIC) {
                numSum = numSum == null ? v : NumericOps.add(numSum, v);
            } else if (in == Types.FLOAT4 || in == Types.FLOAT8) {
                double d = ((Number) v).doubleValue();
                if (in == Types.FLOAT4 && !avg) {
                    dblSum = (float) ((float) dblSum + (float) d);
                } else {
                    dblSum += d;
                }
                if (Double.isInfinite(dblSum) && !Double.isInfinite(d)) {
                    overflowed = true;
                }
            } else if (in == Types.INTERVAL) {
                ivSum = ivSum == null ? (Interval) v : DateTimeOps.add(ivSum, (Interval) v);
            } else {
                throw Errors.feature("sum/avg of " + in.sqlName() + " is not supported");
            }
        }

        @Override
        public Object result() {
            if (count == 0) {
                return null;
            }
            if (overflowed) {
                throw new PgException("22003", "value out of range: overflow");
            }
            if (in == Types.INT2 || in == Types.INT4) {
                return avg ? NumericOps.div(BigDecimal.valueOf(longSum), BigDecimal.valueOf(count)) : (Object) longSum;
            }
            if (in == Types.INT8) {
                BigDecimal s = new BigDecimal(bigSum);
                return avg ? NumericOps.div(s, BigDecimal.valueOf(count)) : s;
            }
            if (in == Types.NUMERIC) {
                return avg ? NumericOps.div(numSum, BigDecimal.valueOf(count)) : numSum;
            }
            if (in == Types.FLOAT4 || in == Types.FLOAT8) {
                if (avg) {
                    return dblSum / count;
                }
                return res == Types.FLOAT4 ? (Object) (float) dblSum : (Object) dblSum;
            }
            return avg ? DateTimeOps.div(ivSum, count) : ivSum;
        }
    }

    /** stddev/variance (sample and population). */
    private static final class Variance implements Accumulator {
        private final Type in;
        private final boolean sample;
        private final boolean stddev;
        private long n;
        private BigDecimal sumX = BigDecimal.ZERO;
        private BigDecimal sumX2 = BigDecimal.ZERO;
        private int maxScale;
        private boolean nan;
        // floats: Youngs-Cramer
        private double fN;
        private double fSx;
        private double fSxx;

        Variance(Type in, String name) {
            this.in = in;
            this.sample = !name.endsWith("_pop");
            this.stddev = name.startsWith("stddev");
        }

        private boolean floats() {
            return in == Types.FLOAT4 || in == Types.FLOAT8;
        }

        @Override
        public void add(Object[] args) {
            Object v = args[0];
            if (v == null) {
                return;
            }
            if (floats()) {
                double x = ((Number) v).doubleValue();
                fN += 1.0;
                fSx += x;
                if (fN > 1.0) {
                    double tmp = x * fN - fSx;
                    fSxx += tmp * tmp / (fN * (fN - 1.0));
                } else {
                    fSxx = Double.isNaN(x) || Double.isInfinite(x) ? Double.NaN : 0;
                }
                return;
            }
            n++;
            if (v instanceof NumericSpecial) {
                nan = true;
                return;
            }
            BigDecimal x = v instanceof BigDecimal b ? b : BigDecimal.valueOf(((Number) v).longValue());
            maxScale = Math.max(maxScale, x.scale());
            sumX = sumX.add(x);
            sumX2 = sumX2.add(x.multiply(x));
        }

        @Override
        public Object result() {
            if (floats()) {
                if (fN == 0 || (sample && fN == 1)) {
                    return null;
                }
                double var = fSxx / (sample ? fN - 1.0 : fN);
                return stddev ? Math.sqrt(var) : var;
            }
            if (n == 0 || (sample && n == 1)) {
                return null;
            }
            if (nan) {
                return NumericSpecial.NAN;
            }
            BigDecimal bn = BigDecimal.valueOf(n);
            int rscale = maxScale * 2;
            BigDecimal num = bn.multiply(sumX2).subtract(sumX.multiply(sumX)).setScale(rscale,
                    java.math.RoundingMode.HALF_UP);
            if (num.signum() <= 0) {
                return BigDecimal.ZERO.setScale(maxScale * 2 > 0 ? rscale : 0);
            }
            BigDecimal den = sample ? bn.multiply(BigDecimal.valueOf(n - 1)) : bn.multiply(bn);
            int divScale = NumericOps.selectDivScale(num, den);
            BigDecimal var = num.divide(den, divScale, java.math.RoundingMode.HALF_UP);
            if (!stddev) {
                return var;
            }
            return var.sqrt(new java.math.MathContext(divScale + var.precision() + 5)).setScale(divScale,
                    java.math.RoundingMode.HALF_UP);
        }
    }
}
