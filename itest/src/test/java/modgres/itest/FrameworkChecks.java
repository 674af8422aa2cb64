package modgres.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import modgres.api.server.ServerControl;
import modgres.api.server.ServerState;

/** Assertions run inside the framework (in the Pax Exam probe). */
final class FrameworkChecks {
    private FrameworkChecks() {
    }

    /** Every bundle a feature lists is installed from this build and ACTIVE. */
    static void featureBundlesActive(BundleContext ctx, String... features) {
        List<String> problems = new ArrayList<>();
        for (String f : features) {
            for (String artifact : bundlesOf(f)) {
                Bundle found = null;
                for (Bundle b : ctx.getBundles()) {
                    if (b.getLocation().endsWith("/" + artifact + ".jar")) {
                        found = b;
                    }
                }
                if (found == null) {
                    problems.add(f + ": " + artifact + " not installed");
                } else if (found.getState() != Bundle.ACTIVE) {
                    problems.add(f + ": " + artifact + " in state " + found.getState());
                }
            }
        }
        assertTrue(String.join("; ", problems), problems.isEmpty());
    }

    /** The artifactIds of a feature, handed in by the driver (see Features.options). */
    static List<String> bundlesOf(String feature) {
        String raw = System.getProperty("modgres.itest.bundles." + feature);
        List<String> out = new ArrayList<>();
        for (String e : raw.split(",")) {
            out.add(e.trim().split("@")[0]);
        }
        return out;
    }

    /** Every DS component of our bundles is ACTIVE (waits up to 20 s for late activations). */
    static void modgresComponentsActive(ServiceComponentRuntime scr, BundleContext ctx) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        List<String> notActive;
        int count;
        do {
            notActive = new ArrayList<>();
            count = 0;
            for (Bundle b : ctx.getBundles()) {
                if (!b.getSymbolicName().startsWith("modgres.") || b.getSymbolicName().equals("modgres.itest")) {
                    continue;
                }
                for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                    count++;
                    if (!scr.isComponentEnabled(d)) {
                        notActive.add(d.name + " disabled");
                        continue;
                    }
                    var configs = scr.getComponentConfigurationDTOs(d);
                    if (configs.isEmpty()) {
                        notActive.add(d.name + " has no configuration");
                    }
                    for (ComponentConfigurationDTO c : configs) {
                        if (c.state != ComponentConfigurationDTO.ACTIVE) {
                            notActive.add(d.name + " state " + c.state + (c.failure == null ? "" : " " + c.failure));
                        }
                    }
                }
            }
            if (notActive.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertTrue("components not active: " + notActive, notActive.isEmpty());
        assertTrue("no Modgres components found", count > 0);
    }

    /** The postmaster reaches READY and the data directory looks like PostgreSQL's. */
    static void serverReady(ServerControl server) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.state() != ServerState.READY && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(ServerState.READY, server.state());
        Path dir = Paths.get(System.getProperty("modgres.itest.datadir"));
        assertEquals(dir, server.dataDirectory());
        assertEquals("15", Files.readString(dir.resolve("PG_VERSION")).trim());
        for (String f : List.of("postgresql.conf", "postgresql.auto.conf", "pg_hba.conf", "global", "base",
                "pg_wal/archive_status", "pg_xact")) {
            assertTrue(f + " missing", Files.exists(dir.resolve(f)));
        }
        List<String> pid = Files.readAllLines(dir.resolve("postmaster.pid"));
        assertEquals(Long.toString(ProcessHandle.current().pid()), pid.get(0));
        assertEquals(dir.toString(), pid.get(1));
        assertEquals(Integer.toString(server.port()), pid.get(3));
        assertEquals("ready", pid.get(7).trim());
        assertEquals("the postmaster heads the process list", "postmaster", server.processes().get(0).name());
        assertEquals(server.pid(), server.processes().get(0).pid());
    }
}
