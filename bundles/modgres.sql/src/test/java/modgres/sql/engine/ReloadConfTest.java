package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import modgres.api.backend.Peer;
import modgres.api.error.PgException;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlSession;

class ReloadConfTest extends EngineTestBase {

    @Test
    void aSuperuserAsksThePostmasterToReload() {
        AtomicInteger reloads = new AtomicInteger();
        try (SqlSession s = new EngineSession(new SessionInfo(1, "postgres", "postgres", new Peer(true, null, 0),
                Map.of()), settings, true, () -> reloads.incrementAndGet() > 0)) {
            assertEquals(List.of("T pg_reload_conf:16", "D t", "C SELECT 1"), run(s, "SELECT pg_reload_conf()"));
        }
        assertEquals(1, reloads.get());
    }

    @Test
    void withoutAPostmasterItAnswersFalse() {
        assertEquals(List.of("T pg_reload_conf:16", "D f", "C SELECT 1"), run("SELECT pg_reload_conf()"));
    }

    @Test
    void anOrdinaryRoleMayNotReload() {
        try (SqlSession alice = open("alice", "postgres", Map.of())) {
            PgException e = org.junit.jupiter.api.Assertions.assertThrows(PgException.class,
                    () -> run(alice, "SELECT pg_reload_conf()"));
            assertEquals("42501", e.sqlState());
            assertEquals("permission denied for function pg_reload_conf", e.getMessage());
        }
    }
}
