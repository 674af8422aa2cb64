package modgres.logger.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

class StrftimeTest {
    private static final ZonedDateTime T = ZonedDateTime.of(2026, 11, 24, 2, 54, 35, 660_000_000, ZoneId.of("Etc/UTC"));
    private static final ZonedDateTime PM = ZonedDateTime.of(2024, 1, 7, 15, 4, 5, 0, ZoneId.of("Europe/Berlin"));

    @Test
    void defaultLogFilename() {
        assertEquals("postgresql-2026-11-24_025435.log", Strftime.format("postgresql-%Y-%m-%d_%H%M%S.log", T));
    }

    @Test
    void commonPatterns() {
        assertEquals("postgresql-Tue.log", Strftime.format("postgresql-%a.log", T));
        assertEquals("postgresql-02.log", Strftime.format("postgresql-%H.log", T));
        assertEquals("postgresql-24.log", Strftime.format("postgresql-%d.log", T));
    }

    @Test
    void everyConversion() {
        // Sunday 2024-01-07 15:04:05 CET
        assertEquals("Sunday Sun January Jan Jan", Strftime.format("%A %a %B %b %h", PM));
        assertEquals("20 24 2024", Strftime.format("%C %y %Y", PM));
        assertEquals("Sun Jan  7 15:04:05 2024", Strftime.format("%c", PM));
        assertEquals("01/07/24 01/07/24", Strftime.format("%D %x", PM));
        assertEquals("07| 7|2024-01-07", Strftime.format("%d|%e|%F", PM));
        assertEquals("15 03 15  3 PM", Strftime.format("%H %I %k %l %p", PM));
        assertEquals("007 04 01 05", Strftime.format("%j %M %m %S", PM));
        assertEquals("a\nb\tc", Strftime.format("a%nb%tc", PM));
        assertEquals("15:04 03:04:05 PM 15:04:05 15:04:05", Strftime.format("%R %r %T %X", PM));
        assertEquals("1704636245", Strftime.format("%s", PM));
        // week numbers: Jan 7 2024 is a Sunday; ISO week 1 of 2024
        assertEquals("01 7 01 2024 24 01 0", Strftime.format("%U %u %V %G %g %W %w", PM));
        assertEquals("+0100 CET", Strftime.format("%z %Z", PM));
        assertEquals("Sun Jan  7 15:04:05 CET 2024", Strftime.format("%+", PM));
        assertEquals("%", Strftime.format("%%", PM));
    }

    @Test
    void isoYearDiffersAtYearStart() {
        ZonedDateTime jan1 = ZonedDateTime.of(2021, 1, 1, 0, 0, 0, 0, ZoneId.of("Etc/UTC")); // Friday, ISO week 53 of 2020
        assertEquals("53 2020 20 00 00 5", Strftime.format("%V %G %g %U %W %u", jan1));
    }

    @Test
    void modifiersAndOddities() {
        assertEquals("2024 15", Strftime.format("%EY %OH", PM));
        assertEquals("q", Strftime.format("%q", PM)); // unknown: the character itself
        assertEquals("log%", Strftime.format("log%", PM)); // trailing '%'
        assertEquals("am AM", Strftime.format("am %p", PM.withHour(9)));
        assertEquals("12", Strftime.format("%I", PM.withHour(0)));
        assertEquals("-0330", Strftime.format("%z", ZonedDateTime.of(2024, 1, 7, 0, 0, 0, 0, ZoneId.of("America/St_Johns"))));
    }
}
