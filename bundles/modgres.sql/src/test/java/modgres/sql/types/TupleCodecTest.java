package modgres.sql.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import modgres.api.access.TupleData;

class TupleCodecTest {
    static final SessionContext CTX = TestContexts.UTC;

    static Object in(Type t, String s) {
        return TextIO.input(t, -1, s, CTX);
    }

    /** CREATE TABLE tt(a int2, b text, c int8, d numeric, e name, f bool, g float8, h interval, i uuid, j date,
     *  k varchar(300), l numeric, m int4[], n bytea, o timestamptz, p "char", q text[]). */
    static final Type[] TT = {Types.INT2, Types.TEXT, Types.INT8, Types.NUMERIC, Types.NAME, Types.BOOL, Types.FLOAT8,
        Types.INTERVAL, Types.UUID, Types.DATE, Types.VARCHAR, Types.NUMERIC, Types.INT4_ARRAY, Types.BYTEA,
        Types.TIMESTAMPTZ, Types.CHAR, Types.TEXT_ARRAY};

    @Test
    void formsTheBytesPostgresWrites() {
        // t_data of the tuples a PostgreSQL 15 heap page held (pageinspect's heap_page_items)
        Object[] row1 = {(short) 1, "abc", 123456789012L, new BigDecimal("1234.5678"), "nm", true, 1.5,
            in(Types.INTERVAL, "1 mon 2 days 00:00:03"), UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
            in(Types.DATE, "2024-01-05"), "x".repeat(200), new BigDecimal("-0.000012"), in(Types.INT4_ARRAY, "{1,NULL,3}"),
            new byte[] {1, 2}, in(Types.TIMESTAMPTZ, "2024-01-05 10:00+00"), "z", in(Types.TEXT_ARRAY, "{a,bb}")};
        TupleData d1 = TupleCodec.form(TT, row1);
        String expected1 = "0100096162630000141a99be1c0000000f0082d2042e166e6d"
                + "00".repeat(62) + "01000000000000f83fc0c62d00000000000200000001000000"
                + "a0eebc999c0b4ef8bb6d6bb9bd380a1142220000" + "30030000" + "78".repeat(200)
                + "0b7ea3b0044b01000000200000001700000003000000010000000500000000000000010000000300000007010200000000"
                + "280bae2eb102007a4b010000000000000019000000020000000100000014000000610000001800000062620000";
        assertEquals(expected1, HexFormat.of().formatHex(d1.data()));
        assertNull(d1.nullBitmap());
        assertTrue(d1.hasVarWidth());

        Object[] row2 = new Object[TT.length];
        row2[2] = 5L;
        row2[3] = NumericSpecial.NAN;
        row2[5] = false;
        row2[11] = new BigDecimal("1e100").setScale(0);
        TupleData d2 = TupleCodec.form(TT, row2);
        assertEquals("05000000000000000700c0000b19800100", HexFormat.of().formatHex(d2.data()));
        // pageinspect prints t_bits LSB first: 001101000001000000000000
        assertArrayEquals(new byte[] {(byte) 0b00101100, (byte) 0b00001000, 0}, d2.nullBitmap());

        assertRowEquals(TT, row1, TupleCodec.deform(TT, d1));
        assertRowEquals(TT, row2, TupleCodec.deform(TT, d2));
    }

    static void assertRowEquals(Type[] types, Object[] expected, Object[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == null) {
                assertNull(actual[i], "attribute " + i);
            } else {
                assertEquals(0, Compare.compare(types[i], expected[i], actual[i]),
                        "attribute " + i + ": " + TextIO.output(types[i], expected[i], CTX) + " vs "
                                + TextIO.output(types[i], actual[i], CTX));
            }
        }
    }

    /** One sample value of every storable type (varlena ones both short and long). */
    static final Object[][] SAMPLES = {
        {Types.BOOL, true}, {Types.CHAR, "q"}, {Types.INT2, (short) -7}, {Types.INT4, -123456}, {Types.INT8, Long.MIN_VALUE},
        {Types.OID, 4294967295L}, {Types.FLOAT4, 1.25f}, {Types.FLOAT8, -0.1}, {Types.NUMERIC, new BigDecimal("-3.14")},
        {Types.NUMERIC, new BigDecimal("123456789012345678901234567890.1234567890")}, {Types.NUMERIC, NumericSpecial.INFINITY},
        {Types.NUMERIC, new BigDecimal("1e-200").setScale(200)}, {Types.TEXT, "h\u00e9llo"}, {Types.TEXT, "y".repeat(500)},
        {Types.VARCHAR, ""}, {Types.BPCHAR, "ab  "}, {Types.NAME, "pg_class"}, {Types.BYTEA, new byte[] {0, 1, (byte) 255}},
        {Types.DATE, 8770}, {Types.TIME, 3_600_000_000L}, {Types.TIMESTAMP, 757_000_000_000L},
        {Types.TIMESTAMPTZ, Long.MAX_VALUE}, {Types.INTERVAL, new Interval(-1, 2, -3)},
        {Types.UUID, UUID.fromString("00000000-0000-0000-0000-000000000001")}, {Types.PG_LSN, 0x16B374D848L},
        {Types.INT4_ARRAY, PgArray.of(Types.INT4, 1, null, 3)}, {Types.TEXT_ARRAY, PgArray.of(Types.TEXT, "a", "b".repeat(300))},
        {Types.FLOAT8_ARRAY, PgArray.of(Types.FLOAT8, 1.0, 2.0)}, {Types.NUMERIC_ARRAY, PgArray.of(Types.NUMERIC)}};

    @Test
    void roundTripsEveryTypeWithNullsInEveryPosition() {
        int n = SAMPLES.length;
        Type[] types = new Type[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            types[i] = (Type) SAMPLES[i][0];
            values[i] = SAMPLES[i][1];
        }
        assertRowEquals(types, values, TupleCodec.deform(types, TupleCodec.form(types, values)));
        for (int nullAt = 0; nullAt < n; nullAt++) {
            Object[] v = values.clone();
            v[nullAt] = null;
            TupleData d = TupleCodec.form(types, v);
            assertTrue(d.isNull(nullAt));
            assertRowEquals(types, v, TupleCodec.deform(types, d));
        }
        // rotate the columns so every type sits after every alignment situation
        for (int shift = 1; shift < n; shift++) {
            Type[] t2 = new Type[n];
            Object[] v2 = new Object[n];
            for (int i = 0; i < n; i++) {
                t2[i] = types[(i + shift) % n];
                v2[i] = (i % 3 == 0) ? null : values[(i + shift) % n];
            }
            assertRowEquals(t2, v2, TupleCodec.deform(t2, TupleCodec.form(t2, v2)));
        }
    }

    @Test
    void deformsAPrefixAndReadsMissingTrailingAttributesAsNull() {
        Type[] t = {Types.INT4, Types.TEXT, Types.INT8};
        TupleData d = TupleCodec.form(t, new Object[] {1, "x", 2L});
        Object[] first = TupleCodec.deform(t, d, 2);
        assertEquals(2, first.length);
        assertEquals("x", first[1]);
        Type[] wider = {Types.INT4, Types.TEXT, Types.INT8, Types.BOOL};
        Object[] all = TupleCodec.deform(wider, d, 4);
        assertNull(all[3]);
        assertEquals(2L, all[2]);
    }

    @Test
    void fixedWidthOnlyTupleHasNoVarWidthFlagAndAlignsByTypalign() {
        Type[] t = {Types.BOOL, Types.INT8, Types.INT2, Types.INT4};
        TupleData d = TupleCodec.form(t, new Object[] {true, 1L, (short) 2, 3});
        assertFalse(d.hasVarWidth());
        // bool at 0, int8 at 8, int2 at 16, int4 at 20
        assertEquals("01000000000000000100000000000000020000000300000", HexFormat.of().formatHex(d.data()).substring(0, 47));
        assertEquals(24, d.data().length);
    }
}
