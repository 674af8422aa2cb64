package modgres.api.settings;

/**
 * When a setting may change, as {@code pg_settings.context} says. Ordered from
 * the most to the least restricted.
 */
public enum SettingContext {
    INTERNAL("internal"), POSTMASTER("postmaster"), SIGHUP("sighup"), SUPERUSER_BACKEND("superuser-backend"),
    BACKEND("backend"), SUPERUSER("superuser"), USER("user");

    private final String pgName;

    SettingContext(String pgName) {
        this.pgName = pgName;
    }

    public String pgName() {
        return pgName;
    }
}
