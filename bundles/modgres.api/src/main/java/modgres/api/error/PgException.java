package modgres.api.error;

/**
 * A failure reported with PostgreSQL's fields: SQLSTATE, primary message,
 * optional detail and hint. Messages follow PostgreSQL's style guide: lower
 * case, no trailing period for the primary message; full sentences for detail
 * and hint.
 */
public class PgException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;
    private final String detail;
    private final String hint;

    public PgException(String sqlState, String message) {
        this(sqlState, message, null, null, null);
    }

    public PgException(String sqlState, String message, String detail, String hint) {
        this(sqlState, message, detail, hint, null);
    }

    public PgException(String sqlState, String message, String detail, String hint, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.detail = detail;
        this.hint = hint;
    }

    /** The five-character SQLSTATE, e.g. {@code 22023}. */
    public String sqlState() {
        return sqlState;
    }

    /** The DETAIL line, or null. */
    public String detail() {
        return detail;
    }

    /** The HINT line, or null. */
    public String hint() {
        return hint;
    }
}
