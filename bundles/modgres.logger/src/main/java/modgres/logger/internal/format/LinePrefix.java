package modgres.logger.internal.format;

import java.time.ZoneId;

import modgres.api.log.LogContext;

/*
 * log_line_prefix, as PostgreSQL 15's log_line_prefix() in elog.c expands it:
 *
 *   %a application   %u user    %d database   %r host(port)   %h host
 *   %b backend type  %p pid     %P parallel leader pid (never: blank)
 *   %t time          %m time with ms          %n epoch with ms
 *   %i command tag (not known here: empty)    %e SQLSTATE
 *   %c session id    %l line number of the process      %s process start
 *   %v virtual xid (not known: blank)         %x xid (not known: 0)
 *   %Q query id (not known: 0)                %q end of prefix for
 *   processes without a session               %% a '%'
 *
 * A number between '%' and the letter pads the value to that width, on the
 * left (right-aligned) or, when negative, on the right. Session fields of a
 * process without a session print nothing, or only the padding; in a session
 * an empty %a/%u/%d prints "[unknown]". An unknown letter prints nothing; a
 * '%', '%-' or '%<digits>' at the end ends the prefix.
 */

/** Expands {@code log_line_prefix} for one line of a record. */
public final class LinePrefix {
    private LinePrefix() {
    }

    /**
     * @param prefix     the log_line_prefix setting
     * @param m          the record
     * @param process    the record's process (start time, default session id)
     * @param lineNumber {@code %l}: the process's number for this line
     * @param zone       log_timezone
     */
    public static String format(String prefix, Message m, ProcessState process, long lineNumber, ZoneId zone) {
        StringBuilder sb = new StringBuilder(48);
        append(sb, prefix, m, process, lineNumber, zone);
        return sb.toString();
    }

    public static void append(StringBuilder sb, String prefix, Message m, ProcessState process, long lineNumber,
            ZoneId zone) {
        if (prefix == null) {
            return;
        }
        LogContext c = m.context();
        boolean session = m.isSession();
        int n = prefix.length();
        for (int i = 0; i < n; i++) {
            char ch = prefix.charAt(i);
            if (ch != '%') {
                sb.append(ch);
                continue;
            }
            i++;
            if (i >= n) {
                break; // format error: ignore
            }
            ch = prefix.charAt(i);
            if (ch == '%') {
                sb.append('%');
                continue;
            }
            int padding = 0;
            if (ch <= '9') {
                int sign = 1;
                if (ch == '-') {
                    i++;
                    if (i >= n) {
                        break;
                    }
                    sign = -1;
                }
                while (i < n && prefix.charAt(i) >= '0' && prefix.charAt(i) <= '9') {
                    padding = padding * 10 + (prefix.charAt(i) - '0');
                    i++;
                }
                if (i >= n) {
                    break; // ends with the padding number
                }
                padding *= sign;
                ch = prefix.charAt(i);
            }
            switch (ch) {
                case 'a' -> sessionField(sb, session, c.application(), padding);
                case 'u' -> sessionField(sb, session, c.user(), padding);
                case 'd' -> sessionField(sb, session, c.database(), padding);
                case 'b' -> pad(sb, m.backendType(), padding);
                case 'c' -> pad(sb, c.sessionId() != null ? c.sessionId() : process.defaultSessionId(), padding);
                case 'p' -> pad(sb, Long.toString(c.pid()), padding);
                case 'l' -> pad(sb, Long.toString(lineNumber), padding);
                case 'm' -> pad(sb, LogTime.withMillis(m.time(), zone), padding);
                case 't' -> pad(sb, LogTime.seconds(m.time(), zone), padding);
                case 'n' -> pad(sb, LogTime.epoch(m.time()), padding);
                case 's' -> pad(sb, LogTime.seconds(process.startMillis(), zone), padding);
                case 'P', 'v', 'i' -> spaces(sb, padding); // no parallel leader, virtual xid or ps display known
                case 'r' -> {
                    if (session && c.remoteHost() != null) {
                        pad(sb, c.remoteHost(), padding);
                    } else {
                        spaces(sb, padding);
                    }
                }
                case 'h' -> {
                    if (session && c.remoteHost() != null) {
                        pad(sb, m.remoteHost(), padding);
                    } else {
                        spaces(sb, padding);
                    }
                }
                case 'q' -> {
                    if (!session) {
                        return;
                    }
                }
                case 'x', 'Q' -> pad(sb, "0", padding);
                case 'e' -> pad(sb, m.record().sqlState() == null ? "00000" : m.record().sqlState(), padding);
                default -> {
                    // unknown escape: ignored
                }
            }
        }
    }

    private static void sessionField(StringBuilder sb, boolean session, String value, int padding) {
        if (session) {
            pad(sb, value == null || value.isEmpty() ? "[unknown]" : value, padding);
        } else {
            spaces(sb, padding);
        }
    }

    /** printf's {@code %*s}: right-aligned for a positive width, left-aligned for a negative one. */
    static void pad(StringBuilder sb, String value, int padding) {
        if (padding == 0) {
            sb.append(value);
            return;
        }
        int width = Math.abs(padding);
        int fill = width - value.length();
        if (padding > 0) {
            repeat(sb, fill);
            sb.append(value);
        } else {
            sb.append(value);
            repeat(sb, fill);
        }
    }

    private static void spaces(StringBuilder sb, int padding) {
        repeat(sb, Math.abs(padding));
    }

    private static void repeat(StringBuilder sb, int n) {
        for (int k = 0; k < n; k++) {
            sb.append(' ');
        }
    }
}
