package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * Automatically updatable views: INSERT/UPDATE/DELETE through simple views (and views over views), RETURNING,
 * WITH LOCAL/CASCADED CHECK OPTION, and PostgreSQL's errors for views that are not updatable. Expected rows and
 * errors are PostgreSQL 15's for the same statements (psql -A).
 */
class UpdatableViewsTest extends DataEngineTestBase {

    @BeforeEach
    void data() {
        exec("create table base(id int primary key, name text, score numeric)");
        exec("insert into base values (1, 'a', 10), (2, 'b', 20), (3, 'c', null)");
        exec("create view good as select id, name, score * 2 as dbl from base where score > 5");
        exec("create view good2 as select id as ident, name from good where id < 10 with local check option");
        exec("create view casc as select * from good where id < 10 with cascaded check option");
        exec("create view agg as select name, count(*) c from base group by name");
    }

    @Test
    void writesThroughViewsWithReturning() {
        assertEquals(List.of("id|name|dbl", "4|d|"), table("insert into good (id, name) values (4, 'd') returning *"));
        assertEquals(List.of("id|name|dbl", "1|A|20"),
                table("update good set name = 'A' where id = 1 returning id, name, dbl"));
        assertEquals(List.of("ident|name", "2|B"), table("update good2 set name = 'B' where ident = 2 returning *"));
        // rows the view does not show are not touched
        assertEquals(List.of("id|name|dbl"), table("delete from good where id = 4 returning *"));
        assertEquals(List.of("id|name|score", "1|A|10", "2|B|20", "3|c|", "4|d|"),
                table("select * from base order by id"));
        assertEquals(List.of("C DELETE 2"), run("delete from good"));
        assertEquals(List.of("id|name|score", "3|c|", "4|d|"), table("select * from base order by id"));
    }

    @Test
    void checkOptions() {
        PgException e = error("insert into good2 values (11, 'x')", "44000",
                "new row violates check option for view \"good2\"");
        assertEquals("Failing row contains (11, x, null).", e.detail());
        // LOCAL: the underlying view's condition is not checked
        assertEquals(List.of("C INSERT 0 1"), run("insert into good2 values (5, 'e')"));
        // CASCADED: it is, and the error names the view whose condition failed
        error("insert into casc (id, name) values (6, 'f')", "44000",
                "new row violates check option for view \"good\"");
        e = error("update casc set id = 12 where id = 1", "44000", "new row violates check option for view \"casc\"");
        assertEquals("Failing row contains (12, a, 10).", e.detail());
        assertEquals(List.of("C UPDATE 1"), run("update casc set id = 7 where id = 1"));
        assertEquals(List.of("{check_option=cascaded}"),
                table("select reloptions from pg_class where relname = 'casc'").subList(1, 2));
    }

    @Test
    void notUpdatable() {
        PgException e = error("update good set dbl = 3", "0A000", "cannot update column \"dbl\" of view \"good\"");
        assertEquals("View columns that are not columns of their base relation are not updatable.", e.detail());
        e = error("insert into agg values ('x', 1)", "55000", "cannot insert into view \"agg\"");
        assertEquals("Views containing GROUP BY are not automatically updatable.", e.detail());
        assertEquals("To enable inserting into the view, provide an INSTEAD OF INSERT trigger or an unconditional "
                + "ON INSERT DO INSTEAD rule.", e.hint());
        error("delete from agg", "55000", "cannot delete from view \"agg\"");
        error("create view bad with (check_option = foo) as select * from base", "22023",
                "invalid value for enum option \"check_option\": foo");
        e = error("create view bad2 as select name, count(*) from base group by name with check option", "0A000",
                "WITH CHECK OPTION is supported only on automatically updatable views");
        assertEquals("Views containing GROUP BY are not automatically updatable.", e.hint());
    }

    @Test
    void partitionedBaseWithSubqueryCondition() {
        exec("create table p (a text, b int, c int) partition by list (a)");
        exec("create table p_a partition of p for values in ('a')");
        exec("create table p_b partition of p for values in ('b')");
        exec("insert into p values ('a', 1, 150), ('b', 2, 50)");
        exec("create table mintab (c1 int)");
        exec("insert into mintab values (120)");
        exec("create view pv as select * from p where (select c > c1 from mintab) with check option");
        assertEquals(List.of("C UPDATE 1"), run("update pv set c = 199 where b = 1"));
        PgException e = error("update pv set c = 120 where b = 1", "44000",
                "new row violates check option for view \"pv\"");
        assertEquals("Failing row contains (a, 1, 120).", e.detail());
        // row movement to another partition, still inside the view
        assertEquals(List.of("C UPDATE 1"), run("update pv set a = 'b' where b = 1"));
        assertEquals(List.of("tableoid|a|b|c", "p_b|b|1|199", "p_b|b|2|50"),
                table("select tableoid::regclass, * from p order by b"));
    }
}
