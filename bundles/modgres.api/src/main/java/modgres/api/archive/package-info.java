/**
 * Archive modules (PostgreSQL's archive_library): the archiver process
 * (bundle modgres.archiver) runs the {@code archive_status} .ready/.done
 * protocol and hands each completed WAL segment to the active
 * {@link modgres.api.archive.ArchiveModule}, which can be swapped while the
 * server runs.
 */
@Export
@Version("1.0.0")
package modgres.api.archive;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
