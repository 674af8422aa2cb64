package modgres.console.internal.format;

import java.util.ArrayList;
import java.util.List;

import modgres.api.server.ProcessInfo;

/**
 * Output of {@code modgres:ptree}: the postmaster at the root, as
 * {@code ps f} shows a PostgreSQL host's processes, each process the
 * postmaster watches under it and each process's Java threads under that,
 * threads written {@code {name} STATE} as {@code pstree} writes threads:
 *
 * <pre>
 * 4711 postmaster -D /srv/modgres/data
 * ├─ 4712 logger
 * │  └─ {modgres logger} WAITING
 * └─ 4713 checkpointer
 *    └─ {checkpointer} TIMED_WAITING
 * </pre>
 *
 * A process whose pid is the postmaster's own has its threads shown right
 * under the root.
 */
public final class ProcessTreeFormatter {

    private static final String BRANCH = "├─ ";
    private static final String LAST = "└─ ";
    private static final String PIPE = "│  ";
    private static final String SPACE = "   ";

    private ProcessTreeFormatter() {
    }

    public static String format(long postmasterPid, String dataDir, List<ProcessInfo> processes) {
        StringBuilder sb = new StringBuilder();
        sb.append(postmasterPid).append(" postmaster -D ").append(dataDir).append('\n');
        List<Node> children = new ArrayList<>();
        for (ProcessInfo p : processes) {
            if (p.pid() == postmasterPid) {
                p.threads().forEach(t -> children.add(new Node(thread(t), List.of())));
            }
        }
        for (ProcessInfo p : processes) {
            if (p.pid() != postmasterPid) {
                children.add(new Node(p.pid() + " " + p.name(),
                        p.threads().stream().map(t -> new Node(thread(t), List.of())).toList()));
            }
        }
        draw(sb, "", children);
        return sb.toString();
    }

    private static String thread(Thread t) {
        return "{" + t.getName() + "} " + t.getState();
    }

    private static void draw(StringBuilder sb, String prefix, List<Node> nodes) {
        for (int i = 0; i < nodes.size(); i++) {
            boolean last = i == nodes.size() - 1;
            Node n = nodes.get(i);
            sb.append(prefix).append(last ? LAST : BRANCH).append(n.label).append('\n');
            draw(sb, prefix + (last ? SPACE : PIPE), n.children);
        }
    }

    private record Node(String label, List<Node> children) {
    }
}
