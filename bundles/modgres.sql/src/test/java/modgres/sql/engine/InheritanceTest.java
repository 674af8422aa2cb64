package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * Table inheritance end to end: INHERITS with merged columns and inherited CHECK constraints, scans, UPDATE and
 * DELETE of a parent covering its children (not with ONLY), tableoid, ALTER TABLE ... INHERIT / NO INHERIT,
 * ADD/DROP COLUMN recursion, TRUNCATE and DROP. Expected rows, notices, plans and errors are PostgreSQL 15's for the
 * same statements (psql -A of a 15.18 server).
 */
class InheritanceTest extends DataEngineTestBase {

    @BeforeEach
    void tables() {
        exec("create table par (a int, b int check (b > 0))");
    }

    @Test
    void columnsMergeWithNotices() {
        assertEquals(List.of("N NOTICE 00000 moving and merging column \"a\" with inherited definition",
                "C CREATE TABLE"), run("create table ch (c int, a int) inherits (par)"));
        assertEquals(List.of("N NOTICE 00000 merging column \"a\" with inherited definition", "C CREATE TABLE"),
                run("create table ch2 (a int not null) inherits (par)"));
        assertEquals(List.of("attname|attnotnull|attislocal|attinhcount", "a|f|t|1", "b|f|f|1", "c|f|t|0"),
                table("select attname, attnotnull, attislocal, attinhcount from pg_attribute"
                        + " where attrelid = 'ch'::regclass and attnum > 0 order by attnum"));
        assertEquals(List.of("attname|attnotnull", "a|t", "b|f"), table("select attname, attnotnull from pg_attribute"
                + " where attrelid = 'ch2'::regclass and attnum > 0 order by attnum"));
        assertEquals(List.of("conname|conislocal|coninhcount", "par_b_check|f|1"),
                table("select conname, conislocal, coninhcount from pg_constraint where conrelid = 'ch'::regclass"));
        assertEquals(List.of("relname|relhassubclass", "ch|f", "par|t"),
                table("select relname, relhassubclass from pg_class where relname in ('par','ch') order by 1"));
        PgException e = error("create table ch3 (a text) inherits (par)", "42804",
                "column \"a\" has a type conflict");
        assertEquals("integer versus text", e.detail());
        PgException c = error("insert into ch values (4, -1, 1)", "23514",
                "new row for relation \"ch\" violates check constraint \"par_b_check\"");
        assertEquals("Failing row contains (4, -1, 1).", c.detail());
    }

    @Test
    void parentScansCoverChildren() {
        exec("create table ch (c int, a int) inherits (par)", "create table ch2 (a int not null) inherits (par)",
                "insert into par values (1, 1)", "insert into ch values (2, 2, 20)", "insert into ch2 values (3, 3)");
        assertEquals(List.of("tableoid|a|b", "par|1|1", "ch|2|2", "ch2|3|3"),
                table("select tableoid::regclass, * from par order by a"));
        assertEquals(List.of("a|b", "1|1"), table("select * from only par"));
        assertEquals(List.of("Append", "  ->  Seq Scan on par par_1", "  ->  Seq Scan on ch par_2",
                "  ->  Seq Scan on ch2 par_3"), plan("select * from par"));
        assertEquals(List.of("Seq Scan on par"), plan("select * from only par"));
        assertEquals(List.of("C UPDATE 2"), run("update par set b = b + 10 where a >= 2"));
        assertEquals(List.of("tableoid|a|b", "par|1|1", "ch|2|12", "ch2|3|13"),
                table("select tableoid::regclass, * from par order by a"));
        assertEquals(List.of("a|b|c", "2|12|20"), table("select * from ch"));
        assertEquals(List.of("C DELETE 1"), run("delete from par where a = 3"));
        assertEquals(List.of("C DELETE 0"), run("delete from only par where a = 2"));
        assertEquals(List.of("tableoid|a|b", "par|1|1", "ch|2|12"),
                table("select tableoid::regclass, * from par order by a"));
        assertEquals(List.of("Update on par", "  Update on par par_1", "  Update on ch par_2",
                "  Update on ch2 par_3", "  ->  Append", "        ->  Seq Scan on par par_1",
                "        ->  Seq Scan on ch par_2", "        ->  Seq Scan on ch2 par_3"),
                plan("update par set b = 1"));
        assertEquals(List.of("Delete on par", "  ->  Seq Scan on par"), plan("delete from only par"));
        assertEquals(List.of("T a:23 b:23", "D 2|12", "C UPDATE 1"), run("update par set b = 12 where a = 2 returning *"));
        assertEquals(List.of("count", "1"), table("select count(*) from par p join ch c using (a, b) where p.a >= 0"
                + " or c.c = 0"));
    }

    @Test
    void alterInheritAndColumns() {
        exec("create table ch (c int, a int) inherits (par)", "create table ch2 (a int not null) inherits (par)");
        assertEquals(List.of("C ALTER TABLE"), run("alter table par add column d text"));
        assertEquals(List.of("attname|attislocal|attinhcount", "a|t|1", "b|f|1", "c|t|0", "d|f|1"),
                table("select attname, attislocal, attinhcount from pg_attribute where attrelid = 'ch'::regclass"
                        + " and attnum > 0 order by attnum"));
        error("alter table ch drop column a", "42P16", "cannot drop inherited column \"a\"");
        error("alter table ch drop column d", "42P16", "cannot drop inherited column \"d\"");
        exec("alter table par drop column d");
        assertEquals(List.of("attname", "a", "b", "c"), table("select attname from pg_attribute where attrelid ="
                + " 'ch'::regclass and attnum > 0 and not attisdropped order by attnum"));
        assertEquals(List.of("C ALTER TABLE"), run("alter table ch no inherit par"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_inherits where inhrelid = 'ch'::regclass"));
        exec("insert into ch values (9, 9, 9)");
        assertEquals(List.of("a"), table("select a from par"));
        error("alter table ch no inherit par", "42P01", "relation \"par\" is not a parent of relation \"ch\"");
        assertEquals(List.of("C ALTER TABLE"), run("alter table ch inherit par"));
        assertEquals(List.of("a", "9"), table("select a from par"));
        exec("create table lone (a int)");
        error("alter table lone inherit par", "42804", "child table is missing column \"b\"");
    }

    @Test
    void truncateAndDrop() {
        exec("create table ch (c int, a int) inherits (par)", "create table ch2 (a int not null) inherits (par)",
                "insert into par values (1, 1)", "insert into ch values (2, 2, 20)");
        assertEquals(List.of("C TRUNCATE TABLE"), run("truncate only par"));
        assertEquals(List.of("tableoid|a", "ch|2"), table("select tableoid::regclass, a from par order by a"));
        exec("truncate par");
        assertEquals(List.of("count", "0"), table("select count(*) from par"));
        PgException e = error("drop table par", "2BP01", "cannot drop table par because other objects depend on it");
        assertEquals("table ch depends on table par\ntable ch2 depends on table par", e.detail());
        assertEquals("Use DROP ... CASCADE to drop the dependent objects too.", e.hint());
        assertEquals(List.of("N NOTICE 00000 drop cascades to 2 other objects", "C DROP TABLE"),
                run("drop table par cascade"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_class where relname in ('ch', 'ch2')"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_inherits"));
        exec("create table par (a int)", "create table ch (b int) inherits (par)");
        assertEquals(List.of("C DROP TABLE"), run("drop table ch"));
        assertEquals(List.of("a"), table("select * from par"));
    }
}
