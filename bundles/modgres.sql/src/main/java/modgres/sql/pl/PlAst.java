package modgres.sql.pl;

import java.util.List;

/**
 * The statements of a PL/pgSQL function body as {@link PlParser} builds them. Every SQL fragment
 * (expression, query, statement) is kept as a {@link Sql}: its text and the tokens the interpreter replaces
 * variable references in. {@code line} is the statement's line in the body (1 = the body's first line), for
 * CONTEXT lines.
 */
public final class PlAst {
    private PlAst() {
    }

    /** A SQL fragment of the body: its text (as written) and where it starts in the body. */
    public record Sql(String text, int offset) {
    }

    /** A declared variable: a scalar of a type, a record, or a row of a table's columns. */
    public record Decl(String name, String typeText, boolean constant, boolean notNull, Sql defaultValue,
            int line, String aliasOf) {
    }

    /** An assignment target: a variable, or a record's field ({@code field} non-null). */
    public record Target(String name, String field) {
        public String text() {
            return field == null ? name : name + "." + field;
        }
    }

    /** Base of all statements. */
    public sealed interface Stmt permits Block, Assign, If, Case, Loop, While, ForInt, ForQuery, Foreach, Exit,
            Return, ReturnNext, ReturnQuery, Perform, ExecSql, Dynamic, Raise, GetDiag, Null, Commit {
        int line();

        /** The words PostgreSQL's CONTEXT line names the statement with ("at RETURN"). */
        String what();
    }

    /** An exception handler: the condition names (lower case) or SQLSTATEs ({@code sqlstate:XXXXX}). */
    public record Handler(List<String> conditions, List<Stmt> body) {
    }

    public record Block(int line, String label, List<Decl> decls, List<Stmt> body, List<Handler> handlers)
            implements Stmt {
        public String what() {
            return "statement block";
        }
    }

    public record Assign(int line, Target target, Sql expr, String source) implements Stmt {
        public String what() {
            return "assignment";
        }
    }

    public record If(int line, List<Sql> conds, List<List<Stmt>> bodies, List<Stmt> elseBody) implements Stmt {
        public String what() {
            return "IF";
        }
    }

    /** CASE [selector] WHEN a, b THEN ... ; conds are lists of expressions (searched CASE: one condition). */
    public record Case(int line, Sql selector, List<List<Sql>> whens, List<List<Stmt>> bodies, List<Stmt> elseBody)
            implements Stmt {
        public String what() {
            return "CASE";
        }
    }

    public record Loop(int line, String label, List<Stmt> body) implements Stmt {
        public String what() {
            return "LOOP";
        }
    }

    public record While(int line, String label, Sql cond, List<Stmt> body) implements Stmt {
        public String what() {
            return "WHILE";
        }
    }

    public record ForInt(int line, String label, String var, boolean reverse, Sql lower, Sql upper, Sql by,
            List<Stmt> body) implements Stmt {
        public String what() {
            return "FOR with integer loop variable";
        }
    }

    /** FOR targets IN query | EXECUTE expr [USING ...] LOOP. */
    public record ForQuery(int line, String label, List<Target> targets, Sql query, Sql dynamic, List<Sql> using,
            List<Stmt> body) implements Stmt {
        public String what() {
            return dynamic != null ? "FOR over EXECUTE statement" : "FOR over SELECT rows";
        }
    }

    public record Foreach(int line, String label, List<Target> targets, int slice, Sql array, List<Stmt> body)
            implements Stmt {
        public String what() {
            return "FOREACH over array";
        }
    }

    public record Exit(int line, boolean isContinue, String label, Sql when) implements Stmt {
        public String what() {
            return isContinue ? "CONTINUE" : "EXIT";
        }
    }

    public record Return(int line, Sql expr) implements Stmt {
        public String what() {
            return "RETURN";
        }
    }

    public record ReturnNext(int line, Sql expr) implements Stmt {
        public String what() {
            return "RETURN NEXT";
        }
    }

    public record ReturnQuery(int line, Sql query, Sql dynamic, List<Sql> using) implements Stmt {
        public String what() {
            return "RETURN QUERY";
        }
    }

    public record Perform(int line, Sql query) implements Stmt {
        public String what() {
            return "PERFORM";
        }
    }

    /** A SQL statement, with its INTO targets (removed from the text) when it has them. */
    public record ExecSql(int line, Sql sql, List<Target> into, boolean strict) implements Stmt {
        public String what() {
            return "SQL statement";
        }
    }

    public record Dynamic(int line, Sql command, List<Target> into, boolean strict, List<Sql> using)
            implements Stmt {
        public String what() {
            return "EXECUTE";
        }
    }

    /** RAISE level [condition | SQLSTATE 'x' | 'format' , args] [USING option = expr, ...]. */
    public record Raise(int line, String level, String condition, String format, List<Sql> args,
            List<String> optionNames, List<Sql> optionValues) implements Stmt {
        public String what() {
            return "RAISE";
        }
    }

    /** GET [CURRENT|STACKED] DIAGNOSTICS target = item, ...; items upper case. */
    public record GetDiag(int line, boolean stacked, List<Target> targets, List<String> items) implements Stmt {
        public String what() {
            return "GET DIAGNOSTICS";
        }
    }

    public record Null(int line) implements Stmt {
        public String what() {
            return "NULL";
        }
    }

    /** COMMIT / ROLLBACK inside a procedure (not supported: reported when run). */
    public record Commit(int line, boolean rollback) implements Stmt {
        public String what() {
            return rollback ? "ROLLBACK" : "COMMIT";
        }
    }
}
