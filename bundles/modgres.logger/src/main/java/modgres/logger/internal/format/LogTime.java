package modgres.logger.internal.format;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * The time stamps of the server log, in {@code log_timezone}: {@code %m}
 * ({@code 2024-05-01 12:00:00.123 UTC}), {@code %t} and {@code %s} (without
 * milliseconds) and {@code %n} (Unix epoch with milliseconds).
 */
public final class LogTime {
    private LogTime() {
    }

    /** {@code %m}: {@code YYYY-MM-DD HH:MM:SS.mmm ZONE}. */
    public static String withMillis(long epochMillis, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d.%03d %s", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), Math.floorMod(epochMillis, 1000L),
                ZoneAbbreviations.system().abbreviation(zone, t.toInstant()));
    }

    /** {@code %t} and {@code %s}: {@code YYYY-MM-DD HH:MM:SS ZONE}. */
    public static String seconds(long epochMillis, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d %s", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(),
                ZoneAbbreviations.system().abbreviation(zone, t.toInstant()));
    }

    /** {@code %n}: seconds since the epoch with milliseconds, {@code 1714564800.123}. */
    public static String epoch(long epochMillis) {
        return String.format(Locale.ROOT, "%d.%03d", Math.floorDiv(epochMillis, 1000L),
                Math.floorMod(epochMillis, 1000L));
    }
}
