package modgres.api.txn;

/**
 * The session side of visibility: which transaction ids are "mine" (PostgreSQL's
 * {@code TransactionIdIsCurrentTransactionId}): the top-level id and every
 * subtransaction id of the session's transaction that has not been rolled back.
 */
@FunctionalInterface
public interface CurrentTransaction {

    /** Nobody's: for snapshots taken outside any transaction (recovery, tools). */
    CurrentTransaction NONE = xid -> false;

    boolean isCurrent(int xid);
}
