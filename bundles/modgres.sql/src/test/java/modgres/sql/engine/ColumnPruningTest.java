package modgres.sql.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.sql.exec.BitmapScans;
import modgres.sql.exec.Plan;
import modgres.sql.exec.Scans;

/**
 * Column pruning (exec/ColumnUsage): scans fill only the columns the statement reads, and every kind of reader
 * still sees what it needs (results as without pruning, the whole old row for UPDATE / DELETE).
 */
class ColumnPruningTest extends DataEngineTestBase {

    /** The table scans of a statement's plan with their output masks, in plan order ("alias:mask"). */
    private List<String> masks(String sql) {
        run(sql); // the data path's session state (search_path, roles) is set by a first run
        exec("begin");
        try {
            DataPath data = ((EngineSession) session).dataPath();
            DataPath.Compiled c = data.compile(modgres.sql.parser.SqlParser.parseStatement(sql), null,
                    data.searchPath);
            Plan root = c.query != null ? c.query.plan() : c.dml.plan();
            List<String> out = new ArrayList<>();
            collect(root, out);
            return out;
        } finally {
            exec("rollback");
        }
    }

    private static void collect(Plan p, List<String> out) {
        boolean[] m = null;
        List<modgres.sql.exec.OutCol> cols = p.columns;
        boolean scan = true;
        if (p instanceof Scans.SeqScan s) {
            m = s.outputMask();
        } else if (p instanceof Scans.IndexScanNode s) {
            m = s.outputMask();
        } else if (p instanceof BitmapScans.BitmapHeapScan s) {
            m = s.outputMask();
        } else {
            scan = false;
        }
        if (scan) {
            StringBuilder b = new StringBuilder(cols.get(0).qualifier() + ":");
            if (m == null) {
                b.append("ALL");
            } else {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < m.length; i++) {
                    if (m[i]) {
                        names.add(cols.get(i).name());
                    }
                }
                b.append(String.join(",", names));
            }
            out.add(b.toString());
        }
        for (Plan c : p.children()) {
            collect(c, out);
        }
        for (Plan c : subPlans(p)) {
            collect(c, out);
        }
    }

    /** Sub-plans hanging off expressions are not children; the masks of their scans are checked through SQL. */
    private static List<Plan> subPlans(Plan p) {
        return List.of();
    }

    @Test
    void aScanFillsExactlyTheColumnsTheQueryReads() {
        exec("create table t (a int, b int, c text, d numeric)", "insert into t values (1, 2, 'x', 1.5)");
        assertEquals(List.of("t:a,b"), masks("select a from t where b > 0"));
        assertEquals(List.of("t:"), masks("select count(*) from t"));
        assertEquals(List.of("t:a,b,c,d"), masks("select * from t"));
        assertEquals(List.of("t:a,b,c,d"), masks("select t from t"));
        assertEquals(List.of("t:a,ctid,xmin"), masks("select a, ctid, xmin from t"));
        // a self-join: each FROM item has its own columns
        assertEquals(List.of("x:a,c", "y:a,d"), sorted(masks("select x.c, y.d from t x join t y on x.a = y.a")));
        // a correlated subquery compiled after the outer scan still adds its outer column
        assertEquals(List.of("x:a,c"), masks("select x.c, (select max(s.b) from t s where s.a = x.a) from t x"));
        assertEquals(List.of("c|m", "x|2"), table("select x.c, (select max(s.b) from t s where s.a = x.a) as m"
                + " from t x"));
        // UPDATE: what SET and WHERE read, and the ctid (PostgreSQL's update.sql plan: t.a, t.ctid)
        exec("create table update_test (a int default 10, b int, c text)");
        assertEquals(List.of("t:a,ctid"), masks("update update_test t set (a, b) = (select b, a from update_test s"
                + " where s.a = t.a) where current_user = session_user").subList(0, 1));
        exec("create index t_a on t (a)", "set enable_seqscan = off");
        assertEquals(List.of("t:a,c"), masks("select c from t where a = 1"));
        exec("set enable_indexscan = off");
        assertTrue(plan("select d from t where a > 0 and a < 3").get(0).startsWith("Bitmap Heap Scan on t"));
        assertEquals(List.of("t:a,d"), masks("select d from t where a > 0 and a < 3"));
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l);
        s.sort(null);
        return s;
    }

    @Test
    void queriesOverPrunedScansGiveTheSameRows() {
        exec("create table t (a int primary key, b int, c text, d numeric)",
                "create table u (a int, e text, f int)",
                "insert into t select g, g % 3, 'c' || g, g * 1.5 from generate_series(1, 20) g",
                "insert into u select g, 'e' || g, g * 10 from generate_series(1, 10) g",
                "create view v as select a, c from t where b = 1");
        assertEquals(List.of("c|e", "c2|e2", "c3|e3"), table("select t.c, u.e from t join u on t.a = u.a"
                + " where t.a between 2 and 3 or t.a = 3 order by 1"));
        assertEquals(List.of("c|x", "c4|40", "c5|50"), table("select c, (select f from u where u.a = t.a) as x"
                + " from t where d between 6 and 8 order by 1"));
        assertEquals(List.of("c|f", "c1|10", "c2|20"), table("select t.c, l.f from t join lateral (select f from u"
                + " where u.a = t.a) l on true where t.a < 3 order by 1"));
        assertEquals(List.of("a|c", "1|c1", "4|c4"), table("select * from v where a < 5 order by a"));
        assertEquals(List.of("a|e|f|b", "1|e1|10|1", "2|e2|20|2"), table("select a, e, f, b from u natural join"
                + " (select a, b from t) s where a < 3 order by a"));
        assertEquals(List.of("a|f|b", "1|10|1", "2|20|2"), table("select a, f, b from u join t using (a)"
                + " where a < 3 order by a"));
        assertEquals(List.of("b|sum", "0|94.5", "1|105.0", "2|115.5"),
                table("select b, sum(d) from t group by b order by b"));
        assertEquals(List.of("c|rank", "c3|1", "c6|2"), table("select c, rank() over (partition by b order by d)"
                + " from t where b = 0 and a < 7 order by c"));
        assertEquals(List.of("x", "(3,0,c3,4.5)"), table("select t as x from t where a = 3"));
        assertEquals(List.of("count", "7"), table("select count(*) from t where b = 1"));
        // a filter in stages (each conjunct's columns deformed just before it): same rows, same short circuit
        assertEquals(List.of("a|c|d", "4|c4|6.0"), table("select a, c, d from t where b = 1"
                + " and c like '%4%' and 12 / b > 0 order by a"));
        assertEquals(List.of("count", "10"), table("select count(*) from t where b <> 0 and 10 / b >= 5"
                + " and d > 10"));
        assertEquals(List.of("a|c", "12|c12", "13|c13", "16|c16", "17|c17", "20|c20"), table("select a, c from t"
                + " where d::int % 2 = 0 and c < 'c8' and a > 6 and c like 'c%' order by a"));
        // a correlated subquery's scan, opened again for every outer row, with a filter in stages
        assertEquals(List.of("a|e", "2|e2", "5|e5", "8|e8"), table("select a, e from u where exists (select 1 from t"
                + " where t.a = u.a and t.b = 2 and t.c like 'c%') order by a"));
        // an index scan and a bitmap scan
        exec("set enable_seqscan = off");
        assertEquals(List.of("c|d", "c5|7.5"), table("select c, d from t where a = 5"));
        exec("set enable_indexscan = off");
        assertEquals(List.of("c", "c5", "c6"), table("select c from t where a >= 5 and a <= 6 order by c"));
    }

    @Test
    void updateKeepsTheColumnsItDoesNotReadIncludingToastedAndDropped() {
        exec("create table w (id int, gone int, keep text, big text, n numeric)",
                "alter table w alter column big set storage external",
                "insert into w select g, g, 'k' || g, repeat(md5(g::text), 400), g / 3.0 from generate_series(1, 5) g",
                "alter table w drop column gone");
        String big3 = table("select md5(big) from w where id = 3").get(1);
        assertEquals(List.of("UPDATE 1"), run("update w set n = 0 where id = 3").stream()
                .filter(e -> e.startsWith("C ")).map(e -> e.substring(2)).toList());
        assertEquals(List.of("id|keep|md5|n", "3|k3|" + big3 + "|0"), table("select id, keep, md5(big), n from w"
                + " where id = 3"));
        assertEquals(List.of("length", "12800"), table("select length(big) from w where id = 3"));
        // UPDATE ... FROM: the target's columns stay, the source's are read
        exec("create table src (id int, v text)", "insert into src values (2, 'two'), (4, 'four')");
        exec("update w set keep = src.v from src where src.id = w.id");
        assertEquals(List.of("id|keep|n|l", "1|k1|0.33333333333333333333|12800", "2|two|0.66666666666666666667|12800",
                "3|k3|0|12800", "4|four|1.3333333333333333|12800", "5|k5|1.6666666666666667|12800"),
                table("select id, keep, n, length(big) as l from w order by id"));
        // DELETE ... RETURNING * sees the whole old row
        assertEquals(List.of("id|keep|l", "5|k5|12800"), table("delete from w where id = 5 returning id, keep,"
                + " length(big) as l"));
        List<String> all = table("delete from w where id = 4 returning *");
        assertEquals(2, all.size());
        assertTrue(all.get(1).startsWith("4|four|"), all.get(1));
        assertEquals(List.of("count", "3"), table("select count(*) from w"));
    }

    @Test
    void triggersSeeTheWholeOldAndNewRows() {
        exec("create table tr (id int, a text, b text)", "insert into tr values (1, 'a1', 'b1')",
                "create function show_u() returns trigger language plpgsql as $$ begin"
                        + " raise notice 'old=% new=%', old, new; return new; end $$",
                "create function show_d() returns trigger language plpgsql as $$ begin"
                        + " raise notice 'old=%', old; return old; end $$",
                "create trigger tr_u before update on tr for each row execute function show_u()",
                "create trigger tr_d before delete on tr for each row execute function show_d()");
        List<String> upd = run("update tr set a = 'a2' where id = 1");
        assertTrue(upd.stream().anyMatch(e -> e.contains("old=(1,a1,b1) new=(1,a2,b1)")), upd.toString());
        List<String> del = run("delete from tr where id = 1");
        assertTrue(del.stream().anyMatch(e -> e.contains("old=(1,a2,b1)")), del.toString());
    }

    @Test
    void rowSecurityPoliciesReadTheirOwnColumns() {
        exec("create table docs (id int, owner text, body text)",
                "insert into docs values (1, 'alice', 'a'), (2, 'bob', 'b')",
                "alter table docs enable row level security",
                "create policy mine on docs using (owner = current_user)",
                "create role alice", "grant select, update on docs to alice", "set role alice");
        assertEquals(List.of("body", "a"), table("select body from docs"));
        exec("update docs set body = 'a2'");
        exec("reset role");
        assertEquals(List.of("id|owner|body", "1|alice|a2", "2|bob|b"), table("select * from docs order by id"));
    }

    @Test
    void partitionedUpdateMovesWholeRows() {
        exec("create table p (k int, id int, payload text) partition by range (k)",
                "create table p1 partition of p for values from (0) to (10)",
                "create table p2 partition of p for values from (10) to (20)",
                "insert into p values (1, 1, 'one'), (2, 2, 'two'), (11, 3, 'three')");
        exec("update p set k = 15 where id = 1");
        assertEquals(List.of("tableoid|k|id|payload", "p1|2|2|two", "p2|11|3|three", "p2|15|1|one"),
                table("select tableoid::regclass, * from p order by id = 1, id"));
        assertEquals(List.of("payload", "three"), table("select payload from p where id = 3"));
        List<String> m = masks("select payload from p where id = 3");
        assertEquals(List.of("p_1:id,payload", "p_2:id,payload"), m);
    }

    @Test
    void selectForUpdateLocksAndReturnsTheReadColumns() {
        exec("create table l (id int, a text, b text)", "insert into l values (1, 'a1', 'b1'), (2, 'a2', 'b2')");
        exec("begin");
        assertEquals(List.of("a", "a2"), table("select a from l where id = 2 for update"));
        exec("commit");
        List<String> m = masks("select a from l where id = 2 for update");
        assertEquals(List.of("l:id,a,ctid"), m);
        assertNotNull(m);
        assertArrayEquals(new Object[] {"l:id,a,ctid"}, m.toArray());
    }
}
