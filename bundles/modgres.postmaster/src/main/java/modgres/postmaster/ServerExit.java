package modgres.postmaster;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

import modgres.api.error.PgException;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;

/**
 * Ends the server process after a FATAL start-up error or a completed
 * shutdown. Under the launcher (framework property
 * {@code modgres.exitOnShutdown=true}) it stops the framework, which ends the
 * JVM with the status left in the system property {@code modgres.exit.code};
 * inside a test framework it only records the status.
 */
final class ServerExit {
    private ServerExit() {
    }

    static void fatal(BundleContext ctx, ServerLog log, PgException e) {
        log.report(Severity.FATAL, e.sqlState(), e.getMessage(), e.detail(), e.hint());
        exit(ctx, 1);
    }

    static void exit(BundleContext ctx, int status) {
        System.setProperty("modgres.exit.code", Integer.toString(status));
        if (!Boolean.parseBoolean(ctx.getProperty("modgres.exitOnShutdown"))) {
            return;
        }
        // The system bundle is looked up now, while this bundle's context is surely valid: looked up
        // later, an invalid context would throw and leave the JVM running with nobody to stop it.
        org.osgi.framework.Bundle system;
        try {
            system = ctx.getBundle(0);
        } catch (IllegalStateException e) {
            system = null;
        }
        org.osgi.framework.Bundle framework = system;
        // Stopping the framework deactivates the caller's own component: do it from another thread.
        Thread t = new Thread(() -> {
            try {
                if (framework == null) {
                    System.exit(status); // no way to stop the framework: the launcher's JVM ends anyway
                }
                framework.stop();
            } catch (BundleException | IllegalStateException ignored) {
                // already stopping
            }
        }, "postmaster exit");
        t.start();
    }
}
