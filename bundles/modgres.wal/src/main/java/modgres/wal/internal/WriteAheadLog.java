package modgres.wal.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.log.ServerLog;
import modgres.api.log.Severity;
import modgres.api.wal.Lsn;
import modgres.api.wal.Wal;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.WalEnd;
import modgres.api.wal.WalListener;
import modgres.api.wal.WalReader;
import modgres.api.wal.WalRecord;
import modgres.api.wal.WalRecycleResult;
import modgres.api.wal.WalSegmentEvent;
import modgres.api.wal.WalState;
import modgres.api.wal.WalStats;
import modgres.wal.format.Positions;
import modgres.wal.format.RecordAssembly;
import modgres.wal.format.WalFormat;

/**
 * The write-ahead log: WAL buffers, insertion, writing and flushing, segment
 * files, start-up after recovery. A plain class; {@link WalComponent}
 * publishes it. The README describes the algorithms; in short:
 *
 * <ul>
 * <li><b>Insert</b>: assemble the record in a per-thread scratch area (images,
 * headers, CRC of the body); claim an insertion slot; in a few-instruction
 * critical section reserve the space (usable byte positions: an addition),
 * link to the previous record and set the slot; then, outside any lock,
 * complete the CRC, copy the record into the WAL buffer pages and free the
 * slot. Inserters copy in parallel.</li>
 * <li><b>Buffers</b>: a ring of {@code wal_buffers} 8 KiB pages off-heap.
 * A page is initialised (zeroed, header written) under the mapping lock when
 * the first inserter needs it; if its ring slot still holds an unwritten
 * older page, that page is written first (after the insertions into it are
 * done).</li>
 * <li><b>Write and flush</b>: under the write lock, whole pages up to a target
 * are written to the segment files and fsynced. {@link #flush} first waits
 * (asleep) for the insertions below its LSN, then takes the write lock; if
 * someone else's flush covered it meanwhile it leaves, else it writes and
 * syncs everything inserted so far: group commit.</li>
 * <li><b>Failure</b>: an I/O error writing or syncing the log is a PANIC:
 * logged, remembered, and every later insert and flush throws.</li>
 * </ul>
 */
public final class WriteAheadLog implements Wal, AutoCloseable {
    private static final int PAGE = WalFormat.PAGE;
    private static final long EMPTY = -1L;
    private static final int SLOTS = 32;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final byte[] ZERO_PAGE = new byte[PAGE];

    private final ServerLog log;
    private final WalIo io;
    private final Positions pos;
    private final SegmentFiles files;
    private final long segmentSize;
    private final int timeline;
    private final long systemId;
    private final boolean archiveMode;
    private final boolean initZero;
    private volatile boolean recycle;
    private volatile int minWalSegments;
    private volatile SyncMethod syncMethod;
    private volatile boolean fsync;

    // WAL buffers
    private final int nPages;
    private final ByteBuffer ring;
    /** The writer's own view of the ring (position/limit change), used under {@link #writeLock} only. */
    private final ByteBuffer writeView;
    /** LSN of the page each ring slot holds, {@link #EMPTY} if none. */
    private final long[] pageBase;

    // reservation: guarded by the reservation spinlock (reserveLock; see lockReserve)
    private static final VarHandle RESERVE_LOCK;
    static {
        try {
            RESERVE_LOCK = MethodHandles.lookup().findVarHandle(WriteAheadLog.class, "reserveLock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    @SuppressWarnings("unused") // through RESERVE_LOCK
    private volatile int reserveLock;
    private volatile long curPos;
    private long prevPos = -1;
    private volatile long redo;
    private volatile boolean fullPageWrites;

    private final InsertionSlots slots = new InsertionSlots(SLOTS);
    private final ThreadLocal<RecordAssembly> scratch = ThreadLocal.withInitial(RecordAssembly::new);

    // page initialisation: guarded by mappingLock
    private final ReentrantLock mappingLock = new ReentrantLock();
    private long initializedUpTo;

    // writing: guarded by writeLock
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Flushes waiting for the write lock to be released sleep here (see {@link #awaitWriteLockRelease}). */
    private final Object flushMonitor = new Object();
    private long releaseGeneration;
    private int flushWaiters;
    private volatile long writtenUpTo;
    private volatile long flushedUpTo;
    private WalIo.WalFile openFile;
    private long openSegno = -1;

    private final ConcurrentLinkedQueue<WalSegmentEvent> completed = new ConcurrentLinkedQueue<>();
    private final Object notifyLock = new Object();
    private final List<WalListener> listeners = new CopyOnWriteArrayList<>();

    private final Object lifecycle = new Object();
    private volatile WalState state = WalState.READING;
    private volatile PgException failure;
    private final AtomicLong readEnd = new AtomicLong();

    private final LongAdder records = new LongAdder();
    private final LongAdder fullPageImages = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final AtomicLong buffersFull = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong created = new AtomicLong();

    public WriteAheadLog(WalConfig config, ServerLog log) {
        this(config, log, WalIo.DEFAULT);
    }

    public WriteAheadLog(WalConfig config, ServerLog log, WalIo io) {
        this.log = log;
        this.io = io;
        this.segmentSize = config.segmentSize();
        this.pos = new Positions(segmentSize);
        this.timeline = config.timeline();
        this.systemId = config.systemId();
        this.files = new SegmentFiles(config.dataDirectory(), timeline, segmentSize, io);
        this.archiveMode = config.archiveMode();
        this.initZero = config.initZero();
        this.recycle = config.recycle();
        this.minWalSegments = config.minWalSegments();
        this.syncMethod = config.syncMethod();
        this.fsync = config.fsync();
        this.fullPageWrites = config.fullPageWrites();
        this.nPages = config.walBuffers();
        try {
            this.ring = ByteBuffer.allocateDirect(nPages * PAGE).order(ByteOrder.LITTLE_ENDIAN);
        } catch (OutOfMemoryError e) {
            throw new PgException("53200", "could not allocate " + nPages * (long) PAGE
                    + " bytes of WAL buffers (wal_buffers)", null,
                    "Lower wal_buffers or raise the JVM's -XX:MaxDirectMemorySize.", e);
        }
        this.writeView = ring.duplicate();
        this.pageBase = new long[nPages];
        Arrays.fill(pageBase, EMPTY);
        try {
            files.ensureDirectories();
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not create directory \"" + files.directory() + "\": "
                    + e.getMessage(), null, null, e);
        }
    }

    // ================================================================ state, settings, listeners

    public WalState state() {
        return state;
    }

    public int timeline() {
        return timeline;
    }

    public long segmentSize() {
        return segmentSize;
    }

    public String segmentFileName(long lsn) {
        return files.name(lsn / segmentSize);
    }

    public int walBuffers() {
        return nPages;
    }

    public void addListener(WalListener l) {
        listeners.add(l);
    }

    public void removeListener(WalListener l) {
        listeners.remove(l);
    }

    /** {@code fsync}: off skips every sync. */
    public void setFsync(boolean on) {
        fsync = on;
    }

    /** {@code full_page_writes}; changed atomically with respect to inserts. */
    public void setFullPageWrites(boolean on) {
        lockReserve();
        try {
            fullPageWrites = on;
        } finally {
            unlockReserve();
        }
    }

    public void setRecycling(boolean on, int minSegments) {
        recycle = on;
        minWalSegments = minSegments;
    }

    /**
     * {@code wal_sync_method}: syncs what is written and closes the open
     * segment, which is reopened the new way on the next write.
     */
    public void setSyncMethod(SyncMethod method) {
        writeLock.lock();
        try {
            if (method == syncMethod) {
                return;
            }
            if (openFile != null && flushedUpTo < writtenUpTo && failure == null) {
                sync(openFile, openSegno);
                flushedUpTo = writtenUpTo;
            }
            closeSegmentFile();
            syncMethod = method;
        } finally {
            unlockWrite();
        }
    }

    public WalStats stats() {
        return new WalStats(records.sum(), fullPageImages.sum(), bytes.sum(), buffersFull.get(), writes.get(),
                syncs.get(), created.get());
    }

    // ================================================================ recovery and start-up

    /** See {@link modgres.api.wal.Wal#reader}. */
    public WalReader reader(long fromLsn) {
        long from = fromLsn;
        if (from == Lsn.INVALID) {
            from = oldestSegmentStart();
        }
        WalState s = state;
        long limit = s == WalState.READING ? -1 : flushedUpTo;
        return new SegmentReader(files, io, segmentSize, timeline, systemId, from, limit,
                s == WalState.READING ? this::noteReadEnd : null);
    }

    public WalEnd findEnd(long fromLsn) {
        try (WalReader r = reader(fromLsn)) {
            while (r.next() != null) {
                // read on
            }
            return r.end();
        }
    }

    private long oldestSegmentStart() {
        try {
            List<Long> segs = files.list();
            return (segs.isEmpty() ? 1 : segs.get(0)) * segmentSize;
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not read directory \"" + files.directory() + "\": "
                    + e.getMessage(), null, null, e);
        }
    }

    private void noteReadEnd(long end) {
        readEnd.accumulateAndGet(end, Math::max);
    }

    /** See {@link modgres.api.wal.Wal#startAt}. */
    public void startAt(WalEnd end) {
        synchronized (lifecycle) {
            if (state != WalState.READING) {
                throw new IllegalStateException("the WAL is " + state + ", not READING");
            }
            long e = end.endLsn();
            long inPage = e % PAGE;
            long page = e - inPage;
            long last = end.lastRecordLsn();
            if (e == Lsn.INVALID || (e & (WalFormat.ALIGN - 1)) != 0
                    || inPage != 0 && inPage < WalFormat.headerSize(page, segmentSize)) {
                throw new IllegalArgumentException("cannot continue the WAL at " + Lsn.format(e));
            }
            if (last != Lsn.INVALID && Long.compareUnsigned(last, e) >= 0) {
                throw new IllegalArgumentException("last record " + Lsn.format(last) + " is not before "
                        + Lsn.format(e));
            }
            writeLock.lock();
            mappingLock.lock();
            try {
                if (inPage != 0) {
                    loadPartialPage(page, (int) inPage);
                    initializedUpTo = page + PAGE;
                } else {
                    initializedUpTo = page;
                }
                lockReserve();
                try {
                    curPos = pos.toPos(e);
                    prevPos = last == Lsn.INVALID ? -1 : pos.toPos(last);
                } finally {
                    unlockReserve();
                }
                writtenUpTo = e;
                flushedUpTo = e;
            } finally {
                mappingLock.unlock();
                unlockWrite();
            }
            state = WalState.INSERTING;
        }
    }

    /**
     * Puts the valid part of the page the log continues in into the ring (the
     * rest zeroed, so a torn record after it is overwritten when the page is
     * written again) and makes sure it is durable.
     */
    private void loadPartialPage(long page, int valid) {
        long segno = page / segmentSize;
        byte[] tmp = new byte[PAGE];
        try (WalIo.WalFile f = io.openForRead(files.path(segno))) {
            ByteBuffer dst = ByteBuffer.wrap(tmp);
            long at = page - segno * segmentSize;
            while (dst.hasRemaining()) {
                int r = f.read(dst, at);
                if (r < 0) {
                    break;
                }
                at += r;
            }
        } catch (NoSuchFileException e) {
            throw new PgException(SqlState.IO_ERROR, "could not open file \"" + files.display(segno)
                    + "\": No such file or directory", null, null, e);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not read from file \"" + files.display(segno) + "\": "
                    + e.getMessage(), null, null, e);
        }
        Arrays.fill(tmp, valid, PAGE, (byte) 0);
        int idx = index(page);
        ring.put(idx * PAGE, tmp, 0, PAGE);
        LONGS.setRelease(pageBase, idx, page);
        try (WalIo.WalFile f = io.openForWrite(files.path(segno), syncMethod)) {
            if (fsync) {
                f.force(syncMethod == SyncMethod.FSYNC);
            }
        } catch (IOException e) {
            throw panic("could not fsync file \"" + files.display(segno) + "\": " + e.getMessage(), e);
        }
    }

    // ================================================================ insert

    /** See {@link modgres.api.wal.Wal#insert}. */
    public long insert(WalRecord rec) {
        if (state != WalState.INSERTING) {
            throw notInserting();
        }
        RecordAssembly a = scratch.get();
        boolean isSwitch = rec.isSwitch();
        long start = 0;
        long end = 0;
        long size = 0;
        int slot = slots.acquire();
        try {
            boolean reserved = false;
            while (!reserved) {
                a.assemble(rec, redo, fullPageWrites);
                size = a.alignedLength();
                long prev = -1;
                boolean noop = false;
                lockReserve();
                try {
                    // The REDO pointer moved (or page writes came on) since the images were decided,
                    // and a block that got no image now needs one: assemble again.
                    if (fullPageWrites && (!a.doPageWritesUsed()
                            || a.fpwLsn() != Lsn.INVALID && Long.compareUnsigned(a.fpwLsn(), redo) <= 0)) {
                        continue;
                    }
                    start = curPos;
                    if (isSwitch) {
                        if ((pos.toEndLsn(start) & (segmentSize - 1)) == 0) {
                            noop = true; // nothing in this segment yet
                        } else {
                            end = pos.toPos(ceilSegment(pos.toEndLsn(start + size)));
                        }
                    } else {
                        end = start + size;
                    }
                    if (!noop) {
                        prev = prevPos;
                        prevPos = start;
                        slots.set(slot, start);
                        curPos = end;
                    }
                } finally {
                    unlockReserve();
                }
                if (noop) {
                    return pos.toEndLsn(start);
                }
                reserved = true;
                a.finish(prev < 0 ? Lsn.INVALID : pos.toLsn(prev));
            }
            long recordEnd = copy(a, slot, pos.toLsn(start));
            if (isSwitch) {
                // The rest of the segment is reserved too: initialise its pages (written as empty pages).
                long segEnd = ceilSegment(recordEnd);
                for (long p = ceilPage(recordEnd); p < segEnd; p += PAGE) {
                    slots.advance(slot, pos.toPos(p));
                    pageBuffer(p);
                }
            }
            records.increment();
            bytes.add(a.totalLength());
            if (a.images() > 0) {
                fullPageImages.add(a.images());
            }
        } finally {
            slots.release(slot);
            a.clear();
        }
        if (isSwitch) {
            flush(pos.toEndLsn(end));
            return pos.toEndLsn(start + size);
        }
        return pos.toEndLsn(end);
    }


    /**
     * Takes the reservation spinlock, PostgreSQL's {@code insertpos_lck}: held
     * for a few instructions (an addition and three stores), so waiters spin,
     * then yield, rather than park.
     */
    private void lockReserve() {
        if (RESERVE_LOCK.compareAndSet(this, 0, 1)) {
            return;
        }
        for (int spins = 0;; spins++) {
            if ((int) RESERVE_LOCK.getOpaque(this) == 0 && RESERVE_LOCK.compareAndSet(this, 0, 1)) {
                return;
            }
            if (spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void unlockReserve() {
        RESERVE_LOCK.setRelease(this, 0);
    }

    /**
     * Copies the assembled record into the WAL buffers from {@code lsn} on,
     * moving across pages (their headers say how much of the record continues
     * there). Returns the LSN just after the last byte.
     */
    private long copy(RecordAssembly a, int slot, long lsn) {
        int inPage = (int) (lsn % PAGE);
        int at = pageBuffer(lsn - inPage) + inPage;
        int free = PAGE - inPage;
        int remaining = a.totalLength();
        for (int p = 0, n = a.pieceCount(); p < n; p++) {
            byte[] src = a.pieceArray(p);
            int len = a.pieceLength(p);
            int off = 0;
            while (len > 0) {
                if (free == 0) {
                    // lsn is a page boundary: everything of this record before it is copied
                    slots.advance(slot, pos.toPos(lsn));
                    int base = pageBuffer(lsn);
                    ring.putShort(base + WalFormat.PH_INFO,
                            (short) (ring.getShort(base + WalFormat.PH_INFO) | WalFormat.FIRST_IS_CONTRECORD));
                    ring.putInt(base + WalFormat.PH_REM_LEN, remaining);
                    int h = WalFormat.headerSize(lsn, segmentSize);
                    at = base + h;
                    lsn += h;
                    free = PAGE - h;
                }
                int k = Math.min(len, free);
                ring.put(at, src, off, k);
                at += k;
                off += k;
                len -= k;
                free -= k;
                lsn += k;
                remaining -= k;
            }
        }
        return lsn;
    }

    private int index(long pageLsn) {
        return (int) ((pageLsn / PAGE) % nPages);
    }

    /** The ring offset of page {@code pageLsn}, initialising it (and any before it) if needed. */
    private int pageBuffer(long pageLsn) {
        int idx = index(pageLsn);
        if ((long) LONGS.getAcquire(pageBase, idx) != pageLsn) {
            advanceTo(pageLsn);
            if ((long) LONGS.getAcquire(pageBase, idx) != pageLsn) {
                throw new IllegalStateException("WAL page " + Lsn.format(pageLsn) + " is not in the buffers");
            }
        }
        return idx * PAGE;
    }

    /**
     * Initialises pages up to and including {@code pageLsn}. A ring slot that
     * still holds an unwritten page is written out first, with the mapping
     * lock released meanwhile (PostgreSQL's {@code AdvanceXLInsertBuffer}).
     */
    private void advanceTo(long pageLsn) {
        mappingLock.lock();
        try {
            while (initializedUpTo <= pageLsn) {
                long p = initializedUpTo;
                int idx = index(p);
                long old = (long) LONGS.getAcquire(pageBase, idx);
                if (old != EMPTY && writtenUpTo < old + PAGE) {
                    mappingLock.unlock();
                    try {
                        buffersFull.incrementAndGet();
                        writeOut(old + PAGE);
                    } finally {
                        mappingLock.lock();
                    }
                    continue;
                }
                int at = idx * PAGE;
                ring.put(at, ZERO_PAGE, 0, PAGE);
                WalFormat.writePageHeader(ring, at, p, timeline, systemId, segmentSize);
                LONGS.setRelease(pageBase, idx, p);
                initializedUpTo = p + PAGE;
            }
        } finally {
            mappingLock.unlock();
        }
    }

    /** Writes (without syncing) at least up to {@code upTo}, a page boundary, so its ring slots can be reused. */
    private void writeOut(long upTo) {
        long reserved = curPos;
        long want = Math.min(pos.toPos(upTo), reserved);
        long finished = slots.waitBelow(want, reserved);
        long target = Math.max(upTo, floorPage(pos.toEndLsn(finished)));
        writeLock.lock();
        try {
            checkFailed();
            if (writtenUpTo < upTo) {
                write(target, false);
            }
        } finally {
            unlockWrite();
        }
        notifyCompleted();
    }

    // ================================================================ flush

    /** See {@link modgres.api.wal.Wal#flush}. */
    public void flush(long upTo) {
        WalState s = state;
        if (s != WalState.INSERTING) {
            if (s == WalState.READING) {
                long r = readEnd.get();
                if (Long.compareUnsigned(upTo, r) <= 0) {
                    return; // replaying: the WAL up to there was read from disk
                }
                throw notSatisfied(upTo, r);
            }
            throw unusable();
        }
        if (Long.compareUnsigned(upTo, flushedUpTo) <= 0) {
            return;
        }
        long reservedPos = curPos;
        long reservedEnd = pos.toEndLsn(reservedPos);
        // A request inside the header of the page where the next record will go (the insert
        // position just after a page boundary) asks for everything inserted: not beyond it.
        boolean beyond = pos.toPos(upTo) > reservedPos;
        long want = Long.compareUnsigned(upTo, reservedEnd) > 0 ? reservedEnd : upTo;
        while (flushedUpTo < want) {
            long finished = slots.waitBelow(pos.toPos(want), curPos);
            if (writeLock.tryLock()) {
                // the leader: write and sync everything inserted so far, for every waiter at once
                try {
                    checkFailed();
                    if (flushedUpTo < want) {
                        long now = slots.lowest(curPos);
                        write(pos.toEndLsn(Math.max(finished, now)), true);
                    }
                } finally {
                    unlockWrite();
                }
                notifyCompleted();
            } else {
                awaitWriteLockRelease(want); // a follower: sleep until the current write ends, then look again
            }
            checkFailed();
        }
        if (beyond) {
            log.report(Severity.LOG, null, "request to flush past end of generated WAL; request " + Lsn.format(upTo)
                    + ", current position " + Lsn.format(reservedEnd), null, null);
            throw notSatisfied(upTo, flushedUpTo);
        }
    }

    /**
     * Sleeps until whoever holds the write lock releases it (or the log is
     * flushed to {@code want}), without taking it: PostgreSQL's
     * {@code LWLockAcquireOrWait}. Every sleeper wakes at once when the lock is
     * released, so those the finished flush covered leave without queueing for
     * the lock one by one.
     */
    private void awaitWriteLockRelease(long want) {
        boolean interrupted = false;
        synchronized (flushMonitor) {
            long gen = releaseGeneration;
            flushWaiters++;
            try {
                while (gen == releaseGeneration && writeLock.isLocked() && flushedUpTo < want && failure == null) {
                    try {
                        flushMonitor.wait(50);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                flushWaiters--;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Releases the write lock and wakes every flush waiting for that. */
    private void unlockWrite() {
        writeLock.unlock();
        synchronized (flushMonitor) {
            releaseGeneration++;
            if (flushWaiters > 0) {
                flushMonitor.notifyAll();
            }
        }
    }

    /** See {@link modgres.api.wal.Wal#backgroundFlush}. */
    public long backgroundFlush() {
        WalState s = state;
        if (s != WalState.INSERTING) {
            if (s == WalState.READING) {
                return 0;
            }
            throw unusable();
        }
        long target = floorPage(pos.toEndLsn(slots.lowest(curPos)));
        if (target <= flushedUpTo) {
            return 0;
        }
        long done;
        writeLock.lock();
        try {
            checkFailed();
            long before = flushedUpTo;
            if (target > before) {
                write(target, true);
            }
            done = flushedUpTo - before;
        } finally {
            unlockWrite();
        }
        notifyCompleted();
        return done;
    }

    /**
     * Writes the WAL buffers from {@link #writtenUpTo} to {@code target}
     * (whole pages; the last may be partial and is written again later) and,
     * with {@code flush}, syncs. A completed segment is synced, closed, marked
     * {@code .ready} (archive_mode) and queued for the listeners. Needs the
     * write lock; every page up to {@code target} must be complete.
     */
    private void write(long target, boolean flush) {
        long written = writtenUpTo;
        while (written < target) {
            long page = floorPage(written);
            long segno = page / segmentSize;
            long segEnd = (segno + 1) * segmentSize;
            int idx = index(page);
            long endExcl = Math.min(Math.min(ceilPage(target), segEnd), page + (long) (nPages - idx) * PAGE);
            for (long p = page; p < endExcl; p += PAGE) {
                if ((long) LONGS.getAcquire(pageBase, index(p)) != p) {
                    throw new IllegalStateException("WAL page " + Lsn.format(p) + " to write is not in the buffers");
                }
            }
            WalIo.WalFile f = fileFor(segno);
            int from = idx * PAGE;
            int len = (int) (endExcl - page);
            writeView.limit(from + len).position(from);
            long fileOffset = page - segno * segmentSize;
            try {
                long at = fileOffset;
                while (writeView.hasRemaining()) {
                    at += f.write(writeView, at);
                }
            } catch (IOException e) {
                throw panic("could not write to log file " + files.name(segno) + " at offset " + fileOffset
                        + ", length " + len + ": " + e.getMessage(), e);
            }
            writes.incrementAndGet();
            written = Math.min(endExcl, target);
            writtenUpTo = written;
            if (written == segEnd) {
                sync(f, segno);
                flushedUpTo = written;
                closeSegmentFile();
                segmentCompleted(segno);
            }
        }
        if (flush && flushedUpTo < writtenUpTo) {
            long segno = (writtenUpTo - 1) / segmentSize;
            sync(fileFor(segno), segno);
            flushedUpTo = writtenUpTo;
        }
    }

    private void sync(WalIo.WalFile f, long segno) {
        if (!fsync) {
            return;
        }
        SyncMethod m = syncMethod;
        if (m.syncsOnWrite()) {
            return;
        }
        try {
            f.force(m == SyncMethod.FSYNC);
        } catch (IOException e) {
            throw panic("could not " + (m == SyncMethod.FSYNC ? "fsync" : "fdatasync") + " file \""
                    + files.display(segno) + "\": " + e.getMessage(), e);
        }
        syncs.incrementAndGet();
    }

    /** The open segment file for {@code segno}, creating the segment (zero-filled) if it does not exist. */
    private WalIo.WalFile fileFor(long segno) {
        if (openSegno == segno) {
            return openFile;
        }
        closeSegmentFile();
        if (!files.exists(segno)) {
            try {
                if (files.create(segno, initZero, fsync)) {
                    created.incrementAndGet();
                }
            } catch (IOException e) {
                throw panic("could not create file \"" + files.display(segno) + "\": " + e.getMessage(), e);
            }
        }
        try {
            openFile = io.openForWrite(files.path(segno), syncMethod);
            openSegno = segno;
        } catch (IOException e) {
            throw panic("could not open file \"" + files.display(segno) + "\": " + e.getMessage(), e);
        }
        return openFile;
    }

    private void closeSegmentFile() {
        if (openFile == null) {
            return;
        }
        WalIo.WalFile f = openFile;
        long segno = openSegno;
        openFile = null;
        openSegno = -1;
        try {
            f.close();
        } catch (IOException e) {
            throw panic("could not close file \"" + files.display(segno) + "\": " + e.getMessage(), e);
        }
    }

    private void segmentCompleted(long segno) {
        if (archiveMode) {
            try {
                files.markReady(segno);
            } catch (IOException e) {
                log.report(Severity.WARNING, SqlState.IO_ERROR, "could not create archive status file \""
                        + "pg_wal/archive_status/" + files.name(segno) + ".ready\": " + e.getMessage(), null, null);
            }
        }
        completed.add(new WalSegmentEvent(timeline, segno, files.name(segno), (segno + 1) * segmentSize));
    }

    /** Tells the listeners of completed segments, in order, with no WAL lock held. */
    private void notifyCompleted() {
        if (completed.isEmpty()) {
            return;
        }
        synchronized (notifyLock) {
            WalSegmentEvent e;
            while ((e = completed.poll()) != null) {
                for (WalListener l : listeners) {
                    try {
                        l.segmentCompleted(e);
                    } catch (RuntimeException ex) {
                        log.report(Severity.WARNING, null, "WAL segment listener failed for " + e.fileName() + ": "
                                + ex, null, null, ex);
                    }
                }
            }
        }
    }

    // ================================================================ positions

    public long insertPosition() {
        return state == WalState.READING ? Lsn.INVALID : pos.toLsn(curPos);
    }

    public long writtenPosition() {
        return writtenUpTo;
    }

    public long flushedPosition() {
        return flushedUpTo;
    }

    /** True when writing a page with this LSN would first have to flush WAL. */
    public boolean needsFlush(long lsn) {
        return Long.compareUnsigned(lsn, flushedUpTo) > 0;
    }

    // ================================================================ checkpoints and segments

    public long redoPointer() {
        return redo;
    }

    public void setRedoPointer(long lsn) {
        lockReserve();
        try {
            redo = lsn;
        } finally {
            unlockReserve();
        }
    }

    public long advanceRedoPointer() {
        if (state != WalState.INSERTING) {
            throw notInserting();
        }
        lockReserve();
        try {
            long r = pos.toLsn(curPos);
            redo = r;
            return r;
        } finally {
            unlockReserve();
        }
    }

    public boolean needsFullPageImage(long pageLsn) {
        return fullPageWrites && Long.compareUnsigned(pageLsn, redo) <= 0;
    }

    public long switchSegment() {
        return insert(WalRecord.of(ResourceManager.XLOG, ResourceManager.XLOG_SWITCH, 0, null));
    }

    /** See {@link modgres.api.wal.Wal#recycleSegments}. */
    public WalRecycleResult recycleSegments(long keepFromLsn) {
        if (state != WalState.INSERTING) {
            throw new IllegalStateException("WAL segments are recycled only while the log is written, not when "
                    + state);
        }
        long writingSeg = writtenUpTo / segmentSize;
        long keepSeg = Math.min(keepFromLsn / segmentSize, writingSeg);
        long insertSeg = Math.max(writingSeg, pos.toEndLsn(curPos) / segmentSize);
        int recycled = 0;
        int removed = 0;
        int kept = 0;
        try {
            List<Long> segs = files.list();
            long maxSeg = insertSeg;
            int future = 0;
            for (long s : segs) {
                maxSeg = Math.max(maxSeg, s);
                if (s > insertSeg) {
                    future++;
                }
            }
            for (long s : segs) {
                if (s >= keepSeg) {
                    break;
                }
                if (archiveMode && !files.isArchived(s)) {
                    kept++;
                    continue;
                }
                if (recycle && future < minWalSegments) {
                    long t = files.recycle(s, maxSeg);
                    if (t >= 0) {
                        recycled++;
                        future++;
                        maxSeg = t;
                        log.debug(2, "recycled write-ahead log file \"" + files.name(s) + "\"");
                    }
                } else {
                    files.remove(s);
                    removed++;
                    log.debug(2, "removing write-ahead log file \"" + files.name(s) + "\"");
                }
                files.removeStatus(s);
            }
            if (recycled + removed > 0 && fsync) {
                files.syncDirectory();
            }
        } catch (IOException e) {
            log.report(Severity.WARNING, SqlState.IO_ERROR, "could not remove old write-ahead log files: "
                    + e.getMessage(), null, null, e);
        }
        return new WalRecycleResult(recycled, removed, kept);
    }

    // ================================================================ failure and shutdown

    /**
     * Records a PANIC: logs it, makes the log unusable, and returns the
     * exception for the caller to throw. Only the first failure is logged.
     */
    private PgException panic(String message, IOException cause) {
        PgException ex = new PgException(SqlState.IO_ERROR, message, null, null, cause);
        synchronized (lifecycle) {
            if (failure == null) {
                failure = ex;
                state = WalState.FAILED;
                log.report(Severity.PANIC, SqlState.IO_ERROR, message, null, null, cause);
            }
        }
        return ex;
    }

    private void checkFailed() {
        if (failure != null) {
            throw unusable();
        }
    }

    private PgException unusable() {
        PgException f = failure;
        if (f != null) {
            return new PgException(f.sqlState(), f.getMessage(),
                    "The write-ahead log failed earlier (PANIC); nothing more is written until the server restarts.",
                    null, f);
        }
        return new PgException(SqlState.INTERNAL_ERROR, "the write-ahead log is " + state.name().toLowerCase());
    }

    private PgException notInserting() {
        if (state == WalState.READING) {
            return new PgException(SqlState.INTERNAL_ERROR, "cannot make new WAL entries during recovery");
        }
        return unusable();
    }

    private static PgException notSatisfied(long upTo, long flushed) {
        return new PgException(SqlState.INTERNAL_ERROR, "xlog flush request " + Lsn.format(upTo)
                + " is not satisfied --- flushed only to " + Lsn.format(flushed));
    }

    /** Flushes what was inserted (unless failed), then closes the open segment. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (state == WalState.CLOSED) {
                return;
            }
        }
        if (state == WalState.INSERTING) {
            try {
                flush(pos.toEndLsn(curPos));
            } catch (PgException e) {
                // already reported
            }
        }
        synchronized (lifecycle) {
            if (state != WalState.FAILED) {
                state = WalState.CLOSED;
            }
        }
        writeLock.lock();
        try {
            closeSegmentFile();
        } catch (PgException e) {
            // reported as PANIC
        } finally {
            unlockWrite();
        }
    }

    private long floorPage(long lsn) {
        return lsn - lsn % PAGE;
    }

    private long ceilPage(long lsn) {
        long r = lsn % PAGE;
        return r == 0 ? lsn : lsn - r + PAGE;
    }

    private long ceilSegment(long lsn) {
        long r = lsn & (segmentSize - 1);
        return r == 0 ? lsn : lsn - r + segmentSize;
    }
}
