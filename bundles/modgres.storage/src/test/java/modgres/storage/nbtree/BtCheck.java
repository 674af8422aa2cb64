package modgres.storage.nbtree;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import modgres.api.access.KeyComparator;
import modgres.api.page.Page;

/**
 * A structural check of a whole index (in the manner of amcheck's
 * {@code bt_index_parent_check}), on a quiet index: levels, sibling links
 * both ways, order within pages, high keys as upper bounds, separators equal
 * to the left child's high key, every page of a level reachable from its
 * parent level unless its left sibling is flagged as incompletely split.
 */
final class BtCheck {
    int leafEntries;
    int pages;
    int rootLevel;
    int incompleteSplits;
    /** The first page found flagged BTP_INCOMPLETE_SPLIT, or -1. */
    int firstIncomplete = -1;

    private final BtEnv env;
    private final KeyComparator cmp;

    private BtCheck(BtEnv env, KeyComparator cmp) {
        this.env = env;
        this.cmp = cmp;
    }

    static BtCheck verify(BtEnv env, KeyComparator cmp) {
        BtCheck c = new BtCheck(env, cmp);
        c.run();
        return c;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    private void run() {
        ByteBuffer meta = env.copyPage(0);
        check(BtPage.isMeta(meta), "block 0 is not a metapage");
        check(Page.lower(meta) == 72, "metapage pd_lower " + Page.lower(meta));
        int root = BtPage.metaRoot(meta);
        if (root == BtPage.P_NONE) {
            return;
        }
        rootLevel = BtPage.metaLevel(meta);
        check(BtPage.metaFastRoot(meta) == root, "fast root differs from root");
        ByteBuffer rootPage = env.copyPage(root);
        check(BtPage.isRoot(rootPage) || BtPage.incompleteSplit(rootPage), "root page lacks BTP_ROOT");
        check(BtPage.level(rootPage) == rootLevel, "root level");
        check(BtPage.isLeftmost(rootPage), "root has a left sibling");
        List<Integer> expected = List.of(root);
        int leftmost = root;
        for (int level = rootLevel; level >= 0; level--) {
            List<Integer> levelPages = new ArrayList<>();
            List<Integer> downlinks = new ArrayList<>();
            List<byte[]> separators = new ArrayList<>();
            int prev = BtPage.P_NONE;
            byte[] prevHikey = null;
            for (int blk = leftmost; blk != BtPage.P_NONE;) {
                ByteBuffer p = env.copyPage(blk);
                pages++;
                levelPages.add(blk);
                check(BtPage.level(p) == level, "block " + blk + " level " + BtPage.level(p) + " != " + level);
                check(BtPage.isLeaf(p) == (level == 0), "block " + blk + " leaf flag");
                check(BtPage.prev(p) == prev, "block " + blk + " prev " + BtPage.prev(p) + " != " + prev);
                if (BtPage.incompleteSplit(p)) {
                    if (incompleteSplits++ == 0) {
                        firstIncomplete = blk;
                    }
                }
                int first = BtPage.firstData(p);
                int max = Page.maxOffset(p);
                for (int off = first; off <= max; off++) {
                    int pos = Page.itemOffset(p, off);
                    boolean minusInf = level > 0 && off == first;
                    if (minusInf) {
                        check(BtPage.tupleSize(p, pos) == 8, "block " + blk + ": first internal item is not -inf");
                    } else {
                        byte[] key = BtPage.copyKey(p, pos);
                        long tid = BtPage.heapTid(p, pos);
                        if (off > first && !(level > 0 && off == first + 1)) {
                            int prevPos = Page.itemOffset(p, off - 1);
                            check(BtPage.compare(cmp, key, tid, p, prevPos) > 0,
                                    "block " + blk + " items " + (off - 1) + "," + off + " out of order");
                        }
                        if (!BtPage.isRightmost(p)) {
                            check(BtPage.compare(cmp, key, tid, p, Page.itemOffset(p, BtPage.P_HIKEY)) <= 0,
                                    "block " + blk + " item " + off + " above the high key");
                        }
                        if (off == first && prevHikey != null) {
                            check(tupleAbove(key, tid, prevHikey), "block " + blk + " first item not above the"
                                    + " left sibling's high key");
                        }
                    }
                    if (level > 0) {
                        downlinks.add(BtPage.downlink(p, pos));
                        separators.add(minusInf ? null : pivotBytes(p, pos));
                    } else {
                        leafEntries++;
                    }
                }
                if (level > 0 && max < first) {
                    throw new AssertionError("internal block " + blk + " has no items");
                }
                prevHikey = BtPage.isRightmost(p) ? null : BtPage.copyTuple(p, Page.itemOffset(p, BtPage.P_HIKEY));
                prev = blk;
                blk = BtPage.next(p);
            }
            // the pages of this level: each reachable from the level above, or the right half of an incomplete split
            int i = 0;
            for (int j = 0; j < levelPages.size(); j++) {
                int blk = levelPages.get(j);
                if (i < expected.size() && expected.get(i) == blk) {
                    i++;
                    continue;
                }
                check(j > 0, "leftmost block " + blk + " at level " + level + " has no downlink");
                ByteBuffer left = env.copyPage(levelPages.get(j - 1));
                check(BtPage.incompleteSplit(left), "block " + blk + " at level " + level
                        + " has no downlink and its left sibling is not incompletely split");
            }
            check(i == expected.size(), "downlinks at level " + (level + 1) + " do not match level " + level);
            if (level > 0) {
                // each separator equals the high key of the child left of it
                for (int k = 1; k < downlinks.size(); k++) {
                    int leftChild = downlinks.get(k - 1);
                    ByteBuffer lc = env.copyPage(leftChild);
                    if (BtPage.incompleteSplit(lc) || separators.get(k) == null) {
                        // a -inf item's separator is its page's left sibling's high key, checked a level up
                        continue;
                    }
                    byte[] hk = pivotBytes(lc, Page.itemOffset(lc, BtPage.P_HIKEY));
                    check(Arrays.equals(hk, separators.get(k)), "separator " + k + " at level " + level
                            + " differs from the high key of block " + leftChild);
                }
                leftmost = downlinks.get(0);
            }
            expected = downlinks;
        }
    }

    /** A pivot's key and heap tid (without the downlink). */
    private static byte[] pivotBytes(ByteBuffer p, int pos) {
        byte[] t = BtPage.copyTuple(p, pos);
        return Arrays.copyOfRange(t, 4, t.length);
    }

    private boolean tupleAbove(byte[] key, long tid, byte[] hikey) {
        ByteBuffer h = ByteBuffer.wrap(hikey).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return BtPage.compare(cmp, key, tid, h, 0) > 0;
    }
}
