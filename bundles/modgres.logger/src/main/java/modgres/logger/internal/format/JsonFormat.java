package modgres.logger.internal.format;

import java.time.ZoneId;
import java.util.Locale;

import modgres.api.log.LogContext;

/*
 * The jsonlog format of PostgreSQL 15 (jsonlog.c): one JSON object per line,
 * keys in this order, each only when it has a value: timestamp, user, dbname,
 * pid, remote_host, remote_port, session_id, line_num, ps, session_start,
 * vxid, txid, error_severity, state_code (not for 00000), message, detail,
 * hint, application_name (when not empty), backend_type, leader_pid,
 * query_id.
 */

/** Formats a record as one jsonlog line. */
public final class JsonFormat {
    private JsonFormat() {
    }

    public static String format(Message m, ProcessState process, ZoneId zone) {
        LogContext c = m.context();
        boolean session = m.isSession();
        StringBuilder sb = new StringBuilder(200);
        sb.append('{');
        escape(sb, "timestamp");
        sb.append(':');
        escape(sb, LogTime.withMillis(m.time(), zone));
        if (session) {
            string(sb, "user", c.user());
            string(sb, "dbname", c.database());
        }
        if (c.pid() != 0) {
            raw(sb, "pid", Long.toString(c.pid()));
        }
        if (session && m.remoteHost() != null) {
            string(sb, "remote_host", m.remoteHost());
            if (m.remotePort() != null && !m.remotePort().isEmpty()) {
                raw(sb, "remote_port", m.remotePort());
            }
        }
        string(sb, "session_id", c.sessionId() != null ? c.sessionId() : process.defaultSessionId());
        raw(sb, "line_num", Long.toString(process.nextJsonLine()));
        if (session) {
            string(sb, "ps", ""); // command tag: not known
        }
        string(sb, "session_start", LogTime.seconds(process.startMillis(), zone));
        raw(sb, "txid", "0");
        string(sb, "error_severity", Severities.label(m.record().severity()));
        String state = m.record().sqlState();
        if (state != null && !state.equals("00000")) {
            string(sb, "state_code", state);
        }
        string(sb, "message", m.text());
        string(sb, "detail", m.detail());
        string(sb, "hint", m.record().hint());
        string(sb, "statement", m.record().statement());
        if (c.application() != null && !c.application().isEmpty()) {
            string(sb, "application_name", c.application());
        }
        string(sb, "backend_type", m.backendType());
        raw(sb, "query_id", "0");
        sb.append("}\n");
        return sb.toString();
    }

    private static void string(StringBuilder sb, String key, String value) {
        if (value == null) {
            return;
        }
        sb.append(',');
        escape(sb, key);
        sb.append(':');
        escape(sb, value);
    }

    private static void raw(StringBuilder sb, String key, String value) {
        sb.append(',');
        escape(sb, key);
        sb.append(':').append(value);
    }

    /** PostgreSQL's escape_json. */
    static void escape(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (ch < ' ') {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        sb.append('"');
    }
}
