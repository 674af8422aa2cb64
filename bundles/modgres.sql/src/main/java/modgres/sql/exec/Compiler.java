package modgres.sql.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import modgres.api.error.PgException;
import modgres.sql.ast.Expr;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.SqlDeparser;
import modgres.sql.ast.TypeName;

/*
 * Design notes: expression compilation (PostgreSQL's parse analysis of
 * expressions, transformExpr, and the executor's expression evaluation in
 * one step).
 *
 * An AST expression becomes a C: its type and typmod, an Ev closure over
 * the row of the scope it was compiled in, a label (the column name
 * PostgreSQL's FigureColname would give), and its text for EXPLAIN.
 *
 * Literals: integers are int4, int8 or numeric by size; strings and NULL are
 * "unknown" until an operator, function, cast or assignment gives them a
 * type, at which point the text is read by that type's input function at
 * compile time (errors carry the literal's position, as PostgreSQL's do).
 * Parameters ($n) of unknown type take the type their first use asks for.
 *
 * Grouping: with GROUP BY or aggregates, the SELECT list, HAVING and ORDER BY
 * are compiled against the Aggregate node's output: a sub-expression equal
 * to a GROUP BY expression reads that key, an aggregate call reads its
 * result, and any other column reference is error 42803.
 *
 * NULL: operators and functions marked strict return NULL for a NULL
 * argument without running; AND/OR/NOT follow SQL's three-valued logic.
 */
/** Compiles AST expressions into evaluators; see the design notes. */
public final class Compiler {

    /** A compiled expression. {@code literal} is the text of an unknown-type literal, else null. */
    public record C(int type, int typmod, Ev ev, String label, int strength, String literal, boolean nullConst,
            int param, String text, int position) {

        public boolean isUnknown() {
            return type == UNKNOWN && param < 0;
        }
    }

    public static final int BOOL = 16, INT8 = 20, INT2 = 21, INT4 = 23, TEXT = 25, OID = 26, UNKNOWN = 705,
            NUMERIC = 1700, FLOAT8 = 701, VOID = 2278;

    /** Plans subqueries found in expressions (EXISTS, IN, scalar). */
    public interface SubPlanner {
        Plan plan(SelectStmt query, Scope outer);
    }

    /** The grouping context: GROUP BY keys (their texts) and the aggregates found so far. */
    public static final class Grouping {
        final List<String> keyTexts = new ArrayList<>();
        final List<C> keys = new ArrayList<>();
        public final List<Aggregate.Spec> aggs = new ArrayList<>();
        final List<String> aggTexts = new ArrayList<>();
        final List<C> aggResults = new ArrayList<>();
        final Compiler input;

        public Grouping(Compiler input) {
            this.input = input;
        }

        public void addKey(C key) {
            keys.add(key);
            keyTexts.add(key.text());
        }

        public List<C> keys() {
            return keys;
        }

        public List<C> aggResults() {
            return aggResults;
        }
    }

    final TypeSystem ts;
    /** EXPLAIN texts name columns with their table (more than one relation in the query). */
    boolean qualify;
    public final Params params;
    final Scope scope;
    final SubPlanner sub;
    Grouping grouping;
    /** Where aggregates are not allowed (WHERE, JOIN ON, GROUP BY): the clause name, else null. */
    String noAggClause;
    /** pg_get_viewdef(): a view's stored query by OID (a Number) or name (a String); null when not available. */
    java.util.function.Function<Object, String> viewDefinitions;
    /** pg_relation_is_updatable(): PostgreSQL's bit mask of the commands a relation (by OID) takes; null: none. */
    java.util.function.IntFunction<Integer> relationUpdatability;
    /** Told of each table or view column the expressions read (OID, attnum); null when nobody asks. */
    java.util.function.BiConsumer<Integer, Integer> columnUse;
    /** Column pruning: the statement's record of the columns its scans must fill (null: not tracked). */
    ColumnUsage columnUsage;
    /** The window functions of the query level (SELECT list and ORDER BY), else null. */
    Windowing windowing;
    /** The set-returning functions of a SELECT list (their ProjectSet), else null: none is allowed here. */
    ProjectSet.Calls srfs;
    /** Where window functions are not allowed: the error to give, else null. */
    NoWindow noWindow;

    /** The error for a window function where none is allowed. */
    record NoWindow(String state, String message) {
    }

    /** The parameter types of a statement, growing as $n are seen; 0 = not known yet. */
    public static final class Params {
        public int[] types;

        public Params(int[] declared) {
            types = declared == null ? new int[0] : declared.clone();
        }

        void ensure(int n) {
            if (types.length < n) {
                types = java.util.Arrays.copyOf(types, n);
            }
        }
    }

    /** The statement's sub-plans (EXPLAIN's SubPlan / InitPlan names), null when nobody names them. */
    SubPlans subPlans;
    /** Set when an expression reads a row's xmin or xmax. */
    boolean readsTupleHeader;
    /** Set when the expression calls a volatile function (random(), nextval(), a VOLATILE routine). */
    boolean volatileSeen;

    /** A column of an enclosing query level read by this expression: counted as its subqueries' correlation. */
    void outerColumn(Scope.Ref ref) {
        if (ref.depth() > 0 && subPlans != null) {
            subPlans.outerReference(scope, ref.depth(), ref.index());
        }
    }

    public Compiler(TypeSystem ts, Params params, Scope scope, SubPlanner sub) {
        this.ts = ts;
        this.params = params;
        this.scope = scope;
        this.sub = sub;
    }

    public void setGrouping(Grouping g) {
        this.grouping = g;
    }

    /** Forbids aggregates (and window functions, with the same clause name) in a clause; null allows them. */
    public void forbidAggregates(String clause) {
        this.noAggClause = clause;
        this.noWindow = clause == null ? null : new NoWindow("42P20", "window functions are not allowed in " + clause);
    }

    /** Forbids window functions in a clause (HAVING, VALUES...); null allows them where a Windowing is set. */
    public void forbidWindows(String clause) {
        this.noWindow = clause == null ? null : new NoWindow("42P20", "window functions are not allowed in " + clause);
    }

    public static PgException err(String state, String msg, int pos) {
        return new PgException(state, msg, null, null, pos, null);
    }

    /** An error PostgreSQL reports without a position (the expression's is not added to it). */
    static final class Unplaced extends PgException {
        private static final long serialVersionUID = 1L;

        Unplaced(String state, String message) {
            super(state, message);
        }

        /** A plan-time evaluation's error, reported as the executor's would be: without a position. */
        Unplaced(PgException e) {
            super(e.sqlState(), e.getMessage(), e.detail(), e.hint(), 0, e);
        }
    }

    /**
     * A value known at plan time (PostgreSQL's Const node): literals, and immutable operators, functions
     * and casts over constants, which are evaluated once while the expression is compiled (PostgreSQL's
     * eval_const_expressions). Their errors (1/0) are then plan-time errors, as in PostgreSQL.
     */
    public record Const(Object value) implements Ev {
        @Override
        public Object eval(Object[] row, ExecState ex) {
            return value;
        }
    }

    /** True when {@code c}'s value is known at plan time. */
    public static boolean isConst(C c) {
        return c.ev() instanceof Const;
    }

    /** Above 0 while compiling what constant folding has proven unreachable (a CASE arm after WHEN false). */
    private int unreachable;

    /** {@code what}, compiled as unreachable code (checked, never folded) unless {@code reached}. */
    private <T> T reachedIf(boolean reached, java.util.function.Supplier<T> what) {
        if (reached) {
            return what.get();
        }
        unreachable++;
        try {
            return what.get();
        } finally {
            unreachable--;
        }
    }

    /**
     * {@code c} folded to its value when folding applies: an immutable computation whose inputs are all
     * constants, in a reachable place. A computation that cannot run without a row or a session (an
     * implementation needing the executor's state) is left as it is.
     */
    private C fold(C c, boolean immutable, C... inputs) {
        if (!immutable || unreachable > 0 || isConst(c)) {
            return c;
        }
        for (C in : inputs) {
            if (!isConst(in)) {
                return c;
            }
        }
        Object v;
        try {
            v = c.ev().eval(null, null);
        } catch (PgException e) {
            throw new Unplaced(e);
        } catch (RuntimeException e) {
            return c;
        }
        return new C(c.type(), c.typmod(), new Const(v), c.label(), c.strength(), null, false, -1,
                constText(c.type(), c.typmod(), v), c.position());
    }

    /** A constant as PostgreSQL's EXPLAIN and ruleutils print it (get_const_expr). */
    String constText(int type, int typmod, Object v) {
        if (v == null) {
            return "NULL::" + ts.format(type, typmod);
        }
        String out = ts.output(type, v);
        switch (type) {
            case BOOL:
                return (Boolean) v ? "true" : "false";
            case INT4:
                if (!out.startsWith("-")) {
                    return out;
                }
                break;
            case NUMERIC:
                if (!out.isEmpty() && Character.isDigit(out.charAt(0)) && out.matches(".*[eE.].*")) {
                    return out;
                }
                break;
            case UNKNOWN:
                return SqlDeparser.quoteLiteral(out);
            default:
                break;
        }
        return SqlDeparser.quoteLiteral(out) + "::" + ts.format(type, typmod);
    }

    /** Types whose casts among themselves do not depend on session settings (foldable). */
    private static boolean settingFree(int type) {
        return switch (type) {
            case BOOL, INT2, INT4, INT8, NUMERIC, 700, FLOAT8, TEXT, 1043, 1042, 19, OID, 18 -> true;
            default -> false;
        };
    }

    static PgException withPosition(PgException e, int pos) {
        if (e.position() > 0 || pos <= 0 || e instanceof Unplaced) {
            return e;
        }
        return new PgException(e.sqlState(), e.getMessage(), e.detail(), e.hint(), pos, e);
    }

    static String text(Expr e) {
        try {
            return SqlDeparser.deparse(e);
        } catch (RuntimeException x) {
            return "?";
        }
    }

    // ------------------------------------------------------------------ entry points

    public C compile(Expr e) {
        if (grouping != null) {
            C g = groupMatch(e);
            if (g != null) {
                return g;
            }
        }
        try {
            return compileNode(e);
        } catch (PgException x) {
            throw withPosition(x, e.position());
        }
    }

    /** A boolean condition (WHERE, ON, HAVING): unknown literals read as boolean, other types are 42804. */
    public C condition(Expr e, String clause) {
        C c = compile(e);
        if (c.type() == UNKNOWN) {
            return coerce(c, BOOL, -1, TypeSystem.CastContext.ASSIGNMENT, clause);
        }
        if (c.type() != BOOL) {
            throw err("42804", "argument of " + clause + " must be type boolean, not type "
                    + ts.format(c.type(), -1), e.position());
        }
        return c;
    }

    /** Gives an unknown literal or parameter a type, or casts a value in a context. */
    public C coerce(C c, int type, int typmod, TypeSystem.CastContext ctx, String what) {
        if (c.type() == type && (typmod < 0 || typmod == c.typmod())) {
            return c;
        }
        if (c.type() == RowExpressions.RECORD) {
            RowExpressions.checkRecordCast(this, c, type); // ROW(...)::t: arity and field casts known now
        }
        TypeSystem.Cast domainCheck = c.type() == type ? null : ts.domainCheck(type);
        if (domainCheck != null) {
            // to a domain: to its base type, then its constraints on the result (NULL included: NOT NULL)
            C base = coerce(c, ts.baseType(type), ts.baseTypmod(type), ctx, what);
            Ev src = base.ev();
            return new C(type, -1, (row, ex) -> domainCheck.apply(src.eval(row, ex), ex), c.label(), c.strength(),
                    null, false, base.param(), base.text(), c.position());
        }
        if (c.param() >= 0 && c.type() == UNKNOWN) {
            int idx = c.param();
            params.types[idx] = type;
            TypeSystem.Cast cast = typmod >= 0 ? ts.cast(type, type, typmod, ctx) : null;
            Ev ev = (row, ex) -> ex.params[idx];
            return new C(type, typmod, cast == null ? ev : applying(cast, ev), c.label(), c.strength(), null, false,
                    idx, c.text(), c.position());
        }
        if (c.type() == UNKNOWN) {
            if (c.nullConst()) {
                return new C(type, typmod, new Const(null), c.label(), c.strength(), null, true, -1, c.text(),
                        c.position());
            }
            String lit = c.literal();
            if (lit == null) {
                // an unknown-typed expression that is not a literal: read its text at run time
                Ev src = c.ev();
                return new C(type, typmod, (row, ex) -> {
                    Object v = src.eval(row, ex);
                    return v == null ? null : ts.input(type, typmod, v.toString(), ex);
                }, c.label(), c.strength(), null, false, -1, c.text(), c.position());
            }
            Object input;
            try {
                input = ts.input(type, -1, lit, null);
            } catch (PgException e) {
                throw withPosition(e, c.position());
            }
            if (typmod >= 0) {
                // the length coercion is the executor's in PostgreSQL: its errors carry no position
                TypeSystem.Cast lengthCast = ts.cast(type, type, typmod, ctx);
                input = lengthCast == null ? input : lengthCast.apply(input, null);
            }
            Object value = input;
            String t = SqlDeparser.quoteLiteral(lit) + "::" + ts.format(type, typmod);
            return new C(type, typmod, new Const(value), c.label(), c.strength(), null, false, -1, t, c.position());
        }
        TypeSystem.Cast cast = ts.cast(c.type(), type, typmod, ctx);
        if (cast != null && c.param() < 0 && c.strength() == 0 && c.text() != null
                && c.text().matches("-?[0-9]+(\\.[0-9]*)?([eE][-+]?[0-9]+)?")) {
            Object folded;
            try {
                folded = cast.apply(c.ev().eval(null, null), null);
            } catch (PgException e) {
                throw withPosition(e, c.position());
            }
            String t = folded == null ? "NULL" : SqlDeparser.quoteLiteral(ts.output(type, folded)) + "::"
                    + ts.format(type, typmod);
            return new C(type, typmod, new Const(folded), c.label(), c.strength(), null, false, -1, t,
                    c.position());
        }
        if (cast == null) {
            if (what != null && ctx != TypeSystem.CastContext.EXPLICIT) {
                throw err("42804", what, c.position());
            }
            throw err("42846", "cannot cast type " + ts.format(c.type(), -1) + " to " + ts.format(type, typmod),
                    c.position());
        }
        C cast1 = new C(type, typmod, applying(cast, c.ev()), c.label(), c.strength(), null, false, -1, c.text(),
                c.position());
        C folded = fold(cast1, settingFree(c.type()) && settingFree(type), c);
        return folded;
    }

    /** {@code src}'s value converted by {@code cast}; NULL stays NULL (casts are strict). */
    private static Ev applying(TypeSystem.Cast cast, Ev src) {
        return (row, ex) -> {
            Object v = src.eval(row, ex);
            return v == null ? null : cast.apply(v, ex);
        };
    }

    /** An unknown literal or parameter left untyped at the top of a SELECT list becomes text. */
    public C finish(C c) {
        if (c.type() == UNKNOWN) {
            return coerce(c, TEXT, -1, TypeSystem.CastContext.IMPLICIT, null);
        }
        return c;
    }

    // ------------------------------------------------------------------ grouping

    private C groupMatch(Expr e) {
        if (e instanceof Expr.Constant || e instanceof Expr.Param) {
            return null;
        }
        String t;
        C probe;
        try {
            Compiler in = grouping.input;
            probe = in.compileNode(e);
            t = probe.text();
        } catch (PgException | NeedsGrouping x) {
            return null;
        }
        int i = grouping.keyTexts.indexOf(t);
        if (i < 0) {
            return null;
        }
        int idx = i;
        return new C(probe.type(), probe.typmod(), (row, ex) -> row[idx], probe.label(), probe.strength(), null,
                false, -1, t, e.position());
    }

    // ------------------------------------------------------------------ nodes

    C compileNode(Expr e) {
        if (e instanceof Expr.Constant k) {
            return constant(k);
        }
        if (e instanceof Expr.ColumnRef r) {
            return column(r);
        }
        if (e instanceof Expr.Param p) {
            int idx = p.number() - 1;
            params.ensure(p.number());
            int t = params.types[idx];
            String txt = "$" + p.number();
            if (t == 0) {
                return new C(UNKNOWN, -1, (row, ex) -> ex.params[idx], "?column?", 0, null, false, idx, txt,
                        p.position());
            }
            return new C(t, -1, (row, ex) -> ex.params[idx], "?column?", 0, null, false, idx, txt, p.position());
        }
        if (e instanceof Expr.TypeCast tc) {
            return typeCast(tc);
        }
        if (e instanceof Expr.Collate co) {
            return compile(co.arg());
        }
        if (e instanceof Expr.BinaryOp b && b.left() instanceof Expr.RowExpr
                && b.right() instanceof Expr.RowExpr) {
            C rows = RowExpressions.rowComparison(this, b);
            if (rows != null) {
                return rows;
            }
        }
        if (e instanceof Expr.BinaryOp b) {
            // OPERATOR(schema.op): "schema.op" for the type system (user-defined operators live in schemas)
            String opName = b.op().qualified() && !b.op().schema().equals("pg_catalog")
                    ? b.op().schema() + "." + b.op().name() : b.op().name();
            return binary(opName, compile(b.left()), compile(b.right()), b.position());
        }
        if (e instanceof Expr.UnaryOp u) {
            return unary(u.op().name(), compile(u.operand()), u.position());
        }
        if (e instanceof Expr.BoolExpr b) {
            return boolExpr(b);
        }
        if (e instanceof Expr.NullTest n) {
            C a = compile(n.arg());
            Ev ev = a.ev();
            boolean not = n.not();
            return fold(new C(BOOL, -1, (row, ex) -> (ev.eval(row, ex) == null) != not, "?column?", 0, null, false,
                    -1, "(" + a.text() + (not ? " IS NOT NULL)" : " IS NULL)"), n.position()), true, a);
        }
        if (e instanceof Expr.BooleanTest bt) {
            C a = condition(bt.arg(), "IS " + bt.kind());
            Ev ev = a.ev();
            Ev r = switch (bt.kind()) {
                case IS_TRUE -> (row, ex) -> Boolean.TRUE.equals(ev.eval(row, ex));
                case IS_NOT_TRUE -> (row, ex) -> !Boolean.TRUE.equals(ev.eval(row, ex));
                case IS_FALSE -> (row, ex) -> Boolean.FALSE.equals(ev.eval(row, ex));
                case IS_NOT_FALSE -> (row, ex) -> !Boolean.FALSE.equals(ev.eval(row, ex));
                case IS_UNKNOWN -> (row, ex) -> ev.eval(row, ex) == null;
                case IS_NOT_UNKNOWN -> (row, ex) -> ev.eval(row, ex) != null;
            };
            return fold(new C(BOOL, -1, r, "?column?", 0, null, false, -1, text(e), bt.position()), true, a);
        }
        if (e instanceof Expr.DistinctFrom d) {
            C eq = binary("=", compile(d.left()), compile(d.right()), d.position());
            C l = compile(d.left());
            C r = compile(d.right());
            Ev le = l.ev();
            Ev re = r.ev();
            Ev eqe = eq.ev();
            boolean not = d.not();
            return new C(BOOL, -1, (row, ex) -> {
                Object a = le.eval(row, ex);
                Object b = re.eval(row, ex);
                boolean distinct = a == null || b == null ? (a == null) != (b == null)
                        : !Boolean.TRUE.equals(eqe.eval(row, ex));
                return distinct != not;
            }, "?column?", 0, null, false, -1, text(e), d.position());
        }
        if (e instanceof Expr.Between b) {
            return between(b);
        }
        if (e instanceof Expr.InList in) {
            return inList(in);
        }
        if (e instanceof Expr.Like l) {
            return like(l);
        }
        if (e instanceof Expr.CaseExpr ce) {
            return caseExpr(ce);
        }
        if (e instanceof Expr.SpecialFunc sf) {
            return special(sf);
        }
        if (e instanceof Expr.FuncCall f) {
            return funcCall(f);
        }
        if (e instanceof Expr.SqlValueFunction sv) {
            return sqlValue(sv);
        }
        if (e instanceof Expr.SubLink s) {
            return subLink(s);
        }
        if (e instanceof Expr.Quantified q) {
            return quantified(q);
        }
        if (e instanceof Expr.NamedArg na) {
            return compile(na.value());
        }
        if (e instanceof Expr.ArrayExpr arr) {
            return arrayConstructor(arr, 0);
        }
        if (e instanceof Expr.Indirection ind && ind.items().size() == 1
                && ind.items().get(0) instanceof Expr.Subscript sub && !sub.slice()) {
            return subscript(ind, sub);
        }
        if (e instanceof Expr.RowExpr row) {
            return RowExpressions.row(this, row);
        }
        if (e instanceof Expr.Indirection ind) {
            return RowExpressions.indirection(this, ind);
        }
        throw err("0A000", e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT)
                + " is not supported yet", e.position());
    }

    private C constant(Expr.Constant k) {
        String v = k.value();
        int pos = k.position();
        switch (k.kind()) {
            case INTEGER: {
                Integer i = Integer.valueOf(v);
                return new C(INT4, -1, new Const(i), "?column?", 0, null, false, -1, constText(INT4, -1, i), pos);
            }
            case NUMERIC: {
                boolean integral = v.matches("-?[0-9]+");
                if (integral) {
                    try {
                        Long l = Long.valueOf(v);
                        return new C(INT8, -1, new Const(l), "?column?", 0, null, false, -1,
                                constText(INT8, -1, l), pos);
                    } catch (NumberFormatException ignored) {
                        // too large for bigint: numeric
                    }
                }
                Object n = ts.input(NUMERIC, -1, v, null);
                return new C(NUMERIC, -1, new Const(n), "?column?", 0, null, false, -1,
                        constText(NUMERIC, -1, n), pos);
            }
            case BOOLEAN: {
                Boolean b = Boolean.valueOf(v);
                return new C(BOOL, -1, new Const(b), "bool", 1, null, false, -1, v, pos);
            }
            case NULL:
                return new C(UNKNOWN, -1, new Const(null), "?column?", 0, null, true, -1, "NULL", pos);
            case BIT_STRING:
                throw err("0A000", "bit string constants are not supported yet", pos);
            default:
                return new C(UNKNOWN, -1, (row, ex) -> v, "?column?", 0, v, false, -1,
                        SqlDeparser.quoteLiteral(v), pos);
        }
    }

    private C column(Expr.ColumnRef r) {
        if (r.star()) {
            C whole = r.fields().isEmpty() || scope == null ? null
                    : RowExpressions.wholeRow(this, r.fields().get(r.fields().size() - 1), r.position());
            if (whole == null) {
                throw err("0A000", "row expansion via \"*\" is not supported here", r.position());
            }
            return whole;
        }
        Scope.Ref ref;
        try {
            ref = scope.resolve(r.fields(), r.position());
        } catch (PgException notAColumn) {
            // a lone name that is no column but a FROM item: a whole-row reference
            C whole = r.fields().size() == 1 && "42703".equals(notAColumn.sqlState())
                    ? RowExpressions.wholeRow(this, r.fields().get(0), r.position()) : null;
            if (whole == null) {
                throw notAColumn;
            }
            return whole;
        }
        if (grouping != null && ref.depth() == 0) {
            String col = String.join(".", r.fields());
            throw err("42803", "column \"" + (ref.col().qualifier() == null ? col
                    : ref.col().qualifier() + "." + ref.col().name())
                    + "\" must appear in the GROUP BY clause or be used in an aggregate function", r.position());
        }
        int idx = ref.index();
        OutCol c = ref.col();
        if (columnUse != null && c.tableOid() != 0 && c.attnum() > 0) {
            columnUse.accept(c.tableOid(), c.attnum());
        }
        if (columnUsage != null) {
            columnUsage.read(c);
        }
        // a column of an enclosing level always names its table (PostgreSQL prints the Var behind the Param)
        String txt = (qualify || ref.depth() > 0) && c.qualifier() != null ? c.qualifier() + "." + c.name() : c.name();
        readsTupleHeader |= c.hidden() && (c.attnum() == -2 || c.attnum() == -3); // xmin, xmax
        if (ref.depth() == 0) {
            return new C(c.type(), c.typmod(), (row, ex) -> row[idx], c.name(), 2, null, false, -1, txt,
                    r.position());
        }
        int depth = ref.depth();
        outerColumn(ref);
        return new C(c.type(), c.typmod(), (row, ex) -> ex.outer(depth)[idx], c.name(), 2, null, false, -1, txt,
                r.position());
    }

    /**
     * ARRAY[a, b, ...]: the elements' common type, each element coerced to it; elements that are arrays
     * (ARRAY[[1,2],[3,4]], or array values) make one more dimension, and must agree in their dimensions.
     * {@code castTo}: the array type of an enclosing cast (what an empty ARRAY[] gets), else 0.
     */
    private C arrayConstructor(Expr.ArrayExpr arr, int castTo) {
        List<C> els = new ArrayList<>();
        for (Expr el : arr.elements()) {
            els.add(el instanceof Expr.ArrayExpr inner ? arrayConstructor(inner, castTo) : compile(el));
        }
        modgres.sql.types.Type castType = castTo == 0 ? null : modgres.sql.types.Types.byOid(castTo);
        if (els.isEmpty()) {
            if (castType == null || !castType.isArray()) {
                throw new PgException("42P18", "cannot determine type of empty array", null,
                        "Explicitly cast to the desired type, for example ARRAY[]::integer[].", arr.position(), null);
            }
            modgres.sql.types.PgArray empty = modgres.sql.types.PgArray.of(castType.elem());
            return new C(castTo, -1, (row, ex) -> empty, "array", 2, null, false, -1, "'{}'", arr.position());
        }
        int common = common(els, "ARRAY");
        modgres.sql.types.Type ct = modgres.sql.types.Types.byOid(common);
        boolean nested = ct != null && ct.isArray();
        modgres.sql.types.Type elem = nested ? ct.elem() : ct;
        if (elem == null || elem.arrayOid() == 0) {
            throw err("42704", "could not find array type for data type " + ts.format(common, -1), arr.position());
        }
        Ev[] evs = els.stream().map(c -> coerce(c, common, -1, TypeSystem.CastContext.IMPLICIT, null).ev())
                .toArray(Ev[]::new);
        String text = "ARRAY[" + String.join(", ", els.stream().map(C::text).toList()) + "]";
        return new C(elem.arrayOid(), -1, (row, ex) -> {
            Object[] vals = new Object[evs.length];
            for (int i = 0; i < evs.length; i++) {
                vals[i] = evs[i].eval(row, ex);
            }
            return nested ? stack(elem, vals) : modgres.sql.types.PgArray.of(elem, vals);
        }, "array", 2, null, false, -1, text, arr.position());
    }

    /** Sub-arrays side by side as one array of one more dimension (NULL and empty sub-arrays drop out). */
    private static modgres.sql.types.PgArray stack(modgres.sql.types.Type elem, Object[] subs) {
        List<modgres.sql.types.PgArray> parts = new ArrayList<>();
        for (Object o : subs) {
            if (o instanceof modgres.sql.types.PgArray a && a.ndims() > 0) {
                parts.add(a);
            }
        }
        if (parts.isEmpty()) {
            return modgres.sql.types.PgArray.of(elem);
        }
        int[] inner = parts.get(0).dims();
        List<Object> values = new ArrayList<>();
        for (modgres.sql.types.PgArray a : parts) {
            if (!java.util.Arrays.equals(a.dims(), inner)) {
                throw new PgException("2202E",
                        "multidimensional arrays must have array expressions with matching dimensions");
            }
            values.addAll(java.util.Arrays.asList(a.values()));
        }
        int[] dims = new int[inner.length + 1];
        dims[0] = parts.size();
        System.arraycopy(inner, 0, dims, 1, inner.length);
        int[] lb = new int[dims.length];
        java.util.Arrays.fill(lb, 1);
        return new modgres.sql.types.PgArray(elem, values.toArray(), dims, lb);
    }

    private C typeCast(Expr.TypeCast tc) {
        TypeName tn = tc.type();
        int type = ts.typeOid(tn.names(), !tn.arrayBounds().isEmpty());
        if (tc.arg() instanceof Expr.ArrayExpr arr && arr.elements().isEmpty()) {
            return arrayConstructor(arr, type); // ARRAY[]::integer[]
        }
        List<Integer> mods = new ArrayList<>();
        for (Expr m : tn.typmods()) {
            if (m instanceof Expr.Constant k && k.kind() == Expr.ConstKind.INTEGER) {
                mods.add(Integer.valueOf(k.value()));
            } else {
                throw err("42601", "type modifiers must be simple constants or identifiers", m.position());
            }
        }
        int typmod = ts.typmod(type, mods);
        C a = compile(tc.arg());
        String label = a.strength() == 2 ? a.label() : lastName(tn);
        C r = coerce(a, type, typmod, TypeSystem.CastContext.EXPLICIT, null);
        String txt = a.isUnknown() ? r.text() : "(" + a.text() + ")::" + ts.format(type, typmod);
        return new C(r.type(), r.typmod(), r.ev(), label, a.strength() == 2 ? 2 : 1, null, r.nullConst(), r.param(),
                txt, tc.position());
    }

    private static String lastName(TypeName tn) {
        String n = tn.names().get(tn.names().size() - 1);
        return switch (n) {
            case "int4" -> "int4";
            default -> n;
        };
    }

    /** Resolves and applies an operator, typing unknown literals from the other side. */
    public C binary(String op, C l, C r, int pos) {
        if (op.equals("!=")) {
            op = "<>";
        }
        TypeSystem.Fn fn;
        try {
            fn = ts.operator(op, l.type(), r.type());
        } catch (PgException e) {
            throw withPosition(e, pos);
        }
        C a = coerce(l, fn.argTypes()[0], -1, TypeSystem.CastContext.IMPLICIT, null);
        C b = coerce(r, fn.argTypes()[1], -1, TypeSystem.CastContext.IMPLICIT, null);
        Ev ae = a.ev();
        Ev be = b.ev();
        TypeSystem.Impl impl = fn.impl();
        Ev ev;
        if (fn.strict()) {
            ev = (row, ex) -> {
                Object x = ae.eval(row, ex);
                if (x == null) {
                    return null;
                }
                Object y = be.eval(row, ex);
                if (y == null) {
                    return null;
                }
                return impl.apply(new Object[] {x, y}, ex);
            };
        } else {
            ev = (row, ex) -> impl.apply(new Object[] {ae.eval(row, ex), be.eval(row, ex)}, ex);
        }
        volatileSeen |= fn.volatility() == 'v';
        return fold(new C(fn.resultType(), fn.resultTypmod(), ev, "?column?", 0, null, false, -1,
                "(" + a.text() + " " + op + " " + b.text() + ")", pos), fn.volatility() == 'i', a, b);
    }

    private C unary(String op, C a, int pos) {
        if (op.equals("-") && a.type() == UNKNOWN && a.literal() != null) {
            a = coerce(a, NUMERIC, -1, TypeSystem.CastContext.IMPLICIT, null);
        }
        TypeSystem.Fn fn;
        try {
            fn = ts.operator(op, 0, a.type());
        } catch (PgException e) {
            throw withPosition(e, pos);
        }
        C x = coerce(a, fn.argTypes()[fn.argTypes().length - 1], -1, TypeSystem.CastContext.IMPLICIT, null);
        Ev xe = x.ev();
        TypeSystem.Impl impl = fn.impl();
        volatileSeen |= fn.volatility() == 'v';
        return fold(new C(fn.resultType(), fn.resultTypmod(), (row, ex) -> {
            Object v = xe.eval(row, ex);
            return v == null && fn.strict() ? null : impl.apply(new Object[] {v}, ex);
        }, "?column?", 0, null, false, -1, "(" + op + " " + x.text() + ")", pos), fn.volatility() == 'i', x);
    }

    /** A boolean constant at {@code pos}. */
    private C boolConst(Boolean v, int pos) {
        return new C(BOOL, -1, new Const(v), "?column?", 0, null, false, -1, constText(BOOL, -1, v), pos);
    }

    /** The value of a constant condition; only for {@link #isConst} ones. */
    private static Object constValue(C c) {
        return ((Const) c.ev()).value();
    }

    /**
     * AND / OR / NOT with PostgreSQL's simplification: constant TRUE (AND) or FALSE (OR) arguments are
     * dropped, a constant FALSE (AND) or TRUE (OR) decides the whole expression and the arguments after
     * it are only checked, never folded (so {@code false AND 1/0 = 1} is no error); one constant NULL is kept.
     */
    private C boolExpr(Expr.BoolExpr b) {
        String name = b.op().name();
        if (b.op() == Expr.BoolOp.NOT) {
            C a = condition(b.args().get(0), name);
            Ev x = a.ev();
            return fold(new C(BOOL, -1, (row, ex) -> {
                Object v = x.eval(row, ex);
                return v == null ? null : !(Boolean) v;
            }, "?column?", 0, null, false, -1, "(NOT " + a.text() + ")", b.position()), true, a);
        }
        boolean and = b.op() == Expr.BoolOp.AND;
        List<C> args = new ArrayList<>();
        boolean decided = false;
        boolean nullConst = false;
        for (Expr a : b.args()) {
            if (decided) {
                reachedIf(false, () -> condition(a, name));
                continue;
            }
            C c = condition(a, name);
            if (unreachable == 0 && isConst(c)) {
                Object v = constValue(c);
                if (v == null) {
                    nullConst = true;
                } else if ((Boolean) v != and) {
                    decided = true;
                }
                continue;
            }
            args.add(c);
        }
        if (decided) {
            return boolConst(!and, b.position());
        }
        if (nullConst) {
            args.add(boolConst(null, b.position()));
        }
        if (args.isEmpty()) {
            return boolConst(and, b.position());
        }
        if (args.size() == 1) {
            C only = args.get(0);
            return new C(BOOL, -1, only.ev(), "?column?", 0, null, false, -1, only.text(), b.position());
        }
        Ev[] evs = args.stream().map(C::ev).toArray(Ev[]::new);
        Ev ev;
        if (and) {
            ev = (row, ex) -> {
                boolean sawNull = false;
                for (Ev x : evs) {
                    Object v = x.eval(row, ex);
                    if (v == null) {
                        sawNull = true;
                    } else if (!(Boolean) v) {
                        return Boolean.FALSE;
                    }
                }
                return sawNull ? null : Boolean.TRUE;
            };
        } else {
            ev = (row, ex) -> {
                boolean sawNull = false;
                for (Ev x : evs) {
                    Object v = x.eval(row, ex);
                    if (v == null) {
                        sawNull = true;
                    } else if ((Boolean) v) {
                        return Boolean.TRUE;
                    }
                }
                return sawNull ? null : Boolean.FALSE;
            };
        }
        String txt = "(" + String.join(and ? " AND " : " OR ", args.stream().map(C::text).toList()) + ")";
        return new C(BOOL, -1, ev, "?column?", 0, null, false, -1, txt, b.position());
    }

    private C between(Expr.Between b) {
        C x = compile(b.arg());
        C lo = compile(b.low());
        C hi = compile(b.high());
        C ge = binary(">=", x, lo, b.position());
        C le = binary("<=", x, hi, b.position());
        Ev g = ge.ev();
        Ev l = le.ev();
        Ev both = and(g, l);
        Ev ev = both;
        if (b.symmetric()) {
            Ev g2 = binary(">=", x, hi, b.position()).ev();
            Ev l2 = binary("<=", x, lo, b.position()).ev();
            Ev other = and(g2, l2);
            ev = or(both, other);
        }
        Ev f = ev;
        Ev r = b.not() ? (row, ex) -> {
            Object v = f.eval(row, ex);
            return v == null ? null : !(Boolean) v;
        } : f;
        return fold(new C(BOOL, -1, r, "?column?", 0, null, false, -1, "((" + x.text() + " >= " + lo.text()
                + ") AND (" + x.text() + " <= " + hi.text() + "))", b.position()), !b.symmetric(), ge, le);
    }

    static Ev and(Ev a, Ev b) {
        return (row, ex) -> {
            Object x = a.eval(row, ex);
            if (Boolean.FALSE.equals(x)) {
                return Boolean.FALSE;
            }
            Object y = b.eval(row, ex);
            if (Boolean.FALSE.equals(y)) {
                return Boolean.FALSE;
            }
            return x == null || y == null ? null : Boolean.TRUE;
        };
    }

    static Ev or(Ev a, Ev b) {
        return (row, ex) -> {
            Object x = a.eval(row, ex);
            if (Boolean.TRUE.equals(x)) {
                return Boolean.TRUE;
            }
            Object y = b.eval(row, ex);
            if (Boolean.TRUE.equals(y)) {
                return Boolean.TRUE;
            }
            return x == null || y == null ? null : Boolean.FALSE;
        };
    }

    private C inList(Expr.InList in) {
        C x = compile(in.arg());
        List<Ev> tests = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<C> eqs = new ArrayList<>();
        for (Expr v : in.values()) {
            C c = compile(v);
            C eq = binary("=", x, c, in.position());
            tests.add(eq.ev());
            texts.add(c.text());
            eqs.add(eq);
        }
        Ev[] evs = tests.toArray(Ev[]::new);
        boolean not = in.not();
        Ev ev = (row, ex) -> {
            boolean sawNull = false;
            for (Ev t : evs) {
                Object v = t.eval(row, ex);
                if (v == null) {
                    sawNull = true;
                } else if ((Boolean) v) {
                    return !not;
                }
            }
            return sawNull ? null : not;
        };
        return fold(new C(BOOL, -1, ev, "?column?", 0, null, false, -1, "(" + x.text()
                + (not ? " <> ALL " : " = ANY ") + "('{" + String.join(",", texts) + "}'))", in.position()), true,
                eqs.toArray(C[]::new));
    }

    private C like(Expr.Like l) {
        String op = switch (l.kind()) {
            case LIKE -> l.not() ? "!~~" : "~~";
            case ILIKE -> l.not() ? "!~~*" : "~~*";
            default -> l.not() ? "!~" : "~";
        };
        if (l.kind().name().equals("SIMILAR")) {
            throw err("0A000", "SIMILAR TO is not supported yet", l.position());
        }
        C pattern = compile(l.pattern());
        if (l.escape() != null) {
            C esc = compile(l.escape());
            C p = coerce(pattern, TEXT, -1, TypeSystem.CastContext.IMPLICIT, null);
            C e = coerce(esc, TEXT, -1, TypeSystem.CastContext.IMPLICIT, null);
            TypeSystem.Fn fn = ts.function("like_escape", new int[] {TEXT, TEXT});
            Ev pe = p.ev();
            Ev ee = e.ev();
            pattern = new C(TEXT, -1, (row, ex) -> {
                Object a = pe.eval(row, ex);
                Object b = ee.eval(row, ex);
                return a == null || b == null ? null : fn.impl().apply(new Object[] {a, b}, ex);
            }, "?column?", 0, null, false, -1, p.text(), l.position());
        }
        return binary(op, compile(l.arg()), pattern, l.position());
    }

    /**
     * CASE with PostgreSQL's simplification: an arm whose WHEN is a constant FALSE or NULL is dropped (its
     * result is checked, not folded); an arm whose WHEN is a constant TRUE becomes the ELSE and what follows
     * it is unreachable. The results of reachable arms are folded, so a constant error in one of them
     * (THEN 1/0) is a plan-time error even when no row would take that arm, as in PostgreSQL.
     */
    private C caseExpr(Expr.CaseExpr ce) {
        C arg = ce.arg() == null ? null : compile(ce.arg());
        List<C> conds = new ArrayList<>();
        List<String> whenTexts = new ArrayList<>();
        List<C> results = new ArrayList<>();
        List<Boolean> live = new ArrayList<>();
        boolean settled = false;
        for (Expr.CaseWhen w : ce.whens()) {
            boolean skip = settled;
            C cond = reachedIf(!skip, () -> {
                if (arg != null) {
                    C val = compile(w.condition());
                    whenTexts.add(val.text());
                    return binary("=", arg, val, w.position());
                }
                C cnd = condition(w.condition(), "CASE/WHEN");
                whenTexts.add(cnd.text());
                return cnd;
            });
            boolean known = !skip && unreachable == 0 && isConst(cond);
            boolean isTrue = known && Boolean.TRUE.equals(constValue(cond));
            boolean dead = skip || known && !isTrue;
            results.add(reachedIf(!dead, () -> compile(w.result())));
            conds.add(cond);
            live.add(!dead);
            settled |= isTrue;
        }
        C elseC = ce.elseResult() == null ? null : reachedIf(!settled, () -> compile(ce.elseResult()));
        List<C> all = new ArrayList<>(results);
        if (elseC != null) {
            all.add(elseC);
        }
        int type = common(all, "CASE");
        // the column name (FigureColname): the ELSE's when that is a column or function, else "case"
        boolean named = elseC != null && elseC.strength() == 2;
        String label = named ? elseC.label() : "case";
        int labelStrength = named ? 2 : 1;
        List<C> liveConds = new ArrayList<>();
        List<C> liveResults = new ArrayList<>();
        List<String> liveWhen = new ArrayList<>();
        C finalElse = null;
        boolean elseReached = true;
        for (int i = 0; i < results.size(); i++) {
            boolean reach = live.get(i);
            C result = results.get(i);
            C r = reachedIf(reach, () -> coerce(result, type, -1, TypeSystem.CastContext.IMPLICIT, null));
            if (reach && isConst(conds.get(i)) && unreachable == 0) {
                finalElse = r; // WHEN true: the rest is unreachable
                elseReached = false;
                break;
            }
            if (reach) {
                liveConds.add(conds.get(i));
                liveResults.add(r);
                liveWhen.add(whenTexts.get(i));
            }
        }
        if (elseReached && elseC != null) {
            finalElse = coerce(elseC, type, -1, TypeSystem.CastContext.IMPLICIT, null);
        }
        if (liveConds.isEmpty()) {
            C r = finalElse != null ? finalElse
                    : new C(type, -1, new Const(null), "case", 1, null, false, -1, constText(type, -1, null),
                            ce.position());
            return new C(r.type(), r.typmod(), r.ev(), label, labelStrength, null, false, -1, r.text(),
                    ce.position());
        }
        Ev[] cv = liveConds.stream().map(C::ev).toArray(Ev[]::new);
        Ev[] rv = liveResults.stream().map(C::ev).toArray(Ev[]::new);
        Ev els = finalElse == null ? null : finalElse.ev();
        StringBuilder t = new StringBuilder("CASE");
        if (arg != null) {
            t.append(' ').append(arg.text());
        }
        for (int i = 0; i < liveConds.size(); i++) {
            t.append(" WHEN ").append(liveWhen.get(i)).append(" THEN ").append(liveResults.get(i).text());
        }
        t.append(" ELSE ").append(finalElse == null ? "NULL" : finalElse.text()).append(" END");
        return new C(type, -1, (row, ex) -> {
            for (int i = 0; i < cv.length; i++) {
                if (Boolean.TRUE.equals(cv[i].eval(row, ex))) {
                    return rv[i].eval(row, ex);
                }
            }
            return els == null ? null : els.eval(row, ex);
        }, label, labelStrength, null, false, -1, t.toString(), ce.position());
    }

    /** The common type of expressions (unknown-only becomes text). */
    public int common(List<C> cs, String context) {
        int[] types = cs.stream().mapToInt(C::type).toArray();
        boolean allUnknown = true;
        for (int t : types) {
            allUnknown &= t == UNKNOWN;
        }
        if (allUnknown) {
            return TEXT;
        }
        return ts.commonType(types, context);
    }

    /**
     * NULLIF, COALESCE, GREATEST, LEAST. COALESCE is simplified as PostgreSQL does: constant NULL
     * arguments are dropped and a non-null constant ends the list (what follows is checked, not folded).
     */
    private C special(Expr.SpecialFunc sf) {
        String name = sf.kind().name().toLowerCase(Locale.ROOT);
        String upper = name.toUpperCase(Locale.ROOT);
        boolean coalesce = sf.kind() == Expr.SpecialFuncKind.COALESCE;
        List<C> args = new ArrayList<>();
        List<Boolean> reach = new ArrayList<>();
        boolean ended = false;
        for (Expr a : sf.args()) {
            boolean skip = ended;
            C c = reachedIf(!skip, () -> compile(a));
            args.add(c);
            reach.add(!skip);
            ended |= coalesce && !skip && unreachable == 0 && isConst(c) && constValue(c) != null;
        }
        String txt = upper + "(" + String.join(", ", args.stream().map(C::text).toList()) + ")";
        if (sf.kind() == Expr.SpecialFuncKind.NULLIF) {
            C eq = binary("=", args.get(0), args.get(1), sf.position());
            C a = args.get(0).type() == UNKNOWN ? coerce(args.get(0), TEXT, -1, TypeSystem.CastContext.IMPLICIT, null)
                    : args.get(0);
            Ev ae = a.ev();
            Ev eqe = eq.ev();
            return fold(new C(a.type(), a.typmod(), (row, ex) -> Boolean.TRUE.equals(eqe.eval(row, ex)) ? null
                    : ae.eval(row, ex), "nullif", 2, null, false, -1, txt, sf.position()), true, a, eq);
        }
        int type = common(args, upper);
        List<C> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            boolean r = reach.get(i);
            C arg = args.get(i);
            C c = reachedIf(r, () -> coerce(arg, type, -1, TypeSystem.CastContext.IMPLICIT, null));
            if (r && !(coalesce && unreachable == 0 && isConst(c) && constValue(c) == null)) {
                kept.add(c);
            }
        }
        if (coalesce && unreachable == 0) {
            if (kept.isEmpty()) {
                return new C(type, -1, new Const(null), name, 2, null, false, -1, constText(type, -1, null),
                        sf.position());
            }
            if (isConst(kept.get(0))) {
                C k = kept.get(0);
                return new C(type, k.typmod(), k.ev(), name, 2, null, false, -1, k.text(), sf.position());
            }
            txt = upper + "(" + String.join(", ", kept.stream().map(C::text).toList()) + ")";
        }
        Ev[] evs = kept.stream().map(C::ev).toArray(Ev[]::new);
        Ev ev;
        if (coalesce) {
            ev = (row, ex) -> {
                for (Ev e : evs) {
                    Object v = e.eval(row, ex);
                    if (v != null) {
                        return v;
                    }
                }
                return null;
            };
        } else {
            boolean greatest = sf.kind() == Expr.SpecialFuncKind.GREATEST;
            ev = (row, ex) -> {
                Object best = null;
                for (Ev e : evs) {
                    Object v = e.eval(row, ex);
                    if (v != null && (best == null || (ts.compare(type, v, best) > 0) == greatest
                            && ts.compare(type, v, best) != 0)) {
                        best = v;
                    }
                }
                return best;
            };
        }
        return fold(new C(type, -1, ev, name, 2, null, false, -1, txt, sf.position()), true,
                kept.toArray(C[]::new));
    }

    private C funcCall(Expr.FuncCall f) {
        String name = f.name().get(f.name().size() - 1);
        if (f.over() != null) {
            if (noWindow != null) {
                throw err(noWindow.state(), noWindow.message(), f.position());
            }
            if (windowing == null) {
                throw err("42P20", "window functions are not allowed here", f.position());
            }
            return windowing.call(f, name);
        }
        boolean builtinName = f.name().size() == 1 || f.name().size() == 2 && f.name().get(0).equals("pg_catalog");
        if (Windowing.WINDOW_FUNCTIONS.contains(name) && !f.withinGroup() && builtinName) {
            throw err("42809", "window function " + String.join(".", f.name()) + " requires an OVER clause",
                    f.position());
        }
        if (f.star() || builtinName && ts.isAggregate(name)) {
            return aggregate(f, name);
        }
        if (name.equals("pg_get_viewdef") && viewDefinitions != null && !f.args().isEmpty()
                && f.args().size() <= 2) {
            return viewDef(f);
        }
        if (name.equals("pg_relation_is_updatable") && relationUpdatability != null && f.args().size() == 2) {
            Ev rel = coerce(compile(f.args().get(0)), OID, -1, TypeSystem.CastContext.IMPLICIT, null).ev();
            coerce(compile(f.args().get(1)), BOOL, -1, TypeSystem.CastContext.IMPLICIT, null);
            java.util.function.IntFunction<Integer> upd = relationUpdatability;
            return new C(INT4, -1, (row, ex) -> {
                Object v = rel.eval(row, ex);
                return v == null ? null : upd.apply(((Number) v).intValue());
            }, "pg_relation_is_updatable", 2, null, false, -1, "pg_relation_is_updatable", f.position());
        }
        int srfsBefore = srfs == null ? 0 : srfs.size();
        List<C> args = new ArrayList<>();
        for (Expr a : f.args()) {
            args.add(compile(a));
        }
        int[] types = args.stream().mapToInt(C::type).toArray();
        TypeSystem.Fn fn;
        try {
            // pg_temp.f(...): only the session's temporary functions (PostgreSQL never finds them unqualified)
            String lookup = f.name().size() == 2 && f.name().get(0).equals("pg_temp") ? "pg_temp." + name : name;
            fn = f.variadic() && types.length > 0 ? ts.functionVariadic(name, types)
                    : ts.function(lookup, types);
        } catch (PgException e) {
            TypeSystem.SetFn set = f.variadic() ? null : SetFunctions.find(ts, f.name(), types);
            if (set != null) {
                return setReturning(f, set, args, srfsBefore);
            }
            int asType = args.size() == 1 && !f.variadic() && "42883".equals(e.sqlState())
                    ? ts.functionNameAsType(f.name()) : 0;
            if (asType != 0) {
                // a call that names a domain and no function is a cast to it (PostgreSQL's FuncNameAsType)
                C r = coerce(args.get(0), asType, -1, TypeSystem.CastContext.EXPLICIT, null);
                return new C(r.type(), r.typmod(), r.ev(), name, 2, null, false, r.param(), r.text(),
                        f.position());
            }
            throw withPosition(e, f.variadic() && "42809".equals(e.sqlState())
                    ? f.args().get(f.args().size() - 1).position() : f.position());
        }
        if (builtinName && (name.equals("nextval") || name.equals("currval") || name.equals("setval"))
                && !args.isEmpty() && args.get(0).isUnknown() && args.get(0).literal() != null) {
            // PostgreSQL's argument is regclass: a literal names an existing relation, else 42P01 at its position
            coerce(args.get(0), 2205 /* regclass */, -1, TypeSystem.CastContext.IMPLICIT, null);
        }
        List<C> coerced = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            int t = i < fn.argTypes().length ? fn.argTypes()[i] : fn.argTypes()[fn.argTypes().length - 1];
            coerced.add(t == 2276 /* any */ ? finish(args.get(i))
                    : coerce(args.get(i), t, -1, TypeSystem.CastContext.IMPLICIT, null));
        }
        Ev[] evs = coerced.stream().map(C::ev).toArray(Ev[]::new);
        TypeSystem.Impl impl = fn.impl();
        boolean strict = fn.strict();
        Ev ev = (row, ex) -> {
            Object[] v = new Object[evs.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = evs[i].eval(row, ex);
                if (v[i] == null && strict) {
                    return null;
                }
            }
            return impl.apply(v, ex);
        };
        volatileSeen |= fn.volatility() == 'v';
        String label = f.syntax() == Expr.FuncSyntax.EXTRACT ? "extract" : name;
        return fold(new C(fn.resultType(), fn.resultTypmod(), ev, label, 2, null, false, -1,
                name + "(" + String.join(", ", coerced.stream().map(C::text).toList()) + ")", f.position()),
                fn.volatility() == 'i', coerced.toArray(C[]::new));
    }

    /**
     * A set-returning function in a SELECT list: registered with the query level's ProjectSet, which runs it
     * once per input row; the expression reads the value of the current output row from the ProjectSet.
     */
    private C setReturning(Expr.FuncCall f, TypeSystem.SetFn set, List<C> args, int srfsBefore) {
        if (srfs == null) {
            throw err("0A000", "set-returning functions are not allowed in "
                    + (noAggClause != null ? noAggClause : "this context"), f.position());
        }
        if (set.columnTypes().length != 1) {
            throw err("0A000", "set-returning functions returning several columns are not supported in the "
                    + "select list yet (use FROM " + set.name() + "(...))", f.position());
        }
        if (srfs.size() > srfsBefore) {
            throw err("0A000", "nested set-returning functions are not supported yet", f.position());
        }
        List<C> coerced = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            coerced.add(coerce(args.get(i), set.argTypes()[i], -1, TypeSystem.CastContext.IMPLICIT, null));
        }
        int slot = srfs.add(set, coerced.stream().map(C::ev).toArray(Ev[]::new));
        ProjectSet.Calls calls = srfs;
        String name = f.name().get(f.name().size() - 1);
        return new C(set.columnTypes()[0], -1, (row, ex) -> calls.current[slot], name, 2, null, false, -1,
                name + "(" + String.join(", ", coerced.stream().map(C::text).toList()) + ")", f.position());
    }

    /** pg_get_viewdef(view [, pretty]): the view's query as stored (by OID, or by name for text). */
    private C viewDef(Expr.FuncCall f) {
        C a = compile(f.args().get(0));
        boolean byName = a.type() == UNKNOWN || a.type() == TEXT || a.type() == 1043;
        C arg = byName ? coerce(a, TEXT, -1, TypeSystem.CastContext.IMPLICIT, null)
                : coerce(a, OID, -1, TypeSystem.CastContext.IMPLICIT,
                        "function pg_get_viewdef(" + ts.format(a.type(), -1) + ") does not exist");
        if (f.args().size() == 2) {
            coerce(compile(f.args().get(1)), BOOL, -1, TypeSystem.CastContext.IMPLICIT,
                    "function pg_get_viewdef(oid, " + ts.format(compile(f.args().get(1)).type(), -1)
                            + ") does not exist");
        }
        Ev ae = arg.ev();
        java.util.function.Function<Object, String> defs = viewDefinitions;
        return new C(TEXT, -1, (row, ex) -> {
            Object v = ae.eval(row, ex);
            return v == null ? null : defs.apply(v);
        }, "pg_get_viewdef", 2, null, false, -1, "pg_get_viewdef(" + arg.text() + ")", f.position());
    }

    private C aggregate(Expr.FuncCall f, String name) {
        if (noAggClause != null) {
            throw err("42803", "aggregate functions are not allowed in " + noAggClause, f.position());
        }
        if (grouping == null) {
            throw new NeedsGrouping();
        }
        if (f.withinGroup()) {
            throw err("0A000", "WITHIN GROUP in aggregate calls is not supported yet", f.position());
        }
        String txt = text(f);
        int existing = grouping.aggTexts.indexOf(txt);
        if (existing >= 0) {
            return grouping.aggResults.get(existing);
        }
        Compiler in = grouping.input;
        List<C> args = new ArrayList<>();
        if (!f.star()) {
            in.forbidAggregates("aggregate function calls cannot be nested");
            in.noWindow = new NoWindow("42803", "aggregate function calls cannot contain window function calls");
            try {
                for (Expr a : f.args()) {
                    args.add(in.compile(a));
                }
            } catch (PgException e) {
                if (e.getMessage().startsWith("aggregate functions are not allowed in aggregate")) {
                    throw err("42803", "aggregate function calls cannot be nested", f.position());
                }
                throw e;
            } finally {
                in.noAggClause = null;
                in.noWindow = null;
            }
        }
        TypeSystem.Agg agg;
        try {
            agg = ts.aggregate(name, args.stream().mapToInt(C::type).toArray());
        } catch (PgException e) {
            throw withPosition(e, f.position());
        }
        Ev[] evs = new Ev[args.size()];
        for (int i = 0; i < evs.length; i++) {
            int t = agg.argTypes()[i];
            evs[i] = (t == 2276 ? in.finish(args.get(i))
                    : in.coerce(args.get(i), t, -1, TypeSystem.CastContext.IMPLICIT, null)).ev();
        }
        Ev argEv = evs.length == 0 ? null : evs.length == 1 ? evs[0] : (row, ex) -> {
            Object[] v = new Object[evs.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = evs[i].eval(row, ex);
            }
            return v;
        };
        Ev filter = f.filter() == null ? null : in.condition(f.filter(), "FILTER").ev();
        Nodes.SortKey[] order = null;
        if (!f.orderBy().isEmpty()) {
            order = new Nodes.SortKey[f.orderBy().size()];
            for (int i = 0; i < order.length; i++) {
                modgres.sql.ast.SortBy sb = f.orderBy().get(i);
                if (f.distinct() && (args.size() != 1 || !text(sb.expr()).equals(text(f.args().get(0))))) {
                    throw err("42P10", "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument "
                            + "list", sb.expr().position());
                }
                order[i] = Planner.sortKey(sb, in.compile(sb.expr()));
            }
        }
        grouping.aggs.add(new Aggregate.Spec(agg.factory(), argEv, f.distinct() && evs.length == 1,
                evs.length == 1 ? agg.argTypes()[0] : 0, filter, order));
        int idx = grouping.keys.size() + grouping.aggs.size() - 1;
        // the index is relative to the Aggregate's output row: keys first, then aggregates
        C res = new C(agg.resultType(), -1, (row, ex) -> row[idx], name, 2, null, false, -1, txt, f.position());
        grouping.aggTexts.add(txt);
        grouping.aggResults.add(res);
        return res;
    }

    private static final int UNDECIDED = 0, NULL_SEEN = 1, DECIDED = 2;

    /**
     * One element of {@code x op ANY/ALL (...)} (a subquery's row or an array's element): the comparison
     * {@code ce} against it (the element in {@code ex.subValue}); DECIDED when it settles the result
     * (true for ANY, false for ALL), NULL_SEEN when it is unknown, else UNDECIDED.
     */
    private static int quantifiedStep(Ev ce, Object[] row, ExecState ex, Object element, boolean all) {
        Object saved = ex.subValue;
        ex.subValue = element;
        Object v;
        try {
            v = ce.eval(row, ex);
        } finally {
            ex.subValue = saved;
        }
        return v == null ? NULL_SEEN : (Boolean) v != all ? DECIDED : UNDECIDED;
    }

    /** Thrown when an aggregate is met outside a grouping context: the caller plans grouping and compiles again. */
    public static final class NeedsGrouping extends RuntimeException {
        NeedsGrouping() {
            super(null, null, false, false);
        }
    }

    private C sqlValue(Expr.SqlValueFunction sv) {
        String name = sv.kind().name().toLowerCase(Locale.ROOT);
        TypeSystem.Fn fn = ts.function(name, new int[0]);
        TypeSystem.Impl impl = fn.impl();
        String label = switch (sv.kind()) {
            case CURRENT_CATALOG -> "current_catalog";
            case USER -> "current_user";
            default -> name;
        };
        return new C(fn.resultType(), -1, (row, ex) -> impl.apply(new Object[0], ex), label, 2, null, false, -1,
                name.toUpperCase(Locale.ROOT), sv.position());
    }

    /**
     * The columns of a multiple-column UPDATE's sub-SELECT ({@code SET (a, b) = (SELECT x, y ...)}), one
     * expression per column: no row gives NULLs, more than one is error 21000. With {@code prepare}
     * (UPDATE) the sub-SELECT runs once per row, in the Ev added there, and the columns read its values
     * (PostgreSQL's MULTIEXPR SubPlan, whose text is added to {@code prepareTexts}); without it (ON
     * CONFLICT DO UPDATE) each column runs the subquery for itself (same snapshot, so the same row).
     */
    public List<C> subqueryColumns(Expr.SubLink s, int expected, int pos, List<Ev> prepare,
            List<String> prepareTexts) {
        if (sub == null) {
            throw err("0A000", "subqueries are not supported here", s.position());
        }
        SubPlans.Info info = subPlans == null || prepare == null ? null : subPlans.info(s, SubPlans.Kind.MULTIEXPR);
        Plan p = subPlan(s, info);
        if (p.columns.size() != expected) {
            throw err("42601", "number of columns does not match number of values", pos);
        }
        Object[][] current = new Object[1][];
        if (prepare != null) {
            prepare.add((row, ex) -> {
                current[0] = singleRow(p, row, ex, expected);
                return null;
            });
            if (info != null) {
                info.outputs = expected;
                prepareTexts.add(SubPlans.junkMark(info));
            } else {
                prepareTexts.add("(SubPlan)");
            }
        }
        List<C> out = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            int col = i;
            OutCol c = p.columns.get(i);
            Ev ev = prepare != null ? (row, ex) -> current[0][col] : (row, ex) -> singleRow(p, row, ex, expected)[col];
            out.add(new C(c.type(), c.typmod(), ev, c.name(), 2, null, false, -1,
                    info != null ? SubPlans.paramMark(info, i) : "(SubPlan)", s.position()));
        }
        return out;
    }

    /** The one row of a sub-SELECT used as an expression (all NULL when there is none; 21000 for more). */
    private static Object[] singleRow(Plan p, Object[] row, ExecState ex, int width) {
        ex.pushOuter(row);
        try {
            p.open(ex);
            Object[] r = p.next(ex);
            if (r == null) {
                return new Object[width];
            }
            r = r.clone();
            if (p.next(ex) != null) {
                p.close(); // the scan still holds its page: release it before the error
                throw new PgException("21000", "more than one row returned by a subquery used as an "
                        + "expression");
            }
            return r;
        } finally {
            ex.popOuter();
        }
    }

    /** Plans the subquery of {@code s}; as sub-plan {@code info} (when not null) its correlation is counted. */
    private Plan subPlan(Expr.SubLink s, SubPlans.Info info) {
        if (info == null) {
            return sub.plan(s.query(), scope);
        }
        subPlans.begin(scope);
        Plan p;
        try {
            p = sub.plan(s.query(), scope);
        } catch (RuntimeException e) {
            subPlans.end(); // a trial compilation that failed: the count it saw so far is not the sub-plan's
            throw e;
        }
        info.outerRefs = subPlans.end();
        info.plans.add(p);
        return p;
    }

    /** Types whose values are equal by {@code =} exactly when they are equal Java values (hashed IN). */
    private static final java.util.Set<Integer> HASHABLE = java.util.Set.of(16, 19, 20, 21, 23, 25, 26, 1043, 1082);
    /** smallint, integer, bigint: compared across each other as long values. */
    private static final java.util.Set<Integer> INTEGERS = java.util.Set.of(20, 21, 23);
    private static final java.util.Set<Integer> STRINGS = java.util.Set.of(19, 25, 1043);

    /** Whether {@code a = b} holds exactly when their (integers: long) Java values are equal. */
    private static boolean hashCompatible(int a, int b) {
        return a == b && HASHABLE.contains(a) || INTEGERS.contains(a) && INTEGERS.contains(b)
                || STRINGS.contains(a) && STRINGS.contains(b);
    }

    /** The rows of a hashed sub-plan: its distinct non-null values, and whether there was a NULL / any row. */
    private record HashedRows(java.util.Set<Object> values, boolean sawNull, boolean empty) {
    }

    /**
     * {@code x IN (uncorrelated subquery)} / {@code = ANY}: the subquery runs once per execution into a hash set
     * that each row probes (PostgreSQL's "hashed SubPlan"): true when found; otherwise NULL when x is NULL or
     * the subquery returned a NULL, else false; false for no rows at all.
     */
    private C hashedIn(SubPlans.Info info, Plan p, Ev left, int pos, boolean asLong) {
        info.hashed = true;
        Object key = new Object();
        Ev ev = (row, ex) -> {
            HashedRows h = (HashedRows) ex.initPlanValue(key, () -> {
                java.util.Set<Object> values = new java.util.HashSet<>();
                boolean sawNull = false;
                boolean any = false;
                ex.pushOuter(row);
                try {
                    p.open(ex);
                    for (Object[] r = p.next(ex); r != null; r = p.next(ex)) {
                        any = true;
                        if (r[0] == null) {
                            sawNull = true;
                        } else {
                            values.add(asLong ? (Object) ((Number) r[0]).longValue() : r[0]);
                        }
                    }
                } finally {
                    ex.popOuter();
                }
                return new HashedRows(values, sawNull, !any);
            });
            if (h.empty()) {
                return false;
            }
            Object x = left.eval(row, ex);
            if (x == null) {
                return null;
            }
            return h.values().contains(asLong ? (Object) ((Number) x).longValue() : x) ? Boolean.TRUE : h.sawNull() ? null : Boolean.FALSE;
        };
        return new C(BOOL, -1, ev, "?column?", 0, null, false, -1, SubPlans.nameMark(info), pos);
    }

    /** An uncorrelated sub-plan's value: computed on first use, then kept for the execution (an InitPlan). */
    private static Ev once(SubPlans.Info info, Ev body) {
        if (info == null || !info.initPlan()) {
            return body;
        }
        Object key = new Object();
        return (row, ex) -> ex.initPlanValue(key, () -> body.eval(row, ex));
    }

    private C subLink(Expr.SubLink s) {
        if (sub == null) {
            throw err("0A000", "subqueries are not supported here", s.position());
        }
        SubPlans.Kind kind = switch (s.kind()) {
            case EXISTS -> SubPlans.Kind.EXISTS;
            case EXPR -> SubPlans.Kind.EXPR;
            case IN, ANY, ALL -> SubPlans.Kind.ANY;
            default -> SubPlans.Kind.ARRAY;
        };
        SubPlans.Info info = subPlans == null ? null : subPlans.info(s, kind);
        Plan p = subPlan(s, info);
        String name = info == null ? "(SubPlan)" : SubPlans.nameMark(info);
        switch (s.kind()) {
            case EXISTS:
                return new C(BOOL, -1, once(info, (row, ex) -> {
                    ex.pushOuter(row);
                    try {
                        p.open(ex);
                        return p.next(ex) != null;
                    } finally {
                        ex.popOuter();
                    }
                }), "exists", 2, null, false, -1, name, s.position());
            case EXPR: {
                if (p.columns.size() != 1) {
                    throw err("42601", "subquery must return only one column", s.position());
                }
                OutCol c = p.columns.get(0);
                return new C(c.type(), c.typmod(), once(info, (row, ex) -> singleRow(p, row, ex, 1)[0]), c.name(),
                        2, null, false, -1, name, s.position());
            }
            case IN:
            case ANY:
            case ALL: {
                if (p.columns.size() != 1) {
                    throw err("42601", "subquery has too many columns", s.position());
                }
                C left = compile(s.left());
                OutCol c = p.columns.get(0);
                String op = s.kind() == Expr.SubLinkKind.IN ? "=" : s.op().name();
                C probe = new C(c.type(), c.typmod(), (row, ex) -> ex.subValue, c.name(), 0, null, false, -1, "sub",
                        s.position());
                C cmp = binary(op, left, probe, s.position());
                Ev ce = cmp.ev();
                boolean all = s.kind() == Expr.SubLinkKind.ALL;
                if (info != null && info.outerRefs == 0 && !all && op.equals("=") && hashCompatible(left.type(),
                        c.type())) {
                    return hashedIn(info, p, left.ev(), s.position(), INTEGERS.contains(c.type()));
                }
                return new C(BOOL, -1, (row, ex) -> {
                    ex.pushOuter(row);
                    boolean sawNull = false;
                    try {
                        p.open(ex);
                        for (Object[] r = p.next(ex); r != null; r = p.next(ex)) {
                            int step = quantifiedStep(ce, row, ex, r[0], all);
                            if (step == DECIDED) {
                                return !all;
                            }
                            sawNull |= step == NULL_SEEN;
                        }
                    } finally {
                        ex.popOuter();
                    }
                    return sawNull ? null : all;
                }, "?column?", 0, null, false, -1, name, s.position());
            }
            default: {
                // ARRAY(subquery): the column's values in row order, an empty array when there are none
                if (p.columns.size() != 1) {
                    throw err("42601", "subquery must return only one column", s.position());
                }
                OutCol c = p.columns.get(0);
                modgres.sql.types.Type elem = modgres.sql.types.Types.byOid(c.type());
                if (elem == null || elem.arrayOid() == 0) {
                    throw err("42704", "could not find array type for data type " + ts.format(c.type(), -1),
                            s.position());
                }
                return new C(elem.arrayOid(), -1, once(info, (row, ex) -> {
                    ex.pushOuter(row);
                    try {
                        p.open(ex);
                        List<Object> values = new ArrayList<>();
                        for (Object[] r = p.next(ex); r != null; r = p.next(ex)) {
                            values.add(r[0]);
                        }
                        return modgres.sql.types.PgArray.of(elem, values.toArray());
                    } finally {
                        ex.popOuter();
                    }
                }), "array", 2, null, false, -1, name, s.position());
            }
        }
    }

    /** {@code array[i]} of a one-dimensional array: the element, NULL when i is NULL or outside the bounds. */
    private C subscript(Expr.Indirection ind, Expr.Subscript sub) {
        C arr = compile(ind.arg());
        modgres.sql.types.Type at = modgres.sql.types.Types.byOid(arr.type());
        if (at == null || !at.isArray()) {
            throw err("42804", "cannot subscript type " + ts.format(arr.type(), -1)
                    + " because it does not support subscripting", ind.position());
        }
        C idx = coerce(compile(sub.upper()), INT4, -1, TypeSystem.CastContext.IMPLICIT, null);
        Ev ae = arr.ev();
        Ev ie = idx.ev();
        return new C(at.elemOid(), -1, (row, ex) -> {
            Object a = ae.eval(row, ex);
            Object i = ie.eval(row, ex);
            if (a == null || i == null) {
                return null;
            }
            modgres.sql.types.PgArray pa = (modgres.sql.types.PgArray) a;
            if (pa.ndims() != 1) {
                return null;
            }
            int k = (Integer) i - pa.lbounds()[0];
            return k < 0 || k >= pa.values().length ? null : pa.values()[k];
        }, arr.label(), 2, null, false, -1, arr.text() + "[" + idx.text() + "]", ind.position());
    }

    /** {@code left op ANY|ALL (array)}: the operator applied to each element (NULL elements make unknowns). */
    private C quantified(Expr.Quantified q) {
        C left = compile(q.left());
        C right = compile(q.right());
        if (right.type() == UNKNOWN) {
            modgres.sql.types.Type lt = modgres.sql.types.Types.byOid(left.type());
            if (lt != null && lt.arrayOid() != 0) {
                right = coerce(right, lt.arrayOid(), -1, TypeSystem.CastContext.IMPLICIT, null);
            }
        }
        modgres.sql.types.Type at = modgres.sql.types.Types.byOid(right.type());
        if (at == null || !at.isArray()) {
            throw err("42809", "op ANY/ALL (array) requires array on right side", q.position());
        }
        int elemType = at.elemOid();
        C probe = new C(elemType, -1, (row, ex) -> ex.subValue, "elem", 0, null, false, -1, "elem", q.position());
        C cmp = binary(q.op().name(), left, probe, q.position());
        Ev ce = cmp.ev();
        Ev ae = right.ev();
        boolean all = q.quantifier() == Expr.Quantifier.ALL;
        return new C(BOOL, -1, (row, ex) -> {
            Object arr = ae.eval(row, ex);
            if (arr == null) {
                return null;
            }
            boolean sawNull = false;
            for (Object e : ((modgres.sql.types.PgArray) arr).values()) {
                int step = quantifiedStep(ce, row, ex, e, all);
                if (step == DECIDED) {
                    return !all;
                }
                sawNull |= step == NULL_SEEN;
            }
            return sawNull ? null : all;
        }, "?column?", 0, null, false, -1, left.text() + " " + q.op().name() + " " + (all ? "ALL" : "ANY") + " ("
                + right.text() + ")", q.position());
    }
}
