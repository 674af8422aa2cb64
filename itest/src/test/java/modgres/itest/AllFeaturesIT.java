package modgres.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Collection;

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
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import modgres.api.server.ServerControl;
import modgres.api.server.ServerProcess;
import modgres.api.settings.Settings;

/** Every feature together, as the launcher assembles them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AllFeaturesIT {

    @Inject
    private BundleContext ctx;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private ServerControl server;

    @Inject
    private Settings settings;

    @Configuration
    public Option[] config() {
        return Features.options("all", Features.all().toArray(new String[0]));
    }

    @Test
    public void everyBundleOfEveryFeatureIsActive() {
        FrameworkChecks.featureBundlesActive(ctx, Features.all().toArray(new String[0]));
    }

    @Test
    public void everyModgresComponentIsActive() throws Exception {
        FrameworkChecks.modgresComponentsActive(scr, ctx);
    }

    @Test
    public void serverIsReady() throws Exception {
        FrameworkChecks.serverReady(server);
    }

    @Test
    public void settingsServiceAnswersWithPostgresDefaults() {
        assertEquals("128MB", settings.show("shared_buffers"));
        assertEquals(16384, settings.getInt("shared_buffers"));
        assertEquals("100", settings.show("max_connections"));
        assertEquals(server.port(), settings.getInt("port"));
        assertEquals("command line", settings.find("port").orElseThrow().source().pgName());
    }

    @Test
    public void backgroundProcessesAreRegisteredAndWatched() throws Exception {
        Collection<ServiceReference<ServerProcess>> refs = ctx.getServiceReferences(ServerProcess.class, null);
        assertFalse("no ServerProcess services", refs.isEmpty());
        assertTrue(refs.stream().anyMatch(r -> "logger".equals(r.getProperty(ServerProcess.NAME))));
        assertTrue(server.processes().stream().anyMatch(p -> p.name().equals("logger")
                && p.bundle().equals("modgres.logger")));
    }

    @Test
    public void consoleCommandsAreRegistered() throws Exception {
        var refs = ctx.getServiceReferences((String) null, "(osgi.command.scope=modgres)");
        assertTrue("no modgres:* Gogo commands", refs != null && refs.length > 0);
        java.util.Set<String> functions = new java.util.TreeSet<>();
        for (var ref : refs) {
            Object f = ref.getProperty("osgi.command.function");
            if (f instanceof String[] a) {
                functions.addAll(java.util.List.of(a));
            } else {
                functions.add(String.valueOf(f));
            }
        }
        for (String cmd : new String[] {"status", "ptree", "settings", "show", "reload", "shutdown", "features"}) {
            assertTrue("missing command " + cmd + " in " + functions, functions.contains(cmd));
        }
    }

    @Test
    public void aProcessBundleUpdatedLiveIsRestartedByThePostmaster() throws Exception {
        FrameworkChecks.serverReady(server);
        long before = runningPid("background writer");
        org.osgi.framework.Bundle bgwriter = java.util.Arrays.stream(ctx.getBundles())
                .filter(b -> b.getSymbolicName().equals("modgres.bgwriter")).findFirst().orElseThrow();
        bgwriter.update();
        long deadline = System.nanoTime() + 20_000_000_000L;
        long after = -1;
        while (System.nanoTime() < deadline && (after = runningPid("background writer")) <= 0) {
            Thread.sleep(50);
        }
        assertTrue("the new background writer runs", after > 0);
        assertTrue("a new process (pid " + after + ") replaced " + before, after != before);
        assertEquals(modgres.api.server.ServerState.READY, server.state());
    }

    @Test
    public void aRequiredProcessWhoseBundleIsStoppedByMistakeIsStartedAgain() throws Exception {
        FrameworkChecks.serverReady(server);
        assertTrue(runningPid("walwriter") > 0);
        org.osgi.framework.Bundle walwriter = java.util.Arrays.stream(ctx.getBundles())
                .filter(b -> b.getSymbolicName().equals("modgres.walwriter")).findFirst().orElseThrow();
        walwriter.stop();
        long deadline = System.nanoTime() + 20_000_000_000L;
        boolean reportedMissing = false;
        while (System.nanoTime() < deadline && runningPid("walwriter") <= 0) {
            reportedMissing |= server.processes().stream().anyMatch(p -> p.name().equals("walwriter (not running)"));
            Thread.sleep(20);
        }
        assertEquals("the postmaster started the bundle again", org.osgi.framework.Bundle.ACTIVE,
                walwriter.getState());
        assertTrue("the walwriter runs again", runningPid("walwriter") > 0);
        assertTrue("the process tree showed it missing meanwhile", reportedMissing);
        assertEquals(modgres.api.server.ServerState.READY, server.state());
    }

    /** The pid of the named process when one of its threads is alive, else -1. */
    private long runningPid(String name) {
        return server.processes().stream()
                .filter(p -> p.name().equals(name) && p.threads().stream().anyMatch(Thread::isAlive))
                .mapToLong(modgres.api.server.ProcessInfo::pid).findFirst().orElse(-1);
    }
}
