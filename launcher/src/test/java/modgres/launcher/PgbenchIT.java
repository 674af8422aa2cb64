package modgres.launcher;

import static modgres.launcher.ServerRunner.connect;
import static modgres.launcher.ServerRunner.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Debian's pgbench 15, unmodified, against the real server (issue 9): both
 * initialisations (client-side COPY and server-side generate_series), the
 * built-in scripts in each query mode, 1 to 64 clients with threads, a custom
 * script with \set and the random functions, progress reports, and retries of
 * serialization failures with --max-tries. After every run that writes, the
 * TPC-B invariant: the accounts', tellers' and branches' balances and the
 * history's deltas sum to the same number.
 */
class PgbenchIT {
    static final String PGBENCH = "/usr/lib/postgresql/15/bin/pgbench";

    private static ServerRunner.Result pgbench(int port, String env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (env != null) {
            cmd.addAll(List.of("env", env));
        }
        cmd.addAll(List.of(PGBENCH, "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres"));
        cmd.addAll(List.of(args));
        cmd.add("postgres");
        ServerRunner.Result r = ServerRunner.run(cmd.toArray(String[]::new));
        assertEquals(0, r.status(), "pgbench " + String.join(" ", args) + ":\n" + r.output());
        return r;
    }

    private static long number(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        assertTrue(m.find(), "no /" + regex + "/ in:\n" + output);
        return Long.parseLong(m.group(1));
    }

    /**
     * Runs a workload and checks pgbench's own report: every transaction done, none failed. With -n: pgbench
     * otherwise vacuums and TRUNCATEs pgbench_history before each run, and the invariant is over all runs.
     */
    private static String run(int port, String env, long expected, String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "-n";
        System.arraycopy(args, 0, all, 1, args.length);
        String out = pgbench(port, env, all).output();
        if (expected > 0) {
            assertEquals(expected, number(out, "number of transactions actually processed: (\\d+)"), out);
        }
        assertEquals(0, number(out, "number of failed transactions: (\\d+)"), out);
        return out;
    }

    private static void assertInvariant(Statement st) throws Exception {
        long accounts = scalar(st, "SELECT sum(abalance) FROM pgbench_accounts");
        long tellers = scalar(st, "SELECT sum(tbalance) FROM pgbench_tellers");
        long branches = scalar(st, "SELECT sum(bbalance) FROM pgbench_branches");
        long history = scalar(st, "SELECT coalesce(sum(delta), 0) FROM pgbench_history");
        assertEquals(List.of(history, history, history), List.of(accounts, tellers, branches),
                "TPC-B invariant: accounts, tellers, branches vs history");
    }

    /** After simple-update runs (accounts and history only): accounts = history, tellers = branches. */
    private static void assertAccountsMatchHistory(Statement st) throws Exception {
        assertEquals(scalar(st, "SELECT coalesce(sum(delta), 0) FROM pgbench_history"),
                scalar(st, "SELECT sum(abalance) FROM pgbench_accounts"), "accounts vs history");
        assertEquals(scalar(st, "SELECT sum(bbalance) FROM pgbench_branches"),
                scalar(st, "SELECT sum(tbalance) FROM pgbench_tellers"), "tellers vs branches");
    }

    @Test
    void pgbenchRunsUnmodified() throws Exception {
        assertTrue(Files.isExecutable(Path.of(PGBENCH)), "needs Debian's postgresql-15 (pgbench)");
        Path dir = ServerRunner.tempDir("modgres-pgbench", false);
        int port = ServerRunner.freePort();
        try (ServerRunner s = ServerRunner.start(dir.resolve("data"), port, false, true, "-c",
                "max_connections=100")) {
            s.awaitReady();
            try (Connection c = connect(port); Statement st = c.createStatement()) {
                // server-side generation (dtGvp), then the default steps (dtgvp: COPY FROM STDIN with FREEZE)
                String init = pgbench(port, null, "-i", "-s", "1", "-I", "dtGvp").output();
                assertTrue(init.contains("server-side generate"), init);
                assertEquals(100_000, scalar(st, "SELECT count(*) FROM pgbench_accounts"));
                init = pgbench(port, null, "-i", "-s", "2").output();
                assertTrue(init.contains("client-side generate"), init);
                assertEquals(200_000, scalar(st, "SELECT count(*) FROM pgbench_accounts"));
                assertEquals(20, scalar(st, "SELECT count(*) FROM pgbench_tellers"));
                assertEquals(2, scalar(st, "SELECT count(*) FROM pgbench_branches"));
                assertEquals(3, scalar(st, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                        + " WHERE c.relname LIKE 'pgbench%' AND i.indisprimary"));
                assertEquals(1, scalar(st, "SELECT count(*) FROM pg_class WHERE relname = 'pgbench_accounts'"
                        + " AND reloptions::text LIKE '%fillfactor=100%'"));
                assertInvariant(st);

                // once as pgbench runs by default: VACUUM of the branches and tellers, TRUNCATE of the history
                String first = pgbench(port, null, "-b", "tpcb-like", "-c", "2", "-t", "20").output();
                assertEquals(40, number(first, "number of transactions actually processed: (\\d+)"), first);
                assertInvariant(st);
                for (String mode : List.of("simple", "extended", "prepared")) {
                    run(port, null, 4 * 40, "-b", "tpcb-like", "-M", mode, "-c", "4", "-j", "2", "-t", "40");
                    assertInvariant(st);
                    run(port, null, 4 * 40, "-b", "select-only", "-M", mode, "-c", "4", "-j", "2", "-t", "40");
                }
                // many clients and threads, by count and by time, with progress reports
                run(port, null, 64 * 5, "-b", "tpcb-like", "-M", "prepared", "-c", "64", "-j", "4", "-t", "5");
                assertInvariant(st);
                for (String mode : List.of("simple", "extended", "prepared")) {
                    run(port, null, 4 * 40, "-b", "simple-update", "-M", mode, "-c", "4", "-j", "2", "-t", "40");
                    assertAccountsMatchHistory(st);
                }
                String timed = run(port, null, 0, "-S", "-M", "prepared", "-c", "64", "-j", "4", "-T", "3", "-P",
                        "1");
                // a progress line per second (pgbench prints the elapsed time it measured: 1.0 s, or 1.1 s on
                // a loaded machine)
                assertTrue(java.util.regex.Pattern.compile("progress: 1\\.\\d s").matcher(timed).find(), timed);
                assertTrue(number(timed, "number of transactions actually processed: (\\d+)") > 64, timed);

                // a custom script: \set with pgbench's random functions and arithmetic, and \sleep
                Path script = dir.resolve("custom.sql");
                Files.writeString(script, """
                        \\set aid random(1, 100000 * :scale)
                        \\set bid random_exponential(1, 1 * :scale, 2.5)
                        \\set tid random_gaussian(1, 10 * :scale, 3.0)
                        \\set z random_zipfian(1, 1000, 1.07)
                        \\set delta (:z % 11) - 5
                        BEGIN;
                        UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
                        UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
                        UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
                        INSERT INTO pgbench_history (tid, bid, aid, delta, mtime)
                            VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);
                        \\sleep 1 ms
                        END;
                        """);
                run(port, null, 4 * 25, "-f", script.toString(), "-c", "4", "-j", "2", "-t", "25");
                assertAccountsMatchHistory(st);

                // REPEATABLE READ on one branch: concurrent updates of the same rows fail with 40001 and
                // pgbench retries them (--max-tries): every transaction ends committed, none lost
                pgbench(port, null, "-i", "-s", "1");
                String retried = run(port, "PGOPTIONS=-c default_transaction_isolation=repeatable\\ read", 0,
                        "-b", "tpcb-like", "-M", "prepared", "-c", "8", "-j", "2", "-T", "4", "--max-tries=1000");
                assertTrue(number(retried, "number of transactions retried: (\\d+)") > 0, retried);
                assertInvariant(st);
                assertEquals(scalar(st, "SELECT count(*) FROM pgbench_history"),
                        number(retried, "number of transactions actually processed: (\\d+)"),
                        "one history row per committed transaction");
            }
        } finally {
            ServerRunner.deleteTree(dir);
        }
    }
}
