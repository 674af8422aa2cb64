package modgres.logger.internal.format;

import static modgres.logger.internal.format.Fixtures.BACKEND;
import static modgres.logger.internal.format.Fixtures.POSTMASTER;
import static modgres.logger.internal.format.Fixtures.TCP_BACKEND;
import static modgres.logger.internal.format.Fixtures.UTC;
import static modgres.logger.internal.format.Fixtures.message;
import static modgres.logger.internal.format.Fixtures.process;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import modgres.api.log.LogContext;
import modgres.api.log.Severity;

class LinePrefixTest {

    private static String fmt(String prefix, LogContext c) {
        return fmt(prefix, c, 1);
    }

    private static String fmt(String prefix, LogContext c, long line) {
        Message m = message(c, Severity.ERROR, "22012", "division by zero", null, null);
        return LinePrefix.format(prefix, m, process(c), line, UTC);
    }

    @Test
    void defaultPrefix() {
        assertEquals("2026-11-24 02:54:35.660 UTC [5647] ", fmt("%m [%p] ", POSTMASTER));
    }

    /** The same escapes PostgreSQL 15 printed for its postmaster (non-session) in a reference run. */
    @Test
    void everyEscapeForABackgroundProcess() {
        String prefix = "a=%a|u=%u|d=%d|r=%r|h=%h|b=%b|p=%p|P=%P|l=%l|e=%e|c=%c|v=%v|x=%x|i=%i|Q=%Q"
                + "|-10u=%-10u|10p=%10p|-6a=%-6a|5P=%5P|z=%z|%%|q=%q|after-q ";
        assertEquals("a=|u=|d=|r=|h=|b=postmaster|p=5647|P=|l=1|e=22012|c=6b04fc6b.160f|v=|x=0|i=|Q=0"
                + "|-10u=          |10p=      5647|-6a=      |5P=     |z=|%|q=", fmt(prefix, POSTMASTER));
    }

    @Test
    void everyEscapeForASession() {
        String prefix = "a=%a|u=%u|d=%d|r=%r|h=%h|b=%b|p=%p|P=%P|l=%l|e=%e|c=%c|v=%v|x=%x|Q=%Q"
                + "|-10u=%-10u|10p=%10p|-6a=%-6a|5P=%5P|z=%z|%%|q=%q|after-q ";
        assertEquals("a=psql|u=postgres|d=postgres|r=[local]|h=[local]|b=client backend|p=5660|P=|l=2|e=22012"
                + "|c=6b04fc6b.161c|v=|x=0|Q=0|-10u=postgres  |10p=      5660|-6a=psql  |5P=     |z=|%|q=|after-q ",
                fmt(prefix, BACKEND, 2));
    }

    @Test
    void remoteHostAndPort() {
        assertEquals("10.0.0.7(54321) 10.0.0.7", fmt("%r %h", TCP_BACKEND));
        assertEquals("   10.0.0.7|10.0.0.7(54321)   |", fmt("%11h|%-18r|", TCP_BACKEND));
    }

    @Test
    void emptySessionFieldsAreUnknown() {
        // application "" in a session
        assertEquals("[unknown]@shop", fmt("%a@%d", TCP_BACKEND));
        LogContext noUser = new LogContext(7, "client backend", null, null, null, null, "[local]");
        assertEquals("[unknown] [unknown]", fmt("%u %d", noUser));
    }

    @Test
    void sessionIdFromContextWins() {
        assertEquals("6b04fc6c.161d", fmt("%c", TCP_BACKEND));
        assertEquals("   6b04fc6c.161d", fmt("%16c", TCP_BACKEND));
    }

    @Test
    void times() {
        assertEquals("2026-11-24 02:54:35 UTC", fmt("%t", POSTMASTER));
        assertEquals("1795488875.660", fmt("%n", POSTMASTER));
        assertEquals("2026-11-24 02:54:35 UTC", fmt("%s", POSTMASTER));
        assertEquals("2026-11-24 03:54:35.660 CET", LinePrefix.format("%m",
                message(POSTMASTER, Severity.LOG, "x"), process(POSTMASTER), 1, ZoneId.of("Europe/Berlin")));
        assertEquals("  2026-11-24 02:54:35 UTC|", fmt("%25t|", POSTMASTER));
    }

    @Test
    void lineNumberAndPadding() {
        assertEquals("42", fmt("%l", POSTMASTER, 42));
        assertEquals("   42|42   |", fmt("%5l|%-5l|", POSTMASTER, 42));
        assertEquals("postmaster  |  postmaster", fmt("%-12b|%12b", POSTMASTER));
    }

    @Test
    void qStopsOnlyNonSessionPrefixes() {
        assertEquals("[5647] ", fmt("[%p] %q%u@%d ", POSTMASTER));
        assertEquals("[5660] postgres@postgres ", fmt("[%p] %q%u@%d ", BACKEND));
    }

    @Test
    void malformedEscapes() {
        assertEquals("abc", fmt("abc%", POSTMASTER));
        assertEquals("abc", fmt("abc%-", POSTMASTER));
        assertEquals("abc", fmt("abc%12", POSTMASTER));
        assertEquals("x y", fmt("x%k %Ry", POSTMASTER)); // unknown letters print nothing
        assertEquals("x!", fmt("x% !", POSTMASTER)); // a non-letter below '9' is an unknown escape too
        assertEquals("5647", fmt("%-p", POSTMASTER)); // "-" without digits: no padding
        assertEquals("", fmt("", POSTMASTER));
        assertEquals("", LinePrefix.format(null, message(POSTMASTER, Severity.LOG, "x"), process(POSTMASTER), 1, UTC));
    }

    @Test
    void sqlStateEscape() {
        assertEquals("00000", LinePrefix.format("%e", message(POSTMASTER, Severity.LOG, "x"), process(POSTMASTER), 1,
                UTC));
        assertEquals("22012  |", fmt("%-7e|", POSTMASTER));
    }
}
