package modgres.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.backend.BackendHandle;
import modgres.api.log.Severity;
import modgres.backend.RawClient.Msg;

/** The protocol byte by byte: what drivers rarely or never send. */
class RawProtocolTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir, "host all all 127.0.0.1/32 trust\n");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static RawClient client() throws Exception {
        return new RawClient(server.port);
    }

    private static short s(int v) {
        return (short) v;
    }

    @Test
    void startupSequence() throws Exception {
        try (RawClient c = client()) {
            List<Msg> m = c.login("postgres", "database", "postgres", "application_name", "raw");
            assertEquals('R', m.get(0).type());
            assertEquals(0, m.get(0).int32(0));
            assertEquals('K', m.get(m.size() - 2).type());
            Msg z = m.get(m.size() - 1);
            assertEquals('Z', z.type());
            assertEquals('I', (char) z.body()[0]);
            long params = m.stream().filter(x -> x.type() == 'S').count();
            assertTrue(params >= 5);
            assertTrue(m.stream().anyMatch(x -> x.type() == 'S' && x.strings(0).equals(List.of("server_version",
                    "15.0"))));
            BackendHandle h = server.registry.handle((long) m.get(m.size() - 2).int32(0));
            assertEquals(m.get(m.size() - 2).int32(4), h.cancelKey());
            assertEquals("backend " + h.pid(), h.thread().getName());
            c.message('X');
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void negotiatesProtocolVersionForUnknownOptions() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.startup(3 << 16 | 2, "user", "postgres", "_pq_.compression", "on"));
            Msg v = c.read();
            assertEquals('v', v.type());
            assertEquals(3 << 16, v.int32(0)); // newest version: 3.0 (minor 0), as PostgreSQL sends it
            assertEquals(1, v.int32(4));
            assertEquals(List.of("_pq_.compression"), v.strings(8));
            List<Msg> rest = c.readUntil('Z');
            assertEquals('R', rest.get(0).type());
        }
        try (RawClient c = client()) {
            c.send(RawClient.startup(3 << 16, "user", "postgres"));
            assertEquals('R', c.read().type()); // 3.0 without _pq_ options: no negotiation
        }
    }

    @Test
    void sslAndGssEncryptionRequestsAreRefusedWithN() throws Exception {
        try (RawClient c = client()) {
            c.send(ByteBuffer.allocate(8).putInt(8).putInt(1234 << 16 | 5680).array());
            assertEquals('N', c.in.readByte());
            c.send(ByteBuffer.allocate(8).putInt(8).putInt(1234 << 16 | 5679).array());
            assertEquals('N', c.in.readByte());
            c.send(RawClient.startup(3 << 16, "user", "postgres"));
            assertEquals('I', (char) last(c.readUntil('Z')).body()[0]);
        }
    }

    @Test
    void cancelRequestIsAnsweredByClosing() throws Exception {
        int before = server.registry.cancelRequests.get();
        try (RawClient c = client()) {
            c.send(ByteBuffer.allocate(16).putInt(16).putInt(1234 << 16 | 5678).putInt(42).putInt(7).array());
            assertTrue(c.closedByServer());
        }
        assertEquals(before + 1, server.registry.cancelRequests.get());
    }

    @Test
    void badStartupLengthsCloseTheConnection() throws Exception {
        try (RawClient c = client()) {
            c.send(ByteBuffer.allocate(8).putInt(3).putInt(0).array());
            assertTrue(c.closedByServer());
        }
        try (RawClient c = client()) {
            c.send(ByteBuffer.allocate(8).putInt(20000).putInt(3 << 16).array());
            assertTrue(c.closedByServer());
        }
        server.logs.await("invalid length of startup packet");
    }

    @Test
    void protocolTwoIsRefused() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.startup(2 << 16, "user", "postgres"));
            Msg e = c.read();
            assertEquals('E', e.type());
            Map<Character, String> f = e.fields();
            assertEquals("FATAL", f.get('S'));
            assertEquals("FATAL", f.get('V'));
            assertEquals("0A000", f.get('C'));
            assertEquals("unsupported frontend protocol 2.0: server supports 3.0 to 3.0", f.get('M'));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void userIsRequired() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.startup(3 << 16, "database", "postgres"));
            Map<Character, String> f = c.read().fields();
            assertEquals("28000", f.get('C'));
            assertEquals("no PostgreSQL user name specified in startup packet", f.get('M'));
        }
    }

    @Test
    void startupPacketWithoutTerminatorIsRefused() throws Exception {
        try (RawClient c = client()) {
            byte[] p = RawClient.startup(3 << 16, "user", "postgres");
            byte[] cut = java.util.Arrays.copyOf(p, p.length - 1);
            ByteBuffer.wrap(cut).putInt(0, cut.length);
            c.send(cut);
            Map<Character, String> f = c.read().fields();
            assertEquals("08P01", f.get('C'));
            assertEquals("invalid startup packet layout: expected terminator as last byte", f.get('M'));
        }
    }

    @Test
    void replicationConnectionsAreRefused() throws Exception {
        try (RawClient c = client()) {
            c.send(RawClient.startup(3 << 16, "user", "postgres", "replication", "true"));
            Map<Character, String> f = c.read().fields();
            assertEquals("0A000", f.get('C'));
        }
        try (RawClient c = client()) {
            c.send(RawClient.startup(3 << 16, "user", "postgres", "replication", "maybe"));
            Map<Character, String> f = c.read().fields();
            assertEquals("22023", f.get('C'));
        }
        try (RawClient c = client()) { // replication=false is an ordinary connection
            assertEquals('Z', last(c.login("postgres", "replication", "false")).type());
        }
    }

    private static Msg last(List<Msg> l) {
        return l.get(l.size() - 1);
    }

    @Test
    void optionsBecomeSessionSettings() throws Exception {
        try (RawClient c = client()) {
            c.login("postgres", "options", "-c search_path=a\\ b --work-mem=64MB -cgeqo=off", "DateStyle", "ISO");
            c.message('Q', "SHOW search_path");
            List<Msg> r = c.readUntil('Z');
            assertEquals("T D C Z", RawClient.types(r));
            assertEquals("a b", new String(r.get(1).body(), 6, 3));
        }
        FakeEngine.FakeSession s = server.engine.last();
        assertEquals("64MB", s.info.startupParameters().get("work_mem"));
        assertEquals("off", s.info.startupParameters().get("geqo"));
        assertEquals("ISO", s.info.startupParameters().get("DateStyle"));
        assertFalse(s.info.startupParameters().containsKey("options"));
        assertFalse(s.info.startupParameters().containsKey("user"));
        try (RawClient c = client()) {
            c.send(RawClient.startup(3 << 16, "user", "postgres", "options", "-X"));
            List<Msg> m = c.readUntil('E');
            Map<Character, String> f = last(m).fields();
            assertEquals("42601", f.get('C'));
            assertEquals("invalid command-line argument for server process: -X", f.get('M'));
        }
    }

    @Test
    void simpleQueryMessages() throws Exception {
        try (RawClient c = client()) {
            c.login("postgres");
            c.message('Q', "");
            assertEquals("I Z", RawClient.types(c.readUntil('Z')));
            c.message('Q', "SELECT 1; BOGUS; SELECT 1");
            List<Msg> r = c.readUntil('Z');
            assertEquals("T D C E Z", RawClient.types(r));
            assertEquals("SELECT 1", r.get(2).strings(0).get(0));
            Map<Character, String> f = r.get(3).fields();
            assertEquals("ERROR", f.get('S'));
            assertEquals("42601", f.get('C'));
            assertEquals("11", f.get('P'));
            c.message('Q', "DO notice");
            r = c.readUntil('Z');
            assertEquals("N C Z", RawClient.types(r));
            assertEquals("some detail", r.get(0).fields().get('D'));
            assertEquals("some hint", r.get(0).fields().get('H'));
            c.message('Q', "SET application_name = 'renamed'");
            r = c.readUntil('Z');
            assertEquals("C S Z", RawClient.types(r));
            assertEquals(List.of("application_name", "renamed"), r.get(1).strings(0));
        }
        assertTrue(server.logs.matching(l -> l.severity() == Severity.ERROR && l.sqlState().equals("42601")
                && "postgres".equals(l.context().user()) && "client backend".equals(l.context().processName()))
                .size() > 0);
    }

    @Test
    void errorInExtendedModeSkipsUntilSync() throws Exception {
        try (RawClient c = client()) {
            c.login("postgres");
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(RawClient.body('P', "", "BOGUS", s(0)));
            b.writeBytes(RawClient.body('B', "", "", s(0), s(0), s(0)));
            b.writeBytes(RawClient.body('D', 'P', ""));
            b.writeBytes(RawClient.body('E', "", 0));
            b.writeBytes(RawClient.body('H'));
            b.writeBytes(RawClient.body('Q', "SELECT 1"));
            b.writeBytes(RawClient.body('S'));
            b.writeBytes(RawClient.body('P', "", "SELECT 1", s(0)));
            b.writeBytes(RawClient.body('B', "", "", s(0), s(0), s(0)));
            b.writeBytes(RawClient.body('D', 'P', ""));
            b.writeBytes(RawClient.body('E', "", 0));
            b.writeBytes(RawClient.body('S'));
            c.send(b.toByteArray());
            List<Msg> r = c.readUntil('Z');
            assertEquals("E Z", RawClient.types(r));
            assertEquals("42601", r.get(0).fields().get('C'));
            r = c.readUntil('Z');
            assertEquals("1 2 T D C Z", RawClient.types(r));
        }
    }

    @Test
    void describeBindBinaryAndClose() throws Exception {
        try (RawClient c = client()) {
            c.login("postgres");
            c.send(concat(RawClient.body('P', "s1", "SELECT $1", s(1), 23), RawClient.body('D', 'S', "s1"),
                    RawClient.body('S')));
            List<Msg> r = c.readUntil('Z');
            assertEquals("1 t T Z", RawClient.types(r));
            assertEquals(1, ByteBuffer.wrap(r.get(1).body()).getShort());
            assertEquals(23, r.get(1).int32(2));
            byte[] param = ByteBuffer.allocate(4).putInt(123456).array();
            c.send(concat(RawClient.body('B', "p1", "s1", s(1), s(1), s(1), param.length, param, s(1), s(1)),
                    RawClient.body('D', 'P', "p1"), RawClient.body('E', "p1", 0), RawClient.body('C', 'P', "p1"),
                    RawClient.body('C', 'S', "s1"), RawClient.body('S')));
            r = c.readUntil('Z');
            assertEquals("2 T D C 3 3 Z", RawClient.types(r));
            ByteBuffer rd = r.get(1).buf();
            assertEquals(1, rd.getShort());
            while (rd.get() != 0) {
                // column name
            }
            rd.position(rd.position() + 4 + 2 + 4 + 2 + 4);
            assertEquals(1, rd.getShort(), "binary format in RowDescription");
            ByteBuffer d = r.get(2).buf();
            assertEquals(1, d.getShort());
            assertEquals(4, d.getInt());
            assertEquals(123456, d.getInt());
            c.send(concat(RawClient.body('P', "", "INSERT INTO t VALUES (1)", s(0)), RawClient.body('D', 'S', ""),
                    RawClient.body('S')));
            assertEquals("1 t n Z", RawClient.types(c.readUntil('Z')));
            c.send(concat(RawClient.body('D', 'X', ""), RawClient.body('S')));
            r = c.readUntil('Z');
            assertEquals("E Z", RawClient.types(r));
            assertEquals("08P01", r.get(0).fields().get('C'));
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    @Test
    void portalSuspendsAtTheRowLimit() throws Exception {
        try (RawClient c = client()) {
            c.login("postgres");
            c.message('Q', "BEGIN");
            assertEquals("C Z", RawClient.types(c.readUntil('Z')));
            c.send(concat(RawClient.body('P', "", "SELECT generate_series(1, 5)", s(0)),
                    RawClient.body('B', "c1", "", s(0), s(0), s(0)), RawClient.body('E', "c1", 3),
                    RawClient.body('S')));
            List<Msg> r = c.readUntil('Z');
            assertEquals("1 2 D D D s Z", RawClient.types(r));
            assertEquals('T', (char) r.get(r.size() - 1).body()[0]);
            c.send(concat(RawClient.body('E', "c1", 3), RawClient.body('S')));
            r = c.readUntil('Z');
            assertEquals("D D C Z", RawClient.types(r));
        }
    }

    @Test
    void flushSendsWithoutSync() throws Exception {
        try (RawClient c = client()) {
            c.login("postgres");
            c.send(concat(RawClient.body('P', "f", "SELECT 1", s(0)), RawClient.body('H')));
            assertEquals('1', c.read().type());
            c.message('S');
            assertEquals('Z', c.read().type());
        }
    }

    @Test
    void functionCallIsNotSupported() throws Exception {
        try (RawClient c = client()) {
            c.login("postgres");
            c.message('F', 1234, s(0), s(0), s(0));
            List<Msg> r = c.readUntil('Z');
            assertEquals("E Z", RawClient.types(r));
            assertEquals("0A000", r.get(0).fields().get('C'));
        }
    }

    @Test
    void unknownMessageTypeIsFatal() throws Exception {
        try (RawClient c = client()) {
            c.login("postgres");
            c.message('Y');
            Map<Character, String> f = c.read().fields();
            assertEquals("FATAL", f.get('S'));
            assertEquals("08P01", f.get('C'));
            assertEquals("invalid frontend message type 89", f.get('M'));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void copyDataOutsideCopyIsIgnored() throws Exception {
        try (RawClient c = client()) {
            c.login("postgres");
            c.send(concat(RawClient.body('d', new byte[] {1, 2}), RawClient.body('c'), RawClient.body('Q',
                    "SELECT 1")));
            assertEquals("T D C Z", RawClient.types(c.readUntil('Z')));
            c.message('Q', "COPY t FROM STDIN");
            Msg g = c.read();
            assertEquals('G', g.type());
            c.send(concat(RawClient.body('d', "x\ny\n".getBytes()), RawClient.body('H'), RawClient.body('c')));
            List<Msg> r = c.readUntil('Z');
            assertEquals("C Z", RawClient.types(r));
            assertEquals("COPY 2", r.get(0).strings(0).get(0));
            c.message('Q', "COPY t FROM STDIN");
            assertEquals('G', c.read().type());
            c.send(concat(RawClient.body('d', "x\n".getBytes()), RawClient.body('f', "client gave up")));
            r = c.readUntil('Z');
            assertEquals("E Z", RawClient.types(r));
            assertEquals("57014", r.get(0).fields().get('C'));
            assertEquals("COPY from stdin failed: client gave up", r.get(0).fields().get('M'));
            c.message('Q', "COPY t TO STDOUT");
            r = c.readUntil('Z');
            assertEquals("H d d d c C Z", RawClient.types(r));
        }
    }

    @Test
    void eofInATransactionIsLogged() throws Exception {
        try (RawClient c = client()) {
            c.login("postgres");
            c.message('Q', "BEGIN");
            c.readUntil('Z');
        }
        server.logs.await("unexpected EOF on client connection with an open transaction");
    }

    @Test
    void activityAndTermination() throws Exception {
        try (RawClient c = client()) {
            List<Msg> m = c.login("postgres");
            long pid = Integer.toUnsignedLong(m.get(m.size() - 2).int32(0));
            BackendHandle h = server.registry.handle(pid);
            int port = c.socket.getLocalPort();
            assertEquals("postgres postgres 127.0.0.1(" + port + ") idle", h.activity());
            c.message('Q', "BEGIN");
            c.readUntil('Z');
            assertEquals("postgres postgres 127.0.0.1(" + port + ") idle in transaction", h.activity());
            c.message('Q', "BOGUS");
            c.readUntil('Z');
            assertEquals("postgres postgres 127.0.0.1(" + port + ") idle in transaction (aborted)", h.activity());
            c.message('Q', "ROLLBACK");
            c.readUntil('Z');
            c.message('Q', "SELECT pg_sleep(20)");
            long until = System.nanoTime() + 5_000_000_000L;
            while (!h.activity().endsWith(" active") && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertEquals("postgres postgres 127.0.0.1(" + port + ") active", h.activity());
            h.terminate();
            List<Msg> r = c.readUntil('E');
            Map<Character, String> f = r.get(r.size() - 1).fields();
            assertEquals("FATAL", f.get('S'));
            assertEquals("57P01", f.get('C'));
            assertEquals("terminating connection due to administrator command", f.get('M'));
            assertTrue(c.closedByServer());
            h.thread().join(5000);
            assertFalse(h.thread().isAlive());
        }
        try (RawClient c = client()) { // idle, blocked in a read
            List<Msg> m = c.login("postgres");
            BackendHandle h = server.registry.handle(Integer.toUnsignedLong(m.get(m.size() - 2).int32(0)));
            h.terminate();
            Map<Character, String> f = c.read().fields();
            assertEquals("57P01", f.get('C'));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void wrongCancelKeyDoesNothing() throws Exception {
        try (RawClient c = client()) {
            List<Msg> m = c.login("postgres");
            Msg k = m.get(m.size() - 2);
            c.message('Q', "SELECT pg_sleep(1)");
            try (RawClient other = client()) {
                other.send(ByteBuffer.allocate(16).putInt(16).putInt(1234 << 16 | 5678).putInt(k.int32(0))
                        .putInt(k.int32(4) + 1).array());
                assertTrue(other.closedByServer());
            }
            List<Msg> r = c.readUntil('Z');
            assertEquals("T D C Z", RawClient.types(r));
        }
        server.logs.await("wrong key in cancel request for process");
    }

    @Test
    void largeResultsAndMessagesGoThrough() throws Exception {
        try (RawClient c = client()) {
            c.login("postgres");
            c.message('Q', "SELECT generate_series(1, 20000)");
            List<Msg> r = c.readUntil('Z');
            assertEquals(20003, r.size());
            assertEquals("SELECT 20000", r.get(20001).strings(0).get(0));
            byte[] big = new byte[300_000];
            java.util.Arrays.fill(big, (byte) 'a');
            for (int i = 1; i < big.length; i += 100) {
                big[i] = '\n';
            }
            c.message('Q', "COPY t FROM STDIN");
            assertEquals('G', c.read().type());
            c.send(concat(RawClient.body('d', big), RawClient.body('c')));
            r = c.readUntil('Z');
            assertEquals("COPY 3000", r.get(0).strings(0).get(0));
            assertArrayEquals(big, server.engine.copiedIn.get(server.engine.copiedIn.size() - 1).getBytes());
        }
    }
}
