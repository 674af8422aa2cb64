package modgres.sql.exec;

/*
 * Design notes: Bitmap Index Scan and Bitmap Heap Scan (PostgreSQL's
 * nodeBitmapIndexscan.c and nodeBitmapHeapscan.c, without prefetching and
 * BitmapAnd/BitmapOr).
 *
 * Flow: when the heap scan is opened it runs its Bitmap Index Scan child,
 * which walks the B-tree range of the index condition and adds each entry's
 * heap tid to a TidBitmap (bounded by work_mem: beyond, pages turn lossy).
 * The heap scan then visits the bitmap's pages in block order:
 *
 *   exact page: fetch each marked tid (MVCC visibility as an Index Scan's
 *               fetch), no recheck: the B-tree condition is exact;
 *   lossy page: fetch every line pointer of the page (1 ..
 *               MaxHeapTuplesPerPage; empty slots give nothing) and recheck
 *               the index condition ("Rows Removed by Index Recheck");
 *
 * then the remaining conditions of the scan ("Filter"). EXPLAIN prints
 * PostgreSQL's lines: "Recheck Cond:" (the index condition, always shown),
 * under ANALYZE the removed-row counts when not zero and "Heap Blocks:
 * exact=N lossy=M" (each part only when not zero); the child prints "Index
 * Cond:" and its row count is the number of tids it added.
 *
 * The child is not a row source (PostgreSQL's MultiExecBitmapIndexScan): its
 * EXPLAIN ANALYZE counters are set by the heap scan.
 */

import java.util.ArrayList;
import java.util.List;

import modgres.api.access.HeapTuple;
import modgres.api.access.IndexScan;
import modgres.api.access.KeyComparator;
import modgres.api.access.Tid;
import modgres.api.stats.TableCounter;
import modgres.sql.catalog.Relation;

/** The two bitmap scan nodes; see the design notes. */
public final class BitmapScans {
    private BitmapScans() {
    }

    /** Bitmap Index Scan: the tids of a B-tree range, into a TidBitmap. */
    public static final class BitmapIndexScan extends Plan {
        final Relation rel;
        final Relation.Index index;
        final int[] keyTypes;
        final Ev[] lower;
        final boolean lowerInclusive;
        final Ev[] upper;
        final boolean upperInclusive;
        final String condText;

        public BitmapIndexScan(Relation rel, Relation.Index index, int[] keyTypes, Ev[] lower, boolean lowerInclusive,
                Ev[] upper, boolean upperInclusive, String condText) {
            super(List.of());
            this.rel = rel;
            this.index = index;
            this.keyTypes = keyTypes;
            this.lower = lower;
            this.lowerInclusive = lowerInclusive;
            this.upper = upper;
            this.upperInclusive = upperInclusive;
            this.condText = condText;
        }

        private byte[] key(Ev[] evs, ExecState ex) {
            return Scans.boundKey(evs, keyTypes, ex);
        }

        /** Fills a bitmap of work_mem with the range's tids (MultiExecBitmapIndexScan). */
        TidBitmap fill(ExecState ex, long[] counts) {
            long start = analyze ? System.nanoTime() : 0;
            TidBitmap bm = new TidBitmap(ex.workMem);
            byte[] lo = lower == null ? null : key(lower, ex);
            byte[] hi = upper == null ? null : key(upper, ex);
            boolean empty = (lower != null && lo == null) || (upper != null && hi == null);
            if (counts != null) {
                counts[TableCounter.IDX_SCAN.ordinal()]++;
            }
            if (!empty) {
                long hit = ex.io[0];
                long read = ex.io[1];
                try (IndexScan s = ex.btree.scan(index.ref(), KeyComparator.BYTEWISE, lo, lowerInclusive, hi,
                        upperInclusive, false)) {
                    while (s.next()) {
                        ex.tick();
                        bm.add(s.heapTid());
                    }
                } finally {
                    if (counts != null) {
                        counts[TableCounter.IDX_BLKS_HIT.ordinal()] += ex.io[0] - hit;
                        counts[TableCounter.IDX_BLKS_READ.ordinal()] += ex.io[1] - read;
                    }
                }
            }
            if (analyze) {
                loops++;
                actualRows += bm.tuples();
                long t = System.nanoTime() - start;
                totalNanos += t;
                firstRowNanos += t;
            }
            return bm;
        }

        @Override
        protected void doOpen(ExecState ex) {
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            return null;
        }

        @Override
        public String label() {
            return "Bitmap Index Scan on " + index.name();
        }

        @Override
        public List<String> details(boolean analyze) {
            return List.of("Index Cond: " + condText);
        }
    }

    /** Bitmap Heap Scan: the heap pages of a bitmap in block order, lossy ones rechecked. */
    public static final class BitmapHeapScan extends Plan {
        public final Relation rel;
        final String alias;
        final BitmapIndexScan child;
        /** The index condition as an expression over the table's rows (for lossy pages). */
        final Ev recheck;
        final String recheckText;
        public Ev filter;
        public String filterText;
        final int[] types;
        /** The columns the statement reads of this FROM item (ColumnUsage), null: all. */
        public ColumnUsage.ScanColumns needs;
        private boolean[] need;
        private List<TidBitmap.PageVisit> pages;
        private int pageAt;
        private TidBitmap.PageVisit page;
        private int slot;
        private long[] counts;
        private long nblocks;
        // EXPLAIN ANALYZE, summed over the loops
        private long exactPages;
        private long lossyPages;
        private long removedByRecheck;
        private long removedByFilter;

        public BitmapHeapScan(Relation rel, String alias, BitmapIndexScan child, Ev recheck, String recheckText) {
            super(Scans.tableColumns(rel, alias));
            this.rel = rel;
            this.alias = alias;
            this.child = child;
            this.recheck = recheck;
            this.recheckText = recheckText;
            this.types = Scans.types(rel);
        }

        /** As {@link Scans.SeqScan#outputMask()}. */
        public boolean[] outputMask() {
            return needs == null ? null : needs.mask();
        }

        @Override
        protected void doOpen(ExecState ex) {
            need = Scans.needAtOpen(needs, columns.size());
            counts = ex.stats == null ? null : ex.stats.table(rel.oid());
            TidBitmap bm = child.fill(ex, counts);
            pages = bm.pages();
            nblocks = Integer.toUnsignedLong(ex.heap.nblocks(rel.node()));
            pageAt = 0;
            page = null;
        }

        @Override
        protected Object[] doNext(ExecState ex) {
            while (true) {
                if (page == null) {
                    if (pages == null || pageAt >= pages.size()) {
                        pages = null;
                        return null;
                    }
                    page = pages.get(pageAt++);
                    slot = 0;
                    if (Integer.toUnsignedLong(page.block()) >= nblocks) {
                        page = null; // beyond the end (truncated meanwhile): nothing there
                        continue;
                    }
                    if (page.lossy()) {
                        lossyPages++;
                    } else {
                        exactPages++;
                    }
                }
                int off;
                if (page.lossy()) {
                    if (slot >= TidBitmap.MAX_TUPLES_PER_PAGE) {
                        page = null;
                        continue;
                    }
                    off = ++slot;
                } else {
                    if (slot >= page.offsets().length) {
                        page = null;
                        continue;
                    }
                    off = page.offsets()[slot++];
                }
                ex.tick();
                long hit = ex.io[0];
                long read = ex.io[1];
                HeapTuple t = ex.heap.fetch(rel.ref(), Tid.of(page.block(), off), ex.txn.snapshot());
                if (counts != null) {
                    counts[TableCounter.HEAP_BLKS_HIT.ordinal()] += ex.io[0] - hit;
                    counts[TableCounter.HEAP_BLKS_READ.ordinal()] += ex.io[1] - read;
                }
                if (t == null) {
                    continue;
                }
                if (counts != null) {
                    counts[TableCounter.IDX_TUP_FETCH.ordinal()]++;
                }
                Object[] row = Scans.toRow(ex, rel, types, t, need);
                if (page.lossy() && !Scans.pass(recheck, row, ex)) {
                    removedByRecheck++;
                    continue;
                }
                if (!Scans.pass(filter, row, ex)) {
                    removedByFilter++;
                    continue;
                }
                return row;
            }
        }

        @Override
        public void close() {
            pages = null;
            page = null;
        }

        @Override
        public String label() {
            return "Bitmap Heap Scan on " + rel.name() + (alias != null && !alias.equals(rel.name()) ? " " + alias
                    : "");
        }

        @Override
        public List<Plan> children() {
            return List.of(child);
        }

        @Override
        public List<String> details(boolean analyze) {
            List<String> d = new ArrayList<>();
            d.add("Recheck Cond: " + recheckText);
            boolean shown = analyze && loops > 0;
            if (shown && removedByRecheck > 0) {
                d.add("Rows Removed by Index Recheck: " + Math.round((double) removedByRecheck / loops));
            }
            if (filterText != null) {
                d.add("Filter: " + filterText);
                if (shown && removedByFilter > 0) {
                    d.add("Rows Removed by Filter: " + Math.round((double) removedByFilter / loops));
                }
            }
            if (shown && (exactPages > 0 || lossyPages > 0)) {
                d.add("Heap Blocks:" + (exactPages > 0 ? " exact=" + exactPages : "")
                        + (lossyPages > 0 ? " lossy=" + lossyPages : ""));
            }
            return d;
        }
    }
}
