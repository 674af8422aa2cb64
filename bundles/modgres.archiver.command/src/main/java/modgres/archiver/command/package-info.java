/**
 * PostgreSQL's archiver with shell archiving: for each
 * {@code pg_wal/archive_status/*.ready}, in WAL order, runs
 * {@code archive_command} and commits by renaming the {@code .ready} to
 * {@code .done}; interchangeable live with any other modgres.archiver.*.
 */
package modgres.archiver.command;
