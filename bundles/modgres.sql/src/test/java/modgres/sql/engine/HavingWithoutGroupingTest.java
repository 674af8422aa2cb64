package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** HAVING with neither GROUP BY nor aggregates: one group, whatever the input, as PostgreSQL 15. */
class HavingWithoutGroupingTest extends DataEngineTestBase {

    @Test
    void oneGroupAndTheInputIsNotRead() {
        exec("create table th (a int)");
        exec("insert into th values (0)");
        // the WHERE would divide by zero: PostgreSQL does not scan the table at all
        assertEquals(List.of("one", "1"), table("select 1 as one from th where 1/a = 1 having 1 < 2"));
        assertEquals(List.of("one"), table("select 1 as one from th having 1 > 2"));
        assertEquals(List.of("?column?", "2"), table("select 2 from th where false having true"));
        assertEquals(List.of("count", "0"), table("select count(*) from th where a > 5 having true"));
    }
}
