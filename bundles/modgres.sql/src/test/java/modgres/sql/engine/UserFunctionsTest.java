package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.error.PgException;

/**
 * CREATE FUNCTION / PROCEDURE, DROP FUNCTION, DO and CALL, LANGUAGE sql and plpgsql. The expected rows,
 * notices and errors are PostgreSQL 15's for the same statements (psql -A output of a PostgreSQL 15 server).
 */
class UserFunctionsTest extends DataEngineTestBase {

    @Test
    void sqlFunctions() {
        exec("create function add1(int) returns int as 'select $1 + 1' language sql");
        assertEquals(List.of("add1", "2"), table("select add1(1)"));
        exec("create function f6(a int, b int default 10) returns int language sql as 'select a + b'");
        assertEquals(List.of("f6|f6", "11|3"), table("select f6(1), f6(1,2)"));
        // several statements: the last one's result
        exec("create table t(x int)");
        exec("create function ins(v int) returns bigint language sql as $$ insert into t values (v);"
                + " select count(*) from t $$");
        assertEquals(List.of("ins", "1"), table("select ins(5)"));
        assertEquals(List.of("ins", "2"), table("select ins(6)"));
        // temp.sql: a function in pg_temp is found only when qualified
        exec("create function public.whoami() returns text as $$select 'public'::text$$ language sql");
        exec("create function pg_temp.whoami() returns text as $$select 'temp'::text$$ language sql");
        assertEquals(List.of("whoami", "public"), table("select whoami()"));
        assertEquals(List.of("whoami", "temp"), table("select pg_temp.whoami()"));
        exec("drop function pg_temp.whoami()");
        // what psql's \df reads
        assertEquals(List.of("proname|args|result|prokind|provolatile", "f6|a integer, b integer DEFAULT 10|integer|f|v"),
                table("select proname, pg_get_function_arguments(oid) args, pg_get_function_result(oid) result,"
                        + " prokind, provolatile from pg_proc where proname = 'f6'"));
        assertEquals(List.of("count", "1"), table("select count(*) from pg_proc where proname = 'abs' and"
                + " proargtypes = '23'"));
        // SETOF in FROM, RETURNS TABLE
        exec("create function vals() returns setof int language sql as 'select x from t order by x'");
        assertEquals(List.of("vals", "5", "6"), table("select * from vals()"));
        assertEquals(List.of("v", "6"), table("select v from vals() as q(v) where v > 5"));
        exec("create function pairs(n int) returns table(a int, b text) language sql as"
                + " 'select x, x::text || ''!'' from t where x >= n order by x'");
        assertEquals(List.of("a|b", "5|5!", "6|6!"), table("select * from pairs(0)"));
        assertEquals(List.of("b", "6!"), table("select b from pairs(6)"));
        // select.sql: a lone set-returning call in the select list
        exec("create function sillysrf(int) returns setof int as 'values (1),(10),(2),($1)' language sql immutable");
        assertEquals(List.of("sillysrf", "1", "10", "2", "42"), table("select sillysrf(42)"));
        assertEquals(List.of("sillysrf", "-1", "1", "2", "10"), table("select sillysrf(-1) order by 1"));
    }

    @Test
    void createAndDropErrors() {
        exec("create function f5(int) returns int as 'select $1 + 1' language sql");
        error("create function f5(int) returns int as 'select $1 + 1' language sql", "42723",
                "function \"f5\" already exists with same argument types");
        PgException e = error("create or replace function f5(int) returns text as 'select $1::text' language sql",
                "42P13", "cannot change return type of existing function");
        assertEquals("Use DROP FUNCTION f5(integer) first.", e.hint());
        exec("create or replace function f5(int) returns int as 'select $1 + 2' language sql");
        assertEquals(List.of("f5", "3"), table("select f5(1)"));
        error("select f5('a')", "22P02", "invalid input syntax for type integer: \"a\"");
        error("select nosuch(1)", "42883", "function nosuch(integer) does not exist");
        error("drop function nosuch(int)", "42883", "function nosuch(integer) does not exist");
        List<String> dropped = run("drop function if exists nosuch(int)");
        assertTrue(dropped.contains("N NOTICE 00000 function nosuch(pg_catalog.int4) does not exist, skipping"),
                dropped.toString());
        exec("drop function f5(int)");
        error("select f5(1)", "42883", "function f5(integer) does not exist");
        error("create function bad() returns int language sql as 'insert into nowhere values (1)'", "42P13",
                "return type mismatch in function declared to return integer");
        e = error("create function f4() returns int as $$\nbegin\n  foo bar;\nend $$ language plpgsql", "42601",
                "syntax error at or near \"foo\"");
        assertEquals(48, e.position());
    }

    @Test
    void plpgsqlBasics() {
        exec("create function inverse(int) returns float8 as $$\nbegin\n  return 1.0/$1;\nend $$ language plpgsql");
        assertEquals(List.of("inverse", "0.5"), table("select inverse(2)"));
        PgException e = error("select inverse(0)", "22012", "division by zero");
        assertEquals("PL/pgSQL function inverse(integer) line 3 at RETURN", e.context());
        exec("create function fact(n int) returns bigint language plpgsql as $$\n"
                + "declare r bigint := 1; i int;\n"
                + "begin\n"
                + "  for i in 1..n loop r := r * i; end loop;\n"
                + "  return r;\n"
                + "end $$");
        assertEquals(List.of("fact", "120"), table("select fact(5)"));
        exec("create function classify(x int) returns text language plpgsql as $$\n"
                + "begin\n"
                + "  if x < 0 then return 'neg'; elsif x = 0 then return 'zero'; else return 'pos'; end if;\n"
                + "end $$");
        assertEquals(List.of("classify|classify|classify", "neg|zero|pos"),
                table("select classify(-1), classify(0), classify(3)"));
        List<String> ev = run("do $$ begin raise notice 'hi % and %', 1, 'x'; end $$");
        assertTrue(ev.contains("N NOTICE 00000 hi 1 and x"), ev.toString());
        e = error("do $$ begin raise exception 'bad %', 42 using errcode = '22012', detail = 'dd', hint = 'hh';"
                + " end $$", "22012", "bad 42");
        assertEquals("dd", e.detail());
        assertEquals("hh", e.hint());
        assertEquals("PL/pgSQL function inline_code_block line 1 at RAISE", e.context());
    }

    private List<String> notices(String sql) {
        return run(sql).stream().filter(e -> e.startsWith("N ")).toList();
    }

    @Test
    void plpgsqlStatements() {
        exec("create table acc(id int primary key, bal int)", "insert into acc values (1, 100), (2, 50)");
        exec("create function transfer(a int, b int, amt int) returns text language plpgsql as $$\n"
                + "declare r record; n int;\n"
                + "begin\n"
                + "  update acc set bal = bal - amt where id = a;\n"
                + "  get diagnostics n = row_count;\n"
                + "  raise notice 'updated % row(s)', n;\n"
                + "  begin\n"
                + "    update acc set bal = bal + amt where id = b;\n"
                + "    if not found then raise exception 'no account %', b; end if;\n"
                + "    insert into acc values (a, 0);\n"
                + "  exception when unique_violation then\n"
                + "    raise notice 'caught: % %', sqlstate, sqlerrm;\n"
                + "  when others then\n"
                + "    raise notice 'other: %', sqlerrm;\n"
                + "    return 'failed';\n"
                + "  end;\n"
                + "  select * into r from acc where id = a;\n"
                + "  return 'ok ' || r.bal;\n"
                + "end $$");
        // the protected block is a subtransaction: its UPDATE is undone with the failed INSERT
        List<String> ev = run("select transfer(1, 2, 10)");
        assertEquals(List.of("N NOTICE 00000 updated 1 row(s)",
                "N NOTICE 00000 caught: 23505 duplicate key value violates unique constraint \"acc_pkey\"",
                "T transfer:25", "D ok 90", "C SELECT 1"), ev);
        assertEquals(List.of("id|bal", "1|90", "2|50"), table("select * from acc order by id"));
        assertEquals(List.of("N NOTICE 00000 updated 1 row(s)", "N NOTICE 00000 other: no account 3"),
                notices("select transfer(1, 3, 10)"));
        assertEquals(List.of("id|bal", "1|80", "2|50"), table("select * from acc order by id"));

        exec("create function evens(n int) returns setof int language plpgsql as $$\n"
                + "declare i int := 0;\n"
                + "begin\n"
                + "  while true loop\n"
                + "    i := i + 1;\n"
                + "    exit when i > n;\n"
                + "    continue when i % 2 = 1;\n"
                + "    return next i;\n"
                + "  end loop;\n"
                + "  return query select 100 union all select 200;\n"
                + "end $$");
        assertEquals(List.of("evens", "2", "4", "100", "200"), table("select * from evens(5)"));
        exec("create function dyn(t text, v int) returns int language plpgsql as $$\n"
                + "declare c int;\n"
                + "begin\n"
                + "  execute 'select count(*) from ' || quote_ident(t) || ' where bal > $1' into c using v;\n"
                + "  return c;\n"
                + "end $$");
        assertEquals(List.of("dyn", "1"), table("select dyn('acc', 60)"));
        assertEquals(List.of("N NOTICE 00000 1:80 2:50 ", "N NOTICE 00000 three", "N NOTICE 00000 gt2",
                "N NOTICE 00000 i=10", "N NOTICE 00000 i=6", "N NOTICE 00000 i=2"), notices("do $$\n"
                        + "declare r record; s text := ''; x int := 3;\n"
                        + "begin\n"
                        + "  for r in select id, bal from acc order by id loop\n"
                        + "    s := s || r.id || ':' || r.bal || ' ';\n"
                        + "  end loop;\n"
                        + "  raise notice '%', s;\n"
                        + "  case x when 1, 2 then raise notice 'small'; when 3 then raise notice 'three';"
                        + " else raise notice 'big'; end case;\n"
                        + "  case when x > 2 then raise notice 'gt2'; end case;\n"
                        + "  for i in reverse 10..1 by 4 loop raise notice 'i=%', i; end loop;\n"
                        + "end $$"));
        PgException e = error("do $$ declare x int; begin select bal into strict x from acc where id > 0; end $$",
                "P0003", "query returned more than one row");
        assertEquals("PL/pgSQL function inline_code_block line 1 at SQL statement", e.context());
        error("do $$ declare x int; begin select bal into strict x from acc where id > 10; end $$", "P0002",
                "query returned no rows");
        assertEquals(List.of("N NOTICE 00000 div: 22012 division by zero"), notices(
                "do $$ begin perform 1/0; exception when division_by_zero then raise notice 'div: % %', sqlstate,"
                        + " sqlerrm; end $$"));
        e = error("do $$ declare x int; begin x := 1/0; end $$", "22012", "division by zero");
        assertEquals("PL/pgSQL assignment \"x := 1/0\"\nPL/pgSQL function inline_code_block line 1 at assignment",
                e.context());
        error("do $$ begin raise division_by_zero; end $$", "22012", "division_by_zero");
        error("do $$ begin raise sqlstate '22012'; end $$", "22012", "22012");
        error("do $$ begin raise 'plain %', 'msg'; end $$", "P0001", "plain msg");
        assertEquals(List.of("N WARNING 01000 warn"), notices("do $$ begin raise warning 'warn'; end $$"));
        exec("create function noret() returns int language plpgsql as $$ begin end $$");
        e = error("select noret()", "2F005", "control reached end of function without RETURN");
        assertEquals("PL/pgSQL function noret()", e.context());
        e = error("do $$ declare r record; begin raise notice '%', r.x; end $$", "55000",
                "record \"r\" is not assigned yet");
        error("do $$ declare x int := 'abc'; begin end $$", "22P02", "invalid input syntax for type integer: \"abc\"");
    }

    @Test
    void stableFunctionsSeeTheCallersSnapshot() {
        // transactions.sql: a STABLE function does not see the partial results of the calling UPDATE,
        // a VOLATILE one does (LANGUAGE sql and plpgsql alike)
        exec("create table xacttest (a smallint, b real)",
                "insert into xacttest values (56, 7.8), (100, 99.097), (0, 0.09561), (42, 324.78)");
        String[] bodies = {"language sql as 'select max(a) from xacttest'",
            "language plpgsql as 'begin return max(a) from xacttest; end'"};
        for (String body : bodies) {
            exec("create or replace function max_xacttest() returns smallint " + body + " stable");
            exec("begin", "update xacttest set a = max_xacttest() + 10 where a > 0");
            assertEquals(List.of("a|b", "0|0.09561", "110|7.8", "110|99.097", "110|324.78"),
                    table("select * from xacttest order by a, b"));
            exec("rollback");
            exec("create or replace function max_xacttest() returns smallint " + body + " volatile");
            exec("begin", "update xacttest set a = max_xacttest() + 10 where a > 0");
            assertEquals(List.of("a|b", "0|0.09561", "110|7.8", "120|99.097", "130|324.78"),
                    table("select * from xacttest order by a, b"));
            exec("rollback");
        }
    }

    @Test
    void proceduresAndDo() {
        exec("create table log(msg text)");
        exec("create procedure note(m text) language plpgsql as $$ begin insert into log values (m); end $$");
        assertEquals(List.of("C CALL"), run("call note('one')"));
        exec("call note('two')");
        assertEquals(List.of("msg", "one", "two"), table("select * from log order by msg"));
        PgException e = error("select note('x')");
        assertEquals("42883", e.sqlState());
        error("call nosuch(1)", "42883", "procedure nosuch(integer) does not exist");
        assertEquals(List.of("C DO"), run("do $$ begin insert into log values ('three'); end $$"));
        assertEquals(List.of("count", "3"), table("select count(*) from log"));
        error("do language sql $$ select 1 $$", "0A000", "language \"sql\" does not support inline code execution");
        exec("drop procedure note(text)");
        error("call note('x')", "42883", "procedure note(unknown) does not exist");
    }

    @Test
    void triggers() {
        exec("create table tt(id int, v text)", "create table tlog(op text, lvl text, wh text, nm text, info text)");
        exec("create function logtrig() returns trigger language plpgsql as $$\n"
                + "begin\n"
                + "  insert into tlog values (tg_op, tg_level, tg_when, tg_name,\n"
                + "     case when tg_level = 'ROW' and tg_op <> 'DELETE' then new.id || '/' || coalesce(new.v, 'null')"
                + " when tg_level = 'ROW' then old.id::text else tg_argv[0] end);\n"
                + "  if tg_level = 'ROW' and tg_when = 'BEFORE' then\n"
                + "    if tg_op = 'DELETE' then return old; end if;\n"
                + "    if new.id < 0 then return null; end if;\n"
                + "    new.v := upper(new.v);\n"
                + "    return new;\n"
                + "  end if;\n"
                + "  return null;\n"
                + "end $$");
        exec("create trigger b_row before insert or update or delete on tt for each row execute function logtrig()");
        exec("create trigger a_row after insert or update on tt for each row execute function logtrig()");
        exec("create trigger s_stmt after insert on tt for each statement execute procedure logtrig('stmt-arg')");
        assertEquals(List.of("C INSERT 0 2"), run("insert into tt values (1, 'a'), (-1, 'skip'), (2, null)"));
        assertEquals(List.of("id|v", "1|A", "2|"), table("select * from tt order by id"));
        assertEquals(List.of("C UPDATE 1"), run("update tt set v = 'x' where id = 1"));
        assertEquals(List.of("C DELETE 1"), run("delete from tt where id = 2"));
        assertEquals(List.of("id|v", "1|X"), table("select * from tt order by id"));
        assertEquals(List.of("op|lvl|wh|nm|info",
                "INSERT|ROW|BEFORE|b_row|1/a",
                "INSERT|ROW|BEFORE|b_row|-1/skip",
                "INSERT|ROW|BEFORE|b_row|2/null",
                "INSERT|ROW|AFTER|a_row|1/A",
                "INSERT|ROW|AFTER|a_row|2/null",
                "INSERT|STATEMENT|AFTER|s_stmt|stmt-arg",
                "UPDATE|ROW|BEFORE|b_row|1/x",
                "UPDATE|ROW|AFTER|a_row|1/X",
                "DELETE|ROW|BEFORE|b_row|2"), table("select * from tlog"));
        error("create trigger b_row before insert on tt for each row execute function logtrig()", "42710",
                "trigger \"b_row\" for relation \"tt\" already exists");
        PgException e = error("drop function logtrig()", "2BP01",
                "cannot drop function logtrig() because other objects depend on it");
        assertEquals("trigger b_row on table tt depends on function logtrig()\n"
                + "trigger a_row on table tt depends on function logtrig()\n"
                + "trigger s_stmt on table tt depends on function logtrig()", e.detail());
        error("drop trigger nosuch on tt", "42704", "trigger \"nosuch\" for table \"tt\" does not exist");
        assertEquals(List.of("N NOTICE 00000 trigger \"nosuch\" for relation \"tt\" does not exist, skipping",
                "C DROP TRIGGER"), run("drop trigger if exists nosuch on tt"));
        exec("drop trigger b_row on tt");
        exec("create function notrig() returns int language sql as 'select 1'");
        error("create trigger x before insert on tt for each row execute function notrig()", "42P17",
                "function notrig must return type trigger");
        error("create trigger x before insert on tt for each row execute function nosuchfn()", "42883",
                "function nosuchfn() does not exist");
        // WHEN conditions and UPDATE OF
        exec("create table w(a int, b int)", "create table wlog(info text)");
        exec("create function wtrig() returns trigger language plpgsql as $$ begin"
                + " insert into wlog values (tg_name || ':' || new.a); return new; end $$");
        exec("create trigger big after insert on w for each row when (new.a > 10) execute function wtrig()");
        exec("create trigger bchange after update of b on w for each row execute function wtrig()");
        exec("insert into w values (5, 0), (50, 0)", "update w set a = a + 1", "update w set b = 1 where a = 6");
        // UPDATE OF b fires when b is assigned, even to its old value (PostgreSQL's rule)
        exec("update w set b = b where a = 51");
        assertEquals(List.of("info", "big:50", "bchange:6", "bchange:51"), table("select * from wlog"));
        // TRUNCATE triggers (truncate.sql)
        exec("create table trunc_log(info text)");
        exec("create function trunctrigger() returns trigger language plpgsql as $$\n"
                + "begin insert into trunc_log values (tg_op || ' ' || tg_level || ' ' || tg_when || ' ' || tg_argv[0]);"
                + " return null; end $$");
        exec("create trigger t before truncate on tt for each statement execute procedure trunctrigger('before')");
        exec("create trigger t2 after truncate on tt for each statement execute procedure trunctrigger('after')");
        exec("truncate tt");
        assertEquals(List.of("info", "TRUNCATE STATEMENT BEFORE before", "TRUNCATE STATEMENT AFTER after"),
                table("select * from trunc_log"));
        assertEquals(List.of("count", "0"), table("select count(*) from tt"));
    }
}
