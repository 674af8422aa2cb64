/**
 * PostgreSQL's archiver with the basic_archive module: for each
 * {@code pg_wal/archive_status/*.ready}, in WAL order, copies the segment
 * durably and atomically into {@code basic_archive.archive_directory} and
 * commits by renaming the {@code .ready} to {@code .done}; interchangeable
 * live with any other modgres.archiver.*.
 */
package modgres.archiver.copy;
