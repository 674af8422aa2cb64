/**
 * Between a backend (the wire protocol) and the SQL engine: a session per
 * connection that runs simple and extended queries and reports results
 * through a {@link modgres.api.sql.ResultSink}. The engine knows nothing of
 * the protocol's bytes; the backend knows nothing of SQL.
 */
@Export
@Version("1.2.0")
package modgres.api.sql;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
