package modgres.api.autovacuum;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import modgres.api.settings.Settings;

/**
 * Decides which tables of a database autovacuum works on and in which order
 * (the launcher runs the tasks most urgent first on up to
 * {@code autovacuum_max_workers} workers). Stateless by contract: everything
 * it decides on comes in as arguments, so implementations can replace one
 * another while the server runs.
 */
@ConsumerType
public interface AutovacuumPolicy {

    /** Service property: the policy's name as the console shows it. */
    String NAME = "modgres.autovacuum.policy";

    String name();

    /**
     * The tasks for one database's tables, most urgent first. Tables whose
     * {@code autovacuum_enabled} storage parameter is false are skipped (except
     * for wraparound protection).
     */
    List<Task> choose(List<Candidate> tables, Settings settings);
}
