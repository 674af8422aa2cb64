package modgres.sql.parser;

import modgres.sql.ast.Statement;

/**
 * One statement of a query string with its source span: {@code start} and
 * {@code end} are indexes in the string (end exclusive, before the
 * terminating semicolon), as the protocol needs for statement boundaries.
 */
public record ParsedStatement(Statement statement, String source, int start, int end) {

    /** The statement's own text. */
    public String text() {
        return source.substring(start, end);
    }

    /** 1-based character position of the statement's first token. */
    public int position() {
        return statement.position();
    }
}
