package modgres.sql.exec;

/**
 * The triggers of a table as a ModifyTable fires them (PostgreSQL's trigger.c calls from nodeModifyTable.c):
 * statement triggers when the statement starts and ends, BEFORE ROW triggers before each row is written (they
 * may change the new row or skip it: null / false), AFTER ROW triggers queued per row and fired, in order,
 * when the statement ends. Rows are the table's attributes (an UPDATE/DELETE scan row may carry more
 * columns after them). Implemented by the engine, which runs the trigger functions.
 */
public interface RowTriggers {
    /**
     * UPDATE: which attributes the statement's SET assigns (UPDATE OF columns fire when one of theirs is
     * assigned); called before {@link #beforeStatement}.
     */
    default void updateTargets(boolean[] assigned) {
    }

    /** BEFORE STATEMENT triggers of the statement's event. */
    void beforeStatement(ExecState ex);

    /** BEFORE ROW INSERT: the row to insert, or null to skip it. */
    Object[] beforeInsert(ExecState ex, Object[] row);

    /** BEFORE ROW UPDATE: the new row to write, or null to skip the update of this row. */
    Object[] beforeUpdate(ExecState ex, Object[] oldRow, Object[] newRow);

    /** BEFORE ROW DELETE: false skips the delete of this row. */
    boolean beforeDelete(ExecState ex, Object[] oldRow);

    /** A row was written: queues the AFTER ROW triggers (old null for INSERT, new null for DELETE). */
    void afterRow(ExecState ex, Object[] oldRow, Object[] newRow);

    /** The statement's rows are all written: the queued AFTER ROW triggers, then AFTER STATEMENT triggers. */
    void afterStatement(ExecState ex);
}
