package modgres.logger.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.Severity;
import modgres.logger.internal.format.CsvFormat;
import modgres.logger.internal.format.JsonFormat;
import modgres.logger.internal.format.Message;
import modgres.logger.internal.format.ProcessState;
import modgres.logger.internal.format.StderrFormat;

/*
 * The server log, without OSGi: entries come in (accept), are decoded,
 * filtered by log_min_messages, formatted (stderr format always, since it is
 * also the fallback; csvlog and jsonlog when configured) and either printed
 * on stderr (collector off) or handed to the Collector.
 *
 * Threads. accept() and write() run on the Log Service's listener thread,
 * catchUp() and reconfigure() on SCR's; the Collector writes on its "logger"
 * thread. This object's monitor serializes formatting (line numbers and the
 * seen-set are per logger); the Collector has its own locks and reports its
 * problems back here without holding them. stopCollector() and close() wait
 * for the collector thread and therefore must not be called with this
 * monitor held; they take it themselves only briefly.
 *
 * Invariant: no method lets an exception out. A record that cannot be
 * formatted is printed raw on stderr; a record that cannot be written to its
 * file is printed on stderr by the Collector.
 */

/** PostgreSQL's server log writer (elog.c's send_message_to_server_log plus the syslogger). */
public final class Syslogger {
    private final Clock clock;
    private final Supplier<PrintStream> stderr;
    private final long postmasterPid;
    private final long loggerPid;
    private final EntryMapper mapper;
    private final SequenceTracker seen;
    private final LogFile.Opener opener;
    private final long retryMillis;
    private final ProcessTable processes = new ProcessTable();

    private LogConfig config;
    private Collector collector;
    private boolean closed;

    /**
     * @param config          the settings ({@code logging_collector} is taken from here once, in {@link #start()})
     * @param clock           time for file names and rotation
     * @param stderr          where stderr output goes (looked up on every write)
     * @param postmasterPid   pid of the postmaster, to which foreign entries are attributed
     * @param postmasterStart the postmaster's start time (epoch ms)
     * @param loggerPid       this logger's own pid
     * @param seen            which entries were written already
     */
    public Syslogger(LogConfig config, Clock clock, Supplier<PrintStream> stderr, long postmasterPid,
            long postmasterStart, long loggerPid, SequenceTracker seen) {
        this(config, clock, stderr, postmasterPid, postmasterStart, loggerPid, seen, LogFile.FILES,
                Collector.DEFAULT_RETRY_MILLIS);
    }

    Syslogger(LogConfig config, Clock clock, Supplier<PrintStream> stderr, long postmasterPid, long postmasterStart,
            long loggerPid, SequenceTracker seen, LogFile.Opener opener, long retryMillis) {
        this.config = config;
        this.clock = clock;
        this.stderr = stderr;
        this.postmasterPid = postmasterPid;
        this.loggerPid = loggerPid;
        this.mapper = new EntryMapper(postmasterPid);
        this.seen = seen;
        this.opener = opener;
        this.retryMillis = retryMillis;
        processes.register(postmasterPid, postmasterStart);
        processes.register(loggerPid, clock.millis());
    }

    /**
     * Starts the logging collector when {@code logging_collector} is on (its
     * files at once, its thread if not running), else removes a stale
     * {@code current_logfiles}. Idempotent.
     */
    public void start() {
        Collector c;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (collector == null) {
                if (!config.collector()) {
                    Collector.removeCurrentLogfiles(config.dataDirectory());
                    return;
                }
                writeToStderr(new Message(new LogRecord(Severity.LOG, "00000",
                        LogContext.process(postmasterPid, "postmaster"),
                        "redirecting log output to logging collector process", null,
                        "Future log output will appear in directory \"" + config.directory() + "\"."),
                        clock.millis(), null));
                collector = new Collector(config, clock, stderr, opener, retryMillis, new CollectorProblems());
                collector.open();
            }
            c = collector;
        }
        c.startThread();
    }

    /** Stops the collector thread; records are then written on the caller's thread. Idempotent. */
    public void stopCollector() {
        Collector c;
        synchronized (this) {
            c = collector;
        }
        if (c != null) {
            c.stopThread();
        }
    }

    /** The collector thread while it runs. */
    public synchronized Thread collectorThread() {
        return collector == null ? null : collector.thread();
    }

    /** Takes one Log Service entry; false when it was written before (or filtered out as such). */
    public synchronized boolean accept(Entry e) {
        try {
            if (!seen.firstTime(e.sequence(), e.time())) {
                return false;
            }
            write(mapper.map(e));
        } catch (RuntimeException ex) {
            raw(String.valueOf(e.message()).replace('\u001e', '|').replace('\u001f', '|') + "\n");
        }
        return true;
    }

    /**
     * Subscribes (through {@code subscribe}) and writes the entries of
     * {@code history} (newest first, as getLog() returns them) not written
     * yet, both under this logger's lock, so that the listener's first entry
     * is written after the history it follows.
     */
    public synchronized void attach(Runnable subscribe, Supplier<List<Entry>> history) {
        try {
            subscribe.run();
        } finally {
            catchUp(history);
        }
    }

    /** Writes the entries of {@code history} (newest first) that were not written yet. */
    public synchronized void catchUp(Supplier<List<Entry>> history) {
        List<Entry> entries;
        try {
            entries = new ArrayList<>(history.get());
        } catch (RuntimeException e) {
            return; // the Log Service is going away: nothing to catch up with
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            accept(entries.get(i));
        }
    }

    /** Writes one record, if log_min_messages lets it through. */
    public synchronized void write(Message m) {
        try {
            LogConfig cfg = config;
            if (!m.record().severity().atLeast(cfg.minMessages())) {
                return;
            }
            ProcessState p = processes.get(m.context(), m.time());
            String text = StderrFormat.format(m, p, cfg.linePrefix(), cfg.timezone(), cfg.verbosity());
            if (collector != null && !closed) {
                String csv = cfg.destinations().contains(Destination.CSVLOG) ? CsvFormat.format(m, p, cfg.timezone())
                        : null;
                String json = cfg.destinations().contains(Destination.JSONLOG)
                        ? JsonFormat.format(m, p, cfg.timezone())
                        : null;
                collector.submit(new Collector.Chunk(text, cfg.destinations().contains(Destination.STDERR), csv,
                        json));
            } else {
                raw(text);
            }
        } catch (RuntimeException e) {
            raw(m.text() + "\n");
        }
    }

    /** A record of the logger process itself. */
    public void log(Severity severity, String message) {
        write(new Message(new LogRecord(severity, "00000", LogContext.process(loggerPid, "logger"), message, null,
                null), clock.millis(), null));
    }

    /** Applies reloaded settings; {@code logging_collector} keeps the value it started with. */
    public void reconfigure(LogConfig next) {
        Collector c;
        synchronized (this) {
            config = next.withCollector(config.collector());
            c = closed ? null : collector;
            next = config;
        }
        if (c != null) {
            c.reconfigure(next);
        }
    }

    public synchronized LogConfig config() {
        return config;
    }

    /** Stops the collector, writing what it has queued, and closes the files. Later records go to stderr. */
    public void close() {
        Collector c;
        synchronized (this) {
            c = collector;
        }
        if (c != null) {
            c.close();
        }
        synchronized (this) {
            closed = true;
        }
    }

    /** The highest sequence written and the latest entry time, for the next logger instance. */
    public synchronized long[] watermark() {
        return new long[] { seen.highest(), seen.highestTime() };
    }

    /** The collector, for tests. */
    synchronized Collector collector() {
        return collector;
    }

    private synchronized void writeToStderr(Message m) {
        try {
            if (!m.record().severity().atLeast(config.minMessages())) {
                return;
            }
            ProcessState p = processes.get(m.context(), m.time());
            raw(StderrFormat.format(m, p, config.linePrefix(), config.timezone(), config.verbosity()));
        } catch (RuntimeException e) {
            raw(m.text() + "\n");
        }
    }

    private void raw(String text) {
        try {
            PrintStream err = stderr.get();
            err.print(text);
            err.flush();
        } catch (RuntimeException ignored) {
            // nowhere left to write
        }
    }

    /** The collector's problems: LOG records of the logger process, on stderr. */
    private final class CollectorProblems implements Collector.Problems {
        @Override
        public void log(String message) {
            writeToStderr(new Message(new LogRecord(Severity.LOG, "58030", LogContext.process(loggerPid, "logger"),
                    message, null, null), clock.millis(), null));
        }

        @Override
        public void raw(String line) {
            Syslogger.this.raw(line + "\n");
        }
    }
}
