package modgres.sql.parser;

import java.util.ArrayList;
import java.util.List;

import modgres.sql.ast.Alias;
import modgres.sql.ast.ColumnDef;
import modgres.sql.ast.ColumnTarget;
import modgres.sql.ast.Dml;
import modgres.sql.ast.Expr;
import modgres.sql.ast.FromItem;
import modgres.sql.ast.IndexElem;
import modgres.sql.ast.IntoClause;
import modgres.sql.ast.LockingClause;
import modgres.sql.ast.OnConflict;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.ResTarget;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.SetClause;
import modgres.sql.ast.SortBy;
import modgres.sql.ast.Statement;
import modgres.sql.ast.WindowDef;
import modgres.sql.ast.WithClause;

/** SELECT (with set operations, WITH, ORDER BY, LIMIT, locking), FROM lists, INSERT, UPDATE, DELETE. */
abstract class QueryParser extends ExpressionParser {

    protected QueryParser(String src, List<Token> tokens) {
        super(src, tokens);
    }

    // ------------------------------------------------------------------ SELECT

    /** Whether the current token begins a query (SELECT, VALUES, TABLE, WITH or '('). */
    protected final boolean atSelectStart() {
        return isAnyKw("select", "values", "table", "with") || isChar('(');
    }

    /** {@code SelectStmt}: select_no_parens or select_with_parens. */
    protected final SelectStmt selectStmt() {
        int pos = pos();
        WithClause with = null;
        if (isKw("with")) {
            with = withClause();
        }
        SelectStmt core = setOperation(0);
        return selectTail(pos, with, core);
    }

    @Override
    protected final SelectStmt selectWithParens() {
        expectChar('(');
        SelectStmt s = selectStmt();
        expectChar(')');
        return s;
    }

    /** The clauses after a query body: ORDER BY, LIMIT/OFFSET/FETCH and locking, merged as PostgreSQL does. */
    protected final SelectStmt selectTail(int pos, WithClause with, SelectStmt core) {
        List<SortBy> order = List.of();
        int orderPos = 0;
        if (isKw("order")) {
            orderPos = pos();
            order = sortClause();
        }
        Expr limit = null;
        Expr offset = null;
        boolean withTies = false;
        int limitPos = 0;
        int offsetPos = 0;
        List<LockingClause> locking = new ArrayList<>();
        boolean sawLimit = false;
        boolean sawOffset = false;
        boolean sawLocking = false;
        while (true) {
            if (!sawLimit && (isKw("limit") || isKw("fetch"))) {
                sawLimit = true;
                limitPos = pos();
                if (acceptKw("limit")) {
                    if (acceptKw("all")) {
                        limit = Expr.Constant.nullConst(toks[p - 1].position());
                    } else {
                        limit = expr();
                    }
                    if (isChar(',')) {
                        throw error("42601", "LIMIT #,# syntax is not supported",
                                "Use separate LIMIT and OFFSET clauses.", limitPos);
                    }
                } else {
                    next(); // FETCH
                    if (!acceptKw("first")) {
                        expectKw("next");
                    }
                    if (isAnyKw("row", "rows")) {
                        limit = new Expr.Constant(0, Expr.ConstKind.INTEGER, "1");
                    } else {
                        limit = fetchFirstValue();
                    }
                    if (!acceptKw("row")) {
                        expectKw("rows");
                    }
                    if (acceptKw("with")) {
                        expectKw("ties");
                        withTies = true;
                    } else {
                        expectKw("only");
                    }
                }
            } else if (!sawOffset && isKw("offset")) {
                sawOffset = true;
                offsetPos = pos();
                next();
                offset = expr();
                if (!acceptKw("row")) {
                    acceptKw("rows");
                }
            } else if (!sawLocking && isKw("for")) {
                sawLocking = true;
                lockingClauses(locking);
            } else {
                break;
            }
        }
        if (with == null && order.isEmpty() && limit == null && offset == null && locking.isEmpty()) {
            return core;
        }
        // merge into the core (a parenthesised query may carry its own clauses)
        if (!order.isEmpty() && !core.orderBy().isEmpty()) {
            throw error("42601", "multiple ORDER BY clauses not allowed", null, order.get(0).expr().position());
        }
        if (offset != null && core.limitOffset() != null) {
            throw error("42601", "multiple OFFSET clauses not allowed", null, offsetPos);
        }
        if (limit != null && core.limitCount() != null) {
            throw error("42601", "multiple LIMIT clauses not allowed", null, limitPos);
        }
        if (with != null && core.with() != null) {
            throw error("42601", "multiple WITH clauses not allowed", null, with.position());
        }
        List<SortBy> mergedOrder = order.isEmpty() ? core.orderBy() : order;
        if (withTies && mergedOrder.isEmpty()) {
            throw error("42601", "WITH TIES cannot be specified without ORDER BY clause", null, 0);
        }
        List<LockingClause> mergedLocking = new ArrayList<>(core.locking());
        mergedLocking.addAll(locking);
        if (withTies) {
            for (LockingClause lc : mergedLocking) {
                if (lc.waitPolicy() == LockingClause.WaitPolicy.SKIP_LOCKED) {
                    throw error("0A000", "SKIP LOCKED and WITH TIES options cannot be used together", null,
                            limitPos);
                }
            }
        }
        return new SelectStmt(with != null ? pos : core.position(), with != null ? with : core.with(), core.body(),
                mergedOrder, limit != null ? limit : core.limitCount(),
                offset != null ? offset : core.limitOffset(), withTies || core.withTies(), mergedLocking);
    }

    /** {@code select_fetch_first_value}: c_expr or a signed number. */
    private Expr fetchFirstValue() {
        if ((isChar('+') || isChar('-'))
                && (peek(1).kind() == TokenKind.ICONST || peek(1).kind() == TokenKind.FCONST)) {
            int pos = pos();
            String n = numericOnly();
            return new Expr.Constant(pos, n.matches("-?[0-9]+") && fitsInt(n) ? Expr.ConstKind.INTEGER
                    : Expr.ConstKind.NUMERIC, n);
        }
        return expr();
    }

    private static boolean fitsInt(String n) {
        try {
            Integer.parseInt(n);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void lockingClauses(List<LockingClause> out) {
        while (isKw("for")) {
            next();
            if (acceptKw("read")) {
                expectKw("only");
                continue;
            }
            LockingClause.Strength strength;
            if (acceptKw("update")) {
                strength = LockingClause.Strength.UPDATE;
            } else if (acceptKw("no")) {
                expectKw("key");
                expectKw("update");
                strength = LockingClause.Strength.NO_KEY_UPDATE;
            } else if (acceptKw("share")) {
                strength = LockingClause.Strength.SHARE;
            } else {
                expectKw("key");
                expectKw("share");
                strength = LockingClause.Strength.KEY_SHARE;
            }
            List<RangeVar> of = List.of();
            if (acceptKw("of")) {
                of = qualifiedNameList();
            }
            LockingClause.WaitPolicy wait = LockingClause.WaitPolicy.BLOCK;
            if (acceptKw("nowait")) {
                wait = LockingClause.WaitPolicy.NOWAIT;
            } else if (isKw("skip") && isKw(1, "locked")) {
                next();
                next();
                wait = LockingClause.WaitPolicy.SKIP_LOCKED;
            }
            out.add(new LockingClause(strength, of, wait));
        }
    }

    /** Set operations by precedence: INTERSECT binds tighter than UNION and EXCEPT; all left-associative. */
    private SelectStmt setOperation(int ctx) {
        SelectStmt left = selectPrimary();
        while (true) {
            int prec;
            if (isKw("union") || isKw("except")) {
                prec = 1;
            } else if (isKw("intersect")) {
                prec = 2;
            } else {
                break;
            }
            if (prec <= ctx) {
                break;
            }
            Token op = next();
            boolean all = false;
            if (acceptKw("all")) {
                all = true;
            } else {
                acceptKw("distinct");
            }
            SelectStmt right = setOperation(prec);
            SelectStmt.SetOpKind kind = SelectStmt.SetOpKind.valueOf(op.value().toUpperCase());
            left = SelectStmt.of(new SelectStmt.SetOp(left.position(), kind, all, left, right));
        }
        return left;
    }

    private SelectStmt selectPrimary() {
        if (isChar('(')) {
            return selectWithParens();
        }
        if (isKw("select")) {
            return SelectStmt.of(simpleSelect());
        }
        if (isKw("values")) {
            return SelectStmt.of(valuesClause());
        }
        if (isKw("table")) {
            int pos = next().position();
            RangeVar rel = relationExpr();
            ResTarget star = new ResTarget(pos, new Expr.ColumnRef(pos, List.of(), true), null);
            return SelectStmt.of(new SelectStmt.Simple(pos, false, List.of(), List.of(star), null, List.of(rel),
                    null, false, List.of(), null, List.of()));
        }
        throw syntaxError();
    }

    /** {@code VALUES (...), (...)}. */
    protected final SelectStmt.Values valuesClause() {
        int pos = next().position();
        List<List<Expr>> rows = new ArrayList<>();
        do {
            expectChar('(');
            rows.add(exprList());
            expectChar(')');
        } while (acceptChar(','));
        return new SelectStmt.Values(pos, rows);
    }

    private SelectStmt.Simple simpleSelect() {
        int pos = next().position();
        boolean distinct = false;
        List<Expr> distinctOn = List.of();
        if (acceptKw("distinct")) {
            distinct = true;
            if (acceptKw("on")) {
                expectChar('(');
                distinctOn = exprList();
                expectChar(')');
            }
        } else {
            acceptKw("all");
        }
        List<ResTarget> targets = List.of();
        if (distinct || !atTargetListEnd()) {
            targets = targetList();
        }
        IntoClause into = null;
        if (isKw("into")) {
            into = intoClause();
        }
        List<FromItem> from = List.of();
        if (acceptKw("from")) {
            from = fromList();
        }
        Expr where = acceptKw("where") ? expr() : null;
        boolean groupDistinct = false;
        List<Expr> groupBy = List.of();
        if (isKw("group") && isKw(1, "by")) {
            next();
            next();
            if (acceptKw("distinct")) {
                groupDistinct = true;
            } else {
                acceptKw("all");
            }
            groupBy = groupByList();
        }
        Expr having = acceptKw("having") ? expr() : null;
        List<WindowDef> windows = new ArrayList<>();
        if (acceptKw("window")) {
            do {
                String name = colId();
                expectKw("as");
                windows.add(windowSpecification(pos()).withName(name));
            } while (acceptChar(','));
        }
        return new SelectStmt.Simple(pos, distinct, distinctOn, targets, into, from, where, groupDistinct, groupBy,
                having, windows);
    }

    /** Whether the target list is empty here ({@code SELECT FROM t}, {@code SELECT;}). */
    private boolean atTargetListEnd() {
        return atStatementEnd() || isChar(')') || isAnyKw("from", "into", "where", "group", "having", "window",
                "union", "intersect", "except", "order", "limit", "offset", "fetch", "for", "on", "returning");
    }

    /** {@code target_list}: target_el, ... */
    protected final List<ResTarget> targetList() {
        List<ResTarget> list = new ArrayList<>();
        do {
            list.add(targetElement());
        } while (acceptChar(','));
        return list;
    }

    private ResTarget targetElement() {
        int pos = pos();
        if (isChar('*')) {
            next();
            return new ResTarget(pos, new Expr.ColumnRef(pos, List.of(), true), null);
        }
        Expr e = targetExpr();
        String alias = null;
        if (acceptKw("as")) {
            alias = colLabel();
        } else if (isBareColLabel(peek())) {
            alias = next().value();
        }
        return new ResTarget(pos, e, alias);
    }

    private IntoClause intoClause() {
        next();
        IntoClause.Persistence persistence = optTemp();
        acceptKw("table");
        RangeVar rel = qualifiedName();
        return new IntoClause(rel, persistence, List.of(), null, List.of(), null, null);
    }

    /** {@code OptTemp}: TEMP / TEMPORARY / LOCAL TEMP / GLOBAL TEMP / UNLOGGED, or permanent. */
    protected final IntoClause.Persistence optTemp() {
        if (acceptKw("temp") || acceptKw("temporary")) {
            return IntoClause.Persistence.TEMPORARY;
        }
        if ((isKw("local") || isKw("global")) && isAnyKwAt(1, "temp", "temporary")) {
            next();
            next();
            return IntoClause.Persistence.TEMPORARY;
        }
        if (acceptKw("unlogged")) {
            return IntoClause.Persistence.UNLOGGED;
        }
        return IntoClause.Persistence.PERMANENT;
    }

    private List<Expr> groupByList() {
        List<Expr> list = new ArrayList<>();
        do {
            list.add(groupByItem());
        } while (acceptChar(','));
        return list;
    }

    private Expr groupByItem() {
        int pos = pos();
        if (isChar('(') && isChar(1, ')')) {
            next();
            next();
            return new Expr.GroupingSet(pos, Expr.GroupingSetKind.EMPTY, List.of());
        }
        if ((isKw("rollup") || isKw("cube")) && isChar(1, '(')) {
            Expr.GroupingSetKind kind = next().value().equals("rollup") ? Expr.GroupingSetKind.ROLLUP
                    : Expr.GroupingSetKind.CUBE;
            next();
            List<Expr> content = exprList();
            expectChar(')');
            return new Expr.GroupingSet(pos, kind, content);
        }
        if (isKw("grouping") && isKw(1, "sets")) {
            next();
            next();
            expectChar('(');
            List<Expr> content = groupByList();
            expectChar(')');
            return new Expr.GroupingSet(pos, Expr.GroupingSetKind.SETS, content);
        }
        return expr();
    }

    // -------------------------------------------------------------------- WITH

    protected final WithClause withClause() {
        int pos = next().position();
        boolean recursive = acceptKw("recursive");
        List<WithClause.CommonTableExpr> ctes = new ArrayList<>();
        do {
            int cpos = pos();
            String name = colId();
            List<String> cols = optParenNameList();
            expectKw("as");
            WithClause.Materialized mat = WithClause.Materialized.DEFAULT;
            if (acceptKw("materialized")) {
                mat = WithClause.Materialized.MATERIALIZED;
            } else if (isKw("not") && isKw(1, "materialized")) {
                next();
                next();
                mat = WithClause.Materialized.NOT_MATERIALIZED;
            }
            expectChar('(');
            Statement query = preparableStatement();
            expectChar(')');
            WithClause.Search search = null;
            if (isKw("search") && isAnyKwAt(1, "depth", "breadth")) {
                next();
                boolean breadth = next().value().equals("breadth");
                expectKw("first");
                expectKw("by");
                List<String> cols2 = nameList();
                expectKw("set");
                search = new WithClause.Search(breadth, cols2, colId());
            }
            WithClause.Cycle cycle = null;
            if (acceptKw("cycle")) {
                List<String> cols2 = nameList();
                expectKw("set");
                String mark = colId();
                Expr value = null;
                Expr def = null;
                if (acceptKw("to")) {
                    value = expr();
                    expectKw("default");
                    def = expr();
                }
                expectKw("using");
                cycle = new WithClause.Cycle(cols2, mark, value, def, colId());
            }
            ctes.add(new WithClause.CommonTableExpr(cpos, name, cols, mat, query, search, cycle));
        } while (acceptChar(','));
        return new WithClause(pos, recursive, ctes);
    }

    /** {@code PreparableStmt}: SELECT, INSERT, UPDATE or DELETE (each with an optional WITH). */
    protected final Statement preparableStatement() {
        int pos = pos();
        if (isKw("with")) {
            WithClause with = withClause();
            return dmlOrSelectAfterWith(pos, with);
        }
        if (isKw("insert")) {
            return insert(pos, null);
        }
        if (isKw("update")) {
            return update(pos, null);
        }
        if (isKw("delete")) {
            return delete(pos, null);
        }
        return selectStmt();
    }

    protected final Statement dmlOrSelectAfterWith(int pos, WithClause with) {
        if (isKw("insert")) {
            return insert(pos, with);
        }
        if (isKw("update")) {
            return update(pos, with);
        }
        if (isKw("delete")) {
            return delete(pos, with);
        }
        SelectStmt core = setOperation(0);
        return selectTail(pos, with, core);
    }

    // -------------------------------------------------------------------- FROM

    protected final List<FromItem> fromList() {
        List<FromItem> list = new ArrayList<>();
        do {
            list.add(tableRef());
        } while (acceptChar(','));
        return list;
    }

    private FromItem tableRef() {
        return joins(fromPrimary());
    }

    private boolean atJoin() {
        if (isAnyKw("cross", "natural", "join", "inner")) {
            return true;
        }
        return isAnyKw("left", "right", "full") && (isKw(1, "join") || isKw(1, "outer"));
    }

    private FromItem joins(FromItem left) {
        while (atJoin()) {
            int pos = pos();
            if (acceptKw("cross")) {
                expectKw("join");
                FromItem right = fromPrimary();
                left = new FromItem.Join(pos, FromItem.JoinType.CROSS, false, left, right, List.of(), null, null,
                        null);
                continue;
            }
            boolean natural = acceptKw("natural");
            FromItem.JoinType type = FromItem.JoinType.INNER;
            if (acceptKw("inner")) {
                type = FromItem.JoinType.INNER;
            } else if (isAnyKw("left", "right", "full")) {
                type = FromItem.JoinType.valueOf(next().value().toUpperCase());
                acceptKw("outer");
            }
            expectKw("join");
            FromItem right = fromPrimary();
            if (natural) {
                left = new FromItem.Join(pos, type, true, left, right, List.of(), null, null, null);
                continue;
            }
            if (atJoin()) {
                right = joins(right);
            }
            if (acceptKw("using")) {
                List<String> using = parenNameList();
                Alias usingAlias = null;
                if (acceptKw("as")) {
                    usingAlias = Alias.of(colId());
                }
                left = new FromItem.Join(pos, type, false, left, right, using, usingAlias, null, null);
            } else {
                expectKw("on");
                Expr on = expr();
                left = new FromItem.Join(pos, type, false, left, right, List.of(), null, on, null);
            }
        }
        return left;
    }

    private static final java.util.Set<String> FROM_FUNCTION_KEYWORDS = java.util.Set.of("current_date",
            "current_time", "current_timestamp", "localtime", "localtimestamp", "current_role", "current_user",
            "session_user", "user", "current_catalog", "current_schema", "coalesce", "greatest", "least", "nullif",
            "extract", "position", "substring", "overlay", "trim", "normalize", "cast", "collation");

    private FromItem fromPrimary() {
        int pos = pos();
        boolean lateral = acceptKw("lateral");
        if (isChar('(')) {
            int subPos = pos();
            boolean triedSubquery = looksLikeSubquery();
            SelectStmt sub = tryParenthesizedSubquery();
            if (sub != null) {
                Alias alias = optAliasClause(false);
                if (alias == null) {
                    boolean values = sub.body() instanceof SelectStmt.Values;
                    throw error("42601", values ? "VALUES in FROM must have an alias"
                            : "subquery in FROM must have an alias", values
                            ? "For example, FROM (VALUES ...) [AS] foo." : "For example, FROM (SELECT ...) [AS] foo.",
                            subPos);
                }
                return new FromItem.Subselect(pos, lateral, sub, alias);
            }
            if (lateral) {
                if (triedSubquery && lastSubqueryError != null) {
                    throw lastSubqueryError;
                }
                throw syntaxError();
            }
            FromItem.Join j = triedSubquery ? orFurthestError(this::parenthesizedJoin) : parenthesizedJoin();
            Alias alias = optAliasClause(false);
            return alias == null ? j
                    : new FromItem.Join(j.position(), j.type(), j.natural(), j.left(), j.right(), j.using(),
                            j.usingAlias(), j.on(), alias);
        }
        if (isKw("rows") && isKw(1, "from") && isChar(2, '(')) {
            next();
            next();
            next();
            List<FromItem.FunctionItem> items = new ArrayList<>();
            do {
                Expr call = functionInFrom();
                List<ColumnDef> defs = List.of();
                if (acceptKw("as")) {
                    expectChar('(');
                    defs = tableFuncElements();
                    expectChar(')');
                }
                items.add(new FromItem.FunctionItem(call, defs));
            } while (acceptChar(','));
            expectChar(')');
            return functionTail(pos, lateral, true, items);
        }
        if (atFunctionInFrom()) {
            Expr call = functionInFrom();
            return functionTail(pos, lateral, false, List.of(new FromItem.FunctionItem(call, List.of())));
        }
        if (lateral) {
            throw syntaxError();
        }
        RangeVar rel = relationExpr();
        Alias alias = optAliasClause(false);
        rel = rel.withAlias(alias);
        if (isKw("tablesample")) {
            int tpos = next().position();
            List<String> method = new ArrayList<>();
            Token first = peek();
            if (!isTypeFunctionName(first) && !isColId(first)) {
                throw syntaxError();
            }
            method.add(next().value());
            while (acceptChar('.')) {
                method.add(colLabel());
            }
            expectChar('(');
            List<Expr> args = exprList();
            expectChar(')');
            Expr repeatable = null;
            if (acceptKw("repeatable")) {
                expectChar('(');
                repeatable = expr();
                expectChar(')');
            }
            return new FromItem.TableSample(tpos, rel, method, args, repeatable);
        }
        return rel;
    }

    private FromItem.Join parenthesizedJoin() {
        expectChar('(');
        FromItem inner = tableRef();
        Token close = peek();
        expectChar(')');
        if (!(inner instanceof FromItem.Join j)) {
            throw syntaxErrorAt(close);
        }
        return j;
    }

    /** Whether a function call (not a relation name) begins here. */
    private boolean atFunctionInFrom() {
        Token t = peek();
        if (t.kind() == TokenKind.KEYWORD && FROM_FUNCTION_KEYWORDS.contains(t.value())) {
            return true;
        }
        if (!isTypeFunctionName(t) && !isColId(t)) {
            return false;
        }
        int k = 1;
        while (isChar(k, '.') && isColLabel(peek(k + 1))) {
            k += 2;
        }
        return isChar(k, '(');
    }

    private Expr functionInFrom() {
        Expr call = expr();
        if (!(call instanceof Expr.FuncCall || call instanceof Expr.SpecialFunc
                || call instanceof Expr.SqlValueFunction || call instanceof Expr.TypeCast)) {
            throw error("42601", "syntax error at or near \"" + src.substring(toks[p - 1].start(), toks[p - 1].end())
                    + "\"", null, toks[p - 1].position());
        }
        return call;
    }

    private FromItem functionTail(int pos, boolean lateral, boolean rowsFrom, List<FromItem.FunctionItem> items) {
        boolean ordinality = false;
        if (isKw("with") && isKw(1, "ordinality")) {
            next();
            next();
            ordinality = true;
        }
        // func_alias_clause
        Alias alias = null;
        List<ColumnDef> defs = List.of();
        boolean as = acceptKw("as");
        if (as && isChar('(')) {
            next();
            defs = tableFuncElements();
            expectChar(')');
        } else if (as || isColId(peek())) {
            String name = colId();
            if (isChar('(')) {
                if (isColId(peek(1)) && (isChar(2, ',') || isChar(2, ')'))) {
                    alias = new Alias(name, parenNameList());
                } else {
                    next();
                    defs = tableFuncElements();
                    expectChar(')');
                    alias = Alias.of(name);
                }
            } else {
                alias = Alias.of(name);
            }
        }
        return new FromItem.Function(pos, lateral, rowsFrom, items, ordinality, alias, defs);
    }

    /** {@code TableFuncElementList}: name type [COLLATE c], ... */
    private List<ColumnDef> tableFuncElements() {
        List<ColumnDef> defs = new ArrayList<>();
        do {
            int pos = pos();
            String name = colId();
            var type = typename();
            List<String> collation = List.of();
            if (acceptKw("collate")) {
                collation = anyName();
            }
            defs.add(new ColumnDef(pos, name, type, null, collation, List.of()));
        } while (acceptChar(','));
        return defs;
    }

    /** {@code relation_expr}: [ONLY] name [*] or ONLY (name). */
    protected final RangeVar relationExpr() {
        if (acceptKw("only")) {
            if (acceptChar('(')) {
                RangeVar r = qualifiedName();
                expectChar(')');
                return r.withInherit(false);
            }
            return qualifiedName().withInherit(false);
        }
        RangeVar r = qualifiedName();
        acceptChar('*');
        return r;
    }

    protected final List<RangeVar> relationExprList() {
        List<RangeVar> list = new ArrayList<>();
        do {
            list.add(relationExpr());
        } while (acceptChar(','));
        return list;
    }

    /** {@code opt_alias_clause}: [AS] name [(cols)]; with noSet, a bare SET is not an alias (UPDATE). */
    protected final Alias optAliasClause(boolean noSet) {
        boolean as = acceptKw("as");
        if (!as && (!isColId(peek()) || (noSet && isKw("set")))) {
            return null;
        }
        String name = colId();
        List<String> cols = optParenNameList();
        return new Alias(name, cols);
    }

    // ------------------------------------------------------------------ INSERT

    protected final Dml.Insert insert(int pos, WithClause with) {
        expectKw("insert");
        expectKw("into");
        RangeVar rel = qualifiedName();
        if (acceptKw("as")) {
            rel = rel.withAlias(Alias.of(colId()));
        }
        List<ColumnTarget> cols = List.of();
        if (isChar('(') && !looksLikeSubquery()) {
            next();
            cols = new ArrayList<>();
            do {
                cols.add(columnTarget());
            } while (acceptChar(','));
            expectChar(')');
        }
        Dml.Overriding overriding = Dml.Overriding.NONE;
        if (acceptKw("overriding")) {
            if (acceptKw("system")) {
                overriding = Dml.Overriding.SYSTEM_VALUE;
            } else {
                expectKw("user");
                overriding = Dml.Overriding.USER_VALUE;
            }
            expectKw("value");
        }
        SelectStmt source = null;
        if (cols.isEmpty() && overriding == Dml.Overriding.NONE && isKw("default") && isKw(1, "values")) {
            next();
            next();
        } else {
            source = selectStmt();
        }
        OnConflict onConflict = null;
        if (isKw("on") && isKw(1, "conflict")) {
            onConflict = onConflict();
        }
        List<ResTarget> returning = returning();
        return new Dml.Insert(pos, with, rel, cols, overriding, source, onConflict, returning);
    }

    protected final ColumnTarget columnTarget() {
        int pos = pos();
        String name = colId();
        List<Expr.IndirectionItem> ind = (isChar('.') || isChar('[')) ? indirection() : List.of();
        return new ColumnTarget(pos, name, ind);
    }

    private OnConflict onConflict() {
        int pos = next().position();
        next();
        List<IndexElem> infer = List.of();
        Expr inferWhere = null;
        String constraint = null;
        if (isChar('(')) {
            next();
            infer = indexElems();
            expectChar(')');
            if (acceptKw("where")) {
                inferWhere = expr();
            }
        } else if (isKw("on")) {
            next();
            expectKw("constraint");
            constraint = colId();
        }
        expectKw("do");
        if (acceptKw("nothing")) {
            return new OnConflict(pos, infer, inferWhere, constraint, false, List.of(), null);
        }
        expectKw("update");
        expectKw("set");
        List<SetClause> set = setClauses();
        Expr where = acceptKw("where") ? expr() : null;
        return new OnConflict(pos, infer, inferWhere, constraint, true, set, where);
    }

    /** {@code index_params}: index elements, comma-separated. */
    protected final List<IndexElem> indexElems() {
        List<IndexElem> list = new ArrayList<>();
        do {
            list.add(indexElem());
        } while (acceptChar(','));
        return list;
    }

    /** {@code index_elem}: column, function call or (expression), with collation, opclass, order, nulls. */
    protected final IndexElem indexElem() {
        int pos = pos();
        String name = null;
        Expr e = null;
        if (isChar('(')) {
            next();
            e = expr();
            expectChar(')');
        } else if (atFunctionInFrom()) {
            e = functionInFrom();
        } else {
            name = colId();
        }
        List<String> collation = List.of();
        if (acceptKw("collate")) {
            collation = anyName();
        }
        List<String> opclass = List.of();
        List<modgres.sql.ast.DefElem> opclassOptions = List.of();
        if (isColId(peek()) && !isAnyKw("asc", "desc", "nulls")) {
            opclass = anyName();
            if (isChar('(')) {
                opclassOptions = reloptions();
            }
        }
        SortBy.Direction dir = SortBy.Direction.DEFAULT;
        if (acceptKw("asc")) {
            dir = SortBy.Direction.ASC;
        } else if (acceptKw("desc")) {
            dir = SortBy.Direction.DESC;
        }
        return new IndexElem(pos, name, e, collation, opclass, opclassOptions, dir, optNullsOrder());
    }

    /** {@code reloptions}: '(' name [= value], ... ')': implemented with the definitions. */
    protected abstract List<modgres.sql.ast.DefElem> reloptions();

    protected final List<ResTarget> returning() {
        if (acceptKw("returning")) {
            return targetList();
        }
        return List.of();
    }

    // ------------------------------------------------------------------ UPDATE

    protected final Dml.Update update(int pos, WithClause with) {
        expectKw("update");
        RangeVar rel = relationExpr();
        Alias alias = optAliasClause(true);
        if (alias != null && !alias.columns().isEmpty()) {
            throw syntaxError();
        }
        rel = rel.withAlias(alias);
        expectKw("set");
        List<SetClause> set = setClauses();
        List<FromItem> from = acceptKw("from") ? fromList() : List.of();
        Expr where = whereOrCurrent();
        return new Dml.Update(pos, with, rel, set, from, where, returning());
    }

    private Expr whereOrCurrent() {
        if (!acceptKw("where")) {
            return null;
        }
        if (isKw("current") && isKw(1, "of")) {
            int pos = next().position();
            next();
            return new Expr.CurrentOf(pos, colId());
        }
        return expr();
    }

    private List<SetClause> setClauses() {
        List<SetClause> list = new ArrayList<>();
        do {
            int pos = pos();
            if (acceptChar('(')) {
                List<ColumnTarget> targets = new ArrayList<>();
                do {
                    targets.add(columnTarget());
                } while (acceptChar(','));
                expectChar(')');
                expectChar('=');
                list.add(new SetClause(pos, targets, expr(), true));
            } else {
                ColumnTarget target = columnTarget();
                expectChar('=');
                list.add(new SetClause(pos, List.of(target), expr(), false));
            }
        } while (acceptChar(','));
        return list;
    }

    // ------------------------------------------------------------------ DELETE

    protected final Dml.Delete delete(int pos, WithClause with) {
        expectKw("delete");
        expectKw("from");
        RangeVar rel = relationExpr();
        Alias alias = optAliasClause(false);
        if (alias != null && !alias.columns().isEmpty()) {
            throw syntaxError();
        }
        rel = rel.withAlias(alias);
        List<FromItem> using = acceptKw("using") ? fromList() : List.of();
        Expr where = whereOrCurrent();
        return new Dml.Delete(pos, with, rel, using, where, returning());
    }
}
