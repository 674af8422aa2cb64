package modgres.api.settings;

/** A setting's type, named as {@code pg_settings.vartype} names it. */
public enum SettingType {
    BOOL("bool"), INTEGER("integer"), REAL("real"), STRING("string"), ENUM("enum");

    private final String pgName;

    SettingType(String pgName) {
        this.pgName = pgName;
    }

    public String pgName() {
        return pgName;
    }
}
