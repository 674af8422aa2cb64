package modgres.logger.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.osgi.service.log.LogLevel;

import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;

/** A Syslogger over a temporary data directory, a hand-moved clock and a captured stderr. */
final class Harness {
    static final long POSTMASTER = 5647;
    static final long LOGGER = 5648;
    static final Instant START = Instant.parse("2026-11-24T02:54:35.100Z");
    static final long RETRY = 10_000;

    final Path data;
    final TestClock clock = new TestClock(START);
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    final Map<String, String> settings = new HashMap<>();
    LogFile.Opener opener = LogFile.FILES;
    Syslogger log;
    private long sequence;

    Harness(Path data) {
        this.data = data;
        settings.put("log_timezone", "Etc/UTC");
        settings.put("log_line_prefix", "%m [%p] ");
    }

    Harness collector() {
        settings.put("logging_collector", "on");
        return this;
    }

    Harness set(String name, String value) {
        settings.put(name, value);
        return this;
    }

    LogConfig config() {
        return LogConfig.read(settings::get, data);
    }

    Syslogger create() {
        log = new Syslogger(config(), clock, () -> errStream, POSTMASTER, START.toEpochMilli(), LOGGER,
                new SequenceTracker(), (p, t, m) -> opener.open(p, t, m), RETRY);
        return log;
    }

    Syslogger start() {
        create();
        log.start();
        return log;
    }

    String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    void clearStderr() {
        err.reset();
    }

    /** A Modgres entry of the postmaster at the clock's time. */
    Entry entry(Severity s, String message) {
        return entry(LogContext.process(POSTMASTER, "postmaster"), s, message, null, null);
    }

    Entry entry(LogContext c, Severity s, String message, String detail, String hint) {
        String text = ServerLog.encode(new LogRecord(s, "00000", c, message, detail, hint));
        return new Entry(++sequence, clock.millis(), EntryMapper.level(s), "modgres.postmaster", "modgres.postmaster",
                text, null);
    }

    Entry foreign(LogLevel level, String bundle, String message, Throwable t) {
        return foreign(level, bundle, bundle, message, t);
    }

    Entry foreign(LogLevel level, String bundle, String logger, String message, Throwable t) {
        return new Entry(++sequence, clock.millis(), level, bundle, logger, message, t);
    }
}
