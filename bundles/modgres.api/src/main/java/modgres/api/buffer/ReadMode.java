package modgres.api.buffer;

/** What {@link BufferPool#pin} does when the block is not in the pool. */
public enum ReadMode {
    /** Read the block through the {@link PageStore}. */
    NORMAL,
    /**
     * Do not read: hand out a page of zeros. For a caller that is about to
     * fill the whole page (WAL redo of a full-page image, or a block it has
     * just added to the file). A block found in the pool is returned as it is,
     * not zeroed. To add a block to a relation use {@link BufferPool#extend}.
     */
    ZERO_ON_MISS
}
