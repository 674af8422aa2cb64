package modgres.sql.pl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import modgres.api.error.PgException;
import modgres.sql.parser.Lexer;
import modgres.sql.parser.Token;
import modgres.sql.parser.TokenKind;

/*
 * Design notes: the PL/pgSQL grammar (pl_gram.y), hand-written.
 *
 * The body is scanned once by the SQL lexer (strings, dollar quotes,
 * comments and operators are then PostgreSQL's), and a recursive descent
 * over the tokens recognises PL/pgSQL's statements by their leading word.
 * Everything that is SQL (expressions, conditions, queries, statements) is
 * not parsed here: it is cut out as text up to the word that ends it
 * (THEN, LOOP, '..', ';', ...) at parenthesis and CASE/END depth 0, and is
 * planned by the SQL engine when first run, as PostgreSQL does. A
 * statement that starts with neither a PL/pgSQL word, nor an assignment,
 * nor a SQL command word is a syntax error at its first token, as in
 * PostgreSQL.
 *
 * Errors carry the offset in the body (PlSyntaxError.offset); the caller
 * turns it into a position in the CREATE FUNCTION / DO statement.
 */
/** Parses a PL/pgSQL body into {@link PlAst}; see the design notes. */
public final class PlParser {
    /** A syntax error in the body: PostgreSQL's message, and the offset in the body of the token it is at. */
    public static final class PlSyntaxError extends PgException {
        private static final long serialVersionUID = 1L;
        public final int offset;

        PlSyntaxError(String state, String message, int offset) {
            super(state, message);
            this.offset = offset;
        }
    }

    private static final Set<String> SQL_WORDS = Set.of("select", "insert", "update", "delete", "with", "values",
            "create", "drop", "alter", "truncate", "lock", "grant", "revoke", "set", "reset", "show", "analyze",
            "vacuum", "notify", "listen", "unlisten", "comment", "table", "call", "do", "copy", "explain", "refresh",
            "savepoint", "release", "prepare", "deallocate", "discard", "merge", "import", "cluster", "reindex",
            "checkpoint", "security");

    private final String src;
    private final List<Token> toks;
    private int p;

    private PlParser(String src) {
        this.src = src;
        try {
            this.toks = Lexer.tokenize(src);
        } catch (modgres.sql.parser.SqlSyntaxException e) {
            throw new PlSyntaxError(e.sqlState(), e.getMessage(), Math.max(0, e.position() - 1));
        }
    }

    /** Parses a whole function body: one block, optionally labelled, optionally followed by ';'. */
    public static PlAst.Block parse(String body) {
        PlParser ps = new PlParser(body);
        String label = ps.label();
        if (!ps.isWord("declare") && !ps.isWord("begin")) {
            throw ps.syntaxError();
        }
        PlAst.Block b = ps.block(label);
        ps.acceptChar(';');
        if (ps.peek().kind() != TokenKind.EOF) {
            throw ps.syntaxError();
        }
        return b;
    }

    // ------------------------------------------------------------------ tokens

    private Token peek() {
        return toks.get(p);
    }

    private Token peek(int k) {
        return toks.get(Math.min(p + k, toks.size() - 1));
    }

    private Token next() {
        Token t = toks.get(p);
        if (t.kind() != TokenKind.EOF) {
            p++;
        }
        return t;
    }

    private static String word(Token t) {
        return t.kind() == TokenKind.IDENT || t.kind() == TokenKind.KEYWORD ? t.value() : null;
    }

    private boolean isWord(String w) {
        return w.equals(word(peek()));
    }

    private boolean isWord(int k, String w) {
        return w.equals(word(peek(k)));
    }

    private boolean acceptWord(String w) {
        if (isWord(w)) {
            p++;
            return true;
        }
        return false;
    }

    private void expectWord(String w) {
        if (!acceptWord(w)) {
            throw syntaxError();
        }
    }

    private boolean isChar(char c) {
        return peek().isChar(c);
    }

    private boolean acceptChar(char c) {
        if (isChar(c)) {
            p++;
            return true;
        }
        return false;
    }

    private void expectChar(char c) {
        if (!acceptChar(c)) {
            throw syntaxError();
        }
    }

    private PlSyntaxError syntaxError() {
        Token t = peek();
        if (t.kind() == TokenKind.EOF) {
            return new PlSyntaxError("42601", "syntax error at end of input", src.length());
        }
        return new PlSyntaxError("42601", "syntax error at or near \"" + src.substring(t.start(), t.end()) + "\"",
                t.start());
    }

    private int line(Token t) {
        int n = 1;
        for (int i = 0; i < t.start() && i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private String ident() {
        Token t = peek();
        if (t.kind() != TokenKind.IDENT && t.kind() != TokenKind.KEYWORD) {
            throw syntaxError();
        }
        return next().value();
    }

    /** {@code <<label>>} or null. */
    private String label() {
        if (peek().kind() == TokenKind.OP && peek().value().equals("<<")) {
            next();
            String l = ident();
            if (!(peek().kind() == TokenKind.OP && peek().value().equals(">>"))) {
                throw syntaxError();
            }
            next();
            return l;
        }
        return null;
    }

    // ------------------------------------------------------------------ SQL fragments

    /**
     * The SQL text from here up to (not including) one of the stop words / characters at depth 0; the
     * stop token is left unread. Empty fragments are a syntax error at the stop token.
     */
    private PlAst.Sql sqlUntil(Set<String> stopWords, String stopChars, boolean dotDot) {
        int depth = 0;
        int start = p;
        while (true) {
            Token t = peek();
            if (t.kind() == TokenKind.EOF) {
                throw syntaxError();
            }
            if (depth == 0) {
                String w = word(t);
                if (w != null && t.kind() == TokenKind.KEYWORD && stopWords.contains(w)
                        || w != null && t.kind() == TokenKind.IDENT && stopWords.contains(w)) {
                    break;
                }
                if (t.kind() == TokenKind.CHAR && stopChars.indexOf(t.value().charAt(0)) >= 0) {
                    break;
                }
                if (dotDot && t.kind() == TokenKind.DOT_DOT) {
                    break;
                }
            }
            if (t.isChar('(') || t.isChar('[') || t.isKeyword("case")) {
                depth++;
            } else if ((t.isChar(')') || t.isChar(']') || t.isKeyword("end")) && depth > 0) {
                depth--;
            }
            next();
        }
        if (p == start) {
            throw syntaxError();
        }
        Token first = toks.get(start);
        Token last = toks.get(p - 1);
        return new PlAst.Sql(src.substring(first.start(), last.end()), first.start());
    }

    private PlAst.Sql exprUntilSemicolon() {
        return sqlUntil(Set.of(), ";", false);
    }

    // ------------------------------------------------------------------ blocks and declarations

    private PlAst.Block block(String label) {
        int line = line(peek());
        List<PlAst.Decl> decls = new ArrayList<>();
        if (acceptWord("declare")) {
            while (!isWord("begin")) {
                if (acceptWord("declare")) {
                    continue;
                }
                decls.add(decl());
            }
        }
        expectWord("begin");
        List<PlAst.Stmt> body = statements(Set.of("end", "exception"));
        List<PlAst.Handler> handlers = new ArrayList<>();
        if (acceptWord("exception")) {
            while (acceptWord("when")) {
                List<String> conds = new ArrayList<>();
                do {
                    if (acceptWord("sqlstate")) {
                        Token s = next();
                        if (s.kind() != TokenKind.SCONST) {
                            throw syntaxError();
                        }
                        conds.add("sqlstate:" + s.value());
                    } else {
                        conds.add(ident().toLowerCase(Locale.ROOT));
                    }
                } while (acceptWord("or"));
                expectWord("then");
                handlers.add(new PlAst.Handler(conds, statements(Set.of("when", "end"))));
            }
            if (handlers.isEmpty()) {
                throw syntaxError();
            }
        }
        expectWord("end");
        if (label != null && peek().kind() != TokenKind.EOF && !isChar(';')) {
            String l = ident();
            if (!l.equals(label)) {
                throw syntaxError();
            }
        } else if (peek().kind() == TokenKind.IDENT) {
            next();
        }
        return new PlAst.Block(line, label, decls, body, handlers);
    }

    private PlAst.Decl decl() {
        Token first = peek();
        String name = ident();
        int line = line(first);
        if (acceptWord("alias")) {
            expectWord("for");
            Token t = next();
            String of = t.kind() == TokenKind.PARAM ? "$" + t.value() : t.value();
            expectChar(';');
            return new PlAst.Decl(name, null, false, false, null, line, of);
        }
        boolean constant = acceptWord("constant");
        // the type: everything up to NOT NULL, DEFAULT, :=, = or ';'
        int start = p;
        while (!isChar(';') && !(isWord("not") && isWord(1, "null")) && !isWord("default")
                && peek().kind() != TokenKind.COLON_EQUALS && !isChar('=') && !isWord("collate")
                && peek().kind() != TokenKind.EOF) {
            next();
        }
        if (p == start) {
            throw syntaxError();
        }
        String type = src.substring(toks.get(start).start(), toks.get(p - 1).end());
        boolean notNull = false;
        if (isWord("not")) {
            next();
            next();
            notNull = true;
        }
        if (acceptWord("collate")) {
            ident();
        }
        PlAst.Sql def = null;
        if (acceptWord("default") || peek().kind() == TokenKind.COLON_EQUALS && next() != null || acceptChar('=')) {
            def = exprUntilSemicolon();
        }
        expectChar(';');
        return new PlAst.Decl(name, type, constant, notNull, def, line, null);
    }

    // ------------------------------------------------------------------ statements

    private List<PlAst.Stmt> statements(Set<String> until) {
        List<PlAst.Stmt> out = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.kind() == TokenKind.EOF) {
                throw syntaxError();
            }
            String w = word(t);
            if (w != null && until.contains(w) && !(w.equals("end") && isEndOfSomethingElse())) {
                return out;
            }
            out.add(statement());
        }
    }

    /** END IF / END LOOP / END CASE close those constructs, never a statement list of a block. */
    private boolean isEndOfSomethingElse() {
        return false;
    }

    private PlAst.Stmt statement() {
        String label = label();
        Token t = peek();
        int line = line(t);
        String w = word(t);
        if (w == null) {
            throw syntaxError();
        }
        if (t.kind() == TokenKind.KEYWORD || t.kind() == TokenKind.IDENT) {
            // an assignment: name [. field] := / = expr
            int k = 1;
            if (peek(1).isChar('.') && (word(peek(2)) != null)) {
                k = 3;
            }
            if (peek(k).kind() == TokenKind.COLON_EQUALS || peek(k).isChar('=')) {
                if (!(w.equals("select") || w.equals("perform"))) {
                    next();
                    String field = null;
                    if (k == 3) {
                        next();
                        field = next().value();
                    }
                    next();
                    PlAst.Sql e = exprUntilSemicolon();
                    expectChar(';');
                    String source = src.substring(t.start(), toks.get(p - 2).end());
                    return new PlAst.Assign(line, new PlAst.Target(t.value(), field), e, source);
                }
            }
        }
        switch (w) {
            case "declare", "begin": {
                PlAst.Block b = block(label);
                expectChar(';');
                return b;
            }
            case "if":
                return ifStmt(line);
            case "case":
                if (t.kind() == TokenKind.KEYWORD) {
                    return caseStmt(line);
                }
                break;
            case "loop": {
                next();
                List<PlAst.Stmt> body = statements(Set.of("end"));
                endLoop(label);
                return new PlAst.Loop(line, label, body);
            }
            case "while": {
                next();
                PlAst.Sql cond = sqlUntil(Set.of("loop"), "", false);
                expectWord("loop");
                List<PlAst.Stmt> body = statements(Set.of("end"));
                endLoop(label);
                return new PlAst.While(line, label, cond, body);
            }
            case "for":
                return forStmt(line, label);
            case "foreach":
                return foreachStmt(line, label);
            case "exit", "continue": {
                next();
                String l = null;
                if (!isChar(';') && !isWord("when")) {
                    l = ident();
                }
                PlAst.Sql when = null;
                if (acceptWord("when")) {
                    when = exprUntilSemicolon();
                }
                expectChar(';');
                return new PlAst.Exit(line, w.equals("continue"), l, when);
            }
            case "return": {
                next();
                if (acceptWord("next")) {
                    PlAst.Sql e = isChar(';') ? null : exprUntilSemicolon();
                    expectChar(';');
                    return new PlAst.ReturnNext(line, e);
                }
                if (acceptWord("query")) {
                    if (acceptWord("execute")) {
                        PlAst.Sql cmd = sqlUntil(Set.of("using"), ";", false);
                        List<PlAst.Sql> using = using();
                        expectChar(';');
                        return new PlAst.ReturnQuery(line, null, cmd, using);
                    }
                    PlAst.Sql q = exprUntilSemicolon();
                    expectChar(';');
                    return new PlAst.ReturnQuery(line, q, null, List.of());
                }
                PlAst.Sql e = isChar(';') ? null : exprUntilSemicolon();
                expectChar(';');
                return new PlAst.Return(line, e);
            }
            case "perform": {
                next();
                PlAst.Sql q = exprUntilSemicolon();
                expectChar(';');
                return new PlAst.Perform(line, q);
            }
            case "raise":
                return raise(line);
            case "execute": {
                next();
                PlAst.Sql cmd = sqlUntil(Set.of("into", "using"), ";", false);
                List<PlAst.Target> into = null;
                boolean strict = false;
                List<PlAst.Sql> using = List.of();
                for (int i = 0; i < 2; i++) {
                    if (acceptWord("into")) {
                        strict = acceptWord("strict");
                        into = targets();
                    } else if (isWord("using")) {
                        using = using();
                    }
                }
                expectChar(';');
                return new PlAst.Dynamic(line, cmd, into, strict, using);
            }
            case "get": {
                next();
                boolean stacked = false;
                if (acceptWord("stacked")) {
                    stacked = true;
                } else {
                    acceptWord("current");
                }
                expectWord("diagnostics");
                List<PlAst.Target> targets = new ArrayList<>();
                List<String> items = new ArrayList<>();
                do {
                    targets.add(target());
                    if (peek().kind() != TokenKind.COLON_EQUALS && !isChar('=')) {
                        throw syntaxError();
                    }
                    next();
                    items.add(ident().toUpperCase(Locale.ROOT));
                } while (acceptChar(','));
                expectChar(';');
                return new PlAst.GetDiag(line, stacked, targets, items);
            }
            case "null":
                if (peek(1).isChar(';')) {
                    next();
                    next();
                    return new PlAst.Null(line);
                }
                break;
            case "commit", "rollback":
                next();
                acceptWord("and");
                acceptWord("chain");
                expectChar(';');
                return new PlAst.Commit(line, w.equals("rollback"));
            default:
                break;
        }
        if (SQL_WORDS.contains(w)) {
            return sqlStatement(line);
        }
        throw syntaxError();
    }

    private List<PlAst.Sql> using() {
        List<PlAst.Sql> out = new ArrayList<>();
        if (acceptWord("using")) {
            do {
                out.add(sqlUntil(Set.of("into"), ",;", false));
            } while (acceptChar(','));
        }
        return out;
    }

    private PlAst.Target target() {
        String n = ident();
        if (acceptChar('.')) {
            return new PlAst.Target(n, ident());
        }
        return new PlAst.Target(n, null);
    }

    private List<PlAst.Target> targets() {
        List<PlAst.Target> out = new ArrayList<>();
        do {
            out.add(target());
        } while (acceptChar(','));
        return out;
    }

    private void endLoop(String label) {
        expectWord("end");
        expectWord("loop");
        if (!isChar(';')) {
            String l = ident();
            if (label == null || !label.equals(l)) {
                throw syntaxError();
            }
        }
        expectChar(';');
    }

    private PlAst.If ifStmt(int line) {
        next();
        List<PlAst.Sql> conds = new ArrayList<>();
        List<List<PlAst.Stmt>> bodies = new ArrayList<>();
        List<PlAst.Stmt> elseBody = null;
        conds.add(sqlUntil(Set.of("then"), "", false));
        expectWord("then");
        bodies.add(statements(Set.of("elsif", "elseif", "else", "end")));
        while (true) {
            if (acceptWord("elsif") || acceptWord("elseif")) {
                conds.add(sqlUntil(Set.of("then"), "", false));
                expectWord("then");
                bodies.add(statements(Set.of("elsif", "elseif", "else", "end")));
            } else if (acceptWord("else")) {
                elseBody = statements(Set.of("end"));
            } else {
                break;
            }
        }
        expectWord("end");
        expectWord("if");
        expectChar(';');
        return new PlAst.If(line, conds, bodies, elseBody);
    }

    private PlAst.Case caseStmt(int line) {
        next();
        PlAst.Sql selector = isWord("when") ? null : sqlUntil(Set.of("when"), "", false);
        List<List<PlAst.Sql>> whens = new ArrayList<>();
        List<List<PlAst.Stmt>> bodies = new ArrayList<>();
        List<PlAst.Stmt> elseBody = null;
        while (acceptWord("when")) {
            List<PlAst.Sql> exprs = new ArrayList<>();
            if (selector == null) {
                exprs.add(sqlUntil(Set.of("then"), "", false));
            } else {
                do {
                    exprs.add(sqlUntil(Set.of("then"), ",", false));
                } while (acceptChar(','));
            }
            expectWord("then");
            whens.add(exprs);
            bodies.add(statements(Set.of("when", "else", "end")));
        }
        if (whens.isEmpty()) {
            throw syntaxError();
        }
        if (acceptWord("else")) {
            elseBody = statements(Set.of("end"));
        }
        expectWord("end");
        expectWord("case");
        expectChar(';');
        return new PlAst.Case(line, selector, whens, bodies, elseBody);
    }

    private PlAst.Stmt forStmt(int line, String label) {
        next();
        List<PlAst.Target> targets = targets();
        expectWord("in");
        // an integer loop when REVERSE follows or a '..' comes before LOOP at depth 0
        boolean reverse = isWord("reverse") && !isWord(1, "loop");
        boolean integer = reverse || hasDotDotBeforeLoop();
        if (integer) {
            if (reverse) {
                next();
            }
            if (targets.size() != 1 || targets.get(0).field() != null) {
                throw syntaxError();
            }
            PlAst.Sql lower = sqlUntil(Set.of(), "", true);
            if (peek().kind() != TokenKind.DOT_DOT) {
                throw syntaxError();
            }
            next();
            PlAst.Sql upper = sqlUntil(Set.of("by", "loop"), "", false);
            PlAst.Sql by = null;
            if (acceptWord("by")) {
                by = sqlUntil(Set.of("loop"), "", false);
            }
            expectWord("loop");
            List<PlAst.Stmt> body = statements(Set.of("end"));
            endLoop(label);
            return new PlAst.ForInt(line, label, targets.get(0).name(), reverse, lower, upper, by, body);
        }
        PlAst.Sql query = null;
        PlAst.Sql dynamic = null;
        List<PlAst.Sql> using = List.of();
        if (acceptWord("execute")) {
            dynamic = sqlUntil(Set.of("using", "loop"), "", false);
            using = new ArrayList<>();
            if (acceptWord("using")) {
                do {
                    using.add(sqlUntil(Set.of("loop"), ",", false));
                } while (acceptChar(','));
            }
        } else {
            query = sqlUntil(Set.of("loop"), "", false);
        }
        expectWord("loop");
        List<PlAst.Stmt> body = statements(Set.of("end"));
        endLoop(label);
        return new PlAst.ForQuery(line, label, targets, query, dynamic, using, body);
    }

    private boolean hasDotDotBeforeLoop() {
        int depth = 0;
        for (int i = p; i < toks.size(); i++) {
            Token t = toks.get(i);
            if (t.kind() == TokenKind.EOF) {
                return false;
            }
            if (t.isChar('(') || t.isChar('[')) {
                depth++;
            } else if (t.isChar(')') || t.isChar(']')) {
                depth--;
            } else if (depth == 0 && t.kind() == TokenKind.DOT_DOT) {
                return true;
            } else if (depth == 0 && "loop".equals(word(t))) {
                return false;
            }
        }
        return false;
    }

    private PlAst.Foreach foreachStmt(int line, String label) {
        next();
        List<PlAst.Target> targets = targets();
        int slice = 0;
        if (acceptWord("slice")) {
            Token n = next();
            if (n.kind() != TokenKind.ICONST) {
                throw syntaxError();
            }
            slice = Integer.parseInt(n.value());
        }
        expectWord("in");
        expectWord("array");
        PlAst.Sql arr = sqlUntil(Set.of("loop"), "", false);
        expectWord("loop");
        List<PlAst.Stmt> body = statements(Set.of("end"));
        endLoop(label);
        return new PlAst.Foreach(line, label, targets, slice, arr, body);
    }

    private static final Set<String> LEVELS = Set.of("debug", "log", "info", "notice", "warning", "exception");

    private PlAst.Raise raise(int line) {
        next();
        String level = "exception";
        if (word(peek()) != null && LEVELS.contains(word(peek()))) {
            level = next().value();
        }
        String condition = null;
        String format = null;
        List<PlAst.Sql> args = new ArrayList<>();
        if (peek().kind() == TokenKind.SCONST) {
            format = next().value();
            while (acceptChar(',')) {
                args.add(sqlUntil(Set.of("using"), ",;", false));
            }
        } else if (acceptWord("sqlstate")) {
            Token s = next();
            if (s.kind() != TokenKind.SCONST) {
                throw syntaxError();
            }
            condition = "sqlstate:" + s.value();
        } else if (!isChar(';') && !isWord("using")) {
            condition = ident().toLowerCase(Locale.ROOT);
        }
        List<String> names = new ArrayList<>();
        List<PlAst.Sql> values = new ArrayList<>();
        if (acceptWord("using")) {
            do {
                names.add(ident().toLowerCase(Locale.ROOT));
                if (peek().kind() != TokenKind.COLON_EQUALS && !isChar('=')) {
                    throw syntaxError();
                }
                next();
                values.add(sqlUntil(Set.of(), ",;", false));
            } while (acceptChar(','));
        }
        expectChar(';');
        return new PlAst.Raise(line, level, condition, format, args, names, values);
    }

    /** A SQL statement up to ';', with its INTO clause cut out. */
    private PlAst.Stmt sqlStatement(int line) {
        int start = p;
        String first = word(peek());
        boolean dml = first.equals("insert") || first.equals("update") || first.equals("delete")
                || first.equals("merge");
        boolean afterReturning = false;
        int depth = 0;
        int intoStart = -1;
        int intoEnd = -1;
        List<PlAst.Target> into = null;
        boolean strict = false;
        while (!(depth == 0 && isChar(';'))) {
            Token t = peek();
            if (t.kind() == TokenKind.EOF) {
                throw syntaxError();
            }
            if (t.isChar('(')) {
                depth++;
            } else if (t.isChar(')')) {
                depth--;
            }
            if (depth == 0 && t.isKeyword("returning")) {
                afterReturning = true;
            }
            if (depth == 0 && into == null && t.isKeyword("into") && (!dml || afterReturning)
                    && (first.equals("select") || first.equals("with") || dml)) {
                intoStart = p;
                next();
                strict = acceptWord("strict");
                into = targets();
                intoEnd = p;
                continue;
            }
            next();
        }
        int end = p;
        expectChar(';');
        StringBuilder text = new StringBuilder();
        int offset = toks.get(start).start();
        if (into == null) {
            text.append(src, toks.get(start).start(), toks.get(end - 1).end());
        } else {
            text.append(src, toks.get(start).start(), intoStart > start ? toks.get(intoStart - 1).end()
                    : toks.get(start).start());
            if (intoEnd < end) {
                text.append(' ').append(src, toks.get(intoEnd).start(), toks.get(end - 1).end());
            }
        }
        return new PlAst.ExecSql(line, new PlAst.Sql(text.toString().strip(), offset), into, strict);
    }
}
