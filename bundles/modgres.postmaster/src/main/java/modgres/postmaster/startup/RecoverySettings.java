package modgres.postmaster.startup;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

import modgres.api.settings.Settings;

/**
 * What archive recovery reads: the data directory (for {@code recovery.signal},
 * {@code standby.signal}, {@code promote} and {@code pg_wal/}) and settings by
 * PostgreSQL's names ({@code restore_command}, {@code recovery_target_*}, ...),
 * read when needed so that a reload of a {@code sighup} setting
 * ({@code restore_command}) applies to the next segment, as in PostgreSQL.
 */
public interface RecoverySettings {

    Path dataDirectory();

    /** The setting's value ({@code ""} when it is empty or not defined). */
    String get(String name);

    /** Over the server's {@link Settings}. */
    static RecoverySettings of(Settings settings) {
        return new RecoverySettings() {
            @Override
            public Path dataDirectory() {
                return settings.dataDirectory();
            }

            @Override
            public String get(String name) {
                try {
                    if (settings.find(name).isEmpty()) {
                        return "";
                    }
                    String v = settings.getString(name);
                    return v == null ? "" : v;
                } catch (RuntimeException e) {
                    return "";
                }
            }
        };
    }

    /** Fixed values (tests, tools); names are case-insensitive as PostgreSQL's. */
    static RecoverySettings of(Path dataDirectory, Map<String, String> values) {
        Map<String, String> lower = new java.util.HashMap<>();
        values.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return new RecoverySettings() {
            @Override
            public Path dataDirectory() {
                return dataDirectory;
            }

            @Override
            public String get(String name) {
                String v = lower.get(name.toLowerCase(java.util.Locale.ROOT));
                return v == null ? "" : v;
            }
        };
    }

    /**
     * The {@link Settings} service of the framework this bundle runs in, or
     * null outside OSGi (or when there is none). A bridge for a caller that
     * does not hand the settings to {@link StartupProcess} itself: the
     * postmaster component of this bundle registers them, so they are there
     * by the time the startup process runs.
     */
    static RecoverySettings fromFramework() {
        try {
            Bundle b = FrameworkUtil.getBundle(StartupProcess.class);
            BundleContext ctx = b == null ? null : b.getBundleContext();
            if (ctx == null) {
                return null;
            }
            ServiceReference<Settings> ref = ctx.getServiceReference(Settings.class);
            Settings s = ref == null ? null : ctx.getService(ref);
            return s == null ? null : of(s);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
