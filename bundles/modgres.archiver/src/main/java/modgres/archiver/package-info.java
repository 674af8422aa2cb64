/**
 * PostgreSQL's archiver process: the archive_status .ready/.done protocol and
 * the archive counters, over swappable archive modules (modgres.api.archive).
 */
package modgres.archiver;
