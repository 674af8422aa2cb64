package modgres.shmem.buffer;

/**
 * The layout of a buffer's state word, one {@code long} per buffer, changed
 * only by compare-and-set (or, by the holder of {@link #LOCKED}, by a plain
 * release store that also clears {@code LOCKED}):
 *
 * <pre>
 *  63         41 40                         32 31    28 27   24 23             0
 * +-------------+-----------------------------+--------+-------+----------------+
 * |   (zero)    |           flags             | (zero) | usage |    refcount    |
 * +-------------+-----------------------------+--------+-------+----------------+
 *
 *  flag bits: 32 LOCKED  33 DIRTY  34 VALID  35 TAG_VALID  36 IO_IN_PROGRESS
 *             37 IO_ERROR  38 JUST_DIRTIED  39 CHECKPOINT_NEEDED  40 IO_WAITERS
 * </pre>
 */
final class BufferState {
    static final long REFCOUNT_ONE = 1L;
    static final long REFCOUNT_MASK = (1L << 24) - 1;
    static final int USAGE_SHIFT = 24;
    static final long USAGE_ONE = 1L << USAGE_SHIFT;
    static final long USAGE_MASK = 0xFL << USAGE_SHIFT;

    /** Header lock: the holder may change the tag and any field with a plain store. */
    static final long LOCKED = 1L << 32;
    /** The page differs from the block on disk. */
    static final long DIRTY = 1L << 33;
    /** The page holds the block's contents (read, zero-filled or written by a caller). */
    static final long VALID = 1L << 34;
    /** The tag names a block and the mapping table points to this buffer. */
    static final long TAG_VALID = 1L << 35;
    /** A read or write of the page is under way; waiters sleep until it ends. */
    static final long IO_IN_PROGRESS = 1L << 36;
    /** The last I/O failed. */
    static final long IO_ERROR = 1L << 37;
    /** Dirtied since the current write started: the write must not clear DIRTY. */
    static final long JUST_DIRTIED = 1L << 38;
    /** Dirty when the running checkpoint started: it must write this buffer. */
    static final long CHECKPOINT_NEEDED = 1L << 39;
    /** Someone sleeps waiting for the I/O to end: the ender must wake the buffer's monitor. */
    static final long IO_WAITERS = 1L << 40;

    private BufferState() {
    }

    static int refcount(long state) {
        return (int) (state & REFCOUNT_MASK);
    }

    static int usage(long state) {
        return (int) ((state & USAGE_MASK) >>> USAGE_SHIFT);
    }

    /** For messages and tests: {@code refcount=1 usage=2 DIRTY|VALID|TAG_VALID}. */
    static String describe(long state) {
        StringBuilder sb = new StringBuilder("refcount=").append(refcount(state)).append(" usage=")
                .append(usage(state));
        String[] names = {"LOCKED", "DIRTY", "VALID", "TAG_VALID", "IO_IN_PROGRESS", "IO_ERROR", "JUST_DIRTIED",
            "CHECKPOINT_NEEDED", "IO_WAITERS"};
        char sep = ' ';
        for (int i = 0; i < names.length; i++) {
            if ((state & (1L << (32 + i))) != 0) {
                sb.append(sep).append(names[i]);
                sep = '|';
            }
        }
        return sb.toString();
    }
}
