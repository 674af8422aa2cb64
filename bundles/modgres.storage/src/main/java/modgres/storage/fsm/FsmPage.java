package modgres.storage.fsm;

import java.nio.ByteBuffer;

import modgres.api.page.Page;

/**
 * One page of the free space map, in PostgreSQL 15's layout
 * ({@code FSMPageData}): after the ordinary 24-byte page header, a 4-byte
 * {@code fp_next_slot} and then {@value #NODES} one-byte nodes forming a
 * binary max-heap in array form (children of node {@code i} at
 * {@code 2i+1} and {@code 2i+2}). The first {@value #NON_LEAF_NODES} nodes
 * are inner nodes, each holding the larger of its children; the remaining
 * {@value #SLOTS} are the leaves, one per slot: a heap block's category at
 * the bottom level, a child page's largest category above it. The tree is
 * logically complete (4096 leaves, 8191 nodes); leaves past the end of the page count as
 * 0.
 *
 * <p>Static helpers over the page buffer; the caller holds its content lock
 * (shared to search, exclusive to change, except {@code fp_next_slot}, a hint
 * that searches move under a shared lock).
 */
final class FsmPage {
    /** Where {@code fp_next_slot} lies: right after the (MAXALIGNed) page header. */
    static final int NEXT_SLOT = Page.maxAlign(Page.HEADER_SIZE);
    /** Where the nodes start. */
    static final int NODES_START = NEXT_SLOT + 4;
    /** {@code NodesPerPage}. */
    static final int NODES = Page.SIZE - NODES_START;
    /** {@code NonLeafNodesPerPage}. */
    static final int NON_LEAF_NODES = Page.SIZE / 2 - 1;
    /** {@code LeafNodesPerPage} = {@code SlotsPerFSMPage}. */
    static final int SLOTS = NODES - NON_LEAF_NODES;

    /** What {@link #search} returns when the tree contradicts itself (a torn page): rebuild and search again. */
    static final int INCONSISTENT = -2;

    private FsmPage() {
    }

    static int node(ByteBuffer page, int i) {
        return page.get(NODES_START + i) & 0xFF;
    }

    private static void setNode(ByteBuffer page, int i, int v) {
        page.put(NODES_START + i, (byte) v);
    }

    /** The largest category on the page (the root node). */
    static int maxAvail(ByteBuffer page) {
        return node(page, 0);
    }

    /** The category in {@code slot}. */
    static int getAvail(ByteBuffer page, int slot) {
        return node(page, NON_LEAF_NODES + slot);
    }

    /**
     * Sets {@code slot} to {@code value} and brings the inner nodes above it up
     * to date, stopping where a node does not change. Returns true if the page
     * changed.
     */
    static boolean setAvail(ByteBuffer page, int slot, int value) {
        int n = NON_LEAF_NODES + slot;
        if (node(page, n) == value) {
            return false;
        }
        setNode(page, n, value);
        while (n > 0) {
            n = (n - 1) / 2;
            int left = 2 * n + 1;
            int v = node(page, left);
            if (left + 1 < NODES) {
                v = Math.max(v, node(page, left + 1));
            }
            if (node(page, n) == v) {
                break;
            }
            setNode(page, n, v);
        }
        // A root below the new leaf value means the inner nodes were wrong already (torn page).
        if (value > node(page, 0)) {
            rebuild(page);
        }
        return true;
    }

    /**
     * Finds a slot with at least {@code min}, starting where the previous
     * search on this page left off ({@code fp_next_slot}) so that concurrent
     * inserters spread over the pages, and preferring the nearest slot to the
     * right of it. Moves {@code fp_next_slot} past the slot found when
     * {@code advance} (bottom level). Returns the slot, -1 if the page has
     * none, or {@link #INCONSISTENT}.
     */
    static int search(ByteBuffer page, int min, boolean advance) {
        if (node(page, 0) < min) {
            return -1;
        }
        int start = readNextSlot(page);
        if (start < 0 || start >= SLOTS) {
            start = 0;
        }
        // Climb from the start leaf: at each step look at the parent of the right
        // neighbour, so that the subtree examined grows to the right of the start.
        int n = NON_LEAF_NODES + start;
        while (n > 0 && node(page, n) < min) {
            n = parentOf(rightNeighbour(n));
        }
        // Descend to a leaf with enough, going left when both children have it.
        while (n < NON_LEAF_NODES) {
            int child = 2 * n + 1;
            if (child < NODES && node(page, child) >= min) {
                n = child;
            } else if (child + 1 < NODES && node(page, child + 1) >= min) {
                n = child + 1;
            } else {
                return INCONSISTENT;
            }
        }
        int slot = n - NON_LEAF_NODES;
        writeNextSlot(page, advance ? slot + 1 : slot);
        return slot;
    }

    /** Recomputes every inner node from the leaves. Returns true if one changed. */
    static boolean rebuild(ByteBuffer page) {
        boolean changed = false;
        for (int n = NON_LEAF_NODES - 1; n >= 0; n--) {
            int left = 2 * n + 1;
            int v = 0;
            if (left < NODES) {
                v = node(page, left);
            }
            if (left + 1 < NODES) {
                v = Math.max(v, node(page, left + 1));
            }
            if (node(page, n) != v) {
                setNode(page, n, v);
                changed = true;
            }
        }
        return changed;
    }

    /** Zeroes the slots from {@code firstSlot} on and rebuilds. Returns true if the page changed. */
    static boolean truncateAvail(ByteBuffer page, int firstSlot) {
        boolean changed = false;
        for (int n = NON_LEAF_NODES + firstSlot; n < NODES; n++) {
            if (node(page, n) != 0) {
                setNode(page, n, 0);
                changed = true;
            }
        }
        return rebuild(page) || changed;
    }

    static int readNextSlot(ByteBuffer page) {
        int b0 = page.get(NEXT_SLOT) & 0xFF;
        int b1 = page.get(NEXT_SLOT + 1) & 0xFF;
        int b2 = page.get(NEXT_SLOT + 2) & 0xFF;
        int b3 = page.get(NEXT_SLOT + 3) & 0xFF;
        return b0 | b1 << 8 | b2 << 16 | b3 << 24;
    }

    static void writeNextSlot(ByteBuffer page, int slot) {
        page.put(NEXT_SLOT, (byte) slot);
        page.put(NEXT_SLOT + 1, (byte) (slot >>> 8));
        page.put(NEXT_SLOT + 2, (byte) (slot >>> 16));
        page.put(NEXT_SLOT + 3, (byte) (slot >>> 24));
    }

    private static int parentOf(int n) {
        return (n - 1) / 2;
    }

    /**
     * The node to the right of {@code n} on its level; from the rightmost node
     * of a level it wraps around to the leftmost node of the same level (one
     * step right of the rightmost node is node {@code 2^k - 1}, the first of
     * the next level down, whose parent is the first node of this level).
     */
    private static int rightNeighbour(int n) {
        n++;
        if ((n + 1 & n) == 0) {
            n = parentOf(n);
        }
        return n;
    }
}
