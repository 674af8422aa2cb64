/**
 * The {@code threshold} autovacuum policy: PostgreSQL 15's
 * {@code relation_needs_vacanalyze()} (dead-tuple, insert and analyze
 * thresholds with their scale factors, per-table storage parameters),
 * ordered by how far each table is over its threshold. Swappable live with
 * any other {@link modgres.api.autovacuum.AutovacuumPolicy}.
 */
// Names the slot this bundle fills, so the console finds it also while it is not started (modgres:impls, modgres:swap).
@Header(name = "Modgres-Implementation", value = "autovacuum;name=threshold")
package modgres.autovacuum.threshold;

import org.osgi.annotation.bundle.Header;
