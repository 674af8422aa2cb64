package modgres.logger.internal.format;

import modgres.api.log.Severity;

/** The words PostgreSQL prints for severities: every DEBUGn is {@code DEBUG}. */
public final class Severities {
    private Severities() {
    }

    public static String label(Severity s) {
        return switch (s) {
            case DEBUG1, DEBUG2, DEBUG3, DEBUG4, DEBUG5 -> "DEBUG";
            default -> s.name();
        };
    }
}
