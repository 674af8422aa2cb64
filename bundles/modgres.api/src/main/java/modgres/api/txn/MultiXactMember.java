package modgres.api.txn;

/**
 * One member of a MultiXact: a transaction id and what it does to the row.
 *
 * @param xid    the (sub)transaction id of the member
 * @param status its lock strength or kind of update
 */
public record MultiXactMember(int xid, MultiXactStatus status) {
}
