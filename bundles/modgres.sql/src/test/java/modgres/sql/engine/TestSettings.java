package modgres.sql.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import modgres.api.error.PgException;
import modgres.api.settings.ReloadResult;
import modgres.api.settings.Setting;
import modgres.api.settings.SettingContext;
import modgres.api.settings.SettingDefinition;
import modgres.api.settings.SettingSource;
import modgres.api.settings.SettingType;
import modgres.api.settings.Settings;

/** A few settings with PostgreSQL's definitions and a simplified validate. */
final class TestSettings implements Settings {
    private final Path dataDirectory;
    private final Map<String, Setting> settings = new TreeMap<>();

    TestSettings(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        def("application_name", SettingType.STRING, SettingContext.USER, null, "");
        def("client_min_messages", SettingType.ENUM, SettingContext.USER, null, "notice");
        def("client_encoding", SettingType.STRING, SettingContext.USER, null, "UTF8");
        def("datestyle", SettingType.STRING, SettingContext.USER, null, "ISO, MDY");
        def("default_toast_compression", SettingType.ENUM, SettingContext.USER, null, "pglz");
        def("default_transaction_read_only", SettingType.BOOL, SettingContext.USER, null, "off");
        def("default_transaction_deferrable", SettingType.BOOL, SettingContext.USER, null, "off");
        def("default_transaction_isolation", SettingType.STRING, SettingContext.USER, null, "read committed");
        def("extra_float_digits", SettingType.INTEGER, SettingContext.USER, null, "1");
        def("in_hot_standby", SettingType.BOOL, SettingContext.INTERNAL, null, "off");
        def("integer_datetimes", SettingType.BOOL, SettingContext.INTERNAL, null, "on");
        def("intervalstyle", SettingType.ENUM, SettingContext.USER, null, "postgres");
        def("lc_messages", SettingType.STRING, SettingContext.SUPERUSER, null, "C");
        def("log_checkpoints", SettingType.BOOL, SettingContext.SIGHUP, null, "on");
        def("log_connections", SettingType.BOOL, SettingContext.SUPERUSER_BACKEND, null, "off");
        def("search_path", SettingType.STRING, SettingContext.USER, null, "\"$user\", public");
        def("server_encoding", SettingType.STRING, SettingContext.INTERNAL, null, "UTF8");
        def("server_version", SettingType.STRING, SettingContext.INTERNAL, null, "15.0 (Modgres 0.1.0)");
        def("shared_buffers", SettingType.INTEGER, SettingContext.POSTMASTER, "8kB", "16384");
        def("standard_conforming_strings", SettingType.BOOL, SettingContext.USER, null, "on");
        def("statement_timeout", SettingType.INTEGER, SettingContext.USER, "ms", "0");
        def("timezone", SettingType.STRING, SettingContext.USER, null, "UTC");
        def("work_mem", SettingType.INTEGER, SettingContext.USER, "kB", "4096");
        // executor memory and the planner's method switches (PostgreSQL 15's definitions)
        def("maintenance_work_mem", SettingType.INTEGER, SettingContext.USER, "kB", "65536");
        def("temp_file_limit", SettingType.INTEGER, SettingContext.SUPERUSER, "kB", "-1");
        def("log_temp_files", SettingType.INTEGER, SettingContext.SUPERUSER, "kB", "-1");
        def("temp_buffers", SettingType.INTEGER, SettingContext.USER, "8kB", "1024");
        for (String m : List.of("bitmapscan", "hashjoin", "indexscan", "material", "mergejoin", "nestloop",
                "seqscan", "sort")) {
            def("enable_" + m, SettingType.BOOL, SettingContext.USER, null, "on");
        }
        def("join_collapse_limit", SettingType.INTEGER, SettingContext.USER, null, "8");
    }

    private void def(String name, SettingType type, SettingContext ctx, String unit, String value) {
        List<String> enums = type != SettingType.ENUM ? List.of()
                : name.equals("client_min_messages") ? List.of("debug5", "debug4", "debug3", "debug2", "debug1", "log",
                        "notice", "warning", "error")
                : name.equals("default_toast_compression") ? List.of("pglz", "lz4")
                : List.of("postgres", "postgres_verbose", "sql_standard", "iso_8601");
        String min = type != SettingType.INTEGER ? null : switch (name) {
            case "work_mem" -> "64";
            case "maintenance_work_mem" -> "1024";
            case "temp_file_limit", "log_temp_files" -> "-1";
            case "temp_buffers" -> "100";
            default -> "0";
        };
        SettingDefinition d = new SettingDefinition(name, type, ctx, unit, "Test", "Describes " + name + ".", value,
                min, type == SettingType.INTEGER ? "2147483647" : null, enums);
        String display = unit == null ? value : SessionSettings.withUnit(value, d);
        settings.put(name, new Setting(d, value, display, SettingSource.DEFAULT, null, 0, value, false));
    }

    @Override
    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public Optional<Setting> find(String name) {
        return Optional.ofNullable(settings.get(name.toLowerCase(Locale.ROOT)));
    }

    @Override
    public List<Setting> all() {
        return new ArrayList<>(settings.values());
    }

    private Setting get(String name) {
        Setting s = settings.get(name.toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new PgException("42704", "unrecognized configuration parameter \"" + name + "\"");
        }
        return s;
    }

    @Override
    public String show(String name) {
        return get(name).display();
    }

    @Override
    public String getString(String name) {
        return get(name).value();
    }

    @Override
    public int getInt(String name) {
        return Integer.parseInt(getString(name));
    }

    @Override
    public long getLong(String name) {
        return Long.parseLong(getString(name));
    }

    @Override
    public double getReal(String name) {
        return Double.parseDouble(getString(name));
    }

    @Override
    public boolean getBool(String name) {
        return getString(name).equals("on");
    }

    @Override
    public String validate(String name, String value) {
        SettingDefinition d = get(name).definition();
        String v = value.strip();
        switch (d.type()) {
            case BOOL -> {
                String l = v.toLowerCase(Locale.ROOT);
                if (List.of("on", "true", "yes", "1", "t").contains(l)) {
                    return "on";
                }
                if (List.of("off", "false", "no", "0", "f").contains(l)) {
                    return "off";
                }
                throw new PgException("22023", "parameter \"" + d.name() + "\" requires a Boolean value");
            }
            case INTEGER -> {
                long mult = 1;
                String num = v;
                if (v.endsWith("MB")) {
                    mult = 1024;
                    num = v.substring(0, v.length() - 2);
                } else if (v.endsWith("kB")) {
                    num = v.substring(0, v.length() - 2);
                } else if (v.endsWith("ms")) {
                    num = v.substring(0, v.length() - 2);
                } else if (v.endsWith("s")) {
                    mult = 1000;
                    num = v.substring(0, v.length() - 1);
                }
                long n;
                try {
                    n = Long.parseLong(num.strip()) * mult;
                } catch (NumberFormatException e) {
                    throw new PgException("22023", "invalid value for parameter \"" + d.name() + "\": \"" + value
                            + "\"");
                }
                if (n < Long.parseLong(d.minValue()) || n > Long.parseLong(d.maxValue())) {
                    throw new PgException("22023", n + (d.unit() == null ? "" : " " + d.unit())
                            + " is outside the valid range for parameter \"" + d.name() + "\" (" + d.minValue()
                            + " .. " + d.maxValue() + ")");
                }
                return Long.toString(n);
            }
            case ENUM -> {
                String l = v.toLowerCase(Locale.ROOT);
                if (!d.enumValues().contains(l)) {
                    throw new PgException("22023", "invalid value for parameter \"" + d.name() + "\": \"" + value
                            + "\"");
                }
                return l;
            }
            default -> {
                return d.name().equals("datestyle") && v.equalsIgnoreCase("iso") ? "ISO, MDY" : v;
            }
        }
    }

    @Override
    public ReloadResult reload() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void alterSystem(String name, String value) {
        throw new UnsupportedOperationException();
    }
}
