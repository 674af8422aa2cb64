package modgres.logger.internal.format;

import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;

/**
 * One record to write: the decoded record, the time it was logged (epoch
 * milliseconds) and the stack trace of its exception, or null.
 */
public record Message(LogRecord record, long time, String stackTrace) {

    /** The primary message; PostgreSQL's text when there is none. */
    public String text() {
        String m = record.message();
        return m == null || m.isEmpty() ? "missing error text" : m;
    }

    /** The DETAIL text: the record's detail, then the stack trace, each when present. */
    public String detail() {
        String d = record.detail();
        if (stackTrace == null) {
            return d;
        }
        return d == null ? stackTrace : d + "\n" + stackTrace;
    }

    public LogContext context() {
        return record.context();
    }

    /**
     * True when the record comes from a process that serves a client
     * connection (PostgreSQL's {@code MyProcPort != NULL}): such records get
     * {@code %u %d %a %h %r}, and {@code %q} does not cut their prefix.
     */
    public boolean isSession() {
        LogContext c = record.context();
        return c.user() != null || c.database() != null || c.remoteHost() != null || c.application() != null
                || "client backend".equals(c.processName()) || "walsender".equals(c.processName());
    }

    /** {@code %b}: the process name, "postmaster" when unknown. */
    public String backendType() {
        String n = record.context().processName();
        return n == null || n.isEmpty() ? "postmaster" : n;
    }

    /** The remote host without a {@code (port)} suffix ({@code %h}). */
    public String remoteHost() {
        String h = record.context().remoteHost();
        if (h == null) {
            return null;
        }
        int p = portStart(h);
        return p < 0 ? h : h.substring(0, p);
    }

    /** The remote port when the context's host reads {@code host(port)}, else null. */
    public String remotePort() {
        String h = record.context().remoteHost();
        if (h == null) {
            return null;
        }
        int p = portStart(h);
        return p < 0 ? null : h.substring(p + 1, h.length() - 1);
    }

    private static int portStart(String h) {
        if (!h.endsWith(")")) {
            return -1;
        }
        int p = h.lastIndexOf('(');
        return p > 0 ? p : -1;
    }
}
