package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

class SettingsCommandTest extends EngineTestBase {

    @Test
    void setShowReset() {
        assertEquals(List.of("T work_mem:25", "D 4MB", "C SHOW"), run("SHOW work_mem"));
        assertEquals(List.of("C SET"), run("SET work_mem = 1024"));
        assertEquals("1MB", value("SHOW work_mem"));
        run("SET work_mem TO '8MB'");
        assertEquals("8MB", value("SHOW work_mem"));
        run("SET statement_timeout = 60000");
        assertEquals("1min", value("SHOW statement_timeout"));
        assertEquals(List.of("C RESET"), run("RESET work_mem"));
        assertEquals("4MB", value("SHOW work_mem"));
        run("SET SESSION work_mem = 2048");
        run("SET work_mem TO DEFAULT");
        assertEquals("4MB", value("SHOW work_mem"));
        run("SET work_mem = 2048; SET intervalstyle = 'ISO_8601'");
        assertEquals(List.of("C RESET"), run("RESET ALL"));
        assertEquals("4MB", value("SHOW work_mem"));
        assertEquals("postgres", value("SHOW IntervalStyle"));
    }

    @Test
    void showUsesPostgresNames() {
        assertEquals(List.of("T DateStyle:25", "D ISO, MDY", "C SHOW"), run("SHOW datestyle"));
        run("SET TIME ZONE 'Europe/Paris'");
        assertEquals(List.of("T TimeZone:25", "D Europe/Paris", "C SHOW"), run("SHOW timezone"));
    }

    @Test
    void showAll() {
        List<String> ev = run("SHOW ALL");
        assertEquals("T name:25 setting:25 description:25", ev.get(0));
        assertTrue(ev.contains("D DateStyle|ISO, MDY|Describes datestyle."), ev.toString());
        assertTrue(ev.indexOf("D DateStyle|ISO, MDY|Describes datestyle.") < ev.indexOf(
                "D default_transaction_read_only|off|Describes default_transaction_read_only."));
        assertEquals("C SHOW", ev.get(ev.size() - 1));
    }

    @Test
    void errors() {
        PgException e = error("SET nope = 1");
        assertEquals("42704", e.sqlState());
        assertEquals("unrecognized configuration parameter \"nope\"", e.getMessage());
        e = error("SHOW nope");
        assertEquals("42704", e.sqlState());
        e = error("SET work_mem = 'abc'");
        assertEquals("22023", e.sqlState());
        assertEquals("invalid value for parameter \"work_mem\": \"abc\"", e.getMessage());
        e = error("SET shared_buffers = 1");
        assertEquals("55P02", e.sqlState());
        assertEquals("parameter \"shared_buffers\" cannot be changed without restarting the server", e.getMessage());
        e = error("SET log_checkpoints = on");
        assertEquals("parameter \"log_checkpoints\" cannot be changed now", e.getMessage());
        e = error("SET server_version = '1'");
        assertEquals("parameter \"server_version\" cannot be changed", e.getMessage());
        e = error("SET log_connections = on");
        assertEquals("parameter \"log_connections\" cannot be set after connection start", e.getMessage());
    }

    @Test
    void setLocalRevertsAtTransactionEnd() {
        assertEquals(List.of("N WARNING 25P01 SET LOCAL can only be used in transaction blocks", "C SET"),
                run("SET LOCAL work_mem = 2048"));
        assertEquals("4MB", value("SHOW work_mem"));
        run("BEGIN");
        run("SET LOCAL work_mem = 2048");
        assertEquals("2MB", value("SHOW work_mem"));
        run("COMMIT");
        assertEquals("4MB", value("SHOW work_mem"));
    }

    @Test
    void setIsUndoneByRollback() {
        run("BEGIN");
        run("SET work_mem = 2048");
        run("SAVEPOINT a");
        run("SET work_mem = 3072");
        run("ROLLBACK TO a");
        assertEquals("2MB", value("SHOW work_mem"));
        run("ROLLBACK");
        assertEquals("4MB", value("SHOW work_mem"));
        run("BEGIN; SET work_mem = 2048; COMMIT");
        assertEquals("2MB", value("SHOW work_mem"));
    }

    @Test
    void changedParametersAreReported() {
        session.reportedParameters();
        assertEquals(Map.of(), session.takeChangedParameters());
        run("SET application_name = 'app'");
        run("SET work_mem = 2048");
        assertEquals(Map.of("application_name", "app"), session.takeChangedParameters());
        assertEquals(Map.of(), session.takeChangedParameters());
        run("SET TIME ZONE 'Asia/Tokyo'");
        assertEquals(Map.of("TimeZone", "Asia/Tokyo"), session.takeChangedParameters());
    }

    @Test
    void currentSettingAndSetConfig() {
        assertEquals(List.of("T current_setting:25", "D ISO, MDY", "C SELECT 1"),
                run("SELECT current_setting('DateStyle')"));
        assertEquals("t", value("SELECT current_setting('nope', true) IS NULL"));
        assertEquals(List.of("T set_config:25", "D 8MB", "C SELECT 1"),
                run("SELECT set_config('work_mem', '8MB', false)"));
        assertEquals("8MB", value("SHOW work_mem"));
        PgException e = error("SELECT current_setting('nope')");
        assertEquals("42704", e.sqlState());
        run("BEGIN");
        run("SELECT set_config('work_mem', '1MB', true)");
        assertEquals("1MB", value("SHOW work_mem"));
        run("COMMIT");
        assertEquals("8MB", value("SHOW work_mem"));
    }

    @Test
    void sessionAuthorizationIsComputed() {
        assertEquals(List.of("T is_superuser:25", "D on", "C SHOW"), run("SHOW is_superuser"));
        assertEquals("postgres", value("SHOW session_authorization"));
        // without a catalog only the login role is known (SetRoleTest covers roles of pg_authid)
        assertEquals("42704", error("SET SESSION AUTHORIZATION alice").sqlState());
        assertEquals("22023", error("SET ROLE alice").sqlState());
        run("SET ROLE postgres");
        assertEquals("postgres", value("SHOW role"));
    }
}
