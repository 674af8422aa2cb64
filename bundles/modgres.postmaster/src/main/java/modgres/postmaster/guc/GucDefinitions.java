package modgres.postmaster.guc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import modgres.api.settings.SettingContext;
import modgres.api.settings.SettingDefinition;
import modgres.api.settings.SettingType;

/**
 * The settings Modgres defines, read at class initialisation from
 * {@code settings.tsv} (PostgreSQL 15's own definitions, as its
 * {@code pg_settings} reports them), with Modgres' deviations applied in
 * {@link #modgresBootValues()} and {@link #dynamicDefaults()}.
 */
final class GucDefinitions {

    /** The version Modgres reports in {@code server_version}. */
    static final String SERVER_VERSION = "15.0 (Modgres 0.1.0)";
    static final String SERVER_VERSION_NUM = "150000";

    static final String FLAG_REPORT = "REPORT";
    static final String FLAG_NOT_IN_SAMPLE = "NOT_IN_SAMPLE";
    static final String FLAG_NO_SHOW_ALL = "NO_SHOW_ALL";
    static final String FLAG_DISALLOW_IN_FILE = "DISALLOW_IN_FILE";
    static final String FLAG_PLACEHOLDER = "PLACEHOLDER";

    /**
     * ===== Modgres' deviations from PostgreSQL 15's built-in values =====
     *
     * <p>settings.tsv holds PostgreSQL's definitions unchanged. These are the
     * only built-in values (boot_val) in which Modgres differs, each for the
     * reason given.
     */
    private static Map<String, String> modgresBootValues() {
        Map<String, String> m = new LinkedHashMap<>();
        // What clients see: PostgreSQL 15 compatibility, Modgres' own release.
        m.put("server_version", SERVER_VERSION);
        m.put("server_version_num", SERVER_VERSION_NUM);
        // Modgres always checksums data pages.
        m.put("data_checksums", "on");
        // Modgres has no JIT compiler.
        m.put("jit", "off");
        // Modgres' only server encoding and locale.
        m.put("server_encoding", "UTF8");
        for (String lc : List.of("lc_collate", "lc_ctype", "lc_messages", "lc_monetary", "lc_numeric", "lc_time")) {
            m.put(lc, "C");
        }
        // PostgreSQL's initdb writes the operating system's zone into postgresql.conf; Modgres
        // uses the JVM's zone as the built-in default instead of "GMT".
        String zone = TimeZones.jvmZone();
        m.put("TimeZone", zone);
        m.put("log_timezone", zone);
        // The reference PostgreSQL is Debian's build (/var/run/postgresql); this is upstream's default.
        m.put("unix_socket_directories", "/tmp");
        return m;
    }

    /** Bounds that change with the boot values above (pg_settings shows min = max = the version). */
    private static Map<String, String[]> modgresBounds() {
        return Map.of("server_version_num", new String[] {SERVER_VERSION_NUM, SERVER_VERSION_NUM});
    }

    /**
     * Values PostgreSQL computes at start-up instead of using boot_val
     * (PGC_S_DYNAMIC_DEFAULT: pg_settings says source "default"). They apply
     * whenever the setting has no other source. wal_buffers = -1 is resolved
     * separately, from shared_buffers.
     */
    static Map<String, String> dynamicDefaults() {
        return DYNAMIC_DEFAULTS;
    }

    private static final Map<String, String> DYNAMIC_DEFAULTS = Map.of(
            // min(stack rlimit - 512kB, 2MB) in PostgreSQL; Modgres uses the 2MB cap
            "max_stack_depth", "2048",
            // pg_timezone_abbrev_initialize()
            "timezone_abbreviations", "Default",
            // the database encoding, in every process
            "client_encoding", "UTF8");

    /** Old names PostgreSQL still accepts (map_old_guc_names). */
    static final Map<String, String> OLD_NAMES = Map.of("sort_mem", "work_mem", "vacuum_mem",
            "maintenance_work_mem");

    /** One setting's definition with what the engine needs beyond the API record. */
    static final class Def {
        final SettingDefinition api;
        final String name;
        final String lowerName;
        final SettingType type;
        final SettingContext context;
        final GucUnit unit;
        final String pgBootValue;
        final String bootValue;
        final long minInt;
        final long maxInt;
        final double minReal;
        final double maxReal;
        final List<String> enumValues;
        /** Lower-cased accepted spelling -> the label SHOW prints. */
        final Map<String, String> enumLookup;
        final Set<String> flags;

        Def(String name, SettingType type, SettingContext context, GucUnit unit, String category, String shortDesc,
                String pgBootValue, String bootValue, String min, String max, List<String> enumValues,
                Map<String, String> aliases, Set<String> flags) {
            this.name = name;
            this.lowerName = name.toLowerCase(Locale.ROOT);
            this.type = type;
            this.context = context;
            this.unit = unit;
            this.pgBootValue = pgBootValue;
            this.bootValue = bootValue;
            this.minInt = type == SettingType.INTEGER ? Long.parseLong(min) : 0;
            this.maxInt = type == SettingType.INTEGER ? Long.parseLong(max) : 0;
            this.minReal = type == SettingType.REAL ? parseBound(min) : 0;
            this.maxReal = type == SettingType.REAL ? parseBound(max) : 0;
            this.enumValues = List.copyOf(enumValues);
            Map<String, String> lookup = new LinkedHashMap<>();
            for (String v : enumValues) {
                lookup.put(GucValues.asciiLower(v), v);
            }
            aliases.forEach((k, v) -> lookup.put(GucValues.asciiLower(k), v));
            this.enumLookup = Collections.unmodifiableMap(lookup);
            this.flags = Set.copyOf(flags);
            this.api = new SettingDefinition(name, type, context, unit == null ? null : unit.pgName(), category,
                    shortDesc, bootValue, emptyToNull(min), emptyToNull(max), enumValues);
        }

        boolean has(String flag) {
            return flags.contains(flag);
        }

        boolean isPlaceholder() {
            return flags.contains(FLAG_PLACEHOLDER);
        }

        /** The built-in value, typed. */
        Object bootRaw() {
            return GucValues.rawFromConfigString(this, bootValue);
        }

        private static double parseBound(String s) {
            // pg_settings prints DBL_MAX with %g, which reads back as less than DBL_MAX
            if (s.equals("1.79769e+308")) {
                return Double.MAX_VALUE;
            }
            if (s.equals("-1.79769e+308")) {
                return -Double.MAX_VALUE;
            }
            return Double.parseDouble(s);
        }

        private static String emptyToNull(String s) {
            return s == null || s.isEmpty() ? null : s;
        }
    }

    /** A placeholder for a custom setting ({@code myapp.x}), as PostgreSQL creates it. */
    static Def placeholder(String name) {
        return new Def(name, SettingType.STRING, SettingContext.USER, null, "Customized Options",
                "GUC placeholder variable", "", "", "", "", List.of(), Map.of(),
                Set.of(FLAG_PLACEHOLDER, FLAG_NO_SHOW_ALL, FLAG_NOT_IN_SAMPLE));
    }

    private static final List<Def> ALL;
    private static final Map<String, Def> BY_LOWER_NAME;

    static {
        List<Def> defs = new ArrayList<>();
        Map<String, String> boot = modgresBootValues();
        Map<String, String[]> bounds = modgresBounds();
        try (InputStream in = GucDefinitions.class.getResourceAsStream("settings.tsv")) {
            if (in == null) {
                throw new IllegalStateException("settings.tsv is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 12) {
                    throw new IllegalStateException("bad settings.tsv line: " + line);
                }
                String name = f[0];
                SettingType type = typeOf(f[1]);
                SettingContext context = contextOf(f[2]);
                String[] b = bounds.getOrDefault(name, new String[] {f[7], f[8]});
                List<String> enumValues = type == SettingType.ENUM ? Arrays.asList(f[9].split("\\|", -1)) : List.of();
                Map<String, String> aliases = new LinkedHashMap<>();
                if (!f[10].isEmpty()) {
                    for (String a : f[10].split(",")) {
                        int eq = a.indexOf('=');
                        aliases.put(a.substring(0, eq), a.substring(eq + 1));
                    }
                }
                Set<String> flags = f[11].isEmpty() ? Set.of() : Set.of(f[11].split(","));
                defs.add(new Def(name, type, context, GucUnit.fromPgName(f[3]), f[4], f[5], f[6],
                        boot.getOrDefault(name, f[6]), b[0], b[1], enumValues, aliases, flags));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Def> byName = new HashMap<>();
        for (Def d : defs) {
            if (byName.put(d.lowerName, d) != null) {
                throw new IllegalStateException("duplicate setting " + d.name);
            }
        }
        for (String name : boot.keySet()) {
            if (!byName.containsKey(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalStateException("override of unknown setting " + name);
            }
        }
        ALL = List.copyOf(defs);
        BY_LOWER_NAME = Map.copyOf(byName);
    }

    private GucDefinitions() {
    }

    /** Every definition, in the order of settings.tsv (category order). */
    static List<Def> all() {
        return ALL;
    }

    /** The definition for a name in any case (old names included), or null. */
    static Def find(String name) {
        String lower = GucValues.asciiLower(name);
        Def d = BY_LOWER_NAME.get(lower);
        if (d == null) {
            String current = OLD_NAMES.get(lower);
            if (current != null) {
                d = BY_LOWER_NAME.get(current);
            }
        }
        return d;
    }

    private static SettingType typeOf(String pg) {
        for (SettingType t : SettingType.values()) {
            if (t.pgName().equals(pg)) {
                return t;
            }
        }
        throw new IllegalStateException("unknown vartype " + pg);
    }

    private static SettingContext contextOf(String pg) {
        for (SettingContext c : SettingContext.values()) {
            if (c.pgName().equals(pg)) {
                return c;
            }
        }
        throw new IllegalStateException("unknown context " + pg);
    }
}
