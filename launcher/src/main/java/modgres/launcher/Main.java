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
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

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
              -A, --auth=METHOD  first start only: authentication method for local connections
                                 (trust, the default, or scram-sha-256, md5, password)
              --pwfile=FILE      first start only: read the superuser's password from FILE
              -U, --username=NAME first start only: the superuser's name (default: postgres)
              --no-console       run headless until SIGTERM/SIGINT (no Felix console on the terminal)
              --no-fork          run the server in this JVM (SIGQUIT then only prints a thread dump)
              --features LIST    comma-separated features to install (default: every feature)
              --list-features    list the features in this jar and exit
              --console          connect to the console of the server running in DATADIR
              -V, --version      output version information, then exit
              -?, --help         show this help, then exit

            Signals: SIGHUP reloads the configuration files, SIGTERM is a smart
            shutdown, SIGINT a fast one, SIGQUIT an immediate one
            (pg_ctl reload / stop -m smart|fast|immediate).
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
        if (!o.noFork && !QuitWatcher.isChild()) {
            // Run the server in a child JVM so that SIGQUIT means immediate shutdown (see QuitWatcher).
            return QuitWatcher.run(argv);
        }
        return runServer(o, dataDir, chosen, argv);
    }

    private static int runServer(Options o, Path dataDir, List<Feature> features, String[] argv) throws Exception {
        Path cache = Files.createTempDirectory("modgres-felix-");
        // The postmaster ends the JVM with System.exit (modgres.exitOnShutdown), which skips the finally below;
        // shutdown hooks still run then (and on SIGTERM), so the framework's cache goes with the process.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(cache), "felix cache cleanup"));
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
        for (Feature f : features) {
            props.put("modgres.feature." + f.name() + ".description", f.description());
            props.put("modgres.feature." + f.name() + ".bundles", String.join(",", f.symbolicNames()));
        }
        // Bundles start by level: platform and API 1, logger 2, components 3, console 4 (see feature.properties);
        // the framework stops them in the reverse order, so the logger writes the postmaster's last lines.
        props.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(Feature.MAX_START_LEVEL));
        o.initdb.forEach((k, v) -> props.put("modgres.initdb." + k, v));
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
            for (Feature f : features) {
                for (Feature.Entry e : f.entries()) {
                    URL url = Main.class.getResource("/bundles/" + e.artifact() + ".jar");
                    if (url == null) {
                        throw new IllegalStateException("bundle " + e.artifact() + " of feature " + f.name()
                                + " is missing from the launcher jar");
                    }
                    Bundle b = ctx.installBundle(url.toString());
                    b.adapt(BundleStartLevel.class).setStartLevel(e.startLevel());
                    if (e.start() && b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                        // Marks the bundle for start; it starts when the framework reaches its level.
                        b.start();
                    }
                }
            }
            framework.start();
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
        boolean noFork;
        boolean consoleClient;
        boolean help;
        boolean version;
        boolean listFeatures;
        List<String> features;
        final Map<String, String> initdb = new LinkedHashMap<>();

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
                    case "--no-fork" -> o.noFork = true;
                    case "--console" -> o.consoleClient = true;
                    case "--features" -> o.features = List.of(value(argv, ++i, a).split(","));
                    case "--list-features" -> o.listFeatures = true;
                    case "-A", "--auth" -> o.initdb.put("auth", value(argv, ++i, a));
                    case "--pwfile" -> o.initdb.put("pwfile", Paths.get(value(argv, ++i, a)).toAbsolutePath().toString());
                    case "-U", "--username" -> o.initdb.put("username", value(argv, ++i, a));
                    case "-V", "--version" -> o.version = true;
                    case "-?", "-h", "--help" -> o.help = true;
                    default -> {
                        if (a.startsWith("-D") && a.length() > 2) {
                            o.dataDir = a.substring(2);
                        } else if (a.startsWith("-p") && a.length() > 2) {
                            o.settings.add("port=" + a.substring(2));
                        } else if (a.startsWith("-c") && a.length() > 2) {
                            o.settings.add(setting(a.substring(2)));
                        } else if (a.startsWith("--auth=")) {
                            o.initdb.put("auth", a.substring("--auth=".length()));
                        } else if (a.startsWith("--pwfile=")) {
                            o.initdb.put("pwfile", Paths.get(a.substring("--pwfile=".length())).toAbsolutePath().toString());
                        } else if (a.startsWith("--username=")) {
                            o.initdb.put("username", a.substring("--username=".length()));
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
    record Feature(String name, String description, List<String> requires, List<Entry> entries,
            Map<String, String> config) {

        static final List<String> ORDER = List.of("core", "background", "console");
        static final int DEFAULT_START_LEVEL = 3;
        static final int MAX_START_LEVEL = 4;

        /**
         * One bundle of a feature: its Maven artifactId (= jar name), start level
         * ({@code name@level}) and whether it is started: a feature's
         * {@code alternatives} are installed but not started, ready for
         * {@code modgres:swap}.
         */
        record Entry(String artifact, int startLevel, boolean start) {
            static Entry parse(String s) {
                int at = s.indexOf('@');
                return at < 0 ? new Entry(s, DEFAULT_START_LEVEL, true)
                        : new Entry(s.substring(0, at), Integer.parseInt(s.substring(at + 1)), true);
            }

            Entry alternative() {
                return new Entry(artifact, startLevel, false);
            }
        }

        List<String> bundles() {
            return entries.stream().map(e -> e.start() ? e.artifact() : e.artifact() + " (alternative)").toList();
        }

        /** The Bundle-SymbolicName of each bundle, read from the jars in this launcher. */
        List<String> symbolicNames() throws IOException {
            List<String> names = new ArrayList<>();
            for (Entry e : entries) {
                try (InputStream in = Main.class.getResourceAsStream("/bundles/" + e.artifact() + ".jar");
                        java.util.jar.JarInputStream jar = in == null ? null : new java.util.jar.JarInputStream(in)) {
                    String bsn = jar == null || jar.getManifest() == null ? null
                            : jar.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
                    names.add(bsn == null ? e.artifact() : bsn.split(";")[0].trim());
                }
            }
            return names;
        }

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
                    list(p.getProperty("requires", "")),
                    Stream.concat(list(p.getProperty("bundles", "")).stream().map(Entry::parse),
                            list(p.getProperty("alternatives", "")).stream().map(Entry::parse).map(Entry::alternative))
                            .toList(), config);
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
