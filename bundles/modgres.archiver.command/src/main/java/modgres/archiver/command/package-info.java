/**
 * PostgreSQL's archiver with shell archiving: for each
 * {@code pg_wal/archive_status/*.ready}, in WAL order, runs
 * {@code archive_command} and commits by renaming the {@code .ready} to
 * {@code .done}; interchangeable live with any other modgres.archiver.*.
 */
// Names the slot this bundle fills, so the console finds it also while it is not started (modgres:impls, modgres:swap).
@Header(name = "Modgres-Implementation", value = "archiver;name=shell")
package modgres.archiver.command;

import org.osgi.annotation.bundle.Header;
