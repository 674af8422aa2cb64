package modgres.api.control;

/**
 * PostgreSQL's {@code DBState}: what the cluster was doing when
 * {@code pg_control} was last written, in PostgreSQL's order (the ordinal is
 * PostgreSQL's numeric value) and with {@code pg_controldata}'s wording.
 */
public enum ClusterState {
    STARTING_UP("starting up"),
    SHUT_DOWN("shut down"),
    SHUT_DOWN_IN_RECOVERY("shut down in recovery"),
    SHUTTING_DOWN("shutting down"),
    IN_CRASH_RECOVERY("in crash recovery"),
    IN_ARCHIVE_RECOVERY("in archive recovery"),
    IN_PRODUCTION("in production");

    private final String label;

    ClusterState(String label) {
        this.label = label;
    }

    /** As {@code pg_controldata} prints it after {@code Database cluster state:}. */
    public String label() {
        return label;
    }

    /** The state with PostgreSQL's numeric value {@code code}. */
    public static ClusterState ofCode(int code) {
        ClusterState[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown cluster state " + code);
        }
        return all[code];
    }

    /** PostgreSQL's numeric value ({@code DB_STARTUP} = 0 ... {@code DB_IN_PRODUCTION} = 6). */
    public int code() {
        return ordinal();
    }
}
