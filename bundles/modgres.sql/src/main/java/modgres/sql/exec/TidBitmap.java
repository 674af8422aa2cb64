package modgres.sql.exec;

/*
 * Design notes: the bitmap of tuple ids a Bitmap Index Scan fills and a
 * Bitmap Heap Scan reads (PostgreSQL's tidbitmap.c, the non-shared half).
 *
 * Why: an index condition that matches many rows scattered over the table
 * costs one random heap access per row as an Index Scan; collecting the tids
 * first and visiting each heap page once, in block order, turns that into a
 * (mostly) sequential read of just the pages needed.
 *
 * Entries and work_mem: the bitmap holds "exact" pages (a bit per line
 * pointer offset, up to MAX_TUPLES_PER_PAGE) and "lossy" chunks (a bit per
 * page for PAGES_PER_CHUNK consecutive pages: the page has matches, which
 * offsets is forgotten). It may have at most maxEntries entries (exact pages
 * plus chunks), PostgreSQL's tbm_calculate_entries: work_mem divided by the
 * size of one hash table entry (64 bytes on a 64-bit build). Past that it is
 * lossified (tbm_lossify): exact pages are turned into bits of their chunks,
 * going round the pages from where the previous round stopped, until the
 * entries are at most half the limit; a page that would be its own chunk's
 * first page saves nothing and is skipped. If that is still not enough the
 * limit is doubled (as PostgreSQL does, rather than lossifying on every
 * insert). Lossy pages are read whole and every tuple rechecked against the
 * index condition ("Rows Removed by Index Recheck").
 *
 * PostgreSQL walks its hash table in hash order when lossifying; this one
 * walks the pages in block order from a rotating start, so which pages turn
 * lossy (the exact=/lossy= split of EXPLAIN ANALYZE) may differ from
 * PostgreSQL's for the same work_mem; that some do, and the results, do not.
 *
 * Iteration (pages()): the exact pages and the pages of the chunks, merged in
 * ascending block order; for an exact page its offsets in ascending order.
 */

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import modgres.api.access.Tid;

/** A set of tuple ids with exact pages and lossy chunks, bounded by work_mem; see the design notes. */
final class TidBitmap {
    /** MaxHeapTuplesPerPage for 8 kB pages. */
    static final int MAX_TUPLES_PER_PAGE = 291;
    /** PAGES_PER_CHUNK: BLCKSZ / 32. */
    static final int PAGES_PER_CHUNK = 256;
    /** sizeof(PagetableEntry) plus two pointers: what one entry costs PostgreSQL. */
    static final int ENTRY_BYTES = 64;

    private final Map<Integer, long[]> exact = new HashMap<>();
    private final Map<Integer, long[]> chunks = new HashMap<>();
    private long maxEntries;
    private int lossifyFrom;
    private long tuples;

    TidBitmap(long workMemBytes) {
        this.maxEntries = Math.max(16, workMemBytes / ENTRY_BYTES);
    }

    /** Adds one tuple id. */
    void add(long tid) {
        tuples++;
        int blk = Tid.block(tid);
        int off = Tid.offset(tid);
        if (isLossy(blk)) {
            return;
        }
        long[] bits = exact.computeIfAbsent(blk, b -> new long[(MAX_TUPLES_PER_PAGE + 63) / 64]);
        bits[(off - 1) >>> 6] |= 1L << ((off - 1) & 63);
        if (entries() > maxEntries) {
            lossify();
        }
    }

    private static int chunkOf(int blk) {
        return blk - Integer.remainderUnsigned(blk, PAGES_PER_CHUNK);
    }

    private boolean isLossy(int blk) {
        long[] c = chunks.get(chunkOf(blk));
        if (c == null) {
            return false;
        }
        int bit = Integer.remainderUnsigned(blk, PAGES_PER_CHUNK);
        return (c[bit >>> 6] & 1L << (bit & 63)) != 0;
    }

    long entries() {
        return exact.size() + chunks.size();
    }

    /** tbm_lossify: turns exact pages into chunk bits until at most half the entries remain. */
    private void lossify() {
        int[] pages = exact.keySet().stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(pages); // block order (tids are unsigned, but no table has 2^31 blocks)
        int start = 0;
        while (start < pages.length && pages[start] < lossifyFrom) {
            start++;
        }
        for (int n = 0; n < pages.length && entries() > maxEntries / 2; n++) {
            int blk = pages[(start + n) % pages.length];
            if (Integer.remainderUnsigned(blk, PAGES_PER_CHUNK) == 0 || !exact.containsKey(blk)) {
                continue; // would be its chunk's first page: nothing saved
            }
            markLossy(blk);
            lossifyFrom = blk + 1;
        }
        if (entries() > maxEntries / 2) {
            maxEntries = Math.min(entries(), Integer.MAX_VALUE / 2) * 2;
        }
    }

    /** tbm_mark_page_lossy: the page's bit in its chunk (made if needed; the chunk's first page folds in). */
    private void markLossy(int blk) {
        exact.remove(blk);
        int head = chunkOf(blk);
        long[] c = chunks.get(head);
        if (c == null) {
            c = new long[PAGES_PER_CHUNK / 64];
            chunks.put(head, c);
            if (exact.remove(head) != null) {
                c[0] |= 1L; // the chunk's first page was exact: now lossy as well
            }
        }
        int bit = Integer.remainderUnsigned(blk, PAGES_PER_CHUNK);
        c[bit >>> 6] |= 1L << (bit & 63);
    }

    /** The tids added (duplicates and lossy ones included), as the Bitmap Index Scan's row count. */
    long tuples() {
        return tuples;
    }

    /** One page to visit: its block and, when exact, its offsets (ascending); null offsets = lossy. */
    record PageVisit(int block, int[] offsets) {
        boolean lossy() {
            return offsets == null;
        }
    }

    /** The pages in ascending block order (tbm_iterate). */
    List<PageVisit> pages() {
        List<PageVisit> out = new ArrayList<>(exact.size() + chunks.size() * 8);
        for (Map.Entry<Integer, long[]> e : exact.entrySet()) {
            long[] bits = e.getValue();
            int n = 0;
            for (long w : bits) {
                n += Long.bitCount(w);
            }
            int[] offs = new int[n];
            int k = 0;
            for (int w = 0; w < bits.length; w++) {
                for (long x = bits[w]; x != 0; x &= x - 1) {
                    offs[k++] = w * 64 + Long.numberOfTrailingZeros(x) + 1;
                }
            }
            out.add(new PageVisit(e.getKey(), offs));
        }
        for (Map.Entry<Integer, long[]> e : chunks.entrySet()) {
            long[] c = e.getValue();
            for (int w = 0; w < c.length; w++) {
                for (long x = c[w]; x != 0; x &= x - 1) {
                    out.add(new PageVisit(e.getKey() + w * 64 + Long.numberOfTrailingZeros(x), null));
                }
            }
        }
        out.sort((a, b) -> Integer.compareUnsigned(a.block(), b.block()));
        return out;
    }
}
