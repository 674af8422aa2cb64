package modgres.console.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import modgres.api.server.ServerControl;
import modgres.api.server.ServerState;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.server.ProcessIds;
import modgres.console.internal.socket.ConsoleLog;
import modgres.console.internal.socket.ConsoleServer;
import modgres.console.internal.socket.PeerIdentity;

/**
 * Serves Gogo sessions on {@code <modgres.datadir>/.s.modgres.console} to the
 * server's OS user (see {@link ConsoleServer}). Without the framework property
 * {@code modgres.datadir} it does not listen. The command processor is
 * optional and dynamic: while Gogo is away a connection is told so and closed.
 * The socket belongs to the server that holds the data directory's lock: the
 * component needs the postmaster's ServerControl and does not listen when the
 * postmaster failed to start (e.g. another server owns the directory, whose
 * socket must not be replaced).
 */
@Component(name = "modgres.console.socket", immediate = true, service = {})
public final class ConsoleSocketComponent {

    /** Framework property: the data directory (set by the launcher). */
    static final String DATADIR = "modgres.datadir";

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CommandProcessor processor;

    @Reference
    private ServerControl postmaster;

    private ConsoleServer server;

    @Activate
    void activate(BundleContext context) {
        ServerLog log = ServerLog.of(logger, LogContext.process(ProcessIds.postmaster(), "postmaster"));
        if (postmaster.state() == ServerState.STOPPED) {
            return;
        }
        String dir = context.getProperty(DATADIR);
        if (dir == null || dir.isBlank()) {
            log.debug(1, "console: framework property " + DATADIR + " is not set; no console socket");
            return;
        }
        Path dataDir = Paths.get(dir).toAbsolutePath().normalize();
        ConsoleServer s = new ConsoleServer(dataDir, new GogoShells(() -> processor), PeerIdentity.SO_PEERCRED,
                ConsoleServer.DEFAULT_MAX_SESSIONS, new ConsoleLog() {
                    @Override
                    public void info(String message) {
                        log.log(message);
                    }

                    @Override
                    public void warning(String message) {
                        log.warning(message);
                    }
                });
        try {
            s.start();
            server = s;
        } catch (IOException | RuntimeException e) {
            log.warning("console: could not create Unix socket \"" + s.socketPath() + "\": " + e.getMessage());
            s.close();
        }
    }

    @Deactivate
    void deactivate() {
        ConsoleServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }
}
