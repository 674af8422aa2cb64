package modgres.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import modgres.api.server.ServerControl;
import modgres.api.sql.ColumnDescriptor;
import modgres.api.sql.Notice;
import modgres.api.sql.ResultSink;
import modgres.api.sql.SessionInfo;
import modgres.api.sql.SqlEngine;
import modgres.api.sql.SqlSession;
import modgres.api.stats.StatsCollector;
import modgres.api.stats.StatsStore;
import modgres.api.stats.TableCounter;
import modgres.api.stats.TableStats;

/**
 * The hot swaps of the design card, inside a running framework, under load:
 * while client sessions run short read-write transactions (TPC-B-like: an
 * account update, a hot-row update, a history insert), the console's
 * {@code modgres:swap} replaces the archive module (shell → basic_archive →
 * gzip_archive → shell), the stats collector (shared_memory → collector →
 * shared_memory) and the autovacuum policy (threshold → hotspot →
 * threshold). Then: no session saw an error; every WAL segment is archived,
 * each in exactly one archive; the statistics never went backwards and count
 * exactly the transactions the clients committed; autovacuum kept working
 * under each policy. The swap times and the longest transaction are printed
 * (lines starting "HOTSWAP"), for docs/benchmarks.md.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT {
    private static final int CLIENTS = 4;
    /** The longest a transaction may take across the swaps (generous: shared CI machines stall). */
    private static final long MAX_TXN_MILLIS = 10_000;

    @Inject
    private BundleContext ctx;

    @Inject
    private ServerControl server;

    @Inject
    private SqlEngine engine;

    @Inject
    private StatsStore store;

    @Configuration
    public Option[] config() {
        Path archives;
        try {
            archives = Files.createTempDirectory("modgres-itest-hotswap-archives-");
            for (String d : new String[] {"shell", "copy", "gzip"}) {
                Files.createDirectory(archives.resolve(d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(archives)));
        System.setProperty("modgres.itest.archives", archives.toString());
        List<Option> o = new ArrayList<>(List.of(Features.options("hotswap", List.of(
                "archive_mode=on",
                "archive_command=cp %p " + archives.resolve("shell") + "/%f",
                "basic_archive.archive_directory=" + archives.resolve("copy"),
                "gzip_archive.archive_directory=" + archives.resolve("gzip"),
                "autovacuum_naptime=1",
                "max_wal_size=1GB"), Features.all().toArray(new String[0]))));
        o.add(org.ops4j.pax.exam.CoreOptions.systemProperty("modgres.itest.archives").value(archives.toString()));
        return o.toArray(new Option[0]);
    }

    /** A result sink that keeps the first column of each row as text. */
    private static final class Rows implements ResultSink {
        final List<String> values = new ArrayList<>();

        @Override
        public void rowDescription(List<ColumnDescriptor> columns) {
        }

        @Override
        public void dataRow(byte[][] v) {
            values.add(v[0] == null ? null : new String(v[0], java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void commandComplete(String tag) {
        }

        @Override
        public void emptyQuery() {
        }

        @Override
        public void notice(Notice notice) {
        }

        @Override
        public InputStream copyIn(boolean binary, short[] columnFormats) {
            return null;
        }

        @Override
        public OutputStream copyOut(boolean binary, short[] columnFormats) {
            return null;
        }
    }

    private SqlSession session() {
        return engine.open(new SessionInfo(modgres.api.server.ProcessIds.next(), "postgres", "postgres", null,
                Map.of()));
    }

    private static List<String> query(SqlSession s, String sql) {
        Rows r = new Rows();
        s.simpleQuery(sql, r);
        return r.values;
    }

    /** Runs {@code modgres:swap slot impl} through the console's command service (as Gogo calls it). */
    private String swap(String slot, String impl) throws Exception {
        ServiceReference<?>[] refs = ctx.getServiceReferences((String) null,
                "(&(osgi.command.scope=modgres)(osgi.command.function=swap))");
        assertTrue("no modgres:swap command", refs != null && refs.length > 0);
        Object commands = ctx.getService(refs[0]);
        try {
            String out = (String) commands.getClass().getMethod("swap", String.class, String.class).invoke(commands,
                    slot, impl);
            System.out.println("HOTSWAP swap " + out);
            return out;
        } catch (InvocationTargetException e) {
            throw new AssertionError("modgres:swap " + slot + " " + impl + " failed: " + e.getCause(), e.getCause());
        } finally {
            ctx.ungetService(refs[0]);
        }
    }

    private StatsCollector collector() {
        ServiceReference<StatsCollector> r = ctx.getServiceReference(StatsCollector.class);
        return r == null ? null : ctx.getService(r);
    }

    @Test
    public void archiverStatsAndAutovacuumAreSwappedUnderLoadWithoutLoss() throws Exception {
        FrameworkChecks.serverReady(server);
        Path archives = Paths.get(System.getProperty("modgres.itest.archives"));
        int accountsOid;
        int hotOid;
        int db;
        try (SqlSession s = session()) {
            query(s, "CREATE TABLE accounts (aid integer PRIMARY KEY, abalance integer NOT NULL)");
            query(s, "INSERT INTO accounts SELECT g, 0 FROM generate_series(1, 1000) g");
            query(s, "CREATE TABLE hot (id integer PRIMARY KEY, n integer NOT NULL)"
                    + " WITH (autovacuum_vacuum_threshold = 50, autovacuum_vacuum_scale_factor = 0)");
            query(s, "INSERT INTO hot SELECT g, 0 FROM generate_series(1, 10) g");
            query(s, "CREATE TABLE history (delta integer NOT NULL)");
            accountsOid = Integer.parseInt(query(s, "SELECT oid FROM pg_class WHERE relname = 'accounts'").get(0));
            hotOid = Integer.parseInt(query(s, "SELECT oid FROM pg_class WHERE relname = 'hot'").get(0));
            db = Integer.parseInt(query(s, "SELECT oid FROM pg_database WHERE datname = 'postgres'").get(0));
        }
        long updatesBefore = counter(db, accountsOid, TableCounter.N_TUP_UPD);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong committed = new AtomicLong();
        AtomicLong maxNanos = new AtomicLong();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Thread t = new Thread(() -> {
                try (SqlSession s = session()) {
                    while (!stop.get()) {
                        int aid = ThreadLocalRandom.current().nextInt(1, 1001);
                        int hot = ThreadLocalRandom.current().nextInt(1, 11);
                        long t0 = System.nanoTime();
                        try {
                            query(s, "BEGIN; UPDATE accounts SET abalance = abalance + 1 WHERE aid = " + aid
                                    + "; UPDATE hot SET n = n + 1 WHERE id = " + hot
                                    + "; INSERT INTO history VALUES (1); COMMIT");
                            committed.incrementAndGet();
                        } catch (RuntimeException e) {
                            errors.add(e.toString());
                            query(s, "ROLLBACK");
                        }
                        maxNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    }
                } catch (RuntimeException e) {
                    errors.add("session: " + e);
                }
            }, "hotswap client " + c);
            t.start();
            clients.add(t);
        }
        // A sampler: the statistics must never go backwards, across every swap.
        List<String> backwards = new ArrayList<>();
        AtomicLong maxDead = new AtomicLong();
        Thread sampler = new Thread(() -> {
            long last = 0;
            while (!stop.get()) {
                long now = counter(db, accountsOid, TableCounter.N_TUP_UPD);
                if (now < last) {
                    backwards.add(last + " -> " + now);
                }
                last = now;
                maxDead.accumulateAndGet(counter(db, hotOid, TableCounter.N_DEAD_TUP), Math::max);
                sleep(5);
            }
        }, "hotswap sampler");
        sampler.start();

        try (SqlSession admin = session()) {
            sleep(1000);
            // the archiver: shell -> basic_archive -> gzip_archive -> shell, a segment through each
            query(admin, "SELECT pg_switch_wal()");
            sleep(500);
            for (String impl : new String[] {"basic_archive", "gzip_archive", "shell"}) {
                swap("archiver", impl);
                sleep(300);
                query(admin, "SELECT pg_switch_wal()");
                sleep(700);
            }
            // the stats collector: shared_memory -> collector -> shared_memory
            swap("stats", "collector");
            sleep(1500);
            swap("stats", "shared_memory");
            sleep(500);
            // autovacuum: threshold -> hotspot -> threshold, each given naptimes to act
            long av0 = counter(db, hotOid, TableCounter.AUTOVACUUM_COUNT);
            sleep(2500);
            long av1 = counter(db, hotOid, TableCounter.AUTOVACUUM_COUNT);
            swap("autovacuum", "hotspot");
            sleep(3500);
            long av2 = counter(db, hotOid, TableCounter.AUTOVACUUM_COUNT);
            swap("autovacuum", "threshold");
            sleep(3500);
            long av3 = counter(db, hotOid, TableCounter.AUTOVACUUM_COUNT);
            System.out.println("HOTSWAP autovacuum counts " + av0 + " " + av1 + " " + av2 + " " + av3);
            assertTrue("autovacuum worked under the threshold policy: " + av0 + " -> " + av1, av1 > av0);
            assertTrue("autovacuum worked under the hotspot policy: " + av1 + " -> " + av2, av2 > av1);
            assertTrue("autovacuum worked after swapping back: " + av2 + " -> " + av3, av3 > av2);

            stop.set(true);
            for (Thread t : clients) {
                t.join(60_000);
            }
            sampler.join(10_000);
            query(admin, "SELECT pg_switch_wal()");
        }

        System.out.println("HOTSWAP committed " + committed.get() + " transactions with " + CLIENTS
                + " clients; longest " + maxNanos.get() / 1_000_000 + " ms; max n_dead_tup of hot "
                + maxDead.get());
        assertTrue("client errors: " + errors, errors.isEmpty());
        assertTrue("transactions ran", committed.get() > 50);
        assertTrue("a transaction took " + maxNanos.get() / 1_000_000 + " ms",
                maxNanos.get() / 1_000_000 < MAX_TXN_MILLIS);
        assertTrue("statistics went backwards: " + backwards, backwards.isEmpty());
        StatsCollector c = collector();
        assertTrue(c != null && c.sync(10_000));
        assertEquals("every committed update is counted once", committed.get(),
                counter(db, accountsOid, TableCounter.N_TUP_UPD) - updatesBefore);
        assertTrue("dead tuples of the hot table stayed bounded: " + maxDead.get() + " of " + committed.get()
                + " updates", maxDead.get() < Math.max(2_000, committed.get() / 2));

        // every completed segment archived, each in exactly one archive
        Path status = Paths.get(server.dataDirectory().toString(), "pg_wal", "archive_status");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (readyCount(status) > 0 && System.nanoTime() < deadline) {
            sleep(100);
        }
        assertEquals("segments still waiting for the archiver", 0, readyCount(status));
        List<String> done;
        try (Stream<Path> files = Files.list(status)) {
            done = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".done"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        }
        assertTrue("segments were archived: " + done, done.size() >= 5);
        for (String seg : done) {
            int copies = (Files.exists(archives.resolve("shell").resolve(seg)) ? 1 : 0)
                    + (Files.exists(archives.resolve("copy").resolve(seg)) ? 1 : 0)
                    + (Files.exists(archives.resolve("gzip").resolve(seg + ".gz")) ? 1 : 0);
            assertEquals("segment " + seg + " archived exactly once", 1, copies);
        }
        for (String d : new String[] {"shell", "copy", "gzip"}) {
            try (Stream<Path> files = Files.list(archives.resolve(d))) {
                assertTrue("the " + d + " archive received a segment", files.findAny().isPresent());
            }
        }
    }

    private long counter(int db, int rel, TableCounter c) {
        TableStats t = store.table(db, rel);
        return t == null ? 0 : t.get(c);
    }

    private static long readyCount(Path status) {
        try (Stream<Path> files = Files.list(status)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ready")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // already gone
        }
    }
}
