package modgres.logger.internal.format;

import static modgres.logger.internal.format.Fixtures.BACKEND;
import static modgres.logger.internal.format.Fixtures.POSTMASTER;
import static modgres.logger.internal.format.Fixtures.TCP_BACKEND;
import static modgres.logger.internal.format.Fixtures.UTC;
import static modgres.logger.internal.format.Fixtures.message;
import static modgres.logger.internal.format.Fixtures.process;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import modgres.api.log.Severity;

/** Lines compared with what PostgreSQL 15 wrote for the same records in a reference run. */
class CsvJsonFormatTest {

    @Test
    void csvBackgroundProcess() {
        ProcessState p = process(POSTMASTER);
        assertEquals("2026-11-24 02:54:35.660 UTC,,,5647,,6b04fc6b.160f,1,,2026-11-24 02:54:35 UTC,,0,LOG,00000,"
                + "\"listening on Unix socket \"\"/tmp/pgref/.s.PGSQL.54329\"\"\",,,,,,,,,\"\",\"postmaster\",,0\n",
                CsvFormat.format(message(POSTMASTER, Severity.LOG, "listening on Unix socket \"/tmp/pgref/.s.PGSQL.54329\""),
                        p, UTC));
        assertEquals("2026-11-24 02:54:35.660 UTC,,,5647,,6b04fc6b.160f,2,,2026-11-24 02:54:35 UTC,,0,LOG,XX000,"
                + "\"could not bind\",,\"Is another postmaster running?\",,,,,,,\"\",\"postmaster\",,0\n",
                CsvFormat.format(message(POSTMASTER, Severity.LOG, "XX000", "could not bind", null,
                        "Is another postmaster running?"), p, UTC));
    }

    @Test
    void csvSession() {
        // PostgreSQL also fills command tag ("SELECT"), vxid and the statement, which Modgres records do not carry
        assertEquals("2026-11-24 02:54:35.660 UTC,\"postgres\",\"postgres\",5660,\"[local]\",6b04fc6b.161c,1,\"\","
                + "2026-11-24 02:54:35 UTC,,0,ERROR,22012,\"division by zero\",,,,,,,,,\"psql\",\"client backend\",,0\n",
                CsvFormat.format(message(BACKEND, Severity.ERROR, "22012", "division by zero", null, null),
                        process(BACKEND), UTC));
        assertEquals("2026-11-24 02:54:35.660 UTC,\"alice\",\"shop\",5661,\"10.0.0.7:54321\",6b04fc6c.161d,1,\"\","
                + "2026-11-24 02:54:35 UTC,,0,ERROR,22012,\"a\nb\",\"d \"\"q\"\"\",,,,,,,,\"\",\"client backend\",,0\n",
                CsvFormat.format(message(TCP_BACKEND, Severity.ERROR, "22012", "a\nb", "d \"q\"", null),
                        process(TCP_BACKEND), UTC));
    }

    @Test
    void jsonBackgroundProcess() {
        ProcessState p = process(POSTMASTER);
        assertEquals("{\"timestamp\":\"2026-11-24 02:54:35.660 UTC\",\"pid\":5647,\"session_id\":\"6b04fc6b.160f\","
                + "\"line_num\":1,\"session_start\":\"2026-11-24 02:54:35 UTC\",\"txid\":0,\"error_severity\":\"LOG\","
                + "\"message\":\"listening on Unix socket \\\"/tmp/pgref/.s.PGSQL.54329\\\"\",\"backend_type\":\"postmaster\","
                + "\"query_id\":0}\n",
                JsonFormat.format(message(POSTMASTER, Severity.LOG, "listening on Unix socket \"/tmp/pgref/.s.PGSQL.54329\""),
                        p, UTC));
        assertEquals("{\"timestamp\":\"2026-11-24 02:54:35.660 UTC\",\"pid\":5647,\"session_id\":\"6b04fc6b.160f\","
                + "\"line_num\":2,\"session_start\":\"2026-11-24 02:54:35 UTC\",\"txid\":0,\"error_severity\":\"WARNING\","
                + "\"state_code\":\"01000\",\"message\":\"could not create listen socket for \\\"localhost\\\"\","
                + "\"hint\":\"h\",\"backend_type\":\"postmaster\",\"query_id\":0}\n",
                JsonFormat.format(message(POSTMASTER, Severity.WARNING, "01000",
                        "could not create listen socket for \"localhost\"", null, "h"), p, UTC));
    }

    @Test
    void jsonSession() {
        assertEquals("{\"timestamp\":\"2026-11-24 02:54:35.660 UTC\",\"user\":\"postgres\",\"dbname\":\"postgres\","
                + "\"pid\":5660,\"remote_host\":\"[local]\",\"session_id\":\"6b04fc6b.161c\",\"line_num\":1,\"ps\":\"\","
                + "\"session_start\":\"2026-11-24 02:54:35 UTC\",\"txid\":0,\"error_severity\":\"ERROR\","
                + "\"state_code\":\"22012\",\"message\":\"division by zero\",\"application_name\":\"psql\","
                + "\"backend_type\":\"client backend\",\"query_id\":0}\n",
                JsonFormat.format(message(BACKEND, Severity.ERROR, "22012", "division by zero", null, null),
                        process(BACKEND), UTC));
        assertEquals("{\"timestamp\":\"2026-11-24 02:54:35.660 UTC\",\"user\":\"alice\",\"dbname\":\"shop\","
                + "\"pid\":5661,\"remote_host\":\"10.0.0.7\",\"remote_port\":54321,\"session_id\":\"6b04fc6c.161d\","
                + "\"line_num\":1,\"ps\":\"\",\"session_start\":\"2026-11-24 02:54:35 UTC\",\"txid\":0,"
                + "\"error_severity\":\"ERROR\",\"state_code\":\"22012\",\"message\":\"a\\nb\\t\\u0001\\\\\","
                + "\"detail\":\"d\",\"backend_type\":\"client backend\",\"query_id\":0}\n",
                JsonFormat.format(message(TCP_BACKEND, Severity.ERROR, "22012", "a\nb\t\u0001\\", "d", null),
                        process(TCP_BACKEND), UTC));
    }

    @Test
    void eachFormatCountsItsOwnLines() {
        ProcessState p = process(POSTMASTER);
        Message m = message(POSTMASTER, Severity.LOG, "00000", "x", "d", "h");
        StderrFormat.format(m, p, "", UTC, Verbosity.DEFAULT); // lines 1..3 of stderr
        String csv = CsvFormat.format(m, p, UTC);
        String json = JsonFormat.format(m, p, UTC);
        assertEquals("1", csv.split(",")[6]);
        assertEquals(true, json.contains("\"line_num\":1,"));
        assertEquals("4 ", LinePrefix.format("%l ", m, p, p.nextStderrLine(), UTC));
    }
}
