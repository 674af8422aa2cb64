package modgres.launcher;

import static modgres.launcher.ServerRunner.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tables end to end through pgjdbc against the launched server: DDL, DML,
 * queries, constraints and their errors, transactions and MVCC between two
 * connections, COPY through psql, persistence across a restart. Each test
 * works in its own tables.
 */
class SqlIT {
    private static Path dir;
    private static ServerRunner server;

    @BeforeAll
    static void start() throws Exception {
        dir = ServerRunner.tempDir("modgres-sql", false);
        server = ServerRunner.start(dir.resolve("data"), false);
        server.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        ServerRunner.deleteTree(dir);
    }

    static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port + "/postgres", p);
    }

    private static String state(SQLException e) {
        return e.getSQLState();
    }

    @Test
    void createInsertSelectUpdateDelete() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2) "
                    + "DEFAULT 9.99, CHECK (price >= 0))");
            assertEquals(3, st.executeUpdate("INSERT INTO items VALUES (1, 'apple', 1.5), (2, 'pear', 2), "
                    + "(3, 'plum', DEFAULT)"));
            assertEquals(List.of("1|apple|1.50", "2|pear|2.00", "3|plum|9.99"),
                    rows(st, "SELECT * FROM items ORDER BY id"));
            assertEquals(1, st.executeUpdate("UPDATE items SET price = price * 2 WHERE name = 'pear'"));
            assertEquals(List.of("4.00"), rows(st, "SELECT price FROM items WHERE id = 2"));
            assertEquals(1, st.executeUpdate("DELETE FROM items WHERE id = 1"));
            assertEquals(List.of("2|13.99"), rows(st, "SELECT count(*), sum(price) FROM items"));
            SQLException dup = assertThrows(SQLException.class, () -> st.execute("INSERT INTO items VALUES (2, 'x')"));
            assertEquals("23505", state(dup));
            assertTrue(dup.getMessage().contains("duplicate key value violates unique constraint \"items_pkey\""),
                    dup.getMessage());
            assertEquals("23502", state(assertThrows(SQLException.class,
                    () -> st.execute("INSERT INTO items (id) VALUES (9)"))));
            assertEquals("23514", state(assertThrows(SQLException.class,
                    () -> st.execute("INSERT INTO items VALUES (9, 'neg', -1)"))));
            assertEquals("42P01", state(assertThrows(SQLException.class, () -> st.execute("SELECT * FROM nope"))));
            assertEquals("42703", state(assertThrows(SQLException.class,
                    () -> st.execute("SELECT nope FROM items"))));
            st.execute("DROP TABLE items");
            assertEquals("42P01", state(assertThrows(SQLException.class, () -> st.execute("SELECT * FROM items"))));
        }
    }

    @Test
    void joinsAggregatesAndIndexes() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE dept (id int PRIMARY KEY, name text)");
            st.execute("CREATE TABLE emp (id int PRIMARY KEY, dept int, salary int)");
            st.execute("INSERT INTO dept VALUES (1, 'eng'), (2, 'ops'), (3, 'empty')");
            st.execute("INSERT INTO emp SELECT g, g % 2 + 1, g * 100 FROM generate_series(1, 200) g");
            st.execute("CREATE INDEX emp_dept ON emp (dept)");
            assertEquals(List.of("eng|100|1010000", "ops|100|1000000"), rows(st,
                    "SELECT d.name, count(*), sum(e.salary) FROM dept d JOIN emp e ON e.dept = d.id "
                            + "GROUP BY d.name ORDER BY d.name"));
            assertEquals(List.of("empty|0"), rows(st, "SELECT d.name, count(e.id) FROM dept d LEFT JOIN emp e "
                    + "ON e.dept = d.id GROUP BY d.name HAVING count(e.id) = 0"));
            List<String> plan = rows(st, "EXPLAIN SELECT * FROM emp WHERE id = 42");
            assertTrue(plan.get(0).startsWith("Index Scan using emp_pkey on emp"), plan.toString());
            assertEquals(List.of("42|1|4200"), rows(st, "SELECT * FROM emp WHERE id = 42"));
            assertEquals(List.of("3"), rows(st, "SELECT count(*) FROM emp WHERE id BETWEEN 10 AND 12"));
            assertEquals(List.of("ops"), rows(st, "SELECT name FROM dept WHERE id IN (SELECT dept FROM emp "
                    + "WHERE salary = 100)"));
            try (PreparedStatement ps = c.prepareStatement("SELECT salary FROM emp WHERE id = ?")) {
                for (int i = 1; i <= 10; i++) {
                    ps.setInt(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals(i * 100, rs.getInt(1));
                    }
                }
            }
            st.execute("DROP TABLE emp");
            st.execute("DROP TABLE dept");
        }
    }

    @Test
    void anIndexOnAFilledTableIsBuiltBottomUpAndChecksUniqueness() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE big (id int, k int, v text)");
            st.execute("INSERT INTO big SELECT g, g % 1000, 'v' || g FROM generate_series(1, 30000) g");
            st.execute("DELETE FROM big WHERE id % 10 = 0");
            st.execute("ALTER TABLE big ADD PRIMARY KEY (id)");
            st.execute("CREATE INDEX big_k ON big (k)");
            assertEquals(List.of("27000"), rows(st, "SELECT count(*) FROM big"));
            assertEquals(List.of("12345|345|v12345"), rows(st, "SELECT * FROM big WHERE id = 12345"));
            assertEquals(List.of(), rows(st, "SELECT * FROM big WHERE id = 12340"));
            assertEquals(List.of("30"), rows(st, "SELECT count(*) FROM big WHERE k = 7"));
            assertEquals(List.of("101", "102", "103"), rows(st,
                    "SELECT id FROM big WHERE id BETWEEN 100 AND 103 ORDER BY id"));
            List<String> plan = rows(st, "EXPLAIN SELECT * FROM big WHERE id = 12345");
            assertTrue(plan.get(0).startsWith("Index Scan using big_pkey on big"), plan.toString());
            // inserts after the build go through the built pages (and split them)
            st.execute("INSERT INTO big SELECT g, 1, 'new' FROM generate_series(30001, 40000) g");
            assertEquals(List.of("10000"), rows(st, "SELECT count(*) FROM big WHERE v = 'new' AND id > 30000"));
            SQLException dup = assertThrows(SQLException.class, () -> st.execute("INSERT INTO big VALUES (5, 0, 'x')"));
            assertEquals("23505", state(dup));
            st.execute("CREATE TABLE twice (a int)");
            st.execute("INSERT INTO twice VALUES (1), (2), (1), (NULL), (NULL)");
            SQLException e = assertThrows(SQLException.class,
                    () -> st.execute("CREATE UNIQUE INDEX twice_a ON twice (a)"));
            assertEquals("23505", state(e));
            assertTrue(e.getMessage().contains("could not create unique index \"twice_a\""), e.getMessage());
            assertTrue(e.getMessage().contains("Key (a)=(1) is duplicated."), e.getMessage());
            st.execute("DROP TABLE twice");
            st.execute("DROP TABLE big");
        }
    }

    @Test
    void pgbenchsPartitionProbeAndLateralSubqueriesAreAnswered() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE probe_accounts (aid int)");
            // what pgbench 15 asks before a run (GetTableInfo), answered as PostgreSQL 15 answers it
            assertEquals(List.of("2|null|0"), rows(st, "select o.n, p.partstrat, pg_catalog.count(i.inhparent) "
                    + "from pg_catalog.pg_class as c join pg_catalog.pg_namespace as n on (n.oid = c.relnamespace) "
                    + "cross join lateral (select pg_catalog.array_position(pg_catalog.current_schemas(true), "
                    + "n.nspname)) as o(n) left join pg_catalog.pg_partitioned_table as p on (p.partrelid = c.oid) "
                    + "left join pg_catalog.pg_inherits as i on (c.oid = i.inhparent) "
                    + "where c.relname = 'probe_accounts' and o.n is not null group by 1, 2 order by 1 asc limit 1"));
            assertEquals(List.of("{pg_catalog,public}|{public}"),
                    rows(st, "SELECT current_schemas(true), current_schemas(false)"));
            assertEquals(List.of("1|10", "2|20"), rows(st,
                    "SELECT * FROM (VALUES (1), (2)) x(a) CROSS JOIN LATERAL (SELECT x.a * 10) y(b)"));
            assertEquals(List.of("1|null", "2|20"), rows(st, "SELECT * FROM (VALUES (1), (2)) x(a) "
                    + "LEFT JOIN LATERAL (SELECT x.a * 10 WHERE x.a > 1) y(b) ON true"));
            st.execute("DROP TABLE probe_accounts");
        }
    }

    @Test
    void transactionsAreIsolatedAndAtomic() throws Exception {
        try (Connection a = connect(); Connection b = connect(); Statement sa = a.createStatement();
                Statement sb = b.createStatement()) {
            sa.execute("CREATE TABLE acct (id int PRIMARY KEY, bal int)");
            sa.execute("INSERT INTO acct VALUES (1, 100), (2, 100)");
            a.setAutoCommit(false);
            sa.execute("UPDATE acct SET bal = bal - 30 WHERE id = 1");
            sa.execute("UPDATE acct SET bal = bal + 30 WHERE id = 2");
            // b does not see a's uncommitted changes (no dirty read)
            assertEquals(List.of("1|100", "2|100"), rows(sb, "SELECT * FROM acct ORDER BY id"));
            a.rollback();
            assertEquals(List.of("1|100", "2|100"), rows(sa, "SELECT * FROM acct ORDER BY id"));
            sa.execute("UPDATE acct SET bal = bal - 30 WHERE id = 1");
            a.commit();
            assertEquals(List.of("1|70"), rows(sb, "SELECT * FROM acct WHERE id = 1"));
            // a concurrent update waits for the first and then applies to the new version (no lost update)
            sa.execute("UPDATE acct SET bal = bal + 1 WHERE id = 2");
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    started.countDown();
                    sb.execute("UPDATE acct SET bal = bal + 10 WHERE id = 2");
                } catch (Exception e) {
                    failure.set(e);
                }
            });
            t.start();
            started.await();
            Thread.sleep(300);
            assertTrue(t.isAlive(), "the second update waits for the first transaction");
            a.commit();
            t.join(10_000);
            assertFalse(t.isAlive());
            if (failure.get() != null) {
                throw failure.get();
            }
            assertEquals(List.of("2|111"), rows(sb, "SELECT * FROM acct WHERE id = 2"));
            // REPEATABLE READ: a concurrent update is a serialization failure
            b.setAutoCommit(false);
            sb.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            assertEquals(List.of("111"), rows(sb, "SELECT bal FROM acct WHERE id = 2"));
            sa.execute("UPDATE acct SET bal = 0 WHERE id = 2");
            a.commit();
            assertEquals(List.of("111"), rows(sb, "SELECT bal FROM acct WHERE id = 2"));
            SQLException e = assertThrows(SQLException.class,
                    () -> sb.execute("UPDATE acct SET bal = 1 WHERE id = 2"));
            assertEquals("40001", state(e));
            b.rollback();
            a.setAutoCommit(true);
            b.setAutoCommit(true);
            sa.execute("DROP TABLE acct");
        }
    }

    @Test
    void savepointsRollBackPartOfATransaction() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE sp (v int)");
            c.setAutoCommit(false);
            st.execute("INSERT INTO sp VALUES (1)");
            st.execute("SAVEPOINT s1");
            st.execute("INSERT INTO sp VALUES (2)");
            st.execute("ROLLBACK TO SAVEPOINT s1");
            st.execute("INSERT INTO sp VALUES (3)");
            c.commit();
            c.setAutoCommit(true);
            assertEquals(List.of("1", "3"), rows(st, "SELECT v FROM sp ORDER BY v"));
            st.execute("DROP TABLE sp");
        }
    }

    @Test
    void copyThroughPsql() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE cp (a int, b text)");
        }
        ServerRunner.Result in = ServerRunner.run("bash", "-c", "printf '1\\tone\\n2\\t\\\\N\\n' | psql -X -h 127.0.0.1 -p "
                + server.port + " -U postgres -d postgres -c 'COPY cp FROM STDIN'");
        assertEquals(0, in.status(), in.output());
        assertTrue(in.output().contains("COPY 2"), in.output());
        ServerRunner.Result out = ServerRunner.run("psql", "-X", "-h", "127.0.0.1", "-p",
                Integer.toString(server.port), "-U", "postgres", "-d", "postgres", "-c",
                "COPY (SELECT * FROM cp ORDER BY a) TO STDOUT WITH (FORMAT csv, HEADER)");
        assertEquals("a,b\n1,one\n2,\n", out.output());
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE cp");
        }
    }

    /** A bad row in the middle of a COPY batch: PostgreSQL's error with its CONTEXT line, nothing kept. */
    @Test
    void copyErrorNamesTheLineAndKeepsNothing() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE cpe (a int PRIMARY KEY, b text)");
        }
        ServerRunner.Result in = ServerRunner.run("bash", "-c", "(seq 1 1500 | sed 's/$/\\tx/'; echo '7\tdup')"
                + " | psql -X -h 127.0.0.1 -p " + server.port + " -U postgres -d postgres -c 'COPY cpe FROM STDIN'");
        assertTrue(in.output().contains("ERROR:  duplicate key value violates unique constraint \"cpe_pkey\"\n"
                + "DETAIL:  Key (a)=(7) already exists.\nCONTEXT:  COPY cpe, line 1501\n"), in.output());
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertEquals(List.of("0"), rows(st, "SELECT count(*) FROM cpe"));
            st.execute("DROP TABLE cpe");
        }
    }

    @Test
    void dataSurvivesARestart() throws Exception {
        Path d2 = ServerRunner.tempDir("modgres-restart", false);
        try {
            int port = ServerRunner.freePort();
            try (ServerRunner s = ServerRunner.start(d2.resolve("data"), port, false, true)) {
                s.awaitReady();
                Properties p = new Properties();
                p.setProperty("user", "postgres");
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                        p); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE keep (id int PRIMARY KEY, v text)");
                    st.execute("INSERT INTO keep SELECT g, 'v' || g FROM generate_series(1, 5000) g");
                }
            }
            try (ServerRunner s = ServerRunner.start(d2.resolve("data"), port, false, true)) {
                s.awaitReady();
                Properties p = new Properties();
                p.setProperty("user", "postgres");
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                        p); Statement st = c.createStatement()) {
                    assertEquals(List.of("5000|12502500"), rows(st, "SELECT count(*), sum(id) FROM keep"));
                    assertEquals(List.of("v4321"), rows(st, "SELECT v FROM keep WHERE id = 4321"));
                }
            }
        } finally {
            ServerRunner.deleteTree(d2);
        }
    }

    @Test
    void aClientThatDisappearsReleasesItsLocks() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE gone (id int PRIMARY KEY, v int)");
            st.execute("INSERT INTO gone VALUES (1, 0)");
        }
        Connection a = connect();
        a.setAutoCommit(false);
        try (Statement sa = a.createStatement()) {
            sa.execute("UPDATE gone SET v = 1 WHERE id = 1");
        }
        // the client vanishes without Terminate or ROLLBACK: the socket is simply closed
        a.abort(Runnable::run);
        try (Connection b = connect(); Statement sb = b.createStatement()) {
            sb.execute("SET lock_timeout = '10s'");
            assertEquals(1, sb.executeUpdate("UPDATE gone SET v = 2 WHERE id = 1"));
            assertEquals(List.of("2"), rows(sb, "SELECT v FROM gone"));
            sb.execute("DROP TABLE gone");
        }
    }

    @Test
    void pgStatActivityShowsEveryBackend() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("ApplicationName", "probe");
        try (Connection probe = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port
                + "/postgres", p); Statement ps = probe.createStatement(); Connection c = connect();
                Statement st = c.createStatement()) {
            ps.execute("SELECT 42");
            List<String> r = rows(st, "SELECT datname, usename, application_name, state, query, client_port > 0 "
                    + "FROM pg_stat_activity WHERE application_name = 'probe'");
            assertEquals(List.of("postgres|postgres|probe|idle|SELECT 42|t"), r);
            List<String> self = rows(st, "SELECT state, backend_start <= now(), query_start <= clock_timestamp() "
                    + "FROM pg_stat_activity WHERE pid = pg_backend_pid()");
            assertEquals(List.of("active|t|t"), self);
        }
    }

    static void await(CountDownLatch l) throws InterruptedException {
        l.await(10, TimeUnit.SECONDS);
    }
}
