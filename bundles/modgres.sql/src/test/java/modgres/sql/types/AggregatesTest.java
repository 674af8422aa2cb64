package modgres.sql.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class AggregatesTest {
    static final SessionContext CTX = TestContexts.UTC;

    /** Runs aggregate {@code name} over text values of {@code type}; null strings are SQL NULLs. */
    static String agg(String name, Type type, String... values) {
        Routine.Resolved r = Catalog.resolveFunction(name, type);
        Aggregates.Accumulator acc = Aggregates.create(r, CTX);
        for (String v : values) {
            acc.add(new Object[] {v == null ? null : TextIO.input(type, -1, v, CTX)});
        }
        Object res = acc.result();
        return res == null ? null : TextIO.output(r.resultType(), res, CTX) + "::" + r.resultType().sqlName();
    }

    @Test
    void resultsAsPostgres() {
        // expected values from PostgreSQL 15 (SELECT agg(x) FROM (VALUES ...) v(x))
        assertEquals("1.5000000000000000::numeric", agg("avg", Types.INT4, "1", "2"));
        assertEquals("2.3333333333333333::numeric", agg("avg", Types.INT8, "1", "2", "4"));
        assertEquals("1.8750000000000000::numeric", agg("avg", Types.NUMERIC, "1.5", "2.25"));
        assertEquals("3::bigint", agg("sum", Types.INT4, "1", "2", null));
        assertEquals("9223372036854775808::numeric", agg("sum", Types.INT8, "9223372036854775807", "1"));
        assertEquals("1.5275252316519467::numeric", agg("stddev", Types.INT4, "1", "2", "4"));
        assertEquals("2.3333333333333333::numeric", agg("variance", Types.NUMERIC, "1.5", "2.5", "4.5"));
        assertEquals("1.247219128924647::double precision", agg("stddev_pop", Types.FLOAT8, "1", "2", "4"));
        assertEquals("13:00:00::interval", agg("avg", Types.INTERVAL, "1 day", "2 hours"));
        assertEquals("0.3::real", agg("sum", Types.FLOAT4, "0.1", "0.2"));
        assertEquals("b::text", agg("max", Types.TEXT, "a", "b", null));
        assertEquals("2024-01-01::date", agg("min", Types.DATE, "2024-01-02", "2024-01-01"));
        assertEquals("f::boolean", agg("bool_and", Types.BOOL, "t", "f"));
        assertEquals("{1,NULL,3}::integer[]", agg("array_agg", Types.INT4, "1", null, "3"));
        assertNull(agg("sum", Types.INT4));
        assertNull(agg("var_samp", Types.INT4, "5"));
        assertNull(agg("max", Types.INT4, (String) null));
    }

    @Test
    void countAndStringAgg() {
        Aggregates.Accumulator star = Aggregates.create(Catalog.resolveFunction("count"), CTX);
        star.add(new Object[0]);
        star.add(new Object[0]);
        assertEquals(2L, star.result());
        Aggregates.Accumulator cnt = Aggregates.create(Catalog.resolveFunction("count", Types.INT4), CTX);
        cnt.add(new Object[] {1});
        cnt.add(new Object[] {null});
        assertEquals(1L, cnt.result());
        Aggregates.Accumulator sa = Aggregates.create(Catalog.resolveFunction("string_agg", Types.TEXT, Types.TEXT), CTX);
        sa.add(new Object[] {"a", ","});
        sa.add(new Object[] {null, ","});
        sa.add(new Object[] {"b", ";"});
        assertEquals("a;b", sa.result());
    }
}
