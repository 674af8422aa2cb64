package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;
import modgres.api.sql.ColumnDescriptor;
import modgres.api.sql.SqlSession.ExecuteResult;
import modgres.api.sql.StatementDescription;

class ExtendedProtocolTest extends EngineTestBase {
    private static final short[] NONE = new short[0];

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parseBindDescribeExecute() {
        StatementDescription d = session.parse("", "SELECT $1::int + 1 AS n, $2, $3 + 1", new int[0]);
        assertArrayEquals(new int[] {23, 25, 23}, d.parameterTypes());
        assertEquals(List.of("n:23", "?column?:25", "?column?:23"),
                d.columns().stream().map(c -> c.name() + ":" + c.typeOid()).toList());
        assertEquals(d.columns(), session.describeStatement("").columns());
        session.bind("", "", new byte[][] {text("41"), text("hi"), null}, NONE, NONE);
        List<ColumnDescriptor> cols = session.describePortal("");
        assertEquals(0, cols.get(0).format());
        RecordingSink sink = new RecordingSink();
        assertEquals(ExecuteResult.COMPLETED, session.execute("", 0, sink));
        assertEquals(List.of("D 42|hi|NULL", "C SELECT 1"), sink.events);
        session.sync();
        assertEquals('I', session.transactionStatus());
    }

    @Test
    void binaryFormats() {
        session.parse("s1", "SELECT $1 + 1, true, 'x'::text, 2.5::float8, 7::bigint", new int[] {23});
        byte[] four = ByteBuffer.allocate(4).putInt(4).array();
        session.bind("p1", "s1", new byte[][] {four}, new short[] {1}, new short[] {1});
        assertEquals(List.of((short) 1, (short) 1, (short) 1, (short) 1, (short) 1),
                session.describePortal("p1").stream().map(ColumnDescriptor::format).toList());
        RecordingSink sink = new RecordingSink();
        session.execute("p1", 0, sink);
        byte[][] row = sink.rawRows.get(0);
        assertArrayEquals(ByteBuffer.allocate(4).putInt(5).array(), row[0]);
        assertArrayEquals(new byte[] {1}, row[1]);
        assertArrayEquals(text("x"), row[2]);
        assertArrayEquals(ByteBuffer.allocate(8).putDouble(2.5).array(), row[3]);
        assertArrayEquals(ByteBuffer.allocate(8).putLong(7).array(), row[4]);
        session.sync();
        session.parse("s2", "SELECT 1.5", new int[0]);
        PgException e = assertThrows(PgException.class, () -> session.bind("", "s2", new byte[0][], NONE,
                new short[] {1}));
        assertEquals("0A000", e.sqlState());
        session.sync();
    }

    @Test
    void statementAndPortalNames() {
        session.parse("a", "SELECT 1", new int[0]);
        PgException e = assertThrows(PgException.class, () -> session.parse("a", "SELECT 2", new int[0]));
        assertEquals("42P05", e.sqlState());
        assertEquals("prepared statement \"a\" already exists", e.getMessage());
        session.sync();
        session.parse("", "SELECT 1", new int[0]);
        session.parse("", "SELECT 'two'", new int[0]); // the unnamed statement is replaced
        assertEquals(25, session.describeStatement("").columns().get(0).typeOid());
        e = assertThrows(PgException.class, () -> session.bind("", "nope", new byte[0][], NONE, NONE));
        assertEquals("26000", e.sqlState());
        session.sync();
        e = assertThrows(PgException.class, () -> session.bind("", "a", new byte[][] {text("1")}, NONE, NONE));
        assertEquals("08P01", e.sqlState());
        assertEquals("bind message supplies 1 parameters, but prepared statement \"a\" requires 0", e.getMessage());
        session.sync();
        session.bind("p", "a", new byte[0][], NONE, NONE);
        e = assertThrows(PgException.class, () -> session.bind("p", "a", new byte[0][], NONE, NONE));
        assertEquals("42P03", e.sqlState());
        session.sync();
        // portals end with the (implicit) transaction
        e = assertThrows(PgException.class, () -> session.execute("p", 0, new RecordingSink()));
        assertEquals("34000", e.sqlState());
        session.sync();
        session.closeStatement("a");
        e = assertThrows(PgException.class, () -> session.describeStatement("a"));
        assertEquals("26000", e.sqlState());
        session.sync();
        e = assertThrows(PgException.class, () -> session.parse("", "SELECT 1; SELECT 2", new int[0]));
        assertEquals("42601", e.sqlState());
        session.sync();
    }

    @Test
    void simpleQueryDropsTheUnnamedStatement() {
        session.parse("", "SELECT 1", new int[0]);
        run("SELECT 2");
        assertThrows(PgException.class, () -> session.describeStatement(""));
        session.sync();
    }

    @Test
    void maxRowsSuspends() {
        session.parse("", "SHOW ALL", new int[0]);
        session.bind("", "", new byte[0][], NONE, NONE);
        RecordingSink sink = new RecordingSink();
        assertEquals(ExecuteResult.SUSPENDED, session.execute("", 2, sink));
        assertEquals(2, sink.events.size());
        assertEquals(ExecuteResult.SUSPENDED, session.execute("", 2, sink));
        assertEquals(ExecuteResult.COMPLETED, session.execute("", 0, sink));
        assertEquals("C SHOW", sink.events.get(sink.events.size() - 1));
        assertEquals(settings.all().size() + 1, sink.events.size());
        session.sync();
    }

    @Test
    void emptyQuery() {
        StatementDescription d = session.parse("", "", new int[0]);
        assertNull(d.columns());
        session.bind("", "", new byte[0][], NONE, NONE);
        assertNull(session.describePortal(""));
        RecordingSink sink = new RecordingSink();
        session.execute("", 0, sink);
        assertEquals(List.of("I"), sink.events);
        session.sync();
    }

    private List<String> exec(String sql) {
        session.parse("", sql, new int[0]);
        session.bind("", "", new byte[0][], NONE, NONE);
        RecordingSink sink = new RecordingSink();
        session.execute("", 0, sink);
        return sink.events;
    }

    @Test
    void transactionsAcrossSync() {
        assertEquals(List.of("C BEGIN"), exec("BEGIN"));
        session.sync();
        assertEquals('T', session.transactionStatus());
        assertThrows(PgException.class, () -> exec("SELECT 1/0"));
        session.sync();
        assertEquals('E', session.transactionStatus());
        PgException e = assertThrows(PgException.class, () -> exec("SELECT 1"));
        assertEquals("25P02", e.sqlState());
        session.sync();
        assertEquals(List.of("C ROLLBACK"), exec("ROLLBACK"));
        session.sync();
        assertEquals('I', session.transactionStatus());
        // an error outside a block: idle after Sync
        assertThrows(PgException.class, () -> exec("SELECT 1/0"));
        session.sync();
        assertEquals('I', session.transactionStatus());
        // the implicit transaction lasts until Sync: SET LOCAL holds until then
        exec("SET LOCAL work_mem = 2048");
        assertEquals(List.of("D 2MB", "C SHOW"), exec("SHOW work_mem"));
        session.sync();
        assertEquals(List.of("D 4MB", "C SHOW"), exec("SHOW work_mem"));
        session.sync();
    }

    @Test
    void varcharParametersAreText() {
        StatementDescription d = session.parse("", "SELECT $1 || 'x'", new int[] {1043});
        assertArrayEquals(new int[] {1043}, d.parameterTypes());
        session.bind("", "", new byte[][] {text("a")}, NONE, NONE);
        assertEquals(List.of("D ax", "C SELECT 1"), execute(""));
        session.sync();
    }

    private List<String> execute(String portal) {
        RecordingSink sink = new RecordingSink();
        session.execute(portal, 0, sink);
        return sink.events;
    }
}
