package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Point-in-time recovery with the real server: WAL archiving (archive_mode =
 * on with the gzip_archive module, or the basic_archive-like copy module), a
 * base backup (a copy of the cleanly stopped data
 * directory), more transactions archived after it (pg_switch_wal), then the
 * copy started with recovery.signal and restore_command: fully (every row,
 * and archiving goes on afterwards), to a recovery_target_xid and to a
 * recovery_target_lsn (only the rows up to it).
 */
class ArchiveRecoveryIT {
    private static final Duration ARCHIVED = Duration.ofSeconds(60);

    private static Connection connect(int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    /** The copy module's jar, when it was built (the launcher does not package it). */
    private static Path copyModuleJar() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("modgres.archiver.copy.jar");
        if (prop != null) {
            candidates.add(Paths.get(prop));
        }
        String version = Version.class.getPackage().getImplementationVersion();
        for (String v : new String[] {version, "0.1.0-SNAPSHOT"}) {
            if (v == null) {
                continue;
            }
            candidates.add(Paths.get("..", "bundles", "modgres.archiver.copy", "target",
                    "modgres.archiver.copy-" + v + ".jar").toAbsolutePath().normalize());
            candidates.add(Paths.get(System.getProperty("user.home"), ".m2", "repository", "org", "modgres",
                    "modgres.archiver.copy", v, "modgres.archiver.copy-" + v + ".jar"));
        }
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }

    private static String console(Path data, String commands) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                ServerRunner.jar().toString(), "--console", "-D", data.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write((commands + "\nexit\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /**
     * The archiving of the servers: an archive module made active from the console after start-up
     * ({@code modgres:swap archiver gzip_archive}, else basic_archive; with an older launcher that has no
     * alternatives, the copy module's jar installed and the shell module stopped).
     */
    private static final class Archiving {
        final Path archive;
        String module;

        Archiving(Path archive) {
            this.archive = archive;
        }

        List<String> settings() {
            return new ArrayList<>(List.of("-c", "archive_mode=on", "-c", "basic_archive.archive_directory=" + archive,
                    "-c", "gzip_archive.archive_directory=" + archive));
        }

        /** After the server is ready: make the archive module the active one (the same one every time). */
        void activate(Path data) throws Exception {
            for (String m : module == null ? List.of("gzip_archive", "basic_archive") : List.of(module)) {
                String out = console(data, "modgres:swap archiver " + m);
                if (out.contains("-> " + m)) {
                    module = m;
                    return;
                }
            }
            Path copyJar = copyModuleJar();
            assertTrue(copyJar != null, "no archive module to swap in");
            String listing = console(data, "start " + copyJar.toUri() + "\nlb -s modgres.archiver");
            Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\|Active\\s*\\|\\s*\\d+\\|modgres\\.archiver\\.command ")
                    .matcher(listing);
            assertTrue(m.find(), listing);
            console(data, "stop " + m.group(1));
            module = "basic_archive";
        }

        /** Where a segment ends up in the archive. */
        Path archived(String segment) {
            return archive.resolve("gzip_archive".equals(module) ? segment + ".gz" : segment);
        }

        /** The restore_command that reads the archive back. */
        String restoreCommand() {
            return "gzip_archive".equals(module) ? "restore_command=gunzip -c " + archive + "/%f.gz > %p"
                    : "restore_command=cp " + archive + "/%f %p";
        }
    }

    private static void execute(int port, String... sql) throws SQLException {
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static String query(int port, String sql) throws SQLException {
        try (Connection c = connect(port); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static List<Integer> ids(int port) throws SQLException {
        List<Integer> ids = new ArrayList<>();
        try (Connection c = connect(port); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM t ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getInt(1));
            }
        }
        return ids;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            l.add(i);
        }
        return l;
    }

    /** Switches segments and waits until every completed segment is archived (no .ready left); returns its name. */
    private static String switchAndAwaitArchived(ServerRunner server, int port, Path data, Archiving archiving)
            throws Exception {
        Path archive = archiving.archive;
        String lsn = query(port, "SELECT pg_switch_wal()");
        long switched = parseLsn(lsn) - 1;
        String segment = String.format("%08X%08X%08X", 1, switched / (16L << 20) / 256, switched / (16L << 20) % 256);
        Path status = data.resolve("pg_wal/archive_status");
        long deadline = System.nanoTime() + ARCHIVED.toNanos();
        while (System.nanoTime() < deadline) {
            boolean ready;
            try (Stream<Path> s = Files.list(status)) {
                ready = s.anyMatch(p -> p.getFileName().toString().endsWith(".ready"));
            }
            if (!ready && Files.exists(status.resolve(segment + ".done")) && Files.exists(archiving.archived(segment))) {
                return segment;
            }
            Thread.sleep(100);
        }
        try (Stream<Path> st = Files.list(status); Stream<Path> ar = Files.list(archive)) {
            throw new AssertionError("segment " + segment + " (pg_switch_wal() = " + lsn + ") not archived within "
                    + ARCHIVED + "; archive_status: " + st.map(p -> p.getFileName().toString()).sorted().toList()
                    + "; archive: " + ar.map(p -> p.getFileName().toString()).sorted().toList() + "; output:\n"
                    + server.output());
        }
    }

    private static long parseLsn(String s) {
        int slash = s.indexOf('/');
        return Long.parseLong(s.substring(0, slash), 16) << 32 | Long.parseLong(s.substring(slash + 1), 16);
    }

    /** A copy of a stopped data directory (permissions kept; sockets left out). */
    private static void copyDataDirectory(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p) || Files.isRegularFile(p)) {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static String[] args(List<String> a) {
        return a.toArray(String[]::new);
    }

    @Test
    void pointInTimeRecoveryFromArchivedSegments() throws Exception {
        Path tmp = ServerRunner.tempDir("modgres-pitr-", false);
        Path archive = Files.createDirectory(tmp.resolve("archive"));
        Path data = tmp.resolve("data");
        Path backup = tmp.resolve("backup");
        int port = ServerRunner.freePort();
        Archiving archiving = new Archiving(archive);
        try {
            // 1. rows 1..10, then a clean stop.
            try (ServerRunner s = ServerRunner.start(data, port, false, true, args(archiving.settings()))) {
                s.awaitReady();
                archiving.activate(data);
                execute(port, "CREATE TABLE t (id integer PRIMARY KEY, note text)");
                for (int i = 1; i <= 10; i++) {
                    execute(port, "INSERT INTO t VALUES (" + i + ", 'before the backup')");
                }
            }
            assertFalse(Files.exists(data.resolve("postmaster.pid")), "stopped");

            // 2. The base backup: the whole stopped data directory.
            copyDataDirectory(data, backup);

            // 3. More rows, each its own transaction, over three archived segments; remember the xid of row 15
            // and the LSN after its commit (both in the second segment).
            String xid15;
            String lsnAfter15;
            try (ServerRunner s = ServerRunner.start(data, port, false, true, args(archiving.settings()))) {
                s.awaitReady();
                archiving.activate(data);
                for (int i = 11; i <= 14; i++) {
                    execute(port, "INSERT INTO t VALUES (" + i + ", 'after the backup')");
                    if (i == 12) {
                        switchAndAwaitArchived(s, port, data, archiving);
                    }
                }
                try (Connection c = connect(port); Statement st = c.createStatement()) {
                    c.setAutoCommit(false);
                    st.execute("INSERT INTO t VALUES (15, 'the target')");
                    try (ResultSet rs = st.executeQuery("SELECT txid_current()")) {
                        assertTrue(rs.next());
                        xid15 = rs.getString(1);
                    }
                    c.commit();
                }
                lsnAfter15 = query(port, "SELECT pg_current_wal_lsn()");
                for (int i = 16; i <= 20; i++) {
                    execute(port, "INSERT INTO t VALUES (" + i + ", 'after the target')");
                    if (i == 17) {
                        switchAndAwaitArchived(s, port, data, archiving);
                    }
                }
                String last = switchAndAwaitArchived(s, port, data, archiving);
                assertFalse(s.output().contains("failed too many times"), s.output());
                // pg_stat_archiver, through the stats collector slot
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                String row = "";
                while (System.nanoTime() < deadline) {
                    row = query(port, "SELECT archived_count || ' ' || last_archived_wal || ' ' || failed_count "
                            + "FROM pg_stat_archiver");
                    if (row.endsWith(" " + last + " 0") && Long.parseLong(row.split(" ")[0]) >= 3) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertTrue(row.endsWith(" " + last + " 0") && Long.parseLong(row.split(" ")[0]) >= 3, row);
            }

            String restore = archiving.restoreCommand();

            // 4. Full archive recovery: every row; archiving goes on after it.
            Path full = tmp.resolve("full");
            copyDataDirectory(backup, full);
            Files.createFile(full.resolve("recovery.signal"));
            List<String> a = new ArrayList<>(archiving.settings());
            a.addAll(List.of("-c", restore));
            try (ServerRunner s = ServerRunner.start(full, port, false, true, args(a))) {
                s.awaitReady();
                String out = s.output();
                assertTrue(out.contains("LOG:  starting archive recovery"), out);
                assertTrue(Pattern.compile("restored log file \"[0-9A-F]{24}\" from archive").matcher(out).results()
                        .count() >= 3, out);
                assertTrue(out.contains("LOG:  redo starts at "), out);
                assertTrue(out.contains("LOG:  redo done at "), out);
                assertTrue(out.contains("LOG:  archive recovery complete"), out);
                assertTrue(out.indexOf("archive recovery complete") < out.indexOf(ServerRunner.READY), out);
                assertFalse(out.contains("FATAL"), out);
                assertFalse(Files.exists(full.resolve("recovery.signal")), "removed at the end of recovery");
                assertEquals(range(1, 20), ids(port));
                assertEquals("the target", query(port, "SELECT note FROM t WHERE id = 15"));

                // The recovered server writes on, and its segments are archived too.
                archiving.activate(full);
                for (int i = 21; i <= 25; i++) {
                    execute(port, "INSERT INTO t VALUES (" + i + ", 'after recovery')");
                }
                switchAndAwaitArchived(s, port, full, archiving);
                assertEquals(range(1, 25), ids(port));
                assertFalse(s.output().contains("failed too many times"), s.output());
                assertFalse(s.output().contains("already exists\n"), s.output());
            }

            // 5. To recovery_target_xid = the transaction of row 15 (inclusive): rows 1..15.
            Path toXid = tmp.resolve("to-xid");
            copyDataDirectory(backup, toXid);
            Files.createFile(toXid.resolve("recovery.signal"));
            try (ServerRunner s = ServerRunner.start(toXid, port, false, true, "-c", restore, "-c",
                    "recovery_target_xid=" + xid15, "-c", "recovery_target_action=promote")) {
                s.awaitReady();
                String out = s.output();
                assertTrue(out.contains("LOG:  starting point-in-time recovery to XID " + xid15), out);
                assertTrue(out.contains("LOG:  recovery stopping after commit of transaction " + xid15 + ", time "),
                        out);
                assertTrue(out.contains("LOG:  archive recovery complete"), out);
                assertEquals(range(1, 15), ids(port));
                // and the recovered server works on from there
                execute(port, "INSERT INTO t VALUES (16, 'another history')");
                assertEquals("another history", query(port, "SELECT note FROM t WHERE id = 16"));
            }

            // 6. To recovery_target_lsn = right after row 15's commit: rows 1..15.
            Path toLsn = tmp.resolve("to-lsn");
            copyDataDirectory(backup, toLsn);
            Files.createFile(toLsn.resolve("recovery.signal"));
            try (ServerRunner s = ServerRunner.start(toLsn, port, false, true, "-c", restore, "-c",
                    "recovery_target_lsn=" + lsnAfter15, "-c", "recovery_target_action=promote")) {
                s.awaitReady();
                String out = s.output();
                assertTrue(out.contains("LOG:  starting point-in-time recovery to WAL location (LSN) \""
                        + lsnAfter15 + "\""), out);
                assertTrue(out.contains("LOG:  recovery stopping after WAL location (LSN) \""), out);
                assertEquals(range(1, 15), ids(port));
            }

            // 7. A warm standby: replays what the archive has, refuses connections meanwhile, keeps polling
            // restore_command; a "promote" file (pg_ctl promote) ends recovery.
            Path standby = tmp.resolve("standby");
            copyDataDirectory(backup, standby);
            Files.createFile(standby.resolve("standby.signal"));
            try (ServerRunner s = ServerRunner.start(standby, port, false, true, "-c", restore, "-c",
                    "wal_retrieve_retry_interval=500ms")) {
                s.awaitOutput("LOG:  entering standby mode", Duration.ofSeconds(60));
                s.awaitOutput("LOG:  redo starts at ", Duration.ofSeconds(60));
                Thread.sleep(1_500);
                assertFalse(s.output().contains(ServerRunner.READY), s.output());
                SQLException refused = null;
                try (Connection c = connect(port)) {
                    // not expected
                } catch (SQLException e) {
                    refused = e;
                }
                assertTrue(refused != null && "57P03".equals(refused.getSQLState()), String.valueOf(refused));
                assertTrue(refused.getMessage().contains("the database system is starting up"), refused.getMessage());
                Files.createFile(standby.resolve("promote"));
                s.awaitReady();
                String out = s.output();
                assertTrue(out.contains("LOG:  received promote request"), out);
                assertTrue(out.indexOf("LOG:  archive recovery complete") < out.indexOf(ServerRunner.READY), out);
                assertFalse(Files.exists(standby.resolve("standby.signal")));
                assertFalse(Files.exists(standby.resolve("promote")));
                assertEquals(range(1, 25), ids(port), "everything archived, the recovered server's rows too");
            }

            // 8. The default recovery_target_action (pause) is refused at start, with a hint.
            Path paused = tmp.resolve("paused");
            copyDataDirectory(backup, paused);
            Files.createFile(paused.resolve("recovery.signal"));
            try (ServerRunner s = ServerRunner.start(paused, port, false, true, "-c", restore, "-c",
                    "recovery_target_xid=" + xid15)) {
                assertTrue(s.awaitExit(Duration.ofSeconds(60)) != 0, s.output());
                assertTrue(s.output().contains("FATAL:  recovery_target_action \"pause\" is not supported"),
                        s.output());
            }
        } finally {
            ServerRunner.deleteTree(tmp);
        }
    }
}
