package modgres.wal.internal;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.osgi.service.log.Logger;

import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalEnd;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;

/** Helpers shared by the tests: a capturing server log, records that carry a thread and sequence number. */
final class TestSupport {
    private TestSupport() {
    }

    /** A {@link ServerLog} whose records land in {@code sink} (decoded). */
    static ServerLog log(List<LogRecord> sink) {
        List<LogRecord> synced = Collections.synchronizedList(sink);
        Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String s) {
                        LogRecord r = ServerLog.decode(s);
                        if (r != null) {
                            synced.add(r);
                        }
                    }
                    if (method.getReturnType() == boolean.class) {
                        return true;
                    }
                    if (method.getName().equals("getName")) {
                        return "test";
                    }
                    return null;
                });
        return ServerLog.of(logger, LogContext.process(1, "test"));
    }

    static ServerLog log() {
        return log(new ArrayList<>());
    }

    /** A small configuration: 1 MiB segments, 16 pages of WAL buffers. */
    static WalConfig small(Path dir) {
        return WalConfig.defaults(dir).withSegmentSize(1024 * 1024).withWalBuffers(16);
    }

    /** Opens a log on {@code config}'s directory and starts it after whatever valid WAL is there. */
    static WriteAheadLog open(WalConfig config) {
        WriteAheadLog wal = new WriteAheadLog(config, log());
        wal.startAt(wal.findEnd(0));
        return wal;
    }

    /** A record whose main data is (thread, seq) followed by {@code pad} filler bytes. */
    static WalRecord numbered(int thread, int seq, int pad) {
        byte[] main = new byte[8 + pad];
        ByteBuffer b = ByteBuffer.wrap(main).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(thread).putInt(seq);
        for (int i = 8; i < main.length; i++) {
            main[i] = (byte) (thread * 31 + seq + i);
        }
        return WalRecord.of(ResourceManager.HEAP, (byte) 0x10, seq, main);
    }

    static int thread(WalRecord r) {
        return r.mainDataBuffer().getInt(0);
    }

    static int seq(WalRecord r) {
        return r.mainDataBuffer().getInt(4);
    }

    /** Reads every record from {@code from}; the reader's end goes into {@code end[0]} if given. */
    static List<WalRecord> readAll(WriteAheadLog wal, long from, WalEnd[] end) {
        List<WalRecord> out = new ArrayList<>();
        try (WalReader r = wal.reader(from)) {
            WalRecord rec;
            while ((rec = r.next()) != null) {
                out.add(rec);
            }
            if (end != null) {
                end[0] = r.end();
            }
        }
        return out;
    }
}
