package modgres.postmaster;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import modgres.api.log.Severity;
import modgres.api.server.ProcessIds;
import modgres.postmaster.guc.GucSettings;

/**
 * What the postmaster reports before the settings exist. The logger bundle
 * needs the settings (log_line_prefix, log_destination, ...), so when they
 * cannot be loaded nobody else would write these lines: like PostgreSQL
 * before its configuration is read, they go to stderr in the default format
 * ({@code %m [%p] }, GMT). Records are kept until {@link #flush} because
 * the same records also go to the Log Service: only a failed start writes them.
 */
final class EarlyStderr implements GucSettings.Reporter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'GMT'")
            .withZone(ZoneOffset.UTC);

    private record Line(Instant time, Severity severity, String message, String detail, String hint) {
    }

    private final GucSettings.Reporter next;
    private final List<Line> lines = new ArrayList<>();

    EarlyStderr(GucSettings.Reporter next) {
        this.next = next;
    }

    @Override
    public synchronized void report(Severity severity, String sqlState, String message, String detail, String hint) {
        lines.add(new Line(Instant.now(), severity, message, detail, hint));
        next.report(severity, sqlState, message, detail, hint);
    }

    /** Writes every kept record to {@code err}. */
    synchronized void flush(PrintStream err) {
        String pid = "[" + ProcessIds.postmaster() + "] ";
        for (Line l : lines) {
            String prefix = TIME.format(l.time()) + " " + pid;
            err.println(prefix + l.severity() + ":  " + l.message());
            if (l.detail() != null) {
                err.println(prefix + "DETAIL:  " + l.detail());
            }
            if (l.hint() != null) {
                err.println(prefix + "HINT:  " + l.hint());
            }
        }
        err.flush();
        lines.clear();
    }
}
