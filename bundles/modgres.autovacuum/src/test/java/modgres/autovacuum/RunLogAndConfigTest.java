package modgres.autovacuum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import modgres.api.access.VacuumStats;
import modgres.api.autovacuum.Maintenance;
import modgres.api.autovacuum.TableInfo;

class RunLogAndConfigTest {
    final TableInfo branches = new TableInfo(5, "postgres", 16390, "public", "pgbench_branches", 1, 40, Map.of());

    @Test
    void theVacuumMessageHasPostgreSql15sLines() {
        Maintenance.Result r = new Maintenance.Result(new VacuumStats(30, 4123, 1, 7, 0, 10), true, 30, 1, 7, 0,
                14_000_000);
        String m = RunLog.vacuum(branches, r, false, new RunLog.Usage(3_000_000, 1_000_000, 1_234_567_890L));
        assertEquals("""
                automatic vacuum of table "postgres.public.pgbench_branches": index scans: 0
                pages: 10 removed, 30 remain, 30 scanned (75.00% of total)
                tuples: 4123 removed, 1 remain, 7 are dead but not yet removable
                system usage: CPU: user: 0.00 s, system: 0.00 s, elapsed: 1.23 s""", m);
    }

    @Test
    void aWraparoundVacuumSaysSo() {
        Maintenance.Result r = new Maintenance.Result(new VacuumStats(0, 0, 0, 0, 0, 0), false, 0, 0, 0, 0, 1);
        String m = RunLog.vacuum(branches, r, true, new RunLog.Usage(0, 0, 0));
        assertTrue(m.startsWith("automatic aggressive vacuum to prevent wraparound of table "
                + "\"postgres.public.pgbench_branches\": index scans: 0\n"), m);
        assertTrue(m.contains("pages: 0 removed, 0 remain, 0 scanned (100.00% of total)"), m);
    }

    @Test
    void theAnalyzeMessage() {
        assertEquals("automatic analyze of table \"postgres.public.pgbench_branches\"\n"
                + "system usage: CPU: user: 0.12 s, system: 0.05 s, elapsed: 10.09 s",
                RunLog.analyze(branches, new RunLog.Usage(129_999_999, 50_000_000, 10_090_000_000L)));
    }

    @Test
    void minusOneCostSettingsFallBackToTheVacuumOnes() {
        FakeSettings s = new FakeSettings();
        Config c = Config.read(s, 1000);
        assertEquals(2.0, c.costDelayMillis());
        assertEquals(200, c.costLimit(), "autovacuum_vacuum_cost_limit -1: vacuum_cost_limit");
        assertEquals(60_000, c.naptimeMillis());
        s.set("autovacuum_vacuum_cost_delay", "-1").set("vacuum_cost_delay", "7")
                .set("autovacuum_vacuum_cost_limit", "1000");
        c = Config.read(s, 1000);
        assertEquals(7.0, c.costDelayMillis());
        assertEquals(1000, c.costLimit());
    }

    @Test
    void tableStorageParametersOverrideTheCostAndLeaveTheBalancing() {
        Config c = Config.read(new FakeSettings(), 1000);
        Config.TableCost plain = c.cost(branches);
        assertEquals(new Config.TableCost(2.0, 200, true), plain);
        TableInfo own = new TableInfo(5, "postgres", 1, "public", "t", 1, 1,
                Map.of("autovacuum_vacuum_cost_limit", "1000"));
        assertEquals(new Config.TableCost(2.0, 1000, false), c.cost(own));
        TableInfo fast = new TableInfo(5, "postgres", 1, "public", "t", 1, 1,
                Map.of("autovacuum_vacuum_cost_delay", "0"));
        Config.TableCost f = c.cost(fast);
        assertEquals(0.0, f.delayMillis());
        assertTrue(f.balanced(), "PostgreSQL 15 only leaves out cost_limit > 0 or cost_delay > 0");
        TableInfo slow = new TableInfo(5, "postgres", 1, "public", "t", 1, 1,
                Map.of("autovacuum_vacuum_cost_delay", "10", "log_autovacuum_min_duration", "0"));
        assertFalse(c.cost(slow).balanced());
        assertEquals(0, c.logMinDuration(slow));
        assertEquals(600_000, c.logMinDuration(branches));
    }
}
