package modgres.logger.internal.format;

import java.time.Instant;
import java.time.ZoneId;

import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.Severity;

/** Records and contexts shared by the tests. */
public final class Fixtures {
    public static final ZoneId UTC = ZoneId.of("Etc/UTC");
    /** 2026-11-24 02:54:35.660 UTC */
    public static final long T = Instant.parse("2026-11-24T02:54:35.660Z").toEpochMilli();
    /** 2026-11-24 02:54:35 UTC, the process start. */
    public static final long START = Instant.parse("2026-11-24T02:54:35Z").toEpochMilli();

    public static final LogContext POSTMASTER = LogContext.process(5647, "postmaster");
    public static final LogContext BACKEND = new LogContext(5660, "client backend", "postgres", "postgres", "psql",
            null, "[local]");
    public static final LogContext TCP_BACKEND = new LogContext(5661, "client backend", "alice", "shop", "",
            "6b04fc6c.161d", "10.0.0.7(54321)");

    private Fixtures() {
    }

    public static Message message(LogContext c, Severity s, String text) {
        return message(c, s, "00000", text, null, null);
    }

    public static Message message(LogContext c, Severity s, String state, String text, String detail, String hint) {
        return new Message(new LogRecord(s, state, c, text, detail, hint), T, null);
    }

    public static ProcessState process(LogContext c) {
        return new ProcessState(c.pid(), START);
    }
}
