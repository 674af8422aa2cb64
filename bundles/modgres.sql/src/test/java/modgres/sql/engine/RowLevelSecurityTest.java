package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Row-level security: ALTER TABLE ... ROW LEVEL SECURITY, CREATE / ALTER / DROP POLICY in pg_policy, the
 * USING quals on scans and the WITH CHECKs on new rows, for non-owners only (unless FORCE), partitioned
 * tables -- PostgreSQL 15's behaviour and texts (its regression tests rowsecurity.sql and update.sql).
 */
class RowLevelSecurityTest extends DataEngineTestBase {

    private void setUpTable() {
        exec("CREATE ROLE alice", "CREATE TABLE docs (id int, owner text, level int)",
                "INSERT INTO docs VALUES (1, 'alice', 1), (2, 'bob', 1), (3, 'alice', 5)",
                "GRANT ALL ON docs TO alice", "ALTER TABLE docs ENABLE ROW LEVEL SECURITY");
    }

    @Test
    void enabledWithoutPoliciesDeniesEveryRowButTheOwnerSeesAll() {
        setUpTable();
        assertEquals(List.of("relrowsecurity|relforcerowsecurity", "t|f"),
                table("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'docs'"));
        exec("SET ROLE alice");
        assertEquals(List.of("count", "0"), table("SELECT count(*) FROM docs"));
        exec("RESET ROLE");
        assertEquals(List.of("count", "3"), table("SELECT count(*) FROM docs")); // a superuser bypasses
    }

    @Test
    void usingFiltersReadsUpdatesAndDeletes() {
        setUpTable();
        exec("CREATE POLICY own ON docs FOR ALL USING (owner = current_user)",
                "CREATE POLICY low ON docs AS RESTRICTIVE FOR SELECT USING (level < 3)");
        assertEquals(List.of("polname|polcmd|polpermissive|polqual", "low|r|f|level < 3",
                "own|*|t|owner = CURRENT_USER"),
                table("SELECT polname, polcmd, polpermissive, polqual FROM pg_policy ORDER BY polname"));
        assertEquals(List.of("tablename|policyname|permissive|roles|cmd|qual|with_check",
                "docs|low|RESTRICTIVE|{public}|SELECT|level < 3|", "docs|own|PERMISSIVE|{public}|ALL|owner = CURRENT_USER|"),
                table("SELECT tablename, policyname, permissive, roles, cmd, qual, with_check FROM pg_policies"
                        + " ORDER BY policyname"));
        exec("CREATE POLICY mine ON docs TO alice, postgres USING (true)");
        assertEquals(List.of("roles", "{alice,postgres}"),
                table("SELECT roles FROM pg_policies WHERE policyname = 'mine'"));
        exec("DROP POLICY mine ON docs");
        exec("SET ROLE alice");
        assertEquals(List.of("id", "1"), table("SELECT id FROM docs ORDER BY id"));
        assertEquals(List.of("C UPDATE 2"), run("UPDATE docs SET level = level + 1").subList(0, 1));
        assertEquals(List.of("C DELETE 0"), run("DELETE FROM docs WHERE owner = 'bob'"));
        // a WHERE reads the rows: the SELECT policies filter them too (level < 3 hides row 3)
        assertEquals(List.of("C DELETE 0"), run("DELETE FROM docs WHERE id = 3"));
        exec("RESET ROLE");
        assertEquals(List.of("id|level", "1|2", "2|1", "3|6"), table("SELECT id, level FROM docs ORDER BY id"));
    }

    @Test
    void withCheckRejectsNewRows() {
        setUpTable();
        exec("CREATE POLICY own ON docs USING (owner = current_user) WITH CHECK (owner = current_user)",
                "CREATE POLICY small ON docs AS RESTRICTIVE FOR INSERT WITH CHECK (level < 10)");
        exec("SET ROLE alice", "INSERT INTO docs VALUES (4, 'alice', 1)");
        error("INSERT INTO docs VALUES (5, 'bob', 1)", "42501",
                "new row violates row-level security policy for table \"docs\"");
        error("INSERT INTO docs VALUES (6, 'alice', 10)", "42501",
                "new row violates row-level security policy \"small\" for table \"docs\"");
        error("UPDATE docs SET owner = 'bob' WHERE id = 1", "42501",
                "new row violates row-level security policy for table \"docs\"");
        exec("RESET ROLE", "ALTER POLICY own ON docs WITH CHECK (true)", "SET ROLE alice");
        exec("UPDATE docs SET owner = 'bob' WHERE id = 1");
        exec("RESET ROLE", "DROP POLICY own ON docs", "DROP POLICY small ON docs", "SET ROLE alice");
        assertEquals(List.of("count", "0"), table("SELECT count(*) FROM docs"));
        exec("RESET ROLE");
        error("DROP POLICY own ON docs", "42704", "policy \"own\" for table \"docs\" does not exist");
        exec("CREATE POLICY again ON docs USING (true)", "DROP TABLE docs");
        assertEquals(List.of("count", "0"), table("SELECT count(*) FROM pg_policy"));
    }

    @Test
    void onConflictDoUpdateChecksTheUpdatePolicies() {
        exec("CREATE ROLE alice", "CREATE TABLE kv (k int PRIMARY KEY, v int)", "INSERT INTO kv VALUES (1, 1)",
                "GRANT ALL ON kv TO alice", "ALTER TABLE kv ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY sel ON kv FOR SELECT USING (true)",
                "CREATE POLICY ins ON kv FOR INSERT WITH CHECK (v < 100)",
                "CREATE POLICY upd ON kv FOR UPDATE USING (true) WITH CHECK (v < 10)", "SET ROLE alice");
        error("INSERT INTO kv VALUES (2, 100)", "42501", "new row violates row-level security policy for table \"kv\"");
        error("INSERT INTO kv VALUES (1, 50) ON CONFLICT (k) DO UPDATE SET v = excluded.v", "42501",
                "new row violates row-level security policy for table \"kv\"");
        exec("INSERT INTO kv VALUES (1, 5) ON CONFLICT (k) DO UPDATE SET v = excluded.v");
        assertEquals(List.of("k|v", "1|5"), table("SELECT * FROM kv"));
    }

    @Test
    void aPreparedStatementIsPlannedAgainForAnotherRole() {
        setUpTable();
        exec("CREATE POLICY own ON docs USING (owner = current_user)", "PREPARE q AS SELECT count(*) FROM docs");
        assertEquals(List.of("count", "3"), table("EXECUTE q"));
        exec("SET ROLE alice");
        assertEquals(List.of("count", "2"), table("EXECUTE q"));
        exec("RESET ROLE");
        assertEquals(List.of("count", "3"), table("EXECUTE q"));
    }

    @Test
    void ownerIsExemptUnlessForced() {
        exec("CREATE ROLE alice", "GRANT CREATE ON SCHEMA public TO alice", "SET ROLE alice",
                "CREATE TABLE mine (x int)", "INSERT INTO mine VALUES (1), (2)",
                "ALTER TABLE mine ENABLE ROW LEVEL SECURITY", "CREATE POLICY one ON mine USING (x = 1)");
        assertEquals(List.of("count", "2"), table("SELECT count(*) FROM mine"));
        exec("ALTER TABLE mine FORCE ROW LEVEL SECURITY");
        assertEquals(List.of("count", "1"), table("SELECT count(*) FROM mine"));
        exec("ALTER TABLE mine NO FORCE ROW LEVEL SECURITY", "ALTER TABLE mine DISABLE ROW LEVEL SECURITY");
        assertEquals(List.of("count", "2"), table("SELECT count(*) FROM mine"));
    }

    @Test
    void policiesOfAPartitionedTableCheckRoutedRows() {
        exec("CREATE ROLE alice", "CREATE TABLE p (a text, c int) PARTITION BY LIST (a)",
                "CREATE TABLE p_a PARTITION OF p FOR VALUES IN ('a')",
                "CREATE TABLE p_b (c int, a text)", "ALTER TABLE p ATTACH PARTITION p_b FOR VALUES IN ('b')",
                "INSERT INTO p VALUES ('a', 200)", "GRANT ALL ON p TO alice",
                "ALTER TABLE p ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY seeall ON p AS PERMISSIVE FOR SELECT USING (true)",
                "CREATE POLICY upd ON p FOR UPDATE USING (true) WITH CHECK (c % 2 = 0)",
                "SET SESSION AUTHORIZATION alice");
        error("UPDATE p SET a = 'b', c = 151 WHERE a = 'a' AND c = 200", "42501",
                "new row violates row-level security policy for table \"p\"");
        exec("UPDATE p SET a = 'b', c = 150 WHERE a = 'a' AND c = 200");
        assertEquals(List.of("tableoid|a|c", "p_b|b|150"), table("SELECT tableoid::regclass, * FROM p"));
    }
}
