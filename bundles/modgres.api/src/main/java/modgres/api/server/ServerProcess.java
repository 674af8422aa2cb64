package modgres.api.server;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A component that runs as one of PostgreSQL's processes (logger,
 * checkpointer, background writer, ...). Implementations register this
 * service; the postmaster starts them in {@link #ORDER} order once the server
 * is initialised (and at once when one arrives later, e.g. after a hot swap),
 * and stops them in reverse order at shutdown.
 *
 * <p>A component must do no work before {@link #start()} and must stop its
 * threads in {@link #stop(ShutdownMode)} and when it is deactivated.
 */
@ConsumerType
public interface ServerProcess {

    /** Service property: the start position (lower first), an Integer. */
    String ORDER = "modgres.process.order";

    /** Service property: the process name, a String. */
    String NAME = "modgres.process.name";

    String processName();

    /** Virtual pid (from {@link ProcessIds}). */
    long pid();

    void start();

    void stop(ShutdownMode mode);

    List<Thread> threads();

    /** False when the process died and should be restarted by the postmaster. */
    default boolean isAlive() {
        return true;
    }
}
