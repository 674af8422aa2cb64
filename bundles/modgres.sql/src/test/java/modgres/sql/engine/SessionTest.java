package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;
import modgres.api.sql.SqlEngine.Role;
import modgres.api.sql.SqlSession;

class SessionTest extends EngineTestBase {

    @Test
    void rolesComeFromTheBootstrapFile() {
        Role r = engine.role("postgres").orElseThrow();
        assertTrue(r.superuser());
        assertTrue(r.canLogin());
        assertEquals("SCRAM-SHA-256$4096:abc", r.passwordVerifier());
        Role a = engine.role("alice").orElseThrow();
        assertFalse(a.superuser());
        assertNull(a.passwordVerifier());
        assertTrue(engine.role("bob").isEmpty());
    }

    @Test
    void unknownDatabaseAndRoleAreFatal() {
        PgException e = assertThrows(PgException.class, () -> open("postgres", "nope", Map.of()));
        assertEquals("3D000", e.sqlState());
        assertEquals("database \"nope\" does not exist", e.getMessage());
        e = assertThrows(PgException.class, () -> open("bob", "postgres", Map.of()));
        assertEquals("28000", e.sqlState());
        open("postgres", "template1", Map.of()).close();
    }

    @Test
    void startupParametersAreApplied() {
        SqlSession s = open("postgres", "postgres", Map.of("application_name", "psql", "DateStyle", "ISO",
                "TimeZone", "Europe/Berlin"));
        Map<String, String> rep = s.reportedParameters();
        assertEquals(List.of("application_name", "client_encoding", "DateStyle", "default_transaction_read_only",
                "in_hot_standby", "integer_datetimes", "IntervalStyle", "is_superuser", "server_encoding",
                "server_version", "session_authorization", "standard_conforming_strings", "TimeZone"),
                List.copyOf(rep.keySet()));
        assertEquals("psql", rep.get("application_name"));
        assertEquals("ISO, MDY", rep.get("DateStyle"));
        assertEquals("Europe/Berlin", rep.get("TimeZone"));
        assertEquals("on", rep.get("is_superuser"));
        assertEquals("postgres", rep.get("session_authorization"));
        assertEquals("15.0 (Modgres 0.1.0)", rep.get("server_version"));
        // RESET goes back to the client's value
        run(s, "SET application_name = 'x'");
        run(s, "RESET application_name");
        assertEquals(List.of("T application_name:25", "D psql", "C SHOW"), run(s, "SHOW application_name"));
        s.close();
    }

    @Test
    void badStartupParameters() {
        PgException e = assertThrows(PgException.class, () -> open("postgres", "postgres", Map.of("nope", "1")));
        assertEquals("42704", e.sqlState());
        assertEquals("unrecognized configuration parameter \"nope\"", e.getMessage());
        e = assertThrows(PgException.class,
                () -> open("postgres", "postgres", Map.of("work_mem", "abc")));
        assertEquals("22023", e.sqlState());
        e = assertThrows(PgException.class,
                () -> open("postgres", "postgres", Map.of("shared_buffers", "1")));
        assertEquals("55P02", e.sqlState());
        // backend settings may be set at start by a superuser, not by others
        open("postgres", "postgres", Map.of("log_connections", "on")).close();
        e = assertThrows(PgException.class, () -> open("alice", "postgres", Map.of("log_connections", "on")));
        assertEquals("42501", e.sqlState());
    }

    @Test
    void notSuperuser() {
        SqlSession s = open("alice", "postgres", Map.of());
        assertEquals("off", s.reportedParameters().get("is_superuser"));
        PgException e = assertThrows(PgException.class, () -> run(s, "SET lc_messages = 'C'"));
        assertEquals("42501", e.sqlState());
        assertEquals("permission denied to set parameter \"lc_messages\"", e.getMessage());
        s.close();
    }

    @Test
    void cancelStopsTheRunningStatementOnly() {
        session.cancel(); // idle: ignored
        assertEquals(List.of("T ?column?:23", "D 1", "C SELECT 1"), run("SELECT 1"));
        RecordingSink sink = new RecordingSink() {
            @Override
            public void commandComplete(String tag) {
                super.commandComplete(tag);
                session.cancel();
            }
        };
        PgException e = assertThrows(PgException.class, () -> session.simpleQuery("SELECT 1; SELECT 2", sink));
        assertEquals("57014", e.sqlState());
        assertEquals("canceling statement due to user request", e.getMessage());
        assertEquals(List.of("T ?column?:23", "D 1", "C SELECT 1"), sink.events);
        assertEquals('I', session.transactionStatus());
    }

    @Test
    void unsupportedStatements() {
        PgException e = error("CREATE TABLE t (a int)");
        assertEquals("0A000", e.sqlState());
        assertEquals("CREATE TABLE is not supported yet", e.getMessage());
        assertEquals(1, e.position());
        e = error("SELECT 1; INSERT INTO t VALUES (1)");
        assertEquals("INSERT is not supported yet", e.getMessage());
        assertEquals(11, e.position());
        e = error("SELECT 1 FROM t");
        assertEquals("0A000", e.sqlState());
    }

    @Test
    void syntaxErrorsComeFromTheParser() {
        PgException e = error("SELEC 1");
        assertEquals("42601", e.sqlState());
        assertEquals("syntax error at or near \"SELEC\"", e.getMessage());
        assertEquals(1, e.position());
        assertEquals(List.of("I"), run("  ;  "));
    }

    @Test
    void parserNoticesReachTheClient() {
        String longName = "a".repeat(70);
        List<String> ev = run("SELECT 1 AS " + longName);
        assertTrue(ev.get(0).startsWith("N NOTICE 42622 identifier"), ev.toString());
        assertEquals("T " + "a".repeat(63) + ":23", ev.get(1));
    }
}
