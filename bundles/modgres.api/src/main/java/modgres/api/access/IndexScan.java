package modgres.api.access;

/**
 * A range scan of a B-tree in key order (or reverse), returning entries, not
 * tuples: the caller fetches each heap tuple and checks its visibility. Holds
 * at most one pin between calls; close it to release it.
 */
public interface IndexScan extends AutoCloseable {

    /** Moves to the next entry; false at the end of the range. */
    boolean next();

    /** The heap tid of the current entry. */
    long heapTid();

    /** A copy of the current entry's key. */
    byte[] key();

    @Override
    void close();
}
