package modgres.wal.internal;

import static modgres.wal.internal.TestSupport.numbered;
import static modgres.wal.internal.TestSupport.small;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.error.PgException;
import modgres.api.log.LogRecord;
import modgres.api.log.Severity;
import modgres.api.wal.Lsn;
import modgres.api.wal.WalState;

/** A failed write or fsync of the log is a PANIC, and the log never pretends to be durable afterwards. */
class PanicTest {
    @TempDir
    Path dir;

    final List<LogRecord> logged = new ArrayList<>();
    volatile boolean failSync;
    volatile boolean failWrite;

    WriteAheadLog start() {
        WalIo failing = new ConcurrencyTest.DelegatingIo(WalIo.DEFAULT) {
            @Override
            void beforeForce() throws IOException {
                if (failSync) {
                    throw new IOException("Input/output error");
                }
            }

            @Override
            void beforeWrite() throws IOException {
                if (failWrite) {
                    throw new IOException("No space left on device");
                }
            }
        };
        WriteAheadLog wal = new WriteAheadLog(small(dir), TestSupport.log(logged), failing);
        wal.startAt(wal.findEnd(Lsn.INVALID));
        return wal;
    }

    List<LogRecord> panics() {
        synchronized (logged) {
            return logged.stream().filter(r -> r.severity() == Severity.PANIC).collect(Collectors.toList());
        }
    }

    @Test
    void aFailedFsyncIsAPanic() {
        WriteAheadLog wal = start();
        long a = wal.insert(numbered(0, 0, 10));
        wal.flush(a);
        long b = wal.insert(numbered(0, 1, 10));
        failSync = true;
        PgException e = assertThrows(PgException.class, () -> wal.flush(b));
        assertEquals("58030", e.sqlState());
        assertEquals("could not fdatasync file \"pg_wal/000000010000000000000001\": Input/output error",
                e.getMessage());
        assertEquals(WalState.FAILED, wal.state());
        List<LogRecord> p = panics();
        assertEquals(1, p.size());
        assertEquals(e.getMessage(), p.get(0).message());
        assertEquals("58030", p.get(0).sqlState());
        assertTrue(wal.flushedPosition() < b, "not reported durable");

        failSync = false; // even if the disk recovers: never pretend
        assertThrows(PgException.class, () -> wal.insert(numbered(0, 2, 10)));
        assertThrows(PgException.class, () -> wal.flush(b));
        assertThrows(PgException.class, () -> wal.flush(a)); // even what was flushed before
        assertThrows(PgException.class, wal::backgroundFlush);
        assertThrows(PgException.class, wal::switchSegment);
        assertEquals(1, panics().size(), "logged once");
        wal.close();
        assertEquals(WalState.FAILED, wal.state());
    }

    @Test
    void aFailedWriteIsAPanic() {
        WriteAheadLog wal = start();
        long a = wal.insert(numbered(0, 0, 10));
        failWrite = true;
        PgException e = assertThrows(PgException.class, () -> wal.flush(a));
        assertTrue(e.getMessage().startsWith("could not write to log file 000000010000000000000001 at offset 0,"
                + " length 8192: No space left on device"), e.getMessage());
        assertEquals(1, panics().size());
        assertThrows(PgException.class, () -> wal.insert(numbered(0, 1, 10)));
    }

    @Test
    void fsyncOffSkipsSyncing() {
        WriteAheadLog wal = new WriteAheadLog(small(dir).withSync(SyncMethod.FDATASYNC, false), TestSupport.log());
        wal.startAt(wal.findEnd(Lsn.INVALID));
        wal.flush(wal.insert(numbered(0, 0, 10)));
        assertEquals(0, wal.stats().syncs());
        wal.setFsync(true);
        wal.flush(wal.insert(numbered(0, 1, 10)));
        assertEquals(1, wal.stats().syncs());
        wal.close();
    }
}
