package modgres.sql.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

class TypesTest {

    @Test
    void lookupsBySpelling() {
        assertSame(Types.INT4, Types.byName("int"));
        assertSame(Types.INT4, Types.byName("INTEGER"));
        assertSame(Types.INT4, Types.byName("int4"));
        assertSame(Types.INT8, Types.byName("bigint"));
        assertSame(Types.INT2, Types.byName("smallint"));
        assertSame(Types.VARCHAR, Types.byName("character  varying"));
        assertSame(Types.VARCHAR, Types.byName("varchar"));
        assertSame(Types.BPCHAR, Types.byName("char"));
        assertSame(Types.BPCHAR, Types.byName("character"));
        assertSame(Types.BPCHAR, Types.byName("bpchar"));
        assertSame(Types.CHAR, Types.byName("\"char\""));
        assertSame(Types.FLOAT8, Types.byName("double precision"));
        assertSame(Types.FLOAT8, Types.byName("float"));
        assertSame(Types.FLOAT4, Types.byName("real"));
        assertSame(Types.NUMERIC, Types.byName("decimal"));
        assertSame(Types.BOOL, Types.byName("bool"));
        assertSame(Types.TIMESTAMP, Types.byName("timestamp without time zone"));
        assertSame(Types.TIMESTAMPTZ, Types.byName("timestamptz"));
        assertSame(Types.TIMESTAMPTZ, Types.byName("timestamp with time zone"));
        assertSame(Types.TIME, Types.byName("time"));
        assertSame(Types.INT4_ARRAY, Types.byName("integer[]"));
        assertSame(Types.INT4_ARRAY, Types.byName("_int4"));
        assertSame(Types.TEXT, Types.byName("pg_catalog.text"));
        assertNull(Types.byName("nosuchtype"));
        assertSame(Types.UUID, Types.byOid(2950));
        assertNull(Types.byOid(123456));
    }

    @Test
    void catalogFactsAsPostgres() {
        assertEquals(-1, Types.NUMERIC.typlen());
        assertEquals(16, Types.INTERVAL.typlen());
        assertEquals('d', Types.INTERVAL.typalign());
        assertEquals(64, Types.NAME.typlen());
        assertEquals('N', Types.INT4.typcategory());
        assertTrue(Types.FLOAT8.typispreferred());
        assertTrue(Types.TEXT.typispreferred());
        assertTrue(Types.TIMESTAMPTZ.typispreferred());
        assertEquals(1007, Types.INT4.arrayOid());
        assertSame(Types.INT4, Types.INT4_ARRAY.elem());
        assertEquals('d', Types.INT8_ARRAY.typalign());
        assertEquals("int4in", Types.INT4.typinput());
        for (Type t : Types.all()) {
            assertSame(t, Types.byOid(t.oid()));
            if (t.arrayOid() != 0) {
                assertNotNull(t.array(), t.typname());
                assertSame(t, t.array().elem());
            }
        }
    }

    @Test
    void formatWithTypmodAsFormatType() {
        assertEquals("character varying(10)", Types.VARCHAR.format(Types.typmod(Types.VARCHAR, 10)));
        assertEquals("character varying", Types.VARCHAR.format(-1));
        assertEquals("character(1)", Types.BPCHAR.format(Types.typmod(Types.BPCHAR, 1)));
        assertEquals("bpchar", Types.BPCHAR.format(-1));
        assertEquals("character", Types.BPCHAR.sqlName());
        assertEquals("numeric(5,2)", Types.NUMERIC.format(Types.typmod(Types.NUMERIC, 5, 2)));
        assertEquals("numeric(3,-1)", Types.NUMERIC.format(Types.typmod(Types.NUMERIC, 3, -1)));
        assertEquals("numeric(7,0)", Types.NUMERIC.format(Types.typmod(Types.NUMERIC, 7)));
        assertEquals("timestamp(3) without time zone", Types.TIMESTAMP.format(3));
        assertEquals("timestamp with time zone", Types.TIMESTAMPTZ.format(-1));
        assertEquals("time(2) without time zone", Types.TIME.format(2));
        assertEquals("interval(3)", Types.INTERVAL.format(Types.typmod(Types.INTERVAL, 3)));
        assertEquals("interval year to month", Types.INTERVAL.format(IntervalFields.typmod(
                IntervalFields.parse("year to month"), -1)));
        assertEquals("interval hour to second(2)", Types.INTERVAL.format(IntervalFields.typmod(
                IntervalFields.parse("HOUR TO SECOND"), 2)));
        assertEquals(469762050, IntervalFields.typmod(IntervalFields.parse("hour to second"), 2)); // atttypmod in PG
        assertEquals("integer[]", Types.INT4_ARRAY.format(-1));
        assertEquals("character(5)[]", Types.BPCHAR_ARRAY.format(Types.typmod(Types.BPCHAR, 5)));
        assertEquals("\"char\"", Types.CHAR.sqlName());
    }

    @Test
    void typmodErrorsAsTypmodin() {
        assertEquals("length for type varchar must be at least 1",
                assertThrows(PgException.class, () -> Types.typmod(Types.VARCHAR, 0)).getMessage());
        assertEquals("length for type char must be at least 1",
                assertThrows(PgException.class, () -> Types.typmod(Types.BPCHAR, 0)).getMessage());
        assertEquals("length for type varchar cannot exceed 10485760",
                assertThrows(PgException.class, () -> Types.typmod(Types.VARCHAR, 10485761)).getMessage());
        assertEquals("NUMERIC precision 0 must be between 1 and 1000",
                assertThrows(PgException.class, () -> Types.typmod(Types.NUMERIC, 0)).getMessage());
        assertEquals("NUMERIC scale -1001 must be between -1000 and 1000",
                assertThrows(PgException.class, () -> Types.typmod(Types.NUMERIC, 5, -1001)).getMessage());
        assertEquals(6, Types.typmod(Types.TIMESTAMP, 7)); // reduced to the maximum, with a WARNING in PostgreSQL
        assertEquals("22023", assertThrows(PgException.class, () -> Types.typmod(Types.TIMESTAMP, -1)).sqlState());
    }
}
