package modgres.logger.internal.format;

import java.time.ZoneId;

/*
 * The "stderr" format, as PostgreSQL's send_message_to_server_log() builds
 * it: the prefix, the severity, a colon and two spaces, the message; then a
 * line each for DETAIL and HINT with the same prefix, and a STATEMENT line for
 * a record about a statement. Every line, DETAIL and
 * HINT included, takes the next %l of the process. A newline inside a text is
 * followed by a tab (append_with_tabs), so that continuation lines stand out.
 */

/** Formats a record as the lines PostgreSQL writes to stderr and to the {@code .log} files. */
public final class StderrFormat {
    private StderrFormat() {
    }

    /** The record's lines, each ending in a newline. */
    public static String format(Message m, ProcessState process, String prefix, ZoneId zone, Verbosity verbosity) {
        StringBuilder sb = new StringBuilder(128);
        LinePrefix.append(sb, prefix, m, process, process.nextStderrLine(), zone);
        sb.append(Severities.label(m.record().severity())).append(":  ");
        if (verbosity == Verbosity.VERBOSE) {
            sb.append(m.record().sqlState() == null ? "00000" : m.record().sqlState()).append(": ");
        }
        appendWithTabs(sb, m.text());
        sb.append('\n');
        if (verbosity != Verbosity.TERSE) {
            String detail = m.detail();
            if (detail != null) {
                LinePrefix.append(sb, prefix, m, process, process.nextStderrLine(), zone);
                sb.append("DETAIL:  ");
                appendWithTabs(sb, detail);
                sb.append('\n');
            }
            String hint = m.record().hint();
            if (hint != null) {
                LinePrefix.append(sb, prefix, m, process, process.nextStderrLine(), zone);
                sb.append("HINT:  ");
                appendWithTabs(sb, hint);
                sb.append('\n');
            }
        }
        String statement = m.record().statement();
        if (statement != null) {
            // whatever the verbosity, as PostgreSQL's check_log_of_query
            LinePrefix.append(sb, prefix, m, process, process.nextStderrLine(), zone);
            sb.append("STATEMENT:  ");
            appendWithTabs(sb, statement);
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Appends text, putting a tab after every newline. */
    static void appendWithTabs(StringBuilder sb, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c);
            if (c == '\n') {
                sb.append('\t');
            }
        }
    }
}
