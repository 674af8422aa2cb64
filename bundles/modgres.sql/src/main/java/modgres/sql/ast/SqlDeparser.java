package modgres.sql.ast;

import java.util.List;
import java.util.function.Function;

/**
 * Prints a syntax tree as canonical SQL: key words in upper case,
 * identifiers quoted only where needed, every operand that is not a primary
 * in parentheses (so the text never depends on operator precedence), and
 * SQL-standard type names. Parsing the output gives the same tree (apart
 * from positions), which the tests check over a corpus; the same text will
 * serve EXPLAIN VERBOSE and view definitions.
 */
public final class SqlDeparser {
    private final StringBuilder sb = new StringBuilder();

    private SqlDeparser() {
    }

    public static String deparse(Statement s) {
        SqlDeparser d = new SqlDeparser();
        d.statement(s);
        return d.sb.toString();
    }

    /**
     * A statement with the relations of its FROM clauses schema-qualified where {@code schemaOf} gives a schema
     * for an unqualified one (null: left as written). View definitions are stored this way so that they keep
     * reading the relations they were created on, whatever the search path.
     */
    public static String deparse(Statement s, Function<RangeVar, String> schemaOf) {
        SqlDeparser d = new SqlDeparser();
        d.schemaOf = schemaOf;
        d.statement(s);
        return d.sb.toString();
    }

    private Function<RangeVar, String> schemaOf;

    public static String deparse(Expr e) {
        SqlDeparser d = new SqlDeparser();
        d.expr(e);
        return d.sb.toString();
    }

    public static String deparse(TypeName t) {
        SqlDeparser d = new SqlDeparser();
        d.type(t);
        return d.sb.toString();
    }

    /** A string constant: {@code 'it''s'}. */
    public static String quoteLiteral(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    // ------------------------------------------------------------- utilities

    private SqlDeparser a(String s) {
        sb.append(s);
        return this;
    }

    private void ident(String s) {
        sb.append(Keywords.quoteIdentifier(s));
    }

    private void dotted(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                sb.append('.');
            }
            ident(names.get(i));
        }
    }

    private void identList(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            ident(names.get(i));
        }
    }

    private void parenIdents(List<String> names) {
        sb.append('(');
        identList(names);
        sb.append(')');
    }

    private <T> void list(List<T> items, java.util.function.Consumer<T> each) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            each.accept(items.get(i));
        }
    }

    private void exprs(List<Expr> items) {
        list(items, this::expr);
    }

    // ----------------------------------------------------------- expressions

    /** Whether e prints as a primary that needs no parentheses as an operand. */
    private static boolean atomic(Expr e) {
        if (e instanceof Expr.Constant c) {
            return !c.negative();
        }
        if (e instanceof Expr.FuncCall f) {
            return switch (f.syntax()) {
                case AT_TIME_ZONE, IS_NORMALIZED, OVERLAPS -> false;
                default -> true;
            };
        }
        if (e instanceof Expr.SubLink s) {
            return s.kind() == Expr.SubLinkKind.EXISTS || s.kind() == Expr.SubLinkKind.EXPR
                    || s.kind() == Expr.SubLinkKind.ARRAY;
        }
        if (e instanceof Expr.RowExpr r) {
            return r.explicit() || r.args().size() >= 2;
        }
        return e instanceof Expr.ColumnRef || e instanceof Expr.Param || e instanceof Expr.SqlValueFunction
                || e instanceof Expr.CaseExpr || e instanceof Expr.SpecialFunc || e instanceof Expr.ArrayExpr
                || e instanceof Expr.Indirection || e instanceof Expr.Default || e instanceof Expr.GroupingFunc
                || e instanceof Expr.TypeCast || e instanceof Expr.GroupingSet;
    }

    private void operand(Expr e) {
        if (atomic(e)) {
            expr(e);
        } else {
            sb.append('(');
            expr(e);
            sb.append(')');
        }
    }

    private void expr(Expr e) {
        if (e instanceof Expr.ColumnRef c) {
            dotted(c.fields());
            if (c.star()) {
                a(c.fields().isEmpty() ? "*" : ".*");
            }
        } else if (e instanceof Expr.Constant c) {
            constant(c);
        } else if (e instanceof Expr.Param p) {
            a("$").a(Integer.toString(p.number()));
        } else if (e instanceof Expr.TypeCast t) {
            operand(t.arg());
            a("::");
            type(t.type());
        } else if (e instanceof Expr.Collate c) {
            operand(c.arg());
            a(" COLLATE ");
            dotted(c.collation());
        } else if (e instanceof Expr.UnaryOp u) {
            a(u.op().sql()).a(" ");
            operand(u.operand());
        } else if (e instanceof Expr.BinaryOp b) {
            operand(b.left());
            a(" ").a(b.op().sql()).a(" ");
            operand(b.right());
        } else if (e instanceof Expr.BoolExpr b) {
            if (b.op() == Expr.BoolOp.NOT) {
                a("NOT ");
                operand(b.args().get(0));
            } else {
                String sep = b.op() == Expr.BoolOp.AND ? " AND " : " OR ";
                for (int i = 0; i < b.args().size(); i++) {
                    if (i > 0) {
                        a(sep);
                    }
                    operand(b.args().get(i));
                }
            }
        } else if (e instanceof Expr.NullTest n) {
            operand(n.arg());
            a(n.not() ? " IS NOT NULL" : " IS NULL");
        } else if (e instanceof Expr.BooleanTest b) {
            operand(b.arg());
            a(" ").a(b.kind().sql);
        } else if (e instanceof Expr.DistinctFrom d) {
            operand(d.left());
            a(d.not() ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
            operand(d.right());
        } else if (e instanceof Expr.Between b) {
            operand(b.arg());
            a(b.not() ? " NOT BETWEEN " : " BETWEEN ");
            if (b.symmetric()) {
                a("SYMMETRIC ");
            }
            operand(b.low());
            a(" AND ");
            operand(b.high());
        } else if (e instanceof Expr.InList in) {
            operand(in.arg());
            a(in.not() ? " NOT IN (" : " IN (");
            exprs(in.values());
            a(")");
        } else if (e instanceof Expr.Like l) {
            operand(l.arg());
            a(l.not() ? " NOT " : " ").a(l.kind().sql).a(" ");
            operand(l.pattern());
            if (l.escape() != null) {
                a(" ESCAPE ");
                operand(l.escape());
            }
        } else if (e instanceof Expr.Quantified q) {
            operand(q.left());
            a(" ").a(q.op().sql()).a(q.quantifier() == Expr.Quantifier.ALL ? " ALL (" : " ANY (");
            expr(q.right());
            a(")");
        } else if (e instanceof Expr.SubLink s) {
            subLink(s);
        } else if (e instanceof Expr.FuncCall f) {
            funcCall(f);
        } else if (e instanceof Expr.NamedArg n) {
            ident(n.name());
            a(" => ");
            expr(n.value());
        } else if (e instanceof Expr.SqlValueFunction v) {
            a(v.kind().name());
            if (v.precision() != null) {
                a("(").a(v.precision().toString()).a(")");
            }
        } else if (e instanceof Expr.CaseExpr c) {
            a("CASE");
            if (c.arg() != null) {
                a(" ");
                expr(c.arg());
            }
            for (Expr.CaseWhen w : c.whens()) {
                a(" WHEN ");
                expr(w.condition());
                a(" THEN ");
                expr(w.result());
            }
            if (c.elseResult() != null) {
                a(" ELSE ");
                expr(c.elseResult());
            }
            a(" END");
        } else if (e instanceof Expr.SpecialFunc s) {
            a(s.kind().name()).a("(");
            exprs(s.args());
            a(")");
        } else if (e instanceof Expr.RowExpr r) {
            a(r.explicit() || r.args().size() < 2 ? "ROW(" : "(");
            exprs(r.args());
            a(")");
        } else if (e instanceof Expr.ArrayExpr arr) {
            a(arr.explicit() ? "ARRAY[" : "[");
            exprs(arr.elements());
            a("]");
        } else if (e instanceof Expr.Indirection ind) {
            boolean bare = (ind.arg() instanceof Expr.ColumnRef c && !c.star() || ind.arg() instanceof Expr.Param)
                    && !ind.items().isEmpty() && ind.items().get(0) instanceof Expr.Subscript;
            if (bare || ind.arg() instanceof Expr.SubLink sl && sl.kind() == Expr.SubLinkKind.EXPR) {
                expr(ind.arg());
            } else {
                a("(");
                expr(ind.arg());
                a(")");
            }
            for (Expr.IndirectionItem item : ind.items()) {
                indirectionItem(item);
            }
        } else if (e instanceof Expr.Default) {
            a("DEFAULT");
        } else if (e instanceof Expr.GroupingFunc g) {
            a("GROUPING(");
            exprs(g.args());
            a(")");
        } else if (e instanceof Expr.GroupingSet g) {
            switch (g.kind()) {
                case EMPTY -> a("()");
                case ROLLUP -> {
                    a("ROLLUP(");
                    exprs(g.content());
                    a(")");
                }
                case CUBE -> {
                    a("CUBE(");
                    exprs(g.content());
                    a(")");
                }
                case SETS -> {
                    a("GROUPING SETS (");
                    exprs(g.content());
                    a(")");
                }
            }
        } else if (e instanceof Expr.CurrentOf c) {
            a("CURRENT OF ");
            ident(c.cursor());
        } else {
            throw new IllegalArgumentException("cannot deparse " + e);
        }
    }

    private void indirectionItem(Expr.IndirectionItem item) {
        if (item instanceof Expr.FieldName f) {
            a(".");
            ident(f.name());
        } else if (item instanceof Expr.FieldStar) {
            a(".*");
        } else if (item instanceof Expr.Subscript s) {
            a("[");
            if (s.slice()) {
                if (s.lower() != null) {
                    expr(s.lower());
                }
                a(":");
                if (s.upper() != null) {
                    expr(s.upper());
                }
            } else {
                expr(s.upper());
            }
            a("]");
        }
    }

    private void constant(Expr.Constant c) {
        switch (c.kind()) {
            case INTEGER, NUMERIC -> a(c.value());
            case STRING -> a(quoteLiteral(c.value()));
            case BIT_STRING -> a(c.value().substring(0, 1).toUpperCase()).a(quoteLiteral(c.value().substring(1)));
            case BOOLEAN -> a(c.value().toUpperCase());
            case NULL -> a("NULL");
        }
    }

    private void subLink(Expr.SubLink s) {
        switch (s.kind()) {
            case EXISTS -> {
                a("EXISTS (");
                statement(s.query());
                a(")");
            }
            case EXPR -> {
                a("(");
                statement(s.query());
                a(")");
            }
            case ARRAY -> {
                a("ARRAY(");
                statement(s.query());
                a(")");
            }
            case IN -> {
                operand(s.left());
                a(" IN (");
                statement(s.query());
                a(")");
            }
            case ANY, ALL -> {
                operand(s.left());
                a(" ").a(s.op().sql()).a(s.kind() == Expr.SubLinkKind.ALL ? " ALL (" : " ANY (");
                statement(s.query());
                a(")");
            }
        }
    }

    private void funcCall(Expr.FuncCall f) {
        List<Expr> args = f.args();
        switch (f.syntax()) {
            case EXTRACT -> {
                a("EXTRACT(");
                String field = ((Expr.Constant) args.get(0)).value();
                Keywords.Keyword kw = Keywords.lookup(field);
                boolean bare = field.matches("[a-z_][a-z0-9_]*") && (kw == null || List.of("year", "month", "day",
                        "hour", "minute", "second").contains(field));
                a(bare ? field : quoteLiteral(field));
                a(" FROM ");
                expr(args.get(1));
                a(")");
                return;
            }
            case POSITION -> {
                a("POSITION(");
                operand(args.get(1));
                a(" IN ");
                operand(args.get(0));
                a(")");
                return;
            }
            case SUBSTRING -> {
                a("SUBSTRING(");
                expr(args.get(0));
                if (args.get(1) != null) {
                    a(" FROM ");
                    expr(args.get(1));
                }
                if (args.size() > 2) {
                    a(" FOR ");
                    expr(args.get(2));
                }
                a(")");
                return;
            }
            case SUBSTRING_SIMILAR -> {
                a("SUBSTRING(");
                operand(args.get(0));
                a(" SIMILAR ");
                operand(args.get(1));
                a(" ESCAPE ");
                expr(args.get(2));
                a(")");
                return;
            }
            case OVERLAY -> {
                a("OVERLAY(");
                expr(args.get(0));
                a(" PLACING ");
                expr(args.get(1));
                a(" FROM ");
                expr(args.get(2));
                if (args.size() > 3) {
                    a(" FOR ");
                    expr(args.get(3));
                }
                a(")");
                return;
            }
            case TRIM -> {
                String name = f.name().get(f.name().size() - 1);
                a("TRIM(").a(name.equals("ltrim") ? "LEADING " : name.equals("rtrim") ? "TRAILING " : "BOTH ");
                if (args.size() == 2) {
                    expr(args.get(1));
                    a(" FROM ");
                    expr(args.get(0));
                } else {
                    a("FROM ");
                    exprs(args);
                }
                a(")");
                return;
            }
            case AT_TIME_ZONE -> {
                operand(args.get(1));
                a(" AT TIME ZONE ");
                operand(args.get(0));
                return;
            }
            case COLLATION_FOR -> {
                a("COLLATION FOR (");
                expr(args.get(0));
                a(")");
                return;
            }
            case NORMALIZE -> {
                a("NORMALIZE(");
                expr(args.get(0));
                if (args.size() > 1) {
                    a(", ").a(((Expr.Constant) args.get(1)).value());
                }
                a(")");
                return;
            }
            case IS_NORMALIZED -> {
                operand(args.get(0));
                a(" IS ");
                if (args.size() > 1) {
                    a(((Expr.Constant) args.get(1)).value()).a(" ");
                }
                a("NORMALIZED");
                return;
            }
            case OVERLAPS -> {
                a("(");
                expr(args.get(0));
                a(", ");
                expr(args.get(1));
                a(") OVERLAPS (");
                expr(args.get(2));
                a(", ");
                expr(args.get(3));
                a(")");
                return;
            }
            default -> {
            }
        }
        dotted(f.name());
        a("(");
        if (f.star()) {
            a("*");
        } else {
            if (f.distinct()) {
                a("DISTINCT ");
            }
            for (int i = 0; i < args.size(); i++) {
                if (i > 0) {
                    a(", ");
                }
                if (f.variadic() && i == args.size() - 1) {
                    a("VARIADIC ");
                }
                expr(args.get(i));
            }
            if (!f.withinGroup() && !f.orderBy().isEmpty()) {
                a(" ");
                orderBy(f.orderBy());
            }
        }
        a(")");
        if (f.withinGroup()) {
            a(" WITHIN GROUP (");
            orderBy(f.orderBy());
            a(")");
        }
        if (f.filter() != null) {
            a(" FILTER (WHERE ");
            expr(f.filter());
            a(")");
        }
        if (f.over() != null) {
            a(" OVER ");
            if (f.over().name() != null) {
                ident(f.over().name());
            } else {
                windowSpec(f.over());
            }
        }
    }

    private void orderBy(List<SortBy> items) {
        a("ORDER BY ");
        list(items, s -> {
            expr(s.expr());
            switch (s.direction()) {
                case ASC -> a(" ASC");
                case DESC -> a(" DESC");
                case USING -> a(" USING ").a(s.usingOp().sql());
                default -> {
                }
            }
            nulls(s.nulls());
        });
    }

    private void nulls(SortBy.Nulls n) {
        if (n == SortBy.Nulls.FIRST) {
            a(" NULLS FIRST");
        } else if (n == SortBy.Nulls.LAST) {
            a(" NULLS LAST");
        }
    }

    private void windowSpec(WindowDef w) {
        a("(");
        String sep = "";
        if (w.refName() != null) {
            ident(w.refName());
            sep = " ";
        }
        if (!w.partitionBy().isEmpty()) {
            a(sep).a("PARTITION BY ");
            exprs(w.partitionBy());
            sep = " ";
        }
        if (!w.orderBy().isEmpty()) {
            a(sep);
            orderBy(w.orderBy());
            sep = " ";
        }
        if (w.frame() != null) {
            WindowDef.Frame f = w.frame();
            a(sep).a(f.mode().name()).a(" ");
            if (f.end() != null) {
                a("BETWEEN ");
                bound(f.start());
                a(" AND ");
                bound(f.end());
            } else {
                bound(f.start());
            }
            switch (f.exclusion()) {
                case CURRENT_ROW -> a(" EXCLUDE CURRENT ROW");
                case GROUP -> a(" EXCLUDE GROUP");
                case TIES -> a(" EXCLUDE TIES");
                case NO_OTHERS -> a(" EXCLUDE NO OTHERS");
                default -> {
                }
            }
        }
        a(")");
    }

    private void bound(WindowDef.Bound b) {
        switch (b.kind()) {
            case UNBOUNDED_PRECEDING -> a("UNBOUNDED PRECEDING");
            case UNBOUNDED_FOLLOWING -> a("UNBOUNDED FOLLOWING");
            case CURRENT_ROW -> a("CURRENT ROW");
            case PRECEDING -> {
                operand(b.offset());
                a(" PRECEDING");
            }
            case FOLLOWING -> {
                operand(b.offset());
                a(" FOLLOWING");
            }
        }
    }

    // ------------------------------------------------------------------ types

    private void type(TypeName t) {
        if (t.setof()) {
            a("SETOF ");
        }
        a(typeBody(t));
        if (t.pctType()) {
            a("%TYPE");
        }
        for (int b : t.arrayBounds()) {
            a(b < 0 ? "[]" : "[" + b + "]");
        }
    }

    private String typeBody(TypeName t) {
        List<String> n = t.names();
        List<Expr> mods = t.typmods();
        if (n.size() == 2 && n.get(0).equals("pg_catalog")) {
            String m = mods.isEmpty() ? "" : "(" + String.join(", ", mods.stream().map(SqlDeparser::deparse)
                    .toList()) + ")";
            switch (n.get(1)) {
                case "int4":
                    if (mods.isEmpty()) {
                        return "integer";
                    }
                    break;
                case "int2":
                    if (mods.isEmpty()) {
                        return "smallint";
                    }
                    break;
                case "int8":
                    if (mods.isEmpty()) {
                        return "bigint";
                    }
                    break;
                case "float4":
                    if (mods.isEmpty()) {
                        return "real";
                    }
                    break;
                case "float8":
                    if (mods.isEmpty()) {
                        return "double precision";
                    }
                    break;
                case "bool":
                    if (mods.isEmpty()) {
                        return "boolean";
                    }
                    break;
                case "numeric":
                    return "numeric" + m;
                case "varchar":
                    return "character varying" + m;
                case "bpchar":
                    if (mods.size() == 1) {
                        return "character" + m;
                    }
                    break;
                case "bit":
                    if (mods.size() == 1) {
                        return "bit" + m;
                    }
                    break;
                case "varbit":
                    return "bit varying" + m;
                case "timestamp":
                    return "timestamp" + m + " without time zone";
                case "timestamptz":
                    return "timestamp" + m + " with time zone";
                case "time":
                    return "time" + m + " without time zone";
                case "timetz":
                    return "time" + m + " with time zone";
                case "interval": {
                    if (t.intervalFields() == null) {
                        return "interval" + m;
                    }
                    String f = t.intervalFields().toLowerCase();
                    return "interval " + f + (f.endsWith("second") ? m : "");
                }
                default:
                    break;
            }
        }
        SqlDeparser d = new SqlDeparser();
        d.dotted(n);
        if (!mods.isEmpty()) {
            d.a("(");
            d.exprs(mods);
            d.a(")");
        }
        return d.sb.toString();
    }

    // ------------------------------------------------------------- statements

    private void statement(Statement s) {
        if (s instanceof SelectStmt q) {
            select(q);
        } else if (s instanceof Dml d) {
            dml(d);
        } else if (s instanceof Ddl d) {
            new DdlDeparser(this).ddl(d);
        } else if (s instanceof Utility u) {
            new DdlDeparser(this).utility(u);
        } else {
            throw new IllegalArgumentException("cannot deparse " + s);
        }
    }

    private void with(WithClause w) {
        a("WITH ");
        if (w.recursive()) {
            a("RECURSIVE ");
        }
        list(w.ctes(), c -> {
            ident(c.name());
            if (!c.columns().isEmpty()) {
                parenIdents(c.columns());
            }
            a(" AS ");
            if (c.materialized() == WithClause.Materialized.MATERIALIZED) {
                a("MATERIALIZED ");
            } else if (c.materialized() == WithClause.Materialized.NOT_MATERIALIZED) {
                a("NOT MATERIALIZED ");
            }
            a("(");
            statement(c.query());
            a(")");
            if (c.search() != null) {
                a(c.search().breadthFirst() ? " SEARCH BREADTH FIRST BY " : " SEARCH DEPTH FIRST BY ");
                identList(c.search().columns());
                a(" SET ");
                ident(c.search().sequenceColumn());
            }
            if (c.cycle() != null) {
                a(" CYCLE ");
                identList(c.cycle().columns());
                a(" SET ");
                ident(c.cycle().markColumn());
                if (c.cycle().markValue() != null) {
                    a(" TO ");
                    operand(c.cycle().markValue());
                    a(" DEFAULT ");
                    operand(c.cycle().markDefault());
                }
                a(" USING ");
                ident(c.cycle().pathColumn());
            }
        });
        a(" ");
    }

    void select(SelectStmt q) {
        if (q.with() != null) {
            with(q.with());
        }
        queryBody(q.body());
        if (!q.orderBy().isEmpty()) {
            a(" ");
            orderBy(q.orderBy());
        }
        if (q.limitCount() != null) {
            if (q.withTies()) {
                a(" FETCH FIRST ");
                operand(q.limitCount());
                a(" ROWS WITH TIES");
            } else if (q.limitCount() instanceof Expr.Constant c && c.kind() == Expr.ConstKind.NULL) {
                a(" LIMIT ALL");
            } else {
                a(" LIMIT ");
                expr(q.limitCount());
            }
        }
        if (q.limitOffset() != null) {
            a(" OFFSET ");
            expr(q.limitOffset());
        }
        for (LockingClause l : q.locking()) {
            a(" ").a(l.strength().sql);
            if (!l.of().isEmpty()) {
                a(" OF ");
                list(l.of(), this::rangeVarName);
            }
            if (l.waitPolicy() == LockingClause.WaitPolicy.NOWAIT) {
                a(" NOWAIT");
            } else if (l.waitPolicy() == LockingClause.WaitPolicy.SKIP_LOCKED) {
                a(" SKIP LOCKED");
            }
        }
    }

    private void setOperand(SelectStmt q) {
        if (q.bare() && !(q.body() instanceof SelectStmt.SetOp)) {
            select(q);
        } else {
            a("(");
            select(q);
            a(")");
        }
    }

    private void queryBody(SelectStmt.QueryBody body) {
        if (body instanceof SelectStmt.SetOp op) {
            setOperand(op.left());
            a(" ").a(op.op().name()).a(op.all() ? " ALL " : " ");
            setOperand(op.right());
        } else if (body instanceof SelectStmt.Values v) {
            values(v);
        } else if (body instanceof SelectStmt.Simple s) {
            simple(s);
        }
    }

    void values(SelectStmt.Values v) {
        a("VALUES ");
        list(v.rows(), row -> {
            a("(");
            exprs(row);
            a(")");
        });
    }

    private void simple(SelectStmt.Simple s) {
        a("SELECT");
        if (s.distinct()) {
            a(" DISTINCT");
            if (!s.distinctOn().isEmpty()) {
                a(" ON (");
                exprs(s.distinctOn());
                a(")");
            }
        }
        if (!s.targets().isEmpty()) {
            a(" ");
            targets(s.targets());
        }
        if (s.into() != null) {
            a(" INTO ").a(s.into().persistence().sql).a("TABLE ");
            rangeVarName(s.into().relation());
        }
        if (!s.from().isEmpty()) {
            a(" FROM ");
            list(s.from(), this::fromItem);
        }
        if (s.where() != null) {
            a(" WHERE ");
            expr(s.where());
        }
        if (!s.groupBy().isEmpty()) {
            a(" GROUP BY ");
            if (s.groupByDistinct()) {
                a("DISTINCT ");
            }
            exprs(s.groupBy());
        }
        if (s.having() != null) {
            a(" HAVING ");
            expr(s.having());
        }
        if (!s.windows().isEmpty()) {
            a(" WINDOW ");
            list(s.windows(), w -> {
                ident(w.name());
                a(" AS ");
                windowSpec(w);
            });
        }
    }

    void targets(List<ResTarget> targets) {
        list(targets, t -> {
            expr(t.value());
            if (t.alias() != null) {
                a(" AS ");
                ident(t.alias());
            }
        });
    }

    void rangeVarName(RangeVar r) {
        if (r.catalog() != null) {
            ident(r.catalog());
            a(".");
        }
        if (r.schema() != null) {
            ident(r.schema());
            a(".");
        }
        ident(r.name());
    }

    void rangeVar(RangeVar r) {
        if (!r.inherit()) {
            a("ONLY ");
        }
        String schema = schemaOf != null && r.schema() == null && r.catalog() == null ? schemaOf.apply(r) : null;
        if (schema != null) {
            ident(schema);
            a(".");
        }
        rangeVarName(r);
        alias(r.alias());
    }

    private void alias(Alias al) {
        if (al != null) {
            a(" AS ");
            ident(al.name());
            if (!al.columns().isEmpty()) {
                parenIdents(al.columns());
            }
        }
    }

    void fromItem(FromItem f) {
        if (f instanceof RangeVar r) {
            rangeVar(r);
        } else if (f instanceof FromItem.TableSample ts) {
            rangeVar(ts.relation());
            a(" TABLESAMPLE ");
            dotted(ts.method());
            a("(");
            exprs(ts.args());
            a(")");
            if (ts.repeatable() != null) {
                a(" REPEATABLE (");
                expr(ts.repeatable());
                a(")");
            }
        } else if (f instanceof FromItem.Subselect s) {
            if (s.lateral()) {
                a("LATERAL ");
            }
            a("(");
            select(s.query());
            a(")");
            alias(s.alias());
        } else if (f instanceof FromItem.Function fn) {
            if (fn.lateral()) {
                a("LATERAL ");
            }
            if (fn.rowsFrom()) {
                a("ROWS FROM (");
                list(fn.functions(), item -> {
                    expr(item.call());
                    if (!item.columnDefs().isEmpty()) {
                        a(" AS (");
                        columnDefsShort(item.columnDefs());
                        a(")");
                    }
                });
                a(")");
            } else {
                expr(fn.functions().get(0).call());
            }
            if (fn.ordinality()) {
                a(" WITH ORDINALITY");
            }
            if (fn.alias() != null) {
                a(" AS ");
                ident(fn.alias().name());
                if (!fn.alias().columns().isEmpty()) {
                    parenIdents(fn.alias().columns());
                } else if (!fn.columnDefs().isEmpty()) {
                    a("(");
                    columnDefsShort(fn.columnDefs());
                    a(")");
                }
            } else if (!fn.columnDefs().isEmpty()) {
                a(" AS (");
                columnDefsShort(fn.columnDefs());
                a(")");
            }
        } else if (f instanceof FromItem.Join j) {
            if (j.alias() != null) {
                a("(");
            }
            fromItem(j.left());
            a(" ");
            if (j.natural()) {
                a("NATURAL ");
            }
            a(j.type().sql).a(" ");
            if (j.right() instanceof FromItem.Join rj && rj.alias() == null) {
                a("(");
                fromItem(j.right());
                a(")");
            } else {
                fromItem(j.right());
            }
            if (!j.using().isEmpty()) {
                a(" USING ");
                parenIdents(j.using());
                if (j.usingAlias() != null) {
                    a(" AS ");
                    ident(j.usingAlias().name());
                }
            } else if (j.on() != null) {
                a(" ON ");
                expr(j.on());
            }
            if (j.alias() != null) {
                a(")");
                alias(j.alias());
            }
        }
    }

    private void columnDefsShort(List<ColumnDef> defs) {
        list(defs, c -> {
            ident(c.name());
            a(" ");
            type(c.type());
            if (!c.collation().isEmpty()) {
                a(" COLLATE ");
                dotted(c.collation());
            }
        });
    }

    private void dml(Dml d) {
        if (d instanceof Dml.Insert i) {
            if (i.with() != null) {
                with(i.with());
            }
            a("INSERT INTO ");
            rangeVarName(i.relation());
            if (i.relation().alias() != null) {
                a(" AS ");
                ident(i.relation().alias().name());
            }
            if (!i.columns().isEmpty()) {
                a(" (");
                list(i.columns(), this::columnTarget);
                a(")");
            }
            if (i.overriding() == Dml.Overriding.SYSTEM_VALUE) {
                a(" OVERRIDING SYSTEM VALUE");
            } else if (i.overriding() == Dml.Overriding.USER_VALUE) {
                a(" OVERRIDING USER VALUE");
            }
            if (i.source() == null) {
                a(" DEFAULT VALUES");
            } else {
                a(" ");
                select(i.source());
            }
            if (i.onConflict() != null) {
                OnConflict oc = i.onConflict();
                a(" ON CONFLICT");
                if (!oc.inferElems().isEmpty()) {
                    a(" (");
                    list(oc.inferElems(), this::indexElem);
                    a(")");
                    if (oc.inferWhere() != null) {
                        a(" WHERE ");
                        expr(oc.inferWhere());
                    }
                } else if (oc.constraint() != null) {
                    a(" ON CONSTRAINT ");
                    ident(oc.constraint());
                }
                if (oc.doUpdate()) {
                    a(" DO UPDATE SET ");
                    setClauses(oc.set());
                    if (oc.where() != null) {
                        a(" WHERE ");
                        expr(oc.where());
                    }
                } else {
                    a(" DO NOTHING");
                }
            }
            returning(i.returning());
        } else if (d instanceof Dml.Update u) {
            if (u.with() != null) {
                with(u.with());
            }
            a("UPDATE ");
            rangeVar(u.relation());
            a(" SET ");
            setClauses(u.set());
            if (!u.from().isEmpty()) {
                a(" FROM ");
                list(u.from(), this::fromItem);
            }
            where(u.where());
            returning(u.returning());
        } else if (d instanceof Dml.Delete del) {
            if (del.with() != null) {
                with(del.with());
            }
            a("DELETE FROM ");
            rangeVar(del.relation());
            if (!del.using().isEmpty()) {
                a(" USING ");
                list(del.using(), this::fromItem);
            }
            where(del.where());
            returning(del.returning());
        }
    }

    private void where(Expr w) {
        if (w != null) {
            a(" WHERE ");
            expr(w);
        }
    }

    private void returning(List<ResTarget> r) {
        if (!r.isEmpty()) {
            a(" RETURNING ");
            targets(r);
        }
    }

    private void columnTarget(ColumnTarget c) {
        ident(c.name());
        for (Expr.IndirectionItem item : c.indirection()) {
            indirectionItem(item);
        }
    }

    private void setClauses(List<SetClause> set) {
        list(set, s -> {
            if (s.multi()) {
                a("(");
                list(s.targets(), this::columnTarget);
                a(") = ");
            } else {
                columnTarget(s.targets().get(0));
                a(" = ");
            }
            expr(s.value());
        });
    }

    void indexElem(IndexElem e) {
        if (e.name() != null) {
            ident(e.name());
        } else if (e.expr() instanceof Expr.FuncCall f && f.syntax() == Expr.FuncSyntax.NORMAL && f.over() == null
                && f.filter() == null) {
            expr(e.expr());
        } else {
            a("(");
            expr(e.expr());
            a(")");
        }
        if (!e.collation().isEmpty()) {
            a(" COLLATE ");
            dotted(e.collation());
        }
        if (!e.opclass().isEmpty()) {
            a(" ");
            dotted(e.opclass());
            if (!e.opclassOptions().isEmpty()) {
                a(" ");
                reloptions(e.opclassOptions());
            }
        }
        if (e.direction() == SortBy.Direction.ASC) {
            a(" ASC");
        } else if (e.direction() == SortBy.Direction.DESC) {
            a(" DESC");
        }
        nulls(e.nulls());
    }

    // -------------------------------------------- shared with the DDL deparser

    void reloptions(List<DefElem> options) {
        a("(");
        list(options, d -> {
            if (d.namespace() != null) {
                ident(d.namespace());
                a(".");
            }
            ident(d.name());
            if (d.value() != null) {
                a(" = ");
                defValue(d.value());
            }
        });
        a(")");
    }

    void defValue(DefElem.Value v) {
        if (v instanceof DefElem.Name n) {
            for (int i = 0; i < n.parts().size(); i++) {
                if (i > 0) {
                    a(".");
                }
                String p = n.parts().get(i);
                a(p.matches("[a-z_][a-z0-9_$]*") ? p : Keywords.quoteIdentifier(p));
            }
        } else if (v instanceof DefElem.Str s) {
            a(quoteLiteral(s.value()));
        } else if (v instanceof DefElem.Num n) {
            a(n.value());
        } else if (v instanceof DefElem.Type t) {
            type(t.type());
        } else if (v instanceof DefElem.Lst l) {
            a("(");
            list(l.values(), this::defValue);
            a(")");
        } else if (v instanceof DefElem.Star) {
            a("*");
        } else if (v instanceof DefElem.Op o) {
            a(o.op().sql());
        }
    }

    // package-private access for DdlDeparser
    StringBuilder out() {
        return sb;
    }

    void expression(Expr e) {
        expr(e);
    }

    void operandExpr(Expr e) {
        operand(e);
    }

    void typeName(TypeName t) {
        type(t);
    }

    void identifier(String s) {
        ident(s);
    }

    void qualified(List<String> names) {
        dotted(names);
    }

    void identifiers(List<String> names) {
        identList(names);
    }

    void parenIdentifiers(List<String> names) {
        parenIdents(names);
    }

    <T> void commaList(List<T> items, java.util.function.Consumer<T> each) {
        list(items, each);
    }

    void anyStatement(Statement s) {
        statement(s);
    }

    void columnDefs(List<ColumnDef> defs) {
        columnDefsShort(defs);
    }

    static <T> String join(List<T> items, Function<T, String> f) {
        return String.join(", ", items.stream().map(f).toList());
    }
}
