package modgres.sql.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

class CatalogTest {
    static final SessionContext CTX = TestContexts.UTC;

    @Test
    void operatorResolutionFollowsPostgresRules() {
        Routine.Resolved r = Catalog.resolveOperator("+", Types.INT4, Types.INT4);
        assertEquals("int4pl", r.routine().proc());
        r = Catalog.resolveOperator("+", Types.INT4, Types.NUMERIC);
        assertEquals("numeric_add", r.routine().proc());
        assertSame(Types.NUMERIC, r.argTypes()[0]); // the engine casts the int4 side to numeric
        r = Catalog.resolveOperator("+", Types.UNKNOWN, Types.INT8);
        assertEquals("int8pl", r.routine().proc());
        r = Catalog.resolveOperator("=", Types.INT4, Types.INT8);
        assertEquals("int48eq", r.routine().proc());
        r = Catalog.resolveOperator("||", Types.TEXT, Types.INT4);
        assertEquals("textanycat", r.routine().proc());
        assertSame(Types.INT4, r.argTypes()[1]);
        r = Catalog.resolveOperator("||", Types.UNKNOWN, Types.UNKNOWN);
        assertEquals("textcat", r.routine().proc());
        r = Catalog.resolveOperator("=", Types.VARCHAR, Types.VARCHAR);
        assertEquals("texteq", r.routine().proc());
        r = Catalog.resolveOperator("-", null, Types.INT2);
        assertEquals("int2um", r.routine().proc());
        r = Catalog.resolveOperator("||", Types.INT4_ARRAY, Types.INT4);
        assertSame(Types.INT4_ARRAY, r.resultType());
        r = Catalog.resolveOperator("<", Types.DATE, Types.UNKNOWN);
        assertEquals("date_lt", r.routine().proc());
    }

    @Test
    void operatorErrorsCarryPostgresTexts() {
        PgException e = assertThrows(PgException.class, () -> Catalog.resolveOperator("+", Types.INT4, Types.BOOL));
        assertEquals("42883", e.sqlState());
        assertEquals("operator does not exist: integer + boolean", e.getMessage());
        assertEquals("No operator matches the given name and argument types. You might need to add explicit type casts.",
                e.hint());
        e = assertThrows(PgException.class, () -> Catalog.resolveOperator("-", null, Types.BOOL));
        assertEquals("operator does not exist: - boolean", e.getMessage());
        assertEquals("No operator matches the given name and argument type. You might need to add an explicit type cast.",
                e.hint());
        e = assertThrows(PgException.class, () -> Catalog.resolveOperator("+", Types.UNKNOWN, Types.UNKNOWN));
        assertEquals("42725", e.sqlState());
        assertEquals("operator is not unique: unknown + unknown", e.getMessage());
        assertEquals("Could not choose a best candidate operator. You might need to add explicit type casts.", e.hint());
    }

    @Test
    void functionResolutionAndErrors() {
        assertSame(Types.FLOAT8, Catalog.resolveFunction("round", Types.INT4).resultType());
        assertSame(Types.NUMERIC, Catalog.resolveFunction("round", Types.NUMERIC, Types.INT4).resultType());
        assertSame(Types.FLOAT8, Catalog.resolveFunction("round", Types.UNKNOWN).resultType());
        assertSame(Types.TEXT, Catalog.resolveFunction("upper", Types.UNKNOWN).resultType());
        assertSame(Types.INT4, Catalog.resolveFunction("length", Types.VARCHAR).resultType());
        assertSame(Types.TEXT, Catalog.resolveFunction("concat", Types.INT4, Types.BOOL, Types.UNKNOWN).resultType());
        assertSame(Types.INT8, Catalog.resolveFunction("count").resultType());
        assertSame(Types.INT8, Catalog.resolveFunction("sum", Types.INT4).resultType());
        assertSame(Types.NUMERIC, Catalog.resolveFunction("avg", Types.INT2).resultType());
        assertSame(Types.TIMESTAMPTZ, Catalog.resolveFunction("now").resultType());
        assertSame(Types.INT4, Catalog.resolveFunction("array_length", Types.TEXT_ARRAY, Types.INT4).resultType());
        assertSame(Types.DATE_ARRAY, Catalog.resolveFunction("array_append", Types.DATE_ARRAY, Types.DATE).resultType());
        assertTrue(Catalog.isAggregate("max"));
        PgException e = assertThrows(PgException.class, () -> Catalog.resolveFunction("foo", Types.INT4));
        assertEquals("42883", e.sqlState());
        assertEquals("function foo(integer) does not exist", e.getMessage());
        assertEquals("No function matches the given name and argument types. You might need to add explicit type casts.",
                e.hint());
        e = assertThrows(PgException.class, () -> Catalog.resolveFunction("length", Types.INT4));
        assertEquals("function length(integer) does not exist", e.getMessage());
    }

    @Test
    void everyFunctionAndOperatorIsImplemented() {
        for (Routine r : Catalog.operators()) {
            assertNotNull(r.impl, r.toString());
        }
        for (Routine r : Catalog.functions()) {
            if (r.kind() != Routine.Kind.AGGREGATE) {
                assertNotNull(r.impl, r.toString());
            }
        }
    }

    @Test
    void strictRoutinesReturnNullAndNonStrictOnesSeeNulls() {
        Routine.Resolved plus = Catalog.resolveOperator("+", Types.INT4, Types.INT4);
        assertNull(plus.invoke(new Object[] {1, null}, CTX));
        Routine.Resolved concat = Catalog.resolveFunction("concat", Types.TEXT, Types.TEXT);
        assertEquals("a", concat.invoke(new Object[] {"a", null}, CTX));
        Routine.Resolved app = Catalog.resolveOperator("||", Types.INT4_ARRAY, Types.INT4);
        assertEquals("{1,NULL}", TextIO.output(Types.INT4_ARRAY,
                app.invoke(new Object[] {PgArray.of(Types.INT4, 1), null}, CTX), CTX));
    }

    @Test
    void volatileTimeFunctionsUseTheContext() {
        Object now = Catalog.resolveFunction("now").invoke(new Object[0], CTX);
        assertEquals("2024-03-15 12:34:56.789+00", TextIO.output(Types.TIMESTAMPTZ, now, CTX));
        Object r = Catalog.resolveFunction("random").invoke(new Object[0], CTX);
        assertTrue((Double) r >= 0 && (Double) r < 1);
        Object age = Catalog.resolveFunction("age", Types.TIMESTAMP).invoke(
                new Object[] {TextIO.input(Types.TIMESTAMP, -1, "2020-03-15", CTX)}, CTX);
        assertEquals("4 years", TextIO.output(Types.INTERVAL, age, CTX));
        Object d = TextIO.input(Types.DATE, -1, "today", CTX);
        assertEquals("2024-03-15", TextIO.output(Types.DATE, d, CTX));
        assertEquals("2024-03-14", TextIO.output(Types.DATE, TextIO.input(Types.DATE, -1, "yesterday", CTX), CTX));
        assertEquals("2024-03-16 00:00:00", TextIO.output(Types.TIMESTAMP,
                TextIO.input(Types.TIMESTAMP, -1, "tomorrow", CTX), CTX));
        assertEquals("12:34:56.789", TextIO.output(Types.TIME, TextIO.input(Types.TIME, -1, "now", CTX), CTX));
        SessionContext ny = TestContexts.named("NY");
        assertEquals("2024-03-15 08:34:56.789-04", TextIO.output(Types.TIMESTAMPTZ,
                TextIO.input(Types.TIMESTAMPTZ, -1, "now", ny), ny));
    }

    @Test
    void divisionScaleAsSelectDivScale() {
        Routine.Resolved div = Catalog.resolveOperator("/", Types.NUMERIC, Types.NUMERIC);
        assertEquals(new BigDecimal("0.33333333333333333333"), div.invoke(new Object[] {BigDecimal.ONE,
            BigDecimal.valueOf(3)}, CTX));
        assertEquals(new BigDecimal("3.5000000000000000"), div.invoke(new Object[] {BigDecimal.valueOf(7),
            BigDecimal.valueOf(2)}, CTX));
        assertEquals(3, Catalog.resolveOperator("/", Types.INT4, Types.INT4).invoke(new Object[] {7, 2}, CTX));
        assertEquals(-3, Catalog.resolveOperator("/", Types.INT4, Types.INT4).invoke(new Object[] {-7, 2}, CTX));
        assertEquals("22012", assertThrows(PgException.class, () -> Catalog.resolveOperator("/", Types.INT4,
                Types.INT4).invoke(new Object[] {1, 0}, CTX)).sqlState());
    }

    @Test
    void variadicArrayCallsSpreadTheArray() {
        Routine.Resolved c = Catalog.resolveFunctionVariadic("concat", Types.INT4_ARRAY);
        assertEquals("123", c.invoke(new Object[] {PgArray.of(Types.INT4, 1, 2, 3)}, CTX));
        assertNull(c.invoke(new Object[] {null}, CTX));
        Routine.Resolved ws = Catalog.resolveFunctionVariadic("concat_ws", Types.UNKNOWN, Types.INT4_ARRAY);
        assertEquals("1,2,3", ws.invoke(new Object[] {",", PgArray.of(Types.INT4, 1, 2, 3)}, CTX));
        Routine.Resolved f = Catalog.resolveFunctionVariadic("format", Types.TEXT, Types.BOOL_ARRAY);
        assertEquals("t, f", f.invoke(new Object[] {"%s, %s", PgArray.of(Types.BOOL, true, false)}, CTX));
        assertEquals("Hello", f.invoke(new Object[] {"Hello", null}, CTX));
        assertEquals("VARIADIC argument must be an array", assertThrows(PgException.class,
                () -> Catalog.resolveFunctionVariadic("concat_ws", Types.TEXT, Types.INT4)).getMessage());
    }
}
