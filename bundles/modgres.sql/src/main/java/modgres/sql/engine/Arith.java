package modgres.sql.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;

import modgres.api.error.PgException;

/** Arithmetic with PostgreSQL's overflow, division and numeric scale rules. */
final class Arith {
    private Arith() {
    }

    static PgException divisionByZero() {
        return new PgException("22012", "division by zero");
    }

    static Object apply(String op, PgType t, Object x, Object y) {
        switch (t) {
            case INT4: {
                int a = (Integer) x;
                int b = (Integer) y;
                try {
                    return switch (op) {
                        case "+" -> Math.addExact(a, b);
                        case "-" -> Math.subtractExact(a, b);
                        case "*" -> Math.multiplyExact(a, b);
                        case "/" -> {
                            if (b == 0) {
                                throw divisionByZero();
                            }
                            if (a == Integer.MIN_VALUE && b == -1) {
                                throw new ArithmeticException();
                            }
                            yield a / b;
                        }
                        default -> {
                            if (b == 0) {
                                throw divisionByZero();
                            }
                            yield b == -1 ? 0 : a % b;
                        }
                    };
                } catch (ArithmeticException e) {
                    throw new PgException("22003", "integer out of range");
                }
            }
            case INT8: {
                long a = (Long) x;
                long b = (Long) y;
                try {
                    return switch (op) {
                        case "+" -> Math.addExact(a, b);
                        case "-" -> Math.subtractExact(a, b);
                        case "*" -> Math.multiplyExact(a, b);
                        case "/" -> {
                            if (b == 0) {
                                throw divisionByZero();
                            }
                            if (a == Long.MIN_VALUE && b == -1) {
                                throw new ArithmeticException();
                            }
                            yield a / b;
                        }
                        default -> {
                            if (b == 0) {
                                throw divisionByZero();
                            }
                            yield b == -1 ? 0L : a % b;
                        }
                    };
                } catch (ArithmeticException e) {
                    throw new PgException("22003", "bigint out of range");
                }
            }
            case NUMERIC: {
                BigDecimal a = (BigDecimal) x;
                BigDecimal b = (BigDecimal) y;
                return switch (op) {
                    case "+" -> a.add(b);
                    case "-" -> a.subtract(b);
                    case "*" -> a.multiply(b);
                    case "/" -> divide(a, b);
                    case "^" -> {
                        double r = Math.pow(a.doubleValue(), b.doubleValue());
                        BigDecimal d = new BigDecimal(r);
                        int scale = Math.max(16, Math.max(a.scale(), b.scale()));
                        yield d.setScale(scale, RoundingMode.HALF_UP);
                    }
                    default -> {
                        if (b.signum() == 0) {
                            throw divisionByZero();
                        }
                        yield a.remainder(b);
                    }
                };
            }
            default: {
                double a = (Double) x;
                double b = (Double) y;
                double r = switch (op) {
                    case "+" -> a + b;
                    case "-" -> a - b;
                    case "*" -> a * b;
                    case "/" -> {
                        if (b == 0) {
                            throw divisionByZero();
                        }
                        yield a / b;
                    }
                    case "^" -> Math.pow(a, b);
                    default -> throw new PgException("42883",
                            "operator does not exist: double precision % double precision");
                };
                if (Double.isInfinite(r) && !Double.isInfinite(a) && !Double.isInfinite(b)) {
                    throw new PgException("22003", "value out of range: overflow");
                }
                if (r == 0 && a != 0 && !op.equals("-") && !op.equals("+") && !Double.isInfinite(b)) {
                    throw new PgException("22003", "value out of range: underflow");
                }
                return r;
            }
        }
    }

    /** Numeric division with select_div_scale's result scale (at least 16 significant digits). */
    static BigDecimal divide(BigDecimal a, BigDecimal b) {
        if (b.signum() == 0) {
            throw divisionByZero();
        }
        int[] wa = weight(a);
        int[] wb = weight(b);
        int qweight = wa[0] - wb[0];
        if (wa[1] <= wb[1]) {
            qweight--;
        }
        int rscale = 16 - qweight * 4;
        rscale = Math.max(rscale, Math.max(a.scale(), 0));
        rscale = Math.max(rscale, Math.max(b.scale(), 0));
        rscale = Math.max(rscale, 0);
        rscale = Math.min(rscale, 1000);
        return a.divide(b, rscale, RoundingMode.HALF_UP);
    }

    /** Weight and first digit of the number in base 10000 (0, 0 for zero). */
    private static int[] weight(BigDecimal d) {
        if (d.signum() == 0) {
            return new int[] {0, 0};
        }
        BigDecimal abs = d.abs();
        int exp10 = abs.precision() - abs.scale() - 1;
        int w = Math.floorDiv(exp10, 4);
        int first = abs.movePointLeft(4 * w).intValue();
        return new int[] {w, first};
    }
}
