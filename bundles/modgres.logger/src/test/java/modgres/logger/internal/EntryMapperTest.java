package modgres.logger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgi.service.log.LogLevel;

import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.logger.internal.format.Message;

class EntryMapperTest {
    private static final long PM = 4242;
    private final EntryMapper mapper = new EntryMapper(PM);

    private static Entry foreign(LogLevel level, String bundle, String message, Throwable t) {
        return new Entry(1, 1000, level, bundle, "some.logger", message, t);
    }

    @Test
    void foreignLevelsMapToSeverities() {
        assertEquals(Severity.LOG, EntryMapper.severity(LogLevel.AUDIT));
        assertEquals(Severity.ERROR, EntryMapper.severity(LogLevel.ERROR));
        assertEquals(Severity.WARNING, EntryMapper.severity(LogLevel.WARN));
        assertEquals(Severity.INFO, EntryMapper.severity(LogLevel.INFO));
        assertEquals(Severity.DEBUG1, EntryMapper.severity(LogLevel.DEBUG));
        assertEquals(Severity.DEBUG2, EntryMapper.severity(LogLevel.TRACE));
    }

    @Test
    void levelIsWhatServerLogUses() {
        assertEquals(LogLevel.AUDIT, EntryMapper.level(Severity.LOG));
        assertEquals(LogLevel.AUDIT, EntryMapper.level(Severity.FATAL));
        assertEquals(LogLevel.AUDIT, EntryMapper.level(Severity.PANIC));
        assertEquals(LogLevel.ERROR, EntryMapper.level(Severity.ERROR));
        assertEquals(LogLevel.WARN, EntryMapper.level(Severity.WARNING));
        assertEquals(LogLevel.INFO, EntryMapper.level(Severity.NOTICE));
        assertEquals(LogLevel.INFO, EntryMapper.level(Severity.INFO));
        assertEquals(LogLevel.DEBUG, EntryMapper.level(Severity.DEBUG1));
        for (Severity s : new Severity[] { Severity.DEBUG2, Severity.DEBUG3, Severity.DEBUG4, Severity.DEBUG5 }) {
            assertEquals(LogLevel.TRACE, EntryMapper.level(s));
        }
    }

    @Test
    void foreignEntryIsThePostmastersWithTheBundleName() {
        Message m = mapper.map(foreign(LogLevel.ERROR, "org.apache.felix.scr",
                "[modgres.foo(3)] The activate method has thrown an exception", null));
        LogRecord r = m.record();
        assertEquals(Severity.ERROR, r.severity());
        assertEquals("XX000", r.sqlState());
        assertEquals(PM, r.context().pid());
        assertEquals("postmaster", r.context().processName());
        assertEquals("org.apache.felix.scr: [modgres.foo(3)] The activate method has thrown an exception", r.message());
        assertEquals(1000, m.time());
        assertNull(m.detail());
        assertEquals("01000", mapper.map(foreign(LogLevel.WARN, "b", "w", null)).record().sqlState());
        assertEquals("00000", mapper.map(foreign(LogLevel.INFO, "b", "i", null)).record().sqlState());
    }

    @Test
    void frameworkEventsCountAsDebug() {
        Entry started = new Entry(1, 1, LogLevel.INFO, "org.x", "Events.Bundle.org.x", "BundleEvent STARTED", null);
        assertEquals(Severity.DEBUG1, mapper.map(started).record().severity());
        Entry modified = new Entry(2, 1, LogLevel.DEBUG, "org.x", "Events.Service.org.x", "ServiceEvent MODIFIED",
                null);
        assertEquals(Severity.DEBUG2, mapper.map(modified).record().severity());
        Entry error = new Entry(3, 1, LogLevel.ERROR, "org.x", "Events.Framework.org.x", "FrameworkEvent ERROR",
                new IllegalStateException("unresolved"));
        assertEquals(Severity.ERROR, mapper.map(error).record().severity());
        assertEquals("org.x: FrameworkEvent ERROR", mapper.map(error).record().message());
    }

    @Test
    void bundleNameIsNotRepeated() {
        assertEquals("org.x starting", mapper.map(foreign(LogLevel.INFO, "org.x", "org.x starting", null)).record()
                .message());
        assertEquals("bundle org.x:1.0.0 (6)[org.x.C(0)] : activated", mapper.map(foreign(LogLevel.DEBUG, "org.x",
                "bundle org.x:1.0.0 (6)[org.x.C(0)] : activated", null)).record().message());
        assertEquals("plain", mapper.map(foreign(LogLevel.INFO, null, "plain", null)).record().message());
        assertEquals("org.x", mapper.map(foreign(LogLevel.INFO, "org.x", null, null)).record().message());
    }

    @Test
    void exceptionBecomesTheDetail() {
        IllegalStateException ex = new IllegalStateException("bad state");
        Message m = mapper.map(foreign(LogLevel.ERROR, "b", "failed", ex));
        assertTrue(m.detail().startsWith("java.lang.IllegalStateException: bad state\n\tat "), m.detail());
        assertTrue(!m.detail().endsWith("\n"));
    }

    @Test
    void modgresEntriesKeepTheirHeader() {
        LogContext ctx = new LogContext(77, "checkpointer", null, null, null, null, null);
        String text = ServerLog.encode(new LogRecord(Severity.FATAL, "58030", ctx, "could not write", "Disk full.",
                "Free space."));
        Message m = mapper.map(new Entry(5, 99, LogLevel.AUDIT, "modgres.checkpointer", "x", text, null));
        assertEquals(Severity.FATAL, m.record().severity());
        assertEquals("58030", m.record().sqlState());
        assertEquals(77, m.record().context().pid());
        assertEquals("checkpointer", m.backendType());
        assertEquals("could not write", m.record().message());
        assertEquals("Disk full.", m.detail());
        assertEquals("Free space.", m.record().hint());
        Message withTrace = mapper.map(new Entry(6, 99, LogLevel.AUDIT, "x", "x", text, new RuntimeException("r")));
        assertTrue(withTrace.detail().startsWith("Disk full.\njava.lang.RuntimeException: r\n"));
    }

    /** The optional STATEMENT field survives the Log Service; records without it keep the eleven-field header. */
    @Test
    void statementRoundTrips() {
        LogContext c = new LogContext(77, "client backend", "u", "db", "app", null, "[local]");
        LogRecord with = new LogRecord(Severity.LOG, "00000", c, "temporary file: path \"x\", size 1", null, null,
                "select 1");
        assertEquals(with, ServerLog.decode(ServerLog.encode(with)));
        LogRecord without = new LogRecord(Severity.LOG, "00000", c, "m", "d", "h");
        assertEquals(without, ServerLog.decode(ServerLog.encode(without)));
        assertNull(ServerLog.decode(ServerLog.encode(without)).statement());
    }
}
