/**
 * Autovacuum: the launcher and its workers (bundle modgres.autovacuum) ask
 * the active {@link modgres.api.autovacuum.AutovacuumPolicy} (a swappable
 * slot) which tables need a vacuum or an analyze, and run them through the
 * SQL engine's {@link modgres.api.autovacuum.Maintenance} service. The
 * bookkeeping a policy decides on (dead tuples, inserts and changes since
 * the last vacuum and analyze, reltuples) lives in the statistics store and
 * the catalog, never in a policy, so swapping one loses nothing.
 */
@Export
@Version("1.2.0")
package modgres.api.autovacuum;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
