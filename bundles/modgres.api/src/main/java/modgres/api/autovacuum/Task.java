package modgres.api.autovacuum;

/**
 * Work a policy asks for.
 *
 * @param table   the table
 * @param vacuum  run a vacuum
 * @param analyze run an analyze
 * @param freeze  freeze every tuple it can (wraparound protection)
 * @param reason  why, for the log at DEBUG and the console
 */
public record Task(TableInfo table, boolean vacuum, boolean analyze, boolean freeze, String reason) {
}
