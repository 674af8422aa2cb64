package modgres.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debian's pg_ctl (PostgreSQL 15) manages a Modgres data directory: status,
 * reload, stop in each mode. pg_ctl refuses to run as root, so under a root
 * test JVM the server and pg_ctl run as the user postgres.
 */
class PgCtlIT {
    static final Path PG_CTL = Paths.get("/usr/lib/postgresql/15/bin/pg_ctl");
    private Path tmp;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PG_CTL), "PostgreSQL 15's pg_ctl is not installed");
        tmp = ServerRunner.tempDir("modgres-pgctl-", true);
    }

    @AfterEach
    void tearDown() {
        ServerRunner.deleteTree(tmp);
    }

    private ServerRunner.Result pgCtl(Path data, String... args) throws Exception {
        String[] cmd = new String[args.length + 3];
        cmd[0] = PG_CTL.toString();
        cmd[1] = "-D";
        cmd[2] = data.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        return ServerRunner.run(true, cmd);
    }

    @Test
    void statusReloadAndStopFastAndSmart() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerRunner s = ServerRunner.start(data, true)) {
            s.awaitReady();
            ServerRunner.Result status = pgCtl(data, "status");
            assertEquals(0, status.status(), status.output());
            assertTrue(status.output().contains("server is running (PID: " + s.postmasterPid() + ")"),
                    status.output());
            assertTrue(status.output().contains("modgres.jar"), "postmaster.opts is shown: " + status.output());

            ServerRunner.Result reload = pgCtl(data, "reload");
            assertEquals(0, reload.status(), reload.output());
            assertTrue(reload.output().contains("server signaled"), reload.output());
            s.awaitOutput("received SIGHUP, reloading configuration files", Duration.ofSeconds(30));

            ServerRunner.Result stop = pgCtl(data, "stop", "-m", "fast");
            assertEquals(0, stop.status(), stop.output());
            assertTrue(stop.output().contains("server stopped"), stop.output());
            assertTrue(s.output().contains("received fast shutdown request"), s.output());
            assertEquals(0, s.awaitExit(Duration.ofSeconds(30)));
            assertFalse(Files.exists(data.resolve("postmaster.pid")));

            ServerRunner.Result none = pgCtl(data, "status");
            assertEquals(3, none.status(), none.output());
            assertTrue(none.output().contains("no server running"), none.output());
        }
        try (ServerRunner s = ServerRunner.start(data, true)) {
            s.awaitReady();
            ServerRunner.Result stop = pgCtl(data, "stop", "-m", "smart");
            assertEquals(0, stop.status(), stop.output());
            assertTrue(s.output().contains("received smart shutdown request"), s.output());
            assertTrue(s.output().contains(ServerRunner.SHUT_DOWN), s.output());
        }
    }

    @Test
    void stopImmediateTakesSigquitAsPostgresDoes() throws Exception {
        Path data = tmp.resolve("data");
        try (ServerRunner s = ServerRunner.start(data, true)) {
            s.awaitReady();
            ServerRunner.Result stop = pgCtl(data, "stop", "-m", "immediate");
            assertEquals(0, stop.status(), stop.output());
            assertTrue(stop.output().contains("server stopped"), stop.output());
            s.awaitExit(Duration.ofSeconds(30));
            assertTrue(s.output().contains("received immediate shutdown request"), s.output());
            assertFalse(Files.exists(data.resolve("postmaster.pid")));
        }
    }
}
