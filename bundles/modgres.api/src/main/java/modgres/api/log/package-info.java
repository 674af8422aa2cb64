/**
 * Server log records with PostgreSQL's severities and context, carried over
 * the OSGi Log Service. Components log through {@link modgres.api.log.ServerLog};
 * the logger bundle decodes the records and writes PostgreSQL-style lines.
 */
@Export
@Version("1.1.0")
package modgres.api.log;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
