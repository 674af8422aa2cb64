package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

class TransactionTest extends EngineTestBase {

    @Test
    void beginCommit() {
        assertEquals('I', session.transactionStatus());
        assertEquals(List.of("C BEGIN"), run("BEGIN"));
        assertEquals('T', session.transactionStatus());
        assertEquals(List.of("N WARNING 25001 there is already a transaction in progress", "C BEGIN"), run("BEGIN"));
        assertEquals(List.of("C COMMIT"), run("COMMIT"));
        assertEquals('I', session.transactionStatus());
        assertEquals(List.of("N WARNING 25P01 there is no transaction in progress", "C COMMIT"), run("COMMIT"));
        assertEquals(List.of("N WARNING 25P01 there is no transaction in progress", "C ROLLBACK"), run("ROLLBACK"));
        assertEquals(List.of("C START TRANSACTION"), run("START TRANSACTION ISOLATION LEVEL SERIALIZABLE"));
        assertEquals(List.of("C COMMIT"), run("END"));
        run("BEGIN");
        assertEquals(List.of("C ROLLBACK"), run("ABORT"));
        assertEquals('I', session.transactionStatus());
    }

    @Test
    void failedTransaction() {
        run("BEGIN");
        PgException e = error("SELECT 1/0");
        assertEquals("22012", e.sqlState());
        assertEquals('E', session.transactionStatus());
        e = error("SELECT 1");
        assertEquals("25P02", e.sqlState());
        assertEquals("current transaction is aborted, commands ignored until end of transaction block",
                e.getMessage());
        assertEquals('E', session.transactionStatus());
        assertEquals(List.of("C ROLLBACK"), run("COMMIT"));
        assertEquals('I', session.transactionStatus());
    }

    @Test
    void errorOutsideABlockLeavesIdle() {
        error("SELECT 1/0");
        assertEquals('I', session.transactionStatus());
    }

    @Test
    void multiStatementQueryIsOneImplicitTransaction() {
        RecordingSink sink = new RecordingSink();
        assertThrows(PgException.class,
                () -> session.simpleQuery("SET work_mem = 2048; SELECT 1/0", sink));
        assertEquals(List.of("C SET"), sink.events);
        assertEquals("4MB", value("SHOW work_mem"));
        assertEquals('I', session.transactionStatus());
        // SET LOCAL inside an implicit block gives no warning and lapses at its end
        assertEquals(List.of("C SET", "T work_mem:25", "D 2MB", "C SHOW"),
                run("SET LOCAL work_mem = 2048; SHOW work_mem"));
        assertEquals("4MB", value("SHOW work_mem"));
        // BEGIN inside a multi-statement query opens a real block
        assertEquals(List.of("C BEGIN", "T ?column?:23", "D 1", "C SELECT 1"), run("BEGIN; SELECT 1"));
        assertEquals('T', session.transactionStatus());
        run("COMMIT");
    }

    @Test
    void savepoints() {
        PgException e = error("SAVEPOINT a");
        assertEquals("25P01", e.sqlState());
        assertEquals("SAVEPOINT can only be used in transaction blocks", e.getMessage());
        run("BEGIN");
        assertEquals(List.of("C SAVEPOINT"), run("SAVEPOINT a"));
        run("SAVEPOINT b");
        e = error("RELEASE c");
        assertEquals("3B001", e.sqlState());
        assertEquals("savepoint \"c\" does not exist", e.getMessage());
        assertEquals('E', session.transactionStatus());
        assertEquals(List.of("C ROLLBACK"), run("ROLLBACK TO a"));
        assertEquals('T', session.transactionStatus());
        error("RELEASE SAVEPOINT b"); // b went with the rollback to a
        run("ROLLBACK TO SAVEPOINT a");
        assertEquals(List.of("C RELEASE"), run("RELEASE SAVEPOINT a"));
        e = error("ROLLBACK TO a");
        assertEquals("3B001", e.sqlState());
        run("ROLLBACK");
        assertEquals('I', session.transactionStatus());
    }

    @Test
    void nowIsTheTransactionStart() throws InterruptedException {
        run("BEGIN");
        String a = value("SELECT now()");
        Thread.sleep(5);
        String b = value("SELECT current_timestamp");
        assertEquals(a, b);
        run("COMMIT");
    }

    @Test
    void clientMinMessagesFiltersWarnings() {
        run("SET client_min_messages = error");
        assertEquals(List.of("C COMMIT"), run("COMMIT"));
        run("SET client_min_messages = warning");
        assertEquals(List.of("N WARNING 25P01 there is no transaction in progress", "C COMMIT"), run("COMMIT"));
    }
}
