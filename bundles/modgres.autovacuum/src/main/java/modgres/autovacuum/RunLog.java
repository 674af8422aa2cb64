package modgres.autovacuum;

import java.util.Locale;

import modgres.api.access.VacuumStats;
import modgres.api.autovacuum.Maintenance;
import modgres.api.autovacuum.TableInfo;

/**
 * PostgreSQL 15's {@code log_autovacuum_min_duration} messages, the lines of
 * which Modgres has the figures for (one message with embedded newlines; the
 * logger indents the continuation lines with a tab, as PostgreSQL's does):
 *
 * <pre>
 * automatic vacuum of table "db.schema.table": index scans: N
 * pages: R removed, M remain, S scanned (P% of total)
 * tuples: R removed, L remain, D are dead but not yet removable
 * system usage: CPU: user: 0.00 s, system: 0.00 s, elapsed: 0.01 s
 *
 * automatic analyze of table "db.schema.table"
 * system usage: CPU: user: 0.00 s, system: 0.00 s, elapsed: 0.01 s
 * </pre>
 */
final class RunLog {
    private RunLog() {
    }

    /** What a run cost: CPU of the worker thread (user and system) and wall-clock time. */
    record Usage(long userNanos, long systemNanos, long elapsedNanos) {
    }

    static String vacuum(TableInfo table, Maintenance.Result r, boolean wraparound, Usage usage) {
        VacuumStats v = r.vacuum() != null ? r.vacuum() : new VacuumStats(0, 0, r.liveTuples(), r.deadTuples(), 0, 0);
        long remain = r.relPages();
        long removed = v.pagesTruncated();
        long orig = remain + removed;
        double pct = orig == 0 ? 100.0 : 100.0 * v.pagesScanned() / orig;
        String head = wraparound ? "automatic aggressive vacuum to prevent wraparound of table"
                : "automatic vacuum of table";
        return head + " \"" + table.qualifiedName() + "\": index scans: " + r.indexScans() + "\n"
                + "pages: " + removed + " removed, " + remain + " remain, " + v.pagesScanned() + " scanned ("
                + String.format(Locale.ROOT, "%.2f", pct) + "% of total)\n"
                + "tuples: " + v.tuplesRemoved() + " removed, " + v.liveTuples() + " remain, " + v.deadTuplesLeft()
                + " are dead but not yet removable\n"
                + "system usage: " + usage(usage);
    }

    static String analyze(TableInfo table, Usage usage) {
        return "automatic analyze of table \"" + table.qualifiedName() + "\"\n" + "system usage: " + usage(usage);
    }

    /** PostgreSQL's {@code pg_rusage_show()}: seconds with hundredths, truncated. */
    static String usage(Usage u) {
        return "CPU: user: " + seconds(u.userNanos()) + " s, system: " + seconds(u.systemNanos()) + " s, elapsed: "
                + seconds(u.elapsedNanos()) + " s";
    }

    static String seconds(long nanos) {
        long n = Math.max(0, nanos);
        long s = n / 1_000_000_000L;
        long cs = (n % 1_000_000_000L) / 10_000_000L;
        return s + "." + (cs < 10 ? "0" : "") + cs;
    }
}
