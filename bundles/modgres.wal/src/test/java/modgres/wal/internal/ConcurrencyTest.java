package modgres.wal.internal;

import static modgres.wal.internal.TestSupport.numbered;
import static modgres.wal.internal.TestSupport.open;
import static modgres.wal.internal.TestSupport.readAll;
import static modgres.wal.internal.TestSupport.seq;
import static modgres.wal.internal.TestSupport.small;
import static modgres.wal.internal.TestSupport.thread;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import modgres.api.wal.Lsn;
import modgres.api.wal.WalEnd;
import modgres.api.wal.WalRecord;

/** Many inserters and committers at once. */
class ConcurrencyTest {
    @TempDir
    Path dir;

    interface Body {
        void run(int thread) throws Exception;
    }

    static void inThreads(int n, Body body) throws InterruptedException {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        CyclicBarrier start = new CyclicBarrier(n);
        Thread[] ts = new Thread[n];
        for (int t = 0; t < n; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                    body.run(id);
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }, "inserter " + t);
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join(120_000);
        }
        if (failed.get() != null) {
            throw new AssertionError(failed.get());
        }
    }

    @Test
    void fourInsertersMakeAGapFreeOrderedLog() throws Exception {
        // 16 pages of buffers and 1 MiB segments: the ring wraps and segments fill while threads insert
        WriteAheadLog wal = open(small(dir));
        int perThread = 5000;
        long[][] ends = new long[4][perThread];
        inThreads(4, t -> {
            Random rnd = new Random(t);
            for (int i = 0; i < perThread; i++) {
                ends[t][i] = wal.insert(numbered(t, i, rnd.nextInt(i % 100 == 0 ? 12_000 : 300)));
            }
        });
        long last = 0;
        for (long[] e : ends) {
            last = Math.max(last, e[perThread - 1]);
        }
        wal.flush(last);
        WalEnd[] end = new WalEnd[1];
        List<WalRecord> all = readAll(wal, Lsn.INVALID, end);
        assertEquals(4 * perThread, all.size(), end[0].toString());
        int[] next = new int[4];
        long prevLsn = Lsn.INVALID;
        for (WalRecord r : all) {
            int t = thread(r);
            int s = seq(r);
            assertEquals(next[t], s, "thread " + t + " records out of order or missing");
            next[t]++;
            assertEquals(ends[t][s], r.endLsn());
            assertEquals(prevLsn, r.prev());
            assertArrayEquals(numbered(t, s, r.mainData().length - 8).mainData(), r.mainData());
            prevLsn = r.lsn();
        }
        assertEquals(last, end[0].endLsn());
        assertEquals(wal.insertPosition(), last);
        assertTrue(wal.stats().buffersFull() > 0);
        wal.close();
    }

    /**
     * Group commit, made deterministic: the first fsync does not return until
     * every committer has inserted its record, so the next flush finds them all
     * waiting and covers them with one more fsync.
     */
    @Test
    void oneFsyncServesManyCommitters() throws Exception {
        int n = 32;
        CountDownLatch inserted = new CountDownLatch(n);
        WalIo slowFirstSync = new DelegatingIo(WalIo.DEFAULT) {
            @Override
            void beforeForce() throws IOException {
                try {
                    inserted.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
        };
        WriteAheadLog wal = new WriteAheadLog(small(dir), TestSupport.log(), slowFirstSync);
        wal.startAt(wal.findEnd(Lsn.INVALID));
        long syncsBefore = wal.stats().syncs();
        inThreads(n, t -> {
            long lsn = wal.insert(numbered(t, 0, 100));
            inserted.countDown();
            wal.flush(lsn);
            assertTrue(wal.flushedPosition() >= lsn);
        });
        long syncs = wal.stats().syncs() - syncsBefore;
        assertTrue(syncs <= 3, "fsyncs for " + n + " commits: " + syncs);
        assertEquals(n, readAll(wal, Lsn.INVALID, null).size());
        wal.close();
    }

    @Test
    void commitsUnderLoadShareFsyncs() throws Exception {
        WriteAheadLog wal = open(small(dir));
        int n = 8;
        int commits = 200;
        inThreads(n, t -> {
            for (int i = 0; i < commits; i++) {
                wal.flush(wal.insert(numbered(t, i, 50)));
            }
        });
        long syncs = wal.stats().syncs();
        assertTrue(syncs <= n * commits, "never more than one fsync per commit: " + syncs);
        assertEquals(n * commits, readAll(wal, Lsn.INVALID, null).size());
        wal.close();
    }

    /** A {@link WalIo} that lets a test act before each force. */
    static class DelegatingIo implements WalIo {
        final WalIo inner;

        DelegatingIo(WalIo inner) {
            this.inner = inner;
        }

        void beforeForce() throws IOException {
        }

        void beforeWrite() throws IOException {
        }

        private WalFile wrap(WalFile f) {
            return new WalFile() {
                @Override
                public int write(ByteBuffer src, long position) throws IOException {
                    beforeWrite();
                    return f.write(src, position);
                }

                @Override
                public int read(ByteBuffer dst, long position) throws IOException {
                    return f.read(dst, position);
                }

                @Override
                public void force(boolean metadata) throws IOException {
                    beforeForce();
                    f.force(metadata);
                }

                @Override
                public long size() throws IOException {
                    return f.size();
                }

                @Override
                public void close() throws IOException {
                    f.close();
                }
            };
        }

        @Override
        public WalFile openForWrite(Path file, SyncMethod method) throws IOException {
            return wrap(inner.openForWrite(file, method));
        }

        @Override
        public WalFile create(Path file) throws IOException {
            return inner.create(file); // segment creation is not what these tests disturb
        }

        @Override
        public WalFile openForRead(Path file) throws IOException {
            return inner.openForRead(file);
        }

        @Override
        public void syncDirectory(Path d) throws IOException {
            inner.syncDirectory(d);
        }
    }
}
