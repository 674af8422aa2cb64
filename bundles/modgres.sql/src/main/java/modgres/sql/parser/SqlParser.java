package modgres.sql.parser;

import java.util.List;

import modgres.sql.ast.Expr;
import modgres.sql.ast.Statement;
import modgres.sql.ast.TypeName;

/**
 * Entry point of the parser: a query string to statements with their source
 * spans, as PostgreSQL's raw parser does (the whole string is parsed before
 * any statement runs, so a syntax error anywhere rejects all of it). Errors
 * are {@link SqlSyntaxException}s with PostgreSQL's SQLSTATE, message and
 * position.
 */
public final class SqlParser {

    /** The statements of a string and the notices raised while scanning it. */
    public record Result(List<ParsedStatement> statements, List<ParserNotice> notices) {
    }

    private SqlParser() {
    }

    /** Parses a query string that may hold several statements separated by semicolons. */
    public static Result parseWithNotices(String sql) {
        Lexer lexer = new Lexer(sql);
        List<Token> tokens = lexer.scan();
        try {
            List<ParsedStatement> statements = new Parser(sql, tokens).statements();
            return new Result(statements, List.copyOf(lexer.notices()));
        } catch (StackOverflowError e) {
            throw stackDepthExceeded();
        }
    }

    /** PostgreSQL's error for input nested too deeply to parse (54001). */
    private static SqlSyntaxException stackDepthExceeded() {
        return new SqlSyntaxException("54001", "stack depth limit exceeded",
                "Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after ensuring the "
                        + "platform's stack depth limit is adequate.", 0);
    }

    /** Parses a query string that may hold several statements separated by semicolons. */
    public static List<ParsedStatement> parse(String sql) {
        return parseWithNotices(sql).statements();
    }

    /**
     * Parses a string holding exactly one statement (a trailing semicolon is
     * allowed), as the extended protocol's Parse message requires.
     */
    public static Statement parseStatement(String sql) {
        List<ParsedStatement> list = parse(sql);
        if (list.size() != 1) {
            throw new SqlSyntaxException("42601",
                    list.isEmpty() ? "empty query" : "cannot insert multiple commands into a prepared statement",
                    0);
        }
        return list.get(0).statement();
    }

    /** Parses a string holding one expression (for defaults, tests and tools). */
    public static Expr parseExpression(String sql) {
        try {
            return new Parser(sql, Lexer.tokenize(sql)).standaloneExpression();
        } catch (StackOverflowError e) {
            throw stackDepthExceeded();
        }
    }

    /** Parses a string holding one type name ({@code numeric(10,2)}, {@code int[]}). */
    public static TypeName parseTypeName(String sql) {
        return new Parser(sql, Lexer.tokenize(sql)).standaloneTypeName();
    }
}
