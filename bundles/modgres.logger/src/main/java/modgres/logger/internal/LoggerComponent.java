package modgres.logger.internal;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.admin.LoggerAdmin;

import modgres.api.log.Severity;
import modgres.api.server.ProcessIds;
import modgres.api.server.ServerProcess;
import modgres.api.server.ShutdownMode;
import modgres.api.settings.Setting;
import modgres.api.settings.Settings;
import modgres.api.settings.SettingsListener;

/*
 * The OSGi shell around Syslogger. Life cycle:
 *
 *   activate    read the settings; start the collector if logging_collector
 *               is on (its files at once: lines are written from now on);
 *               subscribe to the Log Service and write the history entries
 *               logged before us; set the Log Service's root level.
 *   start()     (postmaster) start the collector thread if it is not running.
 *   stop()      (postmaster, at shutdown) stop the collector thread; records
 *               are then written on the Log Service's listener thread, into
 *               the same files, until deactivation.
 *   deactivate  unsubscribe; write the history entries not delivered yet
 *               (the listener is asynchronous); "logger shutting down";
 *               close the files; leave a watermark for a successor.
 */

/** PostgreSQL's logger process: writes the server log from the OSGi Log Service. */
@Component(name = "modgres.logger", immediate = true,
        service = { ServerProcess.class, SettingsListener.class },
        property = { ServerProcess.NAME + "=logger", ServerProcess.ORDER + ":Integer=0" })
public final class LoggerComponent implements ServerProcess, SettingsListener {
    static final String WATERMARK_FILE = "watermark";

    private final LogReaderService reader;
    private final Settings settings;
    private final BundleContext context;
    private final long pid = ProcessIds.next();
    private final Syslogger syslogger;
    private final LogListener listener = this::logged;
    private volatile RootLogLevel rootLevel;
    private volatile boolean collectorWanted;

    @Activate
    public LoggerComponent(BundleContext context, @Reference(name = "LogReaderService") LogReaderService reader,
            @Reference(name = "Settings") Settings settings) {
        this.context = context;
        this.reader = reader;
        this.settings = settings;
        LogConfig config = readConfig();
        long[] mark = Watermark.read(dataFile());
        this.syslogger = new Syslogger(config, Clock.systemDefaultZone(), () -> System.err, ProcessIds.postmaster(),
                postmasterStart(), pid, new SequenceTracker(mark[0], mark[1]));
        collectorWanted = config.collector();
        syslogger.start();
        syslogger.attach(() -> reader.addLogListener(listener), this::history);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindLoggerAdmin(LoggerAdmin admin) {
        RootLogLevel r = new RootLogLevel(admin);
        try {
            r.apply(syslogger.config().minMessages());
            rootLevel = r;
        } catch (RuntimeException e) {
            syslogger.log(Severity.WARNING, "could not set the Log Service's root log level: " + e);
        }
    }

    void unbindLoggerAdmin(LoggerAdmin admin) {
        RootLogLevel r = rootLevel;
        rootLevel = null;
        if (r != null) {
            try {
                r.restore();
            } catch (RuntimeException ignored) {
                // the Log Service is going away
            }
        }
    }

    @Deactivate
    void deactivate() {
        try {
            reader.removeLogListener(listener);
        } catch (RuntimeException ignored) {
            // the Log Service is going away
        }
        syslogger.catchUp(this::history);
        syslogger.log(Severity.DEBUG1, "logger shutting down");
        syslogger.close();
        long[] mark = syslogger.watermark();
        Watermark.write(dataFile(), mark[0], mark[1]);
    }

    // ---------------------------------------------------------------- ServerProcess

    @Override
    public String processName() {
        return "logger";
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public void start() {
        collectorWanted = syslogger.config().collector();
        syslogger.start();
    }

    @Override
    public void stop(ShutdownMode mode) {
        collectorWanted = false;
        syslogger.stopCollector();
    }

    @Override
    public List<Thread> threads() {
        Thread t = syslogger.collectorThread();
        return t == null ? List.of() : List.of(t);
    }

    @Override
    public boolean isAlive() {
        return !collectorWanted || syslogger.collectorThread() != null;
    }

    // ---------------------------------------------------------------- SettingsListener

    @Override
    public void settingsChanged(Set<String> names) {
        boolean ours = names.stream().anyMatch(n -> n.toLowerCase(java.util.Locale.ROOT).startsWith("log_"));
        if (!ours) {
            return;
        }
        LogConfig next = readConfig();
        syslogger.reconfigure(next);
        RootLogLevel r = rootLevel;
        if (r != null) {
            try {
                r.apply(next.minMessages());
            } catch (RuntimeException ignored) {
                // keeps the previous level
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private void logged(LogEntry e) {
        try {
            syslogger.accept(entry(e));
        } catch (Throwable t) {
            // never into the Log Service's thread
        }
    }

    private List<Entry> history() {
        List<Entry> out = new ArrayList<>();
        Enumeration<LogEntry> en = reader.getLog();
        while (en.hasMoreElements()) {
            out.add(entry(en.nextElement()));
        }
        return out;
    }

    static Entry entry(LogEntry e) {
        Bundle b = e.getBundle();
        return new Entry(e.getSequence(), e.getTime(), e.getLogLevel(), b == null ? null : b.getSymbolicName(),
                e.getLoggerName(), e.getMessage(), e.getException());
    }

    private LogConfig readConfig() {
        Path dataDir;
        try {
            dataDir = settings.dataDirectory();
        } catch (RuntimeException e) {
            dataDir = null;
        }
        if (dataDir == null) {
            String prop = context.getProperty("modgres.datadir");
            dataDir = Paths.get(prop == null ? "." : prop);
        }
        return LogConfig.read(name -> {
            try {
                return settings.find(name).map(Setting::value).orElse(null);
            } catch (RuntimeException e) {
                return null;
            }
        }, dataDir);
    }

    private Path dataFile() {
        try {
            File f = context.getDataFile(WATERMARK_FILE);
            return f == null ? null : f.toPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static long postmasterStart() {
        return ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli())
                .orElse(System.currentTimeMillis());
    }
}
