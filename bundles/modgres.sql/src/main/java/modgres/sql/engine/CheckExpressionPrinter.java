package modgres.sql.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import modgres.sql.ast.Expr;
import modgres.sql.ast.Keywords;
import modgres.sql.catalog.Relation;
import modgres.sql.parser.SqlParser;
import modgres.sql.types.Type;
import modgres.sql.types.Types;

/*
 * Design notes: printing a check constraint as PostgreSQL's
 * pg_get_constraintdef(oid, true) does.
 *
 * pg_constraint.conbin holds the constraint's SQL as written here, where
 * PostgreSQL keeps the expression after parse analysis and prints that
 * (ruleutils.c, pretty mode). The difference is what parse analysis adds and
 * removes: implicit casts of constants and columns to the operator's input
 * type (0::numeric, c::text for a varchar, 1::double precision), literals
 * folded into typed constants ('x'::text, '2020-01-01'::date, 5, true,
 * '-1'::integer for a negative integer), BETWEEN expanded into two
 * comparisons, IN (...) as = ANY (ARRAY[...]); and pretty mode's
 * parentheses: none around comparisons under AND/OR, always around an
 * operator expression under another operator unless both are arithmetic
 * and precedence or left-associativity makes them redundant.
 *
 * This re-types the stored expression with the table's column types and
 * PostgreSQL's operator choice for the built-in types it knows (the integer
 * family with its cross-type operators, numeric, double precision, text,
 * varchar, bpchar, date, timestamps, boolean). Anything else (functions
 * other than plain calls of columns and constants, other types, subqueries)
 * makes it give up: the stored text is printed then.
 */
/** Prints a check constraint's stored SQL as PostgreSQL prints its parsed form; see the design notes. */
final class CheckExpressionPrinter {
    private static final int UNKNOWN = 705, BOOL = 16, INT2 = 21, INT4 = 23, INT8 = 20, NUMERIC = 1700,
            FLOAT8 = 701, TEXT = 25, VARCHAR = 1043, BPCHAR = 1042, DATE = 1082, TIMESTAMP = 1114,
            TIMESTAMPTZ = 1184;

    /** Not printable here: fall back to the stored text. */
    private static final class GiveUp extends RuntimeException {
        GiveUp() {
            super(null, null, false, false);
        }
    }

    /** A printed sub-expression: its text, type, and what it is (for parentheses). */
    private record P(String text, int type, Kind kind, String constValue) {
    }

    private enum Kind { SIMPLE, CONST, OP_ARITH, OP_OTHER, BOOL_AND, BOOL_OR, BOOL_NOT, TEST }

    private final Relation rel;

    private CheckExpressionPrinter(Relation rel) {
        this.rel = rel;
    }

    /** An expression of any type (an index key) as PostgreSQL prints it, or null when this printer cannot. */
    static String printAny(Relation rel, String stored) {
        try {
            return new CheckExpressionPrinter(rel).expr(SqlParser.parseExpression(stored)).text();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The check's expression as PostgreSQL prints it, or null when this printer does not handle it. */
    static String print(Relation rel, String stored) {
        try {
            Expr e = SqlParser.parseExpression(stored);
            P p = new CheckExpressionPrinter(rel).expr(e);
            if (p.type() != BOOL) {
                return null;
            }
            return p.text();
        } catch (RuntimeException e) { // GiveUp, or a form the parser or this printer does not take
            return null;
        }
    }

    private static boolean intFamily(int t) {
        return t == INT2 || t == INT4 || t == INT8;
    }

    private static String typeName(int t) {
        Type type = Types.byOid(t);
        if (type == null) {
            throw new GiveUp();
        }
        return type.format(-1);
    }

    private P expr(Expr e) {
        if (e instanceof Expr.ColumnRef c && !c.star() && c.fields().size() == 1) {
            Relation.Column col = rel.column(c.fields().get(0));
            if (col == null) {
                throw new GiveUp();
            }
            return new P(Keywords.quoteIdentifier(col.name()), col.type(), Kind.SIMPLE, null);
        }
        if (e instanceof Expr.Constant k) {
            return switch (k.kind()) {
                case INTEGER -> new P(k.value().startsWith("-") ? "'" + k.value() + "'::integer" : k.value(), INT4,
                        Kind.CONST, k.value());
                case NUMERIC -> new P(k.value().startsWith("-") ? "'" + k.value() + "'::numeric" : k.value(),
                        NUMERIC, Kind.CONST, k.value());
                case STRING -> new P(null, UNKNOWN, Kind.CONST, k.value());
                case BOOLEAN -> new P(k.value(), BOOL, Kind.CONST, k.value());
                default -> throw new GiveUp();
            };
        }
        if (e instanceof Expr.BoolExpr b) {
            List<String> parts = new ArrayList<>();
            Kind kind = b.op() == Expr.BoolOp.AND ? Kind.BOOL_AND : b.op() == Expr.BoolOp.OR ? Kind.BOOL_OR
                    : Kind.BOOL_NOT;
            for (Expr a : b.args()) {
                P p = boolArg(expr(a));
                boolean bare = switch (p.kind()) {
                    case BOOL_NOT -> true;
                    case BOOL_AND -> kind != Kind.BOOL_NOT;
                    case BOOL_OR -> kind == Kind.BOOL_OR;
                    default -> true;
                };
                parts.add(bare ? p.text() : "(" + p.text() + ")");
            }
            if (kind == Kind.BOOL_NOT) {
                return new P("NOT " + parts.get(0), BOOL, kind, null);
            }
            return new P(String.join(kind == Kind.BOOL_AND ? " AND " : " OR ", parts), BOOL, kind, null);
        }
        if (e instanceof Expr.NullTest n) {
            P a = value(expr(n.arg()));
            return new P(operand(a, false) + (n.not() ? " IS NOT NULL" : " IS NULL"), BOOL, Kind.TEST, null);
        }
        if (e instanceof Expr.Between b && !b.symmetric()) {
            Expr lo = new Expr.BinaryOp(b.position(), modgres.sql.ast.OperatorName.of(b.not() ? "<" : ">="),
                    b.arg(), b.low());
            Expr hi = new Expr.BinaryOp(b.position(), modgres.sql.ast.OperatorName.of(b.not() ? ">" : "<="),
                    b.arg(), b.high());
            return expr(new Expr.BoolExpr(b.position(), b.not() ? Expr.BoolOp.OR : Expr.BoolOp.AND,
                    List.of(lo, hi)));
        }
        if (e instanceof Expr.InList in) {
            // x IN (a, b) is x = ANY (ARRAY[a, b]) after parse analysis; NOT IN is <> ALL
            P arg = value(expr(in.arg()));
            List<P> values = new ArrayList<>();
            int t = arg.type() == VARCHAR ? TEXT : arg.type();
            for (Expr v : in.values()) {
                P p = expr(v);
                values.add(p);
                int c = common(arg.type(), p.type());
                if (c != 0 && c != t || c == 0 && p.type() != values.get(0).type()) {
                    throw new GiveUp();
                }
                if (c == 0) {
                    t = 0;
                }
            }
            if (arg.type() == VARCHAR || arg.type() == BPCHAR) {
                throw new GiveUp(); // PostgreSQL's form casts the whole array: not printed here
            }
            List<String> items = new ArrayList<>();
            for (P p : values) {
                items.add((t == 0 ? p : cast(p, t)).text());
            }
            return new P(operand(arg, true) + (in.not() ? " <> ALL (ARRAY[" : " = ANY (ARRAY[")
                    + String.join(", ", items) + "])", BOOL, Kind.OP_OTHER, null);
        }
        if (e instanceof Expr.BinaryOp op && op.op().schema() == null) {
            return binary(op.op().name(), expr(op.left()), expr(op.right()));
        }
        if (e instanceof Expr.FuncCall f && f.name().size() == 1 && !f.star() && !f.distinct() && f.over() == null
                && f.filter() == null && f.orderBy().isEmpty()) {
            return function(f);
        }
        throw new GiveUp();
    }

    /** A boolean operand of AND/OR/NOT. */
    private static P boolArg(P p) {
        if (p.type() != BOOL) {
            throw new GiveUp();
        }
        return p;
    }

    /** A typed value: an untyped string literal alone has no type to print it with. */
    private static P value(P p) {
        if (p.type() == UNKNOWN) {
            throw new GiveUp();
        }
        return p;
    }

    /** length(text), lower(text), upper(text), btrim(text), abs(number) of one typed argument. */
    private P function(Expr.FuncCall f) {
        String name = f.name().get(0).toLowerCase(Locale.ROOT);
        if (f.args().size() != 1) {
            throw new GiveUp();
        }
        P a = value(expr(f.args().get(0)));
        boolean textArg = a.type() == TEXT || a.type() == VARCHAR;
        int result;
        switch (name) {
            case "length", "char_length", "character_length" -> {
                if (!textArg) {
                    throw new GiveUp();
                }
                a = cast(a, TEXT);
                result = INT4;
            }
            case "lower", "upper", "btrim" -> {
                if (!textArg) {
                    throw new GiveUp();
                }
                a = cast(a, TEXT);
                result = TEXT;
            }
            case "abs" -> {
                if (!intFamily(a.type()) && a.type() != NUMERIC && a.type() != FLOAT8) {
                    throw new GiveUp();
                }
                result = a.type();
            }
            default -> throw new GiveUp();
        }
        return new P(name + "(" + a.text() + ")", result, Kind.SIMPLE, null);
    }

    /** A value converted to type {@code t} as parse analysis does, printed as PostgreSQL prints the result. */
    private P cast(P p, int t) {
        if (p.type() == t) {
            return p;
        }
        if (p.type() == UNKNOWN) {
            String v = p.constValue();
            if (intFamily(t)) {
                String s = v.strip();
                if (!s.matches("[-+]?[0-9]+")) {
                    throw new GiveUp();
                }
                long n = Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
                String digits = Long.toString(n);
                return new P(n < 0 ? "'" + digits + "'::" + typeName(t) : digits, t, Kind.CONST, digits);
            }
            if (t == NUMERIC) {
                String s = v.strip();
                if (!s.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)")) {
                    throw new GiveUp();
                }
                return new P(s.startsWith("-") ? "'" + s + "'::numeric" : s, t, Kind.CONST, s);
            }
            if (t == BOOL) {
                String s = v.strip().toLowerCase(Locale.ROOT);
                if (List.of("t", "true", "yes", "y", "on", "1").contains(s)) {
                    return new P("true", BOOL, Kind.CONST, "true");
                }
                if (List.of("f", "false", "no", "n", "off", "0").contains(s)) {
                    return new P("false", BOOL, Kind.CONST, "false");
                }
                throw new GiveUp();
            }
            if (t == TEXT || t == BPCHAR || t == VARCHAR || t == DATE || t == TIMESTAMP || t == TIMESTAMPTZ) {
                return new P("'" + v.replace("'", "''") + "'::" + typeName(t), t, Kind.SIMPLE, v);
            }
            throw new GiveUp();
        }
        // an implicit cast of a typed value: printed value::type (an operator expression parenthesised)
        boolean allowed = (intFamily(p.type()) && (t == NUMERIC || t == FLOAT8 || intFamily(t)))
                || (p.type() == NUMERIC && t == FLOAT8) || (p.type() == VARCHAR && t == TEXT)
                || (p.type() == BPCHAR && t == TEXT);
        if (!allowed) {
            throw new GiveUp();
        }
        String inner = p.kind() == Kind.SIMPLE || p.kind() == Kind.CONST && !p.text().startsWith("'")
                || p.kind() == Kind.CONST ? p.text() : "(" + p.text() + ")";
        return new P(inner + "::" + typeName(t), t, Kind.SIMPLE, null);
    }

    /** The common type two operands of a built-in operator are converted to (PostgreSQL's choice), or 0. */
    private static int common(int l, int r) {
        if (l == r) {
            return l == VARCHAR ? TEXT : l;
        }
        if (l == UNKNOWN) {
            return r == VARCHAR ? TEXT : r;
        }
        if (r == UNKNOWN) {
            return l == VARCHAR ? TEXT : l;
        }
        if (intFamily(l) && intFamily(r)) {
            return 0; // cross-type integer operators: no conversion
        }
        if ((intFamily(l) || l == NUMERIC) && (intFamily(r) || r == NUMERIC)) {
            return NUMERIC;
        }
        if ((intFamily(l) || l == NUMERIC || l == FLOAT8) && (intFamily(r) || r == NUMERIC || r == FLOAT8)) {
            return FLOAT8;
        }
        if ((l == VARCHAR || l == TEXT || l == BPCHAR) && (r == VARCHAR || r == TEXT || r == BPCHAR)) {
            return TEXT;
        }
        throw new GiveUp();
    }

    private static boolean arithmetic(String op) {
        return op.equals("+") || op.equals("-") || op.equals("*") || op.equals("/") || op.equals("%");
    }

    private static boolean lowPriority(String op) {
        return op.equals("+") || op.equals("-");
    }

    private P binary(String op, P l, P r) {
        boolean comparison = List.of("=", "<>", "!=", "<", ">", "<=", ">=").contains(op);
        if (!comparison && !arithmetic(op)) {
            throw new GiveUp();
        }
        if (op.equals("!=")) {
            op = "<>";
        }
        int t = common(l.type(), r.type());
        if (t == BOOL && !comparison || t == UNKNOWN) {
            throw new GiveUp();
        }
        if (arithmetic(op) && !(intFamily(t) || t == NUMERIC || t == FLOAT8 || t == 0)) {
            throw new GiveUp();
        }
        P lc = t == 0 ? l : cast(l, t);
        P rc = t == 0 ? r : cast(r, t);
        int resultType;
        if (comparison) {
            resultType = BOOL;
        } else if (t == 0) {
            resultType = l.type() == INT8 || r.type() == INT8 ? INT8 : INT4;
        } else {
            resultType = t;
        }
        String text = operandOf(op, lc, true) + " " + op + " " + operandOf(op, rc, false);
        return new P(text, resultType, comparison ? Kind.OP_OTHER : Kind.OP_ARITH, op);
    }

    /** An operand of operator {@code parentOp}: parenthesised unless PostgreSQL's pretty mode leaves it bare. */
    private static String operandOf(String parentOp, P p, boolean left) {
        if (p.kind() == Kind.OP_ARITH && arithmetic(parentOp)) {
            String op = p.constValue();
            boolean hi = !lowPriority(op);
            boolean parentLow = lowPriority(parentOp);
            if (hi && parentLow) {
                return p.text();
            }
            if (!hi && !parentLow) {
                return "(" + p.text() + ")";
            }
            return left ? p.text() : "(" + p.text() + ")";
        }
        return operand(p, true);
    }

    private static String operand(P p, boolean underOperator) {
        return switch (p.kind()) {
            case SIMPLE, CONST -> p.text();
            default -> "(" + p.text() + ")";
        };
    }
}
