package modgres.api.sql;

/**
 * A NoticeResponse (or the fields of an ErrorResponse), with PostgreSQL's
 * field meanings. Unknown fields are null; {@code position} is 0 when none.
 */
public record Notice(String severity, String sqlState, String message, String detail, String hint, int position) {
}
