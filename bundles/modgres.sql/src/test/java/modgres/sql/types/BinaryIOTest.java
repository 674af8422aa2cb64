package modgres.sql.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

class BinaryIOTest {
    static final SessionContext CTX = TestContexts.UTC;

    static String send(Type t, String text) {
        return HexFormat.of().formatHex(BinaryIO.send(t, TextIO.input(t, -1, text, CTX)));
    }

    @Test
    void sendMatchesPostgresSendFunctions() {
        // encode(numeric_send(x), 'hex') etc. from PostgreSQL 15
        assertEquals("000200000000000404d2162e", send(Types.NUMERIC, "1234.5678"));
        assertEquals("0001fffe4000000604b0", send(Types.NUMERIC, "-0.000012"));
        assertEquals("0000000000000000", send(Types.NUMERIC, "0"));
        assertEquals("0000000000000002", send(Types.NUMERIC, "0.00"));
        assertEquals("00010019000000000001", send(Types.NUMERIC, "1e100"));
        assertEquals("00000000c0000000", send(Types.NUMERIC, "NaN"));
        assertEquals("00000000f0000020", send(Types.NUMERIC, "-Infinity"));
        assertEquals("000600040000000304d2162e23340d801ed204ce", send(Types.NUMERIC, "12345678901234567890.123"));
        assertEquals("00000000002dc6c00000000200000001", send(Types.INTERVAL, "1 mon 2 days 00:00:03"));
        assertEquals("00000001000000010000001700000003000000010000000400000001ffffffff0000000400000003",
                send(Types.INT4_ARRAY, "{1,NULL,3}"));
        assertEquals("00002242", send(Types.DATE, "2024-01-05"));
        assertEquals("3fc00000", send(Types.FLOAT4, "1.5"));
        assertEquals("0002b12eae0b2800", send(Types.TIMESTAMPTZ, "2024-01-05 10:00+00"));
        assertEquals("01", send(Types.BOOL, "t"));
        assertEquals("c3a9", send(Types.TEXT, "\u00e9"));
        assertEquals("a0eebc999c0b4ef8bb6d6bb9bd380a11", send(Types.UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    }

    @Test
    void receiveRoundTripsEveryType() {
        String[][] cases = {{"bool", "f"}, {"int2", "-32768"}, {"int4", "2147483647"}, {"int8", "-9223372036854775808"},
            {"oid", "4294967295"}, {"float4", "-1.5e-10"}, {"float8", "NaN"}, {"numeric", "-123456789.000000001"},
            {"numeric", "Infinity"}, {"numeric", "0.0001"}, {"numeric", "99990000"}, {"text", "h\u00e9"},
            {"varchar", ""}, {"bpchar", "ab "}, {"name", "n"}, {"bytea", "\\x00ff"}, {"date", "-infinity"},
            {"time", "23:59:59.999999"}, {"timestamp", "1999-12-31 23:59:59.5"}, {"timestamptz", "infinity"},
            {"interval", "-1 years 2 days -00:00:01"}, {"uuid", "00000000-0000-0000-0000-0000000000ff"},
            {"pg_lsn", "FFFFFFFF/FFFFFFFF"}, {"\"char\"", "x"}, {"text[]", "{a,NULL,\"b c\"}"},
            {"int4[]", "[0:1]={{1,2},{3,4}}".replace("[0:1]=", "")}, {"numeric[]", "{}"}};
        for (String[] c : cases) {
            Type t = Types.byName(c[0]);
            Object v = TextIO.input(t, -1, c[1], CTX);
            Object back = BinaryIO.receive(t, -1, ByteBuffer.wrap(BinaryIO.send(t, v)));
            assertEquals(TextIO.output(t, v, CTX), TextIO.output(t, back, CTX), c[0]);
        }
    }

    @Test
    void receiveAppliesTypmodAndRejectsBadData() {
        assertEquals(new BigDecimal("1.50"), BinaryIO.receive(Types.NUMERIC, Types.typmod(Types.NUMERIC, 5, 2),
                ByteBuffer.wrap(BinaryIO.send(Types.NUMERIC, new BigDecimal("1.4999")))));
        PgException e = assertThrows(PgException.class, () -> BinaryIO.receive(Types.VARCHAR,
                Types.typmod(Types.VARCHAR, 2), ByteBuffer.wrap("abc".getBytes())));
        assertEquals("22001", e.sqlState());
        assertEquals("08P01", assertThrows(PgException.class,
                () -> BinaryIO.receive(Types.INT4, -1, ByteBuffer.wrap(new byte[2]))).sqlState());
        assertEquals("22P03", assertThrows(PgException.class,
                () -> BinaryIO.receive(Types.INT4, -1, ByteBuffer.wrap(new byte[5]))).sqlState());
        assertEquals("invalid sign in external \"numeric\" value", assertThrows(PgException.class,
                () -> BinaryIO.receive(Types.NUMERIC, -1, ByteBuffer.wrap(HexFormat.of().parseHex("0000000012340000"))))
                .getMessage());
    }
}
