package modgres.sql.parser;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import modgres.sql.ast.DefElem;
import modgres.sql.ast.Expr;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.SelectStmt;
import modgres.sql.ast.Statement;
import modgres.sql.ast.TransactionMode;
import modgres.sql.ast.TypeName;
import modgres.sql.ast.Utility;
import modgres.sql.ast.WithClause;

/**
 * The statement level: the list of statements of a query string, dispatch
 * on the leading key word, and the utility statements (transactions, SET,
 * SHOW, PREPARE, EXPLAIN, VACUUM, COPY, LOCK, cursors, notifications).
 * One instance parses one string; use {@link SqlParser}.
 */
final class Parser extends DdlParser {

    Parser(String src, List<Token> tokens) {
        super(src, tokens);
    }

    /** All statements of the string, separated by semicolons; empty statements are skipped. */
    List<ParsedStatement> statements() {
        List<ParsedStatement> list = new ArrayList<>();
        while (true) {
            while (acceptChar(';')) {
                // empty statement
            }
            if (is(TokenKind.EOF)) {
                break;
            }
            Token first = peek();
            Statement s = statement();
            if (!atStatementEnd()) {
                throw syntaxError();
            }
            list.add(new ParsedStatement(s, src, first.start(), toks[p - 1].end()));
        }
        if (!deferred.isEmpty()) {
            throw deferred.get(0);
        }
        return list;
    }

    /** A whole string that must be one expression. */
    Expr standaloneExpression() {
        Expr e = expr();
        if (!is(TokenKind.EOF)) {
            throw syntaxError();
        }
        if (!deferred.isEmpty()) {
            throw deferred.get(0);
        }
        return e;
    }

    /** A whole string that must be one type name. */
    TypeName standaloneTypeName() {
        TypeName t = typename();
        if (!is(TokenKind.EOF)) {
            throw syntaxError();
        }
        return t;
    }

    // --------------------------------------------------------------- dispatch

    private Statement statement() {
        Token t = peek();
        int pos = t.position();
        if (t.isChar('(')) {
            return selectStmt();
        }
        if (t.kind() != TokenKind.KEYWORD) {
            throw syntaxError();
        }
        switch (t.value()) {
            case "select", "values", "table":
                return selectStmt();
            case "with": {
                WithClause with = withClause();
                return dmlOrSelectAfterWith(pos, with);
            }
            case "insert":
                return insert(pos, null);
            case "update":
                return update(pos, null);
            case "delete":
                return delete(pos, null);
            case "create":
                next();
                return create(pos);
            case "alter":
                next();
                if (acceptKw("system")) {
                    return alterSystem(pos);
                }
                return alter(pos);
            case "drop":
                next();
                if (isKw("owned") && isKw(1, "by")) {
                    next();
                    next();
                    return dropOwned(pos);
                }
                return drop(pos);
            case "truncate":
                next();
                return truncate(pos);
            case "grant", "revoke":
                return grant(pos);
            case "comment":
                next();
                return comment(pos);
            case "begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release":
                return transaction();
            case "prepare":
                if (isKw(1, "transaction")) {
                    return transaction();
                }
                return prepare();
            case "set":
                next();
                return set(pos);
            case "reset":
                next();
                return reset(pos);
            case "show":
                next();
                return show(pos);
            case "discard":
                return discard();
            case "execute":
                return execute();
            case "deallocate": {
                next();
                acceptKw("prepare");
                if (acceptKw("all")) {
                    return new Utility.Deallocate(pos, null);
                }
                return new Utility.Deallocate(pos, colId());
            }
            case "explain":
                return explain();
            case "vacuum", "analyze", "analyse":
                return vacuum();
            case "checkpoint":
                next();
                return new Utility.Checkpoint(pos);
            case "lock":
                return lock();
            case "copy":
                return copy();
            case "listen":
                next();
                return new Utility.Listen(pos, colId());
            case "notify": {
                next();
                String channel = colId();
                String payload = acceptChar(',') ? sconst() : null;
                return new Utility.Notify(pos, channel, payload);
            }
            case "unlisten": {
                next();
                if (acceptChar('*')) {
                    return new Utility.Unlisten(pos, null);
                }
                return new Utility.Unlisten(pos, colId());
            }
            case "do":
                return doStatement();
            case "declare":
                return declareCursor();
            case "fetch", "move":
                return fetch();
            case "close": {
                next();
                if (acceptKw("all")) {
                    return new Utility.Close(pos, null);
                }
                return new Utility.Close(pos, colId());
            }
            case "refresh": {
                if (!(isKw(1, "materialized") && isKw(2, "view"))) {
                    break;
                }
                next();
                next();
                next();
                boolean conc = acceptKw("concurrently");
                RangeVar rel = qualifiedName();
                return new modgres.sql.ast.Ddl.RefreshMaterializedView(pos, conc, rel, optWithData());
            }
            case "call":
                return RoutineParser.call(this, pos);
            case "reassign":
                next();
                if (isKw("owned") && isKw(1, "by")) {
                    next();
                    next();
                    return reassignOwned(pos);
                }
                throw syntaxError();
            case "merge", "cluster", "reindex", "security", "import", "load":
                next();
                return unsupported(pos);
            default:
                break;
        }
        throw syntaxError();
    }

    // ----------------------------------------------------------- transactions

    private Statement transaction() {
        Token t = next();
        int pos = t.position();
        switch (t.value()) {
            case "begin": {
                optWorkOrTransaction();
                return new Utility.Transaction(pos, Utility.TransactionKind.BEGIN, transactionModes(false), null,
                        false);
            }
            case "start": {
                expectKw("transaction");
                return new Utility.Transaction(pos, Utility.TransactionKind.START, transactionModes(false), null,
                        false);
            }
            case "commit", "end": {
                if (t.value().equals("commit") && acceptKw("prepared")) {
                    return new Utility.Transaction(pos, Utility.TransactionKind.COMMIT_PREPARED, List.of(),
                            sconst(), false);
                }
                optWorkOrTransaction();
                return new Utility.Transaction(pos, Utility.TransactionKind.COMMIT, List.of(), null, optChain());
            }
            case "rollback", "abort": {
                if (t.value().equals("rollback") && acceptKw("prepared")) {
                    return new Utility.Transaction(pos, Utility.TransactionKind.ROLLBACK_PREPARED, List.of(),
                            sconst(), false);
                }
                optWorkOrTransaction();
                if (t.value().equals("rollback") && acceptKw("to")) {
                    acceptKw("savepoint");
                    return new Utility.Transaction(pos, Utility.TransactionKind.ROLLBACK_TO, List.of(), colId(),
                            false);
                }
                return new Utility.Transaction(pos, Utility.TransactionKind.ROLLBACK, List.of(), null, optChain());
            }
            case "savepoint":
                return new Utility.Transaction(pos, Utility.TransactionKind.SAVEPOINT, List.of(), colId(), false);
            case "release":
                acceptKw("savepoint");
                return new Utility.Transaction(pos, Utility.TransactionKind.RELEASE, List.of(), colId(), false);
            case "prepare":
                expectKw("transaction");
                return new Utility.Transaction(pos, Utility.TransactionKind.PREPARE, List.of(), sconst(), false);
            default:
                throw syntaxErrorAt(t);
        }
    }

    private void optWorkOrTransaction() {
        if (!acceptKw("work")) {
            acceptKw("transaction");
        }
    }

    private boolean optChain() {
        if (acceptKw("and")) {
            boolean no = acceptKw("no");
            expectKw("chain");
            return !no;
        }
        return false;
    }

    /** {@code transaction_mode_list}: modes separated by commas or spaces; required when {@code required}. */
    private List<TransactionMode> transactionModes(boolean required) {
        List<TransactionMode> modes = new ArrayList<>();
        while (true) {
            if (!modes.isEmpty()) {
                acceptChar(',');
            }
            if (isKw("isolation")) {
                next();
                expectKw("level");
                TransactionMode.IsolationLevel level;
                if (acceptKw("serializable")) {
                    level = TransactionMode.IsolationLevel.SERIALIZABLE;
                } else if (acceptKw("repeatable")) {
                    expectKw("read");
                    level = TransactionMode.IsolationLevel.REPEATABLE_READ;
                } else {
                    expectKw("read");
                    if (acceptKw("committed")) {
                        level = TransactionMode.IsolationLevel.READ_COMMITTED;
                    } else {
                        expectKw("uncommitted");
                        level = TransactionMode.IsolationLevel.READ_UNCOMMITTED;
                    }
                }
                modes.add(new TransactionMode(TransactionMode.Kind.ISOLATION_LEVEL, level));
            } else if (isKw("read") && isAnyKwAt(1, "only", "write")) {
                next();
                modes.add(TransactionMode.of(next().value().equals("only") ? TransactionMode.Kind.READ_ONLY
                        : TransactionMode.Kind.READ_WRITE));
            } else if (acceptKw("deferrable")) {
                modes.add(TransactionMode.of(TransactionMode.Kind.DEFERRABLE));
            } else if (isKw("not") && isKw(1, "deferrable")) {
                next();
                next();
                modes.add(TransactionMode.of(TransactionMode.Kind.NOT_DEFERRABLE));
            } else {
                if (!modes.isEmpty() && toks[p - 1].isChar(',')) {
                    throw syntaxError();
                }
                if (required && modes.isEmpty()) {
                    throw syntaxError();
                }
                return modes;
            }
        }
    }

    // -------------------------------------------------------------- SET & co

    private Statement set(int pos) {
        if (isKw("constraints")) {
            next();
            List<RangeVar> names = null;
            if (!acceptKw("all")) {
                names = qualifiedNameList();
            }
            boolean deferred;
            if (acceptKw("deferred")) {
                deferred = true;
            } else {
                expectKw("immediate");
                deferred = false;
            }
            return new Utility.SetConstraints(pos, names, deferred);
        }
        boolean local = false;
        if (isKw("local")) {
            next();
            local = true;
        } else if (isKw("session") && !isAnyKwAt(1, "authorization", "characteristics")) {
            next();
        }
        if (acceptKw("transaction")) {
            if (acceptKw("snapshot")) {
                return new Utility.SetTransaction(pos, false, List.of(), sconst(), local);
            }
            return new Utility.SetTransaction(pos, false, transactionModes(true), null, local);
        }
        if (isKw("session") && isKw(1, "characteristics")) {
            next();
            next();
            expectKw("as");
            expectKw("transaction");
            return new Utility.SetTransaction(pos, true, transactionModes(true), null, local);
        }
        return setRestMore(pos, local);
    }

    /** {@code set_rest_more}: the forms of SET shared with ALTER SYSTEM / DATABASE / ROLE. */
    private Utility.VariableSet setRestMore(int pos, boolean local) {
        if (isKw("time") && isKw(1, "zone")) {
            next();
            next();
            return zoneValue(pos, local);
        }
        if (isKw("catalog") && peek(1).kind() == TokenKind.SCONST) {
            throw error("0A000", "current database cannot be changed", null, peek(1).position());
        }
        if (isKw("schema") && peek(1).kind() == TokenKind.SCONST) {
            next();
            Token s = next();
            return new Utility.VariableSet(pos, Utility.SetKind.VALUE, "search_path",
                    List.of(Expr.Constant.string(s.position(), s.value())), local);
        }
        if (isKw("names") && !isChar(1, '=') && !isKw(1, "to")) {
            next();
            if (acceptKw("default") || atStatementEnd()) {
                return new Utility.VariableSet(pos, Utility.SetKind.DEFAULT, "client_encoding", List.of(), local);
            }
            Token s = peek();
            String enc = nonReservedWordOrSconst();
            return new Utility.VariableSet(pos, Utility.SetKind.VALUE, "client_encoding",
                    List.of(Expr.Constant.string(s.position(), enc)), local);
        }
        if (isKw("role") && !isChar(1, '=') && !isKw(1, "to")) {
            next();
            Token s = peek();
            String role = nonReservedWordOrSconst();
            return new Utility.VariableSet(pos, Utility.SetKind.VALUE, "role",
                    List.of(Expr.Constant.string(s.position(), role)), local);
        }
        if (isKw("session") && isKw(1, "authorization")) {
            next();
            next();
            if (acceptKw("default")) {
                return new Utility.VariableSet(pos, Utility.SetKind.DEFAULT, "session_authorization", List.of(),
                        local);
            }
            Token s = peek();
            String role = nonReservedWordOrSconst();
            return new Utility.VariableSet(pos, Utility.SetKind.VALUE, "session_authorization",
                    List.of(Expr.Constant.string(s.position(), role)), local);
        }
        if (isKw("xml") && isKw(1, "option")) {
            next();
            next();
            Token s = peek();
            if (!isAnyKw("document", "content")) {
                throw syntaxError();
            }
            next();
            return new Utility.VariableSet(pos, Utility.SetKind.VALUE, "xmloption",
                    List.of(Expr.Constant.string(s.position(), s.value().toUpperCase())), local);
        }
        String name = varName();
        if (isKw("from") && isKw(1, "current")) {
            next();
            next();
            return new Utility.VariableSet(pos, Utility.SetKind.FROM_CURRENT, name, List.of(), local);
        }
        if (!acceptKw("to") && !acceptChar('=')) {
            throw syntaxError();
        }
        if (acceptKw("default")) {
            return new Utility.VariableSet(pos, Utility.SetKind.DEFAULT, name, List.of(), local);
        }
        List<Expr> values = new ArrayList<>();
        do {
            values.add(varValue());
        } while (acceptChar(','));
        return new Utility.VariableSet(pos, Utility.SetKind.VALUE, name, values, local);
    }

    /** {@code var_name}: ColId [. ColId ...], joined with dots. */
    private String varName() {
        StringBuilder sb = new StringBuilder(colId());
        while (acceptChar('.')) {
            sb.append('.').append(colId());
        }
        return sb.toString();
    }

    /** {@code var_value}: TRUE, FALSE, ON, a word or string (as a string), or a number. */
    private Expr varValue() {
        Token t = peek();
        if (atNumericOnly()) {
            String n = numericOnly();
            boolean integer = n.matches("-?[0-9]+") && fitsInt(n);
            return new Expr.Constant(t.position(), integer ? Expr.ConstKind.INTEGER : Expr.ConstKind.NUMERIC, n);
        }
        if (isAnyKw("true", "false", "on")) {
            next();
            return Expr.Constant.string(t.position(), t.value());
        }
        return Expr.Constant.string(t.position(), nonReservedWordOrSconst());
    }

    private static boolean fitsInt(String n) {
        try {
            Integer.parseInt(n);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Utility.VariableSet zoneValue(int pos, boolean local) {
        Token t = peek();
        if (acceptKw("default") || acceptKw("local")) {
            return new Utility.VariableSet(pos, Utility.SetKind.DEFAULT, "timezone", List.of(), local);
        }
        Expr value;
        if (t.kind() == TokenKind.SCONST || t.kind() == TokenKind.IDENT) {
            next();
            value = Expr.Constant.string(t.position(), t.value());
        } else if (atNumericOnly()) {
            value = varValue();
        } else if (isKw("interval")) {
            next();
            TypeName type = TypeName.system(t.position(), "interval");
            if (acceptChar('(')) {
                Token n = peek();
                int prec = iconst();
                expectChar(')');
                type = type.withTypmods(List.of(new Expr.Constant(n.position(), Expr.ConstKind.INTEGER,
                        Integer.toString(prec))));
                Token s = peek();
                value = new Expr.TypeCast(t.position(), Expr.Constant.string(s.position(), sconst()), type);
            } else {
                Token s = peek();
                String str = sconst();
                if (isIntervalFieldStart()) {
                    type = intervalFields(type);
                }
                value = new Expr.TypeCast(t.position(), Expr.Constant.string(s.position(), str), type);
            }
        } else {
            throw syntaxError();
        }
        return new Utility.VariableSet(pos, Utility.SetKind.VALUE, "timezone", List.of(value), local);
    }

    /** RESET ... (after RESET). */
    private Utility.VariableSet reset(int pos) {
        if (acceptKw("all")) {
            return new Utility.VariableSet(pos, Utility.SetKind.RESET_ALL, null, List.of(), false);
        }
        return new Utility.VariableSet(pos, Utility.SetKind.RESET, specialVariableName(), List.of(), false);
    }

    /** A setting name for RESET and SHOW, including TIME ZONE, TRANSACTION ISOLATION LEVEL, SESSION AUTHORIZATION. */
    private String specialVariableName() {
        if (isKw("time") && isKw(1, "zone")) {
            next();
            next();
            return "timezone";
        }
        if (isKw("transaction") && isKw(1, "isolation")) {
            next();
            next();
            expectKw("level");
            return "transaction_isolation";
        }
        if (isKw("session") && isKw(1, "authorization")) {
            next();
            next();
            return "session_authorization";
        }
        return varName();
    }

    private Utility.Show show(int pos) {
        if (acceptKw("all")) {
            return new Utility.Show(pos, "all");
        }
        return new Utility.Show(pos, specialVariableName());
    }

    @Override
    protected Utility.VariableSet setOrReset(int pos, boolean local) {
        if (acceptKw("reset")) {
            return reset(pos);
        }
        expectKw("set");
        return setRestMore(pos, local);
    }

    private Utility.AlterSystem alterSystem(int pos) {
        int spos = pos();
        if (acceptKw("reset")) {
            if (acceptKw("all")) {
                return new Utility.AlterSystem(pos, new Utility.VariableSet(spos, Utility.SetKind.RESET_ALL, null,
                        List.of(), false));
            }
            return new Utility.AlterSystem(pos, new Utility.VariableSet(spos, Utility.SetKind.RESET, varName(),
                    List.of(), false));
        }
        expectKw("set");
        String name = varName();
        if (!acceptKw("to") && !acceptChar('=')) {
            throw syntaxError();
        }
        if (acceptKw("default")) {
            return new Utility.AlterSystem(pos, new Utility.VariableSet(spos, Utility.SetKind.DEFAULT, name,
                    List.of(), false));
        }
        List<Expr> values = new ArrayList<>();
        do {
            values.add(varValue());
        } while (acceptChar(','));
        return new Utility.AlterSystem(pos, new Utility.VariableSet(spos, Utility.SetKind.VALUE, name, values,
                false));
    }

    private Utility.Discard discard() {
        int pos = next().position();
        if (acceptKw("all")) {
            return new Utility.Discard(pos, Utility.DiscardTarget.ALL);
        }
        if (acceptKw("plans")) {
            return new Utility.Discard(pos, Utility.DiscardTarget.PLANS);
        }
        if (acceptKw("sequences")) {
            return new Utility.Discard(pos, Utility.DiscardTarget.SEQUENCES);
        }
        if (acceptKw("temp") || acceptKw("temporary")) {
            return new Utility.Discard(pos, Utility.DiscardTarget.TEMP);
        }
        throw syntaxError();
    }

    // ------------------------------------------------------ prepared statements

    private Utility.Prepare prepare() {
        int pos = next().position();
        String name = colId();
        List<TypeName> types = new ArrayList<>();
        if (acceptChar('(')) {
            do {
                types.add(typename());
            } while (acceptChar(','));
            expectChar(')');
        }
        expectKw("as");
        return new Utility.Prepare(pos, name, types, preparableStatement());
    }

    @Override
    protected Utility.Execute execute() {
        int pos = next().position();
        String name = colId();
        List<Expr> params = List.of();
        if (acceptChar('(')) {
            params = exprList();
            expectChar(')');
        }
        return new Utility.Execute(pos, name, params);
    }

    // --------------------------------------------------------------- EXPLAIN

    private Utility.Explain explain() {
        int pos = next().position();
        List<DefElem> options = new ArrayList<>();
        if (isChar('(') && !looksLikeSubquery()) {
            options.addAll(utilityOptions());
        } else {
            if (isKw("analyze") || isKw("analyse")) {
                options.add(DefElem.of(next().position(), "analyze", null));
            }
            if (isKw("verbose")) {
                options.add(DefElem.of(next().position(), "verbose", null));
            }
        }
        return new Utility.Explain(pos, explainable(), options);
    }

    private Statement explainable() {
        int pos = pos();
        if (isKw("execute")) {
            return execute();
        }
        if (isKw("declare")) {
            return declareCursor();
        }
        if (isKw("create")) {
            next();
            Statement s = create(pos);
            if (!(s instanceof modgres.sql.ast.Ddl.CreateTableAs)) {
                throw syntaxErrorAt(toks[Math.max(0, p - 1)]);
            }
            return s;
        }
        if (isKw("refresh")) {
            return statement();
        }
        if (isKw("merge")) {
            next();
            return unsupported(pos);
        }
        return preparableStatement();
    }

    /** {@code '(' utility_option_list ')'}: name [argument], ... */
    private List<DefElem> utilityOptions() {
        expectChar('(');
        List<DefElem> list = new ArrayList<>();
        do {
            int opos = pos();
            Token t = peek();
            String name;
            if (isKw("analyse") || isKw("analyze")) {
                next();
                name = "analyze";
            } else {
                name = nonReservedWord();
            }
            DefElem.Value value = null;
            if (!isChar(',') && !isChar(')')) {
                if (atNumericOnly()) {
                    value = new DefElem.Num(numericOnly());
                } else if (is(TokenKind.SCONST)) {
                    value = new DefElem.Str(next().value());
                } else {
                    value = DefElem.Name.of(booleanOrWord());
                }
            }
            list.add(DefElem.of(opos, name, value));
            if (t.kind() == TokenKind.EOF) {
                break;
            }
        } while (acceptChar(','));
        expectChar(')');
        return list;
    }

    // ---------------------------------------------------------------- VACUUM

    private Utility.Vacuum vacuum() {
        Token t = next();
        int pos = t.position();
        boolean vacuum = t.value().equals("vacuum");
        List<DefElem> options = new ArrayList<>();
        if (isChar('(')) {
            options.addAll(utilityOptions());
        } else if (vacuum) {
            for (String w : List.of("full", "freeze", "verbose")) {
                if (isKw(w)) {
                    options.add(DefElem.of(next().position(), w, null));
                }
            }
            if (isKw("analyze") || isKw("analyse")) {
                options.add(DefElem.of(next().position(), "analyze", null));
            }
        } else if (isKw("verbose")) {
            options.add(DefElem.of(next().position(), "verbose", null));
        }
        List<Utility.VacuumRelation> rels = new ArrayList<>();
        if (!atStatementEnd()) {
            do {
                RangeVar rel = qualifiedName();
                rels.add(new Utility.VacuumRelation(rel, optParenNameList()));
            } while (acceptChar(','));
        }
        return new Utility.Vacuum(pos, vacuum, options, rels);
    }

    // ------------------------------------------------------------------ LOCK

    private Utility.Lock lock() {
        int pos = next().position();
        acceptKw("table");
        List<RangeVar> rels = relationExprList();
        Utility.LockMode mode = Utility.LockMode.ACCESS_EXCLUSIVE;
        if (acceptKw("in")) {
            if (acceptKw("access")) {
                if (acceptKw("share")) {
                    mode = Utility.LockMode.ACCESS_SHARE;
                } else {
                    expectKw("exclusive");
                    mode = Utility.LockMode.ACCESS_EXCLUSIVE;
                }
            } else if (acceptKw("row")) {
                if (acceptKw("share")) {
                    mode = Utility.LockMode.ROW_SHARE;
                } else {
                    expectKw("exclusive");
                    mode = Utility.LockMode.ROW_EXCLUSIVE;
                }
            } else if (acceptKw("share")) {
                if (acceptKw("update")) {
                    expectKw("exclusive");
                    mode = Utility.LockMode.SHARE_UPDATE_EXCLUSIVE;
                } else if (acceptKw("row")) {
                    expectKw("exclusive");
                    mode = Utility.LockMode.SHARE_ROW_EXCLUSIVE;
                } else {
                    mode = Utility.LockMode.SHARE;
                }
            } else {
                expectKw("exclusive");
                mode = Utility.LockMode.EXCLUSIVE;
            }
            expectKw("mode");
        }
        boolean nowait = acceptKw("nowait");
        return new Utility.Lock(pos, rels, mode, nowait);
    }

    // ------------------------------------------------------------------ COPY

    private Utility.Copy copy() {
        int pos = next().position();
        List<DefElem> options = new ArrayList<>();
        RangeVar rel = null;
        List<String> cols = List.of();
        Statement query = null;
        boolean from;
        if (isChar('(')) {
            next();
            query = preparableStatement();
            expectChar(')');
            expectKw("to");
            from = false;
        } else {
            if (isKw("binary")) {
                options.add(DefElem.of(next().position(), "format", DefElem.Name.of("binary")));
            }
            rel = qualifiedName();
            cols = optParenNameList();
            if (acceptKw("from")) {
                from = true;
            } else {
                expectKw("to");
                from = false;
            }
        }
        boolean program = acceptKw("program");
        String filename = null;
        Token ft = peek();
        if (acceptKw("stdin") || acceptKw("stdout")) {
            if (program) {
                throw error("42601", "STDIN/STDOUT not allowed with PROGRAM", null, 0);
            }
        } else {
            filename = sconst();
        }
        if (rel != null && (isKw("using") || isKw("delimiters"))) {
            int dpos = pos();
            acceptKw("using");
            expectKw("delimiters");
            options.add(DefElem.of(dpos, "delimiter", new DefElem.Str(sconst())));
        }
        boolean with = acceptKw("with");
        if (isChar('(')) {
            options.addAll(copyGenericOptions());
        } else {
            options.addAll(copyOldOptions());
        }
        Expr where = null;
        if (isKw("where")) {
            int wpos = pos();
            if (query != null) {
                throw syntaxError();
            }
            next();
            where = expr();
            if (!from) {
                throw error("42601", "WHERE clause not allowed with COPY TO", null, wpos);
            }
        }
        return new Utility.Copy(pos, rel, cols, query, from, program, filename, options, where);
    }

    private List<DefElem> copyGenericOptions() {
        expectChar('(');
        List<DefElem> list = new ArrayList<>();
        do {
            int opos = pos();
            String name = colLabel();
            DefElem.Value value = null;
            if (!isChar(',') && !isChar(')')) {
                value = copyArg();
            }
            list.add(DefElem.of(opos, name, value));
        } while (acceptChar(','));
        expectChar(')');
        return list;
    }

    private DefElem.Value copyArg() {
        if (acceptChar('*')) {
            return new DefElem.Star();
        }
        if (acceptChar('(')) {
            List<DefElem.Value> values = new ArrayList<>();
            do {
                values.add(is(TokenKind.SCONST) ? new DefElem.Str(next().value())
                        : DefElem.Name.of(booleanOrWord()));
            } while (acceptChar(','));
            expectChar(')');
            return new DefElem.Lst(values);
        }
        if (atNumericOnly()) {
            return new DefElem.Num(numericOnly());
        }
        if (is(TokenKind.SCONST)) {
            return new DefElem.Str(next().value());
        }
        return DefElem.Name.of(booleanOrWord());
    }

    private List<DefElem> copyOldOptions() {
        List<DefElem> list = new ArrayList<>();
        while (true) {
            int opos = pos();
            if (acceptKw("binary")) {
                list.add(DefElem.of(opos, "format", DefElem.Name.of("binary")));
            } else if (acceptKw("freeze")) {
                list.add(DefElem.of(opos, "freeze", DefElem.Name.of("true")));
            } else if (acceptKw("csv")) {
                list.add(DefElem.of(opos, "format", DefElem.Name.of("csv")));
            } else if (acceptKw("header")) {
                list.add(DefElem.of(opos, "header", DefElem.Name.of("true")));
            } else if (isAnyKw("delimiter", "null", "quote", "escape")) {
                String name = next().value();
                acceptKw("as");
                list.add(DefElem.of(opos, name, new DefElem.Str(sconst())));
            } else if (acceptKw("encoding")) {
                list.add(DefElem.of(opos, "encoding", new DefElem.Str(sconst())));
            } else if (acceptKw("force")) {
                String name;
                if (acceptKw("quote")) {
                    name = "force_quote";
                    if (acceptChar('*')) {
                        list.add(DefElem.of(opos, name, new DefElem.Star()));
                        continue;
                    }
                } else if (acceptKw("not")) {
                    expectKw("null");
                    name = "force_not_null";
                } else {
                    expectKw("null");
                    name = "force_null";
                }
                List<DefElem.Value> cols = new ArrayList<>();
                for (String c : nameList()) {
                    cols.add(DefElem.Name.of(c));
                }
                list.add(DefElem.of(opos, name, new DefElem.Lst(cols)));
            } else {
                return list;
            }
        }
    }

    // -------------------------------------------------------------------- DO

    private Utility.Do doStatement() {
        int pos = next().position();
        String code = null;
        String language = null;
        while (true) {
            if (is(TokenKind.SCONST)) {
                Token t = next();
                if (code != null) {
                    throw error("42601", "conflicting or redundant options", null, t.position());
                }
                code = t.value();
            } else if (isKw("language")) {
                Token t = next();
                if (language != null) {
                    throw error("42601", "conflicting or redundant options", null, t.position());
                }
                language = nonReservedWordOrSconst();
            } else {
                break;
            }
        }
        if (code == null) {
            if (language == null) {
                throw syntaxError();
            }
            throw error("42601", "no inline code specified", null, 0);
        }
        return new Utility.Do(pos, code, language);
    }

    // --------------------------------------------------------------- cursors

    private Utility.DeclareCursor declareCursor() {
        int pos = next().position();
        String name = colId();
        Set<Utility.CursorOption> options = EnumSet.noneOf(Utility.CursorOption.class);
        while (true) {
            if (isKw("no") && isKw(1, "scroll")) {
                next();
                next();
                options.add(Utility.CursorOption.NO_SCROLL);
            } else if (acceptKw("scroll")) {
                options.add(Utility.CursorOption.SCROLL);
            } else if (acceptKw("binary")) {
                options.add(Utility.CursorOption.BINARY);
            } else if (acceptKw("insensitive")) {
                options.add(Utility.CursorOption.INSENSITIVE);
            } else if (acceptKw("asensitive")) {
                options.add(Utility.CursorOption.ASENSITIVE);
            } else {
                break;
            }
        }
        expectKw("cursor");
        if (acceptKw("with")) {
            expectKw("hold");
            options.add(Utility.CursorOption.HOLD);
        } else if (acceptKw("without")) {
            expectKw("hold");
        }
        expectKw("for");
        SelectStmt query = selectStmt();
        return new Utility.DeclareCursor(pos, name, options, query);
    }

    private Utility.Fetch fetch() {
        Token t = next();
        int pos = t.position();
        boolean move = t.value().equals("move");
        Utility.FetchDirection dir = Utility.FetchDirection.FORWARD;
        long count = 1;
        if (acceptKw("next")) {
            count = 1;
        } else if (acceptKw("prior")) {
            dir = Utility.FetchDirection.BACKWARD;
        } else if (acceptKw("first")) {
            dir = Utility.FetchDirection.ABSOLUTE;
        } else if (acceptKw("last")) {
            dir = Utility.FetchDirection.ABSOLUTE;
            count = -1;
        } else if (acceptKw("absolute")) {
            dir = Utility.FetchDirection.ABSOLUTE;
            count = signedIconst();
        } else if (acceptKw("relative")) {
            dir = Utility.FetchDirection.RELATIVE;
            count = signedIconst();
        } else if (atSignedIconst()) {
            count = signedIconst();
        } else if (acceptKw("all")) {
            count = Utility.Fetch.ALL;
        } else if (isKw("forward") || isKw("backward")) {
            dir = next().value().equals("forward") ? Utility.FetchDirection.FORWARD
                    : Utility.FetchDirection.BACKWARD;
            if (atSignedIconst()) {
                count = signedIconst();
            } else if (acceptKw("all")) {
                count = Utility.Fetch.ALL;
            }
        }
        if (!acceptKw("from")) {
            acceptKw("in");
        }
        return new Utility.Fetch(pos, move, dir, count, colId());
    }
}
