/** The commit log: PostgreSQL's pg_xact/ SLRU, two bits per transaction id, WAL before data. Private. */
package modgres.txn.clog;
