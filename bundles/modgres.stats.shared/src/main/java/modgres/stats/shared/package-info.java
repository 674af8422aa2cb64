/**
 * The {@code shared_memory} statistics collector (PostgreSQL 15's way): a
 * process's pending statistics are applied to the store in its own thread
 * when it flushes them. Interchangeable live with any other
 * {@link modgres.api.stats.StatsCollector}.
 */
// Names the slot this bundle fills, so the console finds it also while it is not started (modgres:impls, modgres:swap).
@Header(name = "Modgres-Implementation", value = "stats;name=shared_memory")
package modgres.stats.shared;

import org.osgi.annotation.bundle.Header;
