package modgres.sql.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class CompareTest {

    @Test
    void floatsAndNumericPutNaNLast() {
        assertTrue(Compare.compare(Types.FLOAT8, Double.NaN, Double.POSITIVE_INFINITY) > 0);
        assertEquals(0, Compare.compare(Types.FLOAT8, Double.NaN, Double.NaN));
        assertEquals(0, Compare.compare(Types.FLOAT8, -0.0, 0.0));
        assertTrue(Compare.compare(Types.NUMERIC, NumericSpecial.NAN, NumericSpecial.INFINITY) > 0);
        assertTrue(Compare.compare(Types.NUMERIC, NumericSpecial.NEGATIVE_INFINITY, new BigDecimal("-1e100")) < 0);
        assertEquals(0, Compare.compare(Types.NUMERIC, new BigDecimal("1.0"), new BigDecimal("1.000")));
        assertEquals(Compare.hash(Types.NUMERIC, new BigDecimal("1.0")), Compare.hash(Types.NUMERIC, new BigDecimal("1")));
        assertEquals(Compare.hash(Types.FLOAT8, -0.0), Compare.hash(Types.FLOAT8, 0.0));
    }

    @Test
    void textIsCodePointOrderAndBpcharIgnoresTrailingBlanks() {
        assertTrue(Compare.compare(Types.TEXT, "Z", "a") < 0);
        assertTrue(Compare.compare(Types.TEXT, "a", "ab") < 0);
        assertTrue(Compare.compare(Types.TEXT, "\uFFFD", "\uD83D\uDE00") < 0); // U+FFFD < U+1F600
        assertTrue(Compare.compare(Types.TEXT, "a ", "a") > 0);
        assertEquals(0, Compare.compare(Types.BPCHAR, "a  ", "a"));
        assertEquals(Compare.hash(Types.BPCHAR, "a  "), Compare.hash(Types.BPCHAR, "a"));
        assertTrue(Compare.compare(Types.BYTEA, new byte[] {(byte) 0x80}, new byte[] {0x7f}) > 0);
    }

    @Test
    void intervalsCompareBySpan() {
        assertEquals(0, Compare.compare(Types.INTERVAL, new Interval(1, 0, 0), new Interval(0, 30, 0)));
        assertEquals(0, Compare.compare(Types.INTERVAL, new Interval(0, 1, 0), new Interval(0, 0, 86_400_000_000L)));
        assertTrue(Compare.compare(Types.INTERVAL, new Interval(0, 0, 86_400_000_001L), new Interval(0, 1, 0)) > 0);
        assertEquals(Compare.hash(Types.INTERVAL, new Interval(1, 0, 0)), Compare.hash(Types.INTERVAL, new Interval(0, 30, 0)));
        assertTrue(Compare.compare(Types.INTERVAL, new Interval(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE),
                new Interval(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE - 1)) > 0);
    }

    @Test
    void uuidsCompareUnsignedAndArraysElementWise() {
        assertTrue(Compare.compare(Types.UUID, UUID.fromString("80000000-0000-0000-0000-000000000000"),
                UUID.fromString("7fffffff-0000-0000-0000-000000000000")) > 0);
        assertTrue(Compare.compare(Types.INT4_ARRAY, PgArray.of(Types.INT4, 1, 2), PgArray.of(Types.INT4, 1, 2, 0)) < 0);
        assertTrue(Compare.compare(Types.INT4_ARRAY, PgArray.of(Types.INT4, 1, null), PgArray.of(Types.INT4, 1, 5)) > 0);
        assertTrue(Compare.compare(Types.BOOL, false, true) < 0);
        assertTrue(Compare.compare(Types.PG_LSN, -1L, 1L) > 0);
    }
}
