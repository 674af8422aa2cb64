/**
 * Cumulative statistics (PostgreSQL's pgstat): processes count what they do
 * into their own {@link modgres.api.stats.PendingStats} and hand it to the
 * active {@link modgres.api.stats.StatsCollector} (a swappable slot: more
 * than one implementation exists and one can replace another while the
 * server runs); the collector applies it to the
 * {@link modgres.api.stats.StatsStore}, which is owned by a bundle that is
 * never swapped, so a swap resets no counter. The {@code pg_stat_*} views
 * read the store.
 */
@Export
@Version("1.0.0")
package modgres.api.stats;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
