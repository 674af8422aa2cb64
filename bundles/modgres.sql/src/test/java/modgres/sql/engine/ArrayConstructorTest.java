package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/** ARRAY[...] constructors: types, dimensions and errors as PostgreSQL 15 gives them. */
class ArrayConstructorTest extends DataEngineTestBase {

    @Test
    void constructorsAsPostgres() {
        assertEquals(List.of("array|array|array|array|array|array|pg_typeof|array",
                "{1,2,3}|{a,b}|{{1,2},{3,4}}|{1,NULL}|{1,2.5}|{}|numeric[]|{{x}}"),
                table("select ARRAY[1,2,3], ARRAY['a','b'], ARRAY[[1,2],[3,4]], ARRAY[1,NULL], ARRAY[1,2.5],"
                        + " ARRAY[]::int[], pg_typeof(ARRAY[1,2.5]), ARRAY[ARRAY['x']]"));
        exec("create table arr_src (a int, b text)");
        exec("insert into arr_src values (1, 'one'), (2, null)");
        assertEquals(List.of("array", "{1,one}", "{2,NULL}"), table("select ARRAY[a::text, b] from arr_src order by a"));
        PgException e = error("select ARRAY[]", "42P18", "cannot determine type of empty array");
        assertEquals("Explicitly cast to the desired type, for example ARRAY[]::integer[].", e.hint());
        error("select ARRAY[[1,2],[3]]", "2202E",
                "multidimensional arrays must have array expressions with matching dimensions");
    }
}
