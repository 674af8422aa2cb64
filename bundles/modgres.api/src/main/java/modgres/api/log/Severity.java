package modgres.api.log;

import java.util.Locale;

/**
 * PostgreSQL's message severities, in the order {@code log_min_messages} uses
 * for the server log: {@code LOG} ranks above {@code ERROR} there, so that
 * ordinary operational lines are kept when only errors would be.
 */
public enum Severity {
    DEBUG5, DEBUG4, DEBUG3, DEBUG2, DEBUG1, INFO, NOTICE, WARNING, ERROR, LOG, FATAL, PANIC;

    /** True when a record of this severity passes a {@code log_min_messages} threshold. */
    public boolean atLeast(Severity threshold) {
        return compareTo(threshold) >= 0;
    }

    /** The lower-case name used in settings ({@code warning}, {@code debug1}, ...). */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a setting value such as {@code warning} or {@code DEBUG2}; {@code debug} means {@code debug2}. */
    public static Severity fromSetting(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.equals("DEBUG")) {
            return DEBUG2;
        }
        return Severity.valueOf(v);
    }
}
