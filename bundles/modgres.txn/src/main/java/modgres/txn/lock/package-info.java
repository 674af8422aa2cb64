/** The heavyweight lock table: eight modes, FIFO queues, lock_timeout, deadlock detection. Private. */
package modgres.txn.lock;
