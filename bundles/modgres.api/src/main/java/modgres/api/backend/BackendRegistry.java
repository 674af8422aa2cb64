package modgres.api.backend;

import org.osgi.annotation.versioning.ProviderType;

/** The postmaster's table of backends, as the backends use it. */
@ProviderType
public interface BackendRegistry {

    /** Routes a CancelRequest to the backend with that pid (PostgreSQL checks the key there). */
    void cancel(long pid, int key);

    /** A backend ended; its slot is free again. */
    void exited(BackendHandle backend);

    /**
     * Why new sessions are refused right now, or null when they are welcome:
     * {@code 57P03 the database system is starting up}, {@code 57P03 the
     * database system is shutting down}, {@code 53300 sorry, too many clients
     * already}. The backend sends it as FATAL after reading the startup packet
     * (so that CancelRequests still work).
     */
    modgres.api.error.PgException admissionProblem(boolean superuser);
}
