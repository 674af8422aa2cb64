package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * INSERT and UPDATE targets that assign array elements and slices ({@code a[1]}, {@code a[2:3]}), several of
 * them into one column. Expected rows and errors are PostgreSQL 15's for the same statements (psql -A).
 */
class ArrayAssignmentTest extends DataEngineTestBase {

    @BeforeEach
    void data() {
        exec("create table arr (id int, a int[], t text)");
    }

    @Test
    void elementsAndSlicesCombine() {
        exec("insert into arr (id, a[1], a[2]) values (1, 1, 2)",
                "insert into arr (id, a[2:3]) values (2, '{5,6}')",
                "insert into arr (id, a[1], a[2]) select 3, 10, 20",
                "update arr set a[4] = 9 where id = 1",
                "update arr set a[1:2] = '{7,8}' where id = 2");
        assertEquals(List.of("id|a", "1|{1,2,NULL,9}", "2|{7,8,6}", "3|{10,20}"),
                table("select id, a from arr order by id"));
        assertEquals(List.of("a|a|a|a", "{2,NULL}|1||{1,2}"),
                table("select a[2:3], a[1], a[9], a[:2] from arr where id = 1"));
        // a slice assigned into a NULL array keeps its lower bound
        exec("insert into arr (id, a[2:3]) values (4, '{5,6}')");
        assertEquals(List.of("a", "[2:3]={5,6}"), table("select a from arr where id = 4"));
    }

    @Test
    void errorsAsPostgres() {
        PgException e = error("insert into arr (a[1]) values (default)", "0A000",
                "cannot set an array element to DEFAULT");
        assertEquals(18, e.position());
        error("insert into arr (a, a[1]) values ('{1}', 2)", "42701", "column \"a\" specified more than once");
        error("insert into arr (a[1], a) values (2, '{1}')", "42701", "column \"a\" specified more than once");
        error("update arr set a[1] = 1, a = '{2}'", "42601", "multiple assignments to same column \"a\"");
        error("insert into arr (t[1]) values ('x')", "42804",
                "cannot subscript type text because it does not support subscripting");
        error("insert into arr (a[1]) values ('x')", "22P02", "invalid input syntax for type integer: \"x\"");
        assertEquals(List.of("count", "0"), table("select count(*) from arr"));
    }
}
