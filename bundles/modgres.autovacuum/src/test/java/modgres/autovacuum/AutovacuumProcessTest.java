package modgres.autovacuum;

import static modgres.autovacuum.Fakes.await;
import static modgres.autovacuum.Fakes.stats;
import static modgres.autovacuum.Fakes.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import modgres.api.server.ShutdownMode;
import modgres.autovacuum.Fakes.FakeMaintenance;
import modgres.autovacuum.Fakes.FakePolicy;
import modgres.autovacuum.Fakes.FakeStore;

class AutovacuumProcessTest {

    private static void inject(Object target, String field, Object value) throws Exception {
        Field f = AutovacuumProcess.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value); // what DS does for a dynamic field reference
    }

    @Test
    void theProcessShowsItsWorkersAndStopsThemWithinABound() throws Exception {
        FakeSettings settings = new FakeSettings().set("autovacuum_naptime", "1")
                .set("autovacuum_vacuum_cost_delay", "50");
        CapturedLog log = new CapturedLog();
        AutovacuumProcess p = new AutovacuumProcess(settings, log.logger);
        FakeMaintenance m = new FakeMaintenance().database(5, "db", true, table(5, "db", 1, "hot"));
        FakeStore store = new FakeStore();
        store.put(stats(5, 1, 100));
        CountDownLatch inside = new CountDownLatch(1);
        m.body = (t, v, a, f, d) -> {
            inside.countDown();
            for (;;) {
                d.point(0, 0, 10); // a nap every page, until the stop
            }
        };
        inject(p, "maintenance", m);
        inject(p, "stats", store);
        inject(p, "policy", new FakePolicy("threshold", false, 1));

        assertEquals("autovacuum launcher", p.processName());
        assertTrue(p.get().get("workers") instanceof List<?> l && l.isEmpty());
        p.start();
        try {
            assertTrue(inside.await(5, TimeUnit.SECONDS), "a worker after the first naptime (1 s)");
            List<String> names = p.threads().stream().map(Thread::getName).toList();
            assertEquals(List.of("autovacuum launcher", "autovacuum worker"), names);
            Map<String, Object> status = p.get();
            assertEquals("threshold", status.get("policy"));
            assertEquals(3, status.get("max_workers"));
            List<?> workers = (List<?>) status.get("workers");
            assertEquals(1, workers.size());
            Map<?, ?> w = (Map<?, ?>) workers.get(0);
            assertEquals("db.public.hot", w.get("table"));
            assertEquals("vacuum", w.get("action"));
            assertTrue((Long) w.get("pid") != p.pid());
            assertTrue(p.isAlive());
        } finally {
            long t0 = System.nanoTime();
            p.stop(ShutdownMode.FAST);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1_000, "stop took " + ms + " ms");
        }
        assertTrue(p.threads().isEmpty(), "no thread left: " + p.threads());
        assertTrue(p.isAlive(), "stopped is not dead");
    }

    @Test
    void aSettingChangeWakesTheLauncherOnlyForItsSettings() throws Exception {
        FakeSettings settings = new FakeSettings().set("autovacuum_naptime", "3600");
        AutovacuumProcess p = new AutovacuumProcess(settings, new CapturedLog().logger);
        FakeMaintenance m = new FakeMaintenance().database(5, "db", true, table(5, "db", 1, "hot"));
        FakeStore store = new FakeStore();
        store.put(stats(5, 1, 100));
        inject(p, "maintenance", m);
        inject(p, "stats", store);
        inject(p, "policy", new FakePolicy("threshold", false, 1));
        p.start();
        try {
            Thread.sleep(100);
            p.settingsChanged(Set.of("work_mem"));
            settings.set("autovacuum_naptime", "1");
            Thread.sleep(100);
            assertEquals(0, p.launcher().rounds(), "not woken by work_mem: still in the hour-long nap");
            p.settingsChanged(Set.of("autovacuum_naptime"));
            await(() -> p.launcher().rounds() >= 1, "a round with the new naptime");
        } finally {
            p.stop(ShutdownMode.FAST);
        }
        assertFalse(p.threads().stream().anyMatch(Thread::isAlive));
    }
}
