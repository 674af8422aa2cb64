package modgres.api.access;

/**
 * What a tuple is to a uniqueness check or a conflict check, whatever the
 * snapshot ({@code HeapTupleSatisfiesDirty}).
 *
 * @param kind what the check found
 * @param xid  for the in-progress kinds: the transaction to wait for
 */
public record TupleState(Kind kind, int xid) {

    public enum Kind {
        /** Deleted by a committed transaction, or inserted by an aborted one (or gone): no conflict. */
        DEAD,
        /** Inserted by a committed transaction (or the own) and not deleted: a conflict. */
        LIVE,
        /** Inserted by a transaction still running: wait for {@link TupleState#xid}, then check again. */
        INSERT_IN_PROGRESS,
        /** Deleted by a transaction still running: wait for {@link TupleState#xid}, then check again. */
        DELETE_IN_PROGRESS
    }

    public static final TupleState DEAD = new TupleState(Kind.DEAD, 0);
    public static final TupleState LIVE = new TupleState(Kind.LIVE, 0);
}
