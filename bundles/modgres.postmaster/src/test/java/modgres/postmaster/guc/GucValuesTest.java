package modgres.postmaster.guc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import modgres.api.error.PgException;
import modgres.postmaster.guc.GucDefinitions.Def;

/** Parsing, bounds, check hooks and SHOW formatting of values, as PostgreSQL 15 does them. */
class GucValuesTest {

    private final Map<String, Object> overrides = new HashMap<>();

    private final GucValues.Current current = name -> {
        if (overrides.containsKey(name)) {
            return overrides.get(name);
        }
        Def d = GucDefinitions.find(name);
        String dyn = GucDefinitions.dynamicDefaults().get(name);
        return d == null ? null : dyn != null ? GucValues.rawFromConfigString(d, dyn) : d.bootRaw();
    };

    private Object parse(String name, String value) {
        return GucValues.parse(GucDefinitions.find(name), name, value, current);
    }

    private String show(String name, String value) {
        Def d = GucDefinitions.find(name);
        return GucValues.show(d, GucValues.parse(d, name, value, current), current);
    }

    private PgException error(String name, String value) {
        return assertThrows(PgException.class, () -> parse(name, value));
    }

    @ParameterizedTest(name = "%g of {0} is {1}")
    @CsvSource(delimiter = '|', value = {"0|0", "1|1", "0.1|0.1", "0.9|0.9", "0.0025|0.0025", "1.23456789|1.23457",
            "123456|123456", "1234567|1.23457e+06", "1000000|1e+06", "0.00001|1e-05", "0.0001|0.0001",
            "1e-07|1e-07", "1.79769313486231570e+308|1.79769e+308", "-1|-1", "2.5|2.5", "100000|100000",
            "1e+10|1e+10", "0.000123456789|0.000123457", "999999.5|1e+06"})
    void formatsLikePrintfG(double value, String expected) {
        assertEquals(expected, CNumbers.formatG(value));
    }

    @Test
    void formatsInfinityAndNanAsPostgresDoes() {
        assertEquals("Infinity", CNumbers.formatG(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", CNumbers.formatG(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", CNumbers.formatG(Double.NaN));
    }

    @ParameterizedTest(name = "{0} = {1} shows {2}")
    @CsvSource(delimiter = '|', value = {
            // 8kB pages
            "shared_buffers|16384|128MB", "shared_buffers|16|128kB", "shared_buffers|131072|1GB",
            "shared_buffers|100|800kB", "effective_cache_size|1|8kB", "effective_cache_size|134217728|1TB",
            // kB
            "work_mem|4096|4MB", "work_mem|1536|1536kB", "work_mem|1048576|1GB", "work_mem|64|64kB",
            "temp_file_limit|-1|-1", "log_temp_files|0|0",
            // MB
            "max_wal_size|1024|1GB", "min_wal_size|80|80MB", "max_wal_size|1048576|1TB",
            // bytes
            "log_parameter_max_length|1024|1kB", "log_parameter_max_length|1000|1000B",
            "track_activity_query_size|1024|1kB",
            // milliseconds
            "statement_timeout|1500|1500ms", "statement_timeout|60000|1min", "statement_timeout|3600000|1h",
            "statement_timeout|86400000|1d", "statement_timeout|90000|90s", "statement_timeout|0|0",
            "log_min_duration_statement|-1|-1",
            // seconds
            "checkpoint_timeout|300|5min", "checkpoint_timeout|30|30s", "checkpoint_timeout|86400|1d",
            "authentication_timeout|60|1min", "archive_timeout|7200|2h",
            // minutes
            "log_rotation_age|1440|1d", "log_rotation_age|90|90min", "log_rotation_age|60|1h",
            "old_snapshot_threshold|-1|-1",
            // real milliseconds
            "vacuum_cost_delay|1.5|1500us", "vacuum_cost_delay|2|2ms", "vacuum_cost_delay|0.5|500us",
            "autovacuum_vacuum_cost_delay|-1|-1",
            // no unit
            "max_connections|100|100", "random_page_cost|4|4", "checkpoint_completion_target|0.9|0.9",
            // show hooks
            "unix_socket_permissions|511|0777", "unix_socket_permissions|0770|0770", "log_file_mode|384|0600"})
    void showsWithTheLargestEvenUnit(String name, String value, String expected) {
        assertEquals(expected, show(name, value));
    }

    @ParameterizedTest(name = "{0} = ''{1}'' is {2} in the base unit")
    @CsvSource(delimiter = '|', value = {
            "shared_buffers|128MB|16384", "shared_buffers|1GB|131072", "shared_buffers|12kB|2",
            "shared_buffers|4kB|0", "shared_buffers|1TB|134217728", "work_mem|1.5GB|1572864", "work_mem|1000B|1",
            "work_mem|1536B|2", "work_mem|0.5MB|512", "max_wal_size|2GB|2048", "max_wal_size|1.5TB|1572864",
            "max_wal_size|100000kB|98", "log_parameter_max_length|2kB|2048", "log_parameter_max_length|1.5kB|1536",
            "statement_timeout|1.5s|1500", "statement_timeout|100us|0", "statement_timeout|600us|1",
            "statement_timeout|0.5min|30000", "statement_timeout|1d|86400000", "statement_timeout|2h|7200000",
            "checkpoint_timeout|1500ms|2", "checkpoint_timeout|1.5min|90", "checkpoint_timeout|1h|3600",
            "log_rotation_age|90s|2", "log_rotation_age|1d|1440", "log_rotation_age|30s|0",
            "log_rotation_age|89s|1", "work_mem|0x100|256", "work_mem|010|8", "work_mem|1e3|1000",
            "work_mem|100.5|100", "work_mem|101.5|102", "work_mem| 100 |100", "work_mem|+128|128"})
    void parsesUnitsIntoTheBaseUnit(String name, String value, String expected) {
        Def d = GucDefinitions.find(name);
        GucValues.NumberResult r = GucValues.parseInt(value, d.unit);
        assertEquals(expected, String.valueOf(r.value().intValue()));
    }

    @Test
    void parsesRealsWithUnits() {
        assertEquals(1.5, parse("vacuum_cost_delay", "1500us"));
        assertEquals(0.5, parse("vacuum_cost_delay", "500us"));
        assertEquals(60.0, parse("autovacuum_vacuum_cost_delay", "60ms"));
        assertEquals(0.001, parse("vacuum_cost_delay", "1us"));
        assertEquals(1.0E-5, parse("cpu_tuple_cost", "0.00001"));
    }

    @Test
    void memoryUnitErrorsGiveTheMemoryHint() {
        PgException e = error("shared_buffers", "abc");
        assertEquals("22023", e.sqlState());
        assertEquals("invalid value for parameter \"shared_buffers\": \"abc\"", e.getMessage());
        assertNull(e.hint());
        e = error("shared_buffers", "128mb");
        assertEquals("Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".", e.hint());
        e = error("shared_buffers", "128 MBs");
        assertEquals(GucUnit.MEMORY_HINT, e.hint());
    }

    @Test
    void timeUnitErrorsGiveTheTimeHint() {
        PgException e = error("statement_timeout", "10 sec");
        assertEquals("invalid value for parameter \"statement_timeout\": \"10 sec\"", e.getMessage());
        assertEquals("Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".", e.hint());
        assertEquals(GucUnit.TIME_HINT, error("checkpoint_timeout", "5m").hint());
    }

    @Test
    void unitsAreRefusedWhereTheSettingHasNone() {
        PgException e = error("max_connections", "100kB");
        assertEquals("invalid value for parameter \"max_connections\": \"100kB\"", e.getMessage());
        assertNull(e.hint());
        assertNull(error("random_page_cost", "1kB").hint());
    }

    @Test
    void integerOverflowIsReported() {
        PgException e = error("work_mem", "3000000000");
        assertEquals("Value exceeds integer range.", e.hint());
        assertEquals("Value exceeds integer range.", error("max_connections", "99999999999999999999").hint());
        assertEquals("Value exceeds integer range.", error("work_mem", "4096GB").hint());
    }

    @Test
    void outOfRangeMessagesNameTheUnit() {
        assertEquals("1 8kB is outside the valid range for parameter \"shared_buffers\" (16 .. 1073741823)",
                error("shared_buffers", "1").getMessage());
        assertEquals("8 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647)",
                error("work_mem", "8").getMessage());
        assertEquals("-1 ms is outside the valid range for parameter \"statement_timeout\" (0 .. 2147483647)",
                error("statement_timeout", "-1").getMessage());
        assertEquals("10 s is outside the valid range for parameter \"checkpoint_timeout\" (30 .. 86400)",
                error("checkpoint_timeout", "10s").getMessage());
        assertEquals("0 is outside the valid range for parameter \"max_connections\" (1 .. 262143)",
                error("max_connections", "0").getMessage());
        assertEquals("1000 ms is outside the valid range for parameter \"vacuum_cost_delay\" (0 .. 100)",
                error("vacuum_cost_delay", "1s").getMessage());
        assertEquals("-1 is outside the valid range for parameter \"random_page_cost\" (0 .. 1.79769e+308)",
                error("random_page_cost", "-1").getMessage());
        assertEquals("0.5 is outside the valid range for parameter \"hash_mem_multiplier\" (1 .. 1000)",
                error("hash_mem_multiplier", "0.5").getMessage());
        assertEquals("Infinity is outside the valid range for parameter \"random_page_cost\" (0 .. 1.79769e+308)",
                error("random_page_cost", "inf").getMessage());
        assertEquals("22023", error("port", "70000").sqlState());
    }

    @Test
    void errorsUseTheNameAsGiven() {
        PgException e = assertThrows(PgException.class,
                () -> GucValues.parse(GucDefinitions.find("WORK_MEM"), "WORK_MEM", "x", current));
        assertEquals("invalid value for parameter \"WORK_MEM\": \"x\"", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"on|true", "ON|true", "of|false", "off|false", "OFF|false", "t|true",
            "tr|true", "TRUE|true", "y|true", "yes|true", "n|false", "no|false", "f|false", "fal|false", "1|true",
            "0|false"})
    void booleansAcceptUniquePrefixes(String value, boolean expected) {
        assertEquals(expected, GucValues.parseBool(value));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"o", "10", "00", "truex", "onn", "offf", "yess", "x", "' on'", "'on '"})
    void booleansRejectOthers(String value) {
        assertNull(GucValues.parseBool(value));
        assertEquals("parameter \"fsync\" requires a Boolean value", error("fsync", value).getMessage());
    }

    @Test
    void emptyIsNotABoolean() {
        assertNull(GucValues.parseBool(""));
    }

    @Test
    void enumsAreCaseInsensitiveAndKnowHiddenSpellings() {
        assertEquals("replica", parse("wal_level", "REPLICA"));
        assertEquals("replica", parse("wal_level", "archive"));
        assertEquals("replica", parse("wal_level", "hot_standby"));
        assertEquals("pglz", parse("wal_compression", "on"));
        assertEquals("pglz", parse("wal_compression", "yes"));
        assertEquals("off", parse("wal_compression", "0"));
        assertEquals("debug2", parse("log_min_messages", "debug"));
        assertEquals("info", parse("client_min_messages", "info"));
        assertEquals("on", parse("synchronous_commit", "true"));
        assertEquals("off", parse("huge_pages", "no"));
        assertEquals("read committed", parse("default_transaction_isolation", "Read Committed"));
        assertEquals("scram-sha-256", parse("password_encryption", "SCRAM-SHA-256"));
    }

    @Test
    void enumErrorsListTheVisibleValues() {
        PgException e = error("wal_level", "max");
        assertEquals("invalid value for parameter \"wal_level\": \"max\"", e.getMessage());
        assertEquals("Available values: minimal, replica, logical.", e.hint());
        assertEquals("Available values: debug5, debug4, debug3, debug2, debug1, log, notice, warning, error.",
                error("client_min_messages", "fatal").hint());
        assertEquals("Available values: md5, scram-sha-256.", error("password_encryption", "on").hint());
        assertEquals("Available values: , TLSv1, TLSv1.1, TLSv1.2, TLSv1.3.",
                error("ssl_max_protocol_version", "SSLv3").hint());
        assertEquals("invalid value for parameter \"default_transaction_isolation\": \"read  committed\"",
                error("default_transaction_isolation", "read  committed").getMessage());
    }

    @Test
    void dateStyleIsCanonicalised() {
        assertEquals("ISO, MDY", parse("DateStyle", "iso, mdy"));
        assertEquals("SQL, MDY", parse("datestyle", "sql"));
        assertEquals("German, DMY", parse("DateStyle", "german"));
        assertEquals("German, MDY", parse("DateStyle", "german, mdy"));
        assertEquals("Postgres, DMY", parse("DateStyle", "postgres, euro"));
        assertEquals("Postgres, MDY", parse("DateStyle", "PostgreSQL"));
        assertEquals("ISO, YMD", parse("DateStyle", "  ISO  ,  YMD  "));
        assertEquals("ISO, MDY", parse("DateStyle", "default"));
        overrides.put("datestyle", "SQL, DMY");
        assertEquals("ISO, DMY", parse("DateStyle", "iso"));
        assertEquals("SQL, DMY", parse("DateStyle", "default"));
    }

    @Test
    void dateStyleErrorsHaveDetails() {
        PgException e = error("DateStyle", "iso, sql");
        assertEquals("invalid value for parameter \"DateStyle\": \"iso, sql\"", e.getMessage());
        assertEquals("Conflicting \"datestyle\" specifications.", e.detail());
        assertEquals("Unrecognized key word: \"foo\".", error("datestyle", "ISO, Foo").detail());
        assertEquals("List syntax is invalid.", error("datestyle", "iso,").detail());
        assertEquals("List syntax is invalid.", error("datestyle", "iso ymd").detail());
        // a check hook names the setting as PostgreSQL spells it
        assertEquals("invalid value for parameter \"DateStyle\": \"foo\"", error("datestyle", "foo").getMessage());
    }

    @Test
    void timeZonesAreValidatedAndCanonicalised() {
        assertEquals("Europe/Paris", parse("TimeZone", "europe/paris"));
        assertEquals("America/New_York", parse("timezone", "AMERICA/NEW_YORK"));
        assertEquals("UTC", parse("TimeZone", "utc"));
        assertEquals("EST5EDT", parse("TimeZone", "EST5EDT"));
        assertEquals("XYZ+3", parse("TimeZone", "xyz+3"));
        assertEquals("<+03>-3", parse("TimeZone", "<+03>-3"));
        assertEquals("<-05>+05", parse("TimeZone", "-5"));
        assertEquals("<+05:30>-05:30", parse("TimeZone", "5.5"));
        assertEquals("Etc/UTC", parse("log_timezone", "etc/utc"));
        PgException e = error("timezone", "Mars/Olympus");
        assertEquals("invalid value for parameter \"TimeZone\": \"Mars/Olympus\"", e.getMessage());
        assertNull(e.detail());
        assertEquals("UTC timezone offset is out of range.", error("TimeZone", "1000").detail());
        assertEquals("invalid value for parameter \"log_timezone\": \"XYZ\"", error("log_timezone", "XYZ").getMessage());
    }

    @Test
    void encodingsAreCanonicalised() {
        assertEquals("UTF8", parse("client_encoding", "utf-8"));
        assertEquals("UTF8", parse("client_encoding", "unicode"));
        assertEquals("UNICODE", parse("client_encoding", "UNICODE"));
        assertEquals("LATIN1", parse("client_encoding", "ISO_8859_1"));
        assertEquals("WIN1251", parse("client_encoding", "Windows-1251"));
        assertEquals("SJIS", parse("client_encoding", "shift_jis"));
        assertEquals("invalid value for parameter \"client_encoding\": \"utf-9\"",
                error("client_encoding", "utf-9").getMessage());
    }

    @Test
    void listsAreChecked() {
        assertEquals("a, \"B c\", public", parse("search_path", "a, \"B c\", public"));
        assertEquals("List syntax is invalid.", error("search_path", "a,").detail());
        assertEquals("List syntax is invalid.", error("search_path", "\"a").detail());
        assertEquals("stderr, csvlog", parse("log_destination", "stderr, csvlog"));
        PgException e = error("log_destination", "stderr,eventlog");
        assertEquals("invalid value for parameter \"log_destination\": \"stderr,eventlog\"", e.getMessage());
        assertEquals("Unrecognized key word: \"eventlog\".", e.detail());
        assertEquals(List.of("a", "B c", "x\"y"), GucValues.splitIdentifiers("A, \"B c\" ,\"x\"\"y\""));
        assertEquals(List.of(), GucValues.splitIdentifiers("  "));
    }

    @Test
    void namesAreCleanedToAscii() {
        assertEquals("h??llo?x", parse("application_name", "h\u00e9llo\tx"));
        assertEquals("main", parse("cluster_name", "main"));
    }

    @Test
    void localesAreChecked() {
        assertEquals("C", parse("lc_messages", "C"));
        assertEquals("POSIX", parse("lc_numeric", "POSIX"));
        assertEquals("", parse("lc_time", ""));
        assertEquals("en_US.UTF-8", parse("lc_monetary", "en_US.UTF-8"));
        assertEquals("invalid value for parameter \"lc_monetary\": \"c\"", error("lc_monetary", "c").getMessage());
        assertEquals("invalid value for parameter \"lc_messages\": \"xx_YY\"", error("lc_messages", "xx_YY").getMessage());
    }

    @Test
    void pathsAreCanonicalised() {
        assertEquals("a/b/c", parse("log_directory", "a//b/./c/"));
        assertEquals("/a", parse("external_pid_file", "/a/b/../c/.."));
        assertEquals("x", parse("external_pid_file", "x/"));
        assertEquals("", parse("external_pid_file", ""));
        assertEquals("../log", GucValues.canonicalizePath("../log/"));
    }

    @Test
    void integerCheckHooks() {
        PgException e = error("max_stack_depth", "10MB");
        assertEquals("invalid value for parameter \"max_stack_depth\": 10240", e.getMessage());
        assertEquals("\"max_stack_depth\" must not exceed 7680kB.", e.detail());
        assertEquals("Increase the platform's stack depth limit via \"ulimit -s\" or local equivalent.", e.hint());
        assertEquals(7680, parse("max_stack_depth", "7680kB"));
        assertEquals(1024, parse("autovacuum_work_mem", "5"));
        assertEquals(-1, parse("autovacuum_work_mem", "-1"));
        assertEquals(4, parse("wal_buffers", "1"));
        assertEquals(-1, parse("wal_buffers", "-1"));
        overrides.put("wal_buffers", 512);
        overrides.put("shared_buffers", 131072);
        assertEquals(2048, parse("wal_buffers", "-1"));
        overrides.put("max_worker_processes", 262140);
        assertEquals("invalid value for parameter \"max_connections\": 100",
                error("max_connections", "100").getMessage());
    }

    @Test
    void statisticsOptionsExcludeEachOther() {
        overrides.put("log_parser_stats", Boolean.TRUE);
        PgException e = error("log_statement_stats", "on");
        assertEquals("invalid value for parameter \"log_statement_stats\": 1", e.getMessage());
        assertEquals("Cannot enable \"log_statement_stats\" when \"log_parser_stats\", \"log_planner_stats\", "
                + "or \"log_executor_stats\" is true.", e.detail());
        assertEquals(Boolean.FALSE, parse("log_statement_stats", "off"));
        overrides.clear();
        overrides.put("log_statement_stats", Boolean.TRUE);
        assertEquals("Cannot enable parameter when \"log_statement_stats\" is true.",
                error("log_planner_stats", "on").detail());
    }

    @Test
    void automaticWalBuffersFollowSharedBuffers() {
        assertEquals(512, GucValues.autoWalBuffers(16384));
        assertEquals(8, GucValues.autoWalBuffers(16));
        assertEquals(2048, GucValues.autoWalBuffers(1_000_000));
    }

    @Test
    void archiveCommandShowsDisabledWhenArchivingIsOff() {
        Def d = GucDefinitions.find("archive_command");
        assertEquals("(disabled)", GucValues.show(d, "cp %p /a/%f", current));
        assertEquals("(disabled)", GucValues.settingColumn(d, "cp %p /a/%f", current));
        overrides.put("archive_mode", "on");
        assertEquals("cp %p /a/%f", GucValues.show(d, "cp %p /a/%f", current));
        assertEquals("cp %p /a/%f", GucValues.configString(d, "cp %p /a/%f"));
    }

    @Test
    void strtolAndStrtodStopWhereCDoes() {
        assertEquals(1, CNumbers.strtol("08", 0).end());
        assertEquals(1, CNumbers.strtol("0x", 0).end());
        assertEquals(0, CNumbers.strtol(" .5", 0).end());
        assertEquals(255.0, CNumbers.strtol("0xff", 0).value());
        assertEquals(true, CNumbers.strtol("99999999999999999999", 0).range());
        assertEquals(3, CNumbers.strtod("1e5x", 0).end());
        assertEquals(1, CNumbers.strtod("1ex", 0).end());
        assertEquals(8.0, CNumbers.strtod("0x1p3", 0).value());
        assertEquals(true, CNumbers.strtod("1e400", 0).range());
        assertEquals(true, CNumbers.strtod("1e-400", 0).range());
        assertEquals(true, Double.isInfinite(CNumbers.strtod("-Infinity", 0).value()));
    }
}
