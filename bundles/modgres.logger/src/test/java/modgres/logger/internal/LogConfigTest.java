package modgres.logger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;

import org.junit.jupiter.api.Test;

import modgres.api.log.Severity;
import modgres.logger.internal.format.Verbosity;

class LogConfigTest {
    private static final Path DATA = Path.of("/data");

    @Test
    void postgres15Defaults() {
        LogConfig c = LogConfig.defaults(DATA);
        assertEquals(EnumSet.of(Destination.STDERR), c.destinations());
        assertEquals("%m [%p] ", c.linePrefix());
        assertEquals(Severity.WARNING, c.minMessages());
        assertEquals(ZoneId.of("GMT"), c.timezone());
        assertFalse(c.collector());
        assertEquals("log", c.directory());
        assertEquals("postgresql-%Y-%m-%d_%H%M%S.log", c.filename());
        assertEquals(0600, c.fileMode());
        assertEquals(1440, c.rotationAgeMinutes());
        assertEquals(10240, c.rotationSizeKb());
        assertFalse(c.truncateOnRotation());
        assertEquals(Verbosity.DEFAULT, c.verbosity());
    }

    @Test
    void readsSettings() {
        Map<String, String> s = Map.ofEntries(Map.entry("log_destination", "stderr, csvlog,JSONLOG,syslog"),
                Map.entry("log_line_prefix", "%t "), Map.entry("log_min_messages", "debug"),
                Map.entry("log_timezone", "Europe/Berlin"), Map.entry("logging_collector", "on"),
                Map.entry("log_directory", "/var/log/pg"), Map.entry("log_filename", "pg-%a.log"),
                Map.entry("log_file_mode", "0640"), Map.entry("log_rotation_age", "60"),
                Map.entry("log_rotation_size", "0"), Map.entry("log_truncate_on_rotation", "true"),
                Map.entry("log_error_verbosity", "verbose"));
        LogConfig c = LogConfig.read(s::get, DATA);
        assertEquals(EnumSet.allOf(Destination.class), c.destinations());
        assertEquals("%t ", c.linePrefix());
        assertEquals(Severity.DEBUG2, c.minMessages());
        assertEquals(ZoneId.of("Europe/Berlin"), c.timezone());
        assertTrue(c.collector());
        assertEquals("/var/log/pg", c.directory());
        assertEquals("pg-%a.log", c.filename());
        assertEquals(0640, c.fileMode());
        assertEquals(60, c.rotationAgeMinutes());
        assertEquals(0, c.rotationSizeKb());
        assertTrue(c.truncateOnRotation());
        assertEquals(Verbosity.VERBOSE, c.verbosity());
        assertEquals("", LogConfig.read(Map.of("log_line_prefix", "")::get, DATA).linePrefix());
    }

    @Test
    void badValuesFallBackToDefaults() {
        Map<String, String> s = Map.of("log_destination", "syslog", "log_min_messages", "loud", "log_timezone",
                "Nowhere/Special", "logging_collector", "perhaps", "log_file_mode", "0999", "log_rotation_age", "soon",
                "log_directory", "", "log_error_verbosity", "chatty");
        LogConfig c = LogConfig.read(s::get, DATA);
        assertEquals(EnumSet.of(Destination.STDERR), c.destinations());
        assertEquals(Severity.WARNING, c.minMessages());
        assertEquals(ZoneId.of("GMT"), c.timezone());
        assertFalse(c.collector());
        assertEquals(0600, c.fileMode());
        assertEquals(1440, c.rotationAgeMinutes());
        assertEquals("log", c.directory());
        assertEquals(Verbosity.DEFAULT, c.verbosity());
    }

    @Test
    void unitsAndNumbers() {
        assertEquals(1440, LogConfig.amount("1d", 0, LogConfig.Unit.MINUTES));
        assertEquals(90, LogConfig.amount("1.5h", 0, LogConfig.Unit.MINUTES));
        assertEquals(2, LogConfig.amount("120s", 0, LogConfig.Unit.MINUTES));
        assertEquals(10240, LogConfig.amount("10MB", 0, LogConfig.Unit.KILOBYTES));
        assertEquals(1048576, LogConfig.amount("1GB", 0, LogConfig.Unit.KILOBYTES));
        assertEquals(7, LogConfig.amount("7 kB", 0, LogConfig.Unit.KILOBYTES));
        assertEquals(5, LogConfig.amount("x", 5, LogConfig.Unit.KILOBYTES));
        assertEquals(5, LogConfig.amount("3 parsecs", 5, LogConfig.Unit.KILOBYTES));
        assertEquals(384, LogConfig.mode("384"));
        assertEquals(0600, LogConfig.mode("0600"));
        assertEquals(0644, LogConfig.mode("0x1a4"));
        assertEquals(ZoneId.of("EST5EDT"), LogConfig.zone("EST5EDT"));
        assertEquals(ZoneId.of("-05:00"), LogConfig.zone("EST")); // Java's short id
        assertEquals(ZoneId.of("Etc/UTC"), LogConfig.zone("Etc/UTC"));
        // POSIX-style zones, as the settings show log_timezone = 5 or 'UTC+3'
        assertEquals(ZoneOffset.ofHours(5), LogConfig.zone("<+05>-05"));
        assertEquals(ZoneOffset.ofHoursMinutes(-3, -30), LogConfig.zone("<-03:30>+03:30"));
        assertEquals(ZoneOffset.ofHours(-3), LogConfig.zone("UTC+3"));
        assertEquals(ZoneOffset.ofHours(-5), LogConfig.zone("ABC5XYZ,M3.2.0,M11.1.0"));
        assertEquals(ZoneId.of("GMT"), LogConfig.zone("<+05"));
    }

    @Test
    void booleansAsPostgresParsesThem() {
        for (String t : new String[] { "on", "ON", "true", "t", "yes", "y", "1" }) {
            assertTrue(LogConfig.bool(t, false), t);
        }
        for (String f : new String[] { "off", "of", "false", "f", "no", "n", "0" }) {
            assertFalse(LogConfig.bool(f, true), f);
        }
        assertTrue(LogConfig.bool("o", true)); // ambiguous: the fallback
        assertFalse(LogConfig.bool("o", false));
    }

    @Test
    void collectorIsKeptAcrossReload() {
        LogConfig c = LogConfig.defaults(DATA).withCollector(true);
        assertTrue(c.collector());
        assertEquals(LogConfig.defaults(DATA).linePrefix(), c.linePrefix());
    }
}
