package modgres.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.frameworkStartLevel;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.ops4j.pax.exam.Option;

/**
 * Turns the features' descriptors (features/NAME/feature.properties, the same
 * files the launcher embeds) into Pax Exam options that install the bundles
 * this build produced (target/bundles/ARTIFACT.jar) at their start levels.
 * Runs in the driver JVM, outside the framework.
 */
final class Features {
    private Features() {
    }

    /** Every feature the repository defines, in dependency order. */
    static List<String> all() {
        return List.of("core", "background", "console");
    }

    static Option[] options(String testName, String... features) {
        return options(testName, List.of(), features);
    }

    /** As {@link #options(String, String...)} with server settings ("name=value", as -c gives them). */
    static Option[] options(String testName, List<String> settings, String... features) {
        Path dataDir = tempDataDir(testName);
        List<Option> options = new ArrayList<>();
        options.add(junitBundles());
        // Above every level Pax Exam uses for its own bundles and the probe (ours are 1..4).
        options.add(frameworkStartLevel(20));
        options.add(frameworkProperty("modgres.datadir").value(dataDir.toString()));
        List<String> lines = new ArrayList<>(settings);
        lines.add(0, "port=" + freePort());
        options.add(frameworkProperty("modgres.options").value(String.join("\n", lines)));
        options.add(frameworkProperty("modgres.features").value(String.join(",", features)));
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        options.add(frameworkProperty("felix.log.level").value("1"));
        options.add(systemProperty("modgres.itest.datadir").value(dataDir.toString()));
        Path bundles = Paths.get(System.getProperty("modgres.bundles"));
        for (String f : features) {
            Properties p = descriptor(f);
            options.add(frameworkProperty("modgres.feature." + f + ".description").value(p.getProperty("description")));
            options.add(systemProperty("modgres.itest.bundles." + f).value(p.getProperty("bundles")));
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("config.")) {
                    options.add(frameworkProperty(key.substring(7)).value(p.getProperty(key)));
                }
            }
            for (String entry : p.getProperty("bundles").split(",")) {
                String[] e = entry.trim().split("@");
                int level = e.length > 1 ? Integer.parseInt(e[1]) : 3;
                Path jar = bundles.resolve(e[0] + ".jar");
                if (!Files.exists(jar)) {
                    throw new IllegalStateException("feature " + f + " names " + e[0] + " but " + jar + " is missing");
                }
                options.add(bundle(jar.toUri().toString()).startLevel(level).start());
            }
            // the feature's alternatives: installed, not started, ready for modgres:swap (as the launcher does)
            for (String entry : p.getProperty("alternatives", "").split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                String[] e = entry.trim().split("@");
                int level = e.length > 1 ? Integer.parseInt(e[1]) : 3;
                Path jar = bundles.resolve(e[0] + ".jar");
                if (!Files.exists(jar)) {
                    throw new IllegalStateException("feature " + f + " names " + e[0] + " but " + jar + " is missing");
                }
                options.add(bundle(jar.toUri().toString()).startLevel(level).noStart());
            }
        }
        return options.toArray(new Option[0]);
    }

    static Properties descriptor(String feature) {
        Path file = Paths.get(System.getProperty("modgres.featuresDir"), feature, "feature.properties");
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh data directory, removed when the test JVM exits (after Pax Exam stopped the framework). */
    private static Path tempDataDir(String testName) {
        try {
            Path parent = Files.createTempDirectory("modgres-itest-" + testName + "-");
            Path dir = parent.resolve("data");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(parent)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // already gone
        }
    }
}
