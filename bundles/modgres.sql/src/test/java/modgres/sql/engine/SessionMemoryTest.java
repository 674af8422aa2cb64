package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import modgres.api.backend.BackendMemory;
import modgres.sql.exec.spill.MemoryAccount;
import modgres.sql.exec.spill.MemoryAccount.Context;

/**
 * A session's memory account end to end: sorts, hashes, nested loops, CTEs, recursive queries and windows over
 * data many times work_mem (64kB) never account more than their limits plus a row or so; the query peak is per
 * query; results are right whether the structures spilled or not.
 */
class SessionMemoryTest extends DataEngineTestBase {
    private static final long WORK_MEM = 64 * 1024;
    /** A row or two beyond the limit, and the one-row result being built. */
    private static final long SLACK = 4 * 1024;

    private MemoryAccount account() {
        return ((EngineSession) session).memoryAccount();
    }

    private String one(String sql) {
        List<String> t = table(sql);
        assertEquals(2, t.size(), t.toString());
        return t.get(1);
    }

    @BeforeEach
    void data() {
        exec("create table t (id int, x int, pad text)",
                "insert into t select g, g % 1000, repeat('p', 60) from generate_series(1, 20000) g",
                "set work_mem = '64kB'");
    }

    /**
     * Runs a one-row query and checks the query peak against the sum of its structures' limits ({@code limit}).
     * A FROM subquery that is not a single scan is kept in a hidden Materialize (a RowStore bounded by work_mem),
     * so it counts one work_mem more.
     */
    private String bounded(String sql, long limit) {
        String r = one(sql);
        long peak = account().queryPeak();
        assertTrue(peak <= limit + SLACK, sql + ": peak " + peak);
        assertEquals(0, account().current(), "nothing is held after the query");
        return r;
    }

    @Test
    void sortIsBoundedByWorkMem() {
        assertEquals("200010000|20000", bounded("select sum(id), count(*) from (select id from t order by pad, id"
                + " offset 0) s", WORK_MEM));
        assertTrue(account().peak(Context.SORT) > WORK_MEM / 2, "the sort was accounted");
    }

    @Test
    void hashAggregateAndHashJoinAreBoundedByHashMem() {
        long hashMem = 2 * WORK_MEM; // hash_mem_multiplier 2.0
        assertEquals("20000", bounded("select count(*) from (select id, pad from t group by id, pad) s",
                hashMem + WORK_MEM));
        assertTrue(account().peak(Context.HASH_AGG) > WORK_MEM, "the hash aggregate was accounted");
        assertEquals("20000|200010000", bounded("select count(*), sum(b.id) from t a join t b on a.id = b.id",
                hashMem));
        assertTrue(account().peak(Context.HASH) > WORK_MEM, "the hash table was accounted");
    }

    @Test
    void setOperationsAndIndexBuildsAreAccounted() {
        assertEquals("20000", one("select count(*) from (select id, pad from t intersect select id, pad from t) s"));
        assertTrue(account().peak(Context.HASH_AGG) > 20000 * 60, "the set operation's table (not bounded)");
        exec("set maintenance_work_mem = '1MB'", "create index t_pad on t (pad, id)");
        long sort = account().peak(Context.SORT);
        assertTrue(sort > 512 * 1024 && sort <= 1024 * 1024 + SLACK, "the index build's sort: " + sort);
    }

    @Test
    void queryPeakIsPerQuerySessionPeakStays() {
        one("select sum(id) from (select id from t order by pad, id offset 0) s");
        long big = account().queryPeak();
        assertTrue(big > WORK_MEM / 2);
        one("select 1");
        assertTrue(account().queryPeak() < 1024, "peak " + account().queryPeak());
        assertTrue(account().sessionPeak() >= big);
        BackendMemory m = session.memory();
        assertNotNull(m);
        assertEquals(0, m.workMemBytes());
        assertEquals(account().queryPeak(), m.queryPeakBytes());
        assertEquals(account().sessionPeak(), m.sessionPeakBytes());
        assertEquals(0, m.tempFiles());
    }

    @Test
    void resultBeingBuiltIsBoundedAndAccounted() {
        List<String> rows = table("select id, pad from t order by id");
        assertEquals(20001, rows.size());
        for (int i = 1; i <= 20000; i++) {
            assertEquals(i + "|" + "p".repeat(60), rows.get(i));
        }
        long portal = account().peak(Context.PORTAL);
        assertTrue(portal > WORK_MEM / 2 && portal <= WORK_MEM + SLACK, "peak " + portal);
        assertTrue(account().queryPeak() <= 2 * WORK_MEM + SLACK, "sort and result: " + account().queryPeak());
    }

    @Test
    void spilledResultIsSentAcrossExecutesInItsTransaction() {
        exec("begin");
        session.parse("s", "select id from t order by id", new int[0]);
        session.bind("p", "s", new byte[0][], new short[0], new short[0]);
        long sum = 0;
        int n = 0;
        while (true) {
            RecordingSink sink = new RecordingSink();
            modgres.api.sql.SqlSession.ExecuteResult r = session.execute("p", 7000, sink);
            for (String e : sink.events) {
                if (e.startsWith("D ")) {
                    sum += Long.parseLong(e.substring(2));
                    n++;
                }
            }
            if (r == modgres.api.sql.SqlSession.ExecuteResult.COMPLETED) {
                break;
            }
        }
        session.sync();
        assertEquals(20000, n);
        assertEquals(200010000L, sum);
        exec("commit");
        assertEquals(0, session.memory().tempFiles(), "the result's file went with the transaction");
    }

    @Test
    void nestedLoopInnerSideSpills() {
        // the written order (the planner would otherwise make the 30 filtered rows the inner side)
        exec("set enable_hashjoin = off", "set enable_mergejoin = off", "set join_collapse_limit = 1");
        List<String> plan = plan("select count(*) from t a join t b on b.id between a.id and a.id + 1"
                + " where a.id <= 30");
        assertTrue(plan.toString().contains("Nested Loop"), plan.toString());
        assertEquals("60|930", bounded("select count(*), sum(a.id) from t a join t b on b.id between a.id and a.id + 1"
                + " where a.id <= 30", WORK_MEM));
        assertTrue(account().peak(Context.EXECUTOR) > WORK_MEM / 2, "the inner rows were accounted");
        // FULL join through the nested loop: unmatched inner rows found across the spilled inner side
        assertEquals("20000|19998", bounded("select count(*), count(a.id) from (select * from t where id <= 19998) a"
                + " full join t b on a.id = b.id and a.pad = b.pad", 2 * WORK_MEM));
    }

    @Test
    void cteRowsSpillAndEveryReferenceReadsThemAll() {
        assertEquals("20000|200010000|20000", bounded("with c as materialized (select id, pad from t)"
                + " select (select count(*) from c), (select sum(id) from c), (select count(*) from c c1"
                + " where c1.id > 0)", WORK_MEM));
        assertTrue(account().peak(Context.EXECUTOR) > WORK_MEM / 2, "the CTE's rows were accounted");
        assertEquals("40000|400020000", bounded("with c as materialized (select id, pad from t)"
                + " select count(*), sum(id) from (select id from c union all select id from c) u", 2 * WORK_MEM));
        // two references read at different paces while the query is still producing rows
        assertEquals("10|55", bounded("with c as materialized (select id, pad from t order by id)"
                + " select count(*), sum(a.id) from (select id from c limit 10) a", 3 * WORK_MEM));
        assertEquals("20000", one("with c as materialized (select id, pad from t)"
                + " select count(*) from c a join c b on a.id = b.id"));
    }

    @Test
    void recursiveWorkingTablesSpill() {
        assertEquals("20000|200010000", bounded("with recursive r(n, pad) as (select g, repeat('r', 60) from"
                + " generate_series(1, 5000) g union all select n + 5000, pad from r where n <= 15000)"
                + " select count(*), sum(n) from r", 3 * WORK_MEM));
        assertTrue(account().peak(Context.EXECUTOR) > WORK_MEM / 2, "the working tables were accounted");
        assertEquals("20000", one("with recursive r(n, pad) as (select g, repeat('r', 60) from"
                + " generate_series(1, 5000) g union select n + 5000, pad from r where n <= 15000)"
                + " select count(*) from r"));
    }

    @Test
    void windowHoldsOnePartitionAtATime() {
        assertEquals("20000|210000", one("select count(*), sum(rn) from (select row_number() over"
                + " (partition by x order by id) rn from t) s"));
        long partition = account().peak(Context.WINDOW);
        assertTrue(partition > 0 && partition < 10 * 1024, "one partition of 20 rows: " + partition);
        assertEquals("20000|200010000", one("select count(*), sum(rn) from (select row_number() over"
                + " (order by id) rn from t) s"));
    }

    @Test
    void backendMemoryContextsShowTheOwnAccount() {
        exec("create temp table tt (id int, pad text)",
                "insert into tt select g, repeat('t', 200) from generate_series(1, 2000) g");
        List<String> t = table("select name, ident, parent, level, total_bytes = used_bytes, total_nblocks,"
                + " free_bytes, free_chunks, used_bytes > 0 from pg_backend_memory_contexts"
                + " where name in ('TopMemoryContext', 'ExecutorState', 'LocalBufferContext') order by level, name");
        assertEquals(List.of("name|ident|parent|level|?column?|total_nblocks|free_bytes|free_chunks|?column?",
                "TopMemoryContext|||0|t|0|0|0|f", "LocalBufferContext||TopMemoryContext|1|t|0|0|0|t",
                "ExecutorState||PortalContext|2|t|0|0|0|f"), t);
        assertEquals(String.valueOf(session.memory().tempBuffersUsed() * 8192L), one("select used_bytes from"
                + " pg_backend_memory_contexts where name = 'LocalBufferContext'"));
    }

    @Test
    void tempBuffersAndTempFilesAreShown() {
        exec("create temp table tt (id int, pad text)",
                "insert into tt select g, repeat('t', 200) from generate_series(1, 2000) g");
        BackendMemory m = session.memory();
        assertTrue(m.tempBuffersUsed() > 10, "pages of tt in local buffers: " + m.tempBuffersUsed());
        assertEquals(1024, m.tempBuffers(), "temp_buffers 8MB");
        exec("begin");
        one("select count(*) from (select id from t order by pad, id offset 0) s");
        // the sort's files are gone with the sort; none is left in the open transaction
        assertEquals(0, session.memory().tempFiles());
        exec("commit");
    }
}
