package modgres.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.felix.service.command.Descriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import modgres.api.server.ProcessInfo;
import modgres.api.server.ServerControl;
import modgres.api.server.ServerState;
import modgres.api.server.ShutdownMode;
import modgres.api.settings.ReloadResult;
import modgres.api.settings.Setting;
import modgres.api.settings.SettingContext;
import modgres.api.settings.SettingDefinition;
import modgres.api.settings.SettingSource;
import modgres.api.settings.SettingType;
import modgres.api.settings.Settings;

/** The commands' glue, with System.out and System.err captured as Gogo would route them. */
class ModgresCommandsTest {

    static final Set<String> FUNCTIONS = Set.of("status", "features", "ptree", "memory", "settings", "show", "reload",
            "shutdown", "checkpoint", "waldump", "impls", "swap");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    private final FakeServer server = new FakeServer();
    private final FakeSettings settings = new FakeSettings();

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    static BundleContext context(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(ModgresCommandsTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> properties.get((String) args[0]);
                    case "getBundles" -> new Bundle[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void everyCommandAndParameterHasHelpText() {
        List<String> seen = new ArrayList<>();
        for (Method m : ModgresCommands.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers())) {
                continue;
            }
            seen.add(m.getName());
            assertNotNull(m.getAnnotation(Descriptor.class), m.getName());
            for (Parameter p : m.getParameters()) {
                assertNotNull(p.getAnnotation(Descriptor.class), m.getName() + " " + p.getName());
            }
        }
        assertEquals(FUNCTIONS, Set.copyOf(seen));
    }

    @Test
    void showPrintsTheShowFormOrPostgresError() {
        ModgresCommands c = new ModgresCommands(server, settings, context(Map.of()));
        assertEquals("128MB", c.show("shared_buffers"));
        assertNull(c.show("nope"));
        assertEquals("ERROR:  unrecognized configuration parameter \"nope\"\n", err());
    }

    @Test
    void settingsFilters() {
        new ModgresCommands(server, settings, context(Map.of())).settings("shared");
        assertTrue(out().contains(" shared_buffers | 128MB   | 8kB  | default | postmaster\n(1 row)\n"), out());
    }

    @Test
    void reloadSignalsAndReportsChanges() {
        new ModgresCommands(server, settings, context(Map.of())).reload();
        assertEquals(1, server.reloads);
        assertEquals("server signaled\nparameter \"work_mem\" changed to \"8MB\"\n", out());
    }

    @Test
    void shutdownDefaultsToFast() {
        ModgresCommands c = new ModgresCommands(server, settings, context(Map.of()));
        c.shutdown();
        assertEquals(ShutdownMode.FAST, server.shutdown);
        c.shutdown("Immediate");
        assertEquals(ShutdownMode.IMMEDIATE, server.shutdown);
        c.shutdown("later");
        assertEquals(ShutdownMode.IMMEDIATE, server.shutdown);
        assertEquals("server shutting down (fast shutdown requested)\n"
                + "server shutting down (immediate shutdown requested)\n", out());
        assertEquals("unrecognized shutdown mode \"later\" (smart, fast or immediate)\n", err());
    }

    @Test
    void withoutServerEveryCommandSaysSo() {
        ModgresCommands c = new ModgresCommands(null, null, context(Map.of("modgres.datadir", "/d")));
        c.ptree();
        c.settings();
        assertNull(c.show("port"));
        c.reload();
        c.shutdown("smart");
        assertEquals((ModgresCommands.NO_SERVER + "\n").repeat(5), err());
        c.status();
        assertTrue(out().startsWith("state           no server"), out());
        assertTrue(out().contains("data directory  /d\n"), out());
    }

    @Test
    void memoryListsEachBackendsAccount() {
        server.backends = List.of(new modgres.api.backend.BackendStatus(43, "shop", "alice", "psql", null, -1, 0, 0,
                0, 0, "active", "select 1", new modgres.api.backend.BackendMemory(2048, 4096, 10240, 3, 1024, 1,
                        8192)));
        ModgresCommands c = new ModgresCommands(server, settings, context(Map.of()));
        c.memory();
        assertEquals("""
                PID  USER   DATABASE  STATE   WORK MEM kB  QUERY PEAK kB  SESSION PEAK kB  TEMP BUFFERS  TEMP FILES  TEMP FILE kB
                 43  alice  shop      active            2              4               10        3/1024           1             8
                """, out());
        new ModgresCommands(null, settings, context(Map.of())).memory();
        assertEquals(ModgresCommands.NO_SERVER + "\n", err());
    }

    @Test
    void statusAndPtreeWithServer() {
        ModgresCommands c = new ModgresCommands(server, settings, context(Map.of("modgres.features", "core",
                "modgres.feature.core.bundles", "modgres.api")));
        c.status();
        assertTrue(out().startsWith("state           ready\npid             42\n"), out());
        out.reset();
        c.ptree();
        assertEquals("42 postmaster -D /data\n└─ 43 logger\n", out());
        out.reset();
        c.features();
        assertEquals("core\n  ID  STATE          BUNDLE       VERSION\n   -  NOT INSTALLED  modgres.api\n", out());
    }

    static final class FakeServer implements ServerControl {
        int reloads;
        ShutdownMode shutdown;
        List<modgres.api.backend.BackendStatus> backends = List.of();

        @Override
        public List<modgres.api.backend.BackendStatus> backendStatuses() {
            return backends;
        }

        public ServerState state() {
            return ServerState.READY;
        }

        public long pid() {
            return 42;
        }

        public Instant startTime() {
            return Instant.now();
        }

        public Path dataDirectory() {
            return Path.of("/data");
        }

        public int port() {
            return 5432;
        }

        public String version() {
            return "15.0 (Modgres 0.1.0)";
        }

        public List<ProcessInfo> processes() {
            return List.of(new ProcessInfo(43, "logger", "modgres.logger", List.of()));
        }

        public void reload() {
            reloads++;
        }

        public void shutdown(ShutdownMode mode) {
            shutdown = mode;
        }
    }

    /** shared_buffers and work_mem; work_mem becomes 8MB once the server reloaded. */
    final class FakeSettings implements Settings {
        private Setting s(String name, String value, String display, String unit, SettingContext context) {
            return new Setting(new SettingDefinition(name, SettingType.INTEGER, context, unit, "c", "d", value, null,
                    null, null), value, display, SettingSource.DEFAULT, null, 0, value, false);
        }

        public List<Setting> all() {
            return List.of(s("shared_buffers", "16384", "128MB", "8kB", SettingContext.POSTMASTER),
                    server.reloads == 0 ? s("work_mem", "4096", "4MB", "kB", SettingContext.USER)
                            : s("work_mem", "8192", "8MB", "kB", SettingContext.USER));
        }

        public Optional<Setting> find(String name) {
            return all().stream().filter(x -> x.name().equalsIgnoreCase(name)).findFirst();
        }

        public Path dataDirectory() {
            return Path.of("/data");
        }

        public String show(String name) {
            return find(name).orElseThrow().display();
        }

        public String getString(String name) {
            throw new UnsupportedOperationException();
        }

        public int getInt(String name) {
            throw new UnsupportedOperationException();
        }

        public long getLong(String name) {
            throw new UnsupportedOperationException();
        }

        public double getReal(String name) {
            throw new UnsupportedOperationException();
        }

        public boolean getBool(String name) {
            throw new UnsupportedOperationException();
        }

        public String validate(String name, String value) {
            throw new UnsupportedOperationException();
        }

        public ReloadResult reload() {
            throw new UnsupportedOperationException();
        }

        public void alterSystem(String name, String value) {
            throw new UnsupportedOperationException();
        }
    }
}
