package modgres.sql.exec;

import java.util.function.Supplier;

import modgres.api.error.PgException;

/**
 * The built-in aggregates over the type system's own operators: sums use the
 * argument type's {@code +} after widening as PostgreSQL does (int2/int4 sum
 * to bigint, bigint to numeric), averages divide a numeric (or float8) sum by
 * the count with the type's {@code /}, min/max use the type's ordering.
 */
final class Aggregates {
    private Aggregates() {
    }

    record Made(Supplier<Aggregate.State> factory, int resultType) {
    }

    private static final int BOOL = 16, INT8 = 20, INT2 = 21, INT4 = 23, TEXT = 25, FLOAT4 = 700, FLOAT8 = 701,
            NUMERIC = 1700, INTERVAL = 1186, MONEY = 790;

    static Made make(TypeSystem ts, String name, int argType, Ev separator, int pos) {
        switch (name) {
            case "count":
                return new Made(() -> new Aggregate.State() {
                    long n;

                    public void add(Object v) {
                        if (v != null) {
                            n++;
                        }
                    }

                    public Object result() {
                        return n;
                    }
                }, INT8);
            case "sum": {
                int acc = switch (argType) {
                    case INT2, INT4 -> INT8;
                    case INT8 -> NUMERIC;
                    case FLOAT4, FLOAT8, NUMERIC, INTERVAL, MONEY -> argType;
                    default -> throw noFunction(ts, name, argType, pos);
                };
                return new Made(summer(ts, argType, acc), acc);
            }
            case "avg": {
                int acc = switch (argType) {
                    case INT2, INT4, INT8, NUMERIC -> NUMERIC;
                    case FLOAT4, FLOAT8 -> FLOAT8;
                    case INTERVAL -> INTERVAL;
                    default -> throw noFunction(ts, name, argType, pos);
                };
                TypeSystem.Cast toAcc = argType == acc ? null : ts.cast(argType, acc, -1, TypeSystem.CastContext.IMPLICIT);
                TypeSystem.Fn plus = ts.operator("+", acc, acc);
                TypeSystem.Fn div = acc == INTERVAL ? ts.operator("/", INTERVAL, FLOAT8) : ts.operator("/", acc, acc);
                TypeSystem.Cast countCast = ts.cast(INT8, div.argTypes()[1], -1, TypeSystem.CastContext.IMPLICIT);
                return new Made(() -> new Aggregate.State() {
                    Object sum;
                    long n;

                    public void add(Object v) {
                        if (v == null) {
                            return;
                        }
                        Object x = toAcc == null ? v : toAcc.apply(v, null);
                        sum = sum == null ? x : plus.impl().apply(new Object[] {sum, x}, null);
                        n++;
                    }

                    public Object result() {
                        if (n == 0) {
                            return null;
                        }
                        return div.impl().apply(new Object[] {sum, countCast.apply(n, null)}, null);
                    }
                }, acc);
            }
            case "min":
            case "max": {
                boolean max = name.equals("max");
                return new Made(() -> new Aggregate.State() {
                    Object best;

                    public void add(Object v) {
                        if (v != null && (best == null || (ts.compare(argType, v, best) > 0) == max
                                && ts.compare(argType, v, best) != 0)) {
                            best = v;
                        }
                    }

                    public Object result() {
                        return best;
                    }
                }, argType);
            }
            case "bool_and":
            case "every":
            case "bool_or": {
                if (argType != BOOL) {
                    throw noFunction(ts, name, argType, pos);
                }
                boolean and = !name.equals("bool_or");
                return new Made(() -> new Aggregate.State() {
                    Boolean acc;

                    public void add(Object v) {
                        if (v != null) {
                            acc = acc == null ? (Boolean) v : and ? acc && (Boolean) v : acc || (Boolean) v;
                        }
                    }

                    public Object result() {
                        return acc;
                    }
                }, BOOL);
            }
            case "string_agg":
                // the argument is {value, separator}: the separator before a value is that row's
                return new Made(() -> new Aggregate.State() {
                    StringBuilder b;

                    public void add(Object v) {
                        Object[] p = (Object[]) v;
                        if (p == null || p[0] == null) {
                            return;
                        }
                        if (b == null) {
                            b = new StringBuilder();
                        } else if (p[1] != null) {
                            b.append(p[1]);
                        }
                        b.append(p[0]);
                    }

                    public Object result() {
                        return b == null ? null : b.toString();
                    }
                }, TEXT);
            default:
                throw new PgException("0A000", "aggregate function " + name + " is not supported yet");
        }
    }

    private static Supplier<Aggregate.State> summer(TypeSystem ts, int argType, int acc) {
        TypeSystem.Cast toAcc = argType == acc ? null : ts.cast(argType, acc, -1, TypeSystem.CastContext.IMPLICIT);
        TypeSystem.Fn plus = ts.operator("+", acc, acc);
        return () -> new Aggregate.State() {
            Object sum;

            public void add(Object v) {
                if (v == null) {
                    return;
                }
                Object x = toAcc == null ? v : toAcc.apply(v, null);
                sum = sum == null ? x : plus.impl().apply(new Object[] {sum, x}, null);
            }

            public Object result() {
                return sum;
            }
        };
    }

    private static PgException noFunction(TypeSystem ts, String name, int type, int pos) {
        return new PgException("42883", "function " + name + "(" + ts.format(type, -1) + ") does not exist", null,
                "No function matches the given name and argument types. You might need to add explicit type casts.",
                pos, null);
    }
}
