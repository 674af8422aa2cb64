package modgres.api.server;

/**
 * The postmaster's state machine:
 *
 * <pre>
 *   STARTING ──▶ READY ──▶ STOPPING ──▶ STOPPED
 *       │                      ▲
 *       └──────(fatal)─────────┘
 * </pre>
 *
 * The word in parentheses is what line 8 of {@code postmaster.pid} says.
 */
public enum ServerState {
    /** Reading settings, recovering, starting components ("starting"). */
    STARTING("starting"),
    /** Accepting connections ("ready"). */
    READY("ready"),
    /** Shutting down ("stopping"). */
    STOPPING("stopping"),
    /** Shut down; the pid file is gone. */
    STOPPED("stopped");

    private final String pidFileStatus;

    ServerState(String pidFileStatus) {
        this.pidFileStatus = pidFileStatus;
    }

    public String pidFileStatus() {
        return pidFileStatus;
    }
}
