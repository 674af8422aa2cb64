package modgres.api.backend;

/**
 * What {@code pg_stat_activity} shows of one backend: PostgreSQL's
 * {@code PgBackendStatus}. Times are epoch milliseconds, 0 when not set.
 *
 * @param pid             the backend's (virtual) process id
 * @param database        the database name (null before authentication)
 * @param user            the role name (null before authentication)
 * @param applicationName {@code application_name}
 * @param clientAddress   the client's address, null for a Unix-domain socket
 * @param clientPort      the client's port, -1 for a Unix-domain socket
 * @param backendStart    when the connection was accepted
 * @param xactStart       when the current transaction began, 0 outside one
 * @param queryStart      when the current (or last) query began
 * @param stateChange     when {@code state} last changed
 * @param state           {@code active}, {@code idle}, {@code idle in transaction},
 *                        {@code idle in transaction (aborted)}, or null while starting
 * @param query           the current (or last) query's text
 * @param memory          the session's accounted memory, null when the backend has no session (yet) or keeps
 *                        no account (since 1.2)
 */
public record BackendStatus(long pid, String database, String user, String applicationName, String clientAddress,
        int clientPort, long backendStart, long xactStart, long queryStart, long stateChange, String state,
        String query, BackendMemory memory) {

    /** A status without a memory account (the 1.1 form). */
    public BackendStatus(long pid, String database, String user, String applicationName, String clientAddress,
            int clientPort, long backendStart, long xactStart, long queryStart, long stateChange, String state,
            String query) {
        this(pid, database, user, applicationName, clientAddress, clientPort, backendStart, xactStart, queryStart,
                stateChange, state, query, null);
    }
}
