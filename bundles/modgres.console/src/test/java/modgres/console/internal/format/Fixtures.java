package modgres.console.internal.format;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import modgres.api.server.ProcessInfo;
import modgres.api.server.ServerControl;
import modgres.api.server.ServerState;
import modgres.api.server.ShutdownMode;
import modgres.api.settings.Setting;
import modgres.api.settings.SettingContext;
import modgres.api.settings.SettingDefinition;
import modgres.api.settings.SettingSource;
import modgres.api.settings.SettingType;

/** Test data shared by the formatter tests. */
final class Fixtures {

    private Fixtures() {
    }

    static Setting setting(String name, String value, String display, String unit, SettingSource source,
            SettingContext context, boolean pendingRestart) {
        SettingDefinition d = new SettingDefinition(name, SettingType.INTEGER, context, unit, "Test", "A test setting",
                value, null, null, null);
        return new Setting(d, value, display, source, null, 0, value, pendingRestart);
    }

    static Setting setting(String name, String value, String display, String unit, SettingSource source,
            SettingContext context) {
        return setting(name, value, display, unit, source, context, false);
    }

    /** A ServerControl that answers from fields; throws when failing is set. */
    static final class FakeServer implements ServerControl {
        ServerState state = ServerState.READY;
        long pid = 4711;
        Instant start = Instant.parse("2026-11-24T09:00:00Z");
        Path dataDir = Path.of("/srv/modgres/data");
        int port = 5432;
        String version = "15.0 (Modgres 0.1.0)";
        List<ProcessInfo> processes = List.of();
        boolean failing;
        int reloads;
        ShutdownMode shutdown;

        private void check() {
            if (failing) {
                throw new IllegalStateException("postmaster is going away");
            }
        }

        @Override
        public ServerState state() {
            check();
            return state;
        }

        @Override
        public long pid() {
            check();
            return pid;
        }

        @Override
        public Instant startTime() {
            check();
            return start;
        }

        @Override
        public Path dataDirectory() {
            check();
            return dataDir;
        }

        @Override
        public int port() {
            check();
            return port;
        }

        @Override
        public String version() {
            check();
            return version;
        }

        @Override
        public List<ProcessInfo> processes() {
            check();
            return processes;
        }

        @Override
        public void reload() {
            reloads++;
        }

        @Override
        public void shutdown(ShutdownMode mode) {
            shutdown = mode;
        }
    }
}
