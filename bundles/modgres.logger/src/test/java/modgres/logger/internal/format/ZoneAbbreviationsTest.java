package modgres.logger.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class ZoneAbbreviationsTest {
    private static final Instant WINTER = Instant.parse("2024-01-15T12:00:00Z");
    private static final Instant SUMMER = Instant.parse("2024-07-15T12:00:00Z");

    @Test
    void tzDatabaseAbbreviations() {
        assumeTrue(Files.isRegularFile(Paths.get("/usr/share/zoneinfo/Europe/Berlin")), "no system tz database");
        ZoneAbbreviations z = ZoneAbbreviations.system();
        assertEquals("UTC", z.abbreviation(ZoneId.of("Etc/UTC"), WINTER));
        assertEquals("GMT", z.abbreviation(ZoneId.of("GMT"), WINTER));
        assertEquals("CET", z.abbreviation(ZoneId.of("Europe/Berlin"), WINTER));
        assertEquals("CEST", z.abbreviation(ZoneId.of("Europe/Berlin"), SUMMER));
        assertEquals("EST", z.abbreviation(ZoneId.of("America/New_York"), WINTER));
        assertEquals("EDT", z.abbreviation(ZoneId.of("America/New_York"), SUMMER));
        // zones without letters in the tz database: numeric, unlike Java's own names (BRT, NPT)
        assertEquals("-03", z.abbreviation(ZoneId.of("America/Sao_Paulo"), WINTER));
        assertEquals("+0545", z.abbreviation(ZoneId.of("Asia/Kathmandu"), WINTER));
        // long ago: the zone's early transitions
        assertEquals("CET", z.abbreviation(ZoneId.of("Europe/Berlin"), Instant.parse("1990-01-15T12:00:00Z")));
        assertEquals("LMT", z.abbreviation(ZoneId.of("Europe/Berlin"), Instant.parse("1850-01-15T12:00:00Z")));
    }

    @Test
    void withoutTzDatabase() {
        ZoneAbbreviations z = new ZoneAbbreviations(Path.of("/nonexistent"));
        assertEquals("CET", z.abbreviation(ZoneId.of("Europe/Berlin"), WINTER));
        assertEquals("UTC", z.abbreviation(ZoneOffset.UTC, WINTER));
        assertEquals("+03", z.abbreviation(ZoneOffset.ofHours(3), WINTER));
        assertEquals("-0330", z.abbreviation(ZoneOffset.ofHoursMinutes(-3, -30), WINTER));
    }

    @Test
    void posixFooterNames() {
        assertArrayEquals(new String[] { "CET", "CEST" }, ZoneAbbreviations.TzFile.footerNames("CET-1CEST,M3.5.0,M10.5.0/3"));
        assertArrayEquals(new String[] { "-03", null }, ZoneAbbreviations.TzFile.footerNames("<-03>3"));
        assertArrayEquals(new String[] { "+0545", null }, ZoneAbbreviations.TzFile.footerNames("<+0545>-5:45"));
        assertArrayEquals(new String[] { "EST", "EDT" }, ZoneAbbreviations.TzFile.footerNames("EST5EDT,M3.2.0,M11.1.0"));
    }
}
