package modgres.sql.parser;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import modgres.sql.ast.Expr;
import modgres.sql.ast.Expr.ArrayExpr;
import modgres.sql.ast.Expr.BoolExpr;
import modgres.sql.ast.Expr.BoolOp;
import modgres.sql.ast.Expr.ColumnRef;
import modgres.sql.ast.Expr.ConstKind;
import modgres.sql.ast.Expr.Constant;
import modgres.sql.ast.Expr.FuncCall;
import modgres.sql.ast.Expr.FuncSyntax;
import modgres.sql.ast.Expr.IndirectionItem;
import modgres.sql.ast.Expr.SubLinkKind;
import modgres.sql.ast.Keywords.Category;
import modgres.sql.ast.OperatorName;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.SortBy;
import modgres.sql.ast.TypeName;
import modgres.sql.ast.WindowDef;

/**
 * Expressions with PostgreSQL's precedence and associativity
 * (precedence climbing over the levels of gram.y), type names, function
 * calls with their decorations, ORDER BY lists and window specifications.
 */
abstract class ExpressionParser extends ParserBase {

    // Precedence levels, lowest first, as declared in PostgreSQL's grammar.
    static final int P_OR = 1;
    static final int P_AND = 2;
    static final int P_NOT = 3;
    static final int P_IS = 4;
    static final int P_CMP = 5;
    static final int P_LIKE = 6;
    static final int P_OP = 9;
    static final int P_ADD = 10;
    static final int P_MUL = 11;
    static final int P_EXP = 12;
    static final int P_AT = 13;
    static final int P_COLLATE = 14;
    static final int P_UMINUS = 15;
    static final int P_TYPECAST = 18;

    /** Token indexes where an attempt to read a parenthesised subquery failed (avoids repeated backtracking). */
    private final Set<Integer> notSubquery = new HashSet<>();
    /** The error of the last failed subquery attempt, to report if the alternative fails earlier. */
    protected SqlSyntaxException lastSubqueryError;

    protected ExpressionParser(String src, List<Token> tokens) {
        super(src, tokens);
    }

    /** {@code select_with_parens}: implemented by the query layer. */
    protected abstract SelectStmt selectWithParens();

    private static boolean nonAssociative(int prec) {
        return prec == P_IS || prec == P_CMP || prec == P_LIKE;
    }

    /** {@code a_expr}. */
    protected final Expr expr() {
        return parse(0, false, false);
    }

    /** {@code b_expr}: no boolean operators, IS tests other than DISTINCT FROM, LIKE, IN, BETWEEN, COLLATE, AT. */
    protected final Expr bExpr() {
        return parse(0, true, false);
    }

    /** An expression of a target list, where a following bare label ends it. */
    protected final Expr targetExpr() {
        return parse(0, false, true);
    }

    protected final List<Expr> exprList() {
        List<Expr> list = new ArrayList<>();
        do {
            list.add(expr());
        } while (acceptChar(','));
        return list;
    }

    private Expr parse(int ctx, boolean restricted, boolean targetTop) {
        Expr left = prefix(restricted);
        while (true) {
            int prec = infixPrecedence(restricted);
            if (prec < 0 || prec < ctx) {
                break;
            }
            if (prec == ctx) {
                if (nonAssociative(prec)) {
                    throw syntaxError();
                }
                break;
            }
            if (targetTop && !continuesTarget()) {
                break;
            }
            left = infix(left, prec, restricted);
        }
        return left;
    }

    /** The precedence of the operator at the current token, or -1 if it does not continue an expression. */
    private int infixPrecedence(boolean restricted) {
        Token t = peek();
        switch (t.kind()) {
            case OP:
                return P_OP;
            case TYPECAST:
                return P_TYPECAST;
            case LESS_EQUALS:
            case GREATER_EQUALS:
            case NOT_EQUALS:
                return P_CMP;
            case CHAR:
                switch (t.value()) {
                    case "<", ">", "=":
                        return P_CMP;
                    case "+", "-":
                        return P_ADD;
                    case "*", "/", "%":
                        return P_MUL;
                    case "^":
                        return P_EXP;
                    default:
                        return -1;
                }
            case KEYWORD:
                break;
            default:
                return -1;
        }
        String w = t.value();
        if (w.equals("operator")) {
            return isChar(1, '(') ? P_OP : -1;
        }
        if (w.equals("is")) {
            return P_IS;
        }
        if (restricted) {
            return -1;
        }
        switch (w) {
            case "or":
                return P_OR;
            case "and":
                return P_AND;
            case "isnull":
            case "notnull":
                return P_IS;
            case "between":
            case "in":
            case "like":
            case "ilike":
                return P_LIKE;
            case "similar":
                return isKw(1, "to") ? P_LIKE : -1;
            case "not":
                return isAnyKwAt(1, "between", "in", "like", "ilike", "similar") ? P_LIKE : -1;
            case "at":
                return isKw(1, "time") ? P_AT : -1;
            case "collate":
                return P_COLLATE;
            default:
                return -1;
        }
    }

    protected final boolean isAnyKwAt(int k, String... words) {
        Token t = peek(k);
        if (t.kind() != TokenKind.KEYWORD) {
            return false;
        }
        for (String w : words) {
            if (t.value().equals(w)) {
                return true;
            }
        }
        return false;
    }

    /**
     * In a target list a key word that may be a bare column label ends the
     * expression unless what follows it can only continue the expression
     * ({@code SELECT 1 is} labels the column "is").
     */
    private boolean continuesTarget() {
        Token t = peek();
        if (t.kind() != TokenKind.KEYWORD) {
            return true;
        }
        return switch (t.value()) {
            case "and", "or", "like", "ilike" -> canStartExpr(peek(1));
            case "between" -> canStartExpr(peek(1)) || isAnyKwAt(1, "symmetric", "asymmetric");
            case "is" -> isAnyKwAt(1, "not", "null", "true", "false", "unknown", "distinct", "document",
                    "normalized", "nfc", "nfd", "nfkc", "nfkd");
            case "in" -> isChar(1, '(');
            case "collate" -> isColId(peek(1));
            default -> true;
        };
    }

    /** Whether the token can begin an expression. */
    protected static boolean canStartExpr(Token t) {
        switch (t.kind()) {
            case IDENT, SCONST, BCONST, XCONST, ICONST, FCONST, PARAM, OP:
                return true;
            case CHAR:
                return t.value().equals("(") || t.value().equals("-") || t.value().equals("+");
            case KEYWORD:
                if (category(t) != Category.RESERVED) {
                    return true;
                }
                return switch (t.value()) {
                    case "not", "case", "cast", "array", "true", "false", "null", "current_date", "current_time",
                            "current_timestamp", "localtime", "localtimestamp", "current_role", "current_user",
                            "session_user", "user", "current_catalog", "default", "any", "all", "some" -> true;
                    default -> false;
                };
            default:
                return false;
        }
    }

    // ------------------------------------------------------------------ prefix

    private Expr prefix(boolean restricted) {
        Token t = peek();
        if (!restricted && t.isKeyword("not")) {
            next();
            Expr operand = parse(P_NOT, false, false);
            return new BoolExpr(t.position(), BoolOp.NOT, List.of(operand));
        }
        if (t.isChar('-')) {
            next();
            Expr operand = parse(P_UMINUS, restricted, false);
            return negate(t.position(), operand);
        }
        if (t.isChar('+')) {
            next();
            Expr operand = parse(P_UMINUS, restricted, false);
            return new Expr.UnaryOp(t.position(), OperatorName.of("+"), operand);
        }
        if (t.kind() == TokenKind.OP) {
            next();
            Expr operand = parse(P_OP, restricted, false);
            return new Expr.UnaryOp(t.position(), OperatorName.of(t.value()), operand);
        }
        if (t.isKeyword("operator") && isChar(1, '(')) {
            next();
            OperatorName op = operatorInParens();
            Expr operand = parse(P_OP, restricted, false);
            return new Expr.UnaryOp(t.position(), op, operand);
        }
        return primary();
    }

    /** Unary minus, folded into a numeric constant as PostgreSQL does. */
    private static Expr negate(int position, Expr operand) {
        if (operand instanceof Constant c && (c.kind() == ConstKind.INTEGER || c.kind() == ConstKind.NUMERIC)) {
            String v = c.value();
            String neg = v.startsWith("-") ? v.substring(1) : "-" + v;
            ConstKind kind = c.kind();
            if (kind == ConstKind.INTEGER) {
                long l = Long.parseLong(neg);
                kind = l == (int) l ? ConstKind.INTEGER : ConstKind.NUMERIC;
            } else if (neg.matches("-?[0-9]+")) {
                try {
                    long l = Long.parseLong(neg);
                    if (l == (int) l) {
                        kind = ConstKind.INTEGER;
                        neg = Long.toString(l);
                    }
                } catch (NumberFormatException e) {
                    // stays numeric
                }
            }
            return new Constant(position, kind, neg);
        }
        return new Expr.UnaryOp(position, OperatorName.of("-"), operand);
    }

    /** {@code OPERATOR '(' any_operator ')'}, at the OPERATOR key word's '('. */
    protected final OperatorName operatorInParens() {
        expectChar('(');
        String schema = null;
        if (isColId(peek()) && isChar(1, '.')) {
            schema = next().value();
            next();
            // more qualification (catalog.schema.op) is rejected later by the catalog; keep the last schema
            while (isColId(peek()) && isChar(1, '.')) {
                schema = next().value();
                next();
            }
        }
        String op = allOp();
        expectChar(')');
        return new OperatorName(schema, op);
    }

    /** {@code all_Op}: Op or one of + - * / % ^ < > = <= >= <>. */
    protected final String allOp() {
        Token t = peek();
        switch (t.kind()) {
            case OP, LESS_EQUALS, GREATER_EQUALS, NOT_EQUALS:
                next();
                return t.value();
            case CHAR:
                if ("+-*/%^<>=".contains(t.value()) && t.value().length() == 1) {
                    next();
                    return t.value();
                }
                throw syntaxError();
            default:
                throw syntaxError();
        }
    }

    /** {@code qual_all_Op}: all_Op or OPERATOR(...). */
    protected final OperatorName qualAllOp() {
        if (isKw("operator") && isChar(1, '(')) {
            next();
            return operatorInParens();
        }
        return OperatorName.of(allOp());
    }

    // ------------------------------------------------------------------- infix

    private Expr infix(Expr left, int prec, boolean restricted) {
        Token t = next();
        int pos = t.position();
        switch (t.kind()) {
            case TYPECAST:
                return new Expr.TypeCast(pos, left, typename());
            case OP, LESS_EQUALS, GREATER_EQUALS, NOT_EQUALS, CHAR:
                return binary(pos, OperatorName.of(t.value()), left, prec, restricted);
            default:
                break;
        }
        switch (t.value()) {
            case "operator": {
                OperatorName op = operatorInParens();
                return binary(pos, op, left, prec, restricted);
            }
            case "or":
                return bool(pos, BoolOp.OR, left, parse(P_OR, false, false));
            case "and":
                return bool(pos, BoolOp.AND, left, parse(P_AND, false, false));
            case "isnull":
                return new Expr.NullTest(pos, left, false);
            case "notnull":
                return new Expr.NullTest(pos, left, true);
            case "is":
                return isTest(pos, left, restricted);
            case "not": {
                Token op = next();
                return predicate(op, left, true);
            }
            case "between", "in", "like", "ilike", "similar":
                return predicate(t, left, false);
            case "at": {
                expectKw("time");
                expectKw("zone");
                Expr zone = parse(P_AT, false, false);
                return FuncCall.sql(pos, "timezone", List.of(zone, left), FuncSyntax.AT_TIME_ZONE);
            }
            case "collate":
                return new Expr.Collate(pos, left, anyName());
            default:
                throw syntaxErrorAt(t);
        }
    }

    private static Expr bool(int pos, BoolOp op, Expr left, Expr right) {
        if (left instanceof BoolExpr b && b.op() == op) {
            List<Expr> args = new ArrayList<>(b.args());
            args.add(right);
            return new BoolExpr(b.position(), op, args);
        }
        return new BoolExpr(pos, op, List.of(left, right));
    }

    private Expr binary(int pos, OperatorName op, Expr left, int prec, boolean restricted) {
        Expr q = quantified(pos, op, left);
        if (q != null) {
            return q;
        }
        return new Expr.BinaryOp(pos, op, left, parse(prec, restricted, false));
    }

    /** {@code op ANY|SOME|ALL (subquery | array)} after an operator, or null. */
    private Expr quantified(int pos, OperatorName op, Expr left) {
        if (!isAnyKw("any", "some", "all") || !isChar(1, '(')) {
            return null;
        }
        boolean all = next().value().equals("all");
        SelectStmt sub = tryParenthesizedSubquery();
        if (sub != null) {
            return new Expr.SubLink(pos, all ? SubLinkKind.ALL : SubLinkKind.ANY, left, op, sub);
        }
        expectChar('(');
        Expr arr = expr();
        expectChar(')');
        return new Expr.Quantified(pos, op, all ? Expr.Quantifier.ALL : Expr.Quantifier.ANY, left, arr);
    }

    private Expr isTest(int pos, Expr left, boolean restricted) {
        boolean not = acceptKw("not");
        Token t = peek();
        if (restricted && !t.isKeyword("distinct")) {
            throw syntaxError();
        }
        if (t.kind() == TokenKind.KEYWORD) {
            switch (t.value()) {
                case "null":
                    next();
                    return new Expr.NullTest(pos, left, not);
                case "true":
                    next();
                    return new Expr.BooleanTest(pos, left, not ? Expr.BoolTestKind.IS_NOT_TRUE
                            : Expr.BoolTestKind.IS_TRUE);
                case "false":
                    next();
                    return new Expr.BooleanTest(pos, left, not ? Expr.BoolTestKind.IS_NOT_FALSE
                            : Expr.BoolTestKind.IS_FALSE);
                case "unknown":
                    next();
                    return new Expr.BooleanTest(pos, left, not ? Expr.BoolTestKind.IS_NOT_UNKNOWN
                            : Expr.BoolTestKind.IS_UNKNOWN);
                case "distinct": {
                    next();
                    expectKw("from");
                    Expr right = parse(P_IS, restricted, false);
                    return new Expr.DistinctFrom(pos, left, right, not);
                }
                case "normalized":
                case "nfc":
                case "nfd":
                case "nfkc":
                case "nfkd": {
                    List<Expr> args = new ArrayList<>();
                    args.add(left);
                    if (!t.value().equals("normalized")) {
                        next();
                        args.add(Constant.string(t.position(), t.value().toUpperCase()));
                    }
                    expectKw("normalized");
                    Expr call = FuncCall.sql(pos, "is_normalized", args, FuncSyntax.IS_NORMALIZED);
                    return not ? new BoolExpr(pos, BoolOp.NOT, List.of(call)) : call;
                }
                default:
                    break;
            }
        }
        throw syntaxError();
    }

    /** BETWEEN, IN, LIKE, ILIKE, SIMILAR TO (after an optional NOT, given by not). */
    private Expr predicate(Token op, Expr left, boolean not) {
        int pos = op.position();
        switch (op.value()) {
            case "between": {
                boolean symmetric = false;
                if (acceptKw("symmetric")) {
                    symmetric = true;
                } else {
                    acceptKw("asymmetric");
                }
                Expr low = bExpr();
                expectKw("and");
                Expr high = parse(P_LIKE, false, false);
                return new Expr.Between(pos, left, low, high, not, symmetric);
            }
            case "in": {
                SelectStmt sub = tryParenthesizedSubquery();
                if (sub != null) {
                    Expr link = new Expr.SubLink(pos, SubLinkKind.IN, left, null, sub);
                    return not ? new BoolExpr(pos, BoolOp.NOT, List.of(link)) : link;
                }
                List<Expr> values = orFurthestError(() -> {
                    expectChar('(');
                    List<Expr> vals = exprList();
                    expectChar(')');
                    return vals;
                });
                return new Expr.InList(pos, left, values, not);
            }
            case "like":
            case "ilike": {
                boolean ilike = op.value().equals("ilike");
                String opName = (not ? "!" : "") + (ilike ? "~~*" : "~~");
                Expr q = quantified(pos, OperatorName.of(opName), left);
                if (q != null) {
                    return q;
                }
                Expr pattern = parse(P_LIKE, false, false);
                Expr escape = acceptKw("escape") ? parse(P_LIKE, false, false) : null;
                return new Expr.Like(pos, ilike ? Expr.LikeKind.ILIKE : Expr.LikeKind.LIKE, left, pattern, escape,
                        not);
            }
            case "similar": {
                expectKw("to");
                Expr pattern = parse(P_LIKE, false, false);
                Expr escape = acceptKw("escape") ? parse(P_LIKE, false, false) : null;
                return new Expr.Like(pos, Expr.LikeKind.SIMILAR, left, pattern, escape, not);
            }
            default:
                throw syntaxErrorAt(op);
        }
    }

    // ----------------------------------------------------------------- primary

    /** Whether a '(' here begins a parenthesised query (looking through nested parentheses). */
    protected final boolean looksLikeSubquery() {
        int k = 0;
        while (isChar(k, '(')) {
            k++;
        }
        return k > 0 && isAnyKwAt(k, "select", "values", "with", "table");
    }

    /**
     * At '(': reads a parenthesised query if there is one, else returns null
     * and leaves the position unchanged.
     */
    protected final SelectStmt tryParenthesizedSubquery() {
        if (!looksLikeSubquery() || notSubquery.contains(p)) {
            return null;
        }
        int save = p;
        try {
            return selectWithParens();
        } catch (SqlSyntaxException e) {
            if (!SqlSyntaxException.SYNTAX_ERROR.equals(e.sqlState()) || e.getMessage().startsWith("unterminated")
                    || !e.getMessage().startsWith("syntax error")) {
                throw e;
            }
            notSubquery.add(save);
            lastSubqueryError = e;
            p = save;
            return null;
        }
    }

    /**
     * Runs the alternative to a failed subquery attempt; if it fails too,
     * reports whichever error is further into the input.
     */
    protected final <T> T orFurthestError(java.util.function.Supplier<T> alternative) {
        SqlSyntaxException first = lastSubqueryError;
        try {
            return alternative.get();
        } catch (SqlSyntaxException e) {
            if (first != null && first.position() > e.position() && e.getMessage().startsWith("syntax error")) {
                throw first;
            }
            throw e;
        }
    }

    private Expr primary() {
        Token t = peek();
        int pos = t.position();
        switch (t.kind()) {
            case ICONST:
                next();
                return new Constant(pos, ConstKind.INTEGER, t.value());
            case FCONST:
                next();
                return new Constant(pos, ConstKind.NUMERIC, t.value());
            case SCONST:
                next();
                return Constant.string(pos, t.value());
            case BCONST:
            case XCONST:
                next();
                checkBitString(t);
                return new Constant(pos, ConstKind.BIT_STRING, t.value());
            case PARAM: {
                next();
                Expr param = new Expr.Param(pos, parseParamNumber(t));
                return withIndirection(param);
            }
            case CHAR:
                if (t.value().equals("(")) {
                    return parenthesized();
                }
                throw syntaxError();
            case IDENT:
                return identifierExpr();
            case KEYWORD:
                return keywordExpr(t);
            default:
                throw syntaxError();
        }
    }

    private int parseParamNumber(Token t) {
        try {
            return (int) Long.parseLong(t.value());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Checks the digits of a bit string constant as PostgreSQL's bit input does (after parsing). */
    private void checkBitString(Token t) {
        String v = t.value();
        boolean hex = v.charAt(0) == 'x';
        for (int k = 1; k < v.length(); k++) {
            char c = v.charAt(k);
            boolean ok = hex ? Character.digit(c, 16) >= 0 && c < 128 : c == '0' || c == '1';
            if (!ok) {
                deferred.add(error("22P02", "\"" + c + "\" is not a valid " + (hex ? "hexadecimal" : "binary")
                        + " digit", null, t.position()));
                return;
            }
        }
    }

    private Expr parenthesized() {
        int pos = pos();
        SelectStmt sub = tryParenthesizedSubquery();
        if (sub != null) {
            return withIndirection(new Expr.SubLink(pos, SubLinkKind.EXPR, null, null, sub));
        }
        boolean triedSubquery = looksLikeSubquery();
        if (triedSubquery) {
            return orFurthestError(() -> parenthesizedExpr(pos));
        }
        return parenthesizedExpr(pos);
    }

    private Expr parenthesizedExpr(int pos) {
        expectChar('(');
        Expr e = expr();
        if (acceptChar(',')) {
            List<Expr> args = new ArrayList<>();
            args.add(e);
            args.addAll(exprList());
            expectChar(')');
            return overlaps(new Expr.RowExpr(pos, args, false));
        }
        expectChar(')');
        if (e instanceof Expr.RowExpr) {
            return overlaps(withIndirection(e));
        }
        return withIndirection(e);
    }

    /** {@code row OVERLAPS row}. */
    private Expr overlaps(Expr left) {
        if (!isKw("overlaps") || !(left instanceof Expr.RowExpr l)) {
            return left;
        }
        int pos = next().position();
        Expr right;
        if (isKw("row")) {
            right = keywordExpr(peek());
        } else {
            int rpos = pos();
            expectChar('(');
            List<Expr> args = exprList();
            expectChar(')');
            right = new Expr.RowExpr(rpos, args, false);
        }
        if (!(right instanceof Expr.RowExpr r) || l.args().size() != 2 || r.args().size() != 2) {
            throw error(SqlSyntaxException.SYNTAX_ERROR, "wrong number of parameters on "
                    + ((l.args().size() != 2) ? "left" : "right") + " side of OVERLAPS expression", null, pos);
        }
        List<Expr> args = new ArrayList<>(l.args());
        args.addAll(r.args());
        return FuncCall.sql(pos, "overlaps", args, FuncSyntax.OVERLAPS);
    }

    /** Optional subscripts and field selections after a primary. */
    private Expr withIndirection(Expr base) {
        if (!isChar('[') && !isChar('.')) {
            return base;
        }
        List<IndirectionItem> items = indirection();
        return new Expr.Indirection(base.position(), base, items);
    }

    /** {@code indirection}: ('.' attr | '.' '*' | '[' ... ']')*. */
    protected final List<IndirectionItem> indirection() {
        List<IndirectionItem> items = new ArrayList<>();
        while (true) {
            if (isChar('.')) {
                next();
                if (acceptChar('*')) {
                    items.add(new Expr.FieldStar());
                } else {
                    items.add(new Expr.FieldName(colLabel()));
                }
            } else if (isChar('[')) {
                next();
                Expr lower = null;
                if (!isChar(':')) {
                    lower = expr();
                }
                if (acceptChar(':')) {
                    Expr upper = isChar(']') ? null : expr();
                    expectChar(']');
                    items.add(new Expr.Subscript(lower, upper, true));
                } else {
                    expectChar(']');
                    items.add(new Expr.Subscript(null, lower, false));
                }
            } else {
                return items;
            }
        }
    }

    /** A column reference, function call or generic typed literal beginning with a name. */
    private Expr identifierExpr() {
        Token first = peek();
        int pos = first.position();
        List<String> names = new ArrayList<>();
        names.add(next().value());
        boolean star = false;
        while (isChar('.')) {
            if (isChar(1, '*')) {
                next();
                next();
                star = true;
                break;
            }
            if (!isColLabel(peek(1))) {
                break;
            }
            next();
            names.add(next().value());
        }
        if (!star && isChar('(')) {
            if (names.size() == 1 && !isTypeFunctionName(first)) {
                throw syntaxError();
            }
            return functionCall(pos, names);
        }
        if (!star && is(TokenKind.SCONST) && (names.size() > 1 || isTypeFunctionName(first))) {
            Token s = next();
            return new Expr.TypeCast(pos, Constant.string(s.position(), s.value()),
                    TypeName.of(pos, names.toArray(new String[0])));
        }
        if (!isColId(first)) {
            throw syntaxErrorAt(first);
        }
        Expr ref = new ColumnRef(pos, names, star);
        if (!star && isChar('[')) {
            return new Expr.Indirection(pos, ref, indirection());
        }
        return ref;
    }

    /** A function call after its name, with WITHIN GROUP, FILTER and OVER. */
    private Expr functionCall(int pos, List<String> name) {
        expectChar('(');
        boolean star = false;
        boolean distinct = false;
        boolean variadic = false;
        List<Expr> args = new ArrayList<>();
        List<SortBy> order = List.of();
        if (acceptChar('*')) {
            star = true;
            expectChar(')');
        } else if (!acceptChar(')')) {
            if (acceptKw("distinct")) {
                distinct = true;
            } else {
                acceptKw("all");
            }
            while (true) {
                if (acceptKw("variadic")) {
                    variadic = true;
                    args.add(funcArg());
                    break;
                }
                args.add(funcArg());
                if (!acceptChar(',')) {
                    break;
                }
            }
            if (isKw("order")) {
                order = sortClause();
            }
            expectChar(')');
            // func_name '(' args ')' Sconst: a typed literal with modifiers
            if (is(TokenKind.SCONST) && !distinct && !variadic && order.isEmpty()) {
                Token s = next();
                TypeName type = TypeName.of(pos, name.toArray(new String[0])).withTypmods(args);
                return new Expr.TypeCast(pos, Constant.string(s.position(), s.value()), type);
            }
        }
        boolean withinGroup = false;
        if (isKw("within") && isKw(1, "group")) {
            int wpos = pos();
            next();
            next();
            expectChar('(');
            List<SortBy> wg = sortClause();
            expectChar(')');
            if (!order.isEmpty()) {
                throw error(SqlSyntaxException.SYNTAX_ERROR,
                        "cannot use multiple ORDER BY clauses with WITHIN GROUP", null, wpos);
            }
            if (distinct) {
                throw error(SqlSyntaxException.SYNTAX_ERROR, "cannot use DISTINCT with WITHIN GROUP", null, wpos);
            }
            if (variadic) {
                throw error(SqlSyntaxException.SYNTAX_ERROR, "cannot use VARIADIC with WITHIN GROUP", null, wpos);
            }
            order = wg;
            withinGroup = true;
        }
        Expr filter = null;
        if (isKw("filter") && isChar(1, '(')) {
            next();
            next();
            expectKw("where");
            filter = expr();
            expectChar(')');
        }
        WindowDef over = null;
        if (isKw("over")) {
            over = overClause();
        }
        return new FuncCall(pos, name, args, star, distinct, variadic, order, withinGroup, filter, over,
                FuncSyntax.NORMAL);
    }

    /** {@code func_arg_expr}: an expression or a named argument. */
    private Expr funcArg() {
        Token t = peek();
        if (isTypeFunctionName(t)
                && (peek(1).kind() == TokenKind.EQUALS_GREATER || peek(1).kind() == TokenKind.COLON_EQUALS)) {
            next();
            next();
            return new Expr.NamedArg(t.position(), t.value(), expr());
        }
        return expr();
    }

    /** {@code OVER window_specification | OVER ColId}. */
    private WindowDef overClause() {
        next();
        int pos = pos(); // PostgreSQL's location: the '(' of the specification, or the window's name
        if (isChar('(')) {
            return windowSpecification(pos);
        }
        String name = colId();
        return new WindowDef(pos, name, null, List.of(), List.of(), null);
    }

    /** {@code '(' [existing] [PARTITION BY ...] [ORDER BY ...] [frame] ')'}. */
    protected final WindowDef windowSpecification(int pos) {
        expectChar('(');
        String ref = null;
        if (isColId(peek()) && !isAnyKw("partition", "range", "rows", "groups")) {
            ref = next().value();
        }
        List<Expr> partition = List.of();
        if (isKw("partition")) {
            next();
            expectKw("by");
            partition = exprList();
        }
        List<SortBy> order = List.of();
        if (isKw("order")) {
            order = sortClause();
        }
        WindowDef.Frame frame = null;
        if (isAnyKw("range", "rows", "groups")) {
            frame = frame();
        }
        expectChar(')');
        return new WindowDef(pos, null, ref, partition, order, frame);
    }

    private WindowDef.Frame frame() {
        WindowDef.FrameMode mode = WindowDef.FrameMode.valueOf(next().value().toUpperCase());
        WindowDef.Bound start;
        WindowDef.Bound end = null;
        if (acceptKw("between")) {
            int startPos = pos();
            start = frameBound();
            expectKw("and");
            int endPos = pos();
            end = frameBound();
            // the invalid combinations gram.y's frame_extent rejects
            if (start.kind() == WindowDef.BoundKind.UNBOUNDED_FOLLOWING) {
                throw error("42P20", "frame start cannot be UNBOUNDED FOLLOWING", null, startPos);
            }
            if (end.kind() == WindowDef.BoundKind.UNBOUNDED_PRECEDING) {
                throw error("42P20", "frame end cannot be UNBOUNDED PRECEDING", null, endPos);
            }
            if (start.kind() == WindowDef.BoundKind.CURRENT_ROW && end.kind() == WindowDef.BoundKind.PRECEDING) {
                throw error("42P20", "frame starting from current row cannot have preceding rows", null, endPos);
            }
            if (start.kind() == WindowDef.BoundKind.FOLLOWING && (end.kind() == WindowDef.BoundKind.PRECEDING
                    || end.kind() == WindowDef.BoundKind.CURRENT_ROW)) {
                throw error("42P20", "frame starting from following row cannot have preceding rows", null, endPos);
            }
        } else {
            int startPos = pos();
            start = frameBound();
            if (start.kind() == WindowDef.BoundKind.UNBOUNDED_FOLLOWING) {
                throw error("42P20", "frame start cannot be UNBOUNDED FOLLOWING", null, startPos);
            }
            if (start.kind() == WindowDef.BoundKind.FOLLOWING) {
                throw error("42P20", "frame starting from following row cannot end with current row", null,
                        startPos);
            }
        }
        WindowDef.Exclusion exclusion = WindowDef.Exclusion.NONE;
        if (acceptKw("exclude")) {
            if (acceptKw("current")) {
                expectKw("row");
                exclusion = WindowDef.Exclusion.CURRENT_ROW;
            } else if (acceptKw("group")) {
                exclusion = WindowDef.Exclusion.GROUP;
            } else if (acceptKw("ties")) {
                exclusion = WindowDef.Exclusion.TIES;
            } else {
                expectKw("no");
                expectKw("others");
                exclusion = WindowDef.Exclusion.NO_OTHERS;
            }
        }
        return new WindowDef.Frame(mode, start, end, exclusion);
    }

    private WindowDef.Bound frameBound() {
        if (isKw("unbounded") && isAnyKwAt(1, "preceding", "following")) {
            next();
            return new WindowDef.Bound(next().value().equals("preceding")
                    ? WindowDef.BoundKind.UNBOUNDED_PRECEDING : WindowDef.BoundKind.UNBOUNDED_FOLLOWING, null);
        }
        if (isKw("current") && isKw(1, "row")) {
            next();
            next();
            return new WindowDef.Bound(WindowDef.BoundKind.CURRENT_ROW, null);
        }
        Expr offset = expr();
        if (acceptKw("preceding")) {
            return new WindowDef.Bound(WindowDef.BoundKind.PRECEDING, offset);
        }
        expectKw("following");
        return new WindowDef.Bound(WindowDef.BoundKind.FOLLOWING, offset);
    }

    /** {@code ORDER BY sortby, ...}. */
    protected final List<SortBy> sortClause() {
        expectKw("order");
        expectKw("by");
        List<SortBy> list = new ArrayList<>();
        do {
            list.add(sortBy());
        } while (acceptChar(','));
        return list;
    }

    private SortBy sortBy() {
        int pos = pos();
        Expr e = expr();
        SortBy.Direction dir = SortBy.Direction.DEFAULT;
        OperatorName using = null;
        if (acceptKw("asc")) {
            dir = SortBy.Direction.ASC;
        } else if (acceptKw("desc")) {
            dir = SortBy.Direction.DESC;
        } else if (acceptKw("using")) {
            dir = SortBy.Direction.USING;
            using = qualAllOp();
        }
        return new SortBy(pos, e, dir, using, optNullsOrder());
    }

    /** {@code NULLS FIRST | NULLS LAST}, if present. */
    protected final SortBy.Nulls optNullsOrder() {
        if (isKw("nulls") && isAnyKwAt(1, "first", "last")) {
            next();
            return next().value().equals("first") ? SortBy.Nulls.FIRST : SortBy.Nulls.LAST;
        }
        return SortBy.Nulls.DEFAULT;
    }

    // ------------------------------------------------------- key word primaries

    private static final Set<String> CONST_TYPE_WORDS = Set.of("int", "integer", "smallint", "bigint", "real",
            "float", "decimal", "dec", "numeric", "boolean", "bit", "char", "character", "varchar", "nchar",
            "national", "time", "timestamp", "interval", "double");

    private Expr keywordExpr(Token t) {
        int pos = t.position();
        String w = t.value();
        switch (w) {
            case "true", "false":
                next();
                return new Constant(pos, ConstKind.BOOLEAN, w);
            case "null":
                next();
                return Constant.nullConst(pos);
            case "default":
                next();
                return new Expr.Default(pos);
            case "case":
                return caseExpr();
            case "cast": {
                next();
                expectChar('(');
                Expr arg = expr();
                expectKw("as");
                TypeName type = typename();
                expectChar(')');
                return new Expr.TypeCast(pos, arg, type);
            }
            case "array": {
                next();
                if (isChar('(')) {
                    SelectStmt sub = selectWithParens();
                    return new Expr.SubLink(pos, SubLinkKind.ARRAY, null, null, sub);
                }
                return arrayExpr(pos, true);
            }
            case "exists": {
                if (!isChar(1, '(')) {
                    break;
                }
                next();
                SelectStmt sub = selectWithParens();
                return new Expr.SubLink(pos, SubLinkKind.EXISTS, null, null, sub);
            }
            case "row": {
                if (!isChar(1, '(')) {
                    break;
                }
                next();
                next();
                List<Expr> args = isChar(')') ? List.of() : exprList();
                expectChar(')');
                return overlaps(new Expr.RowExpr(pos, args, true));
            }
            case "current_date":
                next();
                return new Expr.SqlValueFunction(pos, Expr.SqlValueKind.CURRENT_DATE, null);
            case "current_time", "current_timestamp", "localtime", "localtimestamp": {
                next();
                Integer precision = null;
                if (acceptChar('(')) {
                    precision = iconst();
                    expectChar(')');
                }
                return new Expr.SqlValueFunction(pos, Expr.SqlValueKind.valueOf(w.toUpperCase()), precision);
            }
            case "current_role", "current_user", "session_user", "user", "current_catalog":
                next();
                return new Expr.SqlValueFunction(pos, Expr.SqlValueKind.valueOf(w.toUpperCase()), null);
            case "current_schema":
                if (isChar(1, '(')) {
                    return identifierExpr();
                }
                next();
                return new Expr.SqlValueFunction(pos, Expr.SqlValueKind.CURRENT_SCHEMA, null);
            case "coalesce", "greatest", "least", "nullif": {
                if (!isChar(1, '(')) {
                    break;
                }
                next();
                next();
                List<Expr> args = exprList();
                expectChar(')');
                if (w.equals("nullif") && args.size() != 2) {
                    throw syntaxErrorAt(toks[p - 1]);
                }
                return new Expr.SpecialFunc(pos, Expr.SpecialFuncKind.valueOf(w.toUpperCase()), args);
            }
            case "grouping": {
                if (!isChar(1, '(')) {
                    break;
                }
                next();
                next();
                List<Expr> args = exprList();
                expectChar(')');
                return new Expr.GroupingFunc(pos, args);
            }
            case "extract", "position", "substring", "overlay", "trim", "normalize": {
                if (!isChar(1, '(')) {
                    break;
                }
                return specialSyntaxFunction(t);
            }
            case "collation": {
                if (isKw(1, "for") && isChar(2, '(')) {
                    next();
                    next();
                    next();
                    Expr arg = expr();
                    expectChar(')');
                    return FuncCall.sql(pos, "pg_collation_for", List.of(arg), FuncSyntax.COLLATION_FOR);
                }
                break;
            }
            default:
                break;
        }
        if (CONST_TYPE_WORDS.contains(w)) {
            Expr lit = tryTypedLiteral();
            if (lit != null) {
                return lit;
            }
        }
        if (isColId(t) || isTypeFunctionName(t)) {
            return identifierExpr();
        }
        throw syntaxError();
    }

    /** {@code ConstTypename Sconst} or {@code INTERVAL [(p)] Sconst [fields]}, or null (position unchanged). */
    private Expr tryTypedLiteral() {
        int save = p;
        int pos = pos();
        boolean interval = isKw("interval");
        TypeName type;
        try {
            type = simpleTypename(true);
        } catch (SqlSyntaxException e) {
            if (!SqlSyntaxException.SYNTAX_ERROR.equals(e.sqlState())) {
                throw e;
            }
            p = save;
            return null;
        }
        if (!is(TokenKind.SCONST)) {
            p = save;
            return null;
        }
        Token s = next();
        if (interval && type.typmods().isEmpty() && isIntervalFieldStart()) {
            type = intervalFields(type);
        }
        return new Expr.TypeCast(pos, Constant.string(s.position(), s.value()), type);
    }

    private Expr caseExpr() {
        int pos = next().position();
        Expr arg = isKw("when") ? null : expr();
        List<Expr.CaseWhen> whens = new ArrayList<>();
        if (!isKw("when")) {
            throw syntaxError();
        }
        while (isKw("when")) {
            int wpos = next().position();
            Expr cond = expr();
            expectKw("then");
            whens.add(new Expr.CaseWhen(wpos, cond, expr()));
        }
        Expr elseResult = acceptKw("else") ? expr() : null;
        expectKw("end");
        return new Expr.CaseExpr(pos, arg, whens, elseResult);
    }

    /** {@code ARRAY[...]} or a nested {@code [...]}. */
    private Expr arrayExpr(int pos, boolean explicit) {
        expectChar('[');
        List<Expr> elems = new ArrayList<>();
        if (!isChar(']')) {
            if (isChar('[')) {
                do {
                    elems.add(arrayExpr(pos(), false));
                } while (acceptChar(','));
            } else {
                elems.addAll(exprList());
            }
        }
        expectChar(']');
        return new ArrayExpr(pos, elems, explicit);
    }

    private Expr specialSyntaxFunction(Token t) {
        int pos = t.position();
        next();
        expectChar('(');
        switch (t.value()) {
            case "extract": {
                Token f = peek();
                String field;
                if (f.kind() == TokenKind.SCONST) {
                    field = next().value();
                } else if (f.kind() == TokenKind.IDENT
                        || isAnyKw("year", "month", "day", "hour", "minute", "second")) {
                    field = next().value();
                } else {
                    throw syntaxError();
                }
                expectKw("from");
                Expr source = expr();
                expectChar(')');
                return FuncCall.sql(pos, "extract", List.of(Constant.string(f.position(), field), source),
                        FuncSyntax.EXTRACT);
            }
            case "position": {
                Expr needle = bExpr();
                expectKw("in");
                Expr haystack = bExpr();
                expectChar(')');
                return FuncCall.sql(pos, "position", List.of(haystack, needle), FuncSyntax.POSITION);
            }
            case "normalize": {
                Expr arg = expr();
                List<Expr> args = new ArrayList<>();
                args.add(arg);
                if (acceptChar(',')) {
                    Token f = peek();
                    if (!isAnyKw("nfc", "nfd", "nfkc", "nfkd")) {
                        throw syntaxError();
                    }
                    next();
                    args.add(Constant.string(f.position(), f.value().toUpperCase()));
                }
                expectChar(')');
                return FuncCall.sql(pos, "normalize", args, FuncSyntax.NORMALIZE);
            }
            case "trim": {
                String name = "btrim";
                if (acceptKw("both")) {
                    name = "btrim";
                } else if (acceptKw("leading")) {
                    name = "ltrim";
                } else if (acceptKw("trailing")) {
                    name = "rtrim";
                }
                List<Expr> args;
                if (acceptKw("from")) {
                    args = exprList();
                } else {
                    Expr first = expr();
                    if (acceptKw("from")) {
                        args = new ArrayList<>(exprList());
                        args.add(first);
                    } else {
                        args = new ArrayList<>();
                        args.add(first);
                        if (acceptChar(',')) {
                            args.addAll(exprList());
                        }
                    }
                }
                expectChar(')');
                return FuncCall.sql(pos, name, args, FuncSyntax.TRIM);
            }
            case "substring": {
                if (acceptChar(')')) {
                    return FuncCall.of(pos, List.of("substring"), List.of());
                }
                Expr x = expr();
                if (acceptKw("from")) {
                    Expr from = expr();
                    List<Expr> args = new ArrayList<>(List.of(x, from));
                    if (acceptKw("for")) {
                        args.add(expr());
                    }
                    expectChar(')');
                    return FuncCall.sql(pos, "substring", args, FuncSyntax.SUBSTRING);
                }
                if (acceptKw("for")) {
                    Expr forE = expr();
                    List<Expr> args = new ArrayList<>();
                    args.add(x);
                    if (acceptKw("from")) {
                        args.add(expr());
                    } else {
                        args.add(null);
                    }
                    args.add(forE);
                    expectChar(')');
                    return FuncCall.sql(pos, "substring", args, FuncSyntax.SUBSTRING);
                }
                if (acceptKw("similar")) {
                    Expr pattern = expr();
                    expectKw("escape");
                    Expr esc = expr();
                    expectChar(')');
                    return FuncCall.sql(pos, "substring", List.of(x, pattern, esc), FuncSyntax.SUBSTRING_SIMILAR);
                }
                return plainCallRest(pos, "substring", x);
            }
            case "overlay": {
                if (acceptChar(')')) {
                    return FuncCall.of(pos, List.of("overlay"), List.of());
                }
                Expr x = expr();
                if (acceptKw("placing")) {
                    Expr y = expr();
                    expectKw("from");
                    Expr from = expr();
                    List<Expr> args = new ArrayList<>(List.of(x, y, from));
                    if (acceptKw("for")) {
                        args.add(expr());
                    }
                    expectChar(')');
                    return FuncCall.sql(pos, "overlay", args, FuncSyntax.OVERLAY);
                }
                return plainCallRest(pos, "overlay", x);
            }
            default:
                throw syntaxErrorAt(t);
        }
    }

    /** {@code name(x, ...)} written without the special syntax: the rest of the argument list. */
    private Expr plainCallRest(int pos, String name, Expr first) {
        List<Expr> args = new ArrayList<>();
        args.add(first);
        while (acceptChar(',')) {
            args.add(funcArg());
        }
        expectChar(')');
        return FuncCall.of(pos, List.of(name), args);
    }

    // ------------------------------------------------------------------- types

    /** {@code Typename}: [SETOF] SimpleTypename [array bounds | ARRAY [n]]. */
    protected final TypeName typename() {
        int pos = pos();
        boolean setof = acceptKw("setof");
        TypeName t = simpleTypename(false);
        List<Integer> bounds = new ArrayList<>();
        if (acceptKw("array")) {
            if (acceptChar('[')) {
                bounds.add(iconst());
                expectChar(']');
            } else {
                bounds.add(-1);
            }
        } else {
            while (acceptChar('[')) {
                if (is(TokenKind.ICONST)) {
                    bounds.add(iconst());
                } else {
                    bounds.add(-1);
                }
                expectChar(']');
            }
        }
        if (!bounds.isEmpty()) {
            t = t.withArrayBounds(bounds);
        }
        if (setof) {
            t = t.withSetof(pos, true);
        }
        return t;
    }

    /** Whether the current token can begin a type name. */
    protected final boolean atTypename() {
        Token t = peek();
        return isTypeFunctionName(t) || (t.kind() == TokenKind.KEYWORD && CONST_TYPE_WORDS.contains(t.value()))
                || t.isKeyword("setof");
    }

    /**
     * {@code SimpleTypename}; in a constant's type (constant true) a
     * character or bit type without length has no length limit and INTERVAL
     * takes no fields (they follow the string).
     */
    protected final TypeName simpleTypename(boolean constant) {
        Token t = peek();
        int pos = t.position();
        if (t.kind() == TokenKind.KEYWORD) {
            switch (t.value()) {
                case "int", "integer":
                    next();
                    return TypeName.system(pos, "int4");
                case "smallint":
                    next();
                    return TypeName.system(pos, "int2");
                case "bigint":
                    next();
                    return TypeName.system(pos, "int8");
                case "real":
                    next();
                    return TypeName.system(pos, "float4");
                case "boolean":
                    next();
                    return TypeName.system(pos, "bool");
                case "double":
                    if (!isKw(1, "precision")) {
                        break;
                    }
                    next();
                    next();
                    return TypeName.system(pos, "float8");
                case "float": {
                    next();
                    if (acceptChar('(')) {
                        Token n = peek();
                        int bits = iconst();
                        expectChar(')');
                        if (bits < 1) {
                            throw error("22023", "precision for type float must be at least 1 bit", null,
                                    n.position());
                        }
                        if (bits > 53) {
                            throw error("22023", "precision for type float must be less than 54 bits", null,
                                    n.position());
                        }
                        return TypeName.system(pos, bits <= 24 ? "float4" : "float8");
                    }
                    return TypeName.system(pos, "float8");
                }
                case "decimal", "dec", "numeric": {
                    next();
                    return TypeName.system(pos, "numeric").withTypmods(optTypeModifiers());
                }
                case "bit": {
                    next();
                    boolean varying = acceptKw("varying");
                    TypeName type = TypeName.system(pos, varying ? "varbit" : "bit");
                    if (isChar('(')) {
                        return type.withTypmods(optTypeModifiers());
                    }
                    if (!varying && !constant) {
                        return type.withTypmods(List.of(new Constant(0, ConstKind.INTEGER, "1")));
                    }
                    return type;
                }
                case "character", "char", "varchar", "nchar", "national":
                    return characterType(pos, constant);
                case "timestamp", "time": {
                    next();
                    List<Expr> mods = List.of();
                    if (acceptChar('(')) {
                        Token n = peek();
                        mods = List.of(new Constant(n.position(), ConstKind.INTEGER, Integer.toString(iconst())));
                        expectChar(')');
                    }
                    boolean tz = false;
                    if (isKw("with") && isKw(1, "time") && isKw(2, "zone")) {
                        next();
                        next();
                        next();
                        tz = true;
                    } else if (isKw("without") && isKw(1, "time") && isKw(2, "zone")) {
                        next();
                        next();
                        next();
                    }
                    String name = t.value().equals("time") ? (tz ? "timetz" : "time")
                            : (tz ? "timestamptz" : "timestamp");
                    return TypeName.system(pos, name).withTypmods(mods);
                }
                case "interval": {
                    next();
                    TypeName type = TypeName.system(pos, "interval");
                    if (acceptChar('(')) {
                        Token n = peek();
                        int prec = iconst();
                        expectChar(')');
                        return type.withTypmods(List.of(new Constant(n.position(), ConstKind.INTEGER,
                                Integer.toString(prec))));
                    }
                    if (!constant && isIntervalFieldStart()) {
                        return intervalFields(type);
                    }
                    return type;
                }
                default:
                    break;
            }
        }
        // GenericType: type_function_name [attrs] [(modifiers)]
        if (!isTypeFunctionName(t)) {
            throw syntaxError();
        }
        List<String> names = new ArrayList<>();
        names.add(next().value());
        while (isChar('.') && isColLabel(peek(1))) {
            next();
            names.add(next().value());
        }
        boolean pct = false;
        if (isChar('%') && isKw(1, "type")) {
            next();
            next();
            pct = true;
        }
        List<Expr> mods = pct ? List.of() : optTypeModifiers();
        return new TypeName(pos, names, mods, List.of(), false, pct, null);
    }

    private List<Expr> optTypeModifiers() {
        if (!acceptChar('(')) {
            return List.of();
        }
        List<Expr> mods = exprList();
        expectChar(')');
        return mods;
    }

    private TypeName characterType(int pos, boolean constant) {
        String w = next().value();
        boolean varying;
        if (w.equals("varchar")) {
            varying = true;
        } else {
            if (w.equals("national")) {
                if (!acceptKw("character") && !acceptKw("char")) {
                    throw syntaxError();
                }
            }
            varying = acceptKw("varying");
        }
        List<Expr> mods = List.of();
        if (acceptChar('(')) {
            Token n = peek();
            mods = List.of(new Constant(n.position(), ConstKind.INTEGER, Integer.toString(iconst())));
            expectChar(')');
        }
        // opt_charset: CHARACTER SET name (accepted and ignored, as PostgreSQL does)
        if (isKw("character") && isKw(1, "set")) {
            next();
            next();
            colId();
        }
        TypeName type = TypeName.system(pos, varying ? "varchar" : "bpchar");
        if (mods.isEmpty() && !varying && !constant) {
            mods = List.of(new Constant(0, ConstKind.INTEGER, "1"));
        }
        return type.withTypmods(mods);
    }

    protected final boolean isIntervalFieldStart() {
        return isAnyKw("year", "month", "day", "hour", "minute", "second");
    }

    /** {@code opt_interval}: the fields of an interval, with SECOND's precision as the type modifier. */
    protected final TypeName intervalFields(TypeName type) {
        String first = next().value();
        String fields = first.toUpperCase();
        Integer precision = null;
        if (first.equals("second")) {
            precision = optSecondPrecision();
        } else if (isKw("to")) {
            String last;
            switch (first) {
                case "year" -> {
                    next();
                    expectKw("month");
                    last = "month";
                }
                case "day" -> {
                    next();
                    if (!isAnyKw("hour", "minute", "second")) {
                        throw syntaxError();
                    }
                    last = next().value();
                }
                case "hour" -> {
                    next();
                    if (!isAnyKw("minute", "second")) {
                        throw syntaxError();
                    }
                    last = next().value();
                }
                case "minute" -> {
                    next();
                    expectKw("second");
                    last = "second";
                }
                default -> throw syntaxError();
            }
            fields += " TO " + last.toUpperCase();
            if (last.equals("second")) {
                precision = optSecondPrecision();
            }
        }
        List<Expr> mods = precision == null ? List.of()
                : List.of(new Constant(0, ConstKind.INTEGER, Integer.toString(precision)));
        return new TypeName(type.position(), type.names(), mods, type.arrayBounds(), type.setof(), false, fields);
    }

    private Integer optSecondPrecision() {
        if (acceptChar('(')) {
            int n = iconst();
            expectChar(')');
            return n;
        }
        return null;
    }
}
