package modgres.api.txn;

/** The state of a transaction id as the commit log ({@code pg_xact}) records it, two bits per id. */
public enum XidStatus {
    IN_PROGRESS,
    COMMITTED,
    ABORTED,
    /** Committed subtransaction whose parent has not finished yet. */
    SUB_COMMITTED
}
