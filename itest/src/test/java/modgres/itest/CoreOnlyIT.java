package modgres.itest;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import modgres.api.server.ServerControl;

/** The core feature alone is a server: no background process, no console, still ready. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreOnlyIT {

    @Inject
    private BundleContext ctx;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private ServerControl server;

    @Configuration
    public Option[] config() {
        return Features.options("core", "core");
    }

    @Test
    public void coreBundlesAndComponentsAreActive() throws Exception {
        FrameworkChecks.featureBundlesActive(ctx, "core");
        FrameworkChecks.modgresComponentsActive(scr, ctx);
    }

    @Test
    public void serverIsReadyWithoutBackgroundFeature() throws Exception {
        FrameworkChecks.serverReady(server);
    }
}
