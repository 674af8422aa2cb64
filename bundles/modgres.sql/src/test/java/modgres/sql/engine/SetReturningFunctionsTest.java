package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Set-returning functions in FROM and in the SELECT list (ProjectSet), with PostgreSQL 15's results. */
class SetReturningFunctionsTest extends DataEngineTestBase {

    @Test
    void callsInTheSelectListRunInLockstepPaddedWithNulls() {
        assertEquals(List.of("g|u|k", "1|a|7", "2|b|7", "3||7"),
                table("select generate_series(1,3) g, unnest(array['a','b']) u, 7 k"));
        // an input row whose calls return no rows produces none
        assertEquals(List.of("a|generate_series", "1|1", "2|1", "2|2"),
                table("select a, generate_series(1,a) from (values (1),(0),(2)) v(a)"));
        assertEquals(List.of("x", "3", "2"), table("select unnest(array[1,2]) + 1 as x order by x desc"));
        assertEquals(List.of("count|generate_series", "2|1", "2|2"),
                table("select count(*), generate_series(1,2) from (values(1),(2)) v"));
    }

    @Test
    void insertFromValuesWithASetReturningFunction() {
        exec("create table h (a int)", "insert into h values (generate_series(1, 4))");
        assertEquals(List.of("count|sum", "4|10"), table("select count(*), sum(a) from h"));
        exec("insert into h select generate_series(5, 6)");
        assertEquals(List.of("count", "6"), table("select count(*) from h"));
    }

    @Test
    void generateSeriesOverOtherTypes() {
        assertEquals(List.of("generate_series", "2020-01-01 00:00:00", "2020-01-02 00:00:00", "2020-01-03 00:00:00"),
                table("select generate_series('2020-01-01'::timestamp, '2020-01-03', '1 day')"));
        assertEquals(List.of("generate_series", "1.5", "2.5"), table("select generate_series(1.5, 3)"));
        assertEquals(List.of("g", "3", "1"), table("select * from generate_series(3, 0, -2) g"));
        assertEquals(List.of("x", "9000000000"), table("select * from generate_series(9000000000, 9000000000) x"));
        error("select generate_series(1, 3, 0)", "22023", "step size cannot equal zero");
    }

    @Test
    void unnestAndFriendsInFrom() {
        assertEquals(List.of("u", "a", "", "c"), table("select * from unnest(array['a', null, 'c']) u"));
        assertEquals(List.of("unnest", "1", "2", "3", "4"), table("select * from unnest('{{1,2},{3,4}}'::int[])"));
        assertEquals(List.of("s", "1", "2", "3"), table("select * from generate_subscripts(array[4,5,6], 1) s"));
        assertEquals(List.of("s", "3", "2", "1"),
                table("select * from generate_subscripts(array[4,5,6], 1, true) s"));
        assertEquals(List.of("string_to_table", "a", "b", ""),
                table("select string_to_table('a,b,', ',')"));
        assertEquals(List.of("x|ordinality", "p|1", "q|2"),
                table("select * from unnest(array['p','q']) with ordinality x"));
    }

    @Test
    void notAllowedOutsideTheSelectList() {
        error("select 1 where generate_series(1,2) > 0", "0A000", "set-returning functions are not allowed in WHERE");
    }

    @Test
    void explainShowsProjectSet() {
        assertEquals(List.of("ProjectSet", "  ->  Result"), plan("select generate_series(1,3)"));
    }
}
