package modgres.logger.internal;

/** The {@code log_destination} values this logger writes; syslog and eventlog are not among them. */
public enum Destination {
    STDERR("stderr", null), CSVLOG("csvlog", ".csv"), JSONLOG("jsonlog", ".json");

    private final String settingName;
    private final String suffix;

    Destination(String settingName, String suffix) {
        this.settingName = settingName;
        this.suffix = suffix;
    }

    /** The name in {@code log_destination} and in {@code current_logfiles}. */
    public String settingName() {
        return settingName;
    }

    /** What replaces a final {@code .log} of the file name (or is appended), null for stderr. */
    public String suffix() {
        return suffix;
    }
}
