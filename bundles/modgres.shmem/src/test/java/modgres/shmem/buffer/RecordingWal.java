package modgres.shmem.buffer;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import modgres.api.buffer.WalFlusher;

/** A {@link WalFlusher} for tests: logs every flush and remembers how far it has flushed. */
final class RecordingWal implements WalFlusher {
    private final List<String> log;
    final AtomicLong flushed = new AtomicLong();

    RecordingWal(List<String> log) {
        this.log = log;
    }

    @Override
    public void flush(long lsn) {
        log.add("flush " + SharedBufferPool.formatLsn(lsn));
        flushed.accumulateAndGet(lsn, Math::max);
    }

    @Override
    public boolean needsFlush(long lsn) {
        return lsn > flushed.get();
    }
}
