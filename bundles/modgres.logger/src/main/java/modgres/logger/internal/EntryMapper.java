package modgres.logger.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.osgi.service.log.LogLevel;

import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.logger.internal.format.Message;

/*
 * A Modgres entry carries its PostgreSQL severity, SQLSTATE and context in a
 * header (ServerLog.encode). Any other entry - SCR's errors, the framework's
 * events, a third-party bundle - is a "foreign" record: it is attributed to
 * the postmaster, its severity comes from its Log Service level
 *
 *   AUDIT -> LOG, ERROR -> ERROR, WARN -> WARNING, INFO -> INFO,
 *   DEBUG -> DEBUG1, TRACE -> DEBUG2
 *
 * except that the Log Service's own reports of framework, bundle and service
 * events (loggers "Events.Framework.*", "Events.Bundle.*", "Events.Service.*":
 * "BundleEvent STARTED" and the like, INFO or DEBUG) count one step lower,
 * DEBUG1 and DEBUG2: they are the OSGi analogue of PostgreSQL's DEBUG1
 * "starting background worker process" lines, and would otherwise fill a log
 * kept at log_min_messages = info. A FrameworkEvent ERROR stays an ERROR;
 * its SQLSTATE is what PostgreSQL's errstart() defaults to for that severity
 * (XX000 for ERROR, 01000 for WARNING, else 00000), and its text is prefixed
 * with the bundle's symbolic name (unless it names the bundle already, as
 * SCR's messages do) so that the reader knows where it came from.
 * An exception, from either kind, becomes the DETAIL of the record: its stack
 * trace after the record's own detail.
 */

/** Turns Log Service entries into server log records. */
public final class EntryMapper {
    private final long postmasterPid;

    public EntryMapper(long postmasterPid) {
        this.postmasterPid = postmasterPid;
    }

    public Message map(Entry e) {
        LogRecord r = ServerLog.decode(e.message());
        if (r == null) {
            r = foreign(e);
        }
        return new Message(r, e.time(), e.exception() == null ? null : stackTrace(e.exception()));
    }

    LogRecord foreign(Entry e) {
        Severity s = severity(e.level());
        if (e.logger() != null && e.logger().startsWith("Events.")) {
            s = switch (s) {
                case INFO -> Severity.DEBUG1;
                case DEBUG1 -> Severity.DEBUG2;
                default -> s;
            };
        }
        String sqlState = switch (s) {
            case ERROR -> "XX000";
            case WARNING -> "01000";
            default -> "00000";
        };
        String text = e.message() == null ? "" : e.message();
        if (e.bundle() != null && !e.bundle().isEmpty() && !text.contains(e.bundle())) {
            text = text.isEmpty() ? e.bundle() : e.bundle() + ": " + text;
        }
        if (text.isEmpty() && e.exception() != null) {
            text = String.valueOf(e.exception());
        }
        return new LogRecord(s, sqlState, LogContext.process(postmasterPid, "postmaster"), text, null, null);
    }

    public static Severity severity(LogLevel level) {
        if (level == null) {
            return Severity.LOG;
        }
        return switch (level) {
            case AUDIT -> Severity.LOG;
            case ERROR -> Severity.ERROR;
            case WARN -> Severity.WARNING;
            case INFO -> Severity.INFO;
            case DEBUG -> Severity.DEBUG1;
            case TRACE -> Severity.DEBUG2;
        };
    }

    /** The Log Service level that {@link ServerLog} uses for a severity. */
    public static LogLevel level(Severity s) {
        return switch (s) {
            case LOG, FATAL, PANIC -> LogLevel.AUDIT;
            case ERROR -> LogLevel.ERROR;
            case WARNING -> LogLevel.WARN;
            case NOTICE, INFO -> LogLevel.INFO;
            case DEBUG1 -> LogLevel.DEBUG;
            default -> LogLevel.TRACE;
        };
    }

    static String stackTrace(Throwable t) {
        StringWriter sw = new StringWriter();
        try (PrintWriter pw = new PrintWriter(sw)) {
            t.printStackTrace(pw);
        }
        String s = sw.toString().replace("\r\n", "\n");
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(0, end);
    }
}
