package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Aggregates with their own ORDER BY (string_agg(v, ',' ORDER BY v)): results as PostgreSQL 15's. */
class OrderedAggregateTest extends DataEngineTestBase {

    @Test
    void inputsAreFedInTheCallsOrder() {
        assertEquals(List.of("string_agg|array_agg|array_agg|count", "5,4,3,2,1|{4,2,5,3,1}|{2,1,0}|5"),
                table("select string_agg(g::text, ',' order by g desc), array_agg(g order by g % 2, g desc),"
                        + " array_agg(distinct g % 3 order by g % 3 desc), count(*) from generate_series(1,5) g"));
        assertEquals(List.of("k|string_agg", "1|a-b", "2|c"), table("select k, string_agg(v, '-' order by v)"
                + " from (values (1,'b'),(1,'a'),(2,'c')) t(k,v) group by k order by k"));
        error("select array_agg(distinct g order by g+1) from generate_series(1,3) g", "42P10",
                "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list");
        exec("set work_mem = '64kB'"); // many groups spill to partitions; each group still sorts its own inputs
        assertEquals(List.of("count|sum", "2000|2000"), table("select count(*), sum(ok) from (select g % 2000 k,"
                + " (string_agg(g::text, ',' order by g desc) = (select string_agg(x::text, ',' order by x desc)"
                + " from generate_series(1, 20000) x where x % 2000 = g % 2000))::int ok"
                + " from generate_series(1, 20000) g group by g % 2000) s"));
    }
}
