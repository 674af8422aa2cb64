package modgres.walwriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

import modgres.api.log.LogContext;
import modgres.api.log.ServerLog;
import modgres.api.wal.Lsn;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalRecord;
import modgres.wal.internal.WalConfig;
import modgres.wal.internal.WriteAheadLog;

class WalWriterLoopTest {
    @TempDir
    Path dir;

    private static ServerLog quietLog() {
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> method.getReturnType() == boolean.class ? false : null);
        return ServerLog.of(logger, LogContext.process(1, "test"));
    }

    private WriteAheadLog openWal() {
        WriteAheadLog wal = new WriteAheadLog(WalConfig.defaults(dir).withSegmentSize(1 << 20).withWalBuffers(16),
                quietLog());
        wal.startAt(wal.findEnd(Lsn.INVALID));
        return wal;
    }

    @Test
    void aRoundMakesInsertedWalDurableWithoutAnyCommitter() {
        WriteAheadLog wal = openWal();
        long end = 0;
        for (int i = 0; i < 200; i++) { // ~200 × 100 bytes: several full WAL pages
            end = wal.insert(WalRecord.of(ResourceManager.XLOG, ResourceManager.XLOG_NOOP, 0, new byte[100]));
        }
        long before = wal.flushedPosition();
        WalWriterLoop loop = new WalWriterLoop(wal, () -> 200);
        assertTrue(loop.round(), "the round flushed something");
        assertTrue(wal.flushedPosition() > before, "flushed position advanced");
        assertTrue(loop.bytesFlushed() > 0);
        assertTrue(Lsn.compare(wal.flushedPosition(), end) <= 0);
        // Nothing new: every complete page is durable, so the next round has nothing to do.
        long flushed = wal.flushedPosition();
        assertFalse(loop.round());
        assertEquals(flushed, wal.flushedPosition());
    }

    @Test
    void aRoundDuringRecoveryDoesNothing() {
        WriteAheadLog wal = new WriteAheadLog(WalConfig.defaults(dir).withSegmentSize(1 << 20).withWalBuffers(16),
                quietLog());
        WalWriterLoop loop = new WalWriterLoop(wal, () -> 200);
        assertFalse(loop.round());
        assertEquals(0, loop.bytesFlushed());
    }

    @Test
    void stopEndsTheLoopAndResumeRunsItAgain() throws Exception {
        WriteAheadLog wal = openWal();
        WalWriterLoop loop = new WalWriterLoop(wal, () -> 10_000);
        Thread t = new Thread(loop, "walwriter");
        t.start();
        Thread.sleep(100);
        loop.stop();
        t.join(5_000);
        assertFalse(t.isAlive());
        loop.resume();
        Thread again = new Thread(loop, "walwriter");
        again.start();
        Thread.sleep(50);
        assertTrue(again.isAlive());
        loop.stop();
        again.join(5_000);
    }
}
