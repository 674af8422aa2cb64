package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;
import modgres.api.sql.SqlSession.ExecuteResult;

/**
 * Views end to end: CREATE [OR REPLACE] VIEW, DROP VIEW, selecting from views, their catalog rows and dependencies. The expected rows and errors are PostgreSQL 15's for the same statements
 * (psql -A output of a PostgreSQL 15.18 server).
 */
class ViewsTest extends DataEngineTestBase {

    @BeforeEach
    void data() {
        exec("create table base(id int, name text, score numeric)");
        exec("insert into base values (1, 'a', 10), (2, 'b', 20), (3, 'c', null)");
        exec("create view good as select id, name from base where score > 5");
        exec("create view best (ident, label) as select id, upper(name) from good where id > 1");
        exec("create view agg as select name, count(*) c, sum(score) s from base group by name");
        exec("create view win as select id, rank() over (order by score desc nulls last) r from base");
        exec("create view rec as with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select n from r");
        exec("create view dist as select distinct on (score is null) score is null as nul, id from base order by score is null, id desc");
        exec("create view lit as select 'abc' as s, null as n, 1.5 as f, 1 as i");
        exec("create view cnt as select count(*) from base");
    }

    @Test
    void resultsAsPostgres() {
        // selecting from views: planned as subqueries, columns named by the view
        assertEquals(List.of("id|name", "1|a", "2|b"),
                table("select * from good order by id"));
        assertEquals(List.of("ident|label", "2|B"),
                table("select * from best"));
        assertEquals(List.of("name|label", "b|B"),
                table("select g.name, b.label from good g join best b on g.id = b.ident"));
        assertEquals(List.of("count|max", "1|2"),
                table("select count(*), max(ident) from best"));
        assertEquals(List.of("id|name", "2|b"),
                table("select * from good where id = (select max(ident) from best)"));
        assertEquals(List.of("id|name", "1|a"),
                table("select * from good g where exists (select 1 from best b where b.ident = g.id + 1)"));
        assertEquals(List.of("name|c|s", "a|1|10", "b|1|20", "c|1|"),
                table("select * from agg order by name"));
        assertEquals(List.of("id|r", "1|2", "2|1", "3|3"),
                table("select * from win order by id"));
        assertEquals(List.of("n", "1", "2", "3"),
                table("select * from rec"));
        assertEquals(List.of("nul|id", "f|2", "t|3"),
                table("select * from dist"));
        assertEquals(List.of("s|n|f|i", "abc||1.5|1"),
                table("select * from lit"));
        assertEquals(List.of("attname|atttypid|atttypmod", "s|25|-1", "n|25|-1", "f|1700|-1", "i|23|-1"),
                table("select attname, atttypid, atttypmod from pg_attribute where attrelid = (select oid from pg_class where relname = 'lit') order by attnum"));
        // a WITH query of the outer statement does not hide the tables a view reads
        assertEquals(List.of("id|name", "1|a", "2|b"),
                table("with base as (select 42 as id) select * from good order by id"));
        // views see the current rows of their tables
        exec("insert into base values (4, 'd', 40)");
        assertEquals(List.of("ident|label", "2|B", "4|D"),
                table("select * from best"));
        // CREATE OR REPLACE: same leading columns, new ones after them
        exec("create or replace view good as select id, name, score from base where score > 5");
        assertEquals(List.of("id|name|score", "1|a|10", "2|b|20", "4|d|40"),
                table("select * from good order by id"));
        assertEquals(List.of("ident|label", "2|B", "4|D"),
                table("select * from best"));
        assertEquals(List.of("relname|relkind|relnatts|relhasrules", "base|r|3|f", "best|v|2|t", "good|v|3|t"),
                table("select relname, relkind, relnatts, relhasrules from pg_class where relname in ('good', 'best', 'base') order by relname"));
        assertEquals(List.of("table_name|table_type", "agg|VIEW", "base|BASE TABLE", "best|VIEW", "cnt|VIEW", "dist|VIEW", "good|VIEW", "lit|VIEW", "rec|VIEW", "win|VIEW"),
                table("select table_name, table_type from information_schema.tables where table_schema = 'public' order by 1"));
        assertEquals(List.of("schemaname|viewname|viewowner", "public|agg|postgres", "public|best|postgres", "public|cnt|postgres", "public|dist|postgres", "public|good|postgres", "public|lit|postgres", "public|rec|postgres", "public|win|postgres"),
                table("select schemaname, viewname, viewowner from pg_views where schemaname = 'public' order by 2"));
    }

    @Test
    void errorsAsPostgres() {
        error("create view good as select 1",
                "42P07", "relation \"good\" already exists");
        error("create or replace view good as select id from base",
                "42P16", "cannot drop columns from view");
        error("create or replace view good as select name, id, score from base",
                "42P16", "cannot change name of view column \"id\" to \"name\"");  // HINT:  Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.
        error("create or replace view good as select id::text, name, score from base",
                "42P16", "cannot change data type of view column \"id\" from integer to text");
        error("create or replace view base as select 1",
                "42809", "\"base\" is not a view");
        error("create view v3 (x, y, z) as select 1, 2",
                "42601", "CREATE VIEW specifies more column names than columns");
        error("create view v3 as select 1 as a, 2 as a",
                "42701", "column \"a\" specified more than once");
        error("drop table good",
                "42809", "\"good\" is not a table");  // HINT:  Use DROP VIEW to remove a view.
        error("drop view base",
                "42809", "\"base\" is not a view");  // HINT:  Use DROP TABLE to remove a table.
        error("drop index good",
                "42809", "\"good\" is not an index");  // HINT:  Use DROP VIEW to remove a view.
        error("drop view nosuch",
                "42P01", "view \"nosuch\" does not exist");
        error("drop table base",
                "2BP01", "cannot drop table base because other objects depend on it");  // DETAIL:  view good depends on table base HINT:  Use DROP ... CASCADE to drop the dependent objects too.
        error("drop view good",
                "2BP01", "cannot drop view good because other objects depend on it");  // DETAIL:  view best depends on view good HINT:  Use DROP ... CASCADE to drop the dependent objects too.
        error("alter table base drop column id",
                "2BP01", "cannot drop column id of table base because other objects depend on it");  // DETAIL:  view good depends on column id of table base HINT:  Use DROP ... CASCADE to drop the dependent objects too.
        error("alter table base drop column name",
                "2BP01", "cannot drop column name of table base because other objects depend on it");  // DETAIL:  view good depends on column name of table base HINT:  Use DROP ... CASCADE to drop the dependent objects too.
    }

    @Test
    void dependencyErrorsListTheDependentsAsPostgres() {
        PgException e = error("drop table base");
        assertEquals("view good depends on table base\nview best depends on view good\nview agg depends on table base"
                + "\nview win depends on table base\nview dist depends on table base\nview cnt depends on table base",
                e.detail());
        assertEquals("Use DROP ... CASCADE to drop the dependent objects too.", e.hint());
        e = error("drop view good");
        assertEquals("view best depends on view good", e.detail());
        e = error("alter table base drop column id");
        assertEquals("view good depends on column id of table base\nview best depends on view good"
                + "\nview win depends on column id of table base\nview dist depends on column id of table base",
                e.detail());
        e = error("alter table base drop column score");
        assertEquals("view good depends on column score of table base\nview best depends on view good"
                + "\nview agg depends on column score of table base\nview win depends on column score of table base"
                + "\nview dist depends on column score of table base", e.detail());
        assertEquals("Use DROP VIEW to remove a view.", error("drop table good").hint());
        assertEquals("Use DROP TABLE to remove a table.", error("drop view base").hint());
        e = error("create or replace view good as select name, id from base");
        assertEquals("Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.", e.hint());
    }

    @Test
    void dropCascadeAndLists() {
        // PostgreSQL: NOTICE drop cascades to 6 other objects (its DETAIL, one line per view, is not carried)
        assertEquals(List.of("N NOTICE 00000 drop cascades to 6 other objects", "C DROP TABLE"),
                run("drop table base cascade"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_class "
                + "where relname in ('base', 'good', 'best', 'agg', 'win', 'dist', 'cnt')"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_rewrite r "
                + "where not exists (select 1 from pg_class c where c.oid = r.ev_class)"));
        assertEquals(List.of("viewname", "lit", "rec"),
                table("select viewname from pg_views where schemaname = 'public' order by 1"));
        assertEquals(List.of("N NOTICE 00000 view \"nosuch\" does not exist, skipping", "C DROP VIEW"),
                run("drop view if exists nosuch"));
        // the objects of one DROP are dropped together: a dependent among them needs no CASCADE
        exec("create table z (a int)", "create view z1 as select a from z", "create view z2 as select a from z1");
        assertEquals(List.of("C DROP VIEW"), run("drop view z1, z2"));
        exec("create view z1 as select a from z", "create view z2 as select a from z1");
        assertEquals(List.of("N NOTICE 00000 drop cascades to view z2", "C DROP VIEW"), run("drop view z1 cascade"));
        // every name is checked before anything is dropped
        exec("create view z1 as select a from z");
        error("drop table z, z1", "42809", "\"z1\" is not a table");
        assertEquals(List.of("count", "2"), table("select count(*) from pg_class where relname in ('z', 'z1')"));
        assertEquals(List.of("C DROP VIEW"), run("drop view z1"));
        assertEquals(List.of("C DROP TABLE"), run("drop table z"));
    }

    @Test
    void dropColumnCascades() {
        assertEquals(List.of("N NOTICE 00000 drop cascades to 4 other objects", "C ALTER TABLE"),
                run("alter table base drop column id cascade"));
        assertEquals(List.of("viewname", "agg", "cnt", "lit", "rec"),
                table("select viewname from pg_views where schemaname = 'public' order by 1"));
        assertEquals(List.of("N NOTICE 00000 drop cascades to view agg", "C ALTER TABLE"),
                run("alter table base drop column name cascade"));
        assertEquals(List.of("viewname", "cnt", "lit", "rec"),
                table("select viewname from pg_views where schemaname = 'public' order by 1"));
    }

    @Test
    void catalogRows() {
        // the view's query is its _RETURN rule's action (SQL text, relations schema-qualified); pg_depend has the
        // rule's internal dependency on its view and normal ones on the columns it reads (as PostgreSQL's rows,
        // less PostgreSQL's normal dependency of the rule on its own view)
        assertEquals(List.of("rulename|ev_type|is_instead|ev_action", "_RETURN|1|t|SELECT id, name FROM "
                + "public.base WHERE score > 5"), table("select rulename, ev_type, is_instead, ev_action from pg_rewrite "
                + "where ev_class = (select oid from pg_class where relname = 'good')"));
        assertEquals(List.of("relname|refobjsubid|deptype", "base|1|n", "base|2|n", "base|3|n", "good|0|i"),
                table("select c.relname, d.refobjsubid, d.deptype from pg_depend d join pg_rewrite r on r.oid = d.objid "
                        + "join pg_class c on c.oid = d.refobjid where r.ev_class = (select oid from pg_class "
                        + "where relname = 'good') order by 1, 2, 3"));
        assertEquals(List.of("relname|refobjsubid", "base|0"), table("select c.relname, d.refobjsubid from pg_depend d "
                + "join pg_rewrite r on r.oid = d.objid join pg_class c on c.oid = d.refobjid where d.deptype = 'n' "
                + "and r.ev_class = (select oid from pg_class where relname = 'cnt')"));
        // pg_views.definition and pg_get_viewdef() give that text (PostgreSQL deparses its query tree instead)
        assertEquals(List.of("definition", "SELECT id, upper(name) FROM public.good WHERE id > 1"),
                table("select definition from pg_views where viewname = 'best'"));
        assertEquals(List.of("pg_get_viewdef|pg_get_viewdef", "SELECT id, upper(name) FROM public.good WHERE id > 1|"),
                table("select pg_get_viewdef('best'), pg_get_viewdef('base')"));
        assertEquals(List.of("table_name|check_option|is_updatable", "agg|NONE|NO"),
                table("select table_name, check_option, is_updatable from information_schema.views "
                        + "where table_name = 'agg'"));
        error("select pg_get_viewdef('nosuch')", "42P01", "relation \"nosuch\" does not exist");
    }

    @Test
    void viewsKeepTheirTables() {
        // a temporary table shadows public.base for the session's queries, not for the views created before
        exec("create temp table base (id int)", "insert into base values (99)");
        assertEquals(List.of("id", "99"), table("select * from base"));
        assertEquals(List.of("id|name", "1|a", "2|b"), table("select id, name from good order by id"));
        exec("drop table base");
        // a view in a schema off the search path is named with its schema
        exec("create schema s2", "create table s2.t (id int)", "create view s2.sv as select * from base");
        assertEquals("view good depends on table base\nview best depends on view good\nview agg depends on table base"
                + "\nview win depends on table base\nview dist depends on table base\nview cnt depends on table base"
                + "\nview s2.sv depends on table base", error("drop table base").detail());
        assertEquals(List.of("N NOTICE 00000 drop cascades to table s2.t",
                "N NOTICE 00000 drop cascades to view s2.sv", "C DROP SCHEMA"), run("drop schema s2 cascade"));
    }

    @Test
    void temporaryViews() {
        exec("create temp table tt (a int)", "insert into tt values (7)");
        assertEquals(List.of("N NOTICE 00000 view \"tv\" will be a temporary view", "C CREATE VIEW"),
                run("create view tv as select * from tt"));
        assertEquals(List.of("a", "7"), table("select * from tv"));
        assertEquals(List.of("C CREATE VIEW"), run("create temp view tv2 as select 1 as one"));
        assertEquals(List.of("one", "1"), table("select * from pg_temp.tv2"));
        assertEquals(List.of("N NOTICE 00000 drop cascades to view tv", "C DROP TABLE"), run("drop table tt cascade"));
    }

    @Test
    void differencesFromPostgres() {
        // simple views are automatically updatable (UpdatableViewsTest); good has two columns
        error("insert into good values (5, 'e', 50)", "42601", "INSERT has more expressions than target columns");
        assertEquals(List.of("table_name|is_insertable_into", "good|YES"), table("select table_name, is_insertable_into "
                + "from information_schema.tables where table_name = 'good'"));
        assertEquals(List.of("table_name|is_insertable_into", "agg|NO"), table("select table_name, is_insertable_into "
                + "from information_schema.tables where table_name = 'agg'"));
        // a view whose query reads itself (through CREATE OR REPLACE) is accepted, and reading it is the error
        exec("create view selfish as select 1 as x");
        assertEquals(List.of("C CREATE VIEW"), run("create or replace view selfish as select x from selfish"));
        error("select * from selfish", "42P17", "infinite recursion detected in rules for relation \"selfish\"");
        assertEquals(List.of("C DROP VIEW"), run("drop view selfish"));
    }

    @Test
    void explainShowsTheTables() {
        assertEquals(List.of("Seq Scan on base", "  Filter: (score > '5'::numeric)"), plan("select * from good"));
    }

    @Test
    void preparedQueriesReadTheViewAgain() {
        // the view's subquery (a nested loop with a join filter) is read afresh at each execution of a cached plan
        exec("create view pairs as select g.id a, b.id b from good g join base b on b.id > g.id");
        session.parse("s", "select count(*) from pairs", new int[0]);
        for (String expected : List.of("D 3", "D 5")) {
            RecordingSink sink = new RecordingSink();
            session.bind("", "s", new byte[0][], new short[0], new short[0]);
            assertEquals(ExecuteResult.COMPLETED, session.execute("", 0, sink));
            session.sync();
            assertEquals(List.of(expected, "C SELECT 1"), sink.events);
            exec("insert into base values (4, 'd', 40)");
        }
    }
}
