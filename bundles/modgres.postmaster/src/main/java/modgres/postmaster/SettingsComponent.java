package modgres.postmaster;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.server.ProcessIds;
import modgres.api.settings.ReloadResult;
import modgres.api.settings.Setting;
import modgres.api.settings.Settings;
import modgres.api.settings.SettingsListener;
import modgres.postmaster.guc.GucSettings;

/**
 * The {@link Settings} service. Activation is the first thing a start does,
 * as in PostgreSQL's PostmasterMain: find the data directory (initialising
 * it on a first start), check it, and read the configuration. A failure is
 * FATAL and ends the server with status 1.
 *
 * <p>Framework properties read (set by the launcher): {@code modgres.datadir},
 * {@code modgres.options} (command-line settings, one {@code name=value} a
 * line), {@code modgres.initdb.auth}, {@code modgres.initdb.pwfile},
 * {@code modgres.initdb.username}.
 */
@Component(service = Settings.class, immediate = true)
public final class SettingsComponent implements Settings {

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    /**
     * A failed start is reported once: SCR tries to activate this component
     * again each time a dependent asks for Settings while the server exits.
     */
    private static volatile PgException startFailure;

    private volatile GucSettings guc;
    private BundleContext context;

    @Activate
    void activate(BundleContext ctx) {
        this.context = ctx;
        ServerLog log = ServerLog.of(logger, LogContext.process(ProcessIds.postmaster(), "postmaster"));
        if (startFailure != null) {
            throw startFailure;
        }
        EarlyStderr reporter = new EarlyStderr(log::report);
        try {
            String dirProperty = ctx.getProperty("modgres.datadir");
            if (dirProperty == null || dirProperty.isBlank()) {
                throw new PgException(SqlState.CONFIG_FILE_ERROR,
                        "modgres does not know where to find the server configuration file",
                        null, "Specify the -D invocation option or set the PGDATA environment variable.");
            }
            Path dir = Paths.get(dirProperty).toAbsolutePath().normalize();
            if (DataDirectory.needsInit(dir)) {
                DataDirectory.initialize(dir, initOptions(ctx), reporter);
            }
            DataDirectory.check(dir);
            String options = ctx.getProperty("modgres.options");
            List<String> commandLine = options == null ? List.of()
                    : Stream.of(options.split("\n")).filter(s -> !s.isBlank()).toList();
            guc = GucSettings.load(dir, commandLine, reporter);
        } catch (PgException | IOException e) {
            PgException pe = e instanceof PgException p ? p
                    : new PgException(SqlState.IO_ERROR, "could not initialize data directory: " + e, null, null, e);
            // Without settings there is no logger: what was reported goes to stderr, as PostgreSQL does.
            reporter.report(Severity.FATAL, pe.sqlState(), pe.getMessage(), pe.detail(), pe.hint());
            reporter.flush(System.err);
            startFailure = pe;
            ServerExit.exit(ctx, 1);
            throw pe;
        }
    }

    private static DataDirectory.InitOptions initOptions(BundleContext ctx) throws IOException {
        DataDirectory.InitOptions d = DataDirectory.InitOptions.defaults();
        String user = Optional.ofNullable(ctx.getProperty("modgres.initdb.username")).orElse(d.superuser());
        String auth = Optional.ofNullable(ctx.getProperty("modgres.initdb.auth")).orElse(d.authMethod());
        String pwfile = ctx.getProperty("modgres.initdb.pwfile");
        String password = null;
        if (pwfile != null) {
            List<String> lines = java.nio.file.Files.readAllLines(Paths.get(pwfile));
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                        "password file \"" + pwfile + "\" is empty");
            }
            password = lines.get(0);
        }
        if (!auth.equals("trust") && password == null) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                    "must specify a password for the superuser to enable password authentication", null,
                    "Give the password in a file with --pwfile FILE.");
        }
        if (!List.of("trust", "scram-sha-256", "md5", "password").contains(auth)) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                    "invalid authentication method \"" + auth + "\"", null,
                    "Use trust, scram-sha-256, md5 or password.");
        }
        return new DataDirectory.InitOptions(user, auth, password);
    }

    @Override
    public Path dataDirectory() {
        return guc.dataDirectory();
    }

    @Override
    public Optional<Setting> find(String name) {
        return guc.find(name);
    }

    @Override
    public List<Setting> all() {
        return guc.all();
    }

    @Override
    public String show(String name) {
        return guc.show(name);
    }

    @Override
    public String getString(String name) {
        return guc.getString(name);
    }

    @Override
    public int getInt(String name) {
        return guc.getInt(name);
    }

    @Override
    public long getLong(String name) {
        return guc.getLong(name);
    }

    @Override
    public double getReal(String name) {
        return guc.getReal(name);
    }

    @Override
    public boolean getBool(String name) {
        return guc.getBool(name);
    }

    @Override
    public String validate(String name, String value) {
        return guc.validate(name, value);
    }

    @Override
    public ReloadResult reload() {
        ReloadResult result = guc.reload();
        // Every reload is announced, also one that changed no setting: PostgreSQL re-reads pg_hba.conf
        // (and other files listeners own) on every SIGHUP.
        notifyListeners(Set.copyOf(result.changed()));
        return result;
    }

    /*
     * The SettingsListener whiteboard is looked up at reload time rather than
     * bound by DS: listeners (the logger, ...) depend on Settings themselves,
     * and a DS reference back to them would be a cycle. Reloads are rare.
     */
    private void notifyListeners(Set<String> changed) {
        Collection<ServiceReference<SettingsListener>> refs;
        try {
            refs = context.getServiceReferences(SettingsListener.class, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (ServiceReference<SettingsListener> ref : refs) {
            SettingsListener l = context.getService(ref);
            if (l == null) {
                continue;
            }
            try {
                l.settingsChanged(changed);
            } catch (RuntimeException e) {
                logger.error("settings listener {} failed", l.getClass().getName(), e);
            } finally {
                context.ungetService(ref);
            }
        }
    }

    @Override
    public void alterSystem(String name, String value) {
        guc.alterSystem(name, value);
    }
}
