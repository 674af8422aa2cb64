package modgres.console.internal.format;

import java.util.List;

import modgres.api.backend.BackendMemory;
import modgres.api.backend.BackendStatus;
import modgres.console.internal.format.TextTable.Align;

/**
 * Output of {@code modgres:memory}: one line per backend with what its
 * session accounts, in kB as PostgreSQL prints memory settings:
 *
 * <pre>
 *  PID  USER   DATABASE  STATE   WORK MEM kB  QUERY PEAK kB  SESSION PEAK kB  TEMP BUFFERS  TEMP FILES  TEMP FILE kB
 * 4714  alice  shop      active         3980           4096             8190       12/1024           3         24576
 * </pre>
 *
 * WORK MEM is what the executor's structures hold now (sort buffers, hash
 * tables, kept rows, the result being built: the estimates they are bounded
 * by), the peaks are the most held at once in the current (or last) query and
 * in the session; TEMP BUFFERS is local buffers holding a page / temp_buffers;
 * TEMP FILES the temporary files not yet deleted and their size. A backend
 * without a session yet (authenticating) shows {@code -} for the figures.
 */
public final class MemoryFormatter {

    private MemoryFormatter() {
    }

    public static String format(List<BackendStatus> backends) {
        TextTable t = new TextTable().column("PID", Align.RIGHT).column("USER", Align.LEFT)
                .column("DATABASE", Align.LEFT).column("STATE", Align.LEFT).column("WORK MEM kB", Align.RIGHT)
                .column("QUERY PEAK kB", Align.RIGHT).column("SESSION PEAK kB", Align.RIGHT)
                .column("TEMP BUFFERS", Align.RIGHT).column("TEMP FILES", Align.RIGHT)
                .column("TEMP FILE kB", Align.RIGHT);
        for (BackendStatus b : backends) {
            BackendMemory m = b.memory();
            String state = b.state() == null ? "starting" : b.state();
            if (m == null) {
                t.row(b.pid(), b.user(), b.database(), state, "-", "-", "-", "-", "-", "-");
            } else {
                t.row(b.pid(), b.user(), b.database(), state, kb(m.workMemBytes()), kb(m.queryPeakBytes()),
                        kb(m.sessionPeakBytes()), m.tempBuffersUsed() + "/" + m.tempBuffers(), m.tempFiles(),
                        kb(m.tempFileBytes()));
            }
        }
        if (t.size() == 0) {
            return "no backends\n";
        }
        return t.render("");
    }

    /** Bytes in kB, rounded up so that a few bytes held do not show as 0. */
    static long kb(long bytes) {
        return bytes <= 0 ? 0 : (bytes + 1023) / 1024;
    }
}
