package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Plan-time evaluation of constant expressions, with PostgreSQL 15's results, errors and EXPLAIN texts. */
class ConstantFoldingTest extends DataEngineTestBase {

    private void tables() {
        exec("create table f (a int, b text)", "insert into f values (1, 'x'), (2, 'y'), (3, null)");
    }

    @Test
    void aConstantErrorInAReachableArmIsAPlanTimeError() {
        tables();
        // no row takes the THEN arm, yet PostgreSQL folds 1/0 while planning
        error("select case when a > 100 then 1/0 else 0 end from f", "22012", "division by zero");
        error("select 1/0 from f where false", "22012", "division by zero");
    }

    @Test
    void whatFoldingProvesUnreachableIsNotEvaluated() {
        tables();
        assertEquals(List.of("a", "1", "2", "3"), table("select case when 1 = 0 then 1/0 else a end from f order by 1"));
        assertEquals(List.of("a"), table("select a from f where false and 1/0 = 1"));
        assertEquals(List.of("coalesce", "2"), table("select coalesce(null, 2, 1/0)"));
        assertEquals(List.of("case", "1"), table("select case when true then 1 else 1/0 end"));
    }

    @Test
    void explainShowsFoldedConstantsAsPostgres() {
        tables();
        assertEquals(List.of("Result", "  One-Time Filter: false"),
                plan("select * from f where nullif(1, 2) = 2"));
        assertEquals(List.of("Result", "  One-Time Filter: false"),
                plan("select * from f where nullif(1, 1) is not null"));
        assertEquals(List.of("Seq Scan on f", "  Filter: (a = 5)"), plan("select * from f where a = 2 + 3 and true"));
        assertEquals(List.of("Seq Scan on f", "  Filter: (a > 1)"),
                plan("select * from f where a > 1 and (2 > 1 or a / 0 = 1)"));
        assertEquals(List.of("Seq Scan on f", "  Filter: (b = 'ab'::text)"), plan("select * from f where b = 'a' || 'b'"));
        assertEquals(List.of("Seq Scan on f", "  Filter: (a = '-5'::integer)"), plan("select a from f where a = -5"));
    }

    @Test
    void volatileAndSessionDependentCallsAreNotFolded() {
        tables();
        // random() runs per row: three draws, not one
        List<String> rows = table("select random() from f");
        assertEquals(4, rows.size());
        assertEquals(3, rows.stream().skip(1).distinct().count());
        // a timestamptz operator depends on the session's TimeZone: it stays in the plan
        exec("create table ts (t timestamptz)");
        List<String> p = plan("select * from ts where t > '2020-01-01 00:00+00'::timestamptz + interval '1 day'");
        assertEquals(true, p.get(1).contains(" + '1 day'::interval)"), p.get(1));
    }
}
