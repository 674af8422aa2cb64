package modgres.logger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.log.Severity;

/** The Syslogger with logging_collector on: files, rotation, current_logfiles, failures. */
class CollectorTest {
    @TempDir
    Path data;

    private static final String FIRST = "log/postgresql-2026-11-24_025435.log";

    private String read(String name) throws IOException {
        return Files.readString(data.resolve(name), StandardCharsets.UTF_8);
    }

    private String currentLogfiles() throws IOException {
        return read("current_logfiles");
    }

    private List<String> logDir() throws IOException {
        try (Stream<Path> s = Files.list(data.resolve("log"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void startRedirectsAndWritesFilesOnTheLoggerThread() throws Exception {
        Harness h = new Harness(data).collector();
        Syslogger log = h.start();
        assertEquals("""
                2026-11-24 02:54:35.100 UTC [5647] LOG:  redirecting log output to logging collector process
                2026-11-24 02:54:35.100 UTC [5647] HINT:  Future log output will appear in directory "log".
                """, h.stderr());
        assertEquals("stderr " + FIRST + "\n", currentLogfiles());
        Thread t = log.collectorThread();
        assertNotNull(t);
        assertEquals("logger", t.getName());

        log.accept(h.entry(Severity.LOG, "database system is ready to accept connections"));
        log.stopCollector(); // waits until the thread has written everything
        assertNull(log.collectorThread());
        assertEquals("2026-11-24 02:54:35.100 UTC [5647] LOG:  database system is ready to accept connections\n",
                read(FIRST));

        // after stop(): the same file, written on the caller's thread
        log.accept(h.entry(Severity.LOG, "database system is shut down"));
        assertTrue(read(FIRST).endsWith("[5647] LOG:  database system is shut down\n"));

        assertEquals("rwx------", perms(data.resolve("log")));
        assertEquals("rw-------", perms(data.resolve(FIRST)));
        assertEquals("rw-------", perms(data.resolve("current_logfiles")));
        assertEquals(2, h.stderr().split("\n").length); // nothing else went to stderr
        log.close();
    }

    @Test
    void startAndStopAreIdempotent() {
        Harness h = new Harness(data).collector();
        Syslogger log = h.start();
        Thread t = log.collectorThread();
        log.start();
        assertSame(t, log.collectorThread());
        log.stopCollector();
        log.stopCollector();
        assertNull(log.collectorThread());
        log.start();
        assertNotNull(log.collectorThread());
        assertTrue(h.stderr().indexOf("redirecting") == h.stderr().lastIndexOf("redirecting"));
        log.close();
        log.close();
        assertFalse(t.isAlive());
    }

    @Test
    void csvlogAndJsonlogFiles() throws Exception {
        Harness h = new Harness(data).collector().set("log_destination", "stderr,csvlog,jsonlog");
        Syslogger log = h.start();
        log.stopCollector();
        assertEquals("stderr log/postgresql-2026-11-24_025435.log\n"
                + "csvlog log/postgresql-2026-11-24_025435.csv\n"
                + "jsonlog log/postgresql-2026-11-24_025435.json\n", currentLogfiles());
        log.accept(h.entry(Severity.LOG, "ready"));
        assertTrue(read("log/postgresql-2026-11-24_025435.log").endsWith("LOG:  ready\n"));
        assertTrue(read("log/postgresql-2026-11-24_025435.csv").startsWith("2026-11-24 02:54:35.100 UTC,,,5647,,"));
        assertTrue(read("log/postgresql-2026-11-24_025435.json").startsWith("{\"timestamp\":\"2026-11-24 02:54:35.100 UTC\",\"pid\":5647,"));
        log.close();
    }

    @Test
    void onlyCsvlogStillKeepsTheStderrFile() throws Exception {
        Harness h = new Harness(data).collector().set("log_destination", "csvlog");
        Syslogger log = h.start();
        log.stopCollector();
        log.accept(h.entry(Severity.LOG, "ready"));
        assertEquals("csvlog log/postgresql-2026-11-24_025435.csv\n", currentLogfiles());
        assertEquals(List.of("postgresql-2026-11-24_025435.csv", "postgresql-2026-11-24_025435.log"), logDir());
        assertEquals("", read(FIRST));
        log.close();
    }

    @Test
    void logFileModeAndAbsoluteDirectory(@TempDir Path elsewhere) throws Exception {
        Path dir = elsewhere.resolve("pglog");
        Harness h = new Harness(data).collector().set("log_file_mode", "0640").set("log_directory", dir.toString());
        Syslogger log = h.start();
        log.stopCollector();
        String name = dir + "/postgresql-2026-11-24_025435.log";
        assertEquals("stderr " + name + "\n", currentLogfiles());
        assertEquals("rw-r-----", perms(Path.of(name)));
        log.close();
    }

    @Test
    void rotationBySize() throws Exception {
        Harness h = new Harness(data).collector().set("log_rotation_size", "1").set("log_line_prefix", "");
        Syslogger log = h.start();
        log.stopCollector();
        String text = "x".repeat(290);
        for (int i = 0; i < 4; i++) {
            h.clock.advanceMillis(1000);
            log.accept(h.entry(Severity.LOG, text));
        }
        // 4 * 297 bytes >= 1024: the fourth write fills the first file, which is then rotated
        assertEquals(List.of("postgresql-2026-11-24_025435.log", "postgresql-2026-11-24_025439.log"), logDir());
        assertEquals(4 * 297, Files.size(data.resolve(FIRST)));
        assertEquals("stderr log/postgresql-2026-11-24_025439.log\n", currentLogfiles());
        h.clock.advanceMillis(1000);
        log.accept(h.entry(Severity.LOG, "next"));
        assertEquals("LOG:  next\n", read("log/postgresql-2026-11-24_025439.log"));
        log.close();
    }

    @Test
    void rotationByAgeUsesThePlannedTime() throws Exception {
        Harness h = new Harness(data).collector().set("log_rotation_age", "60").set("log_line_prefix", "");
        Syslogger log = h.start();
        log.stopCollector();
        assertEquals(Instant.parse("2026-11-24T03:00:00Z").toEpochMilli(), log.collector().nextRotation());
        h.clock.set(Instant.parse("2026-11-24T02:59:59Z"));
        log.accept(h.entry(Severity.LOG, "before"));
        h.clock.set(Instant.parse("2026-11-24T03:00:07Z"));
        log.accept(h.entry(Severity.LOG, "after"));
        assertEquals("LOG:  before\n", read(FIRST));
        assertEquals("LOG:  after\n", read("log/postgresql-2026-11-24_030000.log"));
        assertEquals("stderr log/postgresql-2026-11-24_030000.log\n", currentLogfiles());
        assertEquals(Instant.parse("2026-11-24T04:00:00Z").toEpochMilli(), log.collector().nextRotation());
        log.close();
    }

    @Test
    void nextRotationTimeCountsInLocalTime() {
        long now = Instant.parse("2026-11-24T02:54:35Z").toEpochMilli();
        assertEquals(Instant.parse("2026-11-24T23:00:00Z").toEpochMilli(),
                Collector.nextRotationTime(now, 1440, ZoneId.of("Europe/Berlin"))); // midnight CET
        assertEquals(Instant.parse("2026-11-25T00:00:00Z").toEpochMilli(),
                Collector.nextRotationTime(now, 1440, ZoneId.of("Etc/UTC")));
        assertEquals(Instant.parse("2026-11-24T03:00:00Z").toEpochMilli(),
                Collector.nextRotationTime(now, 10, ZoneId.of("Etc/UTC")));
        assertEquals(Long.MAX_VALUE, Collector.nextRotationTime(now, 0, ZoneId.of("Etc/UTC")));
    }

    @Test
    void loggerThreadRotatesWithoutRecords() throws Exception {
        Harness h = new Harness(data).collector().set("log_rotation_age", "1");
        Syslogger log = h.start();
        h.clock.set(Instant.parse("2026-11-24T02:55:00.500Z"));
        String expected = "stderr log/postgresql-2026-11-24_025500.log\n";
        for (int i = 0; i < 100 && !expected.equals(currentLogfiles()); i++) {
            Thread.sleep(50);
        }
        assertEquals(expected, currentLogfiles());
        log.close();
    }

    @Test
    void truncateOnTimeBasedRotationOnly() throws Exception {
        Files.createDirectories(data.resolve("log"));
        Files.writeString(data.resolve("log/postgresql-03.log"), "yesterday's 03\n");
        Files.writeString(data.resolve("log/postgresql-02.log"), "yesterday's 02\n");
        Harness h = new Harness(data).collector().set("log_filename", "postgresql-%H.log")
                .set("log_rotation_age", "60").set("log_truncate_on_rotation", "on").set("log_line_prefix", "");
        Syslogger log = h.start();
        log.stopCollector();
        log.accept(h.entry(Severity.LOG, "at start: appended"));
        assertEquals("yesterday's 02\nLOG:  at start: appended\n", read("log/postgresql-02.log"));
        h.clock.set(Instant.parse("2026-11-24T03:00:01Z"));
        log.accept(h.entry(Severity.LOG, "after rotation: truncated"));
        assertEquals("LOG:  after rotation: truncated\n", read("log/postgresql-03.log"));
        log.close();
    }

    @Test
    void withoutTruncateRotationAppends() throws Exception {
        Files.createDirectories(data.resolve("log"));
        Files.writeString(data.resolve("log/postgresql-03.log"), "yesterday's 03\n");
        Harness h = new Harness(data).collector().set("log_filename", "postgresql-%H.log")
                .set("log_rotation_age", "60").set("log_line_prefix", "");
        Syslogger log = h.start();
        log.stopCollector();
        h.clock.set(Instant.parse("2026-11-24T03:00:01Z"));
        log.accept(h.entry(Severity.LOG, "appended"));
        assertEquals("yesterday's 03\nLOG:  appended\n", read("log/postgresql-03.log"));
        log.close();
    }

    /** A file where the log directory should be: every open fails, as with an unwritable directory. */
    @Test
    void unwritableDirectoryFallsBackToStderrAndRecovers() throws Exception {
        Files.writeString(data.resolve("log"), "not a directory\n");
        Harness h = new Harness(data).collector().set("log_line_prefix", "[%p] ");
        Syslogger log = h.start();
        log.stopCollector();
        String err = h.stderr();
        assertTrue(err.contains("[5647] LOG:  redirecting log output to logging collector process\n"), err);
        assertTrue(err.contains("[5648] LOG:  could not open log file \"" + FIRST + "\": Not a directory\n"), err);
        assertEquals("", currentLogfiles());

        h.clearStderr();
        log.accept(h.entry(Severity.LOG, "one"));
        h.clock.advanceMillis(1000);
        log.accept(h.entry(Severity.LOG, "two"));
        assertEquals("[5647] LOG:  one\n[5647] LOG:  two\n", h.stderr()); // reported once, lines kept

        // the retry succeeds once the directory can be made
        Files.delete(data.resolve("log"));
        h.clock.advanceMillis(Harness.RETRY);
        h.clearStderr();
        log.accept(h.entry(Severity.LOG, "three"));
        assertEquals("", h.stderr());
        String name = "log/postgresql-2026-11-24_025446.log";
        assertEquals("[5647] LOG:  three\n", read(name));
        assertEquals("stderr " + name + "\n", currentLogfiles());
        log.close();
    }

    @Test
    void unwritableDirectoryWithTheThreadRunning() throws Exception {
        Files.writeString(data.resolve("log"), "not a directory\n");
        Harness h = new Harness(data).collector().set("log_line_prefix", "");
        Syslogger log = h.start();
        for (int i = 0; i < 3; i++) {
            log.accept(h.entry(Severity.LOG, "line " + i));
        }
        log.stopCollector();
        assertTrue(h.stderr().endsWith("LOG:  line 0\nLOG:  line 1\nLOG:  line 2\n"), h.stderr());
        log.close();
    }

    /** Writes fail as on a full disk: reported once, lines on stderr, the file reopened later. */
    @Test
    void diskFull() throws Exception {
        AtomicBoolean full = new AtomicBoolean();
        Harness h = new Harness(data).collector().set("log_line_prefix", "");
        h.opener = (path, truncate, mode) -> {
            LogFile.Opened real = LogFile.FILES.open(path, truncate, mode);
            return new LogFile.Opened(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] { (byte) b }, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (full.get()) {
                        throw new IOException("No space left on device");
                    }
                    real.stream().write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    real.stream().close();
                }
            }, real.size());
        };
        Syslogger log = h.start();
        log.stopCollector();
        h.clearStderr();
        log.accept(h.entry(Severity.LOG, "fits"));
        full.set(true);
        log.accept(h.entry(Severity.LOG, "lost? no"));
        log.accept(h.entry(Severity.LOG, "still not"));
        assertEquals("could not write to log file: No space left on device\nLOG:  lost? no\nLOG:  still not\n",
                h.stderr());
        full.set(false);
        h.clock.advanceMillis(Harness.RETRY);
        h.clearStderr();
        log.accept(h.entry(Severity.LOG, "space again"));
        assertEquals("", h.stderr());
        assertEquals("LOG:  fits\n", read(FIRST));
        assertEquals("LOG:  space again\n", read("log/postgresql-2026-11-24_025445.log"));
        log.close();
    }

    @Test
    void reloadRotatesAsSighupDoes() throws Exception {
        Harness h = new Harness(data).collector().set("log_line_prefix", "");
        Syslogger log = h.start();
        log.stopCollector();
        h.clock.advanceMillis(1000);
        log.reconfigure(h.set("log_destination", "stderr,csvlog").config());
        assertEquals("stderr log/postgresql-2026-11-24_025436.log\ncsvlog log/postgresql-2026-11-24_025436.csv\n",
                currentLogfiles());
        h.clock.advanceMillis(1000);
        log.reconfigure(h.set("log_filename", "pg-%H%M%S.log").config());
        assertEquals("stderr log/pg-025437.log\ncsvlog log/pg-025437.csv\n", currentLogfiles());
        h.clock.advanceMillis(1000);
        log.reconfigure(h.set("log_destination", "stderr").config());
        assertEquals("stderr log/pg-025438.log\n", currentLogfiles());
        log.reconfigure(h.set("log_directory", "newlog").config());
        assertEquals("stderr newlog/pg-025438.log\n", currentLogfiles());
        log.accept(h.entry(Severity.LOG, "here"));
        assertEquals("LOG:  here\n", read("newlog/pg-025438.log"));
        // a change that needs no new file: current_logfiles rewritten as it is
        log.reconfigure(h.set("log_min_messages", "info").config());
        assertEquals("stderr newlog/pg-025438.log\n", currentLogfiles());
        log.close();
    }

    @Test
    void reloadRetriesAFailedDirectoryAtOnce() throws Exception {
        Files.writeString(data.resolve("log"), "not a directory\n");
        Harness h = new Harness(data).collector();
        Syslogger log = h.start();
        log.stopCollector();
        assertEquals("", currentLogfiles());
        log.reconfigure(h.set("log_directory", "pg_log").config());
        assertEquals("stderr pg_log/postgresql-2026-11-24_025435.log\n", currentLogfiles());
        log.close();
    }

    @Test
    void noRecordIsLostUnderConcurrency() throws Exception {
        Harness h = new Harness(data).collector().set("log_line_prefix", "%p ");
        Syslogger log = h.start();
        List<Thread> threads = new ArrayList<>();
        List<List<Entry>> perThread = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                entries.add(h.entry(Severity.LOG, "t" + t + " #" + i));
            }
            perThread.add(entries);
        }
        for (List<Entry> entries : perThread) {
            Thread th = new Thread(() -> entries.forEach(log::accept));
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        log.close();
        List<String> lines = Files.readAllLines(data.resolve(FIRST));
        assertEquals(2000, lines.size());
        for (int t = 0; t < 4; t++) {
            String tag = "t" + t + " #";
            List<String> mine = lines.stream().filter(l -> l.contains(tag)).toList();
            for (int i = 0; i < 500; i++) {
                assertTrue(mine.get(i).endsWith(tag + i), mine.get(i)); // in order
            }
        }
    }

    @Test
    void afterCloseRecordsGoToStderr() throws Exception {
        Harness h = new Harness(data).collector().set("log_line_prefix", "");
        Syslogger log = h.start();
        log.close();
        h.clearStderr();
        log.accept(h.entry(Severity.LOG, "late"));
        assertEquals("LOG:  late\n", h.stderr());
        assertEquals("", read(FIRST));
        assertTrue(Files.exists(data.resolve("current_logfiles"))); // left as PostgreSQL leaves it
    }
}
