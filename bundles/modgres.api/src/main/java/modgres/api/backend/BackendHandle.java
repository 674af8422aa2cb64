package modgres.api.backend;

import org.osgi.annotation.versioning.ProviderType;

/** The postmaster's view of one running backend. */
@ProviderType
public interface BackendHandle {

    /** The backend's (virtual) pid, sent to the client in BackendKeyData. */
    long pid();

    /** The secret key of BackendKeyData. */
    int cancelKey();

    /** The backend's thread. */
    Thread thread();

    /**
     * What {@code ps} would show after {@code postgres: }, e.g.
     * {@code alice shop 127.0.0.1(51234) idle}; before authentication
     * {@code [unknown] 127.0.0.1(51234) authentication}.
     */
    String activity();

    /** Cancels the running query when {@code key} matches (57014); otherwise nothing happens. */
    void cancel(int key);

    /**
     * Ends the session: sends FATAL {@code 57P01 terminating connection due to
     * administrator command} at the next safe point and closes the connection.
     */
    void terminate();

    /** The data behind {@code pg_stat_activity}; null when the implementation keeps none. */
    default BackendStatus status() {
        return null;
    }
}
