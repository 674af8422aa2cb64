package modgres.logger.internal;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.log.LogLevel;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;

import modgres.api.log.Severity;

/*
 * A Logger drops what is below its effective level before the entry exists,
 * so neither the history nor our listener would see it. The R7 default for
 * the root context is WARN (Felix Log 1.3.0: framework property
 * org.osgi.service.log.admin.loglevel, else WARN), which would lose INFO,
 * NOTICE and DEBUGn records. AUDIT entries (LOG, FATAL, PANIC) are always
 * kept.
 *
 * So the logger sets the "ROOT" level of the root logger context to the most
 * verbose level that log_min_messages can let through, and lowers it again
 * when log_min_messages is raised (fewer entries created for nothing). Other
 * entries of the root context (levels for named loggers) are left alone;
 * on deactivation the previous ROOT level is put back.
 */

/** Keeps the Log Service's root level in step with {@code log_min_messages}. */
final class RootLogLevel {
    static final String ROOT = "ROOT";

    private final LoggerAdmin admin;
    private boolean saved;
    private LogLevel previous;

    RootLogLevel(LoggerAdmin admin) {
        this.admin = admin;
    }

    /** The most verbose Log Service level of the severities that pass {@code min}. */
    static LogLevel required(Severity min) {
        LogLevel most = LogLevel.AUDIT;
        for (Severity s : Severity.values()) {
            if (s.atLeast(min)) {
                LogLevel l = EntryMapper.level(s);
                if (l.ordinal() > most.ordinal()) {
                    most = l;
                }
            }
        }
        return most;
    }

    synchronized void apply(Severity min) {
        LoggerContext root = admin.getLoggerContext(null);
        Map<String, LogLevel> levels = new HashMap<>(root.getLogLevels());
        if (!saved) {
            previous = levels.get(ROOT);
            saved = true;
        }
        LogLevel want = required(min);
        if (levels.get(ROOT) != want) {
            levels.put(ROOT, want);
            root.setLogLevels(levels);
        }
    }

    synchronized void restore() {
        if (!saved) {
            return;
        }
        LoggerContext root = admin.getLoggerContext(null);
        Map<String, LogLevel> levels = new HashMap<>(root.getLogLevels());
        if (previous == null) {
            levels.remove(ROOT);
        } else {
            levels.put(ROOT, previous);
        }
        root.setLogLevels(levels);
        saved = false;
    }
}
