package modgres.backend;

import modgres.api.error.PgException;

/**
 * An error that ends the session: sent to the client with severity FATAL,
 * logged, and the connection closed. {@code logDetail} goes to the server
 * log only (PostgreSQL's errdetail_log: the client must not learn why a
 * password was refused).
 */
final class FatalException extends PgException {
    private static final long serialVersionUID = 1L;

    private final String logDetail;

    FatalException(String sqlState, String message) {
        this(sqlState, message, null, null, null);
    }

    FatalException(String sqlState, String message, String detail, String hint, String logDetail) {
        super(sqlState, message, detail, hint);
        this.logDetail = logDetail;
    }

    /** The same error, made fatal (an error during start-up ends the session, as in PostgreSQL). */
    static FatalException of(PgException e) {
        if (e instanceof FatalException f) {
            return f;
        }
        return new FatalException(e.sqlState(), e.getMessage(), e.detail(), e.hint(), null);
    }

    String logDetail() {
        return logDetail != null ? logDetail : detail();
    }
}
