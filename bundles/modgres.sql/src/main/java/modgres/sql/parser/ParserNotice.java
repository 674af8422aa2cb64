package modgres.sql.parser;

/**
 * A notice raised while scanning, e.g. {@code identifier "..." will be
 * truncated to "..."} (42622), to be sent to the client before the results.
 */
public record ParserNotice(String sqlState, String message, int position) {
}
