package modgres.api.log;

/**
 * Who a log record speaks for: the (virtual) process id and name, and for a
 * backend its session. Fills {@code log_line_prefix} escapes
 * ({@code %p %u %d %a %c %h ...}). Fields not known are null.
 *
 * @param pid         process id shown as {@code %p}
 * @param processName the process's name as PostgreSQL names it (postmaster, checkpointer, client backend, ...)
 * @param user        {@code %u}
 * @param database    {@code %d}
 * @param application {@code %a}
 * @param sessionId   {@code %c}
 * @param remoteHost  {@code %h}
 */
public record LogContext(long pid, String processName, String user, String database, String application,
        String sessionId, String remoteHost) {

    /** A context for a background process: no session fields. */
    public static LogContext process(long pid, String processName) {
        return new LogContext(pid, processName, null, null, null, null, null);
    }
}
