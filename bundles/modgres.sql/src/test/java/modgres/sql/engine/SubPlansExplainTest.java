package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Sub-plans (SubPlan / InitPlan), gating Results and EXPLAIN (VERBOSE), each expected text as PostgreSQL 15
 * prints it for the same statements.
 */
class SubPlansExplainTest extends DataEngineTestBase {

    private void tables() {
        exec("create table ev (a int, b int, c text)", "create table ev2 (a int, d int)",
                "insert into ev values (1, 2, 'x'), (2, 3, 'y')", "insert into ev2 values (1, 10), (2, 3)");
    }

    /** EXPLAIN with options, its lines as psql shows them. */
    private List<String> explain(String options, String sql) {
        List<String> out = new ArrayList<>();
        for (String e : run("EXPLAIN (" + options + ") " + sql)) {
            if (e.startsWith("D ")) {
                out.add(e.substring(2));
            }
        }
        return out;
    }

    @Test
    void uncorrelatedSubqueryIsAnInitPlanRunOnce() {
        tables();
        assertEquals(List.of("Seq Scan on ev", "  Filter: (b = $0)", "  InitPlan 1 (returns $0)",
                "    ->  Aggregate", "          ->  Seq Scan on ev2"),
                explain("costs off", "select a from ev where b = (select max(d) from ev2)"));
        assertEquals(List.of("a", "2"), table("select a from ev where b = (select min(d) from ev2)"));
        // once per execution, volatile functions included (PostgreSQL's InitPlan)
        assertEquals(List.of("count", "1"),
                table("select count(distinct r) from (select (select random()) r from generate_series(1, 20)) s"));
        // ... and again for the next execution
        exec("create sequence s1");
        assertEquals(List.of("x", "1", "1"), table("select (select nextval('s1')) x from generate_series(1, 2)"));
        assertEquals(List.of("x", "2", "2"), table("select (select nextval('s1')) x from generate_series(1, 2)"));
    }

    @Test
    void correlatedSubqueryIsASubPlanUnderItsNode() {
        tables();
        assertEquals(List.of("Seq Scan on ev", "  SubPlan 1", "    ->  Seq Scan on ev2",
                "          Filter: (a = ev.a)"),
                explain("costs off", "select a, (select d from ev2 where ev2.a = ev.a) from ev"));
        assertEquals(List.of("a|d", "1|10", "2|3"),
                table("select a, (select d from ev2 where ev2.a = ev.a) d from ev order by a"));
    }

    @Test
    void multipleColumnSetRunsItsSubSelectOncePerRow() {
        tables();
        assertEquals(List.of("Update on ev t", "  ->  Seq Scan on ev t", "        SubPlan 1 (returns $1,$2)",
                "          ->  Seq Scan on ev2", "                Filter: (a = t.a)"),
                explain("costs off", "update ev t set (a, b) = (select a, d from ev2 where ev2.a = t.a)"));
        exec("create sequence s2");
        exec("update ev set (a, b) = (select x, x from (select nextval('s2')::int x) q)");
        assertEquals(List.of("a|b", "1|1", "2|2"), table("select a, b from ev order by a"));
    }

    @Test
    void pseudoConstantConditionGatesTheScan() {
        tables();
        assertEquals(List.of("Result", "  One-Time Filter: (CURRENT_USER = SESSION_USER)", "  ->  Seq Scan on ev"),
                explain("costs off", "select * from ev where current_user = session_user"));
        assertEquals(List.of("Seq Scan on ev", "  Filter: (random() < '2'::double precision)"),
                explain("costs off", "select * from ev where random() < 2"));
        assertEquals(List.of("count", "0"), table("select count(*) from ev where current_user <> session_user"));
        assertEquals(List.of("count", "2"), table("select count(*) from ev where current_user = session_user"));
        // the input of a false gate never runs
        List<String> analyzed = explain("analyze, costs off, timing off, summary off",
                "select * from ev where current_user <> session_user");
        assertEquals(List.of("Result (actual rows=0 loops=1)",
                "  One-Time Filter: (CURRENT_USER <> SESSION_USER)", "  ->  Seq Scan on ev (never executed)"),
                analyzed);
    }

    @Test
    void verboseShowsOutputsAndQualifiedNames() {
        tables();
        assertEquals(List.of("Update on public.ev", "  ->  Seq Scan on public.ev", "        Output: (b + 1), ctid",
                "        Filter: (ev.a > 1)"),
                explain("verbose, costs off", "update ev set b = b + 1 where a > 1"));
        assertEquals(List.of("Seq Scan on public.ev", "  Output: a, c", "  Filter: (ev.b > 1)"),
                explain("verbose, costs off", "select a, c from ev where b > 1"));
        // PostgreSQL lists only what the nodes above read (ctid); a scan here shows every column it fills,
        // so the column its own Filter reads too
        assertEquals(List.of("Delete on public.ev", "  ->  Seq Scan on public.ev", "        Output: a, ctid",
                "        Filter: (ev.a = 1)"), explain("verbose, costs off", "delete from ev where a = 1"));
        assertEquals("Delete on public.ev", explain("verbose, costs off", "delete from ev returning a, b").get(0));
        assertEquals("  Output: a, b", explain("verbose, costs off", "delete from ev returning a, b").get(1));
        // PostgreSQL's update test: a multiple-column SET under a gating Result, names qualified (two relations)
        assertEquals(List.of("Update on public.ev t", "  ->  Result",
                "        Output: $1, $2, (SubPlan 1 (returns $1,$2)), t.ctid",
                "        One-Time Filter: (CURRENT_USER = SESSION_USER)", "        ->  Seq Scan on public.ev t",
                "              Output: t.a, t.ctid", "        SubPlan 1 (returns $1,$2)",
                "          ->  Seq Scan on public.ev s", "                Output: s.b, s.a",
                "                Filter: (s.a = t.a)"),
                explain("verbose, costs off", "update ev t set (a, b) = (select b, a from ev s where s.a = t.a) "
                        + "where current_user = session_user"));
    }

    @Test
    void routedRowWithoutConversionHasNoTupleHeaderForReturning() {
        exec("create table utrtest (a int, b text) partition by list (a)",
                "create table utr1 (a int check (a in (1)), q text, b text)",
                "create table utr2 (a int check (a in (2)), b text)", "alter table utr1 drop column q",
                "alter table utrtest attach partition utr1 for values in (1)",
                "alter table utrtest attach partition utr2 for values in (2)");
        // utr1 has a dropped column, so its rows are converted: xmin is there
        assertEquals(List.of("a|ok", "1|t"),
                table("insert into utrtest values (1, 'foo') returning a, xmin = pg_current_xact_id()::xid as ok"));
        error("insert into utrtest values (2, 'bar') returning xmin", "0A000",
                "cannot retrieve a system column in this context");
        assertEquals(List.of("a|tableoid", "2|utr2"),
                table("insert into utrtest values (2, 'bar') returning a, tableoid::regclass"));
        error("update utrtest set a = 3 - a returning xmax", "0A000", "cannot retrieve a system column in this context");
        assertEquals(List.of("a|b", "1|foo", "2|bar"), table("select a, b from utrtest order by a"));
    }

    @Test
    void uncorrelatedInIsAHashedSubPlan() {
        exec("create table ha (i2 int2, i4 int4, i8 int8, t text, v varchar(5), d date, n name)",
                "create table hb (i2 int2, i4 int4, i8 int8, t text, v varchar(5), d date, n name)",
                "insert into ha select g, g, g, 'x' || g, 'v' || g, date '2020-01-01' + g, 'n' || g"
                        + " from generate_series(1, 10) g",
                "insert into hb select g, g, g, 'x' || g, 'v' || g, date '2020-01-01' + g, 'n' || g"
                        + " from generate_series(5, 15) g");
        assertEquals(List.of("a|b|c|d|e|f|g|h", "4|4|4|4|4|4|4|4"), table("select"
                + " count(*) filter (where i2 not in (select i2 from hb)) a,"
                + " count(*) filter (where i4 not in (select i4 from hb)) b,"
                + " count(*) filter (where i8 not in (select i8 from hb)) c,"
                + " count(*) filter (where t not in (select t from hb)) d,"
                + " count(*) filter (where v not in (select v from hb)) e,"
                + " count(*) filter (where d not in (select d from hb)) f,"
                + " count(*) filter (where n not in (select n from hb)) g,"
                + " count(*) filter (where i4 not in (select i8 from hb)) h from ha"));
        exec("insert into hb (i4) values (null)");
        // a NULL among the subquery's rows: NOT IN is never true, IN is NULL where not found
        assertEquals(List.of("nn|unknown", "0|4"), table("select count(*) filter (where i4 not in (select i4 from hb))"
                + " nn, count(*) filter (where (i4 in (select i4 from hb)) is null) unknown from ha"));
        assertEquals(List.of("e1|e2", "f|t"), table("select null::int in (select i4 from hb where false) e1,"
                + " null::int not in (select i4 from hb where false) e2"));
        assertEquals(List.of("Seq Scan on ha", "  Filter: (NOT (hashed SubPlan 1))", "  SubPlan 1",
                "    ->  Seq Scan on hb"), explain("costs off", "select * from ha where i4 not in (select i8 from hb)"));
    }
}
