package modgres.api.settings;

/** Where a value came from, as {@code pg_settings.source} says; later sources override earlier ones. */
public enum SettingSource {
    DEFAULT("default"), ENVIRONMENT("environment variable"), CONFIGURATION_FILE("configuration file"),
    COMMAND_LINE("command line"), GLOBAL("global"), DATABASE("database"), USER("user"),
    DATABASE_USER("database user"), CLIENT("client"), OVERRIDE("override"), INTERACTIVE("interactive"),
    TEST("test"), SESSION("session");

    private final String pgName;

    SettingSource(String pgName) {
        this.pgName = pgName;
    }

    public String pgName() {
        return pgName;
    }
}
