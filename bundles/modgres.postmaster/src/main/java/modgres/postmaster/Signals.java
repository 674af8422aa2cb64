package modgres.postmaster;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import modgres.api.server.ServerControl;
import modgres.api.server.ShutdownMode;

/**
 * PostgreSQL's postmaster signals, for pg_ctl and service managers:
 * SIGHUP reloads the configuration, SIGTERM asks for a smart shutdown, SIGINT
 * for a fast one, SIGUSR2 for an immediate one (the JVM reserves SIGQUIT for
 * thread dumps; see the bundle README). Only active when the framework
 * property {@code modgres.signals} is {@code true} (the launcher sets it), so
 * that a server inside a test framework leaves the JVM's signals alone. The
 * sun.misc code lives in {@link SignalInstaller}, which is only loaded then.
 */
@Component(immediate = true)
public final class Signals {

    @Reference
    private ServerControl server;

    private Runnable uninstall = () -> { };

    @Activate
    void activate(BundleContext ctx) {
        if (Boolean.parseBoolean(ctx.getProperty("modgres.signals"))) {
            uninstall = SignalInstaller.install(server::reload, () -> server.shutdown(ShutdownMode.SMART),
                    () -> server.shutdown(ShutdownMode.FAST), () -> server.shutdown(ShutdownMode.IMMEDIATE));
        }
    }

    @Deactivate
    void deactivate() {
        uninstall.run();
    }
}
