/**
 * The {@code hotspot} autovacuum policy: for small, heavily updated tables
 * that bloat long before PostgreSQL's 20 % rule fires. Ranks tables by dead
 * tuples per page and vacuums a table when its dead tuples exceed
 * max(autovacuum_vacuum_threshold, 5 % of reltuples) or 20 per page.
 * Swappable live with any other {@link modgres.api.autovacuum.AutovacuumPolicy}.
 */
// Names the slot this bundle fills, so the console finds it also while it is not started (modgres:impls, modgres:swap).
@Header(name = "Modgres-Implementation", value = "autovacuum;name=hotspot")
package modgres.autovacuum.hotspot;

import org.osgi.annotation.bundle.Header;
