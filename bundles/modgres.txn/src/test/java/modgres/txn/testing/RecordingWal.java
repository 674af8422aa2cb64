package modgres.txn.testing;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import modgres.api.wal.Wal;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalState;

/**
 * A {@link Wal} stand-in that keeps every inserted record and every flush
 * request: each insert ends 64 bytes after the previous one.
 */
public final class RecordingWal {

    public final List<WalRecord> inserted = Collections.synchronizedList(new ArrayList<>());
    public final List<Long> flushes = Collections.synchronizedList(new ArrayList<>());
    public final AtomicLong insertPos = new AtomicLong(0x100_0000L);
    public final AtomicLong flushedUpTo = new AtomicLong(0x100_0000L);
    public volatile WalState state = WalState.INSERTING;
    public final Wal wal;

    public RecordingWal() {
        wal = (Wal) Proxy.newProxyInstance(Wal.class.getClassLoader(), new Class<?>[] {Wal.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "state" -> state;
                    case "insert" -> {
                        if (state != WalState.INSERTING) {
                            throw new IllegalStateException("not inserting");
                        }
                        inserted.add((WalRecord) args[0]);
                        yield insertPos.addAndGet(64);
                    }
                    case "flush" -> {
                        long upTo = (Long) args[0];
                        flushes.add(upTo);
                        flushedUpTo.accumulateAndGet(upTo, Math::max);
                        yield null;
                    }
                    case "insertPosition" -> insertPos.get();
                    case "flushedPosition" -> flushedUpTo.get();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "RecordingWal";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    public List<WalRecord> records() {
        synchronized (inserted) {
            return new ArrayList<>(inserted);
        }
    }
}
