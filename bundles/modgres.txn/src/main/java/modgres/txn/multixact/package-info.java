/** MultiXacts: PostgreSQL's pg_multixact/ (offsets and members SLRUs), their WAL record and redo. Private. */
package modgres.txn.multixact;
