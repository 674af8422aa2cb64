package modgres.sql.parser;

import java.util.ArrayList;
import java.util.List;

import modgres.sql.ast.Ddl;
import modgres.sql.ast.Expr;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.TypeName;
import modgres.sql.ast.Utility;

/*
 * Design notes: the statements that define and call routines (PostgreSQL's
 * CreateFunctionStmt, CreateTrigStmt and CallStmt productions), kept out of
 * DdlParser so that the grammar of routines lives in one place. Each method
 * works on the parser it is given (same token stream, same position), is
 * entered just after CREATE [OR REPLACE] (or at CALL) and leaves the parser
 * at the end of the statement.
 *
 * The body of a function is kept as the string it was written as: LANGUAGE
 * sql bodies are parsed when the function is defined (to report syntax errors
 * then, as PostgreSQL's validator does) and again when called; PL/pgSQL
 * bodies are compiled by modgres.sql.pl. A SQL-standard body (RETURN expr, or
 * BEGIN ATOMIC ... END) is kept as the equivalent LANGUAGE sql text.
 */
/** CREATE FUNCTION / PROCEDURE / TRIGGER and CALL; see the design notes. */
final class RoutineParser {
    private RoutineParser() {
    }

    /** After {@code CREATE [OR REPLACE]}, at FUNCTION or PROCEDURE. */
    static Ddl.CreateFunction createFunction(DdlParser ps, int pos, boolean orReplace) {
        boolean procedure = ps.next().value().equals("procedure");
        List<String> name = new ArrayList<>();
        name.add(ps.colId());
        while (ps.acceptChar('.')) {
            name.add(ps.colLabel());
        }
        ps.expectChar('(');
        List<Ddl.FunctionParam> params = new ArrayList<>();
        if (!ps.isChar(')')) {
            do {
                params.add(param(ps, true));
            } while (ps.acceptChar(','));
        }
        ps.expectChar(')');
        TypeName returns = null;
        List<Ddl.FunctionParam> table = null;
        if (!procedure && ps.acceptKw("returns")) {
            if (ps.isKw("table") && ps.isChar(1, '(')) {
                ps.next();
                ps.next();
                table = new ArrayList<>();
                do {
                    String col = ps.colId();
                    table.add(new Ddl.FunctionParam('t', col, ps.typename(), null));
                } while (ps.acceptChar(','));
                ps.expectChar(')');
            } else {
                returns = ps.typename();
            }
        }
        String language = null;
        String body = null;
        int bodyPos = 0;
        char volatility = 0;
        Boolean strict = null;
        boolean definer = false;
        while (!ps.atStatementEnd()) {
            Token t = ps.peek();
            if (ps.acceptKw("language")) {
                language = ps.nonReservedWordOrSconst().toLowerCase(java.util.Locale.ROOT);
            } else if (ps.acceptKw("as")) {
                Token b = ps.peek();
                body = ps.sconst();
                bodyPos = b.position() + contentOffset(ps.src, b);
                if (ps.acceptChar(',')) {
                    ps.sconst(); // C functions' link symbol
                }
            } else if (ps.isAnyKw("immutable", "stable", "volatile")) {
                char v = ps.next().value().charAt(0);
                if (volatility != 0 && volatility != v) {
                    throw ps.error("42601", "conflicting or redundant options", null, t.position());
                }
                volatility = v;
            } else if (ps.acceptKw("strict")) {
                strict = true;
            } else if (ps.isKw("called")) {
                ps.next();
                ps.expectKw("on");
                ps.expectKw("null");
                ps.expectKw("input");
                strict = false;
            } else if (ps.isKw("returns") && ps.isKw(1, "null")) {
                ps.next();
                ps.next();
                ps.expectKw("on");
                ps.expectKw("null");
                ps.expectKw("input");
                strict = true;
            } else if (ps.isKw("external") || ps.isKw("security")) {
                ps.acceptKw("external");
                ps.expectKw("security");
                if (ps.acceptKw("definer")) {
                    definer = true;
                } else {
                    ps.expectKw("invoker");
                    definer = false;
                }
            } else if (ps.isKw("not") && ps.isKw(1, "leakproof")) {
                ps.next();
                ps.next();
            } else if (ps.acceptKw("leakproof") || ps.acceptKw("window")) {
                // accepted, no effect here
            } else if (ps.acceptKw("parallel")) {
                ps.colId();
            } else if (ps.acceptKw("cost") || ps.acceptKw("rows")) {
                ps.numericOnly();
            } else if (ps.acceptKw("support")) {
                ps.anyName();
            } else if (ps.acceptKw("set")) {
                ps.colId();
                while (ps.acceptChar('.')) {
                    ps.colId();
                }
                if (ps.acceptKw("from")) {
                    ps.expectKw("current");
                } else {
                    if (!ps.acceptKw("to") && !ps.acceptChar('=')) {
                        throw ps.syntaxError();
                    }
                    ps.next();
                    while (ps.acceptChar(',')) {
                        ps.next();
                    }
                }
            } else if (ps.isKw("return")) {
                // SQL-standard body: RETURN expr
                Token r = ps.next();
                int start = ps.peek().start();
                ps.expr();
                body = "SELECT " + ps.src.substring(start, ps.toks[ps.p - 1].end());
                bodyPos = r.position();
                language = language == null ? "sql" : language;
            } else if (ps.isKw("begin") && ps.isKw(1, "atomic")) {
                Token b = ps.next();
                ps.next();
                int start = ps.peek().start();
                int depth = 0;
                while (!(depth == 0 && ps.isKw("end")) && !ps.is(TokenKind.EOF)) {
                    if (ps.isKw("case") || ps.isKw("begin")) {
                        depth++;
                    } else if (ps.isKw("end")) {
                        depth--;
                    }
                    ps.next();
                }
                int end = ps.peek().start();
                ps.expectKw("end");
                body = ps.src.substring(start, end);
                bodyPos = b.position();
                language = language == null ? "sql" : language;
            } else {
                throw ps.syntaxError();
            }
        }
        if (body == null) {
            throw ps.error("42P13", "no function body specified", null, 0);
        }
        if (language == null) {
            throw ps.error("42P13", "no language specified", null, 0);
        }
        return new Ddl.CreateFunction(pos, orReplace, procedure, name, params, returns, table, language, body,
                bodyPos, volatility == 0 ? 'v' : volatility, strict != null && strict, definer);
    }

    /** Characters between a string token's start and its contents ($tag$, E', '). */
    private static int contentOffset(String src, Token t) {
        char c = src.charAt(t.start());
        if (c == '$') {
            int second = src.indexOf('$', t.start() + 1);
            return second < 0 ? 1 : second - t.start() + 1;
        }
        return c == 'e' || c == 'E' ? 2 : 1;
    }

    /** {@code [IN|OUT|INOUT|VARIADIC] [name] type [DEFAULT expr | = expr]}. */
    private static Ddl.FunctionParam param(DdlParser ps, boolean defaults) {
        char mode = 'i';
        if (ps.isAnyKw("in", "out", "inout", "variadic")) {
            String m = ps.next().value();
            mode = switch (m) {
                case "out" -> 'o';
                case "inout" -> 'b';
                case "variadic" -> 'v';
                default -> 'i';
            };
        }
        String name = null;
        Token t = ps.peek();
        boolean nameFirst = (t.kind() == TokenKind.IDENT || ParserBase.isNonReservedWord(t) || ParserBase.isColId(t))
                && startsType(ps.peek(1));
        if (nameFirst) {
            name = ps.next().value();
        }
        TypeName type = ps.typename();
        Expr def = null;
        if (defaults && (ps.acceptKw("default") || ps.acceptChar('='))) {
            def = ps.expr();
        }
        return new Ddl.FunctionParam(mode, name, type, def);
    }

    private static boolean startsType(Token t) {
        if (t.kind() == TokenKind.IDENT) {
            return true;
        }
        if (t.kind() != TokenKind.KEYWORD) {
            return false;
        }
        return !List.of("default").contains(t.value());
    }

    /** After {@code CREATE [OR REPLACE]}, at TRIGGER. */
    static Ddl.CreateTrigger createTrigger(DdlParser ps, int pos, boolean orReplace) {
        ps.expectKw("trigger");
        String name = ps.colId();
        char timing;
        if (ps.acceptKw("before")) {
            timing = 'B';
        } else if (ps.acceptKw("after")) {
            timing = 'A';
        } else {
            ps.expectKw("instead");
            ps.expectKw("of");
            timing = 'I';
        }
        List<String> events = new ArrayList<>();
        List<String> cols = new ArrayList<>();
        do {
            Token e = ps.next();
            String ev = e.value();
            if (!List.of("insert", "update", "delete", "truncate").contains(ev) || e.kind() != TokenKind.KEYWORD) {
                throw ps.syntaxErrorAt(e);
            }
            events.add(ev.toUpperCase(java.util.Locale.ROOT));
            if (ev.equals("update") && ps.acceptKw("of")) {
                do {
                    cols.add(ps.colId());
                } while (ps.acceptChar(','));
            }
        } while (ps.acceptKw("or"));
        ps.expectKw("on");
        RangeVar table = ps.qualifiedName();
        List<String> referencing = new ArrayList<>();
        if (ps.acceptKw("referencing")) {
            do {
                String which = ps.acceptKw("old") ? "OLD" : null;
                if (which == null) {
                    ps.expectKw("new");
                    which = "NEW";
                }
                ps.expectKw("table");
                ps.acceptKw("as");
                referencing.add(which + " " + ps.colId());
            } while (ps.isKw("old") || ps.isKw("new"));
        }
        boolean row = false;
        if (ps.acceptKw("for")) {
            ps.acceptKw("each");
            if (ps.acceptKw("row")) {
                row = true;
            } else {
                ps.expectKw("statement");
            }
        }
        Expr when = null;
        if (ps.acceptKw("when")) {
            ps.expectChar('(');
            when = ps.expr();
            ps.expectChar(')');
        }
        ps.expectKw("execute");
        if (!ps.acceptKw("function")) {
            ps.expectKw("procedure");
        }
        List<String> fname = new ArrayList<>();
        fname.add(ps.colId());
        while (ps.acceptChar('.')) {
            fname.add(ps.colLabel());
        }
        ps.expectChar('(');
        List<String> args = new ArrayList<>();
        if (!ps.isChar(')')) {
            do {
                Token a = ps.next();
                if (a.kind() == TokenKind.CHAR && a.value().equals("-") && ps.peek().kind() != TokenKind.CHAR) {
                    args.add("-" + ps.next().value());
                } else {
                    args.add(a.value());
                }
            } while (ps.acceptChar(','));
        }
        ps.expectChar(')');
        return new Ddl.CreateTrigger(pos, orReplace, name, timing, events, cols, table, referencing, row, when, fname,
                args);
    }

    /** At CALL. */
    static Utility.Call call(DdlParser ps, int pos) {
        ps.expectKw("call");
        Expr e = ps.expr();
        if (!(e instanceof Expr.FuncCall fc)) {
            throw ps.syntaxError();
        }
        return new Utility.Call(pos, fc);
    }
}
