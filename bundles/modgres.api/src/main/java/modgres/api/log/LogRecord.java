package modgres.api.log;

/**
 * One decoded server log record.
 *
 * @param severity PostgreSQL severity
 * @param sqlState SQLSTATE ({@code %e}); {@code 00000} when none applies
 * @param context  who logged it
 * @param message  primary message
 * @param detail   DETAIL line or null
 * @param hint      HINT line or null
 * @param statement the statement the record is about (PostgreSQL's STATEMENT line, debug_query_string), or null
 */
public record LogRecord(Severity severity, String sqlState, LogContext context, String message, String detail,
        String hint, String statement) {

    /** A record without a statement. */
    public LogRecord(Severity severity, String sqlState, LogContext context, String message, String detail,
            String hint) {
        this(severity, sqlState, context, message, detail, hint, null);
    }
}
