package modgres.stats;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.osgi.service.log.Logger;

import modgres.api.buffer.BufferPool;
import modgres.api.buffer.BufferStats;
import modgres.api.control.CheckpointStats;
import modgres.api.control.Checkpointer;
import modgres.api.log.LogContext;
import modgres.api.log.LogRecord;
import modgres.api.log.ServerLog;
import modgres.api.settings.Settings;
import modgres.api.wal.Wal;
import modgres.api.wal.WalStats;

/** Test doubles: a log the test can read, sources whose stats() the test sets, a settable clock. */
final class Fakes {
    private Fakes() {
    }

    /** A ServerLog whose records the test can read. */
    static final class CapturedLog {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();
        final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
                new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                    if (args != null && args.length > 0 && args[0] instanceof String s) {
                        LogRecord r = ServerLog.decode(s);
                        if (r != null) {
                            records.add(r);
                        }
                    }
                    Class<?> rt = method.getReturnType();
                    if (rt == boolean.class) {
                        return true;
                    }
                    if (rt == String.class) {
                        return "test";
                    }
                    return null;
                });

        ServerLog log() {
            return ServerLog.of(logger, LogContext.process(1, "test"));
        }

        List<String> messages() {
            return records.stream().map(r -> r.severity() + " " + r.message()).toList();
        }
    }

    /** A clock in epoch microseconds that the test moves. */
    static final class Clock {
        final AtomicLong now = new AtomicLong(1_700_000_000_000_000L);

        long get() {
            return now.get();
        }

        long tick() {
            return now.addAndGet(1_000_000);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, String method, Supplier<?> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getName().equals(method) && (args == null || args.length == 0)) {
                return answer.get();
            }
            if (m.getName().equals("toString")) {
                return type.getSimpleName() + "@" + System.identityHashCode(p);
            }
            if (m.getName().equals("hashCode")) {
                return System.identityHashCode(p);
            }
            if (m.getName().equals("equals")) {
                return p == args[0];
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    static final class FakePool {
        final AtomicReference<BufferStats> stats = new AtomicReference<>(buffers(0, 0, 0, 0));
        final BufferPool pool = proxy(BufferPool.class, "stats", stats::get);
    }

    static final class FakeCheckpointer {
        final AtomicReference<CheckpointStats> stats = new AtomicReference<>(new CheckpointStats(0, 0, 0, 0, 0));
        final Checkpointer checkpointer = proxy(Checkpointer.class, "stats", stats::get);
    }

    static final class FakeWal {
        final AtomicReference<WalStats> stats = new AtomicReference<>(new WalStats(0, 0, 0, 0, 0, 0, 0));
        final Wal wal = proxy(Wal.class, "stats", stats::get);
    }

    /** BufferStats with the four counters the store reads (clean, maxwritten, backend, alloc). */
    static BufferStats buffers(long clean, long maxwritten, long backend, long alloc) {
        return new BufferStats(0, 0, 0, 0, alloc, backend, clean, 0, maxwritten, 0);
    }

    static Settings settings(Path dataDirectory) {
        return proxy(Settings.class, "dataDirectory", () -> dataDirectory);
    }
}
