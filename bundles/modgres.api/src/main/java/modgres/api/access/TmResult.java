package modgres.api.access;

/**
 * The outcome of a delete, update or row lock (PostgreSQL's {@code TM_Result}
 * with {@code TM_FailureData}).
 *
 * @param status  what happened
 * @param newTid  for {@link Status#OK} of an update: the new version; for
 *                {@link Status#UPDATED}: the newer version's tid (its {@code ctid})
 * @param xmax    for failures: the transaction that changed or locks the row
 * @param cmax    for {@link Status#SELF_MODIFIED}: the command id of the own change
 */
public record TmResult(Status status, long newTid, int xmax, int cmax) {

    public enum Status {
        /** Done. */
        OK,
        /** The tuple is not visible to the snapshot (or no longer exists). */
        INVISIBLE,
        /** Changed by the own transaction in this or a later command: skip it (PostgreSQL does). */
        SELF_MODIFIED,
        /** Updated by a committed transaction: {@link TmResult#newTid} is the newer version. */
        UPDATED,
        /** Deleted by a committed transaction. */
        DELETED,
        /** Another running transaction has changed or locked it and the caller did not want to wait. */
        BEING_MODIFIED,
        /** A lock could not be taken at once ({@code NOWAIT} / {@code SKIP LOCKED}). */
        WOULD_BLOCK
    }

    public static final TmResult OK = new TmResult(Status.OK, Tid.INVALID, 0, 0);

    public static TmResult ok(long newTid) {
        return new TmResult(Status.OK, newTid, 0, 0);
    }
}
