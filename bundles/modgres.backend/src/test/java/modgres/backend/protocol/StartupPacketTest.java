package modgres.backend.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

class StartupPacketTest {
    static StartupPacket packet(String... pairs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String s : pairs) {
            b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        b.write(0);
        byte[] a = b.toByteArray();
        return StartupPacket.parse(3 << 16, a, 0, a.length);
    }

    @Test
    void splitsLikePgSplitOpts() {
        assertEquals(List.of("-c", "search_path=a b", "x\\y", "--work-mem=1MB"),
                CommandLineOptions.split("  -c search_path=a\\ b\tx\\\\y   --work-mem=1MB "));
        assertEquals(List.of(), CommandLineOptions.split("   "));
    }

    @Test
    void switchesBecomeSettings() {
        assertEquals(Map.of("search_path", "a b", "work_mem", "1MB", "geqo", "off", "shared_buffers", "16"),
                CommandLineOptions.settings(CommandLineOptions.split(
                        "-c search_path=a\\ b --work-mem=1MB -cgeqo=off -B 16")));
        PgException e = assertThrows(PgException.class,
                () -> CommandLineOptions.settings(List.of("-c", "geqo")));
        assertEquals("-c geqo requires a value", e.getMessage());
        e = assertThrows(PgException.class, () -> CommandLineOptions.settings(List.of("--geqo")));
        assertEquals("--geqo requires a value", e.getMessage());
        e = assertThrows(PgException.class, () -> CommandLineOptions.settings(List.of("stray")));
        assertEquals("42601", e.sqlState());
    }

    @Test
    void parsesParameters() {
        StartupPacket p = packet("user", "alice", "application_name", "app", "options", "-c a=b", "client_encoding",
                "UTF8", "_pq_.x", "1", "c", "packet wins");
        assertEquals("alice", p.user());
        assertEquals("alice", p.database(), "database defaults to the user");
        assertEquals(Map.of("application_name", "app", "client_encoding", "UTF8", "c", "packet wins"),
                p.parameters());
        assertEquals(List.of("_pq_.x"), p.unrecognized());
        assertEquals("b", p.sessionSettings().get("a"));
        assertEquals("packet wins", packet("user", "u", "options", "-c c=option", "c", "packet wins")
                .sessionSettings().get("c"));
    }

    @Test
    void longNamesAreCut() {
        String longName = "x".repeat(70);
        assertEquals(63, packet("user", longName).user().length());
        assertEquals("é".repeat(31), packet("user", "é".repeat(40)).user(), "cut on a character boundary");
    }

    @Test
    void replicationValues() {
        assertEquals(null, packet("user", "u", "replication", "off").replicationMode());
        assertEquals("physical", packet("user", "u", "replication", "yes").replicationMode());
        assertEquals("database", packet("user", "u", "replication", "database").replicationMode());
        assertThrows(PgException.class, () -> packet("user", "u", "replication", "x").replicationMode());
    }
}
