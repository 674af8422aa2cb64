package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * Window functions end to end. The expected rows and errors are PostgreSQL
 * 15's for the same statements (psql -A output of a PostgreSQL 15.18
 * server); the orders are total where PostgreSQL's would depend on its sort.
 */
class WindowFunctionsTest extends DataEngineTestBase {

    @BeforeEach
    void data() {
        exec("create table emp(id int primary key, dept text, salary numeric(10,2), hired date)");
        exec("insert into emp values (1,'eng',100,'2020-01-01'),(2,'eng',120,'2020-03-01'),(3,'eng',120,'2021-01-01'),(4,'ops',80,'2019-06-01'),(5,'ops',90,'2022-01-01'),(6,'hr',70,'2020-05-05'),(7,'eng',null,'2023-01-01')");
    }

    @Test
    void resultsAsPostgres() {
        // ranking functions, partitions, peers
        assertEquals(List.of("id|dept|salary|rn|rk|drk", "7|eng||1|1|1", "2|eng|120.00|2|2|2", "3|eng|120.00|3|2|2", "1|eng|100.00|4|4|3", "6|hr|70.00|1|1|1", "5|ops|90.00|1|1|1", "4|ops|80.00|2|2|2"),
                table("select id, dept, salary, row_number() over (partition by dept order by salary desc, id) rn, rank() over (partition by dept order by salary desc) rk, dense_rank() over (partition by dept order by salary desc) drk from emp order by dept, rn"));
        assertEquals(List.of("id|percent_rank|cume_dist", "6|0|0.14285714285714285", "4|0.16666666666666666|0.2857142857142857", "5|0.3333333333333333|0.42857142857142855", "1|0.5|0.5714285714285714", "2|0.6666666666666666|0.8571428571428571", "3|0.6666666666666666|0.8571428571428571", "7|1|1"),
                table("select id, percent_rank() over (order by salary), cume_dist() over (order by salary) from emp order by salary, id"));
        assertEquals(List.of("id|ntile|ntile|ntile", "1|1|1|1", "2|1|2|1", "3|1|3|1", "4|2|4|1", "5|2|5|1", "6|3|6|1", "7|3|7|1"),
                table("select id, ntile(3) over (order by id), ntile(10) over (order by id), ntile(1) over () from emp order by id"));
        assertEquals(List.of("x|rank", "|4", "1|1", "1|1", "2|3"),
                table("select x, rank() over (order by x) from (values (1),(1),(null),(2)) v(x) order by x nulls first"));
        // aggregates as window functions: default frame (peers included), whole partition, ROWS frames
        assertEquals(List.of("id|salary|sum|avg|count|max|min", "1|100.00|100.00|110.0000000000000000|6|120.00|100.00", "2|120.00|220.00|113.3333333333333333|6|120.00|100.00", "3|120.00|340.00|106.6666666666666667|6|120.00|100.00", "4|80.00|420.00|96.6666666666666667|6|90.00|80.00", "5|90.00|510.00|80.0000000000000000|6|90.00|80.00", "6|70.00|580.00|80.0000000000000000|6|70.00|70.00", "7||580.00|70.0000000000000000|6|120.00|100.00"),
                table("select id, salary, sum(salary) over (order by id), avg(salary) over (order by id rows between 1 preceding and 1 following), count(salary) over (), max(salary) over (partition by dept), min(salary) over (partition by dept order by id) from emp order by id"));
        assertEquals(List.of("id|salary|sum|sum", "6|70.00|70.00|580.00", "4|80.00|150.00|510.00", "5|90.00|240.00|430.00", "1|100.00|340.00|340.00", "2|120.00|580.00|240.00", "3|120.00|580.00|240.00", "7||580.00|"),
                table("select id, salary, sum(salary) over (order by salary), sum(salary) over (order by salary range between current row and unbounded following) from emp order by salary, id"));
        assertEquals(List.of("id|sum|sum|sum|count", "1||9|1|7", "2|1|12|3|6", "3|3|15|6|5", "4|5|18|10|4", "5|7|13|15|3", "6|9|7|21|2", "7|11||28|1"),
                table("select id, sum(id) over (order by id rows between 2 preceding and 1 preceding), sum(id) over (order by id rows between 1 following and 3 following), sum(id) over (order by id rows unbounded preceding), count(*) over (order by id rows between current row and unbounded following) from emp order by id"));
        assertEquals(List.of("id|sum|string_agg", "1||eng", "2||eng,eng", "3|3|eng,eng,eng", "4|7|eng,eng,eng,ops", "5|12|eng,eng,eng,ops,ops"),
                table("select id, sum(id) filter (where id > 2) over (order by id), string_agg(dept, ',') over (order by id) from emp where id < 6 order by id"));
        assertEquals(List.of("id|count|sum", "1|4|13", "2|4|13", "3|4|13", "4|2|9", "5|2|9", "6|1|6", "7|4|13"),
                table("select id, count(*) over w, sum(id) over w from emp window w as (partition by dept) order by id"));
        // RANGE with offsets, GROUPS, EXCLUDE
        assertEquals(List.of("id|salary|sum|count", "7|||3", "6|70.00|150.00|1", "4|80.00|240.00|2", "5|90.00|270.00|2", "1|100.00|190.00|2", "2|120.00|240.00|3", "3|120.00|240.00|3"),
                table("select id, salary, sum(salary) over (order by salary range between 10 preceding and 10 following), count(*) over (order by salary groups between 1 preceding and current row) from emp order by salary nulls first, id"));
        assertEquals(List.of("id|hired|count", "4|2019-06-01|1", "1|2020-01-01|2", "2|2020-03-01|3", "6|2020-05-05|4", "3|2021-01-01|4", "5|2022-01-01|2", "7|2023-01-01|2"),
                table("select id, hired, count(*) over (order by hired range between interval '1 year' preceding and current row) from emp order by hired"));
        assertEquals(List.of("x|sum", "|", "5|5", "3|3", "2|5", "1|3"),
                table("select x, sum(x) over (order by x desc range between 1 preceding and current row) from (values (1),(2),(3),(5),(null)) v(x) order by x desc"));
        assertEquals(List.of("x|count", "|2", "|2", "1|2", "2|2", "4|1"),
                table("select x, count(*) over (order by x nulls first range between 1 preceding and 1 following) from (values (1),(2),(null),(null),(4)) v(x) order by x nulls first"));
        assertEquals(List.of("id|dept|g|t|c", "1|eng|15|16|27", "2|eng|15|17|26", "3|eng|15|18|25", "7|eng|15|22|21", "6|hr|22|28|22", "4|ops|19|23|24", "5|ops|19|24|23"),
                table("select id, dept, sum(id) over (order by dept range between unbounded preceding and unbounded following exclude group) g, sum(id) over (order by dept range between unbounded preceding and unbounded following exclude ties) t, sum(id) over (order by dept rows between unbounded preceding and unbounded following exclude current row) c from emp order by dept, id"));
        assertEquals(List.of("x|last_value", "1|2", "1|2", "2|3", "3|3", "3|3"),
                table("select x, last_value(x) over (order by x groups between current row and 1 following exclude ties) from (values (1),(1),(2),(3),(3)) v(x) order by x"));
        // value functions
        assertEquals(List.of("id|lag|lag|lag|lead|lead|lag", "1|||0|120.00||eng", "2|1||1|120.00|1|eng", "3|2|1|2|80.00|2|eng", "4|3|2|3|90.00|3|ops", "5|4|3|4|70.00|4|ops", "6|5|4|5||5|hr", "7|6|5|6|0.5|6|eng"),
                table("select id, lag(id) over w, lag(id, 2) over w, lag(id, 1, 0) over w, lead(salary, 1, 0.5) over w, lead(id, -1) over w, lag(dept, 0) over w from emp window w as (order by id) order by id"));
        assertEquals(List.of("id|first_value|last_value|nth_value|first_value", "1|1|1||2", "2|1|2||3", "3|1|3|3|7", "4|4|4||5", "5|4|5||", "6|6|6||", "7|1|7|3|"),
                table("select id, first_value(id) over w, last_value(id) over w, nth_value(id, 3) over w, first_value(id) over (w rows between 1 following and 2 following) from emp window w as (partition by dept order by id) order by id"));
        // with GROUP BY, in ORDER BY, several windows, named windows
        assertEquals(List.of("dept|count|sum|rank", "eng|4|7|1", "ops|2|7|2", "hr|1|7|3"),
                table("select dept, count(*), sum(count(*)) over (), rank() over (order by count(*) desc, dept) from emp group by dept order by 4"));
        assertEquals(List.of("dept|sum|sum", "eng|340.00|340.00", "hr|70.00|410.00", "ops|170.00|580.00"),
                table("select dept, sum(salary), sum(sum(salary)) over (order by dept) from emp group by dept order by dept"));
        assertEquals(List.of("id", "7", "6", "5"),
                table("select id from emp order by row_number() over (order by id desc) limit 3"));
        assertEquals(List.of("id|r1|r2|r3", "1|7|5|1", "2|6|6|2", "3|5|7|3", "4|4|3|1", "5|3|4|2", "6|2|2|1", "7|1|1|4"),
                table("select id, row_number() over (order by id desc) r1, row_number() over (order by salary nulls first, id) r2, rank() over (partition by dept order by id) r3 from emp order by id"));
        assertEquals(List.of("id|rank|sum", "1|1|1", "2|1|3", "3|1|6", "4|1|4", "5|1|9", "6|1|6", "7|1|13"),
                table("select id, rank() over w, sum(id) over w2 from emp window w as (partition by dept), w2 as (w order by id) order by id"));
        assertEquals(List.of("dept|count", "eng|4", "hr|1", "ops|2"),
                table("select distinct dept, count(*) over (partition by dept) from emp order by 1"));
        assertEquals(List.of("row_number|x", "1|3", "2|1", "3|2"),
                table("select row_number() over (), * from (values (3),(1),(2)) v(x)"));
    }

    @Test
    void errorsAsPostgres() {
        error("select id from emp where row_number() over () > 1",
                "42P20", "window functions are not allowed in WHERE");
        error("select row_number() from emp",
                "42809", "window function row_number requires an OVER clause");
        error("select pg_catalog.rank() from emp",
                "42809", "window function pg_catalog.rank requires an OVER clause");
        error("select lower(dept) over () from emp",
                "42809", "OVER specified, but lower is not a window function nor an aggregate function");
        error("select count(*) from emp group by row_number() over ()",
                "42P20", "window functions are not allowed in GROUP BY");
        error("select dept from emp group by dept having row_number() over () > 1",
                "42P20", "window functions are not allowed in HAVING");
        error("select sum(row_number() over ()) from emp",
                "42803", "aggregate function calls cannot contain window function calls");
        error("select row_number() over (order by row_number() over ()) from emp",
                "42P20", "window functions are not allowed in window definitions");
        error("select rank() over (partition by dept order by lag(id) over ()) from emp",
                "42P20", "window functions are not allowed in window definitions");
        error("select sum(lag(id) over ()) over () from emp",
                "42P20", "window function calls cannot be nested");
        error("select sum(distinct id) over () from emp",
                "0A000", "DISTINCT is not implemented for window functions");
        error("select sum(id order by id) over () from emp",
                "0A000", "aggregate ORDER BY is not implemented for window functions");
        error("select row_number() filter (where id > 1) over () from emp",
                "0A000", "FILTER is not implemented for non-aggregate window functions");
        error("select row_number() over w from emp",
                "42704", "window \"w\" does not exist");
        error("select row_number() over (w) from emp window w as (order by id rows unbounded preceding)",
                "42P20", "cannot copy window \"w\" because it has a frame clause");  // HINT:  Omit the parentheses in this OVER clause.
        error("select row_number() over (w order by id) from emp window w as (order by id rows unbounded preceding)",
                "42P20", "cannot override ORDER BY clause of window \"w\"");
        error("select row_number() over (w partition by dept) from emp window w as (order by id)",
                "42P20", "cannot override PARTITION BY clause of window \"w\"");
        error("select row_number() over (w order by dept) from emp window w as (order by id)",
                "42P20", "cannot override ORDER BY clause of window \"w\"");
        error("select 1 from emp window w as (order by id), w as (order by dept)",
                "42P20", "window \"w\" is already defined");
        error("select 1 from emp window w as (x order by id)",
                "42704", "window \"x\" does not exist");
        error("select ntile(0) over () from emp",
                "22014", "argument of ntile must be greater than zero");
        error("select nth_value(id, 0) over () from emp",
                "22016", "argument of nth_value must be greater than zero");
        error("select sum(id) over (order by id rows between -1 preceding and current row) from emp",
                "22013", "frame starting offset must not be negative");
        error("select sum(id) over (order by id rows between null preceding and current row) from emp",
                "22004", "frame starting offset must not be null");
        error("select sum(id) over (order by id rows between current row and id following) from emp",
                "42P10", "argument of ROWS must not contain variables");
        error("select sum(id) over (range between 1 preceding and current row) from emp",
                "42P20", "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column");
        error("select sum(id) over (order by id, dept range between 1 preceding and current row) from emp",
                "42P20", "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column");
        error("select sum(id) over (order by dept range between 1 preceding and current row) from emp",
                "0A000", "RANGE with offset PRECEDING/FOLLOWING is not supported for column type text");
        error("select sum(id) over (order by id range between 1.5 preceding and current row) from emp",
                "0A000", "RANGE with offset PRECEDING/FOLLOWING is not supported for column type integer and offset type numeric");  // HINT:  Cast the offset value to an appropriate type.
        error("select sum(id) over (order by id range between -1 preceding and current row) from emp",
                "22013", "invalid preceding or following size in window function");
        error("select sum(id) over (groups between 1 preceding and current row) from emp",
                "42P20", "GROUPS mode requires an ORDER BY clause");
        error("select sum(id) over (rows between unbounded following and current row) from emp",
                "42P20", "frame start cannot be UNBOUNDED FOLLOWING");
        error("select sum(id) over (rows between current row and unbounded preceding) from emp",
                "42P20", "frame end cannot be UNBOUNDED PRECEDING");
        error("select sum(id) over (rows between current row and 1 preceding) from emp",
                "42P20", "frame starting from current row cannot have preceding rows");
        error("select sum(id) over (rows between 1 following and current row) from emp",
                "42P20", "frame starting from following row cannot have preceding rows");
        error("select sum(id) over (rows 1 following) from emp",
                "42P20", "frame starting from following row cannot end with current row");
        error("select a from emp e1 join emp e2 on row_number() over () = 1",
                "42P20", "window functions are not allowed in JOIN conditions");
        error("select row_number(1) over () from emp",
                "42883", "function row_number(integer) does not exist");  // HINT:  No function matches the given name and argument types. You might need to add explicit type casts.
        error("select ntile('x') over () from emp",
                "22P02", "invalid input syntax for type integer: \"x\"");
        error("select lag(id, 'x') over () from emp",
                "22P02", "invalid input syntax for type integer: \"x\"");
        error("select first_value(id, 1) over () from emp",
                "42883", "function first_value(integer, integer) does not exist");  // HINT:  No function matches the given name and argument types. You might need to add explicit type casts.
    }

    @Test
    void plansAsPostgres() {
        // one WindowAgg per window, sorted one after another; a window whose keys the rows are already sorted
        // by needs no Sort, nor does an ORDER BY the last sort satisfies (PostgreSQL 15's EXPLAIN (COSTS OFF))
        assertEquals(List.of("WindowAgg", "  ->  Sort", "        Sort Key: dept, id", "        ->  WindowAgg",
                "              ->  Sort", "                    Sort Key: salary", "                    ->  Seq Scan on emp"),
                plan("select id, row_number() over (partition by dept order by id), rank() over (order by salary) "
                        + "from emp"));
        assertEquals(List.of("WindowAgg", "  ->  WindowAgg", "        ->  Sort", "              Sort Key: dept, id",
                "              ->  Seq Scan on emp"),
                plan("select id, rank() over (partition by dept order by id), sum(id) over (partition by dept) "
                        + "from emp order by dept, id"));
        assertEquals(List.of("WindowAgg", "  ->  Sort", "        Sort Key: (sum(salary))", "        ->  HashAggregate",
                "              Group Key: dept", "              ->  Seq Scan on emp"),
                plan("select dept, sum(salary), rank() over (order by sum(salary)) from emp group by dept"));
        assertEquals(List.of("WindowAgg", "  ->  WindowAgg", "        ->  Sort", "              Sort Key: (lower(dept))",
                "              ->  Seq Scan on emp"),
                plan("select id, sum(id) over (), rank() over (order by lower(dept)) from emp"));
        assertEquals(List.of("WindowAgg", "  ->  Sort", "        Sort Key: dept, id", "        ->  Seq Scan on emp"),
                plan("select id, row_number() over w from emp window w as (partition by dept order by id) "
                        + "order by dept"));
        // PostgreSQL reads emp_pkey in order here; without ordered index scans the shape is the same otherwise
        assertEquals(List.of("Sort", "  Sort Key: id DESC", "  ->  WindowAgg", "        ->  Sort",
                "              Sort Key: id", "              ->  Seq Scan on emp"),
                plan("select id, rank() over (order by id) from emp order by id desc"));
    }

    @Test
    void errorPositionsAndHints() {
        String q = "select id from emp where row_number() over () > 1";
        assertEquals(q.indexOf("row_number") + 1, error(q).position());
        q = "select row_number() over w from emp";
        assertEquals(q.indexOf("w from") + 1, error(q).position());
        q = "select row_number() over (w) from emp window w as (order by id rows unbounded preceding)";
        PgException e = error(q);
        assertEquals("Omit the parentheses in this OVER clause.", e.hint());
        assertEquals(q.indexOf("(w)") + 1, e.position());
        q = "select 1 from emp window w as (order by id), w as (order by dept)";
        assertEquals(q.indexOf("(order by dept)") + 1, error(q).position());
        q = "select sum(id) over (rows between current row and unbounded preceding) from emp";
        assertEquals(q.indexOf("unbounded") + 1, error(q).position());
        q = "select sum(id) over (order by id range between 1.5 preceding and current row) from emp";
        e = error(q);
        assertEquals("Cast the offset value to an appropriate type.", e.hint());
        assertEquals(q.indexOf("1.5") + 1, e.position());
        q = "select row_number(1) over () from emp";
        assertEquals("No function matches the given name and argument types. You might need to add explicit type "
                + "casts.", error(q).hint());
    }

    @Test
    void moreFramesAsPostgres() {
        exec("create table t(a int, b int, c text)");
        exec("insert into t values (1,1,'x'),(2,1,'y'),(3,2,'z'),(3,2,'w'),(null,3,null)");
        // NULL ordering keys with RANGE offsets: NULLs are peers only of each other and beyond any finite offset
        assertEquals(List.of("x|f|p|d", "1|3|1|0", "2|2|2|1", "4|1|3|2", "|1|1|4"),
                table("select x, count(*) over (order by x range between 1 following and unbounded following) f, count(*) over (order by x nulls first range between unbounded preceding and 1 preceding) p, count(*) over (order by x desc range between 1 following and unbounded following) d from (values (1),(2),(null),(4)) v(x) order by x"));
        // frames ending at the partition's end
        assertEquals(List.of("x|a|b|c|d|e", "1|18|5||18|1,2,4,4,7", "2|17|4|1|17|2,4,4,7", "4|11|3|2|11|4,7", "4|15|3|4|15|4,4,7", "7|7|1|4|7|7", "||0|7||"),
                table("select x, sum(x) over (order by x rows between current row and unbounded following) a, count(x) over (order by x range between current row and unbounded following) b, max(x) over (order by x desc rows between 1 following and unbounded following) c, sum(x::float8) over (order by x rows between current row and unbounded following) d, string_agg(x::text, ',') over (order by x rows between current row and unbounded following) e from (values (1),(2),(null),(4),(4),(7)) v(x) order by x, 2"));
        assertEquals(List.of("x|sum|avg", "1|6|1.00000000000000000000", "2|10|1.5000000000000000", "3|15|2.0000000000000000", "4|20|2.5000000000000000", "5|25|3.5000000000000000", "6|30|4.5000000000000000", "7|35|5.5000000000000000", "8|40|6.5000000000000000", "9|45|7.5000000000000000", "10|50|8.5000000000000000", "11|42|9.5000000000000000", "12|33|10.5000000000000000"),
                table("select x, sum(x) over (order by x range between 2 preceding and 2 following), avg(x) over (order by x desc range between current row and 3 following) from generate_series(1, 12) x order by x"));
        assertEquals(List.of("x|count|sum", "1|1|17", "1|1|17", "2|5|16", "3|4|8", "3|4|8", "3|4|8", "5|4|5"),
                table("select x, count(*) over (order by x groups between 2 preceding and 1 following exclude group), sum(x) over (order by x groups between current row and unbounded following exclude ties) from (values (1),(1),(2),(3),(3),(3),(5)) v(x) order by x"));
        assertEquals(List.of("x|sum|count", "1|1|3", "2|4|3", "2|4|3", "4|4|1"),
                table("select x, sum(x) over (order by x::numeric range between 0.5 preceding and 0.5 following), count(*) over (order by x::float8 range between 1 preceding and 1 following) from (values (1),(2),(2),(4)) v(x) order by x"));
        assertEquals(List.of("x|count", "2020-01-01 00:00:00|1", "2020-01-02 00:00:00|2", "2020-01-04 00:00:00|1"),
                table("select x, count(*) over (order by x range between '1 day' preceding and current row) from (values ('2020-01-01'::timestamp), ('2020-01-02'), ('2020-01-04')) v(x) order by x"));
        // other aggregates, NULL arguments, subqueries
        assertEquals(List.of("a|array_agg|bool_and", "|{NULL}|", "1|{NULL,1}|f", "2|{NULL,1,2}|f", "3|{NULL,1,2,3}|f", "3|{NULL,1,2,3,3}|f"),
                table("select a, array_agg(a) over (order by a nulls first, c), bool_and(a > 1) over (order by a nulls first, c) from t order by a nulls first, c"));
        assertEquals(List.of("a|stddev", "|", "1|0.70710678118654752440", "2|1.00000000000000000000", "3|0.57735026918962576451", "3|0"),
                table("select a, stddev(a) over (order by a nulls first, c rows between 1 preceding and 1 following) from t order by a nulls first, c"));
        assertEquals(List.of("a|rn", "2|3", "3|4", "3|5"),
                table("select * from (select a, row_number() over (order by a nulls first, c) rn from t) s where rn > 2 order by rn"));
        assertEquals(List.of("row_number"),
                table("select row_number() over () from t where false"));
        assertEquals(List.of("b|count|count|sum", "1|2|3|2", "2|2|3|4", "3|1|3|5"),
                table("select b, count(*), count(*) over (), sum(count(*)) over (order by b) from t group by b having count(*) > 0 order by b"));
        assertEquals(List.of("lag|lag", "x|2"),
                table("select lag(null, 1, 'x') over (), lag(null, 1, 2) over () from t limit 1"));
        assertEquals(List.of("ntile|nth_value|lag", "||"),
                table("select ntile(null) over (), nth_value(a, null) over (), lag(a, null) over () from t limit 1"));
        assertEquals(List.of("a|lt|rank", "|0|5", "1|0|1", "2|1|2", "3|2|3", "3|2|3"),
                table("select a, (select count(*) from t t2 where t2.a < t.a) lt, rank() over (order by a) from t order by a nulls first"));
        assertEquals(List.of("a", "", "3", "3", "1", "2"),
                table("select a from t order by rank() over (order by b desc), a"));
        assertEquals(List.of("count|count", "5|1", "5|2", "5|4", "5|4", "5|5"),
                table("select count(*) over w1, count(*) over w2 from t window w1 as (), w2 as (w1 order by a) order by 2"));
    }

    @Test
    void moreErrorsAsPostgres() {
        exec("create table t(a int, b int, c text)");
        exec("insert into t values (1,1,'x'),(2,1,'y'),(3,2,'z'),(3,2,'w'),(null,3,null)");
        error("select lag('a') over () from t",
                "42804", "could not determine polymorphic type because input has type unknown");
        error("select first_value('z') over () from t",
                "42804", "could not determine polymorphic type because input has type unknown");
        error("update t set a = row_number() over ()",
                "42P20", "window functions are not allowed in UPDATE");
        error("insert into t values (row_number() over ())",
                "42P20", "window functions are not allowed in VALUES");
        error("update t set a = 1 returning row_number() over ()",
                "42P20", "window functions are not allowed in RETURNING");
        error("values (row_number() over ())",
                "42P20", "window functions are not allowed in VALUES");
        error("delete from t where row_number() over () = 1",
                "42P20", "window functions are not allowed in WHERE");
    }
}
