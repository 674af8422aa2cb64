package modgres.logger.internal;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import modgres.api.log.Severity;
import modgres.logger.internal.format.Verbosity;

/**
 * The settings the logger obeys, read from the server's settings with
 * PostgreSQL 15's defaults for anything missing or unreadable (a broken value
 * must never stop the server log).
 *
 * @param dataDirectory      the data directory; {@code log_directory} and {@code current_logfiles} are relative to it
 * @param destinations       {@code log_destination} (never empty: syslog/eventlog alone fall back to stderr)
 * @param linePrefix         {@code log_line_prefix}
 * @param minMessages        {@code log_min_messages}
 * @param timezone           {@code log_timezone}
 * @param collector          {@code logging_collector}
 * @param directory          {@code log_directory}
 * @param filename           {@code log_filename}
 * @param fileMode           {@code log_file_mode}
 * @param rotationAgeMinutes {@code log_rotation_age} in minutes, 0 = off
 * @param rotationSizeKb     {@code log_rotation_size} in kB, 0 = off
 * @param truncateOnRotation {@code log_truncate_on_rotation}
 * @param verbosity          {@code log_error_verbosity}
 */
public record LogConfig(Path dataDirectory, Set<Destination> destinations, String linePrefix, Severity minMessages,
        ZoneId timezone, boolean collector, String directory, String filename, int fileMode, int rotationAgeMinutes,
        int rotationSizeKb, boolean truncateOnRotation, Verbosity verbosity) {

    public static final String DEFAULT_PREFIX = "%m [%p] ";
    public static final String DEFAULT_FILENAME = "postgresql-%Y-%m-%d_%H%M%S.log";

    public LogConfig {
        destinations = Collections.unmodifiableSet(destinations.isEmpty() ? EnumSet.of(Destination.STDERR)
                : EnumSet.copyOf(destinations));
    }

    /** PostgreSQL 15's built-in values. */
    public static LogConfig defaults(Path dataDirectory) {
        return read(name -> null, dataDirectory);
    }

    /**
     * Reads the settings through {@code lookup}, which returns a setting's
     * value ({@code pg_settings.setting}: base unit, {@code on}/{@code off})
     * or null when the setting is unknown.
     */
    public static LogConfig read(Function<String, String> lookup, Path dataDirectory) {
        return new LogConfig(dataDirectory,
                destinations(lookup.apply("log_destination")),
                string(lookup.apply("log_line_prefix"), DEFAULT_PREFIX),
                severity(lookup.apply("log_min_messages")),
                zone(lookup.apply("log_timezone")),
                bool(lookup.apply("logging_collector"), false),
                nonEmpty(lookup.apply("log_directory"), "log"),
                nonEmpty(lookup.apply("log_filename"), DEFAULT_FILENAME),
                mode(lookup.apply("log_file_mode")),
                (int) Math.min(Integer.MAX_VALUE / 60, Math.max(0, amount(lookup.apply("log_rotation_age"),
                        1440, Unit.MINUTES))),
                (int) Math.min(Integer.MAX_VALUE / 1024, Math.max(0, amount(lookup.apply("log_rotation_size"),
                        10240, Unit.KILOBYTES))),
                bool(lookup.apply("log_truncate_on_rotation"), false),
                Verbosity.parse(lookup.apply("log_error_verbosity"), Verbosity.DEFAULT));
    }

    /** The same settings with another {@code logging_collector} (which only a restart changes). */
    public LogConfig withCollector(boolean on) {
        return new LogConfig(dataDirectory, destinations, linePrefix, minMessages, timezone, on, directory, filename,
                fileMode, rotationAgeMinutes, rotationSizeKb, truncateOnRotation, verbosity);
    }

    static Set<Destination> destinations(String value) {
        EnumSet<Destination> set = EnumSet.noneOf(Destination.class);
        if (value == null) {
            set.add(Destination.STDERR);
            return set;
        }
        for (String part : value.split(",")) {
            switch (part.trim().toLowerCase(Locale.ROOT)) {
                case "stderr" -> set.add(Destination.STDERR);
                case "csvlog" -> set.add(Destination.CSVLOG);
                case "jsonlog" -> set.add(Destination.JSONLOG);
                default -> {
                    // syslog, eventlog: not written by this logger (stderr when nothing else is left)
                }
            }
        }
        return set;
    }

    static Severity severity(String value) {
        if (value == null) {
            return Severity.WARNING;
        }
        try {
            return Severity.fromSetting(value);
        } catch (IllegalArgumentException e) {
            return Severity.WARNING;
        }
    }

    static ZoneId zone(String value) {
        if (value == null || value.isBlank()) {
            return ZoneId.of("GMT");
        }
        String v = value.trim();
        if (ZoneId.getAvailableZoneIds().contains(v)) {
            return ZoneId.of(v);
        }
        if (v.matches("(<[^>]*>|[A-Za-z]{3,})[+-]?[0-9].*")) {
            // POSIX, not Java's "UTC+3": the sign counts west
            ZoneOffset posix = posixOffset(v);
            if (posix != null) {
                return posix;
            }
        }
        try {
            return ZoneId.of(v, ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            if (v.equalsIgnoreCase("utc") || v.equalsIgnoreCase("gmt") || v.equalsIgnoreCase("z")) {
                return ZoneOffset.UTC;
            }
            return ZoneId.of("GMT");
        }
    }

    /*
     * A POSIX-style zone, as PostgreSQL accepts and shows them ("<+05>-05" for
     * log_timezone = 5, "EST5", "UTC+3"): the standard time's offset, whose
     * sign counts hours west of Greenwich. A daylight-saving part is not
     * followed (its standard offset is used all year), and the abbreviation
     * printed is the numeric one.
     */
    static ZoneOffset posixOffset(String v) {
        int i = 0;
        if (v.startsWith("<")) {
            i = v.indexOf('>');
            if (i < 0) {
                return null;
            }
            i++;
        } else {
            while (i < v.length() && Character.isLetter(v.charAt(i))) {
                i++;
            }
            if (i < 3) {
                return null;
            }
        }
        int sign = 1;
        if (i < v.length() && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
            sign = v.charAt(i) == '-' ? -1 : 1;
            i++;
        }
        int seconds = 0;
        int[] factors = { 3600, 60, 1 };
        for (int part = 0; part < 3; part++) {
            int start = i;
            while (i < v.length() && Character.isDigit(v.charAt(i))) {
                i++;
            }
            if (i == start || i - start > 3) {
                return part == 0 ? null : toOffset(-sign * seconds);
            }
            seconds += Integer.parseInt(v.substring(start, i)) * factors[part];
            if (i >= v.length() || v.charAt(i) != ':') {
                break;
            }
            i++;
        }
        return toOffset(-sign * seconds);
    }

    private static ZoneOffset toOffset(int seconds) {
        try {
            return ZoneOffset.ofTotalSeconds(seconds);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** PostgreSQL's parse_bool: on/off, true/false, yes/no, 1/0 and unique prefixes. */
    static boolean bool(String value, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return fallback;
        }
        if (v.equals("1") || "true".startsWith(v) || "yes".startsWith(v) || (v.length() >= 2 && "on".startsWith(v))) {
            return true;
        }
        if (v.equals("0") || "false".startsWith(v) || "no".startsWith(v) || (v.length() >= 2 && "off".startsWith(v))) {
            return false;
        }
        return fallback;
    }

    /** An integer as C's strtol with base 0 reads it (0600 is octal), the way PostgreSQL reads log_file_mode. */
    static int mode(String value) {
        if (value == null) {
            return 0600;
        }
        String v = value.trim();
        try {
            int m;
            if (v.startsWith("0x") || v.startsWith("0X")) {
                m = Integer.parseInt(v.substring(2), 16);
            } else if (v.length() > 1 && v.startsWith("0")) {
                m = Integer.parseInt(v.substring(1), 8);
            } else {
                m = Integer.parseInt(v);
            }
            return m >= 0 && m <= 0777 ? m : 0600;
        } catch (NumberFormatException e) {
            return 0600;
        }
    }

    enum Unit {
        MINUTES, KILOBYTES
    }

    /** A number in the setting's base unit, or with one of PostgreSQL's unit suffixes. */
    static long amount(String value, long fallback, Unit base) {
        if (value == null) {
            return fallback;
        }
        String v = value.trim();
        int i = 0;
        if (i < v.length() && (v.charAt(i) == '-' || v.charAt(i) == '+')) {
            i++;
        }
        while (i < v.length() && (Character.isDigit(v.charAt(i)) || v.charAt(i) == '.')) {
            i++;
        }
        double number;
        try {
            number = Double.parseDouble(v.substring(0, i));
        } catch (NumberFormatException e) {
            return fallback;
        }
        String unit = v.substring(i).trim();
        double factor;
        if (unit.isEmpty()) {
            factor = 1;
        } else if (base == Unit.MINUTES) {
            factor = switch (unit) {
                case "us" -> 1.0 / 60_000_000;
                case "ms" -> 1.0 / 60_000;
                case "s" -> 1.0 / 60;
                case "min" -> 1;
                case "h" -> 60;
                case "d" -> 1440;
                default -> Double.NaN;
            };
        } else {
            factor = switch (unit) {
                case "B" -> 1.0 / 1024;
                case "kB" -> 1;
                case "MB" -> 1024;
                case "GB" -> 1024 * 1024;
                case "TB" -> 1024.0 * 1024 * 1024;
                default -> Double.NaN;
            };
        }
        if (Double.isNaN(factor)) {
            return fallback;
        }
        return Math.round(number * factor);
    }

    private static String string(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String nonEmpty(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
