package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher jar as a user runs it: first start, lock, settings errors, signals, shutdown. */
class ServerLifecycleIT {
    private Path tmp;

    @BeforeEach
    void setUp() throws Exception {
        tmp = ServerRunner.tempDir("modgres-e2e-", false);
    }

    @AfterEach
    void tearDown() {
        ServerRunner.deleteTree(tmp);
    }

    @Test
    void firstStartInitialisesTheDataDirectoryAndSigtermShutsDownCleanly() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerRunner s = ServerRunner.start(data, false)) {
            s.awaitReady();
            assertEquals("15", Files.readString(data.resolve("PG_VERSION")).trim());
            for (String f : List.of("postgresql.conf", "postgresql.auto.conf", "pg_hba.conf", "pg_ident.conf",
                    "global", "base/1", "base/4", "base/5", "pg_wal/archive_status", "pg_xact", "pg_stat",
                    "postmaster.opts")) {
                assertTrue(Files.exists(data.resolve(f)), f + " missing");
            }
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
            List<String> pid = Files.readAllLines(data.resolve("postmaster.pid"));
            assertEquals(8, pid.size(), "postmaster.pid has PostgreSQL's 8 lines: " + pid);
            assertTrue(s.isServerPid(Long.parseLong(pid.get(0))), "pid line names the server JVM: " + pid);
            assertEquals(data.toString(), pid.get(1));
            assertTrue(Math.abs(Long.parseLong(pid.get(2)) - System.currentTimeMillis() / 1000) < 120);
            assertEquals(Integer.toString(s.port), pid.get(3));
            assertEquals("ready   ", pid.get(7));
            String conf = Files.readString(data.resolve("postgresql.conf"));
            assertTrue(conf.contains("shared_buffers"), "postgresql.conf lists the settings");
            assertTrue(s.output().contains("enabling \"trust\" authentication for local connections"),
                    s.output());
            assertTrue(s.output().contains("LOG:  starting PostgreSQL 15"), s.output());
            assertTrue(s.output().contains("LOG:  listening on IPv4 address \"127.0.0.1\", port " + s.port), s.output());
            Path socket = Path.of("/tmp/.s.PGSQL." + s.port);
            assertTrue(s.output().contains("LOG:  listening on Unix socket \"" + socket + "\""), s.output());
            assertTrue(Files.exists(socket) && Files.exists(Path.of(socket + ".lock")));
            assertEquals("/tmp", pid.get(4));
            assertEquals("localhost", pid.get(5));
            try (java.net.Socket client = new java.net.Socket("127.0.0.1", s.port)) {
                assertTrue(client.isConnected(), "the postmaster accepts TCP connections");
            }

            s.signal("TERM");
            assertEquals(0, s.awaitExit(Duration.ofSeconds(60)));
            String out = s.output();
            assertTrue(out.contains("LOG:  received smart shutdown request"), out);
            assertTrue(out.indexOf("LOG:  shutting down") < out.indexOf("LOG:  checkpoint starting: shutdown immediate"),
                    out);
            assertTrue(out.contains("LOG:  checkpoint complete: wrote "), out);
            assertTrue(out.contains("LOG:  " + ServerRunner.SHUT_DOWN), out);
            assertFalse(Files.exists(data.resolve("postmaster.pid")), "pid file removed");
            assertFalse(Files.exists(Path.of("/tmp/.s.PGSQL." + s.port)), "socket removed");
            assertFalse(Files.exists(Path.of("/tmp/.s.PGSQL." + s.port + ".lock")), "socket lock file removed");
        }
    }

    @Test
    void aPortInUseIsFatalWithPostgresMessages() throws Exception {
        Path data = tmp.resolve("data");
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            try (ServerRunner s = ServerRunner.start(data, port, false, true)) {
                assertEquals(1, s.awaitExit(Duration.ofSeconds(60)));
                String out = s.output();
                assertTrue(out.contains("LOG:  could not bind IPv4 address \"127.0.0.1\": Address already in use"), out);
                assertTrue(out.contains("HINT:  Is another postmaster already running on port " + port
                        + "? If not, wait a few seconds and retry."), out);
                assertTrue(out.contains("FATAL:  could not create any TCP/IP sockets"), out);
                assertFalse(Files.exists(data.resolve("postmaster.pid")), "a failed start leaves no lock file");
            }
        }
    }

    @Test
    void secondServerOnTheSameDirectoryIsRefusedAndAStalePidFileIsTakenOver() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerRunner first = ServerRunner.start(data, false)) {
            first.awaitReady();
            long firstPid = first.postmasterPid();
            try (ServerRunner second = ServerRunner.start(data, false)) {
                assertEquals(1, second.awaitExit(Duration.ofSeconds(60)));
                String out = second.output();
                assertTrue(out.contains("FATAL:  lock file \"postmaster.pid\" already exists"), out);
                assertTrue(out.contains("HINT:  Is another postmaster (PID " + firstPid
                        + ") running in data directory \"" + data + "\"?"), out);
            }
            first.signal("INT");
            assertEquals(0, first.awaitExit(Duration.ofSeconds(60)));
            assertTrue(first.output().contains("received fast shutdown request"), first.output());
        }
        // A pid file left by a process that no longer exists (a crash) does not block a start.
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.writeString(data.resolve("postmaster.pid"), dead.pid() + "\n" + data + "\n0\n5432\n\n\n\nready   \n");
        try (ServerRunner again = ServerRunner.start(data, false)) {
            again.awaitReady();
            assertTrue(again.isServerPid(again.postmasterPid()));
        }
    }

    @Test
    void badSettingsRefuseToStartWithPostgresMessages() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerRunner s = ServerRunner.start(data, false, "-c", "shared_buffers=lots")) {
            assertEquals(1, s.awaitExit(Duration.ofSeconds(60)));
            assertTrue(s.output().contains("invalid value for parameter \"shared_buffers\": \"lots\""), s.output());
            assertFalse(s.output().contains(ServerRunner.READY));
        }
        Files.writeString(data.resolve("postgresql.conf"), "\nno_such_setting = 1\n", StandardOpenOption.APPEND);
        int line = Files.readAllLines(data.resolve("postgresql.conf")).size();
        try (ServerRunner s = ServerRunner.start(data, false)) {
            assertEquals(1, s.awaitExit(Duration.ofSeconds(60)));
            String out = s.output();
            assertTrue(out.contains("unrecognized configuration parameter \"no_such_setting\" in file \""
                    + data.resolve("postgresql.conf") + "\" line " + line), out);
            assertTrue(out.contains("FATAL:  configuration file \"" + data.resolve("postgresql.conf")
                    + "\" contains errors"), out);
            assertFalse(Files.exists(data.resolve("postmaster.pid")));
        }
    }

    @Test
    void sighupReloadsSighupSettingsAndRefusesPostmasterOnes() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerRunner s = ServerRunner.start(data, false)) {
            s.awaitReady();
            Files.writeString(data.resolve("postgresql.conf"),
                    "\ncheckpoint_timeout = 10min\nshared_buffers = 256MB\n", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            s.signal("HUP");
            s.awaitOutput("LOG:  parameter \"checkpoint_timeout\" changed to \"10min\"", Duration.ofSeconds(30));
            s.awaitOutput("LOG:  parameter \"shared_buffers\" cannot be changed without restarting the server",
                    Duration.ofSeconds(30));
            assertTrue(s.output().contains("LOG:  received SIGHUP, reloading configuration files"), s.output());
        }
    }

    @Test
    void interactiveConsoleListsEveryBundleActiveButTheAlternatives() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerRunner s = ServerRunner.start(data, ServerRunner.freePort(), false, false)) {
            s.awaitReady();
            s.stdin().write("lb -s\n".getBytes(StandardCharsets.UTF_8));
            s.stdin().flush();
            s.awaitOutput("modgres.postmaster", Duration.ofSeconds(30));
            s.awaitOutput("org.apache.felix.gogo.shell", Duration.ofSeconds(30));
            String out = s.output();
            String listing = out.substring(out.indexOf("START LEVEL"));
            java.util.Set<String> alternatives = java.util.Set.of("modgres.archiver.copy", "modgres.archiver.gzip",
                    "modgres.stats.collector", "modgres.autovacuum.hotspot");
            for (String line : listing.lines().toList()) {
                if (line.matches("\\s*\\d+\\|.*")) {
                    boolean alternative = alternatives.stream().anyMatch(a -> line.contains("|" + a + " "));
                    assertTrue(alternative ? line.contains("|Installed") || line.contains("|Resolved")
                            : line.contains("|Active"), (alternative ? "an alternative was started: "
                                    : "not active: ") + line + "\n" + listing);
                }
            }
            assertTrue(listing.lines().filter(l -> l.matches("\\s*\\d+\\|.*")).count() >= 12, listing);
        }
    }

    @Test
    void headlessServerConsoleIsReachableOverItsSocket() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerRunner s = ServerRunner.start(data, false)) {
            s.awaitReady();
            s.awaitOutput("console: listening on Unix socket", Duration.ofSeconds(30));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(data.resolve(".s.modgres.console"))));
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", ServerRunner.jar().toString(), "--console", "-D", data.toString())
                    .redirectErrorStream(true);
            Process client = pb.start();
            client.getOutputStream().write("modgres:status\nmodgres:ptree\nmodgres:show shared_buffers\nmodgres:checkpoint\nexit\n"
                    .getBytes(StandardCharsets.UTF_8));
            client.getOutputStream().flush();
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, client.waitFor(), out);
            assertTrue(out.contains("ready"), out);
            assertTrue(out.contains(s.postmasterPid() + " postmaster -D " + data), out);
            assertTrue(out.contains("logger"), out);
            assertTrue(out.contains("128MB"), out);
            assertTrue(out.contains("CHECKPOINT"), out);
            for (String process : List.of("logger", "checkpointer", "background writer", "walwriter")) {
                assertTrue(out.contains(process), process + " missing from the process tree: " + out);
            }
            s.awaitOutput("LOG:  checkpoint starting: immediate force wait", Duration.ofSeconds(30));
            s.awaitOutput("LOG:  checkpoint complete: wrote ", Duration.ofSeconds(30));
            assertTrue(Files.size(data.resolve("global/pg_control")) == 8192, "pg_control written");
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(data.resolve("global/pg_control"))), "pg_control is 0600");
            assertTrue(s.process.isAlive(), "exit ends the console session, not the server");
        }
    }

    @Test
    void loggingCollectorWritesLogFilesAndCurrentLogfiles() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerRunner s = ServerRunner.start(data, false, "-c", "logging_collector=on", "-c",
                "log_line_prefix=%m [%p] %b ")) {
            s.awaitOutput("redirecting log output to logging collector process", Duration.ofSeconds(60));
            Path current = data.resolve("current_logfiles");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(current) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String entry = Files.readString(current).trim();
            assertTrue(entry.matches("stderr log/postgresql-\\d{4}-\\d{2}-\\d{2}_\\d{6}\\.log"), entry);
            Path logFile = data.resolve(entry.substring("stderr ".length()));
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.readString(logFile).contains(ServerRunner.READY) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.readString(logFile).contains("LOG:  " + ServerRunner.READY), Files.readString(logFile));
            assertFalse(s.output().contains(ServerRunner.READY), "with the collector, lines go to the file only");
            s.signal("INT");
            assertEquals(0, s.awaitExit(Duration.ofSeconds(60)));
            assertTrue(Files.readString(logFile).contains(ServerRunner.SHUT_DOWN), Files.readString(logFile));
        }
    }

    @Test
    void firstStartWithPasswordAuthentication() throws Exception {
        Path data = tmp.resolve("data");
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "s3cret\n");
        try (ServerRunner s = ServerRunner.start(data, false, "-A", "scram-sha-256", "--pwfile", pw.toString(),
                "-U", "admin")) {
            s.awaitReady();
            assertFalse(s.output().contains("trust"), s.output());
            assertTrue(Files.readString(data.resolve("pg_hba.conf")).contains("127.0.0.1/32            scram-sha-256"));
            assertTrue(Files.readString(data.resolve("global/pg_authid.bootstrap"))
                    .contains("admin\ttrue\tSCRAM-SHA-256$4096:"));
        }
    }
}
