package modgres.sql.ast;

import java.util.ArrayList;
import java.util.List;

/**
 * An expression (PostgreSQL's {@code a_expr}). Records are immutable; list
 * components are unmodifiable copies. Nullable components are documented on
 * each record.
 */
public sealed interface Expr extends Node {

    /** Kind of a {@link Constant}. */
    enum ConstKind {
        /** An integer literal that fits in 32 bits. */
        INTEGER,
        /** Any other numeric literal (decimal point, exponent, or too large): the text. */
        NUMERIC,
        /** A string constant, escapes resolved. */
        STRING,
        /** {@code B'0101'} or {@code X'1F'}: the value is "b0101" or "x1F", as PostgreSQL keeps it. */
        BIT_STRING,
        /** TRUE or FALSE: the value is "true" or "false". */
        BOOLEAN,
        /** NULL: the value is null. */
        NULL
    }

    /**
     * A column reference {@code a}, {@code t.a}, {@code s.t.a}, or with star
     * {@code *} (fields empty) or {@code t.*}.
     */
    record ColumnRef(int position, List<String> fields, boolean star) implements Expr {
        public ColumnRef {
            fields = List.copyOf(fields);
        }
    }

    /** A literal constant. */
    record Constant(int position, ConstKind kind, String value) implements Expr {
        public static Constant nullConst(int position) {
            return new Constant(position, ConstKind.NULL, null);
        }

        public static Constant string(int position, String value) {
            return new Constant(position, ConstKind.STRING, value);
        }

        public static Constant integer(int position, long value) {
            return new Constant(position, value == (int) value ? ConstKind.INTEGER : ConstKind.NUMERIC,
                    Long.toString(value));
        }

        /** A numeric constant written with a leading minus sign (folded by the parser). */
        public boolean negative() {
            return (kind == ConstKind.INTEGER || kind == ConstKind.NUMERIC) && value.startsWith("-");
        }
    }

    /** A parameter {@code $n}. */
    record Param(int position, int number) implements Expr {
    }

    /** {@code CAST(arg AS type)}, {@code arg::type}, or a typed literal {@code type 'string'}. */
    record TypeCast(int position, Expr arg, TypeName type) implements Expr {
    }

    /** {@code arg COLLATE collation}. */
    record Collate(int position, Expr arg, List<String> collation) implements Expr {
        public Collate {
            collation = List.copyOf(collation);
        }
    }

    /** A prefix operator: {@code -x}, {@code @ x}, {@code OPERATOR(s.~) x}. */
    record UnaryOp(int position, OperatorName op, Expr operand) implements Expr {
    }

    /** A binary operator, including comparisons. */
    record BinaryOp(int position, OperatorName op, Expr left, Expr right) implements Expr {
    }

    enum BoolOp { AND, OR, NOT }

    /** AND / OR (flattened: {@code a AND b AND c} has three arguments) and NOT (one argument). */
    record BoolExpr(int position, BoolOp op, List<Expr> args) implements Expr {
        public BoolExpr {
            args = List.copyOf(args);
        }
    }

    /** {@code arg IS [NOT] NULL} (also ISNULL / NOTNULL). */
    record NullTest(int position, Expr arg, boolean not) implements Expr {
    }

    enum BoolTestKind {
        IS_TRUE("IS TRUE"), IS_NOT_TRUE("IS NOT TRUE"), IS_FALSE("IS FALSE"), IS_NOT_FALSE("IS NOT FALSE"),
        IS_UNKNOWN("IS UNKNOWN"), IS_NOT_UNKNOWN("IS NOT UNKNOWN");

        public final String sql;

        BoolTestKind(String sql) {
            this.sql = sql;
        }
    }

    /** {@code arg IS [NOT] TRUE|FALSE|UNKNOWN}. */
    record BooleanTest(int position, Expr arg, BoolTestKind kind) implements Expr {
    }

    /** {@code left IS [NOT] DISTINCT FROM right}. */
    record DistinctFrom(int position, Expr left, Expr right, boolean not) implements Expr {
    }

    /** {@code arg [NOT] BETWEEN [SYMMETRIC] low AND high}. */
    record Between(int position, Expr arg, Expr low, Expr high, boolean not, boolean symmetric) implements Expr {
    }

    /** {@code arg [NOT] IN (v1, v2, ...)}. */
    record InList(int position, Expr arg, List<Expr> values, boolean not) implements Expr {
        public InList {
            values = List.copyOf(values);
        }
    }

    enum LikeKind {
        LIKE("LIKE"), ILIKE("ILIKE"), SIMILAR("SIMILAR TO");

        public final String sql;

        LikeKind(String sql) {
            this.sql = sql;
        }
    }

    /** {@code arg [NOT] LIKE|ILIKE|SIMILAR TO pattern [ESCAPE escape]}; escape may be null. */
    record Like(int position, LikeKind kind, Expr arg, Expr pattern, Expr escape, boolean not) implements Expr {
    }

    enum Quantifier { ANY, ALL }

    /**
     * {@code left op ANY|ALL (array)} (SOME is ANY). LIKE and ILIKE appear as
     * their operators {@code ~~}, {@code !~~}, {@code ~~*}, {@code !~~*}.
     */
    record Quantified(int position, OperatorName op, Quantifier quantifier, Expr left, Expr right) implements Expr {
    }

    enum SubLinkKind { EXISTS, EXPR, ARRAY, ANY, ALL, IN }

    /**
     * A subquery in an expression: {@code EXISTS (q)}, a scalar {@code (q)},
     * {@code ARRAY(q)}, {@code left op ANY|ALL (q)}, {@code left IN (q)}.
     * left and op are null where the kind has none.
     */
    record SubLink(int position, SubLinkKind kind, Expr left, OperatorName op, SelectStmt query) implements Expr {
    }

    /**
     * How a function call was written. Calls written with SQL's special syntax
     * keep it, so that the deparser can write them back the same way.
     */
    enum FuncSyntax {
        /** {@code f(args)}. */
        NORMAL,
        /** {@code EXTRACT(field FROM x)}: args (field as a string constant, x). */
        EXTRACT,
        /** {@code POSITION(a IN b)}: args (b, a), as pg_catalog.position. */
        POSITION,
        /** {@code SUBSTRING(x FROM a FOR b)}: args (x, a[, b]) or (x, null, b) for FOR only. */
        SUBSTRING,
        /** {@code SUBSTRING(x SIMILAR p ESCAPE e)}: args (x, p, e). */
        SUBSTRING_SIMILAR,
        /** {@code OVERLAY(x PLACING y FROM a [FOR b])}: args (x, y, a[, b]). */
        OVERLAY,
        /** {@code TRIM([BOTH|LEADING|TRAILING] [chars] FROM x)}: name btrim/ltrim/rtrim, args (x[, chars]). */
        TRIM,
        /** {@code x AT TIME ZONE z}: name timezone, args (z, x). */
        AT_TIME_ZONE,
        /** {@code COLLATION FOR (x)}: name pg_collation_for, args (x). */
        COLLATION_FOR,
        /** {@code NORMALIZE(x [, form])}: args (x[, form as string constant]). */
        NORMALIZE,
        /** {@code x IS [form] NORMALIZED}: name is_normalized, args (x[, form]). */
        IS_NORMALIZED,
        /** {@code (a, b) OVERLAPS (c, d)}: name overlaps, args (a, b, c, d). */
        OVERLAPS
    }

    /**
     * A function call with everything PostgreSQL allows around it.
     *
     * @param star        {@code count(*)}
     * @param distinct    {@code count(DISTINCT x)}
     * @param variadic    the last argument was written {@code VARIADIC x}
     * @param orderBy     aggregate ORDER BY (inside the parentheses), or the
     *                    WITHIN GROUP ordering when withinGroup
     * @param filter      {@code FILTER (WHERE ...)} or null
     * @param over        {@code OVER ...} or null
     */
    record FuncCall(int position, List<String> name, List<Expr> args, boolean star, boolean distinct,
            boolean variadic, List<SortBy> orderBy, boolean withinGroup, Expr filter, WindowDef over,
            FuncSyntax syntax) implements Expr {
        public FuncCall {
            name = List.copyOf(name);
            args = java.util.Collections.unmodifiableList(new ArrayList<>(args));
            orderBy = List.copyOf(orderBy);
        }

        /** A plain call {@code name(args)}. */
        public static FuncCall of(int position, List<String> name, List<Expr> args) {
            return new FuncCall(position, name, args, false, false, false, List.of(), false, null, null,
                    FuncSyntax.NORMAL);
        }

        /** A call written with SQL syntax: {@code pg_catalog.name(args)}. */
        public static FuncCall sql(int position, String name, List<Expr> args, FuncSyntax syntax) {
            return new FuncCall(position, List.of("pg_catalog", name), args, false, false, false, List.of(), false,
                    null, null, syntax);
        }
    }

    /** A named argument {@code name => value} (or {@code name := value}). */
    record NamedArg(int position, String name, Expr value) implements Expr {
    }

    enum SqlValueKind {
        CURRENT_DATE, CURRENT_TIME, CURRENT_TIMESTAMP, LOCALTIME, LOCALTIMESTAMP, CURRENT_ROLE, CURRENT_USER,
        SESSION_USER, USER, CURRENT_CATALOG, CURRENT_SCHEMA
    }

    /** {@code CURRENT_DATE}, {@code CURRENT_TIMESTAMP(3)}, {@code CURRENT_USER}...; precision null if not given. */
    record SqlValueFunction(int position, SqlValueKind kind, Integer precision) implements Expr {
    }

    /** One {@code WHEN condition THEN result} of a CASE. */
    record CaseWhen(int position, Expr condition, Expr result) implements Node {
    }

    /** {@code CASE [arg] WHEN ... THEN ... [ELSE elseResult] END}; arg and elseResult may be null. */
    record CaseExpr(int position, Expr arg, List<CaseWhen> whens, Expr elseResult) implements Expr {
        public CaseExpr {
            whens = List.copyOf(whens);
        }
    }

    enum SpecialFuncKind { COALESCE, GREATEST, LEAST, NULLIF }

    /** {@code COALESCE(...)}, {@code GREATEST(...)}, {@code LEAST(...)}, {@code NULLIF(a, b)}. */
    record SpecialFunc(int position, SpecialFuncKind kind, List<Expr> args) implements Expr {
        public SpecialFunc {
            args = List.copyOf(args);
        }
    }

    /** {@code ROW(a, b)} (explicit) or {@code (a, b)}. */
    record RowExpr(int position, List<Expr> args, boolean explicit) implements Expr {
        public RowExpr {
            args = List.copyOf(args);
        }
    }

    /**
     * {@code ARRAY[a, b]} (explicit) or a nested {@code [a, b]} inside one.
     */
    record ArrayExpr(int position, List<Expr> elements, boolean explicit) implements Expr {
        public ArrayExpr {
            elements = List.copyOf(elements);
        }
    }

    /** A step of an {@link Indirection} or a {@link ColumnTarget}. */
    sealed interface IndirectionItem {
    }

    /** {@code .name}. */
    record FieldName(String name) implements IndirectionItem {
    }

    /** {@code .*}. */
    record FieldStar() implements IndirectionItem {
    }

    /**
     * {@code [upper]} (lower null, slice false) or {@code [lower:upper]} (slice
     * true; either bound may be null).
     */
    record Subscript(Expr lower, Expr upper, boolean slice) implements IndirectionItem {
    }

    /** Subscripts and field selections applied to an expression: {@code (x).f}, {@code a[1]}. */
    record Indirection(int position, Expr arg, List<IndirectionItem> items) implements Expr {
        public Indirection {
            items = List.copyOf(items);
        }
    }

    /** {@code DEFAULT} as a value in INSERT or UPDATE. */
    record Default(int position) implements Expr {
    }

    /** {@code GROUPING(a, b)}. */
    record GroupingFunc(int position, List<Expr> args) implements Expr {
        public GroupingFunc {
            args = List.copyOf(args);
        }
    }

    enum GroupingSetKind { EMPTY, ROLLUP, CUBE, SETS }

    /**
     * A GROUP BY element: {@code ()}, {@code ROLLUP(...)}, {@code CUBE(...)},
     * {@code GROUPING SETS (...)}; a parenthesised sublist inside is a
     * {@link RowExpr}.
     */
    record GroupingSet(int position, GroupingSetKind kind, List<Expr> content) implements Expr {
        public GroupingSet {
            content = List.copyOf(content);
        }
    }

    /** {@code WHERE CURRENT OF cursor} in UPDATE and DELETE. */
    record CurrentOf(int position, String cursor) implements Expr {
    }
}
