package modgres.api.server;

import java.util.Locale;

/** PostgreSQL's shutdown modes (SIGTERM, SIGINT, SIGQUIT). */
public enum ShutdownMode {
    /** Wait for clients to disconnect, then shut down cleanly. */
    SMART,
    /** Cancel sessions, then shut down cleanly (checkpoint). */
    FAST,
    /** Stop at once without a checkpoint; the next start recovers. */
    IMMEDIATE;

    public String pgName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ShutdownMode parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
