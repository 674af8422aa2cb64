/**
 * Errors that carry a PostgreSQL SQLSTATE, so that every layer reports
 * failures the way PostgreSQL does (code, message, detail, hint, context).
 */
@Export
@Version("1.2.0")
package modgres.api.error;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
