package modgres.sql.parser;

import modgres.api.error.PgException;

/**
 * An error found while scanning or parsing SQL, with the 1-based character
 * position in the query string that PostgreSQL sends in the error's
 * {@code P} field (0 when the error has no position, e.g. an invalid byte
 * sequence).
 */
public class SqlSyntaxException extends PgException {
    private static final long serialVersionUID = 1L;

    /** SQLSTATE 42601. */
    public static final String SYNTAX_ERROR = "42601";

    private final int position;

    public SqlSyntaxException(String sqlState, String message, int position) {
        this(sqlState, message, null, position);
    }

    public SqlSyntaxException(String sqlState, String message, String hint, int position) {
        super(sqlState, message, null, hint);
        this.position = position;
    }

    /** 1-based character offset of the error in the query string, or 0. */
    public int position() {
        return position;
    }
}
