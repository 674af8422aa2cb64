/** Page I/O on SLRU segment files (pg_xact, pg_multixact): shared by their owners' caches. Private. */
package modgres.txn.slru;
