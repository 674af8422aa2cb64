package modgres.console.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.backend.BackendMemory;
import modgres.api.backend.BackendStatus;

class MemoryFormatterTest {

    private static BackendStatus backend(long pid, String user, String state, BackendMemory m) {
        return new BackendStatus(pid, user == null ? null : "shop", user, "", "127.0.0.1", 5000, 0, 0, 0, 0, state,
                "", m);
    }

    @Test
    void oneLinePerBackendInKilobytes() {
        List<BackendStatus> bs = List.of(
                backend(4714, "alice", "active", new BackendMemory(4_075_520, 4_194_304, 8_386_560, 12, 1024, 3,
                        25_165_824)),
                backend(4715, "bob", "idle", new BackendMemory(0, 1, 2048, 0, 1024, 0, 0)),
                backend(4716, null, null, null));
        assertEquals("""
                 PID  USER   DATABASE  STATE     WORK MEM kB  QUERY PEAK kB  SESSION PEAK kB  TEMP BUFFERS  TEMP FILES  TEMP FILE kB
                4714  alice  shop      active           3980           4096             8190       12/1024           3         24576
                4715  bob    shop      idle                0              1                2        0/1024           0             0
                4716                   starting            -              -                -             -           -             -
                """, MemoryFormatter.format(bs));
    }

    @Test
    void noBackends() {
        assertEquals("no backends\n", MemoryFormatter.format(List.of()));
    }

    @Test
    void statusWithoutMemoryKeepsTheOldConstructor() {
        BackendStatus s = new BackendStatus(1, "d", "u", "", null, -1, 0, 0, 0, 0, "idle", "");
        assertEquals(null, s.memory());
    }
}
