package modgres.backend.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import modgres.api.error.PgException;

/**
 * A StartupMessage of protocol 3.x, decoded as PostgreSQL's
 * ProcessStartupPacket does.
 *
 * @param minor          the protocol's minor version the client asked for
 * @param user           {@code user} (may be null or empty: the caller complains)
 * @param database       {@code database}, or the user name when absent or empty
 * @param options        the raw {@code options} parameter, or null
 * @param replication    the raw {@code replication} parameter, or null
 * @param parameters     every other parameter, in packet order (application_name, client_encoding, ...)
 * @param unrecognized   {@code _pq_.*} protocol options (none are recognised)
 */
public record StartupPacket(int minor, String user, String database, String options, String replication,
        Map<String, String> parameters, List<String> unrecognized) {

    /** PostgreSQL's NAMEDATALEN - 1: longer user and database names are cut. */
    public static final int MAX_NAME_BYTES = 63;

    /**
     * Decodes the parameter list that follows the protocol version word.
     *
     * @param body  the packet's bytes after the length word
     * @param from  where the parameters start (after the version word)
     * @param len   the packet's length without the length word
     */
    public static StartupPacket parse(int version, byte[] body, int from, int len) {
        Map<String, String> params = new LinkedHashMap<>();
        List<String> unrecognized = new ArrayList<>();
        String user = null;
        String database = null;
        String options = null;
        String replication = null;
        int offset = from;
        while (offset < len) {
            int nameEnd = zero(body, offset, len);
            if (nameEnd == offset) {
                break; // the packet's terminator
            }
            int valueOffset = nameEnd + 1;
            if (valueOffset >= len) {
                break; // a name without value: complained about below
            }
            int valueEnd = zero(body, valueOffset, len);
            String name = new String(body, offset, nameEnd - offset, StandardCharsets.UTF_8);
            String value = new String(body, valueOffset, valueEnd - valueOffset, StandardCharsets.UTF_8);
            switch (name) {
                case "database" -> database = value;
                case "user" -> user = value;
                case "options" -> options = value;
                case "replication" -> replication = value;
                default -> {
                    if (name.startsWith("_pq_.")) {
                        unrecognized.add(name);
                    } else {
                        params.put(name, value);
                    }
                }
            }
            offset = valueEnd + 1;
        }
        if (offset != len - 1) {
            throw new PgException("08P01", "invalid startup packet layout: expected terminator as last byte");
        }
        user = user == null ? null : clip(user);
        database = database == null || database.isEmpty() ? user : clip(database);
        return new StartupPacket(version & 0xffff, user, database, options, replication,
                Collections.unmodifiableMap(params), List.copyOf(unrecognized));
    }

    /** Where the string starting at {@code from} ends (its zero byte, or {@code len} when missing). */
    private static int zero(byte[] b, int from, int len) {
        int i = from;
        while (i < len && b[i] != 0) {
            i++;
        }
        return i;
    }

    /** Cuts a name to 63 bytes of UTF-8, on a character boundary. */
    static String clip(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_NAME_BYTES) {
            return name;
        }
        int n = MAX_NAME_BYTES;
        while (n > 0 && (b[n] & 0xc0) == 0x80) {
            n--;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * What the {@code replication} parameter asks for: null for a normal
     * connection, "physical" or "database" for a walsender. Invalid values
     * fail as PostgreSQL's do.
     */
    public String replicationMode() {
        if (replication == null) {
            return null;
        }
        if (replication.equals("database")) {
            return "database";
        }
        Boolean b = parseBool(replication);
        if (b == null) {
            throw new PgException("22023", "invalid value for parameter \"replication\": \"" + replication + "\"",
                    null, "Valid values are: \"false\", 0, \"true\", 1, \"database\".");
        }
        return b ? "physical" : null;
    }

    /** PostgreSQL's parse_bool: true/false, yes/no, on/off, 1/0 and unique prefixes. */
    static Boolean parseBool(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return null;
        }
        if ("true".startsWith(s) || "yes".startsWith(s) || s.equals("1") || s.equals("on")) {
            return true;
        }
        if ("false".startsWith(s) || "no".startsWith(s) || s.equals("0") || s.equals("off")) {
            return false;
        }
        return null;
    }

    /**
     * The settings of the session: those of {@code options} ({@code -c
     * name=value}, {@code --name=value}) first, then every other packet
     * parameter, which wins as in PostgreSQL's process_startup_options.
     * Throws PostgreSQL's errors for bad switches.
     */
    public Map<String, String> sessionSettings() {
        Map<String, String> all = new LinkedHashMap<>();
        if (options != null) {
            all.putAll(CommandLineOptions.settings(CommandLineOptions.split(options)));
        }
        all.putAll(parameters);
        return all;
    }
}
