package modgres.api.access;

/**
 * A sequential scan of a heap in block order returning the tuples visible to
 * the scan's snapshot. Holds at most one buffer pin between calls; close it
 * (also after an error) to release it.
 */
public interface HeapScan extends AutoCloseable {

    /** The next visible tuple, or null at the end. */
    HeapTuple next();

    @Override
    void close();
}
