package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * PREPARE TRANSACTION / COMMIT PREPARED / ROLLBACK PREPARED with
 * max_prepared_transactions = 0, temporary objects in a transaction, the ON
 * COMMIT checks of temporary tables, and current_schema() creating the
 * pending temporary schema. Expected texts and states are PostgreSQL 15's.
 */
class TwoPhaseTest extends DataEngineTestBase {

    /** The transaction ended: a statement after the failed PREPARE runs outside any block. */
    private void assertNoBlock() {
        assertEquals(List.of("N WARNING 25P01 there is no transaction in progress", "C COMMIT"), run("COMMIT"));
    }

    @Test
    void prepareIsRefusedAndEndsTheTransaction() {
        exec("CREATE TABLE t (a int)", "BEGIN", "INSERT INTO t VALUES (1)");
        PgException e = error("PREPARE TRANSACTION 'x'", "55000", "prepared transactions are disabled");
        assertEquals("Set max_prepared_transactions to a nonzero value.", e.hint());
        assertNoBlock();
        assertEquals(List.of("count", "0"), table("SELECT count(*) FROM t")); // rolled back
    }

    @Test
    void prepareOutsideABlockWarnsAndInAFailedBlockRollsBack() {
        assertEquals(List.of("N WARNING 25P01 there is no transaction in progress", "C ROLLBACK"),
                run("PREPARE TRANSACTION 'x'"));
        exec("BEGIN");
        error("SELECT 1/0");
        assertEquals(List.of("C ROLLBACK"), run("PREPARE TRANSACTION 'x'"));
        assertNoBlock();
    }

    @Test
    void commitAndRollbackPrepared() {
        error("COMMIT PREPARED 'x'", "42704", "prepared transaction with identifier \"x\" does not exist");
        error("ROLLBACK PREPARED 'x'", "42704", "prepared transaction with identifier \"x\" does not exist");
        exec("BEGIN");
        error("COMMIT PREPARED 'x'", "25001", "COMMIT PREPARED cannot run inside a transaction block");
        exec("ROLLBACK");
    }

    private void tempError(String... statements) {
        exec("BEGIN");
        exec(statements);
        error("PREPARE TRANSACTION 'twophase'", "0A000",
                "cannot PREPARE a transaction that has operated on temporary objects");
        assertNoBlock();
    }

    @Test
    void transactionsThatUsedTemporaryObjectsCannotBePrepared() {
        tempError("CREATE FUNCTION pg_temp.twophase_func() RETURNS void AS $$ SELECT '2pc_func'::text $$ "
                + "LANGUAGE sql");
        exec("CREATE FUNCTION pg_temp.twophase_func() RETURNS void AS $$ SELECT '2pc_func'::text $$ LANGUAGE sql");
        tempError("DROP FUNCTION pg_temp.twophase_func()");
        tempError("CREATE VIEW pg_temp.twophase_view AS SELECT 1");
        tempError("CREATE SEQUENCE pg_temp.twophase_seq");
        exec("CREATE TEMP TABLE twophase_tab (a int)");
        tempError("SELECT a FROM twophase_tab");
        tempError("INSERT INTO twophase_tab VALUES (1)");
        tempError("LOCK twophase_tab IN ACCESS EXCLUSIVE MODE");
        tempError("DROP TABLE twophase_tab");
        assertEquals(List.of("a"), table("SELECT a FROM twophase_tab")); // the drop was rolled back
        // a transaction that used no temporary object gets the other error
        exec("CREATE TABLE plain (a int)", "BEGIN", "INSERT INTO plain VALUES (1)");
        error("PREPARE TRANSACTION 'x'", "55000", "prepared transactions are disabled");
    }

    @Test
    void temporarySequencesLiveInTheTemporarySchema() {
        exec("CREATE TEMP SEQUENCE ts START 10", "CREATE SEQUENCE pg_temp.ts2");
        assertEquals(List.of("nextval|nextval", "10|1"), table("SELECT nextval('ts'), nextval('pg_temp.ts2')"));
        assertEquals(List.of("nspname", "pg_temp_4242", "pg_temp_4242"), table("SELECT nspname FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE relname IN ('ts', 'ts2')"));
        error("CREATE TEMP SEQUENCE public.ts3", "42P16", "cannot create temporary relation in non-temporary schema");
    }

    @Test
    void currentSchemaCreatesThePendingTemporarySchema() {
        exec("SET search_path TO 'pg_temp'", "BEGIN");
        assertEquals(List.of("is_temp_schema", "t"), table("SELECT current_schema() ~ 'pg_temp' AS is_temp_schema"));
        error("PREPARE TRANSACTION 'twophase_search'", "0A000",
                "cannot PREPARE a transaction that has operated on temporary objects");
        exec("SET search_path TO public, pg_temp");
        assertEquals(List.of("current_schema", "public"), table("SELECT current_schema()"));
    }

    @Test
    void onCommitRequiresATemporaryTableWithoutPosition() {
        PgException e = error("CREATE TABLE temptest(col int) ON COMMIT DELETE ROWS", "42P16",
                "ON COMMIT can only be used on temporary tables");
        assertEquals(0, e.position());
        e = error("CREATE TABLE temptest(col) ON COMMIT DELETE ROWS AS SELECT 1", "42P16",
                "ON COMMIT can only be used on temporary tables");
        assertEquals(0, e.position());
    }

    @Test
    void onCommitDeleteRowsReferencedByAKeptTableFailsTheCommit() {
        exec("BEGIN", "CREATE TEMP TABLE temptest1(col int PRIMARY KEY)",
                "CREATE TEMP TABLE temptest2(col int REFERENCES temptest1) ON COMMIT DELETE ROWS",
                "INSERT INTO temptest1 VALUES (1)", "INSERT INTO temptest2 VALUES (1)", "COMMIT");
        assertEquals(List.of("col", "1"), table("SELECT * FROM temptest1"));
        assertEquals(List.of("col"), table("SELECT * FROM temptest2"));
        exec("BEGIN", "CREATE TEMP TABLE temptest3(col int PRIMARY KEY) ON COMMIT DELETE ROWS",
                "CREATE TEMP TABLE temptest4(col int REFERENCES temptest3)");
        PgException e = error("COMMIT", "0A000", "unsupported ON COMMIT and foreign key combination");
        assertEquals("Table \"temptest4\" references \"temptest3\", but they do not have the same ON COMMIT "
                + "setting.", e.detail());
        assertNoBlock();
        error("SELECT * FROM temptest3", "42P01", "relation \"temptest3\" does not exist");
    }
}
