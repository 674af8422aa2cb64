package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import modgres.api.backend.Peer;
import modgres.api.error.PgException;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlSession;

/**
 * INSERT ... ON CONFLICT: arbiters, DO NOTHING / DO UPDATE with EXCLUDED and
 * WHERE, RETURNING, command tags, errors, and two sessions upserting one
 * key. Expected rows, tags and errors are PostgreSQL 15's for the same
 * statements.
 */
class OnConflictTest extends DataEngineTestBase {

    @Test
    void resultsAsPostgres() {
        exec("create table u (id int primary key, a int unique, v text, n int default 0)");
        assertEquals(List.of("C INSERT 0 1"), run("insert into u values (1, 10, 'x') on conflict do nothing"));
        assertEquals(List.of("C INSERT 0 0"), run("insert into u values (1, 11, 'y') on conflict do nothing"));
        // any unique index is an arbiter without a target
        assertEquals(List.of("id|a|v|n"), table("insert into u values (2, 10, 'y') on conflict do nothing returning *"));
        assertEquals(List.of("id|a|v|n", "1|10|z|1"),
                table("insert into u values (1, 20, 'z') on conflict (id) do update set v = excluded.v, n = u.n + 1 returning *"));
        // not the arbiter: an ordinary unique violation
        PgException e = error("insert into u values (1, 20, 'z') on conflict (a) do update set v = excluded.v",
                "23505", "duplicate key value violates unique constraint \"u_pkey\"");
        assertEquals("Key (id)=(1) already exists.", e.detail());
        error("insert into u values (1, 20, 'w') on conflict (v) do update set v = excluded.v", "42P10",
                "there is no unique or exclusion constraint matching the ON CONFLICT specification");
        error("insert into u values (1, 20, 'w') on conflict (id, a) do nothing", "42P10",
                "there is no unique or exclusion constraint matching the ON CONFLICT specification");
        assertEquals(List.of("C INSERT 0 0"), run(
                "insert into u values (1, 20, 'w') on conflict on constraint u_pkey do update set v = excluded.v where u.n > 100"));
        error("insert into u values (1, 20, 'w') on conflict on constraint nope do nothing", "42704",
                "constraint \"nope\" for table \"u\" does not exist");
        assertEquals(List.of("id|a|v|n", "1|10|w|1"), table(
                "insert into u values (1, 20, 'w') on conflict on constraint u_pkey do update set v = excluded.v where u.n < 100 returning *"));
        e = error("insert into u values (3, 30, 'a'), (3, 31, 'b') on conflict (id) do update set v = excluded.v",
                "21000", "ON CONFLICT DO UPDATE command cannot affect row a second time");
        assertEquals("Ensure that no rows proposed for insertion within the same command have duplicate constrained values.",
                e.hint());
        assertEquals(List.of("C INSERT 0 1"),
                run("insert into u values (3, 30, 'a'), (3, 31, 'b') on conflict (id) do nothing"));
        assertEquals(List.of("id|a|v|n", "1|10|w|1", "3|30|a|0"), table("select * from u order by id"));
        e = error("insert into u values (1, 20, 'w') on conflict do update set v = 'q'", "42601",
                "ON CONFLICT DO UPDATE requires inference specification or constraint name");
        assertEquals("For example, ON CONFLICT (column_name).", e.hint());
        error("insert into u values (1, 20, 'w') on conflict (id) do update set v = v || 'x'", "42702",
                "column reference \"v\" is ambiguous");
        error("insert into u values (1, 20, 'w') on conflict (id) do update set zz = 1", "42703",
                "column \"zz\" of relation \"u\" does not exist");
        assertEquals(List.of("id|v|n", "1|ww|5"), table(
                "insert into u as t values (1, 20, 'w') on conflict (id) do update set v = excluded.v || t.v, n = excluded.n + 5 returning id, v, n"));
        // the tag counts inserted and updated rows
        assertEquals(List.of("C INSERT 0 2"),
                run("insert into u (id, a) values (1, 21), (4, 40) on conflict (id) do update set n = u.n + 1"));
        assertEquals(List.of("id|a|v|n", "1|10|ww|6", "3|30|a|0", "4|40||0"), table("select * from u order by id"));
        // constraints are checked before the conflict
        error("insert into u values (null, 40) on conflict do nothing", "23502",
                "null value in column \"id\" of relation \"u\" violates not-null constraint");
        // an update of the key itself
        e = error("insert into u values (1, 20, 'w') on conflict (id) do update set id = 3", "23505",
                "duplicate key value violates unique constraint \"u_pkey\"");
        assertEquals(List.of("C INSERT 0 1"), run("insert into u values (1, 20, 'w') on conflict (id) do update set id = 6"));
        assertEquals(List.of("id", "3", "4", "6"), table("select id from u order by id"));
        assertEquals(List.of("Insert on u", "  Conflict Resolution: UPDATE", "  Conflict Arbiter Indexes: u_pkey",
                "  Conflict Filter: (u.n > 100)", "  ->  Result"),
                plan("insert into u values (1, 20, 'w') on conflict on constraint u_pkey do update set v = excluded.v where u.n > 100"));
        assertEquals(List.of("Insert on u", "  Conflict Resolution: NOTHING", "  ->  Result"),
                plan("insert into u values (1, 20, 'w') on conflict do nothing"));
        // INSERT ... SELECT upserting many rows, then again: every row updated
        exec("create table kv (k int primary key, v int)");
        assertEquals(List.of("C INSERT 0 100"),
                run("insert into kv select g, 1 from generate_series(1, 100) g on conflict (k) do update set v = kv.v + 1"));
        assertEquals(List.of("C INSERT 0 150"),
                run("insert into kv select g, 1 from generate_series(51, 200) g on conflict (k) do update set v = kv.v + excluded.v"));
        assertEquals(List.of("count|sum", "200|250"), table("select count(*), sum(v) from kv"));
    }

    @Test
    void repeatableReadSeesConflictsItCannotSee() throws Exception {
        exec("create table kv (k int primary key, v int)");
        SqlSession other = engine.open(new SessionInfo(4343, "postgres", "postgres", new Peer(true, null, 0), Map.of()));
        try {
            exec("begin isolation level repeatable read", "select 1");
            other.simpleQuery("insert into kv values (1, 1)", new RecordingSink());
            error("insert into kv values (1, 2) on conflict do nothing", "40001",
                    "could not serialize access due to concurrent update");
            exec("rollback", "begin isolation level repeatable read", "select 1");
            other.simpleQuery("insert into kv values (2, 1)", new RecordingSink());
            error("insert into kv values (2, 2) on conflict (k) do update set v = 5", "40001",
                    "could not serialize access due to concurrent update");
            exec("rollback");
            // READ COMMITTED: both are fine
            assertEquals(List.of("C INSERT 0 1"), run("insert into kv values (2, 2) on conflict (k) do update set v = 5"));
            assertEquals(List.of("k|v", "1|1", "2|5"), table("select * from kv order by k"));
        } finally {
            other.close();
        }
    }

    @Test
    void secondUpserterWaitsAndUpdates() throws Exception {
        exec("create table kv (k int primary key, v int)");
        SqlSession other = engine.open(new SessionInfo(4344, "postgres", "postgres", new Peer(true, null, 0), Map.of()));
        try {
            exec("begin", "insert into kv values (1, 1) on conflict (k) do update set v = kv.v + 1");
            CompletableFuture<List<String>> second = CompletableFuture.supplyAsync(() -> {
                RecordingSink sink = new RecordingSink();
                other.simpleQuery("insert into kv values (1, 1) on conflict (k) do update set v = kv.v + 1", sink);
                return sink.events;
            });
            Thread.sleep(300);
            assertTrue(!second.isDone(), "the second upsert waits for the first transaction");
            exec("commit");
            assertEquals(List.of("C INSERT 0 1"), second.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("k|v", "1|2"), table("select * from kv"));
            // the first one aborts: the second inserts
            exec("begin", "insert into kv values (2, 1) on conflict (k) do update set v = kv.v + 1");
            CompletableFuture<List<String>> third = CompletableFuture.supplyAsync(() -> {
                RecordingSink sink = new RecordingSink();
                other.simpleQuery("insert into kv values (2, 10) on conflict (k) do update set v = kv.v + 1", sink);
                return sink.events;
            });
            Thread.sleep(300);
            assertTrue(!third.isDone());
            exec("rollback");
            assertEquals(List.of("C INSERT 0 1"), third.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("k|v", "1|2", "2|10"), table("select * from kv order by k"));
        } finally {
            other.close();
        }
    }
}
