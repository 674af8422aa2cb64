package modgres.sql.pl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import modgres.api.error.PgException;
import modgres.sql.parser.Lexer;
import modgres.sql.parser.Token;
import modgres.sql.parser.TokenKind;

/*
 * Design notes: the PL/pgSQL interpreter (pl_exec.c).
 *
 * A call walks the statement tree of PlParser. Variables live in a stack
 * of scopes (one per block, one per FOR loop); a name resolves to the
 * innermost. A scalar variable has a declared type and typmod and holds a
 * value of the engine's representation; a record variable holds a Rec (field
 * names, types, values) or nothing until first assigned ("record is not
 * assigned yet", 55000).
 *
 * Every expression, condition and query is run by the SQL engine through
 * PlRuntime, as PostgreSQL does with SPI: the fragment's text is scanned by
 * the SQL lexer and each reference to a variable (x, rec.field, $1) is
 * replaced by a parameter $k of the variable's current type, so the engine
 * plans "SELECT <expr>" once per (text, parameter types) and the
 * interpreter passes the values at each run. Identifiers that cannot be
 * variables are left alone: after a '.', before '(' (function names),
 * after AS, in an INSERT's column list, and the target columns of UPDATE ...
 * SET.
 *
 * Control flow: EXIT, CONTINUE and RETURN are Java exceptions without stack
 * traces, caught by the loop or block they address.
 *
 * Exceptions: a block with an EXCEPTION clause runs its body in a
 * subtransaction (PlRuntime.subBegin); an error rolls the subtransaction back
 * (variables keep their values, as in PostgreSQL) and the first handler
 * whose condition matches runs; otherwise the error propagates. Condition
 * names map to SQLSTATEs; a class code (xx000) matches the whole class;
 * OTHERS matches everything but query_canceled and assert_failure.
 *
 * CONTEXT: an error leaving a statement gets PostgreSQL's line
 * "PL/pgSQL function f(integer) line 3 at RETURN" once per function call
 * (the innermost statement), below the lines added further in.
 *
 *   states of a call:  declare ─▶ run body ─▶ RETURN ─▶ result
 *                                   │  error ─▶ handler? ─▶ continue after block
 *                                   └──────────────────────▶ error + CONTEXT
 */
/** Runs a PL/pgSQL function body; see the design notes. */
public final class PlInterpreter {
    static final int BOOL = 16, INT4 = 23, INT8 = 20, TEXT = 25, RECORD = 2249, UNKNOWN = 705, TEXT_ARRAY = 1009;

    /** A declared parameter of the function. */
    public record Param(String name, int type, int typmod, char mode) {
    }

    /** A row value: field names, types, values. */
    public static final class Rec {
        public final List<String> names;
        public final int[] types;
        public final Object[] values;

        /** A NULL row of a known structure (OLD in an INSERT trigger, NEW in a DELETE trigger). */
        public final boolean isNull;

        public Rec(List<String> names, int[] types, Object[] values) {
            this(names, types, values, false);
        }

        public Rec(List<String> names, int[] types, Object[] values, boolean isNull) {
            this.names = names;
            this.types = types;
            this.values = values;
            this.isNull = isNull;
        }

        int field(String n) {
            return names.indexOf(n);
        }
    }

    /** What a trigger function sees (TG_* variables, NEW, OLD). */
    public record TriggerData(String name, String when, String level, String op, String table, String schema,
            List<String> args, Rec newRow, Rec oldRow) {
    }

    /** The result: a value, a Rec (composite / trigger row), or the rows of a set-returning function. */
    public record Result(Object value, List<Object[]> rows) {
    }

    private static final class Var {
        final String name;
        int type;
        int typmod;
        Object value;
        Rec rec;
        boolean isRecord;
        boolean constant;
        boolean notNull;

        Var(String name, int type, int typmod) {
            this.name = name;
            this.type = type;
            this.typmod = typmod;
        }
    }

    private static final class ControlFlow extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean isContinue;
        final String label;

        ControlFlow(boolean isContinue, String label) {
            super(null, null, false, false);
            this.isContinue = isContinue;
            this.label = label;
        }
    }

    private static final class ReturnSignal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReturnSignal() {
            super(null, null, false, false);
        }
    }

    private final PlRuntime rt;
    private final String contextName;
    private final Deque<Map<String, Var>> scopes = new ArrayDeque<>();
    private final Var[] positional;
    private final List<Var> outVars = new ArrayList<>();
    private final int returnType;
    private final int returnTypmod;
    private final boolean returnsSet;
    private final String functionName;
    private final Set<PgException> contexted = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<PlAst.Sql, List<Token>> tokenCache;
    private final Deque<PgException> caught = new ArrayDeque<>();
    private final Set<String> labels = new java.util.HashSet<>();
    private long rowCount;
    private Object result;
    private List<Object[]> setRows;
    private final boolean trigger;

    private PlInterpreter(PlRuntime rt, String contextName, String functionName, List<Param> params, Object[] args,
            int returnType, int returnTypmod, boolean returnsSet, TriggerData tg, Map<PlAst.Sql, List<Token>> cache) {
        this.rt = rt;
        this.contextName = contextName;
        this.functionName = functionName;
        this.returnType = returnType;
        this.returnTypmod = returnTypmod;
        this.returnsSet = returnsSet;
        this.tokenCache = cache;
        this.trigger = tg != null;
        Map<String, Var> top = new LinkedHashMap<>();
        scopes.push(top);
        positional = new Var[params.size()];
        int ai = 0;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            Var v = new Var(p.name() == null ? "$" + (i + 1) : p.name(), p.type(), p.typmod());
            if (p.mode() != 'o' && p.mode() != 't') {
                v.value = ai < args.length ? args[ai] : null;
                ai++;
            }
            if (p.mode() == 'o' || p.mode() == 'b' || p.mode() == 't') {
                outVars.add(v);
            }
            positional[i] = v;
            if (p.name() != null) {
                top.put(p.name(), v);
            }
        }
        Var found = new Var("found", BOOL, -1);
        found.value = false;
        top.put("found", found);
        if (tg != null) {
            top.put("new", recordVar("new", tg.newRow()));
            top.put("old", recordVar("old", tg.oldRow()));
            putText(top, "tg_name", tg.name());
            putText(top, "tg_when", tg.when());
            putText(top, "tg_level", tg.level());
            putText(top, "tg_op", tg.op());
            putText(top, "tg_table_name", tg.table());
            putText(top, "tg_relname", tg.table());
            putText(top, "tg_table_schema", tg.schema());
            Var n = new Var("tg_nargs", INT4, -1);
            n.value = tg.args().size();
            top.put("tg_nargs", n);
            Var argv = new Var("tg_argv", TEXT_ARRAY, -1);
            argv.value = rt.run("SELECT $1::text[]", new int[] {TEXT}, new Object[] {textArray(tg.args())})
                    .rows().get(0)[0];
            top.put("tg_argv", argv);
        }
    }

    /** TG_ARGV: a text[] whose subscripts start at 0, as PostgreSQL's. */
    private static String textArray(List<String> items) {
        StringBuilder sb = new StringBuilder(items.isEmpty() ? "{" : "[0:" + (items.size() - 1) + "]={");
        for (int i = 0; i < items.size(); i++) {
            sb.append(i > 0 ? "," : "").append('"').append(items.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return sb.append('}').toString();
    }

    private static Var recordVar(String name, Rec r) {
        Var v = new Var(name, RECORD, -1);
        v.isRecord = true;
        v.rec = r;
        return v;
    }

    private static void putText(Map<String, Var> scope, String name, String value) {
        Var v = new Var(name, TEXT, -1);
        v.value = value;
        scope.put(name, v);
    }

    /**
     * Runs a body. {@code contextName} is what CONTEXT lines call it ("function inverse(integer)", "function
     * inline_code_block"); {@code tokenCache} keeps the scanned SQL fragments of the body between calls.
     */
    public static Result run(PlAst.Block body, PlRuntime rt, String contextName, String functionName,
            List<Param> params, Object[] args, int returnType, int returnTypmod, boolean returnsSet, TriggerData tg,
            Map<PlAst.Sql, List<Token>> tokenCache) {
        PlInterpreter in = new PlInterpreter(rt, contextName, functionName, params, args, returnType, returnTypmod,
                returnsSet, tg, tokenCache);
        return in.call(body);
    }

    /** A trigger's WHEN condition over NEW and OLD: true when the trigger fires. */
    public static boolean condition(String expr, PlRuntime rt, TriggerData tg, Map<PlAst.Sql, List<Token>> cache) {
        PlInterpreter in = new PlInterpreter(rt, "trigger condition", "", List.of(), new Object[0], BOOL, -1, false,
                tg, cache);
        return in.cond(new PlAst.Sql(expr, 0));
    }

    private Result call(PlAst.Block body) {
        if (returnsSet) {
            setRows = new ArrayList<>();
        }
        try {
            execStmt(body);
            if (!returnsSet && returnType != 2278 /* void */ && outVars.isEmpty()) {
                throw new PgException("2F005", "control reached end of function without RETURN")
                        .addContext("PL/pgSQL " + contextName);
            }
            if (!returnsSet && !outVars.isEmpty()) {
                result = outResult();
            }
        } catch (ReturnSignal r) {
            // result set by RETURN
        } catch (ControlFlow c) {
            throw new PgException("42601", c.isContinue ? "CONTINUE cannot be used outside a loop"
                    : "EXIT cannot be used outside a loop, unless it has a label");
        }
        return new Result(result, setRows);
    }

    private Object outResult() {
        if (outVars.size() == 1) {
            return outVars.get(0).value;
        }
        List<String> names = new ArrayList<>();
        int[] types = new int[outVars.size()];
        Object[] values = new Object[outVars.size()];
        for (int i = 0; i < outVars.size(); i++) {
            names.add(outVars.get(i).name);
            types[i] = outVars.get(i).type;
            values[i] = outVars.get(i).value;
        }
        return new Rec(names, types, values);
    }

    // ------------------------------------------------------------------ variables

    private Var lookup(String name) {
        for (Map<String, Var> s : scopes) {
            Var v = s.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private void declare(PlAst.Decl d) {
        Map<String, Var> scope = scopes.peek();
        if (d.aliasOf() != null) {
            Var target;
            if (d.aliasOf().startsWith("$")) {
                int n = Integer.parseInt(d.aliasOf().substring(1));
                target = n >= 1 && n <= positional.length ? positional[n - 1] : null;
            } else {
                target = lookup(d.aliasOf());
            }
            if (target == null) {
                throw new PgException("42704", "variable \"" + d.aliasOf() + "\" does not exist");
            }
            scope.put(d.name(), target);
            return;
        }
        String t = d.typeText().strip();
        String lower = t.toLowerCase(Locale.ROOT);
        Var v;
        if (lower.equals("record")) {
            v = recordVar(d.name(), null);
        } else if (lower.endsWith("%rowtype")) {
            String table = t.substring(0, t.length() - "%rowtype".length()).strip();
            PlRuntime.Rows cols = rt.rowType(table);
            v = recordVar(d.name(), new Rec(cols.names(), cols.types(), new Object[cols.types().length]));
            rowTyped.add(v);
        } else if (lower.endsWith("%type")) {
            String ref = t.substring(0, t.length() - "%type".length()).strip();
            Var other = lookup(ref.toLowerCase(Locale.ROOT));
            if (other != null) {
                v = new Var(d.name(), other.type, other.typmod);
            } else {
                int dot = ref.lastIndexOf('.');
                if (dot < 0) {
                    throw new PgException("42704", "type \"" + t + "\" does not exist");
                }
                PlRuntime.Rows cols = rt.rowType(ref.substring(0, dot));
                int i = cols.names().indexOf(ref.substring(dot + 1).toLowerCase(Locale.ROOT));
                if (i < 0) {
                    throw new PgException("42703", "column \"" + ref.substring(dot + 1) + "\" of relation \""
                            + ref.substring(0, dot) + "\" does not exist");
                }
                v = new Var(d.name(), cols.types()[i], -1);
            }
        } else {
            int[] ty;
            try {
                ty = rt.type(t);
            } catch (PgException e) {
                PlRuntime.Rows cols;
                try {
                    cols = rt.rowType(t);
                } catch (PgException e2) {
                    throw e;
                }
                v = recordVar(d.name(), new Rec(cols.names(), cols.types(), new Object[cols.types().length]));
                rowTyped.add(v);
                scope.put(d.name(), v);
                return;
            }
            v = new Var(d.name(), ty[0], ty[1]);
        }
        v.constant = d.constant();
        v.notNull = d.notNull();
        if (d.notNull() && d.defaultValue() == null) {
            throw new PgException("22004", "variable \"" + d.name()
                    + "\" must have a default value, since it's declared NOT NULL");
        }
        scope.put(d.name(), v);
        if (d.defaultValue() != null) {
            try {
                Typed val = eval(d.defaultValue());
                assignScalar(v, val);
            } catch (PgException e) {
                throw context(e, d.line(), "during statement block local variable initialization", true);
            }
        }
    }

    private record Typed(Object value, int type) {
    }

    private void assignScalar(Var v, Typed val) {
        if (v.isRecord) {
            if (val.value() instanceof Rec r) {
                v.rec = r;
                return;
            }
            throw new PgException("42804", "cannot assign non-composite value to a record variable");
        }
        Object x = val.value() == null ? null : rt.assign(val.value(), val.type(), v.type, v.typmod);
        if (x == null && v.notNull) {
            throw new PgException("22004", "null value cannot be assigned to variable \"" + v.name
                    + "\" declared NOT NULL");
        }
        v.value = x;
    }

    private void assignTarget(PlAst.Target t, Typed val) {
        Var v = lookupTarget(t);
        if (t.field() != null) {
            if (v.rec == null) {
                throw notAssigned(v.name);
            }
            int i = v.rec.field(t.field().toLowerCase(Locale.ROOT));
            if (i < 0) {
                throw new PgException("42703", "record \"" + v.name + "\" has no field \"" + t.field() + "\"");
            }
            v.rec.values[i] = val.value() == null ? null : rt.assign(val.value(), val.type(), v.rec.types[i], -1);
            return;
        }
        if (v.constant) {
            throw new PgException("22005", "variable \"" + v.name + "\" is declared CONSTANT");
        }
        assignScalar(v, val);
    }

    private Var lookupTarget(PlAst.Target t) {
        String n = t.name().toLowerCase(Locale.ROOT);
        Var v;
        if (n.startsWith("$")) {
            int k = Integer.parseInt(n.substring(1));
            v = k >= 1 && k <= positional.length ? positional[k - 1] : null;
        } else {
            v = lookup(n);
        }
        if (v == null) {
            if (t.field() != null && (labels.contains(n) || n.equals(functionName))) {
                Var inner = lookup(t.field().toLowerCase(Locale.ROOT));
                if (inner != null) {
                    return inner;
                }
            }
            throw new PgException("42601", "\"" + t.text() + "\" is not a known variable");
        }
        return v;
    }

    private static PgException notAssigned(String name) {
        return new PgException("55000", "record \"" + name + "\" is not assigned yet",
                "The tuple structure of a not-yet-assigned record is indeterminate.", null);
    }

    /** Assigns a row (or no row: NULLs) to INTO targets. */
    private void assignRow(List<PlAst.Target> targets, PlRuntime.Rows res, Object[] row) {
        if (targets.size() == 1 && targets.get(0).field() == null) {
            Var v = lookupTarget(targets.get(0));
            if (v.isRecord) {
                List<String> names = res.names();
                int[] types = res.types();
                Object[] values = row == null ? new Object[types.length] : row.clone();
                if (v.rec != null && isRowType(v) ) {
                    Rec r = v.rec;
                    for (int i = 0; i < r.values.length; i++) {
                        r.values[i] = i < values.length && values[i] != null
                                ? rt.assign(values[i], types[i], r.types[i], -1) : null;
                    }
                } else {
                    v.rec = new Rec(names, types.clone(), values);
                }
                return;
            }
        }
        for (int i = 0; i < targets.size(); i++) {
            Object val = row == null || i >= row.length ? null : row[i];
            int type = i < res.types().length ? res.types()[i] : UNKNOWN;
            assignTarget(targets.get(i), new Typed(val, type));
        }
    }

    /** A variable declared as a table's row type keeps its columns. */
    private final Set<Var> rowTyped = Collections.newSetFromMap(new IdentityHashMap<>());

    private boolean isRowType(Var v) {
        return rowTyped.contains(v);
    }

    // ------------------------------------------------------------------ SQL with variables

    private record Bound(String sql, int[] types, Object[] values) {
    }

    private List<Token> tokens(PlAst.Sql s) {
        List<Token> t = tokenCache.get(s);
        if (t == null) {
            t = Lexer.tokenize(s.text());
            tokenCache.put(s, t);
        }
        return t;
    }

    private static String word(Token t) {
        return t.kind() == TokenKind.IDENT || t.kind() == TokenKind.KEYWORD ? t.value() : null;
    }

    /** Replaces the variable references of a fragment by parameters. */
    private Bound bind(String prefix, PlAst.Sql s) {
        List<Token> toks = tokens(s);
        String text = s.text();
        StringBuilder out = new StringBuilder(prefix);
        List<Integer> types = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        Map<Object, Integer> assigned = new IdentityHashMap<>();
        Map<String, Integer> fieldParams = new HashMap<>();
        int copied = 0;
        boolean insertCols = false;
        int insertDepth = 0;
        boolean setClause = false;
        String first = toks.isEmpty() ? null : word(toks.get(0));
        for (int i = 0; i < toks.size(); i++) {
            Token t = toks.get(i);
            if (t.kind() == TokenKind.EOF) {
                break;
            }
            Token prev = i > 0 ? toks.get(i - 1) : null;
            Token nxt = toks.get(Math.min(i + 1, toks.size() - 1));
            // INSERT INTO t (cols): the column list
            if (t.isChar('(') && prev != null && "insert".equals(first) && !insertCols && insertDepth == 0
                    && i >= 2 && (prev.kind() == TokenKind.IDENT || prev.kind() == TokenKind.KEYWORD)
                    && beforeIsInto(toks, i)) {
                insertCols = true;
                insertDepth = 1;
                continue;
            }
            if (insertCols) {
                if (t.isChar('(')) {
                    insertDepth++;
                } else if (t.isChar(')')) {
                    insertDepth--;
                    if (insertDepth == 0) {
                        insertCols = false;
                        insertDepth = -1;
                    }
                }
                continue;
            }
            if ("update".equals(first) && t.isKeyword("set")) {
                setClause = true;
                continue;
            }
            if (setClause && (t.isKeyword("where") || t.isKeyword("from") || t.isKeyword("returning"))) {
                setClause = false;
            }
            Var v = null;
            int end = t.end();
            String field = null;
            if (t.kind() == TokenKind.PARAM) {
                int k = Integer.parseInt(t.value());
                if (k >= 1 && k <= positional.length) {
                    v = positional[k - 1];
                }
            } else if (word(t) != null) {
                if (prev != null && (prev.isChar('.') || prev.isKeyword("as") && !"cast".equals(first))) {
                    continue;
                }
                if (nxt.isChar('(') || nxt.kind() == TokenKind.SCONST && t.kind() == TokenKind.KEYWORD) {
                    continue;
                }
                if (setClause && (nxt.isChar('=') || nxt.isChar('[')) && prev != null
                        && (prev.isKeyword("set") || prev.isChar(','))) {
                    continue;
                }
                String w = t.value();
                v = lookup(w);
                if (nxt.isChar('.') && i + 2 < toks.size() && word(toks.get(i + 2)) != null) {
                    String f = toks.get(i + 2).value();
                    if (v != null && v.isRecord) {
                        field = f;
                        end = toks.get(i + 2).end();
                        i += 2;
                    } else if (v == null && (labels.contains(w) || w.equals(functionName)) && lookup(f) != null) {
                        v = lookup(f);
                        end = toks.get(i + 2).end();
                        i += 2;
                    } else if (v != null) {
                        v = null; // a column of a table with the variable's name
                    }
                } else if (v != null && v.isRecord) {
                    // a whole record in SQL: only a row-typed parameter could stand for it
                    continue;
                }
            }
            if (v == null) {
                continue;
            }
            int idx;
            if (field != null) {
                if (v.rec == null) {
                    throw notAssigned(v.name);
                }
                int fi = v.rec.field(field.toLowerCase(Locale.ROOT));
                if (fi < 0) {
                    throw new PgException("42703", "record \"" + v.name + "\" has no field \"" + field + "\"");
                }
                String key = System.identityHashCode(v) + "." + fi;
                Integer have = fieldParams.get(key);
                if (have == null) {
                    types.add(v.rec.types[fi]);
                    values.add(v.rec.values[fi]);
                    have = types.size();
                    fieldParams.put(key, have);
                }
                idx = have;
            } else {
                Integer have = assigned.get(v);
                if (have == null) {
                    types.add(v.type);
                    values.add(v.value);
                    have = types.size();
                    assigned.put(v, have);
                }
                idx = have;
            }
            out.append(text, copied, t.start()).append('$').append(idx);
            copied = end;
        }
        out.append(text.substring(copied));
        return new Bound(out.toString(), types.stream().mapToInt(Integer::intValue).toArray(), values.toArray());
    }

    private static boolean beforeIsInto(List<Token> toks, int i) {
        // INSERT INTO name ( / INSERT INTO schema.name (
        int k = i - 1;
        if (k >= 2 && toks.get(k - 1).isChar('.')) {
            k -= 2;
        }
        return k >= 1 && toks.get(k - 1).isKeyword("into");
    }

    private PlRuntime.Rows runSql(String prefix, PlAst.Sql s) {
        Bound b = bind(prefix, s);
        return rt.run(b.sql(), b.types(), b.values());
    }

    /** Evaluates an expression: one column, at most one row (NULL for none). */
    private Typed eval(PlAst.Sql s) {
        String text = s.text().strip();
        // a whole record variable (RETURN NEW, x := r)
        Var whole = lookup(text.toLowerCase(Locale.ROOT));
        if (whole != null && whole.isRecord && text.matches("[A-Za-z_][A-Za-z_0-9]*")) {
            if (whole.rec == null && !whole.name.equals("new") && !whole.name.equals("old")) {
                throw notAssigned(whole.name);
            }
            return new Typed(whole.rec == null || whole.rec.isNull ? null : whole.rec, RECORD);
        }
        PlRuntime.Rows r = runSql("SELECT ", s);
        if (r.types().length != 1) {
            throw new PgException("42601", "query \"SELECT " + text + "\" returned " + r.types().length
                    + " columns");
        }
        if (r.rows().size() > 1) {
            throw new PgException("21000", "query \"SELECT " + text + "\" returned more than one row");
        }
        return new Typed(r.rows().isEmpty() ? null : r.rows().get(0)[0], r.types()[0]);
    }

    private boolean cond(PlAst.Sql s) {
        Typed t = eval(s);
        Object v = t.value() == null ? null : rt.assign(t.value(), t.type(), BOOL, -1);
        return Boolean.TRUE.equals(v);
    }

    private int intValue(PlAst.Sql s, String what) {
        Typed t = eval(s);
        if (t.value() == null) {
            throw new PgException("22004", what + " of FOR loop cannot be null");
        }
        return ((Number) rt.assign(t.value(), t.type(), INT4, -1)).intValue();
    }

    private void setFound(boolean f) {
        lookup("found").value = f;
    }

    // ------------------------------------------------------------------ statements

    private void execList(List<PlAst.Stmt> list) {
        for (PlAst.Stmt s : list) {
            execStmt(s);
        }
    }

    private PgException context(PgException e, int line, String what, boolean plain) {
        if (contexted.add(e)) {
            e.addContext("PL/pgSQL " + contextName + " line " + line + (plain ? " " : " at ") + what);
        }
        return e;
    }

    private void execStmt(PlAst.Stmt s) {
        rt.checkCancel();
        try {
            exec(s);
        } catch (ControlFlow | ReturnSignal c) {
            throw c;
        } catch (PgException e) {
            if (s instanceof PlAst.Assign a && !contexted.contains(e)) {
                e.addContext("PL/pgSQL assignment \"" + a.source() + "\"");
            }
            throw context(e, s.line(), s.what(), false);
        }
    }

    private void exec(PlAst.Stmt s) {
        if (s instanceof PlAst.Block b) {
            block(b);
        } else if (s instanceof PlAst.Assign a) {
            assignTarget(a.target(), eval(a.expr()));
        } else if (s instanceof PlAst.If i) {
            for (int k = 0; k < i.conds().size(); k++) {
                if (cond(i.conds().get(k))) {
                    execList(i.bodies().get(k));
                    return;
                }
            }
            if (i.elseBody() != null) {
                execList(i.elseBody());
            }
        } else if (s instanceof PlAst.Case c) {
            caseStmt(c);
        } else if (s instanceof PlAst.Loop l) {
            while (true) {
                rt.checkCancel();
                if (!iteration(l.label(), l.body())) {
                    break;
                }
            }
        } else if (s instanceof PlAst.While w) {
            while (cond(w.cond())) {
                rt.checkCancel();
                if (!iteration(w.label(), w.body())) {
                    break;
                }
            }
        } else if (s instanceof PlAst.ForInt f) {
            forInt(f);
        } else if (s instanceof PlAst.ForQuery f) {
            forQuery(f);
        } else if (s instanceof PlAst.Foreach f) {
            foreach(f);
        } else if (s instanceof PlAst.Exit e) {
            if (e.when() == null || cond(e.when())) {
                throw new ControlFlow(e.isContinue(), e.label());
            }
        } else if (s instanceof PlAst.Return r) {
            doReturn(r);
        } else if (s instanceof PlAst.ReturnNext r) {
            returnNext(r);
        } else if (s instanceof PlAst.ReturnQuery r) {
            if (!returnsSet) {
                throw new PgException("42804", "cannot use RETURN QUERY in a non-SETOF function");
            }
            PlRuntime.Rows res = r.dynamic() != null ? dynamic(r.dynamic(), r.using()) : runSql("", r.query());
            for (Object[] row : res.rows()) {
                setRows.add(row);
            }
            rowCount = res.rows().size();
            setFound(!res.rows().isEmpty());
        } else if (s instanceof PlAst.Perform p) {
            PlRuntime.Rows res = runSql("SELECT ", p.query());
            rowCount = res.rows() == null ? res.processed() : res.rows().size();
            setFound(rowCount > 0);
        } else if (s instanceof PlAst.ExecSql e) {
            execSql(e);
        } else if (s instanceof PlAst.Dynamic d) {
            PlRuntime.Rows res = dynamic(d.command(), d.using());
            intoResult(d.into(), d.strict(), res, "query");
        } else if (s instanceof PlAst.Raise r) {
            raise(r);
        } else if (s instanceof PlAst.GetDiag g) {
            getDiag(g);
        } else if (s instanceof PlAst.Commit) {
            throw new PgException("0A000", "transaction control in PL/pgSQL procedures is not supported yet");
        }
    }

    private boolean iteration(String label, List<PlAst.Stmt> body) {
        try {
            execList(body);
            return true;
        } catch (ControlFlow c) {
            if (c.label != null && !c.label.equals(label)) {
                throw c;
            }
            return c.isContinue;
        }
    }

    private void block(PlAst.Block b) {
        scopes.push(new LinkedHashMap<>());
        if (b.label() != null) {
            labels.add(b.label());
        }
        try {
            for (PlAst.Decl d : b.decls()) {
                declare(d);
            }
            if (b.handlers().isEmpty()) {
                runBlockBody(b);
                return;
            }
            Object sub = rt.subBegin();
            try {
                runBlockBody(b);
                rt.subCommit(sub);
            } catch (ControlFlow | ReturnSignal c) {
                rt.subCommit(sub);
                throw c;
            } catch (PgException e) {
                rt.subRollback(sub);
                PlAst.Handler h = handlerFor(b, e);
                if (h == null) {
                    throw e;
                }
                Map<String, Var> hs = new LinkedHashMap<>();
                Var st = new Var("sqlstate", TEXT, -1);
                st.value = e.sqlState();
                Var msg = new Var("sqlerrm", TEXT, -1);
                msg.value = e.getMessage();
                hs.put("sqlstate", st);
                hs.put("sqlerrm", msg);
                scopes.push(hs);
                caught.push(e);
                try {
                    execList(h.body());
                } finally {
                    caught.pop();
                    scopes.pop();
                }
            } catch (RuntimeException e) {
                rt.subRollback(sub);
                throw e;
            }
        } finally {
            scopes.pop();
        }
    }

    private void runBlockBody(PlAst.Block b) {
        try {
            execList(b.body());
        } catch (ControlFlow c) {
            if (b.label() != null && b.label().equals(c.label) && !c.isContinue) {
                return; // EXIT label leaves the labelled block
            }
            throw c;
        }
    }

    private static final Map<String, String> CONDITIONS = Map.ofEntries(Map.entry("division_by_zero", "22012"),
            Map.entry("unique_violation", "23505"), Map.entry("not_null_violation", "23502"),
            Map.entry("foreign_key_violation", "23503"), Map.entry("check_violation", "23514"),
            Map.entry("integrity_constraint_violation", "23000"), Map.entry("restrict_violation", "23001"),
            Map.entry("exclusion_violation", "23P01"), Map.entry("no_data_found", "P0002"),
            Map.entry("too_many_rows", "P0003"), Map.entry("raise_exception", "P0001"),
            Map.entry("assert_failure", "P0004"), Map.entry("plpgsql_error", "P0000"),
            Map.entry("data_exception", "22000"), Map.entry("invalid_text_representation", "22P02"),
            Map.entry("numeric_value_out_of_range", "22003"), Map.entry("string_data_right_truncation", "22001"),
            Map.entry("null_value_not_allowed", "22004"), Map.entry("invalid_parameter_value", "22023"),
            Map.entry("datetime_field_overflow", "22008"), Map.entry("invalid_datetime_format", "22007"),
            Map.entry("array_subscript_error", "2202E"), Map.entry("character_not_in_repertoire", "22021"),
            Map.entry("floating_point_exception", "22P01"), Map.entry("syntax_error", "42601"),
            Map.entry("undefined_table", "42P01"), Map.entry("undefined_column", "42703"),
            Map.entry("undefined_function", "42883"), Map.entry("undefined_object", "42704"),
            Map.entry("duplicate_table", "42P07"), Map.entry("duplicate_object", "42710"),
            Map.entry("duplicate_function", "42723"), Map.entry("wrong_object_type", "42809"),
            Map.entry("insufficient_privilege", "42501"), Map.entry("syntax_error_or_access_rule_violation", "42000"),
            Map.entry("feature_not_supported", "0A000"), Map.entry("object_not_in_prerequisite_state", "55000"),
            Map.entry("lock_not_available", "55P03"), Map.entry("serialization_failure", "40001"),
            Map.entry("deadlock_detected", "40P01"), Map.entry("transaction_rollback", "40000"),
            Map.entry("query_canceled", "57014"), Map.entry("read_only_sql_transaction", "25006"),
            Map.entry("in_failed_sql_transaction", "25P02"), Map.entry("invalid_transaction_state", "25000"),
            Map.entry("case_not_found", "20000"), Map.entry("invalid_cursor_state", "24000"),
            Map.entry("invalid_cursor_name", "34000"), Map.entry("internal_error", "XX000"),
            Map.entry("cardinality_violation", "21000"), Map.entry("program_limit_exceeded", "54000"),
            Map.entry("out_of_memory", "53200"), Map.entry("warning", "01000"));

    /** The SQLSTATE of a condition name, or null. */
    public static String conditionState(String name) {
        return CONDITIONS.get(name);
    }

    private static PlAst.Handler handlerFor(PlAst.Block b, PgException e) {
        String state = e.sqlState() == null ? "XX000" : e.sqlState();
        for (PlAst.Handler h : b.handlers()) {
            for (String c : h.conditions()) {
                if (c.equals("others")) {
                    if (!state.equals("57014") && !state.equals("P0004")) {
                        return h;
                    }
                    continue;
                }
                String code = c.startsWith("sqlstate:") ? c.substring(9) : CONDITIONS.get(c);
                if (code == null) {
                    throw new PgException("42704", "unrecognized exception condition \"" + c + "\"");
                }
                if (code.equals(state) || code.endsWith("000") && state.startsWith(code.substring(0, 2))) {
                    return h;
                }
            }
        }
        return null;
    }

    private void caseStmt(PlAst.Case c) {
        Var sel = null;
        if (c.selector() != null) {
            Typed t = eval(c.selector());
            sel = new Var("__case_selector", t.type(), -1);
            sel.value = t.value();
        }
        for (int k = 0; k < c.whens().size(); k++) {
            for (PlAst.Sql w : c.whens().get(k)) {
                boolean hit;
                if (sel == null) {
                    hit = cond(w);
                } else {
                    Map<String, Var> tmp = new HashMap<>();
                    tmp.put("__case_selector", sel);
                    scopes.push(tmp);
                    try {
                        hit = cond(new PlAst.Sql("__case_selector IN (" + w.text() + ")", w.offset()));
                    } finally {
                        scopes.pop();
                    }
                }
                if (hit) {
                    execList(c.bodies().get(k));
                    return;
                }
            }
        }
        if (c.elseBody() == null) {
            throw new PgException("20000", "case not found", null, "CASE statement is missing ELSE part.");
        }
        execList(c.elseBody());
    }

    private void forInt(PlAst.ForInt f) {
        int lo = intValue(f.lower(), "lower bound");
        int hi = intValue(f.upper(), "upper bound");
        int by = f.by() == null ? 1 : intValue(f.by(), "BY value");
        if (by <= 0) {
            throw new PgException("22023", "BY value of FOR loop must be greater than zero");
        }
        Map<String, Var> scope = new LinkedHashMap<>();
        Var v = new Var(f.var(), INT4, -1);
        scope.put(f.var(), v);
        scopes.push(scope);
        boolean any = false;
        try {
            long i = lo;
            while (f.reverse() ? i >= hi : i <= hi) {
                any = true;
                v.value = (int) i;
                if (!iteration(f.label(), f.body())) {
                    break;
                }
                i = f.reverse() ? i - by : i + by;
            }
        } finally {
            scopes.pop();
        }
        setFound(any);
    }

    private PlRuntime.Rows dynamic(PlAst.Sql command, List<PlAst.Sql> using) {
        Typed cmd = eval(command);
        if (cmd.value() == null) {
            throw new PgException("22004", "query string argument of EXECUTE is null");
        }
        String sql = rt.text(cmd.type(), cmd.value());
        int[] types = new int[using.size()];
        Object[] values = new Object[using.size()];
        for (int i = 0; i < using.size(); i++) {
            Typed u = eval(using.get(i));
            types[i] = u.type() == UNKNOWN ? TEXT : u.type();
            values[i] = u.value();
        }
        return rt.run(sql, types, values);
    }

    private void forQuery(PlAst.ForQuery f) {
        PlRuntime.Rows res = f.dynamic() != null ? dynamic(f.dynamic(), f.using()) : runSql("", f.query());
        if (res.rows() == null) {
            throw new PgException("42601", "cannot open a query that returns no rows as a cursor");
        }
        boolean any = false;
        for (Object[] row : res.rows()) {
            any = true;
            assignRow(f.targets(), res, row);
            if (!iteration(f.label(), f.body())) {
                break;
            }
        }
        setFound(any);
    }

    private void foreach(PlAst.Foreach f) {
        Typed arr = eval(f.array());
        if (arr.value() == null) {
            throw new PgException("22004", "FOREACH expression must not be null");
        }
        if (!(arr.value() instanceof modgres.sql.types.PgArray a)) {
            throw new PgException("42804", "FOREACH expression must yield an array, not type "
                    + rt.text(26, arr.type()));
        }
        if (f.slice() != 0) {
            throw new PgException("0A000", "FOREACH ... SLICE is not supported yet");
        }
        int elem = a.elem().oid();
        for (Object v : a.values()) {
            assignTarget(f.targets().get(0), new Typed(v, elem));
            if (!iteration(f.label(), f.body())) {
                break;
            }
        }
    }

    private void doReturn(PlAst.Return r) {
        if (returnsSet) {
            if (r.expr() != null) {
                throw new PgException("42804", "RETURN cannot have a parameter in function returning set",
                        null, "Use RETURN NEXT or RETURN QUERY.");
            }
            throw new ReturnSignal();
        }
        if (r.expr() == null) {
            result = outVars.isEmpty() ? null : outResult();
            throw new ReturnSignal();
        }
        Typed v = eval(r.expr());
        if (trigger) {
            result = v.value() instanceof Rec ? v.value() : null;
            if (v.value() != null && !(v.value() instanceof Rec)) {
                throw new PgException("42804", "returned row structure does not match the structure of the"
                        + " triggering table");
            }
            throw new ReturnSignal();
        }
        if (v.value() instanceof Rec rec) {
            result = rec;
        } else {
            result = v.value() == null || returnType == RECORD || returnType == 2278 ? v.value()
                    : rt.assign(v.value(), v.type(), returnType, returnTypmod);
        }
        throw new ReturnSignal();
    }

    private void returnNext(PlAst.ReturnNext r) {
        if (!returnsSet) {
            throw new PgException("42804", "cannot use RETURN NEXT in a non-SETOF function");
        }
        if (r.expr() == null) {
            Object[] row = new Object[outVars.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = outVars.get(i).value;
            }
            setRows.add(row);
            return;
        }
        Typed v = eval(r.expr());
        if (v.value() instanceof Rec rec) {
            setRows.add(rec.values.clone());
        } else {
            setRows.add(new Object[] {v.value() == null || returnType == RECORD ? v.value()
                    : rt.assign(v.value(), v.type(), returnType, returnTypmod)});
        }
    }

    private void execSql(PlAst.ExecSql e) {
        PlRuntime.Rows res;
        try {
            res = runSql("", e.sql());
        } catch (PlRuntime.InternalQueryError x) {
            throw x;
        } catch (PgException x) {
            if (!contexted.contains(x)) {
                x.addContext("SQL statement \"" + e.sql().text() + "\"");
            }
            throw x;
        }
        if (e.into() != null) {
            intoResult(e.into(), e.strict(), res, "query");
            return;
        }
        if (res.rows() != null && !res.names().isEmpty()) {
            String w = e.sql().text().strip().toLowerCase(Locale.ROOT);
            boolean dml = w.startsWith("insert") || w.startsWith("update") || w.startsWith("delete");
            throw new PgException("42601", "query has no destination for result data", null,
                    dml ? null : "If you want to discard the results of a SELECT, use PERFORM instead.");
        }
        rowCount = res.rows() != null ? res.rows().size() : res.processed();
        if (res.rows() != null) {
            rowCount = Math.max(rowCount, res.processed());
        }
        setFound(rowCount > 0);
    }

    private void intoResult(List<PlAst.Target> into, boolean strict, PlRuntime.Rows res, String what) {
        if (into == null) {
            rowCount = res.rows() != null ? res.rows().size() : res.processed();
            setFound(rowCount > 0);
            return;
        }
        if (res.rows() == null) {
            throw new PgException("42601", "INTO used with a command that cannot return data");
        }
        List<Object[]> rows = res.rows();
        if (strict && rows.isEmpty()) {
            throw new PgException("P0002", "query returned no rows");
        }
        if (strict && rows.size() > 1) {
            throw new PgException("P0003", "query returned more than one row", null,
                    "Make sure the query returns a single row, or use LIMIT 1.");
        }
        assignRow(into, res, rows.isEmpty() ? null : rows.get(0));
        rowCount = rows.size();
        setFound(!rows.isEmpty());
    }

    private void raise(PlAst.Raise r) {
        if (r.format() == null && r.condition() == null && r.optionNames().isEmpty()) {
            if (caught.isEmpty()) {
                throw new PgException("0Z002", "RAISE without parameters cannot be used outside an exception"
                        + " handler");
            }
            throw caught.peek();
        }
        String message = null;
        String state = null;
        if (r.condition() != null) {
            if (r.condition().startsWith("sqlstate:")) {
                state = r.condition().substring(9);
                message = state;
            } else {
                state = CONDITIONS.get(r.condition());
                if (state == null) {
                    throw new PgException("42704", "unrecognized exception condition \"" + r.condition() + "\"");
                }
                message = r.condition();
            }
        }
        if (r.format() != null) {
            message = format(r.format(), r.args());
        }
        String detail = null;
        String hint = null;
        for (int i = 0; i < r.optionNames().size(); i++) {
            Typed v = eval(r.optionValues().get(i));
            String s = v.value() == null ? null : rt.text(v.type(), v.value());
            String name = r.optionNames().get(i);
            if (s == null) {
                throw new PgException("22004", "RAISE statement option cannot be null");
            }
            switch (name) {
                case "message" -> message = s;
                case "detail" -> detail = s;
                case "hint" -> hint = s;
                case "errcode" -> {
                    String st = CONDITIONS.get(s.toLowerCase(Locale.ROOT));
                    if (st == null && s.length() == 5) {
                        st = s;
                    }
                    if (st == null) {
                        throw new PgException("42704", "unrecognized exception condition \"" + s + "\"");
                    }
                    state = st;
                }
                case "column", "constraint", "datatype", "table", "schema" -> {
                }
                default -> throw new PgException("42601", "unrecognized RAISE statement option \"" + name + "\"");
            }
        }
        if (message == null) {
            message = state != null ? state : "";
        }
        String level = r.level();
        if (level.equals("exception")) {
            throw new PgException(state == null ? "P0001" : state, message, detail, hint);
        }
        rt.notice(level.toUpperCase(Locale.ROOT), state != null ? state
                : level.equals("warning") ? "01000" : "00000", message, detail, hint);
    }

    private String format(String fmt, List<PlAst.Sql> args) {
        StringBuilder sb = new StringBuilder();
        int a = 0;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c == '%') {
                if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '%') {
                    sb.append('%');
                    i++;
                    continue;
                }
                if (a >= args.size()) {
                    throw new PgException("42601", "too few parameters specified for RAISE");
                }
                Typed v = eval(args.get(a++));
                sb.append(v.value() == null ? "<NULL>" : v.value() instanceof Rec rec ? recText(rec)
                        : rt.text(v.type(), v.value()));
            } else {
                sb.append(c);
            }
        }
        if (a < args.size()) {
            throw new PgException("42601", "too many parameters specified for RAISE");
        }
        return sb.toString();
    }

    private String recText(Rec r) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < r.values.length; i++) {
            sb.append(i > 0 ? "," : "");
            if (r.values[i] != null) {
                String s = rt.text(r.types[i], r.values[i]);
                boolean quote = s.isEmpty() || s.chars().anyMatch(ch -> ch == ',' || ch == '(' || ch == ')'
                        || ch == '"' || ch == '\\' || Character.isWhitespace(ch));
                sb.append(quote ? '"' + s.replace("\\", "\\\\").replace("\"", "\"\"") + '"' : s);
            }
        }
        return sb.append(')').toString();
    }

    private void getDiag(PlAst.GetDiag g) {
        for (int i = 0; i < g.targets().size(); i++) {
            String item = g.items().get(i);
            Typed v;
            if (item.equals("ROW_COUNT")) {
                v = new Typed(rowCount, INT8);
            } else {
                PgException e = caught.peek();
                if (!g.stacked()) {
                    throw new PgException("42601", "unrecognized GET DIAGNOSTICS item " + item);
                }
                if (e == null) {
                    throw new PgException("0Z002", "GET STACKED DIAGNOSTICS cannot be used outside an exception"
                            + " handler");
                }
                String s = switch (item) {
                    case "RETURNED_SQLSTATE" -> e.sqlState();
                    case "MESSAGE_TEXT" -> e.getMessage();
                    case "PG_EXCEPTION_DETAIL" -> e.detail() == null ? "" : e.detail();
                    case "PG_EXCEPTION_HINT" -> e.hint() == null ? "" : e.hint();
                    case "PG_EXCEPTION_CONTEXT" -> e.context() == null ? "" : e.context();
                    default -> "";
                };
                v = new Typed(s, TEXT);
            }
            assignTarget(g.targets().get(i), v);
        }
    }
}
