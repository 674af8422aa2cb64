package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Types xid and xid8, the system columns xmin/xmax as xid, and pg_class.reloptions as text[] (PostgreSQL 15's). */
class XidTypeTest extends DataEngineTestBase {

    @Test
    void xidAndXid8() {
        assertEquals(List.of("pg_typeof|xid|xid8|xid", "xid8|12|12|0"),
                table("select pg_typeof(pg_current_xact_id()), '12'::xid, '12'::xid8, '4294967296'::xid"));
        assertEquals(List.of("xid", "4294967295"), table("select '-1'::xid"));
        exec("create table t (a int)");
        exec("begin");
        exec("insert into t values (1)");
        assertEquals(List.of("mine|xmax_zero|typ", "t|t|xid"),
                table("select xmin = pg_current_xact_id()::xid as mine, xmax = 0 as xmax_zero, pg_typeof(xmin) typ"
                        + " from t"));
        assertEquals(List.of("a|ok", "1|t"),
                table("update t set a = a returning a, xmin = pg_current_xact_id()::xid as ok"));
        exec("commit");
        assertEquals(List.of("same", "f"), table("select xmin = pg_current_xact_id()::xid as same from t"));
    }

    @Test
    void reloptionsAreATextArray() {
        exec("create table ff (a int) with (fillfactor=50, autovacuum_enabled=false)");
        exec("create table plain (a int)");
        assertEquals(List.of("relname|reloptions|array_length", "ff|{fillfactor=50,autovacuum_enabled=false}|2",
                "plain||"),
                table("select relname, reloptions, array_length(reloptions, 1) from pg_class"
                        + " where relname in ('ff', 'plain') order by relname"));
        assertEquals(List.of("x", "fillfactor=50", "autovacuum_enabled=false"),
                table("select unnest(reloptions) x from pg_class where relname = 'ff'"));
        assertEquals(List.of("pg_typeof", "text[]"), table("select pg_typeof(reloptions) from pg_class limit 1"));
    }
}
