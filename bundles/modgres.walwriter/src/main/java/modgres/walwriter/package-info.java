/**
 * PostgreSQL's WAL writer: every wal_writer_delay it writes and flushes the
 * WAL that backends inserted, bounding the loss window of asynchronous
 * commits; it hibernates when no WAL is being written.
 */
package modgres.walwriter;
