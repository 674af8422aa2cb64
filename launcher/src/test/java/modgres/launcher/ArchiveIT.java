package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * WAL archiving in the running server, and a live swap of the archive module
 * from the console: segment 1 goes through archive_command, then the
 * basic_archive-like module is installed, the shell module stopped, and
 * segment 2 goes to the other directory. Nothing lost, nothing archived twice.
 */
class ArchiveIT {
    static final String SEG1 = "000000010000000000000001";
    static final String SEG2 = "000000010000000000000002";

    private static String console(Path data, String commands) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                ServerRunner.jar().toString(), "--console", "-D", data.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write((commands + "\nexit\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static String psql(int port, String sql) throws Exception {
        return ServerRunner.run("psql", "-X", "-At", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U",
                "postgres", "-c", sql).output().trim();
    }

    private static void await(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(file), file + " did not appear");
    }

    @Test
    void segmentsAreArchivedAndTheModuleIsSwappedLive() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/psql")), "psql is not installed");
        Path tmp = ServerRunner.tempDir("modgres-archive-", false);
        Path shellDir = Files.createDirectory(tmp.resolve("shell"));
        Path copyDir = Files.createDirectory(tmp.resolve("copy"));
        Path data = tmp.resolve("data");
        try (ServerRunner s = ServerRunner.start(data, false, "-c", "archive_mode=on", "-c",
                "archive_command=cp %p " + shellDir + "/%f", "-c", "basic_archive.archive_directory=" + copyDir)) {
            s.awaitReady();
            Path status = data.resolve("pg_wal/archive_status");

            // Segment 1 through the shell module (archive_command).
            assertTrue(console(data, "modgres:checkpoint").contains("CHECKPOINT"));
            assertEquals("0/1", psql(s.port, "SELECT pg_switch_wal()").substring(0, 3));
            await(status.resolve(SEG1 + ".done"));
            assertTrue(Files.exists(shellDir.resolve(SEG1)));

            // The swap, one console command: the copy module (installed, not started, by the feature)
            // is started, and the shell module stopped once the copy module's service is there.
            String impls = console(data, "modgres:impls");
            assertTrue(Pattern.compile("(?m)^archiver +shell .*in use").matcher(impls).find(), impls);
            assertTrue(Pattern.compile("(?m)^archiver +basic_archive .*installed").matcher(impls).find(),
                    impls);
            String swapped = console(data, "modgres:swap archiver basic_archive");
            assertTrue(swapped.contains("archiver: shell -> basic_archive in "), swapped);
            impls = console(data, "modgres:impls");
            assertTrue(Pattern.compile("(?m)^archiver +basic_archive .*in use").matcher(impls).find(), impls);

            // Segment 2 through the copy module.
            assertTrue(console(data, "modgres:checkpoint").contains("CHECKPOINT"));
            psql(s.port, "SELECT pg_switch_wal()");
            await(status.resolve(SEG2 + ".done"));
            assertTrue(Files.exists(copyDir.resolve(SEG2)), "archived by the copy module");
            assertFalse(Files.exists(shellDir.resolve(SEG2)), "not by the stopped shell module");
            assertFalse(Files.exists(copyDir.resolve(SEG1)), "segment 1 was not archived twice");
            assertEquals(Files.mismatch(data.resolve("pg_wal").resolve(SEG2), copyDir.resolve(SEG2)), -1L);
            assertFalse(s.output().contains("failed too many times"), s.output());
        } finally {
            ServerRunner.deleteTree(tmp);
        }
    }
}
