package modgres.api.log;

import java.util.Objects;

import org.osgi.service.log.Logger;

/*
 * Design notes
 * ------------
 * Every component logs through the OSGi Log Service, so that any Log Service
 * reader sees our records and the logger bundle can be replaced. The Log
 * Service knows six levels and no context; PostgreSQL needs twelve severities,
 * an SQLSTATE, a detail, a hint and the process/session of the record. This
 * class carries those in a header in front of the message text:
 *
 *   RS "MG1" US severity US sqlstate US pid US process US user US database
 *   US application US session US host US detail US hint [US statement] RS message
 *
 * (RS = U+001E, US = U+001F; those characters are removed from the fields.)
 * decode() turns such a message back into a LogRecord; a message without the
 * header (from a bundle that is not ours) decodes as a LOG/WARNING/... record
 * from its Log Service level. The Log Service level is chosen so that
 * readers that ignore the header still see a sensible level: LOG, FATAL and
 * PANIC are AUDIT (always recorded), ERROR is error, WARNING warn,
 * NOTICE/INFO info, DEBUG1 debug, DEBUG2..5 trace.
 */

/** A component's handle on the server log, bound to one {@link LogContext}. */
public final class ServerLog {
    private static final char RS = '\u001e';
    private static final char US = '\u001f';
    private static final String MAGIC = RS + "MG1" + US;

    private final Logger logger;
    private final LogContext context;

    private ServerLog(Logger logger, LogContext context) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.context = Objects.requireNonNull(context, "context");
    }

    public static ServerLog of(Logger logger, LogContext context) {
        return new ServerLog(logger, context);
    }

    /** The same log with another context, e.g. once a backend knows its user. */
    public ServerLog withContext(LogContext newContext) {
        return new ServerLog(logger, newContext);
    }

    public LogContext context() {
        return context;
    }

    public void log(String message) {
        report(Severity.LOG, null, message, null, null);
    }

    /**
     * A LOG record followed by PostgreSQL's STATEMENT line (what a backend logs about the statement it runs,
     * e.g. log_temp_files); {@code statement} null = no STATEMENT line.
     */
    public void logWithStatement(String message, String statement) {
        String text = encode(new LogRecord(Severity.LOG, "00000", context, message, null, null, statement));
        logger.audit(text);
    }

    public void warning(String message) {
        report(Severity.WARNING, null, message, null, null);
    }

    public void debug(int level, String message) {
        Severity s = switch (level) {
            case 1 -> Severity.DEBUG1;
            case 2 -> Severity.DEBUG2;
            case 3 -> Severity.DEBUG3;
            case 4 -> Severity.DEBUG4;
            default -> Severity.DEBUG5;
        };
        report(s, null, message, null, null);
    }

    public void report(Severity severity, String sqlState, String message, String detail, String hint) {
        report(severity, sqlState, message, detail, hint, null);
    }

    public void report(Severity severity, String sqlState, String message, String detail, String hint,
            Throwable exception) {
        String text = encode(new LogRecord(severity, sqlState == null ? "00000" : sqlState, context, message,
                detail, hint));
        switch (severity) {
            case LOG, FATAL, PANIC -> {
                if (exception == null) logger.audit(text); else logger.audit(text, exception);
            }
            case ERROR -> {
                if (exception == null) logger.error(text); else logger.error(text, exception);
            }
            case WARNING -> {
                if (exception == null) logger.warn(text); else logger.warn(text, exception);
            }
            case NOTICE, INFO -> {
                if (exception == null) logger.info(text); else logger.info(text, exception);
            }
            case DEBUG1 -> {
                if (exception == null) logger.debug(text); else logger.debug(text, exception);
            }
            default -> {
                if (exception == null) logger.trace(text); else logger.trace(text, exception);
            }
        }
    }

    /** Encodes a record as a Log Service message (see the design notes above). */
    public static String encode(LogRecord r) {
        LogContext c = r.context();
        StringBuilder sb = new StringBuilder(96 + r.message().length());
        sb.append(MAGIC);
        field(sb, r.severity().name());
        field(sb, r.sqlState());
        field(sb, Long.toString(c.pid()));
        field(sb, c.processName());
        field(sb, c.user());
        field(sb, c.database());
        field(sb, c.application());
        field(sb, c.sessionId());
        field(sb, c.remoteHost());
        field(sb, r.detail());
        sb.append(clean(r.hint()));
        if (r.statement() != null) {
            sb.append(US).append(clean(r.statement())); // a twelfth field only when there is a statement
        }
        sb.append(RS);
        sb.append(r.message());
        return sb.toString();
    }

    /**
     * Decodes a Log Service message. Returns null when the message carries no
     * Modgres header; the caller then treats it as a foreign record.
     */
    public static LogRecord decode(String message) {
        if (message == null || !message.startsWith(MAGIC)) {
            return null;
        }
        int end = message.indexOf(RS, MAGIC.length());
        if (end < 0) {
            return null;
        }
        String[] f = message.substring(MAGIC.length(), end).split(String.valueOf(US), -1);
        if (f.length != 11 && f.length != 12) {
            return null;
        }
        Severity severity;
        long pid;
        try {
            severity = Severity.valueOf(f[0]);
            pid = Long.parseLong(f[2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        LogContext ctx = new LogContext(pid, nul(f[3]), nul(f[4]), nul(f[5]), nul(f[6]), nul(f[7]), nul(f[8]));
        return new LogRecord(severity, f[1], ctx, message.substring(end + 1), nul(f[9]), nul(f[10]),
                f.length == 12 ? nul(f[11]) : null);
    }

    private static void field(StringBuilder sb, String value) {
        sb.append(clean(value)).append(US);
    }

    private static String clean(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(RS) < 0 && value.indexOf(US) < 0) {
            return value;
        }
        return value.replace(String.valueOf(RS), "").replace(String.valueOf(US), "");
    }

    private static String nul(String s) {
        return s.isEmpty() ? null : s;
    }
}
