package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * Column privileges: GRANT / REVOKE priv (cols) ON t kept in pg_attribute.attacl, the checks of SELECT /
 * INSERT / UPDATE against them, and error details cut to the columns the role may see -- PostgreSQL 15's
 * behaviour and texts (its regression tests privileges.sql and insert.sql).
 */
class ColumnPrivilegesTest extends DataEngineTestBase {

    @Test
    void grantStoresTheColumnAcl() {
        exec("CREATE ROLE alice", "CREATE TABLE t (a int, b int)", "GRANT SELECT (a), UPDATE (a, b) ON t TO alice");
        assertEquals(List.of("attname|attacl", "a|{alice=rw/postgres}", "b|{alice=w/postgres}"),
                table("SELECT attname, attacl FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0"
                        + " ORDER BY attnum"));
        exec("REVOKE UPDATE (b) ON t FROM alice");
        assertEquals(List.of("attname|attacl", "a|{alice=rw/postgres}", "b|"),
                table("SELECT attname, attacl FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0"
                        + " ORDER BY attnum"));
        error("GRANT DELETE (a) ON t TO alice", "0LP01", "invalid privilege type DELETE for column");
        assertEquals(List.of("ca|cb|t", "t|f|f"), table("SELECT has_column_privilege('alice', 't', 'a', 'SELECT') AS ca,"
                + " has_column_privilege('alice', 't', 'b', 'SELECT') AS cb,"
                + " has_table_privilege('alice', 't', 'SELECT') AS t"));
    }

    @Test
    void selectNeedsEveryColumnItUses() {
        exec("CREATE ROLE alice", "CREATE TABLE t (a int, b int)", "INSERT INTO t VALUES (1, 2)",
                "GRANT SELECT (a) ON t TO alice", "SET ROLE alice");
        assertEquals(List.of("a", "1"), table("SELECT a FROM t"));
        assertEquals(List.of("count", "1"), table("SELECT count(*) FROM t"));
        error("SELECT b FROM t", "42501", "permission denied for table t");
        error("SELECT * FROM t", "42501", "permission denied for table t");
        error("SELECT a FROM t WHERE b = 2", "42501", "permission denied for table t");
        exec("RESET ROLE", "REVOKE ALL ON t FROM alice", "SET ROLE alice"); // takes the column grants too
        error("SELECT a FROM t", "42501", "permission denied for table t");
    }

    @Test
    void insertAndUpdateNeedTheirTargetColumns() {
        exec("CREATE ROLE alice", "CREATE TABLE t (a int, b int)", "GRANT INSERT (a), UPDATE (b) ON t TO alice",
                "SET ROLE alice");
        exec("INSERT INTO t (a) VALUES (1)");
        error("INSERT INTO t (a, b) VALUES (1, 2)", "42501", "permission denied for table t");
        error("INSERT INTO t VALUES (1, 2)", "42501", "permission denied for table t");
        exec("UPDATE t SET b = 5");
        error("UPDATE t SET a = 5", "42501", "permission denied for table t");
        exec("RESET ROLE");
        assertEquals(List.of("a|b", "1|5"), table("SELECT * FROM t"));
    }

    @Test
    void failingRowShowsOnlyWhatTheRoleMaySee() {
        exec("CREATE ROLE alice", "CREATE TABLE t (a int, b int, c int NOT NULL)",
                "GRANT INSERT (a, c) ON t TO alice", "SET ROLE alice");
        PgException e = error("INSERT INTO t (a, c) VALUES (1, NULL)", "23502",
                "null value in column \"c\" of relation \"t\" violates not-null constraint");
        // b is neither inserted nor readable
        assertEquals("Failing row contains (a, c) = (1, null).", e.detail());
        exec("RESET ROLE", "GRANT SELECT ON t TO alice", "SET ROLE alice");
        e = error("INSERT INTO t (a, c) VALUES (1, NULL)");
        assertEquals("Failing row contains (1, null, null).", e.detail());
        exec("RESET ROLE", "CREATE TABLE u (a int CHECK (a > 0), b int)", "GRANT UPDATE (a) ON u TO alice",
                "INSERT INTO u VALUES (1, 7)", "SET ROLE alice");
        e = error("UPDATE u SET a = -1", "23514", "new row for relation \"u\" violates check constraint \"u_a_check\"");
        assertEquals("Failing row contains (a) = (-1).", e.detail());
    }

    @Test
    void partitionKeyDetailNeedsSelectOnTheKey() {
        exec("CREATE ROLE alice", "CREATE TABLE kd (a int, b int) PARTITION BY LIST ((a + 0))",
                "CREATE TABLE kd1 PARTITION OF kd FOR VALUES IN (1) PARTITION BY RANGE (b)",
                "GRANT SELECT (a) ON kd1 TO alice", "GRANT INSERT ON kd TO alice", "SET ROLE alice");
        PgException e = error("INSERT INTO kd VALUES (1, 1)", "23514", "no partition of relation \"kd1\" found for row");
        assertNull(e.detail());
        exec("RESET ROLE", "GRANT SELECT (b) ON kd1 TO alice", "SET ROLE alice");
        e = error("INSERT INTO kd VALUES (1, 1)");
        assertEquals("Partition key of the failing row contains (b) = (1).", e.detail());
        e = error("INSERT INTO kd VALUES (2, 1)", "23514", "no partition of relation \"kd\" found for row");
        assertNull(e.detail()); // an expression key: never shown without table-level SELECT
    }
}
