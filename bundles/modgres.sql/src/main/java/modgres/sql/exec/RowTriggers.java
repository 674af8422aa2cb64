package modgres.sql.exec;

/**
 * The triggers of a table as a ModifyTable fires them (PostgreSQL's trigger.c calls from nodeModifyTable.c):
 * statement triggers when the statement starts and ends, BEFORE ROW triggers before each row is written (they
 * may change the new row or skip it: null / false), AFTER ROW triggers queued per row and fired, in order,
 * when the statement ends. Rows are the table's attributes (an UPDATE/DELETE scan row may carry more
 * columns after them). Implemented by the engine, which runs the trigger functions and keeps the
 * transition tables (REFERENCING OLD/NEW TABLE) of the statement.
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

    /**
     * The row triggers of {@code member} for event {@code op} within this statement: an inheritance child or
     * partition the statement writes (rows routed into a partition, the members of an UPDATE/DELETE through
     * a parent), or the source (DELETE) and destination (INSERT) of a row an UPDATE moves. Statement triggers
     * of the member do not fire; its AFTER ROW events join this statement's queue and, for the statement's own
     * event, its rows the statement's transition tables.
     */
    default RowTriggers forMember(modgres.sql.catalog.Relation member, String op) {
        return null;
    }

    /**
     * The partition constraint of the relation these triggers fire on: a BEFORE ROW trigger inherited from a
     * partitioned table that makes the row leave the partition is PostgreSQL's 0A000 "moving row to another
     * partition during a BEFORE FOR EACH ROW trigger is not supported".
     */
    default void partitionCheck(java.util.function.Predicate<Object[]> holds) {
    }

    /** The queued AFTER ROW events now (afterStatement fires them first anyway). */
    default void fireQueuedRows(ExecState ex) {
    }

    /** An UPDATE moved a row between partitions: its old and new versions for the UPDATE's transition tables. */
    default void movedRow(Object[] oldTopRow, Object[] newTopRow) {
    }
}
