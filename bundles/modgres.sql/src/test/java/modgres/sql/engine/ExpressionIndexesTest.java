package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * Expression and partial indexes: CREATE INDEX on expressions and with WHERE, entries maintained on INSERT and
 * UPDATE (uniqueness among the rows the predicate covers), pg_index.indexprs/indpred, pg_get_indexdef and the
 * index's pg_attribute rows. Expected results are PostgreSQL 15's for the same statements.
 */
class ExpressionIndexesTest extends DataEngineTestBase {

    @Test
    void maintainedAndShownAsPostgres() {
        exec("create table t (a int, b int, c text)");
        exec("create index on t ((a + b))");
        exec("create index on t (lower(c))");
        exec("create unique index t_c_partial on t (c) where a > 0");
        exec("create index on t (bit_length(''))");
        assertEquals(List.of("C INSERT 0 3"), run("insert into t values (1, 2, 'X'), (2, 3, 'y'), (-1, 0, 'X')"));
        PgException e = error("insert into t values (5, 5, 'X')", "23505",
                "duplicate key value violates unique constraint \"t_c_partial\"");
        assertEquals("Key (c)=(X) already exists.", e.detail());
        assertEquals(List.of("C INSERT 0 1"), run("insert into t values (-5, 5, 'X')"));
        assertEquals(List.of("C UPDATE 1"), run("update t set a = -3 where c = 'y'"));
        assertEquals(List.of("C INSERT 0 1"), run("insert into t values (7, 5, 'y')"));
        e = error("create unique index t_low on t (lower(c))", "23505", "could not create unique index \"t_low\"");
        assertEquals("Key (lower(c))=(x) is duplicated.", e.detail());
        // PostgreSQL prints bit_length(''::text): function calls print as written here
        assertEquals(List.of("pg_get_indexdef|e|p",
                "CREATE INDEX t_bit_length_idx ON public.t USING btree (bit_length(''))|t|f",
                "CREATE INDEX t_expr_idx ON public.t USING btree (((a + b)))|t|f",
                "CREATE INDEX t_lower_idx ON public.t USING btree (lower(c))|t|f",
                "CREATE UNIQUE INDEX t_c_partial ON public.t USING btree (c) WHERE (a > 0)|f|t"),
                table("select pg_get_indexdef(indexrelid), indexprs is not null e, indpred is not null p"
                        + " from pg_index where indrelid = 't'::regclass order by 1"));
        assertEquals(List.of("pg_get_indexdef", "CREATE INDEX t_expr_idx ON public.t USING btree ((a + b))",
                "CREATE UNIQUE INDEX t_c_partial ON public.t USING btree (c) WHERE a > 0"),
                table("select pg_get_indexdef(indexrelid, 0, true) from pg_index where indrelid = 't'::regclass"
                        + " and indexrelid::regclass::text in ('t_expr_idx', 't_c_partial') order by 1"));
        assertEquals(List.of("indexrelid|pg_get_indexdef", "t_expr_idx|(a + b)", "t_lower_idx|lower(c)",
                "t_c_partial|c", "t_bit_length_idx|bit_length('')"),
                table("select indexrelid::regclass, pg_get_indexdef(indexrelid, 1, true) from pg_index"
                        + " where indrelid = 't'::regclass order by 1"));
        assertEquals(List.of("attname|atttypid", "expr|integer"),
                table("select attname, atttypid::regtype from pg_attribute where attrelid = 't_expr_idx'::regclass"));
        assertEquals(List.of("a|b|c", "-5|5|X", "-1|0|X", "1|2|X"),
                table("select * from t where lower(c) = 'x' order by a"));
    }

    @Test
    void descendingAndNullsFirstColumns() {
        exec("create table d (f1 int, f2 text)");
        exec("insert into d values (2, 'b'), (null, 'n'), (1, 'a')");
        exec("create index d_desc on d (f1 desc)", "create index d_desc_last on d (f1 desc nulls last)",
                "create unique index d_first on d (f2 nulls first)");
        assertEquals(List.of("pg_get_indexdef", "CREATE INDEX d_desc ON public.d USING btree (f1 DESC)",
                "CREATE INDEX d_desc_last ON public.d USING btree (f1 DESC NULLS LAST)",
                "CREATE UNIQUE INDEX d_first ON public.d USING btree (f2 NULLS FIRST)"),
                table("select pg_get_indexdef(indexrelid) from pg_index where indrelid = 'd'::regclass order by 1"));
        assertEquals(List.of("indoption", "3", "1", "2"),
                table("select indoption from pg_index where indrelid = 'd'::regclass order by indexrelid"));
        error("insert into d values (3, 'a')", "23505", "duplicate key value violates unique constraint \"d_first\"");
        assertEquals(List.of("f1", "", "2", "1"), table("select f1 from d order by f1 desc"));
    }

    @Test
    void partialUniqueIndexBuiltOverExistingRows() {
        exec("create table u (k int, live bool)");
        exec("insert into u values (1, true), (1, false), (2, false), (2, false)");
        assertEquals(List.of("C CREATE INDEX"), run("create unique index u_live on u (k) where live"));
        error("insert into u values (1, true)", "23505", "duplicate key value violates unique constraint \"u_live\"");
        assertEquals(List.of("C INSERT 0 1"), run("insert into u values (2, true)"));
        // an update that moves a row into the predicate is checked too
        error("update u set live = true where k = 1 and not live", "23505",
                "duplicate key value violates unique constraint \"u_live\"");
    }

    @Test
    void temporaryTableWithConstantExpressionIndex() {
        // the regression test temp's case: the index of a temp table ON COMMIT DELETE ROWS
        exec("create temp table temptest (col int) on commit delete rows");
        assertEquals(List.of("C CREATE INDEX"), run("create index on temptest (bit_length(''))"));
        exec("begin");
        exec("insert into temptest values (1)", "insert into temptest values (2)");
        assertEquals(List.of("col", "1", "2"), table("select * from temptest order by 1"));
        exec("commit");
        assertEquals(List.of("col"), table("select * from temptest"));
    }
}
