package modgres.api.autovacuum;

import modgres.api.stats.TableStats;

/**
 * A table with its statistics, what a policy decides on.
 *
 * @param table the catalog's view of it
 * @param stats its cumulative statistics, or null when nothing was counted yet
 */
public record Candidate(TableInfo table, TableStats stats) {
}
