package modgres.launcher;

/*
 * Design notes
 * ------------
 * The launcher is the only code outside OSGi. It does what the `postgres`
 * binary's main() does before the postmaster takes over: read the command
 * line (-D, -p, -c name=value, --name=value), find the data directory
 * ($PGDATA by default), and hand everything to the framework as properties:
 *
 *   modgres.datadir        absolute data directory
 *   modgres.options        command-line settings, "name=value" lines
 *   modgres.commandline    the command line, for postmaster.opts
 *   modgres.signals        "true": the postmaster takes SIGHUP/SIGTERM/SIGINT
 *   modgres.exitOnShutdown "true": a shutdown stops the framework (and the JVM)
 *   modgres.features       the features installed, in order
 *
 * It then starts Felix, installs the bundles of the chosen features from the
 * jar's bundles/ folder (locations are jar: URLs into this jar, so `update
 * <id>` re-reads them) and waits until the framework stops. The exit status
 * is 0, or what the postmaster put in the system property modgres.exit.code
 * (1 after a FATAL start-up error, as PostgreSQL's postmaster exits 1).
 *
 * With --console the launcher is a client instead: it connects to the console
 * socket of a running server in the data directory (see ConsoleClient).
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

public final class Main {

    static final String USAGE = """
            Modgres is a PostgreSQL-compatible server built of OSGi bundles.

            Usage:
              java -jar modgres.jar [OPTION]...

            Options:
              -D DATADIR         database directory (default: $PGDATA)
              -p PORT            port number to listen on
              -c NAME=VALUE      set run-time parameter
              --NAME=VALUE       set run-time parameter
              --no-console       run headless until SIGTERM/SIGINT (no Felix console on the terminal)
              --features LIST    comma-separated features to install (default: every feature)
              --list-features    list the features in this jar and exit
              --console          connect to the console of the server running in DATADIR
              -V, --version      output version information, then exit
              -?, --help         show this help, then exit

            Signals: SIGHUP reloads the configuration files, SIGTERM is a smart
            shutdown, SIGINT a fast one (pg_ctl reload / stop -m smart|fast).
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (UsageException e) {
            System.err.println("modgres: " + e.getMessage());
            System.err.println("Try \"java -jar modgres.jar --help\" for more information.");
            status = 2;
        } catch (Exception e) {
            System.err.println("modgres: " + e);
            status = 1;
        }
        System.exit(status);
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Options o = Options.parse(argv, System.getenv("PGDATA"));
        if (o.help) {
            out.print(USAGE);
            return 0;
        }
        if (o.version) {
            out.println("postgres (Modgres " + Version.MODGRES + ") " + Version.POSTGRES);
            return 0;
        }
        List<Feature> all = Feature.loadAll();
        if (o.listFeatures) {
            for (Feature f : all) {
                out.println(f.name() + ": " + f.description());
                out.println("  requires: " + (f.requires().isEmpty() ? "-" : String.join(", ", f.requires())));
                out.println("  bundles:  " + String.join(", ", f.bundles()));
            }
            return 0;
        }
        if (o.dataDir == null) {
            err.println("""
                    modgres does not know where to find the server configuration file.
                    You must specify the -D invocation option or set the PGDATA environment variable.""");
            return 2;
        }
        Path dataDir = Paths.get(o.dataDir).toAbsolutePath().normalize();
        if (o.consoleClient) {
            return ConsoleClient.connect(dataDir, System.in, out, err);
        }
        List<Feature> chosen = Feature.select(all, o.features);
        return runServer(o, dataDir, chosen, argv);
    }

    private static int runServer(Options o, Path dataDir, List<Feature> features, String[] argv) throws Exception {
        Path cache = Files.createTempDirectory("modgres-felix-");
        Map<String, String> props = new HashMap<>();
        for (Feature f : features) {
            props.putAll(f.config());
        }
        props.put(Constants.FRAMEWORK_STORAGE, cache.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // The postmaster's signal handling uses sun.misc.Signal (jdk.unsupported).
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "sun.misc");
        props.put("modgres.datadir", dataDir.toString());
        props.put("modgres.options", String.join("\n", o.settings));
        props.put("modgres.commandline", commandLine(argv));
        props.put("modgres.signals", "true");
        props.put("modgres.exitOnShutdown", "true");
        props.put("modgres.features", String.join(",", features.stream().map(Feature::name).toList()));
        boolean console = !o.noConsole && features.stream().anyMatch(f -> f.name().equals("console"));
        if (!console) {
            // Gogo on a closed or absent terminal would stop the framework.
            props.put("gosh.args", "--nointeractive");
        }

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        Framework framework = factory.newFramework(props);
        int status;
        try {
            framework.init();
            BundleContext ctx = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (Feature f : features) {
                for (String name : f.bundles()) {
                    URL url = Main.class.getResource("/bundles/" + name + ".jar");
                    if (url == null) {
                        throw new IllegalStateException("bundle " + name + " of feature " + f.name()
                                + " is missing from the launcher jar");
                    }
                    installed.add(ctx.installBundle(url.toString()));
                }
            }
            framework.start();
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    try {
                        b.start();
                    } catch (BundleException e) {
                        System.err.println("modgres: could not start bundle " + b.getSymbolicName() + ": " + e);
                    }
                }
            }
            framework.waitForStop(0);
            status = Integer.getInteger("modgres.exit.code", 0);
        } finally {
            if (framework.getState() == Bundle.ACTIVE || framework.getState() == Bundle.STARTING) {
                framework.stop();
                framework.waitForStop(30_000);
            }
            deleteTree(cache);
        }
        return status;
    }

    private static String commandLine(String[] argv) {
        StringBuilder sb = new StringBuilder();
        String jar = Main.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        sb.append("java -jar ").append(jar);
        for (String a : argv) {
            sb.append(" \"").append(a.replace("\"", "\\\"")).append('"');
        }
        return sb.toString();
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temporary folder
                }
            });
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** A bad command line: exit status 2, as PostgreSQL's binaries use. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** The parsed command line. */
    static final class Options {
        String dataDir;
        final List<String> settings = new ArrayList<>();
        boolean noConsole;
        boolean consoleClient;
        boolean help;
        boolean version;
        boolean listFeatures;
        List<String> features;

        static Options parse(String[] argv, String pgdata) throws UsageException {
            Options o = new Options();
            o.dataDir = pgdata == null || pgdata.isEmpty() ? null : pgdata;
            for (int i = 0; i < argv.length; i++) {
                String a = argv[i];
                switch (a) {
                    case "-D" -> o.dataDir = value(argv, ++i, a);
                    case "-p" -> o.settings.add("port=" + value(argv, ++i, a));
                    case "-c" -> o.settings.add(setting(value(argv, ++i, a)));
                    case "--no-console" -> o.noConsole = true;
                    case "--console" -> o.consoleClient = true;
                    case "--features" -> o.features = List.of(value(argv, ++i, a).split(","));
                    case "--list-features" -> o.listFeatures = true;
                    case "-V", "--version" -> o.version = true;
                    case "-?", "-h", "--help" -> o.help = true;
                    default -> {
                        if (a.startsWith("-D") && a.length() > 2) {
                            o.dataDir = a.substring(2);
                        } else if (a.startsWith("-p") && a.length() > 2) {
                            o.settings.add("port=" + a.substring(2));
                        } else if (a.startsWith("-c") && a.length() > 2) {
                            o.settings.add(setting(a.substring(2)));
                        } else if (a.startsWith("--") && a.contains("=")) {
                            o.settings.add(setting(a.substring(2)));
                        } else {
                            throw new UsageException("invalid argument: \"" + a + "\"");
                        }
                    }
                }
            }
            return o;
        }

        private static String value(String[] argv, int i, String option) throws UsageException {
            if (i >= argv.length) {
                throw new UsageException("option requires an argument -- '" + option.replaceFirst("^-+", "") + "'");
            }
            return argv[i];
        }

        private static String setting(String nameValue) throws UsageException {
            int eq = nameValue.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("-c " + nameValue + " requires a value");
            }
            // PostgreSQL accepts dashes for underscores in command-line names.
            return nameValue.substring(0, eq).replace('-', '_') + nameValue.substring(eq);
        }
    }

    /** A feature descriptor (features/NAME/feature.properties in the jar). */
    record Feature(String name, String description, List<String> requires, List<String> bundles,
            Map<String, String> config) {

        static final List<String> ORDER = List.of("core", "background", "console");

        static List<Feature> loadAll() throws IOException {
            List<Feature> result = new ArrayList<>();
            for (String name : ORDER) {
                try (InputStream in = Main.class.getResourceAsStream("/features/" + name + "/feature.properties")) {
                    if (in != null) {
                        result.add(parse(in));
                    }
                }
            }
            return result;
        }

        static Feature parse(InputStream in) throws IOException {
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            Map<String, String> config = new LinkedHashMap<>();
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("config.")) {
                    config.put(key.substring("config.".length()), p.getProperty(key));
                }
            }
            return new Feature(p.getProperty("name"), p.getProperty("description", ""),
                    list(p.getProperty("requires", "")), list(p.getProperty("bundles", "")), config);
        }

        private static List<String> list(String s) {
            return Stream.of(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
        }

        /** The named features plus what they require, in the canonical order; all when names is null. */
        static List<Feature> select(List<Feature> all, List<String> names) throws UsageException {
            if (names == null) {
                return all;
            }
            Map<String, Feature> byName = new LinkedHashMap<>();
            all.forEach(f -> byName.put(f.name(), f));
            java.util.Set<String> wanted = new java.util.HashSet<>();
            List<String> todo = new ArrayList<>(names.stream().map(String::trim).toList());
            while (!todo.isEmpty()) {
                String n = todo.remove(todo.size() - 1);
                Feature f = byName.get(n);
                if (f == null) {
                    throw new UsageException("unknown feature \"" + n + "\"; known: " + String.join(", ", byName.keySet()));
                }
                if (wanted.add(n)) {
                    todo.addAll(f.requires());
                }
            }
            return all.stream().filter(f -> wanted.contains(f.name())).toList();
        }
    }
}
