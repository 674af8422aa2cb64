package modgres.autovacuum;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import modgres.api.error.PgException;
import modgres.api.settings.ReloadResult;
import modgres.api.settings.Setting;
import modgres.api.settings.SettingContext;
import modgres.api.settings.SettingDefinition;
import modgres.api.settings.SettingSource;
import modgres.api.settings.SettingType;
import modgres.api.settings.Settings;

/** The autovacuum settings with PostgreSQL 15's defaults (base units), changeable by tests. */
final class FakeSettings implements Settings {
    private final Map<String, String> values = new ConcurrentHashMap<>();

    FakeSettings() {
        set("autovacuum", "on");
        set("track_counts", "on");
        set("autovacuum_naptime", "60");
        set("autovacuum_max_workers", "3");
        set("autovacuum_vacuum_threshold", "50");
        set("autovacuum_vacuum_scale_factor", "0.2");
        set("autovacuum_vacuum_insert_threshold", "1000");
        set("autovacuum_vacuum_insert_scale_factor", "0.2");
        set("autovacuum_analyze_threshold", "50");
        set("autovacuum_analyze_scale_factor", "0.1");
        set("autovacuum_vacuum_cost_delay", "2");
        set("autovacuum_vacuum_cost_limit", "-1");
        set("vacuum_cost_delay", "0");
        set("vacuum_cost_limit", "200");
        set("vacuum_cost_page_hit", "1");
        set("vacuum_cost_page_miss", "2");
        set("vacuum_cost_page_dirty", "20");
        set("log_autovacuum_min_duration", "600000");
        set("autovacuum_freeze_max_age", "200000000");
    }

    FakeSettings set(String name, String value) {
        values.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    private String value(String name) {
        String v = values.get(name.toLowerCase(Locale.ROOT));
        if (v == null) {
            throw new PgException("42704", "unrecognized configuration parameter \"" + name + "\"");
        }
        return v;
    }

    @Override
    public Path dataDirectory() {
        return Path.of(".");
    }

    @Override
    public Optional<Setting> find(String name) {
        String v = values.get(name.toLowerCase(Locale.ROOT));
        if (v == null) {
            return Optional.empty();
        }
        SettingDefinition d = new SettingDefinition(name, SettingType.STRING, SettingContext.SIGHUP, null, "Test",
                name, v, null, null, List.of());
        return Optional.of(new Setting(d, v, v, SettingSource.CONFIGURATION_FILE, null, 0, v, false));
    }

    @Override
    public List<Setting> all() {
        List<Setting> out = new ArrayList<>();
        for (String n : values.keySet()) {
            find(n).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public String show(String name) {
        return value(name);
    }

    @Override
    public String getString(String name) {
        return value(name);
    }

    @Override
    public int getInt(String name) {
        return Integer.parseInt(value(name));
    }

    @Override
    public long getLong(String name) {
        return Long.parseLong(value(name));
    }

    @Override
    public double getReal(String name) {
        return Double.parseDouble(value(name));
    }

    @Override
    public boolean getBool(String name) {
        String v = value(name);
        return v.equals("on") || v.equals("true");
    }

    @Override
    public String validate(String name, String value) {
        return value;
    }

    @Override
    public ReloadResult reload() {
        return new ReloadResult(List.of(), List.of(), List.of());
    }

    @Override
    public void alterSystem(String name, String value) {
        set(name, value);
    }
}
