package modgres.api.autovacuum;

/**
 * Work a policy asks for.
 *
 * @param table   the table
 * @param vacuum  run a vacuum
 * @param analyze run an analyze
 * @param freeze  freeze every tuple it can (wraparound protection)
 * @param reason  why, for the log at DEBUG and the console
 * @param wraparound an anti-wraparound vacuum: the table's relfrozenxid is
 *                older than {@code autovacuum_freeze_max_age}; the launcher
 *                asks for it whatever the policy and autovacuum say
 */
public record Task(TableInfo table, boolean vacuum, boolean analyze, boolean freeze, String reason,
        boolean wraparound) {

    /** A task a policy asks for (not an anti-wraparound one). */
    public Task(TableInfo table, boolean vacuum, boolean analyze, boolean freeze, String reason) {
        this(table, vacuum, analyze, freeze, reason, false);
    }
}
