package modgres.sql.parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import modgres.sql.ast.Ddl;
import modgres.sql.ast.Expr;
import modgres.sql.ast.RangeVar;
import modgres.sql.ast.Statement;
import modgres.sql.ast.Utility;

/** PostgreSQL's RuleStmt: {@code CREATE [OR REPLACE] RULE ... AS ON event TO table [WHERE] DO [ALSO|INSTEAD] ...}. */
final class RuleParser {
    private RuleParser() {
    }

    static Ddl.CreateRule createRule(DdlParser ps, int pos, boolean orReplace) {
        ps.expectKw("rule");
        String name = ps.colId();
        ps.expectKw("as");
        ps.expectKw("on");
        Token e = ps.next();
        String event = e.value().toLowerCase(Locale.ROOT);
        if (e.kind() != TokenKind.KEYWORD || !List.of("select", "insert", "update", "delete").contains(event)) {
            throw ps.syntaxErrorAt(e);
        }
        ps.expectKw("to");
        RangeVar table = ps.qualifiedName();
        Expr where = ps.acceptKw("where") ? ps.expr() : null;
        ps.expectKw("do");
        boolean instead = false;
        if (ps.acceptKw("instead")) {
            instead = true;
        } else {
            ps.acceptKw("also");
        }
        List<Statement> actions = new ArrayList<>();
        if (!ps.acceptKw("nothing")) {
            if (ps.acceptChar('(')) {
                while (!ps.acceptChar(')')) {
                    if (ps.acceptChar(';')) {
                        continue;
                    }
                    actions.add(action(ps));
                }
            } else {
                actions.add(action(ps));
            }
        }
        return new Ddl.CreateRule(pos, orReplace, name, event.toUpperCase(Locale.ROOT), table, where, instead,
                actions);
    }

    /** RuleActionStmt: SELECT, INSERT, UPDATE, DELETE or NOTIFY. */
    private static Statement action(DdlParser ps) {
        Token t = ps.peek();
        int pos = t.position();
        if (t.isChar('(')) {
            return ps.selectStmt();
        }
        switch (t.kind() == TokenKind.KEYWORD ? t.value() : "") {
            case "select", "values", "table", "with":
                return ps.selectStmt();
            case "insert":
                return ps.insert(pos, null);
            case "update":
                return ps.update(pos, null);
            case "delete":
                return ps.delete(pos, null);
            case "notify": {
                ps.next();
                String channel = ps.colId();
                String payload = ps.acceptChar(',') ? ps.sconst() : null;
                return new Utility.Notify(pos, channel, payload);
            }
            default:
                throw ps.syntaxErrorAt(t);
        }
    }
}
