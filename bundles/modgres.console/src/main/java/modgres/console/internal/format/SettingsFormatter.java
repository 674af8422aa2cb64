package modgres.console.internal.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import modgres.api.settings.Setting;

/**
 * Output of {@code modgres:settings} and {@code modgres:reload}: settings as
 * {@code SELECT name, setting, unit, source, context FROM pg_settings} prints
 * them in psql (the setting column in its {@code SHOW} form), and what a
 * reload changed in the words of PostgreSQL's log.
 */
public final class SettingsFormatter {

    private SettingsFormatter() {
    }

    /** The settings whose names match pattern (see {@link NamePattern}; null for all). */
    public static String table(List<Setting> settings, String pattern) {
        NamePattern p = NamePattern.of(pattern);
        PsqlTable t = new PsqlTable("name", "setting", "unit", "source", "context");
        for (Setting s : settings) {
            if (p.matches(s.name())) {
                t.row(s.name(), s.display(), s.definition().unit(), s.source().pgName(),
                        s.definition().context().pgName());
            }
        }
        return t.render();
    }

    /** The message for an unknown name, as PostgreSQL's SHOW reports it. */
    public static String unrecognized(String name) {
        return "ERROR:  unrecognized configuration parameter \"" + name + "\"";
    }

    /**
     * What changed between two listings of the settings, one line each:
     * {@code parameter "x" changed to "v"} for an applied change, and
     * {@code parameter "x" cannot be changed without restarting the server}
     * for a setting newly pending a restart, as PostgreSQL logs a reload.
     */
    public static List<String> changes(List<Setting> before, List<Setting> after) {
        Map<String, Setting> old = new HashMap<>();
        before.forEach(s -> old.put(s.name(), s));
        List<String> lines = new ArrayList<>();
        for (Setting s : after) {
            Setting o = old.get(s.name());
            if (o == null || !Objects.equals(o.value(), s.value())) {
                lines.add("parameter \"" + s.name() + "\" changed to \"" + s.display() + "\"");
            }
            if (s.pendingRestart() && (o == null || !o.pendingRestart())) {
                lines.add("parameter \"" + s.name() + "\" cannot be changed without restarting the server");
            }
        }
        return lines;
    }
}
