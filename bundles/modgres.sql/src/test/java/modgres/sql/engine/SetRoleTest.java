package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * SET ROLE / SET SESSION AUTHORIZATION and the one current-role notion privilege checks and CREATE use:
 * PostgreSQL 15's outputs, errors and transactional behaviour (SET LOCAL, rollback, savepoints).
 */
class SetRoleTest extends DataEngineTestBase {

    private List<String> who() {
        return table("SELECT current_user, session_user, current_role");
    }

    @Test
    void setRoleChangesCurrentUserButNotSessionUser() {
        exec("CREATE ROLE alice");
        assertEquals(List.of("current_user|session_user|current_role", "postgres|postgres|postgres"), who());
        assertEquals(List.of("role", "none"), table("SHOW role"));
        exec("SET ROLE alice");
        assertEquals(List.of("current_user|session_user|current_role", "alice|postgres|alice"), who());
        assertEquals(List.of("role", "alice"), table("SHOW role"));
        assertEquals(List.of("is_superuser", "off"), table("SHOW is_superuser"));
        exec("RESET ROLE");
        assertEquals(List.of("current_user|session_user|current_role", "postgres|postgres|postgres"), who());
        exec("SET ROLE alice", "SET ROLE NONE");
        assertEquals(List.of("role", "none"), table("SHOW role"));
        assertEquals(List.of("is_superuser", "on"), table("SHOW is_superuser"));
    }

    @Test
    void privilegesFollowTheCurrentRole() {
        exec("CREATE ROLE alice", "CREATE TABLE t (a int)", "INSERT INTO t VALUES (1)");
        exec("SET ROLE alice");
        error("SELECT * FROM t", "42501", "permission denied for table t");
        error("CHECKPOINT", "42501", "must be superuser to do CHECKPOINT");
        exec("RESET ROLE", "GRANT SELECT ON t TO alice", "SET ROLE alice");
        assertEquals(List.of("a", "1"), table("SELECT * FROM t"));
        // what the role creates, it owns
        exec("RESET ROLE", "GRANT CREATE ON SCHEMA public TO alice", "SET ROLE alice", "CREATE TABLE mine (x int)");
        exec("RESET ROLE");
        assertEquals(List.of("rolname", "alice"), table("SELECT r.rolname FROM pg_class c JOIN pg_authid r"
                + " ON r.oid = c.relowner WHERE c.relname = 'mine'"));
    }

    @Test
    void privilegeInquiryFunctionsAskForTheCurrentRole() {
        exec("CREATE ROLE alice", "CREATE TABLE t (a int)", "GRANT SELECT ON t TO alice");
        assertEquals(List.of("s|i|alice_s|alice_i|m", "t|t|t|f|t"), table("SELECT has_table_privilege('t', 'SELECT') AS s,"
                + " has_table_privilege('t', 'INSERT') AS i, has_table_privilege('alice', 't', 'SELECT') AS alice_s,"
                + " has_table_privilege('alice', 't'::regclass, 'INSERT, UPDATE') AS alice_i,"
                + " pg_has_role('alice', 'MEMBER') AS m"));
        exec("SET ROLE alice");
        assertEquals(List.of("s|i|m", "t|f|f"), table("SELECT has_table_privilege('t', 'SELECT') AS s,"
                + " has_table_privilege('t', 'INSERT') AS i, pg_has_role('postgres', 'MEMBER') AS m"));
        error("SELECT has_table_privilege('t', 'FLY')", "22023", "unrecognized privilege type: \"FLY\"");
    }

    @Test
    void onlySuperusersSetOtherRoles() {
        exec("CREATE ROLE alice", "CREATE ROLE bob");
        error("SET ROLE nobody", "22023", "role \"nobody\" does not exist");
        exec("SET SESSION AUTHORIZATION alice");
        assertEquals(List.of("current_user|session_user|current_role", "alice|alice|alice"), who());
        assertEquals(List.of("session_authorization", "alice"), table("SHOW session_authorization"));
        error("SET ROLE bob", "42501", "permission denied to set role \"bob\"");
        exec("SET ROLE alice"); // its own role is fine
        // the login role (a superuser) may always change the session authorization
        exec("SET SESSION AUTHORIZATION bob");
        assertEquals(List.of("current_user|session_user|current_role", "bob|bob|bob"), who());
        exec("RESET SESSION AUTHORIZATION");
        assertEquals(List.of("current_user|session_user|current_role", "postgres|postgres|postgres"), who());
        exec("SET SESSION AUTHORIZATION alice", "SET SESSION AUTHORIZATION DEFAULT");
        assertEquals(List.of("current_user|session_user|current_role", "postgres|postgres|postgres"), who());
    }

    @Test
    void setLocalAndRollbackRestoreTheRole() {
        exec("CREATE ROLE alice");
        exec("BEGIN", "SET LOCAL ROLE alice");
        assertEquals(List.of("current_user", "alice"), table("SELECT current_user"));
        exec("COMMIT");
        assertEquals(List.of("current_user", "postgres"), table("SELECT current_user"));
        exec("BEGIN", "SET ROLE alice", "ROLLBACK");
        assertEquals(List.of("current_user", "postgres"), table("SELECT current_user"));
        exec("BEGIN", "SAVEPOINT s", "SET ROLE alice", "ROLLBACK TO SAVEPOINT s");
        assertEquals(List.of("current_user", "postgres"), table("SELECT current_user"));
        exec("SET ROLE alice", "COMMIT");
        assertEquals(List.of("current_user", "alice"), table("SELECT current_user"));
        exec("RESET ALL"); // RESET ALL leaves the role alone, as PostgreSQL's
        assertEquals(List.of("current_user", "alice"), table("SELECT current_user"));
    }
}
