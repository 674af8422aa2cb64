package modgres.sql.pl;

import java.util.List;

/**
 * What the PL/pgSQL interpreter needs of the SQL engine (PostgreSQL's SPI): running SQL with parameters,
 * types, casts, text I/O, messages and subtransactions. Implemented by the engine for one session.
 */
public interface PlRuntime {
    /** The result of a statement: column names and types, the rows (null for none), rows processed. */
    record Rows(List<String> names, int[] types, List<Object[]> rows, long processed) {
    }

    /**
     * An error reported at a position inside a statement the function ran (a parse or planning error):
     * PostgreSQL reports such a statement as the error's internal query, not as a CONTEXT line.
     */
    final class InternalQueryError extends modgres.api.error.PgException {
        private static final long serialVersionUID = 1L;

        public InternalQueryError(modgres.api.error.PgException e) {
            super(e.sqlState(), e.getMessage(), e.detail(), e.hint(), 0, e.getCause());
            if (e.context() != null) {
                addContext(e.context());
            }
        }
    }

    /** Runs one SQL statement whose {@code $n} parameters have the given types and values. */
    Rows run(String sql, int[] paramTypes, Object[] params);

    /** The OID and typmod of a type as written in a declaration ({@code integer}, {@code varchar(10)}). */
    int[] type(String typeText);

    /** The columns of a table ({@code t%ROWTYPE}): names and types; 42P01 when there is none. */
    Rows rowType(String table);

    /** Assignment coercion of a value from one type to another (42804 / 22P02 as PostgreSQL). */
    Object assign(Object v, int from, int to, int typmod);

    /** The text form of a non-null value. */
    String text(int type, Object v);

    /** A message of level debug/log/info/notice/warning sent to the client (as client_min_messages allows). */
    void notice(String level, String sqlState, String message, String detail, String hint);

    /** Starts a subtransaction (a BEGIN ... EXCEPTION block); the token is given back to end it. */
    Object subBegin();

    void subCommit(Object token);

    void subRollback(Object token);

    /** Checks for a cancel request or statement timeout. */
    void checkCancel();
}
