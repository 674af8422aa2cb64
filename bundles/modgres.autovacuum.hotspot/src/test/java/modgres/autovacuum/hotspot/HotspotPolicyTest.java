package modgres.autovacuum.hotspot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import modgres.api.autovacuum.AutovacuumPolicy;
import modgres.api.autovacuum.Candidate;
import modgres.api.autovacuum.TableInfo;
import modgres.api.autovacuum.Task;
import modgres.api.stats.TableCounter;
import modgres.api.stats.TableStats;
import modgres.autovacuum.threshold.ThresholdPolicy;

class HotspotPolicyTest {
    final FakeSettings settings = new FakeSettings(); // PostgreSQL 15's defaults
    final HotspotPolicy policy = new HotspotPolicy();

    static TableInfo table(int rel, String name, double reltuples, long relpages, Map<String, String> opts) {
        return new TableInfo(5, "postgres", rel, "public", name, reltuples, relpages, opts);
    }

    static TableStats stats(int rel, long dead, long inserted, long changed) {
        long[] c = new long[TableCounter.COUNT];
        c[TableCounter.N_DEAD_TUP.ordinal()] = dead;
        c[TableCounter.N_INS_SINCE_VACUUM.ordinal()] = inserted;
        c[TableCounter.N_MOD_SINCE_ANALYZE.ordinal()] = changed;
        return new TableStats(5, rel, c, 0, 0, 0, 0);
    }

    static Candidate cand(TableInfo t, long dead, long inserted, long changed) {
        return new Candidate(t, stats(t.rel(), dead, inserted, changed));
    }

    Task one(AutovacuumPolicy p, TableInfo t, long dead, long inserted, long changed) {
        List<Task> tasks = p.choose(List.of(cand(t, dead, inserted, changed)), settings);
        return tasks.isEmpty() ? null : tasks.get(0);
    }

    Task one(TableInfo t, long dead, long inserted, long changed) {
        return one(policy, t, dead, inserted, changed);
    }

    // pgbench at scale 1: 1 branch, 10 tellers on one page each; 100 000 accounts on 1640 pages
    final TableInfo branches = table(1, "pgbench_branches", 1, 1, Map.of());
    final TableInfo tellers = table(2, "pgbench_tellers", 10, 1, Map.of());
    final TableInfo accounts = table(3, "pgbench_accounts", 100_000, 1640, Map.of());

    @Test
    void itIsCalledHotspot() {
        assertEquals("hotspot", policy.name());
    }

    @Test
    void aSmallTableIsVacuumedWhenItsDeadTuplesPerPageExceedTheBound() {
        // 30 dead tuples on branches' one page: 30 > 20 per page; PostgreSQL waits for 50 + 0.2 * 1 = 50.2
        Task t = one(branches, 30, 0, 0);
        assertTrue(t.vacuum());
        assertEquals("30 dead tuples per page > 20", t.reason());
        assertNull(one(new ThresholdPolicy(), branches, 30, 0, 0), "PostgreSQL's rule leaves it alone");
        // exactly 20 per page is not over the bound (2 pages, 40 dead; 40 < 50)
        TableInfo two = table(4, "two", 0, 2, Map.of());
        assertNull(one(two, 40, 0, 0));
        assertTrue(one(two, 41, 0, 0).vacuum(), "20.5 per page");
        // relpages 0 (never vacuumed) counts as one page
        TableInfo fresh = table(5, "fresh", -1, 0, Map.of());
        assertTrue(one(fresh, 21, 0, 0).vacuum());
    }

    @Test
    void aMidSizedTableIsVacuumedAtFivePercentDeadInsteadOfTwenty() {
        // 5 % of 100 000 = 5 000 (PostgreSQL: 50 + 20 % = 20 050); density 3 per page, under the bound
        assertNull(one(accounts, 5_000, 0, 0));
        Task t = one(accounts, 5_001, 0, 0);
        assertTrue(t.vacuum());
        assertEquals("n_dead_tup 5001 > 5000", t.reason());
        assertNull(one(new ThresholdPolicy(), accounts, 5_001, 0, 0));
        assertTrue(one(new ThresholdPolicy(), accounts, 20_051, 0, 0).vacuum());
    }

    @Test
    void autovacuumVacuumThresholdIsTheFloor() {
        // 100 tuples spread over 100 pages: 5 % is 5, the floor 50 wins; density 0.51 per page
        TableInfo sparse = table(6, "sparse", 100, 100, Map.of());
        assertNull(one(sparse, 50, 0, 0));
        assertTrue(one(sparse, 51, 0, 0).vacuum());
        settings.set("autovacuum_vacuum_threshold", "80");
        assertNull(one(sparse, 79, 0, 0));
        TableInfo own = table(6, "sparse", 100, 100, Map.of("autovacuum_vacuum_threshold", "10"));
        assertTrue(one(own, 11, 0, 0).vacuum(), "the table's own threshold");
    }

    @Test
    void theCustomSettingsChangeTheFractionAndTheBound() {
        settings.set(HotspotPolicy.SCALE_SETTING, "0.5").set(HotspotPolicy.DENSITY_SETTING, "100");
        assertNull(one(accounts, 49_999, 0, 0));
        assertTrue(one(accounts, 50_001, 0, 0).vacuum());
        TableInfo dense = table(7, "dense", 10_000, 10, Map.of()); // count threshold 5 000
        assertNull(one(dense, 999, 0, 0), "99.9 per page");
        assertTrue(one(dense, 1_001, 0, 0).vacuum(), "100.1 per page");
        settings.set(HotspotPolicy.SCALE_SETTING, "lots").set(HotspotPolicy.DENSITY_SETTING, "-1");
        assertTrue(one(accounts, 5_001, 0, 0).vacuum(), "unusable values: the defaults");
        assertTrue(one(table(7, "b", 0, 2, Map.of()), 41, 0, 0).vacuum());
    }

    @Test
    void aTablesOwnScaleFactorWinsOverTheHotspotFraction() {
        TableInfo t = table(3, "pgbench_accounts", 100_000, 1640, Map.of("autovacuum_vacuum_scale_factor", "0.2"));
        assertNull(one(t, 5_001, 0, 0));
        assertTrue(one(t, 20_001, 0, 0).vacuum(), "max(50, 0.2 * 100 000)");
    }

    @Test
    void analyzeAndInsertRulesAreThoseOfPostgreSql() {
        TableInfo t = table(8, "t", 1000, 1000, Map.of());
        assertNull(one(t, 0, 0, 150));
        Task a = one(t, 0, 0, 151); // 50 + 0.1 * 1000
        assertTrue(a.analyze());
        assertFalse(a.vacuum());
        assertNull(one(t, 0, 1200, 0));
        assertTrue(one(t, 0, 1201, 0).vacuum()); // 1000 + 0.2 * 1000
        settings.set("autovacuum_vacuum_insert_threshold", "-1");
        assertNull(one(t, 0, 1_000_000, 0));
        TableInfo stat = new TableInfo(5, "postgres", 2619, "pg_catalog", "pg_statistic", 1000, 1000, Map.of());
        assertNull(one(stat, 0, 0, 100_000));
    }

    @Test
    void autovacuumEnabledFalseAndMissingStatisticsSkipTheTable() {
        TableInfo off = table(1, "pgbench_branches", 1, 1, Map.of("autovacuum_enabled", "off"));
        assertNull(one(off, 1_000_000, 1_000_000, 1_000_000));
        assertTrue(policy.choose(List.of(new Candidate(branches, null)), settings).isEmpty());
    }

    @Test
    void tablesAreRankedByDeadTuplesPerPage() {
        // accounts is the most dead tuples but the least dense; history needs an analyze only
        TableInfo history = table(9, "pgbench_history", 10_000, 60, Map.of());
        List<Task> tasks = policy.choose(List.of(cand(accounts, 20_000, 0, 0), cand(history, 0, 0, 5_000),
                cand(tellers, 200, 0, 0), cand(branches, 300, 0, 0)), settings);
        assertEquals(List.of("pgbench_branches", "pgbench_tellers", "pgbench_accounts", "pgbench_history"),
                tasks.stream().map(t -> t.table().name()).toList());
        // the threshold policy on the same tables: branches (300 / 50.2 = 6x), tellers (200 / 52 = 3.8x) ...
        List<Task> pg = new ThresholdPolicy().choose(List.of(cand(accounts, 20_000, 0, 0), cand(history, 0, 0, 5_000),
                cand(tellers, 200, 0, 0), cand(branches, 300, 0, 0)), settings);
        assertEquals(List.of("pgbench_branches", "pgbench_history", "pgbench_tellers"),
                pg.stream().map(t -> t.table().name()).toList(), "accounts (20 000 < 20 050) not at all");
    }
}
