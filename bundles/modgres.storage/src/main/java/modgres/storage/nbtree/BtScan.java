package modgres.storage.nbtree;

import java.nio.ByteBuffer;
import java.util.Arrays;

import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.access.RelationRef;
import modgres.api.buffer.BufferPool;
import modgres.api.error.PgException;
import modgres.api.page.Page;

/*
 * Design notes: a range scan, page at a time (PostgreSQL's _bt_readpage).
 * Under the page's share lock the scan copies every matching entry of the
 * page (heap tid and key) into its batch, and remembers the page's sibling
 * link as it was at that moment; then it releases lock and pin. Between
 * calls it holds nothing.
 *
 * Why concurrent splits neither hide nor repeat an entry:
 *   forward:  the entries of page P were copied with P's right link R. A
 *             later split of P moves some of them to a new page between P
 *             and R; the scan continues at R, so it neither reads them again
 *             nor misses one that existed when P was read.
 *   backward: the scan remembers P's left link L and P itself. L may have
 *             split meanwhile, so it locks L and walks right until the page
 *             whose right link is P (_bt_walk_left), which holds exactly the
 *             entries that precede P's. Locks are never taken to the left
 *             while one is held.
 * Entries inserted after their page was read may or may not be seen (a
 * snapshot decides their visibility anyway).
 *
 * State (more = another page may hold matching entries):
 *
 *   NEW --next(): descend, read the first page--> BATCH --batch used up, more--> read next page --> BATCH
 *                                                   |
 *                                                   +--batch used up, !more (bound passed or end of level)--> END
 */
final class BtScan implements IndexScan {
    private final NbTree tree;
    private final RelationRef index;
    private final KeyComparator cmp;
    private final byte[] lower;
    private final boolean lowerInclusive;
    private final byte[] upper;
    private final boolean upperInclusive;
    private final boolean backward;

    private boolean started;
    private boolean more;
    private boolean closed;
    /** The page to read next: the remembered right link (forward) or left link (backward). */
    private int nextBlk;
    /** Backward: the page the current batch came from. */
    private int curBlk;

    private long[] tids = new long[16];
    private int[] keyOff = new int[16];
    private int[] keyLen = new int[16];
    private byte[] keys = new byte[256];
    private int keyBytes;
    private int count;
    private int pos = -1;

    BtScan(NbTree tree, RelationRef index, KeyComparator cmp, byte[] lower, boolean lowerInclusive, byte[] upper,
            boolean upperInclusive, boolean backward) {
        this.tree = tree;
        this.index = index;
        this.cmp = cmp;
        this.lower = lower;
        this.lowerInclusive = lowerInclusive;
        this.upper = upper;
        this.upperInclusive = upperInclusive;
        this.backward = backward;
    }

    @Override
    public boolean next() {
        if (closed) {
            return false;
        }
        if (++pos < count) {
            return true;
        }
        if (!started) {
            started = true;
            first();
            pos = 0;
            if (count > 0) {
                return true;
            }
        }
        while (more) {
            readNext();
            pos = 0;
            if (count > 0) {
                return true;
            }
        }
        count = 0;
        pos = 0;
        return false;
    }

    @Override
    public long heapTid() {
        checkPositioned();
        return tids[pos];
    }

    @Override
    public byte[] key() {
        checkPositioned();
        return Arrays.copyOfRange(keys, keyOff[pos], keyOff[pos] + keyLen[pos]);
    }

    private void checkPositioned() {
        if (closed || pos < 0 || pos >= count) {
            throw new IllegalStateException("the index scan is not positioned on an entry");
        }
    }

    @Override
    public void close() {
        closed = true;
        count = 0;
    }

    private void first() {
        BufferPool pool = tree.pool;
        int buf;
        if (backward) {
            buf = tree.descendRead(index, cmp, upper,
                    upper == null || upperInclusive ? BtPage.PLUS_INF : BtPage.MINUS_INF);
        } else {
            buf = tree.descendRead(index, cmp, lower,
                    lower == null || lowerInclusive ? BtPage.MINUS_INF : BtPage.PLUS_INF);
        }
        if (buf < 0) {
            more = false;
            return;
        }
        try {
            ByteBuffer page = pool.page(buf);
            if (backward) {
                int off = BtPage.binsearchLeaf(cmp, upper,
                        upper == null || upperInclusive ? BtPage.PLUS_INF : BtPage.MINUS_INF, page) - 1;
                readBackward(page, off, pool.blockNumber(buf));
            } else {
                int off = BtPage.binsearchLeaf(cmp, lower,
                        lower == null || lowerInclusive ? BtPage.MINUS_INF : BtPage.PLUS_INF, page);
                readForward(page, off);
            }
        } finally {
            pool.unlockAndUnpin(buf);
        }
    }

    private void readNext() {
        BufferPool pool = tree.pool;
        int buf = tree.lockShared(index.node(), nextBlk);
        try {
            if (!backward) {
                ByteBuffer page = pool.page(buf);
                readForward(page, BtPage.firstData(page));
                return;
            }
            // _bt_walk_left: from the remembered left link, right to the page that links to curBlk
            int blk = nextBlk;
            for (;;) {
                ByteBuffer page = pool.page(buf);
                int right = BtPage.next(page);
                if (right == curBlk) {
                    readBackward(page, Page.maxOffset(page), blk);
                    return;
                }
                if (right == BtPage.P_NONE) {
                    throw new PgException("XX002", "could not find left sibling of block "
                            + Integer.toUnsignedString(curBlk) + " in index \"" + index.name() + "\"");
                }
                pool.unlockAndUnpin(buf);
                buf = -1;
                buf = tree.lockShared(index.node(), right);
                blk = right;
            }
        } finally {
            if (buf >= 0) {
                pool.unlockAndUnpin(buf);
            }
        }
    }

    /** Copies the entries from {@code off} to the end of the page that are within the upper bound. */
    private void readForward(ByteBuffer page, int off) {
        count = 0;
        keyBytes = 0;
        int max = Page.maxOffset(page);
        for (; off <= max; off++) {
            int item = Page.itemOffset(page, off);
            if (upper != null) {
                int c = BtPage.compareKey(cmp, upper, page, item);
                if (c < 0 || c == 0 && !upperInclusive) {
                    more = false;
                    return;
                }
            }
            add(page, item);
        }
        if (BtPage.isRightmost(page)) {
            more = false;
            return;
        }
        if (upper != null) { // the right sibling's entries are above the high key
            int c = BtPage.compareKey(cmp, upper, page, Page.itemOffset(page, BtPage.P_HIKEY));
            if (c < 0 || c == 0 && !upperInclusive) {
                more = false;
                return;
            }
        }
        nextBlk = BtPage.next(page);
        more = true;
    }

    /** Copies the entries from {@code off} down to the first data item that are within the lower bound. */
    private void readBackward(ByteBuffer page, int off, int blk) {
        count = 0;
        keyBytes = 0;
        int first = BtPage.firstData(page);
        for (; off >= first; off--) {
            int item = Page.itemOffset(page, off);
            if (lower != null) {
                int c = BtPage.compareKey(cmp, lower, page, item);
                if (c > 0 || c == 0 && !lowerInclusive) {
                    more = false;
                    return;
                }
            }
            add(page, item);
        }
        if (BtPage.isLeftmost(page)) {
            more = false;
            return;
        }
        nextBlk = BtPage.prev(page);
        curBlk = blk;
        more = true;
    }

    private void add(ByteBuffer page, int item) {
        if (count == tids.length) {
            int n = count * 2;
            tids = Arrays.copyOf(tids, n);
            keyOff = Arrays.copyOf(keyOff, n);
            keyLen = Arrays.copyOf(keyLen, n);
        }
        int len = BtPage.keyLength(page, item);
        if (keyBytes + len > keys.length) {
            keys = Arrays.copyOf(keys, Math.max(keys.length * 2, keyBytes + len));
        }
        page.get(item + BtPage.TUPLE_HEADER, keys, keyBytes, len);
        tids[count] = BtPage.heapTid(page, item);
        keyOff[count] = keyBytes;
        keyLen[count] = len;
        keyBytes += len;
        count++;
    }
}
