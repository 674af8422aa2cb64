package modgres.sql.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Pattern;

import modgres.api.error.PgException;
import modgres.sql.exec.TypeSystem;
import modgres.sql.types.Casts;
import modgres.sql.types.Compare;
import modgres.sql.types.NumericOps;
import modgres.sql.types.TextIO;
import modgres.sql.types.Type;
import modgres.sql.types.Types;

/**
 * Operator and function resolution for the engine (PostgreSQL's
 * oper_select_candidate and func_select_candidate, for the operators and
 * functions of the built-in types): an unknown literal takes the other
 * argument's type; numbers are promoted along int2 < int4 < int8 < numeric <
 * float4 < float8; strings compare as text; otherwise an implicit cast of one
 * side to the other decides. No match is {@code 42883}.
 */
final class Operators {
    private Operators() {
    }

    static final int BOOL = 16, INT8 = 20, INT2 = 21, INT4 = 23, TEXT = 25, FLOAT4 = 700, FLOAT8 = 701,
            UNKNOWN = 705, BPCHAR = 1042, VARCHAR = 1043, NUMERIC = 1700;

    private static int rank(int t) {
        return switch (t) {
            case INT2 -> 1;
            case INT4 -> 2;
            case INT8 -> 3;
            case NUMERIC -> 4;
            case FLOAT4 -> 5;
            case FLOAT8 -> 6;
            default -> 0;
        };
    }

    private static boolean stringy(int t) {
        return t == TEXT || t == VARCHAR || t == BPCHAR || t == 19 || t == UNKNOWN;
    }

    static PgException noOperator(String name, int l, int r) {
        String ls = l == 0 ? "" : TypeSystemImpl.type(l).sqlName() + " ";
        return new PgException("42883", "operator does not exist: " + ls + name + " "
                + TypeSystemImpl.type(r).sqlName(), null,
                "No operator matches the given name and argument types. You might need to add explicit type casts.");
    }

    private static TypeSystem.Fn fn(String name, int l, int r, int result, TypeSystem.Impl impl) {
        return new TypeSystem.Fn(name, l == 0 ? new int[] {r} : new int[] {l, r}, result, -1, impl, true);
    }

    /** The common type two arguments of a binary operator are brought to, or 0 when there is none. */
    private static int common(int l, int r) {
        if (l == r) {
            return l == UNKNOWN ? TEXT : l;
        }
        if (l == UNKNOWN) {
            return r;
        }
        if (r == UNKNOWN) {
            return l;
        }
        if (rank(l) > 0 && rank(r) > 0) {
            int hi = rank(l) >= rank(r) ? l : r;
            return hi == FLOAT4 ? FLOAT8 : hi;
        }
        if (stringy(l) && stringy(r)) {
            return TEXT;
        }
        Type a = TypeSystemImpl.type(l);
        Type b = TypeSystemImpl.type(r);
        if (Casts.canCoerce(a, b, Casts.Context.IMPLICIT)) {
            return r;
        }
        if (Casts.canCoerce(b, a, Casts.Context.IMPLICIT)) {
            return l;
        }
        return 0;
    }

    static TypeSystem.Fn resolve(TypeSystemImpl ts, String name, int l, int r) {
        if (l == 0) {
            return prefix(name, r == UNKNOWN ? NUMERIC : r);
        }
        switch (name) {
            case "=", "<>", "<", ">", "<=", ">=": {
                int t = common(l, r);
                if (t == 0) {
                    throw noOperator(name, l, r);
                }
                Type ty = TypeSystemImpl.type(t);
                TypeSystem.Impl impl = switch (name) {
                    case "=" -> (a, ex) -> Compare.equal(ty, a[0], a[1]);
                    case "<>" -> (a, ex) -> !Compare.equal(ty, a[0], a[1]);
                    case "<" -> (a, ex) -> Compare.compare(ty, a[0], a[1]) < 0;
                    case ">" -> (a, ex) -> Compare.compare(ty, a[0], a[1]) > 0;
                    case "<=" -> (a, ex) -> Compare.compare(ty, a[0], a[1]) <= 0;
                    default -> (a, ex) -> Compare.compare(ty, a[0], a[1]) >= 0;
                };
                return fn(name, t, t, BOOL, impl);
            }
            case "+", "-", "*", "/", "%", "^": {
                int t = common(l == UNKNOWN && rank(r) > 0 ? r : l, r == UNKNOWN && rank(l) > 0 ? l : r);
                if (rank(t) == 0) {
                    throw noOperator(name, l, r);
                }
                if (name.equals("^")) {
                    t = t == NUMERIC ? NUMERIC : FLOAT8;
                }
                return arith(name, t);
            }
            case "||": {
                if ((stringy(l) || l == UNKNOWN) && (stringy(r) || r == UNKNOWN)) {
                    return fn(name, TEXT, TEXT, TEXT, (a, ex) -> (String) a[0] + a[1]);
                }
                if (stringy(l) || stringy(r)) {
                    int lt = l;
                    int rt = r;
                    return new TypeSystem.Fn(name, new int[] {l == UNKNOWN ? TEXT : l, r == UNKNOWN ? TEXT : r}, TEXT,
                            -1, (a, ex) -> ts.output(lt == UNKNOWN ? TEXT : lt, a[0])
                                    + ts.output(rt == UNKNOWN ? TEXT : rt, a[1]), true);
                }
                throw noOperator(name, l, r);
            }
            case "~~", "!~~", "~~*", "!~~*", "~", "!~", "~*", "!~*": {
                if (!(stringy(l) && stringy(r))) {
                    throw noOperator(name, l, r);
                }
                boolean like = name.contains("~~");
                boolean ci = name.endsWith("*");
                boolean not = name.startsWith("!");
                return fn(name, TEXT, TEXT, BOOL, (a, ex) -> {
                    String s = (String) a[0];
                    Pattern p = like ? likePattern((String) a[1], ci) : Pattern.compile((String) a[1],
                            ci ? Pattern.CASE_INSENSITIVE : 0);
                    boolean m = like ? p.matcher(s).matches() : p.matcher(s).find();
                    return m != not;
                });
            }
            default:
                throw noOperator(name, l, r);
        }
    }

    private static TypeSystem.Fn prefix(String name, int t) {
        if (rank(t) == 0 || !(name.equals("-") || name.equals("+") || name.equals("@"))) {
            throw noOperator(name, 0, t);
        }
        TypeSystem.Impl impl = switch (t) {
            case INT2 -> (a, ex) -> {
                short v = (Short) a[0];
                if (name.equals("+")) {
                    return v;
                }
                if (v == Short.MIN_VALUE) {
                    throw new PgException("22003", "smallint out of range");
                }
                return (short) (name.equals("@") ? Math.abs(v) : -v);
            };
            case INT4 -> (a, ex) -> {
                int v = (Integer) a[0];
                if (name.equals("+")) {
                    return v;
                }
                if (v == Integer.MIN_VALUE) {
                    throw new PgException("22003", "integer out of range");
                }
                return name.equals("@") ? Math.abs(v) : -v;
            };
            case INT8 -> (a, ex) -> {
                long v = (Long) a[0];
                if (name.equals("+")) {
                    return v;
                }
                if (v == Long.MIN_VALUE) {
                    throw new PgException("22003", "bigint out of range");
                }
                return name.equals("@") ? Math.abs(v) : -v;
            };
            case NUMERIC -> (a, ex) -> name.equals("+") ? a[0] : name.equals("@") ? NumericOps.abs(a[0])
                    : NumericOps.negate(a[0]);
            case FLOAT4 -> (a, ex) -> name.equals("+") ? a[0] : name.equals("@") ? Math.abs((Float) a[0])
                    : -(Float) a[0];
            default -> (a, ex) -> name.equals("+") ? a[0] : name.equals("@") ? Math.abs((Double) a[0])
                    : -(Double) a[0];
        };
        return fn(name, 0, t, t, impl);
    }

    private static TypeSystem.Fn arith(String op, int t) {
        TypeSystem.Impl impl;
        switch (t) {
            case INT2, INT4, INT8: {
                long min = t == INT2 ? Short.MIN_VALUE : t == INT4 ? Integer.MIN_VALUE : Long.MIN_VALUE;
                long max = t == INT2 ? Short.MAX_VALUE : t == INT4 ? Integer.MAX_VALUE : Long.MAX_VALUE;
                String tn = t == INT2 ? "smallint" : t == INT4 ? "integer" : "bigint";
                impl = (a, ex) -> {
                    long x = ((Number) a[0]).longValue();
                    long y = ((Number) a[1]).longValue();
                    long r;
                    try {
                        r = switch (op) {
                            case "+" -> Math.addExact(x, y);
                            case "-" -> Math.subtractExact(x, y);
                            case "*" -> Math.multiplyExact(x, y);
                            case "/" -> {
                                if (y == 0) {
                                    throw new PgException("22012", "division by zero");
                                }
                                if (x == Long.MIN_VALUE && y == -1) {
                                    throw new ArithmeticException();
                                }
                                yield x / y;
                            }
                            default -> {
                                if (y == 0) {
                                    throw new PgException("22012", "division by zero");
                                }
                                yield y == -1 ? 0 : x % y;
                            }
                        };
                    } catch (ArithmeticException e) {
                        throw new PgException("22003", tn + " out of range");
                    }
                    if (r < min || r > max) {
                        throw new PgException("22003", tn + " out of range");
                    }
                    return t == INT2 ? (Object) (short) r : t == INT4 ? (Object) (int) r : (Object) r;
                };
                break;
            }
            case NUMERIC:
                impl = (a, ex) -> switch (op) {
                    case "+" -> NumericOps.add(a[0], a[1]);
                    case "-" -> NumericOps.sub(a[0], a[1]);
                    case "*" -> NumericOps.mul(a[0], a[1]);
                    case "/" -> NumericOps.div(a[0], a[1]);
                    case "%" -> NumericOps.mod(a[0], a[1]);
                    default -> NumericOps.power(a[0], a[1]);
                };
                break;
            default: {
                if (op.equals("%")) {
                    throw noOperator(op, t, t);
                }
                boolean f4 = t == FLOAT4;
                impl = (a, ex) -> {
                    double x = ((Number) a[0]).doubleValue();
                    double y = ((Number) a[1]).doubleValue();
                    double r = switch (op) {
                        case "+" -> x + y;
                        case "-" -> x - y;
                        case "*" -> x * y;
                        case "/" -> {
                            if (y == 0) {
                                throw new PgException("22012", "division by zero");
                            }
                            yield x / y;
                        }
                        default -> Math.pow(x, y);
                    };
                    if (Double.isInfinite(r) && !Double.isInfinite(x) && !Double.isInfinite(y)) {
                        throw new PgException("22003", "value out of range: overflow");
                    }
                    return f4 ? (Object) (float) r : (Object) r;
                };
            }
        }
        return fn(op, t, t, t, impl);
    }

    static Pattern likePattern(String p, boolean ci) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                b.append(Pattern.quote(String.valueOf(p.charAt(++i))));
            } else if (c == '%') {
                b.append(".*");
            } else if (c == '_') {
                b.append('.');
            } else {
                b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString(), Pattern.DOTALL | (ci ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE
                : 0));
    }

    static PgException noFunction(String name, int[] args) {
        StringBuilder b = new StringBuilder();
        for (int a : args) {
            b.append(b.isEmpty() ? "" : ", ").append(TypeSystemImpl.type(a).sqlName());
        }
        return new PgException("42883", "function " + name + "(" + b + ") does not exist", null,
                "No function matches the given name and argument types. You might need to add explicit type casts.");
    }

    private static TypeSystem.Fn f(String name, int[] args, int result, TypeSystem.Impl impl) {
        return new TypeSystem.Fn(name, args, result, -1, impl, true);
    }

    static TypeSystem.Fn function(TypeSystemImpl ts, String name, int[] args) {
        String n = name.toLowerCase(Locale.ROOT);
        int argc = args.length;
        boolean allText = true;
        for (int a : args) {
            allText &= stringy(a);
        }
        int a0 = argc > 0 ? args[0] : 0;
        switch (n + "/" + argc) {
            case "length/1", "char_length/1", "character_length/1":
                if (stringy(a0)) {
                    return f(n, new int[] {TEXT}, INT4, (a, ex) -> ((String) a[0]).codePointCount(0,
                            ((String) a[0]).length()));
                }
                break;
            case "octet_length/1":
                if (stringy(a0)) {
                    return f(n, new int[] {TEXT}, INT4, (a, ex) -> ((String) a[0]).getBytes(StandardCharsets.UTF_8)
                            .length);
                }
                break;
            case "lower/1", "upper/1":
                if (stringy(a0)) {
                    boolean up = n.equals("upper");
                    return f(n, new int[] {TEXT}, TEXT, (a, ex) -> up ? ((String) a[0]).toUpperCase(Locale.ROOT)
                            : ((String) a[0]).toLowerCase(Locale.ROOT));
                }
                break;
            case "like_escape/2":
                return f(n, new int[] {TEXT, TEXT}, TEXT, (a, ex) -> {
                    String p = (String) a[0];
                    String e = (String) a[1];
                    if (e.isEmpty()) {
                        return p.replace("\\", "\\\\");
                    }
                    char esc = e.charAt(0);
                    StringBuilder b = new StringBuilder();
                    for (int i = 0; i < p.length(); i++) {
                        char c = p.charAt(i);
                        if (c == esc && i + 1 < p.length()) {
                            b.append('\\').append(p.charAt(++i));
                        } else if (c == '\\') {
                            b.append("\\\\");
                        } else {
                            b.append(c);
                        }
                    }
                    return b.toString();
                });
            case "abs/1":
                if (rank(a0 == UNKNOWN ? NUMERIC : a0) > 0) {
                    TypeSystem.Fn p = prefix("@", a0 == UNKNOWN ? FLOAT8 : a0);
                    return new TypeSystem.Fn(n, p.argTypes(), p.resultType(), -1, p.impl(), true);
                }
                break;
            case "round/1", "trunc/1", "ceil/1", "ceiling/1", "floor/1":
                if (a0 == FLOAT8 || a0 == FLOAT4) {
                    return f(n, new int[] {FLOAT8}, FLOAT8, (a, ex) -> switch (n) {
                        case "round" -> Math.rint((Double) a[0]) == (Double) a[0] ? (Double) a[0]
                                : (double) Math.round((Double) a[0]);
                        case "trunc" -> (double) (long) (double) (Double) a[0];
                        case "ceil", "ceiling" -> Math.ceil((Double) a[0]);
                        default -> Math.floor((Double) a[0]);
                    });
                }
                if (rank(a0) > 0 || a0 == UNKNOWN) {
                    return f(n, new int[] {NUMERIC}, NUMERIC, (a, ex) -> switch (n) {
                        case "round" -> NumericOps.round(a[0], 0);
                        case "trunc" -> NumericOps.trunc(a[0], 0);
                        case "ceil", "ceiling" -> NumericOps.ceil(a[0]);
                        default -> NumericOps.floor(a[0]);
                    });
                }
                break;
            case "round/2", "trunc/2":
                return f(n, new int[] {NUMERIC, INT4}, NUMERIC, (a, ex) -> n.equals("round")
                        ? NumericOps.round(a[0], (Integer) a[1]) : NumericOps.trunc(a[0], (Integer) a[1]));
            case "mod/2":
                if (rank(a0) > 0 && rank(args[1]) > 0) {
                    TypeSystem.Fn m = arith("%", common(a0, args[1]));
                    return new TypeSystem.Fn(n, m.argTypes(), m.resultType(), -1, m.impl(), true);
                }
                break;
            case "substr/2", "substring/2":
                return f(n, new int[] {TEXT, INT4}, TEXT, (a, ex) -> substr((String) a[0], (Integer) a[1], null));
            case "substr/3", "substring/3":
                return f(n, new int[] {TEXT, INT4, INT4}, TEXT,
                        (a, ex) -> substr((String) a[0], (Integer) a[1], (Integer) a[2]));
            case "btrim/1", "ltrim/1", "rtrim/1":
                return f(n, new int[] {TEXT}, TEXT, (a, ex) -> trim(n, (String) a[0], " "));
            case "btrim/2", "ltrim/2", "rtrim/2":
                return f(n, new int[] {TEXT, TEXT}, TEXT, (a, ex) -> trim(n, (String) a[0], (String) a[1]));
            case "replace/3":
                return f(n, new int[] {TEXT, TEXT, TEXT}, TEXT, (a, ex) -> ((String) a[1]).isEmpty() ? a[0]
                        : ((String) a[0]).replace((String) a[1], (String) a[2]));
            case "strpos/2", "position/2":
                return f(n, new int[] {TEXT, TEXT}, INT4, (a, ex) -> {
                    String s = (String) a[0];
                    int i = s.indexOf((String) a[1]);
                    return i < 0 ? 0 : s.codePointCount(0, i) + 1;
                });
            case "repeat/2":
                return f(n, new int[] {TEXT, INT4}, TEXT, (a, ex) -> ((String) a[0]).repeat(Math.max(0,
                        (Integer) a[1])));
            case "left/2", "right/2":
                return f(n, new int[] {TEXT, INT4}, TEXT, (a, ex) -> leftRight(n, (String) a[0], (Integer) a[1]));
            case "booleq/2", "boolne/2", "boollt/2", "boolgt/2", "boolle/2", "boolge/2": {
                String op = switch (n) {
                    case "booleq" -> "=";
                    case "boolne" -> "<>";
                    case "boollt" -> "<";
                    case "boolgt" -> ">";
                    case "boolle" -> "<=";
                    default -> ">=";
                };
                TypeSystem.Fn o = resolve(ts, op, BOOL, BOOL);
                return new TypeSystem.Fn(n, new int[] {BOOL, BOOL}, BOOL, -1, o.impl(), true);
            }
            case "md5/1":
                return f(n, new int[] {TEXT}, TEXT, (a, ex) -> md5((String) a[0]));
            default:
        }
        if (n.equals("concat") && argc > 0) {
            int[] at = args.clone();
            return new TypeSystem.Fn(n, anyArgs(at), TEXT, -1, (a, ex) -> {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < a.length; i++) {
                    if (a[i] != null) {
                        b.append(at[i] == UNKNOWN || stringy(at[i]) ? a[i] : ts.output(at[i], a[i]));
                    }
                }
                return b.toString();
            }, false);
        }
        throw noFunction(n, args);
    }

    private static int[] anyArgs(int[] at) {
        int[] r = new int[at.length];
        java.util.Arrays.fill(r, 2276);
        return r;
    }

    private static String substr(String s, int start, Integer count) {
        int[] cps = s.codePoints().toArray();
        long from = start;
        long to = count == null ? Long.MAX_VALUE : (long) start + count;
        if (count != null && count < 0) {
            throw new PgException("22011", "negative substring length not allowed");
        }
        int f = (int) Math.max(1, from);
        int t = (int) Math.min(cps.length + 1L, to);
        if (t <= f) {
            return "";
        }
        return new String(cps, f - 1, t - f);
    }

    private static String trim(String kind, String s, String chars) {
        int b = 0;
        int e = s.length();
        if (!kind.equals("rtrim")) {
            while (b < e && chars.indexOf(s.charAt(b)) >= 0) {
                b++;
            }
        }
        if (!kind.equals("ltrim")) {
            while (e > b && chars.indexOf(s.charAt(e - 1)) >= 0) {
                e--;
            }
        }
        return s.substring(b, e);
    }

    private static String leftRight(String kind, String s, int n) {
        int len = s.codePointCount(0, s.length());
        int k = n >= 0 ? Math.min(n, len) : Math.max(0, len + n);
        return kind.equals("left") ? new String(s.codePoints().limit(k).toArray(), 0, k)
                : new String(s.codePoints().skip(len - k).toArray(), 0, k);
    }

    private static String md5(String s) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder();
            for (byte x : d) {
                b.append(String.format("%02x", x & 0xFF));
            }
            return b.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Type t(int oid) {
        return Types.byOid(oid);
    }

    static String out(Type t, Object v) {
        return TextIO.output(t, v, modgres.sql.types.SessionContext.DEFAULT);
    }
}
