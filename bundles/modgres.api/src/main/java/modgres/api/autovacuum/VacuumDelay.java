package modgres.api.autovacuum;

/**
 * PostgreSQL's {@code vacuum_delay_point()}: a vacuum or analyze calls it for
 * every page it handled, with what that page cost; the cost-based delay
 * sleeps when the balance reaches the limit. May throw
 * {@link java.util.concurrent.CancellationException} to stop the work (the
 * worker is shutting down); the work then ends safely at a page boundary.
 */
@FunctionalInterface
public interface VacuumDelay {

    /** No delay (a manual VACUUM with vacuum_cost_delay = 0). */
    VacuumDelay NONE = (hit, miss, dirtied) -> { };

    void point(int pagesHit, int pagesMissed, int pagesDirtied);
}
