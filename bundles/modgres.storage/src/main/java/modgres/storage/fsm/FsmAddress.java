package modgres.storage.fsm;

import modgres.api.page.FreeSpaceMap;

/**
 * The shape of the map: a tree of FSM pages, {@value #DEPTH} levels deep (so
 * that {@value FsmPage#SLOTS}^3 leaf slots cover every block number), stored
 * depth-first in the {@code _fsm} fork: the root at block 0, then the first
 * level-1 page, its first leaf page, its second leaf page, ..., then the
 * second level-1 page, and so on. A page is named by its level (0 = leaves)
 * and its logical number within the level. Also the byte-to-category scale.
 */
final class FsmAddress {
    static final int DEPTH = 3;
    static final int ROOT_LEVEL = DEPTH - 1;
    static final int BOTTOM_LEVEL = 0;
    static final long SLOTS = FsmPage.SLOTS;

    /** {@code FSM_CAT_STEP}: bytes per category. */
    static final int CATEGORY_STEP = 32;
    /** The top category: a whole empty page. */
    static final int MAX_CATEGORY = 255;

    private FsmAddress() {
    }

    /** The block of the {@code _fsm} fork that holds page {@code logpage} of {@code level}. */
    static long physical(int level, long logpage) {
        // Count the pages stored up to and including the leftmost leaf below this page...
        long leaf = logpage;
        for (int l = 0; l < level; l++) {
            leaf *= SLOTS;
        }
        long pages = 0;
        for (int l = 0; l < DEPTH; l++) {
            pages += leaf + 1;
            leaf /= SLOTS;
        }
        // ...less the pages below this one on its path, which come after it.
        pages -= level;
        return pages - 1;
    }

    /** The leaf page that holds heap block {@code block} (unsigned). */
    static long leafPage(long block) {
        return block / SLOTS;
    }

    /** The slot of heap block {@code block} in its leaf page. */
    static int leafSlot(long block) {
        return (int) (block % SLOTS);
    }

    /** {@code fsm_space_avail_to_cat}: the category recorded for {@code bytes} free. */
    static int availToCategory(int bytes) {
        if (bytes >= FreeSpaceMap.MAX_REQUEST) {
            return MAX_CATEGORY;
        }
        if (bytes <= 0) {
            return 0;
        }
        return Math.min(bytes / CATEGORY_STEP, MAX_CATEGORY - 1);
    }

    /** {@code fsm_space_needed_to_cat}: the smallest category that surely has {@code bytes} free. */
    static int neededToCategory(int bytes) {
        if (bytes < 0 || bytes > FreeSpaceMap.MAX_REQUEST) {
            throw new IllegalArgumentException("invalid FSM request size " + bytes);
        }
        if (bytes == 0) {
            return 1;
        }
        return Math.min((bytes + CATEGORY_STEP - 1) / CATEGORY_STEP, MAX_CATEGORY);
    }

    /** {@code fsm_space_cat_to_avail}: the least free space a category stands for. */
    static int categoryToAvail(int category) {
        return category == MAX_CATEGORY ? FreeSpaceMap.MAX_REQUEST : category * CATEGORY_STEP;
    }
}
