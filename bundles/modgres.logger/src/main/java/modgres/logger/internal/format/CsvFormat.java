package modgres.logger.internal.format;

import java.time.ZoneId;

import modgres.api.log.LogContext;

/*
 * The csvlog format of PostgreSQL 15 (csvlog.c), one line per record with 26
 * columns:
 *
 *   log_time, user_name, database_name, process_id, connection_from,
 *   session_id, session_line_num, command_tag, session_start_time,
 *   virtual_transaction_id, transaction_id, error_severity, sql_state_code,
 *   message, detail, hint, internal_query, internal_query_pos, context,
 *   query, query_pos, location, application_name, backend_type, leader_pid,
 *   query_id
 *
 * Texts are quoted with '"' doubled; a missing text is an empty column. The
 * user, database and command tag are present only for a session; the
 * application name is always quoted ("" when not set), as PostgreSQL does.
 */

/** Formats a record as one csvlog line. */
public final class CsvFormat {
    private CsvFormat() {
    }

    public static String format(Message m, ProcessState process, ZoneId zone) {
        LogContext c = m.context();
        boolean session = m.isSession();
        StringBuilder sb = new StringBuilder(160);
        sb.append(LogTime.withMillis(m.time(), zone)).append(',');
        if (session) {
            literal(sb, c.user());
        }
        sb.append(',');
        if (session) {
            literal(sb, c.database());
        }
        sb.append(',');
        if (c.pid() != 0) {
            sb.append(c.pid());
        }
        sb.append(',');
        if (session && m.remoteHost() != null) {
            sb.append('"').append(m.remoteHost());
            if (m.remotePort() != null && !m.remotePort().isEmpty()) {
                sb.append(':').append(m.remotePort());
            }
            sb.append('"');
        }
        sb.append(',');
        sb.append(c.sessionId() != null ? c.sessionId() : process.defaultSessionId()).append(',');
        sb.append(process.nextCsvLine()).append(',');
        if (session) {
            literal(sb, ""); // command tag: not known
        }
        sb.append(',');
        sb.append(LogTime.seconds(process.startMillis(), zone)).append(',');
        sb.append(','); // virtual transaction id: not known
        sb.append('0').append(',');
        sb.append(Severities.label(m.record().severity())).append(',');
        sb.append(m.record().sqlState() == null ? "00000" : m.record().sqlState()).append(',');
        literal(sb, m.text());
        sb.append(',');
        literal(sb, m.detail());
        sb.append(',');
        literal(sb, m.record().hint());
        sb.append(",,,,"); // internal query and position, context
        literal(sb, m.record().statement()); // query (the STATEMENT of stderr)
        sb.append(",,,"); // query position, location
        literal(sb, c.application() == null ? "" : c.application());
        sb.append(',');
        literal(sb, m.backendType());
        sb.append(",,"); // leader pid
        sb.append('0'); // query id
        sb.append('\n');
        return sb.toString();
    }

    /** PostgreSQL's appendCSVLiteral: nothing for null, else quoted with quotes doubled. */
    static void literal(StringBuilder sb, String value) {
        if (value == null) {
            return;
        }
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch == '"') {
                sb.append('"');
            }
            sb.append(ch);
        }
        sb.append('"');
    }
}
