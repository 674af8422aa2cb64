package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** ANALYZE's column statistics (pg_stats) and the row estimates the planner makes from them, as PostgreSQL 15. */
class ColumnStatisticsTest extends DataEngineTestBase {

    private void analyzed() {
        exec("create table st (a int, b text, c int)",
                "insert into st select i, 'x' || (i % 10), case when i % 100 = 0 then null else i % 3 end"
                        + " from generate_series(1, 10000) i",
                "analyze st");
    }

    /** The row estimate of the top plan node. */
    private long rows(String query) {
        String top = run("explain " + query).stream().filter(l -> l.startsWith("D ")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("rows=(\\d+)").matcher(top);
        assertTrue(m.find(), top);
        return Long.parseLong(m.group(1));
    }

    @Test
    void pgStatsShowsWhatAnalyzeGathered() {
        analyzed();
        assertEquals(List.of("attname|null_frac|avg_width|n_distinct|most_common_vals|most_common_freqs",
                "a|0|4|-1||",
                "b|0|3|10|{x0,x1,x2,x3,x4,x5,x6,x7,x8,x9}|{0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1}",
                "c|0.01|4|3|{0,1,2}|{0.33,0.33,0.33}"),
                table("select attname, null_frac, avg_width, n_distinct, most_common_vals, most_common_freqs"
                        + " from pg_stats where tablename = 'st' order by attname"));
        // the rows were written in a's order (PostgreSQL: 1; here a few land out of order in the heap)
        assertEquals(List.of("bounds|first|last|ordered", "101|1|10000|t"),
                table("select array_length(histogram_bounds::int[], 1) as bounds,"
                        + " (histogram_bounds::int[])[1] as first, (histogram_bounds::int[])[101] as last,"
                        + " correlation > 0.99 as ordered from pg_stats where tablename = 'st' and attname = 'a'"));
        // a new ANALYZE replaces the rows
        exec("analyze st");
        assertEquals(List.of("count", "3"), table("select count(*) from pg_stats where tablename = 'st'"));
    }

    @Test
    void estimatesFollowTheStatistics() {
        analyzed();
        assertEquals(1000, rows("select * from st where b = 'x1'"));
        assertEquals(100, rows("select * from st where c is null"));
        assertEquals(6600, rows("select * from st where c <> 1"));
        assertEquals(1, rows("select * from st where a = 42"));
        long below = rows("select * from st where a < 100");
        assertTrue(below >= 90 && below <= 110, "a < 100: " + below);
        long range = rows("select * from st where a > 9000 and a < 9500"); // one range: lo + hi - 1
        assertTrue(range >= 450 && range <= 550, "range: " + range);
        // a value that is not among the most common: the rest shared among the other distinct values
        assertEquals(1, rows("select * from st where b = 'nope'"));
        // an equi-join: 1 / max(distinct values of the two columns): 9 x 10000 / 10 (PostgreSQL: 9000)
        long joined = rows("select * from st s1 join st s2 on s1.b = s2.b where s1.a < 10");
        assertTrue(joined >= 8000 && joined <= 10000, "join: " + joined);
    }

    @Test
    void withoutStatisticsTheDefaultsApply() {
        exec("create table ns (a int)", "insert into ns select generate_series(1, 1000)");
        long eq = rows("select * from ns where a = 1");
        long all = rows("select * from ns");
        assertEquals(Math.max(1, Math.round(all * 0.005)), eq);
    }
}
