package modgres.storage.heap;

import java.util.ArrayList;

import modgres.api.access.HeapScan;
import modgres.api.access.HeapTuple;
import modgres.api.buffer.AccessStrategy;
import modgres.api.buffer.RelFileNode;
import modgres.api.txn.Snapshot;

/*
 * Design notes: a sequential scan (heapgettup_pagemode). The relation's
 * length is read once at the start, as PostgreSQL does: rows inserted into
 * pages added later are invisible to the scan's snapshot anyway. Per page:
 * pin, shared lock, copy out the visible tuples (hints set on the way), unlock;
 * the pin is kept while the page's tuples are handed out and released when
 * the scan moves on or is closed. A page that is prunable and nearly full is
 * pruned on the way if its exclusive lock is free at once.
 *
 *   [before page] --pin+lock+copy+unlock--> [on page, pinned] --tuples done--> unpin --> [before next page]
 *                                                      \--close()--> unpin --> [closed]
 */
final class HeapScanImpl implements HeapScan {
    private final HeapComponent heap;
    private final RelFileNode node;
    private final Snapshot snapshot;
    private final AccessStrategy strategy;
    private int nblocks;
    private int next;
    private int buffer = -1;
    private final ArrayList<HeapTuple> tuples = new ArrayList<>();
    private int index;
    private boolean closed;

    HeapScanImpl(HeapComponent heap, RelFileNode node, Snapshot snapshot, AccessStrategy strategy) {
        this.heap = heap;
        this.node = node;
        this.snapshot = snapshot;
        this.strategy = strategy;
        this.nblocks = heap.nblocks(node);
    }

    @Override
    public HeapTuple next() {
        if (closed) {
            return null;
        }
        for (;;) {
            if (index < tuples.size()) {
                return tuples.get(index++);
            }
            releasePage();
            if (Integer.compareUnsigned(next, nblocks) >= 0) {
                return null;
            }
            int blk = next++;
            int b = heap.pinExisting(node, blk, strategy);
            if (b < 0) {
                nblocks = next; // truncated under us: the rest was empty
                continue;
            }
            buffer = b;
            if (heap.readPage(b, snapshot, tuples)) {
                heap.pruneOpportunistically(node, b);
            }
        }
    }

    private void releasePage() {
        tuples.clear();
        index = 0;
        if (buffer >= 0) {
            int b = buffer;
            buffer = -1;
            heap.pool.unpin(b);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            releasePage();
        }
    }
}
