package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SELECT DISTINCT ON end to end. The expected rows and errors are PostgreSQL 15's for the same statements
 * (psql -A output of a PostgreSQL 15.18 server).
 */
class DistinctOnTest extends DataEngineTestBase {

    @BeforeEach
    void data() {
        exec("create table t(a int, b int, c text)");
        exec("insert into t values (1,1,'x'),(2,1,'y'),(3,2,'z'),(3,2,'w'),(null,3,null),(4,null,'q')");
    }

    @Test
    void resultsAsPostgres() {
        // the first row of each group in ORDER BY order
        assertEquals(List.of("b|a|c", "1|2|y", "2|3|z", "3||", "|4|q"),
                table("select distinct on (b) b, a, c from t order by b, a desc"));
        assertEquals(List.of("b|a|c", "|4|q", "1|1|x", "2|3|w", "3||"),
                table("select distinct on (b) b, a, c from t order by b nulls first, c"));
        assertEquals(List.of("a|b|c", "1|1|x", "3|2|z", "|3|", "4||q"),
                table("select distinct on (b) * from t order by b, a"));
        assertEquals(List.of("a", "1", "3", "", "4"),
                table("select distinct on (b) a from t order by b, a"));
        assertEquals(List.of("b|a", "1|2", "2|3", "3|", "|4"),
                table("select distinct on (1) b, a from t order by 1, 2 desc"));
        assertEquals(List.of("b|a", "1|1", "1|2", "2|3", "|4", "3|"),
                table("select distinct on (b, a) b, a from t order by a, b"));
        assertEquals(List.of("b|a", "1|1", "1|2", "2|3", "|4", "3|"),
                table("select distinct on (b, a) b, a from t order by a"));
        assertEquals(List.of("a|c", "4|q", "3|w", "|"),
                table("select distinct on (a % 2) a, c from t order by a % 2, c"));
        assertEquals(List.of("a|b", "2|1", "3|2"),
                table("select distinct on (a) a, b from t order by a, b desc limit 2 offset 1"));
        assertEquals(List.of("b|count", "1|1", "2|2", "3|1", "|1"),
                table("select distinct on (b) b, count(*) from t group by b, a order by b, count(*) desc"));
        assertEquals(List.of("x|y", "1|b", "|d"),
                table("select distinct on (x) x, y from (values (1, 'a'), (1, 'b'), (null, 'c'), (null, 'd')) v(x, y) order by x, y desc"));
        assertEquals(List.of("b|row_number", "1|2", "2|4", "3|6", "|5"),
                table("select distinct on (b) b, row_number() over (order by a) from t order by b, 2 desc"));
        assertEquals(List.of("a|b", "1|1", "2|1", "3|2", "4|", "|3"),
                table("select distinct a, b from t order by a, b"));
    }

    @Test
    void errorsAsPostgres() {
        error("select distinct on (a) a, c from t order by b",
                "42P10", "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
        error("select distinct on (a, b) a from t order by b, c",
                "42P10", "SELECT DISTINCT ON expressions must match initial ORDER BY expressions");
        error("select distinct on (3) a from t",
                "42P10", "DISTINCT ON position 3 is not in select list");
        error("select distinct on (nosuch) a from t",
                "42703", "column \"nosuch\" does not exist");
        error("select distinct a from t order by b",
                "42P10", "for SELECT DISTINCT, ORDER BY expressions must appear in select list");
    }

    @Test
    void plansAsPostgres() {
        // a Unique over the rows sorted by ORDER BY (DISTINCT ON expressions it does not name added after it)
        assertEquals(List.of("Unique", "  ->  Sort", "        Sort Key: b, a DESC", "        ->  Seq Scan on t"),
                plan("select distinct on (b) b, a from t order by b, a desc"));
        assertEquals(List.of("Unique", "  ->  Sort", "        Sort Key: b", "        ->  Seq Scan on t"),
                plan("select distinct on (b) b, a from t"));
        assertEquals(List.of("Limit", "  ->  Unique", "        ->  Sort", "              Sort Key: b, a",
                "              ->  Seq Scan on t"), plan("select distinct on (b) b, a from t order by b, a limit 2"));
    }

    @Test
    void positions() {
        String q = "select distinct on (a) a, c from t order by b";
        assertEquals(q.indexOf("a)") + 1, error(q).position());
    }
}
