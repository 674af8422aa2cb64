package modgres.console.internal.format;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import modgres.api.server.ProcessInfo;
import modgres.api.server.ServerControl;
import modgres.console.internal.format.TextTable.Align;

/**
 * Output of {@code modgres:status}: the server's state, pid, uptime, data
 * directory, port and version; its processes with their bundles; and the
 * framework's bundles grouped by feature. Without a server (the postmaster
 * restarting or absent) the first block says so and the bundles still show.
 */
public final class StatusFormatter {

    static final String NO_SERVER = "no server (the postmaster is not running or is being restarted)";

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private StatusFormatter() {
    }

    /**
     * @param server      the postmaster, or null when there is none
     * @param dataDir     the data directory to show when there is no server (may be null)
     * @param bundles     the framework's bundles
     * @param features    the installed features
     * @param now         the time to compute the uptime against
     * @param zone        the time zone of the start time
     */
    public static String format(ServerControl server, String dataDir, List<BundleInfo> bundles,
            List<Feature> features, Instant now, ZoneId zone) {
        StringBuilder sb = new StringBuilder();
        Snapshot s = Snapshot.of(server);
        if (s == null) {
            field(sb, "state", NO_SERVER);
            field(sb, "data directory", dataDir == null ? "(not set)" : dataDir);
        } else {
            field(sb, "state", s.state);
            field(sb, "pid", Long.toString(s.pid));
            field(sb, "uptime", s.start == null ? "unknown"
                    : uptime(Duration.between(s.start, now)) + " (since " + STARTED.format(s.start.atZone(zone)) + ")");
            field(sb, "data directory", s.dataDir);
            field(sb, "port", Integer.toString(s.port));
            field(sb, "version", s.version);
            sb.append('\n').append("processes\n");
            if (s.processes.isEmpty()) {
                sb.append("  (none)\n");
            } else {
                TextTable t = new TextTable().column("PID", Align.RIGHT).column("NAME", Align.LEFT)
                        .column("BUNDLE", Align.LEFT).column("BUNDLE STATE", Align.LEFT);
                for (ProcessInfo p : s.processes) {
                    t.row(p.pid(), p.name(), p.bundle(), bundleState(p.bundle(), bundles));
                }
                sb.append(t.render("  "));
            }
        }
        sb.append('\n').append("bundles\n");
        TextTable t = new TextTable().column("FEATURE", Align.LEFT).column("ID", Align.RIGHT)
                .column("STATE", Align.LEFT).column("BUNDLE", Align.LEFT).column("VERSION", Align.LEFT);
        for (Map.Entry<BundleInfo, String> e : FeatureFormatter.byFeature(features, bundles).entrySet()) {
            BundleInfo b = e.getKey();
            t.row(e.getValue(), b.id(), b.state(), b.symbolicName(), b.version());
        }
        sb.append(t.size() == 0 ? "  (none)\n" : t.render("  "));
        return sb.toString();
    }

    /** {@code HH:MM:SS}, with a leading {@code N day(s)} past 24 hours. */
    public static String uptime(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long days = s / 86_400;
        String hms = String.format("%02d:%02d:%02d", s % 86_400 / 3600, s % 3600 / 60, s % 60);
        return days == 0 ? hms : days + (days == 1 ? " day " : " days ") + hms;
    }

    private static String bundleState(String symbolicName, List<BundleInfo> bundles) {
        return bundles.stream().filter(b -> b.symbolicName().equals(symbolicName)).map(BundleInfo::state)
                .findFirst().orElse(BundleInfo.NOT_INSTALLED);
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(String.format("%-16s%s", name, value)).append('\n');
    }

    /** The server's answers, read at once so that a server going away mid-way reads as none. */
    private record Snapshot(String state, long pid, Instant start, String dataDir, int port, String version,
            List<ProcessInfo> processes) {

        static Snapshot of(ServerControl server) {
            if (server == null) {
                return null;
            }
            try {
                return new Snapshot(server.state().pidFileStatus(), server.pid(), server.startTime(),
                        String.valueOf(server.dataDirectory()), server.port(), server.version(),
                        List.copyOf(server.processes()));
            } catch (RuntimeException e) {
                // e.g. the postmaster component is being deactivated
                return null;
            }
        }
    }
}
