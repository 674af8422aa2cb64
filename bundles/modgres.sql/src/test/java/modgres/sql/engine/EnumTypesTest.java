package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * CREATE TYPE ... AS ENUM, enum values (input, output, order by sort order, casts), the enum functions,
 * ALTER TYPE ... ADD VALUE and DROP TYPE. Expected rows and errors are PostgreSQL 15's (psql -A).
 */
class EnumTypesTest extends DataEngineTestBase {

    @BeforeEach
    void data() {
        exec("create type mood as enum ('sad', 'ok', 'happy')",
                "create table person (name text, m mood)",
                "insert into person values ('a', 'happy'), ('b', 'sad'), ('c', null), ('d', 'ok')");
    }

    @Test
    void valuesOrderBySortOrder() {
        assertEquals(List.of("name|m", "b|sad", "d|ok", "a|happy", "c|"),
                table("select name, m from person order by m, name"));
        assertEquals(List.of("name", "a", "d"), table("select name from person where m > 'sad' order by name"));
        assertEquals(List.of("?column?|mood", "ok!|happy"), table("select 'ok'::mood::text || '!', 'happy'::text::mood"));
        assertEquals(List.of("max|min", "happy|sad"), table("select max(m), min(m) from person"));
    }

    @Test
    void enumFunctions() {
        assertEquals(List.of("enum_range|enum_first|enum_last|enum_range|enum_range",
                "{sad,ok,happy}|sad|happy|{ok,happy}|{sad,ok}"),
                table("select enum_range(null::mood), enum_first(null::mood), enum_last(null::mood),"
                        + " enum_range('ok'::mood, null), enum_range(null, 'ok'::mood)"));
        // the case regression test's use: an enum array cast to text[] and concatenated
        assertEquals(List.of("array", "{a,b,c,d,sad,ok,happy}"),
                table("select case 'foo'::text when 'foo' then array['a', 'b', 'c', 'd'] || "
                        + "enum_range(null::mood)::text[] else array['x', 'y'] end"));
    }

    @Test
    void addValue() {
        exec("alter type mood add value 'meh' before 'ok'", "alter type mood add value 'ecstatic'",
                "alter type mood add value if not exists 'ok'");
        assertEquals(List.of("enum_range", "{sad,meh,ok,happy,ecstatic}"), table("select enum_range(null::mood)"));
        assertEquals(List.of("?column?", "t"), table("select 'meh'::mood < 'ok'::mood"));
        assertEquals(List.of("enumlabel|enumsortorder", "sad|1", "meh|1.5", "ok|2", "happy|3", "ecstatic|4"),
                table("select enumlabel, enumsortorder from pg_enum where enumtypid = 'mood'::regtype"
                        + " order by enumsortorder"));
        error("alter type mood add value 'ok'", "42710", "enum label \"ok\" already exists");
    }

    @Test
    void catalogRows() {
        assertEquals(List.of("typname|typtype|typcategory|typlen", "_mood|b|A|-1", "mood|e|E|4"),
                table("select typname, typtype, typcategory, typlen from pg_type where typname in ('mood', '_mood')"
                        + " order by 1"));
    }

    @Test
    void errorsAndDrop() {
        error("select 'x'::mood", "22P02", "invalid input value for enum mood: \"x\"");
        error("insert into person values ('e', 'bad')", "22P02", "invalid input value for enum mood: \"bad\"");
        error("create type mood as enum ('x')", "42710", "type \"mood\" already exists");
        PgException e = error("drop type mood", "2BP01", "cannot drop type mood because other objects depend on it");
        assertEquals("column m of table person depends on type mood", e.detail());
        assertEquals("Use DROP ... CASCADE to drop the dependent objects too.", e.hint());
        exec("drop type mood cascade");
        assertEquals(List.of("name", "a", "b", "c", "d"), table("select * from person order by name"));
        exec("drop type if exists mood");
        error("drop type nosuch", "42704", "type \"nosuch\" does not exist");
        error("select null::mood", "42704", "type \"mood\" does not exist");
    }
}
