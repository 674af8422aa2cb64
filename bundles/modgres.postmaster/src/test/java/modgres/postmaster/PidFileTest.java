package modgres.postmaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.error.PgException;

class PidFileTest {
    @TempDir
    Path dir;

    @Test
    void writesPostgresEightLineFormat() throws Exception {
        PidFile f = PidFile.acquire(dir, 4242, 1700000000L, 5433);
        List<String> lines = Files.readAllLines(dir.resolve("postmaster.pid"));
        assertEquals(List.of("4242", dir.toString(), "1700000000", "5433", "", "", "  5433001         0",
                "starting"), lines);
        f.set(PidFile.LINE_STATUS, "ready");
        assertEquals("ready   ", Files.readAllLines(dir.resolve("postmaster.pid")).get(7));
        f.set(PidFile.LINE_SOCKET_DIR, "/tmp");
        assertEquals("/tmp", Files.readAllLines(dir.resolve("postmaster.pid")).get(4));
        f.remove();
        assertFalse(Files.exists(dir.resolve("postmaster.pid")));
    }

    @Test
    void refusesWhenALiveProcessHoldsTheLock() throws Exception {
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(dir.resolve("postmaster.pid"), live + "\n");
        PgException e = assertThrows(PgException.class, () -> PidFile.acquire(dir, 4242, 0, 5432));
        assertEquals("F0001", e.sqlState());
        assertEquals("lock file \"postmaster.pid\" already exists", e.getMessage());
        assertEquals("Is another postmaster (PID " + live + ") running in data directory \"" + dir + "\"?",
                e.hint());
    }

    @Test
    void takesOverAStaleLockFromADeadProcess() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Files.writeString(dir.resolve("postmaster.pid"), p.pid() + "\n");
        PidFile.acquire(dir, 4242, 0, 5432);
        assertEquals("4242", Files.readAllLines(dir.resolve("postmaster.pid")).get(0));
    }

    @Test
    void takesOverAGarbledLockFile() throws Exception {
        Files.writeString(dir.resolve("postmaster.pid"), "not a pid\n");
        PidFile.acquire(dir, 4242, 0, 5432);
        assertEquals("4242", Files.readAllLines(dir.resolve("postmaster.pid")).get(0));
    }
}
