package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;
import modgres.api.sql.SqlSession.ExecuteResult;

/** pg_sleep, statement_timeout and cancel during a sleep; the API's setting(). */
class TimeoutTest extends EngineTestBase {
    private static final short[] NONE = new short[0];

    @Test
    void pgSleepZeroReturnsOneVoidRow() {
        assertEquals(List.of("T pg_sleep:2278", "D ", "C SELECT 1"), run("SELECT pg_sleep(0)"));
        assertEquals(List.of("T pg_sleep:2278", "D ", "C SELECT 1"), run("SELECT pg_sleep(0.01)"));
        assertEquals(List.of("T pg_sleep:2278", "D NULL", "C SELECT 1"), run("SELECT pg_sleep(NULL)"));
        assertEquals(List.of("T pg_sleep:2278", "D ", "C SELECT 1"), run("SELECT pg_sleep('0')"));
        PgException e = error("SELECT pg_sleep('0'::text)");
        assertEquals("42883", e.sqlState());
    }

    @Test
    void statementTimeoutCancelsASleep() {
        run("SET statement_timeout = '100ms'");
        assertEquals("100", session.setting("statement_timeout"));
        assertEquals("100ms", value("SHOW statement_timeout"));
        PgException e = error("SELECT pg_sleep(2)");
        assertEquals("57014", e.sqlState());
        assertEquals("canceling statement due to statement timeout", e.getMessage());
        assertEquals('I', session.transactionStatus());
        // the next statement has its own timer
        assertEquals(List.of("T ?column?:23", "D 1", "C SELECT 1"), run("SELECT 1"));
        run("SET statement_timeout = 0");
        assertEquals(List.of("T pg_sleep:2278", "D ", "C SELECT 1"), run("SELECT pg_sleep(0.2)"));
    }

    @Test
    void statementTimeoutInATransactionBlockFailsIt() {
        run("BEGIN");
        run("SET LOCAL statement_timeout = 100");
        PgException e = error("SELECT pg_sleep(2)");
        assertEquals("canceling statement due to statement timeout", e.getMessage());
        assertEquals('E', session.transactionStatus());
        run("ROLLBACK");
        assertEquals("0", session.setting("statement_timeout"));
    }

    @Test
    void statementTimeoutThroughExecute() {
        run("SET statement_timeout = '150ms'");
        session.parse("s", "SELECT pg_sleep($1)", new int[] {0});
        session.bind("", "s", new byte[][] {"2".getBytes()}, NONE, NONE);
        PgException e = assertThrows(PgException.class, () -> session.execute("", 0, new RecordingSink()));
        assertEquals("canceling statement due to statement timeout", e.getMessage());
        session.sync();
        session.bind("", "s", new byte[][] {"0".getBytes()}, NONE, new short[] {1});
        RecordingSink sink = new RecordingSink();
        assertEquals(ExecuteResult.COMPLETED, session.execute("", 0, sink));
        assertArrayEquals(new byte[0], sink.rawRows.get(0)[0]); // void's binary output is empty
        session.sync();
    }

    @Test
    void userCancelStopsASleep() throws Exception {
        AtomicReference<PgException> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                run("SELECT pg_sleep(30)");
            } catch (PgException e) {
                failure.set(e);
            }
        });
        t.start();
        // cancel() is ignored while idle: repeat until the statement has started and stopped
        while (t.isAlive()) {
            session.cancel();
            t.join(50);
        }
        assertEquals("57014", failure.get().sqlState());
        assertEquals("canceling statement due to user request", failure.get().getMessage());
    }

    @Test
    void settingIsRawAndNullWhenUnknown() {
        assertEquals("0", session.setting("statement_timeout"));
        assertEquals("UTC", session.setting("TimeZone"));
        assertEquals(null, session.setting("no_such_setting"));
    }
}
