package modgres.api.autovacuum;

import java.util.Locale;
import java.util.Map;

import modgres.api.settings.Settings;

/**
 * PostgreSQL's autovacuum thresholds for one table: the settings, overridden
 * by the table's storage parameters as {@code relation_needs_vacanalyze()}
 * does (a parameter counts when it is set and in range: thresholds and scale
 * factors {@code >= 0}, the insert threshold {@code >= -1}; a value that does
 * not parse is ignored). Shared by the policies, which read PostgreSQL's
 * rules the same way even when they weigh the figures differently.
 *
 * @param enabled     {@code autovacuum_enabled} (storage parameter only; default true)
 * @param vacThresh   {@code autovacuum_vacuum_threshold}
 * @param vacScale    {@code autovacuum_vacuum_scale_factor}
 * @param insThresh   {@code autovacuum_vacuum_insert_threshold} (-1 disables insert-driven vacuums)
 * @param insScale    {@code autovacuum_vacuum_insert_scale_factor}
 * @param anlThresh   {@code autovacuum_analyze_threshold}
 * @param anlScale    {@code autovacuum_analyze_scale_factor}
 */
public record Thresholds(boolean enabled, double vacThresh, double vacScale, double insThresh, double insScale,
        double anlThresh, double anlScale) {

    /** The server-wide values. */
    public static Thresholds of(Settings s) {
        return new Thresholds(true, s.getInt("autovacuum_vacuum_threshold"),
                s.getReal("autovacuum_vacuum_scale_factor"), s.getInt("autovacuum_vacuum_insert_threshold"),
                s.getReal("autovacuum_vacuum_insert_scale_factor"), s.getInt("autovacuum_analyze_threshold"),
                s.getReal("autovacuum_analyze_scale_factor"));
    }

    /** These values with a table's storage parameters applied. */
    public Thresholds with(Map<String, String> relOptions) {
        if (relOptions == null || relOptions.isEmpty()) {
            return this;
        }
        Boolean en = bool(relOptions.get("autovacuum_enabled"));
        return new Thresholds(en == null ? enabled : en,
                option(relOptions, "autovacuum_vacuum_threshold", 0, vacThresh),
                option(relOptions, "autovacuum_vacuum_scale_factor", 0, vacScale),
                option(relOptions, "autovacuum_vacuum_insert_threshold", -1, insThresh),
                option(relOptions, "autovacuum_vacuum_insert_scale_factor", 0, insScale),
                option(relOptions, "autovacuum_analyze_threshold", 0, anlThresh),
                option(relOptions, "autovacuum_analyze_scale_factor", 0, anlScale));
    }

    private static double option(Map<String, String> opts, String name, double min, double fallback) {
        Double d = option(opts, name, min);
        return d == null ? fallback : d;
    }

    /** A storage parameter's value when it is set, parses and is at least {@code min}; else null. */
    public static Double option(Map<String, String> opts, String name, double min) {
        String v = opts == null ? null : opts.get(name);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            return d >= min ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** PostgreSQL's {@code parse_bool()}: on/off, true/false, yes/no, 1/0 and unique prefixes; null if none. */
    public static Boolean bool(String v) {
        if (v == null) {
            return null;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            return null;
        }
        if (s.equals("1") || s.equals("on") || "true".startsWith(s) || "yes".startsWith(s)) {
            return Boolean.TRUE;
        }
        if (s.equals("0") || s.equals("of") || s.equals("off") || "false".startsWith(s) || "no".startsWith(s)) {
            return Boolean.FALSE;
        }
        return null;
    }

    /** A number as the reasons print it: 70 rather than 70.0, 20.5 as is. */
    public static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
