package modgres.logger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.LogLevel;

import modgres.api.log.LogContext;
import modgres.api.log.Severity;

/** The Syslogger with logging_collector off: lines on stderr. */
class SysloggerTest {
    @TempDir
    Path data;

    @Test
    void writesPostgresLinesToStderr() {
        Harness h = new Harness(data);
        Syslogger log = h.start();
        log.accept(h.entry(Severity.LOG, "database system is ready to accept connections"));
        assertEquals("2026-11-24 02:54:35.100 UTC [5647] LOG:  database system is ready to accept connections\n",
                h.stderr());
        assertNull(log.collectorThread());
    }

    @Test
    void detailAndHintLines() {
        Harness h = new Harness(data);
        Syslogger log = h.start();
        log.accept(h.entry(LogContext.process(5650, "checkpointer"), Severity.WARNING, "checkpoints are occurring too frequently (2 seconds apart)",
                null, "Consider increasing the configuration parameter \"max_wal_size\"."));
        assertEquals("""
                2026-11-24 02:54:35.100 UTC [5650] WARNING:  checkpoints are occurring too frequently (2 seconds apart)
                2026-11-24 02:54:35.100 UTC [5650] HINT:  Consider increasing the configuration parameter "max_wal_size".
                """, h.stderr());
    }

    @Test
    void filtersByLogMinMessages() {
        Harness h = new Harness(data); // warning
        Syslogger log = h.start();
        log.accept(h.entry(Severity.INFO, "info"));
        log.accept(h.entry(Severity.NOTICE, "notice"));
        log.accept(h.entry(Severity.DEBUG1, "debug"));
        log.accept(h.entry(Severity.WARNING, "warning"));
        log.accept(h.entry(Severity.ERROR, "error"));
        log.accept(h.entry(Severity.LOG, "log"));
        log.accept(h.entry(Severity.FATAL, "fatal"));
        assertEquals(List.of("WARNING:  warning", "ERROR:  error", "LOG:  log", "FATAL:  fatal"), bodies(h));

        h.clearStderr();
        log.reconfigure(h.set("log_min_messages", "log").config());
        log.accept(h.entry(Severity.ERROR, "error")); // LOG ranks above ERROR in the server log
        log.accept(h.entry(Severity.LOG, "log"));
        log.accept(h.entry(Severity.PANIC, "panic"));
        assertEquals(List.of("LOG:  log", "PANIC:  panic"), bodies(h));

        h.clearStderr();
        log.reconfigure(h.set("log_min_messages", "debug5").config());
        log.accept(h.entry(Severity.DEBUG5, "d5"));
        log.accept(h.entry(Severity.INFO, "i"));
        assertEquals(List.of("DEBUG:  d5", "INFO:  i"), bodies(h));
    }

    @Test
    void foreignEntries() {
        Harness h = new Harness(data).set("log_min_messages", "debug2");
        Syslogger log = h.start();
        log.accept(h.foreign(LogLevel.ERROR, "org.apache.felix.scr", "bundle modgres.foo: activate failed",
                new IllegalStateException("boom")));
        log.accept(h.foreign(LogLevel.WARN, "org.example", "careful", null));
        log.accept(h.foreign(LogLevel.INFO, "org.apache.felix.framework", "info", null));
        log.accept(h.foreign(LogLevel.INFO, "org.apache.felix.scr", "Events.Bundle.org.apache.felix.scr",
                "BundleEvent STARTED", null));
        log.accept(h.foreign(LogLevel.DEBUG, "org.example", "debug", null));
        log.accept(h.foreign(LogLevel.TRACE, "org.example", "trace", null));
        log.accept(h.foreign(LogLevel.AUDIT, "org.example", "audit", null));
        String out = h.stderr();
        assertTrue(out.startsWith("2026-11-24 02:54:35.100 UTC [5647] ERROR:  org.apache.felix.scr: bundle modgres.foo:"
                + " activate failed\n2026-11-24 02:54:35.100 UTC [5647] DETAIL:  java.lang.IllegalStateException: boom\n"
                + "\t\tat "), out);
        List<String> b = bodies(h);
        assertTrue(b.contains("WARNING:  org.example: careful"));
        assertTrue(b.contains("INFO:  org.apache.felix.framework: info"));
        assertTrue(b.contains("DEBUG:  org.apache.felix.scr: BundleEvent STARTED"));
        assertTrue(b.contains("DEBUG:  org.example: debug"));
        assertTrue(b.contains("DEBUG:  org.example: trace"));
        assertTrue(b.contains("LOG:  org.example: audit"));
    }

    @Test
    void perProcessLineNumbers() {
        Harness h = new Harness(data).set("log_line_prefix", "%p:%l ");
        Syslogger log = h.start();
        LogContext cp = LogContext.process(5650, "checkpointer");
        log.accept(h.entry(Severity.LOG, "a"));
        log.accept(h.entry(cp, Severity.LOG, "b", "with detail", null));
        log.accept(h.entry(Severity.LOG, "c"));
        log.accept(h.entry(cp, Severity.LOG, "d", null, null));
        assertEquals("""
                5647:1 LOG:  a
                5650:1 LOG:  b
                5650:2 DETAIL:  with detail
                5647:2 LOG:  c
                5650:3 LOG:  d
                """, h.stderr());
    }

    @Test
    void processStartTimes() {
        Harness h = new Harness(data).set("log_line_prefix", "%p %s %c ");
        Syslogger log = h.start();
        h.clock.advanceMillis(3_600_000);
        log.accept(h.entry(Severity.LOG, "postmaster: the JVM's start"));
        log.accept(h.entry(LogContext.process(6000, "checkpointer"), Severity.LOG, "first record's time", null, null));
        log.accept(h.entry(new LogContext(6001, "client backend", "u", "d", "a", "6b04f000.1771", "[local]"),
                Severity.LOG, "session id's time", null, null));
        log.log(Severity.LOG, "logger: its creation");
        assertEquals("""
                5647 2026-11-24 02:54:35 UTC 6b04fc6b.160f LOG:  postmaster: the JVM's start
                6000 2026-11-24 03:54:35 UTC 6b050a7b.1770 LOG:  first record's time
                6001 2026-11-24 02:01:36 UTC 6b04f000.1771 LOG:  session id's time
                5648 2026-11-24 02:54:35 UTC 6b04fc6b.1610 LOG:  logger: its creation
                """, h.stderr());
    }

    @Test
    void historyFirstThenListenerWithoutDuplicates() {
        Harness h = new Harness(data).set("log_line_prefix", "");
        Syslogger log = h.start();
        Entry e1 = h.entry(Severity.LOG, "one");
        Entry e2 = h.entry(Severity.LOG, "two");
        Entry e3 = h.entry(Severity.LOG, "three");
        List<Runnable> subscribed = new ArrayList<>();
        // getLog() returns the newest first
        log.attach(() -> subscribed.add(() -> { }), () -> List.of(e3, e2, e1));
        assertEquals(1, subscribed.size());
        assertFalse(log.accept(e2)); // the listener delivers what the history had
        Entry e4 = h.entry(Severity.LOG, "four");
        assertTrue(log.accept(e4));
        // at deactivation: catch up with what the listener has not delivered
        Entry e5 = h.entry(Severity.LOG, "database system is shut down");
        log.catchUp(() -> List.of(e5, e4, e3));
        assertEquals("LOG:  one\nLOG:  two\nLOG:  three\nLOG:  four\nLOG:  database system is shut down\n", h.stderr());
        assertEquals(e5.sequence(), log.watermark()[0]);
    }

    @Test
    void failingHistoryIsHarmless() {
        Harness h = new Harness(data);
        Syslogger log = h.start();
        log.catchUp(() -> {
            throw new IllegalStateException("Log Service stopped");
        });
        log.accept(h.entry(Severity.LOG, "still here"));
        assertTrue(h.stderr().contains("LOG:  still here"));
    }

    @Test
    void currentLogfilesIsRemovedWhenTheCollectorIsOff() throws Exception {
        Files.writeString(data.resolve("current_logfiles"), "stderr log/old.log\n");
        Harness h = new Harness(data);
        h.start();
        assertFalse(Files.exists(data.resolve("current_logfiles")));
    }

    @Test
    void csvlogWithoutCollectorFallsBackToStderrFormat() {
        Harness h = new Harness(data).set("log_destination", "csvlog").set("log_line_prefix", "");
        Syslogger log = h.start();
        log.accept(h.entry(Severity.LOG, "x"));
        assertEquals("LOG:  x\n", h.stderr());
    }

    @Test
    void reloadChangesPrefixAndTimezone() {
        Harness h = new Harness(data);
        Syslogger log = h.start();
        log.reconfigure(h.set("log_line_prefix", "%t %q[%u] ").set("log_timezone", "Europe/Berlin")
                .set("logging_collector", "on").config());
        log.accept(h.entry(Severity.LOG, "x"));
        assertEquals("2026-11-24 03:54:35 CET LOG:  x\n", h.stderr());
        assertFalse(log.config().collector()); // logging_collector needs a restart
    }

    @Test
    void closedLoggerStillPrints() {
        Harness h = new Harness(data).set("log_line_prefix", "");
        Syslogger log = h.start();
        log.close();
        log.accept(h.entry(Severity.LOG, "late"));
        assertEquals("LOG:  late\n", h.stderr());
    }

    /** The record bodies on stderr, without the prefix. */
    static List<String> bodies(Harness h) {
        List<String> out = new ArrayList<>();
        for (String line : h.stderr().split("\n")) {
            int i = line.indexOf("] ");
            if (i >= 0 && !line.startsWith("\t")) {
                out.add(line.substring(i + 2));
            }
        }
        return out;
    }
}
