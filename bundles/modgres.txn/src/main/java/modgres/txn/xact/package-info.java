/**
 * Transaction ids and their life: id and OID assignment with wraparound limits,
 * the running set and snapshots, commit/abort records and their redo. Private.
 */
package modgres.txn.xact;
