package modgres.txn.clog;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.txn.Xid;
import modgres.api.txn.XidStatus;
import modgres.api.wal.Lsn;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.Wal;
import modgres.api.wal.WalRecord;
import modgres.txn.slru.SegmentFiles;

/*
 * Design notes
 * ------------
 * PostgreSQL's clog.c over a small SLRU (slru.c): the status of every
 * transaction id, two bits each, in pg_xact/.
 *
 *   xid -> page    = xid / 32768          (8192-byte pages, 4 xids a byte)
 *          byte    = (xid % 32768) / 4
 *          shift   = (xid % 4) * 2         (low bits first: xid 3 is bits 6..7)
 *   page -> file   = %04X of page / 32     (32 pages = 256 KiB per segment)
 *
 *   00 in progress   01 committed   10 aborted   11 sub-committed
 *
 * Pages live in a cache of `capacity` pages (LRU by an access clock); a page
 * is read from its segment on a miss (missing file or short file: zeros) and
 * written when it is evicted dirty or at a checkpoint. Only checkpoint()
 * fsyncs (the files written since the last one, and the directory when a
 * file was created): between checkpoints the WAL is what makes a status
 * durable, and redo rebuilds it.
 *
 * Invariants
 *  - WAL before data: every page keeps the highest end LSN of the commit or
 *    abort records whose bits it holds (`lsn`); before a page is written the
 *    WAL is flushed to that LSN. An asynchronous commit thus never reaches
 *    pg_xact/ before its commit record reaches pg_wal/.
 *  - Bits only move forward: 00 -> 11 -> 01, 00 -> 01, 00 -> 10 (redo and
 *    zeroing are the only other writers).
 *  - Writers of a page hold its monitor; readers take no lock: the status
 *    byte is read with acquire and written with release semantics, so a
 *    reader that sees a top-level id committed also sees its sub ids at least
 *    sub-committed (they are set first).
 *  - A page object is never changed after eviction (`evicted` is set under
 *    its monitor, and writers re-fetch); a reader holding an evicted copy
 *    sees an older state, which callers resolve by re-reading (see
 *    Transactions.status).
 *  - Disk writes of one page are serialised by its ioLock and take their
 *    copy under it, so an older image can never overwrite a newer one.
 *  - A new page is started with a CLOG_ZEROPAGE record (rmgr CLOG, info
 *    0x00, main data = 8-byte page number) so that redo recreates it even if
 *    the page never reached disk.
 *
 * Page state (per cached page):
 *
 *    load/zero           set bits               write (evict/ckpt)
 *   ----------> CLEAN ----------------> DIRTY -------------------> CLEAN
 *                 |                                                  |
 *                 +---- evict: evicted=true, removed from cache <----+
 */

/** The commit log: two status bits per transaction id in {@code pg_xact/}, cached and WAL-logged. */
public final class CommitLog {

    public static final int PAGE_SIZE = 8192;
    public static final int XACTS_PER_BYTE = 4;
    public static final int XACTS_PER_PAGE = PAGE_SIZE * XACTS_PER_BYTE;
    public static final int PAGES_PER_SEGMENT = 32;
    /** The CLOG record that starts a new page ({@code CLOG_ZEROPAGE}). */
    public static final byte ZEROPAGE = 0x00;
    /** PostgreSQL's {@code CLOG_TRUNCATE} (recognised by {@link #describe}; never written here). */
    public static final byte TRUNCATE = 0x10;
    /** The default number of cached pages. */
    public static final int DEFAULT_CAPACITY = 128;

    static final int BITS_IN_PROGRESS = 0;
    static final int BITS_COMMITTED = 1;
    static final int BITS_ABORTED = 2;
    static final int BITS_SUB_COMMITTED = 3;

    private static final VarHandle BYTES = MethodHandles.arrayElementVarHandle(byte[].class);

    private final Path dir;
    private final Wal wal;
    private final int capacity;
    private volatile boolean fsync;

    private final ConcurrentHashMap<Integer, Page> pages = new ConcurrentHashMap<>();
    /** Held while a missing page is read in (and a victim evicted to make room). */
    private final ReentrantLock loadLock = new ReentrantLock();
    /** Advanced on every load: pages used since the last load carry the newest value. */
    private volatile long clock;
    /** The page of the newest ids: never evicted (PostgreSQL's latest_page_number). */
    private volatile int latestPage = -1;

    /** Segments written since the last checkpoint, to fsync then. */
    private final Set<Integer> unsynced = ConcurrentHashMap.newKeySet();
    private volatile boolean dirUnsynced;

    private static final class Page {
        final int pageno;
        final byte[] data;
        /** Guarded by the monitor. */
        long lsn;
        boolean dirty;
        boolean evicted;
        volatile long lastUsed;
        final ReentrantLock ioLock = new ReentrantLock();

        Page(int pageno, byte[] data) {
            this.pageno = pageno;
            this.data = data;
        }
    }

    /**
     * @param dir      the {@code pg_xact} directory (created if missing)
     * @param wal      where zero-page records go and what is flushed before a page is written
     * @param capacity cached pages (at least 2)
     * @param fsync    false skips every fsync ({@code fsync = off})
     */
    public CommitLog(Path dir, Wal wal, int capacity, boolean fsync) {
        if (capacity < 2) {
            throw new IllegalArgumentException("a commit log cache needs at least 2 pages");
        }
        this.dir = dir;
        this.wal = wal;
        this.capacity = capacity;
        this.fsync = fsync;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw ioError("could not create directory \"" + dir + "\"", e);
        }
    }

    public Path directory() {
        return dir;
    }

    public void setFsync(boolean on) {
        this.fsync = on;
    }

    // ------------------------------------------------------------------ addressing

    /** The page number of an id (unsigned: 0 .. 131071). */
    public static int pageOf(int xid) {
        return (int) (Integer.toUnsignedLong(xid) / XACTS_PER_PAGE);
    }

    /** The segment file name of a page: {@code 0000}, {@code 0001}, … */
    public static String segmentName(int pageno) {
        return String.format(Locale.ROOT, "%04X", pageno / PAGES_PER_SEGMENT);
    }

    private static int byteOf(int xid) {
        return (int) (Integer.toUnsignedLong(xid) % XACTS_PER_PAGE) / XACTS_PER_BYTE;
    }

    private static int shiftOf(int xid) {
        return (int) (Integer.toUnsignedLong(xid) % XACTS_PER_BYTE) * 2;
    }

    static XidStatus decode(int bits) {
        return switch (bits) {
            case BITS_COMMITTED -> XidStatus.COMMITTED;
            case BITS_ABORTED -> XidStatus.ABORTED;
            case BITS_SUB_COMMITTED -> XidStatus.SUB_COMMITTED;
            default -> XidStatus.IN_PROGRESS;
        };
    }

    static int encode(XidStatus s) {
        return switch (s) {
            case COMMITTED -> BITS_COMMITTED;
            case ABORTED -> BITS_ABORTED;
            case SUB_COMMITTED -> BITS_SUB_COMMITTED;
            case IN_PROGRESS -> BITS_IN_PROGRESS;
        };
    }

    // ------------------------------------------------------------------ reading and setting

    /** The two bits of {@code xid} as they are now (no interpretation: see the transaction manager). */
    public XidStatus get(int xid) {
        Page p = page(pageOf(xid));
        byte b = (byte) BYTES.getAcquire(p.data, byteOf(xid));
        return decode((b >>> shiftOf(xid)) & 3);
    }

    /**
     * Sets the final status of a transaction tree (PostgreSQL's
     * {@code TransactionIdSetTreeStatus}): when committing, sub ids on other
     * pages than the top-level id are first marked sub-committed, then the
     * top-level page (its sub ids sub-committed, then the top committed, then
     * those sub ids committed), then the other sub ids committed. A reader
     * never sees the top-level id committed while a sub id reads as in
     * progress. {@code lsn} is the end of the commit or abort record (0 when
     * there is none); each touched page remembers the highest.
     */
    public void setTreeStatus(int xid, int[] subXids, XidStatus status, long lsn) {
        if (status != XidStatus.COMMITTED && status != XidStatus.ABORTED) {
            throw new IllegalArgumentException("a transaction tree ends committed or aborted, not " + status);
        }
        int topPage = pageOf(xid);
        int[] others = Arrays.stream(subXids).filter(s -> pageOf(s) != topPage).toArray();
        int[] same = Arrays.stream(subXids).filter(s -> pageOf(s) == topPage).toArray();
        if (status == XidStatus.COMMITTED && others.length > 0) {
            setIds(others, BITS_SUB_COMMITTED, lsn);
        }
        int topBits = encode(status);
        Page p;
        while (true) {
            p = page(topPage);
            synchronized (p) {
                if (p.evicted) {
                    continue;
                }
                if (status == XidStatus.COMMITTED) {
                    for (int s : same) {
                        setBits(p, s, BITS_SUB_COMMITTED);
                    }
                }
                setBits(p, xid, topBits);
                for (int s : same) {
                    setBits(p, s, topBits);
                }
                touch(p, lsn);
                break;
            }
        }
        if (others.length > 0) {
            setIds(others, topBits, lsn);
        }
    }

    /** Sets the bits of several ids to one status, page by page. */
    private void setIds(int[] xids, int bits, long lsn) {
        int[] sorted = xids.clone();
        Arrays.sort(sorted);
        int i = 0;
        while (i < sorted.length) {
            int pageno = pageOf(sorted[i]);
            int j = i;
            while (j < sorted.length && pageOf(sorted[j]) == pageno) {
                j++;
            }
            while (true) {
                Page p = page(pageno);
                synchronized (p) {
                    if (p.evicted) {
                        continue;
                    }
                    for (int k = i; k < j; k++) {
                        setBits(p, sorted[k], bits);
                    }
                    touch(p, lsn);
                    break;
                }
            }
            i = j;
        }
    }

    /** Caller holds the page's monitor. */
    private static void setBits(Page p, int xid, int bits) {
        int at = byteOf(xid);
        int shift = shiftOf(xid);
        int old = p.data[at] & 0xFF;
        int now = (old & ~(3 << shift)) | (bits << shift);
        BYTES.setRelease(p.data, at, (byte) now);
    }

    private static void touch(Page p, long lsn) {
        p.dirty = true;
        if (Lsn.compare(lsn, p.lsn) > 0) {
            p.lsn = lsn;
        }
    }

    // ------------------------------------------------------------------ new pages

    /**
     * Called for every id assigned ({@code ExtendCLOG}): the first id of a
     * page (or {@link Xid#FIRST_NORMAL}, the first after a wraparound) starts
     * the page: zeroed in the cache and WAL-logged.
     */
    public void extend(int newXid) {
        if (Integer.toUnsignedLong(newXid) % XACTS_PER_PAGE != 0 && newXid != Xid.FIRST_NORMAL) {
            return;
        }
        zeroPage(pageOf(newXid), true);
    }

    /**
     * Zeroes a page ({@code ZeroCLOGPage}), logging a {@link #ZEROPAGE} record
     * when {@code writeWal} (not in redo). Returns the record's end LSN, or 0.
     */
    public long zeroPage(int pageno, boolean writeWal) {
        long lsn = 0;
        if (writeWal) {
            byte[] main = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(pageno).array();
            lsn = wal.insert(WalRecord.of(ResourceManager.CLOG, ZEROPAGE, 0, main));
        }
        latestPage = pageno;
        loadLock.lock();
        try {
            Page p = pages.get(pageno);
            if (p == null) {
                makeRoom(pageno);
                p = new Page(pageno, new byte[PAGE_SIZE]);
                p.lastUsed = ++clock;
                synchronized (p) {
                    p.dirty = true;
                    p.lsn = lsn;
                }
                pages.put(pageno, p);
            } else {
                synchronized (p) {
                    for (int i = 0; i < PAGE_SIZE; i++) {
                        BYTES.setRelease(p.data, i, (byte) 0);
                    }
                    touch(p, lsn);
                }
            }
        } finally {
            loadLock.unlock();
        }
        return lsn;
    }

    /** The page of the newest ids changed (never evicted). */
    public void setLatestPage(int pageno) {
        this.latestPage = pageno;
    }

    /**
     * End of recovery ({@code TrimCLOG}): the bits of ids from {@code nextXid}
     * to the end of its page are cleared, in case a page on disk holds bits of
     * ids that replay did not reach.
     */
    public void trim(int nextXid) {
        int pageno = pageOf(nextXid);
        latestPage = pageno;
        if (Integer.toUnsignedLong(nextXid) % XACTS_PER_PAGE == 0) {
            return; // the page does not exist yet: extend() will start it
        }
        while (true) {
            Page p = page(pageno);
            synchronized (p) {
                if (p.evicted) {
                    continue;
                }
                int at = byteOf(nextXid);
                int shift = shiftOf(nextXid);
                boolean changed = false;
                int keep = (1 << shift) - 1; // bits of the ids before nextXid in the same byte
                int b = p.data[at] & 0xFF;
                if ((b & ~keep) != 0) {
                    BYTES.setRelease(p.data, at, (byte) (b & keep));
                    changed = true;
                }
                for (int i = at + 1; i < PAGE_SIZE; i++) {
                    if (p.data[i] != 0) {
                        BYTES.setRelease(p.data, i, (byte) 0);
                        changed = true;
                    }
                }
                if (changed) {
                    p.dirty = true;
                }
                return;
            }
        }
    }

    // ------------------------------------------------------------------ cache

    private Page page(int pageno) {
        Page p = pages.get(pageno);
        if (p != null) {
            long c = clock;
            if (p.lastUsed != c) {
                p.lastUsed = c;
            }
            return p;
        }
        loadLock.lock();
        try {
            p = pages.get(pageno);
            if (p != null) {
                return p;
            }
            makeRoom(pageno);
            p = new Page(pageno, readPage(pageno));
            p.lastUsed = ++clock;
            pages.put(pageno, p);
            return p;
        } finally {
            loadLock.unlock();
        }
    }

    /** Caller holds loadLock: evicts the least recently used page while the cache is full. */
    private void makeRoom(int incoming) {
        while (pages.size() >= capacity) {
            Page victim = null;
            int latest = latestPage;
            for (Page p : pages.values()) {
                if (p.pageno == latest || p.pageno == incoming) {
                    continue;
                }
                if (victim == null || p.lastUsed < victim.lastUsed) {
                    victim = p;
                }
            }
            if (victim == null) {
                return;
            }
            evict(victim);
        }
    }

    private void evict(Page p) {
        p.ioLock.lock();
        try {
            while (true) {
                byte[] copy;
                long lsn;
                synchronized (p) {
                    if (!p.dirty) {
                        p.evicted = true;
                        break;
                    }
                    copy = p.data.clone();
                    lsn = p.lsn;
                    p.dirty = false;
                }
                writeCopy(p, copy, lsn);
            }
        } finally {
            p.ioLock.unlock();
        }
        pages.remove(p.pageno, p);
    }

    /** Caller holds p.ioLock. On failure the page is dirty again. */
    private void writeCopy(Page p, byte[] copy, long lsn) {
        try {
            if (Lsn.isValid(lsn)) {
                wal.flush(lsn); // WAL before data
            }
            writePage(p.pageno, copy);
        } catch (RuntimeException e) {
            synchronized (p) {
                p.dirty = true;
            }
            throw e;
        }
    }

    /** Number of pages in the cache (tests). */
    int cachedPages() {
        return pages.size();
    }

    // ------------------------------------------------------------------ durability

    /**
     * The checkpoint's part ({@code CheckPointCLOG}): writes every dirty page
     * (flushing the WAL to its LSN first) and fsyncs the segment files
     * written since the last checkpoint, and the directory when a file was
     * created. Returns the number of pages written.
     */
    public int checkpoint() {
        int written = writeDirty();
        sync();
        return written;
    }

    /** Writes every dirty page (no fsync). */
    public int writeDirty() {
        int written = 0;
        List<Page> snapshot = new ArrayList<>(pages.values());
        snapshot.sort((a, b) -> Integer.compare(a.pageno, b.pageno));
        for (Page p : snapshot) {
            p.ioLock.lock();
            try {
                byte[] copy;
                long lsn;
                synchronized (p) {
                    if (!p.dirty || p.evicted) {
                        continue;
                    }
                    copy = p.data.clone();
                    lsn = p.lsn;
                    p.dirty = false;
                }
                writeCopy(p, copy, lsn);
                written++;
            } finally {
                p.ioLock.unlock();
            }
        }
        return written;
    }

    private void sync() {
        if (!fsync) {
            unsynced.clear();
            dirUnsynced = false;
            return;
        }
        for (Integer seg : new ArrayList<>(unsynced)) {
            unsynced.remove(seg);
            try {
                SegmentFiles.fsync(dir.resolve(String.format(Locale.ROOT, "%04X", seg)));
            } catch (PgException e) {
                unsynced.add(seg);
                throw e;
            }
        }
        if (dirUnsynced) {
            dirUnsynced = false;
            try {
                SegmentFiles.fsyncDirectory(dir);
            } catch (PgException e) {
                dirUnsynced = true;
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------ files

    private byte[] readPage(int pageno) {
        // a page never written reads as zeros: all its ids in progress (none assigned yet, or only in the WAL)
        return SegmentFiles.read(dir.resolve(segmentName(pageno)), (long) (pageno % PAGES_PER_SEGMENT) * PAGE_SIZE,
                PAGE_SIZE);
    }

    private void writePage(int pageno, byte[] data) {
        if (SegmentFiles.write(dir.resolve(segmentName(pageno)), (long) (pageno % PAGES_PER_SEGMENT) * PAGE_SIZE,
                data)) {
            dirUnsynced = true;
        }
        unsynced.add(pageno / PAGES_PER_SEGMENT);
    }

    private static PgException ioError(String message, IOException e) {
        return SegmentFiles.ioError(message, e);
    }

    // ------------------------------------------------------------------ records

    /** The page number of a {@link #ZEROPAGE} record. */
    public static int zeroPageNumber(WalRecord r) {
        byte[] m = r.mainData();
        if (m.length < 8) {
            throw new PgException(SqlState.DATA_CORRUPTED, "invalid CLOG record: main data is " + m.length
                    + " bytes, expected 8");
        }
        return (int) r.mainDataBuffer().getLong(0);
    }

    /** {@code pg_waldump}'s text for a CLOG record: {@code ZEROPAGE page 5}. */
    public static String describe(WalRecord r) {
        int info = r.info() & 0xF0;
        if (info == ZEROPAGE) {
            return "ZEROPAGE page " + (r.mainData().length >= 8 ? r.mainDataBuffer().getLong(0) : -1);
        }
        if (info == TRUNCATE) {
            return "TRUNCATE";
        }
        return "UNKNOWN (" + String.format(Locale.ROOT, "%02X", info) + ")";
    }
}
