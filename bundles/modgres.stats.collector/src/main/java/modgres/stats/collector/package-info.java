/**
 * The {@code collector} statistics collector (PostgreSQL 14's stats
 * collector process): processes queue their pending statistics, the
 * {@code stats collector} thread merges and applies them to the store.
 * Interchangeable live with any other {@link modgres.api.stats.StatsCollector}.
 */
// Names the slot this bundle fills, so the console finds it also while it is not started (modgres:impls, modgres:swap).
@Header(name = "Modgres-Implementation", value = "stats;name=collector")
package modgres.stats.collector;

import org.osgi.annotation.bundle.Header;
