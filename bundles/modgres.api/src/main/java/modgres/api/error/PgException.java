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
    private final int position;
    private String context;

    public PgException(String sqlState, String message) {
        this(sqlState, message, null, null, null);
    }

    public PgException(String sqlState, String message, String detail, String hint) {
        this(sqlState, message, detail, hint, null);
    }

    public PgException(String sqlState, String message, String detail, String hint, Throwable cause) {
        this(sqlState, message, detail, hint, 0, cause);
    }

    /**
     * @param position 1-based character position in the query text the error refers to
     *                 (ErrorResponse field P; psql draws the caret there), 0 for none
     */
    public PgException(String sqlState, String message, String detail, String hint, int position,
            Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.detail = detail;
        this.hint = hint;
        this.position = position;
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

    /** 1-based character position in the query text, 0 when none. */
    public int position() {
        return position;
    }

    /**
     * The CONTEXT lines (ErrorResponse field W: where the error happened,
     * innermost first, one per line), or null.
     *
     * @since 1.2
     */
    public String context() {
        return context;
    }

    /**
     * Adds a CONTEXT line below those already there (PostgreSQL's
     * {@code errcontext}, called by each enclosing error context callback)
     * and returns this exception, for {@code throw e.addContext(...)}.
     *
     * @since 1.2
     */
    public PgException addContext(String line) {
        context = context == null ? line : context + "\n" + line;
        return this;
    }
}
