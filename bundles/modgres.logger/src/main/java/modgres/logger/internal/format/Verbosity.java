package modgres.logger.internal.format;

import java.util.Locale;

/** {@code log_error_verbosity}. */
public enum Verbosity {
    /** No DETAIL, HINT lines. */
    TERSE,
    /** DETAIL and HINT lines. */
    DEFAULT,
    /** Also the SQLSTATE after the severity ({@code ERROR:  22012: division by zero}). */
    VERBOSE;

    public static Verbosity parse(String value, Verbosity fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
