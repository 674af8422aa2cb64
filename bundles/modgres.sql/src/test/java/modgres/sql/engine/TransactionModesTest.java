package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Transaction characteristics as PostgreSQL 15's transactions.sql expects
 * them: when READ WRITE may still be set, subtransactions, SET SESSION
 * CHARACTERISTICS, the transaction_* settings, AND CHAIN, writes to
 * temporary tables in a read-only transaction and the command names of the
 * read-only error. Expected texts are PostgreSQL 15's.
 */
class TransactionModesTest extends DataEngineTestBase {

    private String show(String name) {
        return table("show " + name).get(1);
    }

    @Test
    void readWriteMustComeBeforeTheFirstQuery() {
        exec("create table w (a int)", "begin",
                "set transaction isolation level serializable, read only, deferrable", "select * from w");
        error("set transaction read write", "25001", "transaction read-write mode must be set before any query");
        exec("commit", "begin", "set transaction read only", "set transaction read write",
                "set transaction read only", "select * from w", "savepoint x", "set transaction read only",
                "select * from w");
        error("set transaction read write", "25006",
                "cannot set transaction read-write mode inside a read-only transaction");
        exec("commit");
    }

    @Test
    void isolationAndDeferrableMustComeFirstAndAtTopLevel() {
        exec("begin", "select 1", "set transaction isolation level read committed");
        error("set transaction isolation level serializable", "25001",
                "SET TRANSACTION ISOLATION LEVEL must be called before any query");
        exec("rollback", "begin", "savepoint a");
        error("set transaction isolation level serializable", "25001",
                "SET TRANSACTION ISOLATION LEVEL must not be called in a subtransaction");
        exec("rollback", "begin", "select 1");
        error("set transaction not deferrable", "25001",
                "SET TRANSACTION [NOT] DEFERRABLE must be called before any query");
        exec("rollback", "begin", "savepoint a");
        error("set transaction deferrable", "25001",
                "SET TRANSACTION [NOT] DEFERRABLE cannot be called within a subtransaction");
        exec("rollback");
    }

    @Test
    void readOnlyOfASubtransactionEndsWithIt() {
        exec("create table w (a int)", "begin", "set transaction read write", "savepoint x",
                "set transaction read only", "select * from w");
        assertEquals("on", show("transaction_read_only"));
        exec("rollback to savepoint x");
        assertEquals("off", show("transaction_read_only"));
        exec("savepoint y", "set transaction read only", "select * from w", "release savepoint y");
        assertEquals("off", show("transaction_read_only"));
        exec("insert into w values (1)", "commit");
    }

    @Test
    void readOnlySessionAllowsTemporaryTables() {
        exec("create table w (a int)", "create temp table tt (a int)",
                "set session characteristics as transaction read only");
        assertEquals("on", show("default_transaction_read_only"));
        assertEquals(List.of("C INSERT 0 1"), run("insert into tt values (1)"));
        assertEquals(List.of("C UPDATE 0"), run("update tt set a = 2 from w where w.a = tt.a"));
        assertEquals(List.of("C DELETE 1"), run("delete from tt"));
        error("insert into w values (1)", "25006", "cannot execute INSERT in a read-only transaction");
        error("drop table w", "25006", "cannot execute DROP TABLE in a read-only transaction");
        error("create table x as select 1", "25006", "cannot execute CREATE TABLE AS in a read-only transaction");
        exec("start transaction read write", "drop table w", "commit",
                "set session characteristics as transaction read write");
        assertEquals(List.of("C CREATE TABLE"), run("create table w (a int)"));
    }

    @Test
    void transactionSettingsAndAndChain() {
        exec("begin isolation level repeatable read, read only, deferrable");
        assertEquals("repeatable read", show("transaction_isolation"));
        assertEquals("on", show("transaction_read_only"));
        assertEquals("on", show("transaction_deferrable"));
        exec("commit and chain");
        assertEquals("repeatable read", show("transaction_isolation"));
        assertEquals("on", show("transaction_read_only"));
        assertEquals("on", show("transaction_deferrable"));
        exec("commit");
        assertEquals("off", show("transaction_read_only"));
        assertEquals("off", show("transaction_deferrable"));
        assertEquals("read committed", show("transaction_isolation"));
        exec("set session characteristics as transaction isolation level serializable, read only, deferrable");
        assertEquals("serializable", show("default_transaction_isolation"));
        assertEquals("on", show("default_transaction_deferrable"));
        assertEquals("serializable", show("transaction_isolation"));
        exec("set session characteristics as transaction isolation level read committed, read write,"
                + " not deferrable");
        // outside a block, AND CHAIN is an error without the "no transaction" warning
        List<String> events = new java.util.ArrayList<>();
        try {
            session.simpleQuery("commit and chain", new RecordingSink() {
                @Override
                public void notice(modgres.api.sql.Notice n) {
                    events.add(n.message());
                }
            });
        } catch (modgres.api.error.PgException e) {
            events.add(e.sqlState() + " " + e.getMessage());
        }
        assertEquals(List.of("25P01 COMMIT AND CHAIN can only be used in transaction blocks"), events);
        // a failed transaction ends with ROLLBACK, and AND CHAIN keeps its characteristics
        exec("begin isolation level repeatable read");
        error("select 1/0");
        assertTrue(run("commit and chain").contains("C ROLLBACK"));
        assertEquals("repeatable read", show("transaction_isolation"));
        exec("rollback");
    }
}
