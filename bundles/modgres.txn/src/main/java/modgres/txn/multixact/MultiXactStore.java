package modgres.txn.multixact;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import modgres.api.error.PgException;
import modgres.api.error.SqlState;
import modgres.api.txn.MultiXactManager;
import modgres.api.txn.MultiXactMember;
import modgres.api.txn.MultiXactStatus;
import modgres.api.txn.Xid;
import modgres.api.wal.ResourceManager;
import modgres.api.wal.Wal;
import modgres.api.wal.WalRecord;

/*
 * Design notes: PostgreSQL's multixact.c, without the wraparound machinery.
 *
 * Layout (pg_multixact/, two SLRUs of 8 KiB pages, 32 pages per %04X file):
 *
 *   offsets/   4 bytes per MultiXactId m (little-endian): where m's members
 *              start in members/ (0: m was never created). 2048 ids a page.
 *   members/   groups of 4 members, 20 bytes each: 4 status bytes
 *              (MultiXactStatus ordinal) then 4 xids. 409 groups (1636
 *              members) a page, as PostgreSQL's.
 *
 * A MultiXact's members are contiguous: m's run from offset(m) to
 * offset(m + 1) (or, for the newest one, to nextOffset). Ids and offsets
 * start at 1; 0 means "none".
 *
 * Creation, under the store's lock (so ids, offsets and WAL order agree):
 *
 *   id = nextMulti, off = nextOffset
 *   WAL: MultiXact CREATE_ID (id 4, offset 4, nmembers 4, {xid 4, status 4}*)
 *   members written at off.., then offset(id) = off        (pages in cache, dirty)
 *   nextMulti++, nextOffset += n
 *
 * The record is inserted before the id is returned, so any heap record
 * naming the id comes after it in the WAL: redo recreates the MultiXact
 * before a tuple can point at it. Redo writes the same entries (idempotent)
 * and moves the counters past the record.
 *
 * Durability: dirty pages are written at eviction and at checkpoints, after a
 * WAL flush to the current insert position (WAL before data); checkpoints
 * fsync. A checkpoint takes the lock after its REDO pointer was fixed, so
 * every MultiXact whose record precedes the pointer is on disk afterwards.
 * The counters are not in the checkpoint record (the checkpointer is not
 * ours): at start they are found from the files (the last non-zero offset,
 * and its members up to the first empty slot), and redo moves them on.
 *
 * Reading: members(m) is cached per id (a MultiXact never changes); the
 * cache is dropped wholesale when it grows past a bound.
 *
 * Not done: wraparound of ids/offsets (2^32 MultiXacts or members), and
 * truncation of segments no tuple can reference any more (needs the oldest
 * multi still in any table, i.e. relminmxid bookkeeping); the files grow.
 */
public final class MultiXactStore implements MultiXactManager {

    /** Info of the CREATE_ID record (PostgreSQL's XLOG_MULTIXACT_CREATE_ID). */
    public static final byte CREATE_ID = 0x20;

    static final int OFFSETS_PER_PAGE = SlruFiles.PAGE_SIZE / 4;
    static final int MEMBERS_PER_GROUP = 4;
    static final int GROUP_SIZE = MEMBERS_PER_GROUP * 5;
    static final int GROUPS_PER_PAGE = SlruFiles.PAGE_SIZE / GROUP_SIZE;
    static final int MEMBERS_PER_PAGE = GROUPS_PER_PAGE * MEMBERS_PER_GROUP;
    /** More members than this in one MultiXact is a corrupt record/file. */
    static final int MAX_MEMBERS = 1 << 20;
    private static final int CACHE_LIMIT = 65_536;
    private static final MultiXactMember[] NONE = new MultiXactMember[0];

    private final Wal wal;
    private final ReentrantLock lock = new ReentrantLock();
    private final SlruFiles offsets;
    private final SlruFiles members;
    private final ConcurrentHashMap<Integer, MultiXactMember[]> cache = new ConcurrentHashMap<>();
    private int nextMulti = 1;
    private long nextOffset = 1;

    /** The store over {@code dir} ({@code DATADIR/pg_multixact}); the counters are found from the files. */
    public MultiXactStore(Path dir, Wal wal, boolean fsync) {
        this.wal = wal;
        Runnable flushWal = () -> wal.flush(wal.insertPosition());
        this.offsets = new SlruFiles(dir.resolve("offsets"), 64, fsync, flushWal);
        this.members = new SlruFiles(dir.resolve("members"), 64, fsync, flushWal);
        findCounters();
    }

    // ------------------------------------------------------------------ MultiXactManager

    @Override
    public int create(MultiXactMember[] ms) {
        if (ms.length == 0 || ms.length > MAX_MEMBERS) {
            throw new IllegalArgumentException("a MultiXact needs 1.." + MAX_MEMBERS + " members");
        }
        int updates = 0;
        for (MultiXactMember m : ms) {
            if (!Xid.isNormal(m.xid())) {
                throw new IllegalArgumentException("invalid member xid " + m.xid());
            }
            updates += m.status().isUpdate() ? 1 : 0;
        }
        if (updates > 1) {
            throw new PgException(SqlState.INTERNAL_ERROR, "a MultiXact cannot have more than one updater");
        }
        MultiXactMember[] copy = ms.clone();
        lock.lock();
        try {
            int id = nextMulti;
            long off = nextOffset;
            wal.insert(WalRecord.of(ResourceManager.MULTIXACT, CREATE_ID, 0, encode(id, off, copy)));
            store(id, off, copy);
            advance(id, off, copy.length);
            cache.put(id, copy);
            trimCache();
            return id;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public MultiXactMember[] members(int multi) {
        if (multi == INVALID) {
            return NONE;
        }
        MultiXactMember[] m = cache.get(multi);
        if (m != null) {
            return m.clone();
        }
        lock.lock();
        try {
            m = read(multi);
        } finally {
            lock.unlock();
        }
        if (m.length > 0) {
            cache.put(multi, m);
            trimCache();
        }
        return m.clone();
    }

    @Override
    public int nextMultiId() {
        lock.lock();
        try {
            return nextMulti;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ redo, checkpoints

    /** Replays a MultiXact record (CREATE_ID; others are ignored: this store writes no other kind). */
    public void redo(WalRecord r) {
        if ((r.info() & 0xF0) != CREATE_ID) {
            return;
        }
        ByteBuffer b = r.mainDataBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int id = b.getInt(0);
        long off = Integer.toUnsignedLong(b.getInt(4));
        int n = b.getInt(8);
        if (n <= 0 || n > MAX_MEMBERS || r.mainData().length < 12 + 8 * n) {
            throw new PgException(SqlState.DATA_CORRUPTED, "invalid MultiXact CREATE_ID record: " + n + " members");
        }
        MultiXactMember[] ms = new MultiXactMember[n];
        for (int i = 0; i < n; i++) {
            ms[i] = new MultiXactMember(b.getInt(12 + 8 * i), MultiXactStatus.of(b.getInt(16 + 8 * i)));
        }
        lock.lock();
        try {
            store(id, off, ms);
            if (Integer.compareUnsigned(id, nextMulti) >= 0) {
                advance(id, off, n);
            }
            cache.remove(id);
        } finally {
            lock.unlock();
        }
    }

    /** The checkpoint's part ({@code CheckPointMultiXact}): dirty pages written (WAL first) and fsynced. */
    public void checkpoint() {
        lock.lock();
        try {
            offsets.checkpoint();
            members.checkpoint();
        } finally {
            lock.unlock();
        }
    }

    /** Writes the dirty pages without fsync (a clean stop of the component). */
    public void writeDirty() {
        lock.lock();
        try {
            offsets.writeDirty();
            members.writeDirty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code pg_waldump}'s text: {@code 7 offset 13 nmembers 2: 745 (keysh) 746 (nokeyupd) }
     * (trailing space included, as PostgreSQL's {@code multixact_desc}).
     */
    public static String describe(WalRecord r) {
        int info = r.info() & 0xF0;
        if (info != CREATE_ID) {
            return "UNKNOWN (" + String.format(Locale.ROOT, "%02X", info) + ")";
        }
        ByteBuffer b = r.mainDataBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt(8);
        StringBuilder sb = new StringBuilder().append(Integer.toUnsignedString(b.getInt(0))).append(" offset ")
                .append(Integer.toUnsignedString(b.getInt(4))).append(" nmembers ").append(n).append(": ");
        for (int i = 0; i < n && 16 + 8 * i < r.mainData().length; i++) {
            sb.append(Integer.toUnsignedString(b.getInt(12 + 8 * i))).append(" (")
                    .append(statusName(b.getInt(16 + 8 * i))).append(") ");
        }
        return sb.toString();
    }

    private static String statusName(int code) {
        switch (code) {
            case 0:
                return "keysh";
            case 1:
                return "sh";
            case 2:
                return "fornokeyupd";
            case 3:
                return "forupd";
            case 4:
                return "nokeyupd";
            case 5:
                return "upd";
            default:
                return "unk";
        }
    }

    // ------------------------------------------------------------------ pages

    static byte[] encode(int id, long off, MultiXactMember[] ms) {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 * ms.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(id).putInt((int) off).putInt(ms.length);
        for (MultiXactMember m : ms) {
            b.putInt(m.xid()).putInt(m.status().ordinal());
        }
        return b.array();
    }

    /** Writes the members at {@code off}.. and then the offset of {@code id}. Lock held. */
    private void store(int id, long off, MultiXactMember[] ms) {
        for (int i = 0; i < ms.length; i++) {
            long o = off + i;
            long pageno = o / MEMBERS_PER_PAGE;
            byte[] p = members.page(pageno);
            int inPage = (int) (o % MEMBERS_PER_PAGE);
            int group = inPage / MEMBERS_PER_GROUP * GROUP_SIZE;
            int slot = inPage % MEMBERS_PER_GROUP;
            p[group + slot] = (byte) ms[i].status().ordinal();
            ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putInt(group + MEMBERS_PER_GROUP + 4 * slot,
                    ms[i].xid());
            members.markDirty(pageno);
        }
        long m = Integer.toUnsignedLong(id);
        long pageno = m / OFFSETS_PER_PAGE;
        byte[] p = offsets.page(pageno);
        ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (m % OFFSETS_PER_PAGE) * 4, (int) off);
        offsets.markDirty(pageno);
    }

    private void advance(int id, long off, int n) {
        nextMulti = id + 1 == INVALID ? 1 : id + 1;
        nextOffset = off + n;
    }

    private long offsetOf(int id) {
        long m = Integer.toUnsignedLong(id);
        byte[] p = offsets.page(m / OFFSETS_PER_PAGE);
        return Integer.toUnsignedLong(ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN)
                .getInt((int) (m % OFFSETS_PER_PAGE) * 4));
    }

    private int xidAt(long o) {
        byte[] p = members.page(o / MEMBERS_PER_PAGE);
        int inPage = (int) (o % MEMBERS_PER_PAGE);
        return ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN)
                .getInt(inPage / MEMBERS_PER_GROUP * GROUP_SIZE + MEMBERS_PER_GROUP + 4 * (inPage % MEMBERS_PER_GROUP));
    }

    private int statusAt(long o) {
        byte[] p = members.page(o / MEMBERS_PER_PAGE);
        int inPage = (int) (o % MEMBERS_PER_PAGE);
        return p[inPage / MEMBERS_PER_GROUP * GROUP_SIZE + inPage % MEMBERS_PER_GROUP];
    }

    /** The members of {@code id} from the pages. Lock held. */
    private MultiXactMember[] read(int id) {
        if (Integer.compareUnsigned(id, nextMulti) >= 0) {
            return NONE;
        }
        long start = offsetOf(id);
        if (start == 0) {
            return NONE;
        }
        int after = id + 1 == INVALID ? 1 : id + 1;
        long end = after == nextMulti ? nextOffset : offsetOf(after);
        if (end <= start) {
            end = start;
            while (end - start < MAX_MEMBERS && xidAt(end) != 0) {
                end++; // the next one is missing (not replayed yet): up to the first empty slot
            }
        }
        int n = (int) Math.min(end - start, MAX_MEMBERS);
        MultiXactMember[] ms = new MultiXactMember[n];
        for (int i = 0; i < n; i++) {
            ms[i] = new MultiXactMember(xidAt(start + i), MultiXactStatus.of(statusAt(start + i)));
        }
        return ms;
    }

    /** Start-up: the newest MultiXact on disk gives the counters (none: 1 and 1). */
    private void findCounters() {
        long[] segs = offsets.segments();
        for (int s = segs.length - 1; s >= 0; s--) {
            for (long pageno = (segs[s] + 1) * SlruFiles.PAGES_PER_SEGMENT - 1;
                    pageno >= segs[s] * SlruFiles.PAGES_PER_SEGMENT; pageno--) {
                ByteBuffer p = ByteBuffer.wrap(offsets.page(pageno)).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = OFFSETS_PER_PAGE - 1; i >= 0; i--) {
                    long off = Integer.toUnsignedLong(p.getInt(i * 4));
                    if (off != 0) {
                        long n = 0;
                        while (n < MAX_MEMBERS && xidAt(off + n) != 0) {
                            n++;
                        }
                        advance((int) (pageno * OFFSETS_PER_PAGE + i), off, (int) n);
                        return;
                    }
                }
            }
        }
    }

    private void trimCache() {
        if (cache.size() > CACHE_LIMIT) {
            cache.clear();
        }
    }
}
