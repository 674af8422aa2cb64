package modgres.console.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.server.ProcessInfo;

class ProcessTreeFormatterTest {

    @Test
    void drawsPostmasterProcessesAndThreads() {
        Thread logger = new Thread(() -> { }, "modgres logger");
        Thread cp1 = new Thread(() -> { }, "checkpointer");
        Thread cp2 = new Thread(() -> { }, "checkpointer io");
        List<ProcessInfo> ps = List.of(
                new ProcessInfo(4712, "logger", "modgres.logger", List.of(logger)),
                new ProcessInfo(4713, "checkpointer", "modgres.checkpointer", List.of(cp1, cp2)),
                new ProcessInfo(4714, "postgres: alice shop 127.0.0.1(5432) idle", "modgres.backend", List.of()));
        assertEquals("""
                4711 postmaster -D /srv/data
                ├─ 4712 logger
                │  └─ {modgres logger} NEW
                ├─ 4713 checkpointer
                │  ├─ {checkpointer} NEW
                │  └─ {checkpointer io} NEW
                └─ 4714 postgres: alice shop 127.0.0.1(5432) idle
                """, ProcessTreeFormatter.format(4711, "/srv/data", ps));
    }

    @Test
    void lastProcessThreadsAreIndentedWithoutPipe() {
        Thread t = Thread.currentThread();
        String out = ProcessTreeFormatter.format(1, "/d",
                List.of(new ProcessInfo(2, "logger", "modgres.logger", List.of(t))));
        assertEquals("1 postmaster -D /d\n└─ 2 logger\n   └─ {" + t.getName() + "} RUNNABLE\n", out);
    }

    @Test
    void postmasterThreadsHangFromTheRoot() {
        Thread main = new Thread(() -> { }, "postmaster");
        String out = ProcessTreeFormatter.format(7, "/d", List.of(
                new ProcessInfo(8, "logger", "modgres.logger", List.of()),
                new ProcessInfo(7, "postmaster", "modgres.postmaster", List.of(main))));
        assertEquals("7 postmaster -D /d\n├─ {postmaster} NEW\n└─ 8 logger\n", out);
    }

    @Test
    void noProcessesIsJustThePostmaster() {
        assertEquals("7 postmaster -D /d\n", ProcessTreeFormatter.format(7, "/d", List.of()));
    }
}
