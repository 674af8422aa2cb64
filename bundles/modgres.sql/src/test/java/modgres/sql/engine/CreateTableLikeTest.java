package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * CREATE TABLE ... (LIKE source [INCLUDING | EXCLUDING ...]): columns with NOT NULL always, defaults, CHECK
 * constraints and indexes on request, dropped columns skipped, options applied left to right; and a LIKE copy
 * used as a partition with its own attribute numbers. Expected rows and errors are PostgreSQL 15's.
 */
class CreateTableLikeTest extends DataEngineTestBase {

    private void source() {
        exec("create table src (a int primary key, b text not null default 'x', c int check (c > 0), d int unique,"
                + " e int)", "create index src_e on src (e)", "alter table src drop column e");
    }

    private List<String> columns(String table) {
        return table("select attname, attnum, attnotnull, pg_get_expr(adbin, adrelid) from pg_attribute left join"
                + " pg_attrdef on adrelid = attrelid and adnum = attnum where attrelid = '" + table
                + "'::regclass and attnum > 0 order by attnum");
    }

    @Test
    void plainLikeCopiesColumnsAndNotNullOnly() {
        source();
        exec("create table l1 (like src)");
        assertEquals(List.of("attname|attnum|attnotnull|pg_get_expr", "a|1|t|", "b|2|t|", "c|3|f|", "d|4|f|"),
                columns("l1"));
        assertEquals(List.of("count", "0"), table("select count(*) from pg_constraint where conrelid = 'l1'::regclass"));
    }

    @Test
    void includingAllAmongOtherColumns() {
        source();
        exec("create table l2 (id int, like src including all, z int)");
        assertEquals(List.of("attname|attnum|attnotnull|pg_get_expr", "id|1|f|", "a|2|t|", "b|3|t|'x'::text",
                "c|4|f|", "d|5|f|", "z|6|f|"), columns("l2"));
        assertEquals(List.of("conname|contype", "l2_d_key|u", "l2_pkey|p", "src_c_check|c"),
                table("select conname, contype from pg_constraint where conrelid = 'l2'::regclass order by 1"));
        assertEquals(List.of("relname", "l2", "l2_d_key", "l2_pkey"),
                table("select relname from pg_class where relname like 'l2%' order by 1"));
        PgException e = error("insert into l2 (id, a, b, c) values (1, 1, default, 0)", "23514",
                "new row for relation \"l2\" violates check constraint \"src_c_check\"");
        assertEquals("Failing row contains (1, 1, x, 0, null, null).", e.detail());
        assertEquals(List.of("id|a|b|c|d|z", "1|1|x|5||"),
                table("insert into l2 (id, a, c) values (1, 1, 5) returning *"));
        error("insert into l2 (id, a, c) values (2, 1, 5)", "23505",
                "duplicate key value violates unique constraint \"l2_pkey\"");
    }

    @Test
    void excludingAfterIncludingAllAndDuplicates() {
        source();
        exec("create table l3 (like src including all excluding indexes excluding defaults)");
        assertEquals(List.of("conname|contype", "src_c_check|c"),
                table("select conname, contype from pg_constraint where conrelid = 'l3'::regclass order by 1"));
        assertEquals(List.of("attname|attnum|attnotnull|pg_get_expr", "a|1|t|", "b|2|t|", "c|3|f|", "d|4|f|"),
                columns("l3"));
        error("create table l4 (a int, like src)", "42701", "column \"a\" specified more than once");
    }

    @Test
    void likeCopyAttachedAsPartitionWithOtherAttnums() {
        exec("create table mlparted (a int, b int) partition by range (a, b)",
                "create table mlparted1 (b int not null, a int not null) partition by range ((b+0))",
                "create table mlparted11 (like mlparted1)",
                "alter table mlparted11 drop a", "alter table mlparted11 add a int",
                "alter table mlparted11 drop a", "alter table mlparted11 add a int not null");
        assertEquals(List.of("attrelid|attname|attnum", "mlparted|a|1", "mlparted1|a|2", "mlparted11|a|4"),
                table("select attrelid::regclass, attname, attnum from pg_attribute where attname = 'a'"
                        + " and (attrelid = 'mlparted'::regclass or attrelid = 'mlparted1'::regclass"
                        + " or attrelid = 'mlparted11'::regclass) order by attrelid::regclass::text"));
        exec("alter table mlparted1 attach partition mlparted11 for values from (2) to (5)",
                "alter table mlparted attach partition mlparted1 for values from (1, 2) to (1, 10)",
                "insert into mlparted values (1, 2)");
        assertEquals(List.of("tableoid|a|b", "mlparted11|1|2"), table("select tableoid::regclass, * from mlparted"));
        PgException e = error("insert into mlparted (a, b) values (1, 5)", "23514",
                "no partition of relation \"mlparted1\" found for row");
        assertEquals("Partition key of the failing row contains ((b + 0)) = (5).", e.detail());
        // a routed row's failing row is shown in the layout of the table the INSERT names
        exec("truncate mlparted", "alter table mlparted add constraint check_b check (b = 3)");
        assertEquals("Failing row contains (1, 2).", error("insert into mlparted values (1, 2)").detail());
        exec("alter table mlparted drop constraint check_b", "insert into mlparted values (1, 2)");
        assertEquals(List.of("count", "0"), table("select count(*) from pg_constraint where conname = 'check_b'"));
    }
}
