package modgres.postmaster.guc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.settings.SettingContext;
import modgres.api.settings.SettingType;
import modgres.postmaster.guc.GucDefinitions.Def;

/**
 * Generates the postgresql.conf that initdb writes: every setting, commented
 * out with its built-in value, grouped under the headings of its category,
 * and the lines initdb activates.
 */
final class SampleConfig {

    private static final int COMMENT_COLUMN = 40;
    private static final int WIDTH = 79;
    private static final String RULE = "#------------------------------------------------------------------------------\n";

    private SampleConfig() {
    }

    /** The lines PostgreSQL 15's initdb un-comments, with the values it writes (lower-case names). */
    private static Map<String, String> initdbLines() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("max_connections", "100");
        m.put("shared_buffers", "128MB");
        m.put("dynamic_shared_memory_type", "posix");
        m.put("max_wal_size", "1GB");
        m.put("min_wal_size", "80MB");
        String zone = GucSettings.quote(GucDefinitions.find("TimeZone").bootValue);
        m.put("log_timezone", zone);
        m.put("datestyle", "'iso, mdy'");
        m.put("timezone", zone);
        for (String lc : List.of("lc_messages", "lc_monetary", "lc_numeric", "lc_time")) {
            m.put(lc, "'C'");
        }
        m.put("default_text_search_config", "'pg_catalog.english'");
        return m;
    }

    static String generate(Map<String, String> overrides) {
        Map<String, String> active = initdbLines();
        Map<String, String> extra = new LinkedHashMap<>();
        GucValues.Current defaults = name -> {
            Def d = GucDefinitions.find(name);
            return d == null ? null : d.bootRaw();
        };
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            String name = o.getKey();
            String value = o.getValue();
            Def def = GucDefinitions.find(name);
            if (def == null) {
                if (name.indexOf('.') < 0) {
                    throw new PgException(SqlState.UNDEFINED_OBJECT,
                            "unrecognized configuration parameter \"" + name + "\"");
                }
                if (!GucSettings.validCustomName(name)) {
                    throw new PgException("42602", "invalid configuration parameter name \"" + name + "\"",
                            "Custom parameter names must be two or more simple identifiers separated by dots.", null);
                }
                extra.put(name, GucSettings.quote(value));
                continue;
            }
            if (def.context == SettingContext.INTERNAL || def.has(GucDefinitions.FLAG_DISALLOW_IN_FILE)) {
                throw new PgException(SqlState.CANT_CHANGE_RUNTIME_PARAM,
                        "parameter \"" + name + "\" cannot be changed");
            }
            GucValues.parse(def, name, value, defaults);
            String text = def.type == SettingType.STRING ? GucSettings.quote(value) : literal(value);
            if (def.has(GucDefinitions.FLAG_NOT_IN_SAMPLE) || def.api.category().equals("Preset Options")) {
                extra.put(def.lowerName, text);
            } else {
                active.put(def.lowerName, text);
            }
        }

        StringBuilder out = new StringBuilder();
        header(out);
        String top = null;
        String sub = null;
        for (Def def : GucDefinitions.all()) {
            if (def.has(GucDefinitions.FLAG_NOT_IN_SAMPLE) || def.api.category().equals("Preset Options")) {
                continue;
            }
            String category = def.api.category();
            int slash = category.indexOf(" / ");
            String t = slash < 0 ? category : category.substring(0, slash);
            String s = slash < 0 ? null : category.substring(slash + 3);
            if (!t.equals(top)) {
                out.append("\n\n").append(RULE).append("# ").append(t.toUpperCase(Locale.ROOT)).append('\n')
                        .append(RULE);
                top = t;
                sub = null;
            }
            if (s != null && !s.equals(sub)) {
                out.append("\n# - ").append(s).append(" -\n\n");
                sub = s;
            } else if (s == null && sub == null) {
                out.append('\n');
                sub = "";
            }
            String value = active.get(def.lowerName);
            String line = (value == null ? "#" : "") + def.lowerName + " = "
                    + (value == null ? defaultText(def) : value);
            appendWithComment(out, line, comments(def));
        }
        out.append("\n\n").append(RULE).append("# CONFIG FILE INCLUDES\n").append(RULE).append('\n');
        out.append("# Settings can also come from other files, read where the directive stands.\n");
        out.append("# A relative name is taken relative to the directory of this file.\n\n");
        appendWithComment(out, "#include_dir = '...'", List.of("every *.conf file in that directory,",
                "in the order of their names"));
        appendWithComment(out, "#include_if_exists = '...'", List.of("skipped when the file is missing"));
        appendWithComment(out, "#include = '...'", List.of("an error when the file is missing"));
        out.append("\n\n").append(RULE).append("# CUSTOMIZED OPTIONS\n").append(RULE).append('\n');
        out.append("# Settings for extensions and applications: names with a dot, e.g. myapp.mode.\n");
        if (!extra.isEmpty()) {
            out.append('\n');
            extra.forEach((name, value) -> out.append(name).append(" = ").append(value).append('\n'));
        }
        return out.toString();
    }

    private static void header(StringBuilder out) {
        out.append("# -----------------------------\n");
        out.append("# Modgres configuration file\n");
        out.append("# -----------------------------\n");
        out.append("#\n");
        out.append("# One setting per line, \"name = value\" (the \"=\" may be left out). A \"#\"\n");
        out.append("# starts a comment that runs to the end of the line; blank lines do not\n");
        out.append("# matter. Write a value in single quotes unless it is a plain word or\n");
        out.append("# number; inside quotes, write a quote as ''. Names are case-insensitive.\n");
        out.append("#\n");
        out.append("# Every setting is listed below, commented out, with its built-in value;\n");
        out.append("# remove the \"#\" to change one. Sizes take the units B, kB, MB, GB and\n");
        out.append("# TB; durations take us, ms, s, min, h and d. A number without a unit is\n");
        out.append("# in the setting's own unit (see pg_settings.unit).\n");
        out.append("#\n");
        out.append("# The server reads this file when it starts and again when it is told to\n");
        out.append("# reload (SIGHUP, \"pg_ctl reload\", or SELECT pg_reload_conf()). Settings\n");
        out.append("# marked \"(change requires restart)\" only change at the next start.\n");
        out.append("# ALTER SYSTEM writes to postgresql.auto.conf, which is read after this\n");
        out.append("# file, so its values win; settings given on the command line win over both.\n");
    }

    /** The built-in value as the sample shows it: SHOW's form, quoted where the file syntax needs it. */
    private static String defaultText(Def def) {
        String dynamic = GucDefinitions.dynamicDefaults().get(def.lowerName);
        Object raw = dynamic != null ? GucValues.rawFromConfigString(def, dynamic) : def.bootRaw();
        if (def.type == SettingType.STRING) {
            return GucSettings.quote((String) raw);
        }
        if (def.type == SettingType.BOOL || def.type == SettingType.ENUM) {
            return literal(GucValues.configString(def, raw));
        }
        return literal(GucValues.show(def, raw, name -> {
            Def d = GucDefinitions.find(name);
            return d == null ? null : d.bootRaw();
        }));
    }

    /** The value as it is when the file syntax reads it as one plain token, else quoted. */
    static String literal(String value) {
        ConfigFile.Lexer lx = new ConfigFile.Lexer(value.getBytes(StandardCharsets.UTF_8));
        ConfigFile.Token t = lx.next();
        boolean plain = (t.kind() == ConfigFile.Kind.ID || t.kind() == ConfigFile.Kind.UNQUOTED_STRING
                || t.kind() == ConfigFile.Kind.INTEGER || t.kind() == ConfigFile.Kind.REAL
                || t.kind() == ConfigFile.Kind.QUALIFIED_ID) && t.text().equals(value)
                && lx.next().kind() == ConfigFile.Kind.EOF;
        return plain ? value : GucSettings.quote(value);
    }

    private static List<String> comments(Def def) {
        List<String> parts = new ArrayList<>();
        if (def.type == SettingType.ENUM) {
            List<String> values = new ArrayList<>();
            for (String v : def.enumValues) {
                values.add(v.isEmpty() ? "''" : v);
            }
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    b.append(values.size() == 2 ? " " : ", ");
                    if (i == values.size() - 1) {
                        b.append("or ");
                    }
                }
                b.append(values.get(i));
            }
            parts.addAll(wrap(b.toString()));
        }
        if (def.context == SettingContext.POSTMASTER) {
            parts.add("(change requires restart)");
        }
        return parts;
    }

    /** Splits a list of values into lines that fit between the comment column and the line width. */
    private static List<String> wrap(String text) {
        int room = WIDTH - COMMENT_COLUMN - 2;
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        String[] items = text.split("(?<=,) ");
        for (String item : items) {
            if (cur.length() > 0 && cur.length() + 1 + item.length() > room) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            if (cur.length() > 0) {
                cur.append(' ');
            }
            cur.append(item);
        }
        if (cur.length() > 0) {
            lines.add(cur.toString());
        }
        return lines;
    }

    private static void appendWithComment(StringBuilder out, String line, List<String> comments) {
        out.append(line);
        if (comments.isEmpty()) {
            out.append('\n');
            return;
        }
        for (int i = 0; i < comments.size(); i++) {
            int col = i == 0 ? width(line) : 0;
            if (i > 0) {
                out.append('\n');
            }
            do {
                out.append('\t');
                col = (col / 8 + 1) * 8;
            } while (col < COMMENT_COLUMN);
            out.append("# ").append(comments.get(i));
        }
        out.append('\n');
    }

    private static int width(String line) {
        int col = 0;
        for (int i = 0; i < line.length(); i++) {
            col = line.charAt(i) == '\t' ? (col / 8 + 1) * 8 : col + 1;
        }
        return col;
    }
}
