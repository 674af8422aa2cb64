package modgres.console.internal.format;

import static modgres.console.internal.format.Fixtures.setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import modgres.api.settings.Setting;
import modgres.api.settings.SettingContext;
import modgres.api.settings.SettingSource;

class SettingsFormatterTest {

    static final List<Setting> SETTINGS = List.of(
            setting("log_line_prefix", "%m [%p] ", "%m [%p] ", null, SettingSource.CONFIGURATION_FILE,
                    SettingContext.SIGHUP),
            setting("log_min_messages", "warning", "warning", null, SettingSource.DEFAULT, SettingContext.SUPERUSER),
            setting("port", "5432", "5432", null, SettingSource.COMMAND_LINE, SettingContext.POSTMASTER),
            setting("shared_buffers", "16384", "128MB", "8kB", SettingSource.DEFAULT, SettingContext.POSTMASTER),
            setting("work_mem", "4096", "4MB", "kB", SettingSource.DEFAULT, SettingContext.USER));

    @Test
    void listsLikePgSettings() {
        assertEquals("""
                       name       | setting  | unit |       source       |  context
                ------------------+----------+------+--------------------+------------
                 log_line_prefix  | %m [%p]  |      | configuration file | sighup
                 log_min_messages | warning  |      | default            | superuser
                 port             | 5432     |      | command line       | postmaster
                 shared_buffers   | 128MB    | 8kB  | default            | postmaster
                 work_mem         | 4MB      | kB   | default            | user
                (5 rows)
                """, SettingsFormatter.table(SETTINGS, null));
    }

    @Test
    void filtersBySubstringOrGlob() {
        assertEquals("""
                      name      | setting | unit | source  |  context
                ----------------+---------+------+---------+------------
                 shared_buffers | 128MB   | 8kB  | default | postmaster
                (1 row)
                """, SettingsFormatter.table(SETTINGS, "BUFFER"));
        assertEquals(2, rows(SettingsFormatter.table(SETTINGS, "log_*")));
        assertEquals(0, rows(SettingsFormatter.table(SETTINGS, "buffers*")));
        assertEquals(1, rows(SettingsFormatter.table(SETTINGS, "*_mem")));
        assertEquals(1, rows(SettingsFormatter.table(SETTINGS, "po?t")));
        assertEquals(0, rows(SettingsFormatter.table(SETTINGS, "nothing")));
    }

    private static int rows(String table) {
        String last = table.strip().lines().reduce((a, b) -> b).orElseThrow();
        return Integer.parseInt(last.replaceAll("\\D", ""));
    }

    @Test
    void namePatterns() {
        assertTrue(NamePattern.of(null).matches("anything"));
        assertTrue(NamePattern.of("  ").matches("anything"));
        assertTrue(NamePattern.of("MEM").matches("work_mem"));
        assertTrue(NamePattern.of("*MEM").matches("work_mem"));
        assertFalse(NamePattern.of("mem*").matches("work_mem"));
        assertTrue(NamePattern.of("log_*_messages").matches("log_min_messages"));
        assertFalse(NamePattern.of("log.min*").matches("log_min_messages"), "dots are literal");
        assertTrue(NamePattern.of("w?rk_mem").matches("work_mem"));
        assertTrue(NamePattern.of("log%").matches("log_min_messages"), "% as in LIKE");
        assertFalse(NamePattern.of("%log").matches("log_min_messages"));
    }

    @Test
    void unrecognizedAsPostgresSaysIt() {
        assertEquals("ERROR:  unrecognized configuration parameter \"nope\"", SettingsFormatter.unrecognized("nope"));
    }

    @Test
    void reloadChangesInPostgresWords() {
        List<Setting> after = List.of(
                setting("log_line_prefix", "%m [%p] ", "%m [%p] ", null, SettingSource.CONFIGURATION_FILE,
                        SettingContext.SIGHUP),
                setting("log_min_messages", "info", "info", null, SettingSource.CONFIGURATION_FILE,
                        SettingContext.SUPERUSER),
                setting("port", "5432", "5432", null, SettingSource.COMMAND_LINE, SettingContext.POSTMASTER),
                setting("shared_buffers", "16384", "128MB", "8kB", SettingSource.DEFAULT, SettingContext.POSTMASTER,
                        true),
                setting("work_mem", "8192", "8MB", "kB", SettingSource.CONFIGURATION_FILE, SettingContext.USER));
        assertEquals(List.of(
                "parameter \"log_min_messages\" changed to \"info\"",
                "parameter \"shared_buffers\" cannot be changed without restarting the server",
                "parameter \"work_mem\" changed to \"8MB\""), SettingsFormatter.changes(SETTINGS, after));
        assertEquals(List.of(), SettingsFormatter.changes(SETTINGS, SETTINGS));
    }
}
