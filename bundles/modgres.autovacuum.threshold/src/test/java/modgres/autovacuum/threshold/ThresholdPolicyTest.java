package modgres.autovacuum.threshold;

import modgres.api.autovacuum.Thresholds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import modgres.api.autovacuum.Candidate;
import modgres.api.autovacuum.TableInfo;
import modgres.api.autovacuum.Task;
import modgres.api.stats.TableCounter;
import modgres.api.stats.TableStats;

class ThresholdPolicyTest {
    final FakeSettings settings = new FakeSettings(); // PostgreSQL 15's defaults
    final ThresholdPolicy policy = new ThresholdPolicy();

    static TableInfo table(int rel, String name, double reltuples, Map<String, String> opts) {
        return new TableInfo(5, "db", rel, "public", name, reltuples, 10, opts);
    }

    static TableStats stats(int rel, long dead, long inserted, long changed) {
        long[] c = new long[TableCounter.COUNT];
        c[TableCounter.N_DEAD_TUP.ordinal()] = dead;
        c[TableCounter.N_INS_SINCE_VACUUM.ordinal()] = inserted;
        c[TableCounter.N_MOD_SINCE_ANALYZE.ordinal()] = changed;
        return new TableStats(5, rel, c, 0, 0, 0, 0);
    }

    Task one(double reltuples, long dead, long inserted, long changed) {
        return one(table(1, "t", reltuples, Map.of()), dead, inserted, changed);
    }

    Task one(TableInfo t, long dead, long inserted, long changed) {
        List<Task> tasks = policy.choose(List.of(new Candidate(t, stats(t.rel(), dead, inserted, changed))), settings);
        assertTrue(tasks.size() <= 1);
        return tasks.isEmpty() ? null : tasks.get(0);
    }

    @Test
    void itIsCalledThreshold() {
        assertEquals("threshold", policy.name());
    }

    @Test
    void vacuumWhenDeadTuplesExceedThresholdPlusScaleFactorTimesReltuples() {
        // 50 + 0.2 * 1000 = 250: strictly more is needed
        assertNull(one(1000, 250, 0, 0));
        Task t = one(1000, 251, 0, 0);
        assertTrue(t.vacuum());
        assertFalse(t.analyze());
        assertFalse(t.freeze());
        assertEquals("n_dead_tup 251 > 250", t.reason());
    }

    @Test
    void negativeReltuplesCountAsZero() {
        // never vacuumed nor analyzed: reltuples = -1, threshold 50 + 0.2 * 0 = 50
        assertNull(one(-1, 50, 0, 0));
        assertTrue(one(-1, 51, 0, 0).vacuum());
    }

    @Test
    void insertsTriggerAVacuumUnlessTheInsertThresholdIsMinusOne() {
        // 1000 + 0.2 * 1000 = 1200
        assertNull(one(1000, 0, 1200, 0));
        Task t = one(1000, 0, 1201, 0);
        assertTrue(t.vacuum());
        assertEquals("n_ins_since_vacuum 1201 > 1200", t.reason());
        settings.set("autovacuum_vacuum_insert_threshold", "-1");
        assertNull(one(1000, 0, 1_000_000, 0));
    }

    @Test
    void analyzeWhenChangesSinceAnalyzeExceedTheirThreshold() {
        // 50 + 0.1 * 1000 = 150
        assertNull(one(1000, 0, 0, 150));
        Task t = one(1000, 0, 0, 151);
        assertFalse(t.vacuum());
        assertTrue(t.analyze());
        Task both = one(1000, 300, 0, 200);
        assertTrue(both.vacuum() && both.analyze());
        assertEquals("n_dead_tup 300 > 250, n_mod_since_analyze 200 > 150", both.reason());
    }

    @Test
    void pgStatisticIsNeverAnalyzed() {
        TableInfo pgStatistic = new TableInfo(5, "db", 2619, "pg_catalog", "pg_statistic", 1000, 10, Map.of());
        assertNull(one(pgStatistic, 0, 0, 10_000));
        Task t = one(pgStatistic, 10_000, 0, 10_000);
        assertTrue(t.vacuum());
        assertFalse(t.analyze());
        TableInfo elsewhere = new TableInfo(5, "db", 3, "public", "pg_statistic", 1000, 10, Map.of());
        assertTrue(one(elsewhere, 0, 0, 10_000).analyze(), "only pg_catalog's");
    }

    @Test
    void theSettingsAreReadAtEveryCall() {
        settings.set("autovacuum_vacuum_scale_factor", "0").set("autovacuum_vacuum_threshold", "10");
        assertTrue(one(1_000_000, 11, 0, 0).vacuum());
        settings.set("autovacuum_analyze_scale_factor", "0.5").set("autovacuum_analyze_threshold", "0");
        assertNull(one(1000, 0, 0, 500));
        assertTrue(one(1000, 0, 0, 501).analyze());
    }

    @Test
    void storageParametersOverrideTheSettings() {
        TableInfo t = table(1, "t", 1000, Map.of("autovacuum_vacuum_threshold", "0",
                "autovacuum_vacuum_scale_factor", "0.01"));
        assertNull(one(t, 10, 0, 0));
        assertTrue(one(t, 11, 0, 0).vacuum(), "0 + 0.01 * 1000 = 10");

        TableInfo ins = table(1, "t", 1000, Map.of("autovacuum_vacuum_insert_threshold", "-1"));
        assertNull(one(ins, 0, 1_000_000, 0), "the table turns insert vacuums off");
        TableInfo ins2 = table(1, "t", 1000, Map.of("autovacuum_vacuum_insert_threshold", "10",
                "autovacuum_vacuum_insert_scale_factor", "0"));
        assertTrue(one(ins2, 0, 11, 0).vacuum());

        TableInfo anl = table(1, "t", 1000, Map.of("autovacuum_analyze_threshold", "5",
                "autovacuum_analyze_scale_factor", "0"));
        assertNull(one(anl, 0, 0, 5));
        assertTrue(one(anl, 0, 0, 6).analyze());

        TableInfo bad = table(1, "t", 1000, Map.of("autovacuum_vacuum_threshold", "lots",
                "autovacuum_vacuum_scale_factor", "-3"));
        assertNull(one(bad, 250, 0, 0), "unusable values leave the settings in force");
        assertTrue(one(bad, 251, 0, 0).vacuum());
    }

    @Test
    void autovacuumEnabledFalseSkipsTheTable() {
        for (String off : List.of("false", "off", "f", "no", "0", "FALSE")) {
            TableInfo t = table(1, "t", 0, Map.of("autovacuum_enabled", off));
            assertNull(one(t, 1_000_000, 1_000_000, 1_000_000), off);
        }
        TableInfo on = table(1, "t", 0, Map.of("autovacuum_enabled", "true"));
        assertTrue(one(on, 51, 0, 0).vacuum());
        TableInfo junk = table(1, "t", 0, Map.of("autovacuum_enabled", "maybe"));
        assertTrue(one(junk, 51, 0, 0).vacuum(), "an unparsable value is ignored");
    }

    @Test
    void tablesWithoutStatisticsAreSkipped() {
        assertTrue(policy.choose(List.of(new Candidate(table(1, "t", 0, Map.of()), null)), settings).isEmpty());
    }

    @Test
    void tablesComeMostUrgentFirst() {
        // a: 500 dead over 50 + 0.2 * 1000 = 250 -> 2.0x
        // b: 150 dead over 50 + 0.2 * 0 = 50     -> 3.0x
        // c: 60 dead over 50                     -> 1.2x
        // d: analyze only, 1000 changes over 50 + 0.1 * 1000 = 150 -> 6.7x
        // e: nothing to do
        TableInfo a = table(1, "a", 1000, Map.of());
        TableInfo b = table(2, "b", 0, Map.of());
        TableInfo c = table(3, "c", -1, Map.of());
        TableInfo d = table(4, "d", 1000, Map.of());
        TableInfo e = table(5, "e", 1000, Map.of());
        List<Task> tasks = policy.choose(List.of(new Candidate(a, stats(1, 500, 0, 0)),
                new Candidate(b, stats(2, 150, 0, 0)), new Candidate(c, stats(3, 60, 0, 0)),
                new Candidate(d, stats(4, 0, 0, 1000)), new Candidate(e, stats(5, 1, 1, 1))), settings);
        assertEquals(List.of("d", "b", "a", "c"), tasks.stream().map(t -> t.table().name()).toList());
    }

    @Test
    void postgresqlBooleanSpellings() {
        assertEquals(Boolean.TRUE, Thresholds.bool("on"));
        assertEquals(Boolean.TRUE, Thresholds.bool("Yes"));
        assertEquals(Boolean.TRUE, Thresholds.bool("t"));
        assertEquals(Boolean.TRUE, Thresholds.bool("1"));
        assertEquals(Boolean.FALSE, Thresholds.bool("of"));
        assertEquals(Boolean.FALSE, Thresholds.bool("n"));
        assertNull(Thresholds.bool("o"), "ambiguous");
        assertNull(Thresholds.bool(""));
        assertNull(Thresholds.bool("2"));
    }
}
