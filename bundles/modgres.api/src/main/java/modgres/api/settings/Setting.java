package modgres.api.settings;

/**
 * A setting's current server-wide value, one row of {@code pg_settings}.
 *
 * @param definition     what the setting is
 * @param value          current value in the base unit ({@code pg_settings.setting})
 * @param display        the value as {@code SHOW} prints it (with its unit, e.g. {@code 128MB})
 * @param source         where the value came from
 * @param sourceFile     the configuration file that set it, or null
 * @param sourceLine     its line in that file, or 0
 * @param resetValue     the value a RESET returns to ({@code pg_settings.reset_val})
 * @param pendingRestart true when the files hold another value that needs a restart
 */
public record Setting(SettingDefinition definition, String value, String display, SettingSource source,
        String sourceFile, int sourceLine, String resetValue, boolean pendingRestart) {

    public String name() {
        return definition.name();
    }
}
