package modgres.autovacuum;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import modgres.api.access.VacuumStats;
import modgres.api.autovacuum.AutovacuumPolicy;
import modgres.api.autovacuum.Candidate;
import modgres.api.autovacuum.Maintenance;
import modgres.api.autovacuum.TableInfo;
import modgres.api.autovacuum.Task;
import modgres.api.autovacuum.VacuumDelay;
import modgres.api.settings.Settings;
import modgres.api.stats.ArchiverStats;
import modgres.api.stats.BgWriterStats;
import modgres.api.stats.DatabaseStats;
import modgres.api.stats.PendingStats;
import modgres.api.stats.StatsStore;
import modgres.api.stats.TableCounter;
import modgres.api.stats.TableStats;
import modgres.api.stats.WalActivity;

/** Fakes for the services the launcher uses. */
final class Fakes {
    private Fakes() {
    }

    static TableInfo table(int db, String dbName, int rel, String name) {
        return new TableInfo(db, dbName, rel, "public", name, 1000, 10, Map.of());
    }

    static TableStats stats(int db, int rel, long deadTuples) {
        long[] c = new long[TableCounter.COUNT];
        c[TableCounter.N_DEAD_TUP.ordinal()] = deadTuples;
        return new TableStats(db, rel, c, 0, 0, 0, 0);
    }

    static Maintenance.Result result(long elapsedNanos) {
        return new Maintenance.Result(new VacuumStats(10, 100, 900, 3, 0, 1), true, 9, 900, 3, 1, elapsedNanos);
    }

    /** One call of Maintenance.run. */
    record Call(TableInfo table, boolean vacuum, boolean analyze, boolean freeze, String thread) {
    }

    /** What a run does (default: returns a result at once). */
    interface Body {
        Maintenance.Result run(TableInfo table, boolean vacuum, boolean analyze, boolean freeze, VacuumDelay delay)
                throws Exception;
    }

    /** A Maintenance with fixed databases and tables that records its runs and their concurrency. */
    static final class FakeMaintenance implements Maintenance {
        final List<Database> databases = new CopyOnWriteArrayList<>();
        final Map<Integer, List<TableInfo>> tables = new ConcurrentHashMap<>();
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final Set<Integer> busyRels = ConcurrentHashMap.newKeySet();
        final AtomicInteger overlaps = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final List<Long> databaseCalls = new CopyOnWriteArrayList<>();
        volatile Body body = (t, v, a, f, d) -> result(1_000_000);

        FakeMaintenance database(int oid, String name, boolean allow, TableInfo... ts) {
            databases.add(new Database(oid, name, allow));
            tables.put(oid, new ArrayList<>(List.of(ts)));
            return this;
        }

        @Override
        public List<Database> databases() {
            databaseCalls.add(System.nanoTime());
            return databases;
        }

        @Override
        public List<TableInfo> tables(int db) {
            return tables.getOrDefault(db, List.of());
        }

        @Override
        public Result run(TableInfo table, boolean vacuum, boolean analyze, boolean freeze, VacuumDelay delay) {
            calls.add(new Call(table, vacuum, analyze, freeze, Thread.currentThread().getName()));
            int n = running.incrementAndGet();
            maxRunning.accumulateAndGet(n, Math::max);
            if (!busyRels.add(table.rel())) {
                overlaps.incrementAndGet();
            }
            try {
                return body.run(table, vacuum, analyze, freeze, delay);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                busyRels.remove(table.rel());
                running.decrementAndGet();
                finished.incrementAndGet();
            }
        }
    }

    /** A StatsStore with table statistics only. */
    static final class FakeStore implements StatsStore {
        final Map<Long, TableStats> tables = new ConcurrentHashMap<>();

        void put(TableStats s) {
            tables.put(((long) s.db() << 32) | s.rel(), s);
        }

        @Override
        public TableStats table(int db, int rel) {
            return tables.get(((long) db << 32) | rel);
        }

        @Override
        public List<TableStats> tables(int db) {
            List<TableStats> out = new ArrayList<>();
            for (TableStats s : tables.values()) {
                if (s.db() == db) {
                    out.add(s);
                }
            }
            return out;
        }

        @Override
        public void apply(PendingStats stats) {
        }

        @Override
        public DatabaseStats database(int db) {
            return null;
        }

        @Override
        public BgWriterStats bgwriter() {
            return null;
        }

        @Override
        public WalActivity wal() {
            return null;
        }

        @Override
        public ArchiverStats archiver() {
            return null;
        }

        @Override
        public void resetDatabase(int db) {
        }

        @Override
        public void resetTable(int db, int rel) {
        }

        @Override
        public void resetShared(String target) {
        }
    }

    /**
     * A policy that vacuums (and maybe analyzes) every table with at least
     * {@code minDead} dead tuples, most dead first, and counts its calls.
     */
    static final class FakePolicy implements AutovacuumPolicy {
        final String name;
        final boolean analyze;
        final long minDead;
        final AtomicInteger calls = new AtomicInteger();
        volatile BooleanSupplier enabled = () -> true;

        FakePolicy(String name, boolean analyze, long minDead) {
            this.name = name;
            this.analyze = analyze;
            this.minDead = minDead;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<Task> choose(List<Candidate> tables, Settings settings) {
            calls.incrementAndGet();
            List<Task> out = new ArrayList<>();
            if (!enabled.getAsBoolean()) {
                return out;
            }
            for (Candidate c : tables) {
                if (c.stats() != null && c.stats().get(TableCounter.N_DEAD_TUP) >= minDead) {
                    out.add(new Task(c.table(), true, analyze, false, name + " says so"));
                }
            }
            out.sort((a, b) -> Integer.compare(a.table().rel(), b.table().rel()));
            return out;
        }
    }

    /** Waits up to 5 s for a condition. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }
}
