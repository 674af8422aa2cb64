package modgres.logger.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import modgres.api.log.LogContext;
import modgres.logger.internal.format.ProcessState;

/*
 * Line numbers (%l) and start times (%s, and %c without a session id) are per
 * process. Processes come and go (a backend per connection), so the table
 * keeps the most recently used MAX entries; a process evicted and seen again
 * starts its line numbers anew, which only a very busy server would notice.
 *
 * A process's start time is, in this order: one registered with the table
 * (the postmaster's is the JVM's start, the logger's its activation); the
 * time in its session id when that reads PostgreSQL's "<start hex>.<pid hex>";
 * else the time of its first record.
 */

/** The per-process state of the log. Not thread-safe: the Syslogger serializes access. */
final class ProcessTable {
    static final int MAX = 4096;

    private final Map<Long, ProcessState> states = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ProcessState> eldest) {
            return size() > MAX && !registered.containsKey(eldest.getKey());
        }
    };
    private final Map<Long, Long> registered = new LinkedHashMap<>();

    /** Fixes the start time of a process (postmaster, logger). */
    void register(long pid, long startMillis) {
        registered.put(pid, startMillis);
        states.remove(pid);
    }

    ProcessState get(LogContext c, long recordTime) {
        return states.computeIfAbsent(c.pid(), pid -> new ProcessState(pid, startOf(c, recordTime)));
    }

    private long startOf(LogContext c, long recordTime) {
        Long known = registered.get(c.pid());
        if (known != null) {
            return known;
        }
        String sid = c.sessionId();
        if (sid != null) {
            int dot = sid.indexOf('.');
            if (dot > 0) {
                try {
                    long start = Long.parseLong(sid.substring(0, dot), 16);
                    long pid = Long.parseLong(sid.substring(dot + 1), 16);
                    if (pid == c.pid()) {
                        return start * 1000L;
                    }
                } catch (NumberFormatException ignored) {
                    // not PostgreSQL's form
                }
            }
        }
        return recordTime;
    }
}
