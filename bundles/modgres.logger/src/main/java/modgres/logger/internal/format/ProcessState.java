package modgres.logger.internal.format;

import java.util.Locale;

/**
 * What the log keeps per (virtual) process: its start time ({@code %s} and
 * the default session id {@code %c}) and its line numbers ({@code %l}),
 * counted separately for the stderr, csvlog and jsonlog formats as
 * PostgreSQL counts them. Not thread-safe: the writer serializes access.
 */
public final class ProcessState {
    private final long pid;
    private final long startMillis;
    private long stderrLines;
    private long csvLines;
    private long jsonLines;

    public ProcessState(long pid, long startMillis) {
        this.pid = pid;
        this.startMillis = startMillis;
    }

    public long pid() {
        return pid;
    }

    public long startMillis() {
        return startMillis;
    }

    /** {@code %c} of a process without a session id: start time and pid in hex, {@code 6b04fc6b.160f}. */
    public String defaultSessionId() {
        return Long.toHexString(Math.floorDiv(startMillis, 1000L)) + "." + Long.toHexString(pid).toLowerCase(Locale.ROOT);
    }

    public long nextStderrLine() {
        return ++stderrLines;
    }

    public long nextCsvLine() {
        return ++csvLines;
    }

    public long nextJsonLine() {
        return ++jsonLines;
    }
}
