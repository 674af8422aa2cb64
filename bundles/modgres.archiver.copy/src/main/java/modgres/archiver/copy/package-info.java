/**
 * PostgreSQL's archiver with the basic_archive module: for each
 * {@code pg_wal/archive_status/*.ready}, in WAL order, copies the segment
 * durably and atomically into {@code basic_archive.archive_directory} and
 * commits by renaming the {@code .ready} to {@code .done}; interchangeable
 * live with any other modgres.archiver.*.
 */
// Names the slot this bundle fills, so the console finds it also while it is not started (modgres:impls, modgres:swap).
@Header(name = "Modgres-Implementation", value = "archiver;name=basic_archive")
package modgres.archiver.copy;

import org.osgi.annotation.bundle.Header;
