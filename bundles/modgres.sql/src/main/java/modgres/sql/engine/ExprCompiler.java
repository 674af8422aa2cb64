package modgres.sql.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import modgres.api.error.PgException;
import modgres.api.server.ServerVersion;
import modgres.sql.ast.Expr;
import modgres.sql.ast.TypeName;

/**
 * Compiles expressions of a SELECT without FROM into typed evaluators,
 * resolving types as PostgreSQL's parse analysis does for the few types this
 * engine has: literals typed int4/int8/numeric/unknown, unknown coerced to
 * the other side's type, the numeric category widened int4 &lt; int8 &lt;
 * numeric &lt; float8.
 */
final class ExprCompiler {
    /** Parameter types: 0 while not yet inferred. Grows as $n are met. */
    private final List<Integer> paramTypes = new ArrayList<>();

    ExprCompiler(int[] declared) {
        if (declared != null) {
            for (int t : declared) {
                paramTypes.add(t);
            }
        }
    }

    /** The parameter types after compilation (unresolved ones become text). */
    int[] parameterTypes() {
        int[] r = new int[paramTypes.size()];
        for (int i = 0; i < r.length; i++) {
            int t = paramTypes.get(i);
            r[i] = t == 0 || t == PgType.UNKNOWN.oid ? PgType.TEXT.oid : t;
        }
        return r;
    }

    static PgException error(String state, String msg, int pos) {
        return new PgException(state, msg, null, null, pos, null);
    }

    static PgException error(String state, String msg, String hint, int pos) {
        return new PgException(state, msg, null, hint, pos, null);
    }

    static PgException notSupported(String what, int pos) {
        return error("0A000", what + " is not supported yet", pos);
    }

    Typed compile(Expr e) {
        if (e instanceof Expr.Constant c) {
            return constant(c);
        }
        if (e instanceof Expr.Param p) {
            return param(p);
        }
        if (e instanceof Expr.TypeCast tc) {
            Typed arg = compile(tc.arg());
            PgType target = typeOf(tc.type());
            Typed r = cast(arg, target, tc.position());
            return arg.strength() <= 1 ? r.relabel(target.typname, 1) : r.relabel(arg.label(), arg.strength());
        }
        if (e instanceof Expr.ColumnRef cr) {
            if (cr.star()) {
                throw error("42601", "SELECT * with no tables specified is not valid", cr.position());
            }
            throw error("42703", "column \"" + String.join(".", cr.fields()) + "\" does not exist", cr.position());
        }
        if (e instanceof Expr.UnaryOp u) {
            return unary(u);
        }
        if (e instanceof Expr.BinaryOp b) {
            return binary(b.op().name(), compile(b.left()), compile(b.right()), b.position());
        }
        if (e instanceof Expr.BoolExpr b) {
            return bool(b);
        }
        if (e instanceof Expr.NullTest n) {
            Typed a = compile(n.arg());
            return Typed.of(PgType.BOOL, c -> (a.ev().eval(c) == null) != n.not(), "?column?", 0, n.position());
        }
        if (e instanceof Expr.BooleanTest bt) {
            Typed a = toBool(compile(bt.arg()), "IS " + bt.kind().sql.substring(3));
            return Typed.of(PgType.BOOL, c -> {
                Boolean v = (Boolean) a.ev().eval(c);
                return switch (bt.kind()) {
                    case IS_TRUE -> Boolean.TRUE.equals(v);
                    case IS_NOT_TRUE -> !Boolean.TRUE.equals(v);
                    case IS_FALSE -> Boolean.FALSE.equals(v);
                    case IS_NOT_FALSE -> !Boolean.FALSE.equals(v);
                    case IS_UNKNOWN -> v == null;
                    case IS_NOT_UNKNOWN -> v != null;
                };
            }, "?column?", 0, bt.position());
        }
        if (e instanceof Expr.DistinctFrom d) {
            Typed eq = binary("=", compile(d.left()), compile(d.right()), d.position());
            Typed[] sides = comparisonSides(compile(d.left()), compile(d.right()), "=", d.position());
            return Typed.of(PgType.BOOL, c -> {
                Object l = sides[0].ev().eval(c);
                Object r = sides[1].ev().eval(c);
                boolean same = l == null || r == null ? l == r : (Boolean) eq.ev().eval(c);
                return same == d.not();
            }, "?column?", 0, d.position());
        }
        if (e instanceof Expr.FuncCall f) {
            return function(f);
        }
        if (e instanceof Expr.SqlValueFunction s) {
            return sqlValue(s);
        }
        if (e instanceof Expr.CaseExpr ce) {
            return caseExpr(ce);
        }
        if (e instanceof Expr.SpecialFunc sf) {
            return special(sf);
        }
        throw notSupported("expression " + e.getClass().getSimpleName(), e.position());
    }

    private Typed constant(Expr.Constant c) {
        int pos = c.position();
        switch (c.kind()) {
            case INTEGER:
                int i = Integer.parseInt(c.value());
                return Typed.of(PgType.INT4, x -> i, "?column?", 0, pos);
            case NUMERIC: {
                String v = c.value();
                if (v.matches("-?[0-9]+")) {
                    try {
                        long l = Long.parseLong(v);
                        return Typed.of(PgType.INT8, x -> l, "?column?", 0, pos);
                    } catch (NumberFormatException e) {
                        // numeric
                    }
                }
                BigDecimal d = (BigDecimal) PgType.NUMERIC.input(v);
                return Typed.of(PgType.NUMERIC, x -> d, "?column?", 0, pos);
            }
            case STRING:
                String s = c.value();
                return new Typed(PgType.UNKNOWN, x -> s, "?column?", 0, s, -1, pos);
            case BOOLEAN:
                Boolean b = Boolean.valueOf(c.value());
                return Typed.of(PgType.BOOL, x -> b, "?column?", 0, pos);
            case NULL:
                return new Typed(PgType.UNKNOWN, x -> null, "?column?", 0, null, -1, pos);
            default:
                throw notSupported("bit string constants", pos);
        }
    }

    private Typed param(Expr.Param p) {
        int idx = p.number() - 1;
        while (paramTypes.size() <= idx) {
            paramTypes.add(0);
        }
        int oid = paramTypes.get(idx);
        PgType t = oid == 0 ? PgType.UNKNOWN : PgType.forParameter(oid);
        if (t == null) {
            throw notSupported("parameter type " + oid, p.position());
        }
        return new Typed(t, c -> c.param(idx), "?column?", 0, null, idx, p.position());
    }

    static PgType typeOf(TypeName tn) {
        PgType t = tn.isArray() ? null : PgType.byName(tn.baseName());
        if (t == null) {
            String n = String.join(".", tn.names());
            throw notSupported("type " + n, tn.position());
        }
        return t;
    }

    /** Implicit coercion (unknown to anything, widening in the numeric category, name to text). */
    Typed coerce(Typed e, PgType target) {
        if (e.type() == target) {
            return e;
        }
        if (e.type() == PgType.UNKNOWN) {
            if (e.paramIndex() >= 0) {
                paramTypes.set(e.paramIndex(), target.oid);
                return new Typed(target, e.ev(), e.label(), e.strength(), null, e.paramIndex(), e.position());
            }
            return cast(e, target, e.position());
        }
        return cast(e, target, e.position());
    }

    /** An explicit cast. */
    Typed cast(Typed e, PgType target, int pos) {
        PgType from = e.type();
        if (from == target) {
            return e;
        }
        if (from == PgType.UNKNOWN && e.paramIndex() < 0) {
            if (e.literal() == null) {
                return new Typed(target, x -> null, e.label(), e.strength(), null, -1, e.position());
            }
            Object v;
            try {
                v = target.input(e.literal());
            } catch (PgException ex) {
                throw error(ex.sqlState(), ex.getMessage(), e.position());
            }
            return new Typed(target, x -> v, e.label(), e.strength(), null, -1, e.position());
        }
        if (from == PgType.UNKNOWN) {
            return coerce(e, target);
        }
        Typed.Ev ev = e.ev();
        Conv conv = conversion(from, target);
        if (conv == null) {
            throw error("42846", "cannot cast type " + from.sqlName + " to " + target.sqlName, pos);
        }
        return new Typed(target, c -> {
            Object v = ev.eval(c);
            return v == null ? null : conv.apply(v, c);
        }, e.label(), e.strength(), null, -1, e.position());
    }

    @FunctionalInterface
    interface Conv {
        Object apply(Object v, EvalContext c);
    }

    static Conv conversion(PgType from, PgType to) {
        if (to == PgType.TEXT || to == PgType.NAME) {
            return (v, c) -> from.output(v, c.zone());
        }
        if (from == PgType.TEXT || from == PgType.NAME) {
            return (v, c) -> to.input((String) v);
        }
        switch (to) {
            case INT4:
                return switch (from) {
                    case INT8 -> (v, c) -> int4((Long) v);
                    case NUMERIC -> (v, c) -> int4(numericToLong((BigDecimal) v, "integer"));
                    case FLOAT8 -> (v, c) -> {
                        double d = Math.rint((Double) v);
                        if (Double.isNaN(d) || d < Integer.MIN_VALUE || d >= -(double) Integer.MIN_VALUE) {
                            throw new PgException("22003", "integer out of range");
                        }
                        return (int) d;
                    };
                    case BOOL -> (v, c) -> ((Boolean) v) ? 1 : 0;
                    default -> null;
                };
            case INT8:
                return switch (from) {
                    case INT4 -> (v, c) -> (long) (Integer) v;
                    case NUMERIC -> (v, c) -> numericToLong((BigDecimal) v, "bigint");
                    case FLOAT8 -> (v, c) -> {
                        double d = Math.rint((Double) v);
                        if (Double.isNaN(d) || d < Long.MIN_VALUE || d >= -(double) Long.MIN_VALUE) {
                            throw new PgException("22003", "bigint out of range");
                        }
                        return (long) d;
                    };
                    default -> null;
                };
            case NUMERIC:
                return switch (from) {
                    case INT4 -> (v, c) -> BigDecimal.valueOf((Integer) v);
                    case INT8 -> (v, c) -> BigDecimal.valueOf((Long) v);
                    case FLOAT8 -> (v, c) -> {
                        double d = (Double) v;
                        if (Double.isNaN(d) || Double.isInfinite(d)) {
                            throw new PgException("0A000", "numeric NaN and infinity are not supported yet");
                        }
                        BigDecimal b = new BigDecimal(d).round(new MathContext(15, RoundingMode.HALF_EVEN));
                        b = b.stripTrailingZeros();
                        return b.scale() < 0 ? b.setScale(0) : b;
                    };
                    default -> null;
                };
            case FLOAT8:
                return switch (from) {
                    case INT4 -> (v, c) -> (double) (Integer) v;
                    case INT8 -> (v, c) -> (double) (Long) v;
                    case NUMERIC -> (v, c) -> ((BigDecimal) v).doubleValue();
                    default -> null;
                };
            case BOOL:
                return from == PgType.INT4 ? (v, c) -> (Integer) v != 0 : null;
            default:
                return null;
        }
    }

    static int int4(long l) {
        if (l != (int) l) {
            throw new PgException("22003", "integer out of range");
        }
        return (int) l;
    }

    static long numericToLong(BigDecimal d, String type) {
        BigDecimal r = PgType.round(d, 0);
        if (r.toBigInteger().bitLength() > 63) {
            throw new PgException("22003", type + " out of range");
        }
        return r.longValueExact();
    }

    private Typed unary(Expr.UnaryOp u) {
        Typed a = compile(u.operand());
        String op = u.op().name();
        if (a.type() == PgType.UNKNOWN && a.paramIndex() < 0 && a.literal() != null) {
            throw error("42725", "operator is not unique: " + op + " unknown",
                    "Could not choose a best candidate operator. You might need to add explicit type casts.",
                    u.position());
        }
        if (a.type() == PgType.UNKNOWN) {
            a = coerce(a, PgType.INT4);
        }
        PgType t = a.type();
        if (!t.numeric() || !(op.equals("-") || op.equals("+"))) {
            throw error("42883", "operator does not exist: " + op + " " + t.sqlName,
                    "No operator matches the given name and argument type. You might need to add an explicit type cast.",
                    u.position());
        }
        Typed.Ev ev = a.ev();
        if (op.equals("+")) {
            return Typed.of(t, ev, "?column?", 0, u.position());
        }
        return Typed.of(t, c -> {
            Object v = ev.eval(c);
            if (v == null) {
                return null;
            }
            return switch (t) {
                case INT4 -> {
                    int i = (Integer) v;
                    if (i == Integer.MIN_VALUE) {
                        throw new PgException("22003", "integer out of range");
                    }
                    yield -i;
                }
                case INT8 -> {
                    long l = (Long) v;
                    if (l == Long.MIN_VALUE) {
                        throw new PgException("22003", "bigint out of range");
                    }
                    yield -l;
                }
                case NUMERIC -> ((BigDecimal) v).negate();
                default -> -(Double) v;
            };
        }, "?column?", 0, u.position());
    }

    private static PgException noOperator(String op, PgType l, PgType r, int pos) {
        return error("42883", "operator does not exist: " + l.sqlName + " " + op + " " + r.sqlName,
                "No operator matches the given name and argument types. You might need to add explicit type casts.",
                pos);
    }

    private static PgType textish(PgType t) {
        return t == PgType.NAME ? PgType.TEXT : t;
    }

    /** Brings both sides of a comparison to one type. */
    private Typed[] comparisonSides(Typed l, Typed r, String op, int pos) {
        PgType lt = textish(l.type());
        PgType rt = textish(r.type());
        if (lt == PgType.UNKNOWN && rt == PgType.UNKNOWN) {
            return new Typed[] {coerce(l, PgType.TEXT), coerce(r, PgType.TEXT)};
        }
        if (lt == PgType.UNKNOWN) {
            return new Typed[] {coerce(l, rt), coerce(r, rt)};
        }
        if (rt == PgType.UNKNOWN) {
            return new Typed[] {coerce(l, lt), coerce(r, lt)};
        }
        if (lt == rt) {
            return new Typed[] {coerce(l, lt), coerce(r, rt)};
        }
        if (lt.numeric() && rt.numeric()) {
            PgType t = lt.numericRank >= rt.numericRank ? lt : rt;
            return new Typed[] {coerce(l, t), coerce(r, t)};
        }
        throw noOperator(op, l.type(), r.type(), pos);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Typed binary(String op, Typed l, Typed r, int pos) {
        switch (op) {
            case "=", "<>", "!=", "<", ">", "<=", ">=": {
                Typed[] s = comparisonSides(l, r, op, pos);
                Typed.Ev le = s[0].ev();
                Typed.Ev re = s[1].ev();
                return Typed.of(PgType.BOOL, c -> {
                    Object a = le.eval(c);
                    Object b = re.eval(c);
                    if (a == null || b == null) {
                        return null;
                    }
                    int cmp = a instanceof Double da ? Double.compare(da, (Double) b)
                            : ((Comparable) a).compareTo(b);
                    return switch (op) {
                        case "=" -> cmp == 0;
                        case "<>", "!=" -> cmp != 0;
                        case "<" -> cmp < 0;
                        case ">" -> cmp > 0;
                        case "<=" -> cmp <= 0;
                        default -> cmp >= 0;
                    };
                }, "?column?", 0, pos);
            }
            case "||": {
                if (l.type() != PgType.UNKNOWN && r.type() != PgType.UNKNOWN && textish(l.type()) != PgType.TEXT
                        && textish(r.type()) != PgType.TEXT) {
                    throw noOperator(op, l.type(), r.type(), pos);
                }
                Typed a = l.type() == PgType.UNKNOWN ? coerce(l, PgType.TEXT) : cast(l, PgType.TEXT, pos);
                Typed b = r.type() == PgType.UNKNOWN ? coerce(r, PgType.TEXT) : cast(r, PgType.TEXT, pos);
                return Typed.of(PgType.TEXT, c -> {
                    Object x = a.ev().eval(c);
                    Object y = b.ev().eval(c);
                    return x == null || y == null ? null : (String) x + y;
                }, "?column?", 0, pos);
            }
            case "+", "-", "*", "/", "%", "^":
                break;
            default:
                throw noOperator(op, l.type(), r.type(), pos);
        }
        PgType lt = l.type();
        PgType rt = r.type();
        if (lt == PgType.UNKNOWN && rt == PgType.UNKNOWN) {
            if (l.paramIndex() < 0 && r.paramIndex() < 0) {
                throw error("42725", "operator is not unique: unknown " + op + " unknown",
                        "Could not choose a best candidate operator. You might need to add explicit type casts.",
                        pos);
            }
            lt = rt = PgType.INT4;
        }
        if (lt == PgType.UNKNOWN) {
            lt = rt;
        }
        if (rt == PgType.UNKNOWN) {
            rt = lt;
        }
        if (!lt.numeric() || !rt.numeric()) {
            throw noOperator(op, l.type(), r.type(), pos);
        }
        PgType t = op.equals("^") ? PgType.FLOAT8 : lt.numericRank >= rt.numericRank ? lt : rt;
        if (op.equals("^") && t != PgType.FLOAT8) {
            t = PgType.FLOAT8;
        }
        if (op.equals("^") && (lt == PgType.NUMERIC || rt == PgType.NUMERIC) && lt != PgType.FLOAT8
                && rt != PgType.FLOAT8) {
            t = PgType.NUMERIC;
        }
        Typed a = coerce(coerce(l, lt), t);
        Typed b = coerce(coerce(r, rt), t);
        PgType type = t;
        Typed.Ev ae = a.ev();
        Typed.Ev be = b.ev();
        return Typed.of(t, c -> {
            Object x = ae.eval(c);
            Object y = be.eval(c);
            if (x == null || y == null) {
                return null;
            }
            return Arith.apply(op, type, x, y);
        }, "?column?", 0, pos);
    }

    private Typed toBool(Typed t, String what) {
        if (t.type() == PgType.UNKNOWN) {
            return coerce(t, PgType.BOOL);
        }
        if (t.type() != PgType.BOOL) {
            throw error("42804", "argument of " + what + " must be type boolean, not type " + t.type().sqlName,
                    t.position());
        }
        return t;
    }

    private Typed bool(Expr.BoolExpr b) {
        List<Typed.Ev> args = new ArrayList<>();
        for (Expr e : b.args()) {
            args.add(toBool(compile(e), b.op().name()).ev());
        }
        return Typed.of(PgType.BOOL, c -> {
            switch (b.op()) {
                case NOT: {
                    Boolean v = (Boolean) args.get(0).eval(c);
                    return v == null ? null : !v;
                }
                case AND: {
                    boolean sawNull = false;
                    for (Typed.Ev a : args) {
                        Boolean v = (Boolean) a.eval(c);
                        if (v == null) {
                            sawNull = true;
                        } else if (!v) {
                            return false;
                        }
                    }
                    return sawNull ? null : Boolean.TRUE;
                }
                default: {
                    boolean sawNull = false;
                    for (Typed.Ev a : args) {
                        Boolean v = (Boolean) a.eval(c);
                        if (v == null) {
                            sawNull = true;
                        } else if (v) {
                            return true;
                        }
                    }
                    return sawNull ? null : Boolean.FALSE;
                }
            }
        }, "?column?", 0, b.position());
    }

    /** The common type of CASE / COALESCE branches, as select_common_type. */
    private List<Typed> unify(List<Typed> items, String context) {
        PgType t = null;
        Typed first = null;
        for (Typed i : items) {
            PgType it = textish(i.type());
            if (it == PgType.UNKNOWN) {
                continue;
            }
            if (t == null) {
                t = it;
                first = i;
            } else if (t != it) {
                if (t.numeric() && it.numeric()) {
                    t = t.numericRank >= it.numericRank ? t : it;
                } else {
                    throw error("42804", context + " types " + first.type().sqlName + " and " + i.type().sqlName
                            + " cannot be matched", i.position());
                }
            }
        }
        PgType target = t == null ? PgType.TEXT : t;
        List<Typed> out = new ArrayList<>();
        for (Typed i : items) {
            out.add(coerce(i, target));
        }
        return out;
    }

    private Typed caseExpr(Expr.CaseExpr ce) {
        Typed arg = ce.arg() == null ? null : compile(ce.arg());
        List<Typed> conds = new ArrayList<>();
        List<Typed> results = new ArrayList<>();
        for (Expr.CaseWhen w : ce.whens()) {
            Typed cond = compile(w.condition());
            if (arg != null) {
                cond = binary("=", arg, cond, w.condition().position());
            } else {
                cond = toBool(cond, "CASE/WHEN");
            }
            conds.add(cond);
            results.add(compile(w.result()));
        }
        results.add(ce.elseResult() == null ? new Typed(PgType.UNKNOWN, x -> null, "?column?", 0, null, -1, 0)
                : compile(ce.elseResult()));
        List<Typed> rs = unify(results, "CASE");
        return Typed.of(rs.get(0).type(), c -> {
            for (int i = 0; i < conds.size(); i++) {
                if (Boolean.TRUE.equals(conds.get(i).ev().eval(c))) {
                    return rs.get(i).ev().eval(c);
                }
            }
            return rs.get(rs.size() - 1).ev().eval(c);
        }, "case", 1, ce.position());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Typed special(Expr.SpecialFunc sf) {
        String name = sf.kind().name();
        List<Typed> args = new ArrayList<>();
        for (Expr e : sf.args()) {
            args.add(compile(e));
        }
        String label = name.toLowerCase(Locale.ROOT);
        if (sf.kind() == Expr.SpecialFuncKind.NULLIF) {
            Typed eq = binary("=", args.get(0), args.get(1), sf.position());
            Typed a = args.get(0).type() == PgType.UNKNOWN ? coerce(args.get(0), PgType.TEXT) : args.get(0);
            return Typed.of(a.type(), c -> Boolean.TRUE.equals(eq.ev().eval(c)) ? null : a.ev().eval(c), label, 2,
                    sf.position());
        }
        List<Typed> u = unify(args, name);
        return Typed.of(u.get(0).type(), c -> {
            Object best = null;
            for (Typed t : u) {
                Object v = t.ev().eval(c);
                if (v == null) {
                    continue;
                }
                if (sf.kind() == Expr.SpecialFuncKind.COALESCE) {
                    return v;
                }
                if (best == null) {
                    best = v;
                } else {
                    int cmp = ((Comparable) v).compareTo(best);
                    if (sf.kind() == Expr.SpecialFuncKind.GREATEST ? cmp > 0 : cmp < 0) {
                        best = v;
                    }
                }
            }
            return best;
        }, label, 2, sf.position());
    }

    private Typed sqlValue(Expr.SqlValueFunction s) {
        int pos = s.position();
        String label = s.kind().name().toLowerCase(Locale.ROOT);
        return switch (s.kind()) {
            case CURRENT_USER, CURRENT_ROLE, USER -> Typed.of(PgType.NAME, EvalContext::currentUser, label, 2, pos);
            case SESSION_USER -> Typed.of(PgType.NAME, EvalContext::sessionUser, label, 2, pos);
            case CURRENT_CATALOG -> Typed.of(PgType.NAME, EvalContext::database, label, 2, pos);
            case CURRENT_SCHEMA -> Typed.of(PgType.NAME, c -> "public", label, 2, pos);
            case CURRENT_TIMESTAMP -> Typed.of(PgType.TIMESTAMPTZ, c -> precision(c.transactionStart(),
                    s.precision()), label, 2, pos);
            default -> throw notSupported(s.kind().name(), pos);
        };
    }

    private static java.time.Instant precision(java.time.Instant i, Integer p) {
        if (p == null || p >= 6) {
            return i;
        }
        long unit = (long) Math.pow(10, 6 - p);
        long micros = i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
        long r = Math.floorDiv(micros + unit / 2, unit) * unit;
        return java.time.Instant.ofEpochSecond(Math.floorDiv(r, 1_000_000L), Math.floorMod(r, 1_000_000L) * 1000);
    }

    private Typed function(Expr.FuncCall f) {
        List<String> n = f.name();
        if (n.size() > 2 || (n.size() == 2 && !n.get(0).equals("pg_catalog"))) {
            throw error("42883", "function " + String.join(".", n) + "() does not exist", f.position());
        }
        String name = n.get(n.size() - 1);
        List<Typed> args = new ArrayList<>();
        for (Expr e : f.args()) {
            args.add(compile(e));
        }
        if (f.star() || f.distinct() || f.over() != null || f.filter() != null || !f.orderBy().isEmpty()) {
            throw notSupported("aggregate and window functions", f.position());
        }
        int pos = f.position();
        int argc = args.size();
        switch (name + "/" + argc) {
            case "version/0":
                String v = ServerVersion.versionString();
                return Typed.of(PgType.TEXT, c -> v, name, 2, pos);
            case "current_database/0":
                return Typed.of(PgType.NAME, EvalContext::database, name, 2, pos);
            case "current_schema/0":
                return Typed.of(PgType.NAME, c -> "public", name, 2, pos);
            case "current_user/0", "session_user/0":
                break;
            case "pg_current_wal_lsn/0":
                return Typed.of(PgType.PG_LSN, c -> modgres.api.wal.Lsn.format(c.wal(name, false).writtenPosition()),
                        name, 2, pos);
            case "pg_current_wal_insert_lsn/0":
                return Typed.of(PgType.PG_LSN, c -> modgres.api.wal.Lsn.format(c.wal(name, false).insertPosition()),
                        name, 2, pos);
            case "pg_current_wal_flush_lsn/0":
                return Typed.of(PgType.PG_LSN, c -> modgres.api.wal.Lsn.format(c.wal(name, false).flushedPosition()),
                        name, 2, pos);
            case "pg_switch_wal/0":
                return Typed.of(PgType.PG_LSN, c -> modgres.api.wal.Lsn.format(c.wal(name, true).switchSegment()),
                        name, 2, pos);
            case "pg_reload_conf/0":
                return Typed.of(PgType.BOOL, EvalContext::reloadConf, name, 2, pos);
            case "pg_backend_pid/0":
                return Typed.of(PgType.INT4, c -> (int) c.pid(), name, 2, pos);
            case "now/0", "transaction_timestamp/0":
                return Typed.of(PgType.TIMESTAMPTZ, EvalContext::transactionStart, name, 2, pos);
            case "statement_timestamp/0", "clock_timestamp/0":
                return Typed.of(PgType.TIMESTAMPTZ, c -> precision(java.time.Instant.now(), 6), name, 2, pos);
            case "current_setting/1", "current_setting/2": {
                Typed a = textArg(args.get(0));
                Typed m = argc == 2 ? coerce(args.get(1), PgType.BOOL) : null;
                if (m != null && m.type() != PgType.BOOL) {
                    break;
                }
                return Typed.of(PgType.TEXT, c -> {
                    Object s = a.ev().eval(c);
                    if (s == null) {
                        return null;
                    }
                    boolean ok = m != null && Boolean.TRUE.equals(m.ev().eval(c));
                    return c.setting((String) s, ok);
                }, name, 2, pos);
            }
            case "pg_sleep/1": {
                PgType at = args.get(0).type();
                if (at != PgType.UNKNOWN && !at.numeric()) {
                    break; // only implicit casts to double precision: function pg_sleep(text) does not exist
                }
                Typed a = coerce(args.get(0), PgType.FLOAT8);
                return Typed.of(PgType.VOID, c -> {
                    Object s = a.ev().eval(c);
                    if (s == null) {
                        return null; // strict
                    }
                    c.sleep((Double) s);
                    return "";
                }, name, 2, pos);
            }
            case "set_config/3": {
                Typed a = textArg(args.get(0));
                Typed b = textArg(args.get(1));
                Typed l = coerce(args.get(2), PgType.BOOL);
                if (l.type() != PgType.BOOL) {
                    break;
                }
                return Typed.of(PgType.TEXT, c -> {
                    Object s = a.ev().eval(c);
                    Object val = b.ev().eval(c);
                    Object loc = l.ev().eval(c);
                    if (s == null) {
                        throw new PgException("22004", "SET requires parameter name");
                    }
                    return c.setConfig((String) s, (String) val, Boolean.TRUE.equals(loc));
                }, name, 2, pos);
            }
            default:
        }
        StringBuilder sig = new StringBuilder();
        for (Typed t : args) {
            sig.append(sig.length() == 0 ? "" : ", ").append(t.type().sqlName);
        }
        throw error("42883", "function " + name + "(" + sig + ") does not exist",
                "No function matches the given name and argument types. You might need to add explicit type casts.",
                pos);
    }

    private Typed textArg(Typed t) {
        if (t.type() == PgType.UNKNOWN) {
            return coerce(t, PgType.TEXT);
        }
        if (textish(t.type()) != PgType.TEXT) {
            throw error("42883", "function does not accept type " + t.type().sqlName,
                    "No function matches the given name and argument types. You might need to add explicit type casts.",
                    t.position());
        }
        return t;
    }

    static boolean sameValue(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
