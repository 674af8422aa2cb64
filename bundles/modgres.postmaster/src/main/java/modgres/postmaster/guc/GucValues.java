package modgres.postmaster.guc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.settings.SettingType;
import modgres.postmaster.guc.GucDefinitions.Def;

/**
 * Values of settings as PostgreSQL 15's guc.c handles them: parsing with
 * units (parse_int, parse_real, parse_bool, enum lookup), bounds, the check
 * hooks that validate or canonicalise particular settings, and the textual
 * forms ({@code SHOW}, {@code pg_settings.setting}, GetConfigOption).
 *
 * <p>Typed ("raw") values are {@link Integer}, {@link Double},
 * {@link Boolean}, or {@link String} (enum label or string value).
 */
final class GucValues {

    /** Current raw values of other settings, which some checks consult. */
    @FunctionalInterface
    interface Current {
        /** The raw value of a defined setting, by lower-case name. */
        Object raw(String lowerName);
    }

    private static final int INT_MAX = Integer.MAX_VALUE;
    private static final int INT_MIN = Integer.MIN_VALUE;
    /** PostgreSQL's MAX_BACKENDS. */
    private static final int MAX_BACKENDS = 0x3FFFF;
    /** The stack limit Modgres assumes (a typical 8MB "ulimit -s"), less PostgreSQL's 512kB slop, in kB. */
    private static final int MAX_STACK_DEPTH_KB = 8192 - 512;
    private static final Set<String> TIMEZONE_ABBREVIATION_FILES = Set.of("Default", "Australia", "India");
    private static final Properties ENCODINGS = new Properties();

    static {
        try (InputStream in = GucValues.class.getResourceAsStream("encodings.properties")) {
            if (in == null) {
                throw new IllegalStateException("encodings.properties is missing");
            }
            ENCODINGS.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GucValues() {
    }

    /** PostgreSQL's pg_strcasecmp folds ASCII letters only. */
    static String asciiLower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] a = s.toCharArray();
                for (int j = i; j < a.length; j++) {
                    if (a[j] >= 'A' && a[j] <= 'Z') {
                        a[j] = (char) (a[j] + ('a' - 'A'));
                    }
                }
                return new String(a);
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ textual forms

    /** The value as GetConfigOption returns it: base-unit numbers, on/off, enum label, string. */
    static String configString(Def def, Object raw) {
        return switch (def.type) {
            case BOOL -> ((Boolean) raw) ? "on" : "off";
            case INTEGER -> String.valueOf(raw);
            case REAL -> CNumbers.formatG((Double) raw);
            case ENUM, STRING -> (String) raw;
        };
    }

    /** Inverse of {@link #configString} for trusted values (built-in defaults). */
    static Object rawFromConfigString(Def def, String s) {
        return switch (def.type) {
            case BOOL -> parseBool(s);
            case INTEGER -> Integer.valueOf(s);
            case REAL -> Double.valueOf(s);
            case ENUM -> def.enumLookup.getOrDefault(asciiLower(s), s);
            case STRING -> s;
        };
    }

    /** {@code pg_settings.setting}: the value without units, through the settings' show hooks. */
    static String settingColumn(Def def, Object raw, Current cur) {
        String hooked = showHook(def, raw, cur);
        return hooked != null ? hooked : configString(def, raw);
    }

    /** The value as {@code SHOW} prints it, with the best unit. */
    static String show(Def def, Object raw, Current cur) {
        String hooked = showHook(def, raw, cur);
        if (hooked != null) {
            return hooked;
        }
        if (def.type == SettingType.INTEGER && def.unit != null && (Integer) raw > 0) {
            return def.unit.formatInt((Integer) raw);
        }
        if (def.type == SettingType.REAL && def.unit != null && (Double) raw > 0) {
            return def.unit.formatReal((Double) raw);
        }
        return configString(def, raw);
    }

    private static String showHook(Def def, Object raw, Current cur) {
        switch (def.lowerName) {
            case "unix_socket_permissions", "log_file_mode", "data_directory_mode":
                return String.format("%04o", (Integer) raw);
            case "tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count", "tcp_user_timeout":
                return String.valueOf(raw);
            case "archive_command":
                return "off".equals(cur.raw("archive_mode")) ? "(disabled)" : (String) raw;
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------ parsing

    /**
     * PostgreSQL's parse_and_validate_value followed by the setting's check
     * hook: the typed value, or a PgException with PostgreSQL's message.
     * {@code name} is the name as the caller spelled it (used in parse
     * errors; check-hook errors use the setting's own name, as PostgreSQL does).
     */
    static Object parse(Def def, String name, String value, Current cur) {
        switch (def.type) {
            case BOOL: {
                Boolean b = parseBool(value);
                if (b == null) {
                    throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                            "parameter \"" + name + "\" requires a Boolean value");
                }
                checkBool(def, b, cur);
                return b;
            }
            case INTEGER: {
                NumberResult r = parseInt(value, def.unit);
                if (r.value == null) {
                    throw invalidValue(name, value, r.hint);
                }
                int v = (int) (double) r.value;
                if (v < def.minInt || v > def.maxInt) {
                    throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                            v + unitSuffix(def) + " is outside the valid range for parameter \"" + name + "\" ("
                                    + def.minInt + " .. " + def.maxInt + ")");
                }
                return checkInt(def, v, cur);
            }
            case REAL: {
                NumberResult r = parseReal(value, def.unit);
                if (r.value == null) {
                    throw invalidValue(name, value, r.hint);
                }
                double v = r.value;
                if (v < def.minReal || v > def.maxReal) {
                    throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                            CNumbers.formatG(v) + unitSuffix(def) + " is outside the valid range for parameter \""
                                    + name + "\" (" + CNumbers.formatG(def.minReal) + " .. "
                                    + CNumbers.formatG(def.maxReal) + ")");
                }
                return v;
            }
            case ENUM: {
                String label = def.enumLookup.get(asciiLower(value));
                if (label == null) {
                    throw invalidValue(name, value, "Available values: " + String.join(", ", def.enumValues) + ".");
                }
                return label;
            }
            case STRING:
            default:
                return checkString(def, value, cur);
        }
    }

    private static String unitSuffix(Def def) {
        return def.unit == null ? "" : " " + def.unit.pgName();
    }

    static PgException invalidValue(String name, String value, String hint) {
        return new PgException(SqlState.INVALID_PARAMETER_VALUE,
                "invalid value for parameter \"" + name + "\": \"" + value + "\"", null, hint);
    }

    /** PostgreSQL's parse_bool: unique case-insensitive prefixes of true/false/yes/no/on/off, and 1/0. */
    static Boolean parseBool(String value) {
        int len = value.length();
        if (len == 0) {
            return null;
        }
        switch (value.charAt(0)) {
            case 't', 'T':
                return prefixOf(value, "true") ? Boolean.TRUE : null;
            case 'f', 'F':
                return prefixOf(value, "false") ? Boolean.FALSE : null;
            case 'y', 'Y':
                return prefixOf(value, "yes") ? Boolean.TRUE : null;
            case 'n', 'N':
                return prefixOf(value, "no") ? Boolean.FALSE : null;
            case 'o', 'O':
                // 'o' alone is not unique enough
                if (len >= 2 && prefixOf(value, "on")) {
                    return Boolean.TRUE;
                }
                if (len >= 2 && prefixOf(value, "off")) {
                    return Boolean.FALSE;
                }
                return null;
            case '1':
                return len == 1 ? Boolean.TRUE : null;
            case '0':
                return len == 1 ? Boolean.FALSE : null;
            default:
                return null;
        }
    }

    private static boolean prefixOf(String value, String word) {
        return value.length() <= word.length() && word.regionMatches(true, 0, value, 0, value.length())
                && asciiLower(value).equals(word.substring(0, value.length()));
    }

    /** A parsed number (null on failure) and the hint PostgreSQL gives for the failure. */
    record NumberResult(Double value, String hint) {
    }

    /** PostgreSQL's parse_int: strtol with base 0, or strtod for fractions, then an optional unit. */
    static NumberResult parseInt(String value, GucUnit unit) {
        CNumbers.Scan s = CNumbers.strtol(value, 0);
        double val = s.value();
        int end = s.end();
        boolean range = s.range();
        if (range || (end < value.length() && ".eE".indexOf(value.charAt(end)) >= 0)) {
            CNumbers.Scan d = CNumbers.strtod(value, 0);
            val = d.value();
            end = d.end();
            range = d.range();
        }
        if (end == 0 || range || Double.isNaN(val)) {
            return new NumberResult(null, null);
        }
        NumberResult withUnit = applyUnit(value, end, val, unit);
        if (withUnit.value == null) {
            return withUnit;
        }
        val = Math.rint(withUnit.value);
        if (val > INT_MAX || val < INT_MIN) {
            return new NumberResult(null, "Value exceeds integer range.");
        }
        return new NumberResult(val, null);
    }

    /** PostgreSQL's parse_real: strtod, then an optional unit. */
    static NumberResult parseReal(String value, GucUnit unit) {
        CNumbers.Scan d = CNumbers.strtod(value, 0);
        if (d.end() == 0 || d.range() || Double.isNaN(d.value())) {
            return new NumberResult(null, null);
        }
        return applyUnit(value, d.end(), d.value(), unit);
    }

    private static NumberResult applyUnit(String value, int end, double val, GucUnit unit) {
        while (end < value.length() && CNumbers.isSpace(value.charAt(end))) {
            end++;
        }
        if (end < value.length()) {
            if (unit == null) {
                return new NumberResult(null, null);
            }
            Double base = unit.toBase(val, value.substring(end));
            if (base == null) {
                return new NumberResult(null, unit.hint());
            }
            val = base;
        }
        return new NumberResult(val, null);
    }

    // ------------------------------------------------------------------ check hooks

    private static PgException checkFailed(Def def, String shownValue, String detail, String hint) {
        return new PgException(SqlState.INVALID_PARAMETER_VALUE,
                "invalid value for parameter \"" + def.name + "\": " + shownValue, detail, hint);
    }

    private static void checkBool(Def def, boolean v, Current cur) {
        if (!v) {
            return;
        }
        switch (def.lowerName) {
            case "log_statement_stats":
                if (Boolean.TRUE.equals(cur.raw("log_parser_stats")) || Boolean.TRUE.equals(cur.raw("log_planner_stats"))
                        || Boolean.TRUE.equals(cur.raw("log_executor_stats"))) {
                    throw checkFailed(def, "1", "Cannot enable \"log_statement_stats\" when \"log_parser_stats\", "
                            + "\"log_planner_stats\", or \"log_executor_stats\" is true.", null);
                }
                break;
            case "log_parser_stats", "log_planner_stats", "log_executor_stats":
                if (Boolean.TRUE.equals(cur.raw("log_statement_stats"))) {
                    throw checkFailed(def, "1", "Cannot enable parameter when \"log_statement_stats\" is true.", null);
                }
                break;
            default:
                break;
        }
    }

    private static int intOf(Current cur, String name) {
        Object o = cur.raw(name);
        return o instanceof Integer i ? i : 0;
    }

    private static int checkInt(Def def, int v, Current cur) {
        switch (def.lowerName) {
            case "max_stack_depth":
                if ((long) v * 1024 > (long) MAX_STACK_DEPTH_KB * 1024) {
                    throw checkFailed(def, String.valueOf(v),
                            "\"max_stack_depth\" must not exceed " + MAX_STACK_DEPTH_KB + "kB.",
                            "Increase the platform's stack depth limit via \"ulimit -s\" or local equivalent.");
                }
                return v;
            case "wal_buffers":
                if (v == -1) {
                    // -1 stays until the server sizes it; once sized, -1 means the automatic value
                    int current = intOf(cur, "wal_buffers");
                    if (current == -1) {
                        return v;
                    }
                    v = autoWalBuffers(intOf(cur, "shared_buffers"));
                }
                return Math.max(v, 4);
            case "autovacuum_work_mem":
                return v == -1 ? v : Math.max(v, 1024);
            case "max_connections", "autovacuum_max_workers", "max_worker_processes", "max_wal_senders": {
                int total = 1;
                for (String n : List.of("max_connections", "autovacuum_max_workers", "max_worker_processes",
                        "max_wal_senders")) {
                    total += n.equals(def.lowerName) ? v : intOf(cur, n);
                }
                if (total > MAX_BACKENDS) {
                    throw checkFailed(def, String.valueOf(v), null, null);
                }
                return v;
            }
            default:
                return v;
        }
    }

    /** PostgreSQL's XLOGChooseNumBuffers: 1/32 of shared_buffers, between 8 pages and one WAL segment. */
    static int autoWalBuffers(int sharedBuffers) {
        int walSegmentPages = 16 * 1024 * 1024 / GucUnit.BLCKSZ;
        return Math.max(Math.min(sharedBuffers / 32, walSegmentPages), 8);
    }

    private static String checkString(Def def, String value, Current cur) {
        String quoted = "\"" + value + "\"";
        switch (def.lowerName) {
            case "datestyle":
                return checkDateStyle(def, value, cur, quoted);
            case "timezone", "log_timezone":
                try {
                    String zone = TimeZones.canonical(value);
                    if (zone == null) {
                        throw checkFailed(def, quoted, null, null);
                    }
                    return zone;
                } catch (TimeZones.OffsetOutOfRange e) {
                    throw checkFailed(def, quoted, "UTC timezone offset is out of range.", null);
                }
            case "client_encoding": {
                String canonical = encoding(value);
                if (canonical == null) {
                    throw checkFailed(def, quoted, null, null);
                }
                // PostgreSQL keeps "UNICODE" as spelled, for old JDBC drivers
                return value.equals("UNICODE") ? value : canonical;
            }
            case "search_path":
                if (splitIdentifiers(value) == null) {
                    throw checkFailed(def, quoted, "List syntax is invalid.", null);
                }
                return value;
            case "log_destination": {
                List<String> items = splitIdentifiers(value);
                if (items == null) {
                    throw checkFailed(def, quoted, "List syntax is invalid.", null);
                }
                for (String item : items) {
                    if (!Set.of("stderr", "csvlog", "jsonlog", "syslog").contains(asciiLower(item))) {
                        throw checkFailed(def, quoted, "Unrecognized key word: \"" + item + "\".", null);
                    }
                }
                return value;
            }
            case "application_name", "cluster_name":
                return cleanAscii(value);
            case "lc_messages", "lc_monetary", "lc_numeric", "lc_time":
                if (!isLocaleName(value)) {
                    throw checkFailed(def, quoted, null, null);
                }
                return value;
            case "log_directory", "external_pid_file":
                return value.isEmpty() ? value : canonicalizePath(value);
            case "timezone_abbreviations":
                if (value.isEmpty()) {
                    throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                            "could not read time zone file \"\": Is a directory");
                }
                if (!TIMEZONE_ABBREVIATION_FILES.contains(value)) {
                    throw checkFailed(def, quoted, null, null);
                }
                return value;
            default:
                return value;
        }
    }

    private static String checkDateStyle(Def def, String value, Current cur, String quoted) {
        Object current = cur.raw("datestyle");
        String[] state = dateStyleParts(current instanceof String s ? s : "ISO, MDY");
        String style = state[0];
        String order = state[1];
        boolean haveStyle = false;
        boolean haveOrder = false;
        boolean ok = true;
        List<String> items = splitIdentifiers(value);
        if (items == null) {
            throw checkFailed(def, quoted, "List syntax is invalid.", null);
        }
        for (String tok : items) {
            String t = asciiLower(tok);
            String newStyle = null;
            String newOrder = null;
            if (t.equals("iso")) {
                newStyle = "ISO";
            } else if (t.equals("sql")) {
                newStyle = "SQL";
            } else if (t.startsWith("postgres")) {
                newStyle = "Postgres";
            } else if (t.equals("german")) {
                newStyle = "German";
            } else if (t.equals("ymd")) {
                newOrder = "YMD";
            } else if (t.equals("dmy") || t.startsWith("euro")) {
                newOrder = "DMY";
            } else if (t.equals("mdy") || t.equals("us") || t.startsWith("noneuro")) {
                newOrder = "MDY";
            } else if (t.equals("default")) {
                String[] reset = dateStyleParts(current instanceof String s ? s : "ISO, MDY");
                if (!haveStyle) {
                    style = reset[0];
                }
                if (!haveOrder) {
                    order = reset[1];
                }
                continue;
            } else {
                throw checkFailed(def, quoted, "Unrecognized key word: \"" + tok + "\".", null);
            }
            if (newStyle != null) {
                if (haveStyle && !style.equals(newStyle)) {
                    ok = false;
                }
                style = newStyle;
                haveStyle = true;
                if (newStyle.equals("German") && !haveOrder) {
                    order = "DMY";
                }
            } else {
                if (haveOrder && !order.equals(newOrder)) {
                    ok = false;
                }
                order = newOrder;
                haveOrder = true;
            }
        }
        if (!ok) {
            throw checkFailed(def, quoted, "Conflicting \"datestyle\" specifications.", null);
        }
        return style + ", " + order;
    }

    private static String[] dateStyleParts(String canonical) {
        int comma = canonical.indexOf(", ");
        return comma < 0 ? new String[] {"ISO", "MDY"}
                : new String[] {canonical.substring(0, comma), canonical.substring(comma + 2)};
    }

    /** An encoding's canonical name, matching as PostgreSQL does (letters and digits only, any case). */
    static String encoding(String name) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                key.append(c);
            } else if (c >= 'A' && c <= 'Z') {
                key.append((char) (c + 32));
            }
        }
        return key.length() == 0 ? null : ENCODINGS.getProperty(key.toString());
    }

    /**
     * PostgreSQL's SplitIdentifierString with a comma separator: the list's
     * identifiers (unquoted ones lower-cased), or null for invalid syntax.
     */
    static List<String> splitIdentifiers(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n && isScannerSpace(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return out;
        }
        while (true) {
            String name;
            if (i == n) {
                return null;
            }
            if (s.charAt(i) == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (true) {
                    int q = s.indexOf('"', i);
                    if (q < 0) {
                        return null;
                    }
                    b.append(s, i, q);
                    if (q + 1 < n && s.charAt(q + 1) == '"') {
                        b.append('"');
                        i = q + 2;
                    } else {
                        i = q + 1;
                        break;
                    }
                }
                name = b.toString();
            } else {
                int start = i;
                while (i < n && s.charAt(i) != ',' && !isScannerSpace(s.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    return null;
                }
                name = asciiLower(s.substring(start, i));
            }
            while (i < n && isScannerSpace(s.charAt(i))) {
                i++;
            }
            out.add(name);
            if (i < n && s.charAt(i) == ',') {
                i++;
                while (i < n && isScannerSpace(s.charAt(i))) {
                    i++;
                }
            } else if (i == n) {
                return out;
            } else {
                return null;
            }
        }
    }

    private static boolean isScannerSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    /** PostgreSQL 15's pg_clean_ascii: every byte outside printable ASCII becomes '?'. */
    static String cleanAscii(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length);
        for (byte x : bytes) {
            b.append(x < 32 || x > 126 ? '?' : (char) x);
        }
        return b.toString();
    }

    private static final Set<String> LANGUAGES = new HashSet<>(Arrays.asList(Locale.getISOLanguages()));
    private static final Set<String> COUNTRIES = new HashSet<>(Arrays.asList(Locale.getISOCountries()));

    /**
     * Whether setlocale would accept a name: C, POSIX, C.UTF-8 and the empty
     * string (the environment's locale), or language[_TERRITORY][.codeset][@modifier].
     */
    static boolean isLocaleName(String s) {
        if (s.isEmpty() || s.equals("C") || s.equals("POSIX") || s.equals("C.UTF-8") || s.equals("C.utf8")) {
            return true;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("([a-z]{2,3})(?:_([A-Z]{2}))?(?:\\.[A-Za-z0-9-]+)?(?:@[A-Za-z0-9]+)?").matcher(s);
        return m.matches() && LANGUAGES.contains(m.group(1)) && (m.group(2) == null || COUNTRIES.contains(m.group(2)));
    }

    /**
     * PostgreSQL's canonicalize_path: no doubled or trailing slashes, no "."
     * components, ".." resolved where possible.
     */
    static String canonicalizePath(String path) {
        boolean absolute = path.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
                    parts.remove(parts.size() - 1);
                    continue;
                }
                if (absolute) {
                    continue;
                }
            }
            parts.add(p);
        }
        String joined = String.join("/", parts);
        if (absolute) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }
}
