package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** VARIADIC array arguments to the VARIADIC "any" functions, as PostgreSQL 15. */
class VariadicTest extends DataEngineTestBase {

    @Test
    void anArraySpreadOverTheVariadicParameter() {
        assertEquals(List.of("concat|concat_ws|format|format", "123|1,2,3|Hello, World|second, first"),
                table("select concat(variadic array[1,2,3]), concat_ws(',', variadic array[1,2,3]),"
                        + " format('%s, %s', variadic array['Hello','World']),"
                        + " format('%2$s, %1$s', variadic array['first', 'second'])"));
        assertEquals(List.of("t"), List.of(table("select concat(variadic NULL::int[]) is null").get(1)));
        error("select concat_ws(',', variadic 10)", "42809", "VARIADIC argument must be an array");
    }
}
