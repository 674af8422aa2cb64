/**
 * The transaction bundle's Declarative Services components:
 * {@link modgres.txn.TransactionManagerComponent} (transaction ids, pg_xact,
 * snapshots, OIDs; redo of XACT and CLOG records; pg_xact at checkpoints) and
 * {@link modgres.txn.LockManagerComponent} (heavyweight locks). Private.
 */
package modgres.txn;
