package modgres.sql.engine;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import modgres.api.error.PgException;
import modgres.api.settings.Setting;
import modgres.api.settings.SettingContext;
import modgres.api.settings.SettingDefinition;
import modgres.api.settings.SettingType;
import modgres.api.settings.Settings;

/**
 * A session's settings: values SET in the session (and those the client
 * sent at start-up, which are also what RESET returns to) and SET LOCAL
 * values of the current transaction, over the server's {@link Settings}.
 * Values are kept in canonical form as {@link Settings#validate} returns it.
 */
final class SessionSettings {
    /** Settings PostgreSQL names with capitals (SHOW's column label, ParameterStatus). */
    private static final Map<String, String> DISPLAY = Map.of("datestyle", "DateStyle", "intervalstyle",
            "IntervalStyle", "timezone", "TimeZone");

    private final Settings server;
    private final boolean superuser;
    private final String user;
    /** Values the session started with (startup packet): what RESET returns to. */
    private final Map<String, String> resetValues = new HashMap<>();
    private Map<String, String> session = new HashMap<>();
    private Map<String, String> local = new HashMap<>();
    /** True while {@link #snapshot()} handed out the current maps: the next change copies them first. */
    private boolean shared;
    /** Counts the changes of session and local values; with {@link #serverGeneration} it dates {@link #cache}. */
    private int changes;

    /**
     * Bumped when the server's settings change (a reload), by the engine's settings listener. A session's
     * cached values are good while neither this nor its own change count moved: per-statement reads of
     * work_mem, DateStyle and the reported parameters are then one lookup instead of several.
     */
    static volatile int serverGeneration;
    private final Map<String, String> cache = new HashMap<>();
    private long cachedVersion = -1;

    SessionSettings(Settings server, String user, boolean superuser) {
        this.server = server;
        this.user = user;
        this.superuser = superuser;
        this.currentSuperuser = () -> superuser;
    }

    // ------------------------------------------------------------------ identity (SET ROLE, SET SESSION AUTHORIZATION)
    /*
     * The session's identity lives in the same session / SET LOCAL maps as the settings, under keys no setting
     * can have, so SET LOCAL lapses at transaction end and a rollback (of the transaction or to a savepoint)
     * restores it exactly as it restores settings. RESET ALL leaves them alone (PostgreSQL's GUC_NO_RESET_ALL).
     *
     *   session user  = SET SESSION AUTHORIZATION's role, else the login role
     *   current user  = SET ROLE's role, else the session user
     */
    private static final String ROLE_KEY = "\u0000role";
    private static final String AUTH_KEY = "\u0000session_authorization";

    /** Whether the current role is a superuser (is_superuser, settings of context SUPERUSER); set by the session. */
    java.util.function.BooleanSupplier currentSuperuser;

    /** The login role (what authentication established). */
    String loginUser() {
        return user;
    }

    /** SESSION_USER. */
    String sessionUser() {
        String v = local.containsKey(AUTH_KEY) ? local.get(AUTH_KEY) : session.get(AUTH_KEY);
        return v != null ? v : user;
    }

    /** The role SET ROLE chose; null for NONE. */
    String role() {
        String v = local.containsKey(ROLE_KEY) ? local.get(ROLE_KEY) : session.get(ROLE_KEY);
        return v == null || v.isEmpty() ? null : v;
    }

    /** CURRENT_USER. */
    String currentUser() {
        String r = role();
        return r != null ? r : sessionUser();
    }

    /** SET [LOCAL] ROLE name (null: NONE). */
    void setRole(String role, boolean isLocal) {
        putIdentity(ROLE_KEY, role == null ? "" : role, isLocal);
    }

    /** SET [LOCAL] SESSION AUTHORIZATION name (null: DEFAULT); the role goes back to NONE. */
    void setSessionAuthorization(String role, boolean isLocal) {
        putIdentity(AUTH_KEY, role == null ? user : role, isLocal);
        putIdentity(ROLE_KEY, "", isLocal);
    }

    private void putIdentity(String key, String value, boolean isLocal) {
        own();
        if (isLocal) {
            local.put(key, value);
        } else {
            session.put(key, value);
            local.remove(key);
        }
    }

    static String displayName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return DISPLAY.getOrDefault(n, n);
    }

    static PgException unknown(String name) {
        return new PgException("42704", "unrecognized configuration parameter \"" + name + "\"");
    }

    /**
     * The current transaction's characteristics (transaction_isolation, transaction_read_only,
     * transaction_deferrable), set by the session; null answers fall through to the stored values.
     */
    java.util.function.Function<String, String> transactionValues = n -> null;

    /** Values the engine computes itself, which may not be in the server's settings. */
    private String computed(String n) {
        if (n.startsWith("transaction_")) {
            String t = transactionValues.apply(n);
            if (t != null) {
                return t;
            }
        }
        return switch (n) {
            case "is_superuser" -> currentSuperuser.getAsBoolean() ? "on" : "off";
            case "session_authorization" -> sessionUser();
            case "role" -> role() == null ? "none" : role();
            default -> null;
        };
    }

    private SettingDefinition definition(String name) {
        Optional<Setting> s = server.find(name.toLowerCase(Locale.ROOT));
        if (s.isEmpty()) {
            throw unknown(name);
        }
        return s.get().definition();
    }

    boolean known(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return computed(n) != null || server.find(n).isPresent();
    }

    /** Dates the values this session sees: changes when a SET, RESET, transaction end or reload may change one. */
    long version() {
        return ((long) serverGeneration << 32) | (changes & 0xffffffffL);
    }

    /** The current raw value (base unit), null for a setting that does not exist; cached as get() is. */
    String getIfKnown(String name) {
        if (!name.startsWith("transaction_") && version() == cachedVersion) {
            String r = cache.get(name);
            if (r != null) {
                return r; // the planner asks for the same few settings for every statement
            }
        }
        return known(name) ? get(name) : null;
    }

    /** The current raw value (base unit). */
    String get(String name) {
        if (name.startsWith("transaction_")) {
            String t = transactionValues.apply(name.toLowerCase(Locale.ROOT));
            if (t != null) {
                return t; // changes with the transaction, not with SET: never cached
            }
        }
        long v = version();
        if (v != cachedVersion) {
            cache.clear();
            cachedVersion = v;
        }
        String r = cache.get(name);
        if (r == null) {
            r = lookup(name);
            cache.put(name, r);
        }
        return r;
    }

    private String lookup(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        String c = computed(n);
        if (c != null) {
            return c;
        }
        String v = local.get(n);
        if (v == null) {
            v = session.get(n);
        }
        return v != null ? v : server.getString(n);
    }

    /** The current value as SHOW prints it. */
    String show(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        String c = computed(n);
        if (c != null) {
            return c;
        }
        String v = local.get(n);
        if (v == null) {
            v = session.get(n);
        }
        if (v == null) {
            return server.show(n);
        }
        SettingDefinition d = definition(n);
        return withUnit(v, d);
    }

    /** A value in the base unit with the largest unit that divides it, as SHOW does. */
    static String withUnit(String v, SettingDefinition d) {
        if (d.unit() == null || d.type() != SettingType.INTEGER) {
            return d.unit() != null && d.type() == SettingType.REAL && !v.equals("-1") && !v.equals("0")
                    ? v + d.unit() : v;
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            return v;
        }
        if (n <= 0) {
            return v;
        }
        String u = d.unit();
        boolean memory = u.endsWith("B");
        if (memory) {
            long bytes = switch (u) {
                case "B" -> n;
                case "kB" -> n * 1024;
                case "8kB" -> n * 8192;
                case "MB" -> n * 1024 * 1024;
                default -> n;
            };
            String[] names = {"TB", "GB", "MB", "kB", "B"};
            long[] sizes = {1L << 40, 1L << 30, 1L << 20, 1L << 10, 1};
            for (int i = 0; i < names.length; i++) {
                if (bytes % sizes[i] == 0) {
                    return bytes / sizes[i] + names[i];
                }
            }
            return v;
        }
        long ms = switch (u) {
            case "s" -> n * 1000;
            case "min" -> n * 60_000;
            default -> n;
        };
        String[] names = {"d", "h", "min", "s", "ms"};
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1};
        for (int i = 0; i < names.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + names[i];
            }
        }
        return v;
    }

    private void checkContext(SettingDefinition d, boolean startup) {
        String n = d.name();
        SettingContext c = d.context();
        switch (c) {
            case INTERNAL -> throw new PgException("55P02", "parameter \"" + n + "\" cannot be changed");
            case POSTMASTER -> throw new PgException("55P02",
                    "parameter \"" + n + "\" cannot be changed without restarting the server");
            case SIGHUP -> throw new PgException("55P02", "parameter \"" + n + "\" cannot be changed now");
            case SUPERUSER_BACKEND, BACKEND -> {
                if (!startup) {
                    throw new PgException("55P02", "parameter \"" + n + "\" cannot be set after connection start");
                }
                if (c == SettingContext.SUPERUSER_BACKEND && !currentSuperuser.getAsBoolean()) {
                    throw new PgException("42501", "permission denied to set parameter \"" + n + "\"");
                }
            }
            case SUPERUSER -> {
                if (!currentSuperuser.getAsBoolean()) {
                    throw new PgException("42501", "permission denied to set parameter \"" + n + "\"");
                }
            }
            default -> {
            }
        }
    }

    /** A startup-packet setting (source client): also becomes the value RESET returns to. */
    void setStartup(String name, String value) {
        SettingDefinition d = definition(name);
        checkContext(d, true);
        String v = server.validate(d.name(), value);
        String key = d.name().toLowerCase(Locale.ROOT);
        own();
        session.put(key, v);
        resetValues.put(key, v);
    }

    /** SET [LOCAL] name = value; a null value means DEFAULT. */
    void set(String name, String value, boolean isLocal) {
        SettingDefinition d = definition(name);
        checkContext(d, false);
        String v = value == null ? resetValue(d.name()) : server.validate(d.name(), value);
        // values are kept under the lower-case name, as get() and show() look them up (DateStyle, TimeZone...)
        String key = d.name().toLowerCase(Locale.ROOT);
        if (value != null && key.equals(TEMP_BUFFERS)) {
            checkTempBuffers(v);
        }
        own();
        if (isLocal) {
            local.put(key, v);
        } else {
            session.put(key, v);
            local.remove(key);
        }
    }

    static final String TEMP_BUFFERS = "temp_buffers";

    /**
     * The session's local buffer count once a temporary table has been used,
     * else 0 (PostgreSQL's NLocBuffer); set by the session.
     */
    java.util.function.IntSupplier tempBuffersFixed = () -> 0;

    /**
     * PostgreSQL's check_temp_buffers: once local buffers exist their number
     * cannot change (a SET to the same number is fine; RESET and SET ... TO
     * DEFAULT are not checked, as in PostgreSQL).
     */
    private void checkTempBuffers(String pages) {
        int fixed = tempBuffersFixed.getAsInt();
        if (fixed > 0 && !pages.equals(Integer.toString(fixed))) {
            throw new PgException("22023", "invalid value for parameter \"" + TEMP_BUFFERS + "\": " + pages,
                    "\"" + TEMP_BUFFERS + "\" cannot be changed after any temporary tables have been accessed in the"
                            + " session.", null);
        }
    }

    private String resetValue(String n) {
        String r = resetValues.get(n.toLowerCase(Locale.ROOT));
        return r != null ? r : server.getString(n);
    }

    void reset(String name) {
        set(name, null, false);
    }

    void resetAll() {
        own();
        for (String n : List.copyOf(session.keySet())) {
            if (n.startsWith("\u0000")) {
                continue; // the identity: not reset by RESET ALL
            }
            SettingDefinition d = definition(n);
            if (d.context() == SettingContext.USER || d.context() == SettingContext.SUPERUSER) {
                session.put(n, resetValue(n));
            }
        }
        local.clear();
    }

    /**
     * The session values and the SET LOCAL values, for transaction and savepoint rollback. Copy on write: the
     * maps are handed out as they are (most transactions change no setting) and copied by the next change.
     */
    Map<String, String>[] snapshot() {
        shared = true;
        @SuppressWarnings("unchecked")
        Map<String, String>[] s = new Map[] {session, local};
        return s;
    }

    void restore(Map<String, String>[] s) {
        if (s[0] != session || s[1] != local) {
            session = s[0];
            local = s[1];
            changes++;
        }
        shared = true;
    }

    /** Transaction end: SET LOCAL values lapse. */
    void endTransaction() {
        if (!local.isEmpty()) {
            own();
            local.clear(); // SET LOCAL ROLE / SESSION AUTHORIZATION lapse with the settings
        }
    }

    /** Before a change: copies maps a snapshot still refers to, and dates the cached values out. */
    private void own() {
        if (shared) {
            session = new HashMap<>(session);
            local = new HashMap<>(local);
            shared = false;
        }
        changes++;
    }

    /** SHOW ALL: name, setting, description. */
    List<String[]> all() {
        List<String[]> rows = new java.util.ArrayList<>();
        Map<String, String[]> sorted = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Setting s : server.all()) {
            String n = s.name();
            sorted.put(displayName(n), new String[] {displayName(n), show(n), s.definition().shortDesc()});
        }
        rows.addAll(sorted.values());
        return rows;
    }

    Map<String, String> reported() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : List.of("application_name", "client_encoding", "DateStyle", "default_transaction_read_only",
                "in_hot_standby", "integer_datetimes", "IntervalStyle", "is_superuser", "server_encoding",
                "server_version", "session_authorization", "standard_conforming_strings", "TimeZone")) {
            m.put(n, reportedValue(n));
        }
        return m;
    }

    private String reportedValue(String n) {
        String l = n.toLowerCase(Locale.ROOT);
        if (known(l)) {
            try {
                return show(l);
            } catch (PgException e) {
                // fall through to the defaults below
            }
        }
        return switch (l) {
            case "application_name" -> "";
            case "client_encoding", "server_encoding" -> "UTF8";
            case "datestyle" -> "ISO, MDY";
            case "intervalstyle" -> "postgres";
            case "timezone" -> "UTC";
            case "server_version" -> modgres.api.server.ServerVersion.SERVER_VERSION;
            case "integer_datetimes", "standard_conforming_strings" -> "on";
            default -> "off";
        };
    }
}
