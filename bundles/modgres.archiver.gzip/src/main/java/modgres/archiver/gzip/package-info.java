/**
 * The {@code gzip_archive} archive module: for each
 * {@code pg_wal/archive_status/*.ready} the archiver hands it, in WAL order,
 * writes the segment compressed ({@code <segment>.gz}, plain gzip) durably
 * and atomically into {@code gzip_archive.archive_directory}; interchangeable
 * live with any other modgres.archiver.* module.
 */
// Names the slot this bundle fills, so the console finds it also while it is not started (modgres:impls, modgres:swap).
@Header(name = "Modgres-Implementation", value = "archiver;name=gzip_archive")
package modgres.archiver.gzip;

import org.osgi.annotation.bundle.Header;
